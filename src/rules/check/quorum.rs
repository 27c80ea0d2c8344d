//! Who attended, counted as 設置要點第四點 counts: the quorum, civil members in person,
//! the chair.

use std::collections::HashMap;

use super::{MIN_CIVIL_PRESENT, RULE_CHAIR, RULE_GUIDE_QUORUM, RULE_IN_PERSON, RULE_QUORUM, finding};
use crate::diag::Diagnostic;
use crate::model::{Attendance, MemberKind, Packet, Roll};

/// Who attended, as counted for the quorum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quorum {
    /// 委員總數: every member in group.toml, the convener included.
    pub total: usize,
    /// Members present in person.
    pub in_person: usize,
    /// Government members represented by a delegate (設置要點第七點).
    pub delegated: usize,
    /// Civil members present in person.
    pub civil_in_person: usize,
}

impl Quorum {
    /// Members present in person or by delegate.
    pub fn present(&self) -> usize {
        self.in_person + self.delegated
    }
    /// 設置要點第四點第三款: 委員總數二分之一以上.
    pub(crate) fn half_or_more(&self) -> bool {
        self.present() * 2 >= self.total
    }
    /// 運作指引肆、一、(二): 全體委員過半數.
    pub(crate) fn majority(&self) -> bool {
        self.present() * 2 > self.total
    }
}

/// The attendance record counted, with the quorum findings. `None` when no attendance is
/// recorded (no `[minutes.attendance]` or all its lists empty). The record's own errors
/// (unknown or repeated ids, a delegate for a civil member: [`crate::rules::proceedings::record_errors`])
/// are reported by [`check`]; here an unknown or repeated id counts once at most, and a
/// civil member's delegate does not count.
pub(crate) fn quorum(p: &Packet) -> (Option<Quorum>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let Some(minutes) = &p.meeting.minutes else {
        return (None, out);
    };
    let a = &minutes.attendance;
    if a.present.is_empty() && a.delegate.is_empty() && a.leave.is_empty() {
        return (None, out);
    }
    let members: HashMap<&str, usize> = p.group.members.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
    let (q, in_person) = count(p, a, &members);
    if a.roll == Roll::Partial {
        out.extend(partial_roll(p, a, &q));
        return (Some(q), out);
    }
    out.extend(short_of_quorum(p, a, &q));
    // The chair: minutes.chair, else the meeting's, present in person.
    let (chair_field, chair) = match minutes.chair.as_deref() {
        Some(c) => ("minutes.chair", Some(c)),
        None => ("chair", p.meeting.chair.as_deref()),
    };
    if let Some(chair) = chair
        && let Some(&i) = members.get(chair)
        && !in_person[i]
    {
        let hint = if chair_field == "chair" {
            "；召集人未能出席時，請在會議紀錄的「代理主席」選擇其指定代理之委員"
        } else {
            ""
        };
        out.push(finding(
            &p.meeting_src,
            chair_field,
            format!(
                "主席{}未列於出席情形的親自出席委員{hint}（{RULE_CHAIR}：由召集人擔任會議主席，召集人因故未能出席時，得指定委員一人代理之）",
                p.group.members[i].name
            ),
        ));
    }
    (Some(q), out)
}

/// The attendance counted (each known member once; a civil member's delegate does not
/// count), and which members (by index) were there in person.
fn count(p: &Packet, a: &Attendance, members: &HashMap<&str, usize>) -> (Quorum, Vec<bool>) {
    let mut q = Quorum { total: p.group.members.len(), in_person: 0, delegated: 0, civil_in_person: 0 };
    let mut counted = vec![false; q.total];
    let mut in_person = vec![false; q.total];
    for id in &a.present {
        if let Some(&m) = members.get(id.as_str())
            && !counted[m]
        {
            counted[m] = true;
            in_person[m] = true;
            q.in_person += 1;
            if p.group.members[m].kind == MemberKind::Civil {
                q.civil_in_person += 1;
            }
        }
    }
    for id in a.delegate.keys() {
        if let Some(&m) = members.get(id.as_str())
            && !counted[m]
            && p.group.members[m].kind == MemberKind::Government
        {
            counted[m] = true;
            q.delegated += 1;
        }
    }
    (q, in_person)
}

/// 出席委員 N 人（親自 …、代理 …），委員總數 N 人.
fn counted(q: &Quorum) -> String {
    format!("出席委員 {} 人（親自 {} 人、代理 {} 人），委員總數 {} 人", q.present(), q.in_person, q.delegated, q.total)
}

/// A record that names only some members (roll = "partial"): members not listed may have
/// been there, so what it names can show a quorum, never the lack of one (a warning).
fn partial_roll(p: &Packet, a: &Attendance, q: &Quorum) -> Option<Diagnostic> {
    let majority_need = q.total / 2 + 1;
    let unknown = q.total - q.present() - a.leave.len().min(q.total - q.present());
    let mut cannot = Vec::new();
    if !q.majority() {
        cannot.push(format!("開會人數（至少 {majority_need} 人）"));
    }
    if q.civil_in_person < MIN_CIVIL_PRESENT {
        cannot.push(format!("民間代表親自出席人數（至少 {MIN_CIVIL_PRESENT} 人，紀錄所載 {} 人）", q.civil_in_person));
    }
    if cannot.is_empty() {
        return None;
    }
    Some(super::warning(
        &p.meeting_src,
        "minutes.attendance.roll",
        format!(
            "出席紀錄只記載部分委員：紀錄所載{}，另 {unknown} 人出席情形未記錄，無法判斷{}（{RULE_QUORUM}）",
            counted(q),
            cannot.join("及")
        ),
    ))
}

/// A full record short of the quorum: under half, half but not a majority (the two rules
/// differ), fewer than three civil members in person.
fn short_of_quorum(p: &Packet, a: &Attendance, q: &Quorum) -> Vec<Diagnostic> {
    let ms = &p.meeting_src;
    let mut out = Vec::new();
    let field = if a.present.is_empty() { "minutes.attendance" } else { "minutes.attendance.present" };
    let counted = counted(q);
    let half_need = q.total.div_ceil(2);
    let majority_need = q.total / 2 + 1;
    if !q.half_or_more() {
        out.push(finding(
            ms,
            field,
            format!(
                "{counted}，未達二分之一（至少 {half_need} 人），不足開會人數（{RULE_QUORUM}：應有委員總數二分之一以上出席；{RULE_GUIDE_QUORUM}：全體委員過半數，至少 {majority_need} 人）"
            ),
        ));
    } else if !q.majority() {
        out.push(finding(
            ms,
            field,
            format!(
                "{counted}：達二分之一以上，依{RULE_QUORUM}足額；但未過半數（至少 {majority_need} 人），依{RULE_GUIDE_QUORUM}「全體委員過半數出席始得開會」不足開會人數（兩規定解讀不同）"
            ),
        ));
    }
    if q.civil_in_person < MIN_CIVIL_PRESENT {
        out.push(finding(
            ms,
            field,
            format!(
                "出席委員中之民間代表（親自出席）{} 人，少於 {MIN_CIVIL_PRESENT} 人（{RULE_QUORUM}：出席委員中之民間代表應至少三人；{RULE_IN_PERSON}：民間代表應親自出席）",
                q.civil_in_person
            ),
        ));
    }
    out
}
