//! Images and SVG judged before anything decodes or renders them: a raster image by the
//! size its header declares, an SVG by the images it embeds or links and the filters it
//! asks for. (A 633-byte JPEG can declare 65500×65500 pixels, 12.9 GB once decoded.)

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::model::input::{MAX_INPUT_BYTES, read_regular};

/// Most pixels of one raster image (header width × height): 40 megapixels is an A4 page
/// scanned at 600 dpi (35 MP) with room; decoded it is 160 MB, and larger images only
/// make the PDF bigger without printing sharper.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Longest side of a raster image, in pixels: a 40-megapixel budget spent on a
/// 1×40,000,000 strip is not an image that prints.
pub const MAX_IMAGE_SIDE: u32 = 20_000;

/// Most filtered elements (`filter="…"`, e.g. blur, drop shadow) in one SVG image: the PDF
/// cannot hold a filter, so each filtered element is rendered into a bitmap of its own.
pub const MAX_SVG_FILTERS: usize = 64;

/// Most bitmap pixels all filters of one SVG may need (estimated as the PDF writer
/// renders them: 4 pixels per point at the largest size the image prints, at most 5000
/// pixels a side). A filter over the whole printed image is about 5 megapixels, so this
/// allows three; a blur over a region 20 times the image is 25 megapixels per element
/// (16 s each).
pub const MAX_SVG_FILTER_PIXELS: f64 = 16_000_000.0;

/// Where the files an SVG links to are looked up: the series directory (nothing outside
/// it is read) and the folder of the SVG, relative to it.
pub(super) struct Linked<'a> {
    pub series_dir: &'a Path,
    pub dir: PathBuf,
}

/// Why `bytes` (a file named with extension `ext`, lower case, when known) cannot be
/// used as an image; `None` when it can. Nothing is decoded before its header has been
/// judged.
pub(super) fn image_problem(bytes: &[u8], ext: Option<&str>, linked: &Linked) -> Option<String> {
    use typst::visualize::{ImageFormat, VectorFormat};
    let Some(format) = ImageFormat::detect(bytes) else {
        return Some("不是可辨識的圖片".into());
    };
    let (name, exts): (&str, &[&str]) = match format {
        ImageFormat::Raster(typst::visualize::RasterFormat::Exchange(f)) => {
            use typst::visualize::ExchangeFormat::*;
            match f {
                Png => ("PNG", &["png"]),
                Jpg => ("JPEG", &["jpg", "jpeg"]),
                Gif => ("GIF", &["gif"]),
                Webp => ("WebP", &["webp"]),
            }
        }
        ImageFormat::Vector(VectorFormat::Svg) => ("SVG", &["svg"]),
        _ => return Some("不是可辨識的圖片".into()),
    };
    if let Some(ext) = ext
        && !exts.contains(&ext)
    {
        return Some(format!("的內容是 {name} 圖片，與副檔名「.{ext}」不符；請將副檔名改為 .{}", exts[0]));
    }
    match format {
        ImageFormat::Vector(_) => svg_problem(bytes, linked),
        ImageFormat::Raster(format) => raster_problem(bytes, format),
    }
}

/// The header's size against the limits, then (safe now) a decode as Typst will do it
/// (memoized: Typst does not decode it a second time).
fn raster_problem(bytes: &[u8], format: typst::visualize::RasterFormat) -> Option<String> {
    use typst::foundations::Bytes;
    use typst::visualize::RasterImage;
    if let Some(problem) = header_problem(bytes) {
        return Some(problem);
    }
    RasterImage::plain(Bytes::new(bytes.to_vec()), format).err().map(|e| format!("無法解碼（{e}）"))
}

/// The width and height the header declares, against [`MAX_IMAGE_PIXELS`] and
/// [`MAX_IMAGE_SIDE`]; nothing is decoded.
pub(super) fn header_problem(bytes: &[u8]) -> Option<String> {
    let size = match imagesize::blob_size(bytes) {
        Ok(size) => size,
        Err(e) => return Some(format!("無法讀取圖片的檔頭（{e}）")),
    };
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 {
        return Some(format!("的檔頭宣告的大小是 {w}×{h} 像素，不是可用的圖片"));
    }
    let pixels = w * h;
    if w > MAX_IMAGE_SIDE as u64 || h > MAX_IMAGE_SIDE as u64 || pixels > MAX_IMAGE_PIXELS {
        return Some(format!(
            "過大：{w}×{h} 像素（{:.1} 百萬像素），上限為 {} 百萬像素、每邊 {MAX_IMAGE_SIDE} 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            pixels as f64 / 1e6,
            MAX_IMAGE_PIXELS / 1_000_000
        ));
    }
    None
}

/// Parse as Typst does (usvg), resolving linked images the way Typst resolves them (from
/// the SVG's folder, inside the series), then judge every image inside (embedded `data:`
/// URLs and links) by its header and bound the filters.
fn svg_problem(bytes: &[u8], linked: &Linked) -> Option<String> {
    let error: Arc<Mutex<Option<String>>> = Default::default();
    let record = |message: String| {
        let mut e = error.lock().unwrap_or_else(|p| p.into_inner());
        e.get_or_insert(message);
    };
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            // Embedded images are judged by their header before usvg sizes them (a
            // corrupt size makes usvg 0.47 panic: found by fuzz_media).
            resolve_data: {
                let default = usvg::ImageHrefResolver::default_data_resolver();
                Box::new(move |mime: &str, data: Arc<Vec<u8>>, opts: &usvg::Options| {
                    if let Some(problem) = header_problem(&data) {
                        record(format!("內含的圖片{problem}"));
                        return None;
                    }
                    default(mime, data, opts)
                })
            },
            resolve_string: Box::new(|href, _| match load_linked(href, linked) {
                Ok(kind) => Some(kind),
                Err(message) => {
                    record(message);
                    None
                }
            }),
        },
        ..usvg::Options::default()
    };
    // usvg panics on some malformed geometry instead of returning an error: such an SVG
    // is refused here, before Typst (which parses it with the same usvg) could crash.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| usvg::Tree::from_data(bytes, &options)));
    let tree = match parsed {
        Ok(Ok(tree)) => tree,
        Ok(Err(_)) | Err(_) => return Some("不是有效的 SVG 圖片".into()),
    };
    drop(options);
    if let Some(message) = error.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Some(message);
    }
    // The largest the image prints: the width of the text block and 70% of its height
    // (templates/attachment.typ), about 460 × 500 pt on A4.
    let size = tree.size();
    let scale = (460.0 / size.width()).min(500.0 / size.height()) as f64;
    let mut walk = Walk::default();
    walk.group(tree.root(), scale);
    if let Some(problem) = walk.problem {
        return Some(problem);
    }
    if walk.filters > MAX_SVG_FILTERS {
        return Some(format!(
            "有 {} 個套用濾鏡的元素，上限 {MAX_SVG_FILTERS} 個；濾鏡須逐一轉成點陣圖，請減少濾鏡或先將圖片轉成 PNG",
            walk.filters
        ));
    }
    if walk.filter_pixels > MAX_SVG_FILTER_PIXELS {
        return Some(format!(
            "的濾鏡（如模糊、陰影）範圍過大：約需 {:.1} 百萬像素的點陣圖，上限 {:.0} 百萬像素；請縮小濾鏡範圍或先將圖片轉成 PNG",
            walk.filter_pixels / 1e6,
            MAX_SVG_FILTER_PIXELS / 1e6
        ));
    }
    None
}

/// Why a file that another file names (a Markdown image, an SVG's link) cannot be read.
pub(super) enum Unreachable {
    /// The path climbs out of the series folder (`../../x.png`).
    Outside,
    /// It is inside, but a link leads out of the series folder.
    LinksOutside,
    Missing,
    Unreadable(crate::model::input::ReadError),
}

/// Read `href`, relative to the folder `dir` (itself relative to the series folder):
/// the one way rendering reads a file that another file names. Nothing outside the
/// series is read, and only regular files. Returns its path relative to the series
/// folder, and its bytes.
pub(super) fn read_in_series(series_dir: &Path, dir: &Path, href: &str) -> Result<(PathBuf, Vec<u8>), Unreachable> {
    let rel = crate::model::normalize(&dir.join(href)).ok_or(Unreachable::Outside)?;
    let real = series_dir.join(&rel);
    match real.canonicalize() {
        Ok(c) if !c.starts_with(series_dir) => return Err(Unreachable::LinksOutside),
        Ok(_) => {}
        Err(_) => return Err(Unreachable::Missing),
    }
    let bytes = read_regular(&real, MAX_INPUT_BYTES).map_err(Unreachable::Unreadable)?;
    Ok((rel, bytes))
}

/// A linked image (`<image href="pic.png">`), as Typst's SVG loader finds it: relative to
/// the SVG's folder, inside the series, a regular file, PNG/JPEG/GIF/WebP.
fn load_linked(href: &str, linked: &Linked) -> Result<usvg::ImageKind, String> {
    let href_path = href.strip_prefix("file://").unwrap_or(href);
    let scheme = href_path.find("://").map(|pos| &href_path[..pos]);
    if href_path.starts_with('/') || scheme.is_some() {
        return Err(format!(
            "連結的圖片「{href}」不是相對路徑；SVG 只能連結系列目錄內、相對於 SVG 檔所在目錄的圖片（或以 data: 內嵌）"
        ));
    }
    let (_, bytes) = read_in_series(linked.series_dir, &linked.dir, href_path).map_err(|e| match e {
        Unreachable::Outside | Unreachable::LinksOutside => format!("連結的圖片「{href}」在系列目錄之外"),
        Unreachable::Missing => format!("找不到連結的圖片「{href}」"),
        Unreachable::Unreadable(e) => format!("無法讀取連結的圖片「{href}」：{}", e.reason()),
    })?;
    let data = Arc::new(bytes);
    use typst::visualize::{ExchangeFormat::*, ImageFormat, RasterFormat};
    match ImageFormat::detect(&data) {
        Some(ImageFormat::Raster(RasterFormat::Exchange(f))) => Ok(match f {
            Png => usvg::ImageKind::PNG(data),
            Jpg => usvg::ImageKind::JPEG(data),
            Gif => usvg::ImageKind::GIF(data),
            Webp => usvg::ImageKind::WEBP(data),
        }),
        _ => Err(format!("連結的「{href}」不是 PNG、JPEG、GIF 或 WebP 圖片（SVG 內不能再連結 SVG 或 PDF）")),
    }
}

/// What a walk over an SVG tree found.
#[derive(Default)]
struct Walk {
    filters: usize,
    filter_pixels: f64,
    problem: Option<String>,
}

impl Walk {
    /// `scale`: printed points per user unit of this tree's root (at most).
    fn group(&mut self, g: &usvg::Group, scale: f64) {
        if self.problem.is_some() {
            return;
        }
        if !g.filters().is_empty() {
            self.filters += 1;
            self.filter_pixels += filter_pixels(g, scale);
        }
        for node in g.children() {
            match node {
                usvg::Node::Group(child) => self.group(child, scale),
                usvg::Node::Image(image) => self.image(image),
                _ => {}
            }
            if !matches!(node, usvg::Node::Image(_)) {
                // Clip paths, masks, patterns.
                node.subroots(|sub| self.group(sub, scale));
            }
        }
    }

    fn image(&mut self, image: &usvg::Image) {
        use usvg::ImageKind::*;
        match image.kind() {
            JPEG(data) | PNG(data) | GIF(data) | WEBP(data) => {
                use typst::visualize::ExchangeFormat as F;
                let format = match image.kind() {
                    JPEG(_) => F::Jpg,
                    PNG(_) => F::Png,
                    GIF(_) => F::Gif,
                    _ => F::Webp,
                };
                // The header first; then (safe now) a decode, as the PDF writer will.
                if let Some(problem) = raster_problem(data, format.into()) {
                    self.problem = Some(format!("內含的圖片{problem}"));
                }
            }
            // An SVG inside the SVG: its filters counted at the largest bitmap the PDF
            // writer makes (5000 pixels a side), whatever it prints at.
            SVG(tree) => self.group(tree.root(), f64::INFINITY),
        }
    }
}

/// The bitmap pixels the PDF writer (krilla-svg) renders a filtered group into: its
/// layer box at 4 pixels per printed point, capped at 5000 pixels a side.
fn filter_pixels(g: &usvg::Group, scale: f64) -> f64 {
    let abs = g.abs_layer_bounding_box();
    let Some(layer) = g.layer_bounding_box().transform(g.transform()) else {
        return 0.0;
    };
    let (lw, lh) = (layer.width() as f64, layer.height() as f64);
    let ratio = (abs.width() as f64 / lw).max(abs.height() as f64 / lh) * scale;
    let raster = (4.0 * ratio).min(5000.0 / lw.max(lh));
    lw * lh * raster * raster
}
