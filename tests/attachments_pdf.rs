//! PDF attachments in the archival packet (PDF/A-2a + PDF/UA-1): every page drawn as an
//! image with its own text (alternative text and an invisible layer), the packet's page
//! numbers running through, a bookmark per attachment; hostile PDFs refused at their
//! field before anything is drawn.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{example_series, packet, pdf_page_text, pdf_pages, pdf_text, squash, stderr};

/// A PDF written byte by byte: `pages` of (width, height, lines of ASCII text in
/// Helvetica, a standard font the file does not embed), with a correct cross-reference
/// table. `extra` is added to the catalog (`/Names …`, `/OpenAction …`).
pub fn simple_pdf(pages: &[(f32, f32, Vec<String>)], extra: &str) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let n = pages.len();
    // 1: catalog, 2: pages, 3: font, then a page and its content per page.
    objects.push(format!("<< /Type /Catalog /Pages 2 0 R {extra} >>"));
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into());
    for (i, (w, h, lines)) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        let mut content = String::from("BT /F1 24 Tf 1 0 0 1 60 0 Tm\n");
        for (k, line) in lines.iter().enumerate() {
            content.push_str(&format!("1 0 0 1 60 {} Tm ({line}) Tj\n", h - 80.0 - 40.0 * k as f32));
        }
        content.push_str("ET\n");
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()));
    }
    write_pdf(&objects.into_iter().map(String::into_bytes).collect::<Vec<_>>())
}

/// A PDF of `objects` (numbered from 1; object 1 the catalog), with a correct
/// cross-reference table.
pub fn write_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// Twelve landscape slides (16:9), each with its own words.
pub fn slides() -> Vec<u8> {
    let pages: Vec<(f32, f32, Vec<String>)> = (1..=12)
        .map(|i| (960.0, 540.0, vec![format!("Slide {i} Opendata roadmap"), format!("Milestone{i} dataset quality")]))
        .collect();
    simple_pdf(&pages, "")
}

/// Attach `file` (written with `bytes`) to the first report of dgbas/113-1 and build the
/// agenda with `extra` arguments; returns the series, the output and the PDF's path.
pub fn build_with_pdf(bytes: &[u8], extra: &[&str]) -> (tempfile::TempDir, std::process::Output, PathBuf) {
    let series = example_series();
    let dir = series.path().join("dgbas/113-1");
    std::fs::write(dir.join("attachments/slides.pdf"), bytes).unwrap();
    attach(&dir.join("meeting.toml"), "attachments/slides.pdf", "推動簡報");
    let mut args = vec!["build", "dgbas/113-1", "-q", "-o", "out"];
    args.extend_from_slice(extra);
    let o = packet(series.path(), &args);
    let pdf = series.path().join("out/agenda.pdf");
    (series, o, pdf)
}

/// Add an attachment `file` titled `title` as the last attachment of the first report
/// (附件4 of dgbas/113-1, whose first report has three).
pub fn attach(meeting: &Path, file: &str, title: &str) {
    let text = std::fs::read_to_string(meeting).unwrap();
    let first = text.find("[[report]]").expect("a report");
    let at = text[first + 1..].find("\n[[report]]").map(|p| first + 1 + p).expect("a second report");
    let text =
        format!("{}\n[[report.attachment]]\ntitle = \"{title}\"\nfile = \"{file}\"\n{}", &text[..at], &text[at..]);
    std::fs::write(meeting, text).unwrap();
}

/// The `page` validator's verdicts on PDF/A-2a and PDF/UA-1, or `None` when it is absent.
pub fn validator_failures(pdf: &Path) -> Option<Vec<String>> {
    let probe = Command::new("python3").args(["-c", "import page"]).output();
    if !matches!(&probe, Ok(o) if o.status.success()) {
        eprintln!("validator absent (pip install page-validation): not checked");
        return None;
    }
    let script = "import sys, page\nP = page.ValidationProfile\nfor p in (P.PDF_A_2A, P.PDF_UA_1):\n    r = page.validate_pdf(sys.argv[1], profile=p)\n    for f in r.failures: print(p, f.rule_id, f.message)\n";
    let o = Command::new("python3").args(["-c", script]).arg(pdf).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect())
}

/// Every `/Alt` text of the PDF's structure tree (qpdf's JSON decodes the strings).
fn alt_texts(pdf: &Path) -> Vec<String> {
    let o = Command::new("qpdf").args(["--json", "--json-key=qpdf"]).arg(pdf).output().expect("qpdf");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut out = Vec::new();
    for (_, obj) in v["qpdf"][1].as_object().unwrap() {
        if let Some(alt) = obj["value"]["/Alt"].as_str() {
            out.push(alt.trim_start_matches("u:").to_string());
        }
    }
    out
}

#[test]
fn twelve_slides_become_twelve_searchable_pages_of_the_archival_packet() {
    let (series, plain, _) = build_with_pdf(&slides(), &["--pdf-standard", "none"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let plain_pages = pdf_pages(&series.path().join("out/agenda.pdf"));

    let (_s, o, pdf) = build_with_pdf(&slides(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = pdf_pages(&pdf);
    // The same pages as when they are embedded: one packet page per slide.
    assert_eq!(pages, plain_pages);
    // Each slide's own words are on a page of its own, under the packet's running numbers.
    let first = (1..=pages).find(|&p| pdf_page_text(&pdf, p).contains("Slide 1 ")).expect("slide 1 is searchable");
    for i in 1..=12 {
        let text = pdf_page_text(&pdf, first + i - 1);
        assert!(text.contains(&format!("Slide {i} Opendata roadmap")), "page {}: {text}", first + i - 1);
        assert!(text.contains(&format!("Milestone{i} dataset quality")), "{text}");
        assert!(squash(&text).contains(&format!("第{}頁，共{pages}頁", first + i - 1)), "{text}");
    }
    // Landscape slides on landscape sheets.
    let info = Command::new("pdfinfo").args(["-f", &first.to_string(), "-l", &first.to_string()]).arg(&pdf).output();
    let info = String::from_utf8_lossy(&info.unwrap().stdout).to_string();
    assert!(info.contains("841.89 x 595.276"), "{info}");
    // A bookmark for the attachment, at its first page.
    let outlines = Command::new("qpdf").args(["--json", "--json-key=outlines"]).arg(&pdf).output().unwrap();
    let outlines = String::from_utf8_lossy(&outlines.stdout).to_string();
    assert!(outlines.contains("附件4 推動簡報"), "{outlines}");
    // Each page image's alternative text is the slide's own text.
    let alts = alt_texts(&pdf);
    for i in 1..=12 {
        assert!(
            alts.iter()
                .any(|a| a.contains(&format!("第 {i} 頁（共 12 頁）")) && a.contains(&format!("Slide {i} Opendata"))),
            "slide {i}: {alts:?}"
        );
    }
    if let Some(failures) = validator_failures(&pdf) {
        assert!(failures.is_empty(), "{failures:#?}");
    }
}

#[test]
fn a_pdf_of_chinese_text_is_searchable_in_the_packet() {
    // A real PDF with embedded CJK fonts: packet's own agenda of another meeting.
    let series = example_series();
    let o = packet(series.path(), &["build", "dgbas/112-2", "-q", "-o", "src"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let source = series.path().join("src/agenda.pdf");
    let dir = series.path().join("dgbas/113-1");
    std::fs::copy(&source, dir.join("attachments/earlier.pdf")).unwrap();
    attach(&dir.join("meeting.toml"), "attachments/earlier.pdf", "前次議程");
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text(&series.path().join("out/agenda.pdf")));
    for words in ["「政府資料開放諮詢小組」112年第2次會議議程", "本總處112年1至9月資料開放推動情形，提請討論。"]
    {
        assert!(squash(&pdf_text(&source)).contains(words));
        assert!(text.contains(words), "{words} not in {text}");
    }
}

#[test]
fn a_photographic_page_is_kept_as_a_jpeg_and_stays_archival() {
    // An A4 page that is one 600 × 850 photo-like image (a gradient with noise).
    let mut seed = 7u32;
    let pixels: Vec<u8> = (0..600 * 850)
        .flat_map(|i: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let n = (seed >> 27) as u8;
            [(i % 600 / 3) as u8 + n, (i / 600 / 4) as u8 + n, 120 + n]
        })
        .collect();
    let data = miniz_oxide::deflate::compress_to_vec_zlib(&pixels, 6);
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width 600 /Height 850 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    image.extend_from_slice(&data);
    image.extend_from_slice(b"\nendstream");
    let content = b"q 595 0 0 842 0 0 cm /Im1 Do Q";
    let mut page = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    page.extend_from_slice(content);
    page.extend_from_slice(b"\nendstream");
    let pdf = write_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        page,
        image,
    ]);
    let (_s, o, out) = build_with_pdf(&pdf, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.windows(10).any(|w| w == b"/DCTDecode"), "the photo page is not a JPEG");
    if let Some(failures) = validator_failures(&out) {
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
