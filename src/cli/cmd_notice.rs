//! `packet notice`: the meeting notice (開會通知單).

use std::time::Instant;

use super::args::NoticeCommand;
use super::{default_out, report_built};
use crate::build::{self, Input};
use crate::diag::Diagnostics;
use crate::model::{Packet, Series};

pub fn run(cmd: NoticeCommand) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&cmd.meeting.meeting)?;
    let series = Series::of(&packet);
    // The same checks as `packet build`: the notice goes out with the agenda.
    let checks = cmd.checks.checks()?;
    let findings = checks.gate(Input { packet: &packet, series: series.as_ref() })?;
    let out = cmd.output.unwrap_or_else(|| default_out(&packet));
    let opts = build::BuildOptions { write_odt: cmd.odt, ..cmd.doc.options(out, cmd.typst) };
    let built = build::build_notice(&packet, &opts, cmd.doc.fonts()?, &checks.calendar)?;
    for f in &findings {
        eprintln!("{f}");
    }
    report_built(&built, start, cmd.doc.quiet);
    Ok(())
}
