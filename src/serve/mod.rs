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
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::build::BuildOptions;
use crate::diag::{Diagnostic, Result, io_reason};
use crate::model::calendar::Calendar;
use crate::typeset::folder::SeriesFonts;

mod address;
mod api;
mod change;
mod download;
pub mod edit;
mod guard;
mod http;
mod listen;
mod publication;
mod round;
mod state;
mod view;
mod write;

use api::Notice;
use http::{Answer, ApiError, Gate, Method, Passed, Reply, Request, query, reply};

/// Largest request body (one edit is a field of at most 100,000 characters).
const MAX_BODY: u64 = 1024 * 1024;
/// Largest attachment uploaded at once.
const MAX_UPLOAD: u64 = 64 * 1024 * 1024;
/// Requests handled at once; more get 503 (a long-poll holds one for up to [`WAIT`]).
const MAX_ACTIVE: usize = 64;
/// How long `api/wait` holds a request before answering "nothing new".
const WAIT: Duration = Duration::from_secs(20);

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_CSS: &str = include_str!("assets/app.css");
/// The page's script: ES modules, one per feature (main.js imports the others).
const MODULES: &[(&str, &str)] = &[
    ("main.js", include_str!("assets/main.js")),
    ("dom.js", include_str!("assets/dom.js")),
    ("store.js", include_str!("assets/store.js")),
    ("save.js", include_str!("assets/save.js")),
    ("fields.js", include_str!("assets/fields.js")),
    ("items.js", include_str!("assets/items.js")),
    ("attendance.js", include_str!("assets/attendance.js")),
    ("group.js", include_str!("assets/group.js")),
    ("corrections.js", include_str!("assets/corrections.js")),
    ("votes.js", include_str!("assets/votes.js")),
    ("sections.js", include_str!("assets/sections.js")),
    ("form.js", include_str!("assets/form.js")),
    ("preview.js", include_str!("assets/preview.js")),
    ("publish.js", include_str!("assets/publish.js")),
];

/// What `packet serve` is started with.
pub struct ServeOptions {
    pub series: PathBuf,
    /// 0: any free port.
    pub port: u16,
    pub build: BuildOptions,
    pub calendar: Calendar,
    /// The series' fonts: its 「字型」 folder is read again when it changes.
    pub fonts: SeriesFonts,
}

/// A bound server: [`Server::url`] is its address with the token; [`Server::run`] serves.
pub struct Server {
    /// Listening already: a browser that connects before [`Server::run`] waits in the OS's
    /// queue and is answered once it runs.
    listener: std::net::TcpListener,
    app: Arc<App>,
    url: String,
    not_kept: Option<String>,
    /// The address kept from the last run, when its port was taken and another was used.
    moved_from: Option<String>,
}

/// What [`Server::bind`] found.
pub enum Bound {
    New(Server),
    /// The series' editor already runs at this address (the series was opened twice).
    Running(String),
}

struct App {
    series: PathBuf,
    gate: Gate,
    build: BuildOptions,
    calendar: Calendar,
    fonts: SeriesFonts,
    shared: Mutex<Shared>,
    changed: Condvar,
    /// One edit at a time: read, change, write; and what the server's writes made.
    writing: Mutex<write::Ledger>,
    /// The previews and their pages (held only to find or keep one).
    previewing: Mutex<view::Previews>,
    /// One layout at a time (they share Typst's cache and the two cores).
    laying_out: Mutex<()>,
    /// Bumped on every change to the series' files but the server's own writes of a TOML
    /// file: a preview laid out from the same TOML text since is still the preview.
    outside: std::sync::atomic::AtomicU64,
    active: AtomicUsize,
}

/// Whether every path is a file whose content is what the server last wrote to it.
fn self_written(writing: &Mutex<write::Ledger>, paths: &[&PathBuf]) -> bool {
    let ledger = writing.lock().unwrap_or_else(|p| p.into_inner());
    paths.iter().all(|p| ledger.is_last_written(p))
}

#[derive(Default)]
struct Shared {
    /// Bumped on every change to the series' files (ours or another editor's).
    version: u64,
    /// Who last wrote each field (meeting, field) → client, to tell a tab its value was
    /// overwritten by another.
    writers: HashMap<(String, String), String>,
    /// Messages waiting for each client.
    notices: HashMap<String, Vec<Notice>>,
}

impl Server {
    /// Bind to 127.0.0.1 with the series' kept address (a new one the first time), or
    /// find its editor already running there.
    pub fn bind(options: ServeOptions) -> Result<Bound> {
        let series = options
            .series
            .canonicalize()
            .map_err(|e| Diagnostic::error(format!("無法讀取系列目錄：{}", io_reason(&e))).at_file(&options.series))?;
        if !series.join("group.toml").is_file() {
            return Err(Diagnostic::error("不是系列目錄（找不到 group.toml）").at_file(&options.series).into());
        }
        let kept = address::kept(&series);
        if options.port == 0
            && let Some(kept) = kept.as_ref().filter(|k| address::answering(k))
        {
            return Ok(Bound::Running(format!("http://127.0.0.1:{}/{}/", kept.port, kept.token)));
        }
        // What an upload or a save cut short by a killed editor left: packet's own temporary
        // files that no running packet holds (a file seen in 附件 on Windows, where a dot does not hide it).
        for dir in crate::model::meeting_dirs(&series).unwrap_or_default() {
            crate::output::remove_stale_temp_files(&dir.join("attachments"));
            crate::output::remove_stale_temp_files(&dir);
        }
        crate::output::remove_stale_temp_files(&series);
        let listener = address::listen(options.port, kept.as_ref()).map_err(|e| {
            Diagnostic::error(format!("無法開啟連接埠 {}：{}", options.port, io_reason(&e))).field("--port")
        })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(options.port);
        let moved_from = kept
            .as_ref()
            .filter(|k| options.port == 0 && k.port != port)
            .map(|k| format!("http://127.0.0.1:{}/{}/", k.port, k.token));
        let token = match kept {
            Some(kept) => kept.token,
            None => {
                let mut bytes = [0u8; 16];
                getrandom::fill(&mut bytes).map_err(|e| Diagnostic::error(format!("無法產生隨機金鑰：{e}")))?;
                state::hex(&bytes)
            }
        };
        let not_kept = address::keep(&series, &address::Address { port, token: token.clone() }).err();
        let url = format!("http://127.0.0.1:{port}/{token}/");
        let app = Arc::new(App {
            series,
            gate: Gate { token, port },
            build: options.build,
            calendar: options.calendar,
            fonts: options.fonts,
            // Counted from the time the server starts (ms): a tab still open from before a restart
            // has seen a lower version, so its next wait is answered and it reads the form again.
            shared: Mutex::new(Shared { version: first_version(), ..Shared::default() }),
            changed: Condvar::new(),
            writing: Mutex::new(write::Ledger::default()),
            previewing: Mutex::new(view::Previews::default()),
            laying_out: Mutex::new(()),
            outside: std::sync::atomic::AtomicU64::new(0),
            active: AtomicUsize::new(0),
        });
        Ok(Bound::New(Server { listener, app, url, not_kept, moved_from }))
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The last run's address, when its port was taken by another program and this run
    /// listens elsewhere (a bookmark or an open tab of the old one no longer reaches it).
    pub fn moved_from(&self) -> Option<&str> {
        self.moved_from.as_deref()
    }

    /// Why the address could not be kept for the next run, if it could not.
    pub fn not_kept(&self) -> Option<&str> {
        self.not_kept.as_deref()
    }

    /// Serve until the process ends; a change to any file of the series (here or in
    /// another editor) is announced to every open tab.
    pub fn run(self) -> Result<()> {
        use notify::Watcher;
        let app = self.app.clone();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(e) = event else { return };
            let ours = |p: &&PathBuf| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".packet-"));
            let paths: Vec<&PathBuf> = e.paths.iter().filter(|p| !ours(p)).collect();
            let relevant = matches!(
                e.kind,
                notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_)
            ) && !paths.is_empty();
            if relevant {
                // The echo of the server's own write of a TOML file changes nothing the
                // preview has not laid out already; anything else may.
                let echo = self_written(&app.writing, &paths);
                if !echo {
                    app.outside.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                app.bump();
            }
        })
        .map_err(|e| Diagnostic::error(format!("無法監看檔案：{e}")))?;
        watcher
            .watch(&self.app.series, notify::RecursiveMode::Recursive)
            .map_err(|e| Diagnostic::error(format!("無法監看檔案：{e}")).at_file(&self.app.series))?;
        listen::serve(self.listener, self.app)
    }
}

/// The version a new server starts at: milliseconds since 1970, above every version of an
/// earlier run (which bumps it once per change).
fn first_version() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// A meeting of the series, chosen by its folder name.
struct Meeting {
    name: String,
    dir: PathBuf,
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

    /// Every request: through the gate, to its route; an error becomes its response here.
    fn handle(&self, mut request: Request) -> Reply {
        let url = request.url().to_string();
        let answer = match self.gate.pass(&request, &url) {
            Ok(Passed::Page) => {
                Ok(reply(303, "text/plain", Vec::new()).with_header("location", format!("/{}/", self.gate.token)))
            }
            Ok(Passed::Route(route, q)) => self.route(&mut request, route, &query(q)),
            Err(e) => Err(e),
        };
        request.discard_body();
        answer.unwrap_or_else(|e| e.reply())
    }

    /// The route table.
    fn route(&self, request: &mut Request, route: &str, params: &Params) -> Answer {
        let get = request.method() == Method::Get;
        if get && let Some((_, js)) = MODULES.iter().find(|(name, _)| *name == route) {
            return Ok(reply(200, "text/javascript; charset=utf-8", js.as_bytes().to_vec()));
        }
        match (request.method(), route) {
            (Method::Get, "") => Ok(reply(200, "text/html; charset=utf-8", INDEX_HTML.as_bytes().to_vec())),
            (Method::Get, "app.css") => Ok(reply(200, "text/css; charset=utf-8", APP_CSS.as_bytes().to_vec())),
            (Method::Get, "api/state") => self.state(params),
            (Method::Get, "api/wait") => self.wait(params),
            (Method::Get, "api/preview") => self.preview_list(params),
            (Method::Get, "api/page") => self.page(params),
            (Method::Get, "api/download") => self.download(params),
            (Method::Get, "api/bundle") => self.bundle(params),
            (Method::Get, "api/series") => self.series_check(),
            (Method::Get, "api/series-bundle") => self.series_bundle(),
            (Method::Post, "api/upload") => {
                // A custom header: another site cannot send it without a CORS preflight.
                if http::header_of(request, "X-Packet-Upload") != Some("1") {
                    return Err(ApiError::new(403, "拒絕：上傳要求不是來自編輯器"));
                }
                // Without its length an upload cut short could not be told from a whole one.
                if request.body_length().is_none() {
                    return Err(ApiError::new(411, "上傳要求未標明檔案大小，未上傳"));
                }
                let body = http::body(request, MAX_UPLOAD, "附件超過 64 MiB")?;
                self.upload(params, &body)
            }
            (Method::Post, "api/edit") => {
                let body = http::json_body(request, MAX_BODY)?;
                self.edit(params, &body)
            }
            (Method::Post, "api/draft") => {
                let body = http::json_body(request, MAX_BODY)?;
                self.draft(params, &body)
            }
            (Method::Post, "api/new") => {
                let body = http::json_body(request, MAX_BODY)?;
                self.new_meeting(&body)
            }
            _ => Err(ApiError::new(404, "找不到")),
        }
    }

    /// The meeting named by `m` among the series' meeting folders (default: the latest).
    fn meeting(&self, params: &Params) -> std::result::Result<Meeting, ApiError> {
        let meetings = state::meetings(&self.series)?;
        let found = match params.get("m") {
            Some(name) => meetings.into_iter().find(|(n, _)| n == name),
            None => meetings.into_iter().last(),
        };
        found.map(|(name, dir)| Meeting { name, dir }).ok_or_else(|| ApiError::new(404, "找不到這次會議"))
    }
}

/// A request's query string, decoded.
type Params = HashMap<String, String>;
