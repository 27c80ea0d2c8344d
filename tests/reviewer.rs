//! What a ministry reviewer sent back from the PDF edition (issue 29), tested on every
//! document of both example series: line positions from `pdftotext -bbox-layout`.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every example meeting.
const MEETINGS: [&str; 5] =
    ["packets/dgbas/112-2", "packets/dgbas/113-1", "packets/dgbas/113-2", "packets/demo/7", "packets/demo/8"];

/// Every example document, built once: (meeting, kind, path); kind is agenda, minutes or internal.
fn documents() -> &'static [(String, &'static str, PathBuf)] {
    static BUILT: std::sync::OnceLock<Vec<(String, &'static str, PathBuf)>> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let out = shared_dir("reviewer");
        let mut docs = Vec::new();
        for meeting in MEETINGS {
            let name = meeting.trim_start_matches("packets/").replace('/', "-");
            for (kind, args, file) in [
                ("agenda", &["build"][..], "agenda.pdf"),
                ("minutes", &["minutes"][..], "minutes.pdf"),
                ("internal", &["minutes", "--internal"][..], "minutes-internal.pdf"),
            ] {
                let dir = out.join(format!("{name}-{kind}"));
                let mut all: Vec<&str> = args.to_vec();
                all.extend([meeting, "-q", "--force", "-o", dir.to_str().unwrap()]);
                let o = packet(&root(), &all);
                assert!(o.status.success(), "{all:?}: {}", stderr(&o));
                docs.push((name.clone(), kind, dir.join(file)));
            }
        }
        docs
    })
}

fn document(name: &str, kind: &str) -> &'static Path {
    &documents().iter().find(|(n, k, _)| n == name && *k == kind).expect("an example document").2
}

/// One line of the text layer: page, box (its height is the type size), text (its words
/// joined without spaces).
#[derive(Debug, Clone)]
struct Line {
    page: usize,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 2;
    tag[at..].split('"').next().unwrap().parse().unwrap()
}

/// Every line of the PDF but the page footer (第 N 頁，共 M 頁), in reading order.
fn lines(pdf: &Path) -> Vec<Line> {
    let o = Command::new("pdftotext").args(["-bbox-layout", pdf.to_str().unwrap(), "-"]).output().expect("pdftotext");
    assert!(o.status.success());
    let xml = String::from_utf8_lossy(&o.stdout);
    let (mut out, mut page, mut current) = (Vec::new(), 0, None::<Line>);
    for raw in xml.lines() {
        let l = raw.trim();
        if l.starts_with("<page ") {
            page += 1;
        } else if l.starts_with("<line ") {
            let (x0, x1, y0, y1) = (attr(l, "xMin"), attr(l, "xMax"), attr(l, "yMin"), attr(l, "yMax"));
            current = Some(Line { page, x0, x1, y0, y1, text: String::new() });
        } else if l.starts_with("<word ") {
            let word = l.split_once('>').unwrap().1.strip_suffix("</word>").unwrap_or("");
            current.as_mut().expect("word inside a line").text.push_str(&word.replace("&amp;", "&"));
        } else if l.starts_with("</line>") {
            out.extend(current.take().filter(|c| !(c.text.starts_with('第') && c.text.contains("頁，共"))));
        }
    }
    out
}

/// `line` continues the paragraph of `prev`: just below it (less than 0.7 of a line
/// between), starting at or right of its left edge and within its width.
fn continues(prev: &Line, line: &Line) -> bool {
    let gap = line.y0 - prev.y1;
    prev.page == line.page
        && (0.0..0.7 * (line.y1 - line.y0)).contains(&gap)
        && prev.x0 - 1.0 <= line.x0
        && line.x0 < prev.x1
}

/// The lone last lines (at most two characters: 「之。」) and the references split from
/// their number (「如附件／2」) of a PDF, as `p3: 前一行／末行`.
fn runts(pdf: &Path) -> Vec<String> {
    let all = lines(pdf);
    let mut found = Vec::new();
    for line in &all {
        let Some(prev) = all.iter().filter(|p| continues(p, line)).max_by(|a, b| a.y1.total_cmp(&b.y1)) else {
            continue;
        };
        let split = ["附件", "附表", "附錄"].iter().any(|w| prev.text.ends_with(w))
            && line.text.starts_with(|c: char| c.is_ascii_digit());
        if line.text.chars().count() <= 2 || split {
            found.push(format!("p{}: {}／{}", line.page, prev.text, line.text));
        }
    }
    found
}

#[test]
fn minutes_title_breaks_after_the_agency() {
    // Was 「行政院主計總處「政府資料開放諮詢小組」113 年／第 1 次會議紀錄」.
    for (name, number) in [("dgbas-113-1", 1), ("dgbas-113-2", 2)] {
        let all = lines(document(name, "minutes"));
        assert_eq!(all[0].text, "行政院主計總處", "{name}: {:?}", &all[..2]);
        assert_eq!(all[1].text, format!("「政府資料開放諮詢小組」113年第{number}次會議紀錄"), "{name}");
        // Two centred lines of page 1, one under the other.
        let centre = |l: &Line| (l.x0 + l.x1) / 2.0;
        assert!(all[0].page == 1 && all[1].page == 1 && all[1].y0 > all[0].y1, "{name}: {:?}", &all[..2]);
        assert!((centre(&all[0]) - centre(&all[1])).abs() < 10.0, "{name}: not centred alike: {:?}", &all[..2]);
    }
    // The attendance lists fill their lines (no 陳○○召集人、 alone on the 出席者 line).
    let internal = lines(document("dgbas-113-1", "internal"));
    let present = internal.iter().find(|l| l.text.starts_with("出席者：")).expect("出席者");
    assert!(present.text.contains("林○○委員"), "{present:?}");
    // A title that fits one line stays on one (demo's 示範部…第 8 次會議紀錄).
    let demo = lines(document("demo-8", "minutes"));
    assert_eq!(demo[0].text, "示範部資料開放諮詢小組第8次會議紀錄", "{:?}", &demo[..2]);
}

#[test]
fn no_item_or_section_heading_ends_a_page() {
    for (name, kind, pdf) in documents().iter().filter(|d| d.1 != "agenda") {
        let all = lines(pdf);
        let pages = all.last().map_or(0, |l| l.page);
        for page in 1..pages {
            let on_page: Vec<&Line> = all.iter().filter(|l| l.page == page).collect();
            let last = on_page.last().expect("a page with text");
            // A section heading (貳、報告事項) with nothing under it.
            let bare_section = ["報告事項", "討論事項", "臨時動議"].iter().any(|s| last.text.ends_with(s));
            // An item's 案由 (and its own continuation lines) with nothing after it.
            let title = on_page.iter().rposition(|l| l.text.contains("、案由："));
            let bare_title = title.is_some_and(|t| on_page[t + 1..].iter().all(|l| l.x0 > on_page[t].x0 + 40.0));
            assert!(!bare_section && !bare_title, "{name} {kind}: p{page} ends with 「{}」", last.text);
        }
        // The last page holds more than the closing line (伍、散會).
        let last_page: Vec<&Line> = all.iter().filter(|l| l.page == pages).collect();
        assert!(last_page.len() > 1, "{name} {kind}: the last page holds only 「{}」", last_page[0].text);
    }
}

#[test]
fn no_paragraph_ends_in_a_lone_character() {
    // Before: 32 lone last lines and one 「如附件／2」 in the example documents
    // (`python3 bench/runts.py` over them counts the same).
    let mut all = Vec::new();
    for (name, kind, pdf) in documents() {
        all.extend(runts(pdf).into_iter().map(|r| format!("{name} {kind} {r}")));
    }
    assert!(all.is_empty(), "{} lone last lines:\n{}", all.len(), all.join("\n"));
}

#[test]
fn a_lone_point_is_not_numbered_and_an_empty_explanation_not_printed() {
    // 112-2 報告事項第一案: 說明 is one point (1. 112 年第 1 次會議決定…), printed without 一、.
    let text = squash(&pdf_text(document("dgbas-112-2", "agenda")));
    assert!(text.contains("說明：112年第1次會議決定"), "{text}");
    assert!(!text.contains("說明：一、112年"), "{text}");
    // demo 8 討論事項第一案 has no 說明: no empty 「說明：」 line.
    let pdf = document("demo-8", "agenda");
    let last = squash(&pdf_page_text(pdf, pdf_pages(pdf)));
    assert!(last.contains("案由：本部資料開放績效指標") && !last.contains("說明："), "{last}");
}

#[test]
fn tracking_table_titles_are_not_a_narrow_strip() {
    // 113-2's 辦理情形 table: its 案由 column held five characters a line under 一、, so
    // each 案由 ran four to seven lines (its widest line nine characters, digits counted).
    let all = lines(document("dgbas-113-2", "agenda"));
    let decision_x = all.iter().find(|l| l.text == "洽悉。").expect("the first decision cell").x0;
    let mut title_lines: Vec<&Line> =
        all.iter().filter(|l| (2..=3).contains(&l.page) && l.x1 < decision_x && l.text != "案由").collect();
    title_lines.sort_by(|a, b| (a.page, a.y0).partial_cmp(&(b.page, b.y0)).unwrap());
    let widest = title_lines.iter().map(|l| l.text.chars().count()).max().unwrap_or(0);
    assert!(widest >= 10, "widest 案由 line {widest} characters: {title_lines:#?}");
    // The longest 案由 (四十 characters) runs at most five lines.
    let start = title_lines.iter().position(|l| l.text.starts_with("一、政府資料開放平臺")).expect("the longest 案由");
    let runs = 1 + title_lines[start + 1..].iter().take_while(|l| l.x0 > title_lines[start].x0).count();
    assert!(runs <= 5, "the longest 案由 runs {runs} lines");
}

#[test]
fn data_tables_are_set_at_twelve_points() {
    // 附件2 and 附件3 of 113-1 were set at 10.5 pt to fit a portrait page, under
    // FORMAT.md's 12 pt floor: now at 12 pt, on a landscape page of their own.
    let pdf = document("dgbas-113-1", "agenda");
    let all = lines(pdf);
    for (cell, title) in
        [("103-06-19", "主計總處開放資料集累計下載次數前10名"), ("綜合規劃處", "主計總處開放資料集品質檢測統計表")]
    {
        let line = all.iter().find(|l| l.text.contains(cell)).unwrap_or_else(|| panic!("no 「{cell}」"));
        let size = line.y1 - line.y0;
        assert!(size >= 11.9, "{title}: 「{cell}」 set at {size:.1} pt");
        let info = Command::new("pdfinfo")
            .args(["-f", &line.page.to_string(), "-l", &line.page.to_string(), pdf.to_str().unwrap()])
            .output()
            .expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout);
        let size_line = info.lines().find(|l| l.starts_with(&format!("Page {:>4} size:", line.page)));
        assert!(size_line.is_some_and(|l| l.contains("841.89 x 595.2")), "{title}: not landscape: {info}");
        assert!(squash(&pdf_page_text(pdf, line.page)).contains(title), "{title} not on its table's page");
    }
}
