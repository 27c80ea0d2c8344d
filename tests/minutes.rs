//! The minutes (會議紀錄), tested on the real PDFs.

use crate::common::*;
use std::path::{Path, PathBuf};

fn minutes(dir: &Path, meeting: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let out = dir.join("out");
    let mut args = vec!["minutes", meeting, "-q", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (packet(dir, &args), out)
}

/// The example meeting's public minutes, built once for the tests that only read them.
fn shared_minutes() -> &'static Path {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let series = shared_dir("minutes");
        copy_tree(&root().join("packets/dgbas"), &series.join("dgbas"));
        let (o, out) = minutes(&series, "dgbas/113-1", &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    })
}

fn example_minutes(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let series = example_series();
    let (o, out) = minutes(series.path(), "dgbas/113-1", extra);
    assert!(o.status.success(), "{}", stderr(&o));
    (series, out)
}

#[test]
fn header_lists_attendance_by_member() {
    let out = shared_minutes();
    let text = squash(&pdf_text(&out.join("minutes.pdf")));
    for want in [
        "「政府資料開放諮詢小組」113年第1次會議紀錄",
        "時間：113年4月29日（星期一）下午2時30分",
        "地點：行政院第9會議室",
        "主席：陳○○召集人",
        "紀錄：李○○",
        "出席者：陳○○召集人、林○○委員、黃○○委員（李○○代）",
        "吳○○委員（何○○代）",
        "列席者：主計資訊處王○○科長",
        "請假者：許○○委員、賴○○委員",
        "逐字紀錄：https://hackmd.io/@dgbas-opendata/113-1",
        "壹、主席致詞：略",
        "貳、報告事項",
        "決定：洽悉。",
        "參、討論事項",
        "肆、臨時動議",
        "建議本總處開放資料集增列英文詮釋資料",
        "伍、散會：下午4時10分",
    ] {
        assert!(text.contains(want), "「{want}」 missing:\n{text}");
    }
    assert!(!text.contains("記錄"), "紀錄, never 記錄");
}

#[test]
fn anonymous_member_speaks_as_weiyuan_jia_in_both_items() {
    let out = shared_minutes();
    let text = squash(&pdf_text(&out.join("minutes.pdf")));
    assert!(text.contains("委員甲：下載次數前10名"), "{text}");
    assert!(text.contains("委員甲：同意下架"), "{text}");
    assert!(!text.contains("郭○○委員："), "the 不記名 member is named: {text}");
    // Attendance still names the member.
    assert!(text.contains("郭○○委員"));
}

#[test]
fn private_opinions_are_only_in_the_internal_edition() {
    let out = shared_minutes();
    let public = squash(&pdf_text(&out.join("minutes.pdf")));
    assert!(!public.contains("白金標章資料集的抽查方式"), "不公開 text in the public edition");
    assert!(!public.contains("謝○○委員："), "不公開 speaker named in the public edition");
    assert!(!public.contains("不公開"), "a placeholder reveals the 不公開 opinion");

    let (_s2, out2) = example_minutes(&["--internal"]);
    let pdf = out2.join("minutes-internal.pdf");
    let internal = squash(&pdf_text(&pdf));
    assert!(internal.contains("白金標章資料集的抽查方式建議再與國家發展委員會確認"), "{internal}");
    for page in 1..=pdf_pages(&pdf) {
        assert!(squash(&pdf_page_text(&pdf, page)).contains("內部"), "page {page} lacks 內部");
    }
}

#[test]
fn draft_is_marked_on_every_page_and_final_on_none() {
    let (_s, out) = example_minutes(&["--draft"]);
    let draft = out.join("minutes-draft.pdf");
    let pages = pdf_pages(&draft);
    assert!(pages >= 2);
    for page in 1..=pages {
        assert!(squash(&pdf_page_text(&draft, page)).contains("紀錄草稿"), "page {page}");
    }
    assert!(!out.join("minutes.pdf").exists(), "--draft must not write the final edition");

    let final_pdf = shared_minutes().join("minutes.pdf");
    for page in 1..=pdf_pages(&final_pdf) {
        assert!(!squash(&pdf_page_text(&final_pdf, page)).contains("草稿"), "page {page}");
    }
}

#[test]
fn missing_decision_gives_a_draft_never_a_final() {
    let series = example_series();
    let meeting = series.path().join("dgbas/113-1/meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(&meeting, text.replacen("\"\"\"\ndecision = \"照案通過。\"\n", "\"\"\"\n", 1)).unwrap();
    let (o, out) = minutes(series.path(), "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("meeting.toml:") && err.contains("discussion[0].decision: 尚未填寫決議"), "{err}");
    assert!(out.join("minutes-draft.pdf").is_file());
    assert!(!out.join("minutes.pdf").exists());
    let text = squash(&pdf_text(&out.join("minutes-draft.pdf")));
    assert!(text.contains("決議：（待填）"), "{text}");
}

#[test]
fn previous_meeting_decisions_print_verbatim() {
    let series = example_series();
    let (o, out) = minutes(series.path(), "dgbas/112-2", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&out.join("minutes.pdf")));
    for want in [
        "112年第2次會議紀錄",
        "運用大數據編算年薪中位數及分布統計，報請鑒察。",
        "決定：洽悉。",
        "決議：照案通過。",
        "1.照案通過。",
        "2.本案規劃內容請於公共政策網路參與平臺「眾開講」之政策討論辦理公眾諮詢，並提報行政院政府資料開放諮詢小組會議。",
    ] {
        assert!(text.contains(want), "「{want}」 missing:\n{text}");
    }
}

#[test]
fn delegate_for_a_civil_member_is_refused() {
    let series = example_series();
    let meeting = series.path().join("dgbas/113-1/meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(
        &meeting,
        text.replace("wu = \"何○○\"", "wu = \"何○○\"\nchou = \"錢○○\"")
            .replace("\"cheng\", \"kuo\", \"hsieh\", \"chou\"]", "\"cheng\", \"kuo\", \"hsieh\"]"),
    )
    .unwrap();
    let (o, out) = minutes(series.path(), "dgbas/113-1", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(
            "minutes.attendance.delegate.chou: 周○○委員為民間代表，應親自出席，不得由「錢○○」代理（設置要點第七點"
        ),
        "{err}"
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn unknown_member_id_names_file_line_and_nearest_ids() {
    let series = example_series();
    let text = std::fs::read_to_string(root().join("packets/dgbas/113-1/meeting.toml")).unwrap();
    edit_file(series.path(), "dgbas/113-1/meeting.toml", "leave = [\"lai\", \"hsu\"]", "leave = [\"lia\", \"hsu\"]");
    let (o, _) = minutes(series.path(), "dgbas/113-1", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let line = text.lines().position(|l| l.starts_with("leave = [\"lai\"")).unwrap() + 1;
    assert!(
        err.contains(&format!(
            "meeting.toml:{line}:10: minutes.attendance.leave[0]: 委員代號「lia」不在委員名冊中（是否為 lai"
        )),
        "{err}"
    );
}

#[test]
fn decision_ids_are_stable_per_clause() {
    let packet = packet::model::Packet::load(&root().join("packets/dgbas/113-1")).unwrap();
    let items = packet::rules::proceedings::items(&packet);
    let ids: Vec<String> =
        items.iter().flat_map(|it| packet::rules::proceedings::decision_clauses(&packet, it)).map(|c| c.id).collect();
    assert_eq!(ids, ["113-1-R1-1", "113-1-R2-1", "113-1-D1-1", "113-1-D2-1", "113-1-D2-2", "113-1-M1-1"]);
}

#[test]
fn an_opening_of_several_paragraphs_hangs_under_its_heading() {
    // One paragraph continues the 壹、主席致詞： line (the example's 略); more than one
    // would not be a heading, so the heading line ends at the colon and they hang
    // under it, 2 em in.
    let series = example_series();
    let file = series.path().join("dgbas/113-1/meeting.toml");
    let toml = std::fs::read_to_string(&file).unwrap();
    let toml =
        toml.replacen("opening = \"略\"", "opening = \"\"\"\n感謝各位委員出席。\n\n1. 本次會議重點如下。\n\"\"\"", 1);
    std::fs::write(&file, toml).unwrap();
    let (o, out) = minutes(series.path(), "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join("minutes.pdf");
    // The page footer left out: 貳、報告事項 may start the next page with its first item.
    let text = squash(&pdf_text(&pdf)).replace("第1頁，共3頁", "");
    assert!(text.contains("壹、主席致詞：感謝各位委員出席。一、本次會議重點如下。貳、報告事項"), "{text}");
    let o = std::process::Command::new("pdftotext").args(["-bbox", pdf.to_str().unwrap(), "-"]).output().unwrap();
    let bbox = String::from_utf8_lossy(&o.stdout);
    let x = |word: &str| -> f64 {
        let line = bbox
            .lines()
            .find(|l| l.contains(&format!(">{word}</word>")))
            .unwrap_or_else(|| panic!("no line 「{word}」"));
        let v = line.split('"').nth(1).unwrap();
        v.parse().unwrap()
    };
    let margin = x("壹、主席致詞：");
    assert!((x("感謝各位委員出席。") - margin - 32.0).abs() < 0.1, "{bbox}");
    assert!((x("一、本次會議重點如下。") - margin - 32.0).abs() < 0.1, "{bbox}");
}

/// A decision that prints nothing keeps the minutes a draft.
#[test]
fn a_decision_that_prints_nothing_keeps_the_minutes_a_draft() {
    for decision in ["---", "&#32;", "1. 照案通過。\\n2. "] {
        let (dir, series) = crate::broken_inputs::baseline();
        edit_file(&series, "113-1/meeting.toml", "decision = \"洽悉。\"", &format!("decision = \"{decision}\""));
        let (o, out) = minutes(dir.path(), "dgbas/113-1", &[]);
        let err = stderr(&o);
        assert!(
            err.lines().any(|l| l.starts_with("dgbas/113-1/meeting.toml:12:12: report[0].decision: 尚未填寫決定")),
            "{decision}: {err}"
        );
        assert!(!out.join("minutes.pdf").exists(), "{decision}: a final edition was written");
    }
}

/// Spaces pasted from Word or the web print as spaces, not as the font's labelled
/// symbols for them (「NBSP」「THSP」…): the pages look exactly as with plain spaces, and
/// the text layer holds plain spaces.
#[test]
fn odd_spaces_print_as_spaces() {
    let spaces = ['\u{A0}', '\u{202F}', '\u{2009}', '\u{200A}', '\u{2007}', '\u{205F}', '\u{2002}', '\u{2003}'];
    let pages = |space: Option<char>| {
        let (dir, series) = crate::broken_inputs::baseline();
        let text: String = spaces.iter().map(|s| format!("甲{}乙", space.unwrap_or(*s))).collect::<Vec<_>>().join("，");
        edit_file(&series, "113-1/meeting.toml", "建議會議資料至遲於會前 5 個工作日寄送。", &text);
        let place = format!("place = \"行政院第{0}9{0}會議室\"", space.unwrap_or('\u{A0}'));
        edit_file(&series, "113-1/meeting.toml", "place = \"行政院第 9 會議室\"", &place);
        let (o, out) = minutes(dir.path(), "dgbas/113-1", &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = out.join("minutes.pdf");
        let png = dir.path().join("page");
        let r = std::process::Command::new("pdftoppm")
            .args(["-r", "40", "-png", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(&png)
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(r.success());
        let image = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("page"))
            .map(|e| std::fs::read(e.path()).unwrap())
            .unwrap();
        (image, pdf_text_raw(&pdf), dir)
    };
    let (odd, printed, _d1) = pages(None);
    let (plain, _, _d2) = pages(Some(' '));
    for s in spaces {
        assert!(!printed.contains(s), "U+{:04X} is in the text layer", s as u32);
    }
    assert!(printed.contains("甲 乙，甲 乙"), "{printed}");
    assert!(odd == plain, "page 1 with odd spaces differs from page 1 with plain spaces");
}

#[test]
fn an_empty_opinion_is_skipped_with_a_warning_and_a_half_filled_one_is_said_in_words() {
    let series = example_series();
    let dir = series.path();
    let before = "# ── 討論事項";
    // 新增意見 pressed and left: no speaker, no text, as the page writes it.
    edit_file(dir, "dgbas/113-1/meeting.toml", before, &format!("[[report.opinion]]\ntext = \"\"\n\n{before}"));
    let check = packet(dir, &["check", "dgbas/113-1"]);
    let said = String::from_utf8_lossy(&check.stdout).to_string();
    assert!(check.status.success(), "a warning, not a finding: {said}{}", stderr(&check));
    let line = said.lines().find(|l| l.contains("report[1].opinion[0]")).unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("報告事項第二案第 1 則意見是空的，印製時略過"), "{line}");
    assert!(line.starts_with("dgbas/113-1/meeting.toml:66:1:") && line.contains("警告："), "{line}");
    let (o, out) = minutes(dir, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("報告事項第二案第 1 則意見是空的"), "{}", stderr(&o));
    let text = squash(&pdf_text_raw(&out.join("minutes.pdf")));
    assert!(text.contains("上次會議決定（議）事項辦理情形"), "{text}");
    // Printed as if never added: as many 發言要旨 as the example's own minutes.
    let example = squash(&pdf_text_raw(&shared_minutes().join("minutes.pdf")));
    assert_eq!(text.matches("發言要旨").count(), example.matches("發言要旨").count(), "{text}");
    // Half filled (text, no speaker): stops the minutes, in words, at its line.
    edit_file(
        dir,
        "dgbas/113-1/meeting.toml",
        "[[report.opinion]]\ntext = \"\"",
        "[[report.opinion]]\ntext = \"請補充。\"",
    );
    let (o, _) = minutes(dir, "dgbas/113-1", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("報告事項第二案第 1 則意見沒有發言者：請選發言的委員，或填寫發言單位"), "{err}");
    assert!(!err.contains("member = ") && !err.contains("unit = "), "{err}");
    let check = packet(dir, &["check", "dgbas/113-1"]);
    assert!(String::from_utf8_lossy(&check.stdout).contains("意見沒有發言者"), "{}", stderr(&check));
}
