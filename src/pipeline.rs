//! The stages wired together: locate and load a packet, validate, render, compile, write.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::compile::{self, Compiled};
use crate::calendar::Calendar;
use crate::diag::{Diagnostic, Diagnostics, Result, Severity};
use crate::fonts::FontSet;
use crate::minutes::{self, Edition};
use crate::model::{self, Group, Meeting, SourceFile};
use crate::output::write_atomic;
use crate::render;
use crate::validate;
use crate::world::PacketWorld;

/// A meeting with its group, as loaded from disk.
pub struct Packet {
    /// `packets/<series>`: holds group.toml; the only directory Typst may read.
    pub series_dir: PathBuf,
    /// `packets/<series>/<meeting>`: holds meeting.toml.
    pub meeting_dir: PathBuf,
    pub group: Group,
    pub group_src: SourceFile,
    pub meeting: Meeting,
    pub meeting_src: SourceFile,
}

impl Packet {
    /// Load from a meeting directory or its meeting.toml; group.toml is in the parent.
    pub fn load(path: &Path) -> Result<Packet> {
        let meeting_file = if path.is_dir() {
            path.join("meeting.toml")
        } else {
            path.to_path_buf()
        };
        if !meeting_file.is_file() {
            return Err(Diagnostic::error(
                "找不到 meeting.toml（請指定會議目錄或其 meeting.toml）",
            )
            .at_file(&meeting_file)
            .into());
        }
        let meeting_dir = meeting_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let meeting_dir = if meeting_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            meeting_dir
        };
        let series_dir = meeting_dir
            .canonicalize()
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .ok_or_else(|| {
                Diagnostic::error("無法判斷會議所屬的系列目錄").at_file(&meeting_file)
            })?;
        let group_file = meeting_dir.join("..").join("group.toml");
        let group_file = clean(&group_file);
        if !group_file.is_file() {
            return Err(
                Diagnostic::error("找不到小組設定檔 group.toml（應放在會議目錄的上一層）")
                    .at_file(&group_file)
                    .into(),
            );
        }
        let group_src = SourceFile::read(&group_file)?;
        let meeting_src = SourceFile::read(&meeting_file)?;
        // Report both files' problems at once.
        let group = model::load::<Group>(&group_src);
        let meeting = model::load::<Meeting>(&meeting_src);
        let (group, meeting) = match (group, meeting) {
            (Ok(g), Ok(m)) => (g, m),
            (g, m) => {
                let mut all = Vec::new();
                if let Err(e) = g {
                    all.extend(e.0);
                }
                if let Err(e) = m {
                    all.extend(e.0);
                }
                return Err(Diagnostics(all));
            }
        };
        let packet = Packet {
            series_dir,
            meeting_dir,
            group,
            group_src,
            meeting,
            meeting_src,
        };
        let problems = validate::validate(&packet);
        if problems
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
        {
            return Err(Diagnostics(problems));
        }
        Ok(packet)
    }

    /// Name used for output folders: `<series>-<meeting>`, e.g. `dgbas-113-1`.
    pub fn slug(&self) -> String {
        let name = |p: &Path| {
            p.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let meeting = name(
            &self
                .meeting_dir
                .canonicalize()
                .unwrap_or_else(|_| self.meeting_dir.clone()),
        );
        format!("{}-{}", name(&self.series_dir), meeting)
    }

    /// 「政府資料開放諮詢小組」113 年第 1 次會議
    pub fn meeting_title(&self) -> String {
        format!(
            "「{}」{} 年第 {} 次會議",
            self.group.name,
            crate::zh::roc_year(self.meeting.date.0),
            self.meeting.number
        )
    }

    /// An attachment's path relative to the series directory (`113-1/attachments/x.csv`).
    pub fn attachment_rel_path(&self, file: &str) -> PathBuf {
        let meeting = self
            .meeting_dir
            .canonicalize()
            .unwrap_or_else(|_| self.meeting_dir.clone());
        let rel = meeting
            .strip_prefix(&self.series_dir)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        render::normalize(&rel.join(file)).unwrap_or_else(|| rel.join(file))
    }
}

/// The meeting directories of a series, sorted by name.
pub fn meeting_dirs(series: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(series).map_err(|e| {
        Diagnostic::error(format!("無法讀取系列目錄：{}", crate::output::io_reason(&e))).at_file(series)
    })?;
    let mut dirs: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.join("meeting.toml").is_file()).collect();
    dirs.sort();
    Ok(dirs)
}

fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
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
    pub fn gate(&self, packet: &Packet) -> Result<Vec<Diagnostic>> {
        let findings = crate::check::check_for_build(packet, &self.calendar);
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
    /// Body font family (default TW-Kai).
    pub font: Option<String>,
    /// The PDF standard documents claim and are checked against (`--pdf-standard`).
    pub pdf_profile: compile::PdfProfile,
}

pub struct Built {
    /// Where the PDF was written (or would be, for [`compile_agenda`] / [`compile_minutes`]).
    pub pdf_path: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: Vec<Diagnostic>,
    /// The PDF itself.
    pub pdf: Vec<u8>,
}

/// Build the agenda packet: nothing is written unless every stage succeeds.
pub fn build_agenda(packet: &Packet, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    build_document(packet, opts, fonts, "agenda", true, |families| render::agenda(packet, families))
}

/// The agenda compiled in memory ([`Built::pdf`]); nothing is written (`packet export`).
pub fn compile_agenda(packet: &Packet, opts: &BuildOptions, fonts: Arc<FontSet>) -> Result<Built> {
    build_document(packet, opts, fonts, "agenda", false, |families| render::agenda(packet, families))
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
pub fn build_minutes(
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
    let problems = minutes::validate(packet);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let missing = minutes::missing(packet);
    let draft = force_draft || !missing.is_empty();
    let stem = match (edition, draft) {
        (Edition::Public, false) => "minutes",
        (Edition::Public, true) => "minutes-draft",
        (Edition::Internal, false) => "minutes-internal",
        (Edition::Internal, true) => "minutes-internal-draft",
    };
    let built = build_document(packet, opts, fonts, stem, write, |families| {
        render::minutes(packet, families, edition, draft)
    })?;
    Ok(BuiltMinutes { built, draft, missing })
}

/// Render, compile and, if `write`, write `<stem>.pdf` (and `<stem>.typ` with `--typst`).
fn build_document(
    packet: &Packet,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    stem: &str,
    write: bool,
    render: impl FnOnce(&[String]) -> Result<render::Rendered>,
) -> Result<Built> {
    let body = opts
        .font
        .clone()
        .unwrap_or_else(|| crate::fonts::DEFAULT_FAMILY.to_string());
    if !fonts.has_family(&body) {
        return Err(Diagnostic::error(format!(
            "找不到字型「{body}」；請用 --font-path 指定字型目錄"
        ))
        .field("--font")
        .into());
    }
    let families = fonts.families(&body);
    let rendered = render(&families)?;
    if let Some(d) = validate::missing_glyph(packet, &fonts, &families, &rendered.source) {
        return Err(d.into());
    }
    // PDF/A-2a + PDF/UA-1, dated from the meeting (or SOURCE_DATE_EPOCH).
    let created = packet.meeting.date.0.and_time(packet.meeting.time.0);
    let mut settings = compile::PdfSettings::archival(&format!("{}/{stem}", packet.slug()), created)?;
    settings.profile = opts.pdf_profile;
    crate::archival::preflight(packet, settings.profile)?;
    let main_name = format!("{stem}.typ");
    let world = PacketWorld::new(
        fonts,
        &main_name,
        rendered.source.clone(),
        Some(&packet.series_dir),
    );
    let Compiled {
        pdf,
        pages,
        warnings: typst_warnings,
    } = compile::compile_with(&world, &settings)?;
    let mut warnings = rendered.warnings.clone();
    warnings.extend(typst_warnings);

    if write && opts.write_typst {
        write_atomic(&opts.out_dir.join(&main_name), rendered.source.as_bytes())?;
        for rel in &rendered.assets {
            let from = packet.series_dir.join(rel);
            let bytes = std::fs::read(&from).map_err(|e| {
                Diagnostic::error(format!("無法讀取：{}", crate::output::io_reason(&e)))
                    .at_file(&from)
            })?;
            write_atomic(&opts.out_dir.join("assets").join(rel), &bytes)?;
        }
    }
    let pdf_path = opts.out_dir.join(format!("{stem}.pdf"));
    if write {
        write_atomic(&pdf_path, &pdf)?;
    }
    Ok(Built {
        pdf_path,
        pages,
        bytes: pdf.len(),
        warnings,
        pdf,
    })
}
