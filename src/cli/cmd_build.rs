//! `packet build`: one meeting's agenda, or every meeting of a series in one process.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::args::{BuildCommand, CheckArgs, DocArgs};
use super::{default_out, report_built};
use crate::batch;
use crate::build::BuildOptions;
use crate::diag::{Diagnostics, printable};
use crate::model::meeting_dirs;

pub fn run(cmd: BuildCommand) -> Result<(), Diagnostics> {
    let BuildCommand { meeting, output, typst, odt, checks, doc } = cmd;
    let start = Instant::now();
    if batch::is_series_dir(&meeting) {
        return series(&meeting, output, typst, odt, &checks, &doc);
    }
    let checks = checks.checks()?;
    let fonts = doc.fonts(&meeting)?;
    let built = batch::checked_agenda(
        &meeting,
        None,
        &checks,
        |p| BuildOptions { write_odt: odt, ..doc.options(output.unwrap_or_else(|| default_out(p)), typst) },
        fonts,
    )?;
    report_built(&built, start, doc.quiet);
    Ok(())
}

/// `packet build <series>`: every meeting of the series, in parallel, in one process.
fn series(
    series: &Path,
    output: Option<PathBuf>,
    typst: bool,
    odt: bool,
    checks: &CheckArgs,
    doc: &DocArgs,
) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let checks = checks.checks()?;
    let fonts = doc.fonts(series)?;
    let out_root = output.unwrap_or_else(|| PathBuf::from("out"));
    let template = BuildOptions { write_odt: odt, ..doc.options(out_root.clone(), typst) };
    let total = meeting_dirs(series)?.len();
    let bar = if doc.quiet || total < 2 {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let tick = |dir: &Path| {
        bar.set_message(dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        bar.inc(1);
    };
    let results = batch::build_series(series, &out_root, &template, &checks, fonts, &tick)?;
    bar.finish_and_clear();
    let mut errors = Vec::new();
    let mut failed = 0;
    let mut pages = 0;
    for (dir, outcome) in results {
        match outcome {
            Ok(built) => {
                pages += built.pages;
                for w in &built.warnings {
                    eprintln!("{w}");
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}：產生失敗", printable(&dir.display().to_string()));
                errors.extend(e.0);
            }
        }
    }
    if !doc.quiet {
        eprintln!("已產生 {} 份議程（共 {pages} 頁，{:.2} 秒）", total - failed, start.elapsed().as_secs_f64());
    }
    if errors.is_empty() { Ok(()) } else { Err(Diagnostics(errors)) }
}
