//! View model + Tera templates → one Typst source file per document: [`agenda`] and
//! [`minutes`], with [`attachments`] (each read once), [`markdown`] → Typst,
//! CSV [`tables`], and [`escape`], the only two ways user text enters Typst.
//!
//! Tera autoescapes every `{{ value }}` with [`escape::markup`]; only Typst that this
//! crate produced itself (Markdown converted by [`markdown`], string literals from the
//! `str` filter) is marked `| safe`. User text cannot reach Tera syntax either: Tera
//! never re-parses values.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Result};

pub mod agenda;
pub mod attachments;
pub mod corrections;
pub mod escape;
mod inventory;
mod keep;
pub mod markdown;
mod media;
pub mod minutes;
pub mod notice;
mod notice_change;
pub mod notice_facts;
pub mod office;
mod pdf_pages;
mod pdf_tree;
pub mod sheet_scan;
pub mod sheets;
pub mod signin;
mod slides;
pub mod tables;

pub use agenda::agenda;
pub use attachments::{AttachOptions, AttachmentSource};
pub use minutes::minutes;
pub use notice::notice;
pub use signin::signin;

const TEMPLATES: &[(&str, &str)] = &[
    ("preamble.typ", include_str!("../../templates/preamble.typ")),
    ("agenda.typ", include_str!("../../templates/agenda.typ")),
    ("attachment.typ", include_str!("../../templates/attachment.typ")),
    ("minutes.typ", include_str!("../../templates/minutes.typ")),
    ("notice.typ", include_str!("../../templates/notice.typ")),
    ("signin.typ", include_str!("../../templates/signin.typ")),
    ("corrections.typ", include_str!("../../templates/corrections.typ")),
];

fn tera() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut t = tera::Tera::default();
        t.add_raw_templates(TEMPLATES.iter().copied()).expect("built-in templates parse");
        t.autoescape_on(vec![".typ"]);
        t.set_escape_fn(escape::markup);
        // Plain text that ends a paragraph (a table cell, an 案由): escaped, its
        // references and last characters kept on one line ([`keep::markup`]).
        t.register_filter("para", |v: &tera::Value, _: &HashMap<String, tera::Value>| {
            let s = match v {
                tera::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(tera::Value::String(keep::markup(&s, true)))
        });
        // A table header whose words never break: each word (between spaces) in a box.
        t.register_filter("words", |v: &tera::Value, _: &HashMap<String, tera::Value>| {
            let s = match v {
                tera::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let words: Vec<String> = s.split_whitespace().map(|w| format!("#box[{}]", escape::markup(w))).collect();
            Ok(tera::Value::String(words.join(" ")))
        });
        t.register_filter("str", |v: &tera::Value, _: &HashMap<String, tera::Value>| {
            let s = match v {
                tera::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(tera::Value::String(escape::string(&s)))
        });
        t
    })
}

/// A Markdown field as the documents print it: converted to Typst for the PDF, and
/// kept as written (with its numbering level) for the other editions (ODF), so that
/// both print the same text from the same view. Serialises as its Typst markup, which
/// is what the Typst templates print.
#[derive(Clone, Default, Debug)]
pub struct Rich {
    /// The Markdown as written.
    pub md: String,
    /// Numbering level of a top-level ordered list ([`MdContext::list_level`]).
    pub level: usize,
    /// `##` sections are slides (a Markdown attachment with `style = "slides"`).
    pub slides: bool,
    /// Images the Markdown shows: (address as written, path relative to the series directory).
    pub images: Vec<(String, PathBuf)>,
    /// The Typst markup.
    pub typst: String,
}

impl Serialize for Rich {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.typst)
    }
}

/// A Markdown field converted, its numbering level kept (errors are messages in Chinese).
/// A field that is one numbered point (`1. …`) and nothing else prints without its
/// marker, in both editions ([`markdown::lone_point`]).
pub(crate) fn rich(md: &str, level: usize) -> std::result::Result<Rich, String> {
    let md = markdown::lone_point(md).unwrap_or_else(|| md.to_string());
    let typst = markdown::to_typst(&md, &markdown::MdContext { list_level: level, ..Default::default() })?;
    Ok(Rich { md, level, typst, ..Rich::default() })
}

/// The view a document was rendered from: what the ODF edition is written from too.
pub enum Document {
    Agenda(Box<agenda::DocView>),
    Minutes(Box<minutes::MinutesView>),
    Notice(Box<notice::NoticeView>),
    Signin(Box<signin::SigninView>),
    Corrections(Box<corrections::CorrectionsView>),
}

/// The Typst source of a document and the series files it loads.
pub struct Rendered {
    /// The view data the source was rendered from.
    pub document: Document,
    pub source: String,
    /// Findings to print that do not stop the build (e.g. a 辦理情形 not yet written).
    pub warnings: Vec<Diagnostic>,
    /// Paths relative to the series directory (images, PDFs) that the source loads
    /// from `/assets/`.
    pub assets: Vec<PathBuf>,
    /// The text attachments as they were read (for the missing-glyph check).
    pub texts: Vec<AttachmentSource>,
}

/// Files made for a document (a PDF attachment's drawn pages and their texts, a
/// converted Word document), by the Typst path its source reads them at: carried by the
/// attachments' views.
pub fn generated_files(document: &Document) -> Vec<(String, typst::foundations::Bytes)> {
    match document {
        Document::Agenda(view) => {
            view.items.iter().flat_map(|i| &i.attachments).flat_map(|a| a.generated.iter().cloned()).collect()
        }
        // Documents without attachments.
        _ => Vec::new(),
    }
}

/// Render template `name` with `view`.
fn render(name: &str, view: &impl Serialize) -> Result<String> {
    let context = tera::Context::from_serialize(view).map_err(template_error)?;
    tera().render(name, &context).map_err(template_error)
}

/// A Typst array literal of strings: `("TW-Kai", "TW-Kai-Ext-B",)`.
/// The `text(font: ..)` list: the embedded Latin face only for the characters it
/// covers, every other family by name.
fn font_list(families: &[String]) -> String {
    use crate::typeset::fonts::{LATIN_COVERS, LATIN_FAMILY};
    let entries: Vec<String> = families
        .iter()
        .map(|f| {
            if f == LATIN_FAMILY {
                format!("(name: {}, covers: regex({}))", escape::string(f), escape::string(LATIN_COVERS))
            } else {
                escape::string(f)
            }
        })
        .collect();
    format!("({},)", entries.join(", "))
}

fn typst_array(items: &[impl AsRef<str>]) -> String {
    if items.is_empty() {
        return "()".into();
    }
    format!("({},)", items.iter().map(|s| escape::string(s.as_ref())).collect::<Vec<_>>().join(", "))
}

fn template_error(e: tera::Error) -> Diagnostics {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(&format!("：{s}"));
        src = s.source();
    }
    Diagnostic::error(format!("範本錯誤：{msg}")).field("template").into()
}

/// A title's pieces as Typst markup: each filled-in name (`true`) in a box, so that a line
/// break falls between names, never inside one. A title that opens with the agency and
/// does not fit one line breaks after the agency (`agency-break` in the preamble), as the
/// agenda's cover prints the agency on a line of its own: 「行政院主計總處／「政府資料開放
/// 諮詢小組」113 年第 1 次會議紀錄」, never inside the meeting's name.
pub(crate) fn title_markup(parts: &[(String, bool)], agency: &str) -> String {
    let piece = |(text, word): &(String, bool)| {
        if *word { format!("#box[{}]", escape::markup(text)) } else { escape::markup(text) }
    };
    match parts {
        [first, rest @ ..] if first.1 && first.0 == agency && !rest.is_empty() => {
            format!("#agency-break[{}][{}]", piece(first), rest.iter().map(piece).collect::<String>())
        }
        _ => parts.iter().map(piece).collect(),
    }
}

/// Names joined by 、 as Typst markup that breaks only after a 、 (「無」 when there are none).
pub(crate) fn names_markup(names: &[String]) -> String {
    if names.is_empty() {
        return "無".into();
    }
    let last = names.len() - 1;
    names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("#box[{}{}]", escape::markup(n), if i < last { "、" } else { "" }))
        .collect()
}
