//! What stands between the meeting and a correct publication on data.gov.tw, as the page
//! shows it before the 開放資料包 download: what keeps the minutes a draft (the bundle is
//! refused until they are final), the group's publication settings `packet export`
//! refuses or warns about (the same messages, from [`crate::export::settings_findings`]),
//! and the publication deadline with whether it is past.

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Severity};
use crate::model::Packet;
use crate::model::calendar::Deadlines;
use crate::rules::proceedings;

/// The meeting's standing for publication (the page's `state.publication`).
pub struct Standing {
    /// What keeps the minutes a draft, or stops them being made: none when final.
    pub missing: Vec<Diagnostic>,
    /// The group's publication settings the bundle refuses (errors) or warns about.
    pub settings: Vec<Diagnostic>,
    /// The day the meeting is due on the platform, counted on a computed year or not.
    pub due: Option<NaiveDate>,
    pub provisional: bool,
    /// `[dates] published` as recorded.
    pub published: Option<NaiveDate>,
    /// Past the due day without a publication recorded, or published after it.
    pub late: bool,
    /// Where the agency keeps the files, as group.toml has it (for the steps after).
    pub base_url: Option<String>,
}

/// The meeting's standing for publication today.
pub fn standing(packet: &Packet, deadlines: Option<&Deadlines>) -> Standing {
    let mut missing = proceedings::record_errors(packet);
    missing.extend(proceedings::missing(packet));
    let published = packet.meeting.dates.published.map(|d| d.0);
    let due = deadlines.map(|d| d.publication_due);
    let today = crate::model::today();
    let base_url = packet.group.open_data.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    Standing {
        missing,
        settings: crate::export::settings_findings(packet),
        due,
        provisional: deadlines.is_some_and(|d| d.provisional.publication_due),
        published,
        late: due.is_some_and(|due| published.map_or(today > due, |p| p > due)),
        base_url: base_url.map(str::to_string),
    }
}

/// Why the bundle cannot be made now, in words for the page: the minutes not final (what
/// is missing), or a publication setting the bundle refuses.
pub fn bundle_refused(packet: &Packet) -> Option<String> {
    let mut missing = proceedings::record_errors(packet);
    missing.extend(proceedings::missing(packet));
    let said =
        |list: &[crate::diag::Diagnostic]| list.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("；");
    if !missing.is_empty() {
        return Some(format!(
            "會議紀錄尚未定稿，開放資料包只收定稿的會議紀錄；請先補齊：{}。定稿前可下載會議紀錄草稿送委員確認",
            said(&missing)
        ));
    }
    let refused: Vec<_> =
        crate::export::settings_findings(packet).into_iter().filter(|d| d.severity == Severity::Error).collect();
    (!refused.is_empty()).then(|| format!("小組的開放資料設定尚不完整，無法產生開放資料包：{}", said(&refused)))
}

/// The whole series' standing for its one dataset (`packet export <series>`), worked out
/// without compiling: the meetings left out (not held yet: one line each, the command's
/// words), why the bundle cannot be made now (a held meeting's minutes not final: the
/// command refuses them without `--allow-draft`, which the page does not offer; no
/// meeting held; a setting refused) and the settings' warnings, of the newest held meeting.
pub struct SeriesStanding {
    pub held: Vec<String>,
    pub left_out: Vec<Diagnostic>,
    pub refused: Option<String>,
    pub warnings: Vec<Diagnostic>,
}

/// The series of `dir` as `packet export <dir>` would take it today.
pub fn series_standing(dir: &std::path::Path) -> Result<SeriesStanding, crate::diag::Diagnostics> {
    let series = crate::model::Series::load(dir)?;
    let mut standing = SeriesStanding { held: Vec::new(), left_out: Vec::new(), refused: None, warnings: Vec::new() };
    let mut drafts = Vec::new();
    let mut last = None;
    for packet in &series.meetings {
        if !proceedings::MeetingState::of(packet).held() {
            standing.left_out.push(crate::export::series::left_out(packet));
            continue;
        }
        standing.held.push(crate::rules::tracking::meeting_dir_name(packet));
        let mut missing = proceedings::record_errors(packet);
        missing.extend(proceedings::missing(packet));
        if !missing.is_empty() {
            let said: Vec<_> = missing.iter().map(|d| d.message.as_str()).collect();
            drafts.push(format!("{}（{}）", crate::model::label(packet), said.join("；")));
        }
        last = Some(packet);
    }
    let Some(last) = last else {
        standing.refused = Some("系列中還沒有已舉行的會議（有會議紀錄者），沒有可公開的資料".into());
        return Ok(standing);
    };
    let (refused, warnings): (Vec<_>, Vec<_>) =
        crate::export::settings_findings(last).into_iter().partition(|d| d.severity == Severity::Error);
    standing.warnings = warnings;
    let said = |list: &[Diagnostic]| list.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("；");
    standing.refused = if !drafts.is_empty() {
        Some(format!(
            "已舉行的會議中，下列會議紀錄尚未定稿，全系列資料集只收定稿的會議紀錄：{}。請先定稿，或改下載已定稿的單次會議資料包",
            drafts.join("；")
        ))
    } else if !refused.is_empty() {
        Some(format!("小組的開放資料設定尚不完整，無法產生全系列資料集：{}", said(&refused)))
    } else {
        None
    };
    Ok(standing)
}
