//! `packet export`: the data.gov.tw upload bundle of one meeting, or of a whole series.
//!
//! One call builds, in memory, every file an agency's open-data officer uploads to
//! 政府資料開放平臺 (設置要點第九點、第十二點: member list and minutes published there).
//! A series (`packet export <series-dir>`) is the group's one cumulative dataset
//! ([`series`]): an index with one row per meeting and links to its documents, the
//! series-wide tables, each meeting's documents under stable names. One meeting's bundle
//! holds its documents ([`documents::DOCUMENTS`]: agenda and public minutes as PDF, the
//! public record as JSON with its JSON Schema) and its tables. Both carry a Frictionless
//! `datapackage.json`, the platform's metadata (`metadata.json` in its field names and
//! codes; `metadata.csv` and `resources.csv` in the upload form's layout) and
//! `SHA256SUMS`. The bundle is then written as a zip or a folder with the same content.
//!
//! Rules:
//! - **Public edition only.** Opinions of members who declared 不公開 are left out of
//!   every file (the public minutes, the CSVs, the JSON); opinions are numbered among
//!   the published ones only, so no gap shows where one was removed. Members who
//!   declared 不記名 speak as 委員甲… and their opinions carry no member id.
//! - **Final minutes only,** unless `allow_draft`: a draft is refused with the list of
//!   what is missing.
//! - **Deterministic.** Fixed file order, no wall clock: every timestamp (zip entries,
//!   詮釋資料更新時間, datapackage `created`) is `SOURCE_DATE_EPOCH` when set, otherwise
//!   meeting.toml's `[dates] published`, otherwise the meeting's date and closing time
//!   (Taiwan time, UTC+8); a series takes its newest meeting's. Equal input gives
//!   byte-identical zips, and a series exported again after a new meeting changes only
//!   that meeting's files, the index, the series tables and the metadata.
//! - **One description of each table.** Every CSV is a [`CsvTable`]; datapackage.json,
//!   主要欄位說明, 資料量, the file list and SHA256SUMS are all derived from
//!   [`tables`], tracking.csv included.
//!
//! CSV files are UTF-8 **with BOM**, CRLF line ends (RFC 4180), one header row with the
//! Chinese column names; each column's English key is in the metadata's field
//! descriptions. The BOM is for Excel: without it, Excel in a zh-TW locale opens
//! a UTF-8 CSV as Big5 (CP950) and shows mojibake; pandas, R, Python's `utf-8-sig`,
//! LibreOffice and Frictionless all read the BOM transparently, and data.gov.tw accepts
//! both (the file is UTF-8 either way).

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, FixedOffset, NaiveDateTime};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::build::{BuildOptions, Input};
use crate::diag::{Diagnostic, Result};
use crate::model::Packet;
use crate::output::write_atomic;
use crate::typeset::compile::TAIWAN_OFFSET_MINUTES;
use crate::typeset::fonts::FontSet;

mod datapackage;
pub mod documents;
pub mod ics;
mod metadata;
mod record;
pub mod series;
mod tables;
mod votes;

pub use documents::{DOCUMENTS, DocumentKind, MeetingDocs, compile_meeting};
pub use metadata::{DEFAULT_SERVICE_CATEGORY, Metadata, SERVICE_CATEGORIES};
pub(crate) use record::json_schema;
pub use record::{
    AttendanceRecord, DecisionRecord, ItemRecord, MeetingRecord, MemberRecord, OpinionRecord, PublicRecord,
    TrackingRecord, record,
};
pub use tables::{CsvTable, Field, FieldType, ForeignKey};
pub use votes::{tables, tables_of};

use datapackage::datapackage;
use metadata::{DatasetInfo, ResourceInfo, dataset_csv, listed_resources, metadata, resources_csv};

/// 授權方式 of every file in the bundle.
pub const LICENSE: &str = "政府資料開放授權條款－第1版";
/// 授權說明網址.
pub const LICENSE_URL: &str = "https://data.gov.tw/license";

/// The files every bundle ends with, after its documents and tables, in order.
pub const METADATA_FILES: [&str; 5] =
    ["datapackage.json", "metadata.json", "metadata.csv", "resources.csv", "SHA256SUMS"];

/// One file of the bundle.
pub struct BundleFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The whole bundle, in its fixed order (SHA256SUMS last).
pub struct Bundle {
    pub files: Vec<BundleFile>,
    /// The minutes are a draft (only with `allow_draft`).
    pub draft: bool,
    /// What keeps the minutes a draft.
    pub missing: Vec<Diagnostic>,
    /// Warnings from building the PDFs and about the metadata.
    pub warnings: Vec<Diagnostic>,
    /// The bundle's timestamp (Taiwan time).
    pub stamp: NaiveDateTime,
}

/// Build one meeting's bundle in memory. `source_date_epoch` is the value of
/// `SOURCE_DATE_EPOCH`, if set. Nothing is written.
pub fn bundle(
    input: Input,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    allow_draft: bool,
    source_date_epoch: Option<&str>,
) -> Result<Bundle> {
    let packet = input.packet;
    metadata::contact(packet)?;
    metadata::checked_base_url(packet)?;
    let docs = compile_meeting(input, opts, fonts, allow_draft, source_date_epoch)?;
    let tables = tables(&docs.record, &packet.group);
    let mut files: Vec<BundleFile> = DOCUMENTS
        .iter()
        .map(|k| BundleFile { name: (k.name)(docs.draft).to_string(), bytes: (k.bytes)(&docs) })
        .collect();
    files.extend(tables.iter().map(|t| BundleFile { name: t.file_name(), bytes: t.csv() }));
    files.push(BundleFile { name: "meeting.schema.json".into(), bytes: json_bytes(&json_schema()) });
    let description = meeting_description(packet, &docs.record);
    let (info, mut warnings) = DatasetInfo::new(packet, package_name(packet), description, docs.stamp)?;
    let title = format!("{}{}", packet.group.agency, docs.record.meeting.title);
    let notes = format!("本資料包為{}之會議資料。", crate::model::label(packet));
    finish(&mut files, &info, &tables, title, notes, true);
    warnings.splice(0..0, docs.warnings);
    Ok(Bundle { files, draft: docs.draft, missing: docs.missing, warnings, stamp: docs.stamp })
}

/// Every publication setting of group.toml that the bundle refuses or warns about, all
/// at once (`packet export` stops at the first refusal): the same messages at the same
/// fields, without compiling anything.
pub fn settings_findings(packet: &Packet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(metadata::contact(packet).err().into_iter().flat_map(|e| e.0));
    out.extend(metadata::category(packet).err().into_iter().flat_map(|e| e.0));
    let mut warnings = Vec::new();
    for result in [
        metadata::base_url_or_warning(packet, &mut warnings).err(),
        metadata::publisher_oid(packet, &mut warnings).err(),
    ] {
        out.extend(result.into_iter().flat_map(|e| e.0));
    }
    out.extend(warnings);
    out.extend(metadata::unstated(packet));
    out
}

/// Add datapackage.json, the metadata files and SHA256SUMS to `files` ([`METADATA_FILES`]).
/// `documents`: whether the meeting documents are platform resources of their own (one
/// meeting) or reached through the index's links (a series).
fn finish(
    files: &mut Vec<BundleFile>,
    info: &DatasetInfo,
    tables: &[CsvTable],
    title: String,
    notes: String,
    documents: bool,
) {
    let datapackage = datapackage(info, tables, files, title);
    files.push(BundleFile { name: "datapackage.json".into(), bytes: json_bytes(&datapackage) });
    let resources: Vec<ResourceInfo> = listed_resources(files, tables, documents);
    let metadata = metadata(info, &resources, notes);
    files.push(BundleFile { name: "metadata.json".into(), bytes: json_bytes(&metadata) });
    files.push(BundleFile { name: "metadata.csv".into(), bytes: dataset_csv(&metadata) });
    files.push(BundleFile { name: "resources.csv".into(), bytes: resources_csv(info, &resources) });
    let sums = sha256sums(files);
    files.push(BundleFile { name: "SHA256SUMS".into(), bytes: sums });
}

/// The datapackage `name`: lower-case ASCII, from the series and meeting folder names.
fn package_name(packet: &Packet) -> String {
    ascii_name(&packet.slug()).unwrap_or_else(|| format!("meeting-{}", packet.meeting_code()))
}

/// `text` lower-cased with everything but ASCII letters, digits and `-._` as `-`; `None`
/// when nothing is left.
pub(super) fn ascii_name(text: &str) -> Option<String> {
    let name: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '-' })
        .collect();
    (!name.trim_matches('-').is_empty()).then_some(name)
}

/// 資料集描述 of one meeting's bundle.
fn meeting_description(packet: &Packet, r: &PublicRecord) -> String {
    let g = &packet.group;
    let m = &r.meeting;
    let draft = if m.status == "草稿" { "會議紀錄為草稿，" } else { "" };
    // 本次為 113 年第 1 次會議 / 本次為第 8 次會議
    let label = crate::model::label(packet);
    let label = if label.starts_with(|c: char| c.is_ascii_digit()) { format!(" {label}") } else { label };
    let d = packet.meeting.date.0;
    format!(
        "{agency}「{group}」之會議資料：議程、會議紀錄（公開版）、案件及決定（議）事項、發言要旨、出席情形及委員名單，{basis}。本次為{label}（{year} 年 {month} 月 {day} 日），{draft}不公開之發言不予列載，不記名之發言以委員甲、委員乙等稱之。",
        agency = g.agency,
        group = g.name,
        basis = metadata::legal_basis(packet),
        year = m.year,
        month = d.month(),
        day = d.day(),
    )
}

/// Whether `path` names a zip (`.zip`, any case) rather than a folder.
pub(crate) fn is_zip(path: &Path) -> bool {
    !path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
        && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Write the bundle as a zip (atomically) or into a folder (each file atomically,
/// SHA256SUMS last). The folder is uploaded as it is, so it must hold the bundle and
/// nothing else: a folder with any other file (an internal edition, an old draft, the
/// Typst source) is refused, naming them, before anything is written.
pub fn write(bundle: &Bundle, path: &Path) -> Result<()> {
    if is_zip(path) {
        return write_atomic(path, &zip_bytes(bundle)?);
    }
    let foreign = foreign_entries(bundle, path)?;
    if !foreign.is_empty() {
        return Err(Diagnostic::error(format!(
            "輸出資料夾含有不屬於資料包的檔案：{}；上傳資料夾必須只含資料包（不公開的內部版、舊草稿等不得混入），請改用新的資料夾或 .zip 檔，或先移走這些檔案",
            foreign.join("、")
        ))
        .at_file(path)
        .field("--output")
        .into());
    }
    for f in &bundle.files {
        write_atomic(&path.join(&f.name), &f.bytes)?;
    }
    Ok(())
}

/// The names in folder `dir` that the bundle does not write (sorted; none when `dir`
/// does not exist yet). packet's own temporary files of an interrupted run are removed
/// first.
fn foreign_entries(bundle: &Bundle, dir: &Path) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    crate::output::remove_stale_temp_files(dir);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(format!("無法讀取輸出資料夾：{}", crate::diag::io_reason(&e))).at_file(dir).field("--output")
    })?;
    let mut foreign: Vec<String> = entries
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() { format!("{name}/") } else { name }
        })
        .filter(|name| !bundle.files.iter().any(|f| &f.name == name))
        .collect();
    foreign.sort();
    Ok(foreign)
}

/// The zip: entries in bundle order at the root, all dated `bundle.stamp`, mode 0644;
/// PDFs stored (already compressed), the rest deflated.
pub(crate) fn zip_bytes(bundle: &Bundle) -> Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let fail = |e: &dyn std::fmt::Display| Diagnostic::error(format!("無法產生 zip 檔：{e}"));
    let when = crate::output::zip_time(bundle.stamp).map_err(|e| fail(&e))?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for f in &bundle.files {
        let method =
            if f.name.ends_with(".pdf") { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        let options =
            SimpleFileOptions::default().compression_method(method).last_modified_time(when).unix_permissions(0o644);
        zip.start_file(f.name.as_str(), options).map_err(|e| fail(&e))?;
        zip.write_all(&f.bytes).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

// Timestamps

/// Taiwan time, in which meeting dates and times are written.
pub(super) fn taiwan() -> FixedOffset {
    FixedOffset::east_opt(TAIWAN_OFFSET_MINUTES * 60).expect("UTC+8")
}

/// The bundle's timestamp (Taiwan local time): `SOURCE_DATE_EPOCH` when given,
/// otherwise `[dates] published` (at 00:00), otherwise the meeting's date at its
/// closing (or opening) time. Never the clock.
pub(crate) fn timestamp(packet: &Packet, source_date_epoch: Option<&str>) -> Result<NaiveDateTime> {
    let m = &packet.meeting;
    let from_packet = match m.dates.published {
        Some(published) => published.0.and_time(chrono::NaiveTime::MIN),
        None => {
            let record = m.minutes.as_ref();
            let time = record.and_then(|r| r.end.and_then(|e| e.known()).or(r.start)).unwrap_or(m.time.or_midnight());
            m.date.0.and_time(time.0)
        }
    };
    // SOURCE_DATE_EPOCH is read the same way as for the PDFs' creation date.
    crate::typeset::compile::creation_time(from_packet, source_date_epoch)
}

pub(super) fn rfc3339(t: NaiveDateTime) -> String {
    t.and_local_timezone(taiwan())
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_else(|| t.format("%Y-%m-%dT%H:%M:%S+08:00").to_string())
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256sum` format: `<hex>  <name>` per file, in bundle order.
pub(super) fn sha256sums(files: &[BundleFile]) -> Vec<u8> {
    files.iter().map(|f| format!("{}  {}\n", sha256_hex(&f.bytes), f.name)).collect::<String>().into_bytes()
}

pub(super) fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::tables::csv_bytes;
    use super::*;

    #[test]
    fn csv_has_bom_and_crlf() {
        let bytes = csv_bytes(&["甲", "乙"], &[vec!["1", "a,b"]]);
        assert_eq!(String::from_utf8(bytes).unwrap(), "\u{feff}甲,乙\r\n1,\"a,b\"\r\n");
    }

    #[test]
    fn field_descriptions_keep_clear_of_the_separator() {
        let r = PublicRecord {
            meeting: MeetingRecord {
                id: "113-1".into(),
                agency: String::new(),
                group: String::new(),
                title: String::new(),
                year: 113,
                number: 1,
                date: "2024-04-29".into(),
                start: "14:30".into(),
                end: None,
                place: String::new(),
                chair: String::new(),
                recorder: None,
                transcript: None,
                opening: String::new(),
                status: "定稿".into(),
            },
            items: vec![],
            attendance: vec![],
            observers: vec![],
            members: vec![],
            tracking: vec![],
        };
        let group: crate::model::Group =
            toml::from_str("agency = \"甲\"\nname = \"乙\"\npublish_gender = true\nmember = []\n").unwrap();
        for t in tables(&r, &group) {
            for f in &t.fields {
                assert!(!f.description.contains('；'), "{}.{}", t.name, f.header);
                assert!(f.key.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", f.key);
            }
        }
    }

    #[test]
    fn zip_or_folder() {
        assert!(is_zip(Path::new("out/x.zip")));
        assert!(is_zip(Path::new("out/x.ZIP")));
        assert!(!is_zip(Path::new("out/x/")));
        assert!(!is_zip(Path::new("out/x.zip/")));
        assert!(!is_zip(Path::new("out/x")));
    }
}
