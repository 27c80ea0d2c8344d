//! `packet tracking`: every decision of a series, as CSV or as a readable listing.

use super::Timeline;
use crate::model::{Tracking, TrackingStyle};

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `packet tracking`: the series' decisions as CSV (UTF-8 with BOM, for Excel); rulings
/// in the group's words (`words`: group.toml `[tracking] keep`, `close`).
pub(crate) fn to_csv(tl: &Timeline, words: &TrackingStyle) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(["決定編號", "會議", "類別", "案由", "決定（議）", "辦理情形", "列管狀態"]);
    for d in &tl.decisions {
        let history: Vec<String> = d
            .history
            .iter()
            .map(|r| {
                let outcome = outcome_mark(r, words);
                format!(
                    "{}：{}{outcome}",
                    r.meeting_label,
                    if r.status.trim().is_empty() { "（未填）" } else { r.status.trim() }
                )
            })
            .collect();
        let _ = w.write_record([
            d.id.as_str(),
            d.meeting_label.as_str(),
            d.section.label(),
            d.title.as_str(),
            d.decision.trim(),
            history.join("\n").as_str(),
            d.status.label(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// 〔解除列管〕, 〔繼續列管〕 (in the group's words: 〔持續列管〕), 〔併入 7-D2〕 or
/// 〔分列 7-D1-S1、7-D1-S2〕 after a report; nothing while undecided.
fn outcome_mark(r: &super::Report, words: &TrackingStyle) -> String {
    match (&r.merged_into, r.outcome) {
        (Some(t), _) => format!("〔併入 {t}〕"),
        _ if !r.split_into.is_empty() => format!("〔分列 {}〕", r.split_into.join("、")),
        (None, Some(Tracking::Keep)) => format!("〔{}〕", words.keep),
        (None, Some(Tracking::Close)) => format!("〔{}〕", words.close),
        (None, None) => String::new(),
    }
}

/// `packet tracking`: a readable listing, rulings in the group's words.
pub(crate) fn to_text(tl: &Timeline, words: &TrackingStyle) -> String {
    let mut out = String::new();
    for d in &tl.decisions {
        out.push_str(&format!("{}  {}  {}  {}\n", d.id, d.status.label(), d.meeting_label, d.title));
        out.push_str(&format!("    決定（議）：{}\n", one_line(&d.decision)));
        for r in &d.history {
            let outcome = outcome_mark(r, words);
            let status = if r.status.trim().is_empty() { "（未填）".to_string() } else { one_line(&r.status) };
            out.push_str(&format!("    {}：{status}{outcome}\n", r.meeting_label));
        }
    }
    out
}
