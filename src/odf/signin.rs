//! The sign-in sheet (簽到表) in ODF, laid out as `templates/signin.typ` lays out the
//! PDF, in its sizes: the title, the meeting's time and place centred, then a table of
//! the members with a column to sign in (and, for 機關代表, one for a delegate), and the
//! tables of 列席 and 工作人員 side by side, so that the sheet keeps to one page.

use super::styles::Styles;
use super::{Body, xml};
use crate::render::signin::SigninView;

/// A row's height: tall enough to sign in (the PDF's 0.62 cm strut and its insets).
const ROW_HEIGHT: &str = "0.83cm";
/// The signature columns, as the PDF's.
const SIGN_CM: f64 = 2.8;
/// A cell's padding and rules on both sides (Writer's, measured), and a little to spare, in cm.
const CELL_PAD_CM: f64 = 0.35;

/// A header cell (XML), or a body cell: `None` for one that does not apply (shaded, a dash).
fn cell(style: &str, para: &str, inner: &str) -> String {
    format!(
        "<table:table-cell table:style-name=\"{style}\" office:value-type=\"string\"><text:p text:style-name=\"{para}\">{inner}</text:p></table:table-cell>"
    )
}

/// A table with its header row (repeated on every page) and rows of plain text cells,
/// `None` for a cell that does not apply (shaded, a dash). `head` is XML.
fn sheet(b: &mut Body, widths: &[f64], head: &[&str], rows: &[Vec<Option<String>>]) {
    b.styles.tall_rows("SignRow", ROW_HEIGHT);
    let (name, columns) = b.styles.table(widths);
    b.out.push_str(&format!(
        "<table:table table:name=\"{name}\" table:style-name=\"{name}\">{columns}<table:table-header-rows><table:table-row table:style-name=\"Row\">"
    ));
    for h in head {
        b.out.push_str(&cell("CellBox", "SignHead", h));
    }
    b.out.push_str("</table:table-row></table:table-header-rows>");
    for row in rows {
        b.out.push_str("<table:table-row table:style-name=\"SignRow\">");
        for c in row {
            b.out.push_str(&match c {
                Some(t) => cell("CellBox", "SignCell", &xml::text(t)),
                None => cell("HeadBox", "SignNone", "—"),
            });
        }
        b.out.push_str("</table:table-row>");
    }
    b.out.push_str("</table:table>");
}

/// Width in cm of the name column: its longest name (or 姓名) on one line at 12 pt, as the
/// PDF's `auto` column, within bounds that leave the other columns room.
fn name_cm(view: &SigninView) -> f64 {
    // Latin as Times New Roman's widest (digits half an em), the rest (CJK, ○) one em.
    let em = |s: &str| s.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>();
    let longest = view.members.iter().map(|m| em(&m.name)).fold(em("姓名"), f64::max);
    (longest * 12.0 * 2.54 / 72.0 + CELL_PAD_CM).clamp(2.0, 5.0)
}

/// `title` is the title as XML (broken where it must be, [`super::cover`]).
pub(super) fn body(view: &SigninView, styles: &mut Styles, title: &str) -> String {
    let mut b = Body { styles, out: String::new() };
    b.h("SignTitle", 1, title);
    let when = format!("時間：{}{}", view.date, view.time);
    b.p("SignPlace", &format!("{}<text:line-break/>{}", xml::text(&when), xml::text(&format!("地點：{}", view.place))));
    b.h("SignHeading", 2, "出席委員");
    let members: Vec<Vec<Option<String>>> = view
        .members
        .iter()
        .map(|m| {
            let delegate = if m.government { Some(String::new()) } else { None };
            vec![
                Some(m.name.clone()),
                Some(m.organisation.clone()),
                Some(m.title.clone()),
                Some(String::new()),
                delegate,
            ]
        })
        .collect();
    let name = name_cm(view);
    let rest = (16.0 - name - 2.0 * SIGN_CM) / 2.0;
    sheet(
        &mut b,
        &[name, rest, rest, SIGN_CM, SIGN_CM],
        &["姓名", "服務機關", "職稱", "簽名", "代理出席者<text:line-break/>簽名"],
        &members,
    );
    b.p("SignNote", "代表政府機關出任之委員因故未能親自出席時，得指派代表出席，由代理出席者於右欄簽名。");
    // 列席 and 工作人員 side by side, as the PDF: a section of two columns, 工作人員 at the
    // top of the second.
    b.out.push_str("<text:section text:style-name=\"SignColumns\" text:name=\"列席及工作人員\">");
    for (heading, style, label, names) in [
        ("列席", "SignHeading", "單位及職稱", &view.observers),
        ("工作人員", "SignHeadingColumn", "單位及姓名", &view.staff),
    ] {
        b.h(style, 2, heading);
        let rows: Vec<Vec<Option<String>>> = names.iter().map(|n| vec![Some(n.clone()), Some(String::new())]).collect();
        sheet(&mut b, &[7.7 - SIGN_CM, SIGN_CM], &[label, "簽名"], &rows);
    }
    b.out.push_str("</text:section>");
    b.out
}
