//! The meeting's dates on the official calendar: a meeting on a day off, documents that
//! went out after their deadline (運作指引肆、二 and 陸、一).

use super::deadlines::{PROVISIONAL, deadline_rules, note, provisional_line, show};
use super::{RULE_CALENDAR, RULE_GUIDE_AFTER, RULE_GUIDE_MATERIALS, finding, warning};
use chrono::Datelike;

use crate::diag::{Diagnostic, Severity};

use crate::model::calendar::{Calendar, CalendarError, DeadlineRules, Deadlines};
use crate::model::{Date, Packet, SourceFile};

/// One of the meeting's three deadlines and the act it is for, on a given day: the page
/// marks it 已逾期，尚未記錄 or 已於 … 送達 beside the date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeadlineAct {
    /// `materials_due`, `draft_minutes_due` or `publication_due`, as in [`Deadlines`].
    pub key: &'static str,
    /// The day the act was recorded (`2024-05-06`), if it was.
    pub done: Option<String>,
    /// Not recorded and the deadline passed.
    pub overdue: bool,
    /// Recorded after the deadline (the check's finding).
    pub late: bool,
}

/// The three acts against their deadlines on `today`, from the dates the check reads:
/// `[dates] materials_sent`, `draft_minutes_sent` (else the correction round's `sent`) and
/// `published`.
pub fn deadline_acts(p: &Packet, d: &Deadlines, today: chrono::NaiveDate) -> Vec<DeadlineAct> {
    let recorded = &p.meeting.dates;
    let draft = recorded.draft_minutes_sent.or(p.meeting.corrections.as_ref().map(|c| c.sent));
    [
        ("materials_due", d.materials_due, recorded.materials_sent),
        ("draft_minutes_due", d.draft_minutes_due, draft),
        ("publication_due", d.publication_due, recorded.published),
    ]
    .into_iter()
    .map(|(key, due, done)| DeadlineAct {
        key,
        done: done.map(|x| x.0.format("%Y-%m-%d").to_string()),
        overdue: done.is_none() && today > due,
        late: done.is_some_and(|x| x.0 > due),
    })
    .collect()
}

/// The meeting day must be an office working day; the dates recorded in `[dates]` must not
/// be later than their deadlines (運作指引肆、二 and 陸、一, with the series' own day counts
/// from group.toml `[rules]`). A date in a year the calendar lacks is reported with
/// `missing_year` severity. A date counted on a computed year (暫定) is never more than a
/// warning: the official calendar of that year may differ.
pub fn dates(p: &Packet, cal: &Calendar, missing_year: Severity) -> Vec<Diagnostic> {
    let ms = &p.meeting_src;
    let gs = &p.group_src;
    let group_rules = &p.group.rules;
    let mut out = Vec::new();
    for (key, value) in [
        ("materials_days", group_rules.materials_days),
        ("draft_minutes_days", group_rules.draft_minutes_days),
        ("publication_days", group_rules.publication_days),
    ] {
        if value == Some(0) {
            out.push(gs.error_at(&format!("rules.{key}"), "工作日數必須至少為 1"));
        }
    }
    if !out.is_empty() {
        return out;
    }
    let meeting = p.meeting.date.0;
    match cal.day(meeting) {
        Err(e) => {
            out.push(ms.error_at("date", format!("無法檢核日期：{e}")).severity(missing_year));
            return out;
        }
        Ok(day) if !day.working => {
            let (mark, severity) = if cal.is_computed(meeting.year()) {
                (PROVISIONAL, Severity::Warning)
            } else {
                ("", Severity::Finding)
            };
            out.push(
                finding(
                    ms,
                    "date",
                    format!("會議日期 {}{mark}為放假日{}；工作日依{RULE_CALENDAR}", show(meeting), note(&day.note)),
                )
                .severity(severity),
            )
        }
        Ok(_) => {}
    }
    let rules = deadline_rules(group_rules);
    let d = match cal.deadlines(meeting, &rules) {
        Ok(d) => d,
        Err(e) => {
            let severity = match e {
                CalendarError::MissingYear { .. } => missing_year,
                _ => Severity::Error,
            };
            out.push(ms.error_at("date", format!("無法計算期限：{e}")).severity(severity));
            return out;
        }
    };
    for y in &d.provisional_years {
        out.push(warning(ms, "date", provisional_line(*y)));
    }
    out.extend(late_documents(p, &d, &rules));
    out
}

/// The dates recorded in `[dates]` against the deadlines `d`: before the meeting, or after
/// their deadline (a warning only when that deadline is provisional).
fn late_documents(p: &Packet, d: &Deadlines, rules: &DeadlineRules) -> Vec<Diagnostic> {
    let ms = &p.meeting_src;
    let group_rules = &p.group.rules;
    let meeting = p.meeting.date.0;
    let mut out = Vec::new();
    let prov = d.provisional;
    // Late against a provisional deadline: a warning, the deadline marked 暫定.
    let late = |provisional: bool| if provisional { (PROVISIONAL, Severity::Warning) } else { ("", Severity::Finding) };
    // The group's own number of days, said as the group's setting (the field path names its key).
    let source = |group: Option<u32>, guide: &str| match group {
        Some(n) => format!("小組設定為 {n} 個工作日；{guide}"),
        None => guide.to_string(),
    };
    let recorded = &p.meeting.dates;
    // The notice (開會通知單) goes out with the materials, by the same deadline.
    for (sent, field, what) in [
        (recorded.materials_sent, "dates.materials_sent", "會議資料"),
        (recorded.notice_sent, "dates.notice_sent", "開會通知單"),
        (p.meeting.notice.change.as_ref().and_then(|c| c.sent), "notice.change.sent", "改期或變更地點之書函"),
    ] {
        let Some(sent) = sent.filter(|s| s.0 > d.materials_due) else { continue };
        let (mark, severity) = late(prov.materials_due);
        out.push(
            finding(
                ms,
                field,
                format!(
                    "{what}於 {}送出，晚於期限 {}{mark}（會前第 {} 個工作日）（{}）",
                    show(sent.0),
                    show(d.materials_due),
                    rules.materials_days,
                    source(group_rules.materials_days, &format!("{RULE_GUIDE_MATERIALS}：至少於會議召開前 5 工作日"))
                ),
            )
            .severity(severity),
        );
    }
    let (draft_sent, draft_field) = draft_minutes_sent(p);
    out.extend(two_draft_dates(p, ms));
    for (value, field, what, due, provisional, n, group, guide) in [
        (
            draft_sent,
            draft_field,
            "會議紀錄草稿",
            d.draft_minutes_due,
            prov.draft_minutes_due,
            rules.draft_minutes_days,
            group_rules.draft_minutes_days,
            format!("{RULE_GUIDE_AFTER}：會議召開後 10 工作日內為原則"),
        ),
        (
            recorded.published,
            "dates.published",
            "開放於政府資料開放平臺",
            d.publication_due,
            prov.publication_due,
            rules.publication_days,
            group_rules.publication_days,
            format!("{RULE_GUIDE_AFTER}：會議召開後 14 工作日內"),
        ),
    ] {
        let Some(value) = value else { continue };
        if value.0 < meeting {
            out.push(finding(ms, field, format!("{what}日期 {}早於會議日期 {}", show(value.0), show(meeting))));
        } else if value.0 > due {
            let (mark, severity) = late(provisional);
            out.push(
                finding(
                    ms,
                    field,
                    format!(
                        "{what}於 {}，晚於期限 {}{mark}（會後第 {n} 個工作日）（{}）",
                        show(value.0),
                        show(due),
                        source(group, &guide)
                    ),
                )
                .severity(severity),
            );
        }
    }
    out
}

/// The day the draft minutes reached the members, and the field that says it: one act,
/// recorded by the correction round (`corrections.sent`, the editor's one field) or, in
/// a record without a round, by `dates.draft_minutes_sent`.
pub(crate) fn draft_minutes_sent(p: &Packet) -> (Option<Date>, &'static str) {
    match &p.meeting.corrections {
        Some(round) => (Some(round.sent), "corrections.sent"),
        None => (p.meeting.dates.draft_minutes_sent, "dates.draft_minutes_sent"),
    }
}

/// Both fields of the one act set, to different days: the round's is the one counted.
fn two_draft_dates(p: &Packet, ms: &SourceFile) -> Option<Diagnostic> {
    let round = p.meeting.corrections.as_ref()?.sent;
    let other = p.meeting.dates.draft_minutes_sent.filter(|d| *d != round)?;
    Some(finding(
        ms,
        "dates.draft_minutes_sent",
        format!(
            "會議紀錄草稿送達委員之日記了兩個日期：{}，而紀錄草稿修正記的是 {}；期限依紀錄草稿修正的日期計算，請改成同一天或刪去這一個",
            show(other.0),
            show(round.0)
        ),
    ))
}
