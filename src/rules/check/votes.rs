//! 利益迴避 and 表決 at each item: a recused member was at the meeting and does not vote;
//! a vote counts no more votes than the members present (in person, or by a delegate of a
//! government member: 設置要點第七點), and a roll-call vote names present members once.

use std::collections::HashSet;

use super::{RULE_IN_PERSON, finding};
use crate::diag::Diagnostic;
use crate::model::{Packet, Roll, VoteMethod};
use crate::rules::proceedings::{self, ItemRef};

/// Where the rule on who votes comes from.
fn rule() -> String {
    format!("{RULE_IN_PERSON}：代表政府機關出任之委員得指派代表出席並參與表決；利益迴避之委員不參與表決")
}

/// The findings and record errors of every item's recusals and vote.
pub fn votes(p: &Packet) -> Vec<Diagnostic> {
    let Some(minutes) = &p.meeting.minutes else { return Vec::new() };
    let a = &minutes.attendance;
    // Who could vote: present in person or by a delegate; unknown for a partial roll.
    let present: Option<HashSet<&str>> = (a.roll == Roll::Complete)
        .then(|| a.present.iter().map(String::as_str).chain(a.delegate.keys().map(String::as_str)).collect());
    let mut out = Vec::new();
    for item in proceedings::items(p) {
        recusals(p, &item, present.as_ref(), &mut out);
        vote(p, &item, present.as_ref(), &mut out);
    }
    out
}

fn name(p: &Packet, id: &str) -> String {
    p.group
        .members
        .iter()
        .find(|m| m.id == id)
        .map_or_else(|| id.to_string(), |m| format!("{}{}", m.name, m.role_label()))
}

fn recusals(p: &Packet, item: &ItemRef, present: Option<&HashSet<&str>>, out: &mut Vec<Diagnostic>) {
    let src = &p.meeting_src;
    for (j, r) in item.recusals.iter().enumerate() {
        let field = format!("{}.recusal[{j}]", item.field);
        if r.reason.trim().is_empty() {
            out.push(src.error_at(&format!("{field}.reason"), "請寫明迴避事由"));
        }
        if item.recusals[..j].iter().any(|x| x.member == r.member) {
            out.push(src.error_at(&format!("{field}.member"), format!("委員「{}」在本案迴避中重複出現", r.member)));
        } else if present.is_some_and(|ids| !ids.contains(r.member.as_str())) {
            out.push(finding(
                src,
                &format!("{field}.member"),
                format!("{}未出席本次會議，無從於本案迴避（出席紀錄未列）", name(p, &r.member)),
            ));
        }
    }
}

fn vote(p: &Packet, item: &ItemRef, present: Option<&HashSet<&str>>, out: &mut Vec<Diagnostic>) {
    let Some(v) = item.vote else { return };
    let src = &p.meeting_src;
    let field = format!("{}.vote", item.field);
    let lists = v.named();
    let named = lists.iter().any(|(_, ids)| !ids.is_empty());
    match v.method {
        VoteMethod::RollCall if !named => {
            out.push(src.error_at(&format!("{field}.method"), "記名表決須列出投贊成、反對、棄權票的委員"))
        }
        VoteMethod::RollCall => {
            for ((_, ids), (count_key, word, count)) in lists.iter().zip([
                ("for", "贊成", v.yes),
                ("against", "反對", v.against),
                ("abstain", "棄權", v.abstain),
            ]) {
                if let Some(n) = count
                    && n as usize != ids.len()
                {
                    out.push(src.error_at(
                        &format!("{field}.{count_key}"),
                        format!("記名表決之{word}票數 {n} 與所列投{word}票的委員 {} 人不符", ids.len()),
                    ));
                }
            }
        }
        _ if named => out.push(src.error_at(
            &format!("{field}.method"),
            format!("僅記名表決列出委員姓名；{}請只寫贊成、反對、棄權的票數", v.method.label()),
        )),
        _ => {
            for (key, count) in [("for", v.yes), ("against", v.against)] {
                if count.is_none() {
                    out.push(src.error_at(&format!("{field}.{key}"), "請寫贊成及反對的票數（棄權可省略）"));
                }
            }
        }
    }
    let recused: HashSet<&str> = item.recusals.iter().map(|r| r.member.as_str()).collect();
    let mut seen = HashSet::new();
    for (key, ids) in lists {
        for (j, id) in ids.iter().enumerate() {
            let at = format!("{field}.{key}[{j}]");
            if !seen.insert(id.as_str()) {
                out.push(src.error_at(&at, format!("委員「{id}」在表決中重複出現")));
            } else if recused.contains(id.as_str()) {
                out.push(finding(src, &at, format!("{}已於本案迴避，不得參與表決（{}）", name(p, id), rule())));
            } else if present.is_some_and(|ids| !ids.contains(id.as_str())) {
                out.push(finding(src, &at, format!("{}未出席本次會議，不得參與表決（{}）", name(p, id), rule())));
            }
        }
    }
    let Some(present) = present else { return };
    let voters = present.iter().filter(|id| !recused.contains(*id)).count();
    let [yes, no, abstain] = v.counts();
    let total = (yes + no + abstain) as usize;
    if total > voters {
        out.push(finding(
            src,
            &field,
            format!(
                "表決票數合計 {total} 票（贊成 {yes}、反對 {no}、棄權 {abstain}），多於可參與表決之出席委員 {voters} 人（{}）",
                rule()
            ),
        ));
    }
}
