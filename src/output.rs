//! Nothing half-written: every output goes to a temporary file in the target directory
//! and is renamed into place only when complete.

use std::io::Write;
use std::path::Path;

use crate::diag::{Diagnostic, Result, io_reason};

/// A zip entry's date (the zip format's DOS time: 1980–2107, two-second steps) for a
/// local time; the ODT package and the export zip date every entry with it, so equal input
/// gives equal bytes.
pub(crate) fn zip_time(
    when: chrono::NaiveDateTime,
) -> std::result::Result<zip::DateTime, zip::result::DateTimeRangeError> {
    use chrono::{Datelike, Timelike};
    zip::DateTime::from_date_and_time(
        when.year().clamp(1980, 2107) as u16,
        when.month() as u8,
        when.day() as u8,
        when.hour() as u8,
        when.minute() as u8,
        when.second() as u8,
    )
}

/// Write `bytes` to `path` atomically (temp file in the same directory + rename).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, false, None)
}

/// As [`write_atomic`], over a file the user keeps (meeting.toml from the editor): the
/// new file has the old one's permissions before it takes its name (a private 0600
/// file never becomes readable by others, even for a moment).
pub(crate) fn write_atomic_keeping_mode(path: &Path, bytes: &[u8]) -> Result<()> {
    #[cfg(unix)]
    let mode = std::fs::metadata(path).ok().map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o7777);
    #[cfg(not(unix))]
    let mode = None;
    write_via_temp(path, bytes, false, mode)
}

/// Write a file that must not exist yet (never overwrites, even in a race).
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, true, None)
}

/// Prefix and suffix of packet's temporary files (`.packet-XXXXXX.tmp`).
const TEMP_PREFIX: &str = ".packet-";
const TEMP_SUFFIX: &str = ".tmp";

fn write_via_temp(path: &Path, bytes: &[u8], no_clobber: bool, mode: Option<u32>) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Diagnostic::error(format!("無法寫入輸出檔：{}", io_reason(&e))).at_file(path);
    std::fs::create_dir_all(dir).map_err(fail)?;
    remove_stale_temp_files(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // Outputs are documents to share, not secrets: the usual rw-r--r--, unless the file
    // replaced had its own.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(mode.unwrap_or(0o644)));
    #[cfg(not(unix))]
    let _ = mode;
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    // Locked while this process lives: a temporary file nobody holds a lock on was left
    // by a run that was killed, and the next write removes it.
    tmp.as_file().lock().map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    if no_clobber {
        tmp.persist_noclobber(path).map_err(|e| fail(e.error))?;
    } else {
        tmp.persist(path).map_err(|e| fail(e.error))?;
    }
    Ok(())
}

/// Remove the temporary files (`.packet-*.tmp`) in `dir` that no running packet holds:
/// what a killed or crashed run left behind. Files another run is writing are locked
/// and stay. Best effort: a file that cannot be examined is left alone.
pub fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::OpenOptions::new().read(true).open(&path) else { continue };
        if file.try_lock().is_ok() {
            drop(file);
            let _ = std::fs::remove_file(&path);
        }
    }
}
