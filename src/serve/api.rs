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
    /// The correction round of the draft minutes: its deadline and each member's standing
    /// today; null without `[corrections]`.
    pub corrections: Option<super::round::RoundState>,
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

/// `POST api/new`: the date of the next meeting.
#[derive(Deserialize)]
pub struct NewRequest {
    pub date: String,
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
