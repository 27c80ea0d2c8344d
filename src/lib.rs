//! `packet`: meeting TOML → typed model → rule checks → Tera/Typst → PDF, and the
//! data.gov.tw bundle. One folder per stage; each imports only the ones above it in
//! this list (`tests/layout.rs` fails on any other edge, on a file over 600 lines and on
//! a function over 100; ARCHITECTURE.md is the map):
//!
//! - [`diag`], [`output`]: the one diagnostics type; atomic writes
//! - [`text`]: Chinese numerals and ROC dates, file encodings, character rules, Markdown
//!   parsed to clauses and plain text
//! - [`model`]: group.toml / meeting.toml as serde types loaded with source spans and
//!   validated ([`model::Packet`]), the series ([`model::Series`]), the office calendar
//! - [`rules`]: the minutes record, 列管 tracking across a series, the rule checks
//! - [`typeset`]: Typst in process: sandboxed world, embedded fonts, PDF/A-2a + PDF/UA-1
//! - [`render`]: view models + Tera templates → Typst source (Markdown, CSV tables,
//!   attachments read once, escaping)
//! - [`odf`]: the editable editions (`--odt`), written from render's view data
//! - [`build`]: the wiring of one document: load → gate → render → compile → write
//! - [`batch`], [`export`]: a series in one process and `packet watch`; the bundle
//! - [`serve`]: `packet serve`, the browser editor (HTTP, edits kept in the TOML, preview)
//! - [`cli`]: the command line, one module per command

pub mod diag;
pub mod output;

pub mod text;

pub mod model;

pub mod rules;

pub mod typeset;

pub mod render;

pub mod odf;

pub mod build;

pub mod batch;
pub mod export;

pub mod serve;

pub mod cli;
