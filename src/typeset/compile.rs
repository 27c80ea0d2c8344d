//! Typst source → PagedDocument → PDF bytes, in process.
//!
//! Every document is written as an archival, accessible PDF by default: PDF/A-2a
//! (ISO 19005-2, level a: tagged, Unicode text) together with PDF/UA-1 (ISO 14289-1).
//! Typst checks both while writing the file; what it finds becomes our diagnostics.
//! The creation date comes from the packet (or `SOURCE_DATE_EPOCH`), never the clock,
//! so equal input gives equal bytes.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, Timelike};
use typst::World;
use typst::diag::{SourceDiagnostic, SourceResult, Warned};
use typst::foundations::{Datetime, Smart};
use typst::syntax::DiagSpanKind;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::world::PacketWorld;
use crate::diag::{Diagnostic, Diagnostics, Result, Severity};

/// Taiwan (UTC+8, no daylight saving): the time zone of every meeting.
pub const TAIWAN_OFFSET_MINUTES: i32 = 8 * 60;

/// Which PDF standards a document claims and Typst enforces; the names are those of
/// `--pdf-standard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PdfProfile {
    /// PDF/A-2a and PDF/UA-1: archival, tagged and accessible (the default).
    #[default]
    #[value(name = "a-2a+ua-1", alias = "a-2a,ua-1")]
    A2aUa1,
    /// PDF/A-2a alone (tagged, archival; no PDF/UA claim).
    #[value(name = "a-2a")]
    A2a,
    /// PDF/A-2u: archival, every glyph mapped to Unicode; tags written but not claimed.
    #[value(name = "a-2u")]
    A2u,
    /// PDF/A-2b: archival appearance only; tags written but not claimed.
    #[value(name = "a-2b")]
    A2b,
    /// No standard claimed: a tagged PDF 1.7.
    #[value(name = "none")]
    Plain,
}

impl PdfProfile {
    /// Human-readable name, e.g. `PDF/A-2a、PDF/UA-1`.
    pub fn label(self) -> &'static str {
        match self {
            PdfProfile::A2aUa1 => "PDF/A-2a、PDF/UA-1",
            PdfProfile::A2a => "PDF/A-2a",
            PdfProfile::A2u => "PDF/A-2u",
            PdfProfile::A2b => "PDF/A-2b",
            PdfProfile::Plain => "PDF 1.7",
        }
    }

    /// Whether the profile claims PDF/A (and so forbids pages of other PDFs, which
    /// Typst cannot check: every PDF/A and PDF/UA profile refuses them).
    pub(crate) fn is_archival(self) -> bool {
        self != PdfProfile::Plain
    }

    fn standards(self) -> Vec<PdfStandard> {
        match self {
            PdfProfile::A2aUa1 => vec![PdfStandard::A_2a, PdfStandard::Ua_1],
            PdfProfile::A2a => vec![PdfStandard::A_2a],
            PdfProfile::A2u => vec![PdfStandard::A_2u],
            PdfProfile::A2b => vec![PdfStandard::A_2b],
            PdfProfile::Plain => vec![PdfStandard::V_1_7],
        }
    }
}

/// How one document is written: its stable identity, creation date and standard.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// Names the document stably (series, meeting, kind); hashed into the PDF /ID.
    pub ident: String,
    /// Creation date in Taiwan local time (see [`creation_time`]).
    pub created: NaiveDateTime,
    pub profile: PdfProfile,
}

impl PdfSettings {
    /// The default archival settings for a document created at `created` (the meeting's
    /// date and time, Taiwan local), or at `source_date_epoch` when given.
    pub fn archival(ident: &str, created: NaiveDateTime, source_date_epoch: Option<&str>) -> Result<PdfSettings> {
        Ok(PdfSettings {
            ident: ident.to_string(),
            created: creation_time(created, source_date_epoch)?,
            profile: PdfProfile::default(),
        })
    }
}

/// The creation date written into a PDF: `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention) in Taiwan time when given, otherwise `packet_time`
/// (the meeting's date and time). Never the clock.
pub(crate) fn creation_time(packet_time: NaiveDateTime, source_date_epoch: Option<&str>) -> Result<NaiveDateTime> {
    let Some(epoch) = source_date_epoch.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(packet_time);
    };
    let secs: i64 = epoch.parse().map_err(|_| {
        Diagnostic::error(format!("環境變數 SOURCE_DATE_EPOCH 應為 1970-01-01 起的整數秒數，而非「{epoch}」"))
            .field("SOURCE_DATE_EPOCH")
    })?;
    let utc = DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| Diagnostic::error(format!("SOURCE_DATE_EPOCH 超出範圍：{epoch}")).field("SOURCE_DATE_EPOCH"))?;
    let taiwan = FixedOffset::east_opt(TAIWAN_OFFSET_MINUTES * 60).expect("UTC+8 is valid");
    Ok(utc.with_timezone(&taiwan).naive_local())
}

pub struct Compiled {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Typst warnings, as diagnostics of warning severity.
    pub warnings: Vec<Diagnostic>,
}

/// Compile the world's main file to a tagged PDF 1.7 that claims no standard (for
/// fragments such as tests; documents use [`compile_with`] and
/// [`PdfSettings::archival`]). `ident` names the document stably and `created` is its
/// creation date in Taiwan time, never the clock.
pub fn compile(world: &PacketWorld, ident: &str, created: NaiveDateTime) -> Result<Compiled> {
    compile_with(world, &PdfSettings { ident: ident.to_string(), created, profile: PdfProfile::Plain })
}

/// Compile the world's main file to PDF with explicit settings: the agenda, the
/// minutes and every other document pass [`PdfSettings::archival`].
pub fn compile_with(world: &PacketWorld, settings: &PdfSettings) -> Result<Compiled> {
    let Warned { output, warnings } = compile_bounded(world, TRIM_PERIOD);
    let warnings = warnings.iter().map(|w| to_diagnostic(world, w, "排版警告").severity(Severity::Warning)).collect();
    let document =
        output.map_err(|errors| Diagnostics(errors.iter().map(|e| to_diagnostic(world, e, "排版失敗")).collect()))?;
    let c = settings.created;
    let timestamp = Datetime::from_ymd_hms(
        c.year(),
        c.month() as u8,
        c.day() as u8,
        c.hour() as u8,
        c.minute() as u8,
        c.second() as u8,
    )
    .and_then(|d| Timestamp::new_local(d, TAIWAN_OFFSET_MINUTES));
    let standards = PdfStandards::new(&settings.profile.standards())
        .map_err(|e| Diagnostic::error(format!("PDF 標準設定錯誤（{}）：{}", settings.profile.label(), e.message())))?;
    let options = PdfOptions {
        ident: Smart::Custom(settings.ident.clone()),
        creator: Smart::Custom(Some(format!("packet {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let prefix = format!("排版失敗（{} 檢查）", settings.profile.label());
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| Diagnostics(errors.iter().map(|e| to_diagnostic(world, e, &prefix)).collect()))?;
    Ok(Compiled { pdf, pages: document.pages().len(), warnings })
}

/// A document laid out for the preview: each page with its hash, and the page (from 0)
/// of each place the source marks with a `<packet-item>` label on `metadata` (its value,
/// a string naming the item: `report[0]`). Pages are drawn later ([`svg_of`]), only
/// those the browser asks for.
pub struct SvgPreview {
    pub pages: Vec<(u128, typst_layout::Page)>,
    pub items: Vec<(String, usize)>,
}

/// The label of the invisible marks the templates put at each item (`#metadata(..)<packet-item>`).
pub const ITEM_LABEL: &str = "packet-item";

/// Lay the world's main file out for `packet serve`'s preview: the pages and their hashes
/// (the same typst version draws them as the PDF's). No PDF is written, nothing drawn.
pub fn compile_svg_pages(world: &PacketWorld) -> Result<SvgPreview> {
    let Warned { output, .. } = compile_bounded(world, TRIM_PERIOD);
    let document =
        output.map_err(|errors| Diagnostics(errors.iter().map(|e| to_diagnostic(world, e, "排版失敗")).collect()))?;
    let pages = document.pages().iter().map(|page| (typst::utils::hash128(page), page.clone())).collect();
    Ok(SvgPreview { pages, items: item_pages(&document) })
}

/// One page drawn as SVG by typst-svg, for the screen: its numbers rounded to 1/100 pt.
pub fn svg_of(page: &typst_layout::Page) -> String {
    round_numbers(&typst_svg::svg(page, &typst_svg::SvgOptions::default()))
}

/// `svg` with every decimal number rounded to two places. typst-svg writes up to nine (a
/// page of TW-Kai text is 0.7–1.7 MB, 80% of it digits of glyph outlines); on a screen a
/// hundredth of a point is nothing, and the browser reads a third less. Digits that are
/// not part of a decimal number (ids, base64 data) are left as they are.
fn round_numbers(svg: &str) -> String {
    let bytes = svg.as_bytes();
    let mut out = String::with_capacity(svg.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let int_end = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let frac = bytes.get(int_end) == Some(&b'.') && bytes.get(int_end + 1).is_some_and(u8::is_ascii_digit);
        if !frac {
            i = int_end;
            continue;
        }
        let end = int_end + 1 + bytes[int_end + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        let Ok(value) = svg[i..end].parse::<f64>() else {
            i = end;
            continue;
        };
        out.push_str(&svg[copied..i]);
        let text = format!("{value:.2}");
        out.push_str(text.trim_end_matches('0').trim_end_matches('.'));
        copied = end;
        i = end;
    }
    out.push_str(&svg[copied..]);
    out
}

/// Where each marked item is: its name and page (from 0), in the document's order.
fn item_pages(document: &PagedDocument) -> Vec<(String, usize)> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::MetadataElem;
    let Some(label) = Label::new(typst::utils::PicoStr::intern(ITEM_LABEL)) else { return Vec::new() };
    let introspector = document.introspector();
    introspector
        .elements()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|mark| {
            let Value::Str(name) = &mark.to_packed::<MetadataElem>()?.value else { return None };
            let page = introspector.position(mark.location()?)?.page.get() - 1;
            Some((name.to_string(), page))
        })
        .collect()
}

/// How often Typst's memo cache is trimmed while one document compiles, and how many
/// trims an unused entry survives.
const TRIM_PERIOD: Duration = Duration::from_millis(250);
const TRIM_MAX_AGE: usize = 2;

/// `typst::compile`, with Typst's memo cache trimmed while it runs. Typst memoizes the
/// layout of every table cell and keeps it until the process ends: a 20,000-row table
/// left 2.2 GB of such entries, each used once or twice within a moment. Entries unused
/// for [`TRIM_MAX_AGE`] periods are dropped. A document that compiles within a period
/// or two (every ordinary agenda) loses nothing, so the cache that series builds and
/// `watch` rely on stays warm; a long one re-lays out on Typst's second pass instead of
/// holding the first pass in memory. comemo's caches are shared between threads and
/// made for eviction from any of them; a dropped entry is only computed again, so the
/// PDF is the same byte for byte (tested below).
fn compile_bounded(world: &PacketWorld, period: Duration) -> Warned<SourceResult<PagedDocument>> {
    let (compiling, finished) = mpsc::channel::<()>();
    thread::scope(|scope| {
        scope.spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(period) {
                typst::comemo::evict(TRIM_MAX_AGE);
            }
        });
        let result = typst::compile::<PagedDocument>(world);
        drop(compiling);
        result
    })
}

/// A Typst diagnostic, located in the generated source (`agenda.typ:line:col`).
fn to_diagnostic(world: &PacketWorld, d: &SourceDiagnostic, prefix: &str) -> Diagnostic {
    let mut message = format!("{prefix}：{}", d.message);
    // Hints about the typst CLI's own flags do not apply: packet sets the root itself.
    for hint in d.hints.iter().filter(|h| !h.v.contains("--root")) {
        message.push_str(&format!("（{}）", hint.v));
    }
    let mut diag = Diagnostic::error(message).field("typst");
    let (id, range) = match d.span.get() {
        DiagSpanKind::Number { id, .. } => (Some(id), world.range_of(d)),
        DiagSpanKind::Range { id, range } => (Some(id), Some(range)),
        DiagSpanKind::Detached => (None, None),
    };
    if let Some(id) = id {
        let name = id.vpath().get_without_slash().to_string();
        if let (Ok(source), Some(range)) = (world.source(id), range) {
            let (line, col) = crate::diag::line_col(source.text(), range.start);
            diag = diag.at(name, line, col);
        } else {
            diag = diag.at_file(name);
        }
    }
    diag
}

trait RangeOf {
    fn range_of(&self, d: &SourceDiagnostic) -> Option<std::ops::Range<usize>>;
}

impl RangeOf for PacketWorld {
    fn range_of(&self, d: &SourceDiagnostic) -> Option<std::ops::Range<usize>> {
        use typst::WorldExt;
        self.range(d.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn creation_time_is_the_packets_unless_source_date_epoch_is_set() {
        let meeting = at("2024-04-29 14:30");
        assert_eq!(creation_time(meeting, None).unwrap(), meeting);
        assert_eq!(creation_time(meeting, Some("")).unwrap(), meeting);
        // 2024-05-01T00:00:00Z is 08:00 in Taipei.
        assert_eq!(creation_time(meeting, Some("1714521600")).unwrap(), at("2024-05-01 08:00"));
        let e = creation_time(meeting, Some("yesterday")).unwrap_err();
        assert!(e.to_string().contains("SOURCE_DATE_EPOCH"), "{e}");
    }

    /// Trimming the cache as often as possible while a document compiles changes
    /// nothing in the PDF: the document is long enough (tables, counters, a second
    /// layout pass for the page total) that many trims fall inside its compilation.
    #[test]
    fn trimming_the_cache_during_compilation_leaves_the_pdf_unchanged() {
        let rows: String =
            (1..=400).map(|i| format!("[{i}], [第 {i} 列的說明文字，長得足以換行，讓表格跨頁。], ")).collect();
        let source = format!(
            "#set page(footer: context [第 #counter(page).display() 頁，共 #counter(page).final().first() 頁])\n\
             #table(columns: (1fr, 4fr), table.header([項次], [說明]), {rows})"
        );
        let fonts = std::sync::Arc::new(super::super::fonts::FontSet::load(&[]).expect("bundled fonts"));
        let world = PacketWorld::new(fonts, "main.typ", source, None);
        let pdf_of = |document: PagedDocument| {
            typst_pdf::pdf(&document, &PdfOptions { ident: Smart::Custom("t".into()), ..PdfOptions::default() })
                .expect("pdf")
        };
        let plain = pdf_of(typst::compile::<PagedDocument>(&world).output.expect("compiles"));
        typst::comemo::evict(0);
        let trimmed = pdf_of(compile_bounded(&world, Duration::from_micros(50)).output.expect("compiles"));
        assert!(plain.len() > 10_000, "a document of several pages");
        assert!(plain == trimmed, "trimming changed the PDF");
    }

    #[test]
    fn the_screens_svg_keeps_two_decimals_and_leaves_ids_alone() {
        let svg = r##"<svg viewBox="0 0 595.275590551 841.88976378" width="595.275590551pt"><use xlink:href="#g5EEE28A1.4E02" x="20"/><path d="M 0 0m 5.1171875 5.0390625q -0.234375 -0.09765625 -0.004 12.999"/></svg>"##;
        assert_eq!(
            round_numbers(svg),
            r##"<svg viewBox="0 0 595.28 841.89" width="595.28pt"><use xlink:href="#g5EEE28A1.4E02" x="20"/><path d="M 0 0m 5.12 5.04q -0.23 -0.1 -0 13"/></svg>"##
        );
    }

    #[test]
    fn every_profile_is_a_valid_typst_combination() {
        use clap::ValueEnum;
        for p in PdfProfile::value_variants() {
            let name = p.to_possible_value().unwrap().get_name().to_string();
            assert!(PdfStandards::new(&p.standards()).is_ok(), "{name}");
            assert_eq!(PdfProfile::from_str(&name, true), Ok(*p));
        }
        assert_eq!(PdfProfile::from_str("A-2a,UA-1", true), Ok(PdfProfile::A2aUa1));
        assert!(PdfProfile::from_str("a-3b", true).is_err());
    }
}
