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
