//! What a PDF/A document cannot hold, found before typesetting so the message points
//! at the user's file instead of the generated Typst source.
//!
//! Typst cannot embed pages of another PDF in a PDF/A or PDF/UA document (it cannot
//! vouch for their fonts, colours and tags; PDF/A-2b and 2u refuse them as well), so a
//! `.pdf` attachment is refused with what to do instead, rather than written into a
//! file that silently is not PDF/A. Typst checks the standard itself too while writing
//! the PDF (see [`super::compile`]); characters without a glyph are refused earlier, by
//! [`super::fonts::missing_glyph`].

use std::path::Path;

use super::compile::PdfProfile;
use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::model::Packet;

/// Everything in `packet` that a document of `profile` cannot carry; all at once.
pub(crate) fn preflight(packet: &Packet, profile: PdfProfile) -> Result<()> {
    let problems = if profile.is_archival() { pdf_attachments(packet, profile) } else { Vec::new() };
    if problems.is_empty() { Ok(()) } else { Err(Diagnostics(problems)) }
}

/// `.pdf` attachments, which no PDF/A or PDF/UA profile can carry.
fn pdf_attachments(packet: &Packet, profile: PdfProfile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let m = &packet.meeting;
    for (key, list) in [("report", &m.reports), ("discussion", &m.discussions)] {
        for (i, item) in list.iter().enumerate() {
            for (j, a) in item.attachments.iter().enumerate() {
                if !is_pdf(&a.file) {
                    continue;
                }
                let file = &a.file;
                out.push(packet.meeting_src.error_at(
                    &format!("{key}[{i}].attachment[{j}].file"),
                    format!(
                        "附件「{file}」是 PDF 檔：長期保存格式（{}）不能內嵌其他 PDF 的頁面（Typst 無法檢驗其字型、色彩與標記）；\
                         請把各頁轉成圖片（例如 pdftoppm -png -r 200 {file} 頁）後以 .png 附件列出，\
                         或把內容改寫為 Markdown／CSV 附件；\
                         若不需長期保存格式，可加 --pdf-standard none 直接附入 PDF 頁面",
                        profile.label()
                    ),
                ));
            }
        }
    }
    out
}

fn is_pdf(file: &str) -> bool {
    Path::new(file).extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}
