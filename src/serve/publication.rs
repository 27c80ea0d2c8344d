//! What stands between the meeting and a correct publication on data.gov.tw, as the page
//! shows it before the 開放資料包 download: what keeps the minutes a draft (the bundle is
//! refused until they are final), the group's publication settings `packet export`
//! refuses or warns about (the same messages, from [`crate::export::settings_findings`]),
//! and the publication deadline with whether it is past.

use serde::Serialize;

use super::api::Finding;
use super::state::finding;
use crate::diag::Severity;
use crate::model::Packet;
use crate::model::calendar::Deadlines;
use crate::rules::proceedings;

/// `state.publication`: null when the meeting does not load (its errors are the findings).
#[derive(Serialize)]
pub struct PublicationState {
    /// The minutes are final: the bundle can be made.
    pub final_minutes: bool,
    /// What keeps the minutes a draft, or stops them being made.
    pub missing: Vec<Finding>,
    /// The group's publication settings the bundle refuses (`error`) or warns about.
    pub settings: Vec<Finding>,
    /// The day the meeting is due on the platform (`2024-05-17`), counted on a computed
    /// year (`provisional`) or not; null when the dates cannot be counted.
    pub due: Option<String>,
    pub provisional: bool,
    /// `[dates] published` as recorded.
    pub published: Option<String>,
    /// Past the due day without a publication recorded, or published after it.
    pub late: bool,
    /// Where the agency keeps the files, as group.toml has it (for the steps after).
    pub base_url: Option<String>,
}

/// The meeting's standing for publication today.
pub fn publication_state(packet: &Packet, deadlines: Option<&Deadlines>) -> PublicationState {
    let mut missing = proceedings::record_errors(packet);
    missing.extend(proceedings::missing(packet));
    let settings = crate::export::settings_findings(packet);
    let published = packet.meeting.dates.published.map(|d| d.0);
    let due = deadlines.map(|d| d.publication_due);
    let today = crate::model::today();
    let late = due.is_some_and(|due| published.map_or(today > due, |p| p > due));
    let base_url = packet.group.open_data.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    PublicationState {
        final_minutes: missing.is_empty(),
        missing: missing.iter().map(finding).collect(),
        settings: settings.iter().map(finding).collect(),
        due: due.map(|d| d.format("%Y-%m-%d").to_string()),
        provisional: deadlines.is_some_and(|d| d.provisional.publication_due),
        published: published.map(|d| d.format("%Y-%m-%d").to_string()),
        late,
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
