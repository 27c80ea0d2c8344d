//! The correction round as a one-page record for the file (紀錄草稿修正意見處理表):
//! every member, the reply or its silence (視同無意見), what was changed. Never
//! published: the members' draft corrections are preparatory papers (政府資訊公開法第十八條).

use chrono::NaiveDate;
use serde::Serialize;

use super::{Document, Rendered, Rich, font_list, render, typst_array};
use crate::diag::{Diagnostic, Result};
use crate::model::Packet;
use crate::model::calendar::Calendar;
use crate::rules::corrections::{Round, Standing};
use crate::text::zh::roc_date;

/// Marked on every page: the record stays in the agency's file.
pub const MARKS: [&str; 2] = ["內部", "不公開"];

/// The closing note, with the rule that keeps the record unpublished.
pub const NOTE: [&str; 2] = [
    "委員未於回復期限內回復者，視同無意見。",
    "本表含委員對紀錄草稿之修正意見，屬決策作成前之準備作業文件，依政府資訊公開法第十八條第一項第三款不予公開，僅供機關存查。",
];

#[derive(Serialize)]
pub struct CorrectionsView {
    pub agency: String,
    pub doc_title: String,
    pub title_markup: String,
    pub meeting_date: String,
    pub sent: String,
    pub deadline: String,
    /// 定稿日期, or what keeps the minutes from being final yet.
    pub final_text: String,
    /// The day the open round is looked at (empty once it closed).
    pub as_of: String,
    pub fonts: String,
    pub marks: String,
    pub rows: Vec<CorrectionRow>,
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct CorrectionRow {
    pub name: String,
    /// 回復日期, or 未回復 / 尚未回復.
    pub received: String,
    /// 修正意見 (a file named in words when the reply is a file).
    pub opinion: Rich,
    pub changed: Rich,
}

/// `113.9.25`: a date in a narrow column.
fn short_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}.{}.{}", crate::text::zh::roc_year(d), d.month(), d.day())
}

/// Render the record of the round as it stands on `today`.
pub fn corrections(packet: &Packet, cal: &Calendar, fonts: &[String], today: NaiveDate) -> Result<Rendered> {
    let src = &packet.meeting_src;
    let round = match Round::of(packet, cal) {
        Some(r) => r.map_err(crate::diag::Diagnostics::from)?,
        None => {
            return Err(Diagnostic::error("尚未記錄會議紀錄草稿的修正意見往返（草稿送達委員之日及委員回復）")
                .at_file(&src.path)
                .into());
        }
    };
    let md = |text: &str, field: &str| -> Result<Rich> {
        super::rich(text, 1).map_err(|msg| src.error_at(field, msg).into())
    };
    let mut rows = Vec::new();
    for e in &round.entries {
        let standing = round.standing(e, today);
        let (received, opinion, changed) = match e.reply {
            Some((i, r)) => {
                let late = if standing == Standing::Late { "（逾期）" } else { "" };
                let text = match (&r.text, &r.file) {
                    (Some(t), Some(f)) => format!("{t}\n\n（另見附檔「{f}」）"),
                    (Some(t), None) => t.clone(),
                    (None, Some(f)) => format!("見附檔「{f}」"),
                    (None, None) => "無修正意見".into(),
                };
                let field = format!("corrections.reply[{i}]");
                (
                    format!("{}{late}", short_date(r.received.0)),
                    md(&text, &format!("{field}.text"))?,
                    md(r.changed.as_deref().unwrap_or("無"), &format!("{field}.changed"))?,
                )
            }
            None if standing == Standing::Silent => ("未回復".into(), md("視同無意見", "corrections")?, md("無", "")?),
            None => ("尚未回復".into(), md("（待回復）", "corrections")?, Rich::default()),
        };
        rows.push(CorrectionRow { name: e.name.clone(), received, opinion, changed });
    }
    let open = rows.iter().any(|r| r.changed.typst.is_empty());
    let final_text = match round.record.final_on {
        Some(f) => roc_date(f.0),
        None if open => format!("未定稿（回復期限 {} 屆滿或全體委員回復後定稿）", roc_date(round.deadline)),
        None => "未定稿".into(),
    };
    let mut parts = packet.title_parts();
    if !packet.title_has_agency() {
        parts.insert(0, (packet.group.agency.clone(), true));
    }
    // Boxed: the title breaks before the document's name, never inside it (「…處／理表」).
    parts.push(("紀錄草稿修正意見處理表".into(), true));
    let view = CorrectionsView {
        agency: packet.group.agency.clone(),
        doc_title: parts.iter().map(|(s, _)| s.as_str()).collect(),
        title_markup: super::title_markup(&parts, &packet.group.agency),
        meeting_date: roc_date(packet.meeting.date.0),
        sent: roc_date(round.record.sent.0),
        deadline: round.deadline_text(),
        final_text,
        as_of: if open { roc_date(today) } else { String::new() },
        fonts: font_list(fonts),
        marks: typst_array(&MARKS),
        rows,
        notes: NOTE.iter().map(|s| s.to_string()).collect(),
    };
    let source = render("corrections.typ", &view)?;
    Ok(Rendered {
        document: Document::Corrections(Box::new(view)),
        source,
        assets: Vec::new(),
        warnings: Vec::new(),
        texts: Vec::new(),
    })
}
