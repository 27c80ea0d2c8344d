//! Markdown as packet parses it (comrak, one set of options): the clauses of a
//! decision, and plain text numbered as the documents print it (for CSV and JSON).
//! Markdown → Typst is [`crate::render::markdown`].

use std::borrow::Cow;

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};

use super::{hygiene, zh};

/// The Markdown dialect of every text field and `.md` attachment: CommonMark with
/// tables, strikethrough and autolinks.
pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o
}

/// Parse a text field or `.md` attachment: every stage parses through here, so all read
/// the same document. Link reference definitions (`[註1]: 說明`) are text here: CommonMark
/// would consume them without printing anything, and a decision or a note would vanish.
pub fn parse<'a>(arena: &'a Arena<'a>, md: &str) -> &'a AstNode<'a> {
    let md = keep_definitions(md);
    parse_document(arena, &md, &options())
}

/// `md` with a backslash before the `[` of every line that could open a link reference
/// definition (`[label]:` after any block-quote and list markers), outside code and raw
/// HTML. With no definitions, `[label]` is never a link, so `\[` prints what `[` would.
fn keep_definitions(md: &str) -> Cow<'_, str> {
    if !md.contains("]:") {
        return Cow::Borrowed(md);
    }
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options());
    // Lines whose text is literal (code, raw HTML): a backslash would print there.
    let mut literal = std::collections::HashSet::new();
    for n in root.descendants() {
        let data = n.data.borrow();
        if matches!(
            data.value,
            NodeValue::CodeBlock(_) | NodeValue::HtmlBlock(_) | NodeValue::Code(_) | NodeValue::HtmlInline(_)
        ) {
            literal.extend(data.sourcepos.start.line..=data.sourcepos.end.line);
        }
    }
    let mut out = String::with_capacity(md.len() + 8);
    let mut offset = 0;
    for (i, line) in md.split_inclusive('\n').enumerate() {
        let at = (!literal.contains(&(i + 1)))
            .then(|| definition_start(line))
            .flatten()
            .filter(|&at| is_label_then_colon(&md[offset + at..]));
        match at {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push('\\');
                out.push_str(&line[at..]);
            }
            None => out.push_str(line),
        }
        offset += line.len();
    }
    Cow::Owned(out)
}

/// Byte offset of a `[` that opens `line` after indentation and block-quote and list
/// markers (`> `, `- `, `* `, `+ `, `1. `, `1) `).
fn definition_start(line: &str) -> Option<usize> {
    let mut rest = line;
    loop {
        let t = rest.trim_start_matches([' ', '\t']);
        let after = if let Some(r) = t.strip_prefix('>') {
            r
        } else if let Some(r) =
            t.strip_prefix(['-', '*', '+']).filter(|r| r.is_empty() || r.starts_with([' ', '\t', '\n', '\r']))
        {
            r
        } else {
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match t[digits..].strip_prefix(['.', ')']) {
                Some(r) if (1..=9).contains(&digits) && (r.is_empty() || r.starts_with([' ', '\t', '\n', '\r'])) => r,
                _ => {
                    return t.starts_with('[').then(|| line.len() - t.len());
                }
            }
        };
        rest = after;
    }
}

/// Whether `text` opens with a link label (`[…]`, no unescaped brackets inside, at most
/// 999 characters, over lines too) followed by `:`.
fn is_label_then_colon(text: &str) -> bool {
    let mut chars = text.char_indices().skip(1);
    let mut n = 0;
    while let Some((i, c)) = chars.next() {
        n += 1;
        if n > 1000 {
            return false;
        }
        match c {
            '\\' => {
                chars.next();
            }
            '[' => return false,
            ']' => return text[i + 1..].starts_with(':'),
            _ => {}
        }
    }
    false
}

/// Every text a Markdown field holds after parsing (entities and escapes decoded): text,
/// code, raw HTML, link and image destinations and titles, one per line. The character
/// rules apply to this as they do to the field as written (`&#x202E;` is U+202E).
pub(crate) fn decoded_text(md: &str) -> String {
    let arena = Arena::new();
    let root = parse(&arena, md);
    let mut out = String::new();
    for n in root.descendants() {
        match &n.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::HtmlInline(h) => out.push_str(h),
            NodeValue::HtmlBlock(h) => out.push_str(&h.literal),
            NodeValue::CodeBlock(cb) => out.push_str(&cb.literal),
            NodeValue::Link(l) | NodeValue::Image(l) => {
                out.push_str(&l.url);
                out.push('\n');
                out.push_str(&l.title);
            }
            _ => continue,
        }
        out.push('\n');
    }
    out
}

/// The character reference in `md` (`&#x202E;`, `&#8238;`, `&nbsp;`…) that Markdown decodes
/// to `c`, as written.
pub(crate) fn reference_for(md: &str, c: char) -> Option<&str> {
    md.match_indices('&').find_map(|(i, _)| {
        let end = md[i..].char_indices().take(40).find(|(_, ch)| *ch == ';')?.0;
        let candidate = &md[i..=i + end];
        let arena = Arena::new();
        let root = parse_document(&arena, candidate, &options());
        let decoded: String = root
            .descendants()
            .filter_map(|n| match &n.data.borrow().value {
                NodeValue::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        (decoded == c.to_string()).then_some(candidate)
    })
}

/// The character rules ([`hygiene::violations`]) applied to what Markdown decodes from
/// `md` (`&#x202E;` is U+202E), for characters `md` does not hold as written (those are
/// the caller's finding): one message per rule, naming the reference as written. For
/// every Markdown text field and `.md` attachment.
pub(crate) fn decoded_violations(md: &str) -> Vec<(char, String)> {
    if !md.contains('&') {
        return Vec::new();
    }
    let decoded = decoded_text(md);
    let mut out = replaced_reference(md, &decoded).into_iter().collect::<Vec<_>>();
    out.extend(hygiene::violations(&decoded).into_iter().filter(|(c, _)| !md.contains(*c)).map(|(c, message)| {
        let how = match reference_for(md, c) {
            Some(r) => format!("（由 Markdown 字元參照「{r}」寫成）"),
            None => "（由 Markdown 字元參照寫成）".into(),
        };
        // Right after the code point when a colon follows it, else at the end.
        let code = format!("U+{:04X}：", c as u32);
        let message = match message.find(&code) {
            Some(at) => {
                let at = at + code.len() - '：'.len_utf8();
                format!("{}{how}{}", &message[..at], &message[at..])
            }
            None => format!("{message}{how}"),
        };
        (c, message)
    }));
    out
}

/// A numeric character reference that Markdown prints as the replacement character U+FFFD
/// instead of what it names: `&#0;`, a surrogate, one beyond U+10FFFF, and (comrak counts
/// it among the surrogates) `&#xE000;`, the first private-use character. The text would
/// silently change (a missing glyph in the PDF), so it is refused, with the rule the
/// named character breaks when it has one.
fn replaced_reference(md: &str, decoded: &str) -> Option<(char, String)> {
    let replacements = |t: &str| t.matches('\u{FFFD}').count();
    if replacements(decoded) <= replacements(md) {
        return None;
    }
    let written = reference_for(md, '\u{FFFD}');
    let named = written.and_then(|r| {
        let body = r.strip_prefix("&#")?.strip_suffix(';')?;
        match body.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => body.parse::<u32>().ok(),
        }
    });
    let shown = written.unwrap_or("&#…;");
    let why = match (named, named.and_then(char::from_u32).filter(|&c| c != '\0')) {
        (_, Some(c)) => match hygiene::violations(c.encode_utf8(&mut [0; 4])).into_iter().next() {
            Some((_, message)) => message,
            None => format!("U+{:04X} 請直接寫出該字元", c as u32),
        },
        (Some(u), None) => format!("U+{u:04X} 不是可印出的 Unicode 字元"),
        (None, None) => "它不是有效的 Unicode 字元".to_string(),
    };
    Some(('\u{FFFD}', format!("字元參照「{shown}」會被印成替代字元 U+FFFD（看不見原字）：{why}")))
}

/// Whether a Markdown field prints nothing (no text but spaces and zero-width marks), or
/// a decision one of whose clauses does: such a decision is not recorded yet.
pub(crate) fn is_blank(md: &str) -> bool {
    let blank = |t: &str| t.chars().all(|c| c.is_whitespace() || matches!(c as u32, 0x200B..=0x200F | 0x2060 | 0xFEFF));
    blank(&plain(md, 3)) || ordered_clauses(md).iter().any(|c| blank(&plain(c, 4)))
}

/// The clauses of a decision: each entry of a top-level ordered list when the text is
/// exactly one such list (`1. 照案通過。\n2. …`), otherwise the whole text as one.
pub(crate) fn ordered_clauses(md: &str) -> Vec<String> {
    let arena = Arena::new();
    let root = parse(&arena, md);
    let blocks: Vec<_> = root.children().collect();
    let whole = || vec![md.trim().to_string()];
    let [list] = blocks.as_slice() else {
        return whole();
    };
    let is_ordered = matches!(&list.data.borrow().value, NodeValue::List(l) if l.list_type == ListType::Ordered);
    if !is_ordered {
        return whole();
    }
    let lines: Vec<&str> = md.lines().collect();
    list.children()
        .map(|item| {
            let pos = item.data.borrow().sourcepos;
            let text: Vec<&str> =
                (pos.start.line..=pos.end.line).filter_map(|l| lines.get(l - 1).copied()).map(str::trim).collect();
            let joined = text.join("\n");
            let body = joined.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['.', ')']);
            body.trim().to_string()
        })
        .collect()
}

/// Deepest nesting of lists and block quotes (`>`) a Markdown text may have. Official
/// documents go four levels deep (一、（一）1.（1））; Typst stops at some depth (a
/// 60-level list, 200 quotes), so deeper text is refused at its field first.
pub const MAX_NESTING: usize = 12;

/// The first list or block quote nested deeper than [`MAX_NESTING`]: its depth and its
/// 1-based line and column (in characters) in `md`.
pub fn too_deep(md: &str) -> Option<(usize, usize, usize)> {
    fn walk<'a>(node: &'a AstNode<'a>, depth: usize) -> Option<(usize, usize)> {
        for child in node.children() {
            let nests = matches!(child.data.borrow().value, NodeValue::List(_) | NodeValue::BlockQuote);
            let d = depth + usize::from(nests);
            if d > MAX_NESTING {
                let start = child.data.borrow().sourcepos.start;
                return Some((d, start.line * 1_000_000 + start.column));
            }
            if let Some(found) = walk(child, d) {
                return Some(found);
            }
        }
        None
    }
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options());
    let (depth, at) = walk(root, 0)?;
    let (line, byte_col) = (at / 1_000_000, at % 1_000_000);
    let text = md.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let col = text.get(..byte_col.saturating_sub(1)).map_or(byte_col, |t| t.chars().count() + 1);
    Some((depth, line, col))
}

/// The message for [`too_deep`].
pub fn too_deep_message(depth: usize) -> String {
    format!("清單或引言（>）巢狀 {depth} 層，超過上限 {MAX_NESTING} 層；請減少層次")
}

/// Plain text of a Markdown field, numbered as the PDFs print it: an ordered list at
/// `level` gets [`zh::marker`]s (1 一、, 2 （一）, 3 1., 4 （1）), nested lists the next
/// level; emphasis and links keep their text.
pub fn plain(md: &str, level: usize) -> String {
    let arena = Arena::new();
    let root = parse(&arena, md);
    let mut out = String::new();
    block(root, level, &mut out);
    out.trim().to_string()
}

fn block<'a>(node: &'a AstNode<'a>, level: usize, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::List(list) => {
            for (i, item) in node.children().enumerate() {
                let marker = match list.list_type {
                    ListType::Ordered => zh::marker(level, list.start + i),
                    ListType::Bullet => "•".to_string(),
                };
                let next = if list.list_type == ListType::Ordered { level + 1 } else { level };
                let mut inner = String::new();
                for c in item.children() {
                    block(c, next, &mut inner);
                }
                out.push_str(&marker);
                out.push_str(inner.trim());
                out.push('\n');
            }
        }
        NodeValue::Paragraph | NodeValue::Heading(_) => {
            inline_children(node, out);
            out.push('\n');
        }
        NodeValue::CodeBlock(cb) => {
            out.push_str(cb.literal.trim_end());
            out.push('\n');
        }
        NodeValue::HtmlBlock(h) => {
            out.push_str(h.literal.trim_end());
            out.push('\n');
        }
        NodeValue::ThematicBreak => {}
        NodeValue::TableRow(_) => {
            let cells: Vec<String> = node
                .children()
                .map(|c| {
                    let mut s = String::new();
                    inline_children(c, &mut s);
                    s.trim().to_string()
                })
                .collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        _ => {
            for c in node.children() {
                block(c, level, out);
            }
        }
    }
}

fn inline_children<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for c in node.children() {
        inline(c, out);
    }
}

fn inline<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(t) => out.push_str(&t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::HtmlInline(h) => out.push_str(&h),
        NodeValue::SoftBreak => {
            // A wrapped line: no space between CJK characters, one between words.
            if !out.chars().next_back().is_some_and(|c| zh::is_cjk(c) || !c.is_ascii()) {
                out.push(' ');
            }
        }
        NodeValue::LineBreak => out.push('\n'),
        NodeValue::Link(link) => {
            // A link without text prints its destination (nothing may vanish).
            let before = out.len();
            inline_children(node, out);
            if out[before..].trim().is_empty() {
                out.truncate(before);
                out.push_str(&link.url);
            }
        }
        _ => inline_children(node, out),
    }
}

/// Level of an explicit marker: 壹、0 一、1 （一）2 1.3 （1）4.
fn marker_level(marker: &str) -> usize {
    let mut chars = marker.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    if "壹貳參肆伍陸柒捌玖拾".contains(first) {
        0
    } else if first == '（' || first == '(' {
        if second.is_ascii_digit() { 4 } else { 2 }
    } else if first.is_ascii_digit() {
        3
    } else {
        1
    }
}

/// The explicit numbering marker a paragraph opens with, if any.
pub fn leading_marker<'a>(para: &'a AstNode<'a>) -> Option<String> {
    let first = para.first_child()?;
    let data = first.data.borrow();
    let NodeValue::Text(t) = &data.value else {
        return None;
    };
    if let Some((marker, _)) = zh::split_marker(t) {
        return Some(marker.to_string());
    }
    // A marker alone before emphasis, as the seed writes it: `(一) **年度預計開放項目**：…`.
    first.next_sibling()?;
    let probe = format!("{}甲", t.trim_end());
    zh::split_marker(&probe).map(|(marker, _)| marker.to_string())
}

/// A paragraph opening with an explicit marker (一、 （一） 1. …), the paragraphs and
/// lists after it up to the next marker (they hang under its text), and the points nested
/// under it.
pub struct Point<'a> {
    pub level: usize,
    pub marker: String,
    pub para: &'a AstNode<'a>,
    pub body: Vec<&'a AstNode<'a>>,
    pub points: Vec<Point<'a>>,
}

/// A sequence of blocks as both editions print it: each block on its own, or a run of
/// consecutive hand-numbered points, printed as one list.
pub enum Block<'a> {
    Plain(&'a AstNode<'a>),
    Points(Vec<Point<'a>>),
}

/// Group `nodes` into points by their explicit markers, so that `1.` under `（一）` under
/// `一、` nests; the one grouping the Typst and the ODF writers both walk.
pub fn with_points<'a>(nodes: &[&'a AstNode<'a>]) -> Vec<Block<'a>> {
    // Close the innermost open point: into its parent, or into the top-level run.
    fn close<'a>(open: &mut Vec<Point<'a>>, run: &mut Vec<Point<'a>>) {
        let Some(p) = open.pop() else { return };
        match open.last_mut() {
            Some(parent) => parent.points.push(p),
            None => run.push(p),
        }
    }
    let mut blocks = Vec::new();
    // The open points: each one a point of the one before it.
    let mut open: Vec<Point<'a>> = Vec::new();
    // Finished top-level points not yet emitted (one list).
    let mut run: Vec<Point<'a>> = Vec::new();
    for &node in nodes {
        let is_para = matches!(node.data.borrow().value, NodeValue::Paragraph);
        let is_list = matches!(node.data.borrow().value, NodeValue::List(_));
        match if is_para { leading_marker(node) } else { None } {
            Some(marker) => {
                let level = marker_level(&marker);
                while open.last().is_some_and(|p| p.level >= level) {
                    close(&mut open, &mut run);
                }
                open.push(Point { level, marker, para: node, body: Vec::new(), points: Vec::new() });
            }
            None if (is_para || is_list) && !open.is_empty() => open.last_mut().expect("open point").body.push(node),
            None => {
                while !open.is_empty() {
                    close(&mut open, &mut run);
                }
                if !run.is_empty() {
                    blocks.push(Block::Points(std::mem::take(&mut run)));
                }
                blocks.push(Block::Plain(node));
            }
        }
    }
    while !open.is_empty() {
        close(&mut open, &mut run);
    }
    if !run.is_empty() {
        blocks.push(Block::Points(run));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_markdown_prints_as_the_replacement_character_are_refused() {
        for (md, named) in [
            ("洽悉&#xE000;。", "U+E000"),
            ("洽悉&#57344;", "U+E000"),
            ("&#0;", "U+0000"),
            ("&#xD800;", "U+D800"),
            ("&#x110000;", "U+110000"),
            ("甲\u{FFFD}&#0;", "U+0000"),
        ] {
            let found = decoded_violations(md);
            let reference = &md[md.find('&').unwrap()..=md.find(';').unwrap()];
            assert!(
                found.iter().any(|(c, m)| *c == '\u{FFFD}' && m.contains(named) && m.contains(reference)),
                "{md}: {found:?}"
            );
        }
        // Printed as written (code), or a character that is allowed, or U+FFFD typed as such.
        for md in ["`&#xE000;`", "&#x4E00;", "甲\u{FFFD}", "&amp;#xE000;"] {
            assert!(decoded_violations(md).iter().all(|(c, _)| *c != '\u{FFFD}'), "{md}");
        }
    }

    #[test]
    fn plain_numbers_lists_as_printed() {
        assert_eq!(plain("1. 照案通過。\n2. 請研議。\n", 3), "1.照案通過。\n2.請研議。");
        assert_eq!(plain("1. 甲\n   1. **乙**\n", 1), "一、甲\n（一）乙");
        assert_eq!(plain("洽悉。", 3), "洽悉。");
        assert_eq!(plain("請見[連結](https://x.tw)與 `code`", 1), "請見連結與 code");
        assert_eq!(plain("第一行\n第二行", 1), "第一行第二行");
        assert_eq!(plain("word\nwrap", 1), "word wrap");
    }

    #[test]
    fn decision_clauses() {
        assert_eq!(ordered_clauses("洽悉。"), vec!["洽悉。"]);
        assert_eq!(
            ordered_clauses("1. 照案通過。\n2. 本案規劃內容\n   請辦理公眾諮詢。\n"),
            vec!["照案通過。", "本案規劃內容\n請辦理公眾諮詢。"]
        );
        assert_eq!(ordered_clauses("說明：\n\n1. 甲\n"), vec!["說明：\n\n1. 甲"]);
    }

    #[test]
    fn nesting_is_bounded() {
        assert_eq!(too_deep("1. 甲\n   1. 乙\n"), None);
        let quotes = format!("說明\n\n{} 深", ">".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&quotes), Some((MAX_NESTING + 1, 3, MAX_NESTING + 1)));
        let list: String = (0..MAX_NESTING + 1).map(|i| format!("{}- 層{i}\n", "  ".repeat(i))).collect();
        assert_eq!(too_deep(&list).map(|(d, l, _)| (d, l)), Some((MAX_NESTING + 1, MAX_NESTING + 1)));
    }
}
