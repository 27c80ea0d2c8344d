//! The sign-in sheet (簽到表), read from the real PDF and ODT.

use crate::common::*;
use std::path::{Path, PathBuf};

fn signin(dir: &Path, meeting: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let out = dir.join("out");
    let mut args = vec!["signin", meeting, "-q", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (packet(dir, &args), out)
}

fn shared_signin() -> &'static Path {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let series = shared_dir("signin");
        copy_tree(&root().join("packets/dgbas"), &series.join("dgbas"));
        let (o, out) = signin(&series, "dgbas/113-1", &["--odt"]);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    })
}

/// The DGBAS roster in its order (the chair, 陳○○, is first in it too).
const DGBAS: &[&str] =
    &["陳○○（召集人）", "林○○", "黃○○", "張○○", "吳○○", "蔡○○", "楊○○", "許○○", "鄭○○", "郭○○", "謝○○", "賴○○", "周○○"];

fn in_order(text: &str, wanted: &[&str]) {
    let mut at = 0;
    for want in wanted {
        let found = text[at..].find(want).unwrap_or_else(|| panic!("「{want}」 missing or out of order:\n{text}"));
        at += found + want.len();
    }
}

#[test]
fn signin_lists_every_member_in_roster_order_on_one_page() {
    let pdf = shared_signin().join("signin.pdf");
    assert_eq!(pdf_pages(&pdf), 1);
    // Raw order: each row's cells together, rows top to bottom.
    let text = squash(&pdf_text_raw(&pdf));
    in_order(&text, &["「政府資料開放諮詢小組」113年第1次會議簽到表", "時間：113年4月29日（星期一）下午2時30分"]);
    in_order(&text, &["出席委員", "姓名", "服務機關", "職稱", "簽名", "代理出席者簽名"]);
    in_order(&text, DGBAS);
    in_order(&text, &["陳○○（召集人）行政院主計總處主計總處資訊長", "鄭○○國立臺灣大學資訊管理學系教授"]);
    in_order(&text, &["周○○", "列席", "單位及職稱", "工作人員", "主計資訊處李○○"]);
    // The delegate column is closed (—) for each of the five civil members.
    assert_eq!(text.matches('—').count(), 5, "{text}");
}

#[test]
fn signin_puts_the_chair_first() {
    let series = example_series();
    let s = series.path();
    edit_file(s, "dgbas/113-1/meeting.toml", "chair = \"chen\"", "chair = \"kuo\"");
    let (o, out) = signin(s, "dgbas/113-1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text_raw(&out.join("signin.pdf")));
    in_order(&text, &["代理出席者簽名", "郭○○", "陳○○（召集人）", "林○○", "謝○○"]);
}

#[test]
fn signin_is_archival_and_its_odt_holds_the_same_sheet() {
    let out = shared_signin();
    let meta = pdf_xmp(&out.join("signin.pdf"));
    assert!(xmp_has(&meta, "pdfaid:part", "2"), "{meta}");
    assert!(xmp_has(&meta, "pdfuaid:part", "1"), "{meta}");
    let xml = odt_xml(&out.join("signin.odt"));
    // 代理出席者 over 簽名 in its header, as the PDF's.
    in_order(&xml, &["簽到表", "出席委員", "代理出席者<text:line-break/>簽名"]);
    in_order(&xml, DGBAS);
    in_order(&xml, &["周○○", "列席", "工作人員", "主計資訊處 李○○"]);
    assert_eq!(xml.matches('—').count(), 5);
    // Rows as tall as the PDF's (its 0.62 cm strut and insets) to sign in.
    assert!(xml.contains("style:min-row-height=\"0.83cm\""));
}

#[test]
fn signin_of_the_demo_group_names_its_roles() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &dir.path().join("demo"));
    let (o, out) = signin(dir.path(), "demo/8", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join("signin.pdf");
    assert_eq!(pdf_pages(&pdf), 1);
    let text = squash(&pdf_text_raw(&pdf));
    // 胡○○ is 副召集人 and 主任秘書 from 2024-07-01 on: meeting 8 (2024-09-10) sees it.
    assert!(text.contains("胡○○（副召集人）示範部主任秘書"), "{text}");
    assert!(text.contains("示範部資料開放諮詢小組第8次會議簽到表"), "{text}");
}

#[test]
fn signin_prints_hostile_text_as_text() {
    let series = example_series();
    let s = series.path();
    let hostile = r#"#set page(width: 1pt) $x$ */ \ <b>"#;
    edit_file(
        s,
        "dgbas/113-1/meeting.toml",
        "chair = \"chen\"\n",
        &format!("chair = \"chen\"\n\n[notice]\nobservers = ['{hostile}']\n"),
    );
    let (o, out) = signin(s, "dgbas/113-1", &["--odt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join("signin.pdf");
    assert_eq!(pdf_pages(&pdf), 1);
    assert!(squash(&pdf_text_raw(&pdf)).contains(&squash(hostile)));
    assert!(odt_xml(&out.join("signin.odt")).contains(r"*/ \ &lt;b&gt;"));
}

#[test]
fn libreoffice_opens_the_notice_and_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let series = dir.path().join("s");
    copy_tree(&root().join("packets/dgbas"), &series.join("dgbas"));
    let o = packet(&series, &["notice", "dgbas/113-1", "-q", "--odt", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = packet(&series, &["signin", "dgbas/113-1", "-q", "--odt", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = series.join("out");
    let pdfs = crate::odf::libreoffice_pdfs(&[out.join("notice.odt"), out.join("signin.odt")]);
    let notice = squash(&pdf_text_raw(&pdfs[0]));
    in_order(
        &notice,
        &[
            "行政院主計總處開會通知單",
            "受文者：",
            "開會事由：召開",
            "出席者：陳○○召集人（主計總處資訊長）",
            "周○○委員",
            "備註：",
        ],
    );
    let sheet = squash(&pdf_text_raw(&pdfs[1]));
    in_order(&sheet, &["簽到表", "代理出席者", "簽名"]);
    in_order(&sheet, DGBAS);
    in_order(&sheet, &["周○○", "列席", "工作人員", "主計資訊處李○○"]);
}

#[test]
fn signin_odt_is_one_page_in_libreoffice_as_its_pdf_its_title_broken_after_the_agency() {
    let dir = tempfile::tempdir().unwrap();
    let odt = dir.path().join("signin.odt");
    std::fs::copy(shared_signin().join("signin.odt"), &odt).unwrap();
    let pdf = &crate::odf::libreoffice_pdfs(&[odt])[0];
    assert_eq!(pdf_pages(pdf), 1, "the example's sheet runs over a page in LibreOffice");
    let lines: Vec<String> = pdf_page_text(pdf, 1)
        .lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .filter(|l| !l.is_empty())
        .collect();
    // The agency on its line, as on the agenda's cover; the rest (too long for a line at
    // 20 pt in Writer) after the group's name, never 表 alone.
    let title: Vec<&str> = lines.iter().map(String::as_str).take_while(|l| !l.starts_with("時間：")).collect();
    assert_eq!(title, ["行政院主計總處", "「政府資料開放諮詢小組」", "113年第1次會議簽到表"]);
    // 時間 and 地點 each on a line, as the PDF; the chair's name whole in its column.
    assert!(lines.iter().any(|l| l.starts_with("地點：行政院第9會議室")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("陳○○（召集人）")), "the chair's name broken: {lines:?}");
}
