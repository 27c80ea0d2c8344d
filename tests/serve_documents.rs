//! The meeting's page downloads the 開會通知單 (PDF, ODT), the 簽到表 (PDF, ODT) and the
//! calendar invitation (meeting.ics) of the meeting as edited, made by the code `packet
//! notice` and `packet signin` use: the same text, the same invitation.

use std::path::Path;

use super::{Browser, Served, browser_session, request_bytes, serve};
use crate::attachments_office::docx;
use crate::common::{Run, example_series, odt_xml, pdf_text, squash, stderr};

impl Served {
    /// `api/download` of meeting 113-1 with `query`: the status and the bytes.
    fn download(&self, query: &str) -> (u16, Vec<u8>) {
        request_bytes(self.port, "GET", &format!("/{}/api/download?m=113-1&{query}", self.token), &[], "")
    }
}

/// The .ics as Python's `icalendar` reads it: each VEVENT's UID, LOCATION and start.
fn parse_ics(ics: &Path) -> serde_json::Value {
    const SCRIPT: &str = r#"
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
print(json.dumps([{"uid": str(e["UID"]), "location": str(e.get("LOCATION", "")),
                   "start": e["DTSTART"].dt.isoformat()} for e in cal.walk("VEVENT")]))
"#;
    let out = std::process::Command::new("python3").args(["-c", SCRIPT, ics.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "python icalendar: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn is_odt(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK")
        && bytes.len() > 80
        && bytes[30..].starts_with(b"mimetypeapplication/vnd.oasis.opendocument.text")
}

#[test]
fn the_notice_signin_sheet_and_invitation_download_as_edited() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    let ops = r#"[{"op":"set","path":"place","value":"第 7 會議室"},{"op":"set","path":"time","value":"10:00"}]"#;
    assert_eq!(s.edit("a", ops).0, 200);

    // What the commands write for the meeting as it now is on disk.
    let out = dir.path().join("out");
    let meeting = series.join("113-1");
    for command in ["notice", "signin"] {
        let run = Run::new(&[command, meeting.to_str().unwrap(), "-q", "--odt", "-o", out.to_str().unwrap()]).output();
        assert!(run.status.success(), "{command}: {}", stderr(&run));
    }

    let got = dir.path().join("got");
    std::fs::create_dir_all(&got).unwrap();
    for doc in ["notice", "signin"] {
        let (status, pdf) = s.download(&format!("doc={doc}"));
        assert_eq!(status, 200, "{doc}: {}", String::from_utf8_lossy(&pdf));
        assert!(pdf.starts_with(b"%PDF-"), "{doc} is a PDF");
        let path = got.join(format!("{doc}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let text = pdf_text(&path);
        assert_eq!(text, pdf_text(&out.join(format!("{doc}.pdf"))), "{doc}: the command's text");
        if doc == "notice" {
            assert!(squash(&text).contains("第7會議室"), "{doc}: the place as edited:\n{text}");
            assert!(squash(&text).contains("上午10時"), "{doc}: the time as edited:\n{text}");
        }

        let (status, odt) = s.download(&format!("doc={doc}&format=odt"));
        assert_eq!(status, 200, "{doc} odt");
        assert!(is_odt(&odt), "{doc}.odt is an ODF text document");
        let path = got.join(format!("{doc}.odt"));
        std::fs::write(&path, &odt).unwrap();
        assert_eq!(odt_xml(&path), odt_xml(&out.join(format!("{doc}.odt"))), "{doc}.odt: the command's");
        if doc == "notice" {
            assert!(odt_xml(&path).contains("第 7 會議室"), "{doc}.odt: the place as edited");
        }
    }

    let (status, ics) = s.download("doc=ics");
    assert_eq!(status, 200);
    assert_eq!(ics, std::fs::read(out.join("meeting.ics")).unwrap(), "the invitation `packet notice` writes");
    let path = got.join("meeting.ics");
    std::fs::write(&path, &ics).unwrap();
    let events = parse_ics(&path);
    let meeting = events.as_array().unwrap().iter().find(|e| e["uid"].as_str().unwrap().ends_with("-meeting@packet"));
    let meeting = meeting.unwrap_or_else(|| panic!("no meeting event: {events}"));
    assert_eq!(meeting["location"], "第 7 會議室");
    assert_eq!(meeting["start"], "2024-04-29T10:00:00+08:00");
    assert_eq!(events.as_array().unwrap().len(), 4, "the meeting and its three deadlines: {events}");
}

#[test]
fn a_download_the_meeting_cannot_give_is_refused_in_words() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    // No postponement or change recorded: no 書函 to download.
    let (status, body) = s.download("doc=notice-change");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("沒有記錄延期或變更"), "{}", String::from_utf8_lossy(&body));
    let (status, _) = s.download("doc=group.toml");
    assert_eq!(status, 404);
}

/// tests/browser/serve_documents.py: 全部出席 in a new meeting; the documents' buttons;
/// a download clicked right after typing has what was typed.
fn downloads_from_the_page(browser: Browser) {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    browser_session(browser, "serve_documents.py", &[s.url.as_ref(), series.as_os_str()], "DOCUMENTS OK");
}

#[test]
fn the_page_downloads_what_was_just_typed_in_chromium() {
    downloads_from_the_page(Browser::Chromium);
}

#[test]
fn the_page_downloads_what_was_just_typed_in_firefox() {
    downloads_from_the_page(Browser::Firefox);
}

/// A date or time its field cannot hold is refused at the field (422, the field named, the
/// model's Chinese message) and nothing is written; what the model reads is written.
#[test]
fn an_impossible_date_or_time_is_refused_at_its_field_and_nothing_written() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = dir.path().join("dgbas/113-1/meeting.toml");
    let before = std::fs::read(&file).unwrap();
    for (path, value, words) in [
        ("date", "2024-02-30", "無效的日期「2024-02-30」"),
        ("date", "", "無效的日期「」"),
        ("time", "25:00", "無效的時間「25:00」"),
        ("dates.materials_sent", "明天", "無效的日期「明天」"),
        ("notice.end", "未記錄", "無效的時間「未記錄」"),
        ("minutes.start", "2 點半", "無效的時間「2 點半」"),
    ] {
        let ops = serde_json::json!([{ "op": "set", "path": path, "value": value }]).to_string();
        let (status, body) = s.edit("a", &ops);
        assert_eq!(status, 422, "{path} = {value:?}: {body}");
        let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(reply["field"], path, "{body}");
        assert!(reply["error"].as_str().unwrap().contains(words), "{body}");
        assert_eq!(std::fs::read(&file).unwrap(), before, "{path} = {value:?}: nothing written");
    }
    // What the model reads is written: a ROC date, 未記錄 where a time may be unrecorded.
    for (path, value, written) in [
        ("date", "113-04-29", "date = \"113-04-29\""),
        ("minutes.end", "未記錄", "end = \"未記錄\""),
        ("time", "09:30", "time = \"09:30\""),
    ] {
        let ops = serde_json::json!([{ "op": "set", "path": path, "value": value }]).to_string();
        let (status, body) = s.edit("a", &ops);
        assert_eq!(status, 200, "{path} = {value:?}: {body}");
        assert!(std::fs::read_to_string(&file).unwrap().contains(written), "{written}");
    }
}

/// A meeting moved after its notice went out: the page downloads the 書函 and the
/// invitation's later revision, as `packet notice` writes them.
#[test]
fn a_moved_meeting_downloads_its_letter_and_revised_invitation() {
    let dir = example_series();
    let s = dir.path();
    crate::common::edit_file(
        s,
        "dgbas/113-1/meeting.toml",
        "date = 2024-04-29\ntime = \"14:30\"\nplace = \"行政院第 9 會議室\"\nchair = \"chen\"\n",
        "date = 2024-05-06\ntime = \"10:00\"\nplace = \"行政院第 8 會議室\"\nchair = \"chen\"\n\n[notice]\n\
         number = \"主資字第 1130000001 號\"\n\n[notice.change]\ndate = 2024-04-29\ntime = \"14:30\"\n\
         place = \"行政院第 9 會議室\"\nreason = \"配合召集人行程\"\nsent = 2024-04-24\n",
    );
    let served = serve(&s.join("dgbas"));
    let out = s.join("out");
    let run =
        Run::new(&["notice", s.join("dgbas/113-1").to_str().unwrap(), "-q", "-o", out.to_str().unwrap()]).output();
    assert!(run.status.success(), "{}", stderr(&run));
    let (status, pdf) = served.download("doc=notice-change");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    let path = s.join("notice-change.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdf_text(&path);
    assert!(squash(&text).contains("書函") && squash(&text).contains("行政院第8會議室"), "{text}");
    assert_eq!(text, pdf_text(&out.join("notice-change.pdf")));
    let (status, ics) = served.download("doc=ics");
    assert_eq!(status, 200);
    assert_eq!(ics, std::fs::read(out.join("meeting.ics")).unwrap());
    assert!(String::from_utf8_lossy(&ics).contains("\r\nSEQUENCE:1\r\n"));
}

/// A Word file chosen in the page's upload is kept under a clean name, listed on its item
/// and printed in the agenda (converted by LibreOffice, as on the command line).
#[test]
fn a_word_file_uploaded_in_the_page_is_printed_in_the_agenda() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let seen = s.seen("113-1", "discussion[0]");
    let origin = format!("http://127.0.0.1:{}", s.port);
    let target =
        format!("/{}/api/upload?m=113-1&item=discussion%5B0%5D&name=%E5%82%99%E5%BF%98%E9%8C%84.docx{seen}", s.token);
    let headers = [("Content-Type", "application/octet-stream"), ("Origin", origin.as_str()), ("X-Packet-Upload", "1")];
    let lines = ["本總處資料開放推動情形備忘錄", "請各單位於五月底前完成資料集品質檢核"];
    let (status, answer) = request_bytes(s.port, "POST", &target, &headers, docx(&lines));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let meeting = std::fs::read_to_string(dir.path().join("dgbas/113-1/meeting.toml")).unwrap();
    assert!(meeting.contains("attachments/備忘錄.docx"), "{meeting}");
    let (status, pdf) = s.download("doc=agenda");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    let file = dir.path().join("agenda.pdf");
    std::fs::write(&file, pdf).unwrap();
    let text = squash(&pdf_text(&file));
    for line in lines {
        assert!(text.contains(line), "{line} not in the agenda: {text}");
    }
}

/// A 列管 row with 辦理情形 and the 會議決定 left at its default: the choice's label says
/// what the check then says (still 列管), and the finding is in words without TOML keys.
#[test]
fn a_tracking_rows_default_ruling_says_what_the_rules_do() {
    let dir = example_series();
    let meeting = dir.path().join("dgbas/113-2/meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    let ruled = "下載次數前 10 名資料集之主要欄位說明。\"\nadvice = \"解除列管\"";
    assert!(text.contains(ruled));
    std::fs::write(&meeting, text.replacen(ruled, "下載次數前 10 名資料集之主要欄位說明。\"", 1)).unwrap();
    let s = serve(&dir.path().join("dgbas"));
    let state = s.state("113-2");
    let finding = state["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "report[0].progress[3]")
        .unwrap_or_else(|| panic!("{}", state["findings"]));
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("113-1-D1") && message.contains("仍為列管中"), "{message}");
    assert!(!message.contains("advice") && !message.contains("result"), "words only: {message}");
    // The page's default 會議決定 promises the same outcome.
    let (status, items) = s.get("items.js");
    assert_eq!(status, 200);
    let default = items.lines().find(|l| l.starts_with("const RESULT")).unwrap_or_else(|| panic!("{items}"));
    assert!(default.contains("['', '依列管建議（無建議時仍列管）']"), "{default}");
    assert!(!items.contains("無建議時解除列管"), "{default}");
}

/// The three deadlines beside the date say what is late from the server's state: an act
/// not recorded by a past deadline is overdue, a recorded one says when (and if late).
#[test]
fn each_deadline_says_whether_its_act_is_recorded_or_overdue() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let acts = |state: &serde_json::Value| -> Vec<(String, serde_json::Value, bool, bool)> {
        let list = state["deadline_acts"].as_array().unwrap_or_else(|| panic!("{state}"));
        list.iter()
            .map(|a| {
                let flag = |k: &str| a[k].as_bool().unwrap_or_else(|| panic!("{a}"));
                (a["key"].as_str().unwrap().to_string(), a["done"].clone(), flag("overdue"), flag("late"))
            })
            .collect()
    };
    // 113-1 (2024-04-29), nothing recorded, today 2026-06-02: all three overdue.
    let state = s.state("113-1");
    let keys = ["materials_due", "draft_minutes_due", "publication_due"];
    let none = serde_json::Value::Null;
    assert_eq!(acts(&state), keys.map(|k| (k.to_string(), none.clone(), true, false)).to_vec(), "{state}");
    // Materials sent on their deadline, the publication a day after its own.
    let due = |k: &str| state["deadlines"][k].as_str().unwrap().to_string();
    let day_after = chrono::NaiveDate::parse_from_str(&due("publication_due"), "%Y-%m-%d").unwrap().succ_opt().unwrap();
    let ops = format!(
        r#"[{{"op":"set","path":"dates.materials_sent","value":"{}"}},{{"op":"set","path":"dates.published","value":"{day_after}"}}]"#,
        due("materials_due")
    );
    assert_eq!(s.edit("a", &ops).0, 200);
    let state = s.state("113-1");
    let got = acts(&state);
    assert_eq!(got[0], ("materials_due".into(), due("materials_due").into(), false, false), "{state}");
    assert_eq!(got[1], ("draft_minutes_due".into(), none.clone(), true, false), "{state}");
    assert_eq!(got[2], ("publication_due".into(), day_after.to_string().into(), false, true), "{state}");
    // A meeting after today: nothing overdue yet.
    assert_eq!(s.edit("a", r#"[{"op":"set","path":"date","value":"2026-06-30"}]"#).0, 200);
    let state = s.state("113-1");
    assert!(acts(&state).iter().all(|(_, _, overdue, _)| !overdue), "{state}");
}

/// The same in the page (tests/browser/serve_marks.py): each past deadline marked
/// 已逾期，尚未記錄 beside the date, and a group.toml that does not parse said in its part.
#[test]
fn lateness_and_a_broken_settings_file_show_in_headless_chromium() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    browser_session(Browser::Chromium, "serve_marks.py", &[s.url.as_ref(), series.as_os_str()], "MARKS OK");
}
