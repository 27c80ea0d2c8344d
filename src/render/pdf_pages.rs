//! A PDF attachment's pages drawn in-process (hayro, the PDF renderer Typst itself
//! uses, same version) for the archival packet: PDF/A and PDF/UA cannot carry pages of
//! another PDF, so each page becomes an image at [`RASTER_DPI`], with the page's own
//! text (read from the same interpretation of its content stream) as the image's
//! alternative text and as an invisible text layer over it (see ARCHITECTURE.md).
//!
//! Every page is judged before any is drawn: its size, its drawing operations and the
//! pixels of the images it shows, counted by interpreting it without drawing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use hayro::hayro_interpret::font::Glyph;
use hayro::hayro_interpret::hayro_syntax::Pdf;
use hayro::hayro_interpret::hayro_syntax::page::Page;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache, InterpreterSettings, Paint,
    PathDrawMode, SoftMask, TransformExt, interpret_page,
};
use hayro::vello_cpu::color::palette::css::WHITE;
use kurbo::{Affine, BezPath, Point};

/// Resolution of a drawn page: 150 dpi prints text sharply at the size it had (an A4
/// page is 1240 × 1754 pixels) and keeps a text page to about 50–130 KB (BENCHMARKS.md).
pub const RASTER_DPI: f32 = 150.0;

/// Most pixels of one drawn page: a page larger than A3 is drawn at a lower resolution
/// (an A0 poster at about 70 dpi), never in more than 4 megapixels.
pub const MAX_PAGE_PIXELS: f32 = 4_000_000.0;

/// Most pages of one PDF attachment in the archival packet: each is drawn and kept as an
/// image (about 0.1–0.3 s and 50–650 KB a page), so 300 pages is about a minute and 15–200 MB.
pub const MAX_DRAWN_PAGES: usize = 300;

/// Largest side of a page, in points: 14,400 (200 inches) is PDF's own limit.
pub const MAX_PAGE_SIDE_PT: f32 = 14_400.0;

/// Most drawing operations (paths, glyphs, images) on one page: a text page has a few
/// thousand, a dense map or chart some hundred thousand.
pub const MAX_PAGE_OPERATIONS: usize = 1_000_000;

/// Most pixels of all images one page shows (as their headers declare them, before
/// any is decoded): 100 megapixels is several full-page photos at print resolution.
pub const MAX_PAGE_IMAGE_PIXELS: u64 = 100_000_000;

/// Longest time one attachment's pages may take to draw, checked after each page.
pub const MAX_DRAW_TIME: Duration = Duration::from_secs(120);

/// One page drawn.
pub(super) struct DrawnPage {
    /// The page as an 8-bit RGB or grey PNG, or a JPEG when it is photographic.
    pub png: Vec<u8>,
    /// `png` or `jpg`.
    pub ext: &'static str,
    /// The page's size as shown (rotation applied), in points.
    pub width: f32,
    pub height: f32,
    /// Its text, line by line, in the order the page draws it.
    pub lines: Vec<TextLine>,
}

/// A line of a page's text: where it starts (points from the page's top left corner,
/// at its baseline) and its size.
pub(super) struct TextLine {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// Most bytes of drawn pages kept between builds of one process (`packet watch`, the
/// editor's preview, a series build): a rebuild after an edit does not draw the same
/// PDF again. Past it the kept pages are dropped and drawing starts over.
const KEPT_BYTES: usize = 256 * 1024 * 1024;

/// The pages of the PDF `bytes`, drawn, or as drawn before in this process (`key`: the
/// content's hash).
pub(super) fn draw_kept(bytes: Vec<u8>, key: &str) -> Result<Arc<Vec<DrawnPage>>, String> {
    type Kept = Mutex<(usize, HashMap<String, Arc<Vec<DrawnPage>>>)>;
    static KEPT: OnceLock<Kept> = OnceLock::new();
    let kept = KEPT.get_or_init(Default::default);
    if let Some(pages) = kept.lock().unwrap_or_else(|p| p.into_inner()).1.get(key) {
        return Ok(pages.clone());
    }
    let pages = Arc::new(draw(bytes)?);
    let size: usize = pages.iter().map(|p| p.png.len()).sum();
    let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
    if kept.0 + size > KEPT_BYTES {
        *kept = Default::default();
    }
    if size <= KEPT_BYTES {
        kept.0 += size;
        kept.1.insert(key.to_string(), pages.clone());
    }
    Ok(pages)
}

/// The pages of the PDF `bytes` (already read by the PDF reader once: not encrypted,
/// not damaged, its page tree bounded), each judged, then drawn.
fn draw(bytes: Vec<u8>) -> Result<Vec<DrawnPage>, String> {
    let pdf = Pdf::new(bytes).map_err(|_| "已損毀，無法讀取".to_string())?;
    let pages = pdf.pages();
    if pages.len() > MAX_DRAWN_PAGES {
        return Err(format!(
            "有 {} 頁，長期保存格式的議程每個 PDF 附件最多 {MAX_DRAWN_PAGES} 頁（每頁轉成圖片）；請分割檔案或只附加需要的頁面",
            pages.len()
        ));
    }
    let cache = InterpreterCache::new();
    let settings = InterpreterSettings::default();
    let mut probed = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        probed.push(probe(page, &cache, &settings).map_err(|why| format!("第 {} 頁{why}", i + 1))?);
    }
    let render_cache = hayro::RenderCache::new();
    let start = Instant::now();
    let mut out = Vec::with_capacity(pages.len());
    for ((i, page), lines) in pages.iter().enumerate().zip(probed) {
        let (width, height) = page.render_dimensions();
        let scale = scale_for(width, height);
        let render_settings =
            hayro::RenderSettings { x_scale: scale, y_scale: scale, bg_color: WHITE, ..Default::default() };
        let pixmap = hayro::render(page, &render_cache, &settings, &render_settings);
        let (png, ext) = encode_page(pixmap.width(), pixmap.height(), pixmap.data_as_u8_slice())
            .map_err(|e| format!("第 {} 頁無法轉成圖片（{e}）", i + 1))?;
        out.push(DrawnPage { png, ext, width, height, lines });
        if start.elapsed() > MAX_DRAW_TIME {
            return Err(format!(
                "繪製超過 {} 秒（到第 {} 頁）；檔案過於複雜，請用 PDF 軟體「另存新檔」或「列印成 PDF」簡化後再附加",
                MAX_DRAW_TIME.as_secs(),
                i + 1
            ));
        }
    }
    Ok(out)
}

/// What a drawn page cannot carry that the PDF has: scripts, embedded files, form
/// fields, links (each named once, in the order found), read from the catalog and the
/// pages' annotations.
pub(super) fn dropped(bytes: &[u8]) -> Vec<&'static str> {
    use hayro::hayro_interpret::hayro_syntax::object::{Dict, Name};
    let Ok(pdf) = Pdf::new(bytes.to_vec()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let xref = pdf.xref();
    if let Some(catalog) = xref.get::<Dict>(xref.root_id()) {
        let names = catalog.get::<Dict>("Names");
        let action = catalog.get::<Dict>("OpenAction");
        if names.as_ref().is_some_and(|n| n.contains_key("JavaScript"))
            || action.is_some_and(|a| a.get::<Name>("S").is_some_and(|s| s.as_ref() == b"JavaScript"))
            || catalog.get::<Dict>("AA").is_some()
        {
            out.push("JavaScript");
        }
        if names.is_some_and(|n| n.contains_key("EmbeddedFiles")) {
            out.push("內嵌檔案");
        }
        if catalog.contains_key("AcroForm") {
            out.push("表單欄位");
        }
    }
    let links = pdf.pages().iter().any(|page| page.raw().contains_key("Annots"));
    if links {
        out.push("連結與註解");
    }
    out
}

/// Pixels per point for a page of `width` × `height` points: [`RASTER_DPI`], less for
/// a page that would exceed [`MAX_PAGE_PIXELS`].
pub(super) fn scale_for(width: f32, height: f32) -> f32 {
    let dpi_scale = RASTER_DPI / 72.0;
    let cap = (MAX_PAGE_PIXELS / (width * height)).sqrt();
    dpi_scale.min(cap)
}

/// Interpret `page` without drawing it: its size, operations and image pixels against
/// the limits, and its text.
fn probe<'a>(
    page: &'a Page<'a>,
    cache: &InterpreterCache<'a>,
    settings: &InterpreterSettings,
) -> Result<Vec<TextLine>, String> {
    let (width, height) = page.render_dimensions();
    if !(width >= 1.0 && height >= 1.0) || width > MAX_PAGE_SIDE_PT || height > MAX_PAGE_SIDE_PT {
        return Err(format!(
            "的頁面大小 {width:.0} × {height:.0} 點不是可列印的頁面（每邊 1 至 {MAX_PAGE_SIDE_PT:.0} 點，即 200 英寸）"
        ));
    }
    let transform = page.initial_transform(true);
    let bbox = kurbo::Rect::new(0.0, 0.0, width as f64, height as f64);
    let mut context = Context::new(transform.to_kurbo(), bbox, cache, page.xref(), settings.clone());
    let mut device = TextDevice::default();
    interpret_page(page, &mut context, &mut device);
    if device.operations > MAX_PAGE_OPERATIONS {
        return Err(format!(
            "有超過 {MAX_PAGE_OPERATIONS} 個繪圖指令，無法在合理時間內轉成圖片；請用 PDF 軟體「列印成 PDF」簡化後再附加"
        ));
    }
    if device.image_pixels > MAX_PAGE_IMAGE_PIXELS {
        return Err(format!(
            "的圖片共 {:.0} 百萬像素，上限 {} 百萬像素；請用 PDF 軟體縮小圖片後再附加",
            device.image_pixels as f64 / 1e6,
            MAX_PAGE_IMAGE_PIXELS / 1_000_000
        ));
    }
    Ok(lines(&device.glyphs))
}

/// One glyph as the page draws it: its text, where its baseline starts and ends, its size.
struct PlacedGlyph {
    text: String,
    start: Point,
    end: Point,
    size: f64,
}

/// A device that draws nothing: it counts what a page asks for and keeps its glyphs.
#[derive(Default)]
struct TextDevice {
    operations: usize,
    image_pixels: u64,
    glyphs: Vec<PlacedGlyph>,
}

impl<'a> Device<'a> for TextDevice {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {
        self.operations += 1;
    }
    fn push_clip_path(&mut self, _: &ClipPath) {
        self.operations += 1;
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {
        self.operations += 1;
    }
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        self.operations += 1;
        if self.glyphs.len() >= MAX_PAGE_OPERATIONS {
            return;
        }
        let Some(text) = glyph.as_unicode().map(|u| match u {
            hayro::hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
            hayro::hayro_interpret::hayro_cmap::BfString::String(s) => s,
        }) else {
            return;
        };
        // Glyph outlines are in units of 1/1000 of the font size.
        let t = transform * glyph_transform;
        let start = t * Point::ZERO;
        let size = (t * Point::new(0.0, 1000.0)).distance(start);
        let advance = match glyph {
            Glyph::Outline(g) => g.advance_width().map(f64::from),
            Glyph::Type3(_) => None,
        }
        .filter(|a| *a > 0.0)
        .unwrap_or(500.0);
        let end = t * Point::new(advance, 0.0);
        self.glyphs.push(PlacedGlyph { text, start, end, size });
    }
    fn draw_image(&mut self, image: Image<'a, '_>, _: Affine) {
        self.operations += 1;
        self.image_pixels = self.image_pixels.saturating_add(image.width() as u64 * image.height() as u64);
    }
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// The glyphs as lines of text, in the order the page draws them: a new line where the
/// baseline moves by half a glyph's height or the text goes back left; a space where a
/// gap is wider than a third of the glyph (PDFs often position words instead of
/// drawing spaces).
fn lines(glyphs: &[PlacedGlyph]) -> Vec<TextLine> {
    let mut out: Vec<TextLine> = Vec::new();
    let mut last: Option<&PlacedGlyph> = None;
    for g in glyphs {
        let size = g.size.max(0.1);
        let same_line = last.is_some_and(|p| {
            (g.start.y - p.start.y).abs() < 0.5 * size.max(p.size) && g.start.x > p.end.x - 0.5 * size
        });
        match out.last_mut() {
            Some(line) if same_line => {
                let p = last.expect("a line has a last glyph");
                let gap = g.start.x - p.end.x;
                let spaced = line.text.ends_with(char::is_whitespace) || g.text.starts_with(char::is_whitespace);
                if gap > size / 3.0 && !spaced {
                    line.text.push(' ');
                }
                line.text.push_str(&g.text);
            }
            _ => {
                out.push(TextLine { x: g.start.x as f32, y: g.start.y as f32, size: size as f32, text: g.text.clone() })
            }
        }
        last = Some(g);
    }
    out.retain(|l| !l.text.trim().is_empty());
    out
}

/// A PNG larger than this is tried as a JPEG too (a text page is 50–150 KB as PNG).
const PHOTO_PNG_BYTES: usize = 400 * 1024;

/// An opaque RGBA pixmap as an RGB PNG, or a grey one when every pixel is grey (a text
/// page: a third of the data); a page that is a photograph or a scan (its PNG over
/// [`PHOTO_PNG_BYTES`]) as a JPEG at quality 85 when that is under a third of the PNG:
/// lossless compression keeps a photograph's noise at several MB a page.
fn encode_page(width: u16, height: u16, rgba: &[u8]) -> Result<(Vec<u8>, &'static str), String> {
    let grey = rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]);
    let mut data: Vec<u8> = if grey {
        rgba.chunks_exact(4).map(|p| p[0]).collect()
    } else {
        rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect()
    };
    avoid_trailing_cr(&mut data);
    let png = encode_png(width, height, grey, &data).map_err(|e| e.to_string())?;
    if png.len() <= PHOTO_PNG_BYTES {
        return Ok((png, "png"));
    }
    use image::ExtendedColorType::{L8, Rgb8};
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode(&data, width as u32, height as u32, if grey { L8 } else { Rgb8 })
        .map_err(|e| e.to_string())?;
    Ok(if jpeg.len() * 3 < png.len() { (jpeg, "jpg") } else { (png, "png") })
}

/// 8-bit grey or RGB `data` as a PNG.
fn encode_png(width: u16, height: u16, grey: bool, data: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let color = if grey { png::ColorType::Grayscale } else { png::ColorType::Rgb };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width as u32, height as u32);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    // Typst decodes the image and compresses it again for the PDF: a quick deflate here.
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(data)?;
    writer.finish()?;
    Ok(out)
}

/// A drawn page as the template prints it.
#[derive(serde::Serialize)]
pub struct DrawnView {
    /// The page image and its text (for the alternative text), as generated files.
    pub image: String,
    pub alt: String,
    /// A landscape page is printed on a landscape sheet.
    pub flipped: bool,
    /// The image's printed size (`412.5pt`).
    pub width: String,
    pub height: String,
    pub lines: Vec<LineView>,
}

/// A line of the invisible text layer, placed over the image where the page drew it.
#[derive(serde::Serialize)]
pub struct LineView {
    pub dx: String,
    pub dy: String,
    pub size: String,
    pub text: String,
}

/// The text area of an A4 sheet with the margins the template gives drawn pages
/// (1.5 cm each side, 2 cm top, 2.5 cm bottom), in points: portrait, then landscape.
const AREA_PORTRAIT: (f32, f32) = (510.24, 714.33);
const AREA_LANDSCAPE: (f32, f32) = (756.85, 467.72);

/// Each drawn page's view, and the generated files it reads (`/pdf-pages/<hash>/<n>.png`
/// and `.txt`, the text a screen reader reads). `covered` says which characters the
/// document's fonts can show: the others are left out of the invisible layer (a
/// missing glyph is not allowed in PDF/A), never out of the alternative text.
pub(super) fn views(
    bytes_hash: &str,
    pages: &[DrawnPage],
    label: &str,
    covered: &dyn Fn(char) -> bool,
) -> (Vec<DrawnView>, Vec<(String, Vec<u8>)>) {
    let mut views = Vec::with_capacity(pages.len());
    let mut files = Vec::with_capacity(pages.len() * 2);
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let flipped = page.width > page.height;
        let (aw, ah) = if flipped { AREA_LANDSCAPE } else { AREA_PORTRAIT };
        let s = (aw / page.width).min(ah / page.height);
        let image = format!("/pdf-pages/{bytes_hash}/{}.{}", i + 1, page.ext);
        let alt = format!("/pdf-pages/{bytes_hash}/{}.txt", i + 1);
        let text: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
        let alt_text = archivable(&format!("{label} 第 {} 頁（共 {total} 頁）\n{}", i + 1, text.join("\n")), &|_| true);
        let lines = page
            .lines
            .iter()
            .map(|l| LineView {
                dx: pt(l.x * s),
                // The template sets text with its top edge 0.88 em above the baseline.
                dy: pt((l.y - 0.88 * l.size) * s),
                size: pt((l.size * s).max(1.0)),
                text: archivable(&l.text, covered),
            })
            .filter(|l| !l.text.trim().is_empty())
            .collect();
        files.push((image.clone(), page.png.clone()));
        files.push((alt.clone(), alt_text.into_bytes()));
        views.push(DrawnView { image, alt, flipped, width: pt(page.width * s), height: pt(page.height * s), lines });
    }
    (views, files)
}

fn pt(v: f32) -> String {
    format!("{:.2}pt", v)
}

/// `text` without what an archival PDF may not carry (control characters, private-use
/// and non-characters, bidirectional overrides) and without what `covered` refuses;
/// each left-out character becomes a space.
fn archivable(text: &str, covered: &dyn Fn(char) -> bool) -> String {
    text.chars()
        .map(|c| {
            let forbidden = (c.is_control() && c != '\n')
                || crate::text::hygiene::first_unarchivable(c.encode_utf8(&mut [0; 4])).is_some()
                || matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069);
            if forbidden || !(c.is_whitespace() || covered(c)) { ' ' } else { c }
        })
        .collect()
}

/// The PDF writer (krilla) compresses these samples as they are into a zlib stream, which
/// ends with the Adler-32 checksum: when its last byte is a carriage return, the stream's
/// data runs `… CR LF endstream`, and PDF/A validators read CR LF as the end-of-line
/// marker, one byte short of `/Length` (veraPDF's and `page`'s rule 6.1.7.1). The low
/// byte of the checksum is (1 + the sum of the bytes) mod 65521; one sample one step
/// darker or lighter moves it off CR, which no eye can see.
fn avoid_trailing_cr(samples: &mut [u8]) {
    let sum = samples.iter().fold(1u64, |s, &b| (s + b as u64) % 65521);
    if sum & 0xFF == 0x0D
        && let Some(last) = samples.last_mut()
    {
        *last = if *last > 0 { *last - 1 } else { 1 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF (200 × 100 points) drawing `text` in Helvetica.
    fn pdf(text: &str) -> Vec<u8> {
        let content = format!("BT /F1 20 Tf 1 0 0 1 10 40 Tm ({text}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>".into(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        ];
        let mut out = String::from("%PDF-1.7\n");
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
        }
        let xref = out.len();
        out.push_str("xref\n0 5\n0000000000 65535 f \n");
        for o in offsets {
            out.push_str(&format!("{o:010} 00000 n \n"));
        }
        out.push_str(&format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        out.into_bytes()
    }

    #[test]
    fn a_page_is_drawn_at_150_dpi_with_its_text_where_it_stands() {
        let pages = draw(pdf("Hello pages")).unwrap();
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!((page.width, page.height), (200.0, 100.0));
        // 200 × 100 points at 150 dpi: 416 × 208 pixels (the PNG header's width, height).
        let (w, h) = (&page.png[16..20], &page.png[20..24]);
        assert_eq!((u32::from_be_bytes(w.try_into().unwrap()), u32::from_be_bytes(h.try_into().unwrap())), (416, 208));
        assert_eq!(page.lines.len(), 1);
        let line = &page.lines[0];
        assert_eq!(line.text, "Hello pages");
        // Baseline 40 points above the bottom: 60 below the top; 20-point type.
        assert!((line.x - 10.0).abs() < 0.5 && (line.y - 60.0).abs() < 0.5 && (line.size - 20.0).abs() < 0.5);
    }

    #[test]
    fn a_pdf_drawn_once_is_not_drawn_again() {
        let bytes = pdf("Kept");
        let first = draw_kept(bytes.clone(), "test-kept").unwrap();
        let again = draw_kept(bytes, "test-kept").unwrap();
        assert!(Arc::ptr_eq(&first, &again));
    }

    #[test]
    fn a_photograph_becomes_a_jpeg_and_a_text_page_stays_lossless() {
        let (w, h) = (1240u16, 1754u16);
        let mut seed = 28u32;
        let noisy: Vec<u8> = (0..w as usize * h as usize)
            .flat_map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let n = (seed >> 24) as u8 / 8;
                [(i % 200) as u8 + n, ((i / 7000) % 200) as u8 + n, 90 + n, 255]
            })
            .collect();
        assert_eq!(encode_page(w, h, &noisy).unwrap().1, "jpg");
        let mut text = vec![255u8; w as usize * h as usize * 4];
        text[..40_000].fill(0);
        let (png, ext) = encode_page(w, h, &text).unwrap();
        assert_eq!(ext, "png");
        assert!(png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn a_huge_page_is_drawn_within_the_pixel_cap() {
        let s = scale_for(2384.0, 3370.0);
        assert!(2384.0 * 3370.0 * s * s <= MAX_PAGE_PIXELS * 1.0001);
        assert_eq!(scale_for(595.0, 842.0), RASTER_DPI / 72.0);
    }
}
