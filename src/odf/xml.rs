//! The only ways user text enters the ODF XML: as element text ([`text`], spaces, tabs
//! and line breaks kept as ODF keeps them) or as an attribute value ([`attr`]).

/// XML-escaped element text in ODF's whitespace rules: a run of spaces after the first
/// is `<text:s/>` (XML would collapse it), a tab `<text:tab/>`, a line break
/// `<text:line-break/>`.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut spaces = 0usize;
    let flush = |out: &mut String, spaces: &mut usize| {
        match *spaces {
            0 => {}
            1 if !out.is_empty() && !out.ends_with('>') => out.push(' '),
            1 => out.push_str("<text:s/>"),
            n => {
                // One plain space, then the rest as <text:s/> (a leading run all of it).
                if !out.is_empty() && !out.ends_with('>') {
                    out.push(' ');
                    out.push_str(&format!("<text:s text:c=\"{}\"/>", n - 1));
                } else {
                    out.push_str(&format!("<text:s text:c=\"{n}\"/>"));
                }
            }
        }
        *spaces = 0;
    };
    for c in s.chars() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        flush(&mut out, &mut spaces);
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' => out.push_str("<text:tab/>"),
            '\n' => out.push_str("<text:line-break/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    // Trailing spaces are kept too (XML would drop them at the element's end).
    if spaces > 0 {
        out.push_str(&format!("<text:s text:c=\"{spaces}\"/>"));
    }
    out
}

/// An XML attribute value (double-quoted), or the text of an element whose whitespace
/// does not matter (metadata).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_text() {
        assert_eq!(text("<a>&</a>"), "&lt;a&gt;&amp;&lt;/a&gt;");
        assert_eq!(attr("\"x'"), "&quot;x&apos;");
    }

    #[test]
    fn spaces_survive() {
        assert_eq!(text("a  b"), "a <text:s text:c=\"1\"/>b");
        assert_eq!(text(" a "), "<text:s/>a<text:s text:c=\"1\"/>");
        assert_eq!(text("a\tb\nc"), "a<text:tab/>b<text:line-break/>c");
    }
}
