//! Official calendars installed once with `packet calendar add` and read by every later
//! command: one `YYYY.csv` per year in the `calendar` folder of the per-user data folder
//! (`%APPDATA%\packet` on Windows, `$XDG_DATA_HOME/packet` or `~/.local/share/packet`
//! elsewhere; `PACKET_DATA_DIR` overrides both).

use std::path::{Path, PathBuf};

use super::{Calendar, to_csv};
use crate::diag::{Diagnostic, Result};
use crate::model::input::read_regular;

/// Largest calendar file read (`packet calendar add`, `--calendar`, an installed year): a
/// published year is about 12 KB, so 1 MiB is some 80 years.
pub const MAX_CALENDAR_BYTES: u64 = 1024 * 1024;

/// The years a file may install: the Republic's calendars, with room to spare.
pub const INSTALLABLE_YEARS: std::ops::RangeInclusive<i32> = 1912..=2200;

/// The per-user data folder of packet, when one can be named.
pub fn data_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("PACKET_DATA_DIR") {
        return Some(dir);
    }
    if cfg!(windows) {
        return var("APPDATA").map(|d| d.join("packet"));
    }
    // The XDG base-directory rule: a relative XDG_DATA_HOME is ignored.
    let xdg = var("XDG_DATA_HOME").filter(|d| d.is_absolute());
    xdg.or_else(|| var("HOME").map(|h| h.join(".local").join("share"))).map(|d| d.join("packet"))
}

/// Where installed calendars are kept.
pub fn calendar_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("calendar"))
}

/// The installed years and their files, ascending (`YYYY.csv` only; anything else in the
/// folder is not ours and is left alone).
pub fn installed_files(dir: &Path) -> Vec<(i32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<(i32, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            let stem = name.to_str()?.strip_suffix(".csv")?;
            let year: i32 = stem.parse().ok().filter(|_| stem.len() == 4)?;
            Some((year, e.path()))
        })
        .collect();
    out.sort();
    out
}

fn read(path: &Path, field: &str) -> Result<Vec<u8>> {
    read_regular(path, MAX_CALENDAR_BYTES)
        .map_err(|e| Diagnostic::error(format!("無法讀取日曆表檔案：{}", e.reason())).at_file(path).field(field).into())
}

/// Loads every installed year over `cal` (they replace embedded years: an installed file is
/// a newer edition). A damaged file is an error that names it.
pub fn load_installed(cal: &mut Calendar) -> Result<()> {
    let Some(dir) = calendar_dir() else { return Ok(()) };
    for (year, path) in installed_files(&dir) {
        let bytes = read(&path, "calendar")?;
        let name = path.display().to_string();
        let years = cal.load_csv(&bytes, &name).map_err(|e| {
            Diagnostic::error(format!("已安裝的日曆表損壞，請重新執行 packet calendar add：{e}")).field("calendar")
        })?;
        if years != [year] {
            return Err(Diagnostic::error(format!(
                "已安裝的日曆表 {name} 應只含 {year} 年，請重新執行 packet calendar add"
            ))
            .field("calendar")
            .into());
        }
        cal.mark_installed(&years);
    }
    Ok(())
}

/// Reads one `--calendar FILE` over `cal`.
pub fn load_file(cal: &mut Calendar, file: &Path) -> Result<Vec<i32>> {
    let bytes = read(file, "--calendar")?;
    cal.load_csv(&bytes, &file.display().to_string())
        .map_err(|e| Diagnostic::error(e.to_string()).field("--calendar").into())
}

/// `packet calendar add FILE`: checks the whole file first (any malformed, partial or
/// hostile row refuses it with its line, and nothing is installed), then writes each year
/// it covers, in the official form, to `dir` (each file atomically). Returns the years and
/// the files written.
pub fn install(file: &Path, dir: &Path) -> Result<Vec<(i32, PathBuf)>> {
    let mut cal = Calendar::new();
    let years = load_file(&mut cal, file)?;
    if let Some(y) = years.iter().find(|y| !INSTALLABLE_YEARS.contains(y)) {
        return Err(Diagnostic::error(format!(
            "日曆表含 {y} 年：僅能安裝 {} 至 {} 年",
            INSTALLABLE_YEARS.start(),
            INSTALLABLE_YEARS.end()
        ))
        .at_file(file)
        .into());
    }
    let mut out = Vec::new();
    for y in years {
        let days = cal.year_days(y).map_err(|e| Diagnostic::error(e.to_string()))?;
        let path = dir.join(format!("{y}.csv"));
        crate::output::write_atomic(&path, to_csv(days).as_bytes())?;
        out.push((y, path));
    }
    Ok(out)
}
