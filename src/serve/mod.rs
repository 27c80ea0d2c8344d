//! `packet serve`: a local web editor for a series' meetings. The TOML files stay the
//! source of truth: every edit is one [`edit::Op`] written back with `toml_edit`
//! (comments and layout kept) atomically; the preview is drawn by typst-svg.
//!
//! Safe on a shared PC: bound to 127.0.0.1 only; every request must carry the random
//! token of the printed URL as its first path segment (else 403); the Host header must
//! name this server (DNS rebinding) and an Origin, when sent, must be this server too
//! (CSRF); writes need a JSON body. The browser never names a file: a meeting is chosen
//! by its folder name among the series' meeting folders, the rest is fixed.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};
use tiny_http::{Method, Request};

use crate::build::{self, BuildOptions, Input};
use crate::diag::{Diagnostic, Diagnostics, Result, io_reason};
use crate::model::calendar::Calendar;
use crate::model::{Packet, Series, meeting_dirs};
use crate::output::write_atomic;
use crate::rules::proceedings::Edition;
use crate::typeset::fonts::FontSet;

pub mod edit;
mod guard;
mod http;
mod state;

use http::{Reply, header, json_reply, query, reply, text};
use state::{Doc, Preview};

/// Largest request body (one edit is a field of at most 100,000 characters).
const MAX_BODY: u64 = 1024 * 1024;
/// Largest attachment uploaded at once.
const MAX_UPLOAD: u64 = 64 * 1024 * 1024;
/// The kinds of attachment packet prints (the extension decides how).
const ATTACHMENT_KINDS: &[&str] = &["md", "csv", "xlsx", "ods", "png", "jpg", "jpeg", "gif", "webp", "svg", "pdf"];
/// Requests handled at once; more get 503 (a long-poll holds one for up to [`WAIT`]).
const MAX_ACTIVE: usize = 64;
/// How long `api/wait` holds a request before answering "nothing new".
const WAIT: Duration = Duration::from_secs(20);

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// What `packet serve` is started with.
pub struct ServeOptions {
    pub series: PathBuf,
    /// 0: any free port.
    pub port: u16,
    pub build: BuildOptions,
    pub calendar: Calendar,
    pub fonts: Arc<FontSet>,
}

/// A bound server: [`Server::url`] is its address with the token; [`Server::run`] serves.
pub struct Server {
    http: tiny_http::Server,
    app: Arc<App>,
    url: String,
}

struct App {
    series: PathBuf,
    token: String,
    port: u16,
    build: BuildOptions,
    calendar: Calendar,
    fonts: Arc<FontSet>,
    shared: Mutex<Shared>,
    changed: Condvar,
    /// One edit at a time: read, change, write.
    writing: Mutex<()>,
    /// One preview at a time (they share Typst's cache and the two cores).
    previewing: Mutex<Previews>,
    active: AtomicUsize,
}

/// The last preview of each (meeting, document), with the version it was drawn at.
type Previews = HashMap<(String, Doc), (u64, Arc<Preview>)>;

#[derive(Default)]
struct Shared {
    /// Bumped on every change to the series' files (ours or another editor's).
    version: u64,
    /// Who last wrote each field (meeting, field) → client, to tell a tab its value was
    /// overwritten by another.
    writers: HashMap<(String, String), String>,
    /// Messages waiting for each client.
    notices: HashMap<String, Vec<Json>>,
}

impl Server {
    /// Bind to 127.0.0.1 and make the token.
    pub fn bind(options: ServeOptions) -> Result<Server> {
        let series = options
            .series
            .canonicalize()
            .map_err(|e| Diagnostic::error(format!("無法讀取系列目錄：{}", io_reason(&e))).at_file(&options.series))?;
        if !series.join("group.toml").is_file() {
            return Err(Diagnostic::error("不是系列目錄（找不到 group.toml）").at_file(&options.series).into());
        }
        let http = tiny_http::Server::http(("127.0.0.1", options.port))
            .map_err(|e| Diagnostic::error(format!("無法開啟連接埠 {}：{e}", options.port)).field("--port"))?;
        let port = http.server_addr().to_ip().map(|a| a.port()).unwrap_or(options.port);
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| Diagnostic::error(format!("無法產生隨機金鑰：{e}")))?;
        let token = state::hex(&bytes);
        let url = format!("http://127.0.0.1:{port}/{token}/");
        let app = Arc::new(App {
            series,
            token,
            port,
            build: options.build,
            calendar: options.calendar,
            fonts: options.fonts,
            shared: Mutex::new(Shared::default()),
            changed: Condvar::new(),
            writing: Mutex::new(()),
            previewing: Mutex::new(HashMap::new()),
            active: AtomicUsize::new(0),
        });
        Ok(Server { http, app, url })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serve until the process ends; a change to any file of the series (here or in
    /// another editor) is announced to every open tab.
    pub fn run(self) -> Result<()> {
        use notify::Watcher;
        let app = self.app.clone();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let relevant = event.is_ok_and(|e| {
                matches!(
                    e.kind,
                    notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_)
                ) && e.paths.iter().any(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".packet-")))
            });
            if relevant {
                app.bump();
            }
        })
        .map_err(|e| Diagnostic::error(format!("無法監看檔案：{e}")))?;
        watcher
            .watch(&self.app.series, notify::RecursiveMode::Recursive)
            .map_err(|e| Diagnostic::error(format!("無法監看檔案：{e}")).at_file(&self.app.series))?;
        for request in self.http.incoming_requests() {
            let app = self.app.clone();
            if app.active.fetch_add(1, Ordering::SeqCst) >= MAX_ACTIVE {
                app.active.fetch_sub(1, Ordering::SeqCst);
                let _ = request.respond(text(503, "忙碌中，請稍後再試"));
                continue;
            }
            std::thread::spawn(move || {
                app.handle(request);
                app.active.fetch_sub(1, Ordering::SeqCst);
            });
        }
        Ok(())
    }
}

impl App {
    fn bump(&self) {
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        shared.version += 1;
        self.changed.notify_all();
    }

    fn version(&self) -> u64 {
        self.shared.lock().unwrap_or_else(|p| p.into_inner()).version
    }

    fn handle(&self, mut request: Request) {
        let reply = self.route(&mut request);
        let _ = request.respond(reply);
    }

    /// The request's own header, if sent once.
    fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
        request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str())
    }

    /// Host, token and Origin checks, then the route.
    fn route(&self, request: &mut Request) -> Reply {
        let hosts = [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)];
        if !Self::header(request, "Host").is_some_and(|h| hosts.iter().any(|ok| ok == h)) {
            return text(403, "拒絕：Host 不是本機的編輯器");
        }
        let url = request.url().to_string();
        let (path, q) = url.split_once('?').unwrap_or((&url, ""));
        // The first path segment is the token, compared in constant time.
        let (given, rest) = path
            .trim_start_matches('/')
            .split_once('/')
            .map_or((path.trim_start_matches('/'), None), |(t, r)| (t, Some(r)));
        let same = given.len() == self.token.len()
            && given.bytes().zip(self.token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if !same || !path.starts_with('/') {
            return text(403, "拒絕：網址缺少正確的金鑰");
        }
        let Some(route) = rest else {
            return reply(303, "text/plain", Vec::new()).with_header(header("Location", &format!("/{}/", self.token)));
        };
        if let Some(origin) = Self::header(request, "Origin")
            && !hosts.iter().any(|h| origin == format!("http://{h}"))
        {
            return text(403, "拒絕：來源（Origin）不是本機的編輯器");
        }
        let params = query(q);
        match (request.method(), route) {
            (Method::Get, "") => reply(200, "text/html; charset=utf-8", INDEX_HTML.as_bytes().to_vec()),
            (Method::Get, "app.js") => reply(200, "text/javascript; charset=utf-8", APP_JS.as_bytes().to_vec()),
            (Method::Get, "app.css") => reply(200, "text/css; charset=utf-8", APP_CSS.as_bytes().to_vec()),
            (Method::Get, "api/state") => self.state(&params),
            (Method::Get, "api/wait") => self.wait(&params),
            (Method::Get, "api/preview") => self.preview_list(&params),
            (Method::Get, "api/page") => self.page(&params),
            (Method::Get, "api/pdf") => self.pdf(&params),
            (Method::Get, "api/bundle") => self.bundle(&params),
            (Method::Post, "api/upload") => {
                // A custom header: another site cannot send it without a CORS preflight.
                if Self::header(request, "X-Packet-Upload") != Some("1") {
                    return text(403, "拒絕：上傳要求不是來自編輯器");
                }
                let mut body = Vec::new();
                if request.as_reader().take(MAX_UPLOAD + 1).read_to_end(&mut body).is_err()
                    || body.len() as u64 > MAX_UPLOAD
                {
                    return text(413, "附件超過 64 MiB");
                }
                self.upload(&params, &body)
            }
            (Method::Post, "api/edit" | "api/new") => {
                let json_body =
                    Self::header(request, "Content-Type").is_some_and(|c| c.starts_with("application/json"));
                if !json_body {
                    return text(415, "需要 JSON");
                }
                let mut body = Vec::new();
                if request.as_reader().take(MAX_BODY + 1).read_to_end(&mut body).is_err()
                    || body.len() as u64 > MAX_BODY
                {
                    return text(413, "內容過大");
                }
                if route == "api/edit" { self.edit(&params, &body) } else { self.new_meeting(&body) }
            }
            _ => text(404, "找不到"),
        }
    }

    /// The meeting named by `m` among the series' meeting folders (default: the latest).
    fn meeting(&self, params: &HashMap<String, String>) -> std::result::Result<(String, PathBuf), Reply> {
        let dirs = meeting_dirs(&self.series).map_err(|d| text(500, &d.to_string()))?;
        let named = |d: &PathBuf| d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let found = match params.get("m") {
            Some(name) => dirs.iter().find(|d| &named(d) == name),
            None => dirs.last(),
        };
        found.map(|d| (named(d), d.clone())).ok_or_else(|| text(404, "找不到這次會議"))
    }

    fn state(&self, params: &HashMap<String, String>) -> Reply {
        let (name, dir) = match self.meeting(params) {
            Ok(m) => m,
            Err(r) => return r,
        };
        let version = self.version();
        let mut state = state::meeting_state(&self.series, &dir, &self.calendar);
        let meetings: Vec<String> = meeting_dirs(&self.series)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        state["meeting"] = json!(name);
        state["meetings"] = json!(meetings);
        state["version"] = json!(version);
        json_reply(200, &state)
    }

    /// Answer when the files change (version above `since`) or a notice waits for this
    /// client, or after [`WAIT`].
    fn wait(&self, params: &HashMap<String, String>) -> Reply {
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
        json_reply(200, &json!({ "version": shared.version, "notices": notices }))
    }

    /// The preview of the files as they are now, laid out again only when they changed.
    fn preview_of(&self, name: &str, dir: &Path, doc: Doc) -> Arc<Preview> {
        let mut cache = self.previewing.lock().unwrap_or_else(|p| p.into_inner());
        let version = self.version();
        let before = cache.get(&(name.to_string(), doc)).cloned();
        if let Some((v, preview)) = &before
            && *v == version
        {
            return preview.clone();
        }
        let before = before.map(|(_, p)| p);
        let preview = Arc::new(state::preview(dir, doc, &self.build, self.fonts.clone(), before.as_deref()));
        cache.retain(|(m, _), _| m == name);
        cache.insert((name.to_string(), doc), (version, preview.clone()));
        preview
    }

    fn doc_and_meeting(&self, params: &HashMap<String, String>) -> std::result::Result<(String, PathBuf, Doc), Reply> {
        let (name, dir) = self.meeting(params)?;
        let doc = Doc::parse(params.get("doc").map_or("agenda", String::as_str)).ok_or_else(|| text(404, "找不到"))?;
        Ok((name, dir, doc))
    }

    fn preview_list(&self, params: &HashMap<String, String>) -> Reply {
        let (name, dir, doc) = match self.doc_and_meeting(params) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let preview = self.preview_of(&name, &dir, doc);
        let errors: Vec<Json> = preview.errors.iter().map(state::finding).collect();
        json_reply(200, &json!({ "pages": preview.hashes, "errors": errors }))
    }

    /// One page as SVG, by number and hash (a stale hash is 404: the list has moved on).
    fn page(&self, params: &HashMap<String, String>) -> Reply {
        let (name, dir, doc) = match self.doc_and_meeting(params) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let preview = self.preview_of(&name, &dir, doc);
        let n: usize = params.get("n").and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
        match (preview.pages.get(n), preview.hashes.get(n)) {
            (Some(svg), Some(hash)) if params.get("h") == Some(hash) => {
                reply(200, "image/svg+xml", svg.as_bytes().to_vec())
            }
            _ => text(404, "此頁已更新"),
        }
    }

    /// The PDF to download, or with `format=odt` its editable edition (ODF), compiled in
    /// memory from the files as they are.
    fn pdf(&self, params: &HashMap<String, String>) -> Reply {
        let (_, dir, doc) = match self.doc_and_meeting(params) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let odt = params.get("format").is_some_and(|f| f == "odt");
        let opts = build::BuildOptions { write_odt: odt, ..self.build.clone() };
        let built = Packet::load(&dir).and_then(|packet| match doc {
            Doc::Agenda => {
                let series = if packet.tracks() { Series::of(&packet) } else { None };
                build::compile_agenda(Input { packet: &packet, series: series.as_ref() }, &opts, self.fonts.clone())
                    .map(|b| (b, "agenda"))
            }
            Doc::Minutes => build::compile_minutes(&packet, &opts, self.fonts.clone(), Edition::Public, false)
                .map(|m| (m.built, if m.draft { "minutes-draft" } else { "minutes" })),
        });
        let file = built.map(|(b, stem)| match (odt, b.odt) {
            (true, Some(bytes)) => (bytes, "application/vnd.oasis.opendocument.text", format!("{stem}.odt")),
            _ => (b.pdf, "application/pdf", format!("{stem}.pdf")),
        });
        match file {
            Ok((bytes, mime, file)) => reply(200, mime, bytes)
                .with_header(header("Content-Disposition", &format!("attachment; filename=\"{file}\""))),
            Err(errors) => text(422, &errors.to_string()),
        }
    }

    /// The data.gov.tw bundle (as `packet export`: final minutes only), as a zip.
    fn bundle(&self, params: &HashMap<String, String>) -> Reply {
        let (_, dir) = match self.meeting(params) {
            Ok(m) => m,
            Err(r) => return r,
        };
        let zipped = Packet::load(&dir).and_then(|packet| {
            let series = Series::of(&packet);
            let input = Input { packet: &packet, series: series.as_ref() };
            let epoch = self.build.source_date_epoch.as_deref();
            let bundle = crate::export::bundle(input, &self.build, self.fonts.clone(), false, epoch)?;
            let slug = packet.slug();
            let name = if slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                slug
            } else {
                "export".into()
            };
            Ok((crate::export::zip_bytes(&bundle)?, name))
        });
        match zipped {
            Ok((zip, name)) => reply(200, "application/zip", zip)
                .with_header(header("Content-Disposition", &format!("attachment; filename=\"{name}.zip\""))),
            Err(errors) => text(422, &errors.to_string()),
        }
    }

    /// Create the next meeting of the series, as `packet new` does (never overwrites).
    fn new_meeting(&self, body: &[u8]) -> Reply {
        #[derive(serde::Deserialize)]
        struct NewRequest {
            date: String,
        }
        let request: NewRequest = match serde_json::from_slice(body) {
            Ok(r) => r,
            Err(e) => return text(400, &format!("要求格式不正確：{e}")),
        };
        let Some(date) = crate::text::zh::parse_date(&request.date) else {
            return json_reply(
                409,
                &json!({ "error": format!("無效的日期「{}」，請寫成 2024-10-15 或 113-10-15", request.date) }),
            );
        };
        let created = Series::load(&self.series).and_then(|series| {
            let next = crate::rules::tracking::next_meeting(&series, date)?;
            std::fs::create_dir_all(&next.dir)
                .map_err(|e| Diagnostic::error(format!("無法建立目錄：{}", io_reason(&e))).at_file(&next.dir))?;
            crate::output::write_new(&next.file, next.text.as_bytes())?;
            Ok(next.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        });
        match created {
            Ok(name) => {
                self.bump();
                json_reply(200, &json!({ "meeting": name }))
            }
            Err(errors) => json_reply(409, &json!({ "error": errors.to_string() })),
        }
    }

    /// An attachment for an item (`item=report[0]`): written under a clean name into the
    /// meeting's `attachments/` (never over another file), then listed on the item. Without
    /// `item` the file is only stored (an image a Markdown attachment shows).
    fn upload(&self, params: &HashMap<String, String>, body: &[u8]) -> Reply {
        let (_, dir) = match self.meeting(params) {
            Ok(m) => m,
            Err(r) => return r,
        };
        let item = params.get("item").cloned().unwrap_or_default();
        if !item.is_empty() && edit::parse_path(&item).is_err() {
            return json_reply(409, &json!({ "error": format!("欄位路徑不正確：「{item}」") }));
        }
        let Some(name) = clean_file_name(params.get("name").map_or("", String::as_str)) else {
            let kinds = ATTACHMENT_KINDS.join("、");
            return json_reply(415, &json!({ "error": format!("附件須為下列檔案之一：{kinds}") }));
        };
        let folder = dir.join("attachments");
        let _one_at_a_time = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        let free = (1..=100)
            .map(|n| if n == 1 { name.clone() } else { format!("{stem}-{n}.{ext}") })
            .find(|candidate| !folder.join(candidate).exists());
        let Some(free) = free else { return json_reply(409, &json!({ "error": "同名附件過多" })) };
        let path = folder.join(&free);
        if let Err(d) = crate::output::write_new(&path, body) {
            return json_reply(409, &json!({ "error": d.to_string() }));
        }
        if item.is_empty() {
            self.bump();
            return json_reply(200, &json!({ "file": format!("attachments/{free}") }));
        }
        let mut fields = serde_json::Map::new();
        fields.insert("file".into(), json!(format!("attachments/{free}")));
        fields.insert("title".into(), json!(params.get("title").cloned().unwrap_or_else(|| stem.to_string())));
        let op = edit::Op::Append { path: format!("{item}.attachment"), fields };
        if let Err(d) = write_edit(&dir.join("meeting.toml"), &[op]) {
            // Not listed on any item: the file goes again, nothing is left half-done.
            let _ = std::fs::remove_file(&path);
            return json_reply(409, &json!({ "error": d.to_string() }));
        }
        self.bump();
        json_reply(200, &json!({ "file": format!("attachments/{free}") }))
    }

    /// Apply the operations to meeting.toml as it is on disk now and write it back.
    fn edit(&self, params: &HashMap<String, String>, body: &[u8]) -> Reply {
        #[derive(serde::Deserialize)]
        struct EditRequest {
            client: String,
            ops: Vec<edit::Op>,
        }
        let (name, dir) = match self.meeting(params) {
            Ok(m) => m,
            Err(r) => return r,
        };
        let request: EditRequest = match serde_json::from_slice(body) {
            Ok(r) => r,
            Err(e) => return text(400, &format!("要求格式不正確：{e}")),
        };
        // The roster is the series' group.toml; everything else the meeting's file.
        let roster = params.get("file").is_some_and(|f| f == "group");
        let file = if roster { self.series.join("group.toml") } else { dir.join("meeting.toml") };
        let written = {
            let _one_at_a_time = self.writing.lock().unwrap_or_else(|p| p.into_inner());
            let refused = if roster {
                guard::roster_edit_refused(&self.series, &request.ops)
            } else {
                guard::item_edit_refused(&self.series, &dir, &request.ops)
            };
            match refused {
                Some(reason) => return json_reply(409, &json!({ "error": reason })),
                None => write_edit(&file, &request.ops),
            }
        };
        if let Err(d) = written {
            return json_reply(409, &json!({ "error": d.to_string() }));
        }
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        for op in &request.ops {
            let key = if roster { (String::new(), op.field()) } else { (name.clone(), op.field()) };
            if let Some(before) = shared.writers.insert(key, request.client.clone())
                && before != request.client
            {
                let notice = json!({ "field": op.field(), "message": "此欄位已被另一個分頁改寫；顯示的是最新內容" });
                shared.notices.entry(before).or_default().push(notice);
            }
        }
        shared.version += 1;
        self.changed.notify_all();
        json_reply(200, &json!({ "version": shared.version }))
    }
}

/// The name an uploaded file is kept under: the last component of what the browser
/// sent, letters and digits (any script), `-` and `_`, other characters as `-`, a known
/// attachment extension in lower case; Windows' reserved device names get a suffix.
/// None when the extension is not one packet prints.
fn clean_file_name(sent: &str) -> Option<String> {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, ext) = last.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !ATTACHMENT_KINDS.contains(&ext.as_str()) {
        return None;
    }
    let mut clean: String =
        stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    clean = clean.trim_matches('-').chars().take(80).collect();
    if clean.is_empty() {
        clean = "attachment".into();
    }
    let device = clean.to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&device.as_str())
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    if reserved {
        clean.push_str("-file");
    }
    Some(format!("{clean}.{ext}"))
}

/// Read, change and atomically write meeting.toml (or group.toml); nothing is written when an
/// operation fails or the result would not parse.
fn write_edit(file: &Path, ops: &[edit::Op]) -> Result<()> {
    let at = |message: String| Diagnostics::from(Diagnostic::error(message).at_file(file));
    let text = state::read_toml(file)?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| at(format!("TOML 語法錯誤，請先修正檔案：{e}")))?;
    for op in ops {
        edit::apply(&mut doc, op).map_err(at)?;
    }
    let out = doc.to_string();
    if out.len() as u64 > crate::model::input::MAX_TOML_BYTES {
        return Err(at("meeting.toml 將超過 16 MiB".into()));
    }
    out.parse::<toml_edit::DocumentMut>().map_err(|e| at(format!("內部錯誤：寫出的 TOML 無法讀回：{e}")))?;
    write_atomic(file, out.as_bytes())
}
