//! The notice's body (開會通知單, or the 書函 of a change) in ODF, laid out as `templates/notice.typ` lays out
//! the PDF: the form's corner, title and lines, 備註 numbered, the agency at the foot.

use super::styles::Styles;
use super::{Body, em, xml};
use crate::render::notice::NoticeView;

pub(super) fn body(view: &NoticeView, styles: &mut Styles) -> String {
    let mut b = Body { styles, out: String::new() };
    b.p("FormCorner", "檔　　號：");
    b.p("FormCorner", "保存年限：");
    b.h("CoverTitle", 1, &xml::text(&view.doc_title));
    if !view.address.is_empty() {
        b.p("FormCorner", &xml::text(&format!("機關地址：{}", view.address)));
    }
    let none = |v: &[String]| if v.is_empty() { "無".to_string() } else { v.join("、") };
    let mut lines = vec![
        ("受文者：", view.recipient.clone()),
        ("發文日期：", view.sent.clone()),
        ("發文字號：", view.number.clone()),
        ("速別：", view.speed.to_string()),
        ("密等及解密條件或保密期限：", String::new()),
        ("附件：", view.attachments.clone()),
    ];
    let points = if view.change {
        lines.push(("主旨：", view.subject.clone()));
        "說明："
    } else {
        lines.extend([
            ("開會事由：", view.subject.clone()),
            ("開會時間：", view.time.clone()),
            ("開會地點：", view.place.clone()),
            ("主持人：", view.chair.clone()),
            ("聯絡人及電話：", view.contact.clone()),
            ("出席者：", none(&view.attendees)),
            ("列席者：", none(&view.observers)),
            ("副本：", none(&view.copy)),
        ]);
        "備註："
    };
    for (label, text) in lines {
        b.labelled(label, &text, 0);
    }
    match view.notes.as_slice() {
        [(_, only)] => b.labelled(points, only, 0),
        notes => {
            let style = b.styles.para("Label", 0, em(points), 16);
            b.p(&style, points);
            for (marker, text) in notes {
                let style = b.styles.para("Body", em(points), em(marker), 16);
                b.p(&style, &xml::text(&format!("{marker}{text}")));
            }
        }
    }
    if view.change {
        let recipients: Vec<String> = view.attendees.iter().chain(&view.observers).cloned().collect();
        b.labelled("正本：", &none(&recipients), 0);
        b.labelled("副本：", &none(&view.copy), 0);
    }
    b.p("FormStamp", &xml::text(&view.agency));
    b.out
}
