//! Reading an office-calendar CSV (`西元日期,星期,是否放假,備註`) into day rows.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::{CalendarError, Day, TextEncoding};
use crate::text::encoding::{self, Encoding};

/// The calendar's text and the encoding it was read in: UTF-8 (with or without BOM) or
/// Big5, as the agency publishes it.
pub(super) fn decode<'a>(bytes: &'a [u8], source_name: &str) -> Result<(Cow<'a, str>, TextEncoding), CalendarError> {
    let source_name = source_name.to_string();
    // No text CSV contains NUL bytes; UTF-16 without a BOM has one in every ASCII character.
    let found = match encoding::sniff(bytes) {
        Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Big5 if bytes.contains(&0) => Encoding::Utf16 { bom: false },
        found => found,
    };
    match found {
        Encoding::Utf16 { bom } => Err(CalendarError::Utf16 {
            source_name,
            how: if bom {
                "（檔首有 UTF-16 位元組順序記號）"
            } else {
                "（檔案含 NUL 位元組，應為無 BOM 的 UTF-16）"
            },
        }),
        Encoding::Workbook => Err(CalendarError::Workbook { source_name }),
        _ => encoding::decode(bytes, true).map_err(|_| CalendarError::UnknownEncoding { source_name }),
    }
}

struct Columns {
    date: usize,
    weekday: Option<usize>,
    flag: usize,
    note: Option<usize>,
}

const HEADER: &str = "西元日期,星期,是否放假,備註";

/// The day rows of an office-calendar CSV, checked to cover whole years day by day; an error
/// names the line it is on.
pub(super) fn parse_rows(text: &str, source_name: &str) -> Result<Vec<Day>, CalendarError> {
    let row_err = |line: u64, reason: String| CalendarError::Row { source_name: source_name.to_string(), line, reason };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());

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
        let cols = match columns {
            Some(ref cols) => cols,
            None => {
                let (found, is_header) = header_columns(&record).map_err(|reason| row_err(line, reason))?;
                let cols = &*columns.insert(found);
                if is_header {
                    continue;
                }
                cols
            }
        };
        let day = parse_day(&record, cols).map_err(|reason| row_err(line, reason))?;
        follows(days.last(), day.date).map_err(|reason| row_err(line, reason))?;
        days.push(day);
        last_line = line;
    }
    let Some(last) = days.last() else {
        return Err(CalendarError::File {
            source_name: source_name.to_string(),
            reason: format!("沒有任何日期資料（應為「{HEADER}」格式的辦公日曆表）"),
        });
    };
    if last.date.succ_opt().is_none_or(|next| next.year() == last.date.year()) {
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

/// The columns named by the first non-empty row, and whether that row is a header (a file
/// without one starts with a date, in the published column order).
fn header_columns(record: &csv::StringRecord) -> Result<(Columns, bool), String> {
    if is_yyyymmdd(record.get(0).unwrap_or("")) {
        return Ok((Columns { date: 0, weekday: Some(1), flag: 2, note: Some(3) }, false));
    }
    let find = |name: &str| record.iter().position(|f| f == name);
    let (Some(date), Some(flag)) = (find("西元日期"), find("是否放假")) else {
        return Err(format!("找不到標題列「{HEADER}」（至少需要「西元日期」與「是否放假」兩欄）"));
    };
    Ok((Columns { date, weekday: find("星期"), flag, note: find("備註") }, true))
}

/// One row: its date, `是否放假` (0 or 2), `星期` matching the date, `備註`.
fn parse_day(record: &csv::StringRecord, cols: &Columns) -> Result<Day, String> {
    let field = |i: usize| record.get(i).unwrap_or("");
    let date_text = field(cols.date);
    if date_text.is_empty() {
        return Err("缺少「西元日期」".to_string());
    }
    if !is_yyyymmdd(date_text) {
        return Err(format!("西元日期「{date_text}」不是 8 位數字的日期（YYYYMMDD）"));
    }
    let date =
        NaiveDate::parse_from_str(date_text, "%Y%m%d").map_err(|_| format!("西元日期「{date_text}」不是存在的日期"))?;
    let working = match field(cols.flag) {
        "0" => true,
        "2" => false,
        other => return Err(format!("是否放假應為 0（上班）或 2（放假），此列為「{other}」")),
    };
    if let Some(w) = cols.weekday.map(field).filter(|w| !w.is_empty()) {
        let w = w.trim_start_matches("星期").trim_start_matches('週');
        let expected = crate::text::zh::weekday(date);
        if w != expected && !(expected == "日" && w == "天") {
            return Err(format!("{date_text} 應為星期{expected}，此列星期欄為「{w}」"));
        }
    }
    let note = cols.note.map(field).unwrap_or("").to_string();
    Ok(Day { date, working, note })
}

/// `date` must be January 1 (the first row) or the day after the previous row.
fn follows(prev: Option<&Day>, date: NaiveDate) -> Result<(), String> {
    let Some(prev) = prev else {
        if date.ordinal() != 1 {
            return Err(format!(
                "第一筆資料是 {}，但日曆表須從 1 月 1 日開始涵蓋全年（{}）",
                ymd(date),
                missing(first_of_year(date), date.pred_opt().unwrap_or(date)),
            ));
        }
        return Ok(());
    };
    let expected = prev.date.succ_opt();
    if Some(date) == expected {
        return Ok(());
    }
    Err(if date == prev.date {
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
    })
}

/// Days in the official file's form: UTF-8 with a byte-order mark, the header
/// `西元日期,星期,是否放假,備註`, CRLF line ends (a note with a comma or quote is quoted).
pub fn to_csv(days: &[Day]) -> String {
    let mut out = format!("\u{FEFF}{HEADER}\r\n");
    for d in days {
        let note = if d.note.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", d.note.replace('"', "\"\""))
        } else {
            d.note.clone()
        };
        let flag = if d.working { '0' } else { '2' };
        out.push_str(&format!("{},{},{flag},{note}\r\n", d.date.format("%Y%m%d"), crate::text::zh::weekday(d.date)));
    }
    out
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
    if from == to { format!("缺少 {}", ymd(from)) } else { format!("缺少 {} 至 {}", ymd(from), ymd(to)) }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
