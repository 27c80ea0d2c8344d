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
    /// How meetings are numbered: `yearly` (default: 113 年第 1 次, the count restarts each
    /// ROC year), `continuous` (第 5、6、7 次, straight through; no year in the title) or
    /// `term` (第 3 屆第 2 次: meeting.toml `term`; ids `3-2-D1`, folders `3-2/`).
    #[serde(default)]
    pub numbering: Numbering,
    /// The meeting's title as printed on the cover, the minutes and the metadata, with
    /// `{機關}` `{小組}` `{年}` `{屆}` `{次}` filled in. Default `「{小組}」{年} 年第 {次} 次會議`
    /// (`「{小組}」第 {次} 次會議` when numbered straight through, `「{小組}」第 {屆} 屆第 {次}
    /// 次會議` by term). Without `{機關}` the agenda
    /// prints the agency above the title and the minutes put it before the title.
    #[serde(default)]
    pub title: Option<String>,
    /// `[notice]`: what every 開會通知單 of the series prints (address, 列席者, 副本, 備註).
    #[serde(default)]
    pub notice: super::GroupNotice,
    /// `[tracking]`: how the 上次會議決定（議）事項辦理情形 table looks.
    #[serde(default)]
    pub tracking: TrackingStyle,
    /// 委員, the convener included (`role = "召集人"`).
    #[serde(rename = "member")]
    pub members: Vec<Member>,
    /// Members of group.toml not seated on the meeting's date (not yet appointed, left, or
    /// replaced), with why: filled by [`Group::as_of`]; `members` holds the seated ones.
    #[serde(skip)]
    pub unseated: Vec<super::Unseated>,
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
    /// 資料集上架日期 (publishedDate): when the dataset was first listed on the platform
    /// (default, with a warning: the date of the export's latest meeting).
    #[serde(default)]
    pub listed: Option<Date>,
    /// 服務分類 (categoryService) as the platform codes it: 100–900, A00–I00 (default I00,
    /// 公共資訊).
    #[serde(default)]
    pub category: Option<String>,
    /// 資料集分類 (categoryDataset) on the platform, if the agency has been given one.
    #[serde(default)]
    pub category_dataset: Option<String>,
    /// The agency's OID (publisherOID), e.g. `2.16.886.101.20003`; the metadata writes it
    /// as the platform does, `OID|機關名稱`.
    #[serde(default)]
    pub publisher_oid: Option<String>,
    /// Where the agency hosts the bundle's files (the platform links to agency URLs): every
    /// download URL and every link of the index is this address and the file's name.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The legal basis in 資料集描述 (default 依「政府資料開放諮詢小組設置要點」第九點及第十二點公開).
    #[serde(default)]
    pub legal_basis: Option<String>,
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
    /// 紀錄草稿修正意見：送達後 N 個工作日內回復 (default: `draft_minutes_days`, i.e. 10;
    /// DGBAS 8). A meeting's `[corrections] deadline` overrides it.
    #[serde(default)]
    pub correction_days: Option<u32>,
    /// 公開於政府資料開放平臺：會後 N 個工作日內 (default 14).
    #[serde(default)]
    pub publication_days: Option<u32>,
    /// Print a 列管建議 column (建議解除列管 / 建議繼續列管) in tracking tables.
    #[serde(default)]
    pub tracking_advice: bool,
    /// Which rules `packet check` applies to composition and quorum: `default`
    /// (政府資料開放諮詢小組設置要點 / 運作指引), `own` (the numbers of `[rules.own]`), or
    /// `none` (no composition, term or quorum checks).
    #[serde(default)]
    pub set: RuleSet,
    /// `[rules.own]`: the group's own 設置要點, for `set = "own"`.
    #[serde(default)]
    pub own: Option<OwnRules>,
}

impl Rules {
    /// The series' day counts over the guideline's 5 / 10 / 14.
    pub fn deadline_rules(&self) -> super::calendar::DeadlineRules {
        let d = super::calendar::DeadlineRules::default();
        super::calendar::DeadlineRules {
            materials_days: self.materials_days.unwrap_or(d.materials_days),
            draft_minutes_days: self.draft_minutes_days.unwrap_or(d.draft_minutes_days),
            publication_days: self.publication_days.unwrap_or(d.publication_days),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleSet {
    #[default]
    Default,
    Own,
    None,
}

/// The numbers of a group's own 設置要點 (`[rules.own]`), each cited as `citation`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnRules {
    /// Printed after every finding, e.g. 示範部資料開放諮詢小組設置要點.
    pub citation: String,
    /// Members present for a quorum, as a fraction of all members: "1/2" (at least half).
    #[serde(default)]
    pub quorum: Option<String>,
    /// Civil members present in person, at least.
    #[serde(default)]
    pub civil_present: Option<usize>,
    /// Members (conveners included), at least.
    #[serde(default)]
    pub min_members: Option<usize>,
    /// Civil members as a fraction of all members, at least: "1/3".
    #[serde(default)]
    pub civil_share: Option<String>,
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
    /// `召集人`, `共同召集人` or `副召集人`; none for a member.
    #[serde(default)]
    pub role: Option<Role>,
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
    /// Changes of role, title, organisation or kind, each from its date (`[[member.change]]`):
    /// a meeting sees the member as they stood on its date.
    #[serde(default, rename = "change")]
    pub changes: Vec<super::MemberChange>,
    /// 到任日: a member from this date on; a meeting before it does not count them (default:
    /// a member all along, or when `replaces` is given, from `term_start`).
    #[serde(default)]
    pub appointed: Option<Date>,
    /// 補聘: the id of the member whose seat this one takes from `appointed` on (that member
    /// sits until the day before). A civil replacement serves the rest of that term.
    #[serde(default)]
    pub replaces: Option<String>,
    /// 離任日 (出缺、解聘、辭職): no longer a member from this date on.
    #[serde(default)]
    pub left: Option<Date>,
    /// Position in group.toml (`member[i]`), for messages about the member.
    #[serde(skip)]
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum MemberKind {
    #[serde(rename = "機關代表")]
    Government,
    #[serde(rename = "民間代表")]
    Civil,
}

/// 性別 as registered: 男, 女, 無 (none on record), or 不公開 (not to be published).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Gender {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
    #[serde(rename = "無")]
    None,
    #[serde(rename = "不公開")]
    Undisclosed,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
            Gender::None => "無",
            Gender::Undisclosed => "不公開",
        }
    }
}

/// 職務 in the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Role {
    #[serde(rename = "召集人")]
    Convener,
    /// Convenes jointly with another; not a second 召集人.
    #[serde(rename = "共同召集人")]
    CoConvener,
    #[serde(rename = "副召集人")]
    Deputy,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Convener => "召集人",
            Role::CoConvener => "共同召集人",
            Role::Deputy => "副召集人",
        }
    }
}

impl Member {
    /// 召集人 / 共同召集人 / 副召集人 / 委員: how the member is named in print and export.
    pub fn role_label(&self) -> &'static str {
        self.role.map_or("委員", Role::label)
    }
}

/// `numbering` in group.toml.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Numbering {
    /// 113 年第 1 次: the count restarts each ROC year.
    #[default]
    Yearly,
    /// 第 5、6、7 次: straight through.
    Continuous,
    /// 第 3 屆第 2 次: counted within each term (屆, meeting.toml `term`), restarting at 1.
    Term,
}

/// `[tracking]` in group.toml: the shape of the 上次會議決定（議）事項辦理情形 table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackingStyle {
    /// `grouped` (default: rows under 壹、報告事項 / 貳、討論事項 …) or `numbered` (one list
    /// 一、二、… in the order written, with a 編號 column).
    #[serde(default)]
    pub style: TableStyle,
    /// The word for keeping a row (default 繼續列管; e.g. 持續列管). The 列管建議 column
    /// prints 建議 + the word.
    #[serde(default = "keep_word")]
    pub keep: String,
    /// The word for closing a row (default 解除列管).
    #[serde(default = "close_word")]
    pub close: String,
    /// Whether the previous meeting's own 辦理情形 item (its 洽悉) is a row of the next
    /// table (default true, as DGBAS prints it). With false, an item with `track = true`
    /// or `[[…tracking]]` rows never becomes a decision to track.
    #[serde(default = "yes")]
    pub list_own_item: bool,
    /// `item` (default: one row per item, its decision whole) or `clause` (an item decided
    /// in numbered clauses is one row per clause: ids `113-1-D2-1`, `113-1-D2-2`).
    #[serde(default)]
    pub per: TrackingUnit,
    /// Whether an item decided only 「洽悉」 is a row of the next table (default true).
    #[serde(default = "yes")]
    pub list_noted: bool,
    /// The tracking item's 案由 as the group words it, which `packet new` writes (default:
    /// the last meeting's tracking item, else 上次會議決定（議）事項辦理情形，報請鑒察。).
    #[serde(default)]
    pub item_title: Option<String>,
}

/// What one row of the tracking table is: an item, or each clause of its decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TrackingUnit {
    #[default]
    Item,
    Clause,
}

impl Default for TrackingStyle {
    fn default() -> Self {
        TrackingStyle {
            style: TableStyle::Grouped,
            keep: keep_word(),
            close: close_word(),
            list_own_item: true,
            per: TrackingUnit::Item,
            list_noted: true,
            item_title: None,
        }
    }
}

fn keep_word() -> String {
    "繼續列管".into()
}
fn close_word() -> String {
    "解除列管".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TableStyle {
    #[default]
    Grouped,
    Numbered,
}
