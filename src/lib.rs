//! `packet`: meeting TOML → typed model → checks → Tera/Typst → PDF.
//!
//! One module per pipeline stage:
//! - [`model`]: serde types of `group.toml` / `meeting.toml` and loading with source spans
//! - [`validate`]: rules the types cannot express (ids, files, text hygiene)
//! - [`calendar`], [`check`]: working-day deadlines on the official calendar; rule checks
//!   (dates, quorum, composition, terms, completeness) for `packet check` and `build`
//! - [`markdown`]: Markdown in text fields → Typst markup (comrak)
//! - [`tables`]: CSV attachments → table model with merged cells
//! - [`render`]: view model + Tera templates → one Typst source file
//! - [`world`], [`fonts`], [`compile`]: in-process Typst with embedded fonts → PDF/A-2a + PDF/UA-1
//! - [`archival`]: what PDF/A cannot hold (pages of other PDFs), refused before typesetting
//! - [`output`]: atomic writes
//! - [`export`]: the data.gov.tw upload bundle (PDFs, CSV/JSON, metadata, SHA256SUMS)
//! - [`diag`]: the one diagnostics type every stage reports with

pub mod archival;
pub mod batch;
pub mod calendar;
pub mod check;
pub mod compile;
pub mod diag;
pub mod escape;
pub mod export;
pub mod fonts;
pub mod markdown;
pub mod minutes;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod tables;
pub mod tracking;
pub mod validate;
pub mod world;
pub mod zh;
