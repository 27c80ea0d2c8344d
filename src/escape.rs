//! The only two ways user text enters Typst source: as markup or as a string literal.
//!
//! Every ASCII character that Typst markup gives a meaning to is backslash-escaped, so
//! `#read("/etc/passwd")`, `$x$`, `*`, `//`, `--`, `...`, straight quotes and line-start
//! markers (`=`, `-`, `+`, `1.`) all print as written. A backslash followed by any
//! non-space character is a literal in Typst markup.

use crate::zh::is_cjk;

/// Characters with a meaning in Typst markup (including smart punctuation and
/// line-start markers). Escaping one that needs none is harmless.
const MARKUP_SPECIAL: &str = "\\#$*_`[]<>@/~'\"-.=+:";

/// Escape `text` for Typst markup. Line breaks become a space between Latin words and
/// nothing between CJK characters (a line break in Chinese source text is not a space).
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\r' | '\n' => {
                // Collapse the whole run of line breaks and surrounding spaces.
                let before = out.trim_end_matches([' ', '\t']).len();
                out.truncate(before);
                let mut j = i;
                while j < chars.len() && matches!(chars[j], '\r' | '\n' | ' ' | '\t') {
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
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters archival PDF (PDF/A) text may not carry, and why: the byte-order mark
/// U+FEFF (as a zero-width no-break space: U+2060 WORD JOINER is the character for that),
/// the noncharacter U+FFFE and private-use characters (造字, unreadable anywhere else).
/// Rejected in every text field and attachment, naming the code point (they are invisible
/// or look like anything).
pub fn first_unarchivable(text: &str) -> Option<(char, &'static str)> {
    text.chars().find_map(|c| match c as u32 {
        0xFEFF => Some((c, "位元組順序記號 BOM／零寬不換行空格；如需不斷行請用 U+2060")),
        0xFFFE => Some((c, "非字元 noncharacter")),
        0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD => Some((
            c,
            "私人使用區字元（造字），其他系統無法辨識；請改用 Unicode 標準字",
        )),
        _ => None,
    })
}

/// The message for [`first_unarchivable`]'s finding.
pub fn unarchivable_message(c: char, why: &str) -> String {
    format!("含有封存格式 PDF/A 不允許的字元 U+{:04X}（{why}）", c as u32)
}

/// Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they make
/// text display in another order than it is stored (「Trojan Source」), so a name or a
/// decision could read differently on the page than in the record. Chinese text never
/// needs them; rejected in every text field. (The marks U+200E/200F are harmless.)
pub fn first_bidi_control(text: &str) -> Option<char> {
    text.chars().find(|&c| matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069))
}

/// Control characters other than tab and line breaks: rejected in every text field.
pub fn first_forbidden_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
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
    fn string_literal() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
