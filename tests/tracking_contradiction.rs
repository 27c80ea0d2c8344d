//! A tracking item's 決定 that says 繼續列管 while a row it rules is 解除列管 (or the reverse):
//! `packet check` reports it at the row, in Chinese, and exits 1; a decision that says nothing
//! of 列管, or agrees with its rows, is no finding.

use crate::common::*;
use std::path::Path;

/// A copy of `packets/<series>` with the first `洽悉。` decision of `meeting` replaced.
fn series_with(series: &str, meeting: &str, decision: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets").join(series), &dir.path().join(series));
    let rel = format!("{series}/{meeting}/meeting.toml");
    let path = dir.path().join(&rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "decision = \"洽悉。\"";
    assert!(text.contains(from), "setup: {rel} has no {from}");
    std::fs::write(&path, text.replacen(from, &format!("decision = \"{decision}\""), 1)).unwrap();
    dir
}

/// `packet check <meeting>`: exit code and the lines naming a 列管 contradiction.
fn check(dir: &Path, meeting: &str) -> (i32, Vec<String>) {
    let o = Run::new(&["check", meeting]).cwd(dir).output();
    let lines = stderr(&o)
        .lines()
        .chain(String::from_utf8_lossy(&o.stdout).lines())
        .filter(|l| l.contains("互相矛盾"))
        .map(str::to_string)
        .collect();
    (o.status.code().unwrap_or(-1), lines)
}

/// The message names no TOML key (the field path before it does).
fn message(line: &str) -> &str {
    line.rsplit_once(": ").map_or(line, |(_, m)| m)
}

/// demo/8: 編號一 (7-D1) 持續列管, 編號二 (6-M1) 解除列管. A decision keeping both
/// contradicts 編號二, at its advice line.
#[test]
fn decision_keeps_a_row_the_table_closes() {
    let dir = series_with("demo", "8", "洽悉，編號一、二繼續列管。");
    let (code, lines) = check(dir.path(), "demo/8");
    assert_eq!(code, 1, "{lines:?}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert!(line.starts_with("demo/8/meeting.toml:26:10: report[0].progress[1].advice: "), "{line}");
    assert!(message(line).contains("編號二（決定 6-M1）") && message(line).contains("「繼續列管」"), "{line}");
    assert!(message(line).contains("解除列管"), "{line}");
    assert!(!message(line).contains("advice") && !message(line).contains("progress"), "{line}");
}

/// The reverse: 「均解除列管」 (the synonym 結案 too) over 編號一, which the row keeps.
#[test]
fn decision_closes_a_row_the_table_keeps() {
    for (decision, word) in [("洽悉，均解除列管。", "解除列管"), ("洽悉，同意結案。", "同意結案")]
    {
        let dir = series_with("demo", "8", decision);
        let (code, lines) = check(dir.path(), "demo/8");
        assert_eq!(code, 1, "{decision}: {lines:?}");
        assert_eq!(lines.len(), 1, "{decision}: {lines:?}");
        assert!(lines[0].starts_with("demo/8/meeting.toml:19:10: report[0].progress[0].advice: "), "{lines:?}");
        assert!(lines[0].contains(&format!("「{word}」")) && lines[0].contains("列管中"), "{lines:?}");
    }
}

/// A decision naming each row as its table does agrees with it; 其餘 rules the rest; a
/// condition (俟…後解除列管) rules nothing yet; 洽悉 alone says nothing of 列管.
#[test]
fn decisions_that_agree_or_say_nothing_are_no_finding() {
    for decision in [
        "洽悉。",
        "洽悉，編號一持續列管，編號二解除列管。",
        "洽悉，編號二解除列管，其餘續予列管。",
        "洽悉，編號二俟地理資料集全數上架後再議，編號一持續追蹤辦理。",
        "洽悉，編號一俟上架完成後解除列管。",
    ] {
        let dir = series_with("demo", "8", decision);
        let (code, lines) = check(dir.path(), "demo/8");
        assert!(lines.is_empty(), "{decision}: {lines:?}");
        assert_eq!(code, 0, "{decision}");
    }
}

/// Per-clause rows (record: `[tracking] per = "clause"`, grouped table): the decision names
/// 討論事項第一案決議第 1 點 (12-D1-1, kept) 解除列管, and the 臨時動議 row 12-M1 (closed) by its
/// id 繼續列管: two findings, each at its own row; the split 12-D1-2 and the merged 11-D1
/// end otherwise and are not named.
#[test]
fn clause_rows_named_by_clause_or_id() {
    let dir = series_with("record", "13", "洽悉，討論事項第一案決議第 1 點解除列管；12-M1 繼續列管。");
    let (code, lines) = check(dir.path(), "record/13");
    assert_eq!(code, 1, "{lines:?}");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("record/13/meeting.toml:19:10: report[0].progress[0].advice: ")
            && l.contains("討論事項第一案決議第 1 點（決定 12-D1-1）")
            && l.contains("列管中")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("record/13/meeting.toml:34:10: report[0].progress[3].advice: ")
            && l.contains("12-M1")
            && l.contains("「繼續列管」")),
        "{lines:?}"
    );
    // The second clause of the same item is not named: 第 1 點 only.
    assert!(!lines.iter().any(|l| l.contains("12-D1-2") || l.contains("11-D1")), "{lines:?}");
}

/// Hand-typed rows (demo/7, no series before it) are checked the same way: 免予列管 over
/// 編號二, which its row keeps.
#[test]
fn hand_rows_against_their_decision() {
    let dir = series_with("demo", "7", "洽悉，編號一至三免予列管。");
    let (code, lines) = check(dir.path(), "demo/7");
    assert_eq!(code, 1, "{lines:?}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("demo/7/meeting.toml:29:10: report[0].tracking[1].advice: "), "{lines:?}");
}

/// A grouped table (dgbas 113-2: 112 年第 2 次會議討論事項（繼續列管）, 報告事項, 討論事項,
/// 臨時動議): a row named by its group and number; a number without its group is ambiguous
/// there and rules nothing; the example's own 「除 113-1-M1 繼續列管外，其餘解除列管」 agrees.
#[test]
fn grouped_rows_named_by_group_and_number() {
    let cases: [(&str, &[&str]); 5] = [
        ("洽悉；臨時動議第一案解除列管。", &["report[0].progress[5].advice"]),
        ("洽悉；討論事項第二案繼續列管。", &["report[0].progress[4].advice"]),
        ("洽悉；112 年第 2 次會議討論事項第一案繼續列管。", &["report[0].progress[0].advice"]),
        ("洽悉；第一案解除列管。", &[]),
        ("洽悉；除 113-1-M1 繼續列管外，其餘解除列管。", &[]),
    ];
    for (decision, fields) in cases {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&root().join("packets/dgbas"), &dir.path().join("dgbas"));
        edit_file(
            dir.path(),
            "dgbas/113-2/meeting.toml",
            "decision = \"洽悉；除 113-1-M1 繼續列管外，其餘解除列管。\"",
            &format!("decision = \"{decision}\""),
        );
        let (code, lines) = check(dir.path(), "dgbas/113-2");
        let at: Vec<&str> = lines.iter().filter_map(|l| l.split(": ").nth(1)).collect();
        assert_eq!(at, fields, "{decision}: {lines:?}");
        assert_eq!(code, if fields.is_empty() { 0 } else { 1 }, "{decision}: {lines:?}");
    }
}

/// `packet minutes` says it before it prints: the minutes would carry both the decision and
/// the 列管情形 sentence that contradicts it.
#[test]
fn the_minutes_command_reports_it_before_printing() {
    let dir = series_with("demo", "8", "洽悉，均解除列管。");
    let o = Run::new(&["minutes", "demo/8", "-q", "-o", "out"]).cwd(dir.path()).output();
    let said = stderr(&o);
    assert!(said.contains("report[0].progress[0].advice: 編號一（決定 7-D1）") && said.contains("互相矛盾"), "{said}");
    let text = squash(&pdf_text(&dir.path().join("out/minutes.pdf")));
    assert!(text.contains("決定：洽悉，均解除列管。") && text.contains("編號一持續列管"), "{text}");
}
