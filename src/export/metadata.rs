//! The data.gov.tw dataset metadata (`metadata.json`, `metadata.csv`): what the
//! platform asks of a dataset, derived from group.toml, the record and the files.

use chrono::{Datelike, NaiveDateTime};
use serde::Serialize;

use super::record::{PublicRecord, iso};
use super::tables::{CsvTable, csv_bytes};
use super::{BundleFile, LICENSE, LICENSE_URL, sha256_hex};
use crate::diag::Result;
use crate::model::{Packet, UpdateFrequency};

pub(super) struct Contact {
    name: String,
    phone: String,
}

/// 提供機關聯絡人 and 電話 are required metadata: group.toml `[contact]`.
pub(super) fn contact(packet: &Packet) -> Result<Contact> {
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
pub(super) struct DatasetInfo {
    pub(super) package_name: String,
    pub(super) dataset_name: String,
    pub(super) description: String,
    pub(super) agency: String,
    pub(super) contact: Contact,
    pub(super) frequency: &'static str,
    pub(super) listed: String,
    pub(super) updated: NaiveDateTime,
    pub(super) keywords: Vec<String>,
    pub(super) category: Option<String>,
}

impl DatasetInfo {
    pub(super) fn new(packet: &Packet, r: &PublicRecord, contact: &Contact, stamp: NaiveDateTime) -> Self {
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
            "{agency}「{group}」之會議資料：議程、會議紀錄（公開版）、案件及決定（議）事項、發言要旨、出席情形及委員名單，{basis}。本次為{label}（{date}），{draft}不公開之發言不予列載，不記名之發言以委員甲、委員乙等稱之。",
            agency = g.agency,
            group = g.name,
            label = {
                // 本次為 113 年第 1 次會議 / 本次為第 8 次會議
                let l = crate::model::label(packet);
                if l.starts_with(|c: char| c.is_ascii_digit()) { format!(" {l}") } else { l }
            },
            basis = od.legal_basis.as_deref().unwrap_or("依「政府資料開放諮詢小組設置要點」第九點及第十二點公開"),
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
pub(super) fn format_of(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("pdf") => "PDF",
        Some("odt") => "ODT",
        Some("csv") => "CSV",
        Some("json") => "JSON",
        _ => "TXT",
    }
}

pub(super) fn describe_file(name: &str, tables: &[CsvTable]) -> String {
    if let Some(t) = tables.iter().find(|t| t.file_name() == name) {
        return format!("{}：{}", t.title, t.description);
    }
    match name {
        "agenda.pdf" => "議程（含附件）".into(),
        "minutes.pdf" => "會議紀錄（公開版）".into(),
        "minutes-draft.pdf" => "會議紀錄草稿（公開版）".into(),
        "agenda.odt" => "議程（可編輯版，ODF）".into(),
        "minutes.odt" => "會議紀錄（公開版，可編輯版 ODF）".into(),
        "minutes-draft.odt" => "會議紀錄草稿（公開版，可編輯版 ODF）".into(),
        "meeting.json" => "會議公開紀錄全文（JSON），結構見 meeting.schema.json".into(),
        "meeting.schema.json" => "meeting.json 之 JSON Schema".into(),
        "datapackage.json" => "Frictionless Data Package 描述檔（各 CSV 之欄位、型別與鍵）".into(),
        "metadata.json" | "metadata.csv" => "資料集詮釋資料".into(),
        _ => String::new(),
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

pub(super) const METADATA_HEADERS: [&str; 16] = [
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

pub(super) fn metadata(info: &DatasetInfo, tables: &[CsvTable], files: &[BundleFile]) -> Metadata {
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
