//! Whether the record is complete: the place, 臨時動議 with 案由 and 提案單位, delegates'
//! names, and once the minutes are final, attendance and every item's decision.

use super::{finding, warning};
use crate::diag::Diagnostic;
use crate::model::{ItemSection, Packet};
use crate::rules::proceedings;

/// Every item has a 案由 and a 單位 (reports and discussions require both when loading, so
/// in practice this concerns 臨時動議); once the minutes record a closing time
/// (`minutes.end`, the final edition), attendance is recorded and every item (reports,
/// discussions, motions: [`proceedings::items`]) has its decision.
pub(crate) fn completeness(p: &Packet) -> Vec<Diagnostic> {
    let ms = &p.meeting_src;
    let mut out = Vec::new();
    if p.meeting.place.trim().is_empty() {
        out.push(finding(ms, "place", "未填會議地點".to_string()));
    }
    let Some(minutes) = &p.meeting.minutes else {
        return out;
    };
    // A delegate is printed by name (黃○○委員（李○○代）): an empty one prints nothing.
    for (member, name) in &minutes.attendance.delegate {
        if name.trim().is_empty() {
            out.push(finding(ms, &format!("minutes.attendance.delegate.{member}"), "未填代理人姓名".to_string()));
        }
    }
    let items = proceedings::items(p);
    for item in &items {
        for (j, op) in item.opinions.iter().enumerate() {
            if op.is_empty() {
                let place = proceedings::opinion_place(item, j);
                out.push(warning(ms, &format!("{}.opinion[{j}]", item.field), format!("{place}是空的，印製時略過")));
            }
        }
        if item.title.trim().is_empty() {
            out.push(finding(ms, &format!("{}.title", item.field), "缺少案由".to_string()));
        }
        if item.unit.is_none_or(|u| u.trim().is_empty()) && item.proposer.is_none() {
            let what = if item.section == ItemSection::Motion { item.section.label() } else { "" };
            out.push(finding(
                ms,
                &format!("{}.unit", item.field),
                format!("{what}「{}」缺少{}", item.title.trim(), item.section.unit_label()),
            ));
        }
    }
    if minutes.end.is_none() {
        return out;
    }
    let a = &minutes.attendance;
    if a.present.is_empty() && a.delegate.is_empty() {
        out.push(finding(
            ms,
            "minutes.attendance",
            "會議紀錄已記錄散會時間（定稿），但出席情形沒有記錄任何出席委員".to_string(),
        ));
    }
    for item in &items {
        if item.decision.is_none_or(|d| d.trim().is_empty()) {
            out.push(finding(
                ms,
                &format!("{}.decision", item.field),
                format!(
                    "會議紀錄已記錄散會時間（定稿），但「{}」尚無{}",
                    item.title.trim(),
                    item.section.decision_label()
                ),
            ));
        }
    }
    out
}
