//! The connections of `packet serve` as a browser and a hostile neighbour make them: a
//! burst of new connections beside kept-alive ones, a client that stops mid-header, more
//! requests at once than the server handles, and the threads all of that costs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use super::{Served, serve};
use crate::common::example_series;

/// How long a test waits for an answer before it calls the server hung.
const PATIENCE: Duration = Duration::from_secs(30);

fn connect(s: &Served) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// [`get_kept_alive`], counting the request in `sent` once it is written.
fn get_kept_alive_counted(stream: &TcpStream, port: u16, target: &str, sent: &std::sync::atomic::AtomicUsize) -> u16 {
    get_kept_alive_then(stream, port, target, || {
        sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    })
}

fn get_kept_alive(stream: &TcpStream, port: u16, target: &str) -> u16 {
    get_kept_alive_then(stream, port, target, || {})
}

/// A GET as a browser sends it (HTTP/1.1, kept alive): the status once the whole answer
/// (by its Content-Length) has come. The connection stays open.
fn get_kept_alive_then(stream: &TcpStream, port: u16, target: &str, written: impl FnOnce()) -> u16 {
    let mut writer = stream;
    write!(writer, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    written();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap_or_else(|e| panic!("no answer to {target} within {PATIENCE:?}: {e}"));
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status line {line:?}"));
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        if header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    status
}

/// The page's ES modules come over several new connections at once while others stay
/// kept alive and idle: every one is answered (tiny_http, before, queued all but one of
/// such a burst behind the kept-alive connections, for ever).
#[test]
fn a_burst_of_new_connections_is_answered_beside_kept_alive_ones() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    // Connections that came and went: the server has idle workers now.
    for _ in 0..3 {
        assert_eq!(s.get("app.css").0, 200);
    }
    let css = format!("/{}/app.css", s.token);
    let kept: Vec<TcpStream> = (0..8).map(|_| connect(&s)).collect();
    for stream in &kept {
        assert_eq!(get_kept_alive(stream, s.port, &css), 200);
    }
    let modules = ["main.js", "dom.js", "store.js", "save.js", "fields.js", "items.js"];
    let start = Arc::new(Barrier::new(12));
    let burst: Vec<_> = (0..12)
        .map(|i| {
            let (start, port) = (start.clone(), s.port);
            let target = format!("/{}/{}", s.token, modules[i % modules.len()]);
            std::thread::spawn(move || {
                start.wait();
                let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream.set_read_timeout(Some(PATIENCE)).unwrap();
                let status = get_kept_alive(&stream, port, &target);
                // Kept open, as the browser keeps it, until every other one is answered.
                (status, stream)
            })
        })
        .collect();
    let answered: Vec<(u16, TcpStream)> = burst.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        answered.iter().all(|(status, _)| *status == 200),
        "{:?}",
        answered.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    // The kept-alive connections still serve.
    assert_eq!(get_kept_alive(&kept[0], s.port, &css), 200);
}

/// A client that sends half a request head and stops is disconnected (within the head's
/// 20 s), not waited for as long as it likes.
#[test]
fn a_client_that_stops_mid_request_is_disconnected() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let mut stream = connect(&s);
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(stream, "GET /{}/api/state HTTP/1.1\r\nHost: 127.0.0.1", s.token).unwrap();
    let mut rest = Vec::new();
    let read = stream.read_to_end(&mut rest);
    assert!(read.is_ok(), "still open after 60 s: {read:?}");
    // Whatever it said (408 or nothing), it answered no request.
    assert!(!String::from_utf8_lossy(&rest).contains("\"meeting\""));
}

/// The threads of the server process (Linux: /proc).
#[cfg(target_os = "linux")]
fn threads(s: &Served) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id())).unwrap();
    status.lines().find_map(|l| l.strip_prefix("Threads:")).unwrap().trim().parse().unwrap()
}

/// 64 tabs' long polls at once are all the server handles: the next request is told 503
/// (busy) and the threads stay bounded; then 200 connections one after the other cost no
/// thread each.
#[cfg(target_os = "linux")]
#[test]
fn requests_past_the_limit_are_refused_and_threads_stay_bounded() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let wait = format!("/{}/api/wait?since=18446744073709551615&client=t", s.token);
    // Each poll counts itself once its request is sent, and again once answered.
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let polls: Vec<_> = (0..64)
        .map(|_| {
            let stream = connect(&s);
            let (port, wait) = (s.port, wait.clone());
            let (sent, answered) = (sent.clone(), answered.clone());
            std::thread::spawn(move || {
                let status = get_kept_alive_counted(&stream, port, &wait, &sent);
                answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                status
            })
        })
        .collect();
    let start = Instant::now();
    while sent.load(std::sync::atomic::Ordering::SeqCst) < 64 && start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(5));
    }
    // While the polls are held (20 s each; a cheap route: the probes take no time).
    let (mut busy, mut seen) = (None, Vec::new());
    while busy.is_none() && answered.load(std::sync::atomic::Ordering::SeqCst) == 0 && start.elapsed() < PATIENCE {
        let (status, body) = s.get("app.css");
        if status == 503 {
            busy = Some(body);
        } else {
            seen.push(status);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let counts = format!(
        "{} polls sent, {} answered, after {:?}",
        sent.load(std::sync::atomic::Ordering::SeqCst),
        answered.load(std::sync::atomic::Ordering::SeqCst),
        start.elapsed()
    );
    let busy = busy.unwrap_or_else(|| panic!("no 503 while 64 long polls were held ({counts}); answers: {seen:?}"));
    assert!(busy.contains("忙碌"), "{busy}");
    let during = threads(&s);
    assert!(during <= 64 + 8, "{during} threads for 64 requests");
    assert!(polls.into_iter().all(|p| p.join().unwrap() == 200));
    for _ in 0..200 {
        assert_eq!(s.get("app.css").0, 200);
    }
    let after = threads(&s);
    assert!(after <= 64 + 8, "{after} threads after 200 connections");
}
