//! Hostile PDF attachments in the archival packet: each refused at its field before any
//! page is drawn, or bounded (README's limits table). Encrypted and damaged files are
//! in broken_inputs (refused in every mode).

use crate::attachments_pdf::{build_with_pdf, simple_pdf, write_pdf};
use crate::common::{pdf_text, squash, stderr};

const FIELD: &str = "dgbas/113-1/meeting.toml:";
const AT: &str = "report[0].attachment[3].file: 附件「attachments/slides.pdf」";

/// A one-page PDF whose page has `content` (compressed here) and `resources`; `extra`
/// objects follow as 5, 6, …
fn one_page(width: u32, height: u32, content: &[u8], resources: &str, extra: Vec<Vec<u8>>) -> Vec<u8> {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(content, 6);
    let mut stream = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", packed.len()).into_bytes();
    stream.extend_from_slice(&packed);
    stream.extend_from_slice(b"\nendstream");
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Resources << {resources} >> /Contents 4 0 R >>")
            .into_bytes(),
        stream,
    ];
    objects.extend(extra);
    write_pdf(&objects)
}

/// The build is refused (exit 2) at the attachment's field with `words` in the message.
fn refused(pdf: &[u8], words: &[&str]) {
    let (_s, o, out) = build_with_pdf(pdf, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(FIELD) && err.contains(AT), "{err}");
    for w in words {
        assert!(err.contains(w), "{w}: {err}");
    }
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn too_many_pages_to_draw_are_refused() {
    let pages: Vec<(f32, f32, Vec<String>)> = (0..301).map(|i| (200.0, 200.0, vec![format!("p{i}")])).collect();
    refused(&simple_pdf(&pages, ""), &["301 頁", "最多 300 頁"]);
}

#[test]
fn a_page_larger_than_pdf_allows_is_refused() {
    refused(&one_page(20_000, 600, b"", "", vec![]), &["20000 × 600 點", "14400"]);
}

#[test]
fn a_poster_page_is_drawn_within_the_pixel_cap() {
    // A0 (2384 × 3370 pt): 150 dpi would be 34 megapixels.
    let content = b"BT /F1 96 Tf 1 0 0 1 200 3000 Tm (Poster headline) Tj ET";
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>";
    let (series, o, pdf) = build_with_pdf(&one_page(2384, 3370, content, font, vec![]), &["--typst"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdf_text(&pdf).contains("Poster headline"));
    let dir = series.path().join("out/pdf-pages");
    let png = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path().join("1.png");
    let png = std::fs::read(png).unwrap();
    let (w, h) =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert!(w as u64 * h as u64 <= 4_000_000 && w > 1000, "{w} × {h}");
}

#[test]
fn a_page_of_a_million_operations_is_refused_before_drawing() {
    let content = b"0 0 1 1 re f\n".repeat(1_000_001);
    refused(&one_page(600, 800, &content, "", vec![]), &["第 1 頁", "1000000 個繪圖指令"]);
}

#[test]
fn images_declaring_too_many_pixels_are_refused_before_decoding() {
    // 20,000 × 20,000 grey pixels declared (400 MB decoded), 30 bytes stored.
    let data = miniz_oxide::deflate::compress_to_vec_zlib(&[0u8; 100], 6);
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    image.extend_from_slice(&data);
    image.extend_from_slice(b"\nendstream");
    let pdf = one_page(600, 800, b"q 500 0 0 500 50 50 cm /Im1 Do Q", "/XObject << /Im1 5 0 R >>", vec![image]);
    refused(&pdf, &["第 1 頁", "400 百萬像素", "100 百萬像素"]);
}

#[test]
fn a_compression_bomb_is_refused_before_the_reader_inflates_it() {
    // 80 MB of spaces: a content stream of about 80 KB.
    let content = vec![b' '; 80 * 1024 * 1024];
    refused(&one_page(600, 800, &content, "", vec![]), &["64 MiB", "壓縮炸彈"]);
}

#[test]
fn javascript_and_embedded_files_are_not_carried_into_the_packet() {
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>";
    let content = b"BT /F1 24 Tf 1 0 0 1 60 700 Tm (Visible quarterly words) Tj ET";
    let payload = b"SECRET-PAYLOAD-7731";
    let mut file = format!("<< /Type /EmbeddedFile /Length {} >>\nstream\n", payload.len()).into_bytes();
    file.extend_from_slice(payload);
    file.extend_from_slice(b"\nendstream");
    let spec = b"<< /Type /Filespec /F (x.txt) /EF << /F 5 0 R >> >>".to_vec();
    let mut pdf = one_page(600, 800, content, font, vec![file, spec]);
    // The catalog opens with a script and lists the file.
    let catalog = b"<< /Type /Catalog /Pages 2 0 R >>";
    let hostile = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> /Names << /EmbeddedFiles << /Names [(x.txt) 6 0 R] >> >> >>";
    let at = pdf.windows(catalog.len()).position(|w| w == catalog).unwrap();
    pdf.splice(at..at + catalog.len(), hostile.iter().copied());
    // The offsets after the catalog moved: the reader repairs the table, as real readers do.
    let (_s, o, out) = build_with_pdf(&pdf, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Built, and told what was left out, at the attachment's field.
    let told = stderr(&o);
    assert!(
        told.contains("report[0].attachment[3].file: 警告：") && told.contains("JavaScript、內嵌檔案不會帶入議程"),
        "{told}"
    );
    assert!(squash(&pdf_text(&out)).contains("Visiblequarterlywords"));
    let bytes = std::fs::read(&out).unwrap();
    for absent in [&b"/JavaScript"[..], b"/EmbeddedFile", b"SECRET-PAYLOAD"] {
        assert!(!bytes.windows(absent.len()).any(|w| w == absent), "{}", String::from_utf8_lossy(absent));
    }
    let listed = std::process::Command::new("qpdf").arg("--list-attachments").arg(&out).output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("no embedded files"), "{listed:?}");
}
