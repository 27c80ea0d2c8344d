//! The correction round of the draft minutes in the editor: the day the draft was sent,
//! each member's reply and what was changed, written into meeting.toml as typed; the
//! state the page shows is `packet check`'s (the deadline, 回復 / 視同無意見); the record
//! downloads as `packet corrections` writes it and stays out of the bundle.

use super::{Browser, browser_session, serve};
use crate::common::{Run, example_series, pdf_text, squash, stderr};

fn standing(state: &serde_json::Value, member: &str) -> String {
    let members = state["corrections"]["members"].as_array().unwrap_or_else(|| panic!("no round: {state}"));
    let m = members.iter().find(|m| m["id"] == member).unwrap_or_else(|| panic!("{member} not in the round: {state}"));
    m["state"].as_str().unwrap().to_string()
}

#[test]
fn the_round_typed_in_the_editor_lands_in_meeting_toml_and_packet_check_reports_it() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let file = series.join("113-1/meeting.toml");
    let s = serve(&series);
    assert!(s.state("113-1")["corrections"].is_null(), "no round recorded yet");
    let (status, body) = s.download_corrections();
    assert_eq!(status, 404, "no record without a round");
    assert!(String::from_utf8_lossy(&body).contains("尚未記錄紀錄草稿修正"));

    let (status, body) = s.edit("a", r#"[{"op":"set","path":"corrections.sent","value":"2024-05-08"}]"#);
    assert_eq!(status, 200, "{body}");
    let state = s.state("113-1");
    // 8 working days (group.toml draft_minutes_days) after Wednesday 2024-05-08.
    assert_eq!(state["corrections"]["deadline"], "2024-05-20", "{state}");
    let members = state["corrections"]["members"].as_array().unwrap().clone();
    let first = members[0]["id"].as_str().unwrap().to_string();
    let second = members[1]["id"].as_str().unwrap().to_string();
    assert!(members.iter().all(|m| m["state"] == "視同無意見" && m["reply"].is_null()), "{state}");

    let ops = serde_json::json!([{ "op": "append", "path": "corrections.reply",
        "fields": { "member": first, "received": "2024-05-10" } }]);
    assert_eq!(s.edit("a", &ops.to_string()).0, 200);
    let ops = r#"[{"op":"set","path":"corrections.reply[0].text","value":"討論事項一之發言請補列「資料品質」一詞。"},
        {"op":"set","path":"corrections.reply[0].changed","value":"已於紀錄補列。"}]"#;
    assert_eq!(s.edit("a", ops).0, 200);
    let ops = serde_json::json!([{ "op": "append", "path": "corrections.reply",
        "fields": { "member": second, "received": "2024-05-24" } }]);
    assert_eq!(s.edit("a", &ops.to_string()).0, 200);

    // Written as TOML dates, into [corrections] and its replies.
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let round = &written["corrections"];
    assert_eq!(round["sent"].as_datetime().map(|d| d.to_string()), Some("2024-05-08".into()), "{round}");
    let reply = &round["reply"][0];
    assert_eq!(reply["member"].as_str(), Some(first.as_str()));
    assert_eq!(reply["received"].as_datetime().map(|d| d.to_string()), Some("2024-05-10".into()));
    assert_eq!(reply["changed"].as_str(), Some("已於紀錄補列。"));

    let state = s.state("113-1");
    assert_eq!(standing(&state, &first), "回復");
    assert_eq!(standing(&state, &second), "逾期回復");
    let silent = members.len() - 2;
    assert!(members[2..].iter().all(|m| standing(&state, m["id"].as_str().unwrap()) == "視同無意見"), "{state}");

    // `packet check` reads the same round from the file.
    let check = Run::new(&["check", series.join("113-1").to_str().unwrap()]).output();
    let said = stderr(&check);
    assert!(said.contains("紀錄草稿修正："), "{said}");
    assert!(said.contains(&format!("已回復 2 人，未回復 {silent} 人（視同無意見）")), "{said}");
    assert_eq!(state["corrections"]["summary"].as_str().map(|l| said.contains(l)), Some(true), "{said}\n{state}");

    // An impossible day is refused at its field in words, and nothing written.
    let before = std::fs::read(&file).unwrap();
    let (status, body) = s.edit("a", r#"[{"op":"set","path":"corrections.reply[0].received","value":"2024-05-32"}]"#);
    assert_eq!(status, 422, "{body}");
    let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["field"], "corrections.reply[0].received", "{body}");
    assert!(!reply["error"].as_str().unwrap().contains("corrections"), "Chinese words only: {body}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let ops = serde_json::json!([{ "op": "append", "path": "corrections.reply",
        "fields": { "member": members[3]["id"], "received": "5月10日" } }]);
    let (status, body) = s.edit("a", &ops.to_string());
    assert_eq!(status, 422, "a new reply on an impossible day: {body}");
    assert!(body.contains("無效的日期「5月10日」"), "{body}");
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // The record downloads as `packet corrections` writes it; the bundle leaves it out.
    let out = dir.path().join("rec");
    let run =
        Run::new(&["corrections", series.join("113-1").to_str().unwrap(), "-q", "-o", out.to_str().unwrap()]).output();
    assert!(run.status.success(), "{}", stderr(&run));
    let (status, pdf) = s.download_corrections();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    let got = dir.path().join("got.pdf");
    std::fs::write(&got, &pdf).unwrap();
    let text = pdf_text(&got);
    assert_eq!(text, pdf_text(&out.join("corrections.pdf")), "the command's record");
    assert!(squash(&text).contains("資料品質"), "{text}");
    let (status, zip) = s.get_bytes("api/bundle?m=113-1");
    assert_eq!(status, 200);
    assert!(zip.starts_with(b"PK"), "a zip");
    // The zip's file names are stored as they are: none is the round's record.
    assert!(!zip.windows(11).any(|w| w == b"corrections"), "the round is never in the bundle");
}

impl super::Served {
    fn download_corrections(&self) -> (u16, Vec<u8>) {
        self.get_bytes("api/download?m=113-1&doc=corrections")
    }

    fn get_bytes(&self, route: &str) -> (u16, Vec<u8>) {
        super::request_bytes(self.port, "GET", &format!("/{}/{route}", self.token), &[], "")
    }
}

/// tests/browser/serve_corrections.py: the round typed in the page, a member's standing
/// changing from 視同無意見 to 回復 as the reply is typed; an item's vote and recusal.
fn types_the_round(browser: Browser) {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    browser_session(browser, "serve_corrections.py", &[s.url.as_ref(), series.as_os_str()], "CORRECTIONS OK");
}

#[test]
fn a_reply_typed_in_chromium_changes_the_members_standing() {
    types_the_round(Browser::Chromium);
}

#[test]
fn a_reply_typed_in_firefox_changes_the_members_standing() {
    types_the_round(Browser::Firefox);
}

/// An item's 利益迴避 and 表決 typed in the editor: written into the item's tables, printed
/// in the minutes at the item; 未表決 removes the vote whole.
#[test]
fn a_recusal_and_a_vote_typed_in_the_editor_print_in_the_minutes() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let file = series.join("113-1/meeting.toml");
    let s = serve(&series);
    let ops = r#"[{"op":"append","path":"discussion[0].recusal","fields":{"member":"lin","reason":""}}]"#;
    assert_eq!(s.edit("a", ops).0, 200);
    let ops = r#"[{"op":"set","path":"discussion[0].recusal[0].reason","value":"擔任本案受託廠商之顧問"},
        {"op":"set","path":"discussion[0].vote.method","value":"舉手"},
        {"op":"set","path":"discussion[0].vote.for","value":7},
        {"op":"set","path":"discussion[0].vote.against","value":1}]"#;
    let (status, body) = s.edit("a", ops);
    assert_eq!(status, 200, "{body}");
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let item = &written["discussion"][0];
    assert_eq!(item["vote"]["for"].as_integer(), Some(7), "{item}");
    assert_eq!(item["vote"]["method"].as_str(), Some("舉手"));
    assert_eq!(item["recusal"][0]["member"].as_str(), Some("lin"));

    let out = dir.path().join("m");
    let run =
        Run::new(&["minutes", series.join("113-1").to_str().unwrap(), "-q", "--force", "-o", out.to_str().unwrap()])
            .output();
    assert!(run.status.success(), "{}", stderr(&run));
    let pdf =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "pdf"));
    let text = squash(&pdf_text(&pdf.unwrap()));
    assert!(text.contains("（擔任本案受託廠商之顧問）迴避"), "{text}");
    assert!(text.contains("表決結果：舉手表決，贊成7票"), "{text}");

    assert_eq!(s.edit("a", r#"[{"op":"remove","path":"discussion[0].vote"}]"#).0, 200);
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(written["discussion"][0].get("vote").is_none(), "未表決: no vote left");
    assert!(written["discussion"][0].get("recusal").is_some(), "the recusal stays");
}

/// The day the draft minutes reached the members is one act: the round's field is the one
/// the deadline is counted from (it was not counted before: only the meeting's own date
/// field was), and the same act recorded on another day in the meeting's dates is a finding
/// at that field, gone once both say the same day.
#[test]
fn the_draft_minutes_are_sent_on_one_day_counted_from_the_rounds_field() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    let findings = |field: &str| -> Vec<String> {
        let state = s.state("113-1");
        let all = state["findings"].as_array().unwrap_or_else(|| panic!("{state}")).clone();
        all.iter().filter(|f| f["field"] == field).map(|f| f["message"].as_str().unwrap().to_string()).collect()
    };
    // Monday 2024-04-29, 8 working days (group.toml): due 2024-05-09; 2024-05-24 is late.
    let (status, body) = s.edit("a", r#"[{"op":"set","path":"corrections.sent","value":"2024-05-24"}]"#);
    assert_eq!(status, 200, "{body}");
    let late = findings("corrections.sent");
    assert!(late.iter().any(|m| m.contains("會議紀錄草稿於") && m.contains("晚於期限")), "{late:?}");

    let (status, body) = s.edit("a", r#"[{"op":"set","path":"dates.draft_minutes_sent","value":"2024-05-08"}]"#);
    assert_eq!(status, 200, "{body}");
    let two = findings("dates.draft_minutes_sent");
    assert_eq!(two.len(), 1, "{two:?}");
    assert!(two[0].contains("記了兩個日期") && two[0].contains("期限依紀錄草稿修正的日期計算"), "{two:?}");
    assert!(findings("corrections.sent").iter().any(|m| m.contains("晚於期限")), "the round's day is the one counted");

    let (status, body) = s.edit("a", r#"[{"op":"set","path":"dates.draft_minutes_sent","value":"2024-05-24"}]"#);
    assert_eq!(status, 200, "{body}");
    assert!(findings("dates.draft_minutes_sent").is_empty(), "{:?}", findings("dates.draft_minutes_sent"));
    assert_eq!(findings("corrections.sent").iter().filter(|m| m.contains("晚於期限")).count(), 1, "counted once");
}
