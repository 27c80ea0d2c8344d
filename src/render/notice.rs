//! The meeting notice (開會通知單) in the 文書處理手冊's form: 受文者, 發文日期, 發文字號,
//! 速別, 密等, 附件, then 開會事由 to 備註, the members invited as the roster stood on
//! the meeting's date.

use chrono::NaiveDate;
use serde::Serialize;

use super::notice_facts::{Facts, materials_line, official_date};
use super::{Document, Rendered, font_list, render, typst_array};
use crate::diag::Result;
use crate::model::calendar::Calendar;
use crate::model::{Member, MemberKind, Packet};
use crate::rules::check::deadline_rules;
use crate::rules::proceedings;
use crate::text::zh;

/// Which edition of the notice: the 開會通知單 as it was sent, or the 書函 that announces
/// a postponement or a change of place (`[notice.change]`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Edition {
    Notice,
    Change,
}

#[derive(Serialize)]
pub struct NoticeView {
    pub agency: String,
    /// 開會通知單, or 書函 for the change edition.
    pub form: &'static str,
    /// 〈機關〉開會通知單
    pub doc_title: String,
    /// The 書函 of a change: 主旨 is `subject`, 說明 the `notes`, 正本 the `recipients`.
    pub change: bool,
    /// 正本 of the 書函: the members and the attending units.
    pub recipients_markup: String,
    /// 機關地址 (empty: not printed).
    pub address: String,
    pub recipient: String,
    /// 發文日期 (empty: left for the 公文系統).
    pub sent: String,
    /// 發文字號 (empty: left for the 公文系統).
    pub number: String,
    pub speed: &'static str,
    pub attachments: String,
    pub subject: String,
    /// 開會時間: the date with its weekday and the start time.
    pub time: String,
    pub place: String,
    pub chair: String,
    pub contact: String,
    /// 出席者: each member serving on the meeting's date, in the roster's order.
    pub attendees: Vec<String>,
    pub observers: Vec<String>,
    pub copy: Vec<String>,
    /// 備註, each line numbered 一、二、… when there are several.
    pub notes: Vec<(String, String)>,
    /// The lists as Typst markup: a line breaks only after a 、.
    pub attendees_markup: String,
    pub observers_markup: String,
    pub copy_markup: String,
    pub fonts: String,
    pub keywords: String,
}

/// 職稱 as a notice prints it: the organisation before it unless it is the agency itself
/// (主計總處資訊長, 國立臺灣大學資訊管理學系教授).
pub(crate) fn position(member: &Member, agency: &str) -> String {
    if member.organisation == agency || member.title.starts_with(&member.organisation) {
        member.title.clone()
    } else {
        format!("{}{}", member.organisation, member.title)
    }
}

/// The members invited to the meeting: those serving on its date, in the roster's order.
pub(crate) fn invited(packet: &Packet) -> Vec<&Member> {
    packet.group.members.iter().filter(|m| m.serves_on(packet.meeting.date)).collect()
}

/// 備註: when the materials go out, that a government member may send a delegate, then
/// the group's and the meeting's own lines.
fn notes(packet: &Packet, materials_due: Option<NaiveDate>) -> Vec<String> {
    let m = &packet.meeting;
    let mut out = vec![materials_line(packet, materials_due)];
    if invited(packet).iter().any(|x| x.kind == MemberKind::Government) {
        out.push("代表政府機關出任之委員，因故未能親自出席時，得指派代表出席，並參與發言及表決。".into());
    }
    out.extend(packet.group.notice.notes.iter().cloned());
    out.extend(m.notice.notes.iter().cloned());
    out
}

/// Render one edition of the notice; the materials' deadline it states is counted on
/// `calendar` from the date that edition gives (none when the calendar lacks the year).
pub fn notice(packet: &Packet, fonts: &[String], calendar: &Calendar, edition: Edition) -> Result<Rendered> {
    let g = &packet.group;
    let m = &packet.meeting;
    let n = &m.notice;
    let facts = match edition {
        Edition::Notice => Facts::original(packet),
        Edition::Change => Facts::current(packet),
    };
    let days = deadline_rules(&g.rules).materials_days;
    let materials_due = calendar.nth_working_day_before(facts.date, days).ok();
    let attendees: Vec<String> = invited(packet)
        .into_iter()
        .map(|x| format!("{}{}（{}）", x.name, x.role_label(), position(x, &g.agency)))
        .collect();
    let observers = n.observers.clone().unwrap_or_else(|| g.notice.observers.clone());
    let copy = n.copy.clone().unwrap_or_else(|| g.notice.copy.clone());
    let chair = proceedings::chair_id(packet)
        .and_then(|id| g.members.iter().find(|x| x.id == id))
        .map(|x| format!("{}{}", x.name, x.role_label()))
        .unwrap_or_default();
    let contact = g
        .contact
        .as_ref()
        .map(|c| [Some(c.name.as_str()), c.phone.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let (notes, subject, sent, number) = match (edition, n.change.as_ref()) {
        (Edition::Change, Some(change)) => {
            let (subject, points) = super::notice_change::letter(packet, &facts, materials_due)?;
            (points, subject, change.sent, change.number.clone())
        }
        _ => (
            notes(packet, materials_due),
            n.subject.clone().unwrap_or_else(|| format!("召開{}", packet.meeting_title())),
            m.dates.notice_sent,
            n.number.clone(),
        ),
    };
    let numbered = notes.len() > 1;
    let notes = notes
        .into_iter()
        .enumerate()
        .map(|(i, t)| (if numbered { zh::marker(1, i + 1) } else { String::new() }, t))
        .collect();
    let form = if edition == Edition::Change { "書函" } else { "開會通知單" };
    let recipients: Vec<String> = attendees.iter().chain(&observers).cloned().collect();
    let view = NoticeView {
        agency: g.agency.clone(),
        form,
        doc_title: format!("{} {form}", g.agency),
        change: edition == Edition::Change,
        recipients_markup: super::names_markup(&recipients),
        address: g.notice.address.clone().unwrap_or_default(),
        recipient: n
            .recipient
            .clone()
            .or_else(|| g.notice.recipient.clone())
            .unwrap_or_else(|| "如出席者及列席者".into()),
        sent: sent.map(|d| official_date(d.0)).unwrap_or_default(),
        number: number.unwrap_or_default(),
        speed: n.speed.unwrap_or_default().label(),
        attachments: n.attachments.clone().unwrap_or_else(|| "無".into()),
        subject,
        time: facts.when(),
        place: facts.place,
        chair,
        contact,
        attendees_markup: super::names_markup(&attendees),
        observers_markup: super::names_markup(&observers),
        copy_markup: super::names_markup(&copy),
        attendees,
        observers,
        copy,
        notes,
        fonts: font_list(fonts),
        keywords: typst_array(&[g.name.as_str(), form, g.agency.as_str()]),
    };
    let source = render("notice.typ", &view)?;
    Ok(Rendered {
        document: Document::Notice(Box::new(view)),
        source,
        assets: Vec::new(),
        warnings: Vec::new(),
        texts: Vec::new(),
    })
}
