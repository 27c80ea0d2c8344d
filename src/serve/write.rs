//! An edit written into meeting.toml (or group.toml) only onto the version the tab saw.
//!
//! A text editor saves by truncating and writing, sometimes in two writes: read at that
//! moment the file is empty or half, and an edit onto it would write one line over the
//! whole meeting. So the page sends the hash of the file it was drawn from; the edit is
//! applied only when the file is still that version, or when both that version and the
//! file now are of the line of versions this server wrote since the file last changed
//! outside (other tabs' edits, which change only the fields they name). Anything else, an
//! empty file, or one that does not parse, is "changed outside": nothing is written and
//! the page shows the file again.
//!
//! Fields are named by index (`report[1].title`): each indexed step also names the item's
//! fingerprint as the tab saw it, and the edit goes to that item wherever it is now (the
//! server remembers what each of its own writes made of an item's fingerprint), or is
//! refused when it is gone; never into its neighbour.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::api::Anchor;
use super::edit::{self, Op, Step, parse_path};
use super::http::ApiError;
use super::state::{content_hash, fingerprint, read_settled, read_source, to_json};
use crate::output::write_atomic_keeping_mode;

/// How many of its own versions of a file the server remembers, and how many
/// fingerprint changes.
const KEEP_VERSIONS: usize = 1000;
const KEEP_SUCCESSORS: usize = 100_000;

/// What the server wrote: each file's line of versions since it last changed outside
/// (the version the server first edited, then each it wrote), and what its writes made of
/// items.
#[derive(Default)]
pub(super) struct Ledger {
    versions: HashMap<PathBuf, VecDeque<String>>,
    successors: HashMap<String, Vec<String>>,
}

impl Ledger {
    /// Whether an edit made against `base` may go onto the file as it is now (`now`).
    fn may_edit(&mut self, file: &Path, base: &str, now: &str) -> bool {
        let line = self.versions.entry(file.to_path_buf()).or_default();
        if !line.iter().any(|h| h == now) {
            // Changed outside since the server last wrote it: a new line starts here.
            line.clear();
        }
        now == base || (line.iter().any(|h| h == base))
    }

    /// Whether `file` holds what the server last wrote to it.
    pub(super) fn is_last_written(&self, file: &Path) -> bool {
        let last = self.versions.get(file).and_then(|line| line.back());
        last.is_some_and(|hash| read_source(file).is_ok_and(|now| now.hash == *hash))
    }

    /// [`Ledger::may_edit`] without starting a new line: a draft changes nothing.
    fn may_draft(&self, file: &Path, base: &str, now: &str) -> bool {
        let line = self.versions.get(file);
        let ours = |h: &str| line.is_some_and(|l| l.iter().any(|v| v == h));
        now == base || (ours(now) && ours(base))
    }

    fn record(&mut self, file: &Path, before: &str, hash: String) {
        let line = self.versions.entry(file.to_path_buf()).or_default();
        if line.is_empty() {
            line.push_back(before.to_string());
        }
        line.push_back(hash);
        if line.len() > KEEP_VERSIONS {
            line.pop_front();
        }
    }

    /// `fp` and every fingerprint the server's writes made of it since.
    fn descendants(&self, fp: &str) -> HashSet<String> {
        let mut seen = HashSet::from([fp.to_string()]);
        let mut queue = vec![fp.to_string()];
        while let Some(next) = queue.pop() {
            for after in self.successors.get(&next).into_iter().flatten() {
                if seen.len() < 4096 && seen.insert(after.clone()) {
                    queue.push(after.clone());
                }
            }
        }
        seen
    }
}

/// An edit to make: the file, the version the tab saw, the items its paths go through.
pub(super) struct Edit<'a> {
    pub file: &'a Path,
    pub base: &'a str,
    pub items: &'a [Anchor],
    pub ops: Vec<Op>,
    /// Given the file's text as the edit leaves it, before it is written: may refuse it.
    pub keeps: Option<Keeps<'a>>,
}

/// A check of a file's text as an edit would leave it.
pub(super) type Keeps<'a> = &'a dyn Fn(&str) -> Result<(), ApiError>;

/// Written: the file's new hash and the fields changed, at their paths now.
pub(super) struct Written {
    pub hash: String,
    pub fields: Vec<String>,
}

const CHANGED: &str =
    "檔案已在編輯器之外被修改（例如另一個程式存檔）；這次的修改未儲存，頁面已顯示檔案目前的內容，請再輸入一次";

/// An edit applied in memory: the file's text as it would be written, with what it was.
pub(super) struct Applied {
    /// The hash of the file as read.
    pub base: String,
    pub out: String,
    pub before: Json,
}

/// Apply `edit` to its file if it is still the version the tab saw (see the module's
/// comment); `checked` is given the operations pointed at their items before anything is
/// written: it may complete them (a new member's id) or refuse them. The caller holds the
/// write lock.
pub(super) fn write_edit(
    ledger: &mut Ledger,
    mut edit: Edit,
    checked: impl FnOnce(&mut [Op]) -> Result<(), ApiError>,
) -> Result<Written, ApiError> {
    let file = edit.file;
    let Applied { base, out, before } = apply_edit(ledger, &mut edit, true, checked)?;
    // A roster edit must leave every meeting of the series loading (group.toml only).
    if let Some(keeps) = edit.keeps {
        keeps(&out)?;
    }
    let at = |m: String| ApiError::new(409, m);
    let after = toml::from_str::<toml::Table>(out.trim_start_matches('\u{feff}'))
        .map(|t| to_json(&toml::Value::Table(t)))
        .map_err(|e| at(format!("內部錯誤：寫出的 TOML 無法讀回：{e}")))?;
    // The narrowest window: the file read once more just before it is replaced.
    if read_source(file).map(|s| s.hash).ok().as_deref() != Some(base.as_str()) {
        return Err(ApiError::changed(CHANGED));
    }
    write_atomic_keeping_mode(file, out.as_bytes())?;
    let hash = content_hash(out.as_bytes());
    ledger.record(file, &base, hash.clone());
    remember_items(ledger, &edit.ops, &before, &after);
    Ok(Written { hash, fields: edit.ops.iter().map(Op::field).collect() })
}

/// `edit` applied to its file's text in memory, nothing written: the preview of what is
/// typed before it is saved. Refused as [`write_edit`] would refuse it; the ledger is
/// only read.
pub(super) fn draft_edit(ledger: &mut Ledger, mut edit: Edit) -> Result<String, ApiError> {
    apply_edit(ledger, &mut edit, false, |_| Ok(())).map(|a| a.out)
}

/// The checks and the operations of an edit, on the file's text as read now; `writing`
/// starts a new line of versions when the file changed outside.
fn apply_edit(
    ledger: &mut Ledger,
    edit: &mut Edit,
    writing: bool,
    checked: impl FnOnce(&mut [Op]) -> Result<(), ApiError>,
) -> Result<Applied, ApiError> {
    // A value its field cannot hold is refused at the field, before the file is read.
    if let Some((field, message)) = edit.ops.iter().find_map(|op| invalid_value(op).map(|m| (op.field(), m))) {
        return Err(ApiError::at_field(field, message));
    }
    let file = edit.file;
    let (source, table) = read_settled(file).map_err(|d| ApiError::changed(format!("{CHANGED}（{}）", d.message)))?;
    if source.text.trim().is_empty() {
        return Err(ApiError::changed("檔案目前是空的（可能正由另一個程式存檔）；這次的修改未儲存，頁面已重新載入"));
    }
    let allowed = if writing {
        ledger.may_edit(file, edit.base, &source.hash)
    } else {
        ledger.may_draft(file, edit.base, &source.hash)
    };
    if !allowed {
        return Err(ApiError::changed(CHANGED));
    }
    let unparsable = || ApiError::changed("檔案目前有格式錯誤（可能正由另一個程式存檔）；這次的修改未儲存");
    let mut doc: toml_edit::DocumentMut = source.text.parse().map_err(|_| unparsable())?;
    let before = to_json(&toml::Value::Table(table.map_err(|_| unparsable())?));
    for op in &mut edit.ops {
        if let Some(path) = op.path_mut() {
            *path = resolve(&before, path, edit.items, ledger)?;
        }
    }
    checked(&mut edit.ops)?;
    let at = |m: String| ApiError::new(409, m);
    for op in &edit.ops {
        edit::apply(&mut doc, op).map_err(at)?;
    }
    let mut out = doc.to_string();
    if source.crlf {
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if source.bom {
        out.insert(0, '\u{feff}');
    }
    if out.len() as u64 > crate::model::input::MAX_TOML_BYTES {
        return Err(at("檔案將超過 16 MiB，未儲存".into()));
    }
    Ok(Applied { base: source.hash, out, before })
}

/// Why a date or time typed into its field is none, in the words `packet check` uses: it
/// is read as the model reads that field (ISO or ROC dates; 24-hour times; 未記錄 where a
/// time may be unrecorded). Written, it would stop the meeting loading.
fn invalid_value(op: &Op) -> Option<String> {
    match op {
        Op::Set { path, value: Json::String(text) } => {
            invalid_text(path, path.rsplit('.').next().unwrap_or(path), text)
        }
        // A new table's fields (a reply with the day it came in).
        Op::Append { path, fields } => fields
            .iter()
            .find_map(|(key, value)| value.as_str().and_then(|text| invalid_text(&format!("{path}.{key}"), key, text))),
        _ => None,
    }
}

/// Why `text` cannot be the value of field `key` (at `path`), if it cannot.
fn invalid_text(path: &str, key: &str, text: &str) -> Option<String> {
    use crate::model::{Date, MeetingTime, Time};
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};
    let typed = || StrDeserializer::<Error>::new(text);
    let read = match key {
        "date" | "sent" | "notice_sent" | "materials_sent" | "draft_minutes_sent" | "published" | "listed"
        | "term_start" | "term_end" | "appointed" | "left" | "received" | "deadline" | "final" => {
            Date::deserialize(typed()).map(drop)
        }
        "time" => MeetingTime::deserialize(typed()).map(drop),
        "end" if path != "notice.end" => MeetingTime::deserialize(typed()).map(drop),
        "start" | "end" => Time::deserialize(typed()).map(drop),
        _ => return None,
    };
    read.err().map(|e| e.to_string())
}

/// The items whose content the operations changed (every item on an operation's path,
/// but the one a move or removal names, which keeps its content): what each became.
fn remember_items(ledger: &mut Ledger, ops: &[Op], before: &Json, after: &Json) {
    if ledger.successors.len() > KEEP_SUCCESSORS {
        ledger.successors.clear();
    }
    for op in ops {
        let Some(Ok(steps)) = op.path().map(parse_path) else { continue };
        let whole = matches!(op, Op::Move { .. } | Op::Remove { .. }) && matches!(steps.last(), Some(Step::Index(_)));
        let end = if whole { steps.len() - 1 } else { steps.len() };
        for k in 0..end {
            if !matches!(steps[k], Step::Index(_)) {
                continue;
            }
            let (Some(old), Some(new)) = (value_at(before, &steps[..=k]), value_at(after, &steps[..=k])) else {
                continue;
            };
            let (old, new) = (fingerprint(old), fingerprint(new));
            if old != new {
                let next = ledger.successors.entry(old).or_default();
                if !next.contains(&new) {
                    next.push(new);
                }
            }
        }
    }
}

/// The value at `steps` in the file as JSON.
fn value_at<'a>(root: &'a Json, steps: &[Step]) -> Option<&'a Json> {
    steps.iter().try_fold(root, |here, step| match step {
        Step::Key(k) => here.get(k),
        Step::Index(i) => here.get(*i),
    })
}

/// `path` as the tab saw it, pointed at where each of its items is now.
fn resolve(tree: &Json, path: &str, items: &[Anchor], ledger: &Ledger) -> Result<String, ApiError> {
    let steps = parse_path(path).map_err(|m| ApiError::new(409, m))?;
    let (mut seen, mut now) = (String::new(), String::new());
    let mut here = Some(tree);
    for step in steps {
        match step {
            Step::Key(key) => {
                let dot = if seen.is_empty() { "" } else { "." };
                seen = format!("{seen}{dot}{key}");
                now = format!("{now}{dot}{key}");
                here = here.and_then(|h| h.get(&key));
            }
            Step::Index(i) => {
                seen = format!("{seen}[{i}]");
                let list = here.and_then(Json::as_array).filter(|l| l.iter().all(Json::is_object));
                let j = match list {
                    Some(list) if !list.is_empty() => {
                        let anchor = items.iter().find(|a| a.path == seen).ok_or_else(|| {
                            ApiError::changed(format!("內部錯誤：修改未指明項目（{seen}）；頁面已重新載入"))
                        })?;
                        locate(list, i, &anchor.fp, ledger)?
                    }
                    _ => i,
                };
                now = format!("{now}[{j}]");
                here = here.and_then(|h| h.get(j));
            }
        }
    }
    Ok(now)
}

/// Where the item the tab saw at `i` with fingerprint `fp` is now.
fn locate(list: &[Json], i: usize, fp: &str, ledger: &Ledger) -> Result<usize, ApiError> {
    let known = ledger.descendants(fp);
    let fps: Vec<String> = list.iter().map(fingerprint).collect();
    if fps.get(i).is_some_and(|f| known.contains(f)) {
        return Ok(i);
    }
    let found: Vec<usize> = (0..fps.len()).filter(|&k| known.contains(&fps[k])).collect();
    match found.as_slice() {
        [k] => Ok(*k),
        _ => Err(ApiError::changed(
            "這一項已在別處（另一個分頁或程式）被移動、修改或刪除；這次的修改未儲存，頁面已顯示目前的內容",
        )),
    }
}
