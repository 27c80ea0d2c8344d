//! CSV attachments → a table with header rows, merged cells and column layout.

use serde::Serialize;

use crate::model::Align;
use crate::text::display_width;
use crate::text::encoding;
use crate::text::zh::is_cjk;

/// The least share of the table's width a column may be given by `widths` (about one
/// character of the body size on an A4 page).
const MIN_COLUMN_SHARE: f64 = 0.03;
/// Most body rows of one CSV attachment (header rows not counted): 20,000 rows is about
/// 1,000 printed pages and takes 15 s to lay out; longer tables belong in the open-data
/// bundle, not in the printed packet.
pub const MAX_TABLE_ROWS: usize = 20_000;

/// Most characters in one cell of a table (CSV or spreadsheet): about two pages of a
/// full-width column. A table row is laid out as a whole, and a 200,000-character cell
/// failed deep in the PDF writer; longer text belongs in a `.md` attachment.
pub const MAX_CELL_CHARS: usize = 5_000;

/// Most columns of one CSV attachment: more than 64 columns cannot be read on an A4 page,
/// and every column is measured for every row.
pub const MAX_TABLE_COLUMNS: usize = 64;

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub columns: usize,
    /// Typst track sizes, e.g. `2fr`.
    pub widths: Vec<String>,
    /// The type size: `12pt`, FORMAT.md's floor, at every width (see [`column_widths`]).
    pub text_size: String,
    /// Set on a landscape page of its own: the table is too wide for a portrait page at
    /// 12 pt (see [`column_widths`]).
    pub landscape: bool,
    /// Each header wraps only between its words (its columns are as wide as its widest
    /// word); false when even a landscape page cannot hold them whole.
    pub header_words: bool,
    /// Alignment of body cells per column (`left`, `center`, `right`).
    pub align: Vec<&'static str>,
    pub header: Vec<Vec<Cell>>,
    pub body: Vec<Vec<Cell>>,
}

/// A cell that is printed; cells covered by a merge are left out.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// What the meeting.toml says about the table.
pub struct TableSpec<'a> {
    pub header_rows: usize,
    pub merges: &'a [String],
    pub align: &'a [Align],
    pub widths: &'a [f64],
}

/// An error in the CSV (with its 1-based line) or in the spec (with the spec field).
#[derive(Debug, PartialEq)]
pub enum TableError {
    Csv { line: Option<usize>, message: String },
    Spec { field: &'static str, index: Option<usize>, message: String },
}

/// Decode CSV bytes as UTF-8 (BOM allowed); name the encoding when it is something else.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, String> {
    encoding::decode(bytes, false)
        .map(|(text, _)| text.into_owned())
        .map_err(|found| encoding::refusal("檔案", found, "在試算表軟體另存為「CSV UTF-8」"))
}

/// Parse `A1`-style `C1:G1` into 0-based (row0, col0, row1, col1).
fn parse_range(s: &str) -> Option<(usize, usize, usize, usize)> {
    let (a, b) = s.trim().split_once(':')?;
    let (r0, c0) = parse_cell(a)?;
    let (r1, c1) = parse_cell(b)?;
    (r0 <= r1 && c0 <= c1).then_some((r0, c0, r1, c1))
}

fn parse_cell(s: &str) -> Option<(usize, usize)> {
    let letters: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &s[letters.len()..];
    if letters.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.to_ascii_uppercase().bytes().fold(0usize, |acc, b| acc * 26 + (b - b'A' + 1) as usize);
    let row: usize = digits.parse().ok()?;
    (row >= 1).then_some((row - 1, col - 1))
}

fn cell_name(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        letters.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Width (in display units, a CJK character = 2) of the longest run that cannot wrap:
/// digits, Latin letters and their punctuation (`103-06-19`, `1,896`, `(XML)`). A line
/// may break after a `/` (`data.gov.tw/dataset/`), and Typst breaks a web address
/// (`https://…`, `www.…`) every few characters, so those are not one run.
fn unbreakable_width(s: &str) -> usize {
    /// The longest piece Typst leaves whole inside a web address.
    const LINK_PIECE: usize = 16;
    s.split(|c: char| c.is_whitespace() || is_cjk(c))
        .map(|run| {
            if run.contains("://") || run.starts_with("www.") {
                display_width(run).min(LINK_PIECE)
            } else {
                // Not before a digit: `113/04/29` is one number (UAX #14, LB25).
                let mut longest = 0;
                let mut piece = 0;
                let mut chars = run.chars().peekable();
                while let Some(c) = chars.next() {
                    piece += display_width(c.encode_utf8(&mut [0; 4]));
                    if c == '/' && chars.peek().is_some_and(|n| !n.is_ascii_digit()) {
                        longest = longest.max(piece);
                        piece = 0;
                    }
                }
                longest.max(piece)
            }
        })
        .max()
        .unwrap_or(0)
        .max(if s.chars().any(is_cjk) { 2 } else { 0 })
}

/// The type size of a CSV table (pt): FORMAT.md's floor for the documents' text. A
/// table too wide for it turns the page, and only then wraps header words.
const TABLE_SIZE: f64 = 12.0;

/// Display units (half a CJK character) at 12 pt across the text block: 16 cm on a
/// portrait A4 page, 24.7 cm on a landscape one (2.5 cm margins).
fn available_units(landscape: bool) -> f64 {
    // At 12 pt one unit is about 0.21 cm: 76 units.
    if landscape { 76.0 * 24.7 / 16.0 } else { 76.0 }
}

/// Width of the widest word of a header: a header wraps only where it has a space.
fn header_word_width(s: &str) -> usize {
    s.split_whitespace().map(display_width).max().unwrap_or(0)
}

/// Column widths like a browser's automatic table layout, and the page: every column
/// gets at least its longest unbreakable run (so `103-06-19` never overflows) and its
/// header's widest word (so 資料集識別碼 never breaks into 資料集/識別碼), then the
/// remaining width goes to the columns whose text would otherwise wrap, in proportion
/// to how much they lack. The table is set at 12 pt (FORMAT.md's floor); if whole
/// header words and about ten characters a line for the text columns do not fit a
/// portrait page, it goes on a landscape page; if whole header words do not fit that
/// either, headers wrap onto two lines. Returns (widths as Typst `fr`, landscape,
/// whether header words are whole).
fn column_widths(
    grid: &[Vec<String>],
    spec: &TableSpec,
    covered: &[Vec<bool>],
    span: &[Vec<(usize, usize)>],
    columns: usize,
) -> (Vec<String>, bool, bool) {
    if !spec.widths.is_empty() {
        return (spec.widths.iter().map(|w| format!("{w}fr")).collect(), false, false);
    }
    // Each cell's inset and rule take about two units.
    let padding = 2.0;
    let single = |r: usize, c: usize| !covered[r][c] && span[r][c].1 == 1;
    let mut body_min = vec![4.0f64; columns];
    let mut want = vec![4.0f64; columns];
    let mut header_whole = vec![0.0f64; columns];
    let mut header_split = vec![0.0f64; columns];
    let mut header_want = vec![0.0f64; columns];
    for (r, row) in grid.iter().enumerate() {
        for c in 0..columns {
            if !single(r, c) {
                continue;
            }
            let w = display_width(&row[c]);
            let unbreakable = unbreakable_width(&row[c]) as f64 + padding;
            if r < spec.header_rows {
                header_whole[c] = header_whole[c].max((header_word_width(&row[c]) as f64 + padding).max(unbreakable));
                // Fallback: two lines, not more.
                let half = (w.div_ceil(4) * 2).max(w.min(4));
                header_split[c] = header_split[c].max((half as f64 + padding).max(unbreakable));
                header_want[c] = header_want[c].max(w as f64 + padding);
                continue;
            }
            body_min[c] = body_min[c].max(unbreakable);
            // Text merged over several rows has their height to wrap in: ten
            // characters a line is plenty.
            let natural = if span[r][c].0 > 1 { w.min(20) } else { w };
            want[c] = want[c].max(natural as f64 + padding);
        }
    }
    // Long text capped at ten characters a line: what a text column needs at least.
    let comfortable = |min: &[f64]| -> f64 { (0..columns).map(|c| min[c].max(want[c].min(20.0 + padding))).sum() };
    let whole: Vec<f64> = (0..columns).map(|c| body_min[c].max(header_whole[c])).collect();
    let (min, landscape, header_words) = if comfortable(&whole) <= available_units(false) {
        (whole, false, true)
    } else if whole.iter().sum::<f64>() <= available_units(true) {
        (whole, true, true)
    } else {
        ((0..columns).map(|c| body_min[c].max(header_split[c])).collect(), true, false)
    };
    let available = available_units(landscape);
    // Water-filling: the columns that need least get their full width first (so 公務預算處
    // never wraps), the long-text columns share what is left.
    let mut width = min.clone();
    let mut spare = available - width.iter().sum::<f64>();
    // In rounds: body text (long text capped at twelve characters a line), then
    // headers on one line, then the long text takes what is left.
    let capped: Vec<f64> = want.iter().map(|w| w.min(24.0 + padding)).collect();
    let headers: Vec<f64> = (0..columns).map(|c| capped[c].max(header_want[c])).collect();
    for target in [&capped, &headers, &want] {
        spare = water_fill(&mut width, target, spare);
    }
    (width.iter().map(|w| format!("{w:.1}fr")).collect(), landscape, header_words)
}

/// Give each column up to `target`, the neediest-last, sharing `spare` fairly; returns
/// what is left. (Also the ODT's column fitting, `odf::widths`.)
pub(crate) fn water_fill(width: &mut [f64], target: &[f64], mut spare: f64) -> f64 {
    let columns = width.len();
    let mut order: Vec<usize> = (0..columns).collect();
    order.sort_by(|&a, &b| (target[a] - width[a]).total_cmp(&(target[b] - width[b])));
    for (k, &c) in order.iter().enumerate() {
        let fair = spare.max(0.0) / (columns - k) as f64;
        let add = (target[c] - width[c]).max(0.0).min(fair);
        width[c] += add;
        spare -= add;
    }
    spare
}

/// How much more a line of the table's height weighs than a line of any one cell in
/// [`text_column_widths`].
const HEIGHT_WEIGHT: usize = 2;

/// Lines a cell takes at `width` display units: each of its paragraphs (`\n`-separated)
/// wraps at a whole CJK character, its later lines hung `hang` units in (under the text
/// after a marker such as 一、).
fn cell_lines(text: &str, width: f64, hang: f64) -> usize {
    let padding = 2.0;
    let fits = |w: f64| ((((w - padding).max(2.0) / 2.0).floor() * 2.0) as usize).max(2);
    let (first, rest) = (fits(width), fits(width - hang));
    text.split('\n')
        .map(|p| {
            let w = display_width(p);
            if w <= first { 1 } else { 1 + (w - first).div_ceil(rest) }
        })
        .sum::<usize>()
        .max(1)
}

/// Widths (Typst `fr`) of a table of running text, such as 上次會議決定（議）事項辦理情形:
/// `rows[r][c]` is a body cell's text (paragraphs separated by `\n`), `header[c]` its
/// column's heading, `hang[c]` how far its later lines are hung in, `available` the
/// width in display units. Each column gets at least its widest unbreakable run, its
/// header's widest word and `floor[c]` units; the rest goes where it shortens the
/// table most: starting from shares in proportion to each column's text, a unit at a
/// time moves to the column where it saves most lines (a row is as tall as its
/// tallest cell), weighed against the lines of every cell.
pub fn text_column_widths(
    rows: &[Vec<&str>],
    header: &[&str],
    floor: &[f64],
    hang: &[f64],
    available: f64,
) -> Vec<String> {
    let padding = 2.0;
    let columns = header.len();
    let cell = |r: usize, c: usize| rows[r].get(c).copied().unwrap_or("");
    let min: Vec<f64> = (0..columns)
        .map(|c| {
            let run = (0..rows.len()).map(|r| unbreakable_width(cell(r, c))).max().unwrap_or(0);
            let head = header_word_width(header[c]);
            (run.max(head) as f64 + padding).max(floor.get(c).copied().unwrap_or(0.0))
        })
        .collect();
    let longest: Vec<f64> = (0..columns)
        .map(|c| {
            let w = (0..rows.len()).flat_map(|r| cell(r, c).split('\n').map(display_width)).max().unwrap_or(0);
            (w as f64 + padding).max(min[c])
        })
        .collect();
    let hang_of = |c: usize| hang.get(c).copied().unwrap_or(0.0);
    // What a layout costs: the table's lines (a row is as tall as its tallest cell),
    // weighed against the lines of every cell, so that a column is not starved into a
    // narrow strip (五 characters a line) where its row is tall anyway; then the sum of
    // the squared line counts of the cells (the tall cells least tall).
    let height = |width: &[f64]| -> (usize, usize) {
        let lines: Vec<Vec<usize>> = (0..rows.len())
            .map(|r| (0..columns).map(|c| cell_lines(cell(r, c), width[c], hang_of(c))).collect())
            .collect();
        let total: usize = lines.iter().map(|row| row.iter().copied().max().unwrap_or(1)).sum();
        let cells: usize = lines.iter().flatten().sum();
        let spread = lines.iter().flatten().map(|n| n * n).sum();
        (HEIGHT_WEIGHT * total + cells, spread)
    };
    let total: Vec<f64> =
        (0..columns).map(|c| (0..rows.len()).map(|r| display_width(cell(r, c)) as f64).sum()).collect();
    let mut width = min.clone();
    let spare = available - width.iter().sum::<f64>();
    let weight: f64 = (0..columns).map(|c| if longest[c] > min[c] { total[c] } else { 0.0 }).sum();
    if spare > 0.0 && weight > 0.0 {
        for c in 0..columns {
            if longest[c] > min[c] {
                width[c] += spare * total[c] / weight;
            }
        }
        // Local search: one to eight whole CJK characters (two units each, as a cell
        // wraps at whole characters) from one column to another, the best move each
        // round; bounded, as a table has a handful of columns.
        for _ in 0..400 {
            let now = height(&width);
            let mut best: Option<(usize, usize, f64, (usize, usize))> = None;
            for from in 0..columns {
                for to in (0..columns).filter(|&t| t != from && longest[t] > min[t]) {
                    for step in (1..=8).map(|k| 2.0 * k as f64).take_while(|s| width[from] - s >= min[from]) {
                        let mut tried = width.clone();
                        tried[from] -= step;
                        tried[to] += step;
                        let h = height(&tried);
                        if h < now && best.is_none_or(|(_, _, _, b)| h < b) {
                            best = Some((from, to, step, h));
                        }
                    }
                }
            }
            let Some((from, to, step, _)) = best else { break };
            width[from] -= step;
            width[to] += step;
        }
    }
    width.iter().map(|w| format!("{w:.1}fr")).collect()
}

fn looks_numeric(s: &str) -> bool {
    let t = s.trim().trim_end_matches('%');
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || ",.-+".contains(c))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// The CSV text as a table laid out by `spec`.
pub fn parse(text: &str, spec: &TableSpec) -> Result<Table, TableError> {
    let (grid, lines) = read_grid(text, spec)?;
    if grid.is_empty() || grid.iter().all(|r| r.iter().all(String::is_empty)) {
        return Err(TableError::Csv { line: None, message: "CSV 檔案是空的".into() });
    }
    let columns = grid[0].len();
    for (row, line) in grid.iter().zip(&lines) {
        if row.len() != columns {
            return Err(TableError::Csv {
                line: Some(*line),
                message: if row.iter().any(|c| c.contains('\n')) {
                    format!("這一列有 {} 欄，但第一列有 {columns} 欄；欄位內含換行，可能是引號「\"」未成對", row.len())
                } else {
                    format!("這一列有 {} 欄，但第一列有 {columns} 欄（每列欄數須相同）", row.len())
                },
            });
        }
    }
    spec_fits(spec, grid.len(), columns)?;
    let (span, covered) = merges(&grid, spec, columns)?;
    let rows = grid.len();
    let align = alignment(&grid[spec.header_rows..], spec, columns);
    let (widths, landscape, header_words) = column_widths(&grid, spec, &covered, &span, columns);
    let to_cells = |r: usize| -> Vec<Cell> {
        (0..columns)
            .filter(|&c| !covered[r][c])
            .map(|c| Cell { text: grid[r][c].clone(), rowspan: span[r][c].0, colspan: span[r][c].1 })
            .collect()
    };
    Ok(Table {
        columns,
        widths,
        text_size: format!("{TABLE_SIZE}pt"),
        landscape,
        header_words,
        align,
        header: (0..spec.header_rows).map(to_cells).collect(),
        body: (spec.header_rows..rows).map(to_cells).collect(),
    })
}

/// The CSV's records (cells trimmed) and the line each starts on, within the row,
/// column and cell limits.
fn read_grid(text: &str, spec: &TableSpec) -> Result<(Vec<Vec<String>>, Vec<usize>), TableError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let max_rows = MAX_TABLE_ROWS + spec.header_rows.min(MAX_TABLE_ROWS);
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Csv {
            line: e.position().map(|p| p.line() as usize),
            message: format!("CSV 格式錯誤：{e}"),
        })?;
        let line = record.position().map(|p| p.line() as usize);
        if grid.len() == max_rows {
            return Err(TableError::Csv {
                line,
                message: format!(
                    "表格超過 {MAX_TABLE_ROWS} 列（不含標題列）的上限；請分割成數個附件，完整資料另以開放資料提供"
                ),
            });
        }
        if record.len() > MAX_TABLE_COLUMNS {
            return Err(TableError::Csv {
                line,
                message: format!(
                    "這一列有 {} 欄，超過 {MAX_TABLE_COLUMNS} 欄的上限（A4 頁面印不下）；請分割表格",
                    record.len()
                ),
            });
        }
        // A byte is at most a character: most cells are not counted.
        if let Some((c, n)) = record
            .iter()
            .enumerate()
            .filter(|(_, s)| s.len() > MAX_CELL_CHARS)
            .map(|(c, s)| (c, s.trim().chars().count()))
            .find(|&(_, n)| n > MAX_CELL_CHARS)
        {
            return Err(TableError::Csv {
                line,
                message: format!(
                    "這一列第 {} 欄有 {n} 字：表格的一格至多 {MAX_CELL_CHARS} 字（長文請改為 .md 附件）",
                    c + 1
                ),
            });
        }
        lines.push(record.position().map_or(grid.len() + 1, |p| p.line() as usize));
        grid.push(record.iter().map(|s| s.trim().to_string()).collect());
    }
    Ok((grid, lines))
}

/// `header_rows`, `align` and `widths` fit a table of `rows` × `columns`.
fn spec_fits(spec: &TableSpec, rows: usize, columns: usize) -> Result<(), TableError> {
    if spec.header_rows > rows {
        return Err(TableError::Spec {
            field: "header_rows",
            index: None,
            message: format!("標題列數 {} 超過 CSV 的列數 {rows}", spec.header_rows),
        });
    }
    for (field, len) in [("align", spec.align.len()), ("widths", spec.widths.len())] {
        if len != 0 && len != columns {
            return Err(TableError::Spec {
                field,
                index: None,
                message: format!("有 {len} 個值，但表格有 {columns} 欄"),
            });
        }
    }
    if let Some(i) = spec.widths.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
        return Err(TableError::Spec { field: "widths", index: Some(i), message: "欄寬須為正數".into() });
    }
    // A column must keep room for a character: relative widths as unequal as
    // [1e308, 2, 1, 1] would squeeze the others to nothing and their text off the page.
    let total: f64 = spec.widths.iter().sum();
    if let Some(i) = spec.widths.iter().position(|w| w / total < MIN_COLUMN_SHARE) {
        return Err(TableError::Spec {
            field: "widths",
            index: Some(i),
            message: format!(
                "此欄只占表寬 {:.1}%：每欄至少 {:.0}%（約一個字寬）",
                spec.widths[i] / total * 100.0,
                MIN_COLUMN_SHARE * 100.0
            ),
        });
    }
    Ok(())
}

/// Each cell's (rowspan, colspan) and whether a merge covers it: each top-left cell gets
/// its span; the cells it covers must be empty.
#[allow(clippy::type_complexity)]
fn merges(
    grid: &[Vec<String>],
    spec: &TableSpec,
    columns: usize,
) -> Result<(Vec<Vec<(usize, usize)>>, Vec<Vec<bool>>), TableError> {
    let rows = grid.len();
    let mut span = vec![vec![(1usize, 1usize); columns]; rows];
    let mut covered = vec![vec![false; columns]; rows];
    for (i, m) in spec.merges.iter().enumerate() {
        let err = |message: String| TableError::Spec { field: "merge", index: Some(i), message };
        let (r0, c0, r1, c1) = parse_range(m).ok_or_else(|| err(format!("無法解讀合併範圍「{m}」，請寫成 C1:G1")))?;
        if r1 >= rows || c1 >= columns {
            return Err(err(format!("合併範圍 {m} 超出表格（{rows} 列 × {columns} 欄）")));
        }
        if r0 < spec.header_rows && r1 >= spec.header_rows {
            return Err(err(format!("合併範圍 {m} 跨越標題列與資料列")));
        }
        for r in r0..=r1 {
            for c in c0..=c1 {
                if covered[r][c] || (span[r][c] != (1, 1)) {
                    return Err(err(format!("合併範圍 {m} 與其他合併範圍重疊於 {}", cell_name(r, c))));
                }
                if (r, c) != (r0, c0) {
                    if !grid[r][c].is_empty() {
                        return Err(err(format!(
                            "合併範圍 {m} 內的儲存格 {} 不是空的（「{}」），合併會遺失資料",
                            cell_name(r, c),
                            grid[r][c]
                        )));
                    }
                    covered[r][c] = true;
                }
            }
        }
        span[r0][c0] = (r1 - r0 + 1, c1 - c0 + 1);
    }
    Ok((span, covered))
}

/// Each column's alignment: as `align` says, else right for numbers, centred for short
/// text, left for the rest.
fn alignment(body_rows: &[Vec<String>], spec: &TableSpec, columns: usize) -> Vec<&'static str> {
    (0..columns)
        .map(|c| {
            if let Some(a) = spec.align.get(c) {
                return match a {
                    Align::Left => "left",
                    Align::Center => "center",
                    Align::Right => "right",
                };
            }
            let cells: Vec<&str> = body_rows.iter().map(|r| r[c].as_str()).filter(|s| !s.is_empty()).collect();
            if !cells.is_empty() && cells.iter().all(|s| looks_numeric(s)) {
                "right"
            } else if cells.iter().all(|s| display_width(s) <= 6) {
                "center"
            } else {
                "left"
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
