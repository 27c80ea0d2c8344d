//! What the content of an ODF document asks of the package as it is written: the list
//! styles its lists use (one per kind, starting level and font size, so every indent
//! hangs at its own marker) and the pictures it shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::input::{MAX_INPUT_BYTES, read_regular};

/// Text area of an A4 page with 2.5 cm margins, in centimetres (as the PDF).
const TEXT_WIDTH_CM: f64 = 16.0;
/// Text width of a landscape A4 page with the same margins.
const LANDSCAPE_WIDTH_CM: f64 = 24.7;
const TEXT_HEIGHT_CM: f64 = 23.5;
/// ODF list levels (a deeper list takes the last level's indent).
const LEVELS: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum ListKind {
    /// Ordered Markdown lists, numbered by the style in the official hierarchy.
    Numbered,
    Bullet,
    /// Paragraphs that bring their own marker (一、 as written): no number, hanging text.
    Points,
}

/// One picture in the package.
pub struct Picture {
    /// `Pictures/0001.png`
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

pub struct Styles {
    series_dir: PathBuf,
    /// Automatic list styles by name, as XML.
    lists: BTreeMap<String, String>,
    /// Automatic paragraph styles (indents) by name, as XML.
    paras: BTreeMap<String, String>,
    /// Automatic table and column styles, in the order the tables come.
    tables: Vec<String>,
    pub pictures: Vec<Picture>,
    /// Text width (cm) of the page the next table is set on ([`Styles::table_on`]).
    table_width: f64,
    by_file: BTreeMap<PathBuf, usize>,
    /// A picture that could not be read (it was readable when the document was rendered).
    pub errors: Vec<Diagnostic>,
}

impl Styles {
    pub fn new(series_dir: &Path) -> Self {
        Styles {
            series_dir: series_dir.to_path_buf(),
            lists: BTreeMap::new(),
            paras: BTreeMap::new(),
            tables: Vec::new(),
            pictures: Vec::new(),
            table_width: TEXT_WIDTH_CM,
            by_file: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    /// The automatic styles used (paragraph indents, list styles), in name order
    /// (deterministic).
    pub fn automatic(&self) -> String {
        self.paras.values().chain(self.lists.values()).chain(self.tables.iter()).cloned().collect()
    }

    /// A table as wide as the text with columns of these relative widths: the table's
    /// style name and its columns' (`table:table-column` elements, as XML).
    /// A table-row style `name` whose rows are at least `height` tall and never split
    /// (a row to sign in), declared once.
    pub fn tall_rows(&mut self, name: &str, height: &str) {
        let xml = format!(
            "<style:style style:name=\"{name}\" style:family=\"table-row\"><style:table-row-properties style:min-row-height=\"{height}\" fo:keep-together=\"always\"/></style:style>"
        );
        if !self.tables.contains(&xml) {
            self.tables.push(xml);
        }
    }

    pub fn table(&mut self, widths: &[f64]) -> (String, String) {
        let n = self.tables.len() / 2 + 1;
        let name = format!("Table{n}");
        let total: f64 = widths.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let mut columns_xml = String::new();
        let mut style = String::new();
        for (i, w) in widths.iter().enumerate() {
            let col = format!("{name}.C{}", i + 1);
            style.push_str(&format!(
                "<style:style style:name=\"{col}\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"{:.3}cm\" style:rel-column-width=\"{}*\"/></style:style>",
                self.table_width * w / total,
                (w / total * 10000.0).round() as u64,
            ));
            columns_xml.push_str(&format!("<table:table-column table:style-name=\"{col}\"/>"));
        }
        let text_width = self.table_width;
        self.tables.push(format!(
            "<style:style style:name=\"{name}\" style:family=\"table\"><style:table-properties style:width=\"{text_width}cm\" table:align=\"margins\" fo:margin-top=\"0.2cm\" fo:margin-bottom=\"0.2cm\"/></style:style>"
        ));
        self.tables.push(style);
        (name, columns_xml)
    }

    /// As [`Styles::table`], as wide as the text of a landscape page if `landscape`.
    pub fn table_on(&mut self, widths: &[f64], landscape: bool) -> (String, String) {
        self.table_width = if landscape { LANDSCAPE_WIDTH_CM } else { TEXT_WIDTH_CM };
        let table = self.table(widths);
        self.table_width = TEXT_WIDTH_CM;
        table
    }

    /// A paragraph style of `parent` indented by `indent` em whose first line starts
    /// `hang` em further left (a label or marker hangs there), in text of `size` points.
    pub fn para(&mut self, parent: &str, indent: u32, hang: u32, size: u32) -> String {
        if indent == 0 && hang == 0 {
            return parent.to_string();
        }
        let name = format!("{parent}_i{indent}h{hang}");
        self.paras.entry(name.clone()).or_insert_with(|| {
            format!(
                "<style:style style:name=\"{name}\" style:family=\"paragraph\" style:parent-style-name=\"{parent}\"><style:paragraph-properties fo:margin-left=\"{}\" fo:text-indent=\"-{}\"/></style:style>",
                cm(f64::from((indent + hang) * size)),
                cm(f64::from(hang * size)),
            )
        });
        name
    }

    /// As [`Styles::para`], and kept on one page with the next paragraph (a lead-in
    /// ending in ：, with the points it introduces).
    /// No indent (`0, 0`) sets no margin: in a list item the list style's indent holds.
    pub fn para_kept(&mut self, parent: &str, indent: u32, hang: u32, size: u32) -> String {
        let name = format!("{parent}_i{indent}h{hang}k");
        self.paras.entry(name.clone()).or_insert_with(|| {
            let margins = if indent == 0 && hang == 0 {
                String::new()
            } else {
                format!(
                    " fo:margin-left=\"{}\" fo:text-indent=\"-{}\"",
                    cm(f64::from((indent + hang) * size)),
                    cm(f64::from(hang * size))
                )
            };
            format!(
                "<style:style style:name=\"{name}\" style:family=\"paragraph\" style:parent-style-name=\"{parent}\"><style:paragraph-properties{margins} fo:keep-with-next=\"always\"/></style:style>"
            )
        });
        name
    }

    /// A style as `name` (a common or an automatic paragraph style) and kept on one page
    /// with the next paragraph.
    pub fn kept(&mut self, name: &str) -> String {
        if name.ends_with('k') && self.paras.get(name).is_some_and(|x| x.contains("keep-with-next")) {
            return name.to_string();
        }
        let kept = format!("{name}k");
        if let Some(xml) = self.paras.get(name).cloned() {
            // An automatic style's parent must be a common one: copy its properties.
            let xml = xml.replacen(&format!("style:name=\"{name}\""), &format!("style:name=\"{kept}\""), 1).replacen(
                "<style:paragraph-properties",
                "<style:paragraph-properties fo:keep-with-next=\"always\"",
                1,
            );
            self.paras.entry(kept.clone()).or_insert(xml);
            kept
        } else {
            self.para_kept(name, 0, 0, 16)
        }
    }

    /// The name of the list style of `kind` whose first level prints official level
    /// `base` (it may be below 0 for lists nested in bullets), in text of `size` points.
    pub fn list(&mut self, kind: ListKind, base: isize, size: u32, indent: u32) -> String {
        let tag = match kind {
            ListKind::Numbered => "N",
            ListKind::Bullet => "B",
            ListKind::Points => "P",
        };
        let sign = if base < 0 { "m" } else { "" };
        let name = format!("L{tag}{sign}{}s{size}i{indent}", base.unsigned_abs());
        if !self.lists.contains_key(&name) {
            let xml = list_style(&name, kind, base, size, indent);
            self.lists.insert(name.clone(), xml);
        }
        name
    }

    /// An image as a frame in the line (`as-char`), at most `width` of the text width
    /// and `height` of the text height, aspect kept; `alt` is its title and description.
    pub fn image(&mut self, rel: &Path, alt: &str, width: f64, height: f64) -> String {
        let index = match self.by_file.get(rel) {
            Some(&i) => i,
            None => {
                let path = self.series_dir.join(rel);
                let bytes = match read_regular(&path, MAX_INPUT_BYTES) {
                    Ok(b) => b,
                    Err(e) => {
                        self.errors.push(Diagnostic::error(format!("無法讀取圖片：{}", e.reason())).at_file(&path));
                        return String::new();
                    }
                };
                let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                let mime = match ext.as_str() {
                    "png" => "image/png",
                    "jpg" | "jpeg" => "image/jpeg",
                    "gif" => "image/gif",
                    "webp" => "image/webp",
                    "svg" => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                let name = format!("Pictures/{:04}.{ext}", self.pictures.len() + 1);
                self.pictures.push(Picture { name, mime, bytes });
                self.by_file.insert(rel.to_path_buf(), self.pictures.len() - 1);
                self.pictures.len() - 1
            }
        };
        let picture = &self.pictures[index];
        let (w, h) = pixel_size(&picture.bytes, picture.mime).unwrap_or((4.0, 3.0));
        let (max_w, max_h) = (TEXT_WIDTH_CM * width, TEXT_HEIGHT_CM * height);
        let scale = (max_w / w).min(max_h / h);
        let alt = super::xml::attr(alt);
        format!(
            "<draw:frame draw:style-name=\"Image\" draw:name=\"圖{n}\" text:anchor-type=\"as-char\" svg:width=\"{:.3}cm\" svg:height=\"{:.3}cm\" draw:z-index=\"0\">\
<draw:image xlink:href=\"{}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"{}\"/>\
<svg:title>{alt}</svg:title><svg:desc>{alt}</svg:desc></draw:frame>",
            w * scale,
            h * scale,
            picture.name,
            picture.mime,
            n = index + 1,
        )
    }
}

/// Width and height in pixels (SVG: its user units), read from the header.
fn pixel_size(bytes: &[u8], mime: &str) -> Option<(f64, f64)> {
    if mime == "image/svg+xml" {
        let tree = usvg::Tree::from_data(bytes, &usvg::Options::default()).ok()?;
        let size = tree.size();
        return Some((f64::from(size.width()), f64::from(size.height())));
    }
    let size = imagesize::blob_size(bytes).ok()?;
    (size.width > 0 && size.height > 0).then_some((size.width as f64, size.height as f64))
}

/// Width of the marker at official level `level`, in em: 一、 two, （一） three, 1. one
/// and a half, （1） two and a half.
fn marker_em(level: isize) -> f64 {
    match level {
        l if l <= 1 => 2.0,
        2 => 3.0,
        l if l % 2 == 1 => 1.5,
        _ => 2.5,
    }
}

/// The number format of official level `level`: (prefix, format, suffix). Below 0 the
/// level is never numbered (only bullets nest that way).
fn number_format(level: isize) -> (&'static str, &'static str, &'static str) {
    match level {
        0 => ("", "壹, 貳, 參, ...", "、"),
        1 => ("", "一, 二, 三, ...", "、"),
        2 => ("（", "一, 二, 三, ...", "）"),
        l if l % 2 == 1 => ("", "1", "."),
        _ => ("（", "1", "）"),
    }
}

fn cm(pt: f64) -> String {
    format!("{:.3}cm", pt * 2.54 / 72.0)
}

fn list_style(name: &str, kind: ListKind, base: isize, size: u32, indent: u32) -> String {
    let mut xml = format!("<text:list-style style:name=\"{name}\">");
    let mut margin = f64::from(indent * size);
    for j in 1..=LEVELS {
        let level = base + j as isize - 1;
        let em = match kind {
            ListKind::Numbered => marker_em(level),
            ListKind::Bullet => 1.0,
            ListKind::Points => 2.0,
        };
        let width = em * f64::from(size);
        margin += width;
        let position = format!(
            "<style:list-level-properties text:list-level-position-and-space-mode=\"label-alignment\">\
<style:list-level-label-alignment text:label-followed-by=\"{}\" text:list-tab-stop-position=\"{}\" fo:text-indent=\"-{}\" fo:margin-left=\"{}\"/>\
</style:list-level-properties>",
            // The text follows its marker directly, later lines hang at the margin (as
            // the PDF: each point's lines under its own text).
            "nothing",
            cm(margin),
            cm(width),
            cm(margin),
        );
        match kind {
            ListKind::Numbered if level >= 0 => {
                let (prefix, format, suffix) = number_format(level);
                xml.push_str(&format!(
                    "<text:list-level-style-number text:level=\"{j}\" style:num-prefix=\"{prefix}\" style:num-suffix=\"{suffix}\" style:num-format=\"{format}\">{position}</text:list-level-style-number>"
                ));
            }
            ListKind::Points => {
                xml.push_str(&format!(
                    "<text:list-level-style-number text:level=\"{j}\" style:num-format=\"\">{position}</text:list-level-style-number>"
                ));
            }
            _ => {
                xml.push_str(&format!(
                    "<text:list-level-style-bullet text:level=\"{j}\" text:bullet-char=\"•\">{position}</text:list-level-style-bullet>"
                ));
            }
        }
    }
    xml.push_str("</text:list-style>");
    xml
}
