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
//! - **One description of each table.** Every CSV is a [`Table`]; datapackage.json,
//!   主要欄位說明, 資料量, the file list and SHA256SUMS are all derived from
//!   [`tables`], tracking.csv included.
//!
//! CSV files are UTF-8 **with BOM**, CRLF line ends (RFC 4180), one header row with the
//! Chinese column names; each column's English key is in metadata and datapackage.json
//! (the field `title`). The BOM is for Excel: without it, Excel in a zh-TW locale opens
//! a UTF-8 CSV as Big5 (CP950) and shows mojibake; pandas, R, Python's `utf-8-sig`,
//! LibreOffice and Frictionless all read the BOM transparently, and data.gov.tw accepts
//! both (the file is UTF-8 either way).

use std::collections::{BTreeMap, HashSet};
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};
use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};
use schemars::JsonSchema;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::fonts::FontSet;
use crate::minutes::{self, Edition, ItemSection, Speakers};
use crate::model::{Member, MemberKind, UpdateFrequency};
use crate::output::write_atomic;
use crate::pipeline::{self, BuildOptions, Packet};
use crate::zh;

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
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    allow_draft: bool,
    source_date_epoch: Option<&str>,
) -> Result<Bundle> {
    let problems = minutes::validate(packet);
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

    // The two PDFs, compiled side by side.
    let (agenda, minutes_pdf) = std::thread::scope(|s| {
        let fonts2 = fonts.clone();
        let agenda = s.spawn(move || pipeline::compile_agenda(packet, opts, fonts2));
        let minutes_pdf = pipeline::compile_minutes(packet, opts, fonts, Edition::Public, false);
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

    let record = record(packet, draft);
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
pub fn is_zip(path: &Path) -> bool {
    !path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Write the bundle as a zip (atomically) or into a folder (each file atomically,
/// SHA256SUMS last). Other files already in the folder are left alone.
pub fn write(bundle: &Bundle, path: &Path) -> Result<()> {
    if is_zip(path) {
        write_atomic(path, &zip_bytes(bundle)?)
    } else {
        for f in &bundle.files {
            write_atomic(&path.join(&f.name), &f.bytes)?;
        }
        Ok(())
    }
}

/// The zip: entries in bundle order at the root, all dated `bundle.stamp`, mode 0644;
/// PDFs stored (already compressed), the rest deflated.
pub fn zip_bytes(bundle: &Bundle) -> Result<Vec<u8>> {
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

// ── Timestamps ─────────────────────────────────────────────────────────────────

/// Taiwan time, in which meeting dates and times are written.
fn taiwan() -> FixedOffset {
    FixedOffset::east_opt(crate::compile::TAIWAN_OFFSET_MINUTES * 60).expect("UTC+8")
}

/// The bundle's timestamp (Taiwan local time): `SOURCE_DATE_EPOCH` when given,
/// otherwise `[dates] published` (at 00:00), otherwise the meeting's date at its
/// closing (or opening) time. Never the clock.
pub fn timestamp(packet: &Packet, source_date_epoch: Option<&str>) -> Result<NaiveDateTime> {
    let m = &packet.meeting;
    let from_packet = match m.dates.published {
        Some(published) => published.0.and_time(chrono::NaiveTime::MIN),
        None => {
            let record = m.minutes.as_ref();
            let time = record.and_then(|r| r.end.or(r.start)).unwrap_or(m.time);
            m.date.0.and_time(time.0)
        }
    };
    // SOURCE_DATE_EPOCH is read the same way as for the PDFs' creation date.
    crate::compile::creation_time(from_packet, source_date_epoch)
}

fn rfc3339(t: NaiveDateTime) -> String {
    t.and_local_timezone(taiwan())
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_else(|| t.format("%Y-%m-%dT%H:%M:%S+08:00").to_string())
}

// ── The public record (meeting.json) ──────────────────────────────────────────

/// meeting.json: the public record of one meeting, as published (public edition:
/// 不公開 opinions left out, 不記名 speakers as 委員甲…). Texts are plain text, with the
/// numbering the PDFs print (一、（一）1.（1）).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublicRecord {
    pub meeting: MeetingRecord,
    /// 報告事項, 討論事項 and 臨時動議, in order.
    pub items: Vec<ItemRecord>,
    /// Every member of the group at the meeting date and how they attended (empty before
    /// the minutes record attendance).
    pub attendance: Vec<AttendanceRecord>,
    /// 列席者 (free text).
    pub observers: Vec<String>,
    /// 委員名單: the members of the group at the meeting date.
    pub members: Vec<MemberRecord>,
    /// 上次會議決定（議）事項辦理情形: the earlier decisions this meeting reported on.
    pub tracking: Vec<TrackingRecord>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TrackingRecord {
    /// 決定（議）代號 of the earlier item, e.g. `112-2-D2`.
    pub id: String,
    /// 會議代號 of the meeting that decided it.
    pub meeting_id: String,
    pub section: String,
    pub title: String,
    /// 決定（議）, as recorded in that meeting's minutes.
    pub decision: String,
    /// 辦理情形 reported at this meeting.
    pub progress: String,
    /// 列管建議: 建議解除列管 / 建議繼續列管.
    pub advice: Option<String>,
    /// 列管結果 at this meeting: 解除列管 / 繼續列管, or 待決定 before its decision.
    pub outcome: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingRecord {
    /// 會議代號: ROC year and sequence, e.g. `113-1`.
    pub id: String,
    /// 機關.
    pub agency: String,
    /// 小組名稱.
    pub group: String,
    /// 會議名稱, e.g. 「政府資料開放諮詢小組」113 年第 1 次會議.
    pub title: String,
    /// 年度 (民國年).
    pub year: i32,
    /// 會次: 第 N 次會議.
    pub number: u32,
    /// 會議日期, YYYY-MM-DD.
    pub date: String,
    /// 開會時間, HH:MM (24-hour, Taiwan time).
    pub start: String,
    /// 散會時間, HH:MM; null while not recorded.
    pub end: Option<String>,
    /// 地點.
    pub place: String,
    /// 主席, as printed in the minutes (e.g. 陳○○召集人).
    pub chair: String,
    /// 紀錄 (the note taker).
    pub recorder: Option<String>,
    /// 逐字紀錄網址.
    pub transcript: Option<String>,
    /// 主席致詞 (default 略).
    pub opening: String,
    /// 紀錄狀態: 定稿 (final) or 草稿 (draft).
    pub status: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ItemRecord {
    /// 案件代號: meeting id, R (報告事項) / D (討論事項) / M (臨時動議) and the item's
    /// number, e.g. `113-1-D2`.
    pub id: String,
    /// 類別: 報告事項, 討論事項 or 臨時動議.
    pub section: String,
    /// 案次 within its section (1-based).
    pub number: usize,
    /// 報告單位 / 提案單位.
    pub unit: Option<String>,
    /// 案由.
    pub title: String,
    /// 說明 (plain text).
    pub explanation: String,
    /// Published opinions (發言要旨), in order.
    pub opinions: Vec<OpinionRecord>,
    /// 決定 (報告事項) or 決議.
    pub decision_label: String,
    /// 決定（議）全文 (plain text); null while not recorded.
    pub decision: Option<String>,
    /// The decision's clauses with their stable ids (`113-1-D2-1`, …).
    pub decisions: Vec<DecisionRecord>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DecisionRecord {
    /// 決定（議）代號, e.g. `113-1-D2-1`.
    pub id: String,
    /// 項次 (1-based).
    pub number: usize,
    /// The clause (plain text, without its number).
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OpinionRecord {
    /// 意見代號: item id, O and the number among the item's published opinions,
    /// e.g. `113-1-D1-O2`.
    pub id: String,
    /// 序號 among the item's published opinions (1-based).
    pub number: usize,
    /// 發言者 as published: 王○○委員, 主席, 委員甲 (不記名), or an attending unit.
    pub speaker: String,
    /// 委員代號 of a named member; null for units and 不記名 members.
    pub member_id: Option<String>,
    /// 發言要旨 (plain text).
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AttendanceRecord {
    /// 委員代號.
    pub member_id: String,
    /// 姓名.
    pub name: String,
    /// 出席情形: 出席, 代理, 請假 or 缺席.
    pub status: String,
    /// 代理人 (government members only; 設置要點第七點).
    pub delegate: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MemberRecord {
    /// 委員代號 (stable across meetings).
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 職務: 召集人 or 委員.
    pub role: String,
    /// 代表類別: 機關代表 or 民間代表.
    pub kind: String,
    /// 服務機關（構）.
    pub organisation: String,
    /// 職稱.
    pub title: String,
    /// 聘期起日 (民間代表), YYYY-MM-DD.
    pub term_start: Option<String>,
    /// 聘期迄日 (民間代表), YYYY-MM-DD.
    pub term_end: Option<String>,
    /// 性別: only when the agency publishes it (group.toml `publish_gender = true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
}

/// The JSON Schema of meeting.json (`packet schema --export`).
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(PublicRecord)).unwrap_or_default();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "title".into(),
            "meeting.json：政府資料開放諮詢小組會議公開紀錄 (packet export)".into(),
        );
    }
    schema
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn hhmm(t: chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// 會議代號, e.g. `113-1`.
fn meeting_id(packet: &Packet) -> String {
    format!(
        "{}-{}",
        zh::roc_year(packet.meeting.date.0),
        packet.meeting.number
    )
}

fn role(m: &Member) -> &'static str {
    if m.role.as_deref() == Some("召集人") {
        "召集人"
    } else {
        "委員"
    }
}

fn kind(m: &Member) -> &'static str {
    match m.kind {
        MemberKind::Government => "機關代表",
        MemberKind::Civil => "民間代表",
    }
}

/// The members of the group at the meeting: those whose term (if any) covers the
/// meeting date, and anyone the attendance names.
fn members_at_meeting(packet: &Packet) -> Vec<&Member> {
    let date = packet.meeting.date.0;
    let listed: HashSet<&str> = packet
        .meeting
        .minutes
        .as_ref()
        .map(|m| {
            let a = &m.attendance;
            a.present
                .iter()
                .chain(a.leave.iter())
                .chain(a.delegate.keys())
                .map(String::as_str)
                .collect()
        })
        .unwrap_or_default();
    packet
        .group
        .members
        .iter()
        .filter(|m| {
            listed.contains(m.id.as_str())
                || (m.term_start.is_none_or(|s| s.0 <= date)
                    && m.term_end.is_none_or(|e| date <= e.0))
        })
        .collect()
}

/// Build the public record from the packet.
pub fn record(packet: &Packet, draft: bool) -> PublicRecord {
    let g = &packet.group;
    let m = &packet.meeting;
    let id = meeting_id(packet);
    let minutes_rec = m.minutes.as_ref();
    let anonymous: HashSet<&str> = minutes_rec
        .map(|r| r.anonymous.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let private: HashSet<&str> = minutes_rec
        .map(|r| r.private.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let speakers = Speakers::new(packet, Edition::Public);
    let members = members_at_meeting(packet);
    let by_id: BTreeMap<&str, &Member> = g.members.iter().map(|x| (x.id.as_str(), x)).collect();

    let items = minutes::items(packet)
        .into_iter()
        .map(|item| {
            let item_id = format!("{id}-{}{}", item.section.letter(), item.index + 1);
            let mut opinions = Vec::new();
            for op in item.opinions {
                // None: a 不公開 opinion, left out of everything published.
                let Some(speaker) = speakers.name(op) else {
                    continue;
                };
                let member_id = op
                    .member
                    .as_deref()
                    .filter(|id| !anonymous.contains(id) && !private.contains(id))
                    .map(str::to_string);
                let n = opinions.len() + 1;
                opinions.push(OpinionRecord {
                    id: format!("{item_id}-O{n}"),
                    number: n,
                    speaker,
                    member_id,
                    text: plain(&op.text, 3),
                });
            }
            let decisions = minutes::decision_clauses(packet, &item)
                .into_iter()
                .enumerate()
                .map(|(i, c)| DecisionRecord {
                    id: c.id,
                    number: i + 1,
                    text: plain(&c.text, 4),
                })
                .collect();
            ItemRecord {
                section: match item.section {
                    ItemSection::Report => "報告事項",
                    ItemSection::Discussion => "討論事項",
                    ItemSection::Motion => "臨時動議",
                }
                .into(),
                number: item.index + 1,
                unit: item
                    .unit
                    .map(str::to_string)
                    .filter(|u| !u.trim().is_empty()),
                title: item.title.trim().to_string(),
                explanation: plain(item.explanation, 1),
                opinions,
                decision_label: item.section.decision_label().into(),
                decision: item.decision.map(|d| plain(d, 3)).filter(|d| !d.is_empty()),
                decisions,
                id: item_id,
            }
        })
        .collect();

    let attendance = match minutes_rec {
        None => Vec::new(),
        Some(r) => {
            let a = &r.attendance;
            members
                .iter()
                .map(|x| {
                    let (status, delegate) = if a.present.contains(&x.id) {
                        ("出席", None)
                    } else if let Some(d) = a.delegate.get(&x.id) {
                        ("代理", Some(d.clone()))
                    } else if a.leave.contains(&x.id) {
                        ("請假", None)
                    } else {
                        ("缺席", None)
                    };
                    AttendanceRecord {
                        member_id: x.id.clone(),
                        name: x.name.clone(),
                        status: status.into(),
                        delegate,
                    }
                })
                .collect()
        }
    };

    let chair = minutes::chair_id(packet)
        .and_then(|c| by_id.get(c))
        .map(|x| format!("{}{}", x.name, role(x)))
        .unwrap_or_default();
    let meeting = MeetingRecord {
        id: id.clone(),
        agency: g.agency.clone(),
        group: g.name.clone(),
        title: packet.meeting_title(),
        year: zh::roc_year(m.date.0),
        number: m.number,
        date: iso(m.date.0),
        start: hhmm(minutes_rec.and_then(|r| r.start).unwrap_or(m.time).0),
        end: minutes_rec.and_then(|r| r.end).map(|t| hhmm(t.0)),
        place: m.place.clone(),
        chair,
        recorder: minutes_rec.and_then(|r| r.recorder.clone()),
        transcript: minutes_rec.and_then(|r| r.transcript.clone()),
        opening: plain(
            minutes_rec
                .and_then(|r| r.opening.as_deref())
                .unwrap_or("略"),
            1,
        ),
        status: if draft { "草稿" } else { "定稿" }.into(),
    };
    let members = members
        .iter()
        .map(|x| MemberRecord {
            id: x.id.clone(),
            name: x.name.clone(),
            role: role(x).into(),
            kind: kind(x).into(),
            organisation: x.organisation.clone(),
            title: x.title.clone(),
            term_start: x.term_start.map(|d| iso(d.0)),
            term_end: x.term_end.map(|d| iso(d.0)),
            gender: g.publish_gender.then(|| {
                match x.gender {
                    crate::model::Gender::Male => "男",
                    crate::model::Gender::Female => "女",
                }
                .to_string()
            }),
        })
        .collect();
    PublicRecord {
        meeting,
        items,
        attendance,
        observers: minutes_rec
            .map(|r| r.attendance.observers.clone())
            .unwrap_or_default(),
        members,
        // The agenda build has already reported any error in these sources.
        tracking: crate::tracking::reports_at(packet)
            .unwrap_or_default()
            .into_iter()
            .map(|(d, r)| TrackingRecord {
                meeting_id: d.meeting.clone(),
                section: match d.section {
                    crate::minutes::ItemSection::Report => "報告事項",
                    crate::minutes::ItemSection::Discussion => "討論事項",
                    crate::minutes::ItemSection::Motion => "臨時動議",
                }
                .to_string(),
                title: d.title,
                decision: d.decision.trim().to_string(),
                progress: r.status.trim().to_string(),
                advice: r.advice.map(|a| format!("建議{}", a.label())),
                outcome: r.outcome.map_or("待決定", |o| o.label()).to_string(),
                id: d.id,
            })
            .collect(),
    }
}

// ── Tables (CSV) ──────────────────────────────────────────────────────────────

/// A column type, as Frictionless names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    /// ISO date, YYYY-MM-DD.
    Date,
    /// HH:MM.
    Time,
}

impl FieldType {
    fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Date => "date",
            FieldType::Time => "time",
        }
    }
}

/// One column: its Chinese header, English key, type and description.
#[derive(Debug, Clone)]
pub struct Field {
    pub header: &'static str,
    pub key: &'static str,
    pub kind: FieldType,
    pub required: bool,
    pub description: &'static str,
}

/// The columns of a table, one a line: `"表頭" key: Type, required|optional, "說明";`.
macro_rules! fields {
    (@required required) => { true };
    (@required optional) => { false };
    ($($header:literal $key:ident: $kind:ident, $required:ident, $description:literal;)*) => {
        vec![$(Field {
            header: $header,
            key: stringify!($key),
            kind: $kind,
            required: fields!(@required $required),
            description: $description,
        }),*]
    };
}

/// A foreign key: `fields` of this table reference `reference` of table `resource`.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub resource: &'static str,
    pub reference: Vec<&'static str>,
}

/// `column` references the column of the same name in table `resource`.
fn fk(column: &'static str, resource: &'static str) -> ForeignKey {
    ForeignKey {
        fields: vec![column],
        resource,
        reference: vec![column],
    }
}

/// 會議代號 → meeting.csv.
fn fk_meeting() -> ForeignKey {
    fk("會議代號", "meeting")
}

/// 案件代號 → items.csv.
fn fk_item() -> ForeignKey {
    fk("案件代號", "items")
}

/// 委員代號 → members.csv.
fn fk_member() -> ForeignKey {
    fk("委員代號", "members")
}

/// One CSV file of the bundle with its description; everything else about it
/// (datapackage.json, 主要欄位說明, 資料量) is derived from this.
#[derive(Debug, Clone)]
pub struct Table {
    /// Resource name and file stem: `items` → items.csv.
    pub name: &'static str,
    /// 中文名稱.
    pub title: &'static str,
    pub description: &'static str,
    pub fields: Vec<Field>,
    /// Cells as text, in field order; "" is empty (null).
    pub rows: Vec<Vec<String>>,
    /// Headers of the primary key.
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    pub fn headers(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.header).collect()
    }

    /// UTF-8 with BOM, CRLF, header row first.
    pub fn csv(&self) -> Vec<u8> {
        csv_bytes(&self.headers(), &self.rows)
    }
}

fn csv_bytes<S: AsRef<str>>(headers: &[&str], rows: &[Vec<S>]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(headers);
        for r in rows {
            let _ = w.write_record(r.iter().map(|c| c.as_ref()));
        }
        let _ = w.flush();
    }
    out
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

use FieldType::{Date, Integer, String as Text, Time};

/// The CSV tables of the bundle, in order.
///
/// A new table is one more entry here; the datapackage, 主要欄位說明, 資料量 and the
/// checksums follow from the list.
pub fn tables(r: &PublicRecord, publish_gender: bool) -> Vec<Table> {
    let m = &r.meeting;
    let meeting = Table {
        name: "meeting",
        title: "會議",
        description: "會議基本資料（一列）。",
        fields: fields![
            "會議代號" meeting_id: Text, required, "民國年-會次，如 113-1";
            "機關" agency: Text, required, "召開會議之機關";
            "小組名稱" group: Text, required, "諮詢小組名稱";
            "會議名稱" title: Text, required, "如「政府資料開放諮詢小組」113 年第 1 次會議";
            "年度" year: Integer, required, "民國年";
            "會次" number: Integer, required, "該年度第幾次會議";
            "會議日期" date: Date, required, "西元日期 YYYY-MM-DD";
            "開會時間" start: Time, required, "24 小時制 HH:MM";
            "散會時間" end: Time, optional, "24 小時制 HH:MM，紀錄草稿可能空白";
            "地點" place: Text, required, "開會地點";
            "主席" chair: Text, optional, "會議主席，依會議紀錄所載";
            "紀錄" recorder: Text, optional, "會議紀錄人員";
            "逐字紀錄網址" transcript: Text, optional, "逐字紀錄之網址（如有）";
            "紀錄狀態" status: Text, required, "定稿或草稿";
        ],
        rows: vec![vec![
            m.id.clone(),
            m.agency.clone(),
            m.group.clone(),
            m.title.clone(),
            m.year.to_string(),
            m.number.to_string(),
            m.date.clone(),
            m.start.clone(),
            opt(&m.end),
            m.place.clone(),
            m.chair.clone(),
            opt(&m.recorder),
            opt(&m.transcript),
            m.status.clone(),
        ]],
        primary_key: vec!["會議代號"],
        foreign_keys: vec![],
    };
    let items = Table {
        name: "items",
        title: "案件",
        description: "報告事項、討論事項及臨時動議，每案一列，附決定（議）全文。",
        fields: fields![
            "案件代號" item_id: Text, required, "會議代號-類別代碼（R 報告事項、D 討論事項、M 臨時動議）案次，如 113-1-D2";
            "會議代號" meeting_id: Text, required, "所屬會議，對應 meeting.csv";
            "類別" section: Text, required, "報告事項、討論事項或臨時動議";
            "案次" number: Integer, required, "該類別中之第幾案";
            "單位" unit: Text, optional, "報告單位或提案單位";
            "案由" title: Text, required, "案由全文";
            "決定（議）" decision: Text, optional, "報告事項之決定或討論事項、臨時動議之決議全文，紀錄草稿可能空白";
            "決定（議）代號" decision_ids: Text, optional, "各項決定（議）之代號，以分號 ; 分隔，對應 decisions.csv";
        ],
        rows: r
            .items
            .iter()
            .map(|i| {
                vec![
                    i.id.clone(),
                    m.id.clone(),
                    i.section.clone(),
                    i.number.to_string(),
                    opt(&i.unit),
                    i.title.clone(),
                    opt(&i.decision),
                    i.decisions
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                ]
            })
            .collect(),
        primary_key: vec!["案件代號"],
        foreign_keys: vec![fk_meeting()],
    };
    let decisions = Table {
        name: "decisions",
        title: "決定（議）事項",
        description: "決定（議）逐項一列，代號固定，供後續會議追蹤辦理情形。",
        fields: fields![
            "決定（議）代號" decision_id: Text, required, "案件代號-項次，如 113-1-D2-1";
            "案件代號" item_id: Text, required, "所屬案件，對應 items.csv";
            "項次" number: Integer, required, "該案決定（議）之第幾項";
            "內容" text: Text, required, "該項決定（議）全文";
        ],
        rows: r
            .items
            .iter()
            .flat_map(|i| {
                i.decisions.iter().map(|d| {
                    vec![
                        d.id.clone(),
                        i.id.clone(),
                        d.number.to_string(),
                        d.text.clone(),
                    ]
                })
            })
            .collect(),
        primary_key: vec!["決定（議）代號"],
        foreign_keys: vec![fk_item()],
    };
    let opinions = Table {
        name: "opinions",
        title: "發言要旨",
        description: "公開之發言要旨，每則一列；聲明不公開者不列，聲明不記名者以委員甲、委員乙等稱之。",
        fields: fields![
            "意見代號" opinion_id: Text, required, "案件代號-O序號，如 113-1-D1-O2";
            "案件代號" item_id: Text, required, "所屬案件，對應 items.csv";
            "序號" number: Integer, required, "該案公開發言之順序";
            "發言者" speaker: Text, required, "依會議紀錄所載：委員姓名、主席、委員甲（不記名）或列席單位";
            "委員代號" member_id: Text, optional, "具名發言委員之代號，對應 members.csv，單位及不記名者空白";
            "發言要旨" text: Text, required, "發言內容要旨";
        ],
        rows: r
            .items
            .iter()
            .flat_map(|i| {
                i.opinions.iter().map(|o| {
                    vec![
                        o.id.clone(),
                        i.id.clone(),
                        o.number.to_string(),
                        o.speaker.clone(),
                        opt(&o.member_id),
                        o.text.clone(),
                    ]
                })
            })
            .collect(),
        primary_key: vec!["意見代號"],
        foreign_keys: vec![fk_item(), fk_member()],
    };
    let attendance = Table {
        name: "attendance",
        title: "出席情形",
        description: "各委員之出席情形，每位委員一列。",
        fields: fields![
            "會議代號" meeting_id: Text, required, "對應 meeting.csv";
            "委員代號" member_id: Text, required, "對應 members.csv";
            "姓名" name: Text, required, "委員姓名";
            "出席情形" status: Text, required, "出席、代理、請假或缺席";
            "代理人" delegate: Text, optional, "機關代表委員指派出席之代表（設置要點第七點）";
        ],
        rows: r
            .attendance
            .iter()
            .map(|a| {
                vec![
                    m.id.clone(),
                    a.member_id.clone(),
                    a.name.clone(),
                    a.status.clone(),
                    opt(&a.delegate),
                ]
            })
            .collect(),
        primary_key: vec!["會議代號", "委員代號"],
        foreign_keys: vec![fk_meeting(), fk_member()],
    };
    let mut member_fields = fields![
        "委員代號" member_id: Text, required, "委員之固定代號";
        "姓名" name: Text, required, "委員姓名";
        "職務" role: Text, required, "召集人或委員";
        "代表類別" kind: Text, required, "機關代表或民間代表";
        "服務機關" organisation: Text, required, "服務機關（構）";
        "職稱" title: Text, required, "職稱";
        "聘期起日" term_start: Date, optional, "民間代表聘期起日 YYYY-MM-DD";
        "聘期迄日" term_end: Date, optional, "民間代表聘期迄日 YYYY-MM-DD";
    ];
    if publish_gender {
        member_fields.extend(fields!["性別" gender: Text, required, "男或女";]);
    }
    let members = Table {
        name: "members",
        title: "委員名單",
        description: "會議日在任之委員名單（設置要點第九點）。",
        fields: member_fields,
        rows: r
            .members
            .iter()
            .map(|x| {
                let mut row = vec![
                    x.id.clone(),
                    x.name.clone(),
                    x.role.clone(),
                    x.kind.clone(),
                    x.organisation.clone(),
                    x.title.clone(),
                    opt(&x.term_start),
                    opt(&x.term_end),
                ];
                if publish_gender {
                    row.push(opt(&x.gender));
                }
                row
            })
            .collect(),
        primary_key: vec!["委員代號"],
        foreign_keys: vec![],
    };
    let tracking = Table {
        name: "tracking",
        title: "上次會議決定（議）事項辦理情形",
        description: "本次會議列管之先前會議決定（議）及其辦理情形，每案一列。",
        fields: fields![
            "決定（議）代號" decision_id: Text, required, "先前會議之案件代號，如 112-2-D2（永久不變）";
            "決定會議代號" decided_at: Text, required, "作成決定（議）之會議，如 112-2";
            "類別" section: Text, required, "報告事項、討論事項或臨時動議";
            "案由" title: Text, required, "案由全文";
            "決定（議）" decision: Text, required, "該次會議紀錄所載之決定（議）全文";
            "辦理情形" progress: Text, optional, "本次會議報告之辦理情形";
            "列管建議" advice: Text, optional, "建議解除列管或建議繼續列管（如有）";
            "列管結果" outcome: Text, required, "本次會議決定：解除列管、繼續列管，或待決定";
        ],
        rows: r
            .tracking
            .iter()
            .map(|t| {
                vec![
                    t.id.clone(),
                    t.meeting_id.clone(),
                    t.section.clone(),
                    t.title.clone(),
                    t.decision.clone(),
                    t.progress.clone(),
                    opt(&t.advice),
                    t.outcome.clone(),
                ]
            })
            .collect(),
        primary_key: vec!["決定（議）代號"],
        foreign_keys: vec![],
    };
    vec![meeting, items, decisions, opinions, attendance, members, tracking]
}

// ── Dataset metadata ──────────────────────────────────────────────────────────

struct Contact {
    name: String,
    phone: String,
}

/// 提供機關聯絡人 and 電話 are required metadata: group.toml `[contact]`.
fn contact(packet: &Packet) -> Result<Contact> {
    let src = &packet.group_src;
    let Some(c) = &packet.group.contact else {
        return Err(src
            .error_at(
                "contact",
                "開放資料詮釋資料需要提供機關聯絡人：請在 group.toml 加上 [contact] name = \"…\"、phone = \"…\"",
            )
            .into());
    };
    let phone = c
        .phone
        .clone()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| {
            src.error_at(
                "contact.phone",
                "開放資料詮釋資料需要提供機關聯絡人電話（contact.phone）",
            )
        })?;
    if c.name.trim().is_empty() {
        return Err(src
            .error_at("contact.name", "提供機關聯絡人姓名不可空白")
            .into());
    }
    Ok(Contact {
        name: c.name.clone(),
        phone,
    })
}

/// What the metadata files and datapackage.json share.
struct DatasetInfo {
    package_name: String,
    dataset_name: String,
    description: String,
    agency: String,
    contact: Contact,
    frequency: &'static str,
    listed: String,
    updated: NaiveDateTime,
    keywords: Vec<String>,
    category: Option<String>,
}

impl DatasetInfo {
    fn new(packet: &Packet, r: &PublicRecord, contact: &Contact, stamp: NaiveDateTime) -> Self {
        let g = &packet.group;
        let od = &g.open_data;
        let dataset_name = od
            .dataset_name
            .clone()
            .unwrap_or_else(|| format!("{}{}會議紀錄", g.agency, g.name));
        let m = &r.meeting;
        let draft = if m.status == "草稿" {
            "會議紀錄為草稿，"
        } else {
            ""
        };
        let description = format!(
            "{agency}「{group}」之會議資料：議程、會議紀錄（公開版）、案件及決定（議）事項、發言要旨、出席情形及委員名單，依「政府資料開放諮詢小組設置要點」第九點及第十二點公開。本次為 {year} 年第 {n} 次會議（{date}），{draft}不公開之發言不予列載，不記名之發言以委員甲、委員乙等稱之。",
            agency = g.agency,
            group = g.name,
            year = m.year,
            n = m.number,
            date = {
                let d = packet.meeting.date.0;
                format!("{} 年 {} 月 {} 日", m.year, d.month(), d.day())
            },
        );
        let mut keywords: Vec<String> = [
            g.name.as_str(),
            "會議紀錄",
            "議程",
            "委員名單",
            g.agency.as_str(),
        ]
        .map(str::to_string)
        .to_vec();
        for k in &od.keywords {
            if !keywords.contains(k) {
                keywords.push(k.clone());
            }
        }
        let mut package_name: String = packet
            .slug()
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-._".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if package_name.trim_matches('-').is_empty() {
            package_name = format!("meeting-{}", m.id);
        }
        DatasetInfo {
            package_name,
            dataset_name,
            description,
            agency: g.agency.clone(),
            contact: Contact {
                name: contact.name.clone(),
                phone: contact.phone.clone(),
            },
            frequency: od
                .update_frequency
                .unwrap_or(UpdateFrequency::HalfYearly)
                .label(),
            listed: iso(od.listed.map(|d| d.0).unwrap_or(stamp.date())),
            updated: stamp,
            keywords,
            category: od.category.clone(),
        }
    }
}

/// File formats by extension, as data.gov.tw names them.
fn format_of(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("pdf") => "PDF",
        Some("csv") => "CSV",
        Some("json") => "JSON",
        _ => "TXT",
    }
}

fn describe_file(name: &str, tables: &[Table]) -> String {
    if let Some(t) = tables.iter().find(|t| t.file_name() == name) {
        return format!("{}：{}", t.title, t.description);
    }
    match name {
        "agenda.pdf" => "議程（含附件）".into(),
        "minutes.pdf" => "會議紀錄（公開版）".into(),
        "minutes-draft.pdf" => "會議紀錄草稿（公開版）".into(),
        "meeting.json" => "會議公開紀錄全文（JSON），結構見 meeting.schema.json".into(),
        "meeting.schema.json" => "meeting.json 之 JSON Schema".into(),
        "datapackage.json" => "Frictionless Data Package 描述檔（各 CSV 之欄位、型別與鍵）".into(),
        "metadata.json" | "metadata.csv" => "資料集詮釋資料".into(),
        _ => String::new(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Serialize)]
struct DataPackage {
    profile: &'static str,
    name: String,
    title: String,
    description: String,
    created: String,
    keywords: Vec<String>,
    licenses: Vec<License>,
    contributors: Vec<Contributor>,
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct License {
    name: &'static str,
    title: &'static str,
    path: &'static str,
}

#[derive(Serialize)]
struct Contributor {
    title: String,
    role: &'static str,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    profile: &'static str,
    title: String,
    description: String,
    format: &'static str,
    mediatype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    bytes: usize,
    hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<TableSchema>,
}

#[derive(Serialize)]
struct TableSchema {
    fields: Vec<SchemaField>,
    #[serde(rename = "primaryKey")]
    primary_key: Vec<&'static str>,
    #[serde(rename = "foreignKeys", skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<SchemaForeignKey>,
    #[serde(rename = "missingValues")]
    missing_values: [&'static str; 1],
}

#[derive(Serialize)]
struct SchemaField {
    name: &'static str,
    /// The English key.
    title: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
}

#[derive(Serialize)]
struct Constraints {
    required: bool,
}

#[derive(Serialize)]
struct SchemaForeignKey {
    fields: Vec<&'static str>,
    reference: Reference,
}

#[derive(Serialize)]
struct Reference {
    resource: &'static str,
    fields: Vec<&'static str>,
}

/// datapackage.json: every CSV as a tabular resource with its table schema and keys;
/// the PDFs and meeting.json as plain resources. Bytes and SHA-256 of each file let
/// `frictionless validate` check integrity too.
fn datapackage(
    info: &DatasetInfo,
    tables: &[Table],
    files: &[BundleFile],
    r: &PublicRecord,
) -> DataPackage {
    // meeting.schema.json is not a data resource: Frictionless would read it as one.
    let resources = files
        .iter()
        .filter(|f| f.name != "meeting.schema.json")
        .map(|f| {
            let table = tables.iter().find(|t| t.file_name() == f.name);
            let format = format_of(&f.name);
            Resource {
                name: table.map(|t| t.name.to_string()).unwrap_or_else(|| {
                    f.name
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                }),
                path: f.name.clone(),
                profile: if table.is_some() {
                    "tabular-data-resource"
                } else {
                    "data-resource"
                },
                title: table
                    .map(|t| t.title.to_string())
                    .unwrap_or_else(|| describe_file(&f.name, tables)),
                description: table
                    .map(|t| t.description.to_string())
                    .unwrap_or_else(|| describe_file(&f.name, tables)),
                format: match format {
                    "PDF" => "pdf",
                    "CSV" => "csv",
                    _ => "json",
                },
                mediatype: match format {
                    "PDF" => "application/pdf",
                    "CSV" => "text/csv",
                    _ => "application/json",
                },
                encoding: (format != "PDF").then_some("utf-8"),
                bytes: f.bytes.len(),
                hash: format!("sha256:{}", sha256_hex(&f.bytes)),
                schema: table.map(|t| TableSchema {
                    fields: t
                        .fields
                        .iter()
                        .map(|x| SchemaField {
                            name: x.header,
                            title: x.key,
                            kind: x.kind.name(),
                            format: (x.kind == Time).then_some("%H:%M"),
                            description: x.description,
                            constraints: x.required.then_some(Constraints { required: true }),
                        })
                        .collect(),
                    primary_key: t.primary_key.clone(),
                    foreign_keys: t
                        .foreign_keys
                        .iter()
                        .map(|k| SchemaForeignKey {
                            fields: k.fields.clone(),
                            reference: Reference {
                                resource: k.resource,
                                fields: k.reference.clone(),
                            },
                        })
                        .collect(),
                    missing_values: [""],
                }),
            }
        })
        .collect();
    DataPackage {
        profile: "data-package",
        name: info.package_name.clone(),
        title: format!("{}{}", info.agency, r.meeting.title),
        description: info.description.clone(),
        created: rfc3339(info.updated),
        keywords: info.keywords.clone(),
        licenses: vec![License {
            name: "OGDL-Taiwan-1.0",
            title: LICENSE,
            path: LICENSE_URL,
        }],
        contributors: vec![Contributor {
            title: info.agency.clone(),
            role: "publisher",
        }],
        resources,
    }
}

/// metadata.json: the data.gov.tw dataset metadata fields, in the platform's order.
#[derive(Serialize)]
pub struct Metadata {
    #[serde(rename = "資料集名稱")]
    pub name: String,
    #[serde(rename = "資料集描述")]
    pub description: String,
    #[serde(rename = "主要欄位說明")]
    pub fields: Vec<FileFields>,
    #[serde(rename = "提供機關")]
    pub agency: String,
    #[serde(rename = "提供機關聯絡人")]
    pub contact: String,
    #[serde(rename = "提供機關聯絡人電話")]
    pub phone: String,
    #[serde(rename = "更新頻率")]
    pub frequency: String,
    #[serde(rename = "授權方式")]
    pub license: String,
    #[serde(rename = "授權說明網址")]
    pub license_url: String,
    #[serde(rename = "計費方式")]
    pub fee: String,
    #[serde(rename = "檔案格式")]
    pub formats: Vec<String>,
    #[serde(rename = "編碼格式")]
    pub encoding: String,
    #[serde(rename = "資料集上架日期")]
    pub listed: String,
    #[serde(rename = "詮釋資料更新時間")]
    pub updated: String,
    #[serde(rename = "關鍵字")]
    pub keywords: Vec<String>,
    /// Data rows of all CSV tables.
    #[serde(rename = "資料量")]
    pub rows: usize,
    #[serde(rename = "服務分類", skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The files of the bundle (SHA256SUMS aside).
    #[serde(rename = "資料資源")]
    pub resources: Vec<ResourceInfo>,
}

/// 主要欄位說明 of one CSV: its columns in header order.
#[derive(Serialize)]
pub struct FileFields {
    #[serde(rename = "檔案")]
    pub file: String,
    #[serde(rename = "欄位")]
    pub fields: Vec<FieldInfo>,
}

#[derive(Serialize)]
pub struct FieldInfo {
    /// The CSV header.
    #[serde(rename = "欄位名稱")]
    pub header: String,
    #[serde(rename = "英文欄位名稱")]
    pub key: String,
    #[serde(rename = "資料型別")]
    pub kind: String,
    #[serde(rename = "說明")]
    pub description: String,
}

#[derive(Serialize)]
pub struct ResourceInfo {
    #[serde(rename = "檔案")]
    pub file: String,
    #[serde(rename = "檔案格式")]
    pub format: String,
    #[serde(rename = "說明")]
    pub description: String,
    #[serde(rename = "筆數", skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
    #[serde(rename = "位元組")]
    pub bytes: usize,
    #[serde(rename = "SHA256")]
    pub sha256: String,
}

const METADATA_HEADERS: [&str; 16] = [
    "資料集名稱",
    "資料集描述",
    "主要欄位說明",
    "提供機關",
    "提供機關聯絡人",
    "提供機關聯絡人電話",
    "更新頻率",
    "授權方式",
    "授權說明網址",
    "計費方式",
    "檔案格式",
    "編碼格式",
    "資料集上架日期",
    "詮釋資料更新時間",
    "關鍵字",
    "資料量",
];

impl Metadata {
    /// 主要欄位說明 as one text: a line per CSV, `檔名：欄位(key)：說明；…`.
    pub fn fields_text(&self) -> String {
        self.fields
            .iter()
            .map(|f| {
                let cols: Vec<String> = f
                    .fields
                    .iter()
                    .map(|c| format!("{}({})：{}", c.header, c.key, c.description))
                    .collect();
                format!("{}：{}", f.file, cols.join("；"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// metadata.csv: one header row (the data.gov.tw field names) and one row of values;
    /// lists joined with 、.
    pub fn csv(&self) -> Vec<u8> {
        let mut headers: Vec<&str> = METADATA_HEADERS.to_vec();
        let mut row = vec![
            self.name.clone(),
            self.description.clone(),
            self.fields_text(),
            self.agency.clone(),
            self.contact.clone(),
            self.phone.clone(),
            self.frequency.clone(),
            self.license.clone(),
            self.license_url.clone(),
            self.fee.clone(),
            self.formats.join("、"),
            self.encoding.clone(),
            self.listed.clone(),
            self.updated.clone(),
            self.keywords.join("、"),
            self.rows.to_string(),
        ];
        if let Some(c) = &self.category {
            headers.push("服務分類");
            row.push(c.clone());
        }
        csv_bytes(&headers, &[row])
    }
}

fn metadata(info: &DatasetInfo, tables: &[Table], files: &[BundleFile]) -> Metadata {
    let mut formats: Vec<String> = Vec::new();
    for f in files {
        let fmt = format_of(&f.name).to_string();
        if !formats.contains(&fmt) {
            formats.push(fmt);
        }
    }
    Metadata {
        name: info.dataset_name.clone(),
        description: info.description.clone(),
        fields: tables
            .iter()
            .map(|t| FileFields {
                file: t.file_name(),
                fields: t
                    .fields
                    .iter()
                    .map(|f| FieldInfo {
                        header: f.header.into(),
                        key: f.key.into(),
                        kind: f.kind.name().into(),
                        description: f.description.into(),
                    })
                    .collect(),
            })
            .collect(),
        agency: info.agency.clone(),
        contact: info.contact.name.clone(),
        phone: info.contact.phone.clone(),
        frequency: info.frequency.into(),
        license: LICENSE.into(),
        license_url: LICENSE_URL.into(),
        fee: "免費".into(),
        formats,
        encoding: "UTF-8".into(),
        listed: info.listed.clone(),
        updated: info.updated.format("%Y-%m-%d %H:%M:%S").to_string(),
        keywords: info.keywords.clone(),
        rows: tables.iter().map(|t| t.rows.len()).sum(),
        category: info.category.clone(),
        resources: files
            .iter()
            .map(|f| ResourceInfo {
                file: f.name.clone(),
                format: format_of(&f.name).into(),
                description: describe_file(&f.name, tables),
                rows: tables
                    .iter()
                    .find(|t| t.file_name() == f.name)
                    .map(|t| t.rows.len()),
                bytes: f.bytes.len(),
                sha256: sha256_hex(&f.bytes),
            })
            .collect(),
    }
}

/// `sha256sum` format: `<hex>  <name>` per file, in bundle order.
fn sha256sums(files: &[BundleFile]) -> Vec<u8> {
    files
        .iter()
        .map(|f| format!("{}  {}\n", sha256_hex(&f.bytes), f.name))
        .collect::<String>()
        .into_bytes()
}

fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

// ── Markdown → plain text ─────────────────────────────────────────────────────

/// Plain text of a Markdown field, numbered as the PDFs print it: an ordered list at
/// `level` gets [`zh::marker`]s (1 一、, 2 （一）, 3 1., 4 （1）), nested lists the next
/// level; emphasis and links keep their text.
pub fn plain(md: &str, level: usize) -> String {
    let arena = Arena::new();
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    let root = parse_document(&arena, md, &options);
    let mut out = String::new();
    block(root, level, &mut out);
    out.trim().to_string()
}

fn block<'a>(node: &'a AstNode<'a>, level: usize, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::List(list) => {
            for (i, item) in node.children().enumerate() {
                let marker = match list.list_type {
                    ListType::Ordered => zh::marker(level, list.start + i),
                    ListType::Bullet => "•".to_string(),
                };
                let next = if list.list_type == ListType::Ordered {
                    level + 1
                } else {
                    level
                };
                let mut inner = String::new();
                for c in item.children() {
                    block(c, next, &mut inner);
                }
                out.push_str(&marker);
                out.push_str(inner.trim());
                out.push('\n');
            }
        }
        NodeValue::Paragraph | NodeValue::Heading(_) => {
            inline_children(node, out);
            out.push('\n');
        }
        NodeValue::CodeBlock(cb) => {
            out.push_str(cb.literal.trim_end());
            out.push('\n');
        }
        NodeValue::HtmlBlock(h) => {
            out.push_str(h.literal.trim_end());
            out.push('\n');
        }
        NodeValue::ThematicBreak => {}
        NodeValue::TableRow(_) => {
            let cells: Vec<String> = node
                .children()
                .map(|c| {
                    let mut s = String::new();
                    inline_children(c, &mut s);
                    s.trim().to_string()
                })
                .collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        _ => {
            for c in node.children() {
                block(c, level, out);
            }
        }
    }
}

fn inline_children<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for c in node.children() {
        inline(c, out);
    }
}

fn inline<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(t) => out.push_str(&t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::HtmlInline(h) => out.push_str(&h),
        NodeValue::SoftBreak => {
            // A wrapped line: no space between CJK characters, one between words.
            if !out
                .chars()
                .next_back()
                .is_some_and(|c| zh::is_cjk(c) || !c.is_ascii())
            {
                out.push(' ');
            }
        }
        NodeValue::LineBreak => out.push('\n'),
        _ => inline_children(node, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_lists_as_printed() {
        assert_eq!(
            plain("1. 照案通過。\n2. 請研議。\n", 3),
            "1.照案通過。\n2.請研議。"
        );
        assert_eq!(plain("1. 甲\n   1. **乙**\n", 1), "一、甲\n（一）乙");
        assert_eq!(plain("洽悉。", 3), "洽悉。");
        assert_eq!(
            plain("請見[連結](https://x.tw)與 `code`", 1),
            "請見連結與 code"
        );
        assert_eq!(plain("第一行\n第二行", 1), "第一行第二行");
        assert_eq!(plain("word\nwrap", 1), "word wrap");
    }

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
