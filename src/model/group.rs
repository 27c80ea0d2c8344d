//! `group.toml`: the advisory group, its members and the conventions of its series.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Date;

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
