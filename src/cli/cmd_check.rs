//! `packet check` (the rule checks, of a meeting or a whole series) and `packet deadlines` (a meeting's deadlines).

use std::path::Path;
use std::process::ExitCode;

use super::args::{CheckCommand, DeadlinesCommand};
use super::exit_code;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::model::Series;
use crate::model::calendar::Calendar;
use crate::rules::check;
use crate::rules::corrections::Round;
use crate::rules::proceedings::MeetingState;

/// `packet check`: the diagnostics go to stdout (they are the command's output).
pub fn run(cmd: CheckCommand) -> ExitCode {
    let found = match check::load_calendar(&cmd.calendar.files) {
        Ok(calendar) if is_series(&cmd.meeting.meeting) => check_series(&cmd.meeting.meeting, &calendar),
        Ok(calendar) => check_meeting(&cmd.meeting.meeting, &calendar),
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

/// `packet check <meeting>`: its findings, and where its correction round stands (stderr).
fn check_meeting(path: &Path, calendar: &Calendar) -> Vec<Diagnostic> {
    match crate::model::Packet::load(path) {
        Ok(p) => {
            if let Some(Ok(round)) = Round::of(&p, calendar) {
                eprintln!("{}", round.summary(crate::model::today()));
            }
            check::check(&p, Series::of(&p).as_ref(), calendar)
        }
        Err(diags) => diags.0,
    }
}

/// A series folder (group.toml, no meeting.toml of its own), as build and export take it.
fn is_series(path: &Path) -> bool {
    path.is_dir() && path.join("group.toml").is_file() && !path.join("meeting.toml").is_file()
}

/// `packet check <series>`: the series as a whole (its meetings' order and numbers, every
/// decision's 列管 across them) and every meeting, each with the series it belongs to. A
/// finding about group.toml is printed once, not once per meeting.
fn check_series(dir: &Path, calendar: &Calendar) -> Vec<Diagnostic> {
    let series = Series::load(dir);
    let Ok(s) = &series else {
        return series.err().map(|e| e.0).unwrap_or_default();
    };
    let mut found: Vec<Diagnostic> = Vec::new();
    // Where each meeting stands, as its record says, and who changed in the roster since the
    // meeting before (stderr: the findings are the output).
    let mut before: Option<&crate::model::Group> = None;
    for p in &s.meetings {
        let changes = before.map(|b| p.group.changes_since(b)).unwrap_or_default();
        let roster =
            if changes.is_empty() { String::new() } else { format!("；委員異動：{}", changes.join("、")) };
        let round = match Round::of(p, calendar) {
            Some(Ok(r)) => format!("；{}", r.summary(crate::model::today())),
            _ => String::new(),
        };
        eprintln!("{}：{}{roster}{round}", crate::model::label(p), MeetingState::of(p).label());
        before = Some(&p.group);
    }
    for p in &s.meetings {
        for d in check::check(p, Some(&series), calendar) {
            if !found.iter().any(|f| f.to_string() == d.to_string()) {
                found.push(d);
            }
        }
    }
    found
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
