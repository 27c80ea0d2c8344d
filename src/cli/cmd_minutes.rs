//! `packet minutes`: the 會議紀錄, final or draft, public or internal.

use std::time::Instant;

use super::args::MinutesCommand;
use super::{default_out, internal_out, report_built};
use crate::build::{self, Input};
use crate::diag::Diagnostics;
use crate::model::{Packet, Series};
use crate::rules::proceedings::Edition;

pub fn run(cmd: MinutesCommand) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let edition = if cmd.internal { Edition::Internal } else { Edition::Public };
    let packet = Packet::load(&cmd.meeting.meeting)?;
    let series = Series::of(&packet);
    // The same checks as `packet build` (quorum, composition, dates, …).
    let findings = cmd.checks.checks()?.gate(Input { packet: &packet, series: series.as_ref() })?;
    // The internal edition (不公開 opinions kept) goes to a folder of its own, never the
    // one the agenda and the public minutes are in, which is what gets published.
    let out = cmd.output.unwrap_or_else(|| match edition {
        Edition::Public => default_out(&packet),
        Edition::Internal => internal_out(&packet),
    });
    let opts = build::BuildOptions { write_odt: cmd.odt, ..cmd.doc.options(out, cmd.typst) };
    let result = build::build_minutes(&packet, &opts, cmd.doc.fonts(&packet.series_dir)?, edition, cmd.draft)?;
    // A missing decision is listed once, under the draft notice below.
    for f in findings.iter().filter(|f| !result.missing.iter().any(|m| m.field == f.field)) {
        eprintln!("{f}");
    }
    if result.draft && !result.missing.is_empty() {
        eprintln!("紀錄尚未完整，已產生草稿；缺少：");
        for m in &result.missing {
            eprintln!("{m}");
        }
    }
    report_built(&result.built, start, cmd.doc.quiet);
    Ok(())
}
