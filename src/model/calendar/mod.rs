//! Working days from the official office calendar (政府行政機關辦公日曆表) and the meeting
//! deadlines derived from them.
//!
//! Working days come from the calendar published by 行政院人事行政總處 (data.gov.tw
//! dataset 14718): a day is a working day when its row says `是否放假` = `0`. Nothing here
//! ever falls back to weekdays. A year not yet published can be computed from the rules
//! ([`computed`], [`Calendar::with_computed_years`]): such a year is provisional (暫定), and
//! every deadline that counts a day of it says so ([`Deadlines::provisional`]).
//!
//! Years 2017–2026 are compiled in ([`Calendar::embedded`]); 2025 is the revised edition.
//! Users may load further or newer files with [`Calendar::load_csv`] (UTF-8 with or without
//! BOM, or Big5), which replaces whole years, or install them once ([`installed`]).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

pub mod computed;
mod csv;
pub mod installed;
pub use csv::to_csv;
use csv::{decode, parse_rows};

/// The embedded calendar files, `(file name, contents)`, one per year 2017–2026.
/// `2025.csv` is the revised 2025 edition (with 2025-09-29, 2025-10-24 and 2025-12-25 off).
pub const EMBEDDED_CSV: [(&str, &str); 10] = [
    ("2017.csv", include_str!("../../../calendar/2017.csv")),
    ("2018.csv", include_str!("../../../calendar/2018.csv")),
    ("2019.csv", include_str!("../../../calendar/2019.csv")),
    ("2020.csv", include_str!("../../../calendar/2020.csv")),
    ("2021.csv", include_str!("../../../calendar/2021.csv")),
    ("2022.csv", include_str!("../../../calendar/2022.csv")),
    ("2023.csv", include_str!("../../../calendar/2023.csv")),
    ("2024.csv", include_str!("../../../calendar/2024.csv")),
    ("2025.csv", include_str!("../../../calendar/2025.csv")),
    ("2026.csv", include_str!("../../../calendar/2026.csv")),
];

/// The 2025 calendar as first published, before the 2025 revision added three days off
/// (in it 2025-09-29, 2025-10-24 and 2025-12-25 are working days). Not loaded by
/// [`Calendar::embedded`]; load it with [`Calendar::load_csv`] to reproduce old deadlines.
pub const CSV_2025_FIRST_EDITION: (&str, &str) =
    ("2025-first-edition.csv", include_str!("../../../calendar/2025-first-edition.csv"));

/// Errors of calendar loading and working-day arithmetic. Messages are in Traditional Chinese
/// and meant to be shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The calendar has no table for `year`.
    #[error(
        "日曆表缺少 {year} 年：請自行政院人事行政總處下載該年「政府行政機關辦公日曆表」CSV\
         （data.gov.tw 資料集 14718），以 packet calendar add FILE 安裝，或以 --calendar FILE 提供"
    )]
    MissingYear { year: i32 },

    /// `year` is outside the years a calendar can be computed for.
    #[error("無法推算 {year} 年的辦公日曆表：僅能推算 2000 至 2100 年")]
    NotComputable { year: i32 },

    /// The file is UTF-16 (with a byte-order mark, or recognised by its NUL bytes).
    #[error("{source_name}：偵測到 UTF-16 編碼{how}，無法讀取；請將檔案另存為 UTF-8 或 Big5 編碼的 CSV 後再提供")]
    Utf16 { source_name: String, how: &'static str },

    /// The file is an Excel workbook (a ZIP archive), not a CSV text file.
    #[error("{source_name}：這是 Excel 活頁簿（.xlsx）而非 CSV 文字檔；請另存為 CSV（UTF-8）後再提供")]
    Workbook { source_name: String },

    /// The bytes are neither valid UTF-8 nor valid Big5.
    #[error(
        "{source_name}：無法辨識檔案編碼（既不是有效的 UTF-8，也不是有效的 Big5）；請另存為 UTF-8 或 Big5 編碼的 CSV"
    )]
    UnknownEncoding { source_name: String },

    /// A problem with one line of the file (1-based line number).
    #[error("{source_name} 第 {line} 行：{reason}")]
    Row { source_name: String, line: u64, reason: String },

    /// A problem with the file as a whole.
    #[error("{source_name}：{reason}")]
    File { source_name: String, reason: String },

    /// A count of working days must be at least 1.
    #[error("工作日數必須至少為 1（{what}為 0）")]
    ZeroDays { what: &'static str },
}

/// The text encoding a calendar file was read in (UTF-8, with or without BOM, or Big5).
pub use crate::text::encoding::Encoding as TextEncoding;

/// Where a year's table came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSource {
    /// The `source_name` given to [`Calendar::load_csv`] (a file name for embedded years).
    pub name: String,
    /// The encoding the file was read in.
    pub encoding: TextEncoding,
    /// Whether the year is one of the compiled-in tables.
    pub embedded: bool,
    /// Whether the year was installed with `packet calendar add` ([`installed`]).
    pub installed: bool,
}

/// One row of the office calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// `是否放假` = `0`.
    pub working: bool,
    /// `備註`: holiday name, `補假`, `補行上班`, or empty.
    pub note: String,
}

#[derive(Debug, Clone)]
struct YearTable {
    /// Indexed by `ordinal0()`; always complete (Jan 1 to Dec 31).
    days: Vec<Day>,
    source: YearSource,
}

/// Per-year day tables of the office calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearTable>,
    /// Years it lacks from [`computed::FIRST_RULES_YEAR`] on are computed (provisional).
    compute_missing: bool,
}

impl Calendar {
    /// An empty calendar (every date is in a missing year).
    pub fn new() -> Self {
        Self::default()
    }

    /// The compiled-in calendar, 2017–2026, with the revised 2025 edition. Parsed once
    /// per process (a series build checks every meeting against it).
    pub fn embedded() -> Self {
        static EMBEDDED: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(Self::parse_embedded).clone()
    }

    fn parse_embedded() -> Self {
        let mut cal = Self::new();
        for (name, text) in EMBEDDED_CSV {
            let years = cal
                .load_csv(text.as_bytes(), name)
                .unwrap_or_else(|e| panic!("embedded calendar {name} is invalid: {e}"));
            for y in years {
                if let Some(t) = cal.years.get_mut(&y) {
                    t.source.embedded = true;
                }
            }
        }
        cal
    }

    /// Reads an office-calendar CSV (`西元日期,星期,是否放假,備註`) and replaces or adds the
    /// whole years it covers. Returns those years in ascending order.
    ///
    /// Encoding: valid UTF-8 (with or without BOM) is read as UTF-8, anything else must be
    /// valid Big5; UTF-16 and Excel workbooks are refused with a message saying so.
    /// The rows must cover complete years (January 1 to December 31) day by day with no gaps
    /// or duplicates; `是否放假` must be `0` or `2`; `星期`, when present, must match the date.
    /// On any error the calendar is left unchanged.
    pub fn load_csv(&mut self, bytes: &[u8], source_name: &str) -> Result<Vec<i32>, CalendarError> {
        let (text, encoding) = decode(bytes, source_name)?;
        let days = parse_rows(&text, source_name)?;
        let mut by_year: BTreeMap<i32, Vec<Day>> = BTreeMap::new();
        for day in days {
            by_year.entry(day.date.year()).or_default().push(day);
        }
        let years: Vec<i32> = by_year.keys().copied().collect();
        for (year, days) in by_year {
            let source = YearSource { name: source_name.to_string(), encoding, embedded: false, installed: false };
            self.years.insert(year, YearTable { days, source });
        }
        Ok(years)
    }

    /// The years this calendar knows from official files, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// This calendar, computing the years it lacks from [`computed::FIRST_RULES_YEAR`] to the
    /// end of [`computed::COMPUTABLE_YEARS`] (provisional years). Earlier missing years stay
    /// missing: they followed older rules.
    pub fn with_computed_years(mut self) -> Self {
        self.compute_missing = true;
        self
    }

    /// Whether `year` is computed here (no official table, and computation allowed).
    pub fn is_computed(&self, year: i32) -> bool {
        self.compute_missing
            && !self.years.contains_key(&year)
            && year >= computed::FIRST_RULES_YEAR
            && computed::COMPUTABLE_YEARS.contains(&year)
    }

    /// Marks every year now loaded as installed with `packet calendar add`.
    pub(crate) fn mark_installed(&mut self, years: &[i32]) {
        for y in years {
            if let Some(t) = self.years.get_mut(y) {
                t.source.installed = true;
            }
        }
    }

    /// The days of `year`, January 1 to December 31: the official table, else computed.
    pub fn year_days(&self, year: i32) -> Result<&[Day], CalendarError> {
        if let Some(t) = self.years.get(&year) {
            return Ok(&t.days);
        }
        if self.is_computed(year) {
            return computed::computed_year(year);
        }
        Err(CalendarError::MissingYear { year })
    }

    /// Where the table of `year` came from.
    pub fn year_source(&self, year: i32) -> Option<&YearSource> {
        self.years.get(&year).map(|t| &t.source)
    }

    /// The calendar row of `date`.
    pub fn day(&self, date: NaiveDate) -> Result<&Day, CalendarError> {
        let days = self.year_days(date.year())?;
        days.get(date.ordinal0() as usize).ok_or(CalendarError::MissingYear { year: date.year() })
    }

    /// Whether `date` is an office working day (`是否放假` = `0`).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.day(date).map(|d| d.working)
    }

    /// The `n`-th working day before `date`, counting back from the day before
    /// (`date` itself never counts). `n` must be at least 1.
    pub fn nth_working_day_before(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.walk(date, n, Step::Back)
    }

    /// The `n`-th working day after `date` (`date` itself never counts). `n` must be at
    /// least 1.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.walk(date, n, Step::Forward)
    }

    fn walk(&self, date: NaiveDate, n: u32, step: Step) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Err(CalendarError::ZeroDays { what: "要計算的工作日數" });
        }
        let mut day = date;
        let mut left = n;
        loop {
            let next = match step {
                Step::Back => day.checked_sub_days(Days::new(1)),
                Step::Forward => day.checked_add_days(Days::new(1)),
            };
            day = next.ok_or(CalendarError::MissingYear { year: day.year() })?;
            if self.is_working_day(day)? {
                left -= 1;
                if left == 0 {
                    return Ok(day);
                }
            }
        }
    }

    /// The deadlines of a meeting held on `meeting_date`.
    pub fn deadlines(&self, meeting_date: NaiveDate, rules: &DeadlineRules) -> Result<Deadlines, CalendarError> {
        // The meeting day's own year must be known even when no count touches the day itself.
        self.day(meeting_date)?;
        let checked = |n: u32, what: &'static str| {
            if n == 0 { Err(CalendarError::ZeroDays { what }) } else { Ok(n) }
        };
        let materials = checked(rules.materials_days, "會議資料送達期限的工作日數")?;
        let draft = checked(rules.draft_minutes_days, "會議紀錄草稿期限的工作日數")?;
        let publication = checked(rules.publication_days, "開放期限的工作日數")?;
        let materials_due = self.nth_working_day_before(meeting_date, materials)?;
        let draft_minutes_due = self.nth_working_day_after(meeting_date, draft)?;
        let publication_due = self.nth_working_day_after(meeting_date, publication)?;
        // A date is provisional when any day counted to reach it is in a computed year.
        let spans = |a: NaiveDate, b: NaiveDate| a.year().min(b.year())..=a.year().max(b.year());
        let computed = |a, b| spans(a, b).any(|y| self.is_computed(y));
        let provisional = Provisional {
            meeting_date: self.is_computed(meeting_date.year()),
            materials_due: computed(materials_due, meeting_date),
            draft_minutes_due: computed(meeting_date, draft_minutes_due),
            publication_due: computed(meeting_date, publication_due),
        };
        let provisional_years = spans(materials_due, publication_due).filter(|y| self.is_computed(*y)).collect();
        Ok(Deadlines {
            meeting_date,
            materials_due,
            draft_minutes_due,
            publication_due,
            provisional,
            provisional_years,
            rules: *rules,
        })
    }
}

/// Which of a meeting's dates were counted on a computed (provisional, 暫定) year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Provisional {
    pub meeting_date: bool,
    pub materials_due: bool,
    pub draft_minutes_due: bool,
    pub publication_due: bool,
}

impl Provisional {
    /// Whether any date is provisional.
    pub fn any(&self) -> bool {
        self.meeting_date || self.materials_due || self.draft_minutes_due || self.publication_due
    }
}

#[derive(Clone, Copy)]
enum Step {
    Back,
    Forward,
}

/// How many working days each deadline lies from the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeadlineRules {
    /// Materials reach members at least this many working days before (guideline: 5).
    pub materials_days: u32,
    /// Draft minutes and full materials within this many working days after (guideline: 10;
    /// DGBAS's own rule: 8).
    pub draft_minutes_days: u32,
    /// Publication on data.gov.tw within this many working days after (14).
    pub publication_days: u32,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        Self { materials_days: 5, draft_minutes_days: 10, publication_days: 14 }
    }
}

/// A meeting's deadlines. Serialises as
/// `{"meeting_date":"2024-04-29","materials_due":"2024-04-22","draft_minutes_due":…,"publication_due":…,
/// "provisional":{"meeting_date":false,…},"provisional_years":[]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    #[serde(serialize_with = "serialize_date")]
    pub meeting_date: NaiveDate,
    /// The `materials_days`-th working day before the meeting.
    #[serde(serialize_with = "serialize_date")]
    pub materials_due: NaiveDate,
    /// The `draft_minutes_days`-th working day after the meeting.
    #[serde(serialize_with = "serialize_date")]
    pub draft_minutes_due: NaiveDate,
    /// The `publication_days`-th working day after the meeting.
    #[serde(serialize_with = "serialize_date")]
    pub publication_due: NaiveDate,
    /// Which dates were counted on a computed year (暫定): the official calendar of those
    /// years is not yet installed.
    pub provisional: Provisional,
    /// The computed years the dates were counted on, ascending (empty when none).
    pub provisional_years: Vec<i32>,
    /// The rules the dates were computed with (used by the human-readable table; not
    /// serialised).
    #[serde(skip)]
    pub rules: DeadlineRules,
}

fn serialize_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_kinds() {
        assert_eq!(decode(b"\xEF\xBB\xBFa", "f").unwrap().1, TextEncoding::Utf8Bom);
        assert_eq!(decode(b"a", "f").unwrap().1, TextEncoding::Utf8);
        // 「日」 in Big5 is 0xA4 0xE9 — invalid UTF-8.
        let (text, enc) = decode(b"\xA4\xE9", "f").unwrap();
        assert_eq!((text.as_ref(), enc), ("日", TextEncoding::Big5));
        assert!(matches!(decode(b"PK\x03\x04..", "f"), Err(CalendarError::Workbook { .. })));
        assert!(matches!(decode(b"\xFF\xFF\xFF", "f"), Err(CalendarError::UnknownEncoding { .. })));
    }
}
