//! Markdown fields and `.md` attachments → ODF text (`text:p`, `text:list`, `table:table`),
//! through the same comrak AST and the same reading of explicit markers as the Typst
//! edition ([`crate::render::markdown`]), so both print the same words.
//!
//! Ordered lists are real ODF lists numbered by a list style (一、 → （一） → 1. → （1））;
//! paragraphs that open with a marker of their own (pasted regulations) are list items of
//! an unnumbered list style whose text keeps the marker as written, hanging after it.

use comrak::Arena;
use comrak::nodes::{AstNode, ListType, NodeValue};

use super::styles::{ListKind, Styles};
use super::xml::text as xml_text;
use crate::render::Rich;
use crate::text::markdown::{Block, Point, leading_marker, parse, with_points};
use crate::text::zh;

/// Where converted text goes: the paragraph style and font size of its context.
#[derive(Clone, Copy)]
pub struct Context {
    /// Paragraph style of running text (`Body`, `Doc`, `Cell` …).
    pub para: &'static str,
    /// Font size in points: list indents are measured in it.
    pub size: u32,
    /// Left indent of the whole text, in em (it hangs under a label or a marker).
    pub indent: u32,
    /// ODF list nesting the text starts in (1 inside a list item).
    pub depth: usize,
}

/// Block content (paragraphs, lists, tables) of a Markdown field.
pub fn blocks(rich: &Rich, ctx: Context, styles: &mut Styles) -> String {
    let arena = Arena::new();
    let root = parse(&arena, &rich.md);
    merge_text_nodes(root);
    let mut w = Writer { ctx, rich, styles, out: String::new(), depth: ctx.depth };
    let children: Vec<_> = root.children().collect();
    if rich.slides {
        w.slides(&children);
    } else {
        w.blocks_with_markers(&children, rich.level);
    }
    w.out
}

/// The inline content of a Markdown field that is one paragraph, to continue a line
/// such as 說明： (`None` when it is more than one paragraph). A lone point (`1. …`, a
/// list of one item of one paragraph) is that paragraph: 文書處理手冊 practice numbers no
/// single point (說明：一、… would promise a 二、).
pub fn inline(rich: &Rich, styles: &mut Styles) -> Option<String> {
    let arena = Arena::new();
    let root = parse(&arena, &rich.md);
    merge_text_nodes(root);
    let blocks: Vec<_> = root.children().collect();
    let mut w = Writer {
        ctx: Context { para: "Body", size: 16, indent: 0, depth: 0 },
        rich,
        styles,
        out: String::new(),
        depth: 0,
    };
    match blocks.as_slice() {
        [] => Some(String::new()),
        [p] if matches!(p.data.borrow().value, NodeValue::Paragraph) && leading_marker(p).is_none() => {
            w.inline_children(p, 0);
            Some(w.out)
        }
        [list] => {
            let lone = lone_point(list)?;
            w.inline_children(lone, 0);
            Some(w.out)
        }
        _ => None,
    }
}

struct Writer<'r, 's> {
    ctx: Context,
    rich: &'r Rich,
    styles: &'s mut Styles,
    out: String,
    /// Nesting depth of ODF lists at this point (ODF levels are by nesting).
    depth: usize,
}

impl Writer<'_, '_> {
    fn slides<'a>(&mut self, children: &[&'a AstNode<'a>]) {
        let starts_slide = |n: &AstNode| matches!(n.data.borrow().value, NodeValue::Heading(ref h) if h.level <= 2);
        let preface_end = children.iter().position(|n| starts_slide(n)).unwrap_or(children.len());
        self.blocks_with_markers(&children[..preface_end], self.rich.level);
        let mut i = preface_end;
        while i < children.len() {
            let end = children[i + 1..].iter().position(|n| starts_slide(n)).map_or(children.len(), |p| i + 1 + p);
            // A framed slide: a table of one cell, the title above a rule.
            self.out.push_str("<table:table table:style-name=\"Slide\"><table:table-column table:style-name=\"SlideColumn\"/><table:table-row table:style-name=\"Row\"><table:table-cell table:style-name=\"SlideBox\" office:value-type=\"string\"><text:p text:style-name=\"SlideTitle\">");
            self.inline_children(children[i], 0);
            self.out.push_str("</text:p>");
            self.blocks_with_markers(&children[i + 1..end], self.rich.level);
            self.out.push_str("</table:table-cell></table:table-row></table:table>");
            i = end;
        }
    }

    /// Blocks with hand-numbered points grouped as the Typst edition groups them
    /// ([`with_points`]).
    fn blocks_with_markers<'a>(&mut self, nodes: &[&'a AstNode<'a>], level: usize) {
        for block in with_points(nodes) {
            match block {
                Block::Plain(node) => self.block(node, level),
                Block::Points(points) => self.points(&points, level),
            }
        }
    }

    /// Explicit-marker points: one list of an unnumbered style, each item's paragraph
    /// opening with its marker as written.
    fn points<'a>(&mut self, points: &[Point<'a>], level: usize) {
        if points.is_empty() {
            return;
        }
        self.open_list(ListKind::Points, 0);
        for p in points {
            self.out.push_str("<text:list-item>");
            let title = title_like(p.para) || lead_in(p.para);
            self.para_open(title && !(p.body.is_empty() && p.points.is_empty()));
            // The marker prints as written (the list style numbers nothing).
            self.inline_children(p.para, 0);
            self.out.push_str("</text:p>");
            for &b in &p.body {
                self.block(b, level);
            }
            self.points(&p.points, level);
            self.out.push_str("</text:list-item>");
        }
        self.close_list();
    }

    /// Open a paragraph of the context's style; outside lists indented as the context
    /// (inside, the list style sets the indent); `kept` on one page with the next.
    fn para_open(&mut self, kept: bool) {
        // Inside a list the indent is the list style's (margins 0 here are overridden).
        let indent = if self.depth == 0 { self.ctx.indent } else { 0 };
        let name = match kept {
            true => self.styles.para_kept(self.ctx.para, indent, 0, self.ctx.size),
            false if self.depth == 0 => self.styles.para(self.ctx.para, indent, 0, self.ctx.size),
            false => self.ctx.para.to_string(),
        };
        self.out.push_str(&format!("<text:p text:style-name=\"{name}\">"));
    }

    /// Open a list of `kind`; `level` is the official numbering level of its first
    /// items (ordered lists). The style is named at every list: ODF numbers a nested
    /// list at its nesting depth, so the style is the one whose level `depth` prints `level`.
    fn open_list(&mut self, kind: ListKind, level: usize) {
        self.depth += 1;
        let name = self.styles.list(kind, level as isize - self.depth as isize + 1, self.ctx.size, self.ctx.indent);
        self.out.push_str(&format!("<text:list text:style-name=\"{name}\">"));
    }

    fn close_list(&mut self) {
        self.depth -= 1;
        self.out.push_str("</text:list>");
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>, level: usize) {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Paragraph => {
                self.para_open(lead_in(node) && node.next_sibling().is_some());
                self.inline_children(node, 0);
                self.out.push_str("</text:p>");
            }
            NodeValue::Heading(h) => {
                self.out.push_str(&format!("<text:p text:style-name=\"MdHeading{}\">", h.level.min(3)));
                self.inline_children(node, 0);
                self.out.push_str("</text:p>");
            }
            NodeValue::List(list) => {
                let (kind, next_level) = match list.list_type {
                    ListType::Ordered => (ListKind::Numbered, level + 1),
                    ListType::Bullet => (ListKind::Bullet, level),
                };
                self.open_list(kind, level);
                for (i, item) in node.children().enumerate() {
                    // The first item of a list that starts elsewhere (`3.`) says where.
                    if i == 0 && kind == ListKind::Numbered && list.start != 1 {
                        self.out.push_str(&format!("<text:list-item text:start-value=\"{}\">", list.start));
                    } else {
                        self.out.push_str("<text:list-item>");
                    }
                    let mut any = false;
                    for c in item.children() {
                        self.block_in_item(c, next_level);
                        any = true;
                    }
                    if !any {
                        self.para_open(false);
                        self.out.push_str("</text:p>");
                    }
                    self.out.push_str("</text:list-item>");
                }
                self.close_list();
            }
            NodeValue::BlockQuote => {
                for c in node.children() {
                    self.quote_block(c, level);
                }
            }
            NodeValue::CodeBlock(cb) => {
                for line in cb.literal.trim_end().lines() {
                    self.out.push_str("<text:p text:style-name=\"Code\">");
                    self.out.push_str(&xml_text(line));
                    self.out.push_str("</text:p>");
                }
            }
            NodeValue::HtmlBlock(h) => {
                self.para_open(false);
                self.out.push_str(&xml_text(h.literal.trim_end()));
                self.out.push_str("</text:p>");
            }
            NodeValue::ThematicBreak => self.out.push_str("<text:p text:style-name=\"Rule\"/>"),
            NodeValue::Table(_) => self.table(node),
            _ => {
                self.para_open(false);
                self.inline(node);
                self.out.push_str("</text:p>");
            }
        }
    }

    /// A block inside a list item: ODF allows only paragraphs, headings and lists there,
    /// so a table's rows become paragraphs of its cells (separated by ｜) and a quote its
    /// paragraphs.
    fn block_in_item<'a>(&mut self, node: &'a AstNode<'a>, level: usize) {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Table(_) => {
                for row in node.children() {
                    self.para_open(false);
                    for (i, cell) in row.children().enumerate() {
                        if i > 0 {
                            self.out.push('｜');
                        }
                        self.inline_children(cell, 0);
                    }
                    self.out.push_str("</text:p>");
                }
            }
            NodeValue::BlockQuote => {
                for c in node.children() {
                    self.quote_block(c, level);
                }
            }
            _ => self.block(node, level),
        }
    }

    /// A quoted block: paragraphs in the indented `Quote` style.
    fn quote_block<'a>(&mut self, node: &'a AstNode<'a>, level: usize) {
        if matches!(node.data.borrow().value, NodeValue::Paragraph) {
            self.out.push_str("<text:p text:style-name=\"Quote\">");
            self.inline_children(node, 0);
            self.out.push_str("</text:p>");
        } else {
            self.block_in_item(node, level);
        }
    }

    fn table<'a>(&mut self, node: &'a AstNode<'a>) {
        let columns = node.first_child().map_or(1, |r| r.children().count()).max(1);
        self.out.push_str("<table:table table:style-name=\"MdTable\">");
        self.out.push_str(&format!("<table:table-column table:number-columns-repeated=\"{columns}\"/>"));
        for row in node.children() {
            let header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
            if header {
                self.out.push_str("<table:table-header-rows>");
            }
            self.out.push_str("<table:table-row table:style-name=\"Row\">");
            for cell in row.children() {
                self.out.push_str("<table:table-cell table:style-name=\"CellBox\" office:value-type=\"string\">");
                self.out.push_str(if header {
                    "<text:p text:style-name=\"CellHead\">"
                } else {
                    "<text:p text:style-name=\"Cell\">"
                });
                self.inline_children(cell, 0);
                self.out.push_str("</text:p></table:table-cell>");
            }
            self.out.push_str("</table:table-row>");
            if header {
                self.out.push_str("</table:table-header-rows>");
            }
        }
        self.out.push_str("</table:table>");
    }

    /// The inline children of `node`, skipping the first `skip` bytes of its first text.
    fn inline_children<'a>(&mut self, node: &'a AstNode<'a>, skip: usize) {
        for (i, c) in node.children().enumerate() {
            if i == 0
                && skip > 0
                && let NodeValue::Text(t) = &c.data.borrow().value
            {
                self.out.push_str(&xml_text(t[skip..].trim_start()));
                continue;
            }
            self.inline(c);
        }
    }

    fn inline<'a>(&mut self, node: &'a AstNode<'a>) {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Text(t) => self.out.push_str(&xml_text(&t)),
            NodeValue::SoftBreak => {
                let prev = node.previous_sibling().and_then(|n| plain_text(n).chars().last());
                let next = node.next_sibling().and_then(|n| plain_text(n).chars().next());
                if !(prev.is_some_and(zh::is_cjk) || next.is_some_and(zh::is_cjk)) {
                    self.out.push(' ');
                }
            }
            NodeValue::LineBreak => self.out.push_str("<text:line-break/>"),
            NodeValue::Code(c) => {
                self.out.push_str("<text:span text:style-name=\"CodeSpan\">");
                self.out.push_str(&xml_text(&c.literal));
                self.out.push_str("</text:span>");
            }
            NodeValue::HtmlInline(h) => self.out.push_str(&xml_text(&h)),
            NodeValue::Emph | NodeValue::Strong => self.span(node, "Strong"),
            NodeValue::Strikethrough => self.span(node, "Strike"),
            NodeValue::Link(link) => {
                let url = link.url.as_str();
                let web = ["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p));
                if web {
                    self.out
                        .push_str(&format!("<text:a xlink:type=\"simple\" xlink:href=\"{}\">", super::xml::attr(url)));
                }
                if plain_text(node).trim().is_empty() {
                    self.out.push_str(&xml_text(url));
                } else {
                    self.inline_children(node, 0);
                }
                if web {
                    self.out.push_str("</text:a>");
                }
            }
            NodeValue::Image(link) => {
                // Render checked and resolved every image of the field; one it did not
                // resolve cannot reach here (the field was refused).
                let rel = self.rich.images.iter().find(|(url, _)| *url == link.url).map(|(_, rel)| rel.clone());
                if let Some(rel) = rel {
                    let alt = plain_text(node);
                    self.out.push_str(&self.styles.image(&rel, &alt, 0.8, 0.7));
                }
            }
            _ => {
                for c in node.children() {
                    self.inline(c);
                }
            }
        }
    }

    fn span<'a>(&mut self, node: &'a AstNode<'a>, style: &str) {
        self.out.push_str(&format!("<text:span text:style-name=\"{style}\">"));
        self.inline_children(node, 0);
        self.out.push_str("</text:span>");
    }
}

/// Adjacent text nodes become one (comrak splits at escapes such as `1\.`), so a
/// leading marker is recognised as the Typst edition recognises it.
fn merge_text_nodes<'a>(node: &'a AstNode<'a>) {
    let mut child = node.first_child();
    while let Some(c) = child {
        let next = c.next_sibling();
        if let Some(n) = next
            && matches!(c.data.borrow().value, NodeValue::Text(_))
            && matches!(n.data.borrow().value, NodeValue::Text(_))
        {
            let extra = match &n.data.borrow().value {
                NodeValue::Text(t) => t.to_string(),
                _ => String::new(),
            };
            if let NodeValue::Text(t) = &mut c.data.borrow_mut().value {
                t.to_mut().push_str(&extra);
            }
            n.detach();
            continue;
        }
        merge_text_nodes(c);
        child = next;
    }
}

/// The paragraph of an ordered list from 1 of one item holding one paragraph (with no
/// marker of its own).
fn lone_point<'a>(list: &'a AstNode<'a>) -> Option<&'a AstNode<'a>> {
    match &list.data.borrow().value {
        NodeValue::List(l) if l.list_type == ListType::Ordered && l.start == 1 => {}
        _ => return None,
    }
    let items: Vec<_> = list.children().collect();
    let [item] = items.as_slice() else { return None };
    let blocks: Vec<_> = item.children().collect();
    match blocks.as_slice() {
        [p] if matches!(p.data.borrow().value, NodeValue::Paragraph) && leading_marker(p).is_none() => Some(p),
        _ => None,
    }
}

/// A paragraph that introduces what follows (如下：, （一）行政院諮詢小組：).
fn lead_in<'a>(node: &'a AstNode<'a>) -> bool {
    plain_text(node).trim_end().ends_with(['：', ':'])
}

/// A point that names a part rather than says something (三、紀錄要點 above its text):
/// short, no sentence in it.
fn title_like<'a>(node: &'a AstNode<'a>) -> bool {
    let text = plain_text(node);
    text.chars().count() <= 30 && !text.contains(['。', '；', '！', '？'])
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
