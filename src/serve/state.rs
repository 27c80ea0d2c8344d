//! What the editor shows of one meeting, read fresh from disk on every request: the
//! meeting.toml as JSON with its content hash and its items' fingerprints, the roster,
//! the check findings by field; and the preview pages.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use super::api::{Finding, Member, OpenDecision, PublicationState};
use crate::build::{self, BuildOptions, Input};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::model::calendar::Calendar;
use crate::model::input::{MAX_TOML_BYTES, read_regular};
use crate::model::{Packet, Series, meeting_dirs};
use crate::rules::check;
use crate::typeset::fonts::FontSet;

/// Which document the preview and the download show (not [`crate::render`]'s document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Agenda,
    Minutes,
}

impl DocKind {
    pub fn parse(name: &str) -> Option<DocKind> {
        match name {
            "agenda" => Some(DocKind::Agenda),
            "minutes" => Some(DocKind::Minutes),
            _ => None,
        }
    }
}

/// A TOML file of the series as read: its text (without a byte order mark), and what an
/// edit must keep of it (the mark, CRLF line ends) and check (the hash of its bytes).
pub struct Source {
    pub text: String,
    pub hash: String,
    pub bom: bool,
    pub crlf: bool,
}

/// The hash of a file's bytes, as the page is told it and sends it back.
pub fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes)[..16])
}

/// Read a TOML file of the series (regular files only, within the TOML limit).
pub fn read_source(path: &Path) -> Result<Source, Diagnostic> {
    let bytes = read_regular(path, MAX_TOML_BYTES)
        .map_err(|e| Diagnostic::error(format!("無法讀取：{}", e.reason())).at_file(path))?;
    let hash = content_hash(&bytes);
    let mut text = String::from_utf8(bytes).map_err(|_| Diagnostic::error("檔案不是 UTF-8 編碼").at_file(path))?;
    let bom = text.starts_with('\u{feff}');
    if bom {
        text.remove(0);
    }
    let crlf = text.contains("\r\n");
    Ok(Source { text, hash, bom, crlf })
}

/// How long a file that reads empty or does not parse is read again before it is taken as
/// it is: a text editor that saves by emptying the file and writing it anew (Notepad) shows
/// that state for a few milliseconds, and an edit or a redraw made from it would lose the
/// page's typing.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(600);

/// [`read_source`] with the file parsed, read again (every 30 ms, up to [`SETTLE`]) while
/// it is empty or does not parse as TOML: the state another program's save leaves for an
/// instant. The parse is the caller's too (it is not done twice).
pub fn read_settled(path: &Path) -> Result<(Source, Result<toml::Table, toml::de::Error>), Diagnostic> {
    let until = std::time::Instant::now() + SETTLE;
    loop {
        let read = read_source(path).map(|source| {
            let table = toml::from_str::<toml::Table>(&source.text);
            (source, table)
        });
        let settled = read.as_ref().is_ok_and(|(source, table)| !source.text.trim().is_empty() && table.is_ok());
        if settled || std::time::Instant::now() >= until {
            return read;
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
}

/// Read a TOML file of the series as text.
pub fn read_toml(path: &Path) -> Result<String, Diagnostic> {
    read_source(path).map(|s| s.text)
}

/// A TOML file of the series as plain values; None when it cannot be read or does not
/// parse (the editor then shows what it can without it).
pub fn read_table(path: &Path) -> Option<toml::Table> {
    toml::from_str(&read_toml(path).ok()?).ok()
}

/// The meetings of the series, in the order they were held: by date, then number, as
/// their meeting.toml says (folder names sort as text: `10` before `7`); the folder name,
/// its digits read as numbers, decides between meetings whose file does not say.
pub fn meetings(series: &Path) -> crate::diag::Result<Vec<(String, PathBuf)>> {
    let mut found: Vec<_> = meeting_dirs(series)?
        .into_iter()
        .map(|d| {
            let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let meeting = read_table(&d.join("meeting.toml"));
            let date =
                meeting.as_ref().and_then(|m| m.get("date")?.as_datetime()?.date).map(|d| (d.year, d.month, d.day));
            let number = meeting.as_ref().and_then(|m| m.get("number")?.as_integer());
            ((date, number, natural(&name)), (name, d))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().map(|(_, m)| m).collect())
}

/// A name as runs of digits (by value) and of other characters: `113-10` after `113-9`.
fn natural(name: &str) -> Vec<(u64, String)> {
    let mut parts = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let (run, after) = if digits > 0 {
            rest.split_at(digits)
        } else {
            rest.split_at(rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len()))
        };
        parts.push((run.parse().unwrap_or(u64::MAX), run.to_string()));
        rest = after;
    }
    parts
}

/// A TOML value as JSON (dates and times as their TOML text).
pub fn to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(list) => Json::Array(list.iter().map(to_json).collect()),
        toml::Value::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// An item's fingerprint: the hash of its content as JSON. The page names an item by it
/// beside its index, so an edit finds its item after another one moved it.
pub fn fingerprint(item: &Json) -> String {
    hex(&Sha256::digest(item.to_string().as_bytes())[..8])
}

/// Every item of every array of tables in `doc`, by path, with its fingerprint.
pub fn item_fingerprints(doc: &Json) -> BTreeMap<String, String> {
    fn walk(value: &Json, path: &str, out: &mut BTreeMap<String, String>) {
        let Json::Object(map) = value else { return };
        for (key, v) in map {
            let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            match v {
                Json::Array(list) if list.iter().all(Json::is_object) => {
                    for (i, item) in list.iter().enumerate() {
                        let at = format!("{here}[{i}]");
                        out.insert(at.clone(), fingerprint(item));
                        walk(item, &at, out);
                    }
                }
                Json::Object(_) => walk(v, &here, out),
                _ => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(doc, "", &mut out);
    out
}

/// A diagnostic for the browser: the field it concerns, where, and what.
pub fn finding(d: &Diagnostic) -> Finding {
    let severity = match d.severity {
        Severity::Warning => "warning",
        Severity::Finding => "finding",
        Severity::Error => "error",
    };
    let line = d.location.as_ref().and_then(|l| l.line);
    let file = d.location.as_ref().and_then(|l| l.file.file_name()).map(|f| f.to_string_lossy().into_owned());
    Finding { field: d.field.clone(), severity, message: d.message.clone(), line, file }
}

/// The roster as the editor lists it, read from group.toml even when the meeting does
/// not validate (the attendance must stay editable while it is being fixed). An id two
/// members hold (group.toml edited by hand) is listed once, as the meetings read it: the
/// check says so at the second member, where it can be renamed.
fn roster(group: Option<&toml::Table>) -> Vec<Member> {
    let Some(members) = group.and_then(|g| g.get("member")).and_then(|m| m.as_array()) else { return Vec::new() };
    let mut seen = std::collections::HashSet::new();
    members
        .iter()
        .filter_map(|m| {
            let field = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let id = field("id");
            (!id.is_empty() && seen.insert(id.clone())).then(|| Member {
                id,
                name: field("name"),
                kind: field("kind"),
                title: field("title"),
                organisation: field("organisation"),
            })
        })
        .collect()
}

/// The editor's view of a meeting (without its name and version, which the caller adds).
pub struct MeetingView {
    pub doc: Json,
    pub group: Json,
    /// Why group.toml could not be read or parsed, in words (its part shows it).
    pub group_error: Option<String>,
    pub hashes: super::api::FileHashes,
    pub members: Vec<Member>,
    pub findings: Vec<Finding>,
    pub open: Vec<OpenDecision>,
    pub deadlines: Option<crate::model::calendar::Deadlines>,
    pub deadline_acts: Vec<check::DeadlineAct>,
    pub corrections: Option<super::round::RoundState>,
    pub publication: Option<PublicationState>,
}

/// A TOML file as JSON and its hash; a finding instead when it cannot be read or parsed.
fn read_json(file: &Path, findings: &mut Vec<Finding>) -> (Json, Option<String>) {
    let (source, table) = match read_settled(file) {
        Ok(read) => read,
        Err(d) => {
            findings.push(finding(&d));
            return (Json::Null, None);
        }
    };
    match table {
        Ok(table) => (to_json(&toml::Value::Table(table)), Some(source.hash)),
        Err(e) => {
            let (l, c) = crate::diag::line_col(&source.text, e.span().map_or(0, |s| s.start));
            let message = crate::model::syntax_message(file, &source.text, l, e.message());
            let d = Diagnostic::error(message).at(file, l, c);
            findings.push(finding(&d));
            (Json::Null, Some(source.hash))
        }
    }
}

/// The editor's view of a meeting: its TOML and the series' group.toml as JSON (null when
/// they do not parse) with their hashes, the roster, and every finding of `packet check`
/// (or the errors that stop it loading).
pub fn meeting_state(series: &Path, meeting_dir: &Path, calendar: &Calendar) -> MeetingView {
    let mut findings = Vec::new();
    let (doc, meeting_hash) = read_json(&meeting_dir.join("meeting.toml"), &mut findings);
    let mut open = Vec::new();
    let mut deadlines = None;
    let mut deadline_acts = Vec::new();
    let mut corrections = None;
    let mut publication = None;
    if !doc.is_null() {
        let diags = match Packet::load(meeting_dir) {
            Ok(packet) => {
                let rules = check::deadline_rules(&packet.group.rules);
                deadlines = calendar.deadlines(packet.meeting.date.0, &rules).ok();
                if let Some(d) = &deadlines {
                    deadline_acts = check::deadline_acts(&packet, d, crate::model::today());
                }
                corrections = super::round::round_state(&packet, calendar);
                publication = Some(publication_state(&packet, deadlines.as_ref()));
                let series = Series::of(&packet);
                if let Some(Ok(series)) = &series {
                    open = open_decisions(&packet, series);
                }
                check::check(&packet, series.as_ref(), calendar)
            }
            Err(Diagnostics(errors)) => errors,
        };
        findings.extend(diags.iter().map(finding));
    }
    let mut unread = Vec::new();
    let (group, group_hash) = read_json(&series.join("group.toml"), &mut unread);
    // group.toml that does not parse: said where its part of the page stands.
    let group_error = unread.first().map(|f| f.message.clone());
    let members = match &group {
        Json::Null => Vec::new(),
        _ => roster(read_table(&series.join("group.toml")).as_ref()),
    };
    let hashes = super::api::FileHashes { meeting: meeting_hash, group: group_hash };
    MeetingView {
        doc,
        group,
        group_error,
        hashes,
        members,
        findings,
        open,
        deadlines,
        deadline_acts,
        corrections,
        publication,
    }
}

/// The meeting's standing for publication, for the page.
fn publication_state(packet: &Packet, deadlines: Option<&crate::model::calendar::Deadlines>) -> PublicationState {
    let s = super::publication::standing(packet, deadlines);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    PublicationState {
        final_minutes: s.missing.is_empty(),
        missing: s.missing.iter().map(finding).collect(),
        settings: s.settings.iter().map(finding).collect(),
        due: s.due.map(day),
        provisional: s.provisional,
        published: s.published.map(day),
        late: s.late,
        base_url: s.base_url,
    }
}

/// The decisions still 列管 at this meeting, for its 辦理情形 rows: each with where it
/// comes from and what was decided, so the secretary sees what the row answers.
fn open_decisions(packet: &Packet, series: &Series) -> Vec<OpenDecision> {
    let decisions = crate::rules::tracking::open_before(packet, series).unwrap_or_default();
    decisions
        .iter()
        .map(|d| OpenDecision {
            id: d.id.clone(),
            meeting: d.meeting_label.clone(),
            section: d.section.label().to_string(),
            title: d.title.clone(),
            decision: d.decision.clone(),
        })
        .collect()
}

/// A page of a preview, drawn as SVG when first asked for (outside any lock: two pages
/// are drawn at once on two cores) and kept; shared by the previews that show it.
pub struct PageSvg {
    page: typst_layout::Page,
    svg: OnceLock<Arc<String>>,
}

impl PageSvg {
    pub fn svg(&self) -> Arc<String> {
        self.svg.get_or_init(|| Arc::new(crate::typeset::compile::svg_of(&self.page))).clone()
    }

    /// The size of its SVG, once drawn.
    pub fn drawn_bytes(&self) -> usize {
        self.svg.get().map_or(0, |s| s.len())
    }
}

/// One preview: the pages and a short hash of each, so the browser fetches only the
/// pages that changed; and the page each item starts on.
pub struct Preview {
    pub pages: Vec<Arc<PageSvg>>,
    pub hashes: Vec<String>,
    /// The page hashes in full, to share the pages unchanged with the next preview.
    keys: Vec<u128>,
    /// Each item (`report[0]`) and the page (from 0) it starts on.
    pub items: Vec<(String, usize)>,
    pub errors: Vec<Diagnostic>,
}

/// Lay the document out now, from the files as they are on disk, or with `draft` read
/// as the meeting.toml (what is typed and not saved: never written); pages unchanged
/// since `before` are its pages (drawn once). A meeting that does not build gives its
/// errors and the pages of `before` (none without it).
pub fn preview(
    meeting_dir: &Path,
    draft: Option<String>,
    doc: DocKind,
    opts: &BuildOptions,
    fonts: crate::diag::Result<Arc<FontSet>>,
    before: Option<&Preview>,
) -> Preview {
    let laid_out = fonts.and_then(|fonts| Packet::load_with(meeting_dir, draft).map(|packet| (packet, fonts)));
    let laid_out = laid_out.and_then(|(packet, fonts)| match doc {
        DocKind::Agenda => {
            let series = if packet.tracks() { Series::of(&packet) } else { None };
            build::preview_agenda(Input { packet: &packet, series: series.as_ref() }, opts, fonts)
        }
        DocKind::Minutes => build::preview_minutes(&packet, opts, fonts),
    });
    // Only the last previews' entries stay in Typst's cache: a day of edits must not grow
    // the server without bound (as `packet watch` does).
    typst::comemo::evict(10);
    match laid_out {
        Ok(laid_out) => {
            let shown: HashMap<u128, Arc<PageSvg>> =
                before.map(|p| p.keys.iter().copied().zip(p.pages.iter().cloned()).collect()).unwrap_or_default();
            let hashes = laid_out.pages.iter().map(|(key, _)| page_hash(*key)).collect();
            let keys = laid_out.pages.iter().map(|(key, _)| *key).collect();
            let pages = laid_out
                .pages
                .into_iter()
                .map(|(key, page)| {
                    shown.get(&key).cloned().unwrap_or_else(|| Arc::new(PageSvg { page, svg: OnceLock::new() }))
                })
                .collect();
            Preview { pages, hashes, keys, items: laid_out.items, errors: Vec::new() }
        }
        // The pages drawn before stay (the browser keeps showing them, and may still be
        // fetching some), with the errors that stop the new layout.
        Err(Diagnostics(errors)) => match before {
            Some(b) => Preview {
                pages: b.pages.clone(),
                hashes: b.hashes.clone(),
                keys: b.keys.clone(),
                items: b.items.clone(),
                errors,
            },
            None => Preview { pages: Vec::new(), hashes: Vec::new(), keys: Vec::new(), items: Vec::new(), errors },
        },
    }
}

/// A page's hash as the browser names it.
pub fn page_hash(key: u128) -> String {
    format!("{:016x}", key as u64)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
