//! Meeting series and 列管 tracking: every decision keeps its id forever and stays
//! open until a later meeting closes it (解除列管). The 上次會議決定（議）事項辦理情形
//! table of a meeting is generated from the earlier meetings' minutes, never retyped.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Result, Severity};
use crate::minutes::{self, ItemSection};
use crate::model::Tracking;
use crate::pipeline::Packet;
use crate::zh;

/// The meetings of one series directory, in date order.
pub struct Series {
    pub dir: PathBuf,
    pub meetings: Vec<Packet>,
}

/// The TOML files a series is loaded from, with their contents: a loaded series is
/// reused while these are byte for byte the same.
type SeriesKey = (PathBuf, Vec<(PathBuf, Vec<u8>)>);

impl Series {
    /// [`Series::load`], shared within the process: an agenda and its checks both need
    /// the series, and a series build needs it for every meeting, which would otherwise
    /// parse every meeting.toml N times over. Reloaded whenever a group.toml or
    /// meeting.toml changes (so `packet watch` sees edits).
    pub fn load_shared(dir: &Path) -> Result<Arc<Series>> {
        static LOADED: Mutex<Vec<(SeriesKey, Arc<Series>)>> = Mutex::new(Vec::new());
        // Unreadable files are left out of the key; `load` then reports them.
        let meetings = crate::pipeline::meeting_dirs(dir).unwrap_or_default();
        let files = std::iter::once(dir.join("group.toml")).chain(meetings.iter().map(|m| m.join("meeting.toml")));
        let key: SeriesKey = (dir.to_path_buf(), files.filter_map(|f| std::fs::read(&f).ok().map(|b| (f, b))).collect());
        let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, series)) = loaded.iter().find(|(k, _)| *k == key) {
            return Ok(series.clone());
        }
        let series = Arc::new(Series::load(dir)?);
        // A handful is enough: one series per command, a few versions while watching.
        if loaded.len() >= 4 {
            loaded.remove(0);
        }
        loaded.push((key, series.clone()));
        Ok(series)
    }

    /// Load every `<series>/<meeting>/meeting.toml`; refuse duplicate or out-of-order
    /// sequence numbers.
    pub fn load(dir: &Path) -> Result<Series> {
        let mut meetings = Vec::new();
        let mut errors = Vec::new();
        for p in crate::pipeline::meeting_dirs(dir)? {
            match Packet::load(&p) {
                Ok(m) => meetings.push(m),
                Err(e) => errors.extend(e.0),
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        meetings.sort_by_key(|m| (m.meeting.date, m.meeting.time.0));
        for pair in meetings.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let same_year = zh::roc_year(a.meeting.date.0) == zh::roc_year(b.meeting.date.0);
            if same_year && b.meeting.number <= a.meeting.number {
                let what = if b.meeting.number == a.meeting.number { "重複" } else { "順序顛倒" };
                errors.push(b.meeting_src.error_at(
                    "number",
                    format!(
                        "會議次數{what}：{}（{}）與 {}（{}）",
                        label(b),
                        b.meeting.date.0,
                        label(a),
                        a.meeting.date.0
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        Ok(Series { dir: dir.to_path_buf(), meetings })
    }

    /// Index of the meeting whose meeting.toml is `packet`'s.
    pub fn position(&self, packet: &Packet) -> Option<usize> {
        let target = packet.meeting_src.path.canonicalize().ok()?;
        self.meetings.iter().position(|m| m.meeting_src.path.canonicalize().ok().as_ref() == Some(&target))
    }
}

/// `112 年第 2 次會議`
pub fn label(p: &Packet) -> String {
    format!("{} 年第 {} 次會議", zh::roc_year(p.meeting.date.0), p.meeting.number)
}

/// Item-level decision id: `112-2-D2` (clause ids add `-1`, `-2`, …).
pub fn item_id(p: &Packet, item: &minutes::ItemRef) -> String {
    format!("{}-{}-{}{}", zh::roc_year(p.meeting.date.0), p.meeting.number, item.section.letter(), item.index + 1)
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
}

fn meeting_dir_name(p: &Packet) -> String {
    let dir = p.meeting_dir.canonicalize().unwrap_or_else(|_| p.meeting_dir.clone());
    dir.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Walk the series in order: each meeting sees every decision of the meeting before
/// it plus older ones kept 繼續列管, reports on them, and closes or keeps them.
pub fn timeline(series: &Series) -> Result<Timeline> {
    timeline_of(&series.dir, &series.meetings)
}

/// [`timeline`] over the first meetings only: what was known when the last was held.
fn timeline_of(dir: &Path, meetings: &[Packet]) -> Result<Timeline> {
    let mut decisions: Vec<Decision> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut open_at = Vec::new();
    let mut errors = Vec::new();
    let mut findings = Vec::new();
    for (k, p) in meetings.iter().enumerate() {
        open_at.push(open.clone());
        let track_items: Vec<(String, &crate::model::Item)> = p
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
            let decided = track_items.iter().any(|(_, it)| it.decision.as_deref().is_some_and(|d| !d.trim().is_empty()));
            for &d in &open {
                let found = track_items.iter().find_map(|(field, it)| {
                    it.progress.iter().enumerate().find(|(_, pr)| pr.id == decisions[d].id).map(|(j, pr)| (field, j, pr))
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
                                format!("列管決定 {} 尚未填寫辦理情形（[[…progress]] id = \"{}\"）：{}", decisions[d].id, decisions[d].id, decisions[d].title),
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
                        known.sort_by_key(|id| crate::diag::edit_distance(id, &pr.id));
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
        // This meeting's own decisions open for the next one.
        for item in minutes::items(p) {
            let id = item_id(p, &item);
            let Some(decision) = item.decision.filter(|d| !d.trim().is_empty()) else {
                // Only a problem when a later meeting needs the table.
                if meetings[k + 1..].iter().any(|m| m.meeting.reports.iter().chain(&m.meeting.discussions).any(|it| it.track)) {
                    errors.push(p.meeting_src.error_at(
                        &format!("{}.decision", item.field),
                        format!("{} 尚無決定（議），無法產生下次會議的辦理情形表：{}", label(p), item.title),
                    ));
                }
                continue;
            };
            let clause_ids = minutes::decision_clauses(p, &item).into_iter().map(|c| c.id).collect();
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
    Ok(Timeline { decisions, open_at, findings })
}


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
pub fn table_for(packet: &Packet) -> Result<Option<(Vec<TableRow>, Vec<Diagnostic>)>> {
    let has_track = packet.meeting.reports.iter().chain(&packet.meeting.discussions).any(|it| it.track);
    if !has_track {
        return Ok(None);
    }
    // The series by the path the user named, so that messages say `dgbas/113-1/meeting.toml`.
    let named = packet.group_src.path.parent().filter(|d| !d.as_os_str().is_empty());
    let series = Series::load_shared(named.unwrap_or(Path::new(".")))?;
    let k = series.position(packet).ok_or_else(|| {
        Diagnostic::error("這個會議不在其系列目錄中").at_file(&packet.meeting_src.path)
    })?;
    // Later meetings do not matter (and may be unfinished drafts).
    let tl = timeline_of(&series.dir, &series.meetings[..=k])?;
    let this = &series.meetings[k];
    let previous = k.checked_sub(1).map(|i| meeting_dir_name(&series.meetings[i]));
    let mut rows = Vec::new();
    for &d in &tl.open_at[k] {
        let dec = &tl.decisions[d];
        let section = match dec.section {
            ItemSection::Report => "報告事項",
            ItemSection::Discussion => "討論事項",
            ItemSection::Motion => "臨時動議",
        };
        let group = if Some(&dec.meeting) == previous.as_ref() {
            section.to_string()
        } else {
            format!("{}{section}（繼續列管）", dec.meeting_label)
        };
        let this_dir = meeting_dir_name(this);
        let mut parts = Vec::new();
        let mut advice = None;
        for r in &dec.history {
            if r.meeting == this_dir {
                parts.push(r.status.clone());
                advice = r.advice.map(|a| format!("建議{}", a.label()));
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

/// `packet new`: create the next meeting of the series dated `date`, with the tracking
/// item pre-filled with every decision still open. Returns the new meeting.toml.
pub fn new_meeting(series_dir: &Path, date: chrono::NaiveDate) -> Result<(PathBuf, Vec<Diagnostic>)> {
    let series = Series::load(series_dir)?;
    let roc = zh::roc_year(date);
    if roc < 1 {
        return Err(Diagnostic::error("會議日期須在民國元年以後").field("--date").into());
    }
    if let Some(later) = series.meetings.iter().find(|m| m.meeting.date.0 >= date) {
        return Err(Diagnostic::error(format!(
            "已有同日或較晚的會議 {}（{}）；新會議須排在系列最後",
            label(later),
            later.meeting.date.0
        ))
        .at_file(&later.meeting_src.path)
        .into());
    }
    // The count restarts with each ROC year.
    let number = series.meetings.iter().filter(|m| zh::roc_year(m.meeting.date.0) == roc).count() + 1;
    let dir = series_dir.join(format!("{roc}-{number}"));
    let file = dir.join("meeting.toml");
    if file.exists() {
        return Err(Diagnostic::error("已存在，不覆寫（請改名或刪除後再試）").at_file(&file).into());
    }
    let last = series.meetings.last();
    let group = match last {
        Some(p) => p.group.clone(),
        None => {
            let src = crate::model::SourceFile::read(&series_dir.join("group.toml"))?;
            crate::model::load::<crate::model::Group>(&src)?
        }
    };
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    out.push_str(&format!("# {}「{}」{roc} 年第 {number} 次會議（packet new 產生）\n\n", group.agency, group.name));
    out.push_str(&format!("number = {number}\ndate = {date}\n"));
    match last {
        Some(p) => {
            out.push_str(&format!("time = {}\n", q(&p.meeting.time.0.format("%H:%M").to_string())));
            out.push_str(&format!("place = {}\n", q(&p.meeting.place)));
            if let Some(chair) = &p.meeting.chair {
                out.push_str(&format!("chair = {}\n", q(chair)));
            }
        }
        None => out.push_str("time = \"14:00\"\nplace = \"（請填寫地點）\"\n"),
    }
    let unit = group.unit.clone().unwrap_or_else(|| "（請填寫單位）".into());
    let mut warnings = Vec::new();
    if last.is_some() {
        let tl = timeline(&series)?;
        out.push_str(&format!(
            "\n[[report]]\nunit = {}\ntitle = \"上次會議決定（議）事項辦理情形，報請鑒察。\"\ntrack = true\n",
            q(&unit)
        ));
        for d in tl.decisions.iter().filter(|d| d.status == Status::Open) {
            out.push_str(&format!("\n# {}（{} {}）{}\n", d.id, d.meeting_label, section_label(d.section), one_line(&d.title)));
            out.push_str(&format!("# 決定（議）：{}\n", one_line(&d.decision)));
            out.push_str(&format!("[[report.progress]]\nid = {}\nstatus = \"\"            # 辦理情形\n", q(&d.id)));
            if group.rules.tracking_advice {
                out.push_str("# advice = \"解除列管\"   # 列管建議：解除列管 或 繼續列管\n");
            }
        }
        // Decisions the last meeting has not recorded yet cannot be listed.
        if let Some(p) = last {
            for item in minutes::items(p) {
                if item.decision.is_none_or(|d| d.trim().is_empty()) {
                    warnings.push(
                        p.meeting_src
                            .error_at(&format!("{}.decision", item.field), format!("{} 尚無決定（議），未列入列管：{}", label(p), item.title))
                            .severity(Severity::Warning),
                    );
                }
            }
        }
    } else {
        out.push_str(&format!("\n[[report]]\nunit = {}\ntitle = \"（請填寫案由）\"\n", q(&unit)));
    }
    std::fs::create_dir_all(&dir).map_err(|e| {
        Diagnostic::error(format!("無法建立目錄：{}", crate::output::io_reason(&e))).at_file(&dir)
    })?;
    crate::output::write_new(&file, out.as_bytes())?;
    Ok((file, warnings))
}

fn section_label(s: ItemSection) -> &'static str {
    match s {
        ItemSection::Report => "報告事項",
        ItemSection::Discussion => "討論事項",
        ItemSection::Motion => "臨時動議",
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `packet tracking`: the series' decisions as CSV (UTF-8 with BOM, for Excel).
pub fn to_csv(tl: &Timeline) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(["決定編號", "會議", "類別", "案由", "決定（議）", "辦理情形", "列管狀態"]);
    for d in &tl.decisions {
        let history: Vec<String> = d
            .history
            .iter()
            .map(|r| {
                let outcome = r.outcome.map(|o| format!("〔{}〕", o.label())).unwrap_or_default();
                format!("{}：{}{outcome}", r.meeting_label, if r.status.trim().is_empty() { "（未填）" } else { r.status.trim() })
            })
            .collect();
        let _ = w.write_record([
            d.id.as_str(),
            d.meeting_label.as_str(),
            section_label(d.section),
            d.title.as_str(),
            d.decision.trim(),
            history.join("\n").as_str(),
            d.status.label(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `packet tracking`: a readable listing.
pub fn to_text(tl: &Timeline) -> String {
    let mut out = String::new();
    for d in &tl.decisions {
        out.push_str(&format!("{}  {}  {}  {}\n", d.id, d.status.label(), d.meeting_label, d.title));
        out.push_str(&format!("    決定（議）：{}\n", one_line(&d.decision)));
        for r in &d.history {
            let outcome = r.outcome.map(|o| format!("〔{}〕", o.label())).unwrap_or_default();
            let status = if r.status.trim().is_empty() { "（未填）".to_string() } else { one_line(&r.status) };
            out.push_str(&format!("    {}：{status}{outcome}\n", r.meeting_label));
        }
    }
    out
}

/// The decisions `packet` reports on (its tracking table), each with this meeting's
/// report: 辦理情形, 列管建議 and, once decided, the outcome. Empty without a tracking item.
pub fn reports_at(packet: &Packet) -> Result<Vec<(Decision, Report)>> {
    let tracks = packet.meeting.reports.iter().chain(&packet.meeting.discussions).any(|it| it.track);
    if !tracks {
        return Ok(Vec::new());
    }
    let series = Series::load_shared(&packet.series_dir)?;
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
