//! The proceedings as the minutes (會議紀錄) record them: who attended, who said what
//! (respecting 不記名 / 不公開 declarations), what was decided, and whether the record is
//! complete enough for a final edition. Not a document: `render::minutes` and
//! `odf::minutes` print the minutes from it, `export::record` publishes it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{ItemSection, Member, MemberKind, Minutes, Opinion, Packet, Recusal, UNNAMED_MEMBER, Vote};
use crate::text::markdown;

/// Which edition of the minutes to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// For publication: 不公開 opinions left out entirely, 不記名 speakers as 委員甲….
    Public,
    /// For the agency's file: keeps 不公開 opinions, marked 內部 on every page.
    Internal,
}

const STEMS: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];

/// 委員甲 … 委員癸, then 委員甲1 … for very long meetings.
fn anonymous_name(n: usize) -> String {
    let stem = STEMS[n % STEMS.len()];
    match n / STEMS.len() {
        0 => format!("委員{stem}"),
        round => format!("委員{stem}{round}"),
    }
}

/// Every item of the meeting in order, with its section and field path:
/// reports, discussions, then 臨時動議.
pub struct ItemRef<'a> {
    pub section: ItemSection,
    /// 0-based index within its section.
    pub index: usize,
    pub field: String,
    pub title: &'a str,
    pub unit: Option<&'a str>,
    /// A 臨時動議's proposer (member id), when the record names one.
    pub proposer: Option<&'a str>,
    pub explanation: &'a str,
    pub opinions: &'a [Opinion],
    pub decision: Option<&'a str>,
    /// 利益迴避 at this item.
    pub recusals: &'a [Recusal],
    /// 表決, when the item was decided by vote.
    pub vote: Option<&'a Vote>,
}

pub fn items(packet: &Packet) -> Vec<ItemRef<'_>> {
    let m = &packet.meeting;
    let mut out = Vec::new();
    for (section, key, list) in
        [(ItemSection::Report, "report", &m.reports), (ItemSection::Discussion, "discussion", &m.discussions)]
    {
        for (i, it) in list.iter().enumerate() {
            out.push(ItemRef {
                section,
                index: i,
                field: format!("{key}[{i}]"),
                title: &it.title,
                unit: Some(&it.unit),
                proposer: None,
                explanation: &it.explanation,
                opinions: &it.opinions,
                decision: it.decision.as_deref(),
                recusals: &it.recusals,
                vote: it.vote.as_ref(),
            });
        }
    }
    if let Some(minutes) = &m.minutes {
        for (i, mo) in minutes.motion.iter().enumerate() {
            out.push(ItemRef {
                section: ItemSection::Motion,
                index: i,
                field: format!("minutes.motion[{i}]"),
                title: &mo.title,
                unit: mo.unit.as_deref(),
                proposer: mo.member.as_deref(),
                explanation: &mo.explanation,
                opinions: &mo.opinions,
                decision: mo.decision.as_deref(),
                recusals: &mo.recusals,
                vote: mo.vote.as_ref(),
            });
        }
    }
    out
}

/// A decision clause with its stable id, e.g. `113-1-D2-1`.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionClause {
    pub id: String,
    /// The clause's Markdown, without its list marker.
    pub text: String,
}

/// Decision clauses of an item: one per entry of a top-level ordered list, else one.
pub fn decision_clauses(packet: &Packet, item: &ItemRef) -> Vec<DecisionClause> {
    let Some(decision) = item.decision else { return Vec::new() };
    let prefix = format!("{}-{}{}", packet.meeting_code(), item.section.letter(), item.index + 1);
    markdown::ordered_clauses(decision)
        .into_iter()
        .enumerate()
        .map(|(i, text)| DecisionClause { id: format!("{prefix}-{}", i + 1), text })
        .collect()
}

/// Problems in the minutes record that make it unusable (exit 2): unknown or repeated
/// member ids, delegates for civil members, speakers without a name.
pub(crate) fn record_errors(packet: &Packet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(minutes) = &packet.meeting.minutes else { return out };
    let src = &packet.meeting_src;
    let members: HashMap<&str, &Member> = packet.group.members.iter().map(|m| (m.id.as_str(), m)).collect();
    let known = |field: &str, id: &str, out: &mut Vec<Diagnostic>| -> bool {
        if members.contains_key(id) {
            return true;
        }
        // In group.toml but not seated that day (補聘, 離任, not yet appointed).
        if let Some(why) = packet.group.why_unseated(id) {
            out.push(src.error_at(field, format!("委員代號「{id}」不是本次會議時的委員：{why}")));
            return false;
        }
        let mut near: Vec<&str> = members.keys().copied().filter(|k| similar(k, id)).collect();
        near.sort();
        let hint = if near.is_empty() { String::new() } else { format!("（是否為 {}？）", near.join("、")) };
        out.push(src.error_at(field, format!("委員代號「{id}」不在委員名冊中{hint}")));
        false
    };
    let a = &minutes.attendance;
    let mut seen: HashSet<&str> = HashSet::new();
    for (key, ids) in [("present", &a.present), ("leave", &a.leave)] {
        for (i, id) in ids.iter().enumerate() {
            let field = format!("minutes.attendance.{key}[{i}]");
            if known(&field, id, &mut out) && !seen.insert(id) {
                out.push(src.error_at(&field, format!("委員「{id}」在出席紀錄中重複出現")));
            }
        }
    }
    for (id, delegate) in &a.delegate {
        let field = format!("minutes.attendance.delegate.{id}");
        if !known(&field, id, &mut out) {
            continue;
        }
        if !seen.insert(id) {
            out.push(src.error_at(&field, format!("委員「{id}」在出席紀錄中重複出現")));
        }
        let member = members[id.as_str()];
        if member.kind == MemberKind::Civil {
            out.push(src.error_at(
                &field,
                format!(
                    "{}委員為民間代表，應親自出席，不得由「{delegate}」代理（設置要點第七點：僅代表政府機關出任之委員得指派代表出席）",
                    member.name
                ),
            ));
        }
    }
    for (key, ids) in [("anonymous", &minutes.anonymous), ("private", &minutes.private)] {
        for (i, id) in ids.iter().enumerate() {
            known(&format!("minutes.{key}[{i}]"), id, &mut out);
        }
    }
    if let Some(chair) = &minutes.chair {
        known("minutes.chair", chair, &mut out);
    }
    for (i, mo) in minutes.motion.iter().enumerate() {
        let field = format!("minutes.motion[{i}]");
        if let Some(id) = &mo.member {
            if id != UNNAMED_MEMBER {
                known(&format!("{field}.member"), id, &mut out);
            }
            if mo.unit.is_some() {
                out.push(src.error_at(
                    &format!("{field}.member"),
                    format!("臨時動議第{}案同時選了提案委員又填了提案單位：請擇一", crate::text::zh::numeral(i + 1)),
                ));
            }
        }
    }
    for item in items(packet) {
        for (j, r) in item.recusals.iter().enumerate() {
            known(&format!("{}.recusal[{j}].member", item.field), &r.member, &mut out);
        }
        for (key, ids) in item.vote.iter().flat_map(|v| v.named()) {
            for (j, id) in ids.iter().enumerate() {
                known(&format!("{}.vote.{key}[{j}]", item.field), id, &mut out);
            }
        }
        for (j, op) in item.opinions.iter().enumerate() {
            // An empty one is left out of print (a warning of the check).
            if op.is_empty() {
                continue;
            }
            let field = format!("{}.opinion[{j}]", item.field);
            match speaker_of(op, || opinion_place(&item, j)) {
                Ok(Some(id)) => {
                    known(&format!("{field}.member"), id, &mut out);
                }
                Ok(None) => {}
                Err((key, msg)) => out.push(src.error_at(&format!("{field}{key}"), msg)),
            }
        }
    }
    out
}

/// The member id a written opinion names (`None`: a unit, or 「委員」 unnamed), or what is
/// wrong with its speaker in words, with the field key it belongs to.
fn speaker_of(op: &Opinion, place: impl Fn() -> String) -> Result<Option<&str>, (&'static str, String)> {
    fn given(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !s.trim().is_empty())
    }
    match (given(&op.member), given(&op.unit)) {
        (Some(id), None) if id == UNNAMED_MEMBER => Ok(None),
        (Some(id), None) => Ok(Some(id)),
        (None, Some(_)) => Ok(None),
        (Some(_), Some(_)) => Err(("", format!("{}同時選了委員又填了發言單位：請擇一", place()))),
        (None, None) => Err((".member", format!("{}沒有發言者：請選發言的委員，或填寫發言單位", place()))),
    }
}

/// Where an opinion is, in the secretary's words: 報告事項第二案第 1 則意見.
pub(crate) fn opinion_place(item: &ItemRef, j: usize) -> String {
    format!("{}第{}案第 {} 則意見", item.section.label(), crate::text::zh::numeral(item.index + 1), j + 1)
}

/// Edit distance ≤ 2, for "did you mean" hints.
fn similar(a: &str, b: &str) -> bool {
    strsim::levenshtein(a, b) <= 2
}

/// What a final edition still lacks: the end time, the end of an open correction round
/// (紀錄定稿之日) and every item's decision.
pub fn missing(packet: &Packet) -> Vec<Diagnostic> {
    let src = &packet.meeting_src;
    let mut out = Vec::new();
    match &packet.meeting.minutes {
        None => out.push(src.error_at("minutes", "尚未填寫會議紀錄（出席情形、散會時間等）")),
        Some(m) if m.end.is_none() => out.push(src.error_at("minutes.end", "尚未填寫散會時間")),
        Some(_) => {}
    }
    out.extend(crate::rules::corrections::still_open(packet, crate::model::today()));
    for item in items(packet) {
        // A decision that prints nothing (`---`, only spaces) is not recorded either.
        if item.decision.is_none_or(markdown::is_blank) {
            out.push(src.error_at(
                &format!("{}.decision", item.field),
                format!("尚未填寫{}：{}", item.section.decision_label(), item.title),
            ));
        }
    }
    out
}

/// How a speaker is printed in one edition; `None` leaves the opinion out.
pub struct Speakers<'a> {
    members: HashMap<&'a str, &'a Member>,
    chair: Option<&'a str>,
    anonymous: HashSet<&'a str>,
    private: HashSet<&'a str>,
    letters: HashMap<&'a str, String>,
    edition: Edition,
}

impl<'a> Speakers<'a> {
    pub fn new(packet: &'a Packet, edition: Edition) -> Self {
        let minutes: Option<&Minutes> = packet.meeting.minutes.as_ref();
        let anonymous: HashSet<&str> =
            minutes.map(|m| m.anonymous.iter().map(String::as_str).collect()).unwrap_or_default();
        let private: HashSet<&str> =
            minutes.map(|m| m.private.iter().map(String::as_str).collect()).unwrap_or_default();
        // Letters in order of first speech over the whole meeting, stable per meeting.
        let mut letters = HashMap::new();
        for item in items(packet) {
            for op in item.opinions {
                if let Some(id) = op.member.as_deref()
                    && anonymous.contains(id)
                    && !private.contains(id)
                    && !letters.contains_key(id)
                {
                    letters.insert(id, anonymous_name(letters.len()));
                }
            }
        }
        Speakers {
            members: packet.group.members.iter().map(|m| (m.id.as_str(), m)).collect(),
            chair: chair_id(packet),
            anonymous,
            private,
            letters,
            edition,
        }
    }

    pub fn name(&self, op: &Opinion) -> Option<String> {
        if op.is_empty() {
            return None;
        }
        match op.member.as_deref().filter(|id| !id.trim().is_empty()) {
            Some(id) => self.member(id),
            None => op.unit.clone(),
        }
    }

    /// A member as this edition names them; `None` leaves them out.
    pub fn member(&self, id: &str) -> Option<String> {
        if id == UNNAMED_MEMBER {
            return Some(id.to_string());
        }
        let member = self.members.get(id)?;
        if self.private.contains(id) {
            return match self.edition {
                Edition::Public => None,
                Edition::Internal => Some(format!("{}委員（不公開）", member.name)),
            };
        }
        if self.anonymous.contains(id) {
            return self.letters.get(id).cloned();
        }
        if Some(id) == self.chair {
            return Some("主席".into());
        }
        Some(format!("{}委員", member.name))
    }
}

pub(crate) fn chair_id(packet: &Packet) -> Option<&str> {
    packet.meeting.minutes.as_ref().and_then(|m| m.chair.as_deref()).or(packet.meeting.chair.as_deref())
}

/// `王○○委員`, or `王○○委員（李○○代）` for a delegate.
pub(crate) fn attendance_lists(packet: &Packet) -> (Vec<String>, Vec<String>, Vec<String>) {
    let Some(minutes) = &packet.meeting.minutes else { return Default::default() };
    let a = &minutes.attendance;
    let mut present = Vec::new();
    let mut leave = Vec::new();
    for m in &packet.group.members {
        let title = m.role_label();
        if a.present.contains(&m.id) {
            present.push(format!("{}{title}", m.name));
        } else if let Some(d) = a.delegate.get(&m.id) {
            present.push(format!("{}{title}（{d}代）", m.name));
        } else if a.leave.contains(&m.id) {
            leave.push(format!("{}{title}", m.name));
        }
    }
    (present, a.observers.clone(), leave)
}

/// Where a meeting stands, as its record says: each state follows from what is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingState {
    /// Only the agenda: no `[minutes]`, no date the materials went out.
    Planned,
    /// The materials went out (`[dates] materials_sent`); not held yet on record.
    AgendaOut,
    /// `[minutes]` recorded, but the final edition still lacks something ([`missing`]).
    Draft,
    /// The minutes are complete.
    Final,
    /// Published (`[dates] published`), its minutes complete.
    Published,
}

impl MeetingState {
    pub fn of(packet: &Packet) -> MeetingState {
        let m = &packet.meeting;
        match (&m.minutes, missing(packet).is_empty(), m.dates.published) {
            (None, _, _) if m.dates.materials_sent.is_some() => MeetingState::AgendaOut,
            (None, _, _) => MeetingState::Planned,
            (Some(_), false, _) => MeetingState::Draft,
            (Some(_), true, Some(_)) => MeetingState::Published,
            (Some(_), true, None) => MeetingState::Final,
        }
    }

    /// Whether the meeting was held, on record (its minutes begun).
    pub fn held(self) -> bool {
        !matches!(self, MeetingState::Planned | MeetingState::AgendaOut)
    }

    pub fn label(self) -> &'static str {
        match self {
            MeetingState::Planned => "已排定（僅議程）",
            MeetingState::AgendaOut => "議程已送出",
            MeetingState::Draft => "紀錄草稿",
            MeetingState::Final => "紀錄定稿",
            MeetingState::Published => "已公開",
        }
    }
}

/// A member as the minutes print a recusal: 范○○委員.
pub fn member_label(packet: &Packet, id: &str) -> String {
    packet
        .group
        .members
        .iter()
        .find(|m| m.id == id)
        .map_or_else(|| id.to_string(), |m| format!("{}{}", m.name, m.role_label()))
}

/// 利益迴避 at an item, as the minutes print it after 利益迴避：
/// 「范○○委員（擔任本案受託廠商之顧問）迴避，未參與本案討論及表決。」
pub fn recusal_text(packet: &Packet, recusals: &[Recusal]) -> String {
    if recusals.is_empty() {
        return String::new();
    }
    let who: Vec<String> =
        recusals.iter().map(|r| format!("{}（{}）", member_label(packet, &r.member), r.reason.trim())).collect();
    format!("{}迴避，未參與本案討論及表決。", who.join("、"))
}

/// 表決 as the minutes print it after 表決結果：(文書處理手冊 practice)
/// 「舉手表決，贊成 5 票、反對 1 票、棄權 0 票，本案通過。」; a roll-call vote names each
/// side's members after its count.
pub fn vote_text(packet: &Packet, vote: &Vote) -> String {
    let [yes, no, abstain] = vote.counts();
    let names = |ids: &[String]| -> String {
        if vote.method != crate::model::VoteMethod::RollCall || ids.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = ids
            .iter()
            .map(|id| packet.group.members.iter().find(|m| &m.id == id).map_or(id.as_str(), |m| &m.name))
            .collect();
        format!("（{}）", names.join("、"))
    };
    format!(
        "{}，贊成 {yes} 票{}、反對 {no} 票{}、棄權 {abstain} 票{}，本案{}。",
        vote.method.label(),
        names(&vote.for_members),
        names(&vote.against_members),
        names(&vote.abstain_members),
        vote.outcome().label()
    )
}
