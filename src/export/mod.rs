//! `packet export`: the data.gov.tw upload bundle of one meeting.
//!
//! One call builds, in memory, every file an agency's open-data officer uploads to
//! 政府資料開放平臺 (設置要點第九點、第十二點: member list and minutes published there):
//! the agenda and the public minutes as PDF, the public record as CSV tables and as one
//! JSON document (with its JSON Schema), a Frictionless `datapackage.json`, the
//! data.gov.tw dataset metadata (`metadata.json`, `metadata.csv`) and `SHA256SUMS`.
//! The bundle is then written as a zip or a folder with the same content.
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
//!   (Taiwan time, UTC+8). Equal input gives byte-identical zips.
//! - **One description of each table.** Every CSV is a [`CsvTable`]; datapackage.json,
//!   主要欄位說明, 資料量, the file list and SHA256SUMS are all derived from
//!   [`tables`], tracking.csv included.
//!
//! CSV files are UTF-8 **with BOM**, CRLF line ends (RFC 4180), one header row with the
//! Chinese column names; each column's English key is in metadata and datapackage.json
//! (the field `title`). The BOM is for Excel: without it, Excel in a zh-TW locale opens
//! a UTF-8 CSV as Big5 (CP950) and shows mojibake; pandas, R, Python's `utf-8-sig`,
//! LibreOffice and Frictionless all read the BOM transparently, and data.gov.tw accepts
//! both (the file is UTF-8 either way).

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, FixedOffset, NaiveDateTime, Timelike};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::build::{self, BuildOptions, Input};
use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::model::Packet;
use crate::output::write_atomic;
use crate::rules::minutes::{self, Edition};
use crate::typeset::compile::TAIWAN_OFFSET_MINUTES;
use crate::typeset::fonts::FontSet;

mod datapackage;
mod metadata;
mod record;
mod tables;

pub use metadata::{FieldInfo, FileFields, Metadata, ResourceInfo};
pub use record::{
    AttendanceRecord, DecisionRecord, ItemRecord, MeetingRecord, MemberRecord, OpinionRecord, PublicRecord,
    TrackingRecord, record,
};
pub(crate) use record::json_schema;
pub use tables::{Field, FieldType, ForeignKey, CsvTable, tables};

use datapackage::datapackage;
use metadata::{DatasetInfo, contact, metadata};

/// 授權方式 of every file in the bundle.
pub const LICENSE: &str = "政府資料開放授權條款－第1版";
/// 授權說明網址.
pub const LICENSE_URL: &str = "https://data.gov.tw/license";

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
    /// Warnings from building the PDFs.
    pub warnings: Vec<Diagnostic>,
    /// The bundle's timestamp (Taiwan time).
    pub stamp: NaiveDateTime,
}

/// Build the bundle in memory. `source_date_epoch` is the value of `SOURCE_DATE_EPOCH`,
/// if set. Nothing is written.
pub fn bundle(
    input: Input,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    allow_draft: bool,
    source_date_epoch: Option<&str>,
) -> Result<Bundle> {
    let packet = input.packet;
    let problems = minutes::record_errors(packet);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let missing = minutes::missing(packet);
    if !missing.is_empty() && !allow_draft {
        let mut all = vec![
            Diagnostic::error(
                "會議紀錄尚未定稿，不產生開放資料包；請補齊下列欄位，或加 --allow-draft 以紀錄草稿匯出：",
            )
            .at_file(&packet.meeting_src.path),
        ];
        all.extend(missing);
        return Err(Diagnostics(all));
    }
    let contact = contact(packet)?;
    let stamp = timestamp(packet, source_date_epoch)?;

    // The two documents, compiled side by side, each with its editable ODF edition.
    let opts = &BuildOptions { write_odt: true, ..opts.clone() };
    let (agenda, minutes_pdf) = std::thread::scope(|s| {
        let fonts2 = fonts.clone();
        let agenda = s.spawn(move || build::compile_agenda(input, opts, fonts2));
        let minutes_pdf = build::compile_minutes(packet, opts, fonts, Edition::Public, false);
        (agenda.join(), minutes_pdf)
    });
    let agenda = agenda.map_err(|_| Diagnostic::error("議程排版時發生內部錯誤"))?;
    let (agenda, minutes_pdf) = match (agenda, minutes_pdf) {
        (Ok(a), Ok(m)) => (a, m),
        (a, m) => {
            let mut all = Vec::new();
            for e in [a.err(), m.err()].into_iter().flatten() {
                all.extend(e.0);
            }
            return Err(Diagnostics(all));
        }
    };
    let draft = minutes_pdf.draft;
    let minutes_name = if draft {
        "minutes-draft.pdf"
    } else {
        "minutes.pdf"
    };
    let mut warnings = agenda.warnings.clone();
    warnings.extend(minutes_pdf.built.warnings.iter().cloned());

    let record = record(input, draft);
    let tables = tables(&record, packet.group.publish_gender);

    let mut files = vec![
        BundleFile {
            name: "agenda.pdf".into(),
            bytes: agenda.pdf,
        },
        BundleFile {
            name: minutes_name.into(),
            bytes: minutes_pdf.built.pdf,
        },
    ];
    // The editable editions beside the PDFs (agenda.odt, minutes[-draft].odt).
    let minutes_odt = if draft { "minutes-draft.odt" } else { "minutes.odt" };
    for (name, odt) in [("agenda.odt", agenda.odt), (minutes_odt, minutes_pdf.built.odt)] {
        if let Some(bytes) = odt {
            files.push(BundleFile { name: name.into(), bytes });
        }
    }
    for t in &tables {
        files.push(BundleFile {
            name: t.file_name(),
            bytes: t.csv(),
        });
    }
    files.push(BundleFile {
        name: "meeting.json".into(),
        bytes: json_bytes(&record),
    });
    files.push(BundleFile {
        name: "meeting.schema.json".into(),
        bytes: json_bytes(&json_schema()),
    });
    let info = DatasetInfo::new(packet, &record, &contact, stamp);
    let datapackage = datapackage(&info, &tables, &files, &record);
    files.push(BundleFile {
        name: "datapackage.json".into(),
        bytes: json_bytes(&datapackage),
    });
    let metadata = metadata(&info, &tables, &files);
    files.push(BundleFile {
        name: "metadata.json".into(),
        bytes: json_bytes(&metadata),
    });
    files.push(BundleFile {
        name: "metadata.csv".into(),
        bytes: metadata.csv(),
    });
    let sums = sha256sums(&files);
    files.push(BundleFile {
        name: "SHA256SUMS".into(),
        bytes: sums,
    });

    Ok(Bundle {
        files,
        draft,
        missing: minutes_pdf.missing,
        warnings,
        stamp,
    })
}

/// Whether `path` names a zip (`.zip`, any case) rather than a folder.
pub(crate) fn is_zip(path: &Path) -> bool {
    !path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
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
    let s = bundle.stamp;
    let when = zip::DateTime::from_date_and_time(
        s.year().clamp(1980, 2107) as u16,
        s.month() as u8,
        s.day() as u8,
        s.hour() as u8,
        s.minute() as u8,
        s.second() as u8,
    )
    .map_err(|e| fail(&e))?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for f in &bundle.files {
        let method = if f.name.ends_with(".pdf") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(when)
            .unix_permissions(0o644);
        zip.start_file(f.name.as_str(), options)
            .map_err(|e| fail(&e))?;
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
            let time = record.and_then(|r| r.end.or(r.start)).unwrap_or(m.time.or_midnight());
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
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sha256sum` format: `<hex>  <name>` per file, in bundle order.
pub(super) fn sha256sums(files: &[BundleFile]) -> Vec<u8> {
    files
        .iter()
        .map(|f| format!("{}  {}\n", sha256_hex(&f.bytes), f.name))
        .collect::<String>()
        .into_bytes()
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
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}甲,乙\r\n1,\"a,b\"\r\n"
        );
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
        for t in tables(&r, true) {
            for f in &t.fields {
                assert!(!f.description.contains('；'), "{}.{}", t.name, f.header);
                assert!(
                    f.key.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{}",
                    f.key
                );
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
