//! Markdown in text fields → Typst markup, through comrak's AST.
//!
//! Every text node goes through [`escape::markup`]; raw HTML is printed as text; nothing
//! in the input can reach Typst as code. Ordered lists print in the official numbering
//! hierarchy (一、 → （一） → 1. → （1））, and paragraphs that open with such a marker
//! (as pasted regulations do) keep theirs, nested under the markers before them. Both,
//! and bullet lists, are real Typst lists (`#numbered`, `#bulleted` in the preamble), so
//! the tagged PDF reads them as lists (L, LI, Lbl, LBody).

use comrak::Arena;
use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};

use super::{escape, keep};
use crate::text::markdown::{Block, Point, leading_marker, parse, with_points};
use crate::text::zh;

/// How to resolve an image reference (relative to the Markdown's own file) into a path
/// Typst can load; `Err` carries the reason in Chinese.
pub type ImageResolver<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

pub struct MdContext<'a> {
    /// Numbering level of a top-level ordered list (see [`zh::marker`]): 1 prints 一、.
    pub list_level: usize,
    /// `##` sections become framed slides.
    pub slides: bool,
    /// The attachment's title, which a first slide may repeat.
    pub title: Option<&'a str>,
    pub images: Option<&'a ImageResolver<'a>>,
}

impl Default for MdContext<'_> {
    fn default() -> Self {
        MdContext { list_level: 1, slides: false, title: None, images: None }
    }
}

/// Convert Markdown to Typst markup. Errors are messages in Chinese.
pub(crate) fn to_typst(md: &str, ctx: &MdContext) -> Result<String, String> {
    to_typst_located(md, ctx).map_err(|(message, _)| message)
}

/// [`to_typst`], with the 1-based line and column (in characters) in `md` of what an
/// error is about, when known (an image that cannot be used).
pub(crate) fn to_typst_located(md: &str, ctx: &MdContext) -> Result<String, (String, Option<(usize, usize)>)> {
    let arena = Arena::new();
    let root = parse(&arena, md);
    merge_text_nodes(root);
    let mut w = Writer { ctx, out: String::new(), error_at: None };
    match w.document(root) {
        Ok(()) => Ok(w.out.trim().to_string()),
        Err(message) => {
            let at = w.error_at.map(|(line, byte_col)| {
                let text = md.lines().nth(line.saturating_sub(1)).unwrap_or("");
                let col = text.get(..byte_col.saturating_sub(1)).map_or(byte_col, |t| t.chars().count() + 1);
                (line, col)
            });
            Err((message, at))
        }
    }
}

/// Whether the text is one paragraph of running text (no second paragraph, list,
/// numbered point, heading or table): it can continue a line such as 主席致詞：.
pub(crate) fn is_one_paragraph(md: &str) -> bool {
    let arena = Arena::new();
    let root = parse(&arena, md);
    merge_text_nodes(root);
    let blocks: Vec<_> = root.children().collect();
    match blocks.as_slice() {
        [] => true,
        [p] => matches!(p.data.borrow().value, NodeValue::Paragraph) && leading_marker(p).is_none(),
        _ => false,
    }
}

/// The text of a field that is one numbered point and nothing else (`1. 如附表。`), without
/// its marker: 文書處理手冊 numbers points only when there are two or more, so a lone
/// point prints as plain text in every edition. `None` for anything else.
pub(crate) fn lone_point(md: &str) -> Option<String> {
    let arena = Arena::new();
    let root = parse(&arena, md);
    let blocks: Vec<_> = root.children().collect();
    let [list] = blocks.as_slice() else { return None };
    let NodeValue::List(l) = list.data.borrow().value.clone() else { return None };
    if l.list_type != ListType::Ordered || list.children().count() != 1 {
        return None;
    }
    // The item's own lines, its marker (and the indent the marker sets) taken off.
    let indent = l.marker_offset + l.padding;
    let text = md.trim_start_matches(['\n', '\r']);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        let cut = if i == 0 { indent.min(line.len()) } else { line.len() - line.trim_start_matches(' ').len() };
        let cut = if i == 0 { cut } else { cut.min(indent) };
        out.push_str(line.get(cut..).unwrap_or(line));
        out.push('\n');
    }
    Some(out.trim_end().to_string())
}

/// Adjacent text nodes (comrak splits at escapes such as `1\.`) become one, so a
/// leading marker can be recognised.
fn merge_text_nodes<'a>(node: &'a AstNode<'a>) {
    let mut child = node.first_child();
    while let Some(c) = child {
        let next = c.next_sibling();
        if let Some(n) = next {
            let both_text = matches!(c.data.borrow().value, NodeValue::Text(_))
                && matches!(n.data.borrow().value, NodeValue::Text(_));
            if both_text {
                let extra = match &n.data.borrow().value {
                    NodeValue::Text(t) => t.to_string(),
                    _ => unreachable!(),
                };
                if let NodeValue::Text(t) = &mut c.data.borrow_mut().value {
                    t.to_mut().push_str(&extra);
                }
                n.detach();
                continue; // look at c again with its new neighbour
            }
        }
        merge_text_nodes(c);
        child = next;
    }
}

struct Writer<'c> {
    ctx: &'c MdContext<'c>,
    out: String,
    /// Where the node of an error starts (comrak's line and byte column).
    error_at: Option<(usize, usize)>,
}

impl Writer<'_> {
    fn document<'a>(&mut self, root: &'a AstNode<'a>) -> Result<(), String> {
        let children: Vec<_> = root.children().collect();
        if !self.ctx.slides {
            return self.blocks_with_markers(&children);
        }
        // Slides: each `##` heading opens a framed slide holding what follows it.
        let mut i = 0;
        let starts_slide = |n: &AstNode| matches!(n.data.borrow().value, NodeValue::Heading(ref h) if h.level <= 2);
        let preface_end = children.iter().position(|n| starts_slide(n)).unwrap_or(children.len());
        self.blocks_with_markers(&children[..preface_end])?;
        i += preface_end;
        let mut slides = Vec::new();
        while i < children.len() {
            let end = children[i + 1..].iter().position(|n| starts_slide(n)).map_or(children.len(), |p| i + 1 + p);
            slides.push(i..end);
            i = end;
        }
        // A slide deck's own furniture, printed as such and not as body text: the
        // footer repeated on several slides, a slide number, a first slide that repeats
        // the attachment's title (printed once, as the heading).
        let texts: Vec<Vec<String>> =
            slides.iter().map(|r| children[r.start + 1..r.end].iter().map(|n| plain_text(n)).collect()).collect();
        let footers = super::slides::repeated_paragraphs(&texts);
        for (k, range) in slides.iter().enumerate() {
            let title = plain_text(children[range.start]);
            let repeats_title = k == 0 && self.ctx.title.is_some_and(|t| super::slides::same_title(t, &title));
            self.out.push_str(if repeats_title { "#title-slide[" } else { "#slide[" });
            self.inline_children(children[range.start], 0)?;
            self.out.push_str("][");
            let body = &children[range.start + 1..range.end];
            let mut content = body.len();
            let (mut footer, mut number) = (String::new(), String::new());
            while content > 0 && matches!(body[content - 1].data.borrow().value, NodeValue::Paragraph) {
                let text = &texts[k][content - 1];
                let slot = if footers.contains(text.trim()) {
                    &mut footer
                } else if number.is_empty() && super::slides::is_slide_number(text) {
                    &mut number
                } else {
                    break;
                };
                let mut w = Writer { ctx: self.ctx, out: String::new(), error_at: None };
                if let Err(e) = w.inline_children(body[content - 1], 0) {
                    self.error_at = w.error_at;
                    return Err(e);
                }
                if !slot.is_empty() {
                    w.out.push_str("#linebreak()");
                }
                slot.insert_str(0, &w.out);
                content -= 1;
            }
            self.blocks_with_markers(&body[..content])?;
            self.out.push_str(&format!("][{footer}][{number}"));
            self.out.push_str("]\n");
        }
        Ok(())
    }

    /// Top-level blocks, with paragraphs that open with an explicit marker grouped into
    /// points ([`with_points`]): consecutive points become one list.
    fn blocks_with_markers<'a>(&mut self, nodes: &[&'a AstNode<'a>]) -> Result<(), String> {
        for block in with_points(nodes) {
            match block {
                Block::Plain(node) => self.block(node, self.ctx.list_level)?,
                Block::Points(points) => self.points(&points)?,
            }
        }
        Ok(())
    }

    /// Explicit-marker points as one list (`#numbered`), each point's own paragraph, what
    /// belongs to it, then its sub-points.
    fn points<'a>(&mut self, points: &[Point<'a>]) -> Result<(), String> {
        if points.is_empty() {
            return Ok(());
        }
        let markers: Vec<&str> = points.iter().map(|p| p.marker.as_str()).collect();
        self.open_numbered(&markers);
        for p in points {
            self.out.push_str("  [");
            self.inline_children(p.para, p.marker.len())?;
            self.out.push_str("\n\n");
            for &b in &p.body {
                self.block(b, self.ctx.list_level)?;
            }
            self.points(&p.points)?;
            trim_end_in_place(&mut self.out);
            self.out.push_str("],\n");
        }
        self.out.push_str(")\n\n");
        Ok(())
    }

    /// Open `#numbered((markers…),` — the items follow, one per line.
    fn open_numbered(&mut self, markers: &[&str]) {
        self.out.push_str("#numbered((");
        for m in markers {
            self.out.push_str(&escape::string(m));
            self.out.push_str(", ");
        }
        self.out.push_str("),\n");
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>, level: usize) -> Result<(), String> {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Document => {
                for c in node.children() {
                    self.block(c, level)?;
                }
            }
            NodeValue::Paragraph => {
                self.inline_children(node, 0)?;
                self.out.push_str("\n\n");
            }
            NodeValue::Heading(h) => {
                self.out.push_str(&format!("#mdh({})[", h.level));
                self.inline_children(node, 0)?;
                self.out.push_str("]\n\n");
            }
            NodeValue::List(list) => {
                let items: Vec<_> = node.children().collect();
                let next_level = match list.list_type {
                    ListType::Ordered => {
                        let markers: Vec<String> =
                            (0..items.len()).map(|i| zh::marker(level, list.start + i)).collect();
                        self.open_numbered(&markers.iter().map(String::as_str).collect::<Vec<_>>());
                        level + 1
                    }
                    ListType::Bullet => {
                        self.out.push_str("#bulleted(\n");
                        level
                    }
                };
                for item in items {
                    self.out.push_str("  [");
                    for c in item.children() {
                        self.block(c, next_level)?;
                    }
                    trim_end_in_place(&mut self.out);
                    self.out.push_str("],\n");
                }
                self.out.push_str(")\n\n");
            }
            NodeValue::Item(_) => {
                for c in node.children() {
                    self.block(c, level)?;
                }
            }
            NodeValue::BlockQuote => {
                self.out.push_str("#pad(left: 2em)[");
                for c in node.children() {
                    self.block(c, level)?;
                }
                self.out.push_str("]\n\n");
            }
            NodeValue::CodeBlock(cb) => {
                self.out.push_str(&format!("#raw(block: true, {})\n\n", escape::string(cb.literal.trim_end())));
            }
            NodeValue::HtmlBlock(h) => {
                self.out.push_str(&escape::markup(h.literal.trim_end()));
                self.out.push_str("\n\n");
            }
            NodeValue::ThematicBreak => self.out.push_str("#line(length: 100%, stroke: 0.5pt)\n\n"),
            NodeValue::Table(t) => self.table(node, &t.alignments)?,
            _ => {
                // Inline content at block level (should not happen): print it as text.
                self.inline(node)?;
                self.out.push_str("\n\n");
            }
        }
        Ok(())
    }

    fn table<'a>(&mut self, node: &'a AstNode<'a>, aligns: &[TableAlignment]) -> Result<(), String> {
        let align: Vec<&str> = aligns
            .iter()
            .map(|a| match a {
                TableAlignment::Center => "center",
                TableAlignment::Right => "right",
                _ => "left",
            })
            .collect();
        self.out.push_str(&format!("#mdtable(columns: {}, align: ({},), ", align.len().max(1), align.join(", ")));
        for row in node.children() {
            let header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
            self.out.push_str(if header { "table.header(" } else { "" });
            for cell in row.children() {
                self.out.push('[');
                self.inline_children(cell, 0)?;
                self.out.push_str("], ");
            }
            self.out.push_str(if header { "), " } else { "" });
        }
        self.out.push_str(")\n\n");
        Ok(())
    }

    /// The inline children of `node`, skipping the first `skip` bytes of its first text
    /// (an explicit marker printed separately).
    fn inline_children<'a>(&mut self, node: &'a AstNode<'a>, skip: usize) -> Result<(), String> {
        for (i, c) in node.children().enumerate() {
            if i == 0
                && skip > 0
                && let NodeValue::Text(t) = &c.data.borrow().value
            {
                self.out.push_str(&keep::markup(t[skip..].trim_start(), ends_block(c)));
                continue;
            }
            self.inline(c)?;
        }
        Ok(())
    }

    fn inline<'a>(&mut self, node: &'a AstNode<'a>) -> Result<(), String> {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Text(t) => self.out.push_str(&keep::markup(&t, ends_block(node))),
            NodeValue::SoftBreak => {
                let prev = node.previous_sibling().and_then(last_char);
                let next = node.next_sibling().and_then(first_char);
                let join = prev.is_some_and(zh::is_cjk) || next.is_some_and(zh::is_cjk);
                if !join {
                    self.out.push(' ');
                }
            }
            NodeValue::LineBreak => self.out.push_str("#linebreak()"),
            NodeValue::Code(c) => self.out.push_str(&format!("#raw({})", escape::string(&c.literal))),
            NodeValue::HtmlInline(h) => self.out.push_str(&escape::markup(&h)),
            NodeValue::Emph => self.wrap(node, "#emph[")?,
            NodeValue::Strong => self.wrap(node, "#strong[")?,
            NodeValue::Strikethrough => self.wrap(node, "#strike[")?,
            NodeValue::Link(link) => {
                let url = link.url.as_str();
                let web = ["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p));
                if web {
                    self.out.push_str(&format!("#link({})[", escape::string(url)));
                }
                // A link without text prints its destination (nothing may vanish).
                if plain_text(node).trim().is_empty() {
                    self.out.push_str(&escape::markup(url));
                } else {
                    self.inline_children(node, 0)?;
                }
                if web {
                    self.out.push(']');
                }
            }
            NodeValue::Image(link) => {
                let start = node.data.borrow().sourcepos.start;
                self.error_at = Some((start.line, start.column));
                let Some(resolve) = self.ctx.images else {
                    return Err(format!("此欄位不能放圖片「{}」：圖片請放在附件的 Markdown 檔", link.url));
                };
                let path = resolve(&link.url)?;
                let alt = plain_text(node);
                self.out.push_str(&format!(
                    "#align(center, image({}, alt: {}, width: 80%))",
                    escape::string(&path),
                    escape::string(&alt)
                ));
            }
            _ => {
                for c in node.children() {
                    self.inline(c)?;
                }
            }
        }
        Ok(())
    }

    fn wrap<'a>(&mut self, node: &'a AstNode<'a>, open: &str) -> Result<(), String> {
        self.out.push_str(open);
        self.inline_children(node, 0)?;
        self.out.push(']');
        Ok(())
    }
}

/// Whether `node` is the last of a paragraph, heading or table cell: its last
/// characters are kept on one line ([`keep::markup`]).
fn ends_block<'a>(node: &'a AstNode<'a>) -> bool {
    node.next_sibling().is_none()
        && node.parent().is_some_and(|p| {
            matches!(p.data.borrow().value, NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell)
        })
}

fn trim_end_in_place(s: &mut String) {
    let len = s.trim_end().len();
    s.truncate(len);
}

fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        match &d.data.borrow().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => s.push_str(&c.literal),
            _ => {}
        }
    }
    s
}

fn last_char<'a>(node: &'a AstNode<'a>) -> Option<char> {
    plain_text(node).chars().last()
}

fn first_char<'a>(node: &'a AstNode<'a>) -> Option<char> {
    plain_text(node).chars().next()
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
