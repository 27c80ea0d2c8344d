//! Meeting series and 列管 tracking: every decision keeps its id forever and stays
//! open until a later meeting closes it (解除列管). The 上次會議決定（議）事項辦理情形
//! table of a meeting is generated from the earlier meetings' minutes, never retyped.

use std::path::Path;

use serde::Serialize;

use super::proceedings;
use crate::diag::{Diagnostic, Diagnostics, Result, Severity};
use crate::model::{Item, ItemSection, Packet, Series, Tracking, label};

mod listing;
mod new;
mod table;

pub(crate) use listing::{to_csv, to_text};
pub(crate) use new::next_meeting;
pub use table::{TableRow, table_for};
pub(crate) use table::{advice_words, minutes_note, outcome_words, reports_at};

/// Item-level decision id: `112-2-D2` (clause ids add `-1`, `-2`, …).
pub(crate) fn item_id(p: &Packet, item: &proceedings::ItemRef) -> String {
    format!("{}-{}{}", p.meeting_code(), item.section.letter(), item.index + 1)
}

/// One decision of the series, with what each later meeting reported about it.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: String,
    /// Meeting directory name, e.g. `112-2`.
    pub meeting: String,
    pub meeting_label: String,
    pub section: ItemSection,
    pub title: String,
    /// 決定（議）, Markdown, as recorded in the minutes.
    pub decision: String,
    pub clause_ids: Vec<String>,
    pub history: Vec<Report>,
    pub status: Status,
}

/// What one meeting's tracking item said about a decision.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub meeting: String,
    pub meeting_label: String,
    /// 辦理情形 (Markdown); empty when the agency wrote none.
    pub status: String,
    pub advice: Option<Tracking>,
    /// The meeting's outcome for the row, once its minutes record a decision.
    pub outcome: Option<Tracking>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// 列管中: still to be reported on.
    #[serde(rename = "列管中")]
    Open,
    #[serde(rename = "解除列管")]
    Closed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "列管中",
            Status::Closed => "解除列管",
        }
    }
}

/// The whole series' decisions and, per meeting, the rows of its tracking table.
pub struct Timeline {
    pub decisions: Vec<Decision>,
    /// For each meeting (series order): indices into `decisions` open when it was held.
    pub open_at: Vec<Vec<usize>>,
    /// Check findings (open decisions without 辦理情形).
    pub findings: Vec<Diagnostic>,
    /// Indices into `decisions` still open after the last meeting.
    pub open_after: Vec<usize>,
}

pub(crate) fn meeting_dir_name(p: &Packet) -> String {
    let dir = p.meeting_dir.canonicalize().unwrap_or_else(|_| p.meeting_dir.clone());
    dir.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Walk the series in order: each meeting sees every decision of the meeting before
/// it plus older ones kept 繼續列管, reports on them, and closes or keeps them.
pub(crate) fn timeline(series: &Series) -> Result<Timeline> {
    timeline_of(&series.dir, &series.meetings)
}

/// [`timeline`] over the first meetings only: what was known when the last was held.
pub(crate) fn timeline_of(dir: &Path, meetings: &[Packet]) -> Result<Timeline> {
    let mut decisions: Vec<Decision> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut open_at = Vec::new();
    let mut errors = Vec::new();
    let mut findings = Vec::new();
    for (k, p) in meetings.iter().enumerate() {
        open_at.push(open.clone());
        let track_items: Vec<(String, &Item)> = p
            .meeting
            .reports
            .iter()
            .enumerate()
            .map(|(i, it)| (format!("report[{i}]"), it))
            .chain(p.meeting.discussions.iter().enumerate().map(|(i, it)| (format!("discussion[{i}]"), it)))
            .filter(|(_, it)| it.track || !it.progress.is_empty())
            .collect();
        if k == 0 {
            for (field, it) in &track_items {
                if it.track {
                    errors.push(p.meeting_src.error_at(
                        &format!("{field}.track"),
                        format!(
                            "系列目錄中沒有 {}之前的會議，無法產生「上次會議決定（議）事項辦理情形」：請將上次會議（含會議紀錄）放在 {}，或改以 [[…tracking]] 逐列填寫",
                            label(p),
                            dir.display()
                        ),
                    ));
                }
            }
        }
        let mut still_open = Vec::new();
        // The first meeting has nothing to report on (its track error is above).
        if track_items.is_empty() || k == 0 {
            still_open = open.clone();
        } else {
            let decided =
                track_items.iter().any(|(_, it)| it.decision.as_deref().is_some_and(|d| !d.trim().is_empty()));
            for &d in &open {
                let found = track_items.iter().find_map(|(field, it)| {
                    it.progress
                        .iter()
                        .enumerate()
                        .find(|(_, pr)| pr.id == decisions[d].id)
                        .map(|(j, pr)| (field, j, pr))
                });
                let (status, advice, result) = match found {
                    Some((_, _, pr)) => (pr.status.clone(), pr.advice, pr.result),
                    None => (String::new(), None, None),
                };
                // An entry with an empty status is a deliberate blank (洽悉 needs no
                // action, as in the official table); no entry at all is an omission.
                if found.is_none() && track_items.iter().any(|(_, it)| it.track) {
                    findings.push(
                        p.meeting_src
                            .error_at(
                                &format!("{}.progress", track_items[0].0),
                                format!(
                                    "列管決定 {} 尚未填寫辦理情形（[[…progress]] id = \"{}\"）：{}",
                                    decisions[d].id, decisions[d].id, decisions[d].title
                                ),
                            )
                            .severity(Severity::Finding),
                    );
                }
                let outcome = decided.then(|| result.or(advice).unwrap_or(Tracking::Close));
                decisions[d].history.push(Report {
                    meeting: meeting_dir_name(p),
                    meeting_label: label(p),
                    status,
                    advice,
                    outcome,
                });
                match outcome {
                    Some(Tracking::Close) => decisions[d].status = Status::Closed,
                    _ => still_open.push(d),
                }
            }
            // 辦理情形 for decisions this meeting does not track: a typo or a stale id.
            for (field, it) in &track_items {
                for (j, pr) in it.progress.iter().enumerate() {
                    if !open.iter().any(|&d| decisions[d].id == pr.id) {
                        let mut known: Vec<&str> = open.iter().map(|&d| decisions[d].id.as_str()).collect();
                        known.sort_by_key(|id| strsim::levenshtein(id, &pr.id));
                        known.truncate(3);
                        let hint = if known.is_empty() {
                            "本次會議沒有列管中的決定".to_string()
                        } else {
                            format!("最接近的列管決定：{}", known.join("、"))
                        };
                        errors.push(p.meeting_src.error_at(
                            &format!("{field}.progress[{j}].id"),
                            format!("決定編號「{}」不在本次會議的列管清單中（{hint}）", pr.id),
                        ));
                    }
                }
            }
        }
        // This meeting's own decisions open for the next one (its 辦理情形 item only when the
        // group lists it: group.toml [tracking] list_own_item).
        for item in proceedings::items(p) {
            if !p.group.tracking.list_own_item && is_tracking_item(p, &item) {
                continue;
            }
            let id = item_id(p, &item);
            let Some(decision) = item.decision.filter(|d| !d.trim().is_empty()) else {
                // Only a problem when a later meeting needs the table.
                if meetings[k + 1..]
                    .iter()
                    .any(|m| m.meeting.reports.iter().chain(&m.meeting.discussions).any(|it| it.track))
                {
                    errors.push(p.meeting_src.error_at(
                        &format!("{}.decision", item.field),
                        format!("{} 尚無決定（議），無法產生下次會議的辦理情形表：{}", label(p), item.title),
                    ));
                }
                continue;
            };
            let clause_ids = proceedings::decision_clauses(p, &item).into_iter().map(|c| c.id).collect();
            decisions.push(Decision {
                id,
                meeting: meeting_dir_name(p),
                meeting_label: label(p),
                section: item.section,
                title: item.title.to_string(),
                decision: decision.to_string(),
                clause_ids,
                history: Vec::new(),
                status: Status::Open,
            });
            still_open.push(decisions.len() - 1);
        }
        open = still_open;
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok(Timeline { decisions, open_at, findings, open_after: open })
}

/// The decisions still 列管 when `packet` is held, what its tracking item reports on:
/// worked out from the earlier meetings only, so a mistake in this meeting's own rows
/// (a stale id) does not hide the list that would fix it.
pub(crate) fn open_before(packet: &Packet, series: &Series) -> Result<Vec<Decision>> {
    let k = series
        .position(packet)
        .ok_or_else(|| Diagnostic::error("這個會議不在其系列目錄中").at_file(&packet.meeting_src.path))?;
    let tl = timeline_of(&series.dir, &series.meetings[..k])?;
    Ok(tl.open_after.iter().map(|&d| tl.decisions[d].clone()).collect())
}

/// Whether `item` is the meeting's 上次會議決定（議）事項辦理情形 item.
pub(crate) fn is_tracking_item(p: &Packet, item: &proceedings::ItemRef) -> bool {
    let list = match item.section {
        ItemSection::Report => &p.meeting.reports,
        ItemSection::Discussion => &p.meeting.discussions,
        ItemSection::Motion => return false,
    };
    list.get(item.index).is_some_and(|it| it.track || !it.tracking.is_empty() || !it.progress.is_empty())
}
