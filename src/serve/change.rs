//! The routes that write: an edit of meeting.toml or group.toml, an uploaded attachment,
//! the next meeting.

use std::path::Path;

use super::api::{EditReply, EditRequest, NewReply, NewRequest, Notice, UploadReply};
use super::edit::{self, Op};
use super::http::{Answer, ApiError, json_reply};
use super::state::read_table;
use super::write::{Edit, write_edit};
use super::{App, Meeting, Params, guard};
use crate::diag::{Diagnostic, io_reason};
use crate::model::{Series, meeting_dirs};
use crate::render::office::OFFICE_EXTENSIONS;

/// The kinds of attachment packet prints (the extension decides how).
pub(super) const ATTACHMENT_KINDS: &[&str] =
    &["md", "csv", "xlsx", "ods", "png", "jpg", "jpeg", "gif", "webp", "svg", "pdf"];

impl App {
    /// Create the next meeting of the series, as `packet new` does (never overwrites).
    pub(super) fn new_meeting(&self, body: &[u8]) -> Answer {
        let request: NewRequest =
            serde_json::from_slice(body).map_err(|e| ApiError::new(400, format!("要求格式不正確：{e}")))?;
        let Some(date) = crate::text::zh::parse_date(&request.date) else {
            return Err(ApiError::new(409, format!("無效的日期「{}」，請寫成 2024-10-15 或 113-10-15", request.date)));
        };
        if let Some(term) = request.term {
            new_term_refused(&self.series, term)?;
        }
        let series = Series::load(&self.series)?;
        let next = crate::rules::tracking::next_meeting_in(&series, date, request.term)?;
        std::fs::create_dir_all(&next.dir)
            .map_err(|e| Diagnostic::error(format!("無法建立目錄：{}", io_reason(&e))).at_file(&next.dir))?;
        crate::output::write_new(&next.file, next.text.as_bytes())?;
        let meeting = next.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.bump();
        Ok(json_reply(200, &NewReply { meeting }))
    }

    /// An attachment for an item (`item=report[0]`, with the item's fingerprint `fp` and
    /// the file's hash `base` as the tab saw them): written under a clean name into the
    /// meeting's `attachments/` (never over another file), then listed on the item.
    /// Without `item` the file is only stored (an image a Markdown attachment shows).
    pub(super) fn upload(&self, params: &Params, body: &[u8]) -> Answer {
        let Meeting { dir, .. } = self.meeting(params)?;
        let item = params.get("item").cloned().unwrap_or_default();
        if !item.is_empty() && edit::parse_path(&item).is_err() {
            return Err(ApiError::new(409, format!("欄位路徑不正確：「{item}」")));
        }
        let sent = params.get("name").map_or("", String::as_str);
        let Some(name) = clean_file_name(sent) else {
            let kinds = ATTACHMENT_KINDS.iter().chain(OFFICE_EXTENSIONS).copied().collect::<Vec<_>>().join("、");
            return Err(ApiError::new(415, format!("附件須為下列檔案之一：{kinds}")));
        };
        let folder = dir.join("attachments");
        // Judged as the build will judge it: a file that would stop the agenda is refused here.
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let within = dir.strip_prefix(&self.series).unwrap_or(&dir).join("attachments");
        if let Some(problem) = crate::render::attachments::upload_problem(body, ext, &self.series, &within) {
            return Err(ApiError::new(422, problem));
        }
        let mut ledger = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        let free = (1..=100)
            .map(|n| if n == 1 { name.clone() } else { format!("{stem}-{n}.{ext}") })
            .find(|candidate| !folder.join(candidate).exists())
            .ok_or_else(|| ApiError::new(409, "同名附件過多"))?;
        let path = folder.join(&free);
        crate::output::write_new(&path, body)?;
        let file = format!("attachments/{free}");
        if !item.is_empty() {
            let mut fields = serde_json::Map::new();
            fields.insert("file".into(), file.clone().into());
            fields.insert("title".into(), params.get("title").cloned().unwrap_or_else(|| upload_title(sent)).into());
            let anchor = super::api::Anchor { path: item.clone(), fp: params.get("fp").cloned().unwrap_or_default() };
            let edit = Edit {
                file: &dir.join("meeting.toml"),
                base: params.get("base").map_or("", String::as_str),
                items: &[anchor],
                ops: vec![Op::Append { path: format!("{item}.attachment"), fields }],
                keeps: None,
            };
            if let Err(e) = write_edit(&mut ledger, edit, |_| Ok(())) {
                // Not listed on any item: the file goes again, nothing is left half-done.
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
        }
        drop(ledger);
        self.bump();
        Ok(json_reply(200, &UploadReply { file }))
    }

    /// Apply the operations to meeting.toml (or with `file=group` the series' group.toml)
    /// if it is still the version the tab saw, and tell the tabs whose fields it overwrote.
    pub(super) fn edit(&self, params: &Params, body: &[u8]) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let request: EditRequest =
            serde_json::from_slice(body).map_err(|e| ApiError::new(400, format!("要求格式不正確：{e}")))?;
        let roster = params.get("file").is_some_and(|f| f == "group");
        let file = if roster { self.series.join("group.toml") } else { dir.join("meeting.toml") };
        // A roster that would stop a meeting loading is refused before it is written.
        let keeps = |text: &str| {
            guard::roster_keeps_meetings(&self.series, text).map_err(|(field, message)| match field {
                Some(field) => ApiError::at_field(field, message),
                None => ApiError::new(409, message),
            })
        };
        let keeps: Option<super::write::Keeps> = if roster { Some(&keeps) } else { None };
        let edit = Edit { file: &file, base: &request.base, items: &request.items, ops: request.ops, keeps };
        let written = {
            let mut ledger = self.writing.lock().unwrap_or_else(|p| p.into_inner());
            write_edit(&mut ledger, edit, |ops| {
                let refused = if roster {
                    guard::roster_edit_refused(&self.series, ops)
                } else {
                    guard::item_edit_refused(&self.series, &dir, ops)
                };
                if let Some(reason) = refused {
                    return Err(ApiError::new(409, reason));
                }
                if roster {
                    guard::roster_ids_checked(&self.series, ops)
                        .map_err(|(field, message)| ApiError::at_field(field, message))?;
                }
                Ok(())
            })?
        };
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        for field in &written.fields {
            let key = if roster { (String::new(), field.clone()) } else { (name.clone(), field.clone()) };
            if let Some(before) = shared.writers.insert(key, request.client.clone())
                && before != request.client
            {
                let notice = Notice {
                    field: field.clone(),
                    message: "此欄位已被另一個分頁改寫；顯示的是最新內容".into(),
                };
                shared.notices.entry(before).or_default().push(notice);
            }
        }
        shared.version += 1;
        self.changed.notify_all();
        Ok(json_reply(200, &EditReply { version: shared.version, hash: written.hash, fields: written.fields }))
    }
}

/// The term a new meeting would start, the one after the series' last (第 N+1 屆), when
/// the group numbers its meetings by term and a meeting says its term; read from the TOML
/// alone (the page asks on every load).
pub(super) fn next_term(series: &Path) -> Option<u32> {
    let group = read_table(&series.join("group.toml"))?;
    if group.get("numbering").and_then(|n| n.as_str()) != Some("term") {
        return None;
    }
    let terms = meeting_dirs(series).ok()?.into_iter().filter_map(|d| {
        let term = read_table(&d.join("meeting.toml"))?.get("term")?.as_integer()?;
        u32::try_from(term).ok()
    });
    terms.max()?.checked_add(1)
}

/// Why the page may not start term `term` now: only a group numbered by term starts a new
/// one, and only the one after its last (a tab that offered it before another tab started
/// it would otherwise add a second meeting to that term).
fn new_term_refused(series: &Path, term: u32) -> Result<(), ApiError> {
    match next_term(series) {
        Some(next) if next == term => Ok(()),
        Some(next) => Err(ApiError::new(
            409,
            format!("第 {term} 屆不是上次會議之後的新一屆（應為第 {next} 屆）；請重新整理頁面後再試"),
        )),
        None => Err(ApiError::new(409, "這個小組的會議不依屆次編號（第幾屆第幾次），不能開始新的一屆")),
    }
}

/// Windows' device names: a file named so (with any extension) cannot be opened there.
/// `COM¹` too: superscript digits count as digits for Windows.
fn is_device_name(stem: &str) -> bool {
    let name = stem.split('.').next().unwrap_or("").trim_end_matches(['.', ' ']).to_uppercase();
    let mut chars = name.chars();
    let head: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    match rest.as_slice() {
        [] => ["CON", "PRN", "AUX", "NUL"].contains(&head.as_str()),
        [d] => (head == "COM" || head == "LPT") && (d.is_ascii_digit() || ['¹', '²', '³'].contains(d)),
        _ => name == "CONIN$" || name == "CONOUT$",
    }
}

/// The name an uploaded file is kept under: the last component of what the browser
/// sent, letters and digits (any script), `-` and `_`, other characters as `-`, a known
/// attachment extension in lower case; Windows' reserved device names get a suffix.
/// None when the extension is not one packet prints.
pub(super) fn clean_file_name(sent: &str) -> Option<String> {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, ext) = last.trim_end_matches(['.', ' ']).rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    // Office files are converted by LibreOffice when the packet is built, as on the command line.
    if !ATTACHMENT_KINDS.contains(&ext.as_str()) && !OFFICE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let mut clean: String =
        stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    clean = clean.trim_matches('-').chars().take(80).collect();
    if clean.is_empty() {
        clean = "attachment".into();
    }
    if is_device_name(&clean) {
        clean.push_str("-file");
    }
    Some(format!("{clean}.{ext}"))
}

/// The title an uploaded file is listed with: its name as uploaded, without the folder and
/// the extension, trimmed, and without a leading 附件N (附件 2, 附件二: the agenda prints
/// the label itself) and what separates it; 「附件」 when nothing is left.
pub(super) fn upload_title(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("").trim_end_matches(['.', ' ']);
    let stem: String = last.rsplit_once('.').map_or(last, |(s, _)| s).chars().filter(|c| !c.is_control()).collect();
    let separator = |c: char| c.is_whitespace() || "-_－—、:：.．,，".contains(c);
    let mut title = stem.trim();
    if let Some(after) = title.strip_prefix("附件") {
        let numeral = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c);
        let rest = after.trim_start().trim_start_matches(numeral);
        // 「附件說明」 is a title; 「附件1」, 「附件 2-」, 「附件：」 are only the label.
        if rest.len() < after.trim_start().len() || rest.is_empty() || rest.starts_with(separator) {
            title = rest.trim_start_matches(separator).trim();
        }
    }
    let title: String = title.trim_matches(separator).chars().take(200).collect();
    if title.is_empty() { "附件".into() } else { title }
}

#[cfg(test)]
mod tests {
    use super::{clean_file_name, upload_title};

    #[test]
    fn an_uploads_title_is_its_name_without_the_label() {
        for (sent, title) in [
            ("附件1 下架清單.csv", "下架清單"),
            ("附件2 下架說明(草案).docx", "下架說明(草案)"),
            ("C:\\公文\\附件 3-會議資料.pdf", "會議資料"),
            ("附件三：盤點表.xlsx", "盤點表"),
            ("附件說明.md", "附件說明"),
            ("附件1.pdf", "附件"),
            ("😀.csv", "😀"),
            ("CON.csv", "CON"),
            ("  年度 報告 .pdf", "年度 報告"),
            ("..pdf", "附件"),
        ] {
            assert_eq!(upload_title(sent), title, "{sent}");
        }
    }

    #[test]
    fn windows_device_names_are_renamed_whatever_their_digits_case_and_extension() {
        for (sent, kept) in [
            ("COM¹.csv", "COM¹-file.csv"),
            ("LPT².md", "LPT²-file.md"),
            ("lpt³.PNG", "lpt³-file.png"),
            ("COM0.csv", "COM0-file.csv"),
            ("con.md", "con-file.md"),
            ("Nul.pdf", "Nul-file.pdf"),
            ("AUX .csv", "AUX-file.csv"),
            ("PRN.csv. ", "PRN-file.csv"),
            ("CON.tar.csv", "CON-tar.csv"),
            ("COM10.csv", "COM10.csv"),
            ("COMA.csv", "COMA.csv"),
            ("console.md", "console.md"),
        ] {
            assert_eq!(clean_file_name(sent).as_deref(), Some(kept), "{sent}");
        }
    }
}
