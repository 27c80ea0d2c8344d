//! `packet` without arguments, as a double-click on packet.exe starts it: the browser
//! editor on the series found in the current folder (Explorer's is the program's own) or
//! the program's folder, one level down at most; a choice when there are several; when
//! there is none, one made here with the names typed (`packet init`), else the start guide.
//!
//! The same from a terminal: a console program cannot tell a double-click from a shell
//! without asking Windows which processes share its console (a foreign call this crate
//! does not make: no unsafe code), and `packet` typed alone in a series' folder is a
//! request for its editor too. Elsewhere the start guide is printed as before.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::localize::{self, Parsed};

/// Folders looked at below each place (a folder with more is not a series' parent).
const MAX_ENTRIES: usize = 1000;

/// Set when the editor was started by `packet` without arguments (a double-click): its
/// window has said how to open and stop the editor, `packet serve` need not say it again.
pub static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Run `packet` without arguments.
pub fn run() -> ExitCode {
    let found = series_found();
    let chosen = match found.as_slice() {
        [] => match create() {
            Ok(series) => series,
            Err(code) => return code,
        },
        [one] => one.clone(),
        several => match choose(several) {
            Some(series) => series,
            None => return ExitCode::SUCCESS,
        },
    };
    eprintln!("正在開啟「{}」的會議資料編輯器（瀏覽器會自動開啟；若沒有，請開啟下面的網址）。", name_of(&chosen));
    eprintln!("要結束編輯器：關閉這個視窗，或按 Ctrl-C。輸入的內容都會即時存檔。");
    STARTED.store(true, std::sync::atomic::Ordering::Relaxed);
    let args = vec!["packet".into(), "serve".into(), chosen.into_os_string()];
    match localize::parse(args) {
        Parsed::Run(cli) => super::run(cli),
        Parsed::Print { text, .. } => {
            eprint!("{text}");
            ExitCode::from(2)
        }
    }
}

/// The series (folders holding group.toml) of the current folder: the folder itself, else
/// its folders one level down, in name order; only when it has none, the program's folder's
/// (a double-click starts in the program's folder; a start in a series' folder opens that
/// series, whatever else lies beside the program).
fn series_found() -> Vec<PathBuf> {
    let places =
        [std::env::current_dir().ok(), std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf))];
    for place in places.into_iter().flatten() {
        let mut here = if is_series(&place) { vec![place] } else { below(&place) };
        here.sort();
        if !here.is_empty() {
            return here.into_iter().map(|s| s.canonicalize().unwrap_or(s)).collect();
        }
    }
    Vec::new()
}

fn is_series(dir: &Path) -> bool {
    dir.join("group.toml").is_file()
}

/// The series one level below `dir`.
fn below(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.take(MAX_ENTRIES).filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| is_series(p)).collect()
}

fn name_of(series: &Path) -> String {
    series.file_name().map_or_else(|| series.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Several series: the one whose number is typed (nothing, or no answer: none).
fn choose(several: &[PathBuf]) -> Option<PathBuf> {
    println!("找到以下會議系列：");
    for (i, series) in several.iter().enumerate() {
        println!("  {}. {}（{}）", i + 1, name_of(series), series.display());
    }
    println!("請輸入要編輯的系列編號，再按 Enter（直接按 Enter 結束）：");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    let picked = line.trim().parse::<usize>().ok().filter(|n| (1..=several.len()).contains(n));
    if picked.is_none() {
        println!("未選擇系列；要編輯時請再開啟一次，輸入系列的編號。");
    }
    picked.map(|n| several[n - 1].clone())
}

/// The answer typed to a question, trimmed; nothing when none comes.
fn answer() -> Option<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line.trim().to_string()).filter(|a| !a.is_empty())
}

/// No series here: one made in the current folder (`packet init`) with the group's and the
/// agency's names as typed; without them, the start guide (the code to exit with).
fn create() -> Result<PathBuf, ExitCode> {
    println!("這裡沒有會議系列（含 group.toml 的資料夾）。");
    println!("要在這個資料夾建立一個，請輸入小組名稱（例：資料開放諮詢小組）後按 Enter；直接按 Enter 則顯示入門說明：");
    let Some(name) = answer() else { return Err(guide()) };
    // One folder here: no separators, not `.` or `..`.
    let mut parts = Path::new(&name).components();
    if !matches!((parts.next(), parts.next()), (Some(std::path::Component::Normal(_)), None))
        || name.contains(['/', '\\'])
    {
        eprintln!("錯誤：小組名稱不能含 / 或 \\，也不能是 . 或 ..");
        return Err(ExitCode::from(2));
    }
    println!("機關名稱（例：行政院主計總處）：");
    let Some(agency) = answer() else { return Err(guide()) };
    let args = vec!["packet".into(), "init".into(), name.clone().into(), "--agency".into(), agency.into()];
    let Parsed::Run(cli) = localize::parse(args) else { return Err(ExitCode::from(2)) };
    let made = super::run(cli);
    if made != ExitCode::SUCCESS {
        return Err(made);
    }
    let series = PathBuf::from(name);
    Ok(series.canonicalize().unwrap_or(series))
}

/// No series here: the start guide; in a window of its own (Windows, a console to read
/// from) it stays open until Enter, instead of closing before it can be read.
fn guide() -> ExitCode {
    print!("{}", localize::start_guide());
    if cfg!(windows) && std::io::stdin().is_terminal() {
        println!("\n（按 Enter 關閉）");
        let _ = std::io::stdin().lock().read_line(&mut String::new());
    }
    ExitCode::SUCCESS
}
