//! Text that must not break across lines, as Typst boxes around escaped markup: a
//! paragraph's last characters (no 「之。」 alone on its last line) and an attachment
//! reference with its number (「如附件 2」, never 「如附件／2」).
//!
//! Typst's optimized line breaking (the preamble) penalises a lone last line only when
//! it cannot break (「管。」); 「列管」 or a table cell's 「次數」 can, so they are boxed
//! with the character before them: the box moves to the next line whole, and a box
//! alone on the last line counts as a lone last line too.

use super::escape;
use crate::text::zh::is_cjk;

/// Characters kept together at the end of a paragraph: at least this many, two of them
/// not punctuation (「理之。」「列管。」「除列管」).
const TAIL_CHARS: usize = 3;
const TAIL_LETTERS: usize = 2;

/// What may not start a line: closing brackets and punctuation.
const CLOSING: &str = "）」』》〉】〕］｝〞，。、：；！？";

/// Words after which a number belongs to them: 附件 2, 附表 1, 附錄 3.
const REFERENCE_WORDS: [&str; 3] = ["附件", "附表", "附錄"];

/// `text` as Typst markup ([`escape::markup`]), with its references boxed and, when it
/// ends a paragraph (`ends_paragraph`), its last characters too.
pub(crate) fn markup(text: &str, ends_paragraph: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut boxes = references(&chars);
    if ends_paragraph && let Some(tail) = tail(&chars) {
        // A reference the tail reaches into joins it: one box.
        let start = boxes.iter().filter(|r| r.1 >= tail.0).map(|r| r.0).min().unwrap_or(tail.0).min(tail.0);
        boxes.retain(|r| r.1 <= start);
        boxes.push((start, tail.1));
    }
    let mut out = String::with_capacity(text.len() + 16 * boxes.len());
    let mut at = 0;
    for (start, end) in boxes {
        out.push_str(&escape::markup(&chars[at..start].iter().collect::<String>()));
        out.push_str("#box[");
        out.push_str(&escape::markup(&chars[start..end].iter().collect::<String>()));
        out.push(']');
        at = end;
    }
    out.push_str(&escape::markup(&chars[at..].iter().collect::<String>()));
    out
}

/// A CJK character that is not punctuation (an ideograph, kana, bopomofo).
fn is_letter(c: char) -> bool {
    is_cjk(c) && c.is_alphabetic()
}

/// The last characters of a paragraph to keep on one line, as a range of `chars`: CJK
/// only (a Latin word does not break inside anyway), trailing spaces left out.
fn tail(chars: &[char]) -> Option<(usize, usize)> {
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    let mut start = end;
    let mut letters = 0;
    while start > 0 && is_cjk(chars[start - 1]) && !chars[start - 1].is_whitespace() {
        if letters >= TAIL_LETTERS && end - start >= TAIL_CHARS {
            break;
        }
        start -= 1;
        letters += usize::from(is_letter(chars[start]));
    }
    // Too short to matter, or the whole text (nothing to break from).
    (end - start >= 2 && start > 0).then_some((start, end))
}

/// Every 附件 / 附表 / 附錄 followed by a number (spaces between allowed), as ranges.
fn references(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < chars.len() {
        let word: String = chars[i..i + 2].iter().collect();
        if REFERENCE_WORDS.contains(&word.as_str()) {
            let mut j = i + 2;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let digits = chars[j..].iter().take_while(|&&c| c.is_ascii_digit() || ('０'..='９').contains(&c)).count();
            if digits > 0 {
                // With the brackets and punctuation that close it: 「（如附件 2）。」
                let end = j + digits;
                let end = end + chars[end..].iter().take_while(|c| CLOSING.contains(**c)).count();
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraphs_last_characters_stay_together() {
        assert_eq!(markup("得指定委員一人代理之。", true), "得指定委員一人代#box[理之。]");
        assert_eq!(markup("其餘解除列管", true), "其餘解#box[除列管]");
        assert_eq!(markup("其餘解除列管", false), "其餘解除列管");
        // Closing punctuation runs with the letters before it.
        assert_eq!(markup("依申請提供資料」）。", true), "依申請提供#box[資料」）。]");
        // Latin ends and short texts are left alone.
        assert_eq!(markup("提供 API", true), "提供 API");
        assert_eq!(markup("洽悉。", true), "洽悉。");
        assert_eq!(markup("a\\b 之。", true), "a\\\\b #box[之。]");
    }

    #[test]
    fn a_reference_keeps_its_number() {
        assert_eq!(markup("詳如附件2，請參閱", false), "詳如#box[附件2，]請參閱");
        assert_eq!(markup("如附表 1 所列", false), "如#box[附表 1] 所列");
        assert_eq!(markup("下載次數排名如附件2）。", true), "下載次數排名如#box[附件2）。]");
        assert_eq!(markup("附件之說明", false), "附件之說明");
    }
}
