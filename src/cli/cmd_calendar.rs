//! `packet calendar`: show a year of the office calendar (official, else computed and
//! provisional), install an official CSV once for every later command, list the years.

use std::io::Write;

use chrono::Datelike;

use super::args::{CalendarAction, CalendarCommand};
use crate::diag::{Diagnostic, Diagnostics, printable};
use crate::model::calendar::computed::{self, COMPUTABLE_YEARS, FIRST_RULES_YEAR};
use crate::model::calendar::{Calendar, Day, installed, to_csv};
use crate::rules::check::{load_calendar, provisional_line};
use crate::text::zh;

pub fn run(cmd: CalendarCommand) -> Result<(), Diagnostics> {
    match (cmd.action, cmd.year) {
        (Some(CalendarAction::Add { file }), _) => add(&file),
        (Some(CalendarAction::List), _) => list(),
        (None, Some(year)) => show(year, cmd.computed, cmd.csv),
        (None, None) => {
            Err(Diagnostic::error("請指定年份（packet calendar 2027）、add FILE 或 list；見 packet calendar --help")
                .into())
        }
    }
}

fn show(year: i32, force_computed: bool, csv: bool) -> Result<(), Diagnostics> {
    let cal = load_calendar(&[])?;
    let (days, provisional, source) = if force_computed {
        (computed::computed_year(year).map_err(|e| Diagnostic::error(e.to_string()))?, true, "依規定推算".to_string())
    } else {
        let days = cal.year_days(year).map_err(|e| Diagnostic::error(e.to_string()))?;
        (days, cal.is_computed(year), source_of(&cal, year))
    };
    if csv {
        let mut out = std::io::stdout().lock();
        out.write_all(to_csv(days).as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Diagnostic::error(format!("無法輸出：{}", crate::diag::io_reason(&e))))?;
    } else {
        print!("{}", month_list(year, days, &source, provisional));
    }
    if force_computed && !cal.is_computed(year) {
        eprintln!("{year} 年依規定推算（--computed）；有官方辦公日曆表時，一律以官方日曆表為準");
    } else if provisional {
        eprintln!("{}", provisional_line(year));
    }
    Ok(())
}

fn source_of(cal: &Calendar, year: i32) -> String {
    match cal.year_source(year) {
        Some(s) if s.embedded => format!("內建（{}）", printable(&s.name)),
        Some(s) if s.installed => format!("已安裝（{}）", printable(&s.name)),
        Some(s) => printable(&s.name).into_owned(),
        None => "依規定推算".to_string(),
    }
}

/// The year month by month: the count of working days and every day that is not a plain
/// weekend (days off on weekdays, named days, working Saturdays or Sundays).
fn month_list(year: i32, days: &[Day], source: &str, provisional: bool) -> String {
    let mark = if provisional { "（暫定）" } else { "" };
    let mut out = format!("{year} 年（民國 {} 年）政府行政機關辦公日曆表{mark}：{source}\n", year - 1911);
    for month in 1..=12 {
        let in_month: Vec<&Day> = days.iter().filter(|d| d.date.month() == month).collect();
        let working = in_month.iter().filter(|d| d.working).count();
        out.push_str(&format!("{month:>2} 月：工作日 {working} 天\n"));
        for d in in_month {
            let weekend = d.date.weekday().number_from_monday() >= 6;
            if d.note.is_empty() && weekend != d.working {
                continue;
            }
            let what = if d.working { "上班" } else { "放假" };
            let note = if d.note.is_empty() { String::new() } else { format!(" {}", printable(&d.note)) };
            out.push_str(&format!("    {}（{}）{what}{note}\n", d.date.format("%m-%d"), zh::weekday(d.date)));
        }
    }
    out
}

fn add(file: &std::path::Path) -> Result<(), Diagnostics> {
    let dir = installed::calendar_dir().ok_or_else(|| {
        Diagnostic::error("找不到使用者資料夾（未設定 APPDATA、XDG_DATA_HOME 或 HOME）：請設定 PACKET_DATA_DIR")
    })?;
    for (year, path) in installed::install(file, &dir)? {
        eprintln!("已安裝 {year} 年辦公日曆表：{}", printable(&path.display().to_string()));
    }
    Ok(())
}

fn list() -> Result<(), Diagnostics> {
    let cal = load_calendar(&[])?;
    for year in cal.years() {
        println!("{year}  {}", source_of(&cal, year));
    }
    let computed: Vec<i32> = (FIRST_RULES_YEAR..=*COMPUTABLE_YEARS.end()).filter(|y| cal.is_computed(*y)).collect();
    if let (Some(first), Some(last)) = (computed.first(), computed.last()) {
        let all = computed.len() as i32 == last - first + 1;
        let range = if first == last { format!("{first}") } else { format!("{first}–{last}") };
        let gaps = if all { "" } else { "中未有官方日曆表之年份" };
        println!("{range}{gaps}  依規定推算（暫定）");
    }
    match installed::calendar_dir() {
        Some(dir) => println!("安裝位置：{}", printable(&dir.display().to_string())),
        None => println!("安裝位置：無（未設定 APPDATA、XDG_DATA_HOME 或 HOME；可設定 PACKET_DATA_DIR）"),
    }
    Ok(())
}
