//! The correction round of the draft minutes (`[corrections]` in meeting.toml): who the
//! draft went to, who replied, who is 視同無意見 once the deadline passed, and whether the
//! final minutes waited for it. `packet check` reports it, `packet corrections` prints it
//! (for the file only: never published, 政府資訊公開法第十八條第一項第三款).

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, Severity};
use crate::model::calendar::Calendar;
use crate::model::{Corrections, Packet, Reply};
use crate::text::zh::roc_date;

/// Where the reply deadline comes from when the meeting does not state one.
const RULE_REPLY: &str = "運作指引陸、一";

/// One member in the round.
pub struct Entry<'a> {
    /// Member id, and the name as the minutes print it (王○○委員).
    pub id: &'a str,
    pub name: String,
    /// The reply and its index in `[[corrections.reply]]`, if the member replied.
    pub reply: Option<(usize, &'a Reply)>,
}

/// How a member stands once the round is looked at on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Replied on or before the deadline.
    Replied,
    /// Replied after the deadline.
    Late,
    /// No reply, the deadline passed: 視同無意見.
    Silent,
    /// No reply yet, the deadline not passed.
    Waiting,
}

/// The round as recorded, its deadline counted on the office calendar.
pub struct Round<'a> {
    pub record: &'a Corrections,
    pub deadline: NaiveDate,
    /// The deadline was counted over a computed year (暫定).
    pub provisional: bool,
    /// The working days counted (none when the meeting states its deadline).
    pub days: Option<u32>,
    pub entries: Vec<Entry<'a>>,
}

/// The group's reply window: `[rules] correction_days`, else its `draft_minutes_days`, else 10.
pub fn reply_days(p: &Packet) -> u32 {
    let r = &p.group.rules;
    r.correction_days.or(r.draft_minutes_days).unwrap_or(10)
}

impl<'a> Round<'a> {
    /// The round of `p`, or `None` without `[corrections]`; an error when its deadline
    /// cannot be counted (a calendar year missing, a day count of 0).
    pub fn of(p: &'a Packet, cal: &Calendar) -> Option<Result<Round<'a>, Diagnostic>> {
        let record = p.meeting.corrections.as_ref()?;
        let (deadline, days) = match record.deadline {
            Some(d) => (d.0, None),
            None => {
                let n = reply_days(p);
                match cal.nth_working_day_after(record.sent.0, n) {
                    Ok(d) => (d, Some(n)),
                    Err(e) => {
                        let field = if n == 0 { "rules.correction_days" } else { "corrections.sent" };
                        let src = if n == 0 { &p.group_src } else { &p.meeting_src };
                        return Some(Err(src.error_at(field, format!("無法計算修正意見回復期限：{e}"))));
                    }
                }
            }
        };
        let provisional = days.is_some() && (record.sent.0.year()..=deadline.year()).any(|y| cal.is_computed(y));
        let entries = p
            .group
            .members
            .iter()
            .map(|m| Entry {
                id: &m.id,
                name: format!("{}{}", m.name, m.role_label()),
                reply: record.replies.iter().enumerate().find(|(_, r)| r.member == m.id),
            })
            .collect();
        Some(Ok(Round { record, deadline, provisional, days, entries }))
    }

    /// A member's standing on `today`.
    pub fn standing(&self, entry: &Entry, today: NaiveDate) -> Standing {
        match entry.reply {
            Some((_, r)) if r.received.0 > self.deadline => Standing::Late,
            Some(_) => Standing::Replied,
            None if today > self.deadline => Standing::Silent,
            None => Standing::Waiting,
        }
    }

    /// The day the round closed: the deadline, or the last reply if every member replied
    /// before it.
    pub fn closes(&self) -> NaiveDate {
        let replies: Option<Vec<NaiveDate>> = self.entries.iter().map(|e| e.reply.map(|(_, r)| r.received.0)).collect();
        match replies.and_then(|r| r.into_iter().max()) {
            Some(last) if last < self.deadline => last,
            _ => self.deadline,
        }
    }

    /// The deadline as printed: `115 年 6 月 12 日（星期五）`, with how it was counted.
    pub fn deadline_text(&self) -> String {
        let mark = if self.provisional { "（暫定）" } else { "" };
        match self.days {
            Some(n) => format!("{}{mark}（送達後第 {n} 個工作日）", roc_date(self.deadline)),
            None => roc_date(self.deadline),
        }
    }

    /// One line for `packet check`: the deadline and who stands where on `today`.
    pub fn summary(&self, today: NaiveDate) -> String {
        let count = |s: Standing| self.entries.iter().filter(|e| self.standing(e, today) == s).count();
        let replied = count(Standing::Replied) + count(Standing::Late);
        let mut parts = vec![format!("已回復 {replied} 人")];
        let (silent, waiting) = (count(Standing::Silent), count(Standing::Waiting));
        if silent > 0 {
            parts.push(format!("未回復 {silent} 人（視同無意見）"));
        }
        if waiting > 0 {
            parts.push(format!("待回復 {waiting} 人"));
        }
        let state = match (self.record.final_on, waiting) {
            (Some(f), _) => format!("已定稿（{}）", roc_date(f.0)),
            (None, 0) => "已截止，可定稿".to_string(),
            (None, _) => "進行中".to_string(),
        };
        format!(
            "紀錄草稿修正：{state}；{} 送達，回復期限 {}；{}",
            roc_date(self.record.sent.0),
            self.deadline_text(),
            parts.join("，")
        )
    }
}

/// The calendar a round's default deadline is counted on when the caller has none at hand
/// (the minutes, the bundle, the page's state): the embedded years, the installed ones
/// over them, the rest computed — as every command counts without `--calendar`.
fn office_calendar() -> &'static Calendar {
    static CAL: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    CAL.get_or_init(|| {
        let mut cal = Calendar::embedded();
        // A damaged installed year is said by the command that loads its calendar.
        if crate::model::calendar::installed::load_installed(&mut cal).is_err() {
            cal = Calendar::embedded();
        }
        cal.with_computed_years()
    })
}

/// Why the minutes are still a draft because of the round, on `today`: the draft went out,
/// no 紀錄定稿之日 is recorded, and members may still reply (the deadline not passed, not
/// everyone replied). `None` once the round closed or the minutes are recorded final.
/// [`crate::rules::proceedings::missing`] lists it, so check, minutes, export and the page
/// agree.
pub fn still_open(p: &Packet, today: NaiveDate) -> Option<Diagnostic> {
    let record = p.meeting.corrections.as_ref()?;
    if record.final_on.is_some() {
        return None;
    }
    // An uncountable deadline is reported by `findings`.
    let round = Round::of(p, office_calendar())?.ok()?;
    let waiting = round.entries.iter().filter(|e| round.standing(e, today) == Standing::Waiting).count();
    (waiting > 0).then(|| {
        p.meeting_src.error_at(
            "corrections.final",
            format!(
                "紀錄草稿修正進行中（回復期限 {}，待回復 {waiting} 人），尚未填寫紀錄定稿之日；應俟期限屆滿或全體委員回復後定稿（{RULE_REPLY}）",
                round.deadline_text()
            ),
        )
    })
}

/// The round's findings: unknown or repeated members (errors), dates out of order, and
/// final minutes (or their publication) before the round closed.
pub fn findings(p: &Packet, cal: &Calendar) -> Vec<Diagnostic> {
    let Some(record) = &p.meeting.corrections else { return Vec::new() };
    let ms = &p.meeting_src;
    let mut out = Vec::new();
    let finding = |field: &str, msg: String| ms.error_at(field, msg).severity(Severity::Finding);
    if p.group.rules.correction_days == Some(0) {
        out.push(p.group_src.error_at("rules.correction_days", "工作日數必須至少為 1"));
        return out;
    }
    for (i, r) in record.replies.iter().enumerate() {
        let field = format!("corrections.reply[{i}].member");
        if !p.group.members.iter().any(|m| m.id == r.member) {
            let why = p.group.why_unseated(&r.member).unwrap_or_else(|| "不在委員名冊中".into());
            out.push(ms.error_at(&field, format!("委員代號「{}」：{why}", r.member)));
        } else if record.replies[..i].iter().any(|x| x.member == r.member) {
            out.push(ms.error_at(&field, format!("委員「{}」的回復重複出現", r.member)));
        }
        if r.received.0 < record.sent.0 {
            out.push(finding(
                &format!("corrections.reply[{i}].received"),
                format!("回復日期 {}早於紀錄草稿送達日 {}", roc_date(r.received.0), roc_date(record.sent.0)),
            ));
        }
    }
    if record.sent.0 < p.meeting.date.0 {
        out.push(finding("corrections.sent", format!("紀錄草稿送達日 {}早於會議日期", roc_date(record.sent.0))));
    }
    if let Some(d) = record.deadline
        && d.0 < record.sent.0
    {
        out.push(finding("corrections.deadline", format!("回復期限 {}早於紀錄草稿送達日", roc_date(d.0))));
    }
    if let Some(d) = record.deadline
        && let Ok(day) = cal.day(d.0)
        && !day.working
    {
        let why = if day.note.trim().is_empty() { String::new() } else { format!("（{}）", day.note.trim()) };
        out.push(finding(
            "corrections.deadline",
            format!("回復期限 {}{why}不是辦公日；請改為辦公日，委員才能在期限當天回復", roc_date(d.0)),
        ));
    }
    let round = match Round::of(p, cal) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            out.push(e);
            return out;
        }
        None => return out,
    };
    // A round that ends after the publication deadline leaves no time to publish final minutes.
    let rules = p.group.rules.deadline_rules();
    if let Ok(d) = cal.deadlines(p.meeting.date.0, &rules)
        && round.deadline > d.publication_due
    {
        out.push(
            ms.error_at(
                if record.deadline.is_some() { "corrections.deadline" } else { "corrections.sent" },
                format!(
                    "修正意見回復期限 {}晚於公開期限 {}（會後第 {} 個工作日），定稿之紀錄將無法如期公開；請提早送達草稿，或縮短本次的回復期限或小組設定的回復工作日數",
                    round.deadline_text(),
                    roc_date(d.publication_due),
                    rules.publication_days
                ),
            )
            .severity(Severity::Warning),
        );
    }
    for (day, field, what) in [
        (record.final_on, "corrections.final", "會議紀錄定稿"),
        (p.meeting.dates.published, "dates.published", "會議紀錄開放於政府資料開放平臺"),
    ] {
        let Some(day) = day else { continue };
        let waiting: Vec<&str> = round
            .entries
            .iter()
            .filter(|e| e.reply.is_none_or(|(_, r)| r.received.0 > day.0))
            .map(|e| e.name.as_str())
            .collect();
        if day.0 < round.deadline && !waiting.is_empty() {
            let severity = if round.provisional { Severity::Warning } else { Severity::Finding };
            out.push(
                finding(
                    field,
                    format!(
                        "{what}於 {}，早於修正意見回復期限 {}，且{}尚未回復；應俟期限屆滿或全體委員回復後定稿（{RULE_REPLY}：紀錄草稿送委員）",
                        roc_date(day.0),
                        round.deadline_text(),
                        waiting.join("、")
                    ),
                )
                .severity(severity),
            );
        }
    }
    out
}
