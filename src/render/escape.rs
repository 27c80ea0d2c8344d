//! The only two ways user text enters Typst source: as markup or as a string literal.
//!
//! Every ASCII character that Typst markup gives a meaning to is backslash-escaped, so
//! `#read("/etc/passwd")`, `$x$`, `*`, `//`, `--`, `...`, straight quotes and line-start
//! markers (`=`, `-`, `+`, `1.`) all print as written. A backslash followed by any
//! non-space character is a literal in Typst markup.

use crate::text::zh::is_cjk;

/// Characters with a meaning in Typst markup (including smart punctuation and
/// line-start markers). Escaping one that needs none is harmless.
const MARKUP_SPECIAL: &str = "\\#$*_`[]<>@/~'\"-.=+:";

/// Escape `text` for Typst markup. Line breaks become a space between Latin words and
/// nothing between CJK characters (a line break in Chinese source text is not a space).
pub(crate) fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            // Every character Typst reads as a line break.
            '\r' | '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                // Collapse the whole run of line breaks and surrounding spaces.
                let before = out.trim_end_matches([' ', '\t']).len();
                out.truncate(before);
                let mut j = i;
                while j < chars.len() && (is_line_break(chars[j]) || matches!(chars[j], ' ' | '\t')) {
                    j += 1;
                }
                let prev = out.chars().last();
                let next = chars.get(j).copied();
                let join = match (prev, next) {
                    (Some(p), Some(n)) => is_cjk(p) || is_cjk(n),
                    _ => true,
                };
                if !join {
                    out.push(' ');
                }
                i = j;
                continue;
            }
            '\t' => out.push(' '),
            c if odd_space(c) => out.push(' '),
            c if MARKUP_SPECIAL.contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Whether Typst reads `c` as a line break (typst-syntax `is_newline`).
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Spaces other than U+0020 and the ideographic space U+3000 (Unicode category Zs), as
/// pasted from Word or the web: the no-break spaces U+00A0, U+202F, the typographic
/// spaces U+2000–U+200A (en, em, figure, thin, hair …) and U+205F. TW-Kai has glyphs for
/// them that are visible labels (「NBSP」「THSP」…), so they print as a plain space.
pub(crate) fn odd_space(c: char) -> bool {
    matches!(c as u32, 0xA0 | 0x2000..=0x200A | 0x202F | 0x205F)
}

/// A Typst string literal (with quotes) holding exactly `text`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_line_break(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_code() {
        assert_eq!(markup("#read(\"/etc\")"), "\\#read(\\\"\\/etc\\\")");
        assert_eq!(markup("a*b*"), "a\\*b\\*");
        assert_eq!(markup("1. x"), "1\\. x");
    }

    #[test]
    fn cjk_line_breaks_vanish() {
        assert_eq!(markup("為配合政府\n資料開放"), "為配合政府資料開放");
        assert_eq!(markup("open\ndata"), "open data");
        assert_eq!(markup("開放\r\n  data"), "開放data");
    }

    #[test]
    fn every_typst_line_break_is_one() {
        assert_eq!(markup("甲\u{2028}乙"), "甲乙");
        assert_eq!(markup("open\u{2029}\u{85}data"), "open data");
        assert_eq!(string("a\u{2028}b"), "\"a\\u{2028}b\"");
    }

    #[test]
    fn odd_spaces_are_spaces() {
        assert_eq!(markup("甲\u{a0}乙\u{202f}丙\u{2009}丁\u{200a}戊\u{2007}己\u{205f}庚"), "甲 乙 丙 丁 戊 己 庚");
        assert_eq!(markup("全形\u{3000}空白"), "全形\u{3000}空白");
    }

    #[test]
    fn string_literal() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
