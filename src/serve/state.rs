//! What the editor shows of one meeting, read fresh from disk on every request: the
//! meeting.toml as JSON, the roster, the check findings by field; and the preview pages.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value as Json, json};

use crate::build::{self, BuildOptions, Input};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::model::calendar::Calendar;
use crate::model::input::{MAX_TOML_BYTES, read_regular};
use crate::model::{Packet, Series};
use crate::rules::check;
use crate::typeset::fonts::FontSet;

/// Which document the preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Doc {
    Agenda,
    Minutes,
}

impl Doc {
    pub fn parse(name: &str) -> Option<Doc> {
        match name {
            "agenda" => Some(Doc::Agenda),
            "minutes" => Some(Doc::Minutes),
            _ => None,
        }
    }
}

/// Read a TOML file of the series as text (regular files only, within the TOML limit).
pub fn read_toml(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_regular(path, MAX_TOML_BYTES)
        .map_err(|e| Diagnostic::error(format!("無法讀取：{}", e.reason())).at_file(path))?;
    String::from_utf8(bytes).map_err(|_| Diagnostic::error("檔案不是 UTF-8 編碼").at_file(path))
}

/// A TOML file of the series as plain values; None when it cannot be read or does not
/// parse (the editor then shows what it can without it).
pub fn read_table(path: &Path) -> Option<toml::Table> {
    toml::from_str(&read_toml(path).ok()?).ok()
}

/// A TOML value as JSON (dates and times as their TOML text).
fn to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(list) => Json::Array(list.iter().map(to_json).collect()),
        toml::Value::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// A diagnostic for the browser: the field it concerns, where, and what.
pub fn finding(d: &Diagnostic) -> Json {
    let severity = match d.severity {
        Severity::Warning => "warning",
        Severity::Finding => "finding",
        Severity::Error => "error",
    };
    let line = d.location.as_ref().and_then(|l| l.line);
    let file = d.location.as_ref().and_then(|l| l.file.file_name()).map(|f| f.to_string_lossy().into_owned());
    json!({ "field": d.field, "severity": severity, "message": d.message, "line": line, "file": file })
}

/// The roster as the editor lists it, read from group.toml even when the meeting does
/// not validate (the attendance must stay editable while it is being fixed).
fn roster(group: Option<&toml::Table>) -> Vec<Json> {
    let Some(members) = group.and_then(|g| g.get("member")).and_then(|m| m.as_array()) else { return Vec::new() };
    members
        .iter()
        .filter_map(|m| {
            let field = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let id = field("id");
            (!id.is_empty()).then(|| {
                json!({ "id": id, "name": field("name"), "kind": field("kind"), "title": field("title"),
                        "organisation": field("organisation") })
            })
        })
        .collect()
}

/// The editor's view of a meeting: its TOML and the series' group.toml as JSON (null when
/// they do not parse), the roster, and every finding of `packet check` (or the errors that stop it loading).
pub fn meeting_state(series: &Path, meeting_dir: &Path, calendar: &Calendar) -> Json {
    let file = meeting_dir.join("meeting.toml");
    let mut findings = Vec::new();
    let doc = match read_toml(&file) {
        Ok(text) => match toml::from_str::<toml::Table>(&text) {
            Ok(table) => to_json(&toml::Value::Table(table)),
            Err(e) => {
                let line = e.span().map(|s| crate::diag::line_col(&text, s.start));
                let mut d = Diagnostic::error(format!("TOML 語法錯誤：{}", e.message()));
                d = match line {
                    Some((l, c)) => d.at(&file, l, c),
                    None => d.at_file(&file),
                };
                findings.push(finding(&d));
                Json::Null
            }
        },
        Err(d) => {
            findings.push(finding(&d));
            Json::Null
        }
    };
    let mut open = Vec::new();
    if !doc.is_null() {
        let diags = match Packet::load(meeting_dir) {
            Ok(packet) => {
                let series = Series::of(&packet);
                if let Some(Ok(series)) = &series {
                    open = open_decisions(&packet, series);
                }
                check::check(&packet, series.as_ref(), calendar)
            }
            Err(Diagnostics(errors)) => errors,
        };
        findings.extend(diags.iter().map(finding));
    }
    let group = read_table(&series.join("group.toml"));
    let members = roster(group.as_ref());
    let group = group.map_or(Json::Null, |t| to_json(&toml::Value::Table(t)));
    json!({ "doc": doc, "group": group, "members": members, "findings": findings, "open": open })
}

/// The decisions still 列管 at this meeting, for its 辦理情形 rows: each with where it
/// comes from and what was decided, so the secretary sees what the row answers.
fn open_decisions(packet: &Packet, series: &Series) -> Vec<Json> {
    let decisions = crate::rules::tracking::open_before(packet, series).unwrap_or_default();
    decisions
        .iter()
        .map(|d| {
            json!({ "id": d.id, "meeting": d.meeting_label, "section": d.section.label(),
                    "title": d.title, "decision": d.decision })
        })
        .collect()
}

/// One preview: the pages as SVG and a short hash of each, so the browser fetches
/// only the pages that changed.
pub struct Preview {
    pub pages: Vec<Arc<String>>,
    pub hashes: Vec<String>,
    /// The page hashes in full, to reuse the SVG of unchanged pages next time.
    keys: Vec<u128>,
    pub errors: Vec<Diagnostic>,
}

/// Lay the document out now, from the files as they are on disk; pages unchanged since
/// `before` keep their SVG. A meeting that does not build gives its errors and the pages
/// of `before` (none without it).
pub fn preview(
    meeting_dir: &Path,
    doc: Doc,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    before: Option<&Preview>,
) -> Preview {
    let drawn: HashMap<u128, Arc<String>> =
        before.map(|p| p.keys.iter().copied().zip(p.pages.iter().cloned()).collect()).unwrap_or_default();
    let pages = Packet::load(meeting_dir).and_then(|packet| match doc {
        Doc::Agenda => {
            let series = if packet.tracks() { Series::of(&packet) } else { None };
            build::preview_agenda(Input { packet: &packet, series: series.as_ref() }, opts, fonts, &drawn)
        }
        Doc::Minutes => build::preview_minutes(&packet, opts, fonts, &drawn),
    });
    // Only the last previews' entries stay in Typst's cache: a day of edits must not grow
    // the server without bound (as `packet watch` does).
    typst::comemo::evict(10);
    match pages {
        Ok(pages) => {
            let hashes = pages.iter().map(|(key, _)| format!("{:016x}", *key as u64)).collect();
            let (keys, pages) = pages.into_iter().unzip();
            Preview { pages, hashes, keys, errors: Vec::new() }
        }
        // The pages drawn before stay (the browser keeps showing them, and may still be
        // fetching some), with the errors that stop the new layout.
        Err(Diagnostics(errors)) => match before {
            Some(b) => Preview { pages: b.pages.clone(), hashes: b.hashes.clone(), keys: b.keys.clone(), errors },
            None => Preview { pages: Vec::new(), hashes: Vec::new(), keys: Vec::new(), errors },
        },
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
