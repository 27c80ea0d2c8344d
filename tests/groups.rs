//! Any agency's group: the conventions a group sets in group.toml (numbering, titles,
//! roles, gender, partial attendance, the tracking table's shape, its rule set), read back
//! from the real PDFs, CSVs and JSON. `packets/demo` is a fictitious group that uses them.

use std::path::Path;

use crate::common::*;

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &dir.path().join("demo"));
    dir
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "exit {:?}: {}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), stderr(o));
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Build agenda + minutes + export folder of `demo/<m>` into `out/<m>`.
fn demo_outputs(t: &Path, m: &str) {
    let src = format!("demo/{m}");
    let out = format!("out/{m}");
    ok(&packet(t, &["build", &src, "-o", &out, "-q"]));
    ok(&packet(t, &["minutes", &src, "-o", &out, "-q"]));
    ok(&packet(t, &["export", &src, "-o", &format!("out/e{m}/"), "-q"]));
}

#[test]
fn roles_print_and_export_as_written() {
    let t = demo();
    demo_outputs(t.path(), "8");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    assert!(minutes.contains("主席：柯○○共同召集人"), "{minutes}");
    assert!(minutes.contains("范○○共同召集人、杜○○委員"), "{minutes}");
    let members = read(&t.path().join("out/e8/members.csv"));
    assert!(members.contains("ko,柯○○,共同召集人,機關代表"), "{members}");
    let json = read(&t.path().join("out/e8/meeting.json"));
    assert!(json.contains("\"共同召集人\""), "{json}");
    // Under the default rules a co-convener is not the convener.
    let dg = example_series();
    edit_file(dg.path(), "dgbas/group.toml", "role = \"召集人\"", "role = \"共同召集人\"");
    let o = packet(dg.path(), &["check", "dgbas/113-1"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("member[0].role: 沒有召集人：共同召集人 1 人不等於召集人"), "{out}");
    // An unknown role is an error at its field.
    edit_file(dg.path(), "dgbas/group.toml", "role = \"共同召集人\"", "role = \"總召集人\"");
    let o = packet(dg.path(), &["check", "dgbas/113-1"]);
    assert_eq!(o.status.code(), Some(2));
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(all.contains("member[0].role: 不接受的值「總召集人」"), "{all}");
}

#[test]
fn minutes_name_the_agency_and_titles_follow_the_group() {
    let t = example_series();
    ok(&packet(t.path(), &["minutes", "dgbas/113-1", "-o", "out", "-q"]));
    let text = squash(&pdf_text(&t.path().join("out/minutes.pdf")));
    assert!(text.starts_with("行政院主計總處「政府資料開放諮詢小組」113年第1次會議紀錄"), "{text}");
    // The demo group's own form: agency inside, no 「」, no year; printed once on the cover.
    let d = demo();
    ok(&packet(d.path(), &["build", "demo/8", "-o", "out", "-q"]));
    let cover = squash(&pdf_page_text(&d.path().join("out/agenda.pdf"), 1));
    assert!(cover.starts_with("示範部資料開放諮詢小組第8次會議議程時間"), "{cover}");
    assert!(!cover.contains("113年第"), "{cover}");
    assert_eq!(cover.matches("示範部資料").count(), 1, "{cover}");
}

#[test]
fn continuous_numbering_new_meetings_follow_the_latest() {
    let t = demo();
    ok(&packet(t.path(), &["new", "demo", "--date", "2025-03-11"]));
    let first = read(&t.path().join("demo/9/meeting.toml"));
    assert!(first.contains("number = 9\n"), "{first}");
    assert!(first.contains("id = \"8-D1\""), "{first}");
    // The generated item tracks 7-D1 (kept) and 8's decisions, never 8's own tracking item.
    assert!(first.contains("id = \"7-D1\"") && !first.contains("id = \"8-R1\""), "{first}");
    // A second run (once 9 exists, next year) does not break the series.
    ok(&packet(t.path(), &["new", "demo", "--date", "2026-01-20"]));
    assert!(t.path().join("demo/10/meeting.toml").is_file());
    let o = packet(t.path(), &["tracking", "demo"]);
    ok(&o);
    let list = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(list.contains("8-D1") && list.contains("第 8 次會議"), "{list}");
}

#[test]
fn partial_attendance_is_unknown_not_absent() {
    let t = demo();
    demo_outputs(t.path(), "7");
    let csv = read(&t.path().join("out/e7/attendance.csv"));
    assert_eq!(csv.matches(",未記錄,").count(), 4, "{csv}");
    assert!(!csv.contains("缺席"), "{csv}");
    let o = packet(t.path(), &["check", "demo/7"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("minutes.attendance.roll: 警告：出席紀錄只記載部分委員") && out.contains("無法判斷"), "{out}");
    // The same record as a complete roll: the four are absent and the quorum fails.
    edit_file(t.path(), "demo/7/meeting.toml", "roll = \"partial\"", "roll = \"complete\"");
    let o = packet(t.path(), &["check", "demo/7"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn hand_typed_tracking_rows_are_exported_in_order() {
    let t = demo();
    demo_outputs(t.path(), "7");
    let csv = read(&t.path().join("out/e7/tracking.csv"));
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    // 會議代號 (the meeting reporting), 列管案件代號, 決定會議代號, 類別, …
    assert!(rows[0].starts_with("7,6-D1,6,討論事項"), "{csv}");
    assert!(rows[1].starts_with("7,6-M1,6,臨時動議") && rows[1].ends_with("建議持續列管,持續列管"), "{csv}");
    let json = read(&t.path().join("out/e7/meeting.json"));
    assert!(json.contains("\"6-R2\""), "{json}");
    // Printed as one numbered list in the order written (一 6-D1, 二 6-M1, 三 6-R2).
    let agenda = squash(&pdf_text(&t.path().join("out/7/agenda.pdf")));
    let a = agenda.find("本部113年資料").unwrap();
    let b = agenda.find("建議增加地理").unwrap();
    let c = agenda.find("本部資料集品質").unwrap();
    assert!(a < b && b < c, "{agenda}");
    // 建議持續列管 wraps in its column as 建議持／續列管 (never a lone 列管 line).
    assert!(agenda.contains("編號") && agenda.contains("建議持"), "{agenda}");
}

#[test]
fn numbered_table_and_the_tracking_item_never_tracks_itself() {
    let t = demo();
    demo_outputs(t.path(), "8");
    let csv = read(&t.path().join("out/e8/tracking.csv"));
    // 7-D1 and the hand-typed 6-M1 that 7 kept: 7's own tracking item is not a row.
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains("7-R1"), "{csv}");
    let agenda = squash(&pdf_page_text(&t.path().join("out/8/agenda.pdf"), 2));
    assert!(agenda.contains("編號") && !agenda.contains("壹、討論事項"), "{agenda}");
}

#[test]
fn minutes_record_the_tracking_result() {
    let t = demo();
    demo_outputs(t.path(), "8");
    let minutes = squash(&pdf_text(&t.path().join("out/8/minutes.pdf")));
    // Rows named by the number the table prints (written order: 7-D1 一, 6-M1 二).
    assert!(minutes.contains("決定：洽悉。列管情形：編號二解除列管；編號一持續列管。"), "{minutes}");
    let d = example_series();
    ok(&packet(d.path(), &["minutes", "dgbas/113-1", "-o", "out", "-q"]));
    let text = squash(&pdf_text(&d.path().join("out/minutes.pdf")));
    // Grouped rows by group and number, as the table prints them, never by 案由.
    assert!(text.contains("列管情形：報告事項第一、二案及討論事項第一案解除列管；討論事項第二案繼續列管。"), "{text}");
    assert!(!text.contains("112-2-D2"), "{text}");
}

#[test]
fn a_group_names_its_rule_set() {
    let t = demo();
    let o = packet(t.path(), &["check", "demo/7"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("（示範部資料開放諮詢小組設置要點第四點）"), "{out}");
    assert!(!out.contains("政府資料開放諮詢小組設置要點") && !out.contains("少於 11 人"), "{out}");
    // Its own numbers: 8 members required.
    edit_file(t.path(), "demo/group.toml", "min_members = 7", "min_members = 8");
    let out = String::from_utf8_lossy(&packet(t.path(), &["check", "demo/8"]).stdout).into_owned();
    assert!(out.contains("member: 委員共 7 人，少於 8 人（示範部資料開放諮詢小組設置要點第四點）"), "{out}");
    // No rule set: no composition findings at all.
    edit_file(t.path(), "demo/group.toml", "set = \"own\"", "set = \"none\"");
    let o = packet(t.path(), &["check", "demo/8"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn dataset_description_gives_the_groups_legal_basis() {
    let t = demo();
    ok(&packet(t.path(), &["export", "demo/8", "-o", "out/", "-q"]));
    let meta = read(&t.path().join("out/metadata.json"));
    assert!(meta.contains("依「示範部資料開放諮詢小組設置要點」第八點公開。本次為第 8 次會議"), "{meta}");
    assert!(!meta.contains("第九點及第十二點"), "{meta}");
}

#[test]
fn gender_may_be_none_or_undisclosed() {
    let t = example_series();
    edit_file(
        t.path(),
        "dgbas/group.toml",
        "id = \"lin\"\nname = \"林○○\"\ntitle = \"綜合規劃處處長\"\norganisation = \"行政院主計總處\"\nkind = \"機關代表\"\ngender = \"女\"",
        "id = \"lin\"\nname = \"林○○\"\ntitle = \"綜合規劃處處長\"\norganisation = \"行政院主計總處\"\nkind = \"機關代表\"\ngender = \"無\"",
    );
    edit_file(
        t.path(),
        "dgbas/group.toml",
        "id = \"tsai\"\nname = \"蔡○○\"\ntitle = \"國勢普查處副處長\"\norganisation = \"行政院主計總處\"\nkind = \"機關代表\"\ngender = \"女\"",
        "id = \"tsai\"\nname = \"蔡○○\"\ntitle = \"國勢普查處副處長\"\norganisation = \"行政院主計總處\"\nkind = \"機關代表\"\ngender = \"不公開\"",
    );
    edit_file(
        t.path(),
        "dgbas/group.toml",
        "id = \"chang\"\nname = \"張○○\"\ntitle = \"會計決算處處長\"\norganisation = \"行政院主計總處\"\nkind = \"機關代表\"\ngender = \"女\"",
        "id = \"chang\"\nname = \"張○○\"\ntitle = \"會計決算處處長\"\norganisation = \"行政院主計總處\"\nkind = \"機關代表\"\ngender = \"男\"",
    );
    let o = packet(t.path(), &["check", "dgbas/113-1"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("女性委員 3 人；另 2 人性別為「無」或「不公開」未計入，無法判斷"), "{out}");
}

#[test]
fn time_and_place_may_be_not_recorded() {
    let t = demo();
    edit_file(
        t.path(),
        "demo/7/meeting.toml",
        "time = \"10:00\"\nplace = \"示範部第 1 會議室\"",
        "time = \"未記錄\"\nplace = \"未記錄\"",
    );
    demo_outputs(t.path(), "7");
    let agenda = squash(&pdf_page_text(&t.path().join("out/7/agenda.pdf"), 1));
    assert!(agenda.contains("（星期二）（時間未記錄）地點：未記錄"), "{agenda}");
    let minutes = squash(&pdf_text(&t.path().join("out/7/minutes.pdf")));
    assert!(minutes.contains("（時間未記錄）"), "{minutes}");
    let meeting = read(&t.path().join("out/e7/meeting.csv"));
    assert!(meeting.contains(",2024-03-12,,11:30,未記錄,"), "{meeting}");
    // Anything else is still refused at its field.
    edit_file(t.path(), "demo/7/meeting.toml", "time = \"未記錄\"", "time = \"上午\"");
    let o = packet(t.path(), &["check", "demo/7"]);
    assert_eq!(o.status.code(), Some(2));
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(all.contains("time: 無效的時間「上午」"), "{all}");
}

#[test]
fn init_creates_a_series_that_builds_and_lists_its_placeholders() {
    let t = tempfile::tempdir().unwrap();
    ok(&packet(t.path(), &["init", "s", "--agency", "示範署"]));
    let group = read(&t.path().join("s/group.toml"));
    assert!(group.starts_with("#:schema ./group.schema.json\n"), "{group}");
    let schema: serde_json::Value = serde_json::from_str(&read(&t.path().join("s/group.schema.json"))).unwrap();
    assert!(schema["properties"]["numbering"].is_object(), "{schema}");
    let meeting = std::fs::read_dir(t.path().join("s"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.join("meeting.toml").is_file())
        .unwrap();
    let m = meeting.to_string_lossy().into_owned();
    ok(&packet(t.path(), &["build", &m, "-o", "out", "-q"]));
    let cover = squash(&pdf_page_text(&t.path().join("out/agenda.pdf"), 1));
    assert!(cover.starts_with("示範署「政府資料開放諮詢小組」"), "{cover}");
    let o = packet(t.path(), &["check", &m]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // Only placeholders: the roster satisfies the composition rules.
    assert!(out.contains("s/group.toml:9:9: unit: 尚未填寫：「（請填寫幕僚單位）」"), "{out}");
    assert!(out.contains("meeting.toml:7:10: place: 尚未填寫：「（請填寫地點）」"), "{out}");
    assert!(out.lines().filter(|l| l.contains(".toml:")).all(|l| l.contains("尚未填寫")), "{out}");
    assert!(out.contains(": member[10].organisation: 尚未填寫：「（請填寫服務機關）」"), "{out}");
    assert!(out.contains(": report[0].explanation: 尚未填寫：「（請填寫說明）」"), "{out}");
    // Never over an existing folder.
    assert_eq!(packet(t.path(), &["init", "s", "--agency", "示範署"]).status.code(), Some(2));
}

#[test]
fn init_on_a_day_off_dates_the_starter_meeting_on_the_next_working_day() {
    // 2026-06-19 is 端午節 (a Friday), followed by a weekend: the next working day is 06-22.
    let t = tempfile::tempdir().unwrap();
    let o = Run::new(&["init", "s", "--agency", "示範署"]).cwd(t.path()).env("PACKET_TODAY", "2026-06-19").output();
    ok(&o);
    let meeting = read(&t.path().join("s/115-1/meeting.toml"));
    assert!(meeting.contains("date = 2026-06-22"), "{meeting}");
    let o = Run::new(&["check", "s/115-1"]).cwd(t.path()).env("PACKET_TODAY", "2026-06-19").output();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.lines().filter(|l| l.contains(".toml:")).all(|l| l.contains("尚未填寫")), "{out}");
}
