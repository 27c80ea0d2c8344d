//! `packet deadlines` and the calendar behind every date check: the embedded office
//! calendar with `--calendar` files over it, and the deadlines of a meeting.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, Result};
use crate::model::Rules;
use crate::model::calendar::{Calendar, DeadlineRules, Deadlines};
use crate::model::input::{MAX_TOML_BYTES, read_regular};
use crate::text;
use crate::text::zh::{self, roc_date};

/// The embedded calendar with each `--calendar FILE` loaded over it, in order (a file's
/// years replace the embedded ones or those of an earlier file).
pub fn load_calendar(files: &[PathBuf]) -> Result<Calendar> {
    let mut cal = Calendar::embedded();
    for file in files {
        // An office calendar is a few KB: the TOML limit is ample.
        let bytes = read_regular(file, MAX_TOML_BYTES).map_err(|e| {
            Diagnostic::error(format!("無法讀取日曆表檔案：{}", e.reason())).at_file(file).field("--calendar")
        })?;
        cal.load_csv(&bytes, &file.display().to_string())
            .map_err(|e| Diagnostic::error(e.to_string()).field("--calendar"))?;
    }
    Ok(cal)
}

/// The series' day counts (group.toml `[rules]`) over the guideline's 5 / 10 / 14.
pub(crate) fn deadline_rules(rules: &Rules) -> DeadlineRules {
    let d = DeadlineRules::default();
    DeadlineRules {
        materials_days: rules.materials_days.unwrap_or(d.materials_days),
        draft_minutes_days: rules.draft_minutes_days.unwrap_or(d.draft_minutes_days),
        publication_days: rules.publication_days.unwrap_or(d.publication_days),
    }
}

/// A date typed on the command line: ISO or ROC (`113-04-29`, `113/4/29`, `113年4月29日`).
pub(crate) fn parse_date_arg(text: &str) -> Result<NaiveDate> {
    zh::parse_date(text).ok_or_else(|| {
        Diagnostic::error(format!("無法辨識的日期「{text}」：請寫成 2024-04-29、113-04-29、113/4/29 或 113年4月29日"))
            .into()
    })
}

/// `packet deadlines`: the deadlines of a meeting on `date` with the guideline's day counts,
/// the draft-minutes count replaced by `draft_days` when given.
pub(crate) fn deadlines_for(cal: &Calendar, date: NaiveDate, draft_days: Option<u32>) -> Result<Deadlines> {
    let mut rules = DeadlineRules::default();
    if let Some(n) = draft_days {
        rules.draft_minutes_days = n;
    }
    cal.deadlines(date, &rules).map_err(|e| Diagnostic::error(e.to_string()).into())
}

/// The human table of [`format_deadlines_human`], followed by a note when
/// the meeting day is a day off and by the source of every year read from `--calendar`.
pub(crate) fn format_deadlines(d: &Deadlines, cal: &Calendar) -> String {
    let mut out = format_deadlines_human(d);
    if let Ok(day) = cal.day(d.meeting_date)
        && !day.working
    {
        out.push_str(&format!("注意：會議日期 {}為放假日{}\n", roc_date(d.meeting_date), note(&day.note)));
    }
    let years: BTreeSet<i32> =
        [d.meeting_date, d.materials_due, d.draft_minutes_due, d.publication_due].iter().map(|x| x.year()).collect();
    for y in years {
        if let Some(src) = cal.year_source(y)
            && !src.embedded
        {
            out.push_str(&format!("{y} 年日曆取自 {}（{}）\n", src.name, src.encoding));
        }
    }
    out
}

pub(super) fn note(n: &str) -> String {
    if n.is_empty() { String::new() } else { format!("（{n}）") }
}

/// `113 年 4 月 22 日（星期一，2024-04-22）`
pub(super) fn show(d: NaiveDate) -> String {
    let roc = roc_date(d);
    let roc = roc.strip_suffix('）').unwrap_or(&roc);
    format!("{roc}，{}）", d.format("%Y-%m-%d"))
}

/// The deadlines as a small table in Traditional Chinese: each date in ROC and Gregorian form
/// with its weekday, and the working-day count it was computed with.
pub fn format_deadlines_human(d: &Deadlines) -> String {
    let r = &d.rules;
    let rows = [
        ("會議日期", String::new(), d.meeting_date),
        ("會議資料送達委員", format!("會前第 {} 個工作日", r.materials_days), d.materials_due),
        ("會議紀錄草稿送達委員", format!("會後第 {} 個工作日", r.draft_minutes_days), d.draft_minutes_due),
        ("開放於政府資料開放平臺", format!("會後第 {} 個工作日", r.publication_days), d.publication_due),
    ];
    let table: Vec<[String; 4]> =
        std::iter::once(["項目".to_string(), "期限".to_string(), "民國日期".to_string(), "西元日期".to_string()])
            .chain(rows.iter().map(|(label, rule, date)| {
                [
                    label.to_string(),
                    rule.clone(),
                    roc_date(*date),
                    format!("{}（{}）", date.format("%Y-%m-%d"), zh::weekday(*date)),
                ]
            }))
            .collect();

    let mut widths = [0usize; 4];
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(text::display_width(cell));
        }
    }
    let mut out = String::from("會議期限（工作日依行政院人事行政總處「政府行政機關辦公日曆表」計算）\n");
    for row in &table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - text::display_width(cell) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
