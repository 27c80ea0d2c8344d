//! The furniture of a slide deck pasted as a slides attachment: what each slide repeats
//! (the agency's motto and English name in the footer), slide numbers, and a title
//! slide that repeats the attachment's title. Printed as such, small, never as body text.

use std::collections::HashSet;

/// Paragraph texts that several slides repeat: the deck's footer.
pub(super) fn repeated_paragraphs(slides: &[Vec<String>]) -> HashSet<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut repeated = HashSet::new();
    for slide in slides {
        let mut own: HashSet<&str> = HashSet::new();
        for text in slide.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if own.insert(text) && !seen.insert(text) {
                repeated.insert(text.to_string());
            }
        }
    }
    repeated
}

/// A paragraph that is only a slide's number (「1」, 「12」).
pub(super) fn is_slide_number(text: &str) -> bool {
    let t = text.trim();
    (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// The same title, ignoring spaces (「行政院主計總處 政府資料…」).
pub(super) fn same_title(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squash(a) == squash(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footer_is_what_several_slides_repeat() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let slides =
            vec![s(&["113年4月29日", "熱誠 · 公正"]), s(&["01 運作依據", "熱誠 · 公正", "1"]), s(&["法規依據"])];
        let footers = repeated_paragraphs(&slides);
        assert!(footers.contains("熱誠 · 公正"));
        assert_eq!(footers.len(), 1);
        assert!(
            is_slide_number("1") && is_slide_number("12") && !is_slide_number("2024") && !is_slide_number("01 大綱")
        );
        assert!(same_title("行政院主計總處 政府資料", "行政院主計總處政府資料") && !same_title("大綱", "運作依據"));
    }
}
