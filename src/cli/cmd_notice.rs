//! `packet notice`: the meeting notice (開會通知單) and its calendar invitation (meeting.ics).

use std::time::Instant;

use super::args::NoticeCommand;
use super::{default_out, report_built};
use crate::build::{self, Input};
use crate::diag::Diagnostics;
use crate::export;
use crate::model::{Packet, Series};
use crate::output::write_atomic;
use crate::render::notice::Edition;

pub fn run(cmd: NoticeCommand) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&cmd.meeting.meeting)?;
    let series = Series::of(&packet);
    // The same checks as `packet build`: the notice goes out with the agenda.
    let checks = cmd.checks.checks()?;
    let findings = checks.gate(Input { packet: &packet, series: series.as_ref() })?;
    let out = cmd.output.unwrap_or_else(|| default_out(&packet));
    let opts = build::BuildOptions { write_odt: cmd.odt, ..cmd.doc.options(out, cmd.typst) };
    // The invitation is made first: nothing is written unless both can be.
    let ics = export::ics::invitation(&packet, &checks.calendar);
    let fonts = cmd.doc.fonts(&packet.series_dir)?;
    // A change recorded: the 書函 first (it refuses a change that changes nothing), then
    // the notice as it was sent.
    let change = match packet.meeting.notice.change {
        Some(_) => Some(build::build_notice(&packet, &opts, fonts.clone(), &checks.calendar, Edition::Change)?),
        None => None,
    };
    let built = build::build_notice(&packet, &opts, fonts, &checks.calendar, Edition::Notice)?;
    write_atomic(&opts.out_dir.join("meeting.ics"), ics.as_bytes())?;
    for f in &findings {
        eprintln!("{f}");
    }
    report_built(&built, start, cmd.doc.quiet);
    if let Some(change) = change {
        report_built(&change, start, cmd.doc.quiet);
    }
    Ok(())
}
