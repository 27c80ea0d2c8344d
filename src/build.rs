//! The stages wired together, and nothing else: load → gate (rule checks) → render →
//! compile → write.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDateTime, NaiveTime};

use crate::diag::{Diagnostic, Diagnostics, Result, Severity};
use crate::model::calendar::Calendar;
use crate::model::input::{MAX_INPUT_BYTES, read_regular};
use crate::model::{Packet, Series};
use crate::output::write_atomic;
use crate::render;
use crate::rules::check;
use crate::rules::proceedings::{self, Edition};
use crate::typeset::archival;
use crate::typeset::compile::{self, Compiled, PdfProfile};
use crate::typeset::fonts::{self, AttachmentText, FontSet};
use crate::typeset::world::PacketWorld;

/// What a meeting's documents are built from: the meeting, and its series when a
/// tracking item is generated from it ([`Series::of`], loaded once per command; a series
/// that failed to load keeps its errors for the checks and the agenda to report).
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub packet: &'a Packet,
    pub series: Option<&'a Result<Series>>,
}

impl<'a> Input<'a> {
    /// The series the agenda needs, or the errors that stopped it loading.
    fn series(&self) -> Result<Option<&'a Series>> {
        self.series.map(|s| s.as_ref().map_err(Diagnostics::clone)).transpose()
    }
}

/// The rule checks every build runs first (quorum, composition, terms, dates, …):
/// errors stop the build unless `force`; the other findings are printed with it.
pub struct Checks {
    /// The office calendar the date checks count working days in.
    pub calendar: Calendar,
    /// Build despite errors (`--force`).
    pub force: bool,
}

impl Checks {
    /// The findings to print with the build, or the errors that stop it.
    pub(crate) fn gate(&self, input: Input) -> Result<Vec<Diagnostic>> {
        let findings = check::check_for_build(input.packet, input.series, &self.calendar);
        if !self.force && findings.iter().any(|d| d.severity == Severity::Error) {
            return Err(Diagnostics(findings));
        }
        Ok(findings)
    }
}

#[derive(Clone)]
pub struct BuildOptions {
    pub out_dir: PathBuf,
    /// Also write the Typst source and its assets.
    pub write_typst: bool,
    /// Also write the ODF edition (`<stem>.odt`) from the same view data.
    pub write_odt: bool,
    /// Body font family (default TW-Kai).
    pub font: Option<String>,
    /// The PDF standard documents claim and are checked against (`--pdf-standard`).
    pub pdf_profile: PdfProfile,
    /// `SOURCE_DATE_EPOCH`, read once by the command line: the documents' creation date
    /// instead of the meeting's.
    pub source_date_epoch: Option<String>,
    /// Built for the browser editor: its messages name no program option.
    pub editor: bool,
}

pub struct Built {
    /// Where the PDF was written (or would be, for [`compile_agenda`] / [`compile_minutes`]).
    pub pdf_path: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: Vec<Diagnostic>,
    /// The PDF itself.
    pub pdf: Vec<u8>,
    /// The ODF edition, when [`BuildOptions::write_odt`] asked for it.
    pub odt: Option<Vec<u8>>,
}

/// Build the agenda packet: nothing is written unless every stage succeeds.
pub(crate) fn build_agenda(input: Input, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    agenda_document(input, opts, fonts, true, false)
}

/// The agenda compiled in memory ([`Built::pdf`]); nothing is written (`packet export`).
pub fn compile_agenda(input: Input, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    agenda_document(input, opts, fonts, false, false)
}

/// The agenda's public edition, compiled in memory (`packet export`): a 資料盤點表
/// without its 丙 rows.
pub fn compile_public_agenda(input: Input, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    agenda_document(input, opts, fonts, false, true)
}

fn agenda_document(input: Input, opts: &BuildOptions, fonts: Arc<FontSet>, write: bool, public: bool) -> Result<Built> {
    let series = input.series()?;
    let created = agenda_created(input.packet);
    let set = fonts.clone();
    build_document(input.packet, opts, fonts, "agenda", created, write, |families| {
        let attach = render::AttachOptions { public, ..attach_options(opts, &set, families) };
        render::agenda(input.packet, series, families, &attach)
    })
}

/// The day the agenda comes into being (its PDF's creation date): when the materials
/// went out (`[dates] materials_sent`), else their due date — the meeting's 5th working
/// day before, on the embedded calendar so that every build dates it alike — else
/// (a year the calendar lacks) the meeting day.
fn agenda_created(packet: &Packet) -> NaiveDateTime {
    let m = &packet.meeting;
    let days = check::deadline_rules(&packet.group.rules).materials_days;
    let day = m
        .dates
        .materials_sent
        .map(|d| d.0)
        .or_else(|| Calendar::embedded().nth_working_day_before(m.date.0, days).ok())
        .unwrap_or(m.date.0);
    day.and_time(NaiveTime::MIN)
}

/// The moment the minutes come into being: their publication day (`[dates]
/// published`), else the end of the meeting (散會), else its start.
fn minutes_created(packet: &Packet) -> NaiveDateTime {
    let m = &packet.meeting;
    if let Some(published) = m.dates.published {
        return published.0.and_time(NaiveTime::MIN);
    }
    let record = m.minutes.as_ref();
    let time =
        record.and_then(|r| r.end.and_then(|e| e.known()).or(r.start)).map(|t| t.0).unwrap_or(m.time.or_midnight().0);
    m.date.0.and_time(time)
}

/// Build one edition of the meeting notice: the 開會通知單 as sent (`notice.pdf`, and
/// `notice.odt`), dated the day it went out (`[dates] notice_sent`), else as the agenda;
/// or the 書函 of a change (`notice-change.pdf`), dated its own `sent`. The materials'
/// deadline it states is counted on `calendar`.
pub(crate) fn build_notice(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    calendar: &Calendar,
    edition: render::notice::Edition,
) -> Result<Built> {
    notice_document(packet, opts, fonts, calendar, edition, true)
}

/// The notice compiled in memory ([`Built::pdf`]); nothing is written (`packet serve`).
pub fn compile_notice(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    calendar: &Calendar,
    edition: render::notice::Edition,
) -> Result<Built> {
    notice_document(packet, opts, fonts, calendar, edition, false)
}

fn notice_document(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    calendar: &Calendar,
    edition: render::notice::Edition,
    write: bool,
) -> Result<Built> {
    let change = packet.meeting.notice.change.as_ref();
    let (stem, created) = match edition {
        render::notice::Edition::Notice => ("notice", notice_created(packet)),
        render::notice::Edition::Change => (
            "notice-change",
            change.and_then(|c| c.sent).map_or_else(|| notice_created(packet), |d| d.0.and_time(NaiveTime::MIN)),
        ),
    };
    build_document(packet, opts, fonts, stem, created, write, |families| {
        render::notice(packet, families, calendar, edition)
    })
}

/// Build the sign-in sheet (簽到表): `signin.pdf` (and `signin.odt`), dated as the notice.
pub(crate) fn build_signin(packet: &Packet, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    signin_document(packet, opts, fonts, true)
}

/// The sign-in sheet compiled in memory ([`Built::pdf`]); nothing is written (`packet serve`).
pub fn compile_signin(packet: &Packet, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    signin_document(packet, opts, fonts, false)
}

fn signin_document(packet: &Packet, opts: &BuildOptions, fonts: Arc<FontSet>, write: bool) -> Result<Built> {
    build_document(packet, opts, fonts, "signin", notice_created(packet), write, |families| {
        render::signin(packet, families)
    })
}

/// The day the notice comes into being: when it went out (`[dates] notice_sent`), else
/// as the agenda, with which it goes.
pub fn notice_created(packet: &Packet) -> NaiveDateTime {
    packet.meeting.dates.notice_sent.map_or_else(|| agenda_created(packet), |d| d.0.and_time(NaiveTime::MIN))
}

/// The minutes that were built, and what keeps them a draft.
pub struct BuiltMinutes {
    pub built: Built,
    pub draft: bool,
    /// Why the edition is a draft (file:line: field: what is missing).
    pub missing: Vec<Diagnostic>,
}

/// Build the minutes: `minutes.pdf`, or `minutes-draft.pdf` (marked 紀錄草稿 on every
/// page) while a decision or the end time is missing or when `force_draft`; the
/// internal edition is `minutes-internal[-draft].pdf`. A final edition is never
/// written with a missing decision.
pub(crate) fn build_minutes(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    edition: Edition,
    force_draft: bool,
) -> Result<BuiltMinutes> {
    minutes_document(packet, opts, fonts, edition, force_draft, true)
}

/// The minutes compiled in memory ([`Built::pdf`]); nothing is written (`packet export`).
pub fn compile_minutes(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    edition: Edition,
    force_draft: bool,
) -> Result<BuiltMinutes> {
    minutes_document(packet, opts, fonts, edition, force_draft, false)
}

fn minutes_document(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    edition: Edition,
    force_draft: bool,
    write: bool,
) -> Result<BuiltMinutes> {
    let mut problems = proceedings::record_errors(packet);
    // The minutes are the published record: no text that the bundle's CSVs would hand
    // a spreadsheet as a formula (`packet export` builds them through here too).
    problems.extend(crate::model::validate::formula_errors(packet));
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let missing = proceedings::missing(packet);
    let draft = force_draft || !missing.is_empty();
    let stem = match (edition, draft) {
        (Edition::Public, false) => "minutes",
        (Edition::Public, true) => "minutes-draft",
        (Edition::Internal, false) => "minutes-internal",
        (Edition::Internal, true) => "minutes-internal-draft",
    };
    let built = build_document(packet, opts, fonts, stem, minutes_created(packet), write, |families| {
        render::minutes(packet, families, edition, draft)
    })?;
    Ok(BuiltMinutes { built, draft, missing })
}

/// Build the correction round's record (`corrections.pdf`, `.odt` with `write_odt`) as it
/// stands on `today`; dated the day the round closed, or the final minutes' day.
pub(crate) fn build_corrections(
    packet: &Packet,
    cal: &Calendar,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    today: chrono::NaiveDate,
) -> Result<Built> {
    corrections_document(packet, cal, opts, fonts, today, true)
}

/// The correction round's record in memory (for `packet serve`'s download): nothing written.
pub fn compile_corrections(
    packet: &Packet,
    cal: &Calendar,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    today: chrono::NaiveDate,
) -> Result<Built> {
    corrections_document(packet, cal, opts, fonts, today, false)
}

fn corrections_document(
    packet: &Packet,
    cal: &Calendar,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    today: chrono::NaiveDate,
    write: bool,
) -> Result<Built> {
    let record = packet.meeting.corrections.as_ref();
    let closes = crate::rules::corrections::Round::of(packet, cal).and_then(|r| r.ok()).map(|r| r.closes());
    let day = record.and_then(|c| c.final_on.map(|d| d.0)).or(closes).map_or(today, |d| d.min(today));
    build_document(packet, opts, fonts, "corrections", day.and_time(NaiveTime::MIN), write, |families| {
        render::corrections::corrections(packet, cal, families, today)
    })
}

/// Pages of a preview: each page with its hash, and the page of each item.
pub use compile::SvgPreview as SvgPages;

/// The agenda laid out for `packet serve`'s preview (not gated by the checks, as a forced
/// build).
pub fn preview_agenda(input: Input, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<SvgPages> {
    let series = input.series()?;
    let set = fonts.clone();
    let (world, _, _) =
        document_world(input.packet, opts, fonts, "agenda", agenda_created(input.packet), |families| {
            render::agenda(input.packet, series, families, &attach_options(opts, &set, families))
        })?;
    compile::compile_svg_pages(&world)
}

/// The public minutes (a draft while anything is missing) laid out for the preview.
pub fn preview_minutes(packet: &Packet, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<SvgPages> {
    let problems = proceedings::record_errors(packet);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let draft = !proceedings::missing(packet).is_empty();
    let stem = if draft { "minutes-draft" } else { "minutes" };
    let (world, _, _) = document_world(packet, opts, fonts, stem, minutes_created(packet), |families| {
        render::minutes(packet, families, Edition::Public, draft)
    })?;
    compile::compile_svg_pages(&world)
}

/// How a document of `opts` loads its attachments: an archival one draws the pages of
/// PDF attachments, which it cannot embed.
fn attach_options<'a>(opts: &BuildOptions, fonts: &'a FontSet, families: &'a [String]) -> render::AttachOptions<'a> {
    render::AttachOptions {
        draw_pdf: archival::draws_pdf_pages(opts.pdf_profile).then_some((fonts, families)),
        public: false,
    }
}

/// Render a document and set up the Typst world that compiles it, with its PDF settings.
fn document_world(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    stem: &str,
    created: NaiveDateTime,
    render: impl FnOnce(&[String]) -> Result<render::Rendered>,
) -> Result<(PacketWorld, compile::PdfSettings, render::Rendered)> {
    let body = opts.font.clone().unwrap_or_else(|| fonts::DEFAULT_FAMILY.to_string());
    if !fonts.has_family(&body) {
        return Err(Diagnostic::error(format!("找不到字型「{body}」；請用 --font-path 指定字型目錄"))
            .field("--font")
            .into());
    }
    let families = fonts.families(&body);
    let rendered = render(&families)?;
    let texts: Vec<AttachmentText> = rendered
        .texts
        .iter()
        .map(|t| AttachmentText { field: t.field.clone(), path: &t.path, text: &t.text })
        .collect();
    if let Some(d) = fonts::missing_glyph(packet, &fonts, &families, &rendered.source, &texts, opts.editor) {
        return Err(d.into());
    }
    // PDF/A-2a + PDF/UA-1, dated the day the document comes into being (or
    // SOURCE_DATE_EPOCH).
    let mut settings = compile::PdfSettings::archival(
        &format!("{}/{stem}", packet.slug()),
        created,
        opts.source_date_epoch.as_deref(),
    )?;
    settings.profile = opts.pdf_profile;
    let main_name = format!("{stem}.typ");
    let world = PacketWorld::new(fonts, &main_name, rendered.source.clone(), Some(&packet.series_dir))
        .with_generated(&render::generated_files(&rendered.document));
    Ok((world, settings, rendered))
}

/// Render, compile and, if `write`, write `<stem>.pdf` (and `<stem>.typ` with `--typst`).
fn build_document(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    stem: &str,
    created: NaiveDateTime,
    write: bool,
    render: impl FnOnce(&[String]) -> Result<render::Rendered>,
) -> Result<Built> {
    let main_name = format!("{stem}.typ");
    let (world, settings, rendered) = document_world(packet, opts, fonts, stem, created, render)?;
    let Compiled { pdf, pages, warnings: typst_warnings } = compile::compile_with(&world, &settings)?;
    let pdf = archival::end_streams_cleanly(pdf);
    let mut warnings = rendered.warnings.clone();
    warnings.extend(typst_warnings);

    if write && opts.write_typst {
        write_atomic(&opts.out_dir.join(&main_name), rendered.source.as_bytes())?;
        for rel in &rendered.assets {
            let from = packet.series_dir.join(rel);
            let bytes = read_regular(&from, MAX_INPUT_BYTES)
                .map_err(|e| Diagnostic::error(format!("無法讀取：{}", e.reason())).at_file(&from))?;
            write_atomic(&opts.out_dir.join("assets").join(rel), &bytes)?;
        }
        for (path, bytes) in &render::generated_files(&rendered.document) {
            write_atomic(&opts.out_dir.join(path.trim_start_matches('/')), bytes)?;
        }
    }
    let pdf_path = opts.out_dir.join(format!("{stem}.pdf"));
    // The ODT is made before anything is written: a failure leaves both as they were.
    let odt = if opts.write_odt {
        let font = opts.font.as_deref().unwrap_or(fonts::DEFAULT_FAMILY);
        Some(crate::odf::write(&rendered.document, packet, &crate::odf::Settings { created: settings.created, font })?)
    } else {
        None
    };
    if write {
        write_atomic(&pdf_path, &pdf)?;
    }
    if let Some(odt) = odt.as_ref().filter(|_| write) {
        write_atomic(&opts.out_dir.join(format!("{stem}.odt")), odt)?;
    }
    Ok(Built { pdf_path, pages, bytes: pdf.len(), warnings, pdf, odt })
}
