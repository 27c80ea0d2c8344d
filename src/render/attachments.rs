//! Attachments, each read once and turned into what the template prints: Markdown
//! (with the images it shows), CSV tables (and the 資料盤點表), images, and PDF pages
//! (embedded, or drawn for an archival document; Word and ODF documents converted to
//! PDF first). The only file reads of rendering happen here; what was read is kept for
//! the missing-glyph check.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Rich;
use super::inventory;
use super::markdown::{self, MdContext};
use super::media::{Linked, Unreachable, image_problem, read_in_series};
use super::office;
use super::pdf_pages::{self, DrawnView};
use super::pdf_tree::{page_tree_problem, stream_problem};
use super::sheets;
use super::tables::{self, Table, TableError, TableSpec};
use crate::diag::{Diagnostic, Diagnostics, Result, line_col};
use crate::model::input::{MAX_INPUT_BYTES, read_regular};
use crate::model::{Attachment, AttachmentStyle, Packet};
use crate::text::encoding::{self, Encoding};
use crate::text::hygiene;
use crate::typeset::fonts::FontSet;
use crate::typeset::world::PacketWorld;

/// How one document loads its attachments.
#[derive(Clone, Copy, Default)]
pub struct AttachOptions<'a> {
    /// Draw the pages of PDF attachments as images (an archival PDF cannot embed pages of
    /// another PDF), with the fonts and families the document prints in (they bound the
    /// invisible text layer); `None`: embed the pages as they are (`--pdf-standard none`).
    pub draw_pdf: Option<(&'a FontSet, &'a [String])>,
    /// The public edition (the export bundle): a 資料盤點表 without its 丙 rows.
    pub public: bool,
}

#[derive(Serialize, Default)]
pub struct AttachmentView {
    pub label: String,
    pub title: String,
    pub subtitle: String,
    pub kind: &'static str,
    pub slides: bool,
    pub markup: Rich,
    pub table: Option<Table>,
    pub notes: Vec<Rich>,
    pub path: String,
    /// The file, relative to the series directory (images and PDFs: for the ODF edition).
    #[serde(skip)]
    pub file: PathBuf,
    pub pages: Vec<usize>,
    /// A PDF's pages drawn as images (archival documents); empty when they are embedded.
    pub drawn: Vec<DrawnView>,
    /// Files made for the document (a PDF's drawn pages, a converted document), by their
    /// Typst path: see [`super::generated_files`].
    #[serde(skip)]
    pub generated: Vec<(String, typst::foundations::Bytes)>,
}

/// One attachment, loaded.
pub(super) struct Loaded {
    pub view: AttachmentView,
    /// Series files the document loads (images, PDFs), relative to the series directory.
    pub assets: Vec<PathBuf>,
    /// The text that was read (Markdown, CSV), with where it came from.
    pub text: Option<AttachmentSource>,
    /// What to tell without stopping the build (what drawing a PDF's pages leaves out).
    pub warnings: Vec<Diagnostic>,
}

/// What loading an attachment adds besides its view (see [`Loaded`]).
#[derive(Default)]
struct Made {
    assets: Vec<PathBuf>,
    generated: Vec<(String, Vec<u8>)>,
    warnings: Vec<Diagnostic>,
}

/// A text attachment as read: for pointing at a character in it later.
pub struct AttachmentSource {
    /// `report[0].attachment[1].file`
    pub field: String,
    /// The file as the user named it (relative to the working directory).
    pub path: PathBuf,
    pub text: String,
}

/// One attachment as the loaders see it: where it is, how messages name it.
struct Source<'a> {
    packet: &'a Packet,
    a: &'a Attachment,
    a_index: usize,
    /// `report[0].attachment[1]`
    afield: String,
    /// The file relative to the series directory, and its full path.
    rel: PathBuf,
    path: PathBuf,
    /// The file as the user named it (relative to the working directory), for messages.
    shown: PathBuf,
    /// `report[0]`, for the Markdown of the notes.
    field: &'a str,
}

impl Source<'_> {
    fn read(&self) -> Result<Vec<u8>> {
        read_regular(&self.path, MAX_INPUT_BYTES)
            .map_err(|e| self.error(format!("無法讀取附件「{}」：{}", self.a.file, e.reason())))
    }

    /// An error at the attachment's `file` field of meeting.toml.
    fn error(&self, message: impl Into<String>) -> Diagnostics {
        self.packet.meeting_src.error_at(&format!("{}.file", self.afield), message).into()
    }

    /// An error in the attachment itself, at `line:col` or the whole file.
    fn in_file(&self, message: String, at: Option<(usize, usize)>) -> Diagnostics {
        let d = Diagnostic::error(message);
        let d = match at {
            Some((line, col)) => d.at(&self.shown, line, col),
            None => d.at_file(&self.shown),
        };
        d.field(format!("{}.file", self.afield)).into()
    }

    /// The notes under the attachment, as Markdown.
    fn notes(&self) -> Result<Vec<Rich>> {
        let src = &self.packet.meeting_src;
        (self.a.notes.iter().enumerate())
            .map(|(i, n)| {
                let sub = format!("{}.attachment[{}].notes[{i}]", self.field, self.a_index);
                super::rich(n, 3).map_err(|msg| src.error_at(&sub, msg).into())
            })
            .collect()
    }

    /// Where the files an SVG attachment or a Markdown image links to are looked up.
    fn dir(&self) -> PathBuf {
        self.rel.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// Read attachment `a_index` of the item at `field` (`report[0]`) and convert it.
pub(super) fn load(
    packet: &Packet,
    field: &str,
    a_index: usize,
    a: &Attachment,
    single: bool,
    opts: &AttachOptions,
) -> Result<Loaded> {
    let label =
        a.label.clone().unwrap_or_else(|| if single { "附件".to_string() } else { format!("附件{}", a_index + 1) });
    let rel = packet.attachment_rel_path(&a.file);
    let source = Source {
        packet,
        a,
        a_index,
        afield: format!("{field}.attachment[{a_index}]"),
        path: packet.series_dir.join(&rel),
        shown: packet.meeting_dir.join(&a.file),
        rel,
        field,
    };
    let ext = Path::new(&a.file).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let mut view = AttachmentView {
        label,
        title: a.title.clone().unwrap_or_default(),
        subtitle: a.subtitle.clone().unwrap_or_default(),
        ..AttachmentView::default()
    };
    let mut made = Made::default();
    let assets = &mut made.assets;
    let text_read = match ext.as_str() {
        "md" | "markdown" | "txt" => Some(markdown_attachment(&source, &mut view, assets)?),
        "csv" | "xlsx" | "ods" => Some(table_attachment(&source, &ext, opts, &mut view)?),
        _ if a.style == Some(AttachmentStyle::Inventory) => {
            return Err(source.error(format!("資料盤點表「{}」須為 .csv、.xlsx 或 .ods 表格", a.file)));
        }
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" => {
            let bytes = source.read()?;
            let linked = Linked { series_dir: &packet.series_dir, dir: source.dir() };
            if let Some(problem) = image_problem(&bytes, Some(&ext), &linked) {
                return Err(source.error(format!("附件「{}」{problem}", a.file)));
            }
            view.kind = "image";
            view.path = PacketWorld::asset_path(&source.rel);
            view.file = source.rel.clone();
            view.notes = source.notes()?;
            assets.push(source.rel.clone());
            None
        }
        "pdf" => {
            let bytes = source.read()?;
            pdf_attachment(&source, bytes, false, opts, &mut view, &mut made)?;
            None
        }
        e if office::OFFICE_EXTENSIONS.contains(&e) => {
            let bytes = source.read()?;
            let pdf = office::to_pdf(&bytes, e, &a.file).map_err(|msg| source.error(msg))?;
            pdf_attachment(&source, pdf, true, opts, &mut view, &mut made)?;
            None
        }
        _ => return Err(source.error(unsupported(&ext, &a.file))),
    };
    let text =
        text_read.map(|text| AttachmentSource { field: format!("{}.file", source.afield), path: source.shown, text });
    view.generated =
        made.generated.into_iter().map(|(path, bytes)| (path, typst::foundations::Bytes::new(bytes))).collect();
    Ok(Loaded { view, assets: made.assets, text, warnings: made.warnings })
}

/// A PDF attachment (or the PDF a document was `converted` to): checked (page tree,
/// encryption, damage), then its pages either embedded (`view.pages`: the file an asset,
/// or a converted one a generated file) or drawn (`view.drawn`, `generated`).
fn pdf_attachment(
    source: &Source,
    bytes: Vec<u8>,
    converted: bool,
    opts: &AttachOptions,
    view: &mut AttachmentView,
    made: &mut Made,
) -> Result<()> {
    let file = &source.a.file;
    let refuse = |problem: String| source.error(format!("附件「{file}」{problem}"));
    let pages = checked_pdf(&bytes).map_err(refuse)?;
    view.kind = "pdf";
    view.file = source.rel.clone();
    view.pages = (1..=pages).collect();
    use sha2::Digest;
    let digest = sha2::Sha256::digest(&bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let Some((fonts, families)) = opts.draw_pdf else {
        if converted {
            view.path = format!("/converted/{hash}.pdf");
            made.generated.push((view.path.clone(), bytes));
        } else {
            view.path = PacketWorld::asset_path(&source.rel);
            made.assets.push(source.rel.clone());
        }
        return Ok(());
    };
    let key: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let dropped = pdf_pages::dropped(&bytes);
    if !dropped.is_empty() {
        let message = format!(
            "附件「{file}」的{}不會帶入議程：長期保存格式的議程只收頁面的樣子（每頁轉成圖片與文字）；需要這些功能請另行提供原檔，或以 --pdf-standard none 產生",
            dropped.join("、")
        );
        let at = format!("{}.file", source.afield);
        made.warnings.push(source.packet.meeting_src.error_at(&at, message).severity(crate::diag::Severity::Warning));
    }
    let drawn = pdf_pages::draw_kept(bytes, &key).map_err(refuse)?;
    let faces: Vec<_> =
        (fonts.fonts.iter()).filter(|f| families.iter().any(|fam| f.info().family.eq_ignore_ascii_case(fam))).collect();
    let covered = |c: char| faces.iter().any(|f| f.info().coverage.contains(c as u32));
    let name = format!("{} {}", view.label, view.title);
    let (views, files) = pdf_pages::views(&hash, &drawn, name.trim(), &covered);
    view.drawn = views;
    made.generated.extend(files);
    Ok(())
}

/// A Markdown or plain-text attachment: its text checked and converted, the images it
/// shows added to `assets`. Returns the text as read.
fn markdown_attachment(source: &Source, view: &mut AttachmentView, assets: &mut Vec<PathBuf>) -> Result<String> {
    let a = source.a;
    let bytes = source.read()?;
    let found = encoding::sniff(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| {
        source.error(match found {
            Encoding::Big5 | Encoding::Utf16 { .. } => {
                encoding::refusal(&format!("附件「{}」", a.file), found, "另存為 UTF-8")
            }
            _ => format!("附件「{}」不是 UTF-8 編碼", a.file),
        })
    })?;
    // A byte-order mark at the start is how some editors say "UTF-8".
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    control_chars(&text, &source.shown, &source.afield)?;
    // Characters written as Markdown references (`&#x202E;`) obey the same rules.
    if let Some((c, message)) = crate::text::markdown::decoded_violations(&text).into_iter().next() {
        let offset = crate::text::markdown::reference_for(&text, c).and_then(|r| text.find(r)).unwrap_or(0);
        return Err(source.in_file(message, Some(line_col(&text, offset))));
    }
    if let Some((depth, line, col)) = crate::text::markdown::too_deep(&text) {
        return Err(source.in_file(crate::text::markdown::too_deep_message(depth), Some((line, col))));
    }
    let md_dir = source.dir();
    let series_dir = &source.packet.series_dir;
    let found: std::cell::RefCell<Vec<(String, PathBuf)>> = Default::default();
    let resolve = |url: &str| -> std::result::Result<String, String> {
        let (img_rel, bytes) = read_in_series(series_dir, &md_dir, url).map_err(|e| match e {
            Unreachable::Outside => format!("圖片「{url}」在系列目錄之外"),
            Unreachable::LinksOutside => format!("圖片「{url}」連結到系列目錄之外"),
            Unreachable::Missing => format!("找不到圖片「{url}」"),
            Unreachable::Unreadable(e) => format!("無法讀取圖片「{url}」：{}", e.reason()),
        })?;
        let img_ext = img_rel.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let img_linked = Linked { series_dir, dir: img_rel.parent().map(Path::to_path_buf).unwrap_or_default() };
        if let Some(problem) = image_problem(&bytes, img_ext.as_deref(), &img_linked) {
            return Err(format!("圖片「{url}」{problem}"));
        }
        found.borrow_mut().push((url.to_string(), img_rel.clone()));
        Ok(PacketWorld::asset_path(&img_rel))
    };
    let ctx = MdContext {
        list_level: 1,
        slides: a.style == Some(AttachmentStyle::Slides),
        title: a.title.as_deref(),
        images: Some(&resolve),
    };
    view.kind = "markdown";
    view.slides = ctx.slides;
    let typst = markdown::to_typst_located(&text, &ctx).map_err(|(msg, at)| source.in_file(msg, at))?;
    let (level, slides) = (ctx.list_level, ctx.slides);
    let images = found.into_inner();
    assets.extend(images.iter().map(|(_, rel)| rel.clone()));
    view.markup = Rich { md: text.clone(), level, slides, images, typst };
    view.notes = source.notes()?;
    Ok(text)
}

/// A CSV or spreadsheet attachment as a table (a sheet becomes CSV text, its own merges
/// the default). Returns the CSV text.
fn table_attachment(source: &Source, ext: &str, opts: &AttachOptions, view: &mut AttachmentView) -> Result<String> {
    let a = source.a;
    let bytes = source.read()?;
    let (text, sheet_merges) = if ext == "csv" {
        (tables::decode(&bytes).map_err(|msg| source.in_file(msg, None))?, Vec::new())
    } else {
        let t = sheets::read(bytes, a.sheet.as_deref(), a.range.as_deref())
            .map_err(|msg| source.error(format!("附件「{}」{msg}", a.file)))?;
        (t.csv, t.merges)
    };
    control_chars(&text, &source.shown, &source.afield)?;
    let (printed, closed) = if a.style == Some(AttachmentStyle::Inventory) {
        inventory_rows(source, &text, &sheet_merges, opts.public)?
    } else {
        (text.clone(), 0)
    };
    let spec = TableSpec {
        header_rows: a.header_rows.unwrap_or(1),
        merges: if a.merge.is_empty() { &sheet_merges } else { &a.merge },
        align: &a.align,
        widths: &a.widths,
    };
    let table = tables::parse(&printed, &spec).map_err(|e| -> Diagnostics {
        match e {
            TableError::Csv { line, message } => source.in_file(message, line.map(|l| (l, 1))),
            TableError::Spec { field, index, message } => {
                let f = match index {
                    Some(i) => format!("{}.{field}[{i}]", source.afield),
                    None => format!("{}.{field}", source.afield),
                };
                source.packet.meeting_src.error_at(&f, message).into()
            }
        }
    })?;
    view.kind = "table";
    view.table = Some(table);
    view.notes = source.notes()?;
    if closed > 0 {
        let note = format!("丙類（不開放）資料集 {closed} 項依設置要點不予公開，未列於本公開版。");
        view.notes.push(super::rich(&note, 3).map_err(|msg| source.error(msg))?);
    }
    Ok(text)
}

/// A 資料盤點表's rows checked, and the text to print: without its 丙 rows in the public
/// edition (with how many were left out). A merge over its body rows is refused, as
/// leaving rows out would break it.
fn inventory_rows(source: &Source, text: &str, sheet_merges: &[String], public: bool) -> Result<(String, usize)> {
    let a = source.a;
    let header_rows = a.header_rows.unwrap_or(1);
    let merges = if a.merge.is_empty() { sheet_merges } else { &a.merge };
    if let Some(m) = merges.iter().find(|m| inventory::merges_body(m, header_rows)) {
        return Err(source.error(format!("資料盤點表「{}」的內容列不能合併儲存格（{m}）：每一列是一個資料集", a.file)));
    }
    inventory::check(text, header_rows, public).map_err(|p| {
        if source.rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            source.in_file(p.message, Some((p.line, 1)))
        } else {
            source.error(format!("附件「{}」第 {} 列：{}", a.file, p.line, p.message))
        }
    })
}

/// Why an attachment type is refused, and what to do instead on an office PC.
fn unsupported(ext: &str, file: &str) -> String {
    match ext {
        "xls" => format!("舊版 Excel 檔「{file}」請在 Excel 中「另存新檔」為 .xlsx（或 .csv）後附加"),
        "ppt" => format!("舊版 PowerPoint 檔「{file}」請在 PowerPoint 中「另存新檔」為 .pptx 或 PDF 後附加"),
        _ => format!(
            "不支援的附件類型「.{ext}」：請用 .md、.txt、.csv、.xlsx、.ods、圖片（.png .jpg .svg）、.pdf，\
             或 Word／ODF 文件（.docx .doc .odt .rtf .pptx .odp，需安裝 LibreOffice）"
        ),
    }
}

/// Control characters other than tab and line breaks, characters PDF/A refuses
/// ([`hygiene::first_unarchivable`]) and overlong grapheme clusters in an attachment's text: an error at their line and
/// column.
fn control_chars(text: &str, shown: &Path, afield: &str) -> Result<()> {
    let Some((offset, message)) = text_problem(text) else { return Ok(()) };
    let (line, col) = line_col(text, offset);
    Err(Diagnostic::error(message).at(shown, line, col).field(format!("{afield}.file")).into())
}

/// The first character [`control_chars`] refuses: its byte offset and why.
fn text_problem(text: &str) -> Option<(usize, String)> {
    match (hygiene::first_forbidden_control(text), hygiene::first_unarchivable(text)) {
        (Some(c), _) => Some((text.find(c).unwrap_or(0), format!("含有不允許的控制字元 U+{:04X}", c as u32))),
        (None, Some((c, why))) => Some((text.find(c).unwrap_or(0), hygiene::unarchivable_message(c, why))),
        (None, None) => hygiene::first_long_cluster(text).map(|(offset, n)| (offset, hygiene::long_cluster_message(n))),
    }
}

/// Why an uploaded file (extension `ext`, lower case) would stop the build, judged by the
/// code the build uses, with the options an upload lists it with (none): a PDF's header,
/// page tree and streams; a text's or CSV's encoding and characters; a table's and a
/// spreadsheet's limits; an image's header. `dir` is the folder it goes to, relative to
/// `series_dir` (an SVG's links). `None` when it loads, and for Word and ODF documents,
/// which only LibreOffice judges (when the packet is built). In words, after 「未上傳…：」.
pub fn upload_problem(bytes: &[u8], ext: &str, series_dir: &Path, dir: &Path) -> Option<String> {
    let (text, merges) = match ext {
        "pdf" => return checked_pdf(bytes).err().map(|p| format!("檔案{p}")),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" => {
            let linked = Linked { series_dir, dir: dir.to_path_buf() };
            return image_problem(bytes, Some(ext), &linked).map(|p| format!("檔案{p}"));
        }
        "md" | "markdown" | "txt" => match std::str::from_utf8(bytes) {
            Ok(text) => (text.trim_start_matches('\u{feff}').to_string(), None),
            Err(_) => return Some(encoding::refusal("檔案", encoding::sniff(bytes), "另存為 UTF-8")),
        },
        "csv" => match tables::decode(bytes) {
            Ok(text) => (text, Some(Vec::new())),
            Err(msg) => return Some(msg),
        },
        "xlsx" | "ods" => match sheets::read(bytes.to_vec(), None, None) {
            Ok(t) => (t.csv, Some(t.merges)),
            Err(msg) => return Some(format!("檔案{msg}")),
        },
        _ => return None,
    };
    if let Some((offset, message)) = text_problem(&text) {
        return Some(format!("第 {} 行：{message}", line_col(&text, offset).0));
    }
    let merges = merges?;
    let spec = TableSpec { header_rows: 1, merges: &merges, align: &[], widths: &[] };
    match tables::parse(&text, &spec) {
        Err(TableError::Csv { line: Some(line), message }) => Some(format!("第 {line} 行：{message}")),
        Err(TableError::Csv { line: None, message } | TableError::Spec { message, .. }) => Some(message),
        Ok(_) => None,
    }
}

/// Page count of a PDF attachment, or why it cannot be used: its page tree (judged before
/// the parser walks it), then the pages, then its streams' declared sizes — at the build
/// and at the editor's upload alike.
fn checked_pdf(bytes: &[u8]) -> std::result::Result<usize, String> {
    if let Some(problem) = bytes.starts_with(b"%PDF-").then(|| page_tree_problem(bytes)).flatten() {
        return Err(problem);
    }
    let pages = pdf_page_count(bytes)?;
    match stream_problem(bytes) {
        Some(problem) => Err(problem),
        None => Ok(pages),
    }
}

/// Page count of a PDF attachment, or why it cannot be used.
fn pdf_page_count(bytes: &[u8]) -> std::result::Result<usize, String> {
    use hayro_syntax::{LoadPdfError, Pdf};
    if !bytes.starts_with(b"%PDF-") {
        return Err("不是 PDF 檔".into());
    }
    match Pdf::new(bytes.to_vec()) {
        Ok(pdf) if !pdf.pages().is_empty() => Ok(pdf.pages().len()),
        Ok(_) => Err("沒有任何頁面".into()),
        Err(LoadPdfError::Decryption(_)) => Err("有密碼保護或已加密；請先移除密碼再附加".into()),
        Err(LoadPdfError::Invalid) => Err("已損毀，無法讀取".into()),
    }
}
