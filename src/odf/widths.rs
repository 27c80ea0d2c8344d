//! Column widths of the ODT's CSV tables, computed for the edition's own text: 12 pt,
//! CJK in the body face (one em a character), Latin and digits in Times New Roman (about
//! half an em). The PDF's widths are fitted for its own face and size and cannot be
//! reused: at 12 pt a date in a column fitted for 10.5 pt breaks (`103-06-／19`).
//!
//! Every column gets its longest run that cannot break (a date, a number, a 文號) and
//! its header's words whole or in two even lines, never one character a line; a table
//! whose columns cannot also give running text about ten characters a line on a
//! portrait page is set on a landscape page, at the same 12 pt (FORMAT.md: tables never
//! under 12 pt).

use crate::render::tables::{Cell, Table, water_fill};
use crate::text::display_width;
use crate::text::zh::is_cjk;

/// Width units across the text block at 12 pt: one unit is half an em (6 pt), a digit
/// in Times New Roman. Portrait A4 with 2.5 cm margins: 16 cm.
pub const PORTRAIT_UNITS: f64 = 16.0 / 2.54 * 72.0 / 6.0;
/// Landscape A4 with 2.5 cm margins: 24.7 cm.
pub const LANDSCAPE_UNITS: f64 = 24.7 / 2.54 * 72.0 / 6.0;
/// A cell's padding (0.12 cm a side) and rules, with a little slack, in units (LibreOffice
/// wraps 無標章 in a column 44 pt wide).
const PADDING: f64 = 1.8;
/// A CJK word this long or shorter is never wrapped (不定期, 銀標章): a two-line split
/// would leave one character alone.
const WHOLE_WORD: f64 = 6.0;
/// Text in two lines, at most about ten characters a line: what a running-text column
/// needs to read well.
const COMFORTABLE: f64 = 20.0;

/// How a table is laid out in the ODT.
#[derive(Debug, PartialEq)]
pub struct Layout {
    /// Column widths in units (relative: the table is as wide as the text block).
    pub widths: Vec<f64>,
    /// Set on a landscape page of its own.
    pub landscape: bool,
}

/// Units `s` takes at 12 pt: CJK two; Latin as wide as the widest face it may meet
/// (Times New Roman on Windows sets a digit in one unit; where it is missing, as on a
/// Linux desktop, fontconfig substitutes DejaVu Serif, whose digits take 1.27).
fn units(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            // Between CJK words a space is set in the CJK face: half an em.
            ' ' => 1.0,
            'A'..='Z' | 'm' | 'w' | '%' | '@' => 1.6,
            ',' | '.' | '-' | ':' | ';' | '/' | '(' | ')' | '\'' => 0.8,
            c if c.is_ascii() => 1.3,
            c => display_width(c.encode_utf8(&mut [0; 4])) as f64,
        })
        .sum()
}

/// Units of the longest run of `s` no line may break: digits, Latin letters and their
/// punctuation (`103-06-19`, `1,896`, `1123000289`); a web address breaks after its
/// slashes, a path after a `/` that no digit follows (`113/04/29` is one number).
fn unbreakable(s: &str) -> f64 {
    s.split(|c: char| c.is_whitespace() || is_cjk(c))
        .flat_map(|run| {
            let mut pieces = Vec::new();
            let mut start = 0;
            let chars: Vec<(usize, char)> = run.char_indices().collect();
            for (k, &(i, c)) in chars.iter().enumerate() {
                let next = chars.get(k + 1).map(|&(_, n)| n);
                if c == '/' && next.is_some_and(|n| !n.is_ascii_digit()) {
                    pieces.push(&run[start..=i]);
                    start = i + 1;
                }
            }
            pieces.push(&run[start..]);
            pieces
        })
        .map(units)
        .fold(0.0, f64::max)
}

/// Units a header cell needs: each of its words (a header wraps at its spaces) whole, or
/// in two even lines when it is long (資料集識別碼 → 資料集／識別碼).
fn header_min(s: &str) -> f64 {
    s.split_whitespace()
        .map(|word| {
            let w = units(word);
            if w <= WHOLE_WORD + 2.0 || !word.chars().any(is_cjk) {
                w
            } else {
                // Half the word, rounded up to a whole character.
                let chars: Vec<char> = word.chars().collect();
                let first: String = chars[..chars.len().div_ceil(2)].iter().collect();
                let second: String = chars[chars.len().div_ceil(2)..].iter().collect();
                units(&first).max(units(&second))
            }
        })
        .fold(0.0, f64::max)
        .max(unbreakable(s))
}

/// A header cell's text in lines for a column `width` units wide: whole on one line when
/// it fits; else its words packed into lines (a header wraps at its spaces, not inside
/// 識別碼 leaving 碼 alone); a long word without spaces in two even halves.
pub fn header_lines(text: &str, width: f64) -> Vec<String> {
    let room = width - PADDING;
    if units(text) <= room {
        return vec![text.to_string()];
    }
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if units(line) + units(" ") + units(word) <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if let [word] = lines.as_slice()
        && word.chars().all(is_cjk)
    {
        let chars: Vec<char> = word.chars().collect();
        let half = chars.len().div_ceil(2);
        return vec![chars[..half].iter().collect(), chars[half..].iter().collect()];
    }
    lines
}

/// Units a body cell needs: its unbreakable runs, and a short text (不定期) whole.
fn body_min(s: &str) -> f64 {
    let w = units(s.trim());
    unbreakable(s).max(if w <= WHOLE_WORD { w } else { 4.0f64.min(w) })
}

/// Each printed cell with the column it starts in: (column, columns spanned, rows
/// spanned, header?, cell).
pub fn placed(t: &Table) -> Vec<(usize, usize, usize, bool, &Cell)> {
    let mut out = Vec::new();
    let mut covered = vec![0usize; t.columns];
    for (header, rows) in [(true, &t.header), (false, &t.body)] {
        for row in rows {
            let mut col = 0;
            let mut cells = row.iter();
            while col < t.columns {
                if covered[col] > 0 {
                    covered[col] -= 1;
                    col += 1;
                    continue;
                }
                let Some(c) = cells.next() else {
                    col += 1;
                    continue;
                };
                let span = c.colspan.max(1).min(t.columns - col);
                for cov in covered.iter_mut().skip(col).take(span) {
                    *cov = c.rowspan.max(1) - 1;
                }
                out.push((col, span, c.rowspan.max(1), header, c));
                col += span;
            }
        }
    }
    out
}

/// The table's columns and page, for its text at 12 pt; `user` are the widths the
/// meeting.toml gives (kept as written, the page chosen for them).
pub fn layout(t: &Table, user: &[f64]) -> Layout {
    let columns = t.columns;
    let mut min = vec![PADDING + 2.0; columns];
    let mut want = vec![PADDING + 2.0; columns];
    let mut header_want = vec![0.0f64; columns];
    let mut cells: Vec<Vec<f64>> = vec![Vec::new(); columns];
    for (col, span, rows, header, cell) in placed(t) {
        if span > 1 || col >= columns {
            continue;
        }
        let text = cell.text.as_str();
        if header {
            min[col] = min[col].max(header_min(text) + PADDING);
            header_want[col] = header_want[col].max(units(text) + PADDING);
        } else {
            min[col] = min[col].max(body_min(text) + PADDING);
            // Text merged over several rows has their height to wrap in.
            let w = if rows > 1 { units(text).min(COMFORTABLE) } else { units(text) };
            want[col] = want[col].max(w + PADDING);
            if rows == 1 {
                cells[col].push(units(text));
            }
        }
    }
    if user.len() == columns {
        let total: f64 = user.iter().sum();
        let fits = |available: f64| (0..columns).all(|c| user[c] / total * available >= min[c]);
        return Layout { widths: user.to_vec(), landscape: !fits(PORTRAIT_UNITS) && fits(LANDSCAPE_UNITS) };
    }
    let comfortable: f64 =
        (0..columns).map(|c| min[c].max(((want[c] - PADDING) / 2.0).min(COMFORTABLE) + PADDING)).sum();
    let landscape = comfortable > PORTRAIT_UNITS;
    let available = if landscape { LANDSCAPE_UNITS } else { PORTRAIT_UNITS };
    // The neediest last: short columns whole first (公務預算處 never wraps), then headers
    // on one line, then long text takes what is left.
    let mut width = min.clone();
    let mut spare = available - width.iter().sum::<f64>();
    let capped: Vec<f64> = want.iter().map(|w| w.min(24.0 + PADDING)).collect();
    let headers: Vec<f64> = (0..columns).map(|c| capped[c].max(header_want[c])).collect();
    for target in [&capped, &headers, &want] {
        spare = water_fill(&mut width, target, spare);
    }
    // A column whose text wraps with one character left over (地方統計推展中／心) is
    // narrowed until none does; what it frees goes to the others.
    let mut evened = vec![false; columns];
    for c in 0..columns {
        let even = no_runts(width[c], min[c], &cells[c]);
        evened[c] = even < width[c];
        spare += width[c] - even;
        width[c] = even;
    }
    let headers: Vec<f64> = (0..columns).map(|c| if evened[c] { width[c] } else { headers[c] }).collect();
    spare = water_fill(&mut width, &headers, spare);
    // The rest to the columns not evened (the widths are relative: all of the page is
    // shared out).
    let open: f64 = (0..columns).filter(|&c| !evened[c]).map(|c| width[c]).sum();
    if spare > 0.0 && open > 0.0 {
        for c in (0..columns).filter(|&c| !evened[c]) {
            width[c] += spare * width[c] / open;
        }
    }
    Layout { widths: width, landscape }
}

/// The widest width up to `width` (down to `min`) at which none of `cells` (their text
/// in units) wraps with one character alone on its last line (地方統計推展中／心);
/// `width` when there is none.
fn no_runts(width: f64, min: f64, cells: &[f64]) -> f64 {
    let per_line = ((width - PADDING) / 2.0).floor() as usize;
    let chars: Vec<usize> = cells.iter().map(|u| (u / 2.0).ceil() as usize).collect();
    (1..=per_line)
        .rev()
        .map(|k| (k, if k == per_line { width } else { k as f64 * 2.0 + PADDING }))
        .take_while(|&(_, w)| w >= min)
        .find(|&(k, _)| chars.iter().all(|&n| n <= k || n % k != 1))
        .map_or(width, |(_, w)| w.min(width))
}

/// Widths in units of a table of running text (上次會議決定（議）事項辦理情形): each column
/// at least its header's words and its unbreakable runs; the rest of `available` where it
/// saves most lines (a row is as tall as its tallest cell), so no column of long text is
/// left a few characters wide. `rows[r][c]` is a cell's text as printed.
pub fn running_text(header: &[&str], rows: &[Vec<String>], available: f64) -> Vec<f64> {
    let columns = header.len();
    let text = |r: usize, c: usize| rows[r].get(c).map_or("", String::as_str);
    // Each cell measured once: the search below measures the table many times.
    let cell: Vec<Vec<f64>> =
        rows.iter().map(|row| (0..columns).map(|c| units(row.get(c).map_or("", String::as_str))).collect()).collect();
    let min: Vec<f64> = (0..columns)
        .map(|c| {
            let run = (0..rows.len()).map(|r| body_min(text(r, c))).fold(0.0, f64::max);
            run.max(header_min(header[c])).max(4.0) + PADDING
        })
        .collect();
    let total: Vec<f64> = (0..columns).map(|c| (0..rows.len()).map(|r| cell[r][c]).sum()).collect();
    let longest: Vec<f64> =
        (0..columns).map(|c| (0..rows.len()).map(|r| cell[r][c] + PADDING).fold(min[c], f64::max)).collect();
    // Short columns (編號, 列管建議) whole; the columns of long text at least about ten
    // characters a line, or an even share of what is left: fewest lines alone would
    // squeeze 案由 to five characters a line beside a long 辦理情形.
    let short: Vec<bool> = (0..columns).map(|c| longest[c] <= 12.0 + PADDING).collect();
    let long = short.iter().filter(|s| !**s).count().max(1) as f64;
    let fair = (available - (0..columns).filter(|&c| short[c]).map(|c| longest[c]).sum::<f64>()) / long;
    let min: Vec<f64> = (0..columns)
        .map(|c| if short[c] { longest[c] } else { min[c].max(fair.min(COMFORTABLE + PADDING)).min(longest[c]) })
        .collect();
    // Lines of the table at these widths: a cell wraps at whole CJK characters.
    let height = |width: &[f64]| -> f64 {
        (0..rows.len())
            .map(|r| {
                (0..columns)
                    .map(|c| (cell[r][c] / ((width[c] - PADDING) / 2.0).floor().max(1.0) / 2.0).ceil())
                    .fold(1.0, f64::max)
            })
            .sum()
    };
    let mut width = min.clone();
    let spare = available - width.iter().sum::<f64>();
    let weight: f64 = (0..columns).filter(|&c| longest[c] > min[c]).map(|c| total[c]).sum();
    if spare <= 0.0 || weight <= 0.0 {
        return width;
    }
    for c in (0..columns).filter(|&c| longest[c] > min[c]) {
        width[c] += spare * total[c] / weight;
    }
    // Local search in whole units, bounded (a handful of columns).
    for _ in 0..200 {
        let now = height(&width);
        let mut best: Option<(usize, usize, f64)> = None;
        for from in (0..columns).filter(|&f| width[f] - 1.0 >= min[f]) {
            for to in (0..columns).filter(|&t| t != from && longest[t] > width[t]) {
                let mut tried = width.clone();
                tried[from] -= 1.0;
                tried[to] += 1.0;
                let h = height(&tried);
                if h < now && best.is_none_or(|(_, _, b)| h < b) {
                    best = Some((from, to, h));
                }
            }
        }
        let Some((from, to, _)) = best else { break };
        width[from] -= 1.0;
        width[to] += 1.0;
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: &[&str], body: &[&[&str]]) -> Table {
        let row = |r: &[&str]| r.iter().map(|t| Cell { text: t.to_string(), colspan: 1, rowspan: 1 }).collect();
        Table {
            columns: header.len(),
            widths: vec![],
            text_size: "12pt".into(),
            align: vec![],
            header: vec![row(header)],
            body: body.iter().map(|r| row(r)).collect(),
            landscape: false,
            header_words: true,
        }
    }

    #[test]
    fn running_text_columns_share_by_what_they_hold() {
        let rows: Vec<Vec<String>> = [
            [
                "一",
                "本總處 113 年 1 至 3 月資料開放推動情形，提請討論。",
                "照案通過。",
                "已於政府資料開放平臺補充下載次數前 10 名資料集之主要欄位說明。",
                "建議解除列管",
            ],
            [
                "二",
                "本總處開放資料集下架一案，提請討論。",
                "1. 照案通過。 2. 請地方統計推展中心於政府資料開放平臺公告停止提供及其理由，並載明資料改由之提供機關。",
                "24 項資料集已於 113 年 5 月 10 日公告停止提供，並載明改由之提供機關及連結。",
                "建議解除列管",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        let w = running_text(&["編號", "案由", "決定（議）", "辦理情形", "列管建議"], &rows, 69.0);
        assert!((w.iter().sum::<f64>() - 69.0).abs() < 1e-6, "{w:?}");
        // 編號 narrow, 建議解除列管 whole, 案由 a fair share (seven characters or more).
        assert!(w[0] < w[1] && w[4] >= units("建議解除列管") + PADDING, "{w:?}");
        assert!(w[1] >= 14.0 + PADDING, "{w:?}");
    }

    #[test]
    fn runs_that_cannot_break() {
        assert!((unbreakable("103-06-19") - 10.7).abs() < 1e-9);
        assert!((unbreakable("第1123000289號函") - 13.0).abs() < 1e-9);
        // Breaks after `tw/`, not after `dataset/` (a number follows).
        assert!((unbreakable("data.gov.tw/dataset/6019") - units("dataset/6019")).abs() < 1e-9);
        assert_eq!(header_min("資料集識別碼"), 6.0);
        assert_eq!(header_min("下載 排名"), 4.0);
        assert_eq!(header_min("銀標章"), 6.0);
        assert_eq!(header_lines("資料集 識別碼", 30.0), ["資料集 識別碼"]);
        assert_eq!(header_lines("資料集 識別碼", 12.0), ["資料集", "識別碼"]);
        assert_eq!(header_lines("資料集識別碼", 10.0), ["資料集", "識別碼"]);
        assert_eq!(header_lines("下架資料集名稱", 30.0), ["下架資料集名稱"]);
    }

    #[test]
    fn dates_and_headers_fit_or_the_page_turns() {
        // 附件2 of packets/dgbas/113-1: dates, numbers and two-line headers do not fit
        // beside ten characters of 資料集名稱 on a portrait page.
        let t = table(
            &[
                "下載 排名",
                "資料集 識別碼",
                "上架 時間",
                "更新 頻率",
                "資料 更新時間",
                "資料集名稱",
                "累計瀏覽 次數",
                "累計下載 次數",
            ],
            &[&[
                "1",
                "8246",
                "103-06-19",
                "不定期",
                "113-03-07",
                "家庭收支調查-各縣市別平均每戶所得收入總計",
                "40,661",
                "9,231",
            ]],
        );
        let l = layout(&t, &[]);
        assert!(l.landscape);
        assert!((l.widths.iter().sum::<f64>() - LANDSCAPE_UNITS).abs() < 0.01, "{l:?}");
        assert!(l.widths[2] >= 10.7 + PADDING && l.widths[4] >= 10.7 + PADDING, "{l:?}");
        assert!(l.widths[3] >= 6.0 + PADDING, "不定期 whole: {l:?}");
        // A narrow table stays portrait and still keeps its runs whole.
        let t = table(&["單位", "總計"], &[&["地方統計推展中心", "1,896"]]);
        let l = layout(&t, &[]);
        assert!(!l.landscape);
        assert!(l.widths[1] >= units("1,896") + PADDING, "{l:?}");
        // Eight characters in a column of seven take two lines of six and two; with one
        // of seven too, five a line.
        assert_eq!(no_runts(14.0 + PADDING, 4.0, &[16.0, 10.0]), 12.0 + PADDING);
        assert_eq!(no_runts(14.0 + PADDING, 4.0, &[16.0, 10.0, 14.0]), 10.0 + PADDING);
        assert_eq!(no_runts(20.0, 4.0, &[10.0]), 20.0);
        // Widths the meeting gives are kept; too narrow for portrait, the page turns.
        let t = table(&["a", "b"], &[&["103-06-19-103-06-19-103-06-19-103-06-19", "x"]]);
        assert_eq!(layout(&t, &[1.0, 1.0]), Layout { widths: vec![1.0, 1.0], landscape: true });
        // A table of no columns has no widths.
        let mut t = table(&[], &[]);
        t.header.clear();
        assert_eq!(layout(&t, &[]), Layout { widths: vec![], landscape: false });
    }
}
