//! The agenda packet, tested on the real PDF that `packet build` writes.

use crate::common::*;
use std::path::Path;

/// The example meeting's agenda, built once for the tests that only read it.
fn example_agenda() -> &'static Path {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let out = shared_dir("agenda");
        let o = packet(&root(), &["build", "packets/dgbas/113-1", "-q", "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "build failed: {}", stderr(&o));
        out.join("agenda.pdf")
    })
}

/// Build the example meeting into a temp dir; returns (tempdir, pdf path).
fn build_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let o = packet(&root(), &["build", "packets/dgbas/113-1", "-q", "-o", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let pdf = out.path().join("agenda.pdf");
    (out, pdf)
}

#[test]
fn example_reproduces_seed_001_wording() {
    let pdf = example_agenda();
    let seed = std::fs::read_to_string(root().join("tests/fixtures/seed-001.txt")).unwrap();
    let seed_chars = word_chars(&seed);
    let pdf_chars = word_chars(&pdf_text(pdf));
    let common = lcs_len(&seed_chars, &pdf_chars);
    let fidelity = common as f64 / seed_chars.len() as f64;
    eprintln!("fidelity: {common}/{} = {fidelity:.4}", seed_chars.len());
    assert!(fidelity >= 0.95, "fidelity {fidelity:.4} below 0.95");
    // In content-stream order (each table cell's text together): 0.995 when measured.
    let raw_chars = word_chars(&pdf_text_raw(pdf));
    let raw = lcs_len(&seed_chars, &raw_chars) as f64 / seed_chars.len() as f64;
    eprintln!("fidelity (pdftotext -raw): {raw:.4}");
    assert!(raw >= 0.99, "fidelity (pdftotext -raw) {raw:.4} below 0.99");
}

#[test]
fn text_layer_follows_the_packet_order() {
    let pdf = example_agenda();
    let text = squash(&pdf_text(pdf));
    let milestones = [
        "行政院主計總處",
        "「政府資料開放諮詢小組」113年第1次會議議程",
        "時間：113年4月29日（星期一）下午2時30分",
        "地點：行政院第9會議室",
        "壹、主席致詞",
        "貳、報告事項",
        "參、討論事項",
        "肆、臨時動議",
        "報告事項第一案",
        "報告單位：主計資訊處",
        "說明：一、本次會議係本總處",
        "決定：",
        "政府資料開放諮詢小組設置要點",
        "十五、各級諮詢小組不對外行文",
        "行政院所屬二級機關政府資料開放諮詢小組運作指引",
        "報告事項第二案",
        "上次會議決定（議）事項辦理情形",
        "暫緩執行。",
        "討論事項第一案",
        "(一)年度預計開放項目：",
        "決議：",
        "主計總處113年預定開放資料集清單",
        "服務業生產者物價基本分類指數",
        "討論事項第二案",
        "提案單位：地方統計推展中心",
        "下架資料集項目清單",
        "地下水實物資產帳",
    ];
    let mut at = 0;
    for m in milestones {
        match text[at..].find(m) {
            Some(i) => at += i + m.len(),
            None => panic!("「{m}」 missing or out of order after byte {at}"),
        }
    }
}

#[test]
fn every_font_is_embedded_tw_kai_or_its_latin_face() {
    let pdf = example_agenda();
    let fonts = pdf_fonts(pdf);
    assert!(fonts.iter().any(|(name, _, _)| name.contains("TW-Kai")));
    for (name, kind, embedded) in &fonts {
        assert!(embedded, "font {name} not embedded");
        assert!(name.contains("TW-Kai") || name.contains("LiberationSerif"), "unexpected font {name} ({kind})");
        // Subset fonts carry a six-letter tag: ABCDEF+Name.
        assert_eq!(name.find('+'), Some(6), "font {name} is not a subset");
    }
}

#[test]
fn page_numbers_count_every_page() {
    let pdf = example_agenda();
    let pages = pdf_pages(pdf);
    assert!(pages >= 15, "only {pages} pages");
    for page in [1, pages / 2, pages] {
        let text = squash(&pdf_page_text(pdf, page));
        let footer = format!("第{page}頁，共{pages}頁");
        assert!(text.contains(&footer), "page {page} lacks 「{footer}」: {text}");
    }
}

#[test]
fn merged_cells_print_once() {
    let pdf = example_agenda();
    // Raw order keeps each cell's (wrapped) text together.
    let text = squash(&pdf_text_raw(pdf));
    assert_eq!(text.matches("檢測範圍內（104年2月1日後上架）").count(), 1);
    assert_eq!(text.matches("已不再公告").count(), 1);
    assert_eq!(text.matches("本項業務自113年起移由相關部會辦理").count(), 1);
    // Each quality-table column header is present.
    for h in ["因上架時間排除", "無標章", "銅標章", "銀標章", "金標章", "白金標章"] {
        assert!(text.contains(h), "{h}");
    }
}

#[test]
fn long_tables_repeat_their_header_on_every_page() {
    let pdf = example_agenda();
    let pages = pdf_pages(pdf);
    // The 26-row dataset list spans two pages: both start with its header row.
    let with_rows: Vec<usize> = (1..=pages)
        .filter(|&p| {
            let t = squash(&pdf_page_text(pdf, p));
            t.contains("公務預算處") && t.contains("11304") || t.contains("服務業生產者物價基本分類指數")
        })
        .collect();
    assert!(with_rows.len() >= 2, "dataset table on pages {with_rows:?}");
    for p in with_rows {
        let t = squash(&pdf_page_text(pdf, p));
        assert!(t.contains("序號資料集項目名稱"), "page {p} lacks the header row: {t}");
    }
}

#[test]
fn typst_flag_writes_a_compilable_source() {
    let out = tempfile::tempdir().unwrap();
    let o = packet(
        &root(),
        &["build", "packets/dgbas/113-1/meeting.toml", "--typst", "-q", "-o", out.path().to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let typ = std::fs::read_to_string(out.path().join("agenda.typ")).unwrap();
    assert!(typ.contains("lang: \"zh\", region: \"tw\""));
    // One page setup for every document, in the preamble, applied to the whole source.
    assert!(typ.contains("set page(") && typ.contains("#show: packet-page.with("));
    assert!(out.path().join("agenda.pdf").is_file());
}

#[test]
fn rebuild_is_byte_identical() {
    let (_a, first) = build_example();
    let (_b, second) = build_example();
    assert_eq!(std::fs::read(first).unwrap(), std::fs::read(second).unwrap());
}

#[test]
fn default_output_directory_is_named_after_series_and_meeting() {
    let series = example_series();
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(series.path().join("out/dgbas-113-1/agenda.pdf").is_file());
}

#[test]
fn schema_describes_both_files() {
    let o = packet(&root(), &["schema"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let meeting = &v["meeting.toml"];
    assert!(meeting["properties"]["report"].is_object(), "{meeting}");
    assert!(v["group.toml"]["properties"]["member"].is_object());
    assert_eq!(meeting["additionalProperties"], serde_json::json!(false));
}

#[test]
fn help_is_bilingual() {
    let o = packet(&root(), &["--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("產生議程") && text.contains("build"), "{text}");
}

/// The left edge and text of every line of the PDF (`pdftotext -bbox`: Chinese text
/// without spaces is one "word" per line), in reading order.
fn line_starts(pdf: &Path) -> Vec<(f64, String)> {
    let o = std::process::Command::new("pdftotext")
        .args(["-bbox", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("<word xMin=\"")?;
            let (x, rest) = l.split_once('"')?;
            let text = rest.split_once('>')?.1.strip_suffix("</word>")?;
            Some((x.parse().ok()?, text.to_string()))
        })
        .collect()
}

#[test]
fn points_hang_under_their_parents_text_with_whole_brackets() {
    // 附件2 pastes a regulation with its own markers: 二、 → （一） → 1.; the attachment
    // text is 14 pt.
    let pdf = example_agenda();
    let lines = line_starts(pdf);
    let x = |start: &str| -> f64 {
        lines.iter().find(|(_, t)| t.starts_with(start)).unwrap_or_else(|| panic!("no line starts with 「{start}」")).0
    };
    let em = 14.0;
    let close = |a: f64, b: f64| (a - b).abs() < 0.1;
    // 三、 at the margin, its （一） under its text, 2 em in.
    let san = x("三、各級諮詢小組運作架構如下：");
    let sub = x("（一）行政院諮詢小組：置召集人一人");
    assert!(close(sub - san, 2.0 * em), "（一） at {sub}, 三、 at {san}");
    // The later lines of （一） hang under its text: 3 em in, the brackets whole (a
    // trimmed （ or ） would make it narrower).
    let text = x("員八人至十一人");
    assert!(close(text - sub, 3.0 * em), "text at {text}, （一） at {sub}");
    // A point under （一） starts where the text of （一） does.
    assert!(close(x("1.機關代表：由數位發展部"), text), "1. not under the text of （一）");
    assert!(close(x("1.擬訂資料開放推動政策"), text), "1. not under the text of （一）");
    // Markers of different widths in one list: 十一、's text hangs 3 em in, 十、's 2 em.
    let margin = x("十、中央二級機關諮詢小組應按開會頻率");
    assert!(close(san, margin));
    let second_line =
        |start: &str| -> f64 { lines.iter().skip_while(|(_, t)| !t.starts_with(start)).nth(1).unwrap().0 };
    assert!(close(second_line("十、中央二級機關") - margin, 2.0 * em));
    assert!(close(x("十三、中央二級機關於本要點生效前"), margin));
    assert!(close(second_line("十三、中央二級機關於本要點生效前") - margin, 3.0 * em));
}
