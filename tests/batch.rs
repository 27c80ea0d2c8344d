//! Many documents in one process: series builds and `packet watch` (behaviour, not timing).

use crate::common::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[test]
fn series_build_writes_every_meeting() {
    let series = example_series();
    let o = packet(series.path(), &["build", "dgbas", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for m in ["112-2", "113-1", "113-2"] {
        let pdf = series.path().join(format!("out/dgbas-{m}/agenda.pdf"));
        assert!(pdf.is_file(), "{m} not built");
        assert!(squash(&pdf_text(&pdf)).contains("議程"));
    }
}

#[test]
fn series_build_reports_a_broken_meeting_and_builds_the_rest() {
    let series = example_series();
    edit_file(series.path(), "dgbas/113-2/meeting.toml", "place = ", "plaice = ");
    let o = packet(series.path(), &["build", "dgbas", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("113-2/meeting.toml:") && stderr(&o).contains("plaice"), "{}", stderr(&o));
    assert!(series.path().join("out/dgbas-112-2/agenda.pdf").is_file());
    assert!(!series.path().join("out/dgbas-113-2/agenda.pdf").exists());
}

/// Wait for a stderr line containing `want`; return every line seen meanwhile.
fn wait_for(rx: &mpsc::Receiver<String>, want: &str, seen: &mut Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let hit = line.contains(want);
            seen.push(line);
            if hit {
                return;
            }
        }
    }
    panic!("no line with 「{want}」; saw:\n{}", seen.join("\n"));
}

#[test]
fn watch_rebuilds_once_per_save_and_keeps_the_last_good_pdf() {
    let series = example_series();
    let dir = series.path();
    let mut child = Run::new(&["watch", "dgbas/113-1", "-o", "out", "--max-rebuilds", "3"])
        .cwd(dir)
        .command()
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    wait_for(&rx, "已產生", &mut seen);
    let pdf = dir.join("out/agenda.pdf");
    let meeting = dir.join("dgbas/113-1/meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();

    // One save: exactly one rebuild, with the new text.
    std::fs::write(&meeting, text.replace("行政院第 9 會議室", "行政院第 10 會議室")).unwrap();
    wait_for(&rx, "已重新產生", &mut seen);
    std::thread::sleep(Duration::from_millis(1500));
    while let Ok(line) = rx.try_recv() {
        seen.push(line);
    }
    assert_eq!(seen.iter().filter(|l| l.contains("已重新產生")).count(), 1, "{seen:#?}");
    assert!(squash(&pdf_text(&pdf)).contains("地點：行政院第10會議室"));

    // An editor that saves by writing a temporary file and renaming it over the
    // original: several events, still exactly one rebuild.
    let tmp = dir.join("dgbas/113-1/.meeting.toml.swp");
    std::fs::write(&tmp, text.replace("行政院第 9 會議室", "行政院第 11 會議室")).unwrap();
    std::fs::rename(&tmp, &meeting).unwrap();
    let before = seen.iter().filter(|l| l.contains("已重新產生")).count();
    wait_for(&rx, "已重新產生", &mut seen);
    std::thread::sleep(Duration::from_millis(1500));
    while let Ok(line) = rx.try_recv() {
        seen.push(line);
    }
    assert_eq!(seen.iter().filter(|l| l.contains("已重新產生")).count(), before + 1, "{seen:#?}");
    assert!(squash(&pdf_text(&pdf)).contains("地點：行政院第11會議室"));
    let good = std::fs::read(&pdf).unwrap();

    // A broken save: the error is shown, the last good PDF stays, watching goes on.
    std::fs::write(&meeting, text.replace("number = 1", "number = \"一\"")).unwrap();
    wait_for(&rx, "產生失敗", &mut seen);
    assert!(seen.iter().any(|l| l.contains("meeting.toml:") && l.contains("number")), "{seen:#?}");
    assert_eq!(std::fs::read(&pdf).unwrap(), good, "the last good PDF was replaced");
    // --max-rebuilds 3 ends the process after the third rebuild.
    let status = child.wait().unwrap();
    assert!(status.success(), "{seen:#?}");
}

#[test]
fn series_build_runs_each_meetings_checks_like_a_single_build() {
    let series = example_series();
    edit_file(series.path(), "dgbas/113-2/meeting.toml", "present = [\"chen\", ", "present = [\"zz\", \"chen\", ");
    let o = packet(series.path(), &["build", "dgbas", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("113-2/meeting.toml:") && err.contains("minutes.attendance.present[0]") && err.contains("「zz」"),
        "{err}"
    );
    assert!(series.path().join("out/dgbas-113-1/agenda.pdf").is_file());
    assert!(!series.path().join("out/dgbas-113-2/agenda.pdf").exists());
    // The single-meeting build refuses the same meeting for the same reason …
    let one = packet(series.path(), &["build", "dgbas/113-2", "-q", "-o", "single"]);
    assert_eq!(one.status.code(), Some(2));
    assert!(stderr(&one).contains("「zz」"), "{}", stderr(&one));
    // … and --force builds it in both.
    let forced = packet(series.path(), &["build", "dgbas", "-q", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(series.path().join("out/dgbas-113-2/agenda.pdf").is_file());
}

#[test]
fn series_build_sees_each_meetings_own_tracking_table() {
    // 113-2's table is generated from 113-1's minutes; the series is loaded once per
    // process and must still give each meeting its own rows, as single builds do.
    let series = example_series();
    let o = packet(series.path(), &["build", "dgbas", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for m in ["113-1", "113-2"] {
        let single = packet(series.path(), &["build", &format!("dgbas/{m}"), "-q", "-o", &format!("single-{m}")]);
        assert!(single.status.success(), "{}", stderr(&single));
        let a = std::fs::read(series.path().join(format!("out/dgbas-{m}/agenda.pdf"))).unwrap();
        let b = std::fs::read(series.path().join(format!("single-{m}/agenda.pdf"))).unwrap();
        assert!(a == b, "{m}: the series build differs from the single build");
    }
}

#[test]
fn document_metadata_is_set_after_the_content_so_layouts_are_reused() {
    // A `#set document` above the content puts title, date and place in every
    // paragraph's style chain, and Typst's layout cache then misses for every other
    // meeting of a series and after every edit (see BENCHMARKS.md). It must come last,
    // and the PDF must still carry the metadata.
    let series = example_series();
    for (cmd, stem) in [("build", "agenda"), ("minutes", "minutes")] {
        let o = packet(series.path(), &[cmd, "dgbas/113-1", "-q", "--typst", "-o", "t"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let source = std::fs::read_to_string(series.path().join(format!("t/{stem}.typ"))).unwrap();
        let at = source.find("#set document(").unwrap_or_else(|| panic!("{stem}.typ sets no document metadata"));
        let after: Vec<&str> = source[at..]
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
            .collect();
        assert!(after.is_empty(), "{stem}.typ has content after #set document: {after:?}");
        let info = pdf_info(&series.path().join(format!("t/{stem}.pdf")));
        assert!(info.contains("113 年第 1 次會議"), "{stem}: {info}");
    }
}
