//! The agenda packet (議程): cover, outline, every item with its 說明, tracking table
//! and attachments.

use std::path::PathBuf;

use serde::Serialize;

use super::attachments::{self, AttachOptions, AttachmentSource, AttachmentView};
use super::tables;
use super::{Document, Rendered, Rich, font_list, render, typst_array};
use crate::diag::{Diagnostics, Result};
use crate::model::{Item, ItemSection, Packet, Section, Series, TableStyle};
use crate::rules::tracking;
use crate::text::zh;

#[derive(Serialize)]
pub struct DocView {
    pub agency: String,
    pub group_name: String,
    /// e.g. 「政府資料開放諮詢小組」113 年第 1 次會議
    pub meeting_title: String,
    pub doc_title: String,
    /// The cover's title as Typst markup (names kept whole), when the group sets its own form.
    pub title_markup: String,
    /// Print the agency above the title (the title does not name it).
    pub agency_line: bool,
    pub date: String,
    pub time: String,
    pub place: String,
    pub fonts: String,
    pub keywords: String,
    pub outline: Vec<OutlineView>,
    pub items: Vec<ItemView>,
}

#[derive(Serialize)]
pub struct OutlineView {
    pub marker: String,
    pub label: String,
    pub entries: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct ItemView {
    /// The item's field path (`report[0]`): the editor's preview finds its page by it.
    pub anchor: String,
    pub heading: String,
    /// 貳、報告事項 at the first item of its section (a bookmark; prints nothing).
    pub section_heading: String,
    /// Print the 列管建議 column in the tracking table.
    pub advice_column: bool,
    /// One numbered list (編號 一、二、…) in the order written, not grouped by section.
    pub numbered: bool,
    pub unit_label: &'static str,
    pub unit: String,
    pub title: String,
    pub explanation: Rich,
    pub decision_label: &'static str,
    pub tracking: Vec<TrackingGroupView>,
    /// Typst track sizes of the tracking table's columns (編號, 案由, 決定（議）, 辦理情形,
    /// 列管建議 as printed), fitted to their text by [`tables::text_column_widths`].
    pub tracking_widths: Vec<String>,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
pub struct TrackingGroupView {
    /// 壹、 貳、 …
    pub marker: String,
    /// 報告事項： / 112 年第 2 次會議討論事項（繼續列管）：
    pub label: String,
    /// Grouping key (section, or older meeting + section).
    pub key: String,
    pub rows: Vec<TrackingRowView>,
}

#[derive(Serialize)]
pub struct TrackingRowView {
    pub marker: String,
    pub title: String,
    pub decision: Rich,
    pub progress: Rich,
    pub advice: String,
}

/// Render the agenda packet (議程).
/// `series` is the packet's own ([`Series::of`]) when its tracking item is generated.
pub fn agenda(packet: &Packet, series: Option<&Series>, fonts: &[String], opts: &AttachOptions) -> Result<Rendered> {
    let g = &packet.group;
    let m = &packet.meeting;
    let mut assets = Vec::new();
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    let meeting_title = packet.meeting_title();
    // The 辦理情形 tables (generated from the series' earlier minutes, typed by hand, or both).
    let mut rows_sorted = tracking::table_for(packet, series)?.map(|(rows, _)| rows);
    let numbered = g.tracking.style == TableStyle::Numbered;
    if let Some(rows) = rows_sorted.as_mut().filter(|_| !numbered) {
        // The previous meeting's decisions first, as in the official table; older kept ones after.
        rows.sort_by_key(|r| r.group.contains('（'));
    }
    // Its findings (辦理情形 not yet written) are reported by `check`, which build runs.
    let mut warnings = Vec::new();

    let mut outline = vec![OutlineView { marker: String::new(), label: "主席致詞".into(), entries: vec![] }];
    let mut items = Vec::new();
    for (section, list, key) in
        [(Section::Report, &m.reports, "report"), (Section::Discussion, &m.discussions, "discussion")]
    {
        if list.is_empty() {
            continue;
        }
        outline.push(OutlineView {
            marker: String::new(),
            label: section.label().into(),
            entries: list.iter().enumerate().map(|(i, it)| (zh::marker(1, i + 1), it.title.clone())).collect(),
        });
        for (i, item) in list.iter().enumerate() {
            match item_view(
                packet,
                section,
                key,
                i,
                item,
                rows_sorted.as_deref(),
                opts,
                &mut (&mut assets, &mut texts, &mut warnings),
            ) {
                Ok(mut v) => {
                    if i == 0 {
                        // The section's own line of the outline: 貳、報告事項.
                        v.section_heading = format!("{}{}", zh::marker(0, outline.len()), section.label());
                    }
                    items.push(v)
                }
                Err(e) => errors.extend(e.0),
            }
        }
    }
    outline.push(OutlineView { marker: String::new(), label: ItemSection::Motion.label().into(), entries: vec![] });
    for (i, o) in outline.iter_mut().enumerate() {
        o.marker = zh::marker(0, i + 1);
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }

    let view = DocView {
        agency: g.agency.clone(),
        group_name: g.name.clone(),
        doc_title: format!("{meeting_title} 議程"),
        title_markup: if g.title.is_some() || g.numbering != crate::model::Numbering::Yearly {
            let mut parts = packet.title_parts();
            parts.push((" 議程".into(), false));
            super::title_markup(&parts, &g.agency)
        } else {
            String::new()
        },
        agency_line: !packet.title_has_agency(),
        meeting_title,
        date: zh::roc_date(m.date.0),
        time: m.time.known().map_or_else(|| "（時間未記錄）".to_string(), |t| zh::roc_time(t.0)),
        place: m.place.clone(),
        fonts: font_list(fonts),
        keywords: typst_array(&[g.name.as_str(), "議程", g.agency.as_str()]),
        outline,
        items,
    };
    let source = render("agenda.typ", &view)?;
    Ok(Rendered { document: Document::Agenda(Box::new(view)), source, assets, warnings, texts })
}

/// What the attachments of the items add to the document: series files it loads, the
/// text attachments as read, and warnings (what a drawn PDF leaves out).
type Gathered<'a> = (&'a mut Vec<PathBuf>, &'a mut Vec<AttachmentSource>, &'a mut Vec<crate::diag::Diagnostic>);

#[allow(clippy::too_many_arguments)]
fn item_view(
    packet: &Packet,
    section: Section,
    key: &str,
    index: usize,
    item: &Item,
    generated: Option<&[tracking::TableRow]>,
    opts: &AttachOptions,
    (assets, texts, warnings): &mut Gathered,
) -> Result<ItemView> {
    let src = &packet.meeting_src;
    let field = format!("{key}[{index}]");
    let md = |text: &str, sub: &str, level: usize| -> Result<Rich> {
        super::rich(text, level).map_err(|msg| src.error_at(&format!("{field}.{sub}"), msg).into())
    };
    let explanation = md(&item.explanation, "explanation", 1)?;

    let rows = tracking_rows(&field, generated);
    let row_field = if item.track { format!("{field}.track") } else { format!("{field}.tracking") };
    let numbered = packet.group.tracking.style == TableStyle::Numbered;
    let tracking = tracking_groups(&rows, numbered, |text| md(text, &row_field, 3))?;

    let mut attachments = Vec::new();
    let single = item.attachments.len() == 1;
    for (a_index, a) in item.attachments.iter().enumerate() {
        let loaded = attachments::load(packet, &field, a_index, a, single, opts)?;
        assets.extend(loaded.assets);
        texts.extend(loaded.text);
        warnings.extend(loaded.warnings);
        attachments.push(loaded.view);
    }

    let advice_column = (packet.group.rules.tracking_advice && (item.track || !item.tracking.is_empty()))
        || rows.iter().any(|r| r.advice.is_some());
    let tracking_widths = tracking_widths(&rows, numbered, advice_column);
    let kind = ItemSection::from_section(section);
    let (unit_label, decision_label) = (kind.unit_label(), kind.decision_label());
    Ok(ItemView {
        // Opt-in for the group, and wherever a row carries a proposal (never written
        // and left unprinted).
        advice_column,
        numbered,
        anchor: field.clone(),
        heading: format!("{} 第{}案", section.label(), zh::numeral(index + 1)),
        section_heading: String::new(),
        unit_label,
        unit: item.unit.clone(),
        title: item.title.clone(),
        explanation,
        decision_label,
        tracking,
        tracking_widths,
        attachments,
    })
}

/// The item's 辦理情形 rows, generated from the series or written by hand
/// (`[[…tracking]]`), as the series record orders them for this item's field.
fn tracking_rows(field: &str, generated: Option<&[tracking::TableRow]>) -> Vec<tracking::TableRow> {
    generated.unwrap_or_default().iter().filter(|r| r.item == field).cloned().collect()
}

/// Tracking rows grouped by where they came from: 壹、報告事項： / 貳、討論事項： /
/// 參、112 年第 2 次會議…（繼續列管）：, or one numbered list; `md` renders a cell.
fn tracking_groups(
    rows: &[tracking::TableRow],
    numbered: bool,
    md: impl Fn(&str) -> Result<Rich>,
) -> Result<Vec<TrackingGroupView>> {
    let mut tracking: Vec<TrackingGroupView> = Vec::new();
    // Clause rows of one item share its number in a grouped table.
    for (row, n) in rows.iter().zip(tracking::row_numbers(rows, numbered)) {
        let group_label_index = if numbered {
            (!tracking.is_empty()).then_some(0)
        } else {
            tracking.iter().position(|g| g.key == row.group)
        };
        let g = match group_label_index {
            Some(g) => g,
            None => {
                tracking.push(TrackingGroupView {
                    marker: zh::marker(0, tracking.len() + 1),
                    label: format!("{}：", row.group),
                    key: row.group.clone(),
                    rows: Vec::new(),
                });
                tracking.len() - 1
            }
        };
        tracking[g].rows.push(TrackingRowView {
            marker: if numbered { zh::numeral(n) } else { zh::marker(1, n) },
            title: row.printed_title(),
            decision: md(&row.decision)?,
            progress: md(&row.progress)?,
            advice: row.advice.clone().unwrap_or_default(),
        });
    }
    Ok(tracking)
}

/// Display units across the tracking table at its 13 pt.
const TRACKING_UNITS: f64 = 69.0;
/// Lines a 案由 of the tracking table should run at most, where the table allows.
const TITLE_LINES: f64 = 5.0;

/// Column widths of the tracking table from the text each column holds (13 pt: 69
/// display units across).
fn tracking_widths(rows: &[tracking::TableRow], numbered: bool, advice_column: bool) -> Vec<String> {
    if rows.is_empty() {
        return Vec::new();
    }
    // A 案由 cell as printed: its group's label (壹、報告事項：) above the first row of the
    // group, then the title after its marker, both hung under their text.
    let mut seen: Vec<&str> = Vec::new();
    let titles: Vec<String> = rows
        .iter()
        .map(|r| {
            if numbered {
                return r.printed_title();
            }
            let label = if seen.contains(&r.group.as_str()) {
                String::new()
            } else {
                seen.push(&r.group);
                format!("壹、{}：\n", r.group)
            };
            format!("{label}一、{}", r.printed_title())
        })
        .collect();
    let mut header: Vec<&str> = Vec::new();
    let mut floor: Vec<f64> = Vec::new();
    if numbered {
        header.push("編號");
        floor.push(6.0);
    }
    // A 案由 runs at most about five lines (under its 一、) where the table allows: its
    // floor from the longest title, up to a third of the table.
    let longest_title = rows.iter().map(|r| crate::text::display_width(&r.title)).max().unwrap_or(0) as f64;
    let title_floor = ((longest_title / TITLE_LINES / 2.0).ceil() * 2.0 + 6.0).clamp(14.0, TRACKING_UNITS / 3.0);
    header.extend(["案由", "決定（議）", "辦理情形"]);
    floor.extend([title_floor, 14.0, 14.0]);
    if advice_column {
        header.push("列管建議");
        floor.push(10.0);
    }
    // Markdown cells as printed: one paragraph per point.
    let plain = |md: &str| md.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    let decision: Vec<String> = rows.iter().map(|r| plain(&r.decision)).collect();
    let progress: Vec<String> = rows.iter().map(|r| plain(&r.progress)).collect();
    let cells: Vec<Vec<&str>> = rows
        .iter()
        .zip(&titles)
        .enumerate()
        .map(|(i, (r, title))| {
            let mut row: Vec<&str> = Vec::new();
            if numbered {
                row.push("十一");
            }
            row.extend([title.as_str(), decision[i].as_str(), progress[i].as_str()]);
            if advice_column {
                row.push(r.advice.as_deref().unwrap_or(""));
            }
            row
        })
        .collect();
    // 案由 hangs its lines under the text after 一、; a numbered table's cells do not.
    let mut hang = vec![0.0; header.len()];
    hang[usize::from(numbered)] = if numbered { 0.0 } else { 4.0 };
    tables::text_column_widths(&cells, &header, &floor, &hang, TRACKING_UNITS)
}
