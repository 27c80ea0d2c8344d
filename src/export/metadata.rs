//! The data.gov.tw dataset metadata: `metadata.json` in the platform's own field names and
//! codes (validated in the tests against `docs/data-gov-tw-metadata.schema.json`), and
//! the upload form's layout: `metadata.csv` (the dataset's fields, one row) and
//! `resources.csv` (one row per resource, its 主要欄位說明 in its own cell).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

use super::documents::kind_of;
use super::tables::{CsvTable, csv_bytes};
use super::{BundleFile, LICENSE, LICENSE_URL};
use crate::diag::{Diagnostic, Result, Severity};
use crate::model::{Packet, UpdateFrequency};

/// 服務分類 codes the platform takes (categoryService): 100–900 and A00–I00.
pub const SERVICE_CATEGORIES: [&str; 18] = [
    "100", "200", "300", "400", "500", "600", "700", "800", "900", "A00", "B00", "C00", "D00", "E00", "F00", "G00",
    "H00", "I00",
];
/// 公共資訊: where the platform files advisory-group minutes unless the agency chose otherwise.
pub const DEFAULT_SERVICE_CATEGORY: &str = "I00";

pub(super) struct Contact {
    name: String,
    phone: String,
    email: Option<String>,
}

/// 提供機關聯絡人 and 電話 are required metadata: group.toml `[contact]`.
pub(super) fn contact(packet: &Packet) -> Result<Contact> {
    let src = &packet.group_src;
    let Some(c) = &packet.group.contact else {
        return Err(src.error_at("contact.name", "未設定提供機關聯絡人：開放資料詮釋資料需要聯絡人姓名及電話").into());
    };
    if c.name.trim().is_empty() {
        return Err(src.error_at("contact.name", "提供機關聯絡人姓名不可空白").into());
    }
    let phone = c
        .phone
        .clone()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| src.error_at("contact.phone", "未設定提供機關聯絡人電話：開放資料詮釋資料需要"))?;
    Ok(Contact { name: c.name.clone(), phone, email: c.email.clone().filter(|e| !e.trim().is_empty()) })
}

/// What the metadata files and datapackage.json share.
pub(super) struct DatasetInfo {
    pub(super) package_name: String,
    pub(super) dataset_name: String,
    pub(super) description: String,
    pub(super) agency: String,
    pub(super) contact: Contact,
    pub(super) frequency: UpdateFrequency,
    /// 資料集上架日期 (publishedDate).
    pub(super) listed: NaiveDate,
    /// 詮釋資料更新時間 (modifiedDate): never before the listing.
    pub(super) updated: NaiveDateTime,
    pub(super) keywords: Vec<String>,
    pub(super) category: String,
    pub(super) category_dataset: Option<String>,
    pub(super) oid: Option<String>,
    pub(super) base_url: Option<String>,
}

impl DatasetInfo {
    /// `packet` gives the group (any meeting of the series); `latest` is the timestamp of
    /// the newest meeting in the bundle. Returns the warnings for what the platform needs
    /// and group.toml does not say.
    pub(super) fn new(
        packet: &Packet,
        package_name: String,
        description: String,
        latest: NaiveDateTime,
    ) -> Result<(Self, Vec<Diagnostic>)> {
        let g = &packet.group;
        let od = &g.open_data;
        let mut warnings = Vec::new();
        let category = category(packet)?;
        let base_url = base_url_or_warning(packet, &mut warnings)?;
        let oid = publisher_oid(packet, &mut warnings)?;
        warnings.extend(unstated(packet));
        let listed = od.listed.map_or(latest.date(), |d| d.0);
        // The metadata cannot have been updated before the dataset was listed.
        let updated = latest.max(listed.and_time(NaiveTime::MIN));
        let mut keywords: Vec<String> =
            [g.name.as_str(), "會議紀錄", "議程", "委員名單", g.agency.as_str()].map(str::to_string).to_vec();
        for k in &od.keywords {
            if !keywords.contains(k) {
                keywords.push(k.clone());
            }
        }
        let info = DatasetInfo {
            package_name,
            dataset_name: od.dataset_name.clone().unwrap_or_else(|| format!("{}{}會議紀錄", g.agency, g.name)),
            description,
            agency: g.agency.clone(),
            contact: contact(packet)?,
            frequency: od.update_frequency.unwrap_or(UpdateFrequency::HalfYearly),
            listed,
            updated,
            keywords,
            category,
            category_dataset: od.category_dataset.clone(),
            oid: oid.map(|o| format!("{o}|{}", g.agency)),
            base_url,
        };
        Ok((info, warnings))
    }

    /// Where `file` is downloaded: base_url and the name, or the name alone.
    pub(super) fn url(&self, file: &str) -> String {
        match &self.base_url {
            Some(base) => format!("{base}/{file}"),
            None => file.to_string(),
        }
    }
}

/// `[open_data] base_url` (None when not set), or an error at its field: checked before
/// the documents are compiled.
pub(super) fn checked_base_url(packet: &Packet) -> Result<Option<String>> {
    match packet.group.open_data.base_url.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(u) => Ok(Some(base_url(u).map_err(|why| {
            packet.group_src.error_at("open_data.base_url", format!("檔案存放網址「{}」{why}", u.escape_debug()))
        })?)),
    }
}

/// `[open_data] base_url` as the prefix of every published download link: an `http(s)`
/// address with a host, nothing a link cannot carry as written (spaces, quotes, line
/// breaks: the URL parser would silently encode or drop them) and no query or fragment
/// (a file name after them is not a path). Returns the address without its final `/`,
/// or what is wrong with it.
pub(super) fn base_url(u: &str) -> std::result::Result<String, String> {
    if let Some(c) = u.chars().find(|c| c.is_control()) {
        return Err(format!("含有換行或控制字元 U+{:04X}：網址須在一行內", c as u32));
    }
    if u.chars().any(char::is_whitespace) {
        return Err("含有空白：網址中不能有空格（請改為 %20 或移除）".into());
    }
    if let Some(c) = u.chars().find(|c| matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\' | '{' | '}' | '|' | '^')) {
        return Err(format!("含有網址不允許的字元「{c}」（引號、角括號、反斜線等）"));
    }
    if u.contains('?') {
        return Err("含有查詢字串「?」：下載網址是存放網址加上檔名，須為資料夾的網址".into());
    }
    if u.contains('#') {
        return Err("含有片段「#」：下載網址是存放網址加上檔名，須為資料夾的網址".into());
    }
    // The URL standard is lenient where a link must not be: `https:///a` and `https:a`
    // would both become https://a/.
    match u.split_once("://") {
        None => return Err("須為 https:// 或 http:// 開頭之完整網址".into()),
        Some((_, rest)) if rest.is_empty() || rest.starts_with('/') => {
            return Err("沒有主機名稱：須為 https://主機/路徑 之網址".into());
        }
        Some(_) => {}
    }
    let parsed = url::Url::parse(u).map_err(|e| match e {
        url::ParseError::EmptyHost => "沒有主機名稱：須為 https://主機/路徑 之網址".to_string(),
        url::ParseError::RelativeUrlWithoutBase => "須為 https:// 或 http:// 開頭之完整網址".to_string(),
        e => format!("不是有效的網址（{e}）"),
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err("須為 https:// 或 http:// 開頭之網址".into());
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("沒有主機名稱：須為 https://主機/路徑 之網址".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("含有帳號或密碼：公開的下載網址不能帶帳號密碼".into());
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// 服務分類: group.toml `[open_data] category`, one of the platform's codes.
pub(super) fn category(packet: &Packet) -> Result<String> {
    let category = packet.group.open_data.category.clone().unwrap_or_else(|| DEFAULT_SERVICE_CATEGORY.to_string());
    if !SERVICE_CATEGORIES.contains(&category.as_str()) {
        return Err(packet
            .group_src
            .error_at(
                "open_data.category",
                format!("服務分類須為平臺之代碼（{}），不是「{category}」", SERVICE_CATEGORIES.join("、")),
            )
            .into());
    }
    Ok(category)
}

/// The warnings for the contact's e-mail and the listing date when group.toml leaves them
/// out (the metadata is written without them, or with the newest meeting's date).
pub(super) fn unstated(packet: &Packet) -> Vec<Diagnostic> {
    let g = &packet.group;
    let mut out = Vec::new();
    if g.contact.as_ref().is_some_and(|c| c.email.as_deref().is_none_or(|e| e.trim().is_empty())) {
        out.push(
            packet
                .group_src
                .error_at("contact.email", "未設定提供機關聯絡人電子郵件：詮釋資料將缺少聯絡人電子郵件，上傳前請補上"),
        );
    }
    if g.open_data.listed.is_none() {
        out.push(packet.group_src.error_at(
            "open_data.listed",
            "未設定資料集上架日期：暫以最新一次會議之資料日期填列；上架後請填入實際日期",
        ));
    }
    out.into_iter().map(|d| d.severity(Severity::Warning)).collect()
}

/// Where the agency keeps the files (`[open_data] base_url`, checked by
/// [`checked_base_url`]); a warning when it is not set.
pub(super) fn base_url_or_warning(packet: &Packet, warnings: &mut Vec<Diagnostic>) -> Result<Option<String>> {
    let base_url = checked_base_url(packet)?;
    if base_url.is_none() {
        warnings.push(
            packet
                .group_src
                .error_at("open_data.base_url", "未設定檔案存放網址：下載網址及索引連結只寫檔名，上傳前請補上")
                .severity(Severity::Warning),
        );
    }
    Ok(base_url)
}

/// 機關 OID (`[open_data] publisher_oid`, 2.16.886.…); a warning when it is not set.
pub(super) fn publisher_oid<'a>(packet: &'a Packet, warnings: &mut Vec<Diagnostic>) -> Result<Option<&'a str>> {
    let src = &packet.group_src;
    let oid = packet.group.open_data.publisher_oid.as_deref().map(str::trim).filter(|o| !o.is_empty());
    if let Some(o) = oid
        && !(o.starts_with("2.16.886.") && o.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    {
        return Err(src
            .error_at("open_data.publisher_oid", format!("機關 OID 須為 2.16.886. 開頭之數字點分碼，不是「{o}」"))
            .into());
    }
    if oid.is_none() {
        warnings.push(
            src.error_at("open_data.publisher_oid", "未設定機關 OID：詮釋資料將缺少機關 OID，上傳前請補上")
                .severity(Severity::Warning),
        );
    }
    Ok(oid)
}

/// The legal basis sentence of 資料集描述.
pub(super) fn legal_basis(packet: &Packet) -> &str {
    packet.group.open_data.legal_basis.as_deref().unwrap_or("依「政府資料開放諮詢小組設置要點」第九點及第十二點公開")
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
    if let Some(k) = kind_of(name) {
        let meeting = name.strip_suffix((k.name)(false)).or_else(|| name.strip_suffix((k.name)(true)));
        let draft = if name.ends_with("-draft.pdf") { "草稿" } else { "" };
        return match meeting.map(|m| m.trim_end_matches('-')).filter(|m| !m.is_empty()) {
            Some(id) => format!("{id} 會議之{}{draft}", k.title),
            None => format!("{}{draft}", k.title),
        };
    }
    match name {
        "index.json" => "會議索引（JSON）：每次會議一筆，含議程、會議紀錄及附件之下載網址".into(),
        "meeting.schema.json" => "meeting.json 之 JSON Schema".into(),
        "datapackage.json" => "Frictionless Data Package 描述檔（各 CSV 之欄位、型別、代碼與鍵）".into(),
        "metadata.json" => "資料集詮釋資料（政府資料開放平臺欄位）".into(),
        "metadata.csv" => "資料集詮釋資料（上架表單欄位，一列）".into(),
        "resources.csv" => "各資料資源之詮釋資料（上架表單欄位，每資源一列）".into(),
        _ => String::new(),
    }
}

/// One resource of the dataset as the platform lists it.
pub(super) struct ResourceInfo {
    pub(super) file: String,
    pub(super) description: String,
    pub(super) format: &'static str,
    /// 主要欄位說明: (欄位名稱, 說明) in header order; empty for documents.
    pub(super) fields: Vec<(String, String)>,
    pub(super) rows: Option<usize>,
}

impl ResourceInfo {
    pub(super) fn of(file: &str, tables: &[CsvTable]) -> Self {
        let table = tables.iter().find(|t| t.file_name() == file);
        // index.json holds the index's rows keyed by the English keys.
        if file == "index.json"
            && let Some(index) = tables.iter().find(|t| t.name == "index")
        {
            return ResourceInfo {
                file: file.to_string(),
                description: describe_file(file, tables),
                format: "JSON",
                fields: index.fields.iter().map(|f| (f.key.to_string(), field_text(f))).collect(),
                rows: Some(index.rows.len()),
            };
        }
        ResourceInfo {
            file: file.to_string(),
            description: describe_file(file, tables),
            format: format_of(file),
            fields: table
                .map(|t| t.fields.iter().map(|f| (f.header.to_string(), field_text(f))).collect())
                .unwrap_or_default(),
            rows: table.map(|t| t.rows.len()),
        }
    }

    /// 主要欄位說明 in one cell: `欄位：說明（key）；…`, headers in file order.
    pub(super) fn fields_text(&self) -> String {
        self.fields.iter().map(|(h, d)| format!("{h}：{d}")).collect::<Vec<_>>().join("；")
    }
}

/// A column's description for the platform: its text, its English key and, for a
/// categorical column, its values.
fn field_text(f: &super::tables::Field) -> String {
    let values = if f.values.is_empty() { String::new() } else { format!("，值為{}", f.values.join("、")) };
    format!("{}{values}（{}，{}）", f.description, f.key, f.kind.name())
}

/// metadata.json: the platform's dataset metadata, its field names and codes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    category_service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    category_dataset: Option<String>,
    title: String,
    description: String,
    #[serde(rename = "type")]
    kind: &'static str,
    license: &'static str,
    #[serde(rename = "licenseURL")]
    license_url: &'static str,
    cost: &'static str,
    #[serde(rename = "publisherOID", skip_serializing_if = "Option::is_none")]
    publisher_oid: Option<String>,
    publisher: String,
    publisher_contact_name: String,
    publisher_contact_phone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_contact_email: Option<String>,
    update_frequency: Frequency,
    published_date: String,
    modified_date: String,
    language: &'static str,
    keyword: Vec<String>,
    notes: String,
    distribution: Vec<Distribution>,
}

/// updateFrequency: regular or not, and every how many units.
#[derive(Serialize)]
pub struct Frequency {
    regularupdate: &'static str,
    #[serde(rename = "Frequency", skip_serializing_if = "Option::is_none")]
    frequency: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unittime: Option<&'static str>,
}

fn frequency(f: UpdateFrequency) -> Frequency {
    let every = |n, unit| Frequency { regularupdate: "Y", frequency: Some(n), unittime: Some(unit) };
    match f {
        UpdateFrequency::Irregular => Frequency { regularupdate: "N", frequency: None, unittime: None },
        UpdateFrequency::HalfYearly => every(6, "月"),
        UpdateFrequency::Quarterly => every(3, "月"),
        UpdateFrequency::Yearly => every(1, "年"),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    resource_description: String,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    #[serde(rename = "downloadURL")]
    download_url: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    resource_field: Vec<ResourceField>,
    resource_modified_date: String,
}

#[derive(Serialize)]
pub struct ResourceField {
    name: String,
    description: String,
}

fn datetime(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub(super) fn metadata(info: &DatasetInfo, resources: &[ResourceInfo], notes: String) -> Metadata {
    Metadata {
        category_service: info.category.clone(),
        category_dataset: info.category_dataset.clone(),
        title: info.dataset_name.clone(),
        description: info.description.clone(),
        kind: "rawData",
        license: LICENSE,
        license_url: LICENSE_URL,
        cost: "免費",
        publisher_oid: info.oid.clone(),
        publisher: info.agency.clone(),
        publisher_contact_name: info.contact.name.clone(),
        publisher_contact_phone: info.contact.phone.clone(),
        publisher_contact_email: info.contact.email.clone(),
        update_frequency: frequency(info.frequency),
        published_date: info.listed.format("%Y-%m-%d").to_string(),
        modified_date: datetime(info.updated),
        language: "zh-TW",
        keyword: info.keywords.clone(),
        notes,
        distribution: resources
            .iter()
            .map(|r| Distribution {
                resource_description: r.description.clone(),
                format: r.format,
                encoding: (r.format != "PDF" && r.format != "ODT").then_some("UTF-8"),
                download_url: info.url(&r.file),
                resource_field: r
                    .fields
                    .iter()
                    .map(|(name, description)| ResourceField { name: name.clone(), description: description.clone() })
                    .collect(),
                resource_modified_date: datetime(info.updated),
            })
            .collect(),
    }
}

/// metadata.csv: the upload form's dataset fields, one header row and one row of values.
pub(super) fn dataset_csv(m: &Metadata) -> Vec<u8> {
    let headers = [
        "資料集名稱",
        "服務分類",
        "資料集分類",
        "資料集描述",
        "資料集類型",
        "提供機關",
        "提供機關OID",
        "提供機關聯絡人",
        "提供機關聯絡人電話",
        "提供機關聯絡人電子郵件",
        "更新頻率",
        "授權方式",
        "授權說明網址",
        "計費方式",
        "資料集上架日期",
        "詮釋資料更新時間",
        "關鍵字",
        "語系",
        "備註",
    ];
    let f = &m.update_frequency;
    let every = match (f.frequency, f.unittime) {
        (Some(n), Some(u)) => format!("每{n}{u}"),
        _ => "不定期".to_string(),
    };
    let row = vec![
        m.title.clone(),
        m.category_service.clone(),
        m.category_dataset.clone().unwrap_or_default(),
        m.description.clone(),
        "原始資料".to_string(),
        m.publisher.clone(),
        m.publisher_oid.clone().unwrap_or_default(),
        m.publisher_contact_name.clone(),
        m.publisher_contact_phone.clone(),
        m.publisher_contact_email.clone().unwrap_or_default(),
        every,
        m.license.to_string(),
        m.license_url.to_string(),
        m.cost.to_string(),
        m.published_date.clone(),
        m.modified_date.clone(),
        m.keyword.join("、"),
        "繁體中文".to_string(),
        m.notes.clone(),
    ];
    csv_bytes(&headers, &[row])
}

/// resources.csv: the upload form's resource fields, one row per resource.
pub(super) fn resources_csv(info: &DatasetInfo, resources: &[ResourceInfo]) -> Vec<u8> {
    let headers = [
        "資料資源描述",
        "檔案名稱",
        "檔案格式",
        "編碼格式",
        "資料資源下載網址",
        "主要欄位說明",
        "資料量",
        "資料資源更新時間",
    ];
    let rows: Vec<Vec<String>> = resources
        .iter()
        .map(|r| {
            vec![
                r.description.clone(),
                r.file.clone(),
                r.format.to_string(),
                if r.format == "PDF" { String::new() } else { "UTF-8".to_string() },
                info.url(&r.file),
                r.fields_text(),
                r.rows.map(|n| n.to_string()).unwrap_or_default(),
                datetime(info.updated),
            ]
        })
        .collect();
    csv_bytes(&headers, &rows)
}

/// The resources the platform lists: the data files, not the checksums or the metadata
/// itself.
pub(super) fn listed_resources(files: &[BundleFile], tables: &[CsvTable], documents: bool) -> Vec<ResourceInfo> {
    files
        .iter()
        .filter(|f| {
            !["SHA256SUMS", "metadata.json", "metadata.csv", "resources.csv", "meeting.schema.json"]
                .contains(&f.name.as_str())
        })
        .filter(|f| documents || kind_of(&f.name).is_none())
        .map(|f| ResourceInfo::of(&f.name, tables))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn base_url_is_a_folder_address_with_a_host() {
        assert_eq!(
            base_url("https://opendata.example.gov.tw/advisory/").as_deref(),
            Ok("https://opendata.example.gov.tw/advisory")
        );
        assert_eq!(base_url("http://Example.gov.tw").as_deref(), Ok("http://example.gov.tw"));
        for (bad, why) in [
            ("http://", "沒有主機名稱"),
            ("https:///a", "沒有主機名稱"),
            ("https://x.gov.tw/a b", "含有空白"),
            ("https://x.gov.tw/a\u{3000}b", "含有空白"),
            ("https://x.gov.tw/\"onload", "「\"」"),
            ("https://x.gov.tw/'a", "「'」"),
            ("https://x.gov.tw/<a>", "「<」"),
            ("https://x.gov.tw/a\nb", "換行"),
            ("https://x.gov.tw/a\rb", "換行"),
            ("https://x.gov.tw/?a=1", "查詢字串"),
            ("https://x.gov.tw/#top", "片段"),
            ("https://x.gov.tw\\a", "「\\」"),
            ("ftp://x.gov.tw/", "https://"),
            ("javascript:alert(1)", "https://"),
            ("x.gov.tw/a", "完整網址"),
            ("https://user:pw@x.gov.tw/", "帳號或密碼"),
            ("https://x..gov.tw:99999/", "不是有效的網址"),
        ] {
            match base_url(bad) {
                Err(e) => assert!(e.contains(why), "{bad:?}: {e}"),
                Ok(u) => panic!("{bad:?} accepted as {u}"),
            }
        }
    }
}
