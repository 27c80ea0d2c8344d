//! Meeting series and 列管 tracking: every decision keeps its id forever and stays
//! open until a later meeting closes it (解除列管). The 上次會議決定（議）事項辦理情形
//! table of a meeting is generated from the earlier meetings' minutes, never retyped.

use std::path::Path;

use serde::Serialize;

use super::proceedings;
use crate::diag::{Diagnostic, Diagnostics, Result, Severity};
use crate::model::{ItemSection, Packet, Series, Tracking, TrackingRow, TrackingUnit, label};

mod contradiction;
mod entries;
mod listing;
mod new;
mod table;

use entries::{Entry, code_label, decided_at, entries, tracking_items};

pub(crate) use listing::{to_csv, to_text};
pub(crate) use new::next_meeting_in;
pub use table::{TableRow, row_numbers, table_for};
pub(crate) use table::{advice_words, minutes_note, outcome_words};

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
    /// 併入: the decision this one was merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    /// 分列: the decisions this one was split into.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub split_into: Vec<String>,
    /// Typed by hand (`[[…tracking]]`) at this meeting: a decision from before the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered_at: Option<String>,
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
    /// 併入: the meeting merged the decision into this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    /// 分列: the meeting split the decision into these new ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub split_into: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// 列管中: still to be reported on.
    #[serde(rename = "列管中")]
    Open,
    #[serde(rename = "解除列管")]
    Closed,
    /// 併入: merged into another decision, which carries on.
    #[serde(rename = "併入")]
    Merged,
    /// 分列: split into new decisions, which carry on.
    #[serde(rename = "分列")]
    Split,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "列管中",
            Status::Closed => "解除列管",
            Status::Merged => "併入",
            Status::Split => "分列",
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
    let mut w = Walk::default();
    for (k, p) in meetings.iter().enumerate() {
        w.open_at.push(w.open.clone());
        if k == 0 {
            w.first_meeting(dir, p);
        }
        let mut still_open = w.report(p, &meetings[..k]);
        w.own_decisions(p, &meetings[k + 1..], &mut still_open);
        w.open = still_open;
    }
    if !w.errors.is_empty() {
        return Err(Diagnostics(w.errors));
    }
    Ok(Timeline { decisions: w.decisions, open_at: w.open_at, findings: w.findings, open_after: w.open })
}

/// The walk through a series: the decisions so far, which are open, and what is wrong.
#[derive(Default)]
struct Walk {
    decisions: Vec<Decision>,
    open: Vec<usize>,
    open_at: Vec<Vec<usize>>,
    errors: Vec<Diagnostic>,
    findings: Vec<Diagnostic>,
}

impl Walk {
    /// The first meeting of the series cannot generate its table: nothing came before.
    fn first_meeting(&mut self, dir: &Path, p: &Packet) {
        for (field, it) in tracking_items(p) {
            if it.track {
                self.errors.push(p.meeting_src.error_at(
                    &format!("{field}.track"),
                    format!(
                        "系列目錄中沒有 {}之前的會議，無法產生「上次會議決定（議）事項辦理情形」：請將上次會議（含會議紀錄）放在 {}，或在本案逐列填寫列管事項",
                        label(p),
                        dir.display()
                    ),
                ));
            }
        }
    }

    /// What meeting `p` reports on every open decision, and the decisions its hand rows
    /// bring from before the series. Returns the decisions still open after it (its own
    /// decisions not yet added).
    fn report(&mut self, p: &Packet, earlier: &[Packet]) -> Vec<usize> {
        let entries = entries(p);
        let has_table = tracking_items(p).iter().any(|(_, it)| it.track || !it.tracking.is_empty());
        if entries.is_empty() && !has_table {
            return self.open.clone();
        }
        let here = || (meeting_dir_name(p), label(p));
        let mut still_open = Vec::new();
        for &d in &self.open.clone() {
            let found = entries.iter().find(|e| e.id == self.decisions[d].id);
            // No entry at all is an omission (an entry with an empty status is a
            // deliberate blank); the decision stays open either way.
            if found.is_none() && has_table {
                let (id, title) = (&self.decisions[d].id, &self.decisions[d].title);
                let field = tracking_items(p).first().map(|(f, _)| format!("{f}.progress")).unwrap_or_default();
                self.findings.push(
                    p.meeting_src
                        .error_at(&field, format!("列管決定 {id} 尚未填寫辦理情形：{title}"))
                        .severity(Severity::Finding),
                );
            }
            let outcome = found.and_then(Entry::outcome);
            let merged = found.and_then(|e| self.merge_target(p, e));
            let split = found.filter(|e| e.decided && !e.split.is_empty()).map(|e| self.split(p, d, e));
            if let Some(e) =
                found.filter(|e| e.decided && outcome.is_none() && e.merged_into.is_none() && e.split.is_empty())
            {
                self.findings.push(unruled(p, e));
            }
            let (meeting, meeting_label) = here();
            self.decisions[d].history.push(Report {
                meeting,
                meeting_label,
                status: found.map(|e| e.status.to_string()).unwrap_or_default(),
                advice: found.and_then(|e| e.advice),
                outcome,
                merged_into: merged.clone(),
                split_into: split.clone().unwrap_or_default(),
            });
            match (merged, split, outcome) {
                (Some(target), _, _) => {
                    self.decisions[d].status = Status::Merged;
                    self.decisions[d].merged_into = Some(target);
                }
                (None, Some(ids), _) => {
                    self.decisions[d].status = Status::Split;
                    // The new decisions, added by split(), carry on from here.
                    still_open.extend(self.decisions.len() - ids.len()..self.decisions.len());
                    self.decisions[d].split_into = ids;
                }
                (None, None, Some(Tracking::Close)) => self.decisions[d].status = Status::Closed,
                _ => still_open.push(d),
            }
        }
        for e in &entries {
            if self.open.iter().any(|&d| self.decisions[d].id == e.id) {
                continue;
            }
            match e.hand {
                // A decision from before the series (its meeting is not one of them).
                Some(row) if !is_series_id(earlier, e) => {
                    if let Some(d) = self.hand_decision(p, e, row) {
                        still_open.push(d);
                    }
                }
                // 辦理情形 for decisions this meeting does not track: a typo or a stale id
                // (on the first meeting, the missing series is the error).
                _ if earlier.is_empty() && e.hand.is_none() => {}
                _ => self.errors.push(self.unknown_id(p, e)),
            }
        }
        still_open
    }

    /// 分列: decision `d` split by entry `e` into new decisions `<id>-S1`, … (each text
    /// of `split`), made at this meeting and open from here. Their ids.
    fn split(&mut self, p: &Packet, d: usize, e: &Entry) -> Vec<String> {
        if e.merged_into.is_some() {
            self.errors.push(
                p.meeting_src.error_at(&format!("{}.split", e.field), "同一列不能同時併入另一項決定又分列為數項"),
            );
            return Vec::new();
        }
        let from = self.decisions[d].clone();
        let mut ids = Vec::new();
        for (n, text) in e.split.iter().enumerate() {
            let id = format!("{}-S{}", from.id, n + 1);
            ids.push(id.clone());
            self.decisions.push(Decision {
                id,
                meeting: meeting_dir_name(p),
                meeting_label: label(p),
                decision: text.clone(),
                clause_ids: Vec::new(),
                history: Vec::new(),
                status: Status::Open,
                merged_into: None,
                split_into: Vec::new(),
                entered_at: None,
                ..from.clone()
            });
        }
        ids
    }

    /// The decision a decided row is merged into: one open at this meeting, not itself
    /// (else an error at `merged_into`).
    fn merge_target(&mut self, p: &Packet, e: &Entry) -> Option<String> {
        let target = e.merged_into.filter(|_| e.decided)?;
        if target != e.id && self.open.iter().any(|&d| self.decisions[d].id == target) {
            return Some(target.to_string());
        }
        self.errors.push(p.meeting_src.error_at(
            &format!("{}.merged_into", e.field),
            format!("併入的決定編號「{target}」不是本次會議另一項列管中的決定"),
        ));
        None
    }

    /// A decision typed by hand (`[[…tracking]]`) that the series does not hold: it
    /// lives on like any other. Its index when it stays open.
    fn hand_decision(&mut self, p: &Packet, e: &Entry, row: &TrackingRow) -> Option<usize> {
        let outcome = e.outcome();
        let merged = self.merge_target(p, e);
        if e.decided && outcome.is_none() && e.merged_into.is_none() {
            self.findings.push(unruled(p, e));
        }
        let meeting = decided_at(p, e);
        self.decisions.push(Decision {
            id: e.id.clone(),
            meeting_label: code_label(p.group.numbering, &meeting),
            meeting,
            section: ItemSection::from_section(row.from),
            title: row.title.clone(),
            decision: row.decision.clone(),
            clause_ids: Vec::new(),
            history: vec![Report {
                meeting: meeting_dir_name(p),
                meeting_label: label(p),
                status: row.progress.clone(),
                advice: row.advice,
                outcome,
                merged_into: merged.clone(),
                split_into: Vec::new(),
            }],
            status: match (&merged, outcome) {
                (Some(_), _) => Status::Merged,
                (None, Some(Tracking::Close)) => Status::Closed,
                _ => Status::Open,
            },
            merged_into: merged.clone(),
            split_into: Vec::new(),
            entered_at: Some(meeting_dir_name(p)),
        });
        (outcome != Some(Tracking::Close) && merged.is_none()).then_some(self.decisions.len() - 1)
    }

    /// An entry naming a decision that is not open here, with the nearest open ids.
    fn unknown_id(&self, p: &Packet, e: &Entry) -> Diagnostic {
        let mut known: Vec<&str> = self.open.iter().map(|&d| self.decisions[d].id.as_str()).collect();
        known.sort_by_key(|id| strsim::levenshtein(id, &e.id));
        known.truncate(3);
        let hint = if known.is_empty() {
            "本次會議沒有列管中的決定".to_string()
        } else {
            format!("最接近的列管決定：{}", known.join("、"))
        };
        p.meeting_src
            .error_at(&format!("{}.id", e.field), format!("決定編號「{}」不在本次會議的列管清單中（{hint}）", e.id))
    }

    /// This meeting's own decisions open for the next one (its 辦理情形 item only when the
    /// group lists it: group.toml [tracking] list_own_item).
    fn own_decisions(&mut self, p: &Packet, later: &[Packet], still_open: &mut Vec<usize>) {
        for item in proceedings::items(p) {
            if !p.group.tracking.list_own_item && is_tracking_item(p, &item) {
                continue;
            }
            let Some(decision_text) = item.decision.filter(|d| !d.trim().is_empty()) else {
                // Only a problem when a later meeting needs the table.
                if later.iter().any(|m| m.meeting.reports.iter().chain(&m.meeting.discussions).any(|it| it.track)) {
                    self.errors.push(p.meeting_src.error_at(
                        &format!("{}.decision", item.field),
                        format!("{} 尚無決定（議），無法產生下次會議的辦理情形表：{}", label(p), item.title),
                    ));
                }
                continue;
            };
            let conventions = &p.group.tracking;
            // 洽悉 asks nothing of anyone: listed only where the group lists it.
            if !conventions.list_noted && decision_text.trim().trim_end_matches('。').trim() == "洽悉" {
                continue;
            }
            let clauses = proceedings::decision_clauses(p, &item);
            let decision = |id: String, text: &str, clause_ids: Vec<String>| Decision {
                id,
                meeting: meeting_dir_name(p),
                meeting_label: label(p),
                section: item.section,
                title: item.title.to_string(),
                decision: text.to_string(),
                clause_ids,
                history: Vec::new(),
                status: Status::Open,
                merged_into: None,
                split_into: Vec::new(),
                entered_at: None,
            };
            if conventions.per == TrackingUnit::Clause && clauses.len() > 1 {
                // Each clause its own decision, with its own life.
                for c in clauses {
                    self.decisions.push(decision(c.id, &c.text, Vec::new()));
                    still_open.push(self.decisions.len() - 1);
                }
            } else {
                let ids = clauses.into_iter().map(|c| c.id).collect();
                self.decisions.push(decision(item_id(p, &item), decision_text, ids));
                still_open.push(self.decisions.len() - 1);
            }
        }
    }
}

/// Whether a hand row's written id names a decision of one of the series' earlier
/// meetings (so it must be open, not a new decision from before the series).
fn is_series_id(earlier: &[Packet], e: &Entry) -> bool {
    let item = entries::clause_of(&e.id).map_or(e.id.as_str(), |(item, _)| item);
    e.id_written() && item.rsplit_once('-').is_some_and(|(code, _)| earlier.iter().any(|m| m.meeting_code() == code))
}

/// A row the meeting decided on without a ruling: it stays 列管, and the record should say so.
fn unruled(p: &Packet, e: &Entry) -> Diagnostic {
    p.meeting_src
        .error_at(&e.field, format!("列管決定 {} 有辦理情形但未選列管建議或會議決定：仍為列管中，未解除列管", e.id))
        .severity(Severity::Finding)
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
