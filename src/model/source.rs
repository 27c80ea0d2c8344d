//! Loading TOML with source positions, so every later stage can point at
//! `file:line:col: field`; serde and TOML messages in Traditional Chinese.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::{Group, Meeting};
use crate::diag::{Diagnostic, Diagnostics, Result, line_col};
use crate::text::encoding::{self, Encoding};

/// A loaded TOML file: its path and text, for pointing at fields later.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = super::input::read_regular(path, super::input::MAX_TOML_BYTES)
            .map_err(|e| Diagnostic::error(format!("無法讀取檔案：{}", e.reason())).at_file(path))?;
        // Kept whole, byte-order mark included: TOML reads past it, and columns count it.
        let found = encoding::sniff(&bytes);
        if let Encoding::Utf16 { .. } = found {
            return Err(Diagnostic::error(encoding::refusal("檔案", found, "另存為 UTF-8")).at_file(path).into());
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, col) = line_col(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
            let message = match found {
                Encoding::Big5 => encoding::refusal("檔案", found, "另存為 UTF-8"),
                _ => "檔案不是 UTF-8 編碼，請另存為 UTF-8".into(),
            };
            Diagnostic::error(message).at(path, line, col)
        })?;
        Ok(SourceFile { path: path.to_path_buf(), text })
    }

    /// A diagnostic for `field` (a path such as `report[1].attachment[0].file`), pointing at
    /// that value in this file, or at the nearest enclosing value that exists.
    pub(crate) fn error_at(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(message).field(field);
        match self.locate(field) {
            Some(offset) => {
                let (line, col) = line_col(&self.text, offset);
                d.at(&self.path, line, col)
            }
            None => d.at_file(&self.path),
        }
    }

    /// Byte offset of the value at `field`; falls back to the deepest existing ancestor.
    pub(crate) fn locate(&self, field: &str) -> Option<usize> {
        let root = toml::de::DeTable::parse(&self.text).ok()?;
        Some(locate_in(&root, field))
    }

    /// [`SourceFile::locate`] for many fields, the file parsed once.
    pub(crate) fn locate_all(&self, fields: &[&str]) -> Vec<Option<usize>> {
        match toml::de::DeTable::parse(&self.text) {
            Ok(root) => fields.iter().map(|f| Some(locate_in(&root, f))).collect(),
            Err(_) => vec![None; fields.len()],
        }
    }
}

/// Byte offset of the value at `field` in a parsed file, or of its deepest existing ancestor.
fn locate_in(root: &toml::Spanned<toml::de::DeTable<'_>>, field: &str) -> usize {
    let mut best = root.span().start;
    let mut value: Option<&toml::Spanned<toml::de::DeValue>> = None;
    let mut table = Some(root.get_ref());
    for segment in split_path(field) {
        match segment {
            PathSegment::Key(key) => {
                let Some(t) = table else { break };
                let Some((k, v)) = t.get_key_value(key) else {
                    break;
                };
                best = if v.span().start < k.span().start { k.span().start } else { v.span().start };
                value = Some(v);
            }
            PathSegment::Index(i) => {
                let Some(toml::de::DeValue::Array(items)) = value.map(|v| v.get_ref()) else {
                    break;
                };
                let Some(v) = items.get(i) else { break };
                best = v.span().start;
                value = Some(v);
            }
        }
        table = match value.map(|v| v.get_ref()) {
            Some(toml::de::DeValue::Table(t)) => Some(t),
            _ => None,
        };
    }
    best
}

enum PathSegment<'a> {
    Key(&'a str),
    Index(usize),
}

fn split_path(path: &str) -> Vec<PathSegment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(PathSegment::Key(key));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                out.push(PathSegment::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

/// A TOML syntax error in words a secretary reads, with no parser English: which file (by
/// what it holds), the line and its text, and what is wrong —
/// `小組設定檔第 7 行：引號未結束（…）。該行：name = "政府資料開放諮詢小組`.
pub fn syntax_message(path: &Path, text: &str, line: usize, parser: &str) -> String {
    let what = match path.file_name().and_then(|n| n.to_str()) {
        Some("group.toml") => "小組設定檔",
        Some("meeting.toml") => "會議資料檔",
        _ => "設定檔",
    };
    let shown: String = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let shown = if shown.is_empty() { String::new() } else { format!("。該行：{shown}") };
    let kind =
        if shown.trim_end().ends_with('=') { "欄位沒有值：應寫成 欄位 = 值" } else { syntax_kind(parser) };
    format!("{what}第 {line} 行：{kind}{shown}")
}

/// The common kinds of TOML syntax error, said in Chinese.
fn syntax_kind(parser: &str) -> &'static str {
    let has = |s: &str| parser.contains(s);
    if has("string values must be quoted") {
        "文字須放在引號中，如 name = \"文字\""
    } else if (has("basic string") || has("literal string")) && (has("expected `\"`") || has("expected `'`")) {
        "引號未結束（文字須在同一行以引號結尾；多行文字請用三個引號 \"\"\"）"
    } else if has("escape") {
        "反斜線（\\）後的字元無效：文字中的反斜線請寫成兩個（\\\\）"
    } else if has("string") {
        "文字的寫法有誤（引號未配對，或含有不允許的字元）"
    } else if has("key with no value") {
        "欄位沒有值：應寫成 欄位 = 值"
    } else if has("date") || has("time") || has("offset") {
        "日期或時間的寫法有誤（如 2024-04-29、14:30；月 01–12、日依當月天數）"
    } else if has("array") {
        "清單（[ … ]）未結束或寫法有誤"
    } else if has("inline table") {
        "大括號（{ … }）未結束或寫法有誤"
    } else if has("table") {
        "表頭（[…] 或 [[…]]）寫法有誤"
    } else if has("new line") || has("newline") || has("extra assignment") {
        "一行只能寫一個欄位，值之後不得再有其他文字（說明請以 # 開頭）"
    } else if has("key") {
        "欄位名稱的寫法有誤"
    } else if has("integer") || has("float") || has("number") {
        "數字的寫法有誤"
    } else {
        "寫法不合格式"
    }
}

/// Parse `file` as `T`, turning TOML and serde errors into `file:line:col: field: 訊息`.
pub fn load<T: DeserializeOwned>(file: &SourceFile) -> Result<T> {
    let table = toml::de::DeTable::parse(&file.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let (line, col) = line_col(&file.text, span.start);
        let at = file.text.get(span.clone()).unwrap_or("");
        let message = e.message().trim();
        let mut d = match file.text.get(span.start..).and_then(|t| t.chars().next()) {
            Some(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {
                Diagnostic::error(format!("含有不允許的控制字元 U+{:04X}（TOML 語法錯誤：{message}）", c as u32))
            }
            _ if message.contains("duplicate key") => {
                let key = at.trim().trim_matches(['"', '\'']);
                Diagnostic::error(format!("重複的鍵「{key}」：同一欄位只能寫一次")).field(key)
            }
            _ => Diagnostic::error(syntax_message(&file.path, &file.text, line, message)),
        };
        d = d.at(&file.path, line, col);
        d
    })?;
    if table.get_ref().is_empty() {
        return Err(Diagnostic::error("檔案是空的（沒有任何欄位）").at_file(&file.path).into());
    }
    let de = toml::Deserializer::from(table);
    serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
        let mut path = e.path().to_string();
        if path == "." {
            path.clear();
        }
        let inner = e.into_inner();
        let (missing, message) = translate(inner.message());
        if let Some(field) = missing {
            path = if path.is_empty() { field } else { format!("{path}.{field}") };
        }
        let offset = inner.span().map_or(0, |s| s.start);
        let (line, col) = line_col(&file.text, offset);
        Diagnostics::from(Diagnostic::error(message).field(path).at(&file.path, line, col))
    })
}

/// Serde and TOML messages in Traditional Chinese (the original kept in parentheses).
/// Returns the missing field's name for `missing field` errors.
fn translate(message: &str) -> (Option<String>, String) {
    // Rust type names mean nothing to the people who write meeting.toml.
    let message = message
        .trim()
        .replace("expected usize", "expected a whole number ≥ 0")
        .replace("expected u32", "expected a whole number ≥ 0")
        .replace("expected i32", "expected a whole number")
        .replace("expected f64", "expected a number");
    let message = message.as_str();
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if message.starts_with("missing field") {
        return (Some(quoted(message)), "缺少必要欄位".into());
    }
    if let Some(said) = wrong_kind(message) {
        return (None, said);
    }
    if message.starts_with("unknown field") {
        let expected = message.split_once("expected").map(|(_, e)| e.replace('`', "")).unwrap_or_default();
        return (
            None,
            format!(
                "未知的欄位「{}」；可用的欄位：{}",
                quoted(message),
                expected.trim_start_matches(" one of ").trim()
            ),
        );
    }
    if message.starts_with("unknown variant") {
        let expected =
            message.split_once("expected").map(|(_, e)| e.replace('`', "").replace(" or ", ", ")).unwrap_or_default();
        return (
            None,
            format!("不接受的值「{}」；可用的值：{}", quoted(message), expected.trim_start_matches(" one of ").trim()),
        );
    }
    if message.starts_with("invalid type") {
        return (None, format!("型別錯誤 ({message})"));
    }
    if message.starts_with("invalid value") {
        return (None, format!("數值錯誤 ({message})"));
    }
    if message.starts_with("wanted string or table") {
        return (None, "型別錯誤：應為文字".to_string());
    }
    if message.starts_with("invalid length") {
        return (None, format!("長度錯誤 ({message})"));
    }
    if message.contains("duplicate key") {
        return (None, format!("重複的鍵 ({message})"));
    }
    if message.is_ascii() {
        return (None, format!("格式錯誤 ({message})"));
    }
    (None, message.to_string())
}

/// `invalid type: string "第一次", expected a whole number ≥ 0` as `須為 0 以上的整數，寫的
/// 是文字 "第一次"`; None for the wordings it does not know (kept as serde wrote them).
fn wrong_kind(message: &str) -> Option<String> {
    let rest = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let wanted = match expected.trim() {
        "a whole number ≥ 0" => "0 以上的整數",
        "a whole number" => "整數",
        "a number" => "數字",
        "a string" => "文字（以 \" \" 括住）",
        "a boolean" => "true 或 false",
        "a sequence" => "清單（如 [\"甲\", \"乙\"]）",
        e if e.starts_with("struct ") || e == "a map" => "表格",
        _ => return None,
    };
    let value = |prefix: &str| found.strip_prefix(prefix).map(|v| v.trim().trim_matches('`').to_string());
    let written = if let Some(v) = value("string ") {
        format!("文字 {v}")
    } else if let Some(v) = value("integer ").or_else(|| value("floating point ")).or_else(|| value("boolean ")) {
        v
    } else {
        match found.trim() {
            "sequence" => "清單".into(),
            "map" => "表格".into(),
            other => other.to_string(),
        }
    };
    let space = if wanted.starts_with(|c: char| c.is_ascii_digit()) { " " } else { "" };
    Some(format!("須為{space}{wanted}，寫的是 {written}"))
}

/// The JSON Schema of group.toml alone and of meeting.toml alone (`packet init` writes them
/// beside the files, for the `#:schema` line).
pub(crate) fn schemas() -> (serde_json::Value, serde_json::Value) {
    (
        serde_json::to_value(schemars::schema_for!(Group)).unwrap_or_default(),
        serde_json::to_value(schemars::schema_for!(Meeting)).unwrap_or_default(),
    )
}

/// The JSON Schema of group.toml and meeting.toml (for editor completion).
pub(crate) fn json_schema() -> serde_json::Value {
    serde_json::json!({
        "group.toml": schemars::schema_for!(Group),
        "meeting.toml": schemars::schema_for!(Meeting),
    })
}
