//! Working days from the official office calendar (政府行政機關辦公日曆表) and the meeting
//! deadlines derived from them.
//!
//! Working days come only from the calendar published by 行政院人事行政總處 (data.gov.tw
//! dataset 14718): a day is a working day when its row says `是否放假` = `0`. Nothing here
//! ever falls back to weekdays; a date in a year the calendar lacks is an error that says how
//! to supply that year's file.
//!
//! Years 2017–2026 are compiled in ([`Calendar::embedded`]); 2025 is the revised edition.
//! Users may load further or newer files with [`Calendar::load_csv`] (UTF-8 with or without
//! BOM, or Big5), which replaces whole years.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

/// The embedded calendar files, `(file name, contents)`, one per year 2017–2026.
/// `2025.csv` is the revised 2025 edition (with 2025-09-29, 2025-10-24 and 2025-12-25 off).
pub const EMBEDDED_CSV: [(&str, &str); 10] = [
    ("2017.csv", include_str!("../calendar/2017.csv")),
    ("2018.csv", include_str!("../calendar/2018.csv")),
    ("2019.csv", include_str!("../calendar/2019.csv")),
    ("2020.csv", include_str!("../calendar/2020.csv")),
    ("2021.csv", include_str!("../calendar/2021.csv")),
    ("2022.csv", include_str!("../calendar/2022.csv")),
    ("2023.csv", include_str!("../calendar/2023.csv")),
    ("2024.csv", include_str!("../calendar/2024.csv")),
    ("2025.csv", include_str!("../calendar/2025.csv")),
    ("2026.csv", include_str!("../calendar/2026.csv")),
];

/// The 2025 calendar as first published, before the 2025 revision added three days off
/// (in it 2025-09-29, 2025-10-24 and 2025-12-25 are working days). Not loaded by
/// [`Calendar::embedded`]; load it with [`Calendar::load_csv`] to reproduce old deadlines.
pub const CSV_2025_FIRST_EDITION: (&str, &str) = (
    "2025-first-edition.csv",
    include_str!("../calendar/2025-first-edition.csv"),
);

/// Errors of calendar loading and working-day arithmetic. Messages are in Traditional Chinese
/// and meant to be shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The calendar has no table for `year`.
    #[error(
        "日曆表缺少 {year} 年：請自行政院人事行政總處下載該年「政府行政機關辦公日曆表」CSV\
         （data.gov.tw 資料集 14718），以 --calendar FILE 提供"
    )]
    MissingYear { year: i32 },

    /// The file is UTF-16 (with a byte-order mark, or recognised by its NUL bytes).
    #[error(
        "{source_name}：偵測到 UTF-16 編碼{how}，無法讀取；請將檔案另存為 UTF-8 或 Big5 編碼的 CSV 後再提供"
    )]
    Utf16 {
        source_name: String,
        how: &'static str,
    },

    /// The file is an Excel workbook (a ZIP archive), not a CSV text file.
    #[error(
        "{source_name}：這是 Excel 活頁簿（.xlsx）而非 CSV 文字檔；請另存為 CSV（UTF-8）後再提供"
    )]
    Workbook { source_name: String },

    /// The bytes are neither valid UTF-8 nor valid Big5.
    #[error(
        "{source_name}：無法辨識檔案編碼（既不是有效的 UTF-8，也不是有效的 Big5）；請另存為 UTF-8 或 Big5 編碼的 CSV"
    )]
    UnknownEncoding { source_name: String },

    /// A problem with one line of the file (1-based line number).
    #[error("{source_name} 第 {line} 行：{reason}")]
    Row {
        source_name: String,
        line: u64,
        reason: String,
    },

    /// A problem with the file as a whole.
    #[error("{source_name}：{reason}")]
    File { source_name: String, reason: String },

    /// A count of working days must be at least 1.
    #[error("工作日數必須至少為 1（{what}為 0）")]
    ZeroDays { what: &'static str },
}

/// The text encoding a calendar file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    /// UTF-8 with a byte-order mark (as the agency publishes).
    Utf8Bom,
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// Big5 (as some of the agency's revisions are published).
    Big5,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8Bom => "UTF-8（含 BOM）",
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Big5 => "Big5",
        })
    }
}

/// Where a year's table came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSource {
    /// The `source_name` given to [`Calendar::load_csv`] (a file name for embedded years).
    pub name: String,
    /// The encoding the file was read in.
    pub encoding: TextEncoding,
    /// Whether the year is one of the compiled-in tables.
    pub embedded: bool,
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
            let source = YearSource {
                name: source_name.to_string(),
                encoding,
                embedded: false,
            };
            self.years.insert(year, YearTable { days, source });
        }
        Ok(years)
    }

    /// The years this calendar knows, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Where the table of `year` came from.
    pub fn year_source(&self, year: i32) -> Option<&YearSource> {
        self.years.get(&year).map(|t| &t.source)
    }

    /// The calendar row of `date`.
    pub fn day(&self, date: NaiveDate) -> Result<&Day, CalendarError> {
        let table = self
            .years
            .get(&date.year())
            .ok_or(CalendarError::MissingYear { year: date.year() })?;
        Ok(&table.days[date.ordinal0() as usize])
    }

    /// Whether `date` is an office working day (`是否放假` = `0`).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.day(date).map(|d| d.working)
    }

    /// The `n`-th working day before `date`, counting back from the day before
    /// (`date` itself never counts). `n` must be at least 1.
    pub fn nth_working_day_before(
        &self,
        date: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        self.walk(date, n, Step::Back)
    }

    /// The `n`-th working day after `date` (`date` itself never counts). `n` must be at
    /// least 1.
    pub fn nth_working_day_after(
        &self,
        date: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        self.walk(date, n, Step::Forward)
    }

    fn walk(&self, date: NaiveDate, n: u32, step: Step) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Err(CalendarError::ZeroDays {
                what: "要計算的工作日數",
            });
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
    pub fn deadlines(
        &self,
        meeting_date: NaiveDate,
        rules: &DeadlineRules,
    ) -> Result<Deadlines, CalendarError> {
        // The meeting day's own year must be known even when no count touches the day itself.
        self.day(meeting_date)?;
        let checked = |n: u32, what: &'static str| {
            if n == 0 {
                Err(CalendarError::ZeroDays { what })
            } else {
                Ok(n)
            }
        };
        let materials = checked(rules.materials_days, "會議資料送達期限的工作日數")?;
        let draft = checked(rules.draft_minutes_days, "會議紀錄草稿期限的工作日數")?;
        let publication = checked(rules.publication_days, "開放期限的工作日數")?;
        Ok(Deadlines {
            meeting_date,
            materials_due: self.nth_working_day_before(meeting_date, materials)?,
            draft_minutes_due: self.nth_working_day_after(meeting_date, draft)?,
            publication_due: self.nth_working_day_after(meeting_date, publication)?,
            rules: *rules,
        })
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
        Self {
            materials_days: 5,
            draft_minutes_days: 10,
            publication_days: 14,
        }
    }
}

/// A meeting's deadlines. Serialises as
/// `{"meeting_date":"2024-04-29","materials_due":"2024-04-22","draft_minutes_due":…,"publication_due":…}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// The rules the dates were computed with (used by the human-readable table; not
    /// serialised).
    #[serde(skip)]
    pub rules: DeadlineRules,
}

fn serialize_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

// ---------------------------------------------------------------------------------------
// Reading the CSV

fn decode<'a>(
    bytes: &'a [u8],
    source_name: &str,
) -> Result<(std::borrow::Cow<'a, str>, TextEncoding), CalendarError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CalendarError::Utf16 {
            source_name: source_name.to_string(),
            how: "（檔首有 UTF-16 位元組順序記號）",
        });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(CalendarError::Workbook {
            source_name: source_name.to_string(),
        });
    }
    if bytes.contains(&0) {
        // No text CSV contains NUL bytes; UTF-16 without a BOM has one in every ASCII character.
        return Err(CalendarError::Utf16 {
            source_name: source_name.to_string(),
            how: "（檔案含 NUL 位元組，應為無 BOM 的 UTF-16）",
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.into(), TextEncoding::Utf8Bom)),
            Err(_) => Err(CalendarError::UnknownEncoding {
                source_name: source_name.to_string(),
            }),
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.into(), TextEncoding::Utf8));
    }
    match encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s, TextEncoding::Big5)),
        None => Err(CalendarError::UnknownEncoding {
            source_name: source_name.to_string(),
        }),
    }
}

struct Columns {
    date: usize,
    weekday: Option<usize>,
    flag: usize,
    note: Option<usize>,
}

const HEADER: &str = "西元日期,星期,是否放假,備註";

fn parse_rows(text: &str, source_name: &str) -> Result<Vec<Day>, CalendarError> {
    let row_err = |line: u64, reason: String| CalendarError::Row {
        source_name: source_name.to_string(),
        line,
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());

    let mut lines = LineCounter::new(text);
    let mut columns: Option<Columns> = None;
    let mut days: Vec<Day> = Vec::new();
    let mut last_line = 0;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                return Err(row_err(line, format!("CSV 格式錯誤：{e}")));
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if columns.is_none() {
            let first = record.get(0).unwrap_or("");
            if is_yyyymmdd(first) {
                // No header row: the published column order.
                columns = Some(Columns {
                    date: 0,
                    weekday: Some(1),
                    flag: 2,
                    note: Some(3),
                });
            } else {
                let find = |name: &str| record.iter().position(|f| f == name);
                let (Some(date), Some(flag)) = (find("西元日期"), find("是否放假")) else {
                    return Err(row_err(
                        line,
                        format!(
                            "找不到標題列「{HEADER}」（至少需要「西元日期」與「是否放假」兩欄）"
                        ),
                    ));
                };
                columns = Some(Columns {
                    date,
                    weekday: find("星期"),
                    flag,
                    note: find("備註"),
                });
                continue;
            }
        }
        let Some(cols) = columns.as_ref() else {
            unreachable!("columns are set above");
        };

        let field = |i: usize| record.get(i).unwrap_or("");
        let date_text = field(cols.date);
        if date_text.is_empty() {
            return Err(row_err(line, "缺少「西元日期」".to_string()));
        }
        if !is_yyyymmdd(date_text) {
            return Err(row_err(
                line,
                format!("西元日期「{date_text}」不是 8 位數字的日期（YYYYMMDD）"),
            ));
        }
        let date = NaiveDate::parse_from_str(date_text, "%Y%m%d")
            .map_err(|_| row_err(line, format!("西元日期「{date_text}」不是存在的日期")))?;
        let working = match field(cols.flag) {
            "0" => true,
            "2" => false,
            other => {
                return Err(row_err(
                    line,
                    format!("是否放假應為 0（上班）或 2（放假），此列為「{other}」"),
                ));
            }
        };
        if let Some(w) = cols.weekday.map(field).filter(|w| !w.is_empty()) {
            let w = w.trim_start_matches("星期").trim_start_matches('週');
            let expected = weekday_zh(date);
            if w != expected && !(expected == "日" && w == "天") {
                return Err(row_err(
                    line,
                    format!("{date_text} 應為星期{expected}，此列星期欄為「{w}」"),
                ));
            }
        }
        let note = cols.note.map(field).unwrap_or("").to_string();

        match days.last() {
            None => {
                if date.ordinal() != 1 {
                    return Err(row_err(
                        line,
                        format!(
                            "第一筆資料是 {}，但日曆表須從 1 月 1 日開始涵蓋全年（{}）",
                            ymd(date),
                            missing(first_of_year(date), date.pred_opt().unwrap_or(date)),
                        ),
                    ));
                }
            }
            Some(prev) => {
                let expected = prev.date.succ_opt();
                if Some(date) != expected {
                    let reason = if date == prev.date {
                        format!("日期 {} 重複", ymd(date))
                    } else if date < prev.date {
                        format!("日期 {} 排在 {} 之後，順序錯誤", ymd(date), ymd(prev.date))
                    } else {
                        format!(
                            "日期不連續：前一筆是 {}，此列是 {}（{}）",
                            ymd(prev.date),
                            ymd(date),
                            missing(expected.unwrap_or(date), date.pred_opt().unwrap_or(date)),
                        )
                    };
                    return Err(row_err(line, reason));
                }
            }
        }
        days.push(Day {
            date,
            working,
            note,
        });
        last_line = line;
    }

    let Some(last) = days.last() else {
        return Err(CalendarError::File {
            source_name: source_name.to_string(),
            reason: format!("沒有任何日期資料（應為「{HEADER}」格式的辦公日曆表）"),
        });
    };
    if last
        .date
        .succ_opt()
        .is_none_or(|next| next.year() == last.date.year())
    {
        let last_of_year = NaiveDate::from_ymd_opt(last.date.year(), 12, 31).unwrap_or(last.date);
        return Err(row_err(
            last_line,
            format!(
                "資料在 {} 結束，但日曆表須涵蓋全年至 12 月 31 日（{}）",
                ymd(last.date),
                missing(last.date.succ_opt().unwrap_or(last.date), last_of_year),
            ),
        ));
    }
    Ok(days)
}

/// Line numbers of the records the csv reader reports, counted on from the previous
/// record (counting from the start of the file for every row made loading quadratic).
struct LineCounter<'a> {
    text: &'a [u8],
    /// Bytes counted so far, and the newlines among them.
    end: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter { text: text.as_bytes(), end: 0, newlines: 0 }
    }

    /// The 1-based line of the record the csv reader says starts at `byte`. (The
    /// reader's own line count is wrong for CRLF files, and after a CRLF it reports the
    /// offset of the `\n`, so the byte at `byte` is counted too.)
    fn line_at(&mut self, byte: u64) -> u64 {
        let end = usize::try_from(byte).map_or(self.text.len(), |b| (b + 1).min(self.text.len()));
        if end < self.end {
            // Offsets come in order; should one not, count again from the start.
            (self.end, self.newlines) = (0, 0);
        }
        self.newlines += self.text[self.end..end].iter().filter(|&&b| b == b'\n').count() as u64;
        self.end = end;
        1 + self.newlines
    }
}

fn is_yyyymmdd(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

fn first_of_year(d: NaiveDate) -> NaiveDate {
    d.with_ordinal(1).unwrap_or(d)
}

/// `缺少 2024-03-05` or `缺少 2024-03-05 至 2024-03-07`.
fn missing(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        format!("缺少 {}", ymd(from))
    } else {
        format!("缺少 {} 至 {}", ymd(from), ymd(to))
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

// ---------------------------------------------------------------------------------------
// Dates in Taiwanese forms

/// `一` … `日` for Monday … Sunday.
pub fn weekday_zh(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "一",
        Weekday::Tue => "二",
        Weekday::Wed => "三",
        Weekday::Thu => "四",
        Weekday::Fri => "五",
        Weekday::Sat => "六",
        Weekday::Sun => "日",
    }
}

/// `113 年 4 月 29 日（星期一）` (民國 year = Gregorian − 1911; dates before 1912 are written
/// `民國前 N 年 …`).
pub fn roc_date(d: NaiveDate) -> String {
    let roc = d.year() - 1911;
    let year = if roc >= 1 {
        format!("{roc} 年")
    } else {
        format!("民國前 {} 年", 1 - roc)
    };
    format!(
        "{year} {} 月 {} 日（星期{}）",
        d.month(),
        d.day(),
        weekday_zh(d)
    )
}

/// Parses a date written in one of the usual Taiwanese ways:
///
/// - Gregorian: `2024-04-29`, `20240429`, `2024/4/29`, `2024.4.29`, `2024年4月29日`
/// - ROC (民國 = Gregorian − 1911, year ≥ 1): `113-04-29`, `113/4/29`, `113.4.29`,
///   `1130429`, `113年4月29日`, `民國113年4月29日`, `113 年 4 月 29 日（星期一）`
///
/// A year of four digits is Gregorian, one to three digits ROC (`民國` forces ROC, `西元`
/// Gregorian). Full-width digits and separators are accepted, as is a trailing weekday
/// `（星期一）` / `(一)`, which must then match the date. Impossible dates (`113-02-30`),
/// ROC year 0 or negative years give `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let normalized: String = s
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '－' | '‐' | '‑' | '–' => Some('-'),
            '／' => Some('/'),
            '．' => Some('.'),
            '（' => Some('('),
            '）' => Some(')'),
            c if c.is_whitespace() => None,
            c => Some(c),
        })
        .collect();
    let (core, weekday) = split_weekday(&normalized)?;
    let date = parse_core(core)?;
    match weekday {
        Some(w) if w != weekday_zh(date) => None,
        _ => Some(date),
    }
}

/// Splits a trailing `(星期一)` / `(週一)` / `(一)` / `星期一` off (whitespace already removed).
/// `None` when a parenthesised suffix is not a weekday.
fn split_weekday(s: &str) -> Option<(&str, Option<&str>)> {
    const DAYS: [&str; 8] = ["一", "二", "三", "四", "五", "六", "日", "天"];
    let norm = |w: &'static str| if w == "天" { "日" } else { w };
    if let Some(inner_start) = s.rfind('(') {
        let inner = s[inner_start + 1..].strip_suffix(')')?;
        let w = inner
            .strip_prefix("星期")
            .or_else(|| inner.strip_prefix('週'))
            .or_else(|| inner.strip_prefix('周'))
            .unwrap_or(inner);
        let w = DAYS.iter().copied().find(|d| *d == w)?;
        return Some((&s[..inner_start], Some(norm(w))));
    }
    for prefix in ["星期", "週", "周"] {
        for d in DAYS {
            if let Some(core) = s.strip_suffix(d).and_then(|r| r.strip_suffix(prefix)) {
                return Some((core, Some(norm(d))));
            }
        }
    }
    Some((s, None))
}

#[derive(Clone, Copy, PartialEq)]
enum Era {
    Auto,
    Roc,
    Gregorian,
}

fn parse_core(s: &str) -> Option<NaiveDate> {
    let (era, s) = if let Some(rest) = s.strip_prefix("民國") {
        (Era::Roc, rest)
    } else if let Some(rest) = s.strip_prefix("西元") {
        (Era::Gregorian, rest)
    } else {
        (Era::Auto, s)
    };
    let (y, m, d): (&str, &str, &str) = if s.contains('年') {
        let (y, rest) = s.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        let d = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('號'))?;
        (y, m, d)
    } else if s.bytes().all(|b| b.is_ascii_digit()) {
        match s.len() {
            8 => (&s[..4], &s[4..6], &s[6..]),
            7 => (&s[..3], &s[3..5], &s[5..]),
            _ => return None,
        }
    } else {
        let sep = s.chars().find(|c| !c.is_ascii_digit())?;
        if !matches!(sep, '-' | '/' | '.') {
            return None;
        }
        let mut parts = s.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let number = |t: &str, max_len: usize| -> Option<u32> {
        if t.is_empty() || t.len() > max_len || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let year = number(y, 4)?;
    let (month, day) = (number(m, 2)?, number(d, 2)?);
    let roc = match era {
        Era::Roc => true,
        Era::Gregorian => false,
        Era::Auto => y.len() <= 3,
    };
    if year == 0 {
        return None;
    }
    let gregorian = if roc { year + 1911 } else { year };
    NaiveDate::from_ymd_opt(i32::try_from(gregorian).ok()?, month, day)
}

// ---------------------------------------------------------------------------------------
// Human-readable table

/// The deadlines as a small table in Traditional Chinese: each date in ROC and Gregorian form
/// with its weekday, and the working-day count it was computed with.
pub fn format_deadlines_human(d: &Deadlines) -> String {
    let r = &d.rules;
    let rows = [
        ("會議日期", String::new(), d.meeting_date),
        (
            "會議資料送達委員",
            format!("會前第 {} 個工作日", r.materials_days),
            d.materials_due,
        ),
        (
            "會議紀錄草稿送達委員",
            format!("會後第 {} 個工作日", r.draft_minutes_days),
            d.draft_minutes_due,
        ),
        (
            "開放於政府資料開放平臺",
            format!("會後第 {} 個工作日", r.publication_days),
            d.publication_due,
        ),
    ];
    let table: Vec<[String; 4]> = std::iter::once([
        "項目".to_string(),
        "期限".to_string(),
        "民國日期".to_string(),
        "西元日期".to_string(),
    ])
    .chain(rows.iter().map(|(label, rule, date)| {
        [
            label.to_string(),
            rule.clone(),
            roc_date(*date),
            format!("{}（{}）", ymd(*date), weekday_zh(*date)),
        ]
    }))
    .collect();

    let mut widths = [0usize; 4];
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let mut out =
        String::from("會議期限（工作日依行政院人事行政總處「政府行政機關辦公日曆表」計算）\n");
    for row in &table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - display_width(cell) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Terminal columns of `s`: East Asian wide and full-width characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weekday_split() {
        assert_eq!(
            split_weekday("113年4月29日(星期一)"),
            Some(("113年4月29日", Some("一")))
        );
        assert_eq!(
            split_weekday("2024-04-29(日)"),
            Some(("2024-04-29", Some("日")))
        );
        assert_eq!(
            split_weekday("2024-04-29星期天"),
            Some(("2024-04-29", Some("日")))
        );
        assert_eq!(split_weekday("2024-04-29(x)"), None);
        assert_eq!(split_weekday("2024-04-29"), Some(("2024-04-29", None)));
    }

    #[test]
    fn width_counts_cjk_double() {
        assert_eq!(display_width("項目"), 4);
        assert_eq!(display_width("2024-04-29（一）"), 10 + 6);
    }

    #[test]
    fn roc_before_1912() {
        assert_eq!(
            roc_date(date(1911, 10, 10)),
            "民國前 1 年 10 月 10 日（星期二）"
        );
    }

    #[test]
    fn decode_kinds() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa", "f").unwrap().1,
            TextEncoding::Utf8Bom
        );
        assert_eq!(decode(b"a", "f").unwrap().1, TextEncoding::Utf8);
        // 「日」 in Big5 is 0xA4 0xE9 — invalid UTF-8.
        let (text, enc) = decode(b"\xA4\xE9", "f").unwrap();
        assert_eq!((text.as_ref(), enc), ("日", TextEncoding::Big5));
        assert!(matches!(
            decode(b"PK\x03\x04..", "f"),
            Err(CalendarError::Workbook { .. })
        ));
        assert!(matches!(
            decode(b"\xFF\xFF\xFF", "f"),
            Err(CalendarError::UnknownEncoding { .. })
        ));
    }
}
