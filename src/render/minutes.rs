//! The minutes (會議紀錄) in one edition: public (不公開 opinions left out) or internal.

use serde::Serialize;

use super::markdown;
use super::{Document, Rendered, Rich, font_list, render, typst_array};
use crate::diag::Result;
use crate::model::{ItemSection, Packet, Roll};
use crate::rules::proceedings::{self, Edition, Speakers};
use crate::rules::tracking;
use crate::text::zh;

#[derive(Serialize)]
pub struct MinutesView {
    pub agency: String,
    pub doc_title: String,
    /// The title as Typst markup: names kept whole on one line.
    pub title_markup: String,
    pub date: String,
    pub time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub present: String,
    pub observers: String,
    pub leave: String,
    /// The same lists as Typst markup, each name (with its 、) in a box: a line breaks
    /// only after a 、, never inside 黃○○委員（李○○代）.
    pub present_markup: String,
    pub observers_markup: String,
    pub leave_markup: String,
    pub transcript: String,
    pub fonts: String,
    pub keywords: String,
    /// Page marks as a Typst array: 紀錄草稿 / 內部 (empty for the final public edition).
    pub marks: String,
    /// The same marks as words, for the other editions.
    #[serde(skip)]
    pub mark_words: Vec<&'static str>,

    pub opening: Rich,
    /// The opening is one paragraph: it continues the 主席致詞： line (a heading).
    pub opening_inline: bool,
    pub sections: Vec<MinutesSectionView>,
    pub end_marker: String,
    pub end_time: String,
}

#[derive(Serialize)]
pub struct MinutesSectionView {
    pub marker: String,
    pub label: &'static str,
    pub items: Vec<MinutesItemView>,
}

#[derive(Serialize)]
pub struct MinutesItemView {
    /// The item's field path (`report[0]`): the editor's preview finds its page by it.
    pub anchor: String,
    pub marker: String,
    pub unit_label: &'static str,
    pub unit: String,
    pub title: String,
    pub opinions: Vec<OpinionView>,
    pub decision_label: &'static str,
    pub decision: Rich,
    /// A decision of up to about three lines: kept on one page with its label.
    pub decision_short: bool,
    /// The 列管 outcome of the tracking item's rows (plain text, escaped by the template).
    pub tracking_note: String,
    /// 利益迴避 and 表決結果 lines (plain text; empty when the item has none).
    pub recusal: String,
    pub vote: String,
}

#[derive(Serialize)]
pub struct OpinionView {
    pub marker: String,
    pub speaker: String,
    pub text: Rich,
}

/// About three lines of a decision under its label (一、案由 indented, 決議： before it):
/// such a decision never starts at a page's foot and ends on the next.
const SHORT_DECISION_CHARS: usize = 66;

/// After the 出席者 of a partial roll (`roll = "partial"`).
const PARTIAL_ROLL: &str = "（原始紀錄僅載部分出席者）";

/// 貳、報告事項 to 肆、臨時動議: each item with its opinions (as this edition names the
/// speakers), its decision and, for a tracking item, its 列管情形.
fn item_sections(packet: &Packet, speakers: &Speakers) -> Result<Vec<MinutesSectionView>> {
    let m = &packet.meeting;
    let src = &packet.meeting_src;
    let md = |text: &str, field: &str, level: usize| -> Result<Rich> {
        super::rich(text, level).map_err(|msg| src.error_at(field, msg).into())
    };
    let mut sections: Vec<MinutesSectionView> = [ItemSection::Report, ItemSection::Discussion, ItemSection::Motion]
        .into_iter()
        .map(|s| MinutesSectionView { marker: String::new(), label: s.label(), items: Vec::new() })
        .collect();
    for item in proceedings::items(packet) {
        let slot = match item.section {
            ItemSection::Report => 0,
            ItemSection::Discussion => 1,
            ItemSection::Motion => 2,
        };
        let mut opinions = Vec::new();
        for (j, op) in item.opinions.iter().enumerate() {
            if let Some(name) = speakers.name(op) {
                opinions.push(OpinionView {
                    marker: zh::marker(2, opinions.len() + 1),
                    speaker: name,
                    text: md(&op.text, &format!("{}.opinion[{j}].text", item.field), 3)?,
                });
            }
        }
        let decision_short =
            item.decision.is_some_and(|d| d.chars().filter(|c| !c.is_whitespace()).count() <= SHORT_DECISION_CHARS);
        let decision = match item.decision {
            Some(d) => md(d, &format!("{}.decision", item.field), 3)?,
            None => Rich::default(),
        };
        let n = sections[slot].items.len() + 1;
        let is_tracking = item.section != ItemSection::Motion
            && [&m.reports, &m.discussions][slot].get(item.index).is_some_and(|it| it.track || !it.tracking.is_empty());
        let tracking_note =
            if is_tracking { tracking::minutes_note(packet, &item.field).unwrap_or_default() } else { String::new() };
        sections[slot].items.push(MinutesItemView {
            anchor: item.field.to_string(),
            tracking_note,
            recusal: proceedings::recusal_text(packet, item.recusals),
            vote: item.vote.map(|v| proceedings::vote_text(packet, v)).unwrap_or_default(),
            marker: zh::marker(1, n),
            unit_label: if item.proposer.is_some() { "提案人" } else { item.section.unit_label() },
            unit: match item.proposer {
                Some(id) => speakers.member(id).unwrap_or_default(),
                None => item.unit.unwrap_or_default().to_string(),
            },
            title: item.title.to_string(),
            opinions,
            decision_label: item.section.decision_label(),
            decision,
            decision_short,
        });
    }
    for (i, s) in sections.iter_mut().enumerate() {
        s.marker = zh::marker(0, i + 2);
    }
    Ok(sections)
}

/// Render the minutes (會議紀錄) in one edition; `draft` marks every page 紀錄草稿.
pub fn minutes(packet: &Packet, fonts: &[String], edition: Edition, draft: bool) -> Result<Rendered> {
    let g = &packet.group;
    let m = &packet.meeting;
    let src = &packet.meeting_src;
    let record = m.minutes.clone().unwrap_or_default();
    let speakers = Speakers::new(packet, edition);
    let md = |text: &str, field: &str, level: usize| -> Result<Rich> {
        super::rich(text, level).map_err(|msg| src.error_at(field, msg).into())
    };
    let member_name = |id: &str| -> String {
        g.members.iter().find(|x| x.id == id).map(|x| format!("{}{}", x.name, x.role_label())).unwrap_or_default()
    };

    let sections = item_sections(packet, &speakers)?;
    let mut marks = Vec::new();
    if draft {
        marks.push("紀錄草稿");
    }
    if edition == Edition::Internal {
        marks.push("內部");
    }
    let (present, observers, leave) = proceedings::attendance_lists(packet);
    let or_none = |v: &[String]| if v.is_empty() { "無".to_string() } else { v.join("、") };
    // A partial roll says so, and states no 請假者 the record does not name.
    let partial = record.attendance.roll == Roll::Partial;
    let partial_note = if partial { PARTIAL_ROLL } else { "" };
    let leave_none = |v: &[String], text: String| if partial && v.is_empty() { "未記錄".to_string() } else { text };
    // The minutes name the agency: every ministry has a group of this name.
    let mut parts = packet.title_parts();
    if !packet.title_has_agency() {
        parts.insert(0, (g.agency.clone(), true));
    }
    parts.push(("紀錄".into(), false));
    let doc_title: String = parts.iter().map(|(s, _)| s.as_str()).collect();
    let title_markup = super::title_markup(&parts, &g.agency);
    let view = MinutesView {
        agency: g.agency.clone(),
        date: zh::roc_date(m.date.0),
        time: record.start.or(m.time.known()).map_or_else(|| "（時間未記錄）".to_string(), |t| zh::roc_time(t.0)),
        place: m.place.clone(),
        chair: proceedings::chair_id(packet).map(member_name).unwrap_or_default(),
        recorder: record.recorder.clone().unwrap_or_default(),
        present: format!("{}{partial_note}", or_none(&present)),
        observers: or_none(&observers),
        leave: leave_none(&leave, or_none(&leave)),
        present_markup: format!("{}{}", super::names_markup(&present), super::escape::markup(partial_note)),
        observers_markup: super::names_markup(&observers),
        leave_markup: leave_none(&leave, super::names_markup(&leave)),
        transcript: record.transcript.clone().unwrap_or_default(),
        fonts: font_list(fonts),
        keywords: typst_array(&[g.name.as_str(), "會議紀錄", g.agency.as_str()]),
        marks: typst_array(&marks),
        mark_words: marks.clone(),
        opening: md(record.opening.as_deref().unwrap_or("略"), "minutes.opening", 1)?,
        opening_inline: markdown::is_one_paragraph(record.opening.as_deref().unwrap_or("略")),
        end_marker: zh::marker(0, 5),
        end_time: record
            .end
            .map_or_else(String::new, |e| e.known().map_or("（時間未記錄）".into(), |t| zh::roc_time(t.0))),
        sections,
        doc_title,
        title_markup,
    };
    let source = render("minutes.typ", &view)?;
    Ok(Rendered {
        document: Document::Minutes(Box::new(view)),
        source,
        assets: Vec::new(),
        warnings: Vec::new(),
        texts: Vec::new(),
    })
}
