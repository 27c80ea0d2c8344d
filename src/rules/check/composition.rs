//! The group as group.toml records it: composition (設置要點第三點第二款) and the terms
//! of civil members (第六點第二項).

use chrono::{Days, Months, NaiveDate};

use super::deadlines::show;
use super::{CONVENER, MIN_MEMBERS, RULE_COMPOSITION, RULE_TERMS, finding, warning};
use crate::diag::Diagnostic;
use crate::model::{Gender, Member, MemberKind, Packet, Role, SourceFile};

/// 設置要點第三點第二款: one convener; at least [`MIN_MEMBERS`] members, the convener
/// included; civil members at least a third of all; each gender at least a third (a
/// principle: a warning).
pub fn composition(p: &Packet) -> Vec<Diagnostic> {
    let g = &p.group;
    let gs = &p.group_src;
    let total = g.members.len();
    let mut out = convener(p);

    if total < MIN_MEMBERS {
        out.push(finding(
            gs,
            "member",
            format!(
                "委員共 {total} 人（含召集人），少於 {MIN_MEMBERS} 人（{RULE_COMPOSITION}：委員至少十一人；召集人為當然委員，計入人數）"
            ),
        ));
    }

    let third = total.div_ceil(3);
    let civil = g.members.iter().filter(|m| m.kind == MemberKind::Civil).count();
    if civil * 3 < total {
        out.push(finding(
            gs,
            "member",
            format!(
                "民間代表 {civil} 人，少於委員總數 {total} 人之三分之一（至少 {third} 人）（{RULE_COMPOSITION}：民間代表人數不得少於委員總數三分之一）"
            ),
        ));
    }
    out.extend(gender_balance(p));
    out
}

/// 置召集人一人: exactly one convener, a government member (the agency's CIO).
fn convener(p: &Packet) -> Vec<Diagnostic> {
    let g = &p.group;
    let gs = &p.group_src;
    let mut out = Vec::new();
    let total = g.members.len();
    let conveners: Vec<usize> = (0..total).filter(|&i| g.members[i].role == Some(Role::Convener)).collect();
    let co: Vec<usize> = (0..total).filter(|&i| g.members[i].role == Some(Role::CoConvener)).collect();
    match conveners.as_slice() {
        [] if !co.is_empty() => out.push(finding(
            gs,
            &format!("member[{}].role", g.members[co[0]].index),
            format!(
                "沒有召集人：共同召集人 {} 人不等於召集人（{RULE_COMPOSITION}：置召集人一人，由機關資訊長兼任）；若小組依自己的設置要點置共同召集人，請在小組設定的「組成與法定人數檢核依據」選擇「本小組自訂設置要點」或「不檢核」",
                co.len()
            ),
        )),
        [] => out.push(finding(
            gs,
            "member",
            format!(
                "沒有召集人：請在委員名冊中將召集人的「職務」選為「{CONVENER}」（{RULE_COMPOSITION}：置召集人一人，由機關資訊長兼任）"
            ),
        )),
        [i] => {
            let m = &g.members[*i];
            if m.kind != MemberKind::Government {
                out.push(finding(
                    gs,
                    &format!("member[{}].kind", m.index),
                    format!(
                        "召集人{}應由機關資訊長兼任，不能是民間代表（{RULE_COMPOSITION}）",
                        m.name
                    ),
                ));
            }
        }
        [_, rest @ ..] => {
            for i in rest {
                out.push(finding(
                    gs,
                    &format!("member[{}].role", g.members[*i].index),
                    format!(
                        "召集人有 {} 位，應只有一位（{RULE_COMPOSITION}：置召集人一人）",
                        conveners.len()
                    ),
                ));
            }
        }
    }
    out
}

/// 任一性別委員人數以不少於委員總數三分之一為原則: a warning; members without a recorded
/// gender are not counted, and when they decide it, the warning says so.
fn gender_balance(p: &Packet) -> Vec<Diagnostic> {
    let g = &p.group;
    let gs = &p.group_src;
    let mut out = Vec::new();
    let total = g.members.len();
    let third = total.div_ceil(3);
    let uncounted = g.members.iter().filter(|m| !matches!(m.gender, Gender::Male | Gender::Female)).count();
    for (gender, label) in [(Gender::Female, "女性"), (Gender::Male, "男性")] {
        let n = g.members.iter().filter(|m| m.gender == gender).count();
        if n * 3 < total && (n + uncounted) * 3 >= total {
            // The members without a recorded gender decide it: say so, do not guess.
            out.push(warning(
                gs,
                "member",
                format!(
                    "{label}委員 {n} 人；另 {uncounted} 人性別為「無」或「不公開」未計入，無法判斷是否達委員總數 {total} 人之三分之一（至少 {third} 人）（{RULE_COMPOSITION}：任一性別委員人數以不少於委員總數三分之一為原則）"
                ),
            ));
        } else if n * 3 < total {
            out.push(warning(
                gs,
                "member",
                format!(
                    "{label}委員 {n} 人，少於委員總數 {total} 人之三分之一（至少 {third} 人）（{RULE_COMPOSITION}：任一性別委員人數以不少於委員總數三分之一為原則）"
                ),
            ));
        }
    }
    out
}

/// 設置要點第六點第二項: civil members serve terms of one or two years, renewable once; a
/// civil member whose term does not cover the meeting date is reported.
///
/// A meeting before `term_start` is a warning (group.toml holds the current roster, which
/// an older meeting of the series may predate), and a finding when the minutes record the
/// member's attendance at it.
///
/// A term of `term_start`..=`term_end` is one year when it ends the day before the first
/// anniversary (2024-04-01..=2025-03-31) and two years when it ends the day before the
/// second. Longer terms are findings. Shorter ones are warnings: a member appointed to fill a
/// vacancy (補聘) serves only the rest of the original term (第六點第三項), which the file
/// does not record.
pub fn terms(p: &Packet) -> Vec<Diagnostic> {
    let gs = &p.group_src;
    let mut out = Vec::new();
    for m in &p.group.members {
        // Its place in group.toml (the roster of the meeting's date leaves some out).
        let i = m.index;
        if m.kind != MemberKind::Civil {
            continue;
        }
        if let Some(n) = m.renewals
            && n > 1
        {
            out.push(finding(
                gs,
                &format!("member[{i}].renewals"),
                format!("{}委員已續聘 {n} 次；民間代表期滿得續聘一次（{RULE_TERMS}）", m.name),
            ));
        }
        let (Some(start), Some(end)) = (m.term_start, m.term_end) else {
            let field = if m.term_start.is_none() { "term_start" } else { "term_end" };
            out.push(warning(
                gs,
                &format!("member[{i}].{field}"),
                format!("{}委員為民間代表，未填聘期起迄日，無法檢核任期（{RULE_TERMS}：任期為一年或二年）", m.name),
            ));
            continue;
        };
        let (start, end) = (start.0, end.0);
        if let Some(f) = replacement_term(p, m, end) {
            out.push(f);
        } else if m.replaces.is_none() {
            out.extend(term_length(gs, i, m, start, end));
        }
        out.extend(meeting_in_term(p, i, m, start, end));
    }
    out
}

/// 補聘: the replacement serves the rest of the replaced member's term, no longer
/// (第六點第二項): a term ending after it is a finding. (A shorter term is what 補聘 is.)
fn replacement_term(p: &Packet, m: &Member, end: NaiveDate) -> Option<Diagnostic> {
    let replaced = m.replaces.as_deref()?;
    let all = p.group.members.iter().chain(p.group.unseated.iter().map(|u| &u.member));
    let original = all.into_iter().find(|x| x.id == replaced)?;
    let original_end = original.term_end?.0;
    (end > original_end).then(|| {
        finding(
            &p.group_src,
            &format!("member[{}].term_end", m.index),
            format!(
                "{}委員補聘接替{}委員，聘期迄日 {}晚於原任期屆滿之日 {}（{RULE_TERMS}：補聘委員之任期至原任期屆滿之日止）",
                m.name,
                original.name,
                show(end),
                show(original_end)
            ),
        )
    })
}

/// One year or two (see [`terms`]): longer is a finding, shorter a warning.
fn term_length(gs: &SourceFile, i: usize, m: &Member, start: NaiveDate, end: NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let anniversary =
        |years: u32| start.checked_add_months(Months::new(12 * years)).and_then(|d| d.checked_sub_days(Days::new(1)));
    if end >= start {
        if anniversary(2).is_some_and(|max| end > max) {
            out.push(finding(
                gs,
                &format!("member[{i}].term_end"),
                format!(
                    "{}委員聘期 {} 至 {} 超過二年（{RULE_TERMS}：民間代表之委員任期為一年或二年）",
                    m.name,
                    start.format("%Y-%m-%d"),
                    end.format("%Y-%m-%d")
                ),
            ));
        } else if anniversary(1).is_some_and(|min| end < min) {
            out.push(warning(
                gs,
                &format!("member[{i}].term_end"),
                format!(
                    "{}委員聘期 {} 至 {} 不足一年；除補聘委員（任期至原任期屆滿之日止）外，任期應為一年或二年（{RULE_TERMS}）",
                    m.name,
                    start.format("%Y-%m-%d"),
                    end.format("%Y-%m-%d")
                ),
            ));
        }
    }
    out
}

/// The meeting within the member's term: after it a finding; before it a warning, or a
/// finding when the minutes record the member.
fn meeting_in_term(p: &Packet, i: usize, m: &Member, start: NaiveDate, end: NaiveDate) -> Vec<Diagnostic> {
    let gs = &p.group_src;
    let meeting = p.meeting.date.0;
    let mut out = Vec::new();
    if meeting > end {
        out.push(finding(
            gs,
            &format!("member[{i}].term_end"),
            format!(
                "{}委員（民間代表）聘期已於 {}屆滿，會議日期為 {}（{RULE_TERMS}）",
                m.name,
                show(end),
                show(meeting)
            ),
        ));
    } else if meeting < start {
        // group.toml holds one roster, the current one, which an older meeting may
        // predate: a warning, unless the minutes record the member at this meeting
        // (present, on leave, by delegate) — then the record names someone who was not
        // yet a member, a finding.
        let recorded = p.meeting.minutes.as_ref().is_some_and(|r| {
            let a = &r.attendance;
            a.present.contains(&m.id) || a.leave.contains(&m.id) || a.delegate.contains_key(&m.id)
        });
        let report = if recorded { finding } else { warning };
        let message = if recorded {
            format!(
                "{}委員（民間代表）聘期自 {}起，會議日期 {}尚未受聘，會議紀錄卻列其出席情形；委員名冊所列為現任名單，不適用於本次會議，請依當時名單記載（{RULE_TERMS}）",
                m.name,
                show(start),
                show(meeting)
            )
        } else {
            format!(
                "{}委員（民間代表）聘期自 {}起，會議日期 {}尚未受聘；若此會議在改聘之前，委員名冊所列的現任名單不適用於本次會議（{RULE_TERMS}）",
                m.name,
                show(start),
                show(meeting)
            )
        };
        out.push(report(gs, &format!("member[{i}].term_start"), message));
    }
    out
}
