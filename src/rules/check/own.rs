//! A group's own rule set (group.toml `[rules] set = "own"`, `[rules.own]`): its numbers
//! and its citation instead of 政府資料開放諮詢小組設置要點.

use super::quorum::quorum;
use super::{finding, warning};
use crate::diag::Diagnostic;
use crate::model::{MemberKind, OwnRules, Packet, Role, Roll};

/// "1/2" → (1, 2).
fn fraction(s: &str) -> Option<(usize, usize)> {
    let (n, d) = s.split_once('/')?;
    let (n, d) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
    (d > 0 && n <= d).then_some((n, d))
}

pub(super) fn check(p: &Packet, own: &OwnRules) -> Vec<Diagnostic> {
    let gs = &p.group_src;
    let ms = &p.meeting_src;
    let cite = &own.citation;
    let mut out = Vec::new();
    let frac = |field: &str, v: &Option<String>, out: &mut Vec<Diagnostic>| {
        v.as_deref().and_then(|s| {
            let f = fraction(s);
            if f.is_none() {
                out.push(gs.error_at(field, format!("比例「{s}」無法辨識：請寫成分數，如 \"1/2\"")));
            }
            f
        })
    };
    let quorum_f = frac("rules.own.quorum", &own.quorum, &mut out);
    let share_f = frac("rules.own.civil_share", &own.civil_share, &mut out);
    let g = &p.group;
    let total = g.members.len();
    if !g.members.iter().any(|m| matches!(m.role, Some(Role::Convener | Role::CoConvener))) {
        out.push(finding(
            gs,
            "member",
            format!("沒有召集人或共同召集人：請在委員名冊中將其「職務」選為召集人或共同召集人（{cite}）"),
        ));
    }
    if let Some(min) = own.min_members
        && total < min
    {
        out.push(finding(gs, "member", format!("委員共 {total} 人，少於 {min} 人（{cite}）")));
    }
    if let Some((n, d)) = share_f {
        let civil = g.members.iter().filter(|m| m.kind == MemberKind::Civil).count();
        if civil * d < total * n {
            out.push(finding(
                gs,
                "member",
                format!("民間代表 {civil} 人，少於委員總數 {total} 人之 {n}/{d}（{cite}）"),
            ));
        }
    }
    let (Some(q), _) = quorum(p) else { return out };
    let partial = p.meeting.minutes.as_ref().is_some_and(|m| m.attendance.roll == Roll::Partial);
    let field = if partial { "minutes.attendance.roll" } else { "minutes.attendance" };
    let counted = format!(
        "出席委員 {} 人（親自 {} 人、代理 {} 人），委員總數 {} 人",
        q.present(),
        q.in_person,
        q.delegated,
        q.total
    );
    let mut short = Vec::new();
    if let Some((n, d)) = quorum_f
        && q.present() * d < q.total * n
    {
        short.push(format!("未達委員總數之 {n}/{d}"));
    }
    if let Some(min) = own.civil_present
        && q.civil_in_person < min
    {
        short.push(format!("民間代表親自出席 {} 人，少於 {min} 人", q.civil_in_person));
    }
    if !short.is_empty() {
        if partial {
            out.push(warning(ms, field, format!("出席紀錄只記載部分委員：紀錄所載{counted}，其餘委員出席情形未記錄，無法判斷是否足額（{}）（{cite}）", short.join("；"))));
        } else {
            out.push(finding(ms, field, format!("{counted}：{}，不足開會人數（{cite}）", short.join("；"))));
        }
    }
    out
}
