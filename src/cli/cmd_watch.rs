//! `packet watch`: rebuild the agenda on every save; errors are shown and watching goes on.

use std::path::PathBuf;

use super::args::WatchCommand;
use super::default_out;
use crate::batch::{self, WatchEvent};
use crate::diag::{Diagnostics, printable};
use crate::model::Packet;

pub fn run(cmd: WatchCommand) -> Result<(), Diagnostics> {
    let WatchCommand { meeting, output, max_rebuilds, checks, doc } = cmd;
    let meeting = meeting.meeting;
    let checks = checks.checks()?;
    let fonts = doc.fonts(&meeting)?;
    // A meeting that does not load yet still gets a folder; its errors show in the build.
    let out_dir = output
        .unwrap_or_else(|| Packet::load(&meeting).map_or_else(|_| PathBuf::from("out/packet"), |p| default_out(&p)));
    let opts = doc.options(out_dir, false);
    let mut builds = 0usize;
    eprintln!("監看中：{}（Ctrl-C 結束）", printable(&meeting.display().to_string()));
    batch::watch(
        &meeting,
        &opts,
        &checks,
        fonts,
        |event| match event {
            WatchEvent::Built { built, elapsed, first } => {
                for w in &built.warnings {
                    eprintln!("{w}");
                }
                let verb = if first { "已產生" } else { "已重新產生" };
                eprintln!(
                    "{verb} {}（{} 頁，{:.0} 毫秒）",
                    printable(&built.pdf_path.display().to_string()),
                    built.pages,
                    elapsed.as_secs_f64() * 1000.0
                );
            }
            WatchEvent::Failed { errors, elapsed } => {
                eprintln!("{errors}");
                eprintln!("產生失敗（{:.0} 毫秒）；保留上一版 PDF，繼續監看", elapsed.as_secs_f64() * 1000.0);
            }
        },
        // The first build is not a rebuild.
        || {
            builds += 1;
            max_rebuilds.is_some_and(|max| builds > max)
        },
    )
}
