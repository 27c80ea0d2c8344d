//! The JSON the page reads and sends, typed once here (src/serve/assets/*.js reads the
//! same names). The meeting's and group's TOML travel as they are (`doc`, `group`): their
//! shape is the model's, checked by `packet check`, not here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::edit::Op;

/// `GET api/state`: what the form is drawn from.
#[derive(Serialize)]
pub struct StateReply {
    /// The meeting shown (its folder name) and every meeting of the series, oldest first.
    pub meeting: String,
    pub meetings: Vec<String>,
    /// Bumped on every change to the series' files; `api/wait` answers when it moves.
    pub version: u64,
    /// meeting.toml and group.toml as JSON; null when they cannot be read or parsed.
    pub doc: Json,
    pub group: Json,
    /// Why group.toml cannot be read or parsed (`小組設定檔第 7 行：引號未結束（…）`); null
    /// when it can.
    pub group_error: Option<String>,
    /// The content hash of each file as read for this answer: an edit names the one it
    /// was made against (`EditRequest::base`).
    pub hashes: FileHashes,
    /// Every item of an array of tables (`report[1]`, `report[1].opinion[0]`) with its
    /// fingerprint: an edit names the items it was typed for (`EditRequest::items`).
    pub items: BTreeMap<String, String>,
    pub group_items: BTreeMap<String, String>,
    pub members: Vec<Member>,
    pub findings: Vec<Finding>,
    /// The decisions still 列管 at this meeting, for its 辦理情形 rows.
    pub open: Vec<OpenDecision>,
    /// The meeting's three working-day deadlines, each flagged when counted on a computed
    /// (暫定) year; null when the meeting cannot be read or its dates not counted.
    pub deadlines: Option<crate::model::calendar::Deadlines>,
    /// Each deadline's act today: recorded (when, late or not) or overdue; empty when the
    /// dates cannot be counted.
    pub deadline_acts: Vec<crate::rules::check::DeadlineAct>,
    /// The correction round of the draft minutes: its deadline and each member's standing
    /// today; null without `[corrections]`.
    pub corrections: Option<super::round::RoundState>,
    /// What stands between the meeting and its publication on data.gov.tw; null when the
    /// meeting cannot be read.
    pub publication: Option<PublicationState>,
    /// The term a new meeting may start (第 N+1 屆 after the last), when the group numbers
    /// its meetings by term; null otherwise.
    pub next_term: Option<u32>,
}

/// `state.publication`: what stands between the meeting and a correct publication on the
/// platform (see publication.rs).
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

/// `GET api/series`: the whole series' dataset (`packet export <series>`) as it would be
/// made now, worked out without compiling (see publication.rs).
#[derive(Serialize)]
pub struct SeriesReply {
    /// The meetings that go in (folder names), oldest first.
    pub held: Vec<String>,
    /// One line for each meeting left out (not held yet), as the command prints it.
    pub left_out: Vec<Finding>,
    /// Why the dataset cannot be made now, in words; null when it can.
    pub refused: Option<String>,
    /// The settings the command warns about.
    pub warnings: Vec<Finding>,
}

#[derive(Serialize, Default)]
pub struct FileHashes {
    pub meeting: Option<String>,
    pub group: Option<String>,
}

/// A member of the roster as the form lists it.
#[derive(Serialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub title: String,
    pub organisation: String,
}

/// A diagnostic for the page: the field it concerns, where, and what.
#[derive(Serialize)]
pub struct Finding {
    pub field: String,
    pub severity: &'static str,
    pub message: String,
    pub line: Option<usize>,
    pub file: Option<String>,
}

/// A decision still 列管: where it comes from and what was decided.
#[derive(Serialize)]
pub struct OpenDecision {
    pub id: String,
    pub meeting: String,
    pub section: String,
    pub title: String,
    pub decision: String,
}

/// `GET api/wait`: the files' version, and what this tab is told.
#[derive(Serialize)]
pub struct WaitReply {
    pub version: u64,
    pub notices: Vec<Notice>,
}

/// A field this tab wrote and another tab wrote since.
#[derive(Serialize, Clone)]
pub struct Notice {
    pub field: String,
    pub message: String,
}

/// `GET api/preview`: the pages' hashes (each fetched by `api/page`) and what stops the
/// document from being laid out.
#[derive(Serialize)]
pub struct PreviewReply {
    pub pages: Vec<String>,
    pub errors: Vec<Finding>,
    /// The page (from 0) each item (`report[0]`) starts on: the preview follows the
    /// item being edited.
    pub items: BTreeMap<String, usize>,
}

/// An item as the tab last saw it: its path then and its fingerprint.
#[derive(Deserialize, Debug, Clone)]
pub struct Anchor {
    pub path: String,
    pub fp: String,
}

/// `POST api/edit`: operations on one file, made against the version `base` of it.
#[derive(Deserialize)]
pub struct EditRequest {
    pub client: String,
    pub base: String,
    pub ops: Vec<Op>,
    /// Every item the operations' paths go through, as the tab saw it.
    #[serde(default)]
    pub items: Vec<Anchor>,
}

/// The edit is on disk: the file's new hash (the base of the tab's next edit) and the
/// fields written, where they are now.
#[derive(Serialize)]
pub struct EditReply {
    pub version: u64,
    pub hash: String,
    pub fields: Vec<String>,
}

/// `POST api/new`: the date of the next meeting, and the term it starts when the page
/// offered a new one (`StateReply::next_term`).
#[derive(Deserialize)]
pub struct NewRequest {
    pub date: String,
    #[serde(default)]
    pub term: Option<u32>,
}

#[derive(Serialize)]
pub struct NewReply {
    pub meeting: String,
}

/// `POST api/upload`: where the file is kept (`attachments/…`).
#[derive(Serialize)]
pub struct UploadReply {
    pub file: String,
}

/// Every error, in one shape.
#[derive(Serialize)]
pub struct ErrorReply {
    pub error: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub changed: bool,
    /// The field whose value was refused, as the edit named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
