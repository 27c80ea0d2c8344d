//! The correction round's record in ODF, laid out as `templates/corrections.typ` lays
//! out the PDF: the title and its lines, the table of members, the notes.

use super::markdown::{self, Context};
use super::styles::Styles;
use super::{Body, xml};
use crate::render::corrections::CorrectionsView;

pub(super) fn body(view: &CorrectionsView, styles: &mut Styles) -> String {
    let mut b = Body { styles, out: String::new() };
    b.h("CoverTitle", 1, &xml::text(&view.doc_title));
    let mut lines = vec![
        ("會議日期：", &view.meeting_date),
        ("草稿送達：", &view.sent),
        ("回復期限：", &view.deadline),
        ("定稿日期：", &view.final_text),
    ];
    if !view.as_of.is_empty() {
        lines.push(("狀態截至：", &view.as_of));
    }
    for (label, text) in lines {
        b.labelled(label, text, 0);
    }
    let (name, columns) = b.styles.table(&[0.85, 0.6, 1.3, 1.3]);
    b.out.push_str(&format!("<table:table table:name=\"{name}\" table:style-name=\"{name}\">{columns}<table:table-header-rows><table:table-row table:style-name=\"Row\">"));
    for h in ["委員", "回復日期", "修正意見", "處理情形"] {
        b.out.push_str(&format!("<table:table-cell table:style-name=\"HeadBox\" office:value-type=\"string\"><text:p text:style-name=\"TrackHead\">{h}</text:p></table:table-cell>"));
    }
    b.out.push_str("</table:table-row></table:table-header-rows>");
    let open = "<table:table-cell table:style-name=\"TopBox\" office:value-type=\"string\">";
    let ctx = Context { para: "TrackCell", size: 13, indent: 0, depth: 0 };
    for r in &view.rows {
        b.out.push_str("<table:table-row table:style-name=\"Row\">");
        for text in [&r.name, &r.received] {
            b.out.push_str(open);
            b.p("TrackCell", &xml::text(text));
            b.out.push_str("</table:table-cell>");
        }
        for rich in [&r.opinion, &r.changed] {
            b.out.push_str(open);
            let blocks = markdown::blocks(rich, ctx, b.styles);
            b.out.push_str(if blocks.is_empty() { "<text:p text:style-name=\"TrackCell\"/>" } else { &blocks });
            b.out.push_str("</table:table-cell>");
        }
        b.out.push_str("</table:table-row>");
    }
    b.out.push_str("</table:table>");
    b.p("Label", "說明：");
    for (marker, note) in ["一、", "二、"].iter().zip(&view.notes) {
        let style = b.styles.para("Body", super::em("說明："), super::em(marker), 16);
        b.p(&style, &xml::text(&format!("{marker}{note}")));
    }
    b.out
}
