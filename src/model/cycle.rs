//! The steps of a meeting's cycle after it is held, recorded in meeting.toml: the
//! correction round of the draft minutes (`[corrections]`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Date;

/// `[corrections]`: the draft minutes sent to the members for corrections (紀錄草稿修正).
/// Kept in the series for the file, never published: the members' draft corrections are
/// preparatory papers (政府資訊公開法第十八條第一項第三款).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Corrections {
    /// 紀錄草稿送達委員之日.
    pub sent: Date,
    /// 回復期限 as the covering e-mail stated it (default: the N-th working day after
    /// `sent`, N = group.toml `[rules] correction_days`).
    #[serde(default)]
    pub deadline: Option<Date>,
    /// 紀錄定稿之日: when the final minutes were made (after the deadline, or once every
    /// member replied).
    #[serde(default, rename = "final")]
    pub final_on: Option<Date>,
    /// The members' replies; a member with none by the deadline had no corrections (視同無意見).
    #[serde(default, rename = "reply")]
    pub replies: Vec<Reply>,
}

/// `[[corrections.reply]]`: one member's reply to the draft minutes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// Member id.
    pub member: String,
    /// 回復之日.
    pub received: Date,
    /// 修正意見 as the member wrote it (Markdown); none and no `file`: 無修正意見.
    #[serde(default)]
    pub text: Option<String>,
    /// The reply as a file (path relative to meeting.toml, inside the series).
    #[serde(default)]
    pub file: Option<String>,
    /// 處理情形: what was changed in the minutes because of it (Markdown; default 無).
    #[serde(default)]
    pub changed: Option<String>,
}
