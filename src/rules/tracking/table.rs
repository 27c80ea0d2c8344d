//! The generated 上次會議決定（議）事項辦理情形 table of one meeting, and what that
//! meeting reported on each decision in it.

use super::{Decision, Report, meeting_dir_name, timeline_of};
use crate::diag::{Diagnostic, Result};
use crate::model::{Group, Packet, Series, TableStyle, Tracking};
use crate::text::zh;

/// One row of a generated tracking table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// Group heading: the section of the meeting the decision came from, and for
    /// decisions older than the previous meeting, that meeting.
    pub group: String,
    pub title: String,
    pub decision: String,
    /// 辦理情形 as Markdown: earlier meetings' reports (kept rows) then this one's.
    pub progress: String,
    /// 建議解除列管 / 建議繼續列管.
    pub advice: Option<String>,
}

/// The generated table for `packet`'s tracking item, or `None` when it has none.
/// `series` is the packet's own, as [`Series::of`] loads it.
pub fn table_for(packet: &Packet, series: &Series) -> Result<Option<(Vec<TableRow>, Vec<Diagnostic>)>> {
    if !packet.tracks() {
        return Ok(None);
    }
    let k = series
        .position(packet)
        .ok_or_else(|| Diagnostic::error("這個會議不在其系列目錄中").at_file(&packet.meeting_src.path))?;
    // Later meetings do not matter (and may be unfinished drafts).
    let tl = timeline_of(&series.dir, &series.meetings[..=k])?;
    let this = &series.meetings[k];
    let previous = k.checked_sub(1).map(|i| meeting_dir_name(&series.meetings[i]));
    let mut rows = Vec::new();
    for &d in &tl.open_at[k] {
        let dec = &tl.decisions[d];
        let section = dec.section.label();
        let group = if Some(&dec.meeting) == previous.as_ref() {
            section.to_string()
        } else {
            format!("{}{section}（繼續列管）", dec.meeting_label)
        };
        let this_dir = meeting_dir_name(this);
        let mut parts = Vec::new();
        let mut advice = None;
        let earlier = dec.history.iter().any(|r| r.meeting != this_dir && !r.status.trim().is_empty());
        for r in &dec.history {
            if r.meeting == this_dir {
                // Under earlier meetings' labelled reports, this one is labelled too.
                if earlier && !r.status.trim().is_empty() {
                    parts.push(format!("（{}）{}", r.meeting_label, r.status.trim()));
                } else {
                    parts.push(r.status.clone());
                }
                advice = r.advice.map(|a| advice_words(&packet.group, a));
            } else if !r.status.trim().is_empty() {
                parts.push(format!("（{}）{}", r.meeting_label, r.status.trim()));
            }
        }
        rows.push(TableRow {
            group,
            title: dec.title.clone(),
            decision: dec.decision.clone(),
            progress: parts.into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join("\n\n"),
            advice,
        });
    }
    let findings = tl
        .findings
        .into_iter()
        .filter(|f| f.location.as_ref().is_some_and(|l| l.file == this.meeting_src.path))
        .collect();
    Ok(Some((rows, findings)))
}

/// 列管建議 in the group's words: 建議繼續列管 / 建議持續列管 / 建議解除列管.
pub(crate) fn advice_words(group: &Group, a: Tracking) -> String {
    format!("建議{}", outcome_words(group, a))
}

/// 列管結果 in the group's words (group.toml `[tracking] keep`, `close`).
pub(crate) fn outcome_words(group: &Group, a: Tracking) -> String {
    match a {
        Tracking::Keep => group.tracking.keep.clone(),
        Tracking::Close => group.tracking.close.clone(),
    }
}

/// What the minutes of `packet` record about its 列管 rows, once the tracking item is
/// decided: 「列管情形：編號一、二解除列管；編號三持續列管。」 (numbered tables) or the rows'
/// 案由 (grouped ones). Empty when nothing was decided. Rows are named as the agenda
/// prints them, never by internal id.
pub(crate) fn minutes_note(packet: &Packet) -> Option<String> {
    let numbered = packet.group.tracking.style == TableStyle::Numbered;
    let mut rows: Vec<(String, Tracking)> = Vec::new();
    let item = packet
        .meeting
        .reports
        .iter()
        .chain(&packet.meeting.discussions)
        .find(|it| it.track || !it.tracking.is_empty())?;
    item.decision.as_deref().filter(|d| !d.trim().is_empty())?;
    let name = |i: usize, title: &str| {
        if numbered { format!("編號{}", zh::numeral(i + 1)) } else { format!("「{}」", title.trim()) }
    };
    if item.track {
        let series = Series::of(packet)?.ok()?;
        for (i, (dec, rep)) in reports_at(packet, &series).ok()?.into_iter().enumerate() {
            rows.push((name(i, &dec.title), rep.outcome?));
        }
    } else {
        for (i, r) in item.tracking.iter().enumerate() {
            rows.push((name(i, &r.title), r.result.or(r.advice).unwrap_or(Tracking::Close)));
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    for t in [Tracking::Close, Tracking::Keep] {
        let names: Vec<&str> = rows.iter().filter(|(_, o)| *o == t).map(|(n, _)| n.as_str()).collect();
        if names.is_empty() {
            continue;
        }
        let joined = if numbered {
            format!("編號{}", names.iter().map(|n| n.trim_start_matches("編號")).collect::<Vec<_>>().join("、"))
        } else {
            names.join("、")
        };
        parts.push(format!("{joined}{}", outcome_words(&packet.group, t)));
    }
    Some(format!("列管情形：{}。", parts.join("；")))
}

/// The decisions `packet` reports on (its tracking table), each with this meeting's
/// report: 辦理情形, 列管建議 and, once decided, the outcome. Empty without a tracking item.
pub(crate) fn reports_at(packet: &Packet, series: &Series) -> Result<Vec<(Decision, Report)>> {
    if !packet.tracks() {
        return Ok(Vec::new());
    }
    let k = series
        .position(packet)
        .ok_or_else(|| Diagnostic::error("這個會議不在其系列目錄中").at_file(&packet.meeting_src.path))?;
    let tl = timeline_of(&series.dir, &series.meetings[..=k])?;
    let this = meeting_dir_name(&series.meetings[k]);
    Ok(tl.open_at[k]
        .iter()
        .filter_map(|&d| {
            let dec = &tl.decisions[d];
            let report = dec.history.iter().find(|r| r.meeting == this)?.clone();
            Some((dec.clone(), report))
        })
        .collect())
}
