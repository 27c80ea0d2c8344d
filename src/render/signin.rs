//! The sign-in sheet (簽到表): the members invited (主席 first, then the roster's order),
//! each with 職稱 and 服務機關, a signature column, and for a government member
//! (機關代表) a column where a delegate signs; then the attending units and the staff.

use serde::Serialize;

use super::notice::invited;
use super::{Document, Rendered, font_list, render, typst_array};
use crate::diag::Result;
use crate::model::{MemberKind, Packet};
use crate::rules::proceedings;
use crate::text::zh;

/// Blank rows left for units or staff that the record does not name.
const BLANK_ROWS: usize = 2;

#[derive(Serialize)]
pub struct SigninView {
    pub agency: String,
    pub doc_title: String,
    /// The title as Typst markup: names kept whole on one line.
    pub title_markup: String,
    pub date: String,
    pub time: String,
    pub place: String,
    pub members: Vec<SigninMember>,
    /// 列席: the units invited (blank rows when none is named).
    pub observers: Vec<String>,
    /// 工作人員: the secretariat's unit and contact (and blank rows).
    pub staff: Vec<String>,
    pub fonts: String,
    pub keywords: String,
}

#[derive(Serialize)]
pub struct SigninMember {
    /// 陳○○（召集人）, or the name alone for a member without a role.
    pub name: String,
    pub organisation: String,
    pub title: String,
    /// 機關代表: may send a delegate, who signs in the last column.
    pub government: bool,
}

/// Render the sign-in sheet.
pub fn signin(packet: &Packet, fonts: &[String]) -> Result<Rendered> {
    let g = &packet.group;
    let m = &packet.meeting;
    let chair = proceedings::chair_id(packet);
    let mut people = invited(packet);
    // 主席 first; the others in the roster's order.
    people.sort_by_key(|x| Some(x.id.as_str()) != chair);
    let members = people
        .into_iter()
        .map(|x| SigninMember {
            name: x.role.map_or_else(|| x.name.clone(), |r| format!("{}（{}）", x.name, r.label())),
            organisation: x.organisation.clone(),
            title: x.title.clone(),
            government: x.kind == MemberKind::Government,
        })
        .collect();
    let mut observers = m.notice.observers.clone().unwrap_or_else(|| g.notice.observers.clone());
    if observers.is_empty() {
        observers = vec![String::new(); BLANK_ROWS];
    }
    let mut staff: Vec<String> = Vec::new();
    if let Some(c) = &g.contact {
        let unit = g.unit.as_deref().map_or_else(String::new, |u| format!("{u} "));
        staff.push(format!("{unit}{}", c.name));
    }
    staff.extend(std::iter::repeat_n(String::new(), BLANK_ROWS));
    let mut parts = packet.title_parts();
    if !packet.title_has_agency() {
        parts.insert(0, (g.agency.clone(), true));
    }
    parts.push((" 簽到表".into(), false));
    let view = SigninView {
        agency: g.agency.clone(),
        doc_title: parts.iter().map(|(s, _)| s.as_str()).collect(),
        title_markup: super::title_markup(&parts, &g.agency),
        date: zh::roc_date(m.date.0),
        time: m.time.known().map_or_else(String::new, |t| zh::roc_time(t.0)),
        place: m.place.clone(),
        members,
        observers,
        staff,
        fonts: font_list(fonts),
        keywords: typst_array(&[g.name.as_str(), "簽到表", g.agency.as_str()]),
    };
    let source = render("signin.typ", &view)?;
    Ok(Rendered {
        document: Document::Signin(Box::new(view)),
        source,
        assets: Vec::new(),
        warnings: Vec::new(),
        texts: Vec::new(),
    })
}
