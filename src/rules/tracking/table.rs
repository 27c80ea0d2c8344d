//! The 上次會議決定（議）事項辦理情形 tables of one meeting — generated from the series,
//! typed by hand, or both — and what that meeting reported and ruled on each row. Agenda,
//! minutes, check and export all read these rows, so they never disagree.

use super::entries::{Entry, clause_of, decided_at, entries, tracking_items};
use super::{Decision, Timeline, meeting_dir_name, timeline_of, unruled};
use crate::diag::{Diagnostic, Result};
use crate::model::{Group, ItemSection, Packet, Series, TableStyle, Tracking};
use crate::text::zh;

/// One row of a meeting's tracking table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// The tracking item whose table holds the row: `report[1]`.
    pub item: String,
    /// Decision id (`112-2-D2`, a hand row's `6-M1` or `<meeting>-T<n>`).
    pub id: String,
    /// 決定會議代號: the meeting that made the decision.
    pub decided_at: String,
    pub section: ItemSection,
    /// Typed by hand (`[[…tracking]]`): title, decision and 辦理情形 as written.
    pub hand: bool,
    /// Group heading: the section of the meeting the decision came from, and for
    /// decisions older than the previous meeting, that meeting.
    pub group: String,
    pub title: String,
    pub decision: String,
    /// 辦理情形 as printed: earlier meetings' reports (kept rows) then this one's.
    pub progress: String,
    /// This meeting's 辦理情形 alone.
    pub status: String,
    /// 建議解除列管 / 建議繼續列管.
    pub advice: Option<String>,
    /// The item's 決定 is recorded: the meeting has ruled on its rows.
    pub decided: bool,
    /// The meeting's ruling on the row, once decided; `None` while undecided or when the
    /// record rules nothing (the decision stays 列管).
    pub outcome: Option<Tracking>,
    /// 併入: the meeting merged the decision into this one (an id).
    pub merged_into: Option<String>,
    /// 分列: the meeting split the decision into these new ones (ids).
    pub split_into: Vec<String>,
    /// A clause of an item's decision tracked as its own row (`7-D1-2` → 2): it shares
    /// its item's number in a grouped table and names its clause.
    pub clause: Option<u32>,
}

impl TableRow {
    /// The 案由 cell: the item's 案由, and for a clause row the clause it is
    /// (「……，提請討論。（決議第 2 點）」).
    pub fn printed_title(&self) -> String {
        match self.clause {
            Some(k) => format!("{}（{}第 {k} 點）", self.title, self.section.decision_label()),
            None => self.title.clone(),
        }
    }
}

/// Each row's number as printed in its table (rows of one tracking item, in printed
/// order): numbered tables count rows (編號一、二、…); grouped ones count within each group,
/// the clause rows of one item sharing the item's number.
pub fn row_numbers(rows: &[TableRow], numbered: bool) -> Vec<usize> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if numbered {
            out.push(i + 1);
            continue;
        }
        let key = clause_of(&r.id).map_or(r.id.as_str(), |(item, _)| item);
        let at = seen.iter().position(|&(g, k)| g == r.group && k == key).unwrap_or_else(|| {
            seen.push((&r.group, key));
            seen.len() - 1
        });
        out.push(seen[..=at].iter().filter(|(g, _)| *g == r.group).count());
    }
    out
}

/// Every row of `packet`'s tracking tables, each table's rows in the order written (open
/// decisions it leaves out after them, in the first generated table), with the findings
/// about them; `None` when the meeting has no tracking item. `series` is the packet's own,
/// as [`Series::of`] loads it; without it only hand-typed rows are known.
pub fn table_for(packet: &Packet, series: Option<&Series>) -> Result<Option<(Vec<TableRow>, Vec<Diagnostic>)>> {
    if tracking_items(packet).is_empty() {
        return Ok(None);
    }
    let Some(series) = series else {
        let (rows, mut findings) = hand_rows(packet);
        findings.extend(super::contradiction::findings(packet, &rows));
        return Ok(Some((rows, findings)));
    };
    let k = series
        .position(packet)
        .ok_or_else(|| Diagnostic::error("這個會議不在其系列目錄中").at_file(&packet.meeting_src.path))?;
    // Later meetings do not matter (and may be unfinished drafts).
    let tl = timeline_of(&series.dir, &series.meetings[..=k])?;
    let this = &series.meetings[k];
    let entries = entries(this);
    let mut rows = Vec::new();
    for e in &entries {
        if let Some(d) = tl.decisions.iter().rposition(|d| d.id == e.id) {
            rows.push(row(packet, series, &tl, k, d, Some(e)));
        }
    }
    for &d in &tl.open_at[k] {
        if !entries.iter().any(|e| e.id == tl.decisions[d].id) {
            rows.push(row(packet, series, &tl, k, d, None));
        }
    }
    let mut findings: Vec<Diagnostic> = tl
        .findings
        .into_iter()
        .filter(|f| f.location.as_ref().is_some_and(|l| l.file == this.meeting_src.path))
        .collect();
    // The item's 決定 against the rows it rules (繼續列管 over a row ruled 解除列管).
    findings.extend(super::contradiction::findings(packet, &rows));
    Ok(Some((rows, findings)))
}

/// A meeting's hand-typed rows when its series is not needed (no generated table).
fn hand_rows(packet: &Packet) -> (Vec<TableRow>, Vec<Diagnostic>) {
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    for e in entries(packet) {
        let Some(r) = e.hand else { continue };
        if e.decided && e.outcome().is_none() {
            findings.push(unruled(packet, &e));
        }
        rows.push(TableRow {
            item: e.item.clone(),
            id: e.id.clone(),
            decided_at: decided_at(packet, &e),
            section: ItemSection::from_section(r.from),
            hand: true,
            group: r.from.label().to_string(),
            title: r.title.clone(),
            decision: r.decision.clone(),
            progress: r.progress.clone(),
            status: r.progress.clone(),
            advice: r.advice.map(|a| advice_words(&packet.group, a)),
            decided: e.decided,
            outcome: e.outcome(),
            merged_into: e.merged_into.filter(|_| e.decided).map(str::to_string),
            split_into: Vec::new(),
            clause: clause_of(&e.id).map(|(_, k)| k),
        });
    }
    (rows, findings)
}

/// The row of decision `d` in meeting `k`'s table, reported by entry `e` (none: left out,
/// then it goes in the first generated table).
fn row(packet: &Packet, series: &Series, tl: &Timeline, k: usize, d: usize, e: Option<&Entry>) -> TableRow {
    let dec = &tl.decisions[d];
    let this = meeting_dir_name(packet);
    let items = tracking_items(packet);
    let first = items.iter().find(|(_, it)| it.track).or(items.first());
    let item = e.map(|e| e.item.clone()).or_else(|| first.map(|(f, _)| f.clone())).unwrap_or_default();
    let decided = items
        .iter()
        .find(|(f, _)| *f == item)
        .is_some_and(|(_, it)| it.decision.as_deref().is_some_and(|d| !d.trim().is_empty()));
    let report = dec.history.iter().find(|r| r.meeting == this);
    let hand = e.and_then(|e| e.hand);
    let section = dec.section.label();
    // The previous meeting's decisions under their section; older ones under their meeting.
    let previous = k.checked_sub(1).map(|i| meeting_dir_name(&series.meetings[i]));
    // 分列: the new decisions under the meeting and section they were split from.
    let split_from = dec.id.rsplit_once("-S").filter(|(_, n)| n.parse::<u32>().is_ok());
    let split_group = split_from
        .and_then(|(from, _)| tl.decisions.iter().find(|x| x.id == from))
        .map(|from| format!("{}{section}（分列）", from.meeting_label));
    let group = match (hand, split_group) {
        (Some(r), _) if dec.entered_at.as_deref() == Some(this.as_str()) => r.from.label().to_string(),
        (_, Some(g)) => g,
        _ if previous.as_deref() == Some(dec.meeting.as_str()) => section.to_string(),
        // In the group's word: 繼續列管 / 持續列管.
        _ => format!("{}{section}（{}）", dec.meeting_label, packet.group.tracking.keep),
    };
    let progress = match hand {
        Some(r) => r.progress.clone(),
        None => printed_progress(dec, &this),
    };
    TableRow {
        item,
        id: dec.id.clone(),
        decided_at: dec.meeting.clone(),
        section: dec.section,
        hand: hand.is_some(),
        group,
        title: hand.map_or_else(|| dec.title.clone(), |r| r.title.clone()),
        decision: hand.map_or_else(|| dec.decision.clone(), |r| r.decision.clone()),
        progress,
        status: report.map(|r| r.status.clone()).unwrap_or_default(),
        advice: report.and_then(|r| r.advice).map(|a| advice_words(&packet.group, a)),
        decided,
        outcome: report.and_then(|r| r.outcome),
        merged_into: report.and_then(|r| r.merged_into.clone()),
        split_into: report.map(|r| r.split_into.clone()).unwrap_or_default(),
        clause: clause_of(&dec.id).map(|(_, k)| k),
    }
}

/// 辦理情形 as printed: earlier meetings' reports, each labelled, then this one's (labelled
/// too when earlier ones stand above it).
fn printed_progress(dec: &Decision, this: &str) -> String {
    let earlier = dec.history.iter().any(|r| r.meeting != this && !r.status.trim().is_empty());
    let mut parts = Vec::new();
    for r in &dec.history {
        if r.meeting == this && !earlier {
            parts.push(r.status.clone());
        } else if !r.status.trim().is_empty() {
            parts.push(format!("（{}）{}", r.meeting_label, r.status.trim()));
        }
    }
    parts.into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join("\n\n")
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

/// What the minutes of `packet` record about the 列管 rows of its tracking item `item`
/// (`report[1]`), once that item is decided, naming rows as the agenda's table numbers them:
/// 「列管情形：編號一、二解除列管；編號三持續列管。」 (numbered tables) or by group and number,
/// 「列管情形：報告事項第一、二案及討論事項第一案解除列管；討論事項第二案繼續列管。」
/// (grouped ones). Empty when nothing was ruled; a row the record rules nothing on is not
/// named (it stays 列管, a finding of `check`).
pub(crate) fn minutes_note(packet: &Packet, item: &str) -> Option<String> {
    let numbered = packet.group.tracking.style == TableStyle::Numbered;
    let series = match Series::of(packet) {
        Some(series) => Some(series.ok()?),
        None => None,
    };
    let (mut rows, _) = table_for(packet, series.as_ref()).ok()??;
    rows.retain(|r| r.item == item);
    if !numbered {
        // As the agenda prints them: the previous meeting's groups first.
        rows.sort_by_key(|r| r.group.contains('（'));
    }
    // Each row's group (none in a numbered table) and number in it, as printed; a clause
    // row also its clause (「討論事項第一案決議第 2 點」).
    let kept = format!("（{}）", packet.group.tracking.keep);
    let mut numbers: Vec<RowName> = Vec::new();
    for (r, n) in rows.iter().zip(row_numbers(&rows, numbered)).filter(|(r, _)| r.decided) {
        let group = if numbered { "" } else { r.group.strip_suffix(kept.as_str()).unwrap_or(&r.group) };
        let clause = r.clause.filter(|_| !numbered).map(|k| (r.section.decision_label(), k));
        numbers.push(RowName { group, n, clause });
    }
    let row_name = |at: &RowName| at.name(numbered);
    let mut parts = Vec::new();
    for t in [Tracking::Close, Tracking::Keep] {
        // Whole rows of one group share a name (第一、二案); a clause row is named alone.
        let mut names: Vec<(&str, Vec<String>, Option<String>)> = Vec::new();
        for (at, _) in numbers.iter().zip(rows.iter().filter(|r| r.decided)).filter(|(_, r)| r.outcome == Some(t)) {
            if at.clause.is_some() {
                names.push((at.group, Vec::new(), Some(row_name(at))));
                continue;
            }
            match names.iter_mut().find(|(g, ns, alone)| *g == at.group && !ns.is_empty() && alone.is_none()) {
                Some((_, ns, _)) => ns.push(zh::numeral(at.n)),
                None => names.push((at.group, vec![zh::numeral(at.n)], None)),
            }
        }
        if names.is_empty() {
            continue;
        }
        let names: Vec<String> = names
            .into_iter()
            .map(|(g, ns, alone)| match alone {
                Some(name) => name,
                None if numbered => format!("編號{}", ns.join("、")),
                None => format!("{g}第{}案", ns.join("、")),
            })
            .collect();
        let joined = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}及{last}", rest.join("、")),
            _ => names.concat(),
        };
        parts.push(format!("{joined}{}", outcome_words(&packet.group, t)));
    }
    // 併入: 「編號二併入編號三」, the target by its row here, else by its id.
    let decided: Vec<&TableRow> = rows.iter().filter(|r| r.decided).collect();
    for (r, at) in decided.iter().zip(&numbers) {
        let Some(target) = &r.merged_into else { continue };
        let into = match decided.iter().position(|x| &x.id == target) {
            Some(i) => row_name(&numbers[i]),
            None => format!("決定 {target}"),
        };
        parts.push(format!("{}併入{into}", row_name(at)));
    }
    // 分列: 「編號一分列為 7-D1-S1、7-D1-S2」 (new decisions: by their new ids).
    for (r, at) in decided.iter().zip(&numbers).filter(|(r, _)| !r.split_into.is_empty()) {
        parts.push(format!("{}分列為 {}", row_name(at), r.split_into.join("、")));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("列管情形：{}。", parts.join("；")))
}

/// A row as the 列管情形 sentence names it: its group, number in it, and for a clause row in
/// a grouped table the clause (決定 / 決議, number).
struct RowName<'a> {
    group: &'a str,
    n: usize,
    clause: Option<(&'static str, u32)>,
}

impl RowName<'_> {
    /// 編號二 (numbered), 討論事項第一案, 討論事項第一案決議第 2 點.
    fn name(&self, numbered: bool) -> String {
        match self.clause {
            _ if numbered => format!("編號{}", zh::numeral(self.n)),
            Some((label, k)) => format!("{}第{}案{label}第 {k} 點", self.group, zh::numeral(self.n)),
            None => format!("{}第{}案", self.group, zh::numeral(self.n)),
        }
    }
}
