//! `packet check` (the rule checks) and `packet deadlines` (a meeting's deadlines).

use std::process::ExitCode;

use super::args::{CheckCommand, DeadlinesCommand};
use super::exit_code;
use crate::diag::{Diagnostics, Severity};
use crate::rules::check;

/// `packet check`: the diagnostics go to stdout (they are the command's output).
pub fn run(cmd: CheckCommand) -> ExitCode {
    let found = match check::load_calendar(&cmd.calendar.files) {
        Ok(calendar) => check::check_path(&cmd.meeting.meeting, &calendar),
        Err(e) => e.0,
    };
    if cmd.json {
        println!("{}", crate::diag::json_for_terminal(&found, true));
    } else {
        for d in &found {
            println!("{d}");
        }
        let count = |s: Severity| found.iter().filter(|d| d.severity == s).count();
        eprintln!(
            "檢核結果：錯誤 {} 項，發現 {} 項，警告 {} 項",
            count(Severity::Error),
            count(Severity::Finding),
            count(Severity::Warning)
        );
    }
    if found.is_empty() { ExitCode::SUCCESS } else { exit_code(&Diagnostics(found)) }
}

/// `packet deadlines`
pub fn deadlines(cmd: DeadlinesCommand) -> Result<(), Diagnostics> {
    let date = check::parse_date_arg(&cmd.date)?;
    let calendar = check::load_calendar(&cmd.calendar.files)?;
    let d = check::deadlines_for(&calendar, date, cmd.draft_days)?;
    if cmd.json {
        println!("{}", crate::diag::json_for_terminal(&d, false));
        // The flags are in the JSON; what they mean and what to do, for a person.
        for y in &d.provisional_years {
            eprintln!("{}", check::provisional_line(*y));
        }
    } else {
        print!("{}", check::format_deadlines(&d, &calendar));
    }
    Ok(())
}
