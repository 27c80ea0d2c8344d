//! `packet export <series-dir>`: the group's one cumulative dataset, as data.gov.tw holds
//! it (one dataset per group, kept up to date meeting after meeting).
//!
//! - `index.csv` / `index.json`: one row per meeting (the meeting table and its
//!   出席委員), with a download link to each of its documents;
//! - the series-wide tables: every meeting's rows, in date order;
//! - each meeting's documents as `<會議代號>-<name>` (`113-1-agenda.pdf`), so a new
//!   meeting adds files and replaces none;
//! - datapackage.json, the metadata and SHA256SUMS, as for one meeting.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::documents::{DOCUMENTS, MeetingDocs, compile_meeting};
use super::metadata::{DatasetInfo, legal_basis};
use super::tables::{CsvTable, Field, FieldType};
use super::votes::tables_of;
use super::{Bundle, BundleFile, ascii_name, finish, json_bytes, json_schema};
use crate::build::{BuildOptions, Input};
use crate::diag::{Diagnostic, Diagnostics, Result, Severity};
use crate::model::{Packet, Series, label};
use crate::rules::proceedings::MeetingState;
use crate::typeset::fonts::FontSet;

/// The name of a meeting document in the series bundle.
pub fn document_name(meeting_id: &str, name: &str) -> String {
    format!("{meeting_id}-{name}")
}

/// Whether `--allow-draft` lets `packet`'s draft minutes out: `*` (the flag alone) for
/// every meeting, else the meetings named by folder or 會議代號 (`--allow-draft=113-2`).
pub fn draft_allowed(allow_draft: &[String], packet: &Packet) -> bool {
    let folder = crate::rules::tracking::meeting_dir_name(packet);
    allow_draft.iter().any(|n| n == "*" || *n == folder || *n == packet.meeting_code())
}

/// Build the series bundle in memory: every meeting of `dir` that was held compiled (a
/// draft only where `allow_draft` names it), then the index and the series tables. A
/// meeting not held yet (no `[minutes]`: only its agenda) is left out, with a warning
/// saying so. Nothing is written.
pub fn series_bundle(
    dir: &Path,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    allow_draft: &[String],
    source_date_epoch: Option<&str>,
) -> Result<Bundle> {
    let loaded = Series::load(dir);
    let series = match &loaded {
        Ok(s) => s,
        Err(e) => return Err(e.clone()),
    };
    if series.meetings.is_empty() {
        return Err(Diagnostic::error("系列目錄中沒有任何會議（<會議>/meeting.toml）").at_file(dir).into());
    }
    let (compiled, skipped) = compile_held(&loaded, opts, fonts, allow_draft, source_date_epoch)?;
    let (Some((first, _)), Some((last, _))) = (compiled.first(), compiled.last()) else {
        return Err(Diagnostic::error("系列中沒有已舉行的會議（已填寫會議紀錄者），沒有可公開的資料")
            .at_file(dir)
            .into());
    };
    let (first, last) = (*first, *last);
    super::metadata::contact(last)?;
    super::metadata::checked_base_url(last)?;

    let group = &last.group;
    let records: Vec<_> = compiled.iter().map(|(_, d)| &d.record).collect();
    let mut tables = tables_of(&records, group);
    let mut files = Vec::new();
    for (_, docs) in &compiled {
        for k in DOCUMENTS {
            files.push(BundleFile {
                name: document_name(&docs.record.meeting.id, (k.name)(docs.draft)),
                bytes: (k.bytes)(docs),
            });
        }
    }
    let latest = compiled.iter().map(|(_, d)| d.stamp).max().unwrap_or(compiled[0].1.stamp);
    let description = format!(
        "{agency}「{name}」歷次會議資料：會議索引（每次會議一列，含議程、會議紀錄及附件之下載網址）、案件及決定（議）事項、發言要旨、出席情形、列管事項辦理情形及委員名單，{basis}。收錄{from}至{to}，共 {n} 次會議；不公開之發言不予列載，不記名之發言以委員甲、委員乙等稱之。",
        agency = group.agency,
        name = group.name,
        basis = legal_basis(last),
        from = spaced(label(first)),
        to = spaced(label(last)),
        n = compiled.len(),
    );
    let package = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().and_then(|n| ascii_name(&n.to_string_lossy())))
        .unwrap_or_else(|| "series".to_string());
    let (info, mut warnings) = DatasetInfo::new(last, package, description, latest)?;
    index_table(&mut tables[0], &compiled, &info);
    for t in tables.iter_mut() {
        for fk in t.foreign_keys.iter_mut().filter(|k| k.resource == "meeting") {
            fk.resource = "index";
        }
    }
    files.push(BundleFile { name: tables[0].file_name(), bytes: tables[0].csv() });
    files.push(BundleFile { name: "index.json".into(), bytes: json_bytes(&index_json(&tables[0])) });
    files.extend(tables[1..].iter().map(|t| BundleFile { name: t.file_name(), bytes: t.csv() }));
    files.push(BundleFile { name: "meeting.schema.json".into(), bytes: json_bytes(&json_schema()) });
    let title = info.dataset_name.clone();
    let notes = "各次會議之議程、會議紀錄及公開紀錄全文由 index.csv 之網址下載；附件併入議程 PDF。".to_string();
    finish(&mut files, &info, &tables, title, notes, false);

    let draft = compiled.iter().any(|(_, d)| d.draft);
    let mut missing = Vec::new();
    let mut build_warnings = Vec::new();
    for (_, d) in compiled {
        missing.extend(d.missing);
        build_warnings.extend(d.warnings);
    }
    warnings.splice(0..0, skipped.into_iter().chain(build_warnings));
    Ok(Bundle { files, draft, missing, warnings, stamp: latest })
}

/// The held meetings with their compiled documents, and a warning for each meeting left out.
type Held<'a> = (Vec<(&'a Packet, MeetingDocs)>, Vec<Diagnostic>);

/// Every held meeting of the series compiled; those not held yet, as warnings.
fn compile_held<'a>(
    loaded: &'a Result<Series>,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    allow_draft: &[String],
    source_date_epoch: Option<&str>,
) -> Result<Held<'a>> {
    let mut compiled = Vec::new();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    for packet in loaded.as_ref().map(|s| s.meetings.as_slice()).unwrap_or_default() {
        if !MeetingState::of(packet).held() {
            skipped.push(left_out(packet));
            continue;
        }
        let input = Input { packet, series: Some(loaded) };
        let allow = draft_allowed(allow_draft, packet);
        match compile_meeting(input, opts, fonts.clone(), allow, source_date_epoch) {
            Ok(docs) => compiled.push((packet, docs)),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok((compiled, skipped))
}

/// The dataset's file name without extension, as a download names it: the series
/// folder's name when it is ASCII (`dgbas-dataset`), else `series-dataset`.
pub fn dataset_name(dir: &Path) -> String {
    let folder = dir.canonicalize().ok().and_then(|d| d.file_name().and_then(|n| ascii_name(&n.to_string_lossy())));
    format!("{}-dataset", folder.unwrap_or_else(|| "series".to_string()))
}

/// The line that says a meeting not held yet is left out of the series' dataset.
pub fn left_out(packet: &Packet) -> Diagnostic {
    Diagnostic::error(format!("{} 尚未舉行（沒有會議紀錄），不列入資料集", label(packet)))
        .at_file(&packet.meeting_src.path)
        .severity(Severity::Warning)
}

/// ` 113 年…` after a Chinese word, `第 8 次…` as it is.
fn spaced(label: String) -> String {
    if label.starts_with(|c: char| c.is_ascii_digit()) { format!(" {label}") } else { label }
}

/// The meeting table as the index: its rows gain 出席委員 and a link to each document.
fn index_table(t: &mut CsvTable, compiled: &[(&Packet, MeetingDocs)], info: &DatasetInfo) {
    t.name = "index";
    t.title = "會議索引";
    t.description = "每次會議一列：會議基本資料、出席委員，及議程、會議紀錄、公開紀錄全文與附件之下載網址。";
    let field = |header, key, description| Field {
        header,
        key,
        kind: FieldType::String,
        required: false,
        description,
        values: Vec::new(),
    };
    t.fields.push(field("出席委員", "attendees", "親自出席及指派代表出席之委員姓名，以頓號（、）分隔"));
    for k in DOCUMENTS {
        let mut f = field(k.link_header, k.link_key, "下載網址");
        f.required = true;
        t.fields.push(f);
    }
    t.fields.push(field("附件網址", "attachments_url", "附件併入議程 PDF：有附件之會議為議程之下載網址，無附件者空白"));
    for (row, (packet, docs)) in t.rows.iter_mut().zip(compiled) {
        let r = &docs.record;
        let attended: Vec<&str> =
            r.attendance.iter().filter(|a| a.status == "出席" || a.status == "代理").map(|a| a.name.as_str()).collect();
        row.push(attended.join("、"));
        let mut agenda_url = String::new();
        for (i, k) in DOCUMENTS.iter().enumerate() {
            let url = info.url(&super::series::document_name(&r.meeting.id, (k.name)(docs.draft)));
            if i == 0 {
                agenda_url = url.clone();
            }
            row.push(url);
        }
        let m = &packet.meeting;
        let has_attachments = m.reports.iter().chain(&m.discussions).any(|i| !i.attachments.is_empty());
        row.push(if has_attachments { agenda_url } else { String::new() });
    }
}

/// index.json: the index's rows as objects keyed by the English keys; integers as
/// numbers, empty cells as null.
fn index_json(t: &CsvTable) -> Value {
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let mut obj = Map::new();
            for (f, cell) in t.fields.iter().zip(row) {
                let value = match (cell.is_empty(), f.kind) {
                    (true, _) => Value::Null,
                    (false, FieldType::Integer) => {
                        cell.parse::<i64>().map(Value::from).unwrap_or_else(|_| cell.as_str().into())
                    }
                    (false, _) => cell.as_str().into(),
                };
                obj.insert(f.key.to_string(), value);
            }
            Value::Object(obj)
        })
        .collect();
    Value::Array(rows)
}
