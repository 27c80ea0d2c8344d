//! The minutes' body in ODF, laid out as `templates/minutes.typ` lays out the PDF: the
//! title and its lines, then 壹、…伍、 as headings, each item's 案由 a heading under them.

use super::agenda::list_item_rich;
use super::markdown::Context;
use super::styles::{ListKind, Styles};
use super::{Body, em, names_xml, xml};
use crate::render::minutes::{MinutesItemView, MinutesView};

/// What is still to be filled in: red, as in the PDF.
const TO_FILL: &str = "<text:span text:style-name=\"ToFill\">（待填）</text:span>";

/// The text block's width in em at 16 pt (16 cm), less a little to spare.
const LINE_EM: f64 = 16.0 / 2.54 * 72.0 / 16.0 - 0.8;

/// The last `n` paragraphs written so far kept with the next.
fn keep_last(b: &mut Body, n: usize) {
    let mut end = b.out.len();
    for _ in 0..n {
        let at = ["<text:p text:style-name=\"", "<text:h text:style-name=\""]
            .iter()
            .filter_map(|open| b.out[..end].rfind(open).map(|i| (i, i + open.len())))
            .max();
        let Some((tag, start)) = at else { return };
        let Some(len) = b.out[start..].find('"') else { return };
        let kept = b.styles.kept(&b.out[start..start + len]);
        b.out.replace_range(start..start + len, &kept);
        end = tag;
    }
}

/// `title` is the title as XML (broken where it must be, [`super::cover`]).
pub(super) fn body(view: &MinutesView, styles: &mut Styles, title: &str) -> String {
    let mut b = Body { styles, out: String::new() };
    b.h("CoverTitle", 1, title);
    for (label, text) in [
        ("時間：", format!("{}{}", view.date, view.time)),
        ("地點：", view.place.clone()),
        ("主席：", view.chair.clone()),
        ("紀錄：", view.recorder.clone()),
    ] {
        b.labelled(label, &text, 0);
    }
    for (label, names) in [("出席者：", &view.present), ("列席者：", &view.observers), ("請假者：", &view.leave)]
    {
        let style = b.styles.para("NameList", 0, em(label), 16);
        b.p(
            &style,
            &format!("{}{}", xml::text(label), names_xml(label, &names.split('、').collect::<Vec<_>>(), LINE_EM)),
        );
    }
    if !view.transcript.is_empty() {
        let style = b.styles.para("Body", 0, em("逐字紀錄："), 16);
        let link = format!(
            "<text:a xlink:type=\"simple\" xlink:href=\"{}\">{}</text:a>",
            xml::attr(&view.transcript),
            xml::text(&view.transcript)
        );
        b.p(&style, &format!("逐字紀錄：{link}"));
    }
    // 壹、主席致詞：the opening on its line, or below it, hanging under 主席致詞.
    let first = "壹、";
    // A heading that holds its content (壹、主席致詞：略, 參、…：無, 伍、散會) is not kept
    // with the next: nothing of it would be left alone at a page's foot.
    let heading_style = b.styles.para("LineHeading", 0, em(first), 16);
    let text_style = b.styles.para("LineText", 0, em(first), 16);
    match super::markdown::inline(&view.opening, b.styles) {
        Some(inline) if view.opening_inline => b.h(&text_style, 1, &format!("{first}主席致詞：{inline}")),
        _ => {
            b.h(&heading_style, 1, &format!("{first}主席致詞："));
            let blocks = super::markdown::blocks(
                &view.opening,
                Context { para: "Body", size: 16, indent: em(first), depth: 0 },
                b.styles,
            );
            b.out.push_str(&blocks);
        }
    }
    for s in &view.sections {
        let indent = em(&s.marker);
        let style = b.styles.para("LineHeading", 0, indent, 16);
        if s.items.is_empty() {
            let style = b.styles.para("LineText", 0, indent, 16);
            b.h(&style, 1, &xml::text(&format!("{}{}：無", s.marker, s.label)));
            continue;
        }
        b.h(&style, 1, &xml::text(&format!("{}{}", s.marker, s.label)));
        for it in &s.items {
            item(&mut b, it, indent);
        }
    }
    // 伍、散會 never alone at the top of the last page: the two paragraphs before it are
    // kept with what follows (肆、臨時動議：無 holds one line).
    keep_last(&mut b, 2);
    let style = b.styles.para("LineText", 0, em(&view.end_marker), 16);
    let end = if view.end_time.is_empty() { TO_FILL.to_string() } else { xml::text(&view.end_time) };
    b.h(&style, 1, &format!("{}散會：{end}", xml::text(&view.end_marker)));
    b.out
}

/// One item of a section: 一、案由：… hanging under the section's marker (`indent`), then its
/// recusals, opinions, vote and decision.
fn item(b: &mut Body<'_>, it: &MinutesItemView, indent: u32) {
    // 一、案由：… hanging after 案由：, under 貳、.
    let hang = em(&it.marker) + em("案由：");
    let style = b.styles.para("ItemLine", indent, hang, 16);
    let unit = if it.unit.is_empty() { String::new() } else { format!("（{}：{}）", it.unit_label, it.unit) };
    b.h(&style, 2, &xml::text(&format!("{}案由：{}{unit}", it.marker, it.title)));
    let inner = indent + em(&it.marker);
    if !it.recusal.is_empty() {
        b.labelled("利益迴避：", &it.recusal, inner);
    }
    if !it.opinions.is_empty() {
        let style = b.styles.para("Label", inner, 0, 16);
        b.p(&style, "發言要旨：");
        let list = b.styles.list(ListKind::Numbered, 2, 16, inner);
        b.out.push_str(&format!("<text:list text:style-name=\"{list}\">"));
        for op in &it.opinions {
            b.out.push_str("<text:list-item>");
            let ctx = Context { para: "Body", size: 16, indent: inner, depth: 1 };
            list_item_rich(b, &xml::text(&format!("{}：", op.speaker)), &op.text, ctx);
            b.out.push_str("</text:list-item>");
        }
        b.out.push_str("</text:list>");
    }
    if !it.vote.is_empty() {
        b.labelled("表決結果：", &it.vote, inner);
    }
    let label = format!("{}：", it.decision_label);
    if it.decision.typst.is_empty() {
        b.labelled_rich(&label, &it.decision, inner, TO_FILL);
    } else {
        b.labelled_rich(&label, &it.decision, inner, "");
        if !it.tracking_note.is_empty() {
            let style = b.styles.para("Body", inner + em(&label), 0, 16);
            b.p(&style, &xml::text(&it.tracking_note));
        }
    }
}
