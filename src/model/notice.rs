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
