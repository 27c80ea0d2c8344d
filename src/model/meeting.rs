//! `meeting.toml`: one meeting's agenda and, filled in afterwards, its record.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, MeetingTime, Time};

/// One meeting: `packets/<series>/<meeting>/meeting.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// 民國年 of the sequence (must match the date's ROC year).
    #[serde(default)]
    pub year: Option<i32>,
    /// 第 N 次會議.
    pub number: u32,
    /// 第 N 屆: the term the meeting belongs to, when group.toml numbers by term
    /// (`numbering = "term"`; required there, refused elsewhere).
    #[serde(default)]
    pub term: Option<u32>,
    pub date: Date,
    /// Start time, 24-hour `14:30`, or `"未記錄"` when the record does not give it.
    pub time: MeetingTime,
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
    /// `[notice]`: what the 開會通知單 (`packet notice`) prints besides the meeting's facts.
    #[serde(default)]
    pub notice: super::MeetingNotice,
    /// The correction round of the draft minutes (kept in the series, never published).
    #[serde(default)]
    pub corrections: Option<super::Corrections>,
}

/// `[dates]` in meeting.toml: when each document actually went out (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingDates {
    /// 開會通知單的發文日期 (printed on the notice; due with the materials, by the 5th
    /// working day before the meeting).
    #[serde(default)]
    pub notice_sent: Option<Date>,
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
    /// 散會 time, or `"未記錄"` when the record does not give it; the minutes stay a draft
    /// until one of the two is written.
    #[serde(default)]
    pub end: Option<MeetingTime>,
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

/// Attendance by member id; members listed nowhere were absent (缺席), unless the record
/// is partial (`roll = "partial"`): then their attendance is unknown (未記錄).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// `complete` (default: the roll names everyone; not listed = absent) or `partial` (the
    /// record names only some of those present; not listed = unknown).
    #[serde(default)]
    pub roll: Roll,
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

/// Whether the attendance record names every member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Roll {
    #[default]
    Complete,
    Partial,
}

/// `member = "委員"`: a member the record names only as 「委員」 (printed so, with no
/// 委員代號 in the export), never an id of group.toml.
pub const UNNAMED_MEMBER: &str = "委員";

/// One speaker's opinion: a member (by id) or an attending unit (free text).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    /// A member id, or 「委員」 for a member the record does not name.
    #[serde(default)]
    pub member: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    /// What was said (Markdown).
    pub text: String,
}

impl Opinion {
    /// No speaker and no text (新增意見 pressed and left): printed nowhere, said by the check.
    pub fn is_empty(&self) -> bool {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        blank(&self.member) && blank(&self.unit) && self.text.trim().is_empty()
    }
}

/// 臨時動議.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Motion {
    /// 提案單位 or proposer, as written.
    #[serde(default)]
    pub unit: Option<String>,
    /// The member who moved it (member id): printed 提案人, named as the edition names
    /// speakers (不記名, 不公開 and the chair as in the opinions). Instead of `unit`.
    #[serde(default)]
    pub member: Option<String>,
    /// 案由.
    pub title: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default, rename = "opinion")]
    pub opinions: Vec<Opinion>,
    /// 利益迴避: members who withdrew from this item.
    #[serde(default, rename = "recusal")]
    pub recusals: Vec<super::Recusal>,
    /// 表決: the item was decided by vote.
    #[serde(default)]
    pub vote: Option<super::Vote>,
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
    /// 利益迴避: members who withdrew from this item.
    #[serde(default, rename = "recusal")]
    pub recusals: Vec<super::Recusal>,
    /// 表決: the item was decided by vote.
    #[serde(default)]
    pub vote: Option<super::Vote>,
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
    /// 併入: the meeting merged this decision into another open one (its id), which
    /// carries on; this one is tracked no more.
    #[serde(default)]
    pub merged_into: Option<String>,
    /// 分列: the meeting split this decision into new ones (each its 決定 text), tracked
    /// from here as `<id>-S1`, `<id>-S2`, …; this one is tracked no more.
    #[serde(default)]
    pub split: Vec<String>,
}

/// 列管: keep tracking a decision or close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Tracking {
    #[serde(rename = "解除列管")]
    Close,
    /// 持續列管 is the same decision in another group's words.
    #[serde(rename = "繼續列管", alias = "持續列管")]
    Keep,
}

/// Written by hand: the derived schema leaves out serde's alias 持續列管, so an editor
/// would underline a value packet accepts.
impl JsonSchema for Tracking {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tracking".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "列管：解除列管 | 繼續列管（或 持續列管）",
            "type": "string",
            "enum": ["解除列管", "繼續列管", "持續列管"]
        })
    }
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
    #[serde(rename = "臨時動議")]
    Motion,
}

impl Section {
    pub fn label(self) -> &'static str {
        ItemSection::from_section(self).label()
    }
}

/// Where an item stands in the meeting: its section, 臨時動議 included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ItemSection {
    Report,
    Discussion,
    Motion,
}

impl ItemSection {
    /// Letter used in decision ids: R(eport), D(iscussion), M(otion).
    pub fn letter(self) -> char {
        match self {
            ItemSection::Report => 'R',
            ItemSection::Discussion => 'D',
            ItemSection::Motion => 'M',
        }
    }

    /// 報告事項 / 討論事項 / 臨時動議.
    pub fn label(self) -> &'static str {
        match self {
            ItemSection::Report => "報告事項",
            ItemSection::Discussion => "討論事項",
            ItemSection::Motion => "臨時動議",
        }
    }

    /// 報告單位 for a report, 提案單位 otherwise.
    pub(crate) fn unit_label(self) -> &'static str {
        match self {
            ItemSection::Report => "報告單位",
            _ => "提案單位",
        }
    }

    /// 決定 for a report, 決議 otherwise.
    pub(crate) fn decision_label(self) -> &'static str {
        match self {
            ItemSection::Report => "決定",
            _ => "決議",
        }
    }

    pub(crate) fn from_section(s: Section) -> Self {
        match s {
            Section::Report => ItemSection::Report,
            Section::Discussion => ItemSection::Discussion,
            Section::Motion => ItemSection::Motion,
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
    /// The earlier decision's id if known (`6-D1`, `112-2-D2`), for tracking.csv; default
    /// `<this meeting>-T<n>` (row n of this meeting's table).
    #[serde(default)]
    pub id: Option<String>,
    /// 列管建議.
    #[serde(default)]
    pub advice: Option<Tracking>,
    /// What the meeting decided for the row, when it differs from the advice.
    #[serde(default)]
    pub result: Option<Tracking>,
    /// 併入: the meeting merged this decision into another open one (its id).
    #[serde(default)]
    pub merged_into: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// 附件1, 附件2 … (default: 附件N, or 附件 when the item has one).
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// Path relative to meeting.toml: `.md`, `.csv`, `.xlsx` / `.ods`, an image (`.png`, `.jpg`, `.svg`), `.pdf`,
    /// or a Word / ODF document (`.docx` `.doc` `.odt` `.rtf` `.pptx` `.odp`, converted by LibreOffice).
    pub file: String,
    /// `slides`: a Markdown file whose `##` sections are slides; `inventory`: a table that
    /// is the 資料盤點表.
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
    /// `.xlsx` / `.ods`: the sheet (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// `.xlsx` / `.ods`: the cells to print, in A1 notation (`A1:F30`; default: every used cell).
    #[serde(default)]
    pub range: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentStyle {
    Slides,
    /// A `.csv` / `.xlsx` / `.ods` table that is the 資料盤點表: each row classified 甲, 乙 or
    /// 丙 (乙 and 丙 with a reason); the public edition leaves out the 丙 rows.
    Inventory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}
