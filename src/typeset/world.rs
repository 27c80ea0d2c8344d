//! The Typst World: one generated main file, the fonts, and read-only access to files
//! of the series directory under the virtual folder `/assets/`. Nothing else: no
//! packages, no files outside the series, no clock.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontSet;
use crate::model::input::{MAX_INPUT_BYTES, ReadError, read_regular};

/// Virtual folder under which series files are visible to Typst.
pub const ASSETS: &str = "/assets/";

pub struct PacketWorld {
    library: Arc<LazyHash<Library>>,
    fonts: Arc<FontSet>,
    main: Source,
    /// Canonical series directory: the only place files are read from.
    assets_root: Option<PathBuf>,
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    /// Files made for the document (a PDF attachment's drawn pages), by virtual path.
    generated: HashMap<String, Bytes>,
}

/// Typst's standard library, built once per process and shared by every document.
fn shared_library() -> Arc<LazyHash<Library>> {
    static LIBRARY: std::sync::OnceLock<Arc<LazyHash<Library>>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| Arc::new(LazyHash::new(Library::default()))).clone()
}

impl PacketWorld {
    /// `main_name` is the virtual file name of the generated source (e.g. `agenda.typ`).
    pub fn new(fonts: Arc<FontSet>, main_name: &str, text: String, assets_root: Option<&Path>) -> Self {
        let vpath = VirtualPath::new(format!("/{main_name}")).expect("a plain file name is a valid virtual path");
        let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
        PacketWorld {
            library: shared_library(),
            fonts,
            main: Source::new(id, text),
            assets_root: assets_root.and_then(|p| p.canonicalize().ok()),
            files: Mutex::new(HashMap::new()),
            generated: HashMap::new(),
        }
    }

    /// The world with `files` (virtual path, bytes) readable too.
    pub fn with_generated(mut self, files: &[(String, Bytes)]) -> Self {
        self.generated.extend(files.iter().cloned());
        self
    }

    /// The virtual path Typst uses for `rel`, a path relative to the series directory.
    pub(crate) fn asset_path(rel: &Path) -> String {
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        format!("{ASSETS}{}", rel.join("/"))
    }

    fn read_asset(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Package(PackageError::Other(Some("packet 不使用 Typst 套件".into()))));
        }
        let vpath = id.vpath().get_with_slash();
        if let Some(bytes) = self.generated.get(vpath) {
            return Ok(bytes.clone());
        }
        let (Some(root), Some(rel)) = (&self.assets_root, vpath.strip_prefix(ASSETS)) else {
            return Err(FileError::AccessDenied);
        };
        let path = root.join(rel);
        // Refuse symlinks (or anything else) that lead outside the series directory.
        let real = path.canonicalize().map_err(|_| FileError::NotFound(path.clone()))?;
        if !real.starts_with(root) {
            return Err(FileError::AccessDenied);
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        // Only regular files, checked before opening: a FIFO would block forever.
        match read_regular(&real, MAX_INPUT_BYTES) {
            Ok(bytes) => Ok(Bytes::new(bytes)),
            Err(ReadError::Io(e)) => Err(FileError::from_io(e, &real)),
            Err(e) => Err(FileError::Other(Some(e.reason().into()))),
        }
    }
}

impl World for PacketWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.entry(id).or_insert_with(|| self.read_asset(id)).clone()
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    /// No clock: documents must not depend on the day they are built.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO under the series (an SVG may link one) is refused without opening it:
    /// opening a FIFO for reading blocks until a writer comes, i.e. forever.
    #[test]
    fn a_fifo_is_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe.png");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
        assert!(made.success());
        let fonts = Arc::new(FontSet::load(&[]).expect("bundled fonts"));
        let world = PacketWorld::new(fonts, "main.typ", String::new(), Some(dir.path()));
        let id = RootedPath::new(VirtualRoot::Project, VirtualPath::new("/assets/pipe.png").unwrap()).intern();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(world.file(id).map(|_| ()));
        });
        // A hang guard, not a speed figure: the answer comes at once or never.
        match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(Err(FileError::Other(Some(message)))) => assert!(message.contains("不是一般檔案"), "{message}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
