//! Fuzzing of spreadsheet reading (issue 27), in process (`packet::render::sheets::read`):
//! random sparse `.xlsx` sheets (cells anywhere in Excel's grid, shared strings used by
//! many cells, inline strings, a declared `<dimension>`, a `range`) and `.ods` tables
//! (rows and cells repeated, `text:s` spaces). The model below counts what the sheet
//! holds as calamine would hold it; the invariant: a sheet over a stated limit (used
//! area, cells, characters, one cell's characters, a table's rows and columns) is
//! refused, and whatever is read is within the table limits. Memory: the long run is
//! timed with `/usr/bin/time -v` (BENCHMARKS.md).
//!
//! Bounded case counts in CI; `PACKET_FUZZ_SECONDS` and `PACKET_FUZZ_CASES` extend them.

use packet::render::sheet_scan::{MAX_SHEET_CELLS, MAX_SHEET_CHARS};
use packet::render::sheets;
use packet::render::tables::{MAX_CELL_CHARS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::fuzz::{env_cases, fuzz};
use crate::sheets_hostile::{ods_of, xlsx_of};

/// A cell's content.
#[derive(Debug, Clone)]
enum Value {
    Number,
    /// Text of this many characters (inline in .xlsx).
    Text(usize),
    /// The .xlsx shared string of this index (modulo their count).
    Shared(usize),
    /// .ods: text with a run of this many spaces (`text:s`).
    Spaces(u64),
}

fn length() -> impl Strategy<Value = usize> {
    prop_oneof![4 => 0usize..40, 1 => Just(MAX_CELL_CHARS), 1 => Just(MAX_CELL_CHARS + 1), 1 => 0usize..300_000]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(Value::Number),
        2 => length().prop_map(Value::Text),
        2 => (0usize..4).prop_map(Value::Shared),
        1 => prop_oneof![0u64..10, Just(u64::from(u32::MAX))].prop_map(Value::Spaces),
    ]
}

/// A row or column index: mostly small, sometimes at the edge of Excel's grid.
fn index(small: u64, edge: u64) -> impl Strategy<Value = u64> {
    prop_oneof![6 => 0..small, 1 => small..edge, 1 => Just(edge - 1)]
}

/// A repeat count: mostly 1, sometimes huge.
fn repeat() -> impl Strategy<Value = u64> {
    prop_oneof![6 => Just(1u64), 2 => 1u64..100, 1 => 100u64..30_000, 1 => Just(1_000_000u64), 1 => Just(16_384u64)]
}

#[derive(Debug, Clone)]
struct Xlsx {
    cells: Vec<(u64, u64, Value)>,
    /// Shared strings' lengths.
    shared: Vec<usize>,
    /// Extra rows of column A referring to shared string 0.
    copies: u64,
    dimension: Option<(u64, u64)>,
    range: Option<(u64, u64, u64, u64)>,
}

/// A row of .ods: its repeats, and its cells as (column repeats, value or empty).
type OdsRow = (u64, Vec<(u64, Option<Value>)>);

#[derive(Debug, Clone)]
struct Ods {
    rows: Vec<OdsRow>,
    range: Option<(u64, u64, u64, u64)>,
}

fn range() -> impl Strategy<Value = Option<(u64, u64, u64, u64)>> {
    prop::option::weighted(0.3, (0u64..50, 0u64..10, 0u64..30_000, 0u64..80))
}

fn xlsx() -> impl Strategy<Value = Xlsx> {
    (
        prop::collection::vec((index(40, 1_048_576), index(12, 16_384), value()), 0..30),
        prop::collection::vec(length(), 0..4),
        prop_oneof![4 => Just(0u64), 1 => 0u64..5_000],
        prop::option::weighted(0.3, (index(100, 1_048_576), index(20, 16_384))),
        range(),
    )
        .prop_map(|(cells, shared, copies, dimension, range)| Xlsx { cells, shared, copies, dimension, range })
}

fn ods() -> impl Strategy<Value = Ods> {
    let cell = (repeat(), prop::option::weighted(0.7, value()));
    (prop::collection::vec((repeat(), prop::collection::vec(cell, 0..6)), 0..8), range())
        .prop_map(|(rows, range)| Ods { rows, range })
}

/// What calamine would hold: the used area, cells and characters, and the longest cell.
#[derive(Default)]
struct Model {
    first: (u64, u64),
    last: (u64, u64),
    cells: u64,
    chars: u64,
    longest: u64,
}

impl Model {
    fn add(&mut self, (row, col): (u64, u64), (rows, cols): (u64, u64), chars: u64) {
        if self.cells == 0 {
            self.first = (row, col);
        }
        self.first = (self.first.0.min(row), self.first.1.min(col));
        self.last = (self.last.0.max(row + rows - 1), self.last.1.max(col + cols - 1));
        self.cells = self.cells.saturating_add(rows * cols);
        self.chars = self.chars.saturating_add(chars.saturating_mul(rows * cols));
        self.longest = self.longest.max(chars);
    }

    /// Whether a stated limit is exceeded (`whole_table`: no range given).
    fn over(&self, whole_table: bool) -> bool {
        if self.cells == 0 {
            return false;
        }
        let (rows, cols) = (self.last.0 - self.first.0 + 1, self.last.1 - self.first.1 + 1);
        (whole_table && (rows > (MAX_TABLE_ROWS + 100) as u64 || cols > MAX_TABLE_COLUMNS as u64))
            || rows * cols > MAX_SHEET_CELLS
            || self.cells > MAX_SHEET_CELLS
            || self.chars > MAX_SHEET_CHARS
            || self.longest > MAX_CELL_CHARS as u64
    }
}

fn column(mut c: u64) -> String {
    let mut letters = Vec::new();
    c += 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

/// `n` characters of text, every seventh written as an entity.
fn text(n: usize) -> String {
    (0..n).map(|i| if i % 7 == 6 { "&amp;" } else { "資" }).collect()
}

impl Xlsx {
    fn bytes(&self) -> (Vec<u8>, Model) {
        let mut model = Model::default();
        let shared: Vec<String> = self.shared.iter().map(|&n| text(n)).collect();
        let mut rows: std::collections::BTreeMap<u64, String> = Default::default();
        let mut put = |row: u64, col: u64, xml: String, chars: Option<u64>, model: &mut Model| {
            rows.entry(row).or_default().push_str(&format!("<c r=\"{}{}\"{xml}</c>", column(col), row + 1));
            if let Some(chars) = chars {
                model.add((row, col), (1, 1), chars);
            }
        };
        for (row, col, v) in &self.cells {
            let (xml, chars) = match v {
                Value::Number | Value::Spaces(_) => ("><v>7</v>".to_string(), Some(1)),
                Value::Text(n) => (format!(" t=\"inlineStr\"><is><t>{}</t></is>", text(*n)), Some(*n as u64)),
                Value::Shared(i) if shared.is_empty() => ("><v>7</v>".to_string(), Some(1)),
                Value::Shared(i) => {
                    let i = i % shared.len();
                    (format!(" t=\"s\"><v>{i}</v>"), Some(self.shared[i] as u64))
                }
            };
            // An empty string is no value to calamine.
            put(*row, *col, xml, chars.filter(|&n| n > 0), &mut model);
        }
        if let Some(&first) = self.shared.first() {
            for r in 0..self.copies {
                let chars = Some(first as u64).filter(|&n| n > 0);
                put(r, 0, " t=\"s\"><v>0</v>".to_string(), chars, &mut model);
            }
        }
        let dimension =
            self.dimension.map_or(String::new(), |(r, c)| format!("<dimension ref=\"A1:{}{}\"/>", column(c), r + 1));
        let data: String = rows.iter().map(|(r, cells)| format!("<row r=\"{}\">{cells}</row>", r + 1)).collect();
        let sheet = format!("{dimension}<sheetData>{data}</sheetData>");
        let shared = (!shared.is_empty()).then_some((shared.len() as u64, &shared[..]));
        (xlsx_of(&sheet, shared, false), model)
    }
}

impl Ods {
    fn bytes(&self) -> (Vec<u8>, Model) {
        let mut model = Model::default();
        let mut xml = String::new();
        let mut row = 0u64;
        for (repeats, cells) in &self.rows {
            xml.push_str(&format!("<table:table-row table:number-rows-repeated=\"{repeats}\">"));
            let mut col = 0u64;
            for (n, v) in cells {
                let attr = format!("table:number-columns-repeated=\"{n}\"");
                let (cell, chars) = match v {
                    None => (format!("<table:table-cell {attr}/>"), None),
                    Some(Value::Number) => (
                        format!(
                            "<table:table-cell {attr} office:value-type=\"float\" office:value=\"7\"><text:p>7</text:p></table:table-cell>"
                        ),
                        Some(1),
                    ),
                    Some(Value::Text(k) | Value::Shared(k)) => (
                        format!(
                            "<table:table-cell {attr} office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                            text(*k)
                        ),
                        Some(*k as u64),
                    ),
                    Some(Value::Spaces(s)) => (
                        format!(
                            "<table:table-cell {attr} office:value-type=\"string\"><text:p>甲<text:s text:c=\"{s}\"/>乙</text:p></table:table-cell>"
                        ),
                        Some(2 + s),
                    ),
                };
                xml.push_str(&cell);
                if let Some(chars) = chars.filter(|&c| c > 0) {
                    model.add((row, col), (*repeats, *n), chars);
                }
                col += n;
            }
            xml.push_str("</table:table-row>");
            row += repeats;
        }
        (ods_of(&xml), model)
    }
}

fn a1_range((r0, c0, rows, cols): (u64, u64, u64, u64)) -> String {
    format!("{}{}:{}{}", column(c0), r0 + 1, column(c0 + cols), r0 + rows + 1)
}

/// The invariant, for one spreadsheet.
fn holds(bytes: Vec<u8>, model: &Model, range: Option<(u64, u64, u64, u64)>) -> Result<(), TestCaseError> {
    let range = range.map(a1_range);
    let start = std::time::Instant::now();
    let read = sheets::read(bytes, None, range.as_deref());
    let took = start.elapsed();
    prop_assert!(took.as_secs() < 20, "{:.1} s", took.as_secs_f64());
    match read {
        Ok(_) if model.over(range.is_none()) => Err(TestCaseError::fail(format!(
            "read although over a limit: {} cells, {} characters",
            model.cells, model.chars
        ))),
        Ok(t) => {
            let mut csv = csv::ReaderBuilder::new().has_headers(false).from_reader(t.csv.as_bytes());
            let records: Vec<csv::StringRecord> = csv.records().collect::<Result<_, _>>().unwrap();
            prop_assert!(records.len() <= MAX_TABLE_ROWS + 100);
            for r in &records {
                prop_assert!(r.len() <= MAX_TABLE_COLUMNS);
                prop_assert!(r.iter().all(|c| c.chars().count() <= MAX_CELL_CHARS));
            }
            Ok(())
        }
        Err(e) => {
            prop_assert!(!e.is_empty());
            Ok(())
        }
    }
}

#[test]
fn spreadsheets_are_refused_or_read_within_the_limits() {
    let strategy = prop_oneof![xlsx().prop_map(Ok), ods().prop_map(Err)];
    fuzz("spreadsheets_are_refused_or_read_within_the_limits", env_cases(48), &strategy, |sheet| match sheet {
        Ok(x) => {
            let (bytes, model) = x.bytes();
            holds(bytes, &model, x.range)
        }
        Err(o) => {
            let (bytes, model) = o.bytes();
            holds(bytes, &model, o.range)
        }
    });
}
