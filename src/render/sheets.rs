//! Spreadsheet attachments (`.xlsx`, `.ods`): one sheet, optionally a range, read with
//! calamine and handed to the CSV table reader as CSV text, so that a sheet gets every
//! option and every limit a CSV has. The sheet's own merged cells (`.xlsx`; calamine
//! reads none from `.ods`) are used when the attachment names no `merge`.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, Reader, open_workbook_auto_from_rs};

/// Most bytes a spreadsheet may hold uncompressed (its XML): checked from the zip's
/// directory before calamine expands anything.
pub const MAX_SHEET_UNCOMPRESSED: u64 = 64 * 1024 * 1024;

/// A sheet as CSV text, and its merged cells in A1 notation (relative to the range).
pub struct SheetTable {
    pub csv: String,
    pub merges: Vec<String>,
}

/// Read `sheet` (default the first) of a spreadsheet, the cells of `range` (A1
/// notation) or every used one. Errors are messages in Chinese.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>, range: Option<&str>) -> Result<SheetTable, String> {
    let mut cursor = Cursor::new(bytes);
    uncompressed_size_ok(&mut cursor)?;
    cursor.rewind().map_err(|e| e.to_string())?;
    let mut book = open_workbook_auto_from_rs(cursor).map_err(|e| format!("無法讀取試算表：{e}"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(format!("試算表沒有工作表「{s}」；有：{}", names.join("、"))),
        None => names.first().cloned().ok_or("試算表沒有任何工作表")?,
    };
    let cells = book.worksheet_range(&name).map_err(|e| format!("無法讀取工作表「{name}」：{e}"))?;
    let ((r0, c0), (r1, c1)) = match range {
        Some(r) => parse_range(r).ok_or_else(|| format!("range「{r}」不是 A1 表示法的範圍（如 A1:F30）"))?,
        None => match (cells.start(), cells.end()) {
            (Some(start), Some(end)) => (start, end),
            _ => return Err(format!("工作表「{name}」是空的")),
        },
    };
    // The CSV limits, before the text is built (a range can name a million rows).
    let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    if rows > super::tables::MAX_TABLE_ROWS as u64 + 100 || cols > super::tables::MAX_TABLE_COLUMNS as u64 {
        return Err(format!(
            "範圍有 {rows} 列、{cols} 欄：表格附件至多 {} 列、{} 欄",
            super::tables::MAX_TABLE_ROWS,
            super::tables::MAX_TABLE_COLUMNS
        ));
    }
    let mut out = csv::WriterBuilder::new().flexible(false).from_writer(Vec::new());
    for r in r0..=r1 {
        let row: Vec<String> = (c0..=c1).map(|c| cells.get_value((r, c)).map(text).unwrap_or_default()).collect();
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

/// A cell as the sheet stores it (number formats are not applied: 0.25, not 25%).
fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        // Excel's serial days since 1899-12-30 (calamine without its chrono feature).
        Data::DateTime(dt) if dt.is_datetime() => {
            let serial = dt.as_f64();
            let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|d| d.checked_add_signed(chrono::TimeDelta::try_days(serial.floor() as i64)?));
            let secs = ((serial - serial.floor()) * 86_400.0).round() as u32;
            match day {
                Some(d) if secs == 0 => d.format("%Y-%m-%d").to_string(),
                Some(d) => format!("{} {:02}:{:02}", d.format("%Y-%m-%d"), secs / 3600, secs / 60 % 60),
                None => dt.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// The sum of the uncompressed sizes in the zip's directory (`.xlsx` and `.ods` are zips).
fn uncompressed_size_ok<R: Read + Seek>(file: &mut R) -> Result<(), String> {
    let mut zip =
        zip::ZipArchive::new(file).map_err(|_| "不是有效的 .xlsx／.ods 檔（無法讀取其壓縮內容）".to_string())?;
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

/// (row 2, column 1) → `B3`.
fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row + 1)
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
}
