//! A spreadsheet's extent, read from its XML as a stream before calamine is given the
//! file: calamine fills a dense grid from the first used cell to the last (`A1` and
//! `XFD1048576` are 17 billion cells), clones a shared string into every cell that
//! refers to it, expands `.ods` repeat attributes cell by cell and reserves what
//! `uniqueCount` declares. Each of those is counted here first, one XML event at a
//! time, and a sheet over the limits is refused before anything is expanded.

use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

use super::tables::{MAX_CELL_CHARS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS};

/// Most cells one sheet may span (its used area, first cell to last, empty ones
/// included, as calamine holds it) and most cells and shared strings it may hold:
/// calamine's grid is then about 64 MB (`.xlsx`) or 112 MB (`.ods`, a value and a formula
/// per cell); a 20,000-row, 64-column table is 1.3 million.
pub const MAX_SHEET_CELLS: u64 = 2_000_000;
/// Most characters of text one sheet may hold once every shared string and repeated
/// cell is counted where it is used.
pub const MAX_SHEET_CHARS: u64 = 16_000_000;

/// What a sheet holds, as counted before it is read.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Extent {
    /// Rows and columns from the first used cell to the last (0 if none).
    pub rows: u64,
    pub columns: u64,
    /// Cells with a value (a repeated cell counts each time), and their characters.
    pub cells: u64,
    pub chars: u64,
}

/// The used area and its totals, checked as each cell is counted.
struct Tally {
    /// No `range`: the whole used area is the table, so the table's limits apply.
    whole_table: bool,
    first: (u64, u64),
    last: (u64, u64),
    cells: u64,
    chars: u64,
}

impl Tally {
    fn new(whole_table: bool) -> Self {
        Tally { whole_table, first: (u64::MAX, u64::MAX), last: (0, 0), cells: 0, chars: 0 }
    }

    /// A cell with a value at (row, col), repeated over `rows` × `cols` cells.
    fn cell(&mut self, (row, col): (u64, u64), (rows, cols): (u64, u64), chars: u64) -> Result<(), String> {
        if chars > MAX_CELL_CHARS as u64 {
            return Err(format!(
                "的儲存格 {} 有 {chars} 字：表格的一格至多 {MAX_CELL_CHARS} 字（長文請改為 .md 附件）",
                cell_name(row, col)
            ));
        }
        let n = rows.saturating_mul(cols);
        self.cells = self.cells.saturating_add(n);
        self.chars = self.chars.saturating_add(chars.saturating_mul(n));
        self.first = (self.first.0.min(row), self.first.1.min(col));
        self.last = (self.last.0.max(row.saturating_add(rows - 1)), self.last.1.max(col.saturating_add(cols - 1)));
        if self.cells > MAX_SHEET_CELLS {
            return Err(format!("有超過 {MAX_SHEET_CELLS} 個儲存格：試算表附件至多 {MAX_SHEET_CELLS} 個"));
        }
        if self.chars > MAX_SHEET_CHARS {
            return Err(format!(
                "的文字超過 {MAX_SHEET_CHARS} 字（共用字串與重複的儲存格每用一次算一次）：試算表附件至多 {MAX_SHEET_CHARS} 字"
            ));
        }
        self.area_ok(self.first, self.last, "用到")
    }

    /// The area from `first` to `last` (inclusive) within the limits; `how` says whose.
    fn area_ok(&self, first: (u64, u64), last: (u64, u64), how: &str) -> Result<(), String> {
        let rows = last.0 - first.0 + 1;
        let columns = last.1 - first.1 + 1;
        let span = || format!("{}:{}", cell_name(first.0, first.1), cell_name(last.0, last.1));
        let table_rows = (MAX_TABLE_ROWS + 100) as u64;
        if self.whole_table && how == "用到" && (rows > table_rows || columns > MAX_TABLE_COLUMNS as u64) {
            return Err(format!(
                "{how}範圍 {}（{rows} 列、{columns} 欄）：表格附件至多 {MAX_TABLE_ROWS} 列、{MAX_TABLE_COLUMNS} 欄；只要其中一部分請在附件的「範圍」指定（如 A1:F30）",
                span()
            ));
        }
        if rows.saturating_mul(columns) > MAX_SHEET_CELLS {
            return Err(format!(
                "{how}範圍 {}（{rows} 列 × {columns} 欄）：試算表附件至多 {MAX_SHEET_CELLS} 個儲存格",
                span()
            ));
        }
        Ok(())
    }

    fn extent(&self) -> Extent {
        let (rows, columns) =
            if self.cells == 0 { (0, 0) } else { (self.last.0 - self.first.0 + 1, self.last.1 - self.first.1 + 1) };
        Extent { rows, columns, cells: self.cells, chars: self.chars }
    }
}

/// (row 2, column 1) → `B3`.
pub(super) fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row + 1)
}

fn cell_name(row: u64, col: u64) -> String {
    a1(row.min(u64::from(u32::MAX - 1)) as u32, col.min(u64::from(u32::MAX - 1)) as u32)
}

/// Check the spreadsheet before calamine reads it: the sheet named `sheet` (default the
/// first) of an `.xlsx`; every table of an `.ods` (`content.xml`), as calamine reads them
/// all. A zip holding both is counted as both (calamine tries one format after another),
/// and a binary workbook (`.xlsb`), which cannot be counted, is refused. `whole_table`:
/// no `range` is given, so the used area must fit a table. Errors are messages that
/// follow 「附件「…」」.
pub fn check<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    sheet: Option<&str>,
    whole_table: bool,
) -> Result<Extent, String> {
    let ods = match zip.index_for_name("content.xml") {
        Some(_) => Some(ods_tables(zip, whole_table)?),
        None => None,
    };
    // Parts are found as calamine finds them: by their name in any case, `\\` as `/`.
    let mut names = std::collections::HashMap::new();
    for name in zip.file_names().flatten() {
        names.insert(name.replace('\\', "/").to_ascii_lowercase(), name.into_owned());
    }
    let find = |part: &str| names.get(&part.to_ascii_lowercase()).cloned().unwrap_or_else(|| part.to_string());
    let (dir, workbook) = match (workbook_part(zip, &find), ods) {
        (Some((_, workbook)), _) if !workbook.to_ascii_lowercase().ends_with(".xml") => {
            return Err("是 Excel 二進位活頁簿（.xlsb），無法先行檢查其大小：請在 Excel 另存為 .xlsx".into());
        }
        (Some(part), _) => part,
        (None, Some(extent)) => return Ok(extent),
        (None, None) => return Err("不是 .xlsx 或 .ods 試算表（找不到活頁簿）".into()),
    };
    let lengths = shared_strings(zip, &find(&format!("{dir}sharedStrings.xml")))?;
    match sheet_part(zip, &find, &dir, &workbook, sheet) {
        Some((name, part)) => {
            xlsx_sheet(xml(zip, &part)?, &lengths, whole_table).map_err(|e| format!("的工作表「{name}」{e}"))
        }
        // A sheet that cannot be found: calamine will say so.
        None => Ok(ods.unwrap_or_default()),
    }
}

fn xml<'z, R: Read + Seek>(zip: &'z mut ZipArchive<R>, part: &str) -> Result<Reader<impl BufRead + 'z>, String> {
    let entry = zip.by_name(part).map_err(|e| format!("無法讀取「{part}」：{e}"))?;
    Ok(Reader::from_reader(BufReader::new(entry)))
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.normalized_value(XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default())
}

fn chars(text: &str) -> u64 {
    text.chars().count() as u64
}

fn xml_error(e: impl std::fmt::Display) -> String {
    format!("的 XML 無法讀取：{e}")
}

/// The length in characters of each shared string (`xl/sharedStrings.xml`), and the
/// declared count calamine reserves room for, both within [`MAX_SHEET_CELLS`].
fn shared_strings<R: Read + Seek>(zip: &mut ZipArchive<R>, part: &str) -> Result<Vec<u64>, String> {
    if zip.index_for_name(part).is_none() {
        return Ok(Vec::new());
    }
    let too_many = || format!("有超過 {MAX_SHEET_CELLS} 個共用字串：試算表附件至多 {MAX_SHEET_CELLS} 個");
    let mut reader = xml(zip, part)?;
    let (mut buf, mut lengths) = (Vec::new(), Vec::new());
    let mut current: Option<u64> = None;
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                let declared = attr(&e, "uniqueCount").and_then(|n| n.trim().parse::<u64>().ok()).unwrap_or(0);
                if declared > MAX_SHEET_CELLS {
                    return Err(too_many());
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => current = Some(0),
            Event::Empty(e) if e.local_name().as_ref() == "si" => lengths.push(0),
            Event::Text(t) => current = current.map(|n| n + chars(&t)),
            Event::CData(t) => current = current.map(|n| n + chars(&t)),
            Event::GeneralRef(_) => current = current.map(|n| n + 1),
            Event::End(e) if e.local_name().as_ref() == "si" => lengths.extend(current.take()),
            Event::Eof => break,
            _ => {}
        }
        if lengths.len() as u64 > MAX_SHEET_CELLS {
            return Err(too_many());
        }
        buf.clear();
    }
    Ok(lengths)
}

/// The relationships of a part: (Id, Type, Target) in order.
fn relations<R: Read + Seek>(zip: &mut ZipArchive<R>, part: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let Ok(mut reader) = xml(zip, part) else { return out };
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => out.push((
                attr(&e, "Id").unwrap_or_default(),
                attr(&e, "Type").unwrap_or_default(),
                attr(&e, "Target").unwrap_or_default(),
            )),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The workbook's folder (`xl/`) and part name (`workbook.xml`), from the package's
/// relationships (the last officeDocument, as calamine keeps it).
fn workbook_part<R: Read + Seek>(zip: &mut ZipArchive<R>, find: &dyn Fn(&str) -> String) -> Option<(String, String)> {
    let root = relations(zip, &find("_rels/.rels"));
    let target = &root.iter().rev().find(|(_, t, _)| t.ends_with("/relationships/officeDocument"))?.2;
    let (dir, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
    Some((dir.strip_prefix('/').unwrap_or(dir).to_string(), name.to_string()))
}

/// The worksheet part of `sheet` (default the first), from the workbook and its
/// relationships, as calamine finds it.
fn sheet_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    find: &dyn Fn(&str) -> String,
    dir: &str,
    workbook: &str,
    sheet: Option<&str>,
) -> Option<(String, String)> {
    let rels = relations(zip, &find(&format!("{dir}_rels/{workbook}.rels")));
    let mut reader = xml(zip, &find(&format!("{dir}{workbook}"))).ok()?;
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let name = attr(&e, "name").unwrap_or_default();
                if sheet.is_none_or(|s| s == name) {
                    let id = attr(&e, "id")?;
                    // A repeated Id: the last, as calamine's map keeps it.
                    let target = &rels.iter().rev().find(|(i, _, _)| *i == id)?.2;
                    let part = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("{dir}{target}"),
                    };
                    return Some((name, find(&part)));
                }
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
    None
}

/// `XFD1048576` → (1048575, 16383); `None` unless letters then digits, within Excel's grid.
fn cell_ref(s: &str) -> Option<(u64, u64)> {
    let s = s.trim().trim_start_matches('$');
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = s[letters..].trim_start_matches('$');
    if letters == 0 || letters > 3 || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = s[..letters].to_ascii_uppercase().bytes().fold(0u64, |n, b| n * 26 + u64::from(b - b'A') + 1);
    let row: u64 = digits.parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// The cells of one `.xlsx` worksheet: their area, count and text (a shared string counted
/// in full in every cell that refers to it), and the area its `<dimension>` declares.
fn xlsx_sheet(mut reader: Reader<impl BufRead>, lengths: &[u64], whole_table: bool) -> Result<Extent, String> {
    let mut tally = Tally::new(whole_table);
    let mut buf = Vec::new();
    // Rows and cells without an `r` follow the previous ones, as calamine counts them.
    let (mut row, mut next_row, mut col): (u64, u64, Option<u64>) = (0, 0, None);
    let mut cell: Option<XlsxCell> = None;
    // Inside `<v>` (a shared string's index) or `<f>` (a formula: not the cell's text).
    let (mut in_v, mut in_f) = (false, false);
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "dimension" => {
                    let declared = attr(&e, "ref").unwrap_or_default();
                    let (a, b) = declared.split_once(':').unwrap_or((&declared, &declared));
                    if let (Some(first), Some(last)) = (cell_ref(a), cell_ref(b)) {
                        let (first, last) =
                            ((first.0.min(last.0), first.1.min(last.1)), (first.0.max(last.0), first.1.max(last.1)));
                        tally.area_ok(first, last, "宣告的")?;
                    }
                }
                "row" => {
                    row = attr(&e, "r")
                        .and_then(|r| r.trim().parse::<u64>().ok())
                        .map_or(next_row, |r| r.saturating_sub(1));
                    (next_row, col) = (row.saturating_add(1), None);
                }
                "c" => {
                    let at = attr(&e, "r").and_then(|r| cell_ref(&r)).unwrap_or((row, col.map_or(0, |c| c + 1)));
                    (row, col) = (at.0, Some(at.1));
                    let shared = attr(&e, "t").is_some_and(|t| t == "s");
                    if !empty {
                        cell = Some(XlsxCell { at, shared, chars: 0, valued: false, v: String::new() });
                    }
                }
                "v" | "is" | "f" if !empty => {
                    in_v = e.local_name().as_ref() == "v";
                    in_f = e.local_name().as_ref() == "f";
                    if let Some(c) = cell.as_mut() {
                        c.valued = true;
                    }
                }
                _ => {}
            },
            Event::Text(t) if !in_f => xlsx_text(&mut cell, in_v, &t),
            Event::CData(t) if !in_f => xlsx_text(&mut cell, in_v, &t),
            Event::GeneralRef(_) if !in_f => {
                if let Some(c) = cell.as_mut() {
                    c.chars += 1;
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "v" => in_v = false,
                "f" => in_f = false,
                "c" => {
                    if let Some(XlsxCell { at, shared, chars: n, valued, v }) = cell.take()
                        && valued
                    {
                        let n = if shared {
                            v.trim().parse::<usize>().ok().and_then(|i| lengths.get(i)).copied().unwrap_or(0)
                        } else {
                            n
                        };
                        tally.cell(at, (1, 1), n)?;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(tally.extent())
}

/// An `.xlsx` cell being read.
struct XlsxCell {
    at: (u64, u64),
    /// A shared string (`t="s"`): its `<v>` is an index.
    shared: bool,
    /// Characters of its value.
    chars: u64,
    /// Whether it has a value (`<v>`, `<is>` or `<f>`).
    valued: bool,
    /// Its `<v>` text, as far as an index goes.
    v: String,
}

/// Text inside an open `.xlsx` cell: its characters, and a shared string's index.
fn xlsx_text(cell: &mut Option<XlsxCell>, in_v: bool, text: &str) {
    if let Some(c) = cell.as_mut() {
        c.chars += chars(text);
        if in_v && c.shared && c.v.len() < 20 {
            c.v.push_str(text);
        }
    }
}

/// Every table of an `.ods` (`content.xml`), with its repeat attributes multiplied out as
/// calamine expands them.
fn ods_tables<R: Read + Seek>(zip: &mut ZipArchive<R>, whole_table: bool) -> Result<Extent, String> {
    let mut reader = xml(zip, "content.xml")?;
    let mut buf = Vec::new();
    let mut total = Extent::default();
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                let name = attr(&e, "name").unwrap_or_default();
                let extent = ods_table(&mut reader, whole_table).map_err(|e| format!("的工作表「{name}」{e}"))?;
                total.cells += extent.cells;
                total.chars += extent.chars;
                (total.rows, total.columns) = (total.rows.max(extent.rows), total.columns.max(extent.columns));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(total)
}

fn repeats(e: &BytesStart, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// One `<table:table>`, up to its end tag.
fn ods_table(reader: &mut Reader<impl BufRead>, whole_table: bool) -> Result<Extent, String> {
    let mut tally = Tally::new(whole_table);
    let mut buf = Vec::new();
    let (mut row, mut row_repeats, mut col) = (0u64, 1u64, 0u64);
    // The open cell: its column repeats, whether it has a value, its characters.
    let mut cell: Option<(u64, bool, u64)> = None;
    // The cells calamine keeps of the current row (up to its last value), summed over rows.
    let (mut kept, mut row_end) = (0u64, 0u64);
    let value_attr = |e: &BytesStart| {
        e.attributes().flatten().any(|a| {
            matches!(
                a.key.as_ref(),
                "office:value"
                    | "office:string-value"
                    | "office:date-value"
                    | "office:time-value"
                    | "office:boolean-value"
                    | "table:formula"
            ) || (a.key.as_ref() == "office:value-type" && a.value.as_ref() == "string")
        })
    };
    let attr_chars = |e: &BytesStart| -> u64 {
        e.attributes()
            .flatten()
            .filter(|a| a.key.as_ref().starts_with("office:") && a.key.as_ref().ends_with("value"))
            .map(|a| chars(&a.value))
            .sum()
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table-row" => {
                    (row_repeats, col, row_end) = (repeats(&e, "table:number-rows-repeated"), 0, 0);
                    if empty {
                        row = row.saturating_add(row_repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(&e, "table:number-columns-repeated");
                    let c = (n, value_attr(&e), attr_chars(&e));
                    if empty {
                        ods_cell(&mut tally, (row, &mut col, &mut row_end), row_repeats, c)?;
                    } else {
                        cell = Some(c);
                    }
                }
                "text:s" => {
                    if let Some(c) = cell.as_mut() {
                        c.2 = c.2.saturating_add(repeats(&e, "text:c"));
                    }
                }
                "text:p" | "text:tab" | "text:line-break" => {
                    if let Some(c) = cell.as_mut() {
                        c.2 += 1;
                    }
                }
                _ => {}
            },
            Event::Text(t) => ods_text(&mut cell, chars(&t)),
            Event::CData(t) => ods_text(&mut cell, chars(&t)),
            Event::GeneralRef(_) => ods_text(&mut cell, 1),
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        ods_cell(&mut tally, (row, &mut col, &mut row_end), row_repeats, c)?;
                    }
                }
                "table:table-row" => {
                    kept = kept.saturating_add(row_end);
                    if kept > MAX_SHEET_CELLS {
                        return Err(format!("有超過 {MAX_SHEET_CELLS} 個儲存格：試算表附件至多 {MAX_SHEET_CELLS} 個"));
                    }
                    row = row.saturating_add(row_repeats);
                }
                "table:table" => break,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(tally.extent())
}

fn ods_text(cell: &mut Option<(u64, bool, u64)>, n: u64) {
    if let Some(c) = cell.as_mut() {
        c.2 = c.2.saturating_add(n);
    }
}

/// A cell of `.ods` (repeated `n` columns, over the row's repeats): counted when it has a value.
fn ods_cell(
    tally: &mut Tally,
    (row, col, row_end): (u64, &mut u64, &mut u64),
    row_repeats: u64,
    (n, valued, chars): (u64, bool, u64),
) -> Result<(), String> {
    if valued || chars > 0 {
        tally.cell((row, *col), (row_repeats, n), chars)?;
        *row_end = col.saturating_add(n);
    }
    *col = col.saturating_add(n);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("$B$3"), Some((2, 1)));
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("ABCD1"), None);
    }
}
