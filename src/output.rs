//! Nothing half-written: every output goes to a temporary file in the target directory
//! and is renamed into place only when complete.

use std::io::Write;
use std::path::Path;

use crate::diag::{Diagnostic, Result, io_reason};

/// Write `bytes` to `path` atomically (temp file in the same directory + rename).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, false)
}

/// Write a file that must not exist yet (never overwrites, even in a race).
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, true)
}

fn write_via_temp(path: &Path, bytes: &[u8], no_clobber: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("無法寫入輸出檔：{}", io_reason(&e))).at_file(path)
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".packet-").suffix(".tmp");
    // Outputs are documents to share, not secrets: the usual rw-r--r--.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    if no_clobber {
        tmp.persist_noclobber(path).map_err(|e| fail(e.error))?;
    } else {
        tmp.persist(path).map_err(|e| fail(e.error))?;
    }
    Ok(())
}
