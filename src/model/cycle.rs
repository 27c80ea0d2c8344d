//! The steps of a meeting's cycle recorded in meeting.toml beyond the agenda and the
//! opinions: recusals and votes on an item, and the correction round of the draft
//! minutes (`[corrections]`).

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

/// `[[discussion.recusal]]` (on any item, 臨時動議 too): a member who withdrew from the item
/// (利益迴避): printed at the item in the minutes, published, and not among its voters.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recusal {
    /// Member id (a member present at the meeting).
    pub member: String,
    /// 迴避事由, e.g. 「擔任本案受託廠商之顧問」.
    pub reason: String,
}

/// 表決方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum VoteMethod {
    #[serde(rename = "舉手")]
    Hands,
    #[serde(rename = "投票")]
    Ballot,
    /// 記名表決: who voted how is recorded (`for_members`, …).
    #[serde(rename = "記名")]
    RollCall,
}

impl VoteMethod {
    /// 舉手表決 / 投票表決 / 記名表決.
    pub fn label(self) -> &'static str {
        match self {
            VoteMethod::Hands => "舉手表決",
            VoteMethod::Ballot => "投票表決",
            VoteMethod::RollCall => "記名表決",
        }
    }
}

/// 表決結果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum VoteResult {
    #[serde(rename = "通過")]
    Passed,
    #[serde(rename = "不通過")]
    Rejected,
}

/// `[discussion.vote]` (on any item): the item was decided by vote (表決). Delegates of
/// government members vote (設置要點第七點); a recused member does not.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// 舉手 | 投票 | 記名.
    pub method: VoteMethod,
    /// 贊成 votes (for 記名: default the number of `for_members`).
    #[serde(default, rename = "for")]
    pub yes: Option<u32>,
    /// 反對 votes.
    #[serde(default)]
    pub against: Option<u32>,
    /// 棄權 votes (default 0).
    #[serde(default)]
    pub abstain: Option<u32>,
    /// 記名表決: the members (ids) who voted for, against, abstained.
    #[serde(default)]
    pub for_members: Vec<String>,
    #[serde(default)]
    pub against_members: Vec<String>,
    #[serde(default)]
    pub abstain_members: Vec<String>,
    /// 通過 | 不通過 (default: 通過 when 贊成 outnumber 反對).
    #[serde(default)]
    pub result: Option<VoteResult>,
}

impl Vote {
    /// 贊成, 反對, 棄權: as written, else counted from the roll-call names.
    pub fn counts(&self) -> [u32; 3] {
        let n = |v: &[String]| v.len() as u32;
        [
            self.yes.unwrap_or(n(&self.for_members)),
            self.against.unwrap_or(n(&self.against_members)),
            self.abstain.unwrap_or(n(&self.abstain_members)),
        ]
    }

    /// The roll-call lists by their field names: for_members, against_members, abstain_members.
    pub fn named(&self) -> [(&'static str, &Vec<String>); 3] {
        [
            ("for_members", &self.for_members),
            ("against_members", &self.against_members),
            ("abstain_members", &self.abstain_members),
        ]
    }

    /// The result as written, else 通過 when 贊成 outnumber 反對.
    pub fn outcome(&self) -> VoteResult {
        let [yes, no, _] = self.counts();
        self.result.unwrap_or(if yes > no { VoteResult::Passed } else { VoteResult::Rejected })
    }
}

impl VoteResult {
    pub fn label(self) -> &'static str {
        match self {
            VoteResult::Passed => "通過",
            VoteResult::Rejected => "不通過",
        }
    }
}
