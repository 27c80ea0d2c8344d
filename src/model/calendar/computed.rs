//! A provisional office calendar computed from the rules, for years 行政院人事行政總處 has not
//! yet published (it publishes each year's 辦公日曆表 in the middle of the year before).
//!
//! The rules (in force from 2025):
//! - 紀念日及節日實施條例 (2025) fixes the days off: 開國紀念日 1/1, 除夕前一日 (小年夜) and
//!   農曆除夕, 春節 初一–初三, 和平紀念日 2/28, 兒童節 4/4, 民族掃墓節 (清明), 勞動節 5/1,
//!   端午節 (lunar 5/5), 中秋節 (lunar 8/15), 孔子誕辰紀念日/教師節 9/28, 國慶日 10/10,
//!   臺灣光復暨金門古寧頭大捷紀念日 10/25, 行憲紀念日 12/25.
//! - 政府機關配合紀念日與節日補假及調整放假處理要點 (revised by 行政院 114-06-13
//!   院授人培字第1143024631號): a day off on a Saturday is made up (補假) on the working day
//!   before, on a Sunday on the working day after; 除夕 and 春節 days on a weekend are made up
//!   next to the break (as in 2026: on the working days after it). No make-up working
//!   Saturdays (補行上班) any more.
//! - When 兒童節 and 清明 fall on the same day, 兒童節 moves to the day before, or to the
//!   day after when that day is a Thursday (the calendars of 2017–2025 all did so).
//!
//! The lunar dates and the solar term 清明 come from `tyme4rs` (the 壽星天文曆 algorithms,
//! UTC+8, the time zone of Taiwan's 農民曆); the tests check them against every official
//! calendar of 2017–2026.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

use super::{CalendarError, Day};

/// The years a calendar can be computed for: the lunar tables and the rules are meant for
/// these; outside them a year is missing, as before.
pub const COMPUTABLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The first year the current rules (no make-up Saturdays, 除夕前一日 off) apply to: a
/// missing year from this one on is computed; earlier years followed older rules.
pub const FIRST_RULES_YEAR: i32 = 2025;

/// The computed year `year`, day by day (Jan 1 to Dec 31). Computed once per process.
pub fn computed_year(year: i32) -> Result<&'static [Day], CalendarError> {
    static CACHE: OnceLock<Mutex<BTreeMap<i32, &'static [Day]>>> = OnceLock::new();
    if !COMPUTABLE_YEARS.contains(&year) {
        return Err(CalendarError::NotComputable { year });
    }
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(days) = cache.get(&year) {
        return Ok(days);
    }
    // Leaked once per year: at most COMPUTABLE_YEARS' 101 tables of 366 rows per process.
    let days = compute(year).ok_or(CalendarError::NotComputable { year })?;
    let days: &'static [Day] = Box::leak(days.into_boxed_slice());
    cache.insert(year, days);
    Ok(days)
}

/// A day off the statute names, before weekends are made up.
struct Holiday {
    date: NaiveDate,
    name: &'static str,
    /// 除夕前一日 to 初三: weekend days are made up after the whole break.
    spring: bool,
}

/// A date of a computable year (always valid there; `MIN` only outside chrono's range).
fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn solar(day: SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(day.get_year() as i32, day.get_month() as u32, day.get_day() as u32)
}

/// The Gregorian date of lunar `month`/`day` of lunar year `year` (never a leap month), or
/// `None` when the crate cannot say: a year is then not computed, never guessed.
fn lunar(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
    LunarDay::new(year as isize, month, day).ok().and_then(|d| solar(d.get_solar_day()))
}

/// The day of the solar term 清明 in `year`.
pub fn qingming(year: i32) -> Option<NaiveDate> {
    SolarTerm::new(year as isize, "清明").ok().and_then(|t| solar(t.get_solar_day()))
}

/// 春節 (正月初一) of `year`.
pub fn spring_festival(year: i32) -> Option<NaiveDate> {
    lunar(year, 1, 1)
}

/// 端午節 (lunar 5/5) of `year`.
pub fn dragon_boat(year: i32) -> Option<NaiveDate> {
    lunar(year, 5, 5)
}

/// 中秋節 (lunar 8/15) of `year`.
pub fn mid_autumn(year: i32) -> Option<NaiveDate> {
    lunar(year, 8, 15)
}

/// The statute's days off of `year`, plus next year's 開國紀念日 (on a Saturday it is made
/// up on this year's December 31).
fn holidays(year: i32) -> Option<Vec<Holiday>> {
    let fixed = |m, d, name| Holiday { date: ymd(year, m, d), name, spring: false };
    let new_year = spring_festival(year)?;
    let spring = |offset: i64, name| Holiday {
        date: new_year.checked_add_signed(chrono::Duration::days(offset)).unwrap_or(new_year),
        name,
        spring: true,
    };
    let mut out = vec![
        fixed(1, 1, "開國紀念日"),
        spring(-2, "小年夜"),
        spring(-1, "農曆除夕"),
        spring(0, "春節"),
        spring(1, "春節"),
        spring(2, "春節"),
        fixed(2, 28, "和平紀念日"),
    ];
    let children = ymd(year, 4, 4);
    let tomb = qingming(year)?;
    if tomb == children {
        // One day for both, and 兒童節's own day before it (after it on a Thursday).
        out.push(Holiday { date: children, name: "兒童節及清明節", spring: false });
        let moved = if children.weekday() == Weekday::Thu { children.succ_opt() } else { children.pred_opt() };
        out.push(Holiday { date: moved.unwrap_or(children), name: "", spring: false });
    } else {
        out.push(fixed(4, 4, "兒童節"));
        out.push(Holiday { date: tomb, name: "清明節", spring: false });
    }
    out.extend([
        fixed(5, 1, "勞動節"),
        Holiday { date: dragon_boat(year)?, name: "端午節", spring: false },
        Holiday { date: mid_autumn(year)?, name: "中秋節", spring: false },
        fixed(9, 28, "孔子誕辰紀念日/教師節"),
        fixed(10, 10, "國慶日"),
        fixed(10, 25, "臺灣光復暨金門古寧頭大捷紀念日"),
        fixed(12, 25, "行憲紀念日"),
        Holiday { date: ymd(year + 1, 1, 1), name: "開國紀念日", spring: false },
    ]);
    out.sort_by_key(|h| h.date);
    Some(out)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days around `year` (from Dec 1 before to Jan 31 after, so that made-up days cross
/// the year's edges) with their day-off notes.
struct Plan {
    start: NaiveDate,
    /// `None`: a working day; `Some(note)`: a day off.
    off: Vec<Option<&'static str>>,
}

impl Plan {
    fn new(year: i32) -> Self {
        let start = ymd(year - 1, 12, 1);
        let end = ymd(year + 1, 1, 31);
        let len = (end - start).num_days() as usize + 1;
        let off = (0..len)
            .map(|i| start.checked_add_days(Days::new(i as u64)).filter(|d| is_weekend(*d)).map(|_| ""))
            .collect();
        Plan { start, off }
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        usize::try_from((d - self.start).num_days()).ok().filter(|&i| i < self.off.len())
    }

    fn is_off(&self, d: NaiveDate) -> bool {
        self.index(d).is_some_and(|i| self.off[i].is_some())
    }

    /// Marks `d` off with `note`: a holiday's name replaces a weekend's empty note, never
    /// another holiday's name.
    fn set_off(&mut self, d: NaiveDate, note: &'static str) {
        if let Some(i) = self.index(d) {
            match self.off[i] {
                Some(existing) if !existing.is_empty() => {}
                _ => self.off[i] = Some(note),
            }
        }
    }

    /// The first working day from `d` (exclusive) stepping `forward` or back, marked 補假.
    fn make_up(&mut self, d: NaiveDate, forward: bool) {
        let mut day = d;
        for _ in 0..self.off.len() {
            let next = if forward { day.succ_opt() } else { day.pred_opt() };
            let Some(next) = next else { return };
            day = next;
            if self.index(day).is_none() {
                return;
            }
            if !self.is_off(day) {
                self.set_off(day, "補假");
                return;
            }
        }
    }
}

fn compute(year: i32) -> Option<Vec<Day>> {
    let hols = holidays(year)?;
    let mut plan = Plan::new(year);
    // Every holiday first, so that a made-up day never lands on another holiday.
    for h in &hols {
        match h.name {
            // 兒童節 moved onto a weekend: made up like any weekend holiday, below.
            "" if is_weekend(h.date) => {}
            "" => plan.set_off(h.date, "補假"),
            name => plan.set_off(h.date, name),
        }
    }
    let spring_end = hols.iter().filter(|h| h.spring).map(|h| h.date).max();
    let spring_weekend_days = hols.iter().filter(|h| h.spring && is_weekend(h.date)).count();
    for h in hols.iter().filter(|h| !h.spring) {
        match h.date.weekday() {
            Weekday::Sat => plan.make_up(h.date, false),
            Weekday::Sun => plan.make_up(h.date, true),
            _ => {}
        }
    }
    if let Some(end) = spring_end {
        for _ in 0..spring_weekend_days {
            plan.make_up(end, true);
        }
    }
    let first = ymd(year, 1, 1);
    let last = ymd(year, 12, 31);
    let days = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| {
            let off = plan.index(date).and_then(|i| plan.off[i]);
            Day { date, working: off.is_none(), note: off.unwrap_or("").to_string() }
        })
        .collect();
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lunar_dates_of_2026_are_those_of_the_official_calendar() {
        assert_eq!(spring_festival(2026), Some(ymd(2026, 2, 17)));
        assert_eq!(dragon_boat(2026), Some(ymd(2026, 6, 19)));
        assert_eq!(mid_autumn(2026), Some(ymd(2026, 9, 25)));
        assert_eq!(qingming(2026), Some(ymd(2026, 4, 5)));
    }

    #[test]
    fn a_saturday_new_year_is_made_up_on_the_last_day_before() {
        // 2028-01-01 is a Saturday: 2027-12-31 (Friday) is its 補假.
        let days = computed_year(2027).unwrap();
        let last = days.last().unwrap();
        assert_eq!((last.date, last.working, last.note.as_str()), (ymd(2027, 12, 31), false, "補假"));
    }

    #[test]
    fn out_of_range_years_are_refused() {
        assert!(matches!(computed_year(1999), Err(CalendarError::NotComputable { year: 1999 })));
        assert!(matches!(computed_year(2101), Err(CalendarError::NotComputable { year: 2101 })));
    }
}
