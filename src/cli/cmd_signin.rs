//! `packet signin`: the sign-in sheet (簽到表).

use std::time::Instant;

use super::args::SigninCommand;
use super::{default_out, report_built};
use crate::build;
use crate::diag::Diagnostics;
use crate::model::Packet;

pub fn run(cmd: SigninCommand) -> Result<(), Diagnostics> {
    let start = Instant::now();
    // No rule checks: the sheet is printed for the meeting whatever they find.
    let packet = Packet::load(&cmd.meeting.meeting)?;
    let out = cmd.output.unwrap_or_else(|| default_out(&packet));
    let opts = build::BuildOptions { write_odt: cmd.odt, ..cmd.doc.options(out, cmd.typst) };
    let built = build::build_signin(&packet, &opts, cmd.doc.fonts(&packet.series_dir)?)?;
    report_built(&built, start, cmd.doc.quiet);
    Ok(())
}
