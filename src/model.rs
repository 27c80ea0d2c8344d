//! The meeting definition: serde types of `group.toml` and `meeting.toml`, and loading
//! them with source positions so every later stage can point at `file:line:col`.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use schemars::JsonSchema;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

use crate::diag::{Diagnostic, Diagnostics, Result, line_col};

/// The advisory group: `packets/<series>/group.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// 機關名稱, e.g. 行政院主計總處.
    pub agency: String,
    /// 小組名稱, e.g. 政府資料開放諮詢小組.
    pub name: String,
    /// 幕僚單位 that runs the group, e.g. 主計資訊處.
    #[serde(default)]
    pub unit: Option<String>,
    /// 聯絡人 for the open-data metadata.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The series' own day counts (working days).
    #[serde(default)]
    pub rules: Rules,
    /// Whether the agency publishes its members' gender: `packet export` adds a 性別 column
    /// to members.csv only when true (default false).
    #[serde(default)]
    pub publish_gender: bool,
    /// `[open_data]`: data.gov.tw dataset metadata for `packet export` (all optional).
    #[serde(default)]
    pub open_data: OpenData,
    /// 委員, the convener included (`role = "召集人"`).
    #[serde(rename = "member")]
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// `[open_data]` in group.toml: what `packet export` cannot derive for the data.gov.tw
/// metadata. The dataset is the series (one dataset, one upload per meeting).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenData {
    /// 資料集名稱 (default: 〈機關〉〈小組名稱〉會議紀錄).
    #[serde(default)]
    pub dataset_name: Option<String>,
    /// 更新頻率 (default 每半年: 設置要點第四點, two meetings a year).
    #[serde(default)]
    pub update_frequency: Option<UpdateFrequency>,
    /// 資料集上架日期: when the dataset was first listed (default: the export's date).
    #[serde(default)]
    pub listed: Option<Date>,
    /// 服務分類 on data.gov.tw, if the agency has chosen one.
    #[serde(default)]
    pub category: Option<String>,
    /// 關鍵字 added after 小組名稱, 會議紀錄, 議程, 委員名單, 機關.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// data.gov.tw 更新頻率.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum UpdateFrequency {
    #[serde(rename = "不定期")]
    Irregular,
    #[serde(rename = "每半年")]
    HalfYearly,
    #[serde(rename = "每年")]
    Yearly,
    #[serde(rename = "每季")]
    Quarterly,
}

impl UpdateFrequency {
    pub fn label(self) -> &'static str {
        match self {
            UpdateFrequency::Irregular => "不定期",
            UpdateFrequency::HalfYearly => "每半年",
            UpdateFrequency::Yearly => "每年",
            UpdateFrequency::Quarterly => "每季",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// 會前提供資料：開會前第 N 個工作日 (default 5).
    #[serde(default)]
    pub materials_days: Option<u32>,
    /// 會議紀錄草稿：會後 N 個工作日內 (default 10; DGBAS 8).
    #[serde(default)]
    pub draft_minutes_days: Option<u32>,
    /// 公開於政府資料開放平臺：會後 N 個工作日內 (default 14).
    #[serde(default)]
    pub publication_days: Option<u32>,
    /// Print a 列管建議 column (建議解除列管 / 建議繼續列管) in tracking tables.
    #[serde(default)]
    pub tracking_advice: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Stable ASCII id used by attendance and opinions.
    pub id: String,
    pub name: String,
    /// 職稱.
    pub title: String,
    /// 服務機關（構）.
    pub organisation: String,
    pub kind: MemberKind,
    pub gender: Gender,
    /// `召集人` for the convener.
    #[serde(default)]
    pub role: Option<String>,
    /// 民間代表聘期起日.
    #[serde(default)]
    pub term_start: Option<Date>,
    /// 民間代表聘期迄日.
    #[serde(default)]
    pub term_end: Option<Date>,
    /// 民間代表: how many times this member has been reappointed (續聘) up to the current
    /// term; absent or 0 = first term. 設置要點第六點: 期滿得續聘一次, so at most 1.
    #[serde(default)]
    pub renewals: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum MemberKind {
    #[serde(rename = "機關代表")]
    Government,
    #[serde(rename = "民間代表")]
    Civil,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Gender {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

/// One meeting: `packets/<series>/<meeting>/meeting.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// 民國年 of the sequence (must match the date's ROC year).
    #[serde(default)]
    pub year: Option<i32>,
    /// 第 N 次會議.
    pub number: u32,
    pub date: Date,
    /// Start time, 24-hour `14:30`.
    pub time: Time,
    pub place: String,
    /// Member id of the chair.
    #[serde(default)]
    pub chair: Option<String>,
    /// 報告事項.
    #[serde(default, rename = "report")]
    pub reports: Vec<Item>,
    /// 討論事項.
    #[serde(default, rename = "discussion")]
    pub discussions: Vec<Item>,
    /// What happened at the meeting, filled in afterwards for the minutes (會議紀錄).
    #[serde(default)]
    pub minutes: Option<Minutes>,
    /// When the documents actually went out, for `packet check`'s deadline checks.
    #[serde(default)]
    pub dates: MeetingDates,
}

/// `[dates]` in meeting.toml: when each document actually went out (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingDates {
    /// 會議議程及資料草案送達委員之日 (due: the 5th working day before the meeting).
    #[serde(default)]
    pub materials_sent: Option<Date>,
    /// 會議紀錄草稿及完整會議資料送達委員之日 (due: the 10th, or the series' N-th, working
    /// day after).
    #[serde(default)]
    pub draft_minutes_sent: Option<Date>,
    /// 開放於政府資料開放平臺之日 (due: the 14th working day after).
    #[serde(default)]
    pub published: Option<Date>,
}

/// The record of the meeting: `[minutes]` in meeting.toml. Decisions and opinions of
/// each item sit on the item itself (`decision`, `[[report.opinion]]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Minutes {
    /// Actual start time (default: the scheduled `time`).
    #[serde(default)]
    pub start: Option<Time>,
    /// 散會 time; the minutes stay a draft until it is recorded.
    #[serde(default)]
    pub end: Option<Time>,
    /// Member id of the chair if not the scheduled one (e.g. a member acting for the convener).
    #[serde(default)]
    pub chair: Option<String>,
    /// 紀錄: the note taker.
    #[serde(default)]
    pub recorder: Option<String>,
    /// 逐字紀錄 URL.
    #[serde(default)]
    pub transcript: Option<String>,
    /// 主席致詞 (Markdown); default 略.
    #[serde(default)]
    pub opening: Option<String>,
    #[serde(default)]
    pub attendance: Attendance,
    /// Members who declared before speaking that their opinions are 不記名 (printed as 委員甲…).
    #[serde(default)]
    pub anonymous: Vec<String>,
    /// Members who declared their opinions 不公開 (left out of the public edition).
    #[serde(default)]
    pub private: Vec<String>,
    /// 臨時動議.
    #[serde(default)]
    pub motion: Vec<Motion>,
}

/// Attendance by member id; members listed nowhere were absent (缺席).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// Present in person.
    #[serde(default)]
    pub present: Vec<String>,
    /// Government members represented by a delegate: member id → delegate's name.
    #[serde(default)]
    pub delegate: std::collections::BTreeMap<String, String>,
    /// 請假.
    #[serde(default)]
    pub leave: Vec<String>,
    /// 列席者: attending units and people (free text).
    #[serde(default)]
    pub observers: Vec<String>,
}

/// One speaker's opinion: a member (by id) or an attending unit (free text).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    #[serde(default)]
    pub member: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    /// What was said (Markdown).
    pub text: String,
}

/// 臨時動議.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Motion {
    /// 提案單位 or proposer.
    #[serde(default)]
    pub unit: Option<String>,
    /// 案由.
    pub title: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default, rename = "opinion")]
    pub opinions: Vec<Opinion>,
    /// 決議.
    #[serde(default)]
    pub decision: Option<String>,
}

/// A report (報告事項) or discussion (討論事項) item.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// 報告單位 / 提案單位.
    pub unit: String,
    /// 案由.
    pub title: String,
    /// 說明 (Markdown; ordered lists print as 一、（一）1.（1）).
    #[serde(default)]
    pub explanation: String,
    /// 上次會議決定（議）事項辦理情形 rows written by hand, printed as the 說明 table
    /// (for a series whose earlier minutes are not in packet; otherwise use `track`).
    #[serde(default)]
    pub tracking: Vec<TrackingRow>,
    /// This is the 上次會議決定（議）事項辦理情形 item: its table is generated from the
    /// series' earlier minutes (every decision still 列管 when this meeting is held).
    #[serde(default)]
    pub track: bool,
    /// 辦理情形 of each tracked decision, by decision id (`112-2-D2`).
    #[serde(default)]
    pub progress: Vec<Progress>,
    #[serde(default, rename = "attachment")]
    pub attachments: Vec<Attachment>,
    /// Minutes: opinions expressed on this item, in order.
    #[serde(default, rename = "opinion")]
    pub opinions: Vec<Opinion>,
    /// Minutes: 決定 (report) / 決議 (discussion), Markdown; an ordered list is one
    /// clause per entry (decision ids `113-1-D2-1`, …).
    #[serde(default)]
    pub decision: Option<String>,
}

/// What the agency did about one tracked decision, reported at this meeting.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Decision id of an item of an earlier meeting, e.g. `112-2-D2`.
    pub id: String,
    /// 辦理情形 (Markdown).
    #[serde(default)]
    pub status: String,
    /// 列管建議 proposed by the agency.
    #[serde(default)]
    pub advice: Option<Tracking>,
    /// What the meeting decided for this row when it differs from the advice
    /// (default: follow the advice; without advice the row is closed).
    #[serde(default)]
    pub result: Option<Tracking>,
}

/// 列管: keep tracking a decision or close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Tracking {
    #[serde(rename = "解除列管")]
    Close,
    #[serde(rename = "繼續列管")]
    Keep,
}

impl Tracking {
    pub fn label(self) -> &'static str {
        match self {
            Tracking::Close => "解除列管",
            Tracking::Keep => "繼續列管",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Section {
    #[serde(rename = "報告事項")]
    Report,
    #[serde(rename = "討論事項")]
    Discussion,
}

impl Section {
    pub fn label(self) -> &'static str {
        match self {
            Section::Report => "報告事項",
            Section::Discussion => "討論事項",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackingRow {
    /// Which section of the previous meeting the item came from.
    pub from: Section,
    /// The previous item's 案由.
    pub title: String,
    /// 決定（議） (Markdown).
    pub decision: String,
    /// 辦理情形 (Markdown).
    #[serde(default)]
    pub progress: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// 附件1, 附件2 … (default: 附件N, or 附件 when the item has one).
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// Path relative to meeting.toml: `.md`, `.csv`, an image (`.png`, `.jpg`, `.svg`) or `.pdf`.
    pub file: String,
    /// `slides`: a Markdown file whose `##` sections are slides.
    #[serde(default)]
    pub style: Option<AttachmentStyle>,
    /// Line under the title, e.g. the data date `113-04-02`.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// CSV: leading rows that are header rows (repeated on every page). Default 1.
    #[serde(default)]
    pub header_rows: Option<usize>,
    /// CSV: merged ranges in A1 notation, e.g. `C1:G1`.
    #[serde(default)]
    pub merge: Vec<String>,
    /// 註 lines under a table (Markdown).
    #[serde(default)]
    pub notes: Vec<String>,
    /// CSV: per-column alignment of the body rows.
    #[serde(default)]
    pub align: Vec<Align>,
    /// CSV: per-column relative widths.
    #[serde(default)]
    pub widths: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentStyle {
    Slides,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A calendar date: a TOML date (`2024-04-29`) or a string in ISO or ROC form
/// (`"113-04-29"`, `"113年4月29日"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date(pub NaiveDate);

#[derive(Deserialize)]
#[serde(untagged)]
enum DateOrText {
    Toml(toml::value::Datetime),
    Text(String),
}

/// A [`Date`] or [`Time`]: the TOML value converted by `from_toml`, or the text parsed by
/// `from_text`; on failure, `message` with the value as written.
fn date_or_text<'de, D: Deserializer<'de>, T>(
    d: D,
    from_toml: impl FnOnce(&toml::value::Datetime) -> Option<T>,
    from_text: impl FnOnce(&str) -> Option<T>,
    message: impl FnOnce(&str) -> String,
) -> std::result::Result<T, D::Error> {
    let parsed = match DateOrText::deserialize(d)? {
        DateOrText::Toml(dt) => from_toml(&dt).ok_or_else(|| dt.to_string()),
        DateOrText::Text(s) => from_text(&s).ok_or(s),
    };
    parsed.map_err(|s| D::Error::custom(message(&s)))
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        date_or_text(
            d,
            |dt| match (dt.date, dt.time) {
                (Some(date), None) => {
                    NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                }
                _ => None,
            },
            crate::calendar::parse_date,
            |s| {
                if nonpositive_year(s) {
                    format!("無效的日期「{s}」：民國年須從 1 年起算")
                } else {
                    format!("無效的日期「{s}」，請寫成 2024-04-29 或 113-04-29")
                }
            },
        )
        .map(Date)
    }
}

/// `0-01-01`, `-1-01-01`, `民國0年1月1日`: a year that is zero or negative.
fn nonpositive_year(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix("民國").unwrap_or(t);
    if t.starts_with('-') {
        return true;
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0
        && t[..digits].bytes().all(|b| b == b'0')
        && t[digits..].starts_with(['-', '/', '.', '年'])
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "TOML date (2024-04-29) or string: 2024-04-29, 113-04-29, 113/4/29, 113年4月29日",
            "type": "string"
        })
    }
}

/// A time of day: `"14:30"` or a TOML local time `14:30:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Time(pub NaiveTime);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        date_or_text(
            d,
            |dt| match (dt.date, dt.time) {
                (None, Some(t)) => {
                    NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.into())
                }
                _ => None,
            },
            |s| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok(),
            |s| format!("無效的時間「{s}」，請寫成 24 小時制 14:30"),
        )
        .map(Time)
    }
}

impl JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "24-hour time HH:MM, e.g. 14:30",
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"
        })
    }
}

/// A loaded TOML file: its path and text, for pointing at fields later.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::error(format!("無法讀取檔案：{}", crate::output::io_reason(&e)))
                .at_file(path)
        })?;
        if crate::tables::guess_encoding(&bytes) == Some("UTF-16") {
            return Err(Diagnostic::error("檔案是 UTF-16 編碼；請另存為 UTF-8").at_file(path).into());
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, col) = line_col(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            );
            let message = match crate::tables::guess_encoding(e.as_bytes()) {
                Some(name) => format!("檔案是 {name} 編碼；請另存為 UTF-8"),
                None => "檔案不是 UTF-8 編碼，請另存為 UTF-8".into(),
            };
            Diagnostic::error(message).at(path, line, col)
        })?;
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
        })
    }

    /// A diagnostic for `field` (a path such as `report[1].attachment[0].file`), pointing at
    /// that value in this file, or at the nearest enclosing value that exists.
    pub fn error_at(&self, field: &str, message: impl Into<String>) -> Diagnostic {
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
    pub fn locate(&self, field: &str) -> Option<usize> {
        let root = toml::de::DeTable::parse(&self.text).ok()?;
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
                    best = if v.span().start < k.span().start {
                        k.span().start
                    } else {
                        v.span().start
                    };
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
        Some(best)
    }
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

/// Parse `file` as `T`, turning TOML and serde errors into `file:line:col: field: 訊息`.
pub fn load<T: DeserializeOwned>(file: &SourceFile) -> Result<T> {
    let table = toml::de::DeTable::parse(&file.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let (line, col) = line_col(&file.text, span.start);
        let at = file.text.get(span.clone()).unwrap_or("");
        let message = e.message().trim();
        let mut d = match file.text.get(span.start..).and_then(|t| t.chars().next()) {
            Some(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => Diagnostic::error(
                format!("含有不允許的控制字元 U+{:04X}（TOML 語法錯誤：{message}）", c as u32),
            ),
            _ if message.contains("duplicate key") => {
                let key = at.trim().trim_matches(['"', '\'']);
                Diagnostic::error(format!("重複的鍵「{key}」(duplicate key)")).field(key)
            }
            _ => Diagnostic::error(format!("TOML 語法錯誤 ({message})")),
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
            path = if path.is_empty() {
                field
            } else {
                format!("{path}.{field}")
            };
        }
        let offset = inner.span().map_or(0, |s| s.start);
        let (line, col) = line_col(&file.text, offset);
        Diagnostics::from(
            Diagnostic::error(message)
                .field(path)
                .at(&file.path, line, col),
        )
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
        return (Some(quoted(message)), "缺少必要欄位 (missing field)".into());
    }
    if message.starts_with("unknown field") {
        let expected = message
            .split_once("expected")
            .map(|(_, e)| e.replace('`', ""))
            .unwrap_or_default();
        return (
            None,
            format!(
                "未知的欄位「{}」(unknown field)；可用的欄位：{}",
                quoted(message),
                expected.trim_start_matches(" one of ").trim()
            ),
        );
    }
    if message.starts_with("unknown variant") {
        let expected = message
            .split_once("expected")
            .map(|(_, e)| e.replace('`', "").replace(" or ", ", "))
            .unwrap_or_default();
        return (
            None,
            format!(
                "不接受的值「{}」；可用的值：{}",
                quoted(message),
                expected.trim_start_matches(" one of ").trim()
            ),
        );
    }
    if message.starts_with("invalid type") {
        return (None, format!("型別錯誤 ({message})"));
    }
    if message.starts_with("invalid value") {
        return (None, format!("數值錯誤 ({message})"));
    }
    if message.starts_with("wanted string or table") {
        return (None, format!("型別錯誤：應為文字 ({message})"));
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

/// The JSON Schema of group.toml and meeting.toml (for editor completion).
pub fn json_schema() -> serde_json::Value {
    serde_json::json!({
        "group.toml": schemars::schema_for!(Group),
        "meeting.toml": schemars::schema_for!(Meeting),
    })
}
