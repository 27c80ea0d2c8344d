//! The rows one meeting's tracking items report, as written: `[[…progress]]` entries (on
//! a decision the series knows) and hand-typed `[[…tracking]]` rows (a decision from
//! before the series, or one the series knows, retyped), in the order the file has them.

use crate::model::{Item, Numbering, Packet, Tracking, TrackingRow};

/// One row a tracking item reports.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    /// The tracking item holding it: `report[1]`.
    pub item: String,
    /// The entry itself: `report[1].progress[2]`, `report[1].tracking[0]`.
    pub field: String,
    /// Decision id: the written one, or for a hand row without one `<meeting>-T<n>`.
    pub id: String,
    /// 辦理情形 (Markdown).
    pub status: &'a str,
    pub advice: Option<Tracking>,
    pub result: Option<Tracking>,
    /// 併入: the open decision this one is merged into.
    pub merged_into: Option<&'a str>,
    /// 分列: the new decisions' texts (progress entries only).
    pub split: &'a [String],
    /// The item's 決定 is recorded: the meeting has ruled on its rows.
    pub decided: bool,
    /// The hand-typed row, printed as written.
    pub hand: Option<&'a TrackingRow>,
}

impl Entry<'_> {
    /// What the meeting ruled, once it decided the item: [`ruling`]; none for a row merged
    /// into another (its own outcome).
    pub fn outcome(&self) -> Option<Tracking> {
        let ends_otherwise = self.merged_into.is_some() || !self.split.is_empty();
        if self.decided && !ends_otherwise { ruling(self.status, self.advice, self.result) } else { None }
    }

    /// Whether the id was written (not the `-T<n>` stand-in).
    pub fn id_written(&self) -> bool {
        self.hand.is_none_or(|r| r.id.is_some())
    }
}

/// A row's ruling once its item is decided: the meeting's `result`, else the `advice` it
/// followed; a deliberate blank (empty 辦理情形, no advice: 洽悉 needs no action) closes.
/// A row with 辦理情形 and neither stays 列管: no one closed it.
fn ruling(status: &str, advice: Option<Tracking>, result: Option<Tracking>) -> Option<Tracking> {
    result.or(advice).or_else(|| status.trim().is_empty().then_some(Tracking::Close))
}

/// The meeting's tracking items (generated, hand-typed or carrying `progress`), by field.
pub(crate) fn tracking_items(p: &Packet) -> Vec<(String, &Item)> {
    let m = &p.meeting;
    let reports = m.reports.iter().enumerate().map(|(i, it)| (format!("report[{i}]"), it));
    let discussions = m.discussions.iter().enumerate().map(|(i, it)| (format!("discussion[{i}]"), it));
    reports
        .chain(discussions)
        .filter(|(_, it)| it.track || !it.progress.is_empty() || !it.tracking.is_empty())
        .collect()
}

/// Every row the meeting's tracking items report, item by item, each item's rows in the
/// order written (progress entries and hand rows interleaved as in the file).
pub(crate) fn entries(p: &Packet) -> Vec<Entry<'_>> {
    let code = p.meeting_code();
    let mut out = Vec::new();
    for (item, it) in tracking_items(p) {
        let decided = it.decision.as_deref().is_some_and(|d| !d.trim().is_empty());
        let mut rows: Vec<Entry> = it
            .progress
            .iter()
            .enumerate()
            .map(|(j, pr)| Entry {
                item: item.clone(),
                field: format!("{item}.progress[{j}]"),
                id: pr.id.clone(),
                status: &pr.status,
                advice: pr.advice,
                result: pr.result,
                merged_into: pr.merged_into.as_deref(),
                split: &pr.split,
                decided,
                hand: None,
            })
            .collect();
        rows.extend(it.tracking.iter().enumerate().map(|(j, r)| Entry {
            item: item.clone(),
            field: format!("{item}.tracking[{j}]"),
            id: r.id.clone().unwrap_or_else(|| format!("{code}-T{}", j + 1)),
            status: &r.progress,
            advice: r.advice,
            result: r.result,
            merged_into: r.merged_into.as_deref(),
            split: &[],
            decided,
            hand: Some(r),
        }));
        // Both kinds in one table: the file's order (each entry's position in it; the file
        // parsed once).
        if !it.progress.is_empty() && !it.tracking.is_empty() {
            let fields: Vec<&str> = rows.iter().map(|e| e.field.as_str()).collect();
            let at = p.meeting_src.locate_all(&fields);
            let mut order: Vec<(usize, Entry)> =
                rows.into_iter().zip(at).map(|(e, at)| (at.unwrap_or(usize::MAX), e)).collect();
            order.sort_by_key(|(at, _)| *at);
            rows = order.into_iter().map(|(_, e)| e).collect();
        }
        out.extend(rows);
    }
    out
}

/// The meeting a hand row's decision was made at: its id's meeting part (`6-D1` → 6,
/// `112-2-D2` → 112-2, `6-D1-2` → 6), else the meeting before (number − 1; unknown for a yearly
/// series' first meeting of a year).
pub(crate) fn decided_at(p: &Packet, entry: &Entry) -> String {
    // A clause's id (`6-D1-2`) names its item's meeting too.
    let item = clause_of(&entry.id).map_or(entry.id.as_str(), |(item, _)| item);
    if entry.id_written()
        && let Some((m, _)) = item.rsplit_once('-')
    {
        return m.to_string();
    }
    previous_code(p)
}

/// 會議代號 of the meeting before (上次會議): number − 1 (in the same ROC year when
/// numbered yearly, the same term by term); 「（未記錄）」 for a year's or term's first
/// meeting.
fn previous_code(p: &Packet) -> String {
    let n = p.meeting.number;
    match p.group.numbering {
        Numbering::Continuous if n > 1 => (n - 1).to_string(),
        Numbering::Yearly if n > 1 => format!("{}-{}", crate::text::zh::roc_year(p.meeting.date.0), n - 1),
        Numbering::Term if n > 1 => format!("{}-{}", p.meeting.term.unwrap_or(0), n - 1),
        _ => "（未記錄）".to_string(),
    }
}

/// `第 6 次會議` / `112 年第 2 次會議` for a meeting code, as [`crate::model::label`] names
/// a meeting of the series; the code itself when it is not one.
pub(crate) fn code_label(numbering: Numbering, code: &str) -> String {
    let num = |s: &str| s.parse::<u32>().ok();
    match (numbering, code.split_once('-')) {
        (Numbering::Continuous, None) if num(code).is_some() => format!("第 {code} 次會議"),
        (Numbering::Yearly, Some((y, n))) if num(y).is_some() && num(n).is_some() => {
            format!("{y} 年第 {n} 次會議")
        }
        (Numbering::Term, Some((t, n))) if num(t).is_some() && num(n).is_some() => {
            format!("第 {t} 屆第 {n} 次會議")
        }
        _ => code.to_string(),
    }
}

/// The clause of an item a decision id names: `113-1-D2-1` → (`113-1-D2`, 1); `None` for
/// an item id, a split's `-S1` or a hand row's own scheme.
pub(crate) fn clause_of(id: &str) -> Option<(&str, u32)> {
    let (item, k) = id.rsplit_once('-')?;
    let last = item.rsplit('-').next()?;
    let mut chars = last.chars();
    let item_like = matches!(chars.next(), Some('R' | 'D' | 'M')) && chars.as_str().parse::<u32>().is_ok();
    item_like.then_some((item, k.parse().ok()?))
}
