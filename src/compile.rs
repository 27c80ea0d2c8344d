//! Typst source → PagedDocument → PDF bytes, in process.

use chrono::{Datelike, NaiveDateTime, Timelike};
use typst::World;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::syntax::DiagSpanKind;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::world::PacketWorld;

pub struct Compiled {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Typst warnings, as diagnostics of warning severity.
    pub warnings: Vec<Diagnostic>,
}

/// Compile the world's main file to PDF. `ident` names the document stably (series,
/// meeting, kind) and `created` is its creation date, taken from the meeting, never
/// from the clock, so equal input gives equal bytes.
pub fn compile(world: &PacketWorld, ident: &str, created: NaiveDateTime) -> Result<Compiled> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let warnings = warnings
        .iter()
        .map(|w| to_diagnostic(world, w).severity(crate::diag::Severity::Warning))
        .collect();
    let document = output
        .map_err(|errors| Diagnostics(errors.iter().map(|e| to_diagnostic(world, e)).collect()))?;
    let timestamp = Datetime::from_ymd_hms(
        created.year(),
        created.month() as u8,
        created.day() as u8,
        created.hour() as u8,
        created.minute() as u8,
        0,
    )
    .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("packet {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| Diagnostics(errors.iter().map(|e| to_diagnostic(world, e)).collect()))?;
    Ok(Compiled {
        pdf,
        pages: document.pages().len(),
        warnings,
    })
}

/// A Typst diagnostic, located in the generated source (`agenda.typ:line:col`).
fn to_diagnostic(world: &PacketWorld, d: &SourceDiagnostic) -> Diagnostic {
    let mut message = format!("排版失敗：{}", d.message);
    for hint in &d.hints {
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
