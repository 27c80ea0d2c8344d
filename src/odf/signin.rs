//! The sign-in sheet (簽到表) in ODF, laid out as `templates/signin.typ` lays out the
//! PDF: the title and the meeting's time and place, then three tables with a column to
//! sign in (and, for 機關代表, one for a delegate).

use super::styles::Styles;
use super::{Body, xml};
use crate::render::signin::SigninView;

/// A table with its header row (repeated on every page) and rows of plain text cells,
/// `None` for a cell that does not apply (shaded, a dash).
fn sheet(b: &mut Body, widths: &[f64], head: &[&str], rows: &[Vec<Option<String>>]) {
    b.styles.tall_rows("SignRow", "0.9cm");
    let (name, columns) = b.styles.table(widths);
    b.out.push_str(&format!(
        "<table:table table:name=\"{name}\" table:style-name=\"{name}\">{columns}<table:table-header-rows><table:table-row table:style-name=\"Row\">"
    ));
    for h in head {
        b.out.push_str(&format!(
            "<table:table-cell table:style-name=\"HeadBox\" office:value-type=\"string\"><text:p text:style-name=\"TrackHead\">{}</text:p></table:table-cell>",
            xml::text(h)
        ));
    }
    b.out.push_str("</table:table-row></table:table-header-rows>");
    for row in rows {
        b.out.push_str("<table:table-row table:style-name=\"SignRow\">");
        for cell in row {
            let (style, text) = match cell {
                Some(t) => ("CellBox", xml::text(t)),
                None => ("HeadBox", "—".to_string()),
            };
            b.out.push_str(&format!(
                "<table:table-cell table:style-name=\"{style}\" office:value-type=\"string\"><text:p text:style-name=\"TrackCell\">{text}</text:p></table:table-cell>"
            ));
        }
        b.out.push_str("</table:table-row>");
    }
    b.out.push_str("</table:table>");
}

pub(super) fn body(view: &SigninView, styles: &mut Styles) -> String {
    let mut b = Body { styles, out: String::new() };
    b.h("CoverTitle", 1, &xml::text(&view.doc_title));
    b.p("Body", &xml::text(&format!("時間：{}{}　地點：{}", view.date, view.time, view.place)));
    b.h("Heading", 2, "出席委員");
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
    sheet(&mut b, &[0.9, 1.0, 1.0, 0.8, 0.8], &["姓名", "服務機關", "職稱", "簽名", "代理出席者簽名"], &members);
    b.p("Note", "代表政府機關出任之委員因故未能親自出席時，得指派代表出席，由代理出席者於右欄簽名。");
    for (heading, label, names) in [("列席", "單位及職稱", &view.observers), ("工作人員", "單位及姓名", &view.staff)]
    {
        b.h("Heading", 2, heading);
        let rows: Vec<Vec<Option<String>>> = names.iter().map(|n| vec![Some(n.clone()), Some(String::new())]).collect();
        sheet(&mut b, &[2.0, 1.0], &[label, "簽名"], &rows);
    }
    b.out
}
