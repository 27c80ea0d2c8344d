//! Attachments, each read once and turned into what the template prints: Markdown
//! (with the images it shows), CSV tables, images, and PDF pages. The only file reads of
//! rendering happen here; what was read is kept for the missing-glyph check.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Rich;
use super::markdown::{self, MdContext};
use super::media::{Linked, Unreachable, image_problem, read_in_series};
use super::pdf_tree::page_tree_problem;
use super::sheets;
use super::tables::{self, Table, TableError, TableSpec};
use crate::diag::{Diagnostic, Diagnostics, Result, line_col};
use crate::model::input::{MAX_INPUT_BYTES, read_regular};
use crate::model::{Attachment, AttachmentStyle, Packet};
use crate::text::encoding::{self, Encoding};
use crate::text::hygiene;
use crate::typeset::world::PacketWorld;

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
}

/// One attachment, loaded.
pub(super) struct Loaded {
    pub view: AttachmentView,
    /// Series files the document loads (images, PDFs), relative to the series directory.
    pub assets: Vec<PathBuf>,
    /// The text that was read (Markdown, CSV), with where it came from.
    pub text: Option<AttachmentSource>,
}

/// A text attachment as read: for pointing at a character in it later.
pub struct AttachmentSource {
    /// `report[0].attachment[1].file`
    pub field: String,
    /// The file as the user named it (relative to the working directory).
    pub path: PathBuf,
    pub text: String,
}

/// Read attachment `a_index` of the item at `field` (`report[0]`) and convert it.
pub(super) fn load(packet: &Packet, field: &str, a_index: usize, a: &Attachment, single: bool) -> Result<Loaded> {
    let src = &packet.meeting_src;
    let md = |text: &str, sub: &str, level: usize| -> Result<Rich> {
        super::rich(text, level).map_err(|msg| src.error_at(&format!("{field}.{sub}"), msg).into())
    };
    let mut assets = Vec::new();
    let mut text_read: Option<String> = None;
    let afield = format!("{field}.attachment[{a_index}]");
    let label =
        a.label.clone().unwrap_or_else(|| if single { "附件".to_string() } else { format!("附件{}", a_index + 1) });
    let rel = packet.attachment_rel_path(&a.file);
    let path = packet.series_dir.join(&rel);
    // The file as the user named it (relative to the working directory), for messages.
    let shown = packet.meeting_dir.join(&a.file);
    let ext = Path::new(&a.file).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let mut view = AttachmentView {
        label,
        title: a.title.clone().unwrap_or_default(),
        subtitle: a.subtitle.clone().unwrap_or_default(),
        ..AttachmentView::default()
    };
    let read = || -> Result<Vec<u8>> {
        read_regular(&path, MAX_INPUT_BYTES).map_err(|e| {
            src.error_at(&format!("{afield}.file"), format!("無法讀取附件「{}」：{}", a.file, e.reason())).into()
        })
    };
    // Where the files an SVG attachment links to are looked up.
    let linked =
        Linked { series_dir: &packet.series_dir, dir: rel.parent().map(Path::to_path_buf).unwrap_or_default() };
    let notes_md = |notes: &[String]| -> Result<Vec<Rich>> {
        notes.iter().enumerate().map(|(i, n)| md(n, &format!("attachment[{a_index}].notes[{i}]"), 3)).collect()
    };
    match ext.as_str() {
        "md" | "markdown" | "txt" => {
            let bytes = read()?;
            let found = encoding::sniff(&bytes);
            let text = String::from_utf8(bytes).map_err(|_| {
                let message = match found {
                    Encoding::Big5 | Encoding::Utf16 { .. } => {
                        encoding::refusal(&format!("附件「{}」", a.file), found, "另存為 UTF-8")
                    }
                    _ => format!("附件「{}」不是 UTF-8 編碼", a.file),
                };
                src.error_at(&format!("{afield}.file"), message)
            })?;
            // A byte-order mark at the start is how some editors say "UTF-8".
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            control_chars(&text, &shown, &afield)?;
            // Characters written as Markdown references (`&#x202E;`) obey the same rules.
            if let Some((c, message)) = crate::text::markdown::decoded_violations(&text).into_iter().next() {
                let offset = crate::text::markdown::reference_for(&text, c).and_then(|r| text.find(r)).unwrap_or(0);
                let (line, col) = line_col(&text, offset);
                return Err(Diagnostic::error(message).at(&shown, line, col).field(format!("{afield}.file")).into());
            }
            if let Some((depth, line, col)) = crate::text::markdown::too_deep(&text) {
                return Err(Diagnostic::error(crate::text::markdown::too_deep_message(depth))
                    .at(&shown, line, col)
                    .field(format!("{afield}.file"))
                    .into());
            }
            let md_dir = rel.parent().map(Path::to_path_buf).unwrap_or_default();
            let series_dir = packet.series_dir.clone();
            let found: std::cell::RefCell<Vec<(String, PathBuf)>> = Default::default();
            let resolve = |url: &str| -> std::result::Result<String, String> {
                let (img_rel, bytes) = read_in_series(&series_dir, &md_dir, url).map_err(|e| match e {
                    Unreachable::Outside => format!("圖片「{url}」在系列目錄之外"),
                    Unreachable::LinksOutside => format!("圖片「{url}」連結到系列目錄之外"),
                    Unreachable::Missing => format!("找不到圖片「{url}」"),
                    Unreachable::Unreadable(e) => format!("無法讀取圖片「{url}」：{}", e.reason()),
                })?;
                let img_ext = img_rel.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                let img_linked = Linked {
                    series_dir: &series_dir,
                    dir: img_rel.parent().map(Path::to_path_buf).unwrap_or_default(),
                };
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
            let typst = markdown::to_typst_located(&text, &ctx).map_err(|(msg, at)| {
                let d = Diagnostic::error(msg);
                let d = match at {
                    Some((line, col)) => d.at(&shown, line, col),
                    None => d.at_file(&shown),
                };
                Diagnostics::from(d.field(format!("{afield}.file")))
            })?;
            let (level, slides) = (ctx.list_level, ctx.slides);
            let images = found.into_inner();
            assets.extend(images.iter().map(|(_, rel)| rel.clone()));
            view.markup = Rich { md: text.clone(), level, slides, images, typst };
            text_read = Some(text.clone());
            view.notes = notes_md(&a.notes)?;
        }
        "csv" | "xlsx" | "ods" => {
            let bytes = read()?;
            // A spreadsheet's sheet becomes CSV text here, its own merges the default.
            let (text, sheet_merges) = if ext == "csv" {
                let text = tables::decode(&bytes).map_err(|msg| {
                    Diagnostics::from(Diagnostic::error(msg).at_file(&shown).field(format!("{afield}.file")))
                })?;
                (text, Vec::new())
            } else {
                let t = sheets::read(bytes, a.sheet.as_deref(), a.range.as_deref())
                    .map_err(|msg| src.error_at(&format!("{afield}.file"), format!("附件「{}」{msg}", a.file)))?;
                (t.csv, t.merges)
            };
            control_chars(&text, &shown, &afield)?;
            let spec = TableSpec {
                header_rows: a.header_rows.unwrap_or(1),
                merges: if a.merge.is_empty() { &sheet_merges } else { &a.merge },
                align: &a.align,
                widths: &a.widths,
            };
            let table = tables::parse(&text, &spec).map_err(|e| -> Diagnostics {
                match e {
                    TableError::Csv { line: Some(line), message } => {
                        Diagnostic::error(message).at(&shown, line, 1).field(format!("{afield}.file")).into()
                    }
                    TableError::Csv { line: None, message } => {
                        Diagnostic::error(message).at_file(&shown).field(format!("{afield}.file")).into()
                    }
                    TableError::Spec { field, index, message } => {
                        let f = match index {
                            Some(i) => format!("{afield}.{field}[{i}]"),
                            None => format!("{afield}.{field}"),
                        };
                        src.error_at(&f, message).into()
                    }
                }
            })?;
            text_read = Some(text.clone());
            view.kind = "table";
            view.table = Some(table);
            view.notes = notes_md(&a.notes)?;
        }
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" => {
            let bytes = read()?;
            if let Some(problem) = image_problem(&bytes, Some(&ext), &linked) {
                return Err(src.error_at(&format!("{afield}.file"), format!("附件「{}」{problem}", a.file)).into());
            }
            view.kind = "image";
            view.path = PacketWorld::asset_path(&rel);
            view.file = rel.clone();
            view.notes = notes_md(&a.notes)?;
            assets.push(rel);
        }
        "pdf" => {
            let bytes = read()?;
            if let Some(problem) = bytes.starts_with(b"%PDF-").then(|| page_tree_problem(&bytes)).flatten() {
                return Err(src.error_at(&format!("{afield}.file"), format!("附件「{}」{problem}", a.file)).into());
            }
            let pages = pdf_page_count(bytes)
                .map_err(|msg| src.error_at(&format!("{afield}.file"), format!("附件「{}」{msg}", a.file)))?;
            view.kind = "pdf";
            view.path = PacketWorld::asset_path(&rel);
            view.file = rel.clone();
            view.pages = (1..=pages).collect();
            assets.push(rel);
        }
        _ => {
            return Err(src.error_at(&format!("{afield}.file"), unsupported(&ext, &a.file)).into());
        }
    }
    let text = text_read.map(|text| AttachmentSource { field: format!("{afield}.file"), path: shown, text });
    Ok(Loaded { view, assets, text })
}

/// Why an attachment type is refused, and what to do instead on an office PC. Word and
/// ODF text documents are not converted: their layout (numbering, tables, text boxes)
/// would come out changed or incomplete, and nothing may silently go missing.
fn unsupported(ext: &str, file: &str) -> String {
    match ext {
        "docx" | "doc" | "odt" | "rtf" => format!(
            "文書檔「{file}」不能直接附加：請在 Word 或 LibreOffice 中將文字另存為 .md 或 .txt（UTF-8），表格複製到 Excel 另存為 .xlsx；\
             要原樣附上，請「另存新檔」為 PDF，並以 --pdf-standard none 產生（長期保存格式 PDF/A 不能內嵌 PDF）"
        ),
        "xls" => format!("舊版 Excel 檔「{file}」請在 Excel 中「另存新檔」為 .xlsx（或 .csv）後附加"),
        _ => format!(
            "不支援的附件類型「.{ext}」：請用 .md、.txt、.csv、.xlsx、.ods 或圖片（.png .jpg .svg）；.pdf 僅能以 --pdf-standard none 附加"
        ),
    }
}

/// Control characters other than tab and line breaks, characters PDF/A refuses
/// ([`hygiene::first_unarchivable`]) and overlong grapheme clusters in an attachment's text: an error at their line and
/// column.
fn control_chars(text: &str, shown: &Path, afield: &str) -> Result<()> {
    let (offset, message) = match (hygiene::first_forbidden_control(text), hygiene::first_unarchivable(text)) {
        (Some(c), _) => (text.find(c).unwrap_or(0), format!("含有不允許的控制字元 U+{:04X}", c as u32)),
        (None, Some((c, why))) => (text.find(c).unwrap_or(0), hygiene::unarchivable_message(c, why)),
        (None, None) => match hygiene::first_long_cluster(text) {
            Some((offset, n)) => (offset, hygiene::long_cluster_message(n)),
            None => return Ok(()),
        },
    };
    let (line, col) = line_col(text, offset);
    Err(Diagnostic::error(message).at(shown, line, col).field(format!("{afield}.file")).into())
}

/// Page count of a PDF attachment, or why it cannot be used.
fn pdf_page_count(bytes: Vec<u8>) -> std::result::Result<usize, String> {
    use hayro_syntax::{LoadPdfError, Pdf};
    if !bytes.starts_with(b"%PDF-") {
        return Err("不是 PDF 檔".into());
    }
    match Pdf::new(bytes) {
        Ok(pdf) if !pdf.pages().is_empty() => Ok(pdf.pages().len()),
        Ok(_) => Err("沒有任何頁面".into()),
        Err(LoadPdfError::Decryption(_)) => Err("有密碼保護或已加密；請先移除密碼再附加".into()),
        Err(LoadPdfError::Invalid) => Err("已損毀，無法讀取".into()),
    }
}
