//! The documents of one meeting in a bundle, listed once ([`DOCUMENTS`]): the
//! single-meeting bundle, the series bundle, the index's link columns, the file
//! descriptions and `packet export --help` all follow this list, so a new kind of
//! document is one more entry here and the bytes it reads.

use std::sync::Arc;

use chrono::NaiveDateTime;

use super::json_bytes;
use super::record::{PublicRecord, record};
use crate::build::{self, BuildOptions, Input};
use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::rules::proceedings::{self, Edition};
use crate::typeset::fonts::FontSet;

/// One meeting, compiled: what its documents are made of.
pub struct MeetingDocs {
    pub agenda_pdf: Vec<u8>,
    pub minutes_pdf: Vec<u8>,
    /// The editable editions (ODF) of both, from the same view data as the PDFs.
    pub agenda_odt: Vec<u8>,
    pub minutes_odt: Vec<u8>,
    pub record: PublicRecord,
    /// The minutes are a draft (only with `allow_draft`).
    pub draft: bool,
    /// What keeps the minutes a draft.
    pub missing: Vec<Diagnostic>,
    /// Warnings from building the PDFs.
    pub warnings: Vec<Diagnostic>,
    /// The meeting's timestamp (Taiwan time): see [`super::timestamp`].
    pub stamp: NaiveDateTime,
}

/// One kind of meeting document.
pub struct DocumentKind {
    /// File name in a single meeting's bundle (`<會議代號>-<name>` in a series bundle);
    /// the argument says whether the minutes are a draft.
    pub name: fn(bool) -> &'static str,
    /// 資料資源描述.
    pub title: &'static str,
    /// The index's column linking to it, and its English key.
    pub link_header: &'static str,
    pub link_key: &'static str,
    pub bytes: fn(&MeetingDocs) -> Vec<u8>,
}

/// Every document of a meeting, in bundle order.
pub const DOCUMENTS: &[DocumentKind] = &[
    DocumentKind {
        name: |_| "agenda.pdf",
        title: "議程（含附件）",
        link_header: "議程網址",
        link_key: "agenda_url",
        bytes: |d| d.agenda_pdf.clone(),
    },
    DocumentKind {
        name: |draft| {
            if draft { "minutes-draft.pdf" } else { "minutes.pdf" }
        },
        title: "會議紀錄（公開版）",
        link_header: "會議紀錄網址",
        link_key: "minutes_url",
        bytes: |d| d.minutes_pdf.clone(),
    },
    DocumentKind {
        name: |_| "agenda.odt",
        title: "議程（可編輯版，ODF）",
        link_header: "議程ODF網址",
        link_key: "agenda_odt_url",
        bytes: |d| d.agenda_odt.clone(),
    },
    DocumentKind {
        name: |draft| {
            if draft { "minutes-draft.odt" } else { "minutes.odt" }
        },
        title: "會議紀錄（公開版，可編輯版 ODF）",
        link_header: "會議紀錄ODF網址",
        link_key: "minutes_odt_url",
        bytes: |d| d.minutes_odt.clone(),
    },
    DocumentKind {
        name: |_| "meeting.json",
        title: "會議公開紀錄全文（JSON），結構見 meeting.schema.json",
        link_header: "公開紀錄網址",
        link_key: "record_url",
        bytes: |d| json_bytes(&d.record),
    },
];

/// The document kind a bundle file name (`agenda.pdf`, `113-1-agenda.pdf`) is of.
pub(super) fn kind_of(file: &str) -> Option<&'static DocumentKind> {
    DOCUMENTS
        .iter()
        .find(|k| [false, true].iter().any(|&d| file == (k.name)(d) || file.ends_with(&format!("-{}", (k.name)(d)))))
}

/// Check, gate and compile one meeting: its two PDFs side by side and its public record.
/// Draft minutes are refused unless `allow_draft`.
pub fn compile_meeting(
    input: Input,
    opts: &BuildOptions,
    fonts: Arc<FontSet>,
    allow_draft: bool,
    source_date_epoch: Option<&str>,
) -> Result<MeetingDocs> {
    let packet = input.packet;
    let problems = proceedings::record_errors(packet);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let missing = proceedings::missing(packet);
    if !missing.is_empty() && !allow_draft {
        let mut all = vec![
            Diagnostic::error(
                "會議紀錄尚未定稿，不產生開放資料包；請補齊下列欄位，或加 --allow-draft 以紀錄草稿匯出：",
            )
            .at_file(&packet.meeting_src.path),
        ];
        all.extend(missing);
        return Err(Diagnostics(all));
    }
    let stamp = super::timestamp(packet, source_date_epoch)?;
    let opts = &BuildOptions { write_odt: true, ..opts.clone() };
    let (agenda, minutes_pdf) = std::thread::scope(|s| {
        let fonts2 = fonts.clone();
        let agenda = s.spawn(move || build::compile_public_agenda(input, opts, fonts2));
        let minutes_pdf = build::compile_minutes(packet, opts, fonts, Edition::Public, false);
        (agenda.join(), minutes_pdf)
    });
    let agenda = agenda.map_err(|_| Diagnostic::error("議程排版時發生內部錯誤"))?;
    let (agenda, minutes_pdf) = match (agenda, minutes_pdf) {
        (Ok(a), Ok(m)) => (a, m),
        (a, m) => {
            let mut all = Vec::new();
            for e in [a.err(), m.err()].into_iter().flatten() {
                all.extend(e.0);
            }
            return Err(Diagnostics(all));
        }
    };
    let draft = minutes_pdf.draft;
    let mut warnings = agenda.warnings.clone();
    warnings.extend(minutes_pdf.built.warnings.iter().cloned());
    let odt_missing = || Diagnostic::error("可編輯版（ODT）未產生：內部錯誤");
    Ok(MeetingDocs {
        agenda_odt: agenda.odt.ok_or_else(odt_missing)?,
        minutes_odt: minutes_pdf.built.odt.clone().ok_or_else(odt_missing)?,
        agenda_pdf: agenda.pdf,
        minutes_pdf: minutes_pdf.built.pdf,
        record: record(input, draft),
        draft,
        missing: minutes_pdf.missing,
        warnings,
        stamp,
    })
}
