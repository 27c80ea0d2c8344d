//! `packet deadlines` and the calendar behind every date check: the embedded office
//! calendar with `--calendar` files over it, and the deadlines of a meeting.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, Result, printable};
use crate::model::Rules;
use crate::model::calendar::installed;
use crate::model::calendar::{Calendar, DeadlineRules, Deadlines};
use crate::text;
use crate::text::zh::{self, roc_date};

/// The calendar every command counts working days in: the embedded years, the years
/// installed with `packet calendar add` over them, each `--calendar FILE` over those, in
/// order (a file's years replace earlier ones), and the years none of them has computed
/// from the rules (provisional, from 2025 on).
pub fn load_calendar(files: &[PathBuf]) -> Result<Calendar> {
    let mut cal = Calendar::embedded();
    installed::load_installed(&mut cal)?;
    for file in files {
        installed::load_file(&mut cal, file)?;
    }
    Ok(cal.with_computed_years())
}

/// The series' day counts (group.toml `[rules]`) over the guideline's 5 / 10 / 14.
pub(crate) fn deadline_rules(rules: &Rules) -> DeadlineRules {
    rules.deadline_rules()
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
/// the meeting day is a day off, by the source of every year read from a file, and by one
/// line per computed (provisional) year saying what to do. Notes and file names from a
/// calendar file are printed escaped (a hostile file must not write to the terminal).
pub(crate) fn format_deadlines(d: &Deadlines, cal: &Calendar) -> String {
    let mut out = format_deadlines_human(d);
    if let Ok(day) = cal.day(d.meeting_date)
        && !day.working
    {
        let provisional = if d.provisional.meeting_date { PROVISIONAL } else { "" };
        out.push_str(&format!("注意：會議日期 {}{provisional}為放假日{}\n", roc_date(d.meeting_date), note(&day.note)));
    }
    let years: BTreeSet<i32> =
        [d.meeting_date, d.materials_due, d.draft_minutes_due, d.publication_due].iter().map(|x| x.year()).collect();
    for y in years {
        if let Some(src) = cal.year_source(y)
            && !src.embedded
        {
            let how = if src.installed { "已安裝" } else { "取自" };
            out.push_str(&format!("{y} 年日曆{how} {}（{}）\n", printable(&src.name), src.encoding));
        }
    }
    for y in &d.provisional_years {
        out.push_str(&provisional_line(*y));
        out.push('\n');
    }
    out
}

/// The mark of a date counted on a computed year.
pub const PROVISIONAL: &str = "（暫定）";

/// What a computed year means and what to do about it, in one line.
pub fn provisional_line(year: i32) -> String {
    format!(
        "暫定：{year} 年尚無官方辦公日曆表，標示「暫定」者依紀念日及節日實施條例推算；\
         行政院人事行政總處公布 {year} 年「政府行政機關辦公日曆表」後，請下載（data.gov.tw 資料集 14718）\
         並以 packet calendar add FILE 安裝"
    )
}

/// A calendar note (`備註`) as printed: in brackets, escaped, or nothing.
pub(super) fn note(n: &str) -> String {
    if n.is_empty() { String::new() } else { format!("（{}）", printable(n)) }
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
    let p = &d.provisional;
    let rows = [
        ("會議日期", String::new(), d.meeting_date, p.meeting_date),
        ("會議資料送達委員", format!("會前第 {} 個工作日", r.materials_days), d.materials_due, p.materials_due),
        (
            "會議紀錄草稿送達委員",
            format!("會後第 {} 個工作日", r.draft_minutes_days),
            d.draft_minutes_due,
            p.draft_minutes_due,
        ),
        (
            "開放於政府資料開放平臺",
            format!("會後第 {} 個工作日", r.publication_days),
            d.publication_due,
            p.publication_due,
        ),
    ];
    let table: Vec<[String; 4]> =
        std::iter::once(["項目".to_string(), "期限".to_string(), "民國日期".to_string(), "西元日期".to_string()])
            .chain(rows.iter().map(|(label, rule, date, provisional)| {
                let mark = if *provisional { PROVISIONAL } else { "" };
                [
                    label.to_string(),
                    rule.clone(),
                    roc_date(*date),
                    format!("{}（{}）{mark}", date.format("%Y-%m-%d"), zh::weekday(*date)),
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
