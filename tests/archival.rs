//! Archival PDFs (issue 9), tested on the real files with poppler and qpdf:
//! PDF/A-2a + PDF/UA-1 claimed in the XMP, tagged, zh-TW, metadata from the packet,
//! bookmarks for sections, items and attachments (agenda and minutes), headings and
//! lists in the structure tree, byte-identical rebuilds anywhere, and rare characters
//! that either print or stop the build with a precise error.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Debian package fonts-cns11643-kai (TW-Kai, TW-Kai-Ext-B, TW-Kai-Plus).
const CNS_FONTS: &str = "/usr/share/fonts/truetype/cns11643";

/// 𡘙 (U+21619), CJK Extension B: in TW-Kai-Ext-B, not in the embedded TW-Kai.
const EXT_B: char = '\u{21619}';

/// Run `packet` in `cwd` with `SOURCE_DATE_EPOCH` set to `epoch` (or removed).
fn run(cwd: &Path, args: &[&str], epoch: Option<&str>) -> Output {
    let run = Run::new(args).cwd(cwd);
    match epoch {
        Some(e) => run.env("SOURCE_DATE_EPOCH", e),
        None => run.env_remove("SOURCE_DATE_EPOCH"),
    }
    .output()
}

/// Build `series/dgbas/113-1` (a copy of the example) into `series/out`.
fn build_in(series: &Path, extra: &[&str], epoch: Option<&str>) -> (Output, PathBuf) {
    let out = series.join("out");
    let mut args = vec!["build", "dgbas/113-1", "-q", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (run(series, &args, epoch), out.join("agenda.pdf"))
}

fn example_pdf() -> (tempfile::TempDir, PathBuf) {
    let series = example_series();
    let (o, pdf) = build_in(series.path(), &[], None);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    (series, pdf)
}

fn tool(name: &str, args: &[&str]) -> Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (apt-get install poppler-utils qpdf): {e}"))
}

fn stdout_of(name: &str, args: &[&str]) -> String {
    let o = tool(name, args);
    assert!(o.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The value of one `Key: value` line of pdfinfo.
fn info_field(info: &str, key: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("pdfinfo has no {key}:\n{info}"))
}

#[test]
fn pdf_is_tagged_and_claims_pdfa_2a_and_pdfua_1() {
    let (_s, pdf) = example_pdf();
    let info = pdf_info(&pdf);
    assert_eq!(info_field(&info, "Tagged"), "yes", "{info}");
    assert_eq!(info_field(&info, "PDF version"), "1.7", "{info}");
    let meta = pdf_xmp(&pdf);
    assert!(xmp_has(&meta, "pdfaid:part", "2"), "no pdfaid:part 2:\n{meta}");
    assert!(xmp_has(&meta, "pdfaid:conformance", "A"), "not level a:\n{meta}");
    assert!(xmp_has(&meta, "pdfuaid:part", "1"), "no pdfuaid:part 1:\n{meta}");
    assert!(meta.contains("「政府資料開放諮詢小組」113 年第 1 次會議 議程"), "title missing from XMP:\n{meta}");
    // Document language: Traditional Chinese as used in Taiwan.
    assert!(meta.contains("zh-TW"), "no zh-TW in XMP:\n{meta}");
}

#[test]
fn metadata_comes_from_the_packet() {
    let (_s, pdf) = example_pdf();
    let info = pdf_info(&pdf);
    assert_eq!(info_field(&info, "Title"), "「政府資料開放諮詢小組」113 年第 1 次會議 議程");
    assert_eq!(info_field(&info, "Author"), "行政院主計總處");
    let subject = info_field(&info, "Subject");
    assert!(squash(&subject).contains("113年4月29日") && squash(&subject).contains("行政院第9會議室"), "{subject}");
    let keywords = info_field(&info, "Keywords");
    assert!(keywords.contains("政府資料開放諮詢小組") && keywords.contains("議程"), "{keywords}");
    // The day the agenda comes into being, in Taiwan time, never the clock: 113-1 has no
    // [dates] materials_sent, so the materials' due date, the 5th working day before
    // the meeting of 2024-04-29 (04-26, 25, 24, 23, 22), never the meeting itself.
    assert_eq!(info_field(&info, "CreationDate"), "2024-04-22T00:00:00+08", "{info}");
}

#[test]
fn source_date_epoch_sets_the_creation_date() {
    let series = example_series();
    // 2024-05-01T00:00:00Z = 08:00 in Taipei.
    let (o, pdf) = build_in(series.path(), &[], Some("1714521600"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(info_field(&pdf_info(&pdf), "CreationDate"), "2024-05-01T08:00:00+08");
    let (o, _) = build_in(series.path(), &[], Some("tomorrow"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&o));
}

#[test]
fn qpdf_check_passes() {
    let (_s, pdf) = example_pdf();
    let o = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "qpdf --check: {out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

#[derive(Debug)]
struct Bookmark {
    title: String,
    page: u64,
    kids: Vec<Bookmark>,
}

fn bookmarks(pdf: &Path) -> Vec<Bookmark> {
    let json = stdout_of("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    fn convert(list: &serde_json::Value) -> Vec<Bookmark> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|o| Bookmark {
                title: o["title"].as_str().unwrap_or_default().to_string(),
                page: o["destpageposfrom1"].as_u64().unwrap_or(0),
                kids: convert(&o["kids"]),
            })
            .collect()
    }
    convert(&v["outlines"])
}

fn find<'a>(list: &'a [Bookmark], title: &str) -> &'a Bookmark {
    list.iter().find(|b| b.title == title).unwrap_or_else(|| panic!("no bookmark 「{title}」 among {list:#?}"))
}

#[test]
fn bookmarks_lead_to_every_section_item_and_attachment() {
    let (_s, pdf) = example_pdf();
    let tree = bookmarks(&pdf);
    let titles: Vec<&str> = tree.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles, ["「政府資料開放諮詢小組」113 年第 1 次會議 議程", "貳、報告事項", "參、討論事項"], "{tree:#?}");
    let cover = find(&tree, "「政府資料開放諮詢小組」113 年第 1 次會議 議程");
    assert_eq!(cover.page, 1);

    let reports = find(&tree, "貳、報告事項");
    let first = find(&reports.kids, "報告事項 第一案");
    assert_eq!(reports.page, first.page, "section bookmark not at its first item");
    let attachments: Vec<&str> = first.kids.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(
        attachments,
        [
            "附件1 行政院主計總處 政府資料開放諮詢小組運作機制",
            "附件2 政府資料開放諮詢小組設置要點",
            "附件3 行政院所屬二級機關政府資料開放諮詢小組運作指引",
        ],
        "{first:#?}"
    );
    find(&reports.kids, "報告事項 第二案");

    let discussions = find(&tree, "參、討論事項");
    assert_eq!(discussions.kids.len(), 2, "{discussions:#?}");
    let second = find(&discussions.kids, "討論事項 第二案");
    assert!(second.page > first.page);
    // The bookmark opens the page that starts the item.
    let page = squash(&pdf_page_text(&pdf, second.page as usize));
    assert!(page.starts_with("討論事項第二案"), "page {}: {page}", second.page);
    let delisting = find(&second.kids, "附件 下架資料集項目清單");
    let page = squash(&pdf_page_text(&pdf, delisting.page as usize));
    assert!(page.contains("下架資料集項目清單"), "{page}");
}

fn minutes_pdf() -> (tempfile::TempDir, PathBuf) {
    let series = example_series();
    let out = series.path().join("out");
    let o = run(series.path(), &["minutes", "dgbas/113-1", "-q", "-o", out.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    (series, out.join("minutes.pdf"))
}

#[test]
fn minutes_bookmarks_lead_to_every_section_and_item() {
    let (_s, pdf) = minutes_pdf();
    let tree = bookmarks(&pdf);
    let titles: Vec<&str> = tree.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "行政院主計總處「政府資料開放諮詢小組」113 年第 1 次會議紀錄",
            "壹、主席致詞",
            "貳、報告事項",
            "參、討論事項",
            "肆、臨時動議",
            "伍、散會",
        ],
        "{tree:#?}"
    );
    let kids = |section: &str| -> Vec<String> { find(&tree, section).kids.iter().map(|b| b.title.clone()).collect() };
    assert_eq!(
        kids("貳、報告事項"),
        [
            "一、本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。",
            "二、上次會議決定（議）事項辦理情形，報請鑒察。",
        ]
    );
    assert_eq!(
        kids("參、討論事項"),
        ["一、本總處 113 年 1 至 3 月資料開放推動情形，提請討論。", "二、本總處開放資料集下架一案，提請討論。",]
    );
    assert_eq!(kids("肆、臨時動議"), ["一、建議本總處開放資料集增列英文詮釋資料，提請討論。"]);
    for section in ["壹、主席致詞", "伍、散會"] {
        assert!(find(&tree, section).kids.is_empty(), "{tree:#?}");
    }
    // 討論事項 第二案 opens on the page where its 案由 is printed.
    let second = find(&find(&tree, "參、討論事項").kids, "二、本總處開放資料集下架一案，提請討論。");
    let page = squash(&pdf_page_text(&pdf, second.page as usize));
    assert!(page.contains("二、案由：本總處開放資料集下架一案"), "page {}: {page}", second.page);
    let end = find(&tree, "伍、散會");
    assert!(squash(&pdf_page_text(&pdf, end.page as usize)).contains("伍、散會：下午4時10分"));
}

/// One element of a tagged PDF's structure tree: its type (H1, L, LI, Lbl, …), its
/// title (/T) if any, and its child elements (marked content left out).
#[derive(Debug)]
struct Elem {
    role: String,
    title: String,
    kids: Vec<Elem>,
}

impl Elem {
    /// This element and all below it, in document order.
    fn all(&self) -> Vec<&Elem> {
        let mut v = vec![self];
        for k in &self.kids {
            v.extend(k.all());
        }
        v
    }

    fn count(&self, role: &str) -> usize {
        self.all().iter().filter(|e| e.role == role).count()
    }

    /// How many lists deep the deepest list in this element is nested.
    fn list_depth(&self) -> usize {
        let below = self.kids.iter().map(Elem::list_depth).max().unwrap_or(0);
        below + usize::from(self.role == "L")
    }
}

/// The structure tree (/StructTreeRoot) of a PDF, read with qpdf.
fn structure_tree(pdf: &Path) -> Elem {
    let json = stdout_of("qpdf", &["--json=2", "--json-key=qpdf", pdf.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let objects = &v["qpdf"][1];
    fn value<'a>(objects: &'a serde_json::Value, r: &serde_json::Value) -> &'a serde_json::Value {
        &objects[format!("obj:{}", r.as_str().unwrap_or_default())]["value"]
    }
    fn text(v: &serde_json::Value) -> String {
        let s = v.as_str().unwrap_or_default();
        s.strip_prefix("u:").or(s.strip_prefix('/')).unwrap_or(s).to_string()
    }
    fn elem(objects: &serde_json::Value, node: &serde_json::Value) -> Elem {
        let kids = match &node["/K"] {
            serde_json::Value::Array(a) => a.iter().collect(),
            k => vec![k],
        };
        Elem {
            role: text(&node["/S"]),
            title: text(&node["/T"]),
            kids: kids
                .into_iter()
                .filter(|k| k.is_string()) // references; numbers are marked content
                .map(|k| value(objects, k))
                .filter(|k| k.get("/S").is_some())
                .map(|k| elem(objects, k))
                .collect(),
        }
    }
    let root = value(objects, &objects["trailer"]["value"]["/Root"]);
    let tree = value(objects, &root["/StructTreeRoot"]);
    assert!(tree.is_object(), "no /StructTreeRoot in {}", pdf.display());
    elem(objects, tree)
}

/// The items (LI) of a list (L).
fn items(list: &Elem) -> Vec<&Elem> {
    list.kids.iter().filter(|k| k.role == "LI").collect()
}

/// Every list item has its marker (Lbl) and its text (LBody), in that order. A list
/// that ends an item follows the item inside the outer list (Typst tags nested lists
/// that way, as PDF 1.7 describes).
fn assert_well_formed_lists(tree: &Elem) {
    for l in tree.all().into_iter().filter(|e| e.role == "L") {
        assert!(!items(l).is_empty(), "list without items: {l:#?}");
        for k in &l.kids {
            let roles: Vec<&str> = k.kids.iter().map(|k| k.role.as_str()).collect();
            match k.role.as_str() {
                "LI" => assert_eq!(roles, ["Lbl", "LBody"], "{k:#?}"),
                "L" => {}
                other => panic!("{other} in a list: {l:#?}"),
            }
        }
    }
}

#[test]
fn agenda_numbered_points_are_tagged_lists() {
    let (_s, pdf) = example_pdf();
    let tree = structure_tree(&pdf);
    assert_well_formed_lists(&tree);
    let lists: Vec<&Elem> = tree.all().into_iter().filter(|e| e.role == "L").collect();
    let sizes: Vec<usize> = lists.iter().map(|l| items(l).len()).collect();
    // The cover's outline: 壹、…肆、, with the two items of 貳、 and of 參、 as lists.
    let outline = lists[0];
    let roles: Vec<&str> = outline.kids.iter().map(|k| k.role.as_str()).collect();
    assert_eq!(roles, ["LI", "LI", "L", "LI", "L", "LI"], "{sizes:?}");
    assert_eq!((sizes[1], sizes[2]), (2, 2), "{sizes:?}");
    // 說明 of 報告事項 第一案: Markdown `1.` `2.`, printed 一、二、.
    assert_eq!(sizes[3], 2, "{sizes:?}");
    // The regulation (附件2) pasted with its own markers: 一、…十五、 are one list, and
    // 二、 → （一） → 1. nest three lists deep.
    let regulation =
        lists.iter().find(|l| items(l).len() == 15).unwrap_or_else(|| panic!("no list of 15 points: {sizes:?}"));
    assert_eq!(regulation.list_depth(), 3);
    assert!(tree.count("LI") >= 100, "{sizes:?}");
}

#[test]
fn minutes_tag_sections_and_items_as_headings_and_points_as_lists() {
    let (_s, pdf) = minutes_pdf();
    let tree = structure_tree(&pdf);
    let headings: Vec<String> =
        tree.all().into_iter().filter(|e| e.role.starts_with('H')).map(|e| format!("{} {}", e.role, e.title)).collect();
    assert_eq!(
        headings,
        [
            "H1 行政院主計總處「政府資料開放諮詢小組」113 年第 1 次會議紀錄",
            "H1 壹、主席致詞",
            "H1 貳、報告事項",
            "H2 一、本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。",
            "H2 二、上次會議決定（議）事項辦理情形，報請鑒察。",
            "H1 參、討論事項",
            "H2 一、本總處 113 年 1 至 3 月資料開放推動情形，提請討論。",
            "H2 二、本總處開放資料集下架一案，提請討論。",
            "H1 肆、臨時動議",
            "H2 一、建議本總處開放資料集增列英文詮釋資料，提請討論。",
            "H1 伍、散會",
        ]
    );
    assert_well_formed_lists(&tree);
    // 發言要旨 (一)(二)… of each item that has opinions, and the decision
    // 1. 照案通過。 2. 請… of 討論事項 第二案.
    let sizes: Vec<usize> = tree.all().into_iter().filter(|e| e.role == "L").map(|l| items(l).len()).collect();
    assert_eq!(sizes, [1, 3, 2, 2, 1]);
}

#[test]
fn builds_in_different_directories_are_byte_identical() {
    // Two copies under different names and depths, built from different working
    // directories; SOURCE_DATE_EPOCH is removed so the test does not depend on the
    // environment it runs in.
    let a = example_series();
    let b = tempfile::tempdir().unwrap();
    let b_series = b.path().join("elsewhere/deeper");
    copy_tree(&root().join("packets/dgbas"), &b_series.join("dgbas"));

    let (o, first) = build_in(a.path(), &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = b.path().join("pdf");
    let meeting = b_series.join("dgbas/113-1");
    let o = run(b.path(), &["build", meeting.to_str().unwrap(), "-q", "-o", out.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let second = out.join("agenda.pdf");
    let (x, y) = (std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    assert!(x == y, "{} and {} differ", first.display(), second.display());

    // With SOURCE_DATE_EPOCH the date changes, and equal input still gives equal bytes.
    let (_, c) = build_in(a.path(), &[], Some("1714521600"));
    let c = std::fs::read(c).unwrap();
    let (_, d) = build_in(a.path(), &[], Some("1714521600"));
    assert_eq!(c, std::fs::read(d).unwrap());
    assert_ne!(c, x, "SOURCE_DATE_EPOCH did not reach the PDF");
}

#[test]
fn missing_glyph_names_the_character_the_file_and_the_field() {
    let series = example_series();
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "place = \"行政院第 9 會議室\"",
        &format!("place = \"行政院第 9 會議室（{EXT_B}廳）\""),
    );
    let (o, pdf) = build_in(series.path(), &[], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    // The check is validate::missing_glyph (the broken-inputs catalogue fixes its
    // wording); what matters here: file:line:col, the field, U+XXXXX and the remedy.
    assert!(
        err.contains("dgbas/113-1/meeting.toml:7:9: place: ")
            && err.contains(&format!("「{EXT_B}」(U+21619)"))
            && err.contains("--font-path")
            && err.contains("TW-Kai-Ext-B"),
        "{err}"
    );
    assert!(!pdf.exists(), "a PDF was written despite the missing glyph");
}

#[test]
fn missing_glyph_in_an_attachment_points_into_the_attachment() {
    let series = example_series();
    edit_file(
        series.path(),
        "dgbas/113-1/attachments/21-delisting.csv",
        "1,空氣污染排放帳",
        &format!("1,空氣污染排放帳{EXT_B}"),
    );
    let (o, _) = build_in(series.path(), &[], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("dgbas/113-1/attachments/21-delisting.csv:2:10: discussion[1].attachment[0].file: ")
            && err.contains("(U+21619)"),
        "{err}"
    );
}

#[test]
fn character_outside_every_font_is_refused_even_with_extension_b() {
    // U+3134A is in CJK Extension G, which no TW-Kai font has.
    let series = example_series();
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "place = \"行政院第 9 會議室\"",
        "place = \"行政院第 9 會議室\u{3134A}\"",
    );
    let font_path: Vec<&str> = if Path::new(CNS_FONTS).is_dir() { vec!["--font-path", CNS_FONTS] } else { vec![] };
    let (o, _) = build_in(series.path(), &font_path, None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("place: ") && err.contains("(U+3134A)"), "{err}");
    if !font_path.is_empty() {
        // The message lists the fonts that were searched.
        assert!(err.contains("TW-Kai-Ext-B"), "{err}");
    }
}

#[test]
fn extension_b_font_prints_rare_characters() {
    if !Path::new(CNS_FONTS).is_dir() {
        eprintln!("skipped: {CNS_FONTS} is absent (apt-get install fonts-cns11643-kai)");
        return;
    }
    let series = example_series();
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "place = \"行政院第 9 會議室\"",
        &format!("place = \"行政院第 9 會議室（{EXT_B}廳）\""),
    );
    let (o, pdf) = build_in(series.path(), &["--font-path", CNS_FONTS], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains(&format!("地點：行政院第9會議室（{EXT_B}廳）")), "{text}");
    let fonts = pdf_fonts(&pdf);
    assert!(fonts.iter().any(|(name, _, emb)| name.contains("TW-Kai-Ext-B") && *emb), "{fonts:?}");
    // Still archival: Typst would have refused a missing glyph under PDF/A.
    assert!(xmp_has(&pdf_xmp(&pdf), "pdfaid:part", "2"));
}

#[test]
fn unknown_body_font_is_a_clear_error() {
    let series = example_series();
    let (o, _) = build_in(series.path(), &["--font", "No Such Ming"], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--font: 找不到字型「No Such Ming」；請用 --font-path 指定字型目錄"), "{err}");
}

#[test]
fn another_body_font_is_used_and_kai_fills_in() {
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu");
    if !dejavu.join("DejaVuSans.ttf").is_file() {
        eprintln!("skipped: no DejaVu fonts in {}", dejavu.display());
        return;
    }
    let series = example_series();
    let (o, pdf) = build_in(series.path(), &["--font", "DejaVu Sans", "--font-path", dejavu.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let fonts = pdf_fonts(&pdf);
    assert!(fonts.iter().any(|(n, _, _)| n.contains("DejaVuSans")), "{fonts:?}");
    assert!(fonts.iter().any(|(n, _, _)| n.contains("TW-Kai")), "{fonts:?}");
}

#[test]
fn minutes_are_archival_too() {
    let (_s, pdf) = minutes_pdf();
    let info = pdf_info(&pdf);
    assert_eq!(info_field(&info, "Tagged"), "yes", "{info}");
    let meta = pdf_xmp(&pdf);
    assert!(xmp_has(&meta, "pdfaid:part", "2"), "{meta}");
    assert!(xmp_has(&meta, "pdfuaid:part", "1"), "{meta}");
    assert!(meta.contains("zh-TW"), "{meta}");
}

#[test]
fn image_attachment_carries_alternative_text() {
    // PDF/A-2a and PDF/UA-1 refuse an image without alternative text: the build
    // succeeding shows the attachment's label and title became its /Alt.
    let series = example_series();
    std::fs::write(
        series.path().join("dgbas/113-1/attachments/chart.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect x="10" y="10" width="80" height="80" fill="#3060a0"/><rect x="110" y="40" width="80" height="50" fill="#a03030"/></svg>"##,
    )
    .unwrap();
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "file = \"attachments/21-delisting.csv\"",
        "file = \"attachments/chart.svg\"",
    );
    let (o, pdf) = build_in(series.path(), &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = pdf_xmp(&pdf);
    assert!(xmp_has(&meta, "pdfaid:part", "2") && xmp_has(&meta, "pdfuaid:part", "1"));
    let tree = bookmarks(&pdf);
    let second = find(&find(&tree, "參、討論事項").kids, "討論事項 第二案");
    find(&second.kids, "附件 下架資料集項目清單");
}

/// `page` (PyPI `page-validation`): an independent PDF/A-1…3 and PDF/UA-1 validator
/// that passes the veraPDF and Isartor test corpora. `.ci/run` installs it.
const PAGE_CHECK: &str = r#"
import sys, page
P = page.ValidationProfile
failed = False
for path in sys.argv[1:]:
    for profile in (P.PDF_A_2A, P.PDF_UA_1):
        r = page.validate_pdf(path, profile=profile)
        print(f"{path}: {profile}: compliant={r.is_compliant} rules {r.rules.passed}/{r.rules.total}")
        for f in r.failures:
            print(f"  {f.rule_id}: {f.message}")
        failed |= not r.is_compliant
sys.exit(1 if failed else 0)
"#;

#[test]
fn independent_validator_confirms_pdfa_2a_and_pdfua_1() {
    let probe = Command::new("python3").args(["-c", "import page"]).output();
    if !matches!(&probe, Ok(o) if o.status.success()) {
        eprintln!("skipped: the validator is absent (pip install page-validation)");
        return;
    }
    let (series, agenda) = example_pdf();
    let out = series.path().join("out");
    let o = run(series.path(), &["minutes", "dgbas/113-1", "-q", "-o", out.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let minutes = out.join("minutes.pdf");
    let o = Command::new("python3")
        .args(["-c", PAGE_CHECK, agenda.to_str().unwrap(), minutes.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    eprintln!("{report}");
    assert!(o.status.success(), "not conformant:\n{report}{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn typst_standard_violations_are_our_diagnostics() {
    use packet::typeset::compile::{self, PdfProfile, PdfSettings};
    use packet::typeset::fonts::FontSet;
    use packet::typeset::world::PacketWorld;
    use std::sync::Arc;

    let fonts = Arc::new(FontSet::load(&[]).unwrap());
    let created = chrono::NaiveDate::from_ymd_opt(2024, 4, 29).unwrap().and_hms_opt(14, 30, 0).unwrap();
    // PDF/UA-1: headings start at level 1. The second line is the offending one.
    let source = "#set document(title: \"t\")\n#set text(lang: \"zh\", region: \"tw\")\n#heading(level: 3)[說明]\n";
    let world = PacketWorld::new(fonts.clone(), "agenda.typ", source.into(), None);
    let settings = PdfSettings { ident: "test".into(), created, profile: PdfProfile::A2aUa1 };
    let err = compile::compile_with(&world, &settings).err().expect("refused").to_string();
    assert!(
        err.starts_with("agenda.typ:3:")
            && err.contains("typst: 排版失敗（PDF/A-2a、PDF/UA-1 檢查）：")
            && err.contains("heading"),
        "{err}"
    );
    // The same source without a standard compiles.
    let plain = PdfSettings { profile: PdfProfile::Plain, ..settings };
    assert!(compile::compile_with(&world, &plain).is_ok());
}
