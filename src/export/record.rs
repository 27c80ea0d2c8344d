//! The public record of one meeting (`meeting.json`, and the rows of every CSV): the
//! public edition only, 不公開 opinions left out, 不記名 speakers as 委員甲….

use std::collections::HashSet;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::build::Input;
use crate::model::{Member, MemberKind, Packet};
use crate::rules::proceedings::{self, Edition, Speakers};
use crate::rules::tracking;
use crate::text::markdown::plain;
use crate::text::zh;

/// meeting.json: the public record of one meeting, as published (public edition:
/// 不公開 opinions left out, 不記名 speakers as 委員甲…). Texts are plain text, with the
/// numbering the PDFs print (一、（一）1.（1）).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublicRecord {
    pub meeting: MeetingRecord,
    /// 報告事項, 討論事項 and 臨時動議, in order.
    pub items: Vec<ItemRecord>,
    /// Every member of the group at the meeting date and how they attended (empty before
    /// the minutes record attendance).
    pub attendance: Vec<AttendanceRecord>,
    /// 列席者 (free text).
    pub observers: Vec<String>,
    /// 委員名單: the members of the group at the meeting date.
    pub members: Vec<MemberRecord>,
    /// 上次會議決定（議）事項辦理情形: the earlier decisions this meeting reported on.
    pub tracking: Vec<TrackingRecord>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TrackingRecord {
    /// 決定（議）代號 of the earlier item, e.g. `112-2-D2`.
    pub id: String,
    /// 會議代號 of the meeting that decided it.
    pub meeting_id: String,
    pub section: String,
    pub title: String,
    /// 決定（議）, as recorded in that meeting's minutes.
    pub decision: String,
    /// 辦理情形 reported at this meeting.
    pub progress: String,
    /// 列管建議: 建議解除列管 / 建議繼續列管.
    pub advice: Option<String>,
    /// 列管結果 at this meeting: 解除列管 / 繼續列管, or 待決定 before its decision.
    pub outcome: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingRecord {
    /// 會議代號: ROC year and sequence, e.g. `113-1`.
    pub id: String,
    /// 機關.
    pub agency: String,
    /// 小組名稱.
    pub group: String,
    /// 會議名稱, e.g. 「政府資料開放諮詢小組」113 年第 1 次會議.
    pub title: String,
    /// 年度 (民國年).
    pub year: i32,
    /// 會次: 第 N 次會議.
    pub number: u32,
    /// 會議日期, YYYY-MM-DD.
    pub date: String,
    /// 開會時間, HH:MM (24-hour, Taiwan time).
    pub start: String,
    /// 散會時間, HH:MM; null while not recorded.
    pub end: Option<String>,
    /// 地點.
    pub place: String,
    /// 主席, as printed in the minutes (e.g. 陳○○召集人).
    pub chair: String,
    /// 紀錄 (the note taker).
    pub recorder: Option<String>,
    /// 逐字紀錄網址.
    pub transcript: Option<String>,
    /// 主席致詞 (default 略).
    pub opening: String,
    /// 紀錄狀態: 定稿 (final) or 草稿 (draft).
    pub status: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ItemRecord {
    /// 案件代號: meeting id, R (報告事項) / D (討論事項) / M (臨時動議) and the item's
    /// number, e.g. `113-1-D2`.
    pub id: String,
    /// 類別: 報告事項, 討論事項 or 臨時動議.
    pub section: String,
    /// 案次 within its section (1-based).
    pub number: usize,
    /// 報告單位 / 提案單位.
    pub unit: Option<String>,
    /// 案由.
    pub title: String,
    /// 說明 (plain text).
    pub explanation: String,
    /// Published opinions (發言要旨), in order.
    pub opinions: Vec<OpinionRecord>,
    /// 決定 (報告事項) or 決議.
    pub decision_label: String,
    /// 決定（議）全文 (plain text); null while not recorded.
    pub decision: Option<String>,
    /// The decision's clauses with their stable ids (`113-1-D2-1`, …).
    pub decisions: Vec<DecisionRecord>,
    /// 利益迴避: members who withdrew from the item (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recusals: Vec<RecusalRecord>,
    /// 表決, when the item was decided by vote (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<VoteRecord>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RecusalRecord {
    /// 委員代號.
    pub member_id: String,
    /// 姓名 as the minutes print it (范○○委員).
    pub name: String,
    /// 迴避事由.
    pub reason: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct VoteRecord {
    /// 表決方式: 舉手表決, 投票表決 or 記名表決.
    pub method: String,
    /// 贊成, 反對, 棄權 votes.
    pub yes: u32,
    pub against: u32,
    pub abstain: u32,
    /// 表決結果: 通過 or 不通過.
    pub result: String,
    /// 記名表決: the members (委員代號) on each side; empty otherwise.
    pub for_members: Vec<String>,
    pub against_members: Vec<String>,
    pub abstain_members: Vec<String>,
    /// The line the minutes print after 表決結果：.
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DecisionRecord {
    /// 決定（議）代號, e.g. `113-1-D2-1`.
    pub id: String,
    /// 項次 (1-based).
    pub number: usize,
    /// The clause (plain text, without its number).
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OpinionRecord {
    /// 意見代號: item id, O and the number among the item's published opinions,
    /// e.g. `113-1-D1-O2`.
    pub id: String,
    /// 序號 among the item's published opinions (1-based).
    pub number: usize,
    /// 發言者 as published: 王○○委員, 主席, 委員甲 (不記名), or an attending unit.
    pub speaker: String,
    /// 委員代號 of a named member; null for units and 不記名 members.
    pub member_id: Option<String>,
    /// 發言要旨 (plain text).
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AttendanceRecord {
    /// 委員代號.
    pub member_id: String,
    /// 姓名.
    pub name: String,
    /// 出席情形: 出席, 代理, 請假 or 缺席.
    pub status: String,
    /// 代理人 (government members only; 設置要點第七點).
    pub delegate: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MemberRecord {
    /// 委員代號 (stable across meetings).
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 職務: 召集人 or 委員.
    pub role: String,
    /// 代表類別: 機關代表 or 民間代表.
    pub kind: String,
    /// 服務機關（構）.
    pub organisation: String,
    /// 職稱.
    pub title: String,
    /// 聘期起日 (民間代表), YYYY-MM-DD.
    pub term_start: Option<String>,
    /// 聘期迄日 (民間代表), YYYY-MM-DD.
    pub term_end: Option<String>,
    /// 性別: only when the agency publishes it (group.toml `publish_gender = true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// 到任日, YYYY-MM-DD: when recorded (group.toml `appointed`, or a replacement's
    /// `term_start`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointed: Option<String>,
    /// 補聘: 委員代號 of the member whose seat this one took.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
}

/// The JSON Schema of meeting.json (`packet schema --export`).
pub(crate) fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(PublicRecord)).unwrap_or_default();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), "meeting.json：政府資料開放諮詢小組會議公開紀錄 (packet export)".into());
    }
    schema
}

pub(super) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) fn hhmm(t: chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// 會議代號, e.g. `113-1`.
pub(super) fn meeting_id(packet: &Packet) -> String {
    packet.meeting_code()
}

pub(super) fn role(m: &Member) -> &'static str {
    m.role_label()
}

pub(super) fn kind(m: &Member) -> &'static str {
    match m.kind {
        MemberKind::Government => "機關代表",
        MemberKind::Civil => "民間代表",
    }
}

/// The members of the group at the meeting: those whose term (if any) covers the
/// meeting date, and anyone the attendance names.
pub(super) fn members_at_meeting(packet: &Packet) -> Vec<&Member> {
    let date = packet.meeting.date.0;
    let listed: HashSet<&str> = packet
        .meeting
        .minutes
        .as_ref()
        .map(|m| {
            let a = &m.attendance;
            a.present.iter().chain(a.leave.iter()).chain(a.delegate.keys()).map(String::as_str).collect()
        })
        .unwrap_or_default();
    packet
        .group
        .members
        .iter()
        .filter(|m| {
            listed.contains(m.id.as_str())
                || (m.term_start.is_none_or(|s| s.0 <= date) && m.term_end.is_none_or(|e| date <= e.0))
        })
        .collect()
}

/// The public record of `input`'s meeting; `draft` when its minutes are not final.
pub fn record(input: Input, draft: bool) -> PublicRecord {
    let packet = input.packet;
    let members = members_at_meeting(packet);
    PublicRecord {
        meeting: meeting_record(packet, draft),
        items: item_records(packet),
        attendance: attendance_records(packet, &members),
        observers: packet.meeting.minutes.as_ref().map(|r| r.attendance.observers.clone()).unwrap_or_default(),
        members: members.iter().map(|x| member_record(&packet.group, x)).collect(),
        // The agenda build has already reported any error in these sources.
        // A series that did not load stopped the agenda already.
        tracking: tracking_records(input),
    }
}

/// The meeting's own row: when, where, who chaired, final or draft.
fn meeting_record(packet: &Packet, draft: bool) -> MeetingRecord {
    let g = &packet.group;
    let m = &packet.meeting;
    let minutes_rec = m.minutes.as_ref();
    let chair = proceedings::chair_id(packet)
        .and_then(|c| g.members.iter().find(|x| x.id == c))
        .map(|x| format!("{}{}", x.name, role(x)))
        .unwrap_or_default();
    MeetingRecord {
        id: meeting_id(packet),
        agency: g.agency.clone(),
        group: g.name.clone(),
        title: packet.meeting_title(),
        year: zh::roc_year(m.date.0),
        number: m.number,
        date: iso(m.date.0),
        start: minutes_rec.and_then(|r| r.start).or(m.time.known()).map(|t| hhmm(t.0)).unwrap_or_default(),
        end: minutes_rec.and_then(|r| r.end).and_then(|e| e.known()).map(|t| hhmm(t.0)),
        place: m.place.clone(),
        chair,
        recorder: minutes_rec.and_then(|r| r.recorder.clone()),
        transcript: minutes_rec.and_then(|r| r.transcript.clone()),
        opening: plain(minutes_rec.and_then(|r| r.opening.as_deref()).unwrap_or("略"), 1),
        status: if draft { "草稿" } else { "定稿" }.into(),
    }
}

/// Every item with its published opinions and its decision's clauses.
fn item_records(packet: &Packet) -> Vec<ItemRecord> {
    let id = meeting_id(packet);
    let minutes_rec = packet.meeting.minutes.as_ref();
    let ids = |list: fn(&crate::model::Minutes) -> &Vec<String>| -> HashSet<&str> {
        minutes_rec.map(|r| list(r).iter().map(String::as_str).collect()).unwrap_or_default()
    };
    let (anonymous, private) = (ids(|r| &r.anonymous), ids(|r| &r.private));
    let speakers = Speakers::new(packet, Edition::Public);
    proceedings::items(packet)
        .into_iter()
        .map(|item| {
            let item_id = format!("{id}-{}{}", item.section.letter(), item.index + 1);
            let mut opinions = Vec::new();
            for op in item.opinions {
                // None: a 不公開 opinion, left out of everything published.
                let Some(speaker) = speakers.name(op) else {
                    continue;
                };
                let member_id = op
                    .member
                    .as_deref()
                    .filter(|id| {
                        *id != crate::model::UNNAMED_MEMBER && !anonymous.contains(id) && !private.contains(id)
                    })
                    .map(str::to_string);
                let n = opinions.len() + 1;
                opinions.push(OpinionRecord {
                    id: format!("{item_id}-O{n}"),
                    number: n,
                    speaker,
                    member_id,
                    text: plain(&op.text, 3),
                });
            }
            let decisions = proceedings::decision_clauses(packet, &item)
                .into_iter()
                .enumerate()
                .map(|(i, c)| DecisionRecord { id: c.id, number: i + 1, text: plain(&c.text, 4) })
                .collect();
            ItemRecord {
                section: item.section.label().into(),
                number: item.index + 1,
                unit: match item.proposer {
                    Some(id) => speakers.member(id),
                    None => item.unit.map(str::to_string),
                }
                .filter(|u| !u.trim().is_empty()),
                title: item.title.trim().to_string(),
                explanation: plain(item.explanation, 1),
                opinions,
                decision_label: item.section.decision_label().into(),
                decision: item.decision.map(|d| plain(d, 3)).filter(|d| !d.is_empty()),
                decisions,
                recusals: item
                    .recusals
                    .iter()
                    .map(|r| RecusalRecord {
                        member_id: r.member.clone(),
                        name: proceedings::member_label(packet, &r.member),
                        reason: r.reason.trim().to_string(),
                    })
                    .collect(),
                vote: item.vote.map(|v| vote_record(packet, v)),
                id: item_id,
            }
        })
        .collect()
}

fn vote_record(packet: &Packet, v: &crate::model::Vote) -> VoteRecord {
    let [yes, against, abstain] = v.counts();
    VoteRecord {
        method: v.method.label().into(),
        yes,
        against,
        abstain,
        result: v.outcome().label().into(),
        for_members: v.for_members.clone(),
        against_members: v.against_members.clone(),
        abstain_members: v.abstain_members.clone(),
        text: proceedings::vote_text(packet, v),
    }
}

/// How each member of the group at the meeting attended; empty before the minutes
/// record attendance.
fn attendance_records(packet: &Packet, members: &[&Member]) -> Vec<AttendanceRecord> {
    let Some(r) = &packet.meeting.minutes else {
        return Vec::new();
    };
    let a = &r.attendance;
    members
        .iter()
        .map(|x| {
            let (status, delegate) = if a.present.contains(&x.id) {
                ("出席", None)
            } else if let Some(d) = a.delegate.get(&x.id) {
                ("代理", Some(d.clone()))
            } else if a.leave.contains(&x.id) {
                ("請假", None)
            } else if a.roll == crate::model::Roll::Partial {
                // The record names only some members: not listed is not absent.
                ("未記錄", None)
            } else {
                ("缺席", None)
            };
            AttendanceRecord { member_id: x.id.clone(), name: x.name.clone(), status: status.into(), delegate }
        })
        .collect()
}

/// One row of the member list; 性別 only when the group publishes it.
fn member_record(g: &crate::model::Group, x: &Member) -> MemberRecord {
    MemberRecord {
        id: x.id.clone(),
        name: x.name.clone(),
        role: role(x).into(),
        kind: kind(x).into(),
        organisation: x.organisation.clone(),
        title: x.title.clone(),
        term_start: x.term_start.map(|d| iso(d.0)),
        term_end: x.term_end.map(|d| iso(d.0)),
        gender: g.publish_gender.then(|| x.gender.label().to_string()),
        appointed: x.seated_from().map(|d| iso(d.0)),
        replaces: x.replaces.clone(),
    }
}

/// tracking.csv: the rows of the meeting's 辦理情形 tables, generated from the series or
/// written by hand (`[[report.tracking]]`): every row printed is exported, as the agenda
/// and minutes have them. 列管結果 is the meeting's ruling, else 待決定 (not decided yet,
/// or decided without a ruling on the row: the decision stays 列管).
fn tracking_records(input: Input) -> Vec<TrackingRecord> {
    let packet = input.packet;
    let g = &packet.group;
    // The agenda build has already reported any error in these sources.
    let series = match input.series {
        Some(Ok(s)) => Some(s),
        Some(Err(_)) => return Vec::new(),
        None => None,
    };
    let rows = tracking::table_for(packet, series).ok().flatten().map(|(rows, _)| rows).unwrap_or_default();
    rows.into_iter()
        .map(|r| TrackingRecord {
            meeting_id: r.decided_at,
            section: r.section.label().to_string(),
            title: if r.hand { r.title.trim().to_string() } else { r.title },
            decision: if r.hand { plain(&r.decision, 3) } else { r.decision.trim().to_string() },
            progress: if r.hand { plain(&r.status, 3) } else { r.status.trim().to_string() },
            advice: r.advice,
            outcome: match (&r.merged_into, r.outcome) {
                (Some(target), _) => format!("併入 {target}"),
                _ if !r.split_into.is_empty() => format!("分列 {}", r.split_into.join("、")),
                (None, Some(o)) => tracking::outcome_words(g, o),
                (None, None) => "待決定".to_string(),
            },
            id: r.id,
        })
        .collect()
}
