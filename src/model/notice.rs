//! `[notice]` in meeting.toml and group.toml: what the 開會通知單 (文書處理手冊's form)
//! prints that the rest of the record does not hold. Everything is optional: a record
//! without it prints the form with its defaults, and 發文日期 / 發文字號 left blank for
//! the 公文系統 to fill.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[notice]` in meeting.toml: this meeting's notice. 發文日期 is `[dates] notice_sent`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingNotice {
    /// When the meeting is planned to end, `16:30`: the calendar invitation's end
    /// (default: two hours after the start).
    #[serde(default)]
    pub end: Option<super::Time>,
    /// 發文字號, e.g. 主資字第 1130000001 號 (default blank: the 公文系統 fills it).
    #[serde(default)]
    pub number: Option<String>,
    /// 速別: 最速件, 速件 or 普通件 (default 普通件).
    #[serde(default)]
    pub speed: Option<Speed>,
    /// 受文者 (default: the group's, else 如出席者及列席者).
    #[serde(default)]
    pub recipient: Option<String>,
    /// 附件, e.g. 議程 (default 無).
    #[serde(default)]
    pub attachments: Option<String>,
    /// 開會事由 (default 召開 + the meeting's title).
    #[serde(default)]
    pub subject: Option<String>,
    /// 列席者: units and people invited besides the members (default: the group's).
    #[serde(default)]
    pub observers: Option<Vec<String>>,
    /// 副本 (default: the group's).
    #[serde(default)]
    pub copy: Option<Vec<String>>,
    /// 備註 lines after the group's and the materials line.
    #[serde(default)]
    pub notes: Vec<String>,
    /// `[notice.change]`: the meeting was postponed or moved after the notice went out.
    /// meeting.toml's `date`, `time` and `place` are the new ones; this keeps the old ones
    /// (the notice prints them, as it was sent) and the 書函 that announces the change.
    #[serde(default)]
    pub change: Option<NoticeChange>,
}

/// `[notice.change]` in meeting.toml: what the notice first said, and the 書函 (second
/// edition of the notice) that tells the members of the new date, time or place.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeChange {
    /// The date the notice first gave (default: unchanged).
    #[serde(default)]
    pub date: Option<super::Date>,
    /// The time the notice first gave, `14:30` (default: unchanged).
    #[serde(default)]
    pub time: Option<super::MeetingTime>,
    /// The place the notice first gave (default: unchanged).
    #[serde(default)]
    pub place: Option<String>,
    /// Why, e.g. 配合召集人行程 (printed after 因).
    #[serde(default)]
    pub reason: Option<String>,
    /// The 書函's 發文日期 (default blank: the 公文系統 fills it).
    #[serde(default)]
    pub sent: Option<super::Date>,
    /// The 書函's 發文字號 (default blank).
    #[serde(default)]
    pub number: Option<String>,
}

/// `[notice]` in group.toml: what every notice of the series prints.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupNotice {
    /// 機關地址, printed under the form's title.
    #[serde(default)]
    pub address: Option<String>,
    /// 受文者 (default 如出席者及列席者).
    #[serde(default)]
    pub recipient: Option<String>,
    /// 列席者 invited to every meeting, e.g. the secretariat's unit.
    #[serde(default)]
    pub observers: Vec<String>,
    /// 副本 of every notice.
    #[serde(default)]
    pub copy: Vec<String>,
    /// 備註 lines of every notice, after the materials line.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// 速別 (文書處理手冊).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Speed {
    #[serde(rename = "最速件")]
    Urgent,
    #[serde(rename = "速件")]
    Prompt,
    #[default]
    #[serde(rename = "普通件")]
    Ordinary,
}

impl Speed {
    pub fn label(self) -> &'static str {
        match self {
            Speed::Urgent => "最速件",
            Speed::Prompt => "速件",
            Speed::Ordinary => "普通件",
        }
    }
}
