//! View model + Tera templates → one Typst source file.
//!
//! Tera autoescapes every `{{ value }}` with [`escape::markup`]; only Typst that this
//! crate produced itself (Markdown converted by [`markdown`], string literals from the
//! `str` filter) is marked `| safe`. User text cannot reach Tera syntax either: Tera
//! never re-parses values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Result};
use crate::escape;
use crate::markdown::{self, MdContext};
use crate::minutes::{self, Edition, ItemSection, Speakers};
use crate::model::{AttachmentStyle, Item, Section};
use crate::pipeline::Packet;
use crate::tables::{self, Table, TableError, TableSpec};
use crate::tracking;
use crate::world::PacketWorld;
use crate::zh;

const TEMPLATES: &[(&str, &str)] = &[
    ("preamble.typ", include_str!("../templates/preamble.typ")),
    ("agenda.typ", include_str!("../templates/agenda.typ")),
    (
        "attachment.typ",
        include_str!("../templates/attachment.typ"),
    ),
    ("minutes.typ", include_str!("../templates/minutes.typ")),
];

fn tera() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut t = tera::Tera::default();
        t.add_raw_templates(TEMPLATES.iter().copied())
            .expect("built-in templates parse");
        t.autoescape_on(vec![".typ"]);
        t.set_escape_fn(escape::markup);
        t.register_filter(
            "str",
            |v: &tera::Value, _: &HashMap<String, tera::Value>| {
                let s = match v {
                    tera::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Ok(tera::Value::String(escape::string(&s)))
            },
        );
        t
    })
}

/// The Typst source of a document and the series files it loads.
pub struct Rendered {
    pub source: String,
    /// Findings to print that do not stop the build (e.g. a 辦理情形 not yet written).
    pub warnings: Vec<Diagnostic>,
    /// Paths relative to the series directory (images, PDFs) that the source loads
    /// from `/assets/`.
    pub assets: Vec<PathBuf>,
}

#[derive(Serialize)]
struct DocView {
    agency: String,
    group_name: String,
    /// e.g. 「政府資料開放諮詢小組」113 年第 1 次會議
    meeting_title: String,
    doc_title: String,
    date: String,
    time: String,
    place: String,
    fonts: String,
    keywords: String,
    outline: Vec<OutlineView>,
    items: Vec<ItemView>,
}

#[derive(Serialize)]
struct OutlineView {
    marker: String,
    label: String,
    entries: Vec<(String, String)>,
}

#[derive(Serialize)]
struct ItemView {
    heading: String,
    /// Print the 列管建議 column in the tracking table.
    advice_column: bool,
    unit_label: &'static str,
    unit: String,
    title: String,
    explanation: String,
    decision_label: &'static str,
    tracking: Vec<TrackingGroupView>,
    attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
struct TrackingGroupView {
    /// 壹、 貳、 …
    marker: String,
    /// 報告事項： / 112 年第 2 次會議討論事項（繼續列管）：
    label: String,
    /// Grouping key (section, or older meeting + section).
    key: String,
    rows: Vec<TrackingRowView>,
}

#[derive(Serialize)]
struct TrackingRowView {
    marker: String,
    title: String,
    decision: String,
    progress: String,
    advice: String,
}

#[derive(Serialize, Default)]
struct AttachmentView {
    label: String,
    title: String,
    subtitle: String,
    kind: &'static str,
    slides: bool,
    markup: String,
    table: Option<Table>,
    notes: Vec<String>,
    path: String,
    pages: Vec<usize>,
}

/// Render the agenda packet (議程).
pub fn agenda(packet: &Packet, fonts: &[String]) -> Result<Rendered> {
    let g = &packet.group;
    let m = &packet.meeting;
    let mut assets = Vec::new();
    let mut errors = Vec::new();
    let meeting_title = packet.meeting_title();
    // The generated 辦理情形 table (read from the series' earlier minutes), if any.
    let generated = tracking::table_for(packet)?;
    let mut rows_sorted = generated.as_ref().map(|(rows, _)| rows.clone());
    if let Some(rows) = rows_sorted.as_mut() {
        // The previous meeting's decisions first, as in the official table; older kept ones after.
        rows.sort_by_key(|r| r.group.contains('（'));
    }
    // Its findings (辦理情形 not yet written) are reported by `check`, which build runs.
    let warnings = Vec::new();

    let mut outline = vec![OutlineView {
        marker: String::new(),
        label: "主席致詞".into(),
        entries: vec![],
    }];
    let mut items = Vec::new();
    for (section, list, key) in [
        (Section::Report, &m.reports, "report"),
        (Section::Discussion, &m.discussions, "discussion"),
    ] {
        if list.is_empty() {
            continue;
        }
        outline.push(OutlineView {
            marker: String::new(),
            label: section.label().into(),
            entries: list
                .iter()
                .enumerate()
                .map(|(i, it)| (zh::marker(1, i + 1), it.title.clone()))
                .collect(),
        });
        for (i, item) in list.iter().enumerate() {
            match item_view(packet, section, key, i, item, rows_sorted.as_deref(), &mut assets) {
                Ok(v) => items.push(v),
                Err(e) => errors.extend(e.0),
            }
        }
    }
    outline.push(OutlineView {
        marker: String::new(),
        label: "臨時動議".into(),
        entries: vec![],
    });
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
        meeting_title,
        date: zh::roc_date(m.date.0),
        time: zh::roc_time(m.time.0),
        place: m.place.clone(),
        fonts: format!(
            "({},)",
            fonts
                .iter()
                .map(|f| escape::string(f))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        keywords: format!(
            "({},)",
            [g.name.as_str(), "議程", g.agency.as_str()]
                .map(escape::string)
                .join(", ")
        ),
        outline,
        items,
    };
    let context = tera::Context::from_serialize(&view).map_err(template_error)?;
    let source = tera()
        .render("agenda.typ", &context)
        .map_err(template_error)?;
    Ok(Rendered { source, assets, warnings })
}

fn template_error(e: tera::Error) -> Diagnostics {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(&format!("：{s}"));
        src = s.source();
    }
    Diagnostic::error(format!("範本錯誤：{msg}"))
        .field("template")
        .into()
}

fn item_view(
    packet: &Packet,
    section: Section,
    key: &str,
    index: usize,
    item: &Item,
    generated: Option<&[tracking::TableRow]>,
    assets: &mut Vec<PathBuf>,
) -> Result<ItemView> {
    let src = &packet.meeting_src;
    let field = format!("{key}[{index}]");
    let md = |text: &str, sub: &str, level: usize| -> Result<String> {
        markdown::to_typst(
            text,
            &MdContext {
                list_level: level,
                ..MdContext::default()
            },
        )
        .map_err(|msg| src.error_at(&format!("{field}.{sub}"), msg).into())
    };
    let explanation = md(&item.explanation, "explanation", 1)?;

    // Tracking rows, generated from the series or written by hand, grouped by where
    // they came from: 壹、報告事項： / 貳、討論事項： / 參、112 年第 2 次會議…（繼續列管）：
    if item.track && !item.tracking.is_empty() {
        return Err(src.error_at(&format!("{field}.tracking"), "track = true 時辦理情形表由系列產生，不能同時手寫 tracking 列").into());
    }
    let rows: Vec<tracking::TableRow> = if item.track {
        generated.map(<[_]>::to_vec).unwrap_or_default()
    } else {
        item.tracking
            .iter()
            .map(|r| tracking::TableRow {
                group: r.from.label().to_string(),
                title: r.title.clone(),
                decision: r.decision.clone(),
                progress: r.progress.clone(),
                advice: None,
            })
            .collect()
    };
    let row_field = if item.track { format!("{field}.track") } else { format!("{field}.tracking") };
    let mut tracking: Vec<TrackingGroupView> = Vec::new();
    for row in &rows {
        let group_label_index = tracking.iter().position(|g| g.key == row.group);
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
        let n = tracking[g].rows.len() + 1;
        tracking[g].rows.push(TrackingRowView {
            marker: zh::marker(1, n),
            title: row.title.clone(),
            decision: md(&row.decision, &row_field, 3)?,
            progress: md(&row.progress, &row_field, 3)?,
            advice: row.advice.clone().unwrap_or_default(),
        });
    }

    let mut attachments = Vec::new();
    let single = item.attachments.len() == 1;
    for (a_index, a) in item.attachments.iter().enumerate() {
        let afield = format!("{field}.attachment[{a_index}]");
        let label = a.label.clone().unwrap_or_else(|| {
            if single {
                "附件".to_string()
            } else {
                format!("附件{}", a_index + 1)
            }
        });
        let rel = packet.attachment_rel_path(&a.file);
        let path = packet.series_dir.join(&rel);
        // The file as the user named it (relative to the working directory), for messages.
        let shown = packet.meeting_dir.join(&a.file);
        let ext = Path::new(&a.file)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut view = AttachmentView {
            label,
            title: a.title.clone().unwrap_or_default(),
            subtitle: a.subtitle.clone().unwrap_or_default(),
            ..AttachmentView::default()
        };
        let read = || -> Result<Vec<u8>> {
            std::fs::read(&path).map_err(|e| {
                src.error_at(
                    &format!("{afield}.file"),
                    format!(
                        "無法讀取附件「{}」：{}",
                        a.file,
                        crate::output::io_reason(&e)
                    ),
                )
                .into()
            })
        };
        let notes_md = |notes: &[String]| -> Result<Vec<String>> {
            notes
                .iter()
                .enumerate()
                .map(|(i, n)| md(n, &format!("attachment[{a_index}].notes[{i}]"), 3))
                .collect()
        };
        match ext.as_str() {
            "md" | "markdown" | "txt" => {
                let bytes = read()?;
                let text = String::from_utf8(bytes).map_err(|e| {
                    let message = match tables::guess_encoding(e.as_bytes()) {
                        Some(name) => format!("附件「{}」是 {name} 編碼；請另存為 UTF-8", a.file),
                        None => format!("附件「{}」不是 UTF-8 編碼", a.file),
                    };
                    src.error_at(&format!("{afield}.file"), message)
                })?;
                // A byte-order mark at the start is how some editors say "UTF-8".
                let text = match text.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_string(),
                    None => text,
                };
                control_chars(&text, &shown, &afield)?;
                let md_dir = rel.parent().map(Path::to_path_buf).unwrap_or_default();
                let series_dir = packet.series_dir.clone();
                let found: std::cell::RefCell<Vec<PathBuf>> = Default::default();
                let resolve = |url: &str| -> std::result::Result<String, String> {
                    let img_rel = normalize(&md_dir.join(url))
                        .ok_or_else(|| format!("圖片「{url}」在系列目錄之外"))?;
                    let real = series_dir.join(&img_rel);
                    match real.canonicalize() {
                        Ok(c) if !c.starts_with(&series_dir) => {
                            return Err(format!("圖片「{url}」連結到系列目錄之外"));
                        }
                        Ok(c) if c.is_file() => {}
                        _ => return Err(format!("找不到圖片「{url}」")),
                    }
                    let bytes = std::fs::read(&real)
                        .map_err(|e| format!("無法讀取圖片「{url}」：{}", crate::output::io_reason(&e)))?;
                    if let Some(problem) = image_problem(&bytes) {
                        return Err(format!("圖片「{url}」{problem}"));
                    }
                    found.borrow_mut().push(img_rel.clone());
                    Ok(PacketWorld::asset_path(&img_rel))
                };
                let ctx = MdContext {
                    list_level: 1,
                    slides: a.style == Some(AttachmentStyle::Slides),
                    images: Some(&resolve),
                };
                view.kind = "markdown";
                view.slides = ctx.slides;
                view.markup = markdown::to_typst(&text, &ctx).map_err(|msg| {
                    Diagnostics::from(
                        Diagnostic::error(msg)
                            .at_file(&shown)
                            .field(format!("{afield}.file")),
                    )
                })?;
                assets.extend(found.into_inner());
                view.notes = notes_md(&a.notes)?;
            }
            "csv" => {
                let bytes = read()?;
                let text = tables::decode(&bytes).map_err(|msg| {
                    Diagnostics::from(
                        Diagnostic::error(msg)
                            .at_file(&shown)
                            .field(format!("{afield}.file")),
                    )
                })?;
                control_chars(&text, &shown, &afield)?;
                let spec = TableSpec {
                    header_rows: a.header_rows.unwrap_or(1),
                    merges: &a.merge,
                    align: &a.align,
                    widths: &a.widths,
                };
                let table = tables::parse(&text, &spec).map_err(|e| -> Diagnostics {
                    match e {
                        TableError::Csv {
                            line: Some(line),
                            message,
                        } => Diagnostic::error(message)
                            .at(&shown, line, 1)
                            .field(format!("{afield}.file"))
                            .into(),
                        TableError::Csv {
                            line: None,
                            message,
                        } => Diagnostic::error(message)
                            .at_file(&shown)
                            .field(format!("{afield}.file"))
                            .into(),
                        TableError::Spec {
                            field,
                            index,
                            message,
                        } => {
                            let f = match index {
                                Some(i) => format!("{afield}.{field}[{i}]"),
                                None => format!("{afield}.{field}"),
                            };
                            src.error_at(&f, message).into()
                        }
                    }
                })?;
                view.kind = "table";
                view.table = Some(table);
                view.notes = notes_md(&a.notes)?;
            }
            "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" => {
                let bytes = read()?;
                if let Some(problem) = image_problem(&bytes) {
                    return Err(src
                        .error_at(&format!("{afield}.file"), format!("附件「{}」{problem}", a.file))
                        .into());
                }
                view.kind = "image";
                view.path = PacketWorld::asset_path(&rel);
                view.notes = notes_md(&a.notes)?;
                assets.push(rel);
            }
            "pdf" => {
                let bytes = read()?;
                let pages = pdf_page_count(bytes).map_err(|msg| {
                    src.error_at(
                        &format!("{afield}.file"),
                        format!("附件「{}」{msg}", a.file),
                    )
                })?;
                view.kind = "pdf";
                view.path = PacketWorld::asset_path(&rel);
                view.pages = (1..=pages).collect();
                assets.push(rel);
            }
            _ => {
                return Err(src
                    .error_at(
                        &format!("{afield}.file"),
                        format!("不支援的附件類型「.{ext}」：請用 .md、.csv、圖片（.png .jpg .svg）或 .pdf"),
                    )
                    .into());
            }
        }
        attachments.push(view);
    }

    let (unit_label, decision_label) = match section {
        Section::Report => ("報告單位", "決定"),
        Section::Discussion => ("提案單位", "決議"),
    };
    Ok(ItemView {
        advice_column: packet.group.rules.tracking_advice && item.track,
        heading: format!("{} 第{}案", section.label(), zh::numeral(index + 1)),
        unit_label,
        unit: item.unit.clone(),
        title: item.title.clone(),
        explanation,
        decision_label,
        tracking,
        attachments,
    })
}

#[derive(Serialize)]
struct MinutesView {
    agency: String,
    doc_title: String,
    date: String,
    time: String,
    place: String,
    chair: String,
    recorder: String,
    present: String,
    observers: String,
    leave: String,
    transcript: String,
    fonts: String,
    keywords: String,
    /// Page mark: 紀錄草稿 / 內部 (empty for the final public edition).
    marks: Vec<&'static str>,

    opening: String,
    /// The opening is one paragraph: it continues the 主席致詞： line (a heading).
    opening_inline: bool,
    sections: Vec<MinutesSectionView>,
    end_marker: String,
    end_time: String,
}

#[derive(Serialize)]
struct MinutesSectionView {
    marker: String,
    label: &'static str,
    items: Vec<MinutesItemView>,
}

#[derive(Serialize)]
struct MinutesItemView {
    marker: String,
    unit_label: &'static str,
    unit: String,
    title: String,
    opinions: Vec<OpinionView>,
    decision_label: &'static str,
    decision: String,
}

#[derive(Serialize)]
struct OpinionView {
    marker: String,
    speaker: String,
    text: String,
}

/// Render the minutes (會議紀錄) in one edition; `draft` marks every page 紀錄草稿.
pub fn minutes(packet: &Packet, fonts: &[String], edition: Edition, draft: bool) -> Result<Rendered> {
    let g = &packet.group;
    let m = &packet.meeting;
    let src = &packet.meeting_src;
    let record = m.minutes.clone().unwrap_or_default();
    let speakers = Speakers::new(packet, edition);
    let md = |text: &str, field: &str, level: usize| -> Result<String> {
        markdown::to_typst(text, &MdContext { list_level: level, ..MdContext::default() })
            .map_err(|msg| src.error_at(field, msg).into())
    };
    let member_name = |id: &str| -> String {
        g.members
            .iter()
            .find(|x| x.id == id)
            .map(|x| format!("{}{}", x.name, if x.role.as_deref() == Some("召集人") { "召集人" } else { "委員" }))
            .unwrap_or_default()
    };

    let mut sections: Vec<MinutesSectionView> = [
        (ItemSection::Report, "報告事項"),
        (ItemSection::Discussion, "討論事項"),
        (ItemSection::Motion, "臨時動議"),
    ]
    .into_iter()
    .map(|(_, label)| MinutesSectionView { marker: String::new(), label, items: Vec::new() })
    .collect();
    for item in minutes::items(packet) {
        let slot = match item.section {
            ItemSection::Report => 0,
            ItemSection::Discussion => 1,
            ItemSection::Motion => 2,
        };
        let mut opinions = Vec::new();
        for (j, op) in item.opinions.iter().enumerate() {
            if let Some(name) = speakers.name(op) {
                opinions.push(OpinionView {
                    marker: zh::marker(2, opinions.len() + 1),
                    speaker: name,
                    text: md(&op.text, &format!("{}.opinion[{j}].text", item.field), 3)?,
                });
            }
        }
        let decision = match item.decision {
            Some(d) => md(d, &format!("{}.decision", item.field), 3)?,
            None => String::new(),
        };
        let n = sections[slot].items.len() + 1;
        sections[slot].items.push(MinutesItemView {
            marker: zh::marker(1, n),
            unit_label: if item.section == ItemSection::Report { "報告單位" } else { "提案單位" },
            unit: item.unit.unwrap_or_default().to_string(),
            title: item.title.to_string(),
            opinions,
            decision_label: item.section.decision_label(),
            decision,
        });
    }
    for (i, s) in sections.iter_mut().enumerate() {
        s.marker = zh::marker(0, i + 2);
    }
    let mut marks = Vec::new();
    if draft {
        marks.push("紀錄草稿");
    }
    if edition == Edition::Internal {
        marks.push("內部");
    }
    let (present, observers, leave) = minutes::attendance_lists(packet);
    let or_none = |v: Vec<String>| if v.is_empty() { "無".to_string() } else { v.join("、") };
    let doc_title = format!("{}紀錄", packet.meeting_title());
    let view = MinutesView {
        agency: g.agency.clone(),
        date: zh::roc_date(m.date.0),
        time: zh::roc_time(record.start.unwrap_or(m.time).0),
        place: m.place.clone(),
        chair: minutes::chair_id(packet).map(member_name).unwrap_or_default(),
        recorder: record.recorder.clone().unwrap_or_default(),
        present: or_none(present),
        observers: or_none(observers),
        leave: or_none(leave),
        transcript: record.transcript.clone().unwrap_or_default(),
        fonts: format!("({},)", fonts.iter().map(|f| escape::string(f)).collect::<Vec<_>>().join(", ")),
        keywords: format!("({},)", [g.name.as_str(), "會議紀錄", g.agency.as_str()].map(escape::string).join(", ")),
        marks,
        opening: md(record.opening.as_deref().unwrap_or("略"), "minutes.opening", 1)?,
        opening_inline: markdown::is_one_paragraph(record.opening.as_deref().unwrap_or("略")),
        end_marker: zh::marker(0, 5),
        end_time: record.end.map(|t| zh::roc_time(t.0)).unwrap_or_default(),
        sections,
        doc_title,
    };
    let context = tera::Context::from_serialize(&view).map_err(template_error)?;
    let source = tera().render("minutes.typ", &context).map_err(template_error)?;
    Ok(Rendered { source, assets: Vec::new(), warnings: Vec::new() })
}

/// Control characters other than tab and line breaks, and characters PDF/A refuses
/// ([`escape::first_unarchivable`]), in an attachment's text: an error at their line and
/// column.
fn control_chars(text: &str, shown: &Path, afield: &str) -> Result<()> {
    let (c, message) = match (escape::first_forbidden_control(text), escape::first_unarchivable(text)) {
        (Some(c), _) => (c, format!("含有不允許的控制字元 U+{:04X}", c as u32)),
        (None, Some((c, why))) => (c, escape::unarchivable_message(c, why)),
        (None, None) => return Ok(()),
    };
    let offset = text.find(c).unwrap_or(0);
    let (line, col) = crate::diag::line_col(text, offset);
    Err(Diagnostic::error(message)
        .at(shown, line, col)
        .field(format!("{afield}.file"))
        .into())
}

/// Why `bytes` cannot be used as an image, found by decoding it as Typst will (the
/// decoders are memoized, so Typst does not decode it a second time).
fn image_problem(bytes: &[u8]) -> Option<String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ImageFormat, RasterImage, SvgImage, VectorFormat};
    let Some(format) = ImageFormat::detect(bytes) else {
        return Some("不是可辨識的圖片".into());
    };
    match format {
        ImageFormat::Raster(format) => RasterImage::plain(Bytes::new(bytes.to_vec()), format)
            .err()
            .map(|e| format!("無法解碼（{e}）")),
        ImageFormat::Vector(VectorFormat::Svg) => SvgImage::new(Bytes::new(bytes.to_vec()))
            .is_err()
            .then(|| "不是有效的 SVG 圖片".to_string()),
        ImageFormat::Vector(_) => None,
    }
}

/// Page count of a PDF attachment, or why it cannot be used.
fn pdf_page_count(bytes: Vec<u8>) -> std::result::Result<usize, String> {
    use hayro_syntax::{LoadPdfError, Pdf};
    if !bytes.starts_with(b"%PDF-") {
        return Err("不是 PDF 檔".into());
    }
    match Pdf::new(bytes) {
        Ok(pdf) if !pdf.pages().is_empty() => Ok(pdf.pages().len()),
        Ok(_) => Err("沒有任何頁面".into()),
        Err(LoadPdfError::Decryption(_)) => Err("有密碼保護或已加密；請先移除密碼再附加".into()),
        Err(LoadPdfError::Invalid) => Err("已損毀，無法讀取".into()),
    }
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the start or is absolute.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::Normal(s) => out.push(s),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}
