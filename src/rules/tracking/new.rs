//! `packet new`: the next meeting of a series, its tracking item pre-filled with every
//! decision still open.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::entries::tracking_items;
use super::listing::one_line;
use super::{Status, timeline};
use crate::diag::{Diagnostic, Result, Severity};
use crate::model::{Group, Numbering, Series, SourceFile, label, load};
use crate::rules::proceedings;
use crate::text::zh;

/// The next meeting of a series, as `packet new` writes it.
pub struct NextMeeting {
    /// `<series>/113-2`: to be created.
    pub dir: PathBuf,
    /// `<series>/113-2/meeting.toml`: does not exist yet.
    pub file: PathBuf,
    /// The meeting.toml to write.
    pub text: String,
    /// Decisions of the last meeting not recorded yet (so not listed).
    pub warnings: Vec<Diagnostic>,
}

/// The next meeting of `series` dated `date`, with the tracking item pre-filled with
/// every decision still open, in term `new_term` when the group numbers by term (第 N 屆:
/// a later term starts again at 第 1 次; none: the last meeting's term continues).
/// Writes nothing.
pub(crate) fn next_meeting_in(series: &Series, date: NaiveDate, new_term: Option<u32>) -> Result<NextMeeting> {
    let series_dir = series.dir.as_path();
    let roc = zh::roc_year(date);
    if roc < 1 {
        return Err(Diagnostic::error("會議日期須在民國元年以後").field("--date").into());
    }
    if let Some(later) = series.meetings.iter().find(|m| m.meeting.date.0 >= date) {
        return Err(Diagnostic::error(format!(
            "已有同日或較晚的會議 {}（{}）；新會議須排在系列最後",
            label(later),
            later.meeting.date.0
        ))
        .at_file(&later.meeting_src.path)
        .into());
    }
    let last = series.meetings.last();
    let group = match last {
        Some(p) => p.group.clone(),
        None => {
            let src = SourceFile::read(&series_dir.join("group.toml"))?;
            load::<Group>(&src)?
        }
    };
    let (term, number, dir) = numbering(series, &group, date, new_term)?;
    let file = dir.join("meeting.toml");
    if file.exists() {
        return Err(Diagnostic::error("已存在，不覆寫（請改名或刪除後再試）").at_file(&file).into());
    }
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    let heading = match (group.numbering, term) {
        (Numbering::Yearly, _) => format!("{}「{}」{roc} 年第 {number} 次會議", group.agency, group.name),
        (Numbering::Term, Some(t)) => format!("{}「{}」第 {t} 屆第 {number} 次會議", group.agency, group.name),
        _ => format!("{}「{}」第 {number} 次會議", group.agency, group.name),
    };
    out.push_str(&format!("# {heading}（packet new 產生）\n\n"));
    if let Some(t) = term {
        out.push_str(&format!("term = {t}                     # 第 {t} 屆\n"));
    }
    out.push_str(&format!("number = {number}\ndate = {date}\n"));
    match last {
        Some(p) => {
            let time = p.meeting.time.known().map_or("未記錄".to_string(), |t| t.0.format("%H:%M").to_string());
            out.push_str(&format!("time = {}\n", q(&time)));
            out.push_str(&format!("place = {}\n", q(&p.meeting.place)));
            if let Some(chair) = &p.meeting.chair {
                out.push_str(&format!("chair = {}\n", q(chair)));
            }
        }
        None => out.push_str("time = \"14:00\"\nplace = \"（請填寫地點）\"\n"),
    }
    let unit = group.unit.clone().unwrap_or_else(|| "（請填寫單位）".into());
    let mut warnings = Vec::new();
    if last.is_some() {
        let tl = timeline(series)?;
        // The group's own tracking item, as its last meeting words it.
        let own = last.and_then(|p| tracking_items(p).into_iter().next());
        let key = if own.as_ref().is_some_and(|(f, _)| f.starts_with("discussion")) { "discussion" } else { "report" };
        // The group's own 案由 (group.toml), else its last meeting's, else DGBAS's.
        let (unit, title) = match own {
            Some((_, it)) => (it.unit.clone(), it.title.clone()),
            None => (unit, "上次會議決定（議）事項辦理情形，報請鑒察。".to_string()),
        };
        let title = group.tracking.item_title.clone().unwrap_or(title);
        out.push_str(&format!("\n[[{key}]]\nunit = {}\ntitle = {}\ntrack = true\n", q(&unit), q(&title)));
        for d in tl.decisions.iter().filter(|d| d.status == Status::Open) {
            out.push_str(&format!("\n# {}（{} {}）{}\n", d.id, d.meeting_label, d.section.label(), one_line(&d.title)));
            out.push_str(&format!("# 決定（議）：{}\n", one_line(&d.decision)));
            out.push_str(&format!("[[{key}.progress]]\nid = {}\nstatus = \"\"            # 辦理情形\n", q(&d.id)));
            if group.rules.tracking_advice {
                // The values advice takes, the keeping one as the group says it.
                let keep = if group.tracking.keep == "持續列管" { "持續列管" } else { "繼續列管" };
                out.push_str(&format!("# advice = \"解除列管\"   # 列管建議：解除列管 或 {keep}\n"));
            }
        }
        // Decisions the last meeting has not recorded yet cannot be listed.
        if let Some(p) = last {
            for item in proceedings::items(p) {
                if item.decision.is_none_or(|d| d.trim().is_empty()) {
                    warnings.push(
                        p.meeting_src
                            .error_at(
                                &format!("{}.decision", item.field),
                                format!("{} 尚無決定（議），未列入列管：{}", label(p), item.title),
                            )
                            .severity(Severity::Warning),
                    );
                }
            }
        }
    } else {
        out.push_str(&format!("\n[[report]]\nunit = {}\ntitle = \"（請填寫案由）\"\n", q(&unit)));
    }
    Ok(NextMeeting { dir, file, text: out, warnings })
}

/// The new meeting's term (by term only), number and folder: the count restarts each ROC
/// year (yearly), runs on (continuous), or runs on within the term (by term; a new term
/// starts at 1).
fn numbering(
    series: &Series,
    group: &Group,
    date: NaiveDate,
    new_term: Option<u32>,
) -> Result<(Option<u32>, u32, PathBuf)> {
    let series_dir = series.dir.as_path();
    if new_term.is_some() && group.numbering != Numbering::Term {
        let msg = "小組設定未依屆次編號：--term 不適用";
        return Err(Diagnostic::error(msg).field("--term").into());
    }
    Ok(match group.numbering {
        Numbering::Yearly => {
            let roc = zh::roc_year(date);
            let number = series.meetings.iter().filter(|m| zh::roc_year(m.meeting.date.0) == roc).count() + 1;
            (None, number as u32, series_dir.join(format!("{roc}-{number}")))
        }
        Numbering::Continuous => {
            let number = series.meetings.iter().map(|m| m.meeting.number).max().unwrap_or(0) + 1;
            (None, number, series_dir.join(number.to_string()))
        }
        Numbering::Term => {
            let last = series.meetings.last().and_then(|m| m.meeting.term).unwrap_or(0);
            let term = new_term.unwrap_or(last.max(1));
            if term < last {
                let msg = format!("屆次 {term} 早於上次會議的第 {last} 屆");
                return Err(Diagnostic::error(msg).field("--term").into());
            }
            let in_term = series.meetings.iter().filter(|m| m.meeting.term == Some(term));
            let number = in_term.map(|m| m.meeting.number).max().unwrap_or(0) + 1;
            (Some(term), number, series_dir.join(format!("{term}-{number}")))
        }
    })
}
