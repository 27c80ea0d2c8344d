//! `packet tracking`: every decision of a series and its 列管 status.

use std::io::Write;

use super::args::TrackingCommand;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Series;
use crate::rules::tracking;

pub fn run(cmd: TrackingCommand) -> Result<(), Diagnostics> {
    let series = Series::load(&cmd.series.series)?;
    let timeline = tracking::timeline(&series)?;
    // The group's words (持續列管 where it says so), as its latest meeting has them.
    let words = series.meetings.last().map(|m| m.group.tracking.clone()).unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    let written = if cmd.csv {
        stdout.write_all(&tracking::to_csv(&timeline, &words))
    } else if cmd.json {
        writeln!(stdout, "{}", crate::diag::json_for_terminal(&timeline.decisions, true))
    } else {
        stdout.write_all(tracking::to_text(&timeline, &words).as_bytes())
    };
    written.map_err(|e| Diagnostics::from(Diagnostic::error(format!("無法輸出：{e}"))))?;
    Ok(())
}
