//! Which characters a text field may hold: the rules every field of group.toml and
//! meeting.toml and every text attachment is held to, in one place.

/// Longest text field, in characters (about 100 pages): longer text belongs in an
/// attachment, and a runaway value (a pasted file) would take minutes to typeset.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// Longest one-line field (a 案由, a name, a place, a label), in characters: these go
/// into titles, bookmarks and the PDF's metadata, whose strings PDF/A caps at 32,767.
pub const MAX_LINE_FIELD_CHARS: usize = 1_000;

/// Characters archival PDF (PDF/A) text may not carry, and why: the byte-order mark
/// U+FEFF (as a zero-width no-break space: U+2060 WORD JOINER is the character for that),
/// the noncharacter U+FFFE and private-use characters (造字, unreadable anywhere else).
/// Rejected in every text field and attachment, naming the code point (they are invisible
/// or look like anything).
pub fn first_unarchivable(text: &str) -> Option<(char, &'static str)> {
    text.chars().find_map(|c| match c as u32 {
        0xFEFF => Some((c, "位元組順序記號 BOM／零寬不換行空格；如需不斷行請用 U+2060")),
        0xFFFE => Some((c, "非字元（Unicode 保留不用的碼位）")),
        0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD => {
            Some((c, "私人使用區字元（造字），其他系統無法辨識；請改用 Unicode 標準字"))
        }
        _ => None,
    })
}

/// The message for [`first_unarchivable`]'s finding.
pub(crate) fn unarchivable_message(c: char, why: &str) -> String {
    format!("含有封存格式 PDF/A 不允許的字元 U+{:04X}（{why}）", c as u32)
}

/// Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they make
/// text display in another order than it is stored (「Trojan Source」), so a name or a
/// decision could read differently on the page than in the record. Chinese text never
/// needs them; rejected in every text field. (The marks U+200E/200F are harmless.)
pub(crate) fn first_bidi_control(text: &str) -> Option<char> {
    text.chars().find(|&c| matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069))
}

/// Control characters other than tab and line breaks: rejected in every text field.
pub(crate) fn first_forbidden_control(text: &str) -> Option<char> {
    text.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The line and paragraph separators U+2028, U+2029: invisible in a PDF, a line break to
/// some CSV and JSON readers and none to others. Rejected in every text field (a line
/// break is a line break; U+000B and U+0085 are control characters).
pub(crate) fn first_separator(text: &str) -> Option<char> {
    text.chars().find(|&c| matches!(c, '\u{2028}' | '\u{2029}'))
}

/// Every character rule a text field breaks, one message each, in a fixed order:
/// control characters, bidirectional controls, separators, characters PDF/A cannot carry.
pub(crate) fn violations(text: &str) -> Vec<(char, String)> {
    let mut out = Vec::new();
    if let Some(c) = first_forbidden_control(text) {
        out.push((c, format!("含有不允許的控制字元 U+{:04X}", c as u32)));
    }
    if let Some(c) = first_bidi_control(text) {
        out.push((c, format!("含有雙向文字控制字元 U+{:04X}：它使文字顯示的順序與實際內容不同，請刪除", c as u32)));
    }
    if let Some(c) = first_separator(text) {
        out.push((c, format!("含有分行符號 U+{:04X}：Unicode 的行／段落分隔符在 PDF 中看不見，CSV 與 JSON 的讀取程式卻可能當成換行；請改用一般換行", c as u32)));
    }
    if let Some((c, why)) = first_unarchivable(text) {
        out.push((c, unarchivable_message(c, why)));
    }
    out
}

/// Characters that open a formula when a spreadsheet (Excel, LibreOffice, Google Sheets)
/// opens a CSV cell (OWASP「CSV Injection」): `=`, `+`, `-`, `@`, tab, carriage return.
/// A cell that is a plain number (`-12`, `+3.5`, `-20%`) or one sign repeated (`-`, `--`) is
/// not a formula and passes. Returns the offending first character.
pub fn formula_start(cell: &str) -> Option<char> {
    let first = cell.chars().next()?;
    let t = cell.trim_start();
    let c = match first {
        '\t' | '\r' => return Some(first),
        _ => t.chars().next()?,
    };
    match c {
        '=' | '@' => Some(c),
        '+' | '-' => {
            let rest = &t[1..];
            let number = {
                let body = rest.strip_suffix('%').unwrap_or(rest);
                let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
                !int.is_empty()
                    && int.chars().next().is_some_and(|d| d.is_ascii_digit())
                    && int.chars().all(|d| d.is_ascii_digit() || d == ',')
                    && !frac.is_empty()
                    && frac.chars().all(|d| d.is_ascii_digit())
            };
            let dashes = t.trim_end().chars().all(|d| d == c);
            (!number && !dashes).then_some(c)
        }
        _ => None,
    }
}

/// The message for [`formula_start`]'s finding; `what` names the cell when it is part of
/// a field (`決議第 2 項`), else empty.
pub(crate) fn formula_message(c: char, what: &str) -> String {
    let shown = match c {
        '\t' => "定位字元 Tab".to_string(),
        '\r' => "歸位字元 CR".to_string(),
        c => format!("「{c}」"),
    };
    format!(
        "{what}以{shown}開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）"
    )
}

/// Most code points in one grapheme cluster (a letter with its combining marks, an emoji
/// sequence): the longest real ones (family emoji, Indic conjuncts, a letter with a few
/// tone marks) have about 10. Text shaping is quadratic in a cluster's length: 8,000
/// marks on one letter take 8 GB.
pub const MAX_CLUSTER_CHARS: usize = 32;

/// The first grapheme cluster longer than [`MAX_CLUSTER_CHARS`] code points: its byte
/// offset and its length in code points.
pub fn first_long_cluster(text: &str) -> Option<(usize, usize)> {
    use unicode_segmentation::UnicodeSegmentation;
    // A cluster of at most MAX_CLUSTER_CHARS bytes cannot have more code points.
    text.grapheme_indices(true).find_map(|(offset, g)| {
        if g.len() <= MAX_CLUSTER_CHARS {
            return None;
        }
        let n = g.chars().count();
        (n > MAX_CLUSTER_CHARS).then_some((offset, n))
    })
}

/// The message for [`first_long_cluster`]'s finding.
pub(crate) fn long_cluster_message(chars: usize) -> String {
    format!(
        "含有過長的組合字元（一個字上疊了 {chars} 個字碼，上限 {MAX_CLUSTER_CHARS} 個）：通常是重複貼上的附加符號，請刪除多餘的符號"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas() {
        for f in [
            "=1+2",
            "@SUM(A1:A9)",
            "+886-2-2380-0000",
            "-2+3",
            "=HYPERLINK(\"x\")",
            "\t=1",
            " =1",
            "-cmd|' /C calc'!A0",
        ] {
            assert!(formula_start(f).is_some(), "{f}");
        }
        for ok in ["照案通過", "-12", "+3.5", "-20%", "-1,000", "-", "--", "+", "＝1+2", "", "1. =x", "•甲"] {
            assert_eq!(formula_start(ok), None, "{ok}");
        }
    }
}
