//! The routes that read: the form's state, the long-poll for changes and the preview's
//! pages, all from the files as they are (the downloads are in download.rs).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::api::{PreviewReply, StateReply, WaitReply};
use super::http::{Answer, ApiError, json_reply, reply};
use super::state::{self, DocKind, Preview};
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

    /// The preview of the files as they are now, laid out again only when they changed.
    fn preview_of(&self, name: &str, dir: &Path, doc: DocKind) -> Arc<Preview> {
        let mut cache = self.previewing.lock().unwrap_or_else(|p| p.into_inner());
        let version = self.version();
        let before = cache.get(&(name.to_string(), doc)).cloned();
        if let Some((v, preview)) = &before
            && *v == version
        {
            return preview.clone();
        }
        let before = before.map(|(_, p)| p);
        let preview = Arc::new(state::preview(dir, doc, &self.build, self.fonts.current(), before.as_deref()));
        cache.retain(|(m, _), _| m == name);
        cache.insert((name.to_string(), doc), (version, preview.clone()));
        preview
    }

    fn doc_kind(params: &Params) -> Result<DocKind, ApiError> {
        DocKind::parse(params.get("doc").map_or("agenda", String::as_str)).ok_or_else(|| ApiError::new(404, "找不到"))
    }

    pub(super) fn preview_list(&self, params: &Params) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let preview = self.preview_of(&name, &dir, Self::doc_kind(params)?);
        let errors = preview.errors.iter().map(state::finding).collect();
        Ok(json_reply(200, &PreviewReply { pages: preview.hashes.clone(), errors }))
    }

    /// One page as SVG, by number and hash (a stale hash is 404: the list has moved on).
    pub(super) fn page(&self, params: &Params) -> Answer {
        let Meeting { name, dir } = self.meeting(params)?;
        let preview = self.preview_of(&name, &dir, Self::doc_kind(params)?);
        let n: usize = params.get("n").and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
        match (preview.pages.get(n), preview.hashes.get(n)) {
            (Some(svg), Some(hash)) if params.get("h") == Some(hash) => {
                Ok(reply(200, "image/svg+xml", svg.as_bytes().to_vec()))
            }
            _ => Err(ApiError::new(404, "此頁已更新")),
        }
    }
}
