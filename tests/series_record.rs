//! The series as a record (issue 34): decisions typed by hand before the series live on
//! like the series' own, nothing is closed that no meeting closed, and the agenda, the
//! minutes, `check`, `packet tracking` and the export read the same rows.

use std::path::Path;

use crate::common::*;
use crate::export::csv_rows;

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &dir.path().join("demo"));
    dir
}

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `packet tracking <series> --json`, one decision by id.
fn decisions(dir: &Path, series: &str) -> Vec<serde_json::Value> {
    let o = packet(dir, &["tracking", series, "--json"]);
    serde_json::from_slice::<serde_json::Value>(ok(&o).as_bytes()).unwrap().as_array().unwrap().clone()
}

fn decision(all: &[serde_json::Value], id: &str) -> serde_json::Value {
    all.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{id} missing: {all:?}")).clone()
}

/// Agenda, minutes and the one-meeting export of `<series>/<m>` into `out/<m>`, `out/e<m>`.
fn outputs(t: &Path, src: &str, m: &str) {
    ok(&packet(t, &["build", src, "-o", &format!("out/{m}"), "-q"]));
    ok(&packet(t, &["minutes", src, "-o", &format!("out/{m}"), "-q"]));
    ok(&packet(t, &["export", src, "-o", &format!("out/e{m}/"), "-q"]));
}

/// 6-M1 was typed by hand at meeting 7 (its meeting 6 is not in the series) and kept
/// 持續列管: `packet tracking` shows it, meeting 8's table carries it with 7's report, and
/// 8 closes it. Left out of 8, it is a finding there and `packet new` carries it on.
#[test]
fn a_kept_hand_typed_row_lives_on_until_a_meeting_closes_it() {
    let t = demo();
    let all = decisions(t.path(), "demo");
    let m1 = decision(&all, "6-M1");
    assert_eq!(m1["entered_at"], "7", "{m1}");
    assert_eq!(m1["meeting_label"], "第 6 次會議", "{m1}");
    assert_eq!(m1["section"], "Motion", "{m1}");
    let history = m1["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{m1}");
    assert_eq!((history[0]["meeting"].as_str(), history[0]["outcome"].as_str()), (Some("7"), Some("繼續列管")));
    assert_eq!((history[1]["meeting"].as_str(), history[1]["outcome"].as_str()), (Some("8"), Some("解除列管")));
    assert_eq!(m1["status"], "解除列管");
    // Closed at 7 already: never in 8's table.
    assert_eq!(decision(&all, "6-D1")["status"], "解除列管");
    assert_eq!(decision(&all, "6-D1")["history"].as_array().unwrap().len(), 1);

    outputs(t.path(), "demo/8", "8");
    let agenda = squash(&pdf_text_raw(&t.path().join("out/8/agenda.pdf")));
    assert!(agenda.contains("建議增加地理資料集，提請討論。"), "{agenda}");
    assert!(agenda.contains("（第7次會議）研議中，預定6月提出清單。"), "7's report above 8's: {agenda}");
    assert!(!agenda.contains("本部113年資料開放計畫"), "a row closed at 7 printed again: {agenda}");
    let (_, rows) = csv_rows(&t.path().join("out/e8/tracking.csv"));
    let row = rows.iter().find(|r| r["列管案件代號"] == "6-M1").expect("6-M1 exported");
    assert_eq!((row["決定會議代號"].as_str(), row["列管結果"].as_str()), ("6", "解除列管"));

    // Left out of 8: a finding at 8, still open, and the next meeting lists it.
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "[[report.progress]]\nid = \"6-M1\"\nstatus = \"已於 113 年 6 月提出地理資料集清單 15 項，並於 8 月全數上架。\"\nadvice = \"解除列管\"\n",
        "",
    );
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("列管決定 6-M1 尚未填寫辦理情形"), "{out}");
    assert_eq!(decision(&decisions(t.path(), "demo"), "6-M1")["status"], "列管中");
    ok(&packet(t.path(), &["new", "demo", "--date", "2025-03-11"]));
    let next = read(&t.path().join("demo/9/meeting.toml"));
    assert!(next.contains("id = \"6-M1\""), "{next}");
    // In the group's own words, not DGBAS's.
    assert!(next.contains("title = \"上次會議決議辦理情形，報請鑒察。\""), "{next}");
}

/// A hand-typed row naming a decision the series holds reports on that decision (and
/// can close it); naming one that is not open is refused with the open ids.
#[test]
fn a_hand_row_naming_a_series_decision_reports_on_it() {
    let t = demo();
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "[[report.progress]]\nid = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nadvice = \"持續列管\"",
        "[[report.tracking]]\nid = \"7-D1\"\nfrom = \"討論事項\"\ntitle = \"高價值資料集盤點（手寫）\"\ndecision = \"照案通過。\"\nprogress = \"已全數上架。\"\nadvice = \"解除列管\"",
    );
    let all = decisions(t.path(), "demo");
    let d1 = decision(&all, "7-D1");
    assert_eq!(d1["status"], "解除列管", "{d1}");
    assert!(d1.get("entered_at").is_none(), "the series' own decision: {d1}");
    assert_eq!(all.iter().filter(|d| d["id"] == "7-D1").count(), 1);
    outputs(t.path(), "demo/8", "8");
    let agenda = squash(&pdf_text_raw(&t.path().join("out/8/agenda.pdf")));
    assert!(agenda.contains("高價值資料集盤點（手寫）") && agenda.contains("已全數上架。"), "as written: {agenda}");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    assert!(minutes.contains("列管情形：編號一、二解除列管。"), "{minutes}");

    edit_file(t.path(), "demo/8/meeting.toml", "id = \"7-D1\"", "id = \"7-D9\"");
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(2));
    let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        err.contains("report[0].tracking[0].id: 決定編號「7-D9」不在本次會議的列管清單中（最接近的列管決定：7-D1"),
        "{err}"
    );
}

/// A row with 辦理情形 but neither 列管建議 nor a ruling is not closed: not in the minutes,
/// not in `packet tracking`, not in tracking.csv; `check` says the record rules nothing.
#[test]
fn a_row_nobody_ruled_on_stays_open() {
    // Generated rows (dgbas 113-2: 113-1-D1 loses its advice).
    let t = example_series();
    edit_file(
        t.path(),
        "dgbas/113-2/meeting.toml",
        "下載次數前 10 名資料集之主要欄位說明。\"\nadvice = \"解除列管\"",
        "下載次數前 10 名資料集之主要欄位說明。\"",
    );
    assert_eq!(decision(&decisions(t.path(), "dgbas"), "113-1-D1")["status"], "列管中");
    let o = packet(t.path(), &["check", "dgbas/113-2"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("report[0].progress[3]: 列管決定 113-1-D1 有辦理情形但未選列管建議或會議決定"), "{out}");
    outputs(t.path(), "dgbas/113-2", "2");
    let minutes = squash(&pdf_text(&t.path().join("out/2/minutes.pdf")));
    // 113-1-D1 is 討論事項第一案 of the table: not said to be closed.
    assert!(
        minutes.contains("列管情形：報告事項第一、二案、討論事項第二案及112年第2次會議討論事項第一案解除列管；臨時動議第一案繼續列管。"),
        "{minutes}"
    );
    let (_, rows) = csv_rows(&t.path().join("out/e2/tracking.csv"));
    let row = rows.iter().find(|r| r["列管案件代號"] == "113-1-D1").unwrap();
    assert_eq!(row["列管結果"], "待決定", "{row:?}");

    // Hand-typed rows (demo 7: 6-R2 loses its advice).
    let t = demo();
    edit_file(
        t.path(),
        "demo/7/meeting.toml",
        "progress = \"已完成改善。\"\nadvice = \"解除列管\"",
        "progress = \"已完成改善。\"",
    );
    outputs(t.path(), "demo/7", "7");
    let minutes = squash(&pdf_text(&t.path().join("out/7/minutes.pdf")));
    assert!(minutes.contains("列管情形：編號一解除列管；編號二持續列管。"), "{minutes}");
    let (_, rows) = csv_rows(&t.path().join("out/e7/tracking.csv"));
    assert_eq!(rows[2]["列管結果"], "待決定", "{rows:?}");
    let o = packet(t.path(), &["check", "demo/7"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("report[0].tracking[2]: 列管決定 6-R2 有辦理情形但未選列管建議"), "{out}");
    assert_eq!(decision(&decisions(t.path(), "demo"), "6-R2")["status"], "列管中");
}

/// One table of generated and hand-typed rows (as real tables are): check, build,
/// minutes and export all take it, every row printed in the order written and exported;
/// a second tracking table has its own rows and its own 列管情形.
#[test]
fn mixed_tables_and_two_tables_agree_everywhere() {
    let t = demo();
    // A hand row from before the series between 8's two generated rows, and 7-D1 after it.
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "[[report.progress]]\nid = \"7-D1\"",
        "[[report.tracking]]\nid = \"5-D3\"\nfrom = \"討論事項\"\ntitle = \"本部資料治理規範，提請討論。\"\ndecision = \"修正通過。\"\nprogress = \"已發布。\"\nadvice = \"解除列管\"\n\n[[report.progress]]\nid = \"7-D1\"",
    );
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "[[discussion]]\nunit = \"資訊處\"\ntitle = \"本部資料開放績效指標，提請討論。\"\ndecision = \"照案通過。\"",
        "[[discussion]]\nunit = \"資訊處\"\ntitle = \"本部資料開放績效指標，提請討論。\"\ndecision = \"照案通過。\"\n\n[[discussion]]\nunit = \"統計處\"\ntitle = \"統計資料列管事項，提請討論。\"\ndecision = \"同意。\"\n\n[[discussion.tracking]]\nid = \"5-D4\"\nfrom = \"討論事項\"\ntitle = \"本部統計資料開放時程，提請討論。\"\ndecision = \"照案通過。\"\nprogress = \"進行中。\"\nadvice = \"持續列管\"",
    );
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    outputs(t.path(), "demo/8", "8");
    let agenda = squash(&pdf_text_raw(&t.path().join("out/8/agenda.pdf")));
    let hand = agenda.find("本部資料治理規範").expect("hand row printed");
    let generated = agenda.find("本部高價值資料集盤點").expect("generated row printed");
    let second = agenda.find("本部統計資料開放時程").expect("second table printed");
    assert!(hand < generated && generated < second, "{agenda}");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    // 一 5-D3, 二 7-D1, 三 6-M1 in the first table; the second table's own note.
    assert!(minutes.contains("列管情形：編號一、三解除列管；編號二持續列管。"), "{minutes}");
    assert!(minutes.contains("列管情形：編號一持續列管。"), "{minutes}");
    assert_eq!(minutes.matches("列管情形：").count(), 2, "{minutes}");
    let (_, rows) = csv_rows(&t.path().join("out/e8/tracking.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["列管案件代號"].as_str()).collect();
    assert_eq!(ids, ["5-D3", "7-D1", "6-M1", "5-D4"], "{rows:?}");
    // Both kept decisions go on; the closed hand row does not.
    let all = decisions(t.path(), "demo");
    assert_eq!(decision(&all, "5-D4")["status"], "列管中");
    assert_eq!(decision(&all, "5-D3")["status"], "解除列管");
}

/// A record without a closing time says so (`end = "未記錄"`) and its minutes are final:
/// no 紀錄草稿 mark, 散會 printed as unknown, meeting.csv's 散會時間 empty, no finding.
#[test]
fn an_unrecorded_closing_time_can_be_final() {
    let t = demo();
    edit_file(t.path(), "demo/7/meeting.toml", "end = \"11:30\"", "end = \"未記錄\"");
    outputs(t.path(), "demo/7", "7");
    let minutes = squash(&pdf_text(&t.path().join("out/7/minutes.pdf")));
    assert!(minutes.contains("散會：（時間未記錄）"), "{minutes}");
    assert!(!minutes.contains("紀錄草稿") && !minutes.contains("待填"), "{minutes}");
    let (_, rows) = csv_rows(&t.path().join("out/e7/meeting.csv"));
    assert_eq!(rows[0]["散會時間"], "", "{rows:?}");
    assert_eq!(rows[0]["紀錄狀態"], "定稿", "{rows:?}");
    let o = packet(t.path(), &["check", "demo/7"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!out.contains("minutes.end"), "{out}");
    // Anything else is still refused at its field.
    edit_file(t.path(), "demo/7/meeting.toml", "end = \"未記錄\"", "end = \"不詳\"");
    let o = packet(t.path(), &["minutes", "demo/7", "-o", "out/x", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("minutes.end: 無效的時間「不詳」"), "{}", stderr(&o));
}

/// A partial roll says it is partial and states no 請假者 the record does not name; a
/// complete roll still says 無.
#[test]
fn a_partial_roll_says_it_is_partial() {
    let t = demo();
    outputs(t.path(), "demo/7", "7");
    let minutes = squash(&pdf_text(&t.path().join("out/7/minutes.pdf")));
    assert!(
        minutes.contains("出席者：柯○○共同召集人、范○○共同召集人、潘○○委員（原始紀錄僅載部分出席者）"),
        "{minutes}"
    );
    assert!(minutes.contains("請假者：未記錄") && !minutes.contains("請假者：無"), "{minutes}");
    let odt = odt_xml(&t.path().join("out/e7/minutes.odt"));
    assert!(odt.contains("原始紀錄僅載部分出席者") && odt.contains("未記錄"), "the ODT edition says it too");
    edit_file(t.path(), "demo/7/meeting.toml", "roll = \"partial\"", "roll = \"complete\"");
    ok(&packet(t.path(), &["minutes", "demo/7", "-o", "out/c", "-q"]));
    let minutes = squash(&pdf_text(&t.path().join("out/c/minutes.pdf")));
    assert!(minutes.contains("請假者：無") && !minutes.contains("部分出席者"), "{minutes}");
}

/// `packet check <series>` checks every meeting with its series, and the series as a whole;
/// a finding about group.toml is printed once.
#[test]
fn check_takes_a_series_folder() {
    let t = demo();
    let o = packet(t.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    edit_file(t.path(), "demo/group.toml", "min_members = 7", "min_members = 8");
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "[[report.progress]]\nid = \"6-M1\"\nstatus = \"已於 113 年 6 月提出地理資料集清單 15 項，並於 8 月全數上架。\"\nadvice = \"解除列管\"\n",
        "",
    );
    let o = packet(t.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.matches("委員共 7 人，少於 8 人").count(), 1, "{out}");
    assert!(out.contains("demo/8/meeting.toml:") && out.contains("列管決定 6-M1 尚未填寫辦理情形"), "{out}");
    // The series' own errors: two meetings with one number.
    edit_file(t.path(), "demo/8/meeting.toml", "number = 8", "number = 7");
    let o = packet(t.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("會議次數重複"), "{}", String::from_utf8_lossy(&o.stdout));
}

/// The series export publishes the meetings that were held and leaves out, with one line
/// saying so, the next one that exists only as an agenda; a draft goes out only for the
/// meetings `--allow-draft=` names.
#[test]
fn the_series_export_leaves_out_a_meeting_not_yet_held() {
    let t = demo();
    ok(&packet(t.path(), &["new", "demo", "--date", "2025-03-11"]));
    let o = packet(t.path(), &["export", "demo", "-q", "-o", "out/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("尚未舉行")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("demo/9/meeting.toml") && lines[0].contains("第 9 次會議"), "{err}");
    let (_, index) = csv_rows(&t.path().join("out/index.csv"));
    let ids: Vec<&str> = index.iter().map(|r| r["會議代號"].as_str()).collect();
    assert_eq!(ids, ["7", "8"]);
    assert!(!t.path().join("out/9-agenda.pdf").exists() && t.path().join("out/8-minutes.pdf").exists());

    // 8's minutes become a draft: refused, unless named.
    edit_file(t.path(), "demo/8/meeting.toml", "end = \"15:40\"", "");
    let o = packet(t.path(), &["export", "demo", "-q", "-o", "out2/"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = packet(t.path(), &["export", "demo", "-q", "-o", "out3/", "--allow-draft=7"]);
    assert_eq!(o.status.code(), Some(2), "naming another meeting lets no draft out: {}", stderr(&o));
    let o = packet(t.path(), &["export", "demo", "-q", "-o", "out4/", "--allow-draft=8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(t.path().join("out4/8-minutes-draft.pdf").exists() && t.path().join("out4/7-minutes.pdf").exists());
    assert!(!t.path().join("out4/9-agenda.pdf").exists(), "an agenda-only meeting is no draft to publish");
    // The flag alone still lets every draft out.
    let o = packet(t.path(), &["export", "demo", "-q", "-o", "out5/", "--allow-draft"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A 臨時動議 names the member who moved it (`member`), as the edition names speakers.
#[test]
fn a_motion_names_its_proposer() {
    let t = demo();
    let motion = "\n[[minutes.motion]]\nmember = \"pan\"\ntitle = \"建議開放會議錄音檔，提請討論。\"\ndecision = \"請資訊處研議。\"\n";
    let m = t.path().join("demo/7/meeting.toml");
    std::fs::write(&m, read(&m) + motion).unwrap();
    outputs(t.path(), "demo/7", "7");
    let minutes = squash(&pdf_text(&t.path().join("out/7/minutes.pdf")));
    assert!(minutes.contains("案由：建議開放會議錄音檔，提請討論。（提案人：潘○○委員）"), "{minutes}");
    let (_, items) = csv_rows(&t.path().join("out/e7/items.csv"));
    let row = items.iter().find(|r| r["類別"] == "臨時動議").expect("motion exported");
    assert!(row.values().any(|v| v == "潘○○委員"), "{row:?}");
    // 不公開: the public edition does not name them.
    edit_file(t.path(), "demo/7/meeting.toml", "recorder = \"王○○\"", "recorder = \"王○○\"\nprivate = [\"pan\"]");
    ok(&packet(t.path(), &["minutes", "demo/7", "-o", "out/p", "-q"]));
    let minutes = squash(&pdf_text(&t.path().join("out/p/minutes.pdf")));
    assert!(minutes.contains("建議開放會議錄音檔") && !minutes.contains("提案人：潘"), "{minutes}");
    // An unknown member, or member and unit both, is refused at the field.
    edit_file(t.path(), "demo/7/meeting.toml", "member = \"pan\"", "member = \"pam\"");
    let o = packet(t.path(), &["minutes", "demo/7", "-o", "out/u", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("minutes.motion[0].member: "), "{}", stderr(&o));
    edit_file(t.path(), "demo/7/meeting.toml", "member = \"pam\"", "member = \"pan\"\nunit = \"資訊處\"");
    let o = packet(t.path(), &["minutes", "demo/7", "-o", "out/u", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("臨時動議第一案同時選了提案委員又填了提案單位：請擇一") && !err.contains("member = "),
        "{err}"
    );
}

/// A speaker the record names only as 「委員」 is said so (`member = "委員"`): printed 委員,
/// exported as a member's opinion without a 委員代號; any other unknown id is still refused.
#[test]
fn a_member_known_only_as_weiyuan_can_be_said() {
    let t = demo();
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "title = \"本部資料開放績效指標，提請討論。\"\ndecision = \"照案通過。\"",
        "title = \"本部資料開放績效指標，提請討論。\"\ndecision = \"照案通過。\"\n\n[[discussion.opinion]]\nmember = \"委員\"\ntext = \"建議增列資料品質指標。\"",
    );
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    outputs(t.path(), "demo/8", "8");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    assert!(minutes.contains("（一）委員：建議增列資料品質指標。"), "{minutes}");
    let (_, opinions) = csv_rows(&t.path().join("out/e8/opinions.csv"));
    let row = opinions.iter().find(|r| r.values().any(|v| v == "建議增列資料品質指標。")).expect("exported");
    assert!(row.values().any(|v| v == "委員"), "{row:?}");
    assert_eq!(row["委員代號"], "", "{row:?}");
    edit_file(t.path(), "demo/8/meeting.toml", "member = \"委員\"", "member = \"委員甲\"");
    let o = packet(t.path(), &["minutes", "demo/8", "-o", "out/x", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// The roster over time: hu becomes 副召集人 and 主任秘書 from 2024-07-01 (packets/demo).
/// Meeting 8 prints and exports the new role; meeting 7's PDFs are byte-identical with and
/// without the change recorded; a change on the meeting's own date holds for it.
#[test]
fn each_meeting_uses_the_roster_as_it_stood_on_its_date() {
    let change = "\n[[member.change]]                        # 自 113 年 7 月 1 日起任副召集人並升任主任秘書：\nfrom = 2024-07-01                        # 第 7 次會議（113-03-12）仍印統計處處長、委員\nrole = \"副召集人\"\ntitle = \"主任秘書\"\n";
    let t = demo();
    let group = t.path().join("demo/group.toml");
    let with = read(&group);
    assert!(with.contains(change), "packets/demo records the change");
    let build = |out: &str| {
        for m in ["7", "8"] {
            ok(&packet(t.path(), &["build", &format!("demo/{m}"), "-o", &format!("{out}/{m}"), "-q"]));
            ok(&packet(t.path(), &["minutes", &format!("demo/{m}"), "-o", &format!("{out}/{m}"), "-q"]));
            ok(&packet(t.path(), &["export", &format!("demo/{m}"), "-o", &format!("{out}/e{m}/"), "-q"]));
        }
    };
    build("with");
    std::fs::write(&group, with.replace(change, "")).unwrap();
    build("without");
    let bytes = |p: &str| std::fs::read(t.path().join(p)).unwrap();
    for doc in ["agenda.pdf", "minutes.pdf"] {
        assert!(bytes(&format!("with/7/{doc}")) == bytes(&format!("without/7/{doc}")), "7's {doc} changed");
    }
    let with8 = squash(&pdf_text(&t.path().join("with/8/minutes.pdf")));
    let without8 = squash(&pdf_text(&t.path().join("without/8/minutes.pdf")));
    assert!(with8.contains("請假者：胡○○副召集人"), "{with8}");
    assert!(without8.contains("請假者：胡○○委員"), "{without8}");
    let member = |dir: &str| {
        let (_, rows) = csv_rows(&t.path().join(dir).join("members.csv"));
        let hu = rows.into_iter().find(|r| r["委員代號"] == "hu").unwrap();
        (hu["職務"].clone(), hu["職稱"].clone())
    };
    assert_eq!(member("with/e8"), ("副召集人".to_string(), "主任秘書".to_string()));
    assert_eq!(member("with/e7"), ("委員".to_string(), "統計處處長".to_string()));
    // From the meeting's own date on: 8 (2024-09-10) sees a change of that day, not of the next.
    std::fs::write(&group, with.replace("from = 2024-07-01", "from = 2024-09-10")).unwrap();
    ok(&packet(t.path(), &["minutes", "demo/8", "-o", "on", "-q"]));
    assert!(squash(&pdf_text(&t.path().join("on/minutes.pdf"))).contains("胡○○副召集人"));
    std::fs::write(&group, with.replace("from = 2024-07-01", "from = 2024-09-11")).unwrap();
    ok(&packet(t.path(), &["minutes", "demo/8", "-o", "after", "-q"]));
    assert!(squash(&pdf_text(&t.path().join("after/minutes.pdf"))).contains("請假者：胡○○委員"));
}

/// The group chooses its rows: `per = "clause"` tracks each clause of a decision as its own
/// decision (`7-D1-1`, `7-D1-2`, each closed or kept on its own); `list_noted = false`
/// leaves out items decided only 洽悉.
#[test]
fn the_group_tracks_per_clause_and_chooses_whether_noted_items_are_rows() {
    let t = demo();
    edit_file(t.path(), "demo/group.toml", "list_own_item = false", "list_own_item = false\nper = \"clause\"");
    edit_file(
        t.path(),
        "demo/7/meeting.toml",
        "decision = \"照案通過，請資訊處於下次會議報告上架進度。\"",
        "decision = \"\"\"\n1. 照案通過。\n2. 請資訊處於下次會議報告上架進度。\n\"\"\"",
    );
    // 8 still reports on the item as a whole: the ids it must use are named.
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        out.contains("決定編號「7-D1」不在本次會議的列管清單中（最接近的列管決定：") && out.contains("7-D1-1、7-D1-2"),
        "{out}"
    );
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "id = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nadvice = \"持續列管\"",
        "id = \"7-D1-1\"\nstatus = \"已辦理。\"\nadvice = \"解除列管\"\n\n[[report.progress]]\nid = \"7-D1-2\"\nstatus = \"已上架 12 項高價值資料集。\"\nadvice = \"持續列管\"",
    );
    let all = decisions(t.path(), "demo");
    assert!(all.iter().all(|d| d["id"] != "7-D1"), "no item-level row beside its clauses");
    assert_eq!(decision(&all, "7-D1-1")["status"], "解除列管");
    assert_eq!(decision(&all, "7-D1-2")["status"], "列管中");
    assert_eq!(decision(&all, "7-D1-2")["decision"], "請資訊處於下次會議報告上架進度。");
    outputs(t.path(), "demo/8", "8");
    let agenda = squash(&pdf_text_raw(&t.path().join("out/8/agenda.pdf")));
    assert!(agenda.contains("照案通過。") && agenda.contains("請資訊處於下次會議報告上架進度。"), "{agenda}");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    assert!(minutes.contains("列管情形：編號一、三解除列管；編號二持續列管。"), "{minutes}");
    ok(&packet(t.path(), &["new", "demo", "--date", "2025-03-11"]));
    let next = read(&t.path().join("demo/9/meeting.toml"));
    assert!(next.contains("id = \"7-D1-2\"") && !next.contains("id = \"7-D1-1\""), "{next}");

    // 洽悉 items: listed by default (left out of 8: a finding), not with list_noted = false.
    let t = demo();
    edit_file(
        t.path(),
        "demo/7/meeting.toml",
        "decision = \"照案通過，請資訊處於下次會議報告上架進度。\"",
        "decision = \"洽悉。\"",
    );
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "[[report.progress]]\nid = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nadvice = \"持續列管\"\n",
        "",
    );
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("列管決定 7-D1 尚未填寫辦理情形"));
    edit_file(t.path(), "demo/group.toml", "list_own_item = false", "list_own_item = false\nlist_noted = false");
    assert!(decisions(t.path(), "demo").iter().all(|d| d["id"] != "7-D1"));
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
}

/// 併入: meeting 8 merges 7-D1 into 6-M1, which carries on. `packet tracking`, the minutes,
/// tracking.csv and `packet new` all say so; a target that is not open is refused.
#[test]
fn a_decision_merged_into_another_ends_there() {
    let t = demo();
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "id = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nadvice = \"持續列管\"",
        "id = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nmerged_into = \"6-M1\"",
    );
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "並於 8 月全數上架。\"\nadvice = \"解除列管\"",
        "並於 8 月全數上架。\"\nadvice = \"持續列管\"",
    );
    let all = decisions(t.path(), "demo");
    let d1 = decision(&all, "7-D1");
    assert_eq!((d1["status"].as_str(), d1["merged_into"].as_str()), (Some("併入"), Some("6-M1")), "{d1}");
    assert_eq!(decision(&all, "6-M1")["status"], "列管中");
    let o = packet(t.path(), &["tracking", "demo"]);
    assert!(ok(&o).contains("第 8 次會議：已上架 12 項高價值資料集。〔併入 6-M1〕"));
    outputs(t.path(), "demo/8", "8");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    assert!(minutes.contains("列管情形：編號二持續列管；編號一併入編號二。"), "{minutes}");
    let (_, rows) = csv_rows(&t.path().join("out/e8/tracking.csv"));
    let row = rows.iter().find(|r| r["列管案件代號"] == "7-D1").unwrap();
    assert_eq!(row["列管結果"], "併入 6-M1");
    let package = read(&t.path().join("out/e8/datapackage.json"));
    assert!(package.contains("\"併入 6-M1\""), "the enum holds the value");
    ok(&packet(t.path(), &["new", "demo", "--date", "2025-03-11"]));
    let next = read(&t.path().join("demo/9/meeting.toml"));
    assert!(next.contains("id = \"6-M1\"") && !next.contains("id = \"7-D1\""), "{next}");

    edit_file(t.path(), "demo/8/meeting.toml", "merged_into = \"6-M1\"", "merged_into = \"7-D9\"");
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        out.contains("report[0].progress[0].merged_into: 併入的決定編號「7-D9」不是本次會議另一項列管中的決定"),
        "{out}"
    );
}

/// 分列: meeting 8 splits 7-D1 into two new decisions (7-D1-S1, 7-D1-S2), tracked from
/// there on; 7-D1 ends. Merging and splitting one row at once is refused.
#[test]
fn a_decision_split_into_new_ones_lives_on_in_them() {
    let t = demo();
    edit_file(
        t.path(),
        "demo/8/meeting.toml",
        "id = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nadvice = \"持續列管\"",
        "id = \"7-D1\"\nstatus = \"已上架 12 項高價值資料集。\"\nsplit = [\"請資訊處上架其餘 8 項資料集。\", \"請統計處建立資料更新機制。\"]",
    );
    let all = decisions(t.path(), "demo");
    let d1 = decision(&all, "7-D1");
    assert_eq!(d1["status"], "分列", "{d1}");
    assert_eq!(d1["split_into"], serde_json::json!(["7-D1-S1", "7-D1-S2"]));
    let s2 = decision(&all, "7-D1-S2");
    assert_eq!((s2["status"].as_str(), s2["meeting"].as_str()), (Some("列管中"), Some("8")), "{s2}");
    assert_eq!(s2["decision"], "請統計處建立資料更新機制。");
    assert_eq!(s2["title"], decision(&all, "7-D1")["title"]);
    outputs(t.path(), "demo/8", "8");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    // (pdftotext drops a hyphen that ends a line: 7-D1-S1 may read 7D1-S1.)
    assert!(
        minutes.contains("列管情形：編號二解除列管；編號一分列為7") && minutes.contains("D1-S1、7-D1-S2。"),
        "{minutes}"
    );
    let (_, rows) = csv_rows(&t.path().join("out/e8/tracking.csv"));
    let row = rows.iter().find(|r| r["列管案件代號"] == "7-D1").unwrap();
    assert_eq!(row["列管結果"], "分列 7-D1-S1、7-D1-S2");
    ok(&packet(t.path(), &["new", "demo", "--date", "2025-03-11"]));
    let next = read(&t.path().join("demo/9/meeting.toml"));
    assert!(
        next.contains("id = \"7-D1-S1\"") && next.contains("id = \"7-D1-S2\"") && !next.contains("id = \"7-D1\""),
        "{next}"
    );
    assert!(next.contains("請統計處建立資料更新機制。"), "the new decision's words: {next}");

    edit_file(t.path(), "demo/8/meeting.toml", "split = [", "merged_into = \"6-M1\"\nsplit = [");
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(out.contains("report[0].progress[0].split: 同一列不能同時併入"), "{out}");
}

/// packets/record, the example of the series as a record, holds each fact where it should.
#[test]
fn the_record_example_holds_each_fact() {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/record"), &t.path().join("record"));
    let o = packet(t.path(), &["check", "record"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    // Each meeting's state, as its record says.
    let err = stderr(&o);
    assert!(err.contains("第 12 次會議：紀錄定稿") && err.contains("第 14 次會議：已排定（僅議程）"), "{err}");
    let m14 = t.path().join("record/14/meeting.toml");
    std::fs::write(
        &m14,
        read(&m14).replace("chair = \"yeh\"\n", "chair = \"yeh\"\n\n[dates]\nmaterials_sent = 2026-03-09\n"),
    )
    .unwrap();
    let err = stderr(&packet(t.path(), &["check", "record"]));
    assert!(err.contains("第 14 次會議：議程已送出"), "{err}");
    let all = decisions(t.path(), "record");
    // Hand rows from before the series: one closed at 12, one kept and merged at 13.
    assert_eq!(decision(&all, "11-D2")["status"], "解除列管");
    assert_eq!(decision(&all, "11-D1")["merged_into"], "12-D1-1");
    // Clauses tracked on their own; the 洽悉 report is no row; the split's parts carry on.
    assert!(all.iter().all(|d| d["id"] != "12-D1" && d["id"] != "12-R2"), "{all:?}");
    assert_eq!(decision(&all, "12-D1-2")["split_into"], serde_json::json!(["12-D1-2-S1", "12-D1-2-S2"]));
    assert_eq!(decision(&all, "12-D1-2-S1")["status"], "列管中");
    assert_eq!(decision(&all, "12-M1")["status"], "解除列管");

    let o = packet(t.path(), &["export", "record", "-q", "-o", "out/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("尚未舉行").count(), 1, "14 is left out, once said");
    let (_, index) = csv_rows(&t.path().join("out/index.csv"));
    assert_eq!(index.iter().map(|r| r["會議代號"].as_str()).collect::<Vec<_>>(), ["12", "13"]);
    let m12 = squash(&pdf_text(&t.path().join("out/12-minutes.pdf")));
    let m13 = squash(&pdf_text(&t.path().join("out/13-minutes.pdf")));
    assert!(m12.contains("散會：（時間未記錄）") && !m12.contains("紀錄草稿"), "{m12}");
    assert!(m12.contains("主席：葉○○召集人") && m13.contains("主席：葉○○共同召集人"), "{m12}\n{m13}");
    assert!(m12.contains("（提案人：宋○○委員）"), "{m12}");
    assert!(m13.contains("委員：建議增列資料品質指標。"), "{m13}");
    assert!(m13.contains("第11次會議討論事項第一案併入討論事項第一案"), "{m13}");
    let (_, members) = csv_rows(&t.path().join("out/members.csv"));
    let wu = members.iter().find(|r| r["委員代號"] == "wu").unwrap();
    assert_eq!(wu["職稱"], "主任秘書", "as the latest meeting has him");
    let (_, tracking) = csv_rows(&t.path().join("out/tracking.csv"));
    assert!(tracking.iter().any(|r| r["列管案件代號"] == "11-D1" && r["列管結果"] == "併入 12-D1-1"), "{tracking:?}");
}

/// A kept row from an older meeting is headed in the group's own word (持續列管 here).
#[test]
fn older_kept_rows_are_headed_in_the_groups_word() {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/record"), &t.path().join("record"));
    ok(&packet(t.path(), &["build", "record/13", "-o", "out", "-q"]));
    let agenda = squash(&pdf_text_raw(&t.path().join("out/agenda.pdf")));
    assert!(agenda.contains("參、第11次會議討論事項（持續列管）："), "{agenda}");
    assert!(!agenda.contains("（繼續列管）"), "{agenda}");
}

/// `packet init --number N [--continuous]` starts a group already at its Nth meeting, with
/// a template for the decisions still open from before; filled in, they carry on.
#[test]
fn init_starts_a_group_at_its_nth_meeting() {
    let t = tempfile::tempdir().unwrap();
    ok(&packet(t.path(), &["init", "g", "--agency", "示範署", "--number", "12", "--continuous"]));
    let text = read(&t.path().join("g/12/meeting.toml"));
    assert!(text.contains("number = 12 ") && text.contains("第 12 次會議（packet init 產生）"), "{text}");
    assert!(text.contains("# id = \"11-D1\""), "{text}");
    assert!(read(&t.path().join("g/group.toml")).contains("\nnumbering = \"continuous\""));
    // The template, uncommented and filled: the decision from before is open and carried.
    let filled: String = text[text.find("# [[report]]").unwrap()..]
        .lines()
        .map(|l| l.strip_prefix("# ").or(l.strip_prefix("#")).unwrap_or(l))
        .map(|l| l.replace("（原案由）", "本署資料品質計畫，提請討論。").replace("（原決定（議））", "照案通過。"))
        .map(|l| l.replace("（辦理情形）", "辦理中。").replace("（請填寫報告單位）", "資訊室"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        t.path().join("g/12/meeting.toml"),
        format!("{}\n{filled}\n", &text[..text.find("\n# 本次會議以前").unwrap()]),
    )
    .unwrap();
    let all = decisions(t.path(), "g");
    let d = decision(&all, "11-D1");
    assert_eq!((d["status"].as_str(), d["meeting_label"].as_str()), (Some("列管中"), Some("第 11 次會議")), "{d}");
    // Numbered by year: 115-3.
    ok(&packet(t.path(), &["init", "y", "--agency", "示範署", "--number", "3"]));
    let y = read(&t.path().join("y/115-3/meeting.toml"));
    assert!(y.contains("number = 3 ") && y.contains("# id = \"115-2-D1\""), "{y}");
}
