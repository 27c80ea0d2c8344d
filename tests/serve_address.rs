//! The editor's address is kept per series in the user's data folder: a bookmark or an
//! open tab works after a restart, the checks of every request hold as before, and a
//! series opened twice gets the editor already running.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Browser, Served, browser_session, meeting_file, request, serve_with, served_at};
use crate::common::example_series;

/// `packet serve` started while the series' editor runs: its first line of stdout, and
/// whether it ended by itself, successfully.
fn start_again(series: &std::path::Path, data: &std::path::Path) -> (String, bool) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_packet"));
    crate::common::pin_today(&mut command);
    let out = command
        .args(["serve", "--no-open"])
        .arg(series)
        .env("PACKET_DATA_DIR", data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    (stdout.lines().next().unwrap_or_default().to_string(), out.status.success())
}

#[test]
fn the_address_is_kept_per_series_across_restarts() {
    let dir = example_series();
    let data = tempfile::tempdir().unwrap();
    let series = dir.path().join("dgbas");
    let first = serve_with(&series, data.path());
    let (url, port, token) = (first.url.clone(), first.port, first.token.clone());
    assert_eq!(first.get("api/state?m=113-1").0, 200);
    drop(first);

    // Restarted: the same address, and the tab's requests are answered there.
    let again = serve_with(&series, data.path());
    assert_eq!(again.url, url);
    let (status, state) = again.get("api/state?m=113-1");
    assert_eq!(status, 200, "{state}");
    let (status, _) = again.edit("tab", r#"[{"op":"set","path":"place","value":"第 9 會議室"}]"#);
    assert_eq!(status, 200);
    assert!(std::fs::read_to_string(meeting_file(dir.path())).unwrap().contains("第 9 會議室"));
    // Other hosts and origins are refused as before; nothing of the address is in the series.
    let route = format!("/{token}/api/state");
    assert_eq!(request(port, "GET", &route, &[("Host", "evil.example")], "").0, 403);
    let origin = [("Content-Type", "application/json"), ("Origin", "http://evil.example")];
    assert_eq!(request(port, "POST", &format!("/{token}/api/edit?m=113-1"), &origin, "{}").0, 403);
    let kept: Vec<_> = std::fs::read_dir(data.path().join("serve")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(std::fs::read_to_string(&kept[0]).unwrap().contains(&token));
    let listing = |d: &std::path::Path| std::fs::read_dir(d).unwrap().count();
    assert_eq!(listing(&series), listing(&crate::common::root().join("packets/dgbas")), "no file added to the series");

    // Opened again while it runs: the running editor's address, and the new process ends.
    assert_eq!(start_again(&series, data.path()), (url.clone(), true));

    // Another series: an address of its own.
    let other_dir = example_series();
    let other = serve_with(&other_dir.path().join("dgbas"), data.path());
    assert_ne!(other.token, token);
    assert_ne!(other.port, port);
    drop(other);
    drop(again);

    // The kept port taken by another program: another port, the same token, kept for the next run.
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let moved = serve_with(&series, data.path());
    assert_ne!(moved.port, port);
    assert_eq!(moved.token, token);
    assert_eq!(moved.get("api/state?m=113-1").0, 200);
    let moved_url = moved.url.clone();
    drop(moved);
    drop(squatter);
    assert_eq!(serve_with(&series, data.path()).url, moved_url);
}

/// An open tab across a restart (tests/browser/serve_restart.py starts and stops the
/// editor itself): the same address, and what was typed meanwhile saved once it is back.
fn reconnects_after_a_restart(browser: Browser) {
    let dir = example_series();
    let data = tempfile::tempdir().unwrap();
    let series = dir.path().join("dgbas");
    let args = [
        std::ffi::OsStr::new(env!("CARGO_BIN_EXE_packet")),
        series.as_os_str(),
        data.path().as_os_str(),
        std::ffi::OsStr::new(crate::common::PINNED_TODAY),
    ];
    browser_session(browser, "serve_restart.py", &args, "RESTART OK");
}

#[test]
fn an_open_tab_reconnects_after_a_restart_in_chromium() {
    reconnects_after_a_restart(Browser::Chromium);
}

#[test]
fn an_open_tab_reconnects_after_a_restart_in_firefox() {
    reconnects_after_a_restart(Browser::Firefox);
}

/// `packet` alone, as a double-click starts it, in `cwd`, answering `input` to its
/// question if it asks one: the editor it started, and what it printed before its address.
fn started_bare(cwd: &Path, data: &Path, input: &str) -> (Served, String) {
    started_bare_from(Path::new(env!("CARGO_BIN_EXE_packet")), cwd, data, input)
}

/// [`started_bare`] with the program at `program` (its folder is looked in too).
fn started_bare_from(program: &Path, cwd: &Path, data: &Path, input: &str) -> (Served, String) {
    let mut command = Command::new(program);
    crate::common::pin_today(&mut command);
    let mut child = command
        .current_dir(cwd)
        .env("PACKET_DATA_DIR", data)
        .env("PACKET_NO_OPEN", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let mut said = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no address printed:\n{said}");
        if line.starts_with("http://") {
            break line.trim().to_string();
        }
        said.push_str(&line);
    };
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    while !said.contains("結束編輯器") {
        assert!(stderr.read_line(&mut said).unwrap() > 0, "{said}");
    }
    // Read to the end, as a console would: a closed pipe would fail the server's next line.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    (served_at(url, child), said)
}

/// packet.exe double-clicked (no arguments) in a series' folder opens its editor and says
/// how to stop it; above several series, it asks which.
#[test]
fn the_program_alone_opens_the_editor_on_the_series_here() {
    let dir = example_series();
    let data = tempfile::tempdir().unwrap();
    let (editor, said) = started_bare(&dir.path().join("dgbas"), data.path(), "");
    assert!(said.contains("「dgbas」") && said.contains("關閉這個視窗"), "{said}");
    let (status, state) = editor.get("api/state");
    assert_eq!(status, 200, "{state}");
    assert!(state.contains("\"113-1\""), "{state}");
    // The series' own kept address, as `packet serve` gives it.
    let url = editor.url.clone();
    drop(editor);
    assert_eq!(serve_with(&dir.path().join("dgbas"), data.path()).url, url);

    // Two series here: the second, as typed, is the one edited.
    let parent = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        crate::common::copy_tree(&crate::common::root().join("packets/dgbas"), &parent.path().join(name));
    }
    let (editor, said) = started_bare(parent.path(), data.path(), "2\n");
    assert!(said.contains("1. a") && said.contains("2. b"), "{said}");
    let (status, _) = editor.edit("tab", r#"[{"op":"set","path":"place","value":"第 2 會議室"}]"#);
    assert_eq!(status, 200);
    let place = |name: &str| std::fs::read_to_string(parent.path().join(name).join("113-1/meeting.toml")).unwrap();
    assert!(place("b").contains("第 2 會議室") && !place("a").contains("第 2 會議室"));
}

/// No series where packet.exe is double-clicked: one is made there with the names typed
/// (as `packet init` makes it) and opened; a name that is not one folder is refused.
#[test]
fn the_program_alone_makes_a_series_where_there_is_none() {
    let here = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (editor, said) = started_bare(here.path(), data.path(), "資料開放諮詢小組\n測試機關\n");
    assert!(said.contains("小組名稱") && said.contains("機關名稱"), "{said}");
    let (status, state) = editor.get("api/state");
    assert_eq!(status, 200, "{state}");
    let group = std::fs::read_to_string(here.path().join("資料開放諮詢小組/group.toml")).unwrap();
    assert!(group.contains("測試機關"), "{group}");
    drop(editor);

    let empty = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_packet"));
    crate::common::pin_today(&mut command);
    let mut child = command
        .current_dir(empty.path())
        .env("PACKET_NO_OPEN", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("../外面\n測試機關\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    assert!(!empty.path().parent().unwrap().join("外面").exists());
}

/// Started in a series' folder, the program opens that series at once, though the
/// program's own folder holds others (it asked which before: review 31, #20).
#[test]
fn the_program_alone_in_a_series_folder_opens_it_though_its_own_folder_holds_others() {
    let parent = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    for name in ["a", "b"] {
        crate::common::copy_tree(&crate::common::root().join("packets/dgbas"), &parent.path().join(name));
    }
    // The program beside the two series (a hard link: no copy of the binary).
    let program = parent.path().join("packet");
    std::fs::hard_link(env!("CARGO_BIN_EXE_packet"), &program).unwrap();
    let data = tempfile::tempdir().unwrap();
    let (editor, said) = started_bare_from(&program, &parent.path().join("b"), data.path(), "");
    assert!(said.contains("「b」") && !said.contains("找到以下會議系列"), "{said}");
    let (status, _) = editor.edit("tab", r#"[{"op":"set","path":"place","value":"第 3 會議室"}]"#);
    assert_eq!(status, 200);
    let place = |name: &str| std::fs::read_to_string(parent.path().join(name).join("113-1/meeting.toml")).unwrap();
    assert!(place("b").contains("第 3 會議室") && !place("a").contains("第 3 會議室"));
    drop(editor);
    // From the program's folder (a double-click in Explorer): both offered, as before.
    let (editor, said) = started_bare_from(&program, parent.path(), data.path(), "1\n");
    assert!(said.contains("1. a") && said.contains("2. b"), "{said}");
    drop(editor);
}

/// `packet serve` on `series` with its console (stderr) read: the address and the first
/// `lines` lines said about it.
fn serve_said(series: &Path, data: &Path, lines: usize) -> (Served, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_packet"));
    crate::common::pin_today(&mut command);
    let mut child = command
        .args(["serve", "--no-open"])
        .arg(series)
        .env("PACKET_DATA_DIR", data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    for _ in 0..lines {
        stderr.read_line(&mut said).unwrap();
    }
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    (served_at(url, child), said)
}

/// The kept port taken by another program at a restart: the console says the address
/// changed, old → new, in Chinese (#31); and a temporary file an upload cut by a killed
/// editor left in attachments/ is removed at the start, nothing else (#33).
#[test]
fn a_restart_says_when_the_address_changed_and_removes_what_a_killed_upload_left() {
    let dir = example_series();
    let data = tempfile::tempdir().unwrap();
    let series = dir.path().join("dgbas");
    let first = serve_with(&series, data.path());
    let (old_url, old_port) = (first.url.clone(), first.port);
    drop(first);
    let attachments = series.join("113-1/attachments");
    std::fs::create_dir_all(&attachments).unwrap();
    std::fs::write(attachments.join(".packet-YA8RtS.tmp"), vec![0u8; 4096]).unwrap();
    std::fs::write(attachments.join(".packet-notes.txt"), "mine").unwrap();
    std::fs::write(attachments.join("draft.tmp"), "mine").unwrap();
    // Same port free: nothing said about the address.
    let (again, said) = serve_said(&series, data.path(), 1);
    assert_eq!(again.url, old_url);
    assert!(!said.contains("網址已變更"), "{said}");
    assert!(!attachments.join(".packet-YA8RtS.tmp").exists(), "the killed upload's file removed");
    assert!(attachments.join(".packet-notes.txt").exists() && attachments.join("draft.tmp").exists());
    drop(again);
    // Another program on the port: a new address, and the console says so.
    let squatter = std::net::TcpListener::bind(("127.0.0.1", old_port)).unwrap();
    let (moved, said) = serve_said(&series, data.path(), 2);
    assert_ne!(moved.port, old_port);
    let line = said.lines().find(|l| l.contains("網址已變更")).unwrap_or_else(|| panic!("{said}"));
    let (old_at, new_at) = (line.find(&old_url).unwrap(), line.find(&moved.url).unwrap());
    assert!(old_at < new_at, "old → new: {line}");
    assert!(!line.contains("packet"), "{line}");
    drop(squatter);
}
