//! Fuzzing of media attachments (image headers, SVG, PDF page trees): see tests/fuzz.rs.
//!
//! Each case puts one generated file in place of the seed meeting's first attachment and
//! runs load → render → compile in process. A decoding bomb that got past the checks
//! aborts the whole test binary (that is the failure this guards against); otherwise a
//! case must be refused with diagnostics that name their file, or build. Where the
//! generator knows the file is over a limit (a header declaring more pixels than
//! `MAX_IMAGE_PIXELS`, a page tree of more than `MAX_PDF_PAGES` pages) it must be refused.
//!
//! CI runs 16 cases of each; `PACKET_FUZZ_SECONDS=N` (and `PACKET_FUZZ_CASES`) extend them
//! as in tests/fuzz.rs.

use std::path::Path;

use crate::common::*;
use crate::fuzz::{MEETING, check_refusal, env_cases, fonts, fuzz, in_memory, write_series};
use packet::build::{self as pipeline, Input};
use packet::model::{Packet, Series};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Largest image the generators declare that is still accepted (so that accepted cases
/// stay fast to embed): far under the limit.
const SMALL: u32 = 64;

#[derive(Debug, PartialEq)]
enum Outcome {
    Refused(String),
    Built,
}

/// The seed series with `file` (bytes) as the first attachment of the first report;
/// `extra` adds files beside it. Load → render → (if `compile`) compile the agenda.
fn exercise_media(name: &str, bytes: &[u8], extra: &dyn Fn(&Path), compile: bool) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().unwrap();
    let meeting = MEETING.replacen(
        "file = \"attachments/slides.md\"\nstyle = \"slides\"",
        &format!("file = \"attachments/{name}\""),
        1,
    );
    assert_ne!(meeting, MEETING, "the seed meeting changed: update fuzz_media");
    let meeting_dir = write_series(dir.path(), meeting.as_bytes());
    write_file(&meeting_dir, &format!("attachments/{name}"), bytes);
    extra(&meeting_dir.join("attachments"));
    let packet = match Packet::load(&meeting_dir) {
        Ok(p) => p,
        Err(e) => return check_refusal("load", &e).map(|()| Outcome::Refused(e.to_string())),
    };
    let series = Series::of(&packet);
    if let Err(e) =
        packet::render::agenda(&packet, series.as_ref().and_then(|s| s.as_ref().ok()), &[], &Default::default())
    {
        return check_refusal("render", &e).map(|()| Outcome::Refused(e.to_string()));
    }
    if compile {
        let opts = in_memory(&dir.path().join("out"));
        let input = Input { packet: &packet, series: series.as_ref() };
        if let Err(e) = pipeline::compile_agenda(input, &opts, fonts()) {
            check_refusal("agenda", &e)?;
            return Ok(Outcome::Refused(e.to_string()));
        }
        typst::comemo::evict(10);
    }
    Ok(Outcome::Built)
}

// ─── Raster headers ──────────────────────────────────────────────────────────────────

#[derive(Debug, Clone)]
struct Raster {
    format: u8,
    w: u32,
    h: u32,
    /// (position, byte) overwrites, after the first 8 bytes' signature.
    flips: Vec<(usize, u8)>,
    truncate: Option<usize>,
}

impl Raster {
    fn bytes(&self) -> (String, Vec<u8>) {
        let (w16, h16) = (self.w.min(65535) as u16, self.h.min(65535) as u16);
        let (ext, mut b) = match self.format {
            0 => ("png", png_header(self.w, self.h)),
            1 => ("jpg", jpeg_header(w16, h16)),
            2 => ("gif", gif_header(w16, h16)),
            _ => ("webp", webp_header(self.w.min(16384), self.h.min(16384))),
        };
        for &(at, v) in &self.flips {
            let n = b.len();
            if n > 8 {
                b[8 + at % (n - 8)] = v;
            }
        }
        if let Some(t) = self.truncate {
            b.truncate(b.len().min(t.max(12)));
        }
        (format!("image.{ext}"), b)
    }

    /// The header as generated declares more than the limits allow.
    fn over_limit(&self) -> bool {
        let (w, h) = match self.format {
            0 => (self.w as u64, self.h as u64),
            1 | 2 => (self.w.min(65535) as u64, self.h.min(65535) as u64),
            _ => (self.w.min(16384) as u64, self.h.min(16384) as u64),
        };
        self.flips.is_empty() && self.truncate.is_none() && (w * h > 40_000_000 || w > 20_000 || h > 20_000)
    }
}

/// A lossless WebP (VP8L) header declaring `w`×`h` (1..=16384), no image data.
fn webp_header(w: u32, h: u32) -> Vec<u8> {
    let bits = (w - 1) | ((h - 1) << 14);
    let mut chunk = vec![0x2F];
    chunk.extend(bits.to_le_bytes());
    chunk.push(0);
    let mut out = b"RIFF".to_vec();
    out.extend(((4 + 8 + chunk.len()) as u32).to_le_bytes());
    out.extend(b"WEBPVP8L");
    out.extend((chunk.len() as u32).to_le_bytes());
    out.extend(chunk);
    out
}

fn side() -> impl Strategy<Value = u32> {
    prop_oneof![3 => 1..=SMALL, 1 => 1u32..=70_000, 1 => Just(65_535u32), 1 => 6_000u32..=8_000]
}

fn raster() -> impl Strategy<Value = Raster> {
    (
        0u8..4,
        side(),
        side(),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        prop::option::weighted(0.2, 0usize..64),
    )
        .prop_map(|(format, w, h, flips, truncate)| Raster { format, w, h, flips, truncate })
}

#[test]
fn image_headers_are_judged_before_decoding() {
    fuzz("image_headers_are_judged_before_decoding", env_cases(16), &raster(), |r| {
        let (name, bytes) = r.bytes();
        let out = exercise_media(&name, &bytes, &|_| {}, true).map_err(TestCaseError::fail)?;
        if r.over_limit() && out == Outcome::Built {
            return Err(TestCaseError::fail(format!("{r:?}: over the pixel limit, but built")));
        }
        Ok(())
    });
}

// ─── SVG ─────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone)]
enum Element {
    Rect,
    /// A blur over a region `region` percent of the element each side.
    Blur {
        region: u32,
        sigma: u32,
    },
    /// An embedded raster image.
    Embedded(Raster),
    /// An SVG embedded in the SVG (as a data: URL) with a blur.
    Nested {
        region: u32,
    },
    /// `<image href=…>`: 0 a FIFO, 1 an absolute path, 2 a missing file, 3 a URL, 4 a
    /// small PNG beside it, 5 a huge PNG beside it.
    Linked(u8),
}

fn element() -> impl Strategy<Value = Element> {
    prop_oneof![
        Just(Element::Rect),
        (prop_oneof![Just(100u32), Just(120), Just(2100), Just(10_000)], 1u32..60)
            .prop_map(|(region, sigma)| Element::Blur { region, sigma }),
        raster().prop_map(Element::Embedded),
        prop_oneof![Just(100u32), Just(10_000)].prop_map(|region| Element::Nested { region }),
        (0u8..6).prop_map(Element::Linked),
    ]
}

fn filter(id: &str, region: u32, sigma: u32) -> String {
    let at = (region as i64 - 100) / 2;
    format!(
        "<filter id=\"{id}\" x=\"-{at}%\" y=\"-{at}%\" width=\"{region}%\" height=\"{region}%\"><feGaussianBlur stdDeviation=\"{sigma}\"/></filter>"
    )
}

fn svg_of(elements: &[Element]) -> (Vec<u8>, bool) {
    let mut body = String::new();
    let mut over = false;
    for (i, e) in elements.iter().enumerate() {
        match e {
            Element::Rect => body.push_str(&format!("<rect x=\"{i}\" width=\"10\" height=\"10\"/>")),
            Element::Blur { region, sigma } => {
                body.push_str(&filter(&format!("f{i}"), *region, *sigma));
                body.push_str(&format!("<rect x=\"{i}\" width=\"50\" height=\"50\" filter=\"url(#f{i})\"/>"));
            }
            Element::Embedded(r) => {
                let (name, bytes) = r.bytes();
                let mime = format!("image/{}", &name[6..]).replace("jpg", "jpeg");
                over |= r.over_limit();
                body.push_str(&format!(
                    "<image width=\"20\" height=\"20\" xlink:href=\"data:{mime};base64,{}\"/>",
                    base64(&bytes)
                ));
            }
            Element::Nested { region } => {
                let inner = svg(&format!(
                    "{}<rect width=\"100\" height=\"100\" filter=\"url(#n)\"/>",
                    filter("n", *region, 20)
                ));
                body.push_str(&format!(
                    "<image width=\"30\" height=\"30\" xlink:href=\"data:image/svg+xml;base64,{}\"/>",
                    base64(&inner)
                ));
            }
            Element::Linked(k) => {
                let href = ["pipe", "/etc/passwd", "missing.png", "https://example.com/a.png", "small.png", "huge.png"]
                    [*k as usize];
                over |= matches!(k, 0 | 1 | 5);
                body.push_str(&format!("<image width=\"20\" height=\"20\" href=\"{href}\"/>"));
            }
        }
    }
    (svg(&body), over)
}

/// One SVG case: refused with diagnostics at its file, or built; never built when over a
/// limit; never a panic.
fn svg_case(elements: &[Element]) -> Result<(), TestCaseError> {
    let (bytes, over) = svg_of(elements);
    let extra = |dir: &Path| {
        mkfifo(&dir.join("pipe"));
        write_file(dir, "small.png", png_header(8, 8));
        write_file(dir, "huge.png", png_header(30_000, 30_000));
    };
    let out = exercise_media("image.svg", &bytes, &extra, true).map_err(TestCaseError::fail)?;
    if over && out == Outcome::Built {
        return Err(TestCaseError::fail(format!("{elements:?}: over a limit, but built")));
    }
    Ok(())
}

#[test]
fn svg_images_are_bounded() {
    let strategy = prop::collection::vec(element(), 1..6);
    fuzz("svg_images_are_bounded", env_cases(16), &strategy, |elements| svg_case(&elements));
}

/// Found by a 100-second fuzz session: a 1×1 PNG embedded in an SVG, one byte of its
/// header changed, made usvg 0.47 panic (tiny-skia `to_non_zero_rect`) while sizing it.
#[test]
fn svg_regressions() {
    let flipped = Raster { format: 0, w: 1, h: 1, flips: vec![(6462056040394584914, 162)], truncate: None };
    svg_case(&[Element::Embedded(flipped)]).unwrap();
}

// ─── PDF page trees ──────────────────────────────────────────────────────────────────

#[derive(Debug, Clone)]
struct Tree {
    /// Fan-out of each level of Pages nodes (each child listed that many times).
    fanouts: Vec<usize>,
    /// The last Pages node lists the root (a cycle).
    cycle: bool,
    /// `/Kids N 0 R` pointing at an array object, for the root.
    indirect_kids: bool,
    /// The Pages nodes inside a compressed object stream.
    object_stream: bool,
    /// Names written with `#xx` escapes (`/K#69ds`).
    escaped: bool,
}

impl Tree {
    fn pages(&self) -> u64 {
        self.fanouts.iter().fold(1u64, |a, &f| a.saturating_mul(f as u64))
    }

    fn bytes(&self) -> Vec<u8> {
        let levels = self.fanouts.len();
        let kids_name = if self.escaped { "/K#69ds" } else { "/Kids" };
        // 1 catalog, 2..2+levels Pages nodes, then the page, then the indirect array.
        let page = 2 + levels;
        let array = page + 1;
        let mut nodes = Vec::new();
        for (l, &f) in self.fanouts.iter().enumerate() {
            let child = if l + 1 == levels { page } else { 2 + l + 1 };
            let mut kids = vec![format!("{child} 0 R"); f];
            if self.cycle && l + 1 == levels {
                kids.push("2 0 R".into());
            }
            let kids =
                if self.indirect_kids && l == 0 { format!("{array} 0 R") } else { format!("[{}]", kids.join(" ")) };
            nodes.push(format!("<< /Type /Pages {kids_name} {kids} /Count {} >>", self.pages()));
        }
        let page_obj = format!("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 200 200] >>", page - 1);
        let mut array_kids = vec![format!("{} 0 R", if levels > 1 { 3 } else { page }); self.fanouts[0]];
        if self.cycle && levels == 1 {
            // The root is also the last Pages node: its (indirect) kids hold the cycle.
            array_kids.push("2 0 R".into());
        }
        let array_obj = format!("[{}]", array_kids.join(" "));
        let mut objects = vec!["<< /Type /Catalog /Pages 2 0 R >>".to_string()];
        if self.object_stream {
            // Objects 2..=levels+1 in one object stream (object `array + 1`), with an
            // xref stream that lists them: hayro reads it; the check must too.
            return object_stream_pdf(&nodes, &page_obj, &array_obj);
        }
        objects.extend(nodes);
        objects.push(page_obj);
        objects.push(array_obj);
        pdf_of(&objects)
    }
}

/// A PDF 1.5 with the Pages nodes in a compressed object stream and a cross-reference
/// stream.
fn object_stream_pdf(nodes: &[String], page: &str, array: &str) -> Vec<u8> {
    let levels = nodes.len();
    let (page_num, array_num, stm_num, xref_num) = (2 + levels, 3 + levels, 4 + levels, 5 + levels);
    let mut header = String::new();
    let mut data = String::new();
    for (i, n) in nodes.iter().enumerate() {
        header.push_str(&format!("{} {} ", 2 + i, data.len()));
        data.push_str(n);
        data.push('\n');
    }
    let first = header.len();
    let content = format!("{header}{data}");
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(content.as_bytes(), 6);
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = vec![(1usize, pdf.len())];
    pdf.extend(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offsets.push((page_num, pdf.len()));
    pdf.extend(format!("{page_num} 0 obj\n{page}\nendobj\n").bytes());
    offsets.push((array_num, pdf.len()));
    pdf.extend(format!("{array_num} 0 obj\n{array}\nendobj\n").bytes());
    offsets.push((stm_num, pdf.len()));
    pdf.extend(
        format!(
            "{stm_num} 0 obj\n<< /Type /ObjStm /N {levels} /First {first} /Filter /FlateDecode /Length {} >>\nstream\n",
            packed.len()
        )
        .bytes(),
    );
    pdf.extend(&packed);
    pdf.extend(b"\nendstream\nendobj\n");
    let xref_at = pdf.len();
    // Cross-reference stream: type, offset (4 bytes), generation/index (1 byte).
    let mut rows = vec![[0u8; 6]; xref_num + 1];
    rows[0] = [0, 0, 0, 0, 0, 0xFF];
    for &(n, at) in &offsets {
        let o = (at as u32).to_be_bytes();
        rows[n] = [1, o[0], o[1], o[2], o[3], 0];
    }
    for i in 0..levels {
        let s = (stm_num as u32).to_be_bytes();
        rows[2 + i] = [2, s[0], s[1], s[2], s[3], i as u8];
    }
    let o = (xref_at as u32).to_be_bytes();
    rows[xref_num] = [1, o[0], o[1], o[2], o[3], 0];
    let raw: Vec<u8> = rows.concat();
    pdf.extend(
        format!(
            "{xref_num} 0 obj\n<< /Type /XRef /Size {} /W [1 4 1] /Root 1 0 R /Length {} >>\nstream\n",
            xref_num + 1,
            raw.len()
        )
        .bytes(),
    );
    pdf.extend(&raw);
    pdf.extend(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").bytes());
    pdf
}

fn tree() -> impl Strategy<Value = Tree> {
    (
        prop::collection::vec(prop_oneof![3 => 1usize..4, 1 => 20usize..40], 1..7),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(fanouts, cycle, indirect_kids, object_stream, escaped)| Tree {
            fanouts,
            cycle,
            indirect_kids,
            object_stream,
            escaped,
        })
}

#[test]
fn pdf_page_trees_are_bounded() {
    fuzz("pdf_page_trees_are_bounded", env_cases(16), &tree(), |t| {
        let pages = t.pages();
        // Compile (embed every page) only small documents: the check is in render.
        let out =
            exercise_media("doc.pdf", &t.bytes(), &|_| {}, pages <= 16 && !t.cycle).map_err(TestCaseError::fail)?;
        if (pages > 2_000 || t.cycle) && out == Outcome::Built {
            return Err(TestCaseError::fail(format!("{t:?}: {pages} pages, but accepted")));
        }
        if pages <= 2_000
            && !t.cycle
            && !t.indirect_kids
            && !t.object_stream
            && t.fanouts.len() <= 6
            && let Outcome::Refused(e) = &out
            && e.contains("頁面樹")
        {
            return Err(TestCaseError::fail(format!("{t:?}: {pages} pages, refused: {e}")));
        }
        Ok(())
    });
}

// ─── Hostile files, shared with the catalogue (tests/broken_inputs/limits.rs) ─────────

/// The CRC-32 of PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend(data);
    out.extend(&body);
    out.extend(crc32(&body).to_be_bytes());
}

/// A PNG whose header declares `w`×`h` (8-bit grey), with a tiny (truncated) image
/// stream: what a compressor makes of an all-zero image is megabytes of the same bytes,
/// and only the header matters here.
pub(crate) fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A JPEG header (JFIF, baseline SOF0, 3 components) declaring `w`×`h`, then EOI.
pub(crate) fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend(b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    out.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend(h.to_be_bytes());
    out.extend(w.to_be_bytes());
    out.extend([0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend([0xFF, 0xD9]);
    out
}

/// A 42-byte GIF whose logical screen and only frame are `w`×`h`.
pub(crate) fn gif_header(w: u16, h: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend([0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00]);
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend([0x00, 0x02, 0x02, 0x4C, 0x01, 0x00, 0x3B]);
    out
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An SVG showing `inner` (an `<image>` or other elements), 100×100.
pub(crate) fn svg(inner: &str) -> Vec<u8> {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"100\" height=\"100\" viewBox=\"0 0 100 100\">{inner}</svg>"
    )
    .into_bytes()
}

/// A PDF (correct cross-reference table) whose page tree has `levels` levels of Pages
/// nodes, each listing the next level `fanout` times, over one shared page: fanout^levels
/// pages from a few hundred bytes.
pub(crate) fn page_tree_pdf(levels: usize, fanout: usize) -> Vec<u8> {
    // 1: catalog; 2..2+levels: Pages nodes; last: the page.
    let page = 2 + levels;
    let mut objects = vec!["<< /Type /Catalog /Pages 2 0 R >>".to_string()];
    for l in 0..levels {
        let child = 2 + l + 1;
        let kids = vec![format!("{child} 0 R"); fanout].join(" ");
        let count = fanout.pow((levels - l) as u32);
        let parent = if l == 0 { String::new() } else { format!(" /Parent {} 0 R", 2 + l - 1) };
        objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {count}{parent} >>"));
    }
    objects.push(format!("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] >>", page - 1));
    pdf_of(&objects)
}

/// Make a FIFO at `path` (`mkfifo`).
pub(crate) fn mkfifo(path: &Path) {
    let o = std::process::Command::new("mkfifo").arg(path).output().expect("mkfifo");
    assert!(o.status.success(), "mkfifo: {}", String::from_utf8_lossy(&o.stderr));
}

/// A blur over a region 21 times the image each side, on `n` rectangles.
pub(crate) fn blur_svg(n: usize) -> Vec<u8> {
    let rects: String =
        (0..n).map(|i| format!("<rect x=\"{i}\" width=\"50\" height=\"50\" filter=\"url(#b)\"/>")).collect();
    svg(&format!(
        "<filter id=\"b\" x=\"-1000%\" y=\"-1000%\" width=\"2100%\" height=\"2100%\"><feGaussianBlur stdDeviation=\"40\"/></filter>{rects}"
    ))
}

/// Not every filter is refused: a drop shadow over the whole image builds.
#[test]
fn an_svg_with_a_drop_shadow_builds() {
    let shadow = svg(
        "<filter id=\"s\"><feGaussianBlur stdDeviation=\"3\"/></filter><rect width=\"100\" height=\"100\" fill=\"#ccc\" filter=\"url(#s)\"/><rect x=\"10\" y=\"10\" width=\"60\" height=\"60\"/>",
    );
    assert_eq!(exercise_media("shadow.svg", &shadow, &|_| {}, true), Ok(Outcome::Built));
}
