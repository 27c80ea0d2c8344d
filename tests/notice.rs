//! The meeting notice (開會通知單), read from the real PDF and ODT.

use crate::common::*;
use std::path::{Path, PathBuf};

fn notice(dir: &Path, meeting: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let out = dir.join("out");
    let mut args = vec!["notice", meeting, "-q", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (packet(dir, &args), out)
}

/// The DGBAS example's notice with its ODT, built once for the tests that only read it.
fn shared_notice() -> &'static Path {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let series = shared_dir("notice");
        copy_tree(&root().join("packets/dgbas"), &series.join("dgbas"));
        let (o, out) = notice(&series, "dgbas/113-1", &["--odt"]);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    })
}

/// Every member of the DGBAS roster in its order, as the notice names them.
const DGBAS_INVITED: &[&str] = &[
    "陳○○召集人（主計總處資訊長）",
    "林○○委員（綜合規劃處處長）",
    "黃○○委員（公務預算處副處長）",
    "張○○委員（會計決算處處長）",
    "吳○○委員（綜合統計處處長）",
    "蔡○○委員（國勢普查處副處長）",
    "楊○○委員（主計資訊處處長）",
    "許○○委員（秘書室主任）",
    "鄭○○委員（國立臺灣大學資訊管理學系教授）",
    "郭○○委員（國立政治大學統計學系教授）",
    "謝○○委員（國立臺北大學會計學系副教授）",
    "賴○○委員（中華民國資訊軟體協會秘書長）",
    "周○○委員（開放文化基金會執行長）",
];

#[test]
fn notice_prints_the_form_in_order_on_one_page() {
    let pdf = shared_notice().join("notice.pdf");
    assert_eq!(pdf_pages(&pdf), 1);
    let text = squash(&pdf_text(&pdf));
    let labels = [
        "行政院主計總處開會通知單",
        "受文者：如出席者及列席者",
        "發文日期：",
        "發文字號：",
        "速別：普通件",
        "密等及解密條件或保密期限：",
        "附件：無",
        "開會事由：召開「政府資料開放諮詢小組」113年第1次會議",
        "開會時間：113年4月29日（星期一）下午2時30分",
        "開會地點：行政院第9會議室",
        "主持人：陳○○召集人",
        "聯絡人及電話：李○○(02)2380-0000",
        "出席者：",
        "列席者：無",
        "副本：無",
        // The materials' deadline: 5 working days before 113-04-29 on the office calendar.
        "備註：一、會議資料將於113年4月22日（星期一）前（會前5個工作日）以電子郵件寄送各委員。",
        "二、代表政府機關出任之委員，因故未能親自出席時，得指派代表出席",
    ];
    let mut at = 0;
    for want in labels {
        let found = text[at..].find(want).unwrap_or_else(|| panic!("「{want}」 missing or out of order:\n{text}"));
        at += found + want.len();
    }
    // Every member in the roster's order, between 出席者 and 列席者.
    let list = &text[text.find("出席者：").unwrap()..text.find("列席者：").unwrap()];
    let mut at = 0;
    for want in DGBAS_INVITED {
        let found = list[at..].find(want).unwrap_or_else(|| panic!("「{want}」 missing or out of order:\n{list}"));
        at += found + want.len();
    }
}

#[test]
fn notice_is_archival_and_titled() {
    let pdf = shared_notice().join("notice.pdf");
    assert_eq!(info_field(&pdf_info(&pdf), "Tagged"), "yes");
    let meta = pdf_xmp(&pdf);
    assert!(xmp_has(&meta, "pdfaid:part", "2"), "{meta}");
    assert!(xmp_has(&meta, "pdfaid:conformance", "A"), "{meta}");
    assert!(xmp_has(&meta, "pdfuaid:part", "1"), "{meta}");
    assert!(meta.contains("行政院主計總處 開會通知單"), "{meta}");
}

fn info_field(info: &str, key: &str) -> String {
    info.lines().find_map(|l| l.strip_prefix(&format!("{key}:"))).map(|v| v.trim().to_string()).unwrap_or_default()
}

#[test]
fn notice_odt_holds_the_same_form() {
    let xml = odt_xml(&shared_notice().join("notice.odt"));
    for want in
        ["開會通知單", "受文者：", "密等及解密條件或保密期限：", "開會事由：", "聯絡人及電話：李○○ (02)2380-0000"]
    {
        assert!(xml.contains(want), "「{want}」 missing from the ODT");
    }
    let mut at = 0;
    for want in DGBAS_INVITED {
        let found = xml[at..].find(want).unwrap_or_else(|| panic!("「{want}」 missing or out of order in the ODT"));
        at += found + want.len();
    }
}

#[test]
fn notice_fields_of_meeting_and_group_are_printed() {
    let series = example_series();
    let s = series.path();
    edit_file(
        s,
        "dgbas/113-1/meeting.toml",
        "chair = \"chen\"\n",
        "chair = \"chen\"\n\n[notice]\nnumber = \"主資字第 1130000001 號\"\nspeed = \"速件\"\nattachments = \"議程\"\n\
         observers = [\"本總處主計資訊處\"]\nnotes = [\"請委員於 4 月 26 日前回復出席與否。\"]\n",
    );
    edit_file(s, "dgbas/113-1/meeting.toml", "[minutes]", "[dates]\nnotice_sent = 2024-04-19\n\n[minutes]");
    edit_file(
        s,
        "dgbas/group.toml",
        "[contact]",
        "[notice]\naddress = \"10065 臺北市中正區廣州街 2 號\"\ncopy = [\"本總處秘書室\"]\n\n[contact]",
    );
    let (o, out) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&out.join("notice.pdf")));
    for want in [
        "機關地址：10065臺北市中正區廣州街2號",
        "發文日期：中華民國113年4月19日",
        "發文字號：主資字第1130000001號",
        "速別：速件",
        "附件：議程",
        "列席者：本總處主計資訊處",
        "副本：本總處秘書室",
        "三、請委員於4月26日前回復出席與否。",
    ] {
        assert!(text.contains(want), "「{want}」 missing:\n{text}");
    }
}

#[test]
fn notice_names_members_as_the_roster_stood_on_the_meeting_date() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &dir.path().join("demo"));
    // 胡○○ became 副召集人 and 主任秘書 on 2024-07-01: meeting 7 (2024-03-12) sees the
    // old title, meeting 8 (2024-09-10) the new one.
    let (o, out7) = notice(dir.path(), "demo/7", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let seven = squash(&pdf_text(&out7.join("notice.pdf")));
    std::fs::remove_dir_all(&out7).unwrap();
    assert!(seven.contains("胡○○委員（統計處處長）"), "{seven}");
    let (o, out8) = notice(dir.path(), "demo/8", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let eight = squash(&pdf_text(&out8.join("notice.pdf")));
    assert!(eight.contains("胡○○副召集人（主任秘書）"), "{eight}");
    assert!(!eight.contains("統計處處長"), "{eight}");
}

#[test]
fn a_member_whose_term_has_not_begun_is_not_invited() {
    let series = example_series();
    let s = series.path();
    edit_file(
        s,
        "dgbas/group.toml",
        "開放文化基金會\"\nkind = \"民間代表\"\ngender = \"女\"\nterm_start = 2024-04-01",
        "開放文化基金會\"\nkind = \"民間代表\"\ngender = \"女\"\nterm_start = 2024-05-01",
    );
    let (o, out) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&out.join("notice.pdf")));
    assert!(!text.contains("周○○"), "{text}");
    assert!(text.contains("賴○○委員"), "{text}");
}

#[test]
fn a_notice_sent_after_the_materials_deadline_is_a_finding() {
    let series = example_series();
    let s = series.path();
    // 113-04-22 is the 5th working day before the meeting: 04-23 is late.
    edit_file(s, "dgbas/113-1/meeting.toml", "[minutes]", "[dates]\nnotice_sent = 2024-04-23\n\n[minutes]");
    let o = packet(s, &["check", "dgbas/113-1"]);
    let err = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("dates.notice_sent"), "{err}");
    assert!(err.contains("開會通知單於 113 年 4 月 23 日"), "{err}");
    assert!(err.contains("晚於期限 113 年 4 月 22 日"), "{err}");
    // On the deadline itself: no finding.
    edit_file(s, "dgbas/113-1/meeting.toml", "notice_sent = 2024-04-23", "notice_sent = 2024-04-22");
    let o = packet(s, &["check", "dgbas/113-1"]);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(!out.contains("notice_sent"), "{out}");
    assert_eq!(o.status.code(), Some(0), "{out}");
}

#[test]
fn a_change_letter_sent_after_the_new_materials_deadline_is_a_finding() {
    let series = example_series();
    let s = series.path();
    // Moved to 05-06: its materials are due 04-29, and the letter went out on 04-30.
    moved_meeting(s, "date = 2024-04-29\nsent = 2024-04-30\n");
    let o = packet(s, &["check", "dgbas/113-1"]);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("notice.change.sent: 改期或變更地點之書函於 113 年 4 月 30 日"), "{out}");
}

#[test]
fn notice_text_reaches_typst_as_text() {
    let series = example_series();
    let s = series.path();
    let hostile = r#"#set page(width: 1pt) $x$ */ \ {{ x }} <b>"#;
    edit_file(
        s,
        "dgbas/113-1/meeting.toml",
        "chair = \"chen\"\n",
        &format!("chair = \"chen\"\n\n[notice]\nsubject = '{hostile}'\nnotes = ['{hostile}']\n"),
    );
    let (o, out) = notice(s, "dgbas/113-1", &["--odt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&out.join("notice.pdf")));
    assert_eq!(text.matches(&squash(hostile)).count(), 2, "{text}");
    // Typed as text, `#set page(width: 1pt)` sets nothing: the form keeps its two pages.
    assert!(pdf_pages(&out.join("notice.pdf")) <= 2);
    assert!(odt_xml(&out.join("notice.odt")).contains("{{ x }} &lt;b&gt;"));
}

// ─── meeting.ics ───────────────────────────────────────────────────────────────────

/// The .ics as Python's `icalendar` reads it: the VTIMEZONE ids and every VEVENT's
/// properties (dates in ISO form, with their TZID).
fn parse_ics(ics: &Path) -> serde_json::Value {
    const SCRIPT: &str = r#"
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
def when(p):
    v = p.dt
    return {"iso": v.isoformat(), "tzid": p.params.get("TZID")}
print(json.dumps({
    "timezones": [str(t["TZID"]) for t in cal.walk("VTIMEZONE")],
    "events": [{
        "uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "location": str(e.get("LOCATION", "")),
        "description": str(e.get("DESCRIPTION", "")), "start": when(e["DTSTART"]), "end": when(e["DTEND"]),
    } for e in cal.walk("VEVENT")],
}))
"#;
    let out = std::process::Command::new("python3").args(["-c", SCRIPT, ics.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "python icalendar: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn event<'a>(cal: &'a serde_json::Value, uid_suffix: &str) -> &'a serde_json::Value {
    cal["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"].as_str().unwrap().ends_with(uid_suffix))
        .unwrap_or_else(|| panic!("no event {uid_suffix}: {cal}"))
}

#[test]
fn ics_holds_the_meeting_in_taipei_time_and_the_three_deadlines() {
    let cal = parse_ics(&shared_notice().join("meeting.ics"));
    assert_eq!(cal["timezones"], serde_json::json!(["Asia/Taipei"]));
    assert_eq!(cal["events"].as_array().unwrap().len(), 4, "{cal}");
    let m = event(&cal, "-meeting@packet");
    assert_eq!(m["start"]["iso"], "2024-04-29T14:30:00+08:00");
    assert_eq!(m["start"]["tzid"], "Asia/Taipei");
    assert_eq!(m["end"]["iso"], "2024-04-29T16:30:00+08:00");
    assert_eq!(m["location"], "行政院第 9 會議室");
    assert_eq!(m["summary"], "行政院主計總處「政府資料開放諮詢小組」113 年第 1 次會議");
    let desc = m["description"].as_str().unwrap();
    let mut at = 0;
    for want in [
        "開會時間：113 年 4 月 29 日（星期一）下午 2 時 30 分\n",
        "主持人：陳○○召集人\n",
        "議程：\n壹、主席致詞\n貳、報告事項\n一、本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。\n",
        "參、討論事項\n一、本總處 113 年 1 至 3 月資料開放推動情形，提請討論。\n",
        "肆、臨時動議",
    ] {
        let found = desc[at..].find(want).unwrap_or_else(|| panic!("「{want}」 missing or out of order:\n{desc}"));
        at += found + want.len();
    }
    // The deadlines on the office calendar: DGBAS counts 8 working days for the draft.
    for (uid, day, next) in [
        ("-materials@packet", "2024-04-22", "2024-04-23"),
        ("-draft-minutes@packet", "2024-05-09", "2024-05-10"),
        ("-publication@packet", "2024-05-17", "2024-05-18"),
    ] {
        let e = event(&cal, uid);
        assert_eq!(e["start"]["iso"], day, "{e}");
        assert_eq!(e["end"]["iso"], next, "{e}");
    }
    assert!(event(&cal, "-draft-minutes@packet")["summary"].as_str().unwrap().contains("會後第 8 個工作日"));
}

#[test]
fn ics_lines_are_folded_at_75_octets_between_characters() {
    let bytes = std::fs::read(shared_notice().join("meeting.ics")).unwrap();
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    for line in &lines {
        assert_eq!(line.last(), Some(&b'\r'), "a line without CRLF");
        let content = &line[..line.len() - 1];
        assert!(content.len() <= 75, "{} octets: {}", content.len(), String::from_utf8_lossy(content));
        // Folded between characters: every physical line is whole UTF-8 by itself.
        assert!(std::str::from_utf8(content).is_ok(), "a character split by a fold");
    }
    // The long Chinese description is folded (continuation lines start with a space).
    assert!(lines.iter().filter(|l| l.starts_with(b" ")).count() >= 5, "{text}");
}

#[test]
fn ics_escapes_text_and_keeps_its_uids_when_the_meeting_moves() {
    let series = example_series();
    let s = series.path();
    let (o, out) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read(out.join("meeting.ics")).unwrap();
    let before = parse_ics(&out.join("meeting.ics"));
    // The same record gives the same bytes.
    let (o, _) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("meeting.ics")).unwrap(), first);
    // Moved to another room and time, with an end: the same events, updated.
    let place = r"第 2 會議室, 10 樓; A\B";
    edit_file(s, "dgbas/113-1/meeting.toml", "place = \"行政院第 9 會議室\"", &format!("place = '{place}'"));
    edit_file(s, "dgbas/113-1/meeting.toml", "time = \"14:30\"", "time = \"10:00\"");
    edit_file(s, "dgbas/113-1/meeting.toml", "chair = \"chen\"\n", "chair = \"chen\"\n\n[notice]\nend = \"11:30\"\n");
    let (o, _) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = parse_ics(&out.join("meeting.ics"));
    let m = event(&after, "-meeting@packet");
    assert_eq!(m["location"], place);
    assert_eq!(m["start"]["iso"], "2024-04-29T10:00:00+08:00");
    assert_eq!(m["end"]["iso"], "2024-04-29T11:30:00+08:00");
    let uids =
        |c: &serde_json::Value| c["events"].as_array().unwrap().iter().map(|e| e["uid"].clone()).collect::<Vec<_>>();
    assert_eq!(uids(&before), uids(&after));
    // Another meeting of the series has events of its own.
    let o = packet(s, &["notice", "dgbas/113-2", "-q", "-o", s.join("out2").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let other = parse_ics(&s.join("out2/meeting.ics"));
    assert!(uids(&other).iter().all(|u| !uids(&before).contains(u)), "{other}");
}

// ─── The 書函 of a change ─────────────────────────────────────────────────────────

/// The example meeting moved from 04-29 14:30 in room 9 to 05-06 10:00 in room 8, its
/// notice sent on 04-19 and the 書函 on 04-24.
fn moved_meeting(s: &Path, change: &str) {
    edit_file(
        s,
        "dgbas/113-1/meeting.toml",
        "date = 2024-04-29\ntime = \"14:30\"\nplace = \"行政院第 9 會議室\"\nchair = \"chen\"\n",
        &format!(
            "date = 2024-05-06\ntime = \"10:00\"\nplace = \"行政院第 8 會議室\"\nchair = \"chen\"\n\n[notice]\n\
             number = \"主資字第 1130000001 號\"\n\n[notice.change]\n{change}"
        ),
    );
    edit_file(s, "dgbas/113-1/meeting.toml", "[minutes]", "[dates]\nnotice_sent = 2024-04-19\n\n[minutes]");
}

#[test]
fn a_change_is_announced_by_a_letter_and_the_notice_stays_as_sent() {
    let series = example_series();
    let s = series.path();
    let (o, out) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let uid_before = event(&parse_ics(&out.join("meeting.ics")), "-meeting@packet")["uid"].clone();
    moved_meeting(
        s,
        "date = 2024-04-29\ntime = \"14:30\"\nplace = \"行政院第 9 會議室\"\nreason = \"配合召集人行程\"\n\
         sent = 2024-04-24\nnumber = \"主資字第 1130000002 號\"\n",
    );
    let (o, out) = notice(s, "dgbas/113-1", &["--odt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let letter = squash(&pdf_text(&out.join("notice-change.pdf")));
    let mut at = 0;
    for want in [
        "行政院主計總處書函",
        "發文日期：中華民國113年4月24日",
        "發文字號：主資字第1130000002號",
        "主旨：「政府資料開放諮詢小組」113年第1次會議改期並變更開會地點，請查照。",
        "說明：一、本會議前以中華民國113年4月19日主資字第1130000001號開會通知單通知召開。",
        "二、原訂113年4月29日（星期一）下午2時30分於行政院第9會議室召開之會議，因配合召集人行程，\
         改於113年5月6日（星期一）上午10時在行政院第8會議室召開。",
        // The materials' deadline moves with the meeting: 5 working days before 05-06.
        "三、會議資料將於113年4月29日（星期一）前",
        "正本：陳○○召集人（主計總處資訊長）",
        "周○○委員（開放文化基金會執行長）",
        "副本：無",
    ] {
        let found = letter[at..].find(want).unwrap_or_else(|| panic!("「{want}」 missing or out of order:\n{letter}"));
        at += found + want.len();
    }
    // The notice is reprinted as it was sent: the old date, time and place.
    let sent = squash(&pdf_text(&out.join("notice.pdf")));
    assert!(sent.contains("開會時間：113年4月29日（星期一）下午2時30分"), "{sent}");
    assert!(sent.contains("開會地點：行政院第9會議室"), "{sent}");
    assert!(sent.contains("113年4月22日（星期一）前"), "{sent}");
    assert!(
        odt_xml(&out.join("notice-change.odt"))
            .contains("主旨：「政府資料開放諮詢小組」113 年第 1 次會議改期並變更開會地點")
    );
    // The invitation: the same event, a later revision, at the new time and place.
    let cal = parse_ics(&out.join("meeting.ics"));
    let m = event(&cal, "-meeting@packet");
    assert_eq!(m["uid"], uid_before);
    assert_eq!(m["start"]["iso"], "2024-05-06T10:00:00+08:00");
    assert_eq!(m["location"], "行政院第 8 會議室");
    assert!(std::fs::read_to_string(out.join("meeting.ics")).unwrap().contains("\r\nSEQUENCE:1\r\n"));
}

#[test]
fn a_change_that_changes_nothing_is_refused_and_nothing_is_written() {
    let series = example_series();
    let s = series.path();
    moved_meeting(s, "date = 2024-05-06\ntime = \"10:00\"\nplace = \"行政院第 8 會議室\"\n");
    let (o, out) = notice(s, "dgbas/113-1", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("meeting.toml:") && err.contains("notice.change: 未記載任何變更"), "{err}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_meeting_without_a_time_is_noticed_as_such_and_invited_for_the_day() {
    let series = example_series();
    let s = series.path();
    edit_file(s, "dgbas/113-1/meeting.toml", "time = \"14:30\"", "time = \"未記錄\"");
    let (o, out) = notice(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&out.join("notice.pdf")));
    assert!(text.contains("開會時間：113年4月29日（星期一）（時間未定）"), "{text}");
    let m = event(&parse_ics(&out.join("meeting.ics")), "-meeting@packet").clone();
    assert_eq!(m["start"]["iso"], "2024-04-29");
    assert_eq!(m["end"]["iso"], "2024-04-30");
}

/// LibreOffice's lines of page 1 of `pdf`, spaces removed, blank lines dropped.
fn lo_lines(pdf: &Path) -> Vec<String> {
    pdf_page_text(pdf, 1).lines().map(|l| l.split_whitespace().collect::<String>()).filter(|l| !l.is_empty()).collect()
}

/// The title's lines as LibreOffice sets them: the lines before 受文者, but the corner's
/// (檔　　號： may come out as 檔 and 號：).
fn lo_title(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .take_while(|l| !l.starts_with("受文者："))
        .filter(|l| !["檔", "號：", "檔號：", "保存年限："].contains(&l.as_str()))
        .cloned()
        .collect()
}

#[test]
fn notice_odt_is_one_page_in_libreoffice_as_its_pdf_with_names_whole_and_the_title_after_the_agency() {
    let series = example_series();
    let s = series.path();
    let (o, out) = notice(s, "dgbas/113-1", &["--odt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // An agency whose name and 開會通知單 do not fit a line at 20 pt.
    let long = "行政院原子能委員會核能研究所暨所屬各機關";
    edit_file(s, "dgbas/group.toml", "agency = \"行政院主計總處\"", &format!("agency = \"{long}\""));
    let o = packet(s, &["notice", "dgbas/113-1", "-q", "--odt", "-o", "long"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::copy(s.join("long/notice.odt"), out.join("notice-long.odt")).unwrap();
    let pdfs = crate::odf::libreoffice_pdfs(&[out.join("notice.odt"), out.join("notice-long.odt")]);
    assert_eq!(pdf_pages(&pdfs[0]), 1, "the example's notice runs over a page in LibreOffice");
    let lines = lo_lines(&pdfs[0]);
    assert_eq!(lo_title(&lines), ["行政院主計總處開會通知單"]);
    // 出席者 one name after another, each line ending after a 、 (no name split).
    let start = lines.iter().position(|l| l.starts_with("出席者：")).unwrap();
    let end = lines.iter().position(|l| l.starts_with("列席者：")).unwrap();
    let block = &lines[start..end];
    for (i, line) in block.iter().enumerate() {
        assert!(
            i + 1 == block.len() || line.ends_with('、'),
            "a name broken across lines: {line} / {:?}",
            block.get(i + 1)
        );
    }
    assert_eq!(block.concat().matches('、').count(), DGBAS_INVITED.len() - 1);
    assert!(block.last().unwrap().ends_with("周○○委員（開放文化基金會執行長）"), "{block:?}");
    // The long agency's title: the agency, then 開會通知單 (never 知單 alone).
    let long_lines = lo_lines(&pdfs[1]);
    assert_eq!(lo_title(&long_lines), [long, "開會通知單"]);
    // Below the corner (檔號, 保存年限), which it would run into beside it.
    let at = |word: &str| {
        let o = std::process::Command::new("pdftotext").arg("-bbox").arg(&pdfs[1]).arg("-").output().unwrap();
        let xml = String::from_utf8(o.stdout).unwrap();
        let line = xml.lines().find(|l| l.contains(&format!(">{word}<"))).unwrap_or_else(|| panic!("{word}: {xml}"));
        let y = line.split("yMin=\"").nth(1).unwrap().split('"').next().unwrap();
        y.parse::<f64>().unwrap()
    };
    assert!(at(long) > at("保存年限：") + 12.0, "the title beside the corner");
}
