//! The integration tests: one binary (linking typst once), one module per area, and
//! [`common`] helpers that run the real binary and read the real files it writes.

mod common;

mod agenda;
mod archival;
mod attachments_hostile;
mod attachments_inventory;
mod attachments_office;
mod attachments_pdf;
mod batch;
mod broken_inputs;
mod calendar;
mod calendar_computed;
mod check;
mod cli;
mod corrections;
mod errors;
mod escaping;
mod export;
mod export_series;
mod fuzz;
mod fuzz_media;
mod fuzz_sheets;
mod fuzz_text;
mod groups;
mod large;
mod layout;
mod minutes;
mod notice;
mod odf;
mod pages;
mod pdf_standard;
mod reviewer;
mod sandbox;
mod series_fonts;
mod series_history;
mod series_record;
mod serve;
mod sheets;
mod sheets_hostile;
mod signin;
mod tracking;
mod tracking_contradiction;
mod votes;
