//! The series' own fonts: font files a secretary puts in the folder 「字型」 (or `fonts`)
//! of the series are used by every command and by the editor, as `--font-path` would be:
//! a program started by a double-click takes no options. The folder is listed (names and
//! sizes) and its limits checked before a byte of a font is read; the editor lists it
//! again for each document and reads it again only when the listing changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use typst::foundations::Bytes;
use typst::text::Font;

use super::fonts::{FOLDER, FontSet};
use crate::diag::{Diagnostic, Result};
use crate::model::input::read_regular;

/// The names looked for in the series folder, in order (the first found is used).
const NAMES: &[&str] = &[FOLDER, "fonts"];
/// Font files in the folder (TW-Kai Ext-B and Plus, a Sung set and its extensions fit).
pub const MAX_FILES: usize = 16;
/// One font file (TW-Kai-Ext-B-98_1.ttf is 65 MB).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// All the folder's font files together (they are held in memory while a command runs).
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Entries looked at in the folder and its subfolders (a zip unpacked into it keeps its
/// folders), and how deep.
const MAX_ENTRIES: usize = 1000;
const MAX_DEPTH: usize = 3;

/// A font file as listed: read again when any of these changes.
#[derive(Clone, PartialEq)]
struct Listed {
    path: PathBuf,
    bytes: u64,
    modified: Option<SystemTime>,
}

/// The series' font folder, if it has one.
pub fn folder_of(series: &Path) -> Option<PathBuf> {
    NAMES.iter().map(|n| series.join(n)).find(|d| d.is_dir())
}

/// The fonts of a series: `base` (the embedded ones and `--font-path`) and its folder's.
pub struct SeriesFonts {
    base: Arc<FontSet>,
    series: PathBuf,
    loaded: Mutex<Option<(Vec<Listed>, Arc<FontSet>)>>,
}

impl SeriesFonts {
    pub fn new(base: Arc<FontSet>, series: PathBuf) -> SeriesFonts {
        SeriesFonts { base, series, loaded: Mutex::new(None) }
    }

    /// The fonts as the folder holds them now (read once per change of its listing).
    pub fn current(&self) -> Result<Arc<FontSet>> {
        let Some(dir) = folder_of(&self.series) else { return Ok(self.base.clone()) };
        let listed = list(&dir)?;
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((before, fonts)) = loaded.as_ref()
            && *before == listed
        {
            return Ok(fonts.clone());
        }
        let mut more = Vec::new();
        for file in &listed {
            let data = read_regular(&file.path, MAX_FILE_BYTES).map_err(|e| {
                Diagnostic::error(format!("無法讀取「{FOLDER}」資料夾中的字型：{}", e.reason())).at_file(&file.path)
            })?;
            let before = more.len();
            more.extend(Font::iter(Bytes::new(data)));
            if more.len() == before {
                return Err(Diagnostic::error(format!(
                    "「{FOLDER}」資料夾中的這個檔案不是可用的字型檔；請移除或換成 .ttf / .otf 字型檔"
                ))
                .at_file(&file.path)
                .into());
            }
        }
        let fonts = Arc::new(self.base.with(more));
        *loaded = Some((listed, fonts.clone()));
        Ok(fonts)
    }
}

/// The font files under `dir`, in name order, within the limits (checked on the listing).
fn list(dir: &Path) -> Result<Vec<Listed>> {
    let mut found = Vec::new();
    let mut entries = 0usize;
    walk(dir, 0, &mut entries, &mut found);
    if entries > MAX_ENTRIES {
        let message = format!("「{FOLDER}」資料夾中的檔案超過 {MAX_ENTRIES} 個；請只放字型檔");
        return Err(Diagnostic::error(message).at_file(dir).into());
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    if found.len() > MAX_FILES {
        let message = format!("「{FOLDER}」資料夾中有 {} 個字型檔，最多 {MAX_FILES} 個；請只留需要的字型", found.len());
        return Err(Diagnostic::error(message).at_file(dir).into());
    }
    if let Some(big) = found.iter().find(|f| f.bytes > MAX_FILE_BYTES) {
        let message = format!("字型檔 {} MB，超過上限 {} MB", big.bytes / 1_000_000, MAX_FILE_BYTES >> 20);
        return Err(Diagnostic::error(message).at_file(&big.path).into());
    }
    let total: u64 = found.iter().map(|f| f.bytes).sum();
    if total > MAX_TOTAL_BYTES {
        let message = format!(
            "「{FOLDER}」資料夾中的字型檔共 {} MB，超過上限 {} MB；請只留需要的字型",
            total / 1_000_000,
            MAX_TOTAL_BYTES >> 20
        );
        return Err(Diagnostic::error(message).at_file(dir).into());
    }
    Ok(found)
}

/// Font files by extension; links to folders are not followed (no loops).
fn walk(dir: &Path, depth: usize, entries: &mut usize, out: &mut Vec<Listed>) {
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        *entries += 1;
        if *entries > MAX_ENTRIES {
            return;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, depth + 1, entries, out);
            }
        } else if is_font_file(&path)
            && let Ok(meta) = std::fs::metadata(&path)
        {
            out.push(Listed { bytes: meta.len(), modified: meta.modified().ok(), path });
        }
    }
}

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
}
