//! The routes that read: the form's state, the long-poll for changes and the preview's
//! pages, from the files as they are or, for a draft, with what is typed and not yet
//! saved applied in memory (the downloads are in download.rs).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::api::{EditRequest, PreviewReply, StateReply, WaitReply};
use super::http::{Answer, ApiError, json_reply, reply};
use super::state::{self, DocKind, PageSvg, Preview};
use super::write::{Edit, draft_edit};
use super::{App, Meeting, Params, WAIT};

impl App {
    pub(super) fn state(&self, params: &Params) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let version = self.version();
        let view = state::meeting_state(&self.series, &dir, &self.calendar);
        let meetings = state::meetings(&self.series).unwrap_or_default().into_iter().map(|(n, _)| n).collect();
        let reply = StateReply {
            meeting: name,
            meetings,
            version,
            items: state::item_fingerprints(&view.doc),
            group_items: state::item_fingerprints(&view.group),
            doc: view.doc,
            group: view.group,
            group_error: view.group_error,
            hashes: view.hashes,
            members: view.members,
            findings: view.findings,
            open: view.open,
            deadlines: view.deadlines,
            deadline_acts: view.deadline_acts,
            corrections: view.corrections,
            publication: view.publication,
            next_term: super::change::next_term(&self.series),
        };
        Ok(json_reply(200, &reply))
    }

    /// Answer when the files change (version above `since`) or a notice waits for this
    /// client, or after [`WAIT`].
    pub(super) fn wait(&self, params: &Params) -> Answer {
        let since: u64 = params.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
        let client = params.get("client").cloned().unwrap_or_default();
        let deadline = Instant::now() + WAIT;
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let has_notice = shared.notices.get(&client).is_some_and(|n| !n.is_empty());
            let now = Instant::now();
            if shared.version > since || has_notice || now >= deadline {
                break;
            }
            shared = self.changed.wait_timeout(shared, deadline - now).unwrap_or_else(|p| p.into_inner()).0;
        }
        let notices = shared.notices.remove(&client).unwrap_or_default();
        Ok(json_reply(200, &WaitReply { version: shared.version, notices }))
    }

    /// What a preview of `meeting_text` (or of the meeting.toml on disk) is laid out from:
    /// the changes made outside to the series' files so far, and the text of every TOML
    /// file of the series (the meeting's as drafted; the others, whose 列管 rows it may
    /// print, as on disk). A preview of the same inputs is the same preview.
    fn inputs(&self, dir: &Path, meeting_text: Option<&str>) -> Inputs {
        let hash_of = |p: &Path| state::read_source(p).map(|s| s.hash).unwrap_or_default();
        let mut files = vec![hash_of(&self.series.join("group.toml"))];
        for other in crate::model::meeting_dirs(&self.series).unwrap_or_default() {
            files.push(match meeting_text {
                Some(text) if other == dir => state::content_hash(text.as_bytes()),
                _ => hash_of(&other.join("meeting.toml")),
            });
        }
        let outside = self.outside.load(std::sync::atomic::Ordering::SeqCst);
        (outside, state::content_hash(files.concat().as_bytes()))
    }

    /// The preview of `draft` (or, without one, of the files as they are now), laid out
    /// again only when what it is made from changed.
    fn preview_of(&self, name: &str, dir: &Path, doc: DocKind, draft: Option<String>) -> Arc<Preview> {
        // One layout at a time (they share Typst's cache and the two cores); the pages
        // stay readable meanwhile (api/page locks the previews only to find one).
        let _laying_out = self.laying_out.lock().unwrap_or_else(|p| p.into_inner());
        let lock = || self.previewing.lock().unwrap_or_else(|p| p.into_inner());
        let inputs = self.inputs(dir, draft.as_deref());
        let key = (name.to_string(), doc);
        let before = lock().last.get(&key).cloned();
        if let Some((made_of, preview)) = &before
            && *made_of == inputs
        {
            return preview.clone();
        }
        let from_files = draft.is_none();
        let before = before.map(|(_, p)| p);
        let preview = Arc::new(state::preview(dir, draft, doc, &self.build, self.fonts.current(), before.as_deref()));
        lock().keep(key, inputs, from_files, preview.clone());
        preview
    }

    fn doc_kind(params: &Params) -> Result<DocKind, ApiError> {
        DocKind::parse(params.get("doc").map_or("agenda", String::as_str)).ok_or_else(|| ApiError::new(404, "找不到"))
    }

    pub(super) fn preview_list(&self, params: &Params) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let preview = self.preview_of(&name, &dir, Self::doc_kind(params)?, None);
        Ok(preview_reply(&preview))
    }

    /// `POST api/draft`: the preview of the meeting with the edit's operations applied to
    /// its meeting.toml in memory, as `api/edit` would apply them (the same body, checks
    /// and refusals); nothing is written. The pages are kept by hash for `api/page`.
    pub(super) fn draft(&self, params: &Params, body: &[u8]) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let doc = Self::doc_kind(params)?;
        if params.get("file").is_some_and(|f| f != "meeting") {
            return Err(ApiError::new(404, "只能預覽會議資料的修改"));
        }
        let request: EditRequest =
            serde_json::from_slice(body).map_err(|e| ApiError::new(400, format!("要求格式不正確：{e}")))?;
        let file = dir.join("meeting.toml");
        let edit = Edit { file: &file, base: &request.base, items: &request.items, ops: request.ops, keeps: None };
        let text = {
            let mut ledger = self.writing.lock().unwrap_or_else(|p| p.into_inner());
            draft_edit(&mut ledger, edit)?
        };
        Ok(preview_reply(&self.preview_of(&name, &dir, doc, Some(text))))
    }

    /// One page as SVG, by hash: of the last preview (of the files or of a draft) or one
    /// kept since; a hash no longer kept is 404 (the list has moved on). Drawn here, on
    /// first request, outside the previews' lock.
    pub(super) fn page(&self, params: &Params) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let doc = Self::doc_kind(params)?;
        let hash = params.get("h").map_or("", String::as_str);
        let found = self.previewing.lock().unwrap_or_else(|p| p.into_inner()).find(&name, doc, hash);
        let page = match found {
            Some(page) => page,
            None => {
                self.preview_of(&name, &dir, doc, None);
                let previews = self.previewing.lock().unwrap_or_else(|p| p.into_inner());
                previews.find(&name, doc, hash).ok_or_else(|| ApiError::new(404, "此頁已更新"))?
            }
        };
        Ok(reply(200, "image/svg+xml", page.svg().as_bytes().to_vec()))
    }
}

fn preview_reply(preview: &Preview) -> super::http::Reply {
    let errors = preview.errors.iter().map(state::finding).collect();
    let mut items = BTreeMap::new();
    for (item, page) in &preview.items {
        items.entry(item.clone()).or_insert(*page);
    }
    json_reply(200, &PreviewReply { pages: preview.hashes.clone(), errors, items })
}

/// How many drawn pages are kept beyond the last preview's, and their size in all: a page
/// asked for just after a newer draft replaced its preview is still there. A preview of
/// the files starts the line again (a page the files no longer show is not served).
const KEEP_PAGES: usize = 200;
const KEEP_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// What a preview is made from: the count of changes made outside to the series' files, and
/// a hash of the series' TOML files (the meeting's as on disk, or as drafted).
type Inputs = (u64, String);

/// The last preview of each (meeting, document), with what it was made from, and the
/// pages drawn lately, by hash.
#[derive(Default)]
pub(super) struct Previews {
    last: HashMap<(String, DocKind), (Inputs, Arc<Preview>)>,
    kept: VecDeque<(String, DocKind, String, Arc<PageSvg>)>,
}

impl Previews {
    /// `preview` as the last of its meeting and document (the previews of other meetings
    /// go), its pages kept first in line.
    fn keep(&mut self, key: (String, DocKind), inputs: Inputs, from_files: bool, preview: Arc<Preview>) {
        self.last.retain(|(m, _), _| *m == key.0);
        self.kept.retain(|(m, d, ..)| *m == key.0 && (!from_files || *d != key.1));
        for (hash, svg) in preview.hashes.iter().zip(&preview.pages) {
            if let Some(at) = self.kept.iter().position(|(_, d, h, _)| *d == key.1 && h == hash) {
                if let Some(page) = self.kept.remove(at) {
                    self.kept.push_back(page);
                }
            } else {
                self.kept.push_back((key.0.clone(), key.1, hash.clone(), svg.clone()));
            }
        }
        let mut bytes: usize = self.kept.iter().map(|(.., page)| page.drawn_bytes()).sum();
        while self.kept.len() > KEEP_PAGES || bytes > KEEP_PAGE_BYTES {
            let Some((.., page)) = self.kept.pop_front() else { break };
            bytes -= page.drawn_bytes();
        }
        self.last.insert(key, (inputs, preview));
    }

    fn find(&self, meeting: &str, doc: DocKind, hash: &str) -> Option<Arc<PageSvg>> {
        if let Some((_, last)) = self.last.get(&(meeting.to_string(), doc))
            && let Some(n) = last.hashes.iter().position(|h| h == hash)
        {
            return last.pages.get(n).cloned();
        }
        self.kept.iter().rev().find(|(m, d, h, _)| m == meeting && *d == doc && h == hash).map(|(.., svg)| svg.clone())
    }
}
