//! `packet export`: the data.gov.tw bundle of a meeting or a whole series, as a zip or a
//! folder.

use std::path::PathBuf;
use std::time::Instant;

use super::args::ExportCommand;
use crate::build::Input;
use crate::diag::Diagnostics;
use crate::export;
use crate::model::{Packet, Series};

pub fn run(cmd: ExportCommand) -> Result<(), Diagnostics> {
    let ExportCommand { meeting, output, allow_draft, doc } = cmd;
    let start = Instant::now();
    let opts = doc.options(PathBuf::new(), false);
    let sde = doc.source_date_epoch.as_deref();
    let (bundle, target) = if crate::batch::is_series_dir(&meeting) {
        let dir = &meeting;
        let name = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
        let target =
            output.unwrap_or_else(|| PathBuf::from("out").join(format!("{}-dataset", name.unwrap_or_default())));
        (export::series::series_bundle(dir, &opts, doc.fonts(dir)?, &allow_draft, sde)?, target)
    } else {
        let packet = Packet::load(&meeting)?;
        let series = Series::of(&packet);
        let target = output.unwrap_or_else(|| PathBuf::from("out").join(format!("{}.zip", packet.slug())));
        let input = Input { packet: &packet, series: series.as_ref() };
        (export::bundle(input, &opts, doc.fonts(&meeting)?, !allow_draft.is_empty(), sde)?, target)
    };
    for w in &bundle.warnings {
        eprintln!("{w}");
    }
    if bundle.draft {
        eprintln!("會議紀錄尚未定稿，資料包內為紀錄草稿 minutes-draft.pdf；缺少：");
        for m in &bundle.missing {
            eprintln!("{m}");
        }
    }
    export::write(&bundle, &target)?;
    if !doc.quiet {
        let bytes: usize = bundle.files.iter().map(|f| f.bytes.len()).sum();
        eprintln!(
            "已產生 {}（{} 個檔案，{} KB，{:.2} 秒）",
            crate::diag::printable(&target.display().to_string()),
            bundle.files.len(),
            bytes / 1024,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
