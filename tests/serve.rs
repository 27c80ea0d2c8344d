//! `packet serve`: the HTTP layer of the browser editor (token, Host, Origin, no path
//! escapes, edits that keep the TOML's comments, two tabs, the preview's changed pages)
//! and, in headless Chromium, a secretary's session (tests/browser/serve_session.py).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::common::{example_series, root};

/// A running `packet serve`, stopped when dropped.
struct Served {
    child: Child,
    url: String,
    port: u16,
    token: String,
    /// Its data folder (where its address is kept), when it has one of its own.
    _data: Option<tempfile::TempDir>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `packet serve` on `series`, with a data folder of its own (a new address).
fn serve(series: &Path) -> Served {
    let data = tempfile::tempdir().unwrap();
    let mut served = serve_with(series, data.path());
    served._data = Some(data);
    served
}

/// `packet serve` on `series` with `data` as its data folder (where the address is kept).
fn serve_with(series: &Path, data: &Path) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_packet"));
    crate::common::pin_today(&mut child);
    let mut child = child
        .args(["serve", "--no-open"])
        .arg(series)
        .env("PACKET_DATA_DIR", data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    served_at(first.trim().to_string(), child)
}

/// The editor `child` that printed `url` (`http://127.0.0.1:PORT/TOKEN/`).
fn served_at(url: String, child: std::process::Child) -> Served {
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap_or_else(|| panic!("not the editor's address: {url:?}"));
    let (port, token) = rest.split_once('/').unwrap();
    let token = token.trim_end_matches('/').to_string();
    Served { port: port.parse().unwrap(), token, url, child, _data: None }
}

/// One HTTP request by hand (so the tests can send any Host and Origin): the status and
/// the body. HTTP/1.0, so that long answers come unchunked.
fn request_bytes(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: impl AsRef<[u8]>,
) -> (u16, Vec<u8>) {
    let body = body.as_ref();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!("{method} {target} HTTP/1.0\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let status =
        String::from_utf8_lossy(&raw[..raw.len().min(20)]).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|at| raw[at + 4..].to_vec()).unwrap_or_default();
    (status, body)
}

fn request(port: u16, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let (status, body) = request_bytes(port, method, target, headers, body);
    (status, String::from_utf8_lossy(&body).into_owned())
}

impl Served {
    fn get(&self, route: &str) -> (u16, String) {
        request(self.port, "GET", &format!("/{}/{route}", self.token), &[], "")
    }

    fn edit(&self, client: &str, ops: &str) -> (u16, String) {
        self.edit_in("113-1", "", client, ops)
    }

    fn state(&self, meeting: &str) -> serde_json::Value {
        let (status, state) = self.get(&format!("api/state?m={meeting}"));
        assert_eq!(status, 200, "{state}");
        serde_json::from_str(&state).unwrap()
    }

    /// An edit of meeting `m` (`file` = "group": of group.toml) as the page sends it: made
    /// against the file as the state shows it now, naming the items its paths go through.
    fn edit_in(&self, m: &str, file: &str, client: &str, ops: &str) -> (u16, String) {
        let body = edit_body(&self.state(m), file == "group", client, ops);
        self.post_edit(m, file, &body)
    }

    fn post_edit(&self, m: &str, file: &str, body: &str) -> (u16, String) {
        let origin = format!("http://127.0.0.1:{}", self.port);
        let target = if file.is_empty() {
            format!("/{}/api/edit?m={m}", self.token)
        } else {
            format!("/{}/api/edit?m={m}&file={file}", self.token)
        };
        request(self.port, "POST", &target, &[("Content-Type", "application/json"), ("Origin", &origin)], body)
    }

    /// `&base=…&fp=…` of an upload onto `item` of meeting `m` as the state shows it now.
    fn seen(&self, m: &str, item: &str) -> String {
        let state = self.state(m);
        format!("&base={}&fp={}", state["hashes"]["meeting"].as_str().unwrap(), state["items"][item].as_str().unwrap())
    }
}

/// The body of an edit made against `state` (as a tab that read it): its file's hash and
/// the fingerprint of every item the operations' paths go through.
fn edit_body(state: &serde_json::Value, group: bool, client: &str, ops: &str) -> String {
    let ops: serde_json::Value = serde_json::from_str(ops).unwrap();
    let (hash, items) = if group {
        (&state["hashes"]["group"], &state["group_items"])
    } else {
        (&state["hashes"]["meeting"], &state["items"])
    };
    let mut anchors = Vec::new();
    for op in ops.as_array().unwrap() {
        let Some(path) = op["path"].as_str() else { continue };
        for (at, _) in path.match_indices(']') {
            let prefix = &path[..=at];
            if let Some(fp) = items[prefix].as_str() {
                anchors.push(serde_json::json!({ "path": prefix, "fp": fp }));
            }
        }
    }
    serde_json::json!({ "client": client, "base": hash, "ops": ops, "items": anchors }).to_string()
}

fn meeting_file(dir: &Path) -> PathBuf {
    dir.join("dgbas/113-1/meeting.toml")
}

#[test]
fn every_request_needs_the_token_and_this_host() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    assert!(s.url.ends_with('/') && s.token.len() == 32, "{}", s.url);
    let (ok, page) = s.get("");
    assert_eq!(ok, 200);
    assert!(page.contains("會議資料編輯器"));
    for target in [
        "/",
        "/api/state",
        "/0123456789abcdef0123456789abcdef/",
        &format!("/{}x/", s.token),
        &format!("/x/{}/", s.token),
    ] {
        assert_eq!(request(s.port, "GET", target, &[], "").0, 403, "{target}");
    }
    let route = format!("/{}/api/state", s.token);
    for host in ["evil.example", "127.0.0.1", "127.0.0.1:1", "evil.example:80"] {
        assert_eq!(request(s.port, "GET", &route, &[("Host", host)], "").0, 403, "Host {host}");
    }
    let localhost = format!("localhost:{}", s.port);
    assert_eq!(request(s.port, "GET", &route, &[("Host", &localhost)], "").0, 200);
}

#[test]
fn writes_from_another_origin_are_refused_and_change_nothing() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let before = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    let body = r#"{"client":"x","ops":[{"op":"set","path":"place","value":"被改了"}]}"#;
    let target = format!("/{}/api/edit?m=113-1", s.token);
    let json = ("Content-Type", "application/json");
    for origin in ["http://evil.example", "null", &format!("http://127.0.0.1:{}.evil.example", s.port)] {
        assert_eq!(request(s.port, "POST", &target, &[json, ("Origin", origin)], body).0, 403, "{origin}");
    }
    // A form post (no preflight) is not JSON: refused.
    let origin = format!("http://127.0.0.1:{}", s.port);
    assert_eq!(request(s.port, "POST", &target, &[("Content-Type", "text/plain"), ("Origin", &origin)], body).0, 415);
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), before);
}

#[test]
fn nothing_outside_the_series_meetings_is_reachable() {
    let dir = example_series();
    std::fs::write(dir.path().join("secret.txt"), "機密").unwrap();
    let s = serve(&dir.path().join("dgbas"));
    for route in [
        "api/state?m=..",
        "api/state?m=../dgbas/113-1",
        "api/state?m=%2e%2e%2f",
        "api/state?m=/etc",
        "api/download?m=..&doc=agenda",
        "api/preview?m=113-1&doc=../../secret.txt",
        "../secret.txt",
        "../../secret.txt",
        "%2e%2e/secret.txt",
        "group.toml",
        "113-1/meeting.toml",
    ] {
        let (status, body) = s.get(route);
        assert!(status == 404 || status == 403, "{route}: {status}");
        assert!(!body.contains("機密") && !body.contains("[[member]]"), "{route}");
    }
    // An edit names a field, never a file: a path-like field is refused.
    let before = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    let (status, _) = s.edit("x", r#"[{"op":"set","path":"../secret.txt","value":"x"}]"#);
    assert_eq!(status, 409);
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), before);
    assert_eq!(std::fs::read_to_string(dir.path().join("secret.txt")).unwrap(), "機密");
}

#[test]
fn an_edit_changes_its_field_and_keeps_every_comment() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let before = std::fs::read_to_string(&file).unwrap();
    let (status, _) = s.edit("a", r#"[{"op":"set","path":"place","value":"第 2 會議室"}]"#);
    assert_eq!(status, 200);
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(after, before.replace("place = \"行政院第 9 會議室\"", "place = \"第 2 會議室\""));
    let comments = |t: &str| t.lines().filter(|l| l.contains('#')).map(String::from).collect::<Vec<_>>();
    // An opinion and an attendance tick: still every comment, each where it was.
    let ops = r#"[{"op":"append","path":"discussion[0].opinion","fields":{"member":"lin","text":"建議補充說明。"}},
                  {"op":"attendance","member":"lin","status":"leave"}]"#;
    assert_eq!(s.edit("a", ops).0, 200);
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(comments(&after), comments(&before));
    let parsed: toml::Value = toml::from_str(&after).unwrap();
    let opinions = parsed["discussion"][0]["opinion"].as_array().unwrap();
    assert_eq!(opinions.last().unwrap()["text"].as_str(), Some("建議補充說明。"));
    let leave = parsed["minutes"]["attendance"]["leave"].as_array().unwrap();
    assert!(leave.iter().any(|v| v.as_str() == Some("lin")));
    let present = parsed["minutes"]["attendance"]["present"].as_array().unwrap();
    assert!(!present.iter().any(|v| v.as_str() == Some("lin")));
    // The state the editor reads back is the file's.
    let (_, state) = s.get("api/state?m=113-1");
    assert!(state.contains("第 2 會議室") && state.contains("建議補充說明。"));
}

/// A table attachment's options as the editor sends them: header rows as a number,
/// merged ranges as a list of words; a list holding anything but words changes nothing.
#[test]
fn a_table_attachments_header_rows_and_merges_are_written_as_toml() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let q = "discussion[0].attachment[2]";
    let ops = format!(
        r#"[{{"op":"set","path":"{q}.header_rows","value":1}},{{"op":"set","path":"{q}.merge","value":["C1:G1","H1:H2"]}}]"#
    );
    assert_eq!(s.edit("a", &ops).0, 200);
    let after = std::fs::read_to_string(&file).unwrap();
    let parsed: toml::Value = toml::from_str(&after).unwrap();
    let attachment = &parsed["discussion"][0]["attachment"][2];
    assert_eq!(attachment["file"].as_str(), Some("attachments/13-quality.csv"));
    assert_eq!(attachment["header_rows"].as_integer(), Some(1));
    let merge: Vec<&str> = attachment["merge"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(merge, ["C1:G1", "H1:H2"]);
    let bad = format!(r#"[{{"op":"set","path":"{q}.merge","value":["C1:G1",3]}}]"#);
    assert_ne!(s.edit("a", &bad).0, 200);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
}

#[test]
fn the_roster_is_edited_in_group_toml_with_its_comments_kept() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let group = dir.path().join("dgbas/group.toml");
    let before = std::fs::read_to_string(&group).unwrap();
    let meeting_before = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    let (status, _) = s.edit_in("113-1", "group", "a", r#"[{"op":"set","path":"member[1].title","value":"特聘教授"}]"#);
    assert_eq!(status, 200);
    let after = std::fs::read_to_string(&group).unwrap();
    let parsed: toml::Value = toml::from_str(&after).unwrap();
    assert_eq!(parsed["member"][1]["title"].as_str(), Some("特聘教授"));
    let changed: Vec<_> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), meeting_before);
    assert!(s.get("api/state?m=113-1").1.contains("特聘教授"));
}

#[test]
fn an_upload_lands_in_the_meetings_attachments_under_a_clean_name() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let origin = format!("http://127.0.0.1:{}", s.port);
    let upload = |name: &str, marked: bool| {
        let seen = s.seen("113-1", "discussion[0]");
        let target = format!("/{}/api/upload?m=113-1&item=discussion%5B0%5D&name={name}{seen}", s.token);
        let mut headers = vec![("Content-Type", "application/octet-stream"), ("Origin", origin.as_str())];
        if marked {
            headers.push(("X-Packet-Upload", "1"));
        }
        request(s.port, "POST", &target, &headers, "年度,件數\n113,12\n")
    };
    let preview =
        |s: &Served| -> serde_json::Value { serde_json::from_str(&s.get("api/preview?m=113-1&doc=agenda").1).unwrap() };
    let pages_before = preview(&s)["pages"].as_array().unwrap().len();
    assert_eq!(upload("a.csv", false).0, 403, "without the editor's header");
    let (status, answer) = upload("..%2F..%2Fsecret%20table.CSV", true);
    assert_eq!(status, 200, "{answer}");
    let meeting_dir = dir.path().join("dgbas/113-1");
    assert_eq!(
        std::fs::read_to_string(meeting_dir.join("attachments/secret-table.csv")).unwrap(),
        "年度,件數\n113,12\n"
    );
    assert!(!dir.path().join("secret table.CSV").exists() && !dir.path().join("dgbas/secret table.CSV").exists());
    // It is printed: the agenda has a page more and no error.
    let after = preview(&s);
    assert_eq!(after["errors"].as_array().unwrap().len(), 0, "{after}");
    assert!(after["pages"].as_array().unwrap().len() > pages_before);
    // The same name again: a second file, the first untouched.
    assert!(upload("secret%20table.csv", true).1.contains("attachments/secret-table-2.csv"));
    let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(meeting_file(dir.path())).unwrap()).unwrap();
    let files: Vec<&str> =
        parsed["discussion"][0]["attachment"].as_array().unwrap().iter().map(|a| a["file"].as_str().unwrap()).collect();
    assert_eq!(files[files.len() - 2..], ["attachments/secret-table.csv", "attachments/secret-table-2.csv"]);
    // Not a kind of attachment packet prints: refused, nothing written.
    assert_eq!(upload("run.exe", true).0, 415);
    assert!(upload("CON.md", true).1.contains("attachments/CON-file.md"));
    assert!(!meeting_dir.join("attachments/run.exe").exists());
}

/// The tracking item's rows: the editor is told which decisions are still 列管 (with
/// their titles and decisions), even while a row names a stale id; an image for a
/// Markdown attachment is stored without being listed; lists of numbers (column widths)
/// and the 列管 choices are written as TOML.
#[test]
fn the_editor_knows_the_open_decisions_and_stores_images_unlisted() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let state = |s: &Served| -> serde_json::Value { serde_json::from_str(&s.get("api/state?m=113-1").1).unwrap() };
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["open"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
    };
    let before = state(&s);
    assert_eq!(ids(&before), ["112-2-R1", "112-2-R2", "112-2-D1", "112-2-D2"]);
    let earlier: toml::Value =
        toml::from_str(&std::fs::read_to_string(dir.path().join("dgbas/112-2/meeting.toml")).unwrap()).unwrap();
    let d2 = &before["open"][3];
    assert_eq!(d2["title"].as_str(), earlier["discussion"][1]["title"].as_str(), "{d2}");
    assert_eq!(
        d2["decision"].as_str().map(str::trim),
        earlier["discussion"][1]["decision"].as_str().map(str::trim),
        "{d2}"
    );
    // A typo in this meeting's row: an error at that field, and the open list still there.
    let (status, _) = s.edit("a", r#"[{"op":"set","path":"report[1].progress[0].id","value":"112-2-R9"}]"#);
    assert_eq!(status, 200);
    let broken = state(&s);
    assert_eq!(ids(&broken), ids(&before));
    assert!(
        broken["findings"].as_array().unwrap().iter().any(|f| f["field"] == "report[1].progress[0].id"),
        "{broken}"
    );
    // Widths, advice and result.
    let ops = r#"[{"op":"set","path":"report[1].progress[0].id","value":"112-2-R1"},
                  {"op":"set","path":"report[1].progress[1].advice","value":"繼續列管"},
                  {"op":"set","path":"report[1].progress[1].result","value":"解除列管"},
                  {"op":"set","path":"discussion[1].attachment[0].widths","value":[1, 2.5, 1, 3]}]"#;
    assert_eq!(s.edit("a", ops).0, 200);
    let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(meeting_file(dir.path())).unwrap()).unwrap();
    let row = &parsed["report"][1]["progress"][1];
    assert_eq!((row["advice"].as_str(), row["result"].as_str()), (Some("繼續列管"), Some("解除列管")));
    let widths = parsed["discussion"][1]["attachment"][0]["widths"].as_array().unwrap();
    assert_eq!(
        widths.iter().map(|w| w.as_float().or(w.as_integer().map(|i| i as f64)).unwrap()).collect::<Vec<_>>(),
        [1.0, 2.5, 1.0, 3.0]
    );
    assert!(state(&s)["findings"].as_array().unwrap().iter().all(|f| f["severity"] != "error"), "widths print");
    // An image only stored: in attachments/, not on any item.
    let text = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    let origin = format!("http://127.0.0.1:{}", s.port);
    let target = format!("/{}/api/upload?m=113-1&name=%E7%B5%84%E7%B9%94%E5%9C%96.svg", s.token);
    let headers = [("Content-Type", "application/octet-stream"), ("Origin", origin.as_str()), ("X-Packet-Upload", "1")];
    let (status, answer) = request(s.port, "POST", &target, &headers, "<svg xmlns='http://www.w3.org/2000/svg'/>");
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("attachments/組織圖.svg"), "{answer}");
    assert!(dir.path().join("dgbas/113-1/attachments/組織圖.svg").is_file());
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), text, "meeting.toml untouched");
    // A spreadsheet is an attachment kind too.
    let seen = s.seen("113-1", "discussion[0]");
    let target = format!("/{}/api/upload?m=113-1&item=discussion%5B0%5D&name=table.xlsx{seen}", s.token);
    let (status, answer) = request(s.port, "POST", &target, &headers, "not really a workbook");
    assert_eq!(status, 422, "a workbook that would stop the agenda is refused at the upload: {answer}");
    assert!(!dir.path().join("dgbas/113-1/attachments/table.xlsx").exists());
}

/// The response's head (status line and headers) of a GET, as the browser receives it.
fn head_of(port: u16, target: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    String::from_utf8(raw[..end].to_vec()).unwrap()
}

/// Downloads are named in Chinese with the meeting (RFC 6266 `filename*`, UTF-8,
/// percent-encoded), with an ASCII name beside it for a browser that reads only that.
#[test]
fn downloads_are_named_in_chinese_with_the_meeting() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let disposition = |query: &str| -> (String, String) {
        let head = head_of(s.port, &format!("/{}/api/download?m=113-1&{query}", s.token));
        assert!(head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"), "{query}: {head}");
        let line = head.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:")).unwrap();
        let value = line.split_once(':').unwrap().1.trim();
        let ascii = value.split("filename=\"").nth(1).and_then(|v| v.split('"').next()).unwrap().to_string();
        let encoded = value.split("filename*=UTF-8''").nth(1).unwrap().split(';').next().unwrap();
        assert!(encoded.is_ascii() && !encoded.contains(' '), "{encoded}");
        let bytes: Vec<u8> = {
            let raw = encoded.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < raw.len() {
                if raw[i] == b'%' {
                    out.push(u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap(), 16).unwrap());
                    i += 3;
                } else {
                    out.push(raw[i]);
                    i += 1;
                }
            }
            out
        };
        (ascii, String::from_utf8(bytes).unwrap())
    };
    assert_eq!(disposition("doc=agenda"), ("dgbas-113-1-agenda.pdf".into(), "113年第1次會議議程.pdf".into()));
    assert_eq!(disposition("doc=minutes").1, "113年第1次會議紀錄.pdf");
    assert_eq!(disposition("doc=minutes-internal").1, "113年第1次會議紀錄（內部）.pdf");
    assert_eq!(disposition("doc=notice").1, "113年第1次會議開會通知單.pdf");
    assert_eq!(disposition("doc=signin&format=odt").1, "113年第1次會議簽到表.odt");
    assert_eq!(disposition("doc=ics"), ("dgbas-113-1-meeting.ics".into(), "113年第1次會議.ics".into()));
}

/// An upload is judged as the build will judge it: a damaged PDF or a CSV saved in Big5 is
/// refused with the reason in words, nothing written (neither the file nor meeting.toml);
/// a good file is listed with the title the user gave its name, without 「附件N」.
#[test]
fn an_upload_the_agenda_could_not_print_is_refused_and_titled_from_its_name() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let origin = format!("http://127.0.0.1:{}", s.port);
    let upload = |name: &str, body: &[u8]| {
        let seen = s.seen("113-1", "discussion[0]");
        let target = format!("/{}/api/upload?m=113-1&item=discussion%5B0%5D&name={name}{seen}", s.token);
        let headers =
            [("Content-Type", "application/octet-stream"), ("Origin", origin.as_str()), ("X-Packet-Upload", "1")];
        let (status, body) = request_bytes(s.port, "POST", &target, &headers, body);
        (status, String::from_utf8_lossy(&body).into_owned())
    };
    let attachments = dir.path().join("dgbas/113-1/attachments");
    let listed = || std::fs::read_dir(&attachments).map(|d| d.count()).unwrap_or(0);
    let (files_before, toml_before) = (listed(), std::fs::read_to_string(meeting_file(dir.path())).unwrap());
    let noise: Vec<u8> = (0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    // 假的.pdf: random bytes.
    let (status, answer) = upload("%E5%81%87%E7%9A%84.pdf", &noise);
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("不是 PDF 檔"), "{answer}");
    // A PDF header over a body that is not one.
    let (status, answer) = upload("cut.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog");
    assert_eq!(status, 422, "{answer}");
    assert!(!answer.is_empty() && !answer.contains("PDF-1.7"), "{answer}");
    // big5清單.csv as Excel saves it in Taiwan: Big5, CRLF.
    let big5: &[u8] = &[
        166, 126, 171, 215, 44, 165, 243, 188, 198, 13, 10, 49, 49, 51, 44, 49, 50, 13, 10, 164, 85, 172, 91, 178, 77,
        179, 230, 44, 184, 234, 174, 198, 182, 176, 13, 10,
    ];
    let (status, answer) = upload("big5%E6%B8%85%E5%96%AE.csv", big5);
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("Big5") && answer.contains("CSV UTF-8"), "{answer}");
    assert!(!answer.contains("attachments/"), "{answer}");
    assert_eq!(listed(), files_before, "nothing written");
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), toml_before, "nothing listed");
    // The same table in UTF-8, named 「附件1 下架清單.csv」, goes in titled 下架清單.
    let utf8 = "年度,件數\r\n113,12\r\n下架清單,資料集\r\n";
    let (status, answer) = upload("%E9%99%84%E4%BB%B61%20%E4%B8%8B%E6%9E%B6%E6%B8%85%E5%96%AE.csv", utf8.as_bytes());
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("attachments/附件1-下架清單.csv"), "{answer}");
    // A name with nothing but the label, and one of a Windows device: 「附件」 and the name.
    assert_eq!(upload("%E9%99%84%E4%BB%B6%202.csv", utf8.as_bytes()).0, 200);
    assert_eq!(upload("CON.csv", utf8.as_bytes()).0, 200);
    let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(meeting_file(dir.path())).unwrap()).unwrap();
    let listed: Vec<(&str, &str)> = parsed["discussion"][0]["attachment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["file"].as_str().unwrap(), a["title"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        listed[listed.len() - 3..],
        [
            ("attachments/附件1-下架清單.csv", "下架清單"),
            ("attachments/附件-2.csv", "附件"),
            ("attachments/CON-file.csv", "CON")
        ]
    );
}

/// While the meeting does not build (an attachment not uploaded yet), the preview keeps
/// the pages it last drew, every one of them still served, beside the error.
#[test]
fn a_meeting_that_stops_building_keeps_its_last_pages() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let preview =
        |s: &Served| -> serde_json::Value { serde_json::from_str(&s.get("api/preview?m=113-1&doc=agenda").1).unwrap() };
    let good = preview(&s);
    assert!(good["errors"].as_array().unwrap().is_empty());
    let ops = r#"[{"op":"set","path":"report[0].attachment[0].file","value":"attachments/missing.md"}]"#;
    assert_eq!(s.edit("a", ops).0, 200);
    let broken = preview(&s);
    assert!(!broken["errors"].as_array().unwrap().is_empty(), "{broken}");
    assert_eq!(broken["pages"], good["pages"]);
    for (n, hash) in good["pages"].as_array().unwrap().iter().enumerate() {
        let (status, svg) = s.get(&format!("api/page?m=113-1&doc=agenda&n={n}&h={}", hash.as_str().unwrap()));
        assert_eq!(status, 200, "page {n}");
        assert!(svg.starts_with("<svg") || svg.contains("<svg"), "page {n}");
    }
}

/// A decision is named by its item's place, a member by id: an edit that would make a
/// later meeting's 辦理情形 row or any meeting's attendance point at something else is
/// refused with the reason, and nothing is written; the same edits where nothing refers
/// to them go ahead.
#[test]
fn edits_that_would_re_point_other_meetings_records_are_refused() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let meeting = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    // 113-2 reports on 113-1-D1 and 113-1-D2: neither may change place.
    for ops in [
        r#"[{"op":"move","path":"discussion[0]","by":1}]"#,
        r#"[{"op":"remove","path":"discussion[1]"}]"#,
        r#"[{"op":"remove","path":"report[0]"}]"#,
    ] {
        let (status, answer) = s.edit("a", ops);
        assert_eq!(status, 409, "{ops}: {answer}");
        assert!(answer.contains("113-2") && answer.contains("113-1-"), "{answer}");
    }
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), meeting, "nothing written");
    // 113-2 is the last meeting: its items move and go freely.
    let edit = |m: &str, file: &str, ops: &str| s.edit_in(m, file.trim_start_matches("&file="), "a", ops);
    let added = r#"[{"op":"append","path":"discussion","fields":{"unit":"甲","title":"乙"}}]"#;
    assert_eq!(edit("113-2", "", added).0, 200);
    let (status, answer) = edit("113-2", "", r#"[{"op":"move","path":"discussion[1]","by":-1}]"#);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(edit("113-2", "", r#"[{"op":"remove","path":"discussion[0]"}]"#).0, 200);
    // The roster: lin attends 113-1; the id may not change, the member not go.
    let group = dir.path().join("dgbas/group.toml");
    let before = std::fs::read_to_string(&group).unwrap();
    let parsed: toml::Value = toml::from_str(&before).unwrap();
    let lin = parsed["member"].as_array().unwrap().iter().position(|m| m["id"].as_str() == Some("lin")).unwrap();
    let (status, answer) =
        edit("113-1", "&file=group", &format!(r#"[{{"op":"set","path":"member[{lin}].id","value":"lin2"}}]"#));
    assert_eq!(status, 409, "{answer}");
    assert!(answer.contains("「lin」") && answer.contains("113-1"), "{answer}");
    assert_eq!(edit("113-1", "&file=group", &format!(r#"[{{"op":"remove","path":"member[{lin}]"}}]"#)).0, 409);
    assert_eq!(std::fs::read_to_string(&group).unwrap(), before);
    // Her term may change; a new member's id may be given and changed.
    assert_eq!(
        edit("113-1", "&file=group", &format!(r#"[{{"op":"set","path":"member[{lin}].title","value":"處長"}}]"#)).0,
        200
    );
    let n = parsed["member"].as_array().unwrap().len();
    let add = r#"[{"op":"append","path":"member","fields":{"id":"","name":"王○○","title":"","organisation":"","kind":"機關代表","gender":"男"}}]"#;
    assert_eq!(edit("113-1", "&file=group", add).0, 200);
    assert_eq!(
        edit("113-1", "&file=group", &format!(r#"[{{"op":"set","path":"member[{n}].id","value":"wang"}}]"#)).0,
        200
    );
    assert_eq!(
        edit("113-1", "&file=group", &format!(r#"[{{"op":"set","path":"member[{n}].id","value":"wang2"}}]"#)).0,
        200
    );
    assert_eq!(edit("113-1", "&file=group", &format!(r#"[{{"op":"remove","path":"member[{n}]"}}]"#)).0, 200);
}

#[test]
fn the_tab_whose_write_was_overwritten_is_told() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    assert_eq!(s.edit("tab-a", r#"[{"op":"set","path":"place","value":"甲室"}]"#).0, 200);
    assert_eq!(s.edit("tab-b", r#"[{"op":"set","path":"place","value":"乙室"}]"#).0, 200);
    let (_, told) = s.get("api/wait?since=999999&client=tab-a");
    assert!(told.contains("\"field\":\"place\"") && told.contains("另一個分頁"), "{told}");
    let (_, b) = s.get("api/wait?since=0&client=tab-b");
    assert!(!b.contains("place"), "{b}");
    // The later write won.
    assert!(std::fs::read_to_string(meeting_file(dir.path())).unwrap().contains("place = \"乙室\""));
}

#[test]
fn a_change_on_disk_reaches_the_editor_and_the_preview_sends_only_changed_pages() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let pages = |s: &Served| {
        let (_, list) = s.get("api/preview?m=113-1&doc=agenda");
        let v: serde_json::Value = serde_json::from_str(&list).unwrap();
        v["pages"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let before = pages(&s);
    assert!(before.len() > 3);
    let (status, svg) = s.get(&format!("api/page?m=113-1&doc=agenda&n=0&h={}", before[0]));
    assert_eq!(status, 200);
    assert!(svg.starts_with("<svg"), "{}", &svg[..100.min(svg.len())]);
    // Another editor changes the place: the waiting tab is woken, the state shows it.
    let (_, state) = s.get("api/state?m=113-1");
    let version = serde_json::from_str::<serde_json::Value>(&state).unwrap()["version"].as_u64().unwrap();
    crate::common::edit_file(dir.path(), "dgbas/113-1/meeting.toml", "行政院第 9 會議室", "行政院第 5 會議室");
    let (_, woke) = s.get(&format!("api/wait?since={version}&client=c"));
    let woke: serde_json::Value = serde_json::from_str(&woke).unwrap();
    assert!(woke["version"].as_u64().unwrap() > version);
    assert!(s.get("api/state?m=113-1").1.contains("行政院第 5 會議室"));
    let after = pages(&s);
    assert_eq!(after.len(), before.len());
    assert_ne!(after[0], before[0], "the first page shows the place");
    assert_eq!(after[1..], before[1..], "the other pages are unchanged and not sent again");
    // The old page is gone, not served stale.
    assert_eq!(s.get(&format!("api/page?m=113-1&doc=agenda&n=0&h={}", before[0])).0, 404);
}

#[test]
fn the_downloads_are_the_documents_of_the_files_as_edited() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    assert_eq!(s.edit("a", r#"[{"op":"set","path":"place","value":"第 7 會議室"}]"#).0, 200);
    let pages_of = |doc: &str| {
        let (_, list) = s.get(&format!("api/preview?m=113-1&doc={doc}"));
        let v: serde_json::Value = serde_json::from_str(&list).unwrap();
        assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{list}");
        v["pages"].as_array().unwrap().len()
    };
    for (doc, file) in [("agenda", "agenda.pdf"), ("minutes", "minutes.pdf")] {
        let (status, pdf) =
            request_bytes(s.port, "GET", &format!("/{}/api/download?m=113-1&doc={doc}", s.token), &[], "");
        assert_eq!(status, 200, "{doc}");
        let path = dir.path().join(file);
        std::fs::write(&path, &pdf).unwrap();
        assert_eq!(crate::common::pdf_pages(&path), pages_of(doc), "{doc}: the preview shows every page");
        assert!(crate::common::squash(&crate::common::pdf_text(&path)).contains("第7會議室"), "{doc}");
        // Its editable edition: an ODF package of the same edit.
        let (status, odt) =
            request_bytes(s.port, "GET", &format!("/{}/api/download?m=113-1&doc={doc}&format=odt", s.token), &[], "");
        assert_eq!(status, 200, "{doc} odt");
        assert!(
            odt.starts_with(b"PK") && odt[30..].starts_with(b"mimetypeapplication/vnd.oasis.opendocument.text"),
            "{doc} odt"
        );
        let path = dir.path().join(format!("{doc}.odt"));
        std::fs::write(&path, &odt).unwrap();
        assert!(crate::common::odt_xml(&path).contains("第 7 會議室"), "{doc} odt");
    }
    let (status, zip) = request_bytes(s.port, "GET", &format!("/{}/api/bundle?m=113-1", s.token), &[], "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&zip));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.expect("entry name").into_owned()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("SHA256SUMS")) && names.iter().any(|n| n.ends_with("minutes.pdf")),
        "{names:?}"
    );
    let json = names.iter().find(|n| n.ends_with("meeting.json")).unwrap().clone();
    let mut record = String::new();
    archive.by_name(&json).unwrap().read_to_string(&mut record).unwrap();
    assert!(record.contains("第 7 會議室"));
}

#[test]
fn a_body_over_the_limit_is_refused_and_changes_nothing() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let before = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    let huge = "甲".repeat(400_000);
    let (status, _) = s.edit("a", &format!(r#"[{{"op":"set","path":"place","value":"{huge}"}}]"#));
    assert_eq!(status, 413);
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), before);
}

/// A client still sending a body the server has already refused for its size gets the
/// answer (413 and why), not a reset connection: the body is read and dropped first.
#[test]
fn a_client_still_sending_a_refused_body_is_told_why() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let chunk = vec![b'x'; 256 * 1024];
    // Over the 1 MiB limit of an edit and the 64 MiB of an upload.
    for (target, total) in [("api/edit?m=113-1", 3 << 20), ("api/upload?m=113-1&name=big.csv", 65 << 20)] {
        let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        let head = format!(
            "POST /{}/{target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             X-Packet-Upload: 1\r\nConnection: close\r\nContent-Length: {total}\r\n\r\n",
            s.token, s.port
        );
        stream.write_all(head.as_bytes()).unwrap();
        // In steps, so that the answer is ready long before the last byte is sent.
        let mut sent = 0;
        while sent < total {
            let n = (total - sent).min(chunk.len());
            if let Err(e) = stream.write_all(&chunk[..n]) {
                panic!("{target}: the server cut the connection after {sent} bytes: {e}");
            }
            sent += n;
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(text.starts_with("HTTP/1.1 413"), "{target}: {}", &text[..text.len().min(200)]);
    }
}

#[test]
fn the_next_meeting_is_created_as_packet_new_does_and_never_overwrites() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let new = |date: &str| {
        let origin = format!("http://127.0.0.1:{}", s.port);
        let target = format!("/{}/api/new", s.token);
        request(
            s.port,
            "POST",
            &target,
            &[("Content-Type", "application/json"), ("Origin", &origin)],
            &format!(r#"{{"date":"{date}"}}"#),
        )
    };
    let (status, answer) = new("2024-12-20");
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"113-3\""), "{answer}");
    let created = std::fs::read_to_string(dir.path().join("dgbas/113-3/meeting.toml")).unwrap();
    assert!(created.contains("date = 2024-12-20"), "{created}");
    let (status, state) = s.get("api/state?m=113-3");
    assert_eq!(status, 200);
    assert!(state.contains("\"meeting\":\"113-3\""));
    // The same again would be 113-4, never 113-3 overwritten; a bad date is refused.
    std::fs::write(dir.path().join("dgbas/113-3/meeting.toml"), "# 手寫\n".to_string() + &created).unwrap();
    assert_eq!(new("明天").0, 409);
    assert!(std::fs::read_to_string(dir.path().join("dgbas/113-3/meeting.toml")).unwrap().starts_with("# 手寫"));
}

/// `POST api/new` on the series served by `s`: the status and the answer.
fn new_meeting(s: &Served, body: &str) -> (u16, String) {
    let origin = format!("http://127.0.0.1:{}", s.port);
    let target = format!("/{}/api/new", s.token);
    request(s.port, "POST", &target, &[("Content-Type", "application/json"), ("Origin", &origin)], body)
}

/// packets/record numbered by term (第 2 屆第 5 次, 第 3 屆第 1、2 次 in folders 2-5, 3-1,
/// 3-2), as tests/series_history.rs makes it, in `<tmp>/tr`.
fn series_by_term() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("tr");
    crate::common::copy_tree(&root().join("packets/record"), &dir);
    let g = std::fs::read_to_string(dir.join("group.toml")).unwrap();
    let numbering = g.lines().find(|l| l.starts_with("numbering = ")).unwrap().to_string();
    std::fs::write(dir.join("group.toml"), g.replace(&numbering, "numbering = \"term\"")).unwrap();
    for (from, to, term, number) in [("12", "2-5", 2, 5), ("13", "3-1", 3, 1), ("14", "3-2", 3, 2)] {
        std::fs::rename(dir.join(from), dir.join(to)).unwrap();
        let file = dir.join(to).join("meeting.toml");
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace(&format!("\nnumber = {from}\n"), &format!("\nterm = {term}\nnumber = {number}\n"))
            .replace("\"11-D", "\"2-4-D")
            .replace("\"12-", "\"2-5-")
            .replace("\"13-D", "\"3-1-D");
        std::fs::write(&file, text).unwrap();
    }
    t
}

/// 建立下一次會議 with 開始新的一屆: the page is offered the term after the last (第 4 屆
/// after 第 3 屆第 2 次), the meeting it creates is 第 4 屆第 1 次 (folder 4-1, its decisions
/// 4-1-D…); a stale offer (a term already started) and a group not numbered by term are
/// refused in words, nothing created.
#[test]
fn a_new_term_starts_from_the_page_where_the_group_numbers_by_term() {
    let t = series_by_term();
    let dir = t.path().join("tr");
    let s = serve(&dir);
    assert_eq!(s.state("3-2")["next_term"], 4);
    let (status, answer) = new_meeting(&s, r#"{"date":"2026-06-16","term":4}"#);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"4-1\""), "{answer}");
    let created = std::fs::read_to_string(dir.join("4-1/meeting.toml")).unwrap();
    assert!(
        created.contains("\nterm = 4 ") && created.contains("\nnumber = 1\n") && created.contains("第 4 屆第 1 次會議"),
        "{created}"
    );
    // The earlier term's open decisions are listed for follow-up; the new meeting's own
    // decisions are numbered in the new term.
    assert!(created.contains("id = \"3-1-D1\""), "{created}");
    let decided =
        "\n[[discussion]]\nunit = \"資訊室\"\ntitle = \"新一屆工作重點，提請討論。\"\ndecision = \"照案通過。\"\n";
    std::fs::write(dir.join("4-1/meeting.toml"), created.clone() + decided).unwrap();
    let o = crate::common::packet(t.path(), &["tracking", "tr", "--json"]);
    let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = all.as_array().unwrap().iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(ids.contains(&"4-1-D1"), "{ids:?}");
    assert_eq!(s.state("4-1")["next_term"], 5);

    // A tab that still offers 第 4 屆 (another tab started it meanwhile) is refused.
    let (status, answer) = new_meeting(&s, r#"{"date":"2026-09-16","term":4}"#);
    assert_eq!(status, 409, "{answer}");
    assert!(answer.contains("應為第 5 屆") && answer.contains("重新整理"), "{answer}");
    assert!(!dir.join("4-2").exists());

    // A group numbered by year has no term to start: no offer, the request refused.
    let yearly = example_series();
    let s = serve(&yearly.path().join("dgbas"));
    assert!(s.state("113-1")["next_term"].is_null());
    let (status, answer) = new_meeting(&s, r#"{"date":"2024-12-20","term":2}"#);
    assert_eq!(status, 409, "{answer}");
    assert!(answer.contains("不依屆次編號") && answer.contains("不能開始新的一屆"), "{answer}");
    assert!(!answer.contains("numbering") && !answer.contains("group.toml"), "{answer}");
    assert!(!yearly.path().join("dgbas/113-3").exists());
}

/// The same from the page, in headless Chromium (tests/browser/serve_term.py): the offer
/// beside the date, ticked with the keyboard, the new term's first meeting opened; no
/// offer for a group numbered by year.
#[test]
fn a_new_term_is_offered_and_started_in_headless_chromium() {
    let t = series_by_term();
    let dir = t.path().join("tr");
    let s = serve(&dir);
    let yearly = example_series();
    let y = serve(&yearly.path().join("dgbas"));
    browser_session(Browser::Chromium, "serve_term.py", &[s.url.as_ref(), dir.as_os_str(), y.url.as_ref()], "TERM OK");
}

/// Which real browser a session runs in (tests/browser/drivers.py starts it).
#[derive(Clone, Copy, PartialEq)]
enum Browser {
    Chromium,
    Firefox,
}

/// Run one of tests/browser/*.py with its arguments in `browser`; its stdout, after it
/// printed `ok` and named the browser it ran in.
fn browser_session(browser: Browser, script: &str, args: &[&std::ffi::OsStr], ok: &str) -> String {
    // One browser at a time: four at once on two cores, beside the typesetting tests, only
    // test the machine (a session's own waits are what it checks).
    static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let mut command = Command::new("python3");
    command.arg(root().join("tests/browser").join(script)).args(args);
    // Screenshots for the README come from Chromium only.
    let shots = std::env::var("PACKET_SCREENSHOTS").unwrap_or_default();
    command.arg(if browser == Browser::Chromium { shots } else { String::new() });
    let name = match browser {
        Browser::Chromium => "chrome",
        Browser::Firefox => "firefox",
    };
    command.env("PACKET_BROWSER", name);
    let out = command.output().expect("python3 is needed (scripts/test.sh installs selenium and the browsers)");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "browser session failed:\n{said}\n{}", String::from_utf8_lossy(&out.stderr));
    print!("{said}");
    assert!(said.contains(ok), "{said}");
    assert!(said.contains(&format!("browser: {name}")), "ran in another browser: {said}");
    said
}

/// A secretary's session on the example's 113-1 (tests/browser/serve_session.py).
fn edits_the_meeting(browser: Browser) {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    browser_session(browser, "serve_session.py", &[s.url.as_ref(), meeting_file(dir.path()).as_os_str()], "SESSION OK");
}

#[test]
fn a_secretary_edits_the_meeting_in_headless_chromium() {
    edits_the_meeting(Browser::Chromium);
}

#[test]
fn a_secretary_edits_the_meeting_in_headless_firefox() {
    edits_the_meeting(Browser::Firefox);
}

/// The done-when of the editor: a secretary prepares 113-1 and records its minutes in the
/// browser alone, starting from the series as it stood after 112-2 (group.toml and 112-2
/// only). tests/browser/serve_prepare.py types everything the example's 113-1 says and
/// checks the TOML the browser wrote; here both meetings are built and their agenda and
/// minutes must print the same text.
fn prepares_and_records_113_1(browser: Browser) {
    let dir = tempfile::tempdir().unwrap();
    let series = dir.path().join("dgbas");
    std::fs::create_dir_all(&series).unwrap();
    std::fs::copy(root().join("packets/dgbas/group.toml"), series.join("group.toml")).unwrap();
    crate::common::copy_tree(&root().join("packets/dgbas/112-2"), &series.join("112-2"));
    let reference = root().join("packets/dgbas/113-1");
    let s = serve(&series);
    browser_session(
        browser,
        "serve_prepare.py",
        &[s.url.as_ref(), series.as_os_str(), reference.as_os_str()],
        "PREPARED OK",
    );
    drop(s);

    // The example series as it is, and the one the browser made: the same documents.
    let example = example_series();
    let built = |meeting: &Path, out: &Path| {
        for command in ["build", "minutes"] {
            let run = crate::common::Run::new(&[command, meeting.to_str().unwrap(), "-q", "-o", out.to_str().unwrap()])
                .env("SOURCE_DATE_EPOCH", "0")
                .output();
            assert!(run.status.success(), "{command}: {}", crate::common::stderr(&run));
        }
    };
    let (a, b) = (dir.path().join("out-browser"), dir.path().join("out-example"));
    built(&series.join("113-1"), &a);
    built(&example.path().join("dgbas/113-1"), &b);
    for pdf in ["agenda.pdf", "minutes.pdf"] {
        let (got, want) = (crate::common::pdf_text(&a.join(pdf)), crate::common::pdf_text(&b.join(pdf)));
        assert!(want.len() > 2000, "{pdf} has text");
        assert_eq!(got, want, "{pdf}: the browser's meeting prints other text than the example's");
    }
}

#[test]
fn a_secretary_prepares_and_records_113_1_in_chromium_alone() {
    prepares_and_records_113_1(Browser::Chromium);
}

#[test]
fn a_secretary_prepares_and_records_113_1_in_firefox_alone() {
    prepares_and_records_113_1(Browser::Firefox);
}

/// Read-modify-write against a text editor: an edit applies only to the version of the
/// file the tab read (or one this server wrote itself). A file changed outside since,
/// empty (Notepad has truncated it and not yet written), or half written is left as it
/// is, and the page is told the file changed (`changed`), never written over.
#[test]
fn an_edit_onto_a_file_changed_outside_writes_nothing() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let seen = s.state("113-1");
    let ops = r#"[{"op":"set","path":"place","value":"第 2 會議室"}]"#;
    let body = edit_body(&seen, false, "a", ops);
    // Another program saves the file: the tab's edit is refused, the other's text stays.
    crate::common::edit_file(dir.path(), "dgbas/113-1/meeting.toml", "行政院第 9 會議室", "行政院第 5 會議室");
    let outside = std::fs::read_to_string(&file).unwrap();
    let (status, answer) = s.post_edit("113-1", "", &body);
    assert_eq!(status, 409, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["changed"], true, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("編輯器之外"), "{answer}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), outside);
    // Truncated (empty) and half written: refused even against the version just read.
    let cut = outside.find("行政院第 5").unwrap() + "行政院".len();
    for partial in [String::new(), outside[..cut].to_string()] {
        std::fs::write(&file, &partial).unwrap();
        let (status, answer) = s.post_edit("113-1", "", &edit_body(&s.state("113-1"), false, "a", ops));
        assert_eq!(status, 409, "{answer}");
        assert!(answer.contains("\"changed\":true"), "{answer}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), partial, "nothing written over the partial file");
    }
    // The file whole again and read again: the edit goes in, and the tab's next edit, made
    // before it read the file back, too (the server wrote the version in between).
    std::fs::write(&file, &outside).unwrap();
    let seen = s.state("113-1");
    assert_eq!(s.post_edit("113-1", "", &edit_body(&seen, false, "a", ops)).0, 200);
    let next = r#"[{"op":"set","path":"time","value":"10:00"}]"#;
    assert_eq!(s.post_edit("113-1", "", &edit_body(&seen, false, "a", next)).0, 200);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("place = \"第 2 會議室\"") && after.contains("time = \"10:00\""), "{after}");
}

/// Fields are named by index; each edit also names its items' fingerprints as the tab saw
/// them: text typed in an item another tab moved lands in that item where it is now, and
/// text typed in an item another tab removed is refused, never written into a neighbour.
#[test]
fn an_edit_follows_its_item_when_another_tab_moves_or_removes_it() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = dir.path().join("dgbas/113-2/meeting.toml");
    let titles = || -> Vec<String> {
        let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        parsed["discussion"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_string()).collect()
    };
    for title in ["甲案", "乙案"] {
        let add = format!(r#"[{{"op":"append","path":"discussion","fields":{{"unit":"幕僚","title":"{title}"}}}}]"#);
        assert_eq!(s.edit_in("113-2", "", "b", &add).0, 200);
    }
    let n = titles().len();
    assert!(n >= 3);
    // Tab A reads the meeting; tab B moves 乙案 above 甲案, then A types into 甲案's unit.
    let seen = s.state("113-2");
    assert_eq!(
        s.edit_in("113-2", "", "b", &format!(r#"[{{"op":"move","path":"discussion[{}]","by":-1}}]"#, n - 1)).0,
        200
    );
    let typed = format!(r#"[{{"op":"set","path":"discussion[{}].unit","value":"甲的單位"}}]"#, n - 2);
    let (status, answer) = s.post_edit("113-2", "", &edit_body(&seen, false, "a", &typed));
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(&format!("discussion[{}].unit", n - 1)), "re-targeted: {answer}");
    let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let list = parsed["discussion"].as_array().unwrap();
    assert_eq!((list[n - 1]["title"].as_str(), list[n - 1]["unit"].as_str()), (Some("甲案"), Some("甲的單位")));
    assert_eq!((list[n - 2]["title"].as_str(), list[n - 2]["unit"].as_str()), (Some("乙案"), Some("幕僚")));
    // B removes 甲案; A's next keystrokes for it (made against what A saw) are refused.
    let before = std::fs::read_to_string(&file).unwrap();
    assert_eq!(s.edit_in("113-2", "", "b", &format!(r#"[{{"op":"remove","path":"discussion[{}]"}}]"#, n - 1)).0, 200);
    let removed = std::fs::read_to_string(&file).unwrap();
    assert_ne!(removed, before);
    let (status, answer) = s.post_edit("113-2", "", &edit_body(&seen, false, "a", &typed));
    assert_eq!(status, 409, "{answer}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), removed, "nothing written into a neighbour");
    // An edit that does not name its item is refused too.
    let bare = format!(
        r#"{{"client":"a","base":"{}","ops":{typed}}}"#,
        s.state("113-2")["hashes"]["meeting"].as_str().unwrap()
    );
    assert_eq!(s.post_edit("113-2", "", &bare).0, 409);
}

/// A connection closed mid-upload: the body is shorter than its Content-Length, and
/// nothing of it is kept or listed.
#[test]
fn an_upload_cut_short_writes_nothing() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let meeting = std::fs::read_to_string(meeting_file(dir.path())).unwrap();
    let attachments = dir.path().join("dgbas/113-1/attachments");
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(&attachments).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    let files = listing();
    let seen = s.seen("113-1", "discussion[0]");
    let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let head = format!(
        "POST /{}/api/upload?m=113-1&item=discussion%5B0%5D&name=big.csv{seen} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
         X-Packet-Upload: 1\r\nContent-Type: application/octet-stream\r\nContent-Length: 50000\r\nConnection: close\r\n\r\n",
        s.token, s.port
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all("年度,件數\n113,12\n".repeat(100).as_bytes()).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("未儲存"), "{answer}");
    assert_eq!(listing(), files, "no partial file in attachments/");
    assert_eq!(std::fs::read_to_string(meeting_file(dir.path())).unwrap(), meeting, "nothing listed");
}

/// The meeting list in the order the meetings were held, whatever their folder names:
/// 7, 8, 9, 10 (not 10, 7, 8, 9), and the latest opened by default; the same for
/// term numbering (113-9, 113-10).
#[test]
fn meetings_are_listed_in_the_order_they_were_held() {
    for names in [["7", "8", "9", "10"], ["113-8", "113-9", "113-10", "113-11"]] {
        let dir = tempfile::tempdir().unwrap();
        let series = dir.path().join("g");
        std::fs::create_dir_all(&series).unwrap();
        std::fs::copy(root().join("packets/dgbas/group.toml"), series.join("group.toml")).unwrap();
        for (k, name) in names.iter().enumerate() {
            std::fs::create_dir_all(series.join(name)).unwrap();
            let text = format!("number = {}\ndate = 2024-0{}-10\nplace = \"甲\"\n", k + 7, k + 2);
            std::fs::write(series.join(name).join("meeting.toml"), text).unwrap();
        }
        let s = serve(&series);
        let (_, state) = s.get("api/state");
        let state: serde_json::Value = serde_json::from_str(&state).unwrap();
        assert_eq!(state["meetings"], serde_json::json!(names), "{names:?}");
        assert_eq!(state["meeting"], names[3], "the latest is opened");
    }
}

/// An edit keeps what the file was: its permissions (a private 0600 file stays private),
/// a byte order mark (Notepad's), and CRLF line ends: only the edited line changes.
#[cfg(unix)]
#[test]
fn an_edit_keeps_the_files_mode_bom_and_line_ends() {
    use std::os::unix::fs::PermissionsExt;
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let lf = std::fs::read_to_string(&file).unwrap();
    let windows = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    std::fs::write(&file, &windows).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (status, answer) = s.edit("a", r#"[{"op":"set","path":"place","value":"第 2 會議室"}]"#);
    assert_eq!(status, 200, "{answer}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(after, windows.replace("行政院第 9 會議室", "第 2 會議室"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    // A new table (an opinion) is written with CRLF too.
    let ops = r#"[{"op":"append","path":"discussion[0].opinion","fields":{"member":"lin","text":"意見"}}]"#;
    assert_eq!(s.edit("a", ops).0, 200);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.starts_with('\u{feff}') && !after.replace("\r\n", "").contains('\n'), "{after}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
}

/// The guard of other meetings' records holds for every request, not only those the page
/// sends: removing or emptying a whole list (or the table holding it), or a member's id.
#[test]
fn the_guard_holds_for_any_path_that_reaches_a_referenced_item() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let meeting = std::fs::read_to_string(&file).unwrap();
    for ops in [
        r#"[{"op":"remove","path":"discussion"}]"#,
        r#"[{"op":"set","path":"discussion","value":null}]"#,
        r#"[{"op":"set","path":"discussion","value":[]}]"#,
        r#"[{"op":"remove","path":"minutes"}]"#,
        r#"[{"op":"remove","path":"report"}]"#,
    ] {
        let (status, answer) = s.edit("a", ops);
        assert_eq!(status, 409, "{ops}: {answer}");
        assert!(answer.contains("113-2"), "{answer}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), meeting);
    let group = dir.path().join("dgbas/group.toml");
    let before = std::fs::read_to_string(&group).unwrap();
    let parsed: toml::Value = toml::from_str(&before).unwrap();
    let lin = parsed["member"].as_array().unwrap().iter().position(|m| m["id"].as_str() == Some("lin")).unwrap();
    for ops in [
        r#"[{"op":"remove","path":"member"}]"#.to_string(),
        r#"[{"op":"set","path":"member","value":null}]"#.to_string(),
        format!(r#"[{{"op":"remove","path":"member[{lin}].id"}}]"#),
        format!(r#"[{{"op":"set","path":"member[{lin}].id","value":null}}]"#),
    ] {
        let (status, answer) = s.edit_in("113-1", "group", "a", &ops);
        assert_eq!(status, 409, "{ops}: {answer}");
    }
    assert_eq!(std::fs::read_to_string(&group).unwrap(), before);
}

/// Every error comes back in one shape, JSON with its message, whatever refused it.
#[test]
fn every_error_is_one_json_shape() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    for (status, body) in [
        request(s.port, "GET", "/wrong-token/", &[], ""),
        s.get("api/nothing"),
        s.get("api/state?m=nowhere"),
        s.edit("a", r#"[{"op":"set","path":"../x","value":1}]"#),
    ] {
        assert!(status >= 400, "{status} {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}"));
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
    }
}

/// The page's script passes ESLint (tests/lint: pinned with its package-lock.json, set up
/// by scripts/test.sh with `npm ci`): an error fails the test.
#[test]
fn the_pages_script_passes_the_linter() {
    let eslint = root().join("tests/lint/node_modules/.bin/eslint");
    assert!(eslint.exists(), "run scripts/test.sh (npm ci --prefix tests/lint) first");
    let out = Command::new(&eslint)
        .args(["--config", "tests/lint/eslint.config.js", "--max-warnings", "0", "src/serve/assets"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "eslint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The property target of the editor's edits (tests/serve_fuzz.rs).
#[path = "serve_fuzz.rs"]
mod fuzz;

/// Bursts, slow clients and the limits of the connections (tests/serve_connections.rs).
#[path = "serve_connections.rs"]
mod connections;

/// The address kept per series across restarts (tests/serve_address.rs).
#[path = "serve_address.rs"]
mod address;

/// The notice, sign-in sheet and invitation downloaded from the page (tests/serve_documents.rs).
#[path = "serve_documents.rs"]
mod documents;

/// The correction round typed in the editor (tests/serve_corrections.rs).
#[path = "serve_corrections.rs"]
mod corrections;

/// A new meeting's whole cycle from the double-click start, at two sizes (tests/serve_cycle.rs).
#[path = "serve_cycle.rs"]
mod cycle;

/// The roster's ids, the internal minutes and the publication from the page
/// (tests/serve_publish.rs).
#[path = "serve_publish.rs"]
mod publish;

/// The page reads the meeting's three deadlines with its state, each marked when it was
/// counted on a year without an official calendar (暫定): 2024 is official, a meeting on
/// 2026-12-21 publishes in 2027, computed.
#[test]
fn the_state_carries_the_deadlines_with_their_provisional_marks() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    let state = s.state("113-1");
    let d = &state["deadlines"];
    assert_eq!(d["materials_due"], "2024-04-22", "{d}");
    assert_eq!(d["provisional"]["publication_due"], false, "{d}");
    drop(s);
    let file = series.join("113-1/meeting.toml");
    let text = std::fs::read_to_string(&file).unwrap().replacen("date = 2024-04-29", "date = 2026-12-21", 1).replacen(
        "year = 113",
        "year = 115",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let s = serve(&series);
    let d = &s.state("113-1")["deadlines"];
    assert_eq!(d["materials_due"], "2026-12-14", "{d}");
    assert_eq!(d["provisional"]["materials_due"], false, "{d}");
    assert_eq!(d["publication_due"], "2027-01-12", "{d}");
    assert_eq!(d["provisional"]["publication_due"], true, "{d}");
    assert_eq!(d["provisional_years"], serde_json::json!([2027]), "{d}");
}

/// The editor at 200% zoom and with the keyboard alone (tests/serve_reflow.rs).
#[path = "serve_reflow.rs"]
mod reflow;

/// Another program's truncating save under the page's edits (tests/serve_outside.rs).
#[path = "serve_outside.rs"]
mod outside;

/// The series' 「字型」 folder in the editor (tests/serve_fonts.rs).
#[path = "serve_fonts.rs"]
mod fonts;

/// What is typed previewed before it is saved, and the item → page map (tests/serve_draft.rs).
#[path = "serve_draft.rs"]
mod draft;
