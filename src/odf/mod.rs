//! The editable editions (`--odt`): agenda and minutes as ODF text documents, written
//! from the same view data as the PDF ([`render::Document`]), so that the two cannot
//! drift apart. [`agenda`] and [`minutes`] lay out the body, [`markdown`] converts the
//! Markdown fields, [`styles`] collects the list styles and pictures the body uses,
//! [`xml`] is the only way user text enters the XML, and [`package`] zips it by the
//! ODF rules. The fixed parts (styles.xml, meta.xml, the content's frame) are Tera
//! templates in `templates/odf/`.

use std::sync::OnceLock;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::model::Packet;
use crate::render::{self, Rich};

mod agenda;
mod corrections;
mod cover;
pub mod markdown;
mod minutes;
mod notice;
pub mod package;
mod signin;
pub mod styles;
pub mod widths;
pub mod xml;

use markdown::Context;
use package::Part;
use styles::Styles;

const TEMPLATES: &[(&str, &str)] = &[
    ("content.xml", include_str!("../../templates/odf/content.xml")),
    ("styles.xml", include_str!("../../templates/odf/styles.xml")),
    ("meta.xml", include_str!("../../templates/odf/meta.xml")),
];

/// The face of Latin text (letters, ASCII punctuation: TW-Kai draws `-` as a long dash).
/// The PDF embeds Liberation Serif, metric-compatible with Times New Roman; the ODT names
/// Times New Roman, which every Windows PC has for Word and LibreOffice (and which
/// fontconfig maps to Liberation Serif on Linux). One name per face: a family list
/// (`A;B`) is LibreOffice's own fallback syntax, which a .docx keeps as one font name.
pub const LATIN_FACE: &str = "Times New Roman";

fn tera() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut t = tera::Tera::default();
        t.add_raw_templates(TEMPLATES.iter().copied()).expect("built-in ODF templates parse");
        // Every value is XML-escaped as an attribute (quotes too), which is also right
        // for element text whose spacing does not matter (metadata, page marks); body
        // text is built by [`xml::text`] and passed `| safe`.
        t.autoescape_on(vec![".xml"]);
        t.set_escape_fn(xml::attr);
        t
    })
}

fn render(name: &str, view: &impl Serialize) -> Result<String> {
    let fail = |e: tera::Error| -> Diagnostics {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(&format!("：{s}"));
            src = s.source();
        }
        Diagnostic::error(format!("ODF 範本錯誤：{msg}")).field("template").into()
    };
    let context = tera::Context::from_serialize(view).map_err(fail)?;
    tera().render(name, &context).map_err(fail)
}

/// What the ODF edition adds to the view: where it is dated, the body font.
pub struct Settings<'a> {
    /// The document's date (meeting date and time, or `SOURCE_DATE_EPOCH`): metadata and
    /// the package's timestamps.
    pub created: NaiveDateTime,
    /// The body font family (TW-Kai unless `--font`).
    pub font: &'a str,
}

#[derive(Serialize)]
struct StylesView {
    /// The body font (CJK and complex script), one family name.
    kai: String,
    /// The face of Latin text, one family name.
    latin: &'static str,
    /// 紀錄草稿・內部 in the header (empty: no header).
    marks: String,
}

#[derive(Serialize)]
struct MetaView {
    title: String,
    description: String,
    subject: String,
    keywords: Vec<String>,
    creator: String,
    created: String,
    generator: String,
}

impl MetaView {
    /// A document's metadata: its title, a line describing it, and what kind of paper it is
    /// (also a keyword beside the group and agency). Date and generator are set when written.
    fn of(packet: &Packet, title: &str, description: String, subject: &str) -> MetaView {
        let g = &packet.group;
        MetaView {
            title: title.to_string(),
            description,
            subject: subject.into(),
            keywords: vec![g.name.clone(), subject.into(), g.agency.clone()],
            creator: g.agency.clone(),
            created: String::new(),
            generator: String::new(),
        }
    }
}

#[derive(Serialize)]
struct ContentView {
    automatic: String,
    body: String,
}

/// The ODT of a rendered document.
pub fn write(document: &render::Document, packet: &Packet, settings: &Settings) -> Result<Vec<u8>> {
    let mut styles = Styles::new(&packet.series_dir);
    let g = &packet.group;
    let (body, meta, marks) = match document {
        render::Document::Agenda(view) => {
            let m = &packet.meeting;
            let user_widths: Vec<Vec<&[f64]>> = m
                .reports
                .iter()
                .chain(&m.discussions)
                .map(|it| it.attachments.iter().map(|a| a.widths.as_slice()).collect())
                .collect();
            let mut parts = packet.title_parts();
            parts.push((" 議程".into(), false));
            let title = cover_title(&parts, packet, &view.doc_title);
            let body = agenda::body(view, &mut styles, &user_widths, &title);
            let meta = MetaView::of(
                packet,
                &view.doc_title,
                format!(
                    "{}{}議程；時間：{}{}；地點：{}",
                    view.agency, view.meeting_title, view.date, view.time, view.place
                ),
                "議程",
            );
            (body, meta, String::new())
        }
        render::Document::Minutes(view) => {
            // The minutes name the agency (render::minutes builds its title so).
            let parts = parts_with_agency(packet, "紀錄");
            let title = cover_title(&parts, packet, &view.doc_title);
            let body = minutes::body(view, &mut styles, &title);
            let meta = MetaView::of(
                packet,
                &view.doc_title,
                format!("{}；時間：{}{}；地點：{}", view.doc_title, view.date, view.time, view.place),
                "會議紀錄",
            );
            (body, meta, view.mark_words.join("・"))
        }
        render::Document::Notice(view) => {
            let parts = [(g.agency.clone(), true), (format!(" {}", view.form), false)];
            let title = agency_title(&parts, packet, &view.doc_title);
            let body = notice::body(view, &mut styles, &title);
            let meta = MetaView::of(
                packet,
                &view.doc_title,
                format!("{}；開會時間：{}；開會地點：{}", view.subject, view.time, view.place),
                "開會通知單",
            );
            (body, meta, String::new())
        }
        render::Document::Signin(view) => {
            // The sign-in sheet names the agency (render::signin builds its title so).
            let parts = parts_with_agency(packet, " 簽到表");
            let title = agency_title(&parts, packet, &view.doc_title);
            let body = signin::body(view, &mut styles, &title);
            let meta = MetaView::of(
                packet,
                &view.doc_title,
                format!("{}；時間：{}{}；地點：{}", view.doc_title, view.date, view.time, view.place),
                "簽到表",
            );
            (body, meta, String::new())
        }
        render::Document::Corrections(view) => {
            let body = corrections::body(view, &mut styles);
            let meta = MetaView::of(
                packet,
                &view.doc_title,
                format!("{}；草稿送達：{}；回復期限：{}", view.doc_title, view.sent, view.deadline),
                "紀錄草稿修正",
            );
            (body, meta, render::corrections::MARKS.join("・"))
        }
    };
    if !styles.errors.is_empty() {
        return Err(Diagnostics(std::mem::take(&mut styles.errors)));
    }
    let meta = MetaView {
        created: settings.created.format("%Y-%m-%dT%H:%M:%S").to_string(),
        generator: format!("packet/{}", env!("CARGO_PKG_VERSION")),
        ..meta
    };
    let content = render("content.xml", &ContentView { automatic: styles.automatic(), body })?;
    let styles_xml = render("styles.xml", &StylesView { kai: settings.font.to_string(), latin: LATIN_FACE, marks })?;
    let meta_xml = render("meta.xml", &meta)?;
    let mut parts = vec![
        Part { name: "content.xml".into(), media_type: "text/xml".into(), bytes: content.into_bytes() },
        Part { name: "styles.xml".into(), media_type: "text/xml".into(), bytes: styles_xml.into_bytes() },
        Part { name: "meta.xml".into(), media_type: "text/xml".into(), bytes: meta_xml.into_bytes() },
    ];
    for p in std::mem::take(&mut styles.pictures) {
        parts.push(Part { name: p.name, media_type: p.mime.into(), bytes: p.bytes });
    }
    package::zip(&parts, settings.created)
}

/// The cover title as XML from its `parts`, broken after the agency or a bracket when
/// too long for a line; as `doc_title` reads (unbroken) should the parts not spell it.
fn cover_title(parts: &[(String, bool)], packet: &Packet, doc_title: &str) -> String {
    if parts.iter().map(|(t, _)| t.as_str()).collect::<String>() != doc_title {
        return xml::text(doc_title);
    }
    cover::title(parts, Some(packet.group.agency.as_str()))
}

/// The meeting's title parts, the agency first (unless the title holds it), then `suffix`.
fn parts_with_agency(packet: &Packet, suffix: &str) -> Vec<(String, bool)> {
    let mut parts = packet.title_parts();
    if !packet.title_has_agency() {
        parts.insert(0, (packet.group.agency.clone(), true));
    }
    parts.push((suffix.into(), false));
    parts
}

/// As [`cover_title`], the agency on a line of its own when the title is too long for
/// one (the notice, the sign-in sheet: [`cover::title_below_agency`]).
fn agency_title(parts: &[(String, bool)], packet: &Packet, doc_title: &str) -> String {
    if parts.iter().map(|(t, _)| t.as_str()).collect::<String>() != doc_title {
        return xml::text(doc_title);
    }
    cover::title_below_agency(parts, &packet.group.agency)
}

/// Writes the body of a document: paragraphs, with the styles they need.
pub(crate) struct Body<'s> {
    pub styles: &'s mut Styles,
    pub out: String,
}

impl Body<'_> {
    /// A paragraph of `style` holding `inner` (already XML).
    pub fn p(&mut self, style: &str, inner: &str) {
        self.out.push_str(&format!("<text:p text:style-name=\"{style}\">{inner}</text:p>"));
    }

    /// A heading of outline level `level` in `style`.
    pub fn h(&mut self, style: &str, level: usize, inner: &str) {
        self.out
            .push_str(&format!("<text:h text:style-name=\"{style}\" text:outline-level=\"{level}\">{inner}</text:h>"));
    }

    /// `label` with plain `text` hanging after it (時間：…), `indent` em in.
    pub fn labelled(&mut self, label: &str, text: &str, indent: u32) {
        let style = self.styles.para("Body", indent, em(label), 16);
        self.p(&style, &format!("{}{}", xml::text(label), xml::text(text)));
    }

    /// As [`Body::labelled`], kept on one page with the next paragraph (an item's
    /// 報告單位 and 案由 with its 說明).
    pub fn labelled_kept(&mut self, label: &str, text: &str, indent: u32) {
        let style = self.styles.para("Label", indent, em(label), 16);
        self.p(&style, &format!("{}{}", xml::text(label), xml::text(text)));
    }

    /// `label` with a Markdown field after it: on its line when it is one paragraph,
    /// otherwise its blocks below, hanging under where the label ends. `after` (already
    /// XML) follows the field's text (a red 待填 when it is empty).
    pub fn labelled_rich(&mut self, label: &str, rich: &Rich, indent: u32, after: &str) {
        let style = self.styles.para("Body", indent, em(label), 16);
        match markdown::inline(rich, self.styles) {
            // An empty field: the label alone introduces what follows (the tracking table).
            Some(inline) if inline.is_empty() && after.is_empty() => {
                let style = self.styles.para("Label", indent, em(label), 16);
                self.p(&style, &xml::text(label));
            }
            Some(inline) => self.p(&style, &format!("{}{inline}{after}", xml::text(label))),
            None => {
                // The label alone on its line stays with what it labels.
                let style = self.styles.para("Label", indent, em(label), 16);
                self.p(&style, &xml::text(label));
                let blocks = markdown::blocks(
                    rich,
                    Context { para: "Body", size: 16, indent: indent + em(label), depth: 0 },
                    self.styles,
                );
                self.out.push_str(&blocks);
                if !after.is_empty() {
                    let style = self.styles.para("Body", indent + em(label), 0, 16);
                    self.p(&style, after);
                }
            }
        }
    }
}

/// A list of names after `label` (出席者：黃○○委員（李○○代）、張○○委員…) as XML, broken
/// into lines after a 、 so that no name splits across lines, as the PDF sets them
/// (Writer would break 委／員 anywhere, and takes no word joiner between CJK characters);
/// each line ends with a line break (the paragraph flush left: Writer would stretch a
/// justified line ending in one). `line_em` is the text block's width in em at the
/// paragraph's size, less a little to spare. A piece too long for a line (a partial
/// roll's note) wraps as text.
pub(crate) fn names_xml(label: &str, names: &[&str], line_em: f64) -> String {
    let width = |s: &str| -> f64 { s.chars().map(|c| if c.is_ascii() { 0.65 } else { 1.0 }).sum() };
    let room = line_em - f64::from(em(label));
    let mut lines: Vec<String> = vec![String::new()];
    for (i, name) in names.iter().enumerate() {
        let piece = if i + 1 < names.len() { format!("{name}、") } else { name.to_string() };
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && width(line) + width(&piece) > room && width(&piece) <= room {
            lines.push(piece);
        } else {
            line.push_str(&piece);
        }
    }
    lines.iter().map(|l| xml::text(l)).collect::<Vec<_>>().join("<text:line-break/>")
}

/// Width of a label in em: full-width characters count one, others half.
pub(crate) fn em(label: &str) -> u32 {
    let halves: usize = label.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    halves.div_ceil(2) as u32
}
