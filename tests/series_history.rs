//! The series as a record, continued (issue 34): who replaced whom (補聘), meetings numbered
//! by term (第 N 屆第 M 次), clause rows in grouped tables, and the group's own words in
//! `packet tracking` and `packet new`. Each fact read from the PDFs, `packet tracking --json`
//! and the export: where it should be, and nowhere else.

use std::path::Path;

use crate::common::*;
use crate::export::csv_rows;

fn record() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/record"), &dir.path().join("record"));
    dir
}

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a command printed, stdout and stderr.
fn said(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o))
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) {
    std::fs::write(p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

fn decisions(dir: &Path, series: &str) -> Vec<serde_json::Value> {
    let o = packet(dir, &["tracking", series, "--json"]);
    serde_json::from_slice::<serde_json::Value>(ok(&o).as_bytes()).unwrap().as_array().unwrap().clone()
}

/// The lines of `text` with `what`, for failure messages.
fn count(text: &str, what: &str) -> usize {
    text.matches(what).count()
}

/// The member block of 李○○ in packets/record/group.toml (補聘 of 宋○○ from 2025-09-01).
fn lee_block(group: &str) -> String {
    let start = group.find("\n[[member]]                               # 補聘").expect("packets/record records 補聘");
    group[start..].to_string()
}

/// 補聘: 李○○ takes 宋○○'s seat from 2025-09-01. Meeting 12 (2025-03-18) has 宋 and not
/// 李; meeting 13 (2025-09-16) 李 and not 宋, in its documents, its checks and its export;
/// 12's PDFs are byte-identical with and without the replacement recorded.
#[test]
fn a_replacement_takes_the_seat_from_its_day() {
    let t = record();
    let group_file = t.path().join("record/group.toml");
    let group = read(&group_file);
    // check <series> says who changed since the meeting before, with each meeting's state.
    let o = packet(t.path(), &["check", "record"]);
    ok(&o);
    let states = stderr(&o);
    assert!(states.contains("第 12 次會議：紀錄定稿\n"), "{states}");
    assert!(states.contains("第 13 次會議：紀錄定稿；委員異動：葉○○改任共同召集人"), "{states}");
    assert!(states.contains("、李○○補聘接替宋○○\n"), "{states}");
    ok(&packet(t.path(), &["export", "record", "-o", "out/", "-q"]));
    let (_, members) = csv_rows(&t.path().join("out/members.csv"));
    let lee = members.iter().find(|r| r["委員代號"] == "lee").expect("lee in members.csv");
    assert_eq!((lee["補聘接替"].as_str(), lee["到任日"].as_str()), ("song", "2025-09-01"), "{lee:?}");
    let song = members.iter().find(|r| r["委員代號"] == "song").expect("song sat at 12");
    assert_eq!(song["補聘接替"], "", "{song:?}");
    let ids = |m: &str| -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_str(&read(&t.path().join(format!("out/{m}-meeting.json")))).unwrap();
        json["members"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect()
    };
    let (ids12, ids13) = (ids("12"), ids("13"));
    assert!(ids12.contains(&"song".into()) && !ids12.contains(&"lee".into()), "{ids12:?}");
    assert!(ids13.contains(&"lee".into()) && !ids13.contains(&"song".into()), "{ids13:?}");
    let m12 = squash(&pdf_text(&t.path().join("out/12-minutes.pdf")));
    let m13 = squash(&pdf_text(&t.path().join("out/13-minutes.pdf")));
    assert!(m13.contains("請假者：李○○委員") && !m13.contains("宋○○"), "{m13}");
    assert!(m12.contains("宋○○委員") && !m12.contains("李○○"), "{m12}");

    // 12's documents do not change when the replacement is recorded.
    let build = |out: &str| {
        ok(&packet(t.path(), &["build", "record/12", "-o", out, "-q"]));
        ok(&packet(t.path(), &["minutes", "record/12", "-o", out, "-q"]));
    };
    build("with");
    let without = group.replace(&lee_block(&group), "\n");
    write(&group_file, &without);
    write(
        &t.path().join("record/13/meeting.toml"),
        &read(&t.path().join("record/13/meeting.toml")).replace("leave = [\"lee\"]", "leave = [\"song\"]"),
    );
    build("without");
    for doc in ["agenda.pdf", "minutes.pdf"] {
        let bytes = |dir: &str| std::fs::read(t.path().join(dir).join(doc)).unwrap();
        assert!(bytes("with") == bytes("without"), "12's {doc} changed with the 補聘 recorded");
    }

    // The replaced member named at a meeting after the replacement: refused, with why.
    write(&group_file, &group);
    let o = packet(t.path(), &["check", "record/13"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        err.contains("minutes.attendance.leave[0]: 委員代號「song」不是本次會議時的委員：宋○○委員已於 2025-09-01 由李○○委員補聘接替"),
        "{err}"
    );
}

/// Composition counts the roster of the meeting's date: 5 members at 12 (宋, not yet 李)
/// and 5 at 13 (李, no longer 宋), never 6; a replacement serving past the original term
/// is a finding; `replaces` must name a member.
#[test]
fn composition_and_terms_count_the_seats_of_the_day() {
    let t = record();
    let group_file = t.path().join("record/group.toml");
    let group = read(&group_file);
    let own =
        "[rules]\nset = \"own\"\n[rules.own]\ncitation = \"示範署資料開放諮詢小組設置要點第三點\"\nmin_members = 6\n";
    let group = group.replace("[rules]\nset = \"none\"", own);
    write(&group_file, &group);
    for m in ["12", "13"] {
        let o = packet(t.path(), &["check", &format!("record/{m}")]);
        let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(out.contains("委員共 5 人") && !out.contains("委員共 6 人"), "{m}: {out}");
    }
    // 設置要點第六點 (the default rules): the replacement serves the rest of the term.
    let default = read(&t.path().join("record/group.toml")).replace(own, "[rules]\nset = \"default\"\n");
    write(&group_file, &default.replace("term_end = 2027-06-30\nreplaces", "term_end = 2027-12-31\nreplaces"));
    let o = packet(t.path(), &["check", "record/13"]);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        out.contains("李○○委員補聘接替宋○○委員，聘期迄日") && out.contains("補聘委員之任期至原任期屆滿之日止"),
        "{out}"
    );
    write(&group_file, &group.replace("replaces = \"song\"", "replaces = \"sung\""));
    let o = packet(t.path(), &["check", "record/13"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(said(&o).contains("replaces: 補聘接替的委員代號「sung」不在委員名冊中"), "{}", said(&o));
    let twice = format!("{group}{}", lee_block(&group).replace("id = \"lee\"", "id = \"lee2\""));
    write(&group_file, &twice);
    let o = packet(t.path(), &["check", "record/13"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(said(&o).contains("replaces: 「song」已由李○○補聘接替"), "{}", said(&o));
}

/// packets/record numbered by term: 第 2 屆第 5 次, 第 3 屆第 1、2 次 in folders 2-5, 3-1,
/// 3-2, ids 2-5-D1-1 and 3-1-D1; titles, tracking labels, export names and `packet new`
/// (continuing the term, or starting the next with --term) follow; the term is required
/// there and refused elsewhere.
#[test]
fn meetings_numbered_by_term() {
    let t = record();
    let dir = t.path().join("tr");
    std::fs::rename(t.path().join("record"), &dir).unwrap();
    let g = read(&dir.join("group.toml"));
    let numbering = g.lines().find(|l| l.starts_with("numbering = ")).unwrap().to_string();
    write(&dir.join("group.toml"), &g.replace(&numbering, "numbering = \"term\""));
    for (from, to, term, number) in [("12", "2-5", 2, 5), ("13", "3-1", 3, 1), ("14", "3-2", 3, 2)] {
        std::fs::rename(dir.join(from), dir.join(to)).unwrap();
        let file = dir.join(to).join("meeting.toml");
        let text = read(&file)
            .replace(&format!("\nnumber = {from}\n"), &format!("\nterm = {term}\nnumber = {number}\n"))
            .replace("\"11-D", "\"2-4-D")
            .replace("\"12-", "\"2-5-")
            .replace("\"13-D", "\"3-1-D");
        write(&file, &text);
    }
    let o = packet(t.path(), &["check", "tr"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("第 3 屆第 1 次會議：紀錄定稿"), "{}", stderr(&o));
    let all = decisions(t.path(), "tr");
    let ids: Vec<&str> = all.iter().map(|d| d["id"].as_str().unwrap()).collect();
    for id in ["2-4-D1", "2-5-D1-1", "2-5-D1-2-S1", "3-1-D1"] {
        assert!(ids.contains(&id), "{id}: {ids:?}");
    }
    let d = all.iter().find(|d| d["id"] == "3-1-D1").unwrap();
    assert_eq!(d["meeting_label"], "第 3 屆第 1 次會議");
    assert_eq!(all.iter().find(|d| d["id"] == "2-4-D1").unwrap()["meeting_label"], "第 2 屆第 4 次會議");

    ok(&packet(t.path(), &["export", "tr", "-o", "out/", "-q"]));
    let (_, index) = csv_rows(&t.path().join("out/index.csv"));
    let codes: Vec<&str> = index.iter().map(|r| r["會議代號"].as_str()).collect();
    assert_eq!(codes, ["2-5", "3-1"]);
    assert!(index[1]["會議名稱"].contains("第 3 屆第 1 次會議"), "{index:?}");
    let minutes = squash(&pdf_text(&t.path().join("out/3-1-minutes.pdf")));
    assert!(minutes.contains("第3屆第1次會議紀錄"), "{minutes}");
    assert!(minutes.contains("第2屆第4次會議討論事項第一案併入"), "{minutes}");

    // packet new: the term runs on; --term starts the next one at 1.
    ok(&packet(t.path(), &["new", "tr", "--date", "2026-06-16"]));
    let next = read(&dir.join("3-3/meeting.toml"));
    assert!(
        next.contains("\nterm = 3 ") && next.contains("\nnumber = 3\n") && next.contains("第 3 屆第 3 次會議"),
        "{next}"
    );
    std::fs::remove_dir_all(dir.join("3-3")).unwrap();
    ok(&packet(t.path(), &["new", "tr", "--date", "2026-06-16", "--term", "4"]));
    let next = read(&dir.join("4-1/meeting.toml"));
    assert!(
        next.contains("\nterm = 4 ") && next.contains("\nnumber = 1\n") && next.contains("id = \"3-1-D1\""),
        "{next}"
    );
    let o = packet(t.path(), &["new", "tr", "--date", "2026-09-16", "--term", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("屆次 3 早於上次會議的第 4 屆"), "{}", stderr(&o));

    // The term is required where the group numbers by term, refused where it does not.
    let file = dir.join("3-1/meeting.toml");
    write(&file, &read(&file).replace("term = 3\n", ""));
    let o = packet(t.path(), &["check", "tr/3-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(said(&o).contains("number: 小組設定為依屆次編號"), "{}", said(&o));
    let r = record();
    let file = r.path().join("record/13/meeting.toml");
    write(&file, &read(&file).replace("number = 13\n", "term = 3\nnumber = 13\n"));
    let o = packet(r.path(), &["check", "record/13"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(said(&o).contains("term: 小組設定未依屆次編號"), "{}", said(&o));

    // packet init --term 3 --number 2: folder 3-2, term = 3, the earlier decisions as 3-1-….
    ok(&packet(t.path(), &["init", "g", "--agency", "示範署", "--term", "3", "--number", "2"]));
    let text = read(&t.path().join("g/3-2/meeting.toml"));
    assert!(text.contains("\nterm = 3 ") && text.contains("# id = \"3-1-D1\""), "{text}");
    assert!(read(&t.path().join("g/group.toml")).contains("\nnumbering = \"term\""));
    let title = squash(&pdf_text(&{
        ok(&packet(t.path(), &["build", "g/3-2", "-o", "gout", "-q"]));
        t.path().join("gout/agenda.pdf")
    }));
    assert!(title.contains("第3屆第2次會議"), "{title}");
}

/// A grouped table lists each clause of an item as its own row under the item's number,
/// naming the clause; the minutes' 列管情形 names the clause, never an item the earlier
/// meeting did not have; a split's new decisions stand under where they were split from.
#[test]
fn clause_rows_share_their_items_number() {
    let t = record();
    for m in ["13", "14"] {
        ok(&packet(t.path(), &["build", &format!("record/{m}"), "-o", &format!("out/{m}"), "-q"]));
    }
    ok(&packet(t.path(), &["minutes", "record/13", "-o", "out/13", "-q"]));
    let agenda = squash(&pdf_text_raw(&t.path().join("out/13/agenda.pdf")));
    assert_eq!(count(&agenda, "一、本署高價值資料集擴充方案，提請討論。"), 2, "{agenda}");
    assert!(agenda.contains("（決議第1點）") && agenda.contains("（決議第2點）"), "{agenda}");
    assert!(!agenda.contains("二、本署高價值資料集擴充方案"), "{agenda}");
    let minutes = squash(&pdf_text(&t.path().join("out/13/minutes.pdf")));
    assert!(minutes.contains("討論事項第一案決議第1點持續列管"), "{minutes}");
    assert!(minutes.contains("討論事項第一案決議第2點分列為12-D1-2-S1、12-D1-2-S2"), "{minutes}");
    assert!(!minutes.contains("討論事項第二案"), "meeting 12 had one discussion item: {minutes}");
    let next = squash(&pdf_text_raw(&t.path().join("out/14/agenda.pdf")));
    assert!(next.contains("第12次會議討論事項（分列）："), "{next}");
    // Meeting 13's own discussion item is 討論事項第一案 in 14's table, the splits apart.
    let at = next.find("討論事項：").unwrap();
    assert!(next[at..].starts_with("討論事項：一、本署資料開放績效指標"), "{next}");
    // A hand row for a clause from before the series: decided at its item's meeting.
    let m12 = t.path().join("record/12/meeting.toml");
    write(&m12, &read(&m12).replace("id = \"11-D2\"", "id = \"11-D2-1\""));
    let all = decisions(t.path(), "record");
    let d = all.iter().find(|d| d["id"] == "11-D2-1").unwrap_or_else(|| panic!("{all:?}"));
    assert_eq!((d["meeting"].as_str(), d["meeting_label"].as_str()), (Some("11"), Some("第 11 次會議")), "{d}");
}

/// `packet tracking` says the group's words (持續列管), and `packet new` writes the group's
/// tracking item: its last meeting's 案由, or group.toml [tracking] item_title.
#[test]
fn tracking_and_new_speak_the_groups_words() {
    let t = record();
    let text = ok(&packet(t.path(), &["tracking", "record"]));
    assert!(text.contains("〔持續列管〕") && !text.contains("繼續列管"), "{text}");
    let csv = ok(&packet(t.path(), &["tracking", "record", "--csv"]));
    assert!(csv.contains("〔持續列管〕") && !csv.contains("繼續列管"), "{csv}");
    // 14 is only an agenda: give it its record so that new can follow it.
    let m14 = t.path().join("record/14/meeting.toml");
    let held = read(&m14).replacen("track = true\n", "track = true\ndecision = \"洽悉。\"\n", 1)
        + "\n[minutes]\nend = \"16:00\"\n\n[minutes.attendance]\npresent = [\"yeh\", \"tang\", \"wu\", \"he\", \"lee\"]\n";
    write(&m14, &held);
    ok(&packet(t.path(), &["new", "record", "--date", "2026-09-15"]));
    let next = read(&t.path().join("record/15/meeting.toml"));
    assert!(next.contains("title = \"歷次會議決議列管事項辦理情形，報請公鑒。\""), "{next}");
    assert!(!next.contains("上次會議決定（議）事項辦理情形"), "{next}");
    std::fs::remove_dir_all(t.path().join("record/15")).unwrap();
    let group_file = t.path().join("record/group.toml");
    let group = read(&group_file)
        .replace("[tracking]\n", "[tracking]\nitem_title = \"前次會議決議事項執行情形，報請公鑒。\"\n");
    write(&group_file, &group.replace("[rules]\n", "[rules]\ntracking_advice = true\n"));
    ok(&packet(t.path(), &["new", "record", "--date", "2026-09-15"]));
    let next = read(&t.path().join("record/15/meeting.toml"));
    assert!(next.contains("title = \"前次會議決議事項執行情形，報請公鑒。\""), "{next}");
    assert!(next.contains("列管建議：解除列管 或 持續列管") && !next.contains("繼續列管"), "{next}");
}

/// packets/record, each fact where it belongs and nowhere else: a hand row closed at 12 is
/// in 12's table only; one kept at 12 and merged at 13 in 12's and 13's; a clause split at
/// 13 in 13's, its parts in 14's; no closing time in 12's minutes only; the convener
/// becoming co-convener from 13 on; the proposer in 12's minutes only; 14, only an agenda,
/// left out of the export.
#[test]
fn each_fact_of_the_record_appears_only_where_it_should() {
    let t = record();
    for m in ["12", "13", "14"] {
        ok(&packet(t.path(), &["build", &format!("record/{m}"), "-o", &format!("out/{m}"), "-q"]));
    }
    for m in ["12", "13"] {
        ok(&packet(t.path(), &["minutes", &format!("record/{m}"), "-o", &format!("out/{m}"), "-q"]));
    }
    let agenda = |m: &str| squash(&pdf_text_raw(&t.path().join(format!("out/{m}/agenda.pdf"))));
    let minutes = |m: &str| squash(&pdf_text(&t.path().join(format!("out/{m}/minutes.pdf"))));
    let (a12, a13, a14) = (agenda("12"), agenda("13"), agenda("14"));
    let (m12, m13) = (minutes("12"), minutes("13"));
    let only = |what: &str, in_: &[(&str, &String)], not: &[(&str, &String)]| {
        for (name, text) in in_ {
            assert!(text.contains(what), "{what} missing from {name}: {text}");
        }
        for (name, text) in not {
            assert!(!text.contains(what), "{what} in {name}: {text}");
        }
    };
    // 11-D2, typed by hand and closed at 12.
    only("本署資料集授權條款一案", &[("12", &a12)], &[("13", &a13), ("14", &a14)]);
    // 11-D1, typed by hand, kept at 12, merged into 12-D1-1 at 13.
    only("本署開放資料品質提升計畫", &[("12", &a12), ("13", &a13)], &[("14", &a14)]);
    only("併入討論事項第一案決議第1點", &[("m13", &m13)], &[("m12", &m12)]);
    // 12-D1-2, split at 13 into two decisions tracked at 14.
    only("請資訊室於下次會議報告新增資料集之上架時程", &[("13", &a13)], &[("14", &a14)]);
    only("請統計科建立資料集更新機制", &[("14", &a14)], &[("13", &a13)]);
    // No closing time at 12; 13 closed at 15:50.
    only("散會：（時間未記錄）", &[("m12", &m12)], &[("m13", &m13)]);
    // The convener becomes co-convener from 2025-07-01 (between 12 and 13).
    only("主席：葉○○共同召集人", &[("m13", &m13)], &[("m12", &m12)]);
    only("主席：葉○○召集人", &[("m12", &m12)], &[("m13", &m13)]);
    // The motion's proposer, at 12.
    only("（提案人：宋○○委員）", &[("m12", &m12)], &[("m13", &m13)]);

    let all = decisions(t.path(), "record");
    let history = |id: &str| -> Vec<String> {
        let d = all.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{id}: {all:?}"));
        d["history"].as_array().unwrap().iter().map(|r| r["meeting"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(history("11-D1"), ["12", "13"]);
    assert_eq!(history("11-D2"), ["12"]);
    assert_eq!(history("12-D1-2-S1"), ["14"]);
    assert!(all.iter().all(|d| d["id"] != "12-R2" && d["id"] != "12-D1"), "洽悉 and the item whole are no rows");

    ok(&packet(t.path(), &["export", "record", "-o", "e/", "-q"]));
    let names: Vec<String> = std::fs::read_dir(t.path().join("e"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("13-")), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("14-")), "14 is not held yet: {names:?}");
    let (_, tracking) = csv_rows(&t.path().join("e/tracking.csv"));
    assert!(tracking.iter().all(|r| !r["列管案件代號"].starts_with("12-D1-2-S")), "reported only at 14: {tracking:?}");
}
