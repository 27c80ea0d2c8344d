//! `packet serve`: the browser editor. The first line of stdout is its address (with the
//! token); the browser is opened on it unless `--no-open`.

use std::io::Write;

use super::args::ServeCommand;
use crate::diag::Diagnostics;
use crate::serve::{Bound, ServeOptions, Server};

pub fn run(cmd: ServeCommand) -> Result<(), Diagnostics> {
    let ServeCommand { series, port, no_open, calendar, doc } = cmd;
    let calendar = crate::rules::check::load_calendar(&calendar.files)?;
    let fonts = doc.series_fonts(series.series.clone())?;
    // Downloads are compiled in memory: nothing is written outside the series.
    let build = crate::build::BuildOptions { editor: true, ..doc.options(std::path::PathBuf::from("out"), false) };
    let server = match Server::bind(ServeOptions { series: series.series, port, build, calendar, fonts })? {
        Bound::New(server) => server,
        Bound::Running(url) => {
            println!("{url}");
            eprintln!("這個系列的編輯器已在執行，請用瀏覽器開啟上面的網址");
            if !no_open {
                open_browser(&url);
            }
            return Ok(());
        }
    };
    let url = server.url().to_string();
    println!("{url}");
    let _ = std::io::stdout().flush();
    // Started without arguments, the window has said how to open and stop it already.
    if !super::cmd_start::STARTED.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("請用瀏覽器開啟上面的網址（只有本機可連線；按 Ctrl-C 結束）");
    }
    if let Some(old) = server.moved_from() {
        eprintln!(
            "網址已變更：原本的 {old} 已被其他程式使用，改用上面的新網址 {url}（已開啟的分頁與書籤請改用新網址）"
        );
    }
    if let Some(why) = server.not_kept() {
        eprintln!("無法保存這個網址（{why}），下次啟動時網址會不同");
    }
    if !no_open {
        open_browser(&url);
    }
    server.run()
}

/// Hand the address to the desktop's default browser; failing that, the printed address
/// is enough.
fn open_browser(url: &str) {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(windows) {
        let mut c = Command::new("explorer");
        c.arg(url);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    let _ = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
}
