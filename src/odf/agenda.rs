//! The agenda's body in ODF, laid out as `templates/agenda.typ` lays out the PDF: cover,
//! outline, one page per item, tracking tables, attachments.

use super::markdown::{self, Context};
use super::styles::{ListKind, Styles};
use super::{Body, widths, xml};
use crate::render::agenda::{DocView, ItemView};
use crate::render::attachments::AttachmentView;
use crate::render::tables::Table;

/// `user_widths[i][j]`: the column widths the meeting.toml gives the `j`th attachment of
/// the `i`th item (empty: computed).
/// `title` is the cover title as XML (broken where it must be, [`super::cover`]).
pub(super) fn body(view: &DocView, styles: &mut Styles, user_widths: &[Vec<&[f64]>], title: &str) -> String {
    let mut b = Body { styles, out: String::new() };
    if view.agency_line {
        b.p("CoverAgency", &xml::text(&view.agency));
    }
    b.h("CoverTitle", 1, title);
    b.labelled("時間：", &format!("{}{}", view.date, view.time), 0);
    b.labelled("地點：", &view.place, 0);
    // The outline: 壹、主席致詞 … 肆、臨時動議, the items of each under it.
    let list = b.styles.list(ListKind::Numbered, 0, 16, 0);
    b.out.push_str(&format!("<text:list text:style-name=\"{list}\">"));
    for o in &view.outline {
        b.out.push_str("<text:list-item>");
        b.p("Outline", &xml::text(&o.label));
        if !o.entries.is_empty() {
            b.out.push_str("<text:list>");
            for (_, title) in &o.entries {
                b.out.push_str("<text:list-item>");
                b.p("Outline", &xml::text(title));
                b.out.push_str("</text:list-item>");
            }
            b.out.push_str("</text:list>");
        }
        b.out.push_str("</text:list-item>");
    }
    b.out.push_str("</text:list>");
    for (i, item) in view.items.iter().enumerate() {
        self::item(&mut b, item, user_widths.get(i).map_or(&[], Vec::as_slice));
    }
    b.out
}

fn item(b: &mut Body, item: &ItemView, user_widths: &[&[f64]]) {
    if !item.section_heading.is_empty() {
        // 貳、報告事項: in the navigator and the outline, hidden on the page (the official
        // packet prints no such line), as in the PDF.
        b.h("SectionHeading", 1, &xml::text(&item.section_heading));
    }
    b.h("ItemHeading", 2, &xml::text(&item.heading));
    b.labelled_kept(&format!("{}：", item.unit_label), &item.unit, 0);
    b.labelled_kept("案由：", &item.title, 0);
    // An item with no 說明 prints no empty 「說明：」 (the tracking table's label stays).
    if !item.explanation.md.trim().is_empty() || !item.tracking.is_empty() {
        b.labelled_rich("說明：", &item.explanation, 0, "");
    }
    if !item.tracking.is_empty() {
        tracking_table(b, item);
    }
    b.labelled(&format!("{}：", item.decision_label), "", 0);
    for (j, a) in item.attachments.iter().enumerate() {
        attachment(b, a, user_widths.get(j).copied().unwrap_or(&[]));
    }
}

/// The 案由 | 決定（議） | 辦理情形 table, its header row repeated on every page.
fn tracking_table(b: &mut Body, item: &ItemView) {
    let mut head = vec!["案由", "決定（議）", "辦理情形"];
    if item.numbered {
        head.insert(0, "編號");
    }
    if item.advice_column {
        head.push("列管建議");
    }
    // Widths from what the cells hold, at the table's 13 pt (units of 6.5 pt).
    let rows: Vec<Vec<String>> = item
        .tracking
        .iter()
        .flat_map(|g| g.rows.iter().enumerate().map(move |(i, r)| (g, i, r)))
        .map(|(g, i, r)| {
            let mut cells = Vec::new();
            if item.numbered {
                cells.extend([r.marker.clone(), r.title.clone()]);
            } else if i == 0 {
                cells.push(format!("{}{}{}{}", g.marker, g.label, r.marker, r.title));
            } else {
                cells.push(format!("{}{}", r.marker, r.title));
            }
            cells.extend([r.decision.md.clone(), r.progress.md.clone()]);
            if item.advice_column {
                cells.push(r.advice.clone());
            }
            cells
        })
        .collect();
    let widths = widths::running_text(&head, &rows, widths::PORTRAIT_UNITS * 12.0 / 13.0);
    let (name, columns) = b.styles.table(&widths);
    b.out.push_str(&format!("<table:table table:name=\"{name}\" table:style-name=\"{name}\">{columns}<table:table-header-rows><table:table-row table:style-name=\"Row\">"));
    for h in head {
        b.out.push_str(&format!("<table:table-cell table:style-name=\"HeadBox\" office:value-type=\"string\"><text:p text:style-name=\"TrackHead\">{h}</text:p></table:table-cell>"));
    }
    b.out.push_str("</table:table-row></table:table-header-rows>");
    let cell_ctx = Context { para: "TrackCell", size: 13, indent: 0, depth: 0 };
    for group in &item.tracking {
        for (i, row) in group.rows.iter().enumerate() {
            b.out.push_str("<table:table-row table:style-name=\"Row\">");
            // Rows of several lines read from the top, as in the PDF.
            let open = "<table:table-cell table:style-name=\"TopBox\" office:value-type=\"string\">";
            if item.numbered {
                b.out.push_str(open);
                b.p("TrackCenter", &xml::text(&row.marker));
                b.out.push_str("</table:table-cell>");
                b.out.push_str(open);
                b.p("TrackCell", &xml::text(&row.title));
            } else {
                b.out.push_str(open);
                if i == 0 {
                    let style = b.styles.para("TrackCell", 0, super::em(&group.marker), 13);
                    b.p(&style, &xml::text(&format!("{}{}", group.marker, group.label)));
                }
                let style = b.styles.para("TrackCell", 0, super::em(&row.marker), 13);
                b.p(&style, &xml::text(&format!("{}{}", row.marker, row.title)));
            }
            b.out.push_str("</table:table-cell>");
            for rich in [&row.decision, &row.progress] {
                b.out.push_str(open);
                let blocks = markdown::blocks(rich, cell_ctx, b.styles);
                b.out.push_str(if blocks.is_empty() { "<text:p text:style-name=\"TrackCell\"/>" } else { &blocks });
                b.out.push_str("</table:table-cell>");
            }
            if item.advice_column {
                b.out.push_str(open);
                b.p("TrackCell", &xml::text(&row.advice));
                b.out.push_str("</table:table-cell>");
            }
            b.out.push_str("</table:table-row>");
        }
    }
    b.out.push_str("</table:table>");
}

pub(super) fn attachment(b: &mut Body, a: &AttachmentView, user_widths: &[f64]) {
    if a.kind == "pdf" {
        // The PDF's pages are pictures of another document: the ODT names the file and
        // its pages; the PDF edition carries them.
        b.p("AttachmentLabel", &xml::text(&a.label));
        // A Word or ODF file was converted to PDF: named as what the user attached.
        let name = a.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = a.file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let kind = crate::render::office::kind_name(&ext);
        b.p("Body", &xml::text(&format!("{}（{kind}「{name}」，共 {} 頁，見 PDF 版）", a.title, a.pages.len())));
        return;
    }
    // A table too wide for a portrait page at 12 pt turns the page.
    let layout = a.table.as_ref().filter(|_| a.kind == "table").map(|t| widths::layout(t, user_widths));
    let page = if layout.as_ref().is_some_and(|l| l.landscape) { "Landscape" } else { "" };
    // Each attachment starts a page (its first paragraph breaks before it, on the page
    // style it needs).
    if !a.title.is_empty() {
        if !a.label.is_empty() {
            b.p(&format!("AttachmentLabel{page}"), &xml::text(&a.label));
            b.h("AttachmentTitle", 3, &xml::text(&a.title));
        } else {
            b.h(&format!("AttachmentTitleBreak{page}"), 3, &xml::text(&a.title));
        }
    } else if !a.label.is_empty() {
        b.h(&format!("AttachmentLabelHeading{page}"), 3, &xml::text(&a.label));
    }
    if !a.subtitle.is_empty() {
        b.p("AttachmentSubtitle", &xml::text(&a.subtitle));
    }
    match a.kind {
        "markdown" => {
            let blocks = markdown::blocks(&a.markup, Context { para: "Doc", size: 14, indent: 0, depth: 0 }, b.styles);
            b.out.push_str(&blocks);
        }
        "table" => {
            if let (Some(t), Some(layout)) = (&a.table, &layout) {
                table(b, t, layout);
            }
        }
        "image" => {
            let alt = format!("{} {}", a.label, a.title);
            let frame = b.styles.image(&a.file, &alt, 1.0, 0.7);
            b.p("Figure", &frame);
        }
        _ => {}
    }
    notes(b, &a.notes);
}

/// 註： under a table or image: one note on the label's line, several numbered 1. 2.
fn notes(b: &mut Body, notes: &[crate::render::Rich]) {
    let ctx = Context { para: "Note", size: 12, indent: 0, depth: 0 };
    match notes {
        [] => {}
        [one] => match markdown::inline(one, b.styles) {
            Some(inline) => {
                let style = b.styles.para("Note", 0, 3, 12);
                b.p(&style, &format!("註：{inline}"));
            }
            None => {
                let kept = b.styles.para_kept("Note", 0, 0, 12);
                b.p(&kept, "註：");
                let blocks = markdown::blocks(one, Context { indent: 3, ..ctx }, b.styles);
                b.out.push_str(&blocks);
            }
        },
        many => {
            let kept = b.styles.para_kept("Note", 0, 0, 12);
            b.p(&kept, "註：");
            let list = b.styles.list(ListKind::Numbered, 3, 12, 3);
            b.out.push_str(&format!("<text:list text:style-name=\"{list}\">"));
            for n in many {
                b.out.push_str("<text:list-item>");
                list_item_rich(b, "", n, Context { depth: 1, indent: 3, ..ctx });
                b.out.push_str("</text:list-item>");
            }
            b.out.push_str("</text:list>");
        }
    }
}

/// A list item's text: `prefix` (XML) and a Markdown field, on one line when it is one
/// paragraph, else the prefix's line and the field's blocks.
pub(super) fn list_item_rich(b: &mut Body, prefix: &str, rich: &crate::render::Rich, ctx: Context) {
    match markdown::inline(rich, b.styles) {
        Some(inline) => b.p(ctx.para, &format!("{prefix}{inline}")),
        None => {
            if !prefix.is_empty() {
                b.p(ctx.para, prefix);
            }
            let blocks = markdown::blocks(rich, ctx, b.styles);
            b.out.push_str(&blocks);
        }
    }
}

/// A CSV table: merged cells span (the cells they cover are `covered-table-cell`), the
/// header rows repeat on every page.
fn table(b: &mut Body, t: &Table, layout: &widths::Layout) {
    let (name, columns) = b.styles.table_on(&layout.widths, layout.landscape);
    // Relative widths to units across the page.
    let page = if layout.landscape { widths::LANDSCAPE_UNITS } else { widths::PORTRAIT_UNITS };
    let scale = page / layout.widths.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    b.out.push_str(&format!("<table:table table:name=\"{name}\" table:style-name=\"{name}\">{columns}"));
    // Rows still covered by a cell above, per column.
    let mut covered = vec![0usize; t.columns];
    let mut rows = |b: &mut Body, rows: &[Vec<crate::render::tables::Cell>], header: bool| {
        for row in rows {
            b.out.push_str("<table:table-row table:style-name=\"Row\">");
            let mut col = 0;
            let mut cells = row.iter();
            while col < t.columns {
                if covered[col] > 0 {
                    covered[col] -= 1;
                    b.out.push_str("<table:covered-table-cell/>");
                    col += 1;
                    continue;
                }
                let Some(c) = cells.next() else {
                    b.out.push_str("<table:table-cell table:style-name=\"CellBox\"/>");
                    col += 1;
                    continue;
                };
                let span = c.colspan.max(1).min(t.columns - col);
                let mut attrs = String::new();
                if span > 1 {
                    attrs.push_str(&format!(" table:number-columns-spanned=\"{span}\""));
                }
                if c.rowspan > 1 {
                    attrs.push_str(&format!(" table:number-rows-spanned=\"{}\"", c.rowspan));
                }
                let (cell_style, para) = if header {
                    ("HeadBox", "CellHead")
                } else {
                    (
                        "CellBox",
                        match t.align.get(col).copied().unwrap_or("left") {
                            "center" => "CellCenter",
                            "right" => "CellRight",
                            _ => "CellLeft",
                        },
                    )
                };
                b.out.push_str(&format!(
                    "<table:table-cell table:style-name=\"{cell_style}\" office:value-type=\"string\"{attrs}>"
                ));
                if header && span == 1 {
                    // Wrapped where the header allows, not one character short of its end.
                    let lines = widths::header_lines(&c.text, layout.widths[col] * scale);
                    let lines: Vec<String> = lines.iter().map(|l| xml::text(l)).collect();
                    b.p(para, &lines.join("<text:line-break/>"));
                } else {
                    b.p(para, &xml::text(&c.text));
                }
                b.out.push_str("</table:table-cell>");
                for (k, cov) in covered.iter_mut().enumerate().skip(col).take(span) {
                    *cov = c.rowspan.max(1) - 1;
                    if k > col {
                        b.out.push_str("<table:covered-table-cell/>");
                    }
                }
                col += span;
            }
            b.out.push_str("</table:table-row>");
        }
    };
    if !t.header.is_empty() {
        b.out.push_str("<table:table-header-rows>");
        rows(b, &t.header, true);
        b.out.push_str("</table:table-header-rows>");
    }
    rows(b, &t.body, false);
    b.out.push_str("</table:table>");
}
