//! Fonts: TW-Kai (全字庫正楷體) is compiled into the binary, so `packet` works on a
//! machine with no fonts installed; `--font-path DIR` adds more.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::diag::{Diagnostic, Result};

/// TW-Kai 98_1 from the Debian package fonts-cns11643-kai (OGDL-TW-1.0, see fonts/).
static TW_KAI: &[u8] = include_bytes!("../fonts/TW-Kai-98_1.ttf");

/// The family name of the default body font.
pub const DEFAULT_FAMILY: &str = "TW-Kai";

/// Families tried, in order, after the body font for characters it lacks
/// (CJK Extension B and the Plus plane of the same Kai design).
pub const FALLBACK_FAMILIES: &[&str] = &["TW-Kai-Ext-B", "TW-Kai-Plus"];

/// Parsing a 50 MB font takes a moment: do it once per process.
fn embedded() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| Font::iter(Bytes::new(TW_KAI)).collect())
}

/// The fonts one compilation can use.
pub struct FontSet {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
}

impl FontSet {
    /// The embedded fonts plus every font file found in `dirs` (recursively).
    pub fn load(dirs: &[PathBuf]) -> Result<FontSet> {
        let mut fonts: Vec<Font> = embedded().to_vec();
        for dir in dirs {
            if !dir.is_dir() {
                return Err(Diagnostic::error("--font-path 不是目錄")
                    .at_file(dir)
                    .into());
            }
            let mut files = Vec::new();
            collect_font_files(dir, &mut files);
            files.sort();
            for path in files {
                let data = std::fs::read(&path).map_err(|e| {
                    Diagnostic::error(format!("無法讀取字型：{}", crate::output::io_reason(&e)))
                        .at_file(&path)
                })?;
                fonts.extend(Font::iter(Bytes::new(data)));
            }
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(FontSet {
            book: LazyHash::new(book),
            fonts,
        })
    }

    /// Whether a family (case-insensitive) is available.
    pub fn has_family(&self, family: &str) -> bool {
        self.book.contains_family(&family.to_lowercase())
    }

    /// The family list for `text(font: ..)`: the body font, then the fallbacks present
    /// (and TW-Kai itself last when another body font is chosen, so a Sung/Ming body
    /// font that lacks a character falls back to the government Kai, not to any font).
    pub fn families(&self, body: &str) -> Vec<String> {
        let mut out: Vec<String> = vec![body.to_string()];
        for f in FALLBACK_FAMILIES.iter().copied().chain([DEFAULT_FAMILY]) {
            if self.has_family(f) && !out.iter().any(|o| o.eq_ignore_ascii_case(f)) {
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
            .filter(|f| {
                families
                    .iter()
                    .any(|fam| f.info().family.eq_ignore_ascii_case(fam))
            })
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
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(path);
        }
    }
}
