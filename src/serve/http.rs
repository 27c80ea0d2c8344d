//! The HTTP plumbing of `packet serve`, in one place: the checks every request passes
//! (Host, token, Origin), request bodies read within their limit and whole, responses
//! with the headers every answer carries, and an error turned into its one response
//! shape (`{"error": "…"}`, see [`super::api::ErrorReply`]).

use std::collections::HashMap;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::api::ErrorReply;
use crate::diag::{Diagnostic, Diagnostics};

/// How long a request's whole body may take to arrive (64 MiB from this PC's own browser
/// takes well under a second); a slower one is refused and nothing of it written.
pub(super) const BODY_TIME: Duration = Duration::from_secs(60);

/// How much of a body that was not read (refused, or never needed) is read and dropped
/// after the answer is made, so that the browser, still sending, gets the answer and not a
/// reset connection; past this (or [`BODY_TIME`]) the connection is closed.
const DISCARD_MAX: u64 = 256 * 1024 * 1024;

/// The request methods the editor answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Method {
    Get,
    Post,
    Other,
}

/// A request as the handlers see it: its method, target, headers, and its body, read (on
/// the handler's own thread) only by [`body`], within a limit.
pub(super) struct Request {
    method: Method,
    /// The path and query string as sent.
    url: String,
    headers: HeaderMap,
    body: Option<Incoming>,
    /// The runtime the connection lives on: the body arrives through it.
    runtime: tokio::runtime::Handle,
}

impl Request {
    pub fn new(request: hyper::Request<Incoming>, runtime: tokio::runtime::Handle) -> Request {
        let (parts, body) = request.into_parts();
        let method = match parts.method {
            hyper::Method::GET => Method::Get,
            hyper::Method::POST => Method::Post,
            _ => Method::Other,
        };
        let url = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
        Request { method, url, headers: parts.headers, body: Some(body), runtime }
    }

    pub fn method(&self) -> Method {
        self.method
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Read and drop what is left of the body, within [`DISCARD_MAX`] and [`BODY_TIME`].
    pub fn discard_body(&mut self) {
        let Some(incoming) = self.body.take().filter(|b| !hyper::body::Body::is_end_stream(b)) else { return };
        let _ = self.runtime.block_on(tokio::time::timeout(BODY_TIME, drain(incoming, 0)));
    }

    /// The declared Content-Length (hyper has refused a malformed or conflicting one).
    pub fn body_length(&self) -> Option<u64> {
        self.headers.get(hyper::header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
    }
}

/// A response: status, headers, body. Made by [`reply`], which adds the headers every
/// answer carries.
#[derive(Debug)]
pub(super) struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// For hyper to send (a header value it cannot carry is left out, never sent broken).
    pub fn into_response(self) -> hyper::Response<Full<Bytes>> {
        let mut response = hyper::Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() =
            hyper::StatusCode::from_u16(self.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            if let (Ok(name), Ok(value)) =
                (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value.as_bytes()))
            {
                headers.append(name, value);
            }
        }
        response
    }
}

/// What a handler gives: a response, or the error the one place turns into one.
pub(super) type Answer = Result<Reply, ApiError>;

/// A request refused or failed: its status and what the page shows (Chinese words).
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: u16,
    pub message: String,
    /// The file changed outside since the tab read it: the page reloads and says so.
    pub changed: bool,
    /// The field whose value was refused (as the tab named it): the page says why beside it.
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), changed: false, field: None }
    }

    /// 422: a value the field cannot hold (a date that is none); nothing was written.
    pub fn at_field(field: String, message: impl Into<String>) -> ApiError {
        ApiError { status: 422, message: message.into(), changed: false, field: Some(field) }
    }

    /// 409: the edit was not written because the file is no longer what the tab saw.
    pub fn changed(message: impl Into<String>) -> ApiError {
        ApiError { status: 409, message: message.into(), changed: true, field: None }
    }

    /// 422: the meeting does not build; its errors in the page's words.
    pub fn unbuildable(d: Diagnostics) -> ApiError {
        ApiError::new(422, page_text(&d))
    }

    /// The one response shape of every error.
    pub fn reply(&self) -> Reply {
        json_reply(
            self.status,
            &ErrorReply { error: self.message.clone(), changed: self.changed, field: self.field.clone() },
        )
    }
}

/// Errors of loading or building a meeting: refused with their messages in the page's words.
impl From<Diagnostics> for ApiError {
    fn from(d: Diagnostics) -> ApiError {
        ApiError::new(409, page_text(&d))
    }
}

/// Diagnostics as the page says them: each message, with the line of the file it points
/// at named in words (the command line's `file:line:col: field.path:` is for the terminal;
/// the page names no file or field path, and the page's own field labels say where).
pub(super) fn page_text(d: &Diagnostics) -> String {
    let one = |d: &crate::diag::Diagnostic| {
        let Some(at) = &d.location else { return d.message.clone() };
        let name = at.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file = match name.as_str() {
            "meeting.toml" => {
                let folder = at.file.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
                format!("{} 的會議資料檔", folder.unwrap_or_default())
            }
            "group.toml" => "小組設定檔".to_string(),
            _ => format!("檔案「{name}」"),
        };
        match at.line {
            Some(line) => format!("{}（{file}第 {line} 行）", d.message),
            None => format!("{}（{file}）", d.message),
        }
    };
    d.0.iter().map(one).collect::<Vec<_>>().join("；")
}

impl From<Diagnostic> for ApiError {
    fn from(d: Diagnostic) -> ApiError {
        ApiError::from(Diagnostics::from(d))
    }
}

/// A response with the headers every answer carries: nothing cached, nothing framed, no
/// Referer (the token is in the URL), scripts and styles from this server only.
pub(super) fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Reply { status, headers: Vec::new(), body }
        .with_header("content-type", content_type)
        .with_header("cache-control", "no-store")
        .with_header("x-content-type-options", "nosniff")
        .with_header("referrer-policy", "no-referrer")
        .with_header(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'none'",
        )
}

pub(super) fn json_reply<T: Serialize>(status: u16, value: &T) -> Reply {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| "{\"error\":\"內部錯誤\"}".as_bytes().to_vec());
    reply(status, "application/json; charset=utf-8", body)
}

/// A file to download under `name` (Chinese: `filename*`, RFC 6266 and 5987), or `ascii`
/// where a browser reads only `filename` (letters, digits, `-`, `_`, `.`: nothing to quote).
pub(super) fn attachment(mime: &str, bytes: Vec<u8>, ascii: &str, name: &str) -> Reply {
    let ascii: String = ascii.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
    // RFC 5987 attr-char kept; every other byte percent-encoded.
    let encoded = percent_encoded(name, b"!#$&+-.^_`|~");
    let value = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    reply(200, mime, bytes).with_header("content-disposition", value)
}

/// `text` with every byte but ASCII letters, digits and those in `keep` as `%XX`.
pub(super) fn percent_encoded(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The request's own header, if sent.
pub(super) fn header_of<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Who may talk to the server: the Host must name it (DNS rebinding), an Origin when sent
/// must be it (CSRF).
pub(super) struct Gate {
    pub token: String,
    pub port: u16,
}

/// Where a request goes once through the gate.
pub(super) enum Passed<'u> {
    /// The route after the token, and the query string.
    Route(&'u str, &'u str),
    /// The bare token: redirect to the page.
    Page,
}

impl Gate {
    fn hosts(&self) -> [String; 2] {
        [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)]
    }

    /// Host, token and Origin checks; the route and query string of a request that passes.
    pub fn pass<'u>(&self, request: &Request, url: &'u str) -> Result<Passed<'u>, ApiError> {
        let hosts = self.hosts();
        if !header_of(request, "Host").is_some_and(|h| hosts.iter().any(|ok| ok == h)) {
            return Err(ApiError::new(403, "拒絕：要求的主機名稱不是本機的編輯器"));
        }
        let (path, q) = url.split_once('?').unwrap_or((url, ""));
        // The first path segment is the token, compared in constant time.
        let (given, rest) = path
            .trim_start_matches('/')
            .split_once('/')
            .map_or((path.trim_start_matches('/'), None), |(t, r)| (t, Some(r)));
        let same = given.len() == self.token.len()
            && given.bytes().zip(self.token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if !same || !path.starts_with('/') {
            return Err(ApiError::new(403, "拒絕：網址缺少正確的金鑰"));
        }
        let Some(route) = rest else { return Ok(Passed::Page) };
        if let Some(origin) = header_of(request, "Origin")
            && !hosts.iter().any(|h| origin == format!("http://{h}"))
        {
            return Err(ApiError::new(403, "拒絕：要求不是來自本機的編輯器頁面"));
        }
        Ok(Passed::Route(route, q))
    }
}

/// The body of a write: JSON only (a form of another site cannot send it without a
/// preflight), within `limit`, and whole.
pub(super) fn json_body(request: &mut Request, limit: u64) -> Result<Vec<u8>, ApiError> {
    if !header_of(request, "Content-Type").is_some_and(|c| c.starts_with("application/json")) {
        return Err(ApiError::new(415, "要求的格式不正確，未儲存"));
    }
    body(request, limit, "內容過大")
}

/// The body as sent, at most `limit` bytes (checked against its Content-Length before
/// anything is read), whole, and within [`BODY_TIME`]: a connection closed mid-upload gives
/// a short body, which is refused (nothing of it is written). Read once; a second call
/// gives nothing.
pub(super) fn body(request: &mut Request, limit: u64, too_large: &str) -> Result<Vec<u8>, ApiError> {
    let declared = request.body_length();
    if declared.is_some_and(|n| n > limit) {
        // Left for `discard_body`, after the answer.
        return Err(ApiError::new(413, too_large));
    }
    let Some(incoming) = request.body.take() else { return Ok(Vec::new()) };
    let read = request.runtime.block_on(tokio::time::timeout(BODY_TIME, within(incoming, limit)));
    let cut = || ApiError::new(400, "傳送未完成（連線中斷），未儲存；請再試一次");
    match read {
        Err(_) => Err(ApiError::new(408, "傳送逾時，未儲存；請再試一次")),
        Ok(Err(Cut::TooLarge)) => Err(ApiError::new(413, too_large)),
        Ok(Err(Cut::Short)) => Err(cut()),
        Ok(Ok(body)) if declared.is_some_and(|n| n != body.len() as u64) => Err(cut()),
        Ok(Ok(body)) => Ok(body),
    }
}

/// Why a body was not read whole.
enum Cut {
    TooLarge,
    Short,
}

/// The body's bytes as they come; past `limit`, the rest is drained and it is too large.
async fn within(mut incoming: Incoming, limit: u64) -> Result<Vec<u8>, Cut> {
    let mut body = Vec::new();
    while let Some(frame) = incoming.frame().await {
        let Ok(data) = frame.map_err(|_| Cut::Short)?.into_data() else { continue };
        if (body.len() + data.len()) as u64 > limit {
            drain(incoming, body.len() as u64 + data.len() as u64).await;
            return Err(Cut::TooLarge);
        }
        body.extend_from_slice(&data);
    }
    Ok(body)
}

/// Read and drop the rest of a body, `seen` bytes of it already read, up to [`DISCARD_MAX`].
async fn drain(mut incoming: Incoming, mut seen: u64) {
    while seen <= DISCARD_MAX {
        match incoming.frame().await {
            Some(Ok(frame)) => seen += frame.data_ref().map_or(0, |d| d.len() as u64),
            _ => return,
        }
    }
}

/// `a=1&b=%E7%94%B2` → pairs, percent-decoded.
pub(super) fn query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8().ok().map(|c| c.into_owned())
            };
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}
