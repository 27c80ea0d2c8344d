//! The downloads of the meeting's page, each built in memory from the files as they are,
//! by the code the commands use: the agenda and minutes (`packet build` / `minutes`), the
//! 開會通知單 and its calendar invitation (`packet notice`), the 簽到表 (`packet signin`),
//! the correction round's record (`packet corrections`) and the internal minutes
//! (`packet minutes --internal`), both internal and never in the bundle,
//! each document as PDF or, with `format=odt`, its editable edition; and the data.gov.tw
//! bundle (`packet export`).

use super::http::{Answer, ApiError, attachment, percent_encoded};
use super::{App, Meeting, Params};
use crate::build::{self, Built, Input};
use crate::model::{Packet, Series};
use crate::render::notice::Edition as NoticeEdition;
use crate::rules::proceedings::Edition;

const PDF: &str = "application/pdf";
const ODT: &str = "application/vnd.oasis.opendocument.text";

/// What `api/download?doc=…` names.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Download {
    Agenda,
    Minutes,
    /// The 開會通知單 as sent.
    Notice,
    /// The 書函 of a postponement or a change of place (when the meeting records one).
    NoticeChange,
    Signin,
    /// meeting.ics: the meeting and its three deadlines.
    Invitation,
    /// The correction round's record (`packet corrections`): internal, never in the bundle.
    Corrections,
    /// The internal minutes (`packet minutes --internal`): 不公開 opinions kept, every page
    /// marked 內部; never in the bundle.
    MinutesInternal,
}

impl Download {
    fn parse(name: &str) -> Option<Download> {
        Some(match name {
            "agenda" => Download::Agenda,
            "minutes" => Download::Minutes,
            "notice" => Download::Notice,
            "notice-change" => Download::NoticeChange,
            "signin" => Download::Signin,
            "ics" => Download::Invitation,
            "corrections" => Download::Corrections,
            "minutes-internal" => Download::MinutesInternal,
            _ => return None,
        })
    }
}

impl App {
    /// The document named by `doc` (default: the agenda) as PDF, or with `format=odt` its
    /// editable edition (ODF); `doc=ics` is the calendar invitation.
    pub(super) fn download(&self, params: &Params) -> Answer {
        let Meeting { dir, .. } = self.meeting(params)?;
        let doc = Download::parse(params.get("doc").map_or("agenda", String::as_str))
            .ok_or_else(|| ApiError::new(404, "找不到"))?;
        let odt = params.get("format").is_some_and(|f| f == "odt");
        let opts = build::BuildOptions { write_odt: odt, ..self.build.clone() };
        let packet = Packet::load(&dir).map_err(ApiError::unbuildable)?;
        let fonts = self.fonts.current().map_err(ApiError::unbuildable)?;
        let (built, stem): (Built, String) = match doc {
            Download::Invitation => {
                let ics = crate::export::ics::invitation(&packet, &self.calendar);
                let (ascii, name) = file_names(&packet, "meeting", "", "ics");
                return Ok(attachment("text/calendar; charset=utf-8", ics.into_bytes(), &ascii, &name));
            }
            Download::Agenda => {
                let series = if packet.tracks() { Series::of(&packet) } else { None };
                let input = Input { packet: &packet, series: series.as_ref() };
                (build::compile_agenda(input, &opts, fonts).map_err(ApiError::unbuildable)?, "agenda".into())
            }
            Download::Minutes | Download::MinutesInternal => {
                let edition = if doc == Download::Minutes { Edition::Public } else { Edition::Internal };
                let m = build::compile_minutes(&packet, &opts, fonts, edition, false).map_err(ApiError::unbuildable)?;
                // The name `packet minutes` gives it: minutes, minutes-draft, minutes-internal…
                let stem = m.built.pdf_path.file_stem().map_or("minutes".into(), |s| s.to_string_lossy().into_owned());
                (m.built, stem)
            }
            Download::Notice | Download::NoticeChange => {
                let (edition, stem) = match doc {
                    Download::Notice => (NoticeEdition::Notice, "notice"),
                    _ if packet.meeting.notice.change.is_none() => {
                        return Err(ApiError::new(404, "這次會議沒有記錄延期或變更地點"));
                    }
                    _ => (NoticeEdition::Change, "notice-change"),
                };
                let built = build::compile_notice(&packet, &opts, fonts, &self.calendar, edition)
                    .map_err(ApiError::unbuildable)?;
                (built, stem.into())
            }
            Download::Corrections => (self.corrections_record(&packet, &opts)?, "corrections".into()),
            Download::Signin => {
                (build::compile_signin(&packet, &opts, fonts).map_err(ApiError::unbuildable)?, "signin".into())
            }
        };
        let (mime, bytes, ext) = match (odt, built.odt) {
            (true, Some(bytes)) => (ODT, bytes, "odt"),
            _ => (PDF, built.pdf, "pdf"),
        };
        let (ascii, name) = file_names(&packet, &stem, document_name(&stem), ext);
        Ok(attachment(mime, bytes, &ascii, &name))
    }

    /// The correction round's record as `packet corrections` writes it; refused, as there,
    /// while the round names a member the roster does not hold.
    fn corrections_record(&self, packet: &Packet, opts: &build::BuildOptions) -> Result<Built, ApiError> {
        if packet.meeting.corrections.is_none() {
            return Err(ApiError::new(404, "這次會議尚未記錄紀錄草稿修正（送達委員之日）"));
        }
        let found = crate::rules::corrections::findings(packet, &self.calendar);
        let errors: Vec<&str> =
            found.iter().filter(|d| d.severity == crate::diag::Severity::Error).map(|d| d.message.as_str()).collect();
        if !errors.is_empty() {
            return Err(ApiError::new(422, errors.join("；")));
        }
        let today = crate::model::today();
        let fonts = self.fonts.current().map_err(ApiError::unbuildable)?;
        build::compile_corrections(packet, &self.calendar, opts, fonts, today).map_err(ApiError::unbuildable)
    }

    /// The data.gov.tw bundle (as `packet export`: final minutes only), as a zip.
    pub(super) fn bundle(&self, params: &Params) -> Answer {
        let Meeting { dir, .. } = self.meeting(params)?;
        let packet = Packet::load(&dir).map_err(ApiError::unbuildable)?;
        if let Some(why) = super::publication::bundle_refused(&packet) {
            return Err(ApiError::new(409, why));
        }
        let series = Series::of(&packet);
        let input = Input { packet: &packet, series: series.as_ref() };
        let epoch = self.build.source_date_epoch.as_deref();
        let bundle = crate::export::bundle(
            input,
            &self.build,
            self.fonts.current().map_err(ApiError::unbuildable)?,
            false,
            epoch,
        )
        .map_err(ApiError::unbuildable)?;
        let zip = crate::export::zip_bytes(&bundle).map_err(ApiError::unbuildable)?;
        let (ascii, name) = file_names(&packet, "", "開放資料包", "zip");
        Ok(attachment("application/zip", zip, &ascii, &name))
    }
}

impl App {
    /// `api/series`: the series' dataset as `packet export <series>` would make it now.
    pub(super) fn series_check(&self) -> Answer {
        let s = super::publication::series_standing(&self.series).map_err(ApiError::unbuildable)?;
        let findings = |list: &[crate::diag::Diagnostic]| list.iter().map(super::state::finding).collect();
        let reply = super::api::SeriesReply {
            held: s.held,
            left_out: findings(&s.left_out),
            refused: s.refused,
            warnings: findings(&s.warnings),
        };
        Ok(super::http::json_reply(200, &reply))
    }

    /// The whole series' dataset, by `packet export <series>`'s code (final minutes only:
    /// `--allow-draft` is not offered), as a zip. What the command prints (each meeting left
    /// out, the warnings) travels with it in `x-packet-said`: a JSON list of the lines,
    /// percent-encoded (a header is ASCII).
    pub(super) fn series_bundle(&self) -> Answer {
        let standing = super::publication::series_standing(&self.series).map_err(ApiError::unbuildable)?;
        if let Some(why) = standing.refused {
            return Err(ApiError::new(409, why));
        }
        let epoch = self.build.source_date_epoch.as_deref();
        let bundle = crate::export::series::series_bundle(
            &self.series,
            &self.build,
            self.fonts.current().map_err(ApiError::unbuildable)?,
            &[],
            epoch,
        )
        .map_err(ApiError::unbuildable)?;
        let said: Vec<&str> = bundle.warnings.iter().map(|d| d.message.as_str()).collect();
        // Read back by the page's `decodeURIComponent`.
        let said = percent_encoded(&serde_json::to_string(&said).unwrap_or_default(), b"-_.~");
        let zip = crate::export::zip_bytes(&bundle).map_err(ApiError::unbuildable)?;
        let name = crate::export::series::dataset_name(&self.series);
        // The dataset is named by its series folder (`dgbas-dataset`), as `packet export` names it.
        let file = format!("{name}.zip");
        Ok(attachment("application/zip", zip, &file, &file).with_header("x-packet-said", said))
    }
}

/// What a document is called in its file's name, by the stem `packet` gives its file.
fn document_name(stem: &str) -> &'static str {
    match stem {
        "agenda" => "議程",
        // 「113年第1次會議」 + 紀錄: the minutes' own title.
        "minutes" => "紀錄",
        "minutes-draft" => "紀錄（草稿）",
        "minutes-internal" => "紀錄（內部）",
        "minutes-internal-draft" => "紀錄（內部草稿）",
        "notice" => "開會通知單",
        "notice-change" => "變更通知",
        "signin" => "簽到表",
        "corrections" => "紀錄草稿修正紀錄",
        _ => "",
    }
}

/// A download's names: the meeting and the document in Chinese (`113年第1次會議議程.pdf`,
/// `113年第1次會議紀錄（內部）.pdf`),
/// and for a browser that reads only ASCII the series and meeting folders with `stem`
/// (`dgbas-113-1-agenda.pdf`; `agenda.pdf` when a folder's name is not ASCII).
fn file_names(packet: &Packet, stem: &str, document: &str, ext: &str) -> (String, String) {
    let name = format!("{}{document}.{ext}", crate::model::label(packet).replace(' ', ""));
    let slug = packet.slug();
    let slug_ascii = slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let ascii = match (slug_ascii, stem.is_empty()) {
        (true, true) => format!("{slug}.{ext}"),
        (true, false) => format!("{slug}-{stem}.{ext}"),
        (false, true) => format!("export.{ext}"),
        (false, false) => format!("{stem}.{ext}"),
    };
    (ascii, name)
}
