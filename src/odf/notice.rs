//! The notice's body (開會通知單, or the 書函 of a change) in ODF, laid out as `templates/notice.typ` lays out
//! the PDF, in its sizes: 檔號 and 保存年限 in the top right corner beside the title, 受文者 to
//! 附件 in 12 pt, the rest in 14 pt at the PDF's line pitch (fixed, so that the form stays on
//! one page whatever face Writer puts in for TW-Kai), 備註 numbered after its label, the
//! agency at the foot.

use super::styles::Styles;
use super::{Body, cover, em, names_xml, xml};
use crate::render::notice::NoticeView;

/// The text block's width in em at 14 pt (16 cm), less a little to spare.
const LINE_EM: f64 = 16.0 / 2.54 * 72.0 / 14.0 - 0.3;

/// 檔號 and 保存年限, left for the 公文系統 (文書處理手冊's 行款): a frame in the top right
/// corner of the first page, beside the title as in the PDF, taking no line of its own.
/// A title whose centred line would reach under it starts below it (`FormTitleLow`).
const CORNER_CM: f64 = 2.2;
const CORNER: &str = "<draw:frame draw:style-name=\"FormCorner\" draw:name=\"檔號\" text:anchor-type=\"page\" text:anchor-page-number=\"1\" svg:width=\"2.2cm\" draw:z-index=\"0\"><draw:text-box fo:min-height=\"0.5cm\"><text:p text:style-name=\"FormCorner\">檔　　號：</text:p><text:p text:style-name=\"FormCorner\">保存年限：</text:p></draw:text-box></draw:frame>";

/// `title` is the title as XML (broken where it must be, [`super::cover`]).
pub(super) fn body(view: &NoticeView, styles: &mut Styles, title: &str) -> String {
    let mut b = Body { styles, out: String::new() };
    b.out.push_str(CORNER);
    let clear = (16.0 - 2.0 * CORNER_CM) / 2.54 * 72.0 / 20.0;
    b.h(if cover::widest_line_em(title) <= clear { "FormTitle" } else { "FormTitleLow" }, 1, title);
    if !view.address.is_empty() {
        b.p("FormAddress", &xml::text(&format!("機關地址：{}", view.address)));
    }
    for (label, text) in [
        ("受文者：", &view.recipient),
        ("發文日期：", &view.sent),
        ("發文字號：", &view.number),
        ("速別：", &view.speed.to_string()),
        ("密等及解密條件或保密期限：", &String::new()),
        ("附件：", &view.attachments),
    ] {
        line(&mut b, "FormSmall", 12, label, &xml::text(text));
    }
    let points = if view.change {
        line(&mut b, "Form", 14, "主旨：", &xml::text(&view.subject));
        "說明："
    } else {
        for (label, text) in [
            ("開會事由：", &view.subject),
            ("開會時間：", &view.time),
            ("開會地點：", &view.place),
            ("主持人：", &view.chair),
            ("聯絡人及電話：", &view.contact),
        ] {
            line(&mut b, "Form", 14, label, &xml::text(text));
        }
        for (label, list) in [("出席者：", &view.attendees), ("列席者：", &view.observers), ("副本：", &view.copy)]
        {
            name_line(&mut b, label, &names(list));
        }
        "備註："
    };
    notes(&mut b, points, &view.notes);
    if view.change {
        let recipients: Vec<&str> = view.attendees.iter().chain(&view.observers).map(String::as_str).collect();
        name_line(&mut b, "正本：", &recipients);
        name_line(&mut b, "副本：", &names(&view.copy));
    }
    b.p("FormStamp", &xml::text(&view.agency));
    b.out
}

fn names(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// `label` with `inner` (XML) hanging after it, in paragraph style `style` of `size` pt.
fn line(b: &mut Body, style: &str, size: u32, label: &str, inner: &str) {
    let style = b.styles.para(style, 0, em(label), size);
    b.p(&style, &format!("{}{inner}", xml::text(label)));
}

/// A list of names after `label`, a name never split across lines; 無 when there is none.
fn name_line(b: &mut Body, label: &str, names: &[&str]) {
    let inner = if names.is_empty() { "無".to_string() } else { names_xml(label, names, LINE_EM) };
    line(b, "FormNames", 14, label, &inner);
}

/// 備註 (說明) as the PDF sets them: the first point on the label's line, the others under
/// it, each point's lines hanging after its marker (一、).
fn notes(b: &mut Body, label: &str, notes: &[(String, String)]) {
    for (i, (marker, text)) in notes.iter().enumerate() {
        let (indent, lead) = if i == 0 { (0, label) } else { (em(label), "") };
        let style = b.styles.para("Form", indent, em(lead) + em(marker), 14);
        b.p(&style, &xml::text(&format!("{lead}{marker}{text}")));
    }
    if notes.is_empty() {
        line(b, "Form", 14, label, "");
    }
}
