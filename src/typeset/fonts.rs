//! Fonts: TW-Kai (全字庫正楷體) and a Latin face for it are compiled into the binary,
//! so `packet` works on a machine with no fonts installed; `--font-path DIR` adds more.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::diag::{Diagnostic, Result};
use crate::model::Packet;
use crate::model::input::{MAX_INPUT_BYTES, read_regular};
use crate::model::validate::{fields, is_markdown_field, walk_strings};
use crate::text::markdown::decoded_text;

/// TW-Kai 98_1 from the Debian package fonts-cns11643-kai (OGDL-TW-1.0, see fonts/).
static TW_KAI: &[u8] = include_bytes!("../../fonts/TW-Kai-98_1.ttf");

/// Liberation Serif 2.1.5 from the Debian package fonts-liberation2 (SIL OFL 1.1, see
/// fonts/): TW-Kai draws `-` as a full-width dash (113—04—02) and `/` `@` as wide
/// CJK forms, so ASCII letters and punctuation are taken from a Times-metric serif, as
/// official documents pair 標楷體 with Times New Roman. Digits stay TW-Kai's.
static LATIN: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");

/// The family name of the default body font.
pub const DEFAULT_FAMILY: &str = "TW-Kai";

/// The family of the embedded Latin face, used before TW-Kai for [`LATIN_COVERS`].
pub const LATIN_FAMILY: &str = "Liberation Serif";

/// What the Latin face prints (a Typst `covers` regex: one character class): ASCII
/// letters and punctuation and the Latin-1/Extended-A/B letters, not digits (kept as
/// TW-Kai draws them, as the seed shows them) and not spaces (whose width the
/// templates set against the CJK text).
pub const LATIN_COVERS: &str = r"[\x{21}-\x{2F}\x{3A}-\x{7E}\x{A1}-\x{24F}]";

/// Families tried, in order, after the body font for characters it lacks
/// (CJK Extension B and the Plus plane of the same Kai design).
pub const FALLBACK_FAMILIES: &[&str] = &["TW-Kai-Ext-B", "TW-Kai-Plus"];

/// The name of the series' font folder (see [`super::folder`]), as the messages say it.
pub const FOLDER: &str = "字型";

/// Parsing a 50 MB font takes a moment: do it once per process.
fn embedded() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| Font::iter(Bytes::new(TW_KAI)).chain(Font::iter(Bytes::new(LATIN))).collect())
}

/// The fonts one compilation can use.
pub struct FontSet {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
    /// The families of the fonts added (`--font-path`, the series' font folder), in the
    /// order found: tried last, for what the Kai fonts lack (an emoji, a symbol).
    added: Vec<String>,
}

impl FontSet {
    /// The embedded fonts plus every font file found in `dirs` (recursively).
    pub fn load(dirs: &[PathBuf]) -> Result<FontSet> {
        let mut fonts: Vec<Font> = Vec::new();
        for dir in dirs {
            if !dir.is_dir() {
                return Err(Diagnostic::error("--font-path 不是目錄").at_file(dir).into());
            }
            let mut files = Vec::new();
            collect_font_files(dir, &mut files);
            files.sort();
            for path in files {
                let data = read_regular(&path, MAX_INPUT_BYTES)
                    .map_err(|e| Diagnostic::error(format!("無法讀取字型：{}", e.reason())).at_file(&path))?;
                fonts.extend(Font::iter(Bytes::new(data)));
            }
        }
        Ok(FontSet::embedded_with(Vec::new(), fonts))
    }

    /// These fonts and `more` (fonts are shared, not copied).
    pub fn with(&self, more: Vec<Font>) -> FontSet {
        let embedded = embedded().len();
        FontSet::embedded_with(self.fonts[embedded..].to_vec(), more)
    }

    fn embedded_with(added: Vec<Font>, more: Vec<Font>) -> FontSet {
        let mut families: Vec<String> = Vec::new();
        for f in added.iter().chain(&more) {
            let family = &f.info().family;
            if !families.iter().any(|o| o.eq_ignore_ascii_case(family)) {
                families.push(family.clone());
            }
        }
        let fonts: Vec<Font> = embedded().iter().cloned().chain(added).chain(more).collect();
        let book = FontBook::from_fonts(&fonts);
        FontSet { book: LazyHash::new(book), fonts, added: families }
    }

    /// Whether a family (case-insensitive) is available.
    pub(crate) fn has_family(&self, family: &str) -> bool {
        self.book.contains_family(&family.to_lowercase())
    }

    /// The family list for `text(font: ..)`: the body font, then the fallbacks present
    /// (and TW-Kai itself when another body font is chosen, so a Sung/Ming body font that
    /// lacks a character falls back to the government Kai), then the fonts added, last.
    /// With the default body font, the Latin face comes first (see [`LATIN_COVERS`]).
    pub fn families(&self, body: &str) -> Vec<String> {
        let mut out: Vec<String> = vec![body.to_string()];
        if body.eq_ignore_ascii_case(DEFAULT_FAMILY) {
            out.insert(0, LATIN_FAMILY.to_string());
        }
        let kai = FALLBACK_FAMILIES.iter().copied().chain([DEFAULT_FAMILY]).filter(|f| self.has_family(f));
        for f in kai.chain(self.added.iter().map(String::as_str)) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(f)) {
                out.push(f.to_string());
            }
        }
        out
    }

    /// The first character of `text` that no font in `families` can show.
    pub fn missing_glyph(&self, families: &[String], text: &str) -> Option<char> {
        let fonts: Vec<&Font> = self
            .fonts
            .iter()
            .filter(|f| families.iter().any(|fam| f.info().family.eq_ignore_ascii_case(fam)))
            .collect();
        // Each distinct character once: a packet repeats a few thousand characters
        // tens of thousands of times, and a coverage lookup is a search.
        let mut seen = std::collections::HashSet::new();
        text.chars()
            .filter(|c| !c.is_control() && !c.is_whitespace() && !is_ignorable(*c))
            .filter(|&c| seen.insert(c))
            .find(|&c| !fonts.iter().any(|f| f.info().coverage.contains(c as u32)))
    }
}

/// The text of an attachment as it was read for the document, for pointing into it.
pub struct AttachmentText<'a> {
    /// `report[0].attachment[1].file`
    pub field: String,
    /// The file as the user named it (relative to the working directory).
    pub path: &'a Path,
    pub text: &'a str,
}

/// A character of the document that no font can show: it would print as an empty box and
/// be missing from the PDF's text (search, copy, screen readers). Reported at the field, or
/// the attachment line, that holds it; `editor`: worded for the browser editor (no program
/// option, and the page is reloaded rather than the command run again).
pub fn missing_glyph(
    p: &Packet,
    fonts: &FontSet,
    families: &[String],
    source: &str,
    attachments: &[AttachmentText<'_>],
    editor: bool,
) -> Option<Diagnostic> {
    let c = fonts.missing_glyph(families, source)?;
    let message = if editor {
        format!(
            "字型沒有「{c}」的字形，會印成空白方框且無法搜尋；請將含此字的字型檔{}放入系列資料夾中的「{}」資料夾後重新整理",
            suggestion(c),
            FOLDER
        )
    } else {
        // The Latin face prints only ASCII letters and punctuation: not worth naming.
        let named: Vec<&str> = families.iter().map(String::as_str).filter(|f| *f != LATIN_FAMILY).collect();
        format!(
            "字型（{}）沒有「{c}」(U+{:04X}) 的字形，會印成空白方框且無法搜尋；請將含此字的字型檔{}放入系列資料夾中的「{}」資料夾，或以 --font-path 指定字型資料夾，再重新執行",
            named.join("、"),
            c as u32,
            suggestion(c),
            FOLDER
        )
    };
    for (src, v) in fields(p) {
        let mut found = None;
        walk_strings(&v, String::new(), &mut |path, s| {
            // A Markdown field may hold it as a character reference (`&#x1F600;`).
            let decoded = || is_markdown_field(path) && s.contains('&') && decoded_text(s).contains(c);
            if found.is_none() && (s.contains(c) || decoded()) {
                found = Some(path.to_string());
            }
        });
        if let Some(path) = found {
            return Some(src.error_at(&path, message));
        }
    }
    for a in attachments {
        if let Some(offset) = a.text.find(c) {
            let (line, col) = crate::diag::line_col(a.text, offset);
            return Some(Diagnostic::error(message).at(a.path, line, col).field(&a.field));
        }
    }
    Some(Diagnostic::error(message).at_file(&p.meeting_src.path))
}

/// The font that has it, for the characters a font of the 全字庫 has that TW-Kai lacks:
/// CJK Extension B and beyond (plane 2) and the 全字庫's own characters (plane 15).
fn suggestion(c: char) -> &'static str {
    match c as u32 {
        0x20000..=0x2FFFF => {
            "（如全字庫正楷體 Ext-B，TW-Kai-Ext-B-98_1.ttf，可自 https://data.gov.tw/dataset/5961 下載）"
        }
        0xF0000..=0xFFFFD => {
            "（如全字庫正楷體 Plus，TW-Kai-Plus-98_1.ttf，可自 https://data.gov.tw/dataset/5961 下載）"
        }
        _ => "",
    }
}

/// Format characters that are never drawn (joiners, direction marks, variation selectors).
fn is_ignorable(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

fn collect_font_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_font_files(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
        {
            out.push(path);
        }
    }
}
