//! Spreadsheet attachments (`.xlsx`, `.ods`): one sheet, optionally a range, read with
//! calamine and handed to the CSV table reader as CSV text, so that a sheet gets every
//! option and every limit a CSV has. The sheet's own merged cells (`.xlsx`; calamine
//! reads none from `.ods`) are used when the attachment names no `merge`.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, open_workbook_auto_from_rs};

use super::sheet_scan::{self, a1};

/// Most bytes a spreadsheet may hold uncompressed (its XML): checked from the zip's
/// directory before calamine expands anything.
pub const MAX_SHEET_UNCOMPRESSED: u64 = 64 * 1024 * 1024;

/// A sheet as CSV text, and its merged cells in A1 notation (relative to the range).
pub struct SheetTable {
    pub csv: String,
    pub merges: Vec<String>,
}

/// Read `sheet` (default the first) of a spreadsheet, the cells of `range` (A1
/// notation) or every used one. Errors are messages in Chinese, to follow 「附件「…」」.
/// Everything that could make calamine allocate beyond the limits (the zip's expansion,
/// the sheet's used area, its cells and text, a range larger than a table) is checked
/// before calamine is given the file.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>, range: Option<&str>) -> Result<SheetTable, String> {
    let wanted = match range {
        Some(r) => Some(parse_range(r).ok_or_else(|| format!("範圍「{r}」不是 A1 表示法的範圍（如 A1:F30）"))?),
        None => None,
    };
    if let Some(((r0, c0), (r1, c1))) = wanted {
        table_sized(u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1)?;
    }
    let mut cursor = Cursor::new(bytes);
    {
        let mut zip = zip::ZipArchive::new(&mut cursor)
            .map_err(|_| "不是有效的 .xlsx／.ods 檔（無法讀取其壓縮內容）".to_string())?;
        uncompressed_size_ok(&mut zip)?;
        sheet_scan::check(&mut zip, sheet, range.is_none())?;
    }
    cursor.rewind().map_err(|e| e.to_string())?;
    let mut book = open_workbook_auto_from_rs(cursor).map_err(|e| format!("無法讀取試算表：{e}"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(format!("試算表沒有工作表「{s}」；有：{}", names.join("、"))),
        None => names.first().cloned().ok_or("試算表沒有任何工作表")?,
    };
    let cells = book.worksheet_range(&name).map_err(|e| format!("無法讀取工作表「{name}」：{e}"))?;
    let ((r0, c0), (r1, c1)) = match wanted {
        Some(r) => r,
        None => match (cells.start(), cells.end()) {
            (Some(start), Some(end)) => (start, end),
            _ => return Err(format!("工作表「{name}」是空的")),
        },
    };
    // The CSV limits, before the text is built (the scan bounds the used area already).
    table_sized(u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1)?;
    let mut out = csv::WriterBuilder::new().flexible(false).from_writer(Vec::new());
    for r in r0..=r1 {
        let row = (c0..=c1)
            .map(|c| {
                cells
                    .get_value((r, c))
                    .map_or(Ok(String::new()), |d| text(d).map_err(|e| format!("的儲存格 {}{e}", a1(r, c))))
            })
            .collect::<Result<Vec<String>, String>>()?;
        out.write_record(&row).map_err(|e| e.to_string())?;
    }
    let csv = String::from_utf8(out.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    // The sheet's merged cells inside the range, relative to it.
    let mut merges = Vec::new();
    if let calamine::Sheets::Xlsx(x) = &mut book
        && let Ok(dims) = x.merge_cells_by_sheet_name(&name)
    {
        for d in dims {
            let inside = d.start.0 >= r0 && d.start.1 >= c0 && d.end.0 <= r1 && d.end.1 <= c1;
            if inside {
                merges.push(format!("{}:{}", a1(d.start.0 - r0, d.start.1 - c0), a1(d.end.0 - r0, d.end.1 - c0)));
            }
        }
    }
    merges.sort();
    Ok(SheetTable { csv, merges })
}

/// A range of `rows` × `cols` within a table attachment's limits.
fn table_sized(rows: u64, cols: u64) -> Result<(), String> {
    if rows > super::tables::MAX_TABLE_ROWS as u64 + 100 || cols > super::tables::MAX_TABLE_COLUMNS as u64 {
        return Err(format!(
            "範圍有 {rows} 列、{cols} 欄：表格附件至多 {} 列、{} 欄",
            super::tables::MAX_TABLE_ROWS,
            super::tables::MAX_TABLE_COLUMNS
        ));
    }
    Ok(())
}

/// A cell as the sheet stores it (number formats are not applied: 0.25, not 25%), or
/// why it cannot be printed (a message to follow the cell's name).
fn text(d: &Data) -> Result<String, String> {
    match d {
        Data::Empty => Ok(String::new()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let is_1904 = *dt == ExcelDateTime::new(dt.as_f64(), ExcelDateTimeType::DateTime, true);
            date_text(dt.as_f64(), is_1904)
        }
        other => Ok(other.to_string()),
    }
}

/// An Excel date serial as `2024-04-29`, `2024-04-29 09:30` (or `09:30:15` when it has
/// seconds), or a time of day alone (`14:00`) below 1. The serial is rounded to the
/// nearest second first, carrying into the next day: 45400.999999 is 23:59:59.91, which
/// is 2024-04-19 00:00, never `24:00`; truncating to the minute would print 23:59 for what
/// Excel shows as the next day, and a second is finer than any time in a meeting record.
/// In the 1900 system serial 1 is 1900-01-01 and Excel counts a 1900-02-29 that never
/// was (serial 60): serials below 60 are one day later than the usual 1899-12-30 epoch
/// gives, and 60 itself is refused. Negative serials are no date at all.
pub(crate) fn date_text(serial: f64, is_1904: bool) -> Result<String, String> {
    let not_a_date = || format!("的日期序號 {serial} 不是有效的日期");
    if !serial.is_finite() || serial < 0.0 {
        return Err(format!("{}（負數）", not_a_date()));
    }
    let seconds = (serial * 86_400.0).round();
    if seconds > 1e13 {
        return Err(not_a_date());
    }
    let (days, secs) = ((seconds as i64).div_euclid(86_400), (seconds as i64).rem_euclid(86_400));
    let time = match secs % 60 {
        0 => format!("{:02}:{:02}", secs / 3600, secs / 60 % 60),
        s => format!("{:02}:{:02}:{s:02}", secs / 3600, secs / 60 % 60),
    };
    if serial < 1.0 && !is_1904 {
        // A time of day alone (Excel's 1900-01-00).
        return Ok(time);
    }
    let epoch = match (is_1904, days) {
        (true, _) => chrono::NaiveDate::from_ymd_opt(1904, 1, 1),
        (false, 60) => return Err(format!("{}（Excel 的 1900-02-29 並不存在）", not_a_date())),
        (false, ..60) => chrono::NaiveDate::from_ymd_opt(1899, 12, 31),
        (false, _) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30),
    };
    let day = epoch.and_then(|e| e.checked_add_signed(chrono::TimeDelta::try_days(days)?)).ok_or_else(not_a_date)?;
    if chrono::Datelike::year(&day) > 9999 {
        return Err(not_a_date());
    }
    Ok(match secs {
        0 => day.format("%Y-%m-%d").to_string(),
        _ => format!("{} {time}", day.format("%Y-%m-%d")),
    })
}

/// The sum of the uncompressed sizes in the zip's directory (`.xlsx` and `.ods` are zips).
fn uncompressed_size_ok<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<(), String> {
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| format!("無法讀取試算表：{e}"))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_SHEET_UNCOMPRESSED {
        return Err(format!("試算表解壓縮後有 {} MiB：至多 {} MiB", total >> 20, MAX_SHEET_UNCOMPRESSED >> 20));
    }
    Ok(())
}

/// `B3` → (row 2, column 1), 0-based.
fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().to_ascii_uppercase();
    let letters: String = s.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &s[letters.len()..];
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1) - 1;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then(|| (row - 1, col))
}

fn parse_range(s: &str) -> Option<((u32, u32), (u32, u32))> {
    let (a, b) = s.split_once(':')?;
    let (a, b) = (parse_cell(a)?, parse_cell(b)?);
    (a.0 <= b.0 && a.1 <= b.1).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_notation_round_trips() {
        assert_eq!(parse_cell("B3"), Some((2, 1)));
        assert_eq!(parse_cell("aa10"), Some((9, 26)));
        assert_eq!(a1(9, 26), "AA10");
        assert_eq!(parse_range("A1:C2"), Some(((0, 0), (1, 2))));
        assert_eq!(parse_range("C2:A1"), None);
        assert_eq!(parse_cell("A0"), None);
    }

    #[test]
    fn date_serials() {
        let date = |s: f64| date_text(s, false);
        // 23:59:59.91 rounds to the next midnight: a date, never 24:00.
        assert_eq!(date(45400.999999).as_deref(), Ok("2024-04-19"));
        assert_eq!(date(45400.5).as_deref(), Ok("2024-04-18 12:00"));
        assert_eq!(date(45400.0 + 9.5 / 24.0 + 15.0 / 86_400.0).as_deref(), Ok("2024-04-18 09:30:15"));
        assert_eq!(date(45400.0 + 0.999_99 / 1440.0 + 9.0 / 24.0).as_deref(), Ok("2024-04-18 09:01"));
        // Excel's 1900 system: serial 1 is 1900-01-01, 59 is 02-28, 61 is 03-01; 60 never was.
        assert_eq!(date(1.0).as_deref(), Ok("1900-01-01"));
        assert_eq!(date(59.0).as_deref(), Ok("1900-02-28"));
        assert_eq!(date(61.0).as_deref(), Ok("1900-03-01"));
        assert!(date(60.0).is_err_and(|e| e.contains("1900-02-29")));
        assert!(date(60.5).is_err());
        // A time of day alone.
        assert_eq!(date(0.75).as_deref(), Ok("18:00"));
        // Negative, not a number, beyond year 9999: refused.
        for bad in [-1.0, -0.25, f64::NAN, f64::INFINITY, 3e6] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(date(-17.0).is_err_and(|e| e.contains("負數")));
        // The 1904 system counts from 1904-01-01.
        assert_eq!(date_text(0.0, true).as_deref(), Ok("1904-01-01"));
        assert_eq!(date_text(43_938.25, true).as_deref(), Ok("2024-04-18 06:00"));
    }
}
