//! The correction round of the draft minutes (`[corrections]`, `packet corrections`):
//! its deadline on the working-day calendar, 視同無意見, the check on final minutes made
//! too early, and the record kept out of every published file.

use crate::common::*;
use std::path::Path;

/// A copy of `packets/demo` (its meeting 8 has a round: one reply, six silences).
fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &tmp.path().join("demo"));
    tmp
}

#[test]
fn the_record_prints_the_reply_the_silences_and_the_deadline() {
    let tmp = demo();
    let out = packet(tmp.path(), &["corrections", "demo/8", "--odt", "-q", "-o", "rec"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = tmp.path().join("rec/corrections.pdf");
    assert_eq!(pdf_pages(&pdf), 1);
    let text = squash(&pdf_text_raw(&pdf));
    assert!(text.contains("紀錄草稿修正意見處理表"), "{text}");
    // The title breaks before the document's name, never inside it (「…處／理表」).
    let layout = pdf_text(&pdf);
    assert!(layout.lines().any(|l| l.trim() == "紀錄草稿修正意見處理表"), "{layout}");
    // 10 working days after Fri 20 Sep 2024: 4 Oct (no holiday in between).
    assert!(text.contains("回復期限：113年10月4日"), "{text}");
    assert!(text.contains("請補列：「指標宜每半年檢討一次。」"), "{text}");
    assert!(text.contains("照修正：討論事項一發言要旨補列范○○委員意見。"), "{text}");
    assert_eq!(text.matches("視同無意見").count(), 6 + 1, "six silent members and the note: {text}");
    assert!(text.contains("政府資訊公開法第十八條"), "{text}");
    let odt = odt_xml(&tmp.path().join("rec/corrections.odt"));
    assert!(odt.contains("請補列：「指標宜每半年檢討一次。」"), "{odt}");
    assert_eq!(odt.matches("視同無意見").count(), 7);
    // By default beside the internal minutes, never in the folder that is published.
    let out = packet(tmp.path(), &["corrections", "demo/8", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("out/demo-8-internal/corrections.pdf").is_file());
}

#[test]
fn the_deadline_counts_the_groups_working_days_on_the_office_calendar() {
    let tmp = demo();
    edit_file(tmp.path(), "demo/group.toml", "[rules]\n", "[rules]\ncorrection_days = 3\n");
    // Tue 8 Oct 2024 + 3 working days: 9, 11 (10 Oct is 國慶日), 14 Oct.
    edit_file(tmp.path(), "demo/8/meeting.toml", "sent = 2024-09-20", "sent = 2024-10-08");
    edit_file(tmp.path(), "demo/8/meeting.toml", "received = 2024-09-25", "received = 2024-10-09");
    edit_file(tmp.path(), "demo/8/meeting.toml", "final = 2024-10-07", "final = 2024-10-15");
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let err = stderr(&out);
    assert!(err.contains("回復期限 113 年 10 月 14 日（星期一）（送達後第 3 個工作日）"), "{err}");
    assert!(err.contains("已回復 1 人，未回復 6 人（視同無意見）"), "{err}");
    // The round's day is the draft minutes' day: 8 Oct is past the draft's own deadline
    // (10 working days after Tue 10 Sep: 25 Sep), a finding at that field.
    let found = String::from_utf8_lossy(&out.stdout);
    assert!(
        found.contains("corrections.sent: 會議紀錄草稿於 113 年 10 月 8 日")
            && found.contains("晚於期限 113 年 9 月 25 日"),
        "{found}"
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
}

#[test]
fn without_its_own_count_the_round_takes_the_groups_draft_minutes_days() {
    // DGBAS: 「8 個工作日內」 (seed 001), group.toml draft_minutes_days = 8.
    let tmp = demo();
    edit_file(tmp.path(), "demo/group.toml", "[rules]\n", "[rules]\ndraft_minutes_days = 8\n");
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let err = stderr(&out);
    // Fri 20 Sep 2024 + 8 working days: Wed 2 Oct.
    assert!(err.contains("回復期限 113 年 10 月 2 日（星期三）（送達後第 8 個工作日）"), "{err}");
    // Published on 1 Oct, before the deadline, with six members yet to reply.
    let toml = std::fs::read_to_string(tmp.path().join("demo/8/meeting.toml")).unwrap();
    let toml = toml.replace("[corrections]", "[dates]\npublished = 2024-10-01\n\n[corrections]");
    write_file(tmp.path(), "demo/8/meeting.toml", toml);
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.lines().any(|l| l.contains("dates.published:") && l.contains("早於修正意見回復期限")), "{stdout}");
}

#[test]
fn final_minutes_before_the_round_closed_are_a_finding() {
    let tmp = demo();
    let out = packet(tmp.path(), &["check", "demo/8"]);
    assert!(out.status.success(), "the example waits for its deadline: {}", stderr(&out));
    edit_file(tmp.path(), "demo/8/meeting.toml", "final = 2024-10-07", "final = 2024-10-01");
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = stdout.lines().find(|l| l.contains("corrections.final")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("早於修正意見回復期限 113 年 10 月 4 日"), "{line}");
    assert!(line.contains("柯○○") && !line.contains("范○○"), "the silent members, not the one who replied: {line}");
    // Every member replied by then: the final minutes may be made before the deadline.
    let mut replies = String::new();
    for id in ["ko", "du", "hu", "lu", "shi", "pan"] {
        replies.push_str(&format!("\n[[corrections.reply]]\nmember = \"{id}\"\nreceived = 2024-09-30\n"));
    }
    let toml = std::fs::read_to_string(tmp.path().join("demo/8/meeting.toml")).unwrap() + &replies;
    write_file(tmp.path(), "demo/8/meeting.toml", toml);
    let out = packet(tmp.path(), &["check", "demo/8"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn check_shows_the_rounds_state_on_the_day() {
    let tmp = demo();
    edit_file(tmp.path(), "demo/8/meeting.toml", "final = 2024-10-07\n", "");
    let open = Run::new(&["check", "demo/8"]).cwd(tmp.path()).env("PACKET_TODAY", "2024-09-26").output();
    let err = stderr(&open);
    assert!(err.contains("紀錄草稿修正：進行中") && err.contains("待回復 6 人"), "{err}");
    let closed = Run::new(&["check", "demo"]).cwd(tmp.path()).env("PACKET_TODAY", "2024-10-07").output();
    let err = stderr(&closed);
    let line = err.lines().find(|l| l.starts_with("第 8 次")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("紀錄草稿修正：已截止，可定稿") && line.contains("未回復 6 人（視同無意見）"), "{line}");
}

#[test]
fn an_unknown_member_in_a_reply_is_an_error() {
    let tmp = demo();
    edit_file(tmp.path(), "demo/8/meeting.toml", "member = \"fan\"\nreceived", "member = \"fna\"\nreceived");
    let out = packet(tmp.path(), &["corrections", "demo/8", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("corrections.reply[0].member"), "{}", stderr(&out));
    // A meeting without a round: said so, nothing written.
    let out = packet(tmp.path(), &["corrections", "demo/7", "-q", "-o", "none"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("尚未記錄會議紀錄草稿的修正意見往返"), "{}", stderr(&out));
    assert!(!tmp.path().join("none/corrections.pdf").exists());
}

/// Every file of the bundle as text: PDFs through pdftotext, ODTs and zips unpacked.
fn bundle_texts(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            bundle_texts(&path, out);
            continue;
        }
        let name = path.display().to_string();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => pdf_text(&path),
            Some("odt") | Some("zip") => odt_xml(&path),
            _ => String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
        };
        out.push((name, squash(&text)));
    }
}

#[test]
fn no_published_file_holds_a_reply() {
    let tmp = demo();
    let secret = "草稿修正之私見甲乙丙";
    edit_file(tmp.path(), "demo/8/meeting.toml", "text = \"本人", &format!("text = \"{secret}本人"));
    write_file(tmp.path(), "demo/8/replies/du.txt", "覆函附件丁戊己");
    let toml = std::fs::read_to_string(tmp.path().join("demo/8/meeting.toml")).unwrap()
        + "\n[[corrections.reply]]\nmember = \"du\"\nreceived = 2024-09-27\nfile = \"replies/du.txt\"\n";
    write_file(tmp.path(), "demo/8/meeting.toml", toml);
    let rec = packet(tmp.path(), &["corrections", "demo/8", "-q", "-o", "rec"]);
    let text = squash(&pdf_text_raw(&tmp.path().join("rec/corrections.pdf")));
    assert!(text.contains(secret) && text.contains("見附檔「replies/du.txt」"), "the record holds it: {text}");
    assert!(rec.status.success());
    let out = packet(tmp.path(), &["export", "demo", "-q", "-o", "bundle"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut files = Vec::new();
    bundle_texts(&tmp.path().join("bundle"), &mut files);
    assert!(files.len() > 10 && files.iter().any(|(n, _)| n.ends_with("8-minutes.pdf")));
    for (name, text) in &files {
        for hidden in [secret, "覆函附件丁戊己", "照修正", "視同無意見", "replies/du.txt"] {
            assert!(!text.contains(hidden), "{name} holds «{hidden}»");
        }
    }
}

#[test]
fn the_odt_opens_in_libreoffice_on_one_page_with_the_pdfs_rows() {
    let tmp = demo();
    let out = packet(tmp.path(), &["corrections", "demo/8", "--odt", "-q", "-o", "rec"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lo = crate::odf::libreoffice_pdfs(&[tmp.path().join("rec/corrections.odt")]);
    assert_eq!(pdf_pages(&lo[0]), 1);
    let text = squash(&pdf_text_raw(&lo[0]));
    for words in ["紀錄草稿修正意見處理表", "回復期限：113年10月4日", "指標宜每半年檢討一次", "內部・不公開"]
    {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert_eq!(text.matches("視同無意見").count(), 7, "{text}");
}

#[test]
fn a_round_ending_after_the_publication_deadline_is_a_warning_and_a_stated_deadline_wins() {
    let tmp = demo();
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "a warning only: {stdout}");
    let line = stdout.lines().find(|l| l.contains("corrections.sent:")).unwrap_or_else(|| panic!("{stdout}"));
    // Meeting Tue 10 Sep 2024: the 14th working day after is Tue 1 Oct (中秋節 17 Sep off).
    assert!(
        line.contains("警告：修正意見回復期限 113 年 10 月 4 日（星期五）")
            && line.contains("晚於公開期限 113 年 10 月 1 日（星期二）"),
        "{line}"
    );
    // The covering e-mail's own deadline, before the publication deadline: no warning.
    edit_file(tmp.path(), "demo/8/meeting.toml", "final = 2024-10-07", "deadline = 2024-09-30\nfinal = 2024-10-01");
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.trim().is_empty(), "{stdout}");
    assert!(stderr(&out).contains("回復期限 113 年 9 月 30 日（星期一）；"), "{}", stderr(&out));
}

#[test]
fn minutes_under_correction_are_a_draft_until_the_round_closes_or_they_are_final() {
    let tmp = demo();
    edit_file(tmp.path(), "demo/8/meeting.toml", "final = 2024-10-07\n", "");
    let on = |day: &str, args: &[&str]| Run::new(args).cwd(tmp.path()).env("PACKET_TODAY", day).output();
    // Open (fan replied, six still may): the state, the minutes and the bundle all say draft.
    let check = on("2024-09-26", &["check", "demo"]);
    let err = stderr(&check);
    let line = err.lines().find(|l| l.starts_with("第 8 次")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("紀錄草稿") && !line.contains("紀錄定稿"), "{line}");
    let minutes = on("2024-09-26", &["minutes", "demo/8", "-q", "-o", "open"]);
    let err = stderr(&minutes);
    assert!(minutes.status.success(), "{err}");
    assert!(err.contains("已產生草稿") && err.contains("紀錄草稿修正進行中") && err.contains("待回復 6 人"), "{err}");
    let draft = tmp.path().join("open/minutes-draft.pdf");
    assert!(squash(&pdf_text_raw(&draft)).contains("草稿"), "{}", pdf_text_raw(&draft));
    assert!(!tmp.path().join("open/minutes.pdf").exists());
    let export = on("2024-09-26", &["export", "demo/8", "-o", "open.zip"]);
    let err = stderr(&export);
    assert_eq!(export.status.code(), Some(2), "{err}");
    assert!(err.contains("會議紀錄尚未定稿") && err.contains("紀錄草稿修正進行中"), "{err}");
    assert!(!tmp.path().join("open.zip").exists());
    // The deadline (4 Oct) passed: the round is closed, the minutes final.
    let minutes = on("2024-10-07", &["minutes", "demo/8", "-q", "-o", "closed"]);
    assert!(minutes.status.success(), "{}", stderr(&minutes));
    assert!(tmp.path().join("closed/minutes.pdf").is_file(), "{}", stderr(&minutes));
    // A final date recorded ends the round whatever the day.
    edit_file(tmp.path(), "demo/8/meeting.toml", "sent = 2024-09-20\n", "sent = 2024-09-20\nfinal = 2024-10-07\n");
    let minutes = on("2024-09-26", &["minutes", "demo/8", "-q", "-o", "final"]);
    assert!(tmp.path().join("final/minutes.pdf").is_file(), "{}", stderr(&minutes));
}

#[test]
fn a_reply_deadline_on_a_day_off_is_a_finding() {
    let tmp = demo();
    // Sun 6 Oct 2024; then Thu 10 Oct, 國慶日.
    edit_file(tmp.path(), "demo/8/meeting.toml", "sent = 2024-09-20\n", "sent = 2024-09-20\ndeadline = 2024-10-06\n");
    let out = packet(tmp.path(), &["check", "demo/8"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("corrections.deadline") && text.contains("113 年 10 月 6 日（星期日）不是辦公日"), "{text}");
    edit_file(tmp.path(), "demo/8/meeting.toml", "deadline = 2024-10-06", "deadline = 2024-10-10");
    let text = String::from_utf8_lossy(&packet(tmp.path(), &["check", "demo/8"]).stdout).to_string();
    assert!(text.contains("（國慶日）不是辦公日"), "{text}");
    edit_file(tmp.path(), "demo/8/meeting.toml", "deadline = 2024-10-10", "deadline = 2024-10-04");
    let out = packet(tmp.path(), &["check", "demo/8"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}
