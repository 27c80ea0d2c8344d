//! `packet corrections`: the correction round of the draft minutes as a one-page record
//! for the file, written beside the internal minutes (never in the published folder).

use std::time::Instant;

use super::args::CorrectionsCommand;
use super::{internal_out, report_built};
use crate::build::{self, BuildOptions};
use crate::diag::Diagnostics;
use crate::model::Packet;
use crate::rules::{check, corrections};

pub fn run(cmd: CorrectionsCommand) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&cmd.meeting.meeting)?;
    let calendar = check::load_calendar(&cmd.calendar.files)?;
    // The round's own problems (an unknown member, a deadline that cannot be counted)
    // stop it; its findings (final minutes too early) are printed with it.
    let found = corrections::findings(&packet, &calendar);
    if found.iter().any(|d| d.severity == crate::diag::Severity::Error) {
        return Err(Diagnostics(found));
    }
    for f in &found {
        eprintln!("{f}");
    }
    let today = crate::model::today();
    if let Some(Ok(round)) = corrections::Round::of(&packet, &calendar) {
        eprintln!("{}", round.summary(today));
    }
    let out = cmd.output.unwrap_or_else(|| internal_out(&packet));
    let opts = BuildOptions { write_odt: cmd.odt, ..cmd.doc.options(out, false) };
    let built = build::build_corrections(&packet, &calendar, &opts, cmd.doc.fonts(&packet.series_dir)?, today)?;
    report_built(&built, start, cmd.doc.quiet);
    Ok(())
}
