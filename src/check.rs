//! Rule checks (`packet check`, also run by `packet build`): working-day deadlines on the
//! official calendar, quorum, the group's composition and terms, completeness.
//!
//! Every finding names its file, line, column and field, and ends with the rule it comes
//! from in full-width parentheses, e.g. `（設置要點第四點第三款）`. The rules:
//!
//! - 設置要點 = 政府資料開放諮詢小組設置要點 (112-11-27 revision, in seed 001).
//! - 運作指引 = 行政院所屬二級機關政府資料開放諮詢小組運作指引 (105-12-19, seed 000).
//!
//! Severities: [`Severity::Error`] when the record itself is unusable (an unknown or repeated
//! member id, a delegate for a civil member) or a check cannot be made (a calendar year that
//! is missing; only a warning for `packet build`, see [`check_for_build`]): exit 2, and
//! `packet build` stops unless `--force`. [`Severity::Finding`] for a rule that is not met:
//! exit 1. [`Severity::Warning`] for a rule the text calls a principle (原則): exit 0.
//!
//! ## Composition: does the convener count among the 「委員至少十一人」?
//!
//! 設置要點第三點第二款: 「置召集人一人，由各該機關資訊長兼任，委員至少十一人……除召集人為
//! 當然委員外，其餘委員由各該機關首長就下列人員派（聘）兼之」. The convener is called a
//! 當然委員 (a member by virtue of office), and the appointed members are 「其餘委員」, the
//! rest of the members: so the convener is one of the 委員 and counts among the eleven.
//! The smallest valid group is the convener and ten others ([`MIN_MEMBERS`] = 11 in all),
//! and 委員總數 in the one-third rules and in the quorum is every member, convener included.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::calendar::{Calendar, CalendarError, DeadlineRules, Deadlines, roc_date};
use crate::diag::{Diagnostic, Result, Severity};
use crate::minutes::ItemSection;
use crate::model::{Gender, MemberKind, Rules, SourceFile};
use crate::pipeline::Packet;

/// 設置要點第三點第二款: members, convener included (see the module documentation).
pub const MIN_MEMBERS: usize = 11;
/// 設置要點第四點第三款: civil members present (in person: 第七點) for a quorum.
pub const MIN_CIVIL_PRESENT: usize = 3;
/// The role that marks the convener in group.toml.
pub const CONVENER: &str = "召集人";

const RULE_COMPOSITION: &str = "設置要點第三點第二款";
const RULE_CHAIR: &str = "設置要點第四點第二款";
const RULE_QUORUM: &str = "設置要點第四點第三款";
const RULE_TERMS: &str = "設置要點第六點第二項";
const RULE_IN_PERSON: &str = "設置要點第七點";
const RULE_GUIDE_QUORUM: &str = "運作指引肆、一、(二)";
const RULE_GUIDE_MATERIALS: &str = "運作指引肆、二";
const RULE_GUIDE_AFTER: &str = "運作指引陸、一";
const RULE_CALENDAR: &str = "行政院人事行政總處「政府行政機關辦公日曆表」";

// ---------------------------------------------------------------------------------------
// Calendar and deadlines

/// The embedded calendar with each `--calendar FILE` loaded over it, in order (a file's
/// years replace the embedded ones or those of an earlier file).
pub fn load_calendar(files: &[PathBuf]) -> Result<Calendar> {
    let mut cal = Calendar::embedded();
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| {
            Diagnostic::error(format!(
                "無法讀取日曆表檔案：{}",
                crate::output::io_reason(&e)
            ))
            .at_file(file)
            .field("--calendar")
        })?;
        cal.load_csv(&bytes, &file.display().to_string())
            .map_err(|e| Diagnostic::error(e.to_string()).field("--calendar"))?;
    }
    Ok(cal)
}

/// The series' day counts (group.toml `[rules]`) over the guideline's 5 / 10 / 14.
pub fn deadline_rules(rules: &Rules) -> DeadlineRules {
    let d = DeadlineRules::default();
    DeadlineRules {
        materials_days: rules.materials_days.unwrap_or(d.materials_days),
        draft_minutes_days: rules.draft_minutes_days.unwrap_or(d.draft_minutes_days),
        publication_days: rules.publication_days.unwrap_or(d.publication_days),
    }
}

/// A date typed on the command line: ISO or ROC (`113-04-29`, `113/4/29`, `113年4月29日`).
pub fn parse_date_arg(text: &str) -> Result<NaiveDate> {
    crate::calendar::parse_date(text).ok_or_else(|| {
        Diagnostic::error(format!(
            "無法辨識的日期「{text}」：請寫成 2024-04-29、113-04-29、113/4/29 或 113年4月29日"
        ))
        .into()
    })
}

/// `packet deadlines`: the deadlines of a meeting on `date` with the guideline's day counts,
/// the draft-minutes count replaced by `draft_days` when given.
pub fn deadlines_for(cal: &Calendar, date: NaiveDate, draft_days: Option<u32>) -> Result<Deadlines> {
    let mut rules = DeadlineRules::default();
    if let Some(n) = draft_days {
        rules.draft_minutes_days = n;
    }
    cal.deadlines(date, &rules)
        .map_err(|e| Diagnostic::error(e.to_string()).into())
}

/// The human table of [`crate::calendar::format_deadlines_human`], followed by a note when
/// the meeting day is a day off and by the source of every year read from `--calendar`.
pub fn format_deadlines(d: &Deadlines, cal: &Calendar) -> String {
    let mut out = crate::calendar::format_deadlines_human(d);
    if let Ok(day) = cal.day(d.meeting_date)
        && !day.working
    {
        out.push_str(&format!(
            "注意：會議日期 {}為放假日{}\n",
            roc_date(d.meeting_date),
            note(&day.note)
        ));
    }
    let years: BTreeSet<i32> = [
        d.meeting_date,
        d.materials_due,
        d.draft_minutes_due,
        d.publication_due,
    ]
    .iter()
    .map(|x| x.year())
    .collect();
    for y in years {
        if let Some(src) = cal.year_source(y)
            && !src.embedded
        {
            out.push_str(&format!(
                "{y} 年日曆取自 {}（{}）\n",
                src.name, src.encoding
            ));
        }
    }
    out
}

fn note(n: &str) -> String {
    if n.is_empty() {
        String::new()
    } else {
        format!("（{n}）")
    }
}

/// `113 年 4 月 22 日（星期一，2024-04-22）`
fn show(d: NaiveDate) -> String {
    let roc = roc_date(d);
    let roc = roc.strip_suffix('）').unwrap_or(&roc);
    format!("{roc}，{}）", d.format("%Y-%m-%d"))
}

// ---------------------------------------------------------------------------------------
// Running the checks

/// Load the meeting at `path` (directory or meeting.toml) and run every check. When the
/// files cannot be read or fail validation, those errors are the result.
pub fn check_path(path: &Path, cal: &Calendar) -> Vec<Diagnostic> {
    match Packet::load(path) {
        Ok(p) => check(&p, cal),
        Err(diags) => diags.0,
    }
}

/// Every check on a loaded meeting: composition and terms (group.toml), dates, attendance
/// and quorum, completeness (meeting.toml). A year missing from the calendar is an error.
pub fn check(p: &Packet, cal: &Calendar) -> Vec<Diagnostic> {
    run(p, cal, Severity::Error)
}

/// [`check`] as `packet build` runs it: a year missing from the calendar only prevents the
/// date checks, not the agenda, so there it is a warning (saying how to supply the year).
pub fn check_for_build(p: &Packet, cal: &Calendar) -> Vec<Diagnostic> {
    run(p, cal, Severity::Warning)
}

fn run(p: &Packet, cal: &Calendar, missing_year: Severity) -> Vec<Diagnostic> {
    let mut out = composition(p);
    out.extend(terms(p));
    out.extend(dates(p, cal, missing_year));
    // The minutes record itself: unknown or repeated member ids, civil delegates (設置要點
    // 第七點), speakers without a name. Shared with `packet minutes`.
    out.extend(crate::minutes::validate(p));
    out.extend(quorum(p).1);
    out.extend(completeness(p));
    // 列管: the generated tracking table's sources and every open decision's 辦理情形.
    match crate::tracking::table_for(p) {
        Ok(Some((_, findings))) => out.extend(findings),
        Ok(None) => {}
        Err(errors) => out.extend(errors.0),
    }
    out
}

fn finding(src: &SourceFile, field: &str, message: String) -> Diagnostic {
    src.error_at(field, message).severity(Severity::Finding)
}

fn warning(src: &SourceFile, field: &str, message: String) -> Diagnostic {
    src.error_at(field, message).severity(Severity::Warning)
}

/// 設置要點第三點第二款: one convener; at least [`MIN_MEMBERS`] members, the convener
/// included; civil members at least a third of all; each gender at least a third (a
/// principle: a warning).
pub fn composition(p: &Packet) -> Vec<Diagnostic> {
    let g = &p.group;
    let gs = &p.group_src;
    let mut out = Vec::new();
    let total = g.members.len();

    let conveners: Vec<usize> = (0..total)
        .filter(|&i| g.members[i].role.as_deref() == Some(CONVENER))
        .collect();
    match conveners.as_slice() {
        [] => out.push(finding(
            gs,
            "member",
            format!(
                "沒有召集人：請在召集人的 [[member]] 加上 role = \"{CONVENER}\"（{RULE_COMPOSITION}：置召集人一人，由機關資訊長兼任）"
            ),
        )),
        [i] => {
            let m = &g.members[*i];
            if m.kind != MemberKind::Government {
                out.push(finding(
                    gs,
                    &format!("member[{i}].kind"),
                    format!(
                        "召集人{}應由機關資訊長兼任，不能是民間代表（{RULE_COMPOSITION}）",
                        m.name
                    ),
                ));
            }
        }
        [_, rest @ ..] => {
            for i in rest {
                out.push(finding(
                    gs,
                    &format!("member[{i}].role"),
                    format!(
                        "召集人有 {} 位，應只有一位（{RULE_COMPOSITION}：置召集人一人）",
                        conveners.len()
                    ),
                ));
            }
        }
    }

    if total < MIN_MEMBERS {
        out.push(finding(
            gs,
            "member",
            format!(
                "委員共 {total} 人（含召集人），少於 {MIN_MEMBERS} 人（{RULE_COMPOSITION}：委員至少十一人；召集人為當然委員，計入人數）"
            ),
        ));
    }

    let third = total.div_ceil(3);
    let civil = g
        .members
        .iter()
        .filter(|m| m.kind == MemberKind::Civil)
        .count();
    if civil * 3 < total {
        out.push(finding(
            gs,
            "member",
            format!(
                "民間代表 {civil} 人，少於委員總數 {total} 人之三分之一（至少 {third} 人）（{RULE_COMPOSITION}：民間代表人數不得少於委員總數三分之一）"
            ),
        ));
    }
    for (gender, label) in [(Gender::Female, "女性"), (Gender::Male, "男性")] {
        let n = g.members.iter().filter(|m| m.gender == gender).count();
        if n * 3 < total {
            out.push(warning(
                gs,
                "member",
                format!(
                    "{label}委員 {n} 人，少於委員總數 {total} 人之三分之一（至少 {third} 人）（{RULE_COMPOSITION}：任一性別委員人數以不少於委員總數三分之一為原則）"
                ),
            ));
        }
    }
    out
}

/// 設置要點第六點第二項: civil members serve terms of one or two years, renewable once; a
/// civil member whose term does not cover the meeting date is reported.
///
/// A meeting before `term_start` is only a warning: group.toml holds the current roster,
/// which an older meeting of the series may predate.
///
/// A term of `term_start`..=`term_end` is one year when it ends the day before the first
/// anniversary (2024-04-01..=2025-03-31) and two years when it ends the day before the
/// second. Longer terms are findings. Shorter ones are warnings: a member appointed to fill a
/// vacancy (補聘) serves only the rest of the original term (第六點第三項), which the file
/// does not record.
pub fn terms(p: &Packet) -> Vec<Diagnostic> {
    let gs = &p.group_src;
    let meeting = p.meeting.date.0;
    let mut out = Vec::new();
    for (i, m) in p.group.members.iter().enumerate() {
        if m.kind != MemberKind::Civil {
            continue;
        }
        if let Some(n) = m.renewals
            && n > 1
        {
            out.push(finding(
                gs,
                &format!("member[{i}].renewals"),
                format!(
                    "{}委員已續聘 {n} 次；民間代表期滿得續聘一次（{RULE_TERMS}）",
                    m.name
                ),
            ));
        }
        let (Some(start), Some(end)) = (m.term_start, m.term_end) else {
            let field = if m.term_start.is_none() {
                "term_start"
            } else {
                "term_end"
            };
            out.push(warning(
                gs,
                &format!("member[{i}].{field}"),
                format!(
                    "{}委員為民間代表，未填聘期（term_start、term_end），無法檢核任期（{RULE_TERMS}：任期為一年或二年）",
                    m.name
                ),
            ));
            continue;
        };
        let (start, end) = (start.0, end.0);
        let anniversary = |years: u32| {
            start
                .checked_add_months(Months::new(12 * years))
                .and_then(|d| d.checked_sub_days(Days::new(1)))
        };
        if end >= start {
            if anniversary(2).is_some_and(|max| end > max) {
                out.push(finding(
                    gs,
                    &format!("member[{i}].term_end"),
                    format!(
                        "{}委員聘期 {} 至 {} 超過二年（{RULE_TERMS}：民間代表之委員任期為一年或二年）",
                        m.name,
                        start.format("%Y-%m-%d"),
                        end.format("%Y-%m-%d")
                    ),
                ));
            } else if anniversary(1).is_some_and(|min| end < min) {
                out.push(warning(
                    gs,
                    &format!("member[{i}].term_end"),
                    format!(
                        "{}委員聘期 {} 至 {} 不足一年；除補聘委員（任期至原任期屆滿之日止）外，任期應為一年或二年（{RULE_TERMS}）",
                        m.name,
                        start.format("%Y-%m-%d"),
                        end.format("%Y-%m-%d")
                    ),
                ));
            }
        }
        if meeting > end {
            out.push(finding(
                gs,
                &format!("member[{i}].term_end"),
                format!(
                    "{}委員（民間代表）聘期已於 {}屆滿，會議日期為 {}（{RULE_TERMS}）",
                    m.name,
                    show(end),
                    show(meeting)
                ),
            ));
        } else if meeting < start {
            // A warning: group.toml holds one roster, the current one, so a meeting held
            // before a reappointment (packets/dgbas/112-2) cannot be described exactly.
            out.push(warning(
                gs,
                &format!("member[{i}].term_start"),
                format!(
                    "{}委員（民間代表）聘期自 {}起，會議日期 {}尚未受聘；若此會議在改聘之前，group.toml 的現任名單不適用於本次會議（{RULE_TERMS}）",
                    m.name,
                    show(start),
                    show(meeting)
                ),
            ));
        }
    }
    out
}

/// The meeting day must be an office working day; the dates recorded in `[dates]` must not
/// be later than their deadlines (運作指引肆、二 and 陸、一, with the series' own day counts
/// from group.toml `[rules]`). A date in a year the calendar lacks is reported with
/// `missing_year` severity.
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
            out.push(
                ms.error_at("date", format!("無法檢核日期：{e}"))
                    .severity(missing_year),
            );
            return out;
        }
        Ok(day) if !day.working => out.push(finding(
            ms,
            "date",
            format!(
                "會議日期 {}為放假日{}；工作日依{RULE_CALENDAR}",
                show(meeting),
                note(&day.note)
            ),
        )),
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
    let source = |group: Option<u32>, key: &str, guide: &str| match group {
        Some(n) => format!("group.toml [rules] {key} = {n}；{guide}"),
        None => guide.to_string(),
    };
    let recorded = &p.meeting.dates;
    if let Some(sent) = recorded.materials_sent
        && sent.0 > d.materials_due
    {
        out.push(finding(
            ms,
            "dates.materials_sent",
            format!(
                "會議資料於 {}送出，晚於期限 {}（會前第 {} 個工作日）（{}）",
                show(sent.0),
                show(d.materials_due),
                rules.materials_days,
                source(
                    group_rules.materials_days,
                    "materials_days",
                    &format!("{RULE_GUIDE_MATERIALS}：至少於會議召開前 5 工作日")
                )
            ),
        ));
    }
    for (value, field, what, due, n, group, key, guide) in [
        (
            recorded.draft_minutes_sent,
            "dates.draft_minutes_sent",
            "會議紀錄草稿",
            d.draft_minutes_due,
            rules.draft_minutes_days,
            group_rules.draft_minutes_days,
            "draft_minutes_days",
            format!("{RULE_GUIDE_AFTER}：會議召開後 10 工作日內為原則"),
        ),
        (
            recorded.published,
            "dates.published",
            "開放於政府資料開放平臺",
            d.publication_due,
            rules.publication_days,
            group_rules.publication_days,
            "publication_days",
            format!("{RULE_GUIDE_AFTER}：會議召開後 14 工作日內"),
        ),
    ] {
        let Some(value) = value else { continue };
        if value.0 < meeting {
            out.push(finding(
                ms,
                field,
                format!(
                    "{what}日期 {}早於會議日期 {}",
                    show(value.0),
                    show(meeting)
                ),
            ));
        } else if value.0 > due {
            out.push(finding(
                ms,
                field,
                format!(
                    "{what}於 {}，晚於期限 {}（會後第 {n} 個工作日）（{}）",
                    show(value.0),
                    show(due),
                    source(group, key, &guide)
                ),
            ));
        }
    }
    out
}

/// Who attended, as counted for the quorum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quorum {
    /// 委員總數: every member in group.toml, the convener included.
    pub total: usize,
    /// Members present in person.
    pub in_person: usize,
    /// Government members represented by a delegate (設置要點第七點).
    pub delegated: usize,
    /// Civil members present in person.
    pub civil_in_person: usize,
}

impl Quorum {
    /// Members present in person or by delegate.
    pub fn present(&self) -> usize {
        self.in_person + self.delegated
    }
    /// 設置要點第四點第三款: 委員總數二分之一以上.
    pub fn half_or_more(&self) -> bool {
        self.present() * 2 >= self.total
    }
    /// 運作指引肆、一、(二): 全體委員過半數.
    pub fn majority(&self) -> bool {
        self.present() * 2 > self.total
    }
}

/// The attendance record counted, with the quorum findings. `None` when no attendance is
/// recorded (no `[minutes.attendance]` or all its lists empty). The record's own errors
/// (unknown or repeated ids, a delegate for a civil member: [`crate::minutes::validate`])
/// are reported by [`check`]; here an unknown or repeated id counts once at most, and a
/// civil member's delegate does not count.
pub fn quorum(p: &Packet) -> (Option<Quorum>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let Some(minutes) = &p.meeting.minutes else {
        return (None, out);
    };
    let a = &minutes.attendance;
    if a.present.is_empty() && a.delegate.is_empty() && a.leave.is_empty() {
        return (None, out);
    }
    let ms = &p.meeting_src;
    let members: HashMap<&str, usize> = p
        .group
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut q = Quorum {
        total: p.group.members.len(),
        in_person: 0,
        delegated: 0,
        civil_in_person: 0,
    };
    let mut counted = vec![false; q.total];
    let mut in_person = vec![false; q.total];
    for id in &a.present {
        if let Some(&m) = members.get(id.as_str())
            && !counted[m]
        {
            counted[m] = true;
            in_person[m] = true;
            q.in_person += 1;
            if p.group.members[m].kind == MemberKind::Civil {
                q.civil_in_person += 1;
            }
        }
    }
    for id in a.delegate.keys() {
        if let Some(&m) = members.get(id.as_str())
            && !counted[m]
            && p.group.members[m].kind == MemberKind::Government
        {
            counted[m] = true;
            q.delegated += 1;
        }
    }

    let field = if a.present.is_empty() {
        "minutes.attendance"
    } else {
        "minutes.attendance.present"
    };
    let counted = format!(
        "出席委員 {} 人（親自 {} 人、代理 {} 人），委員總數 {} 人",
        q.present(),
        q.in_person,
        q.delegated,
        q.total
    );
    let half_need = q.total.div_ceil(2);
    let majority_need = q.total / 2 + 1;
    if !q.half_or_more() {
        out.push(finding(
            ms,
            field,
            format!(
                "{counted}，未達二分之一（至少 {half_need} 人），不足開會人數（{RULE_QUORUM}：應有委員總數二分之一以上出席；{RULE_GUIDE_QUORUM}：全體委員過半數，至少 {majority_need} 人）"
            ),
        ));
    } else if !q.majority() {
        out.push(finding(
            ms,
            field,
            format!(
                "{counted}：達二分之一以上，依{RULE_QUORUM}足額；但未過半數（至少 {majority_need} 人），依{RULE_GUIDE_QUORUM}「全體委員過半數出席始得開會」不足開會人數（兩規定解讀不同）"
            ),
        ));
    }
    if q.civil_in_person < MIN_CIVIL_PRESENT {
        out.push(finding(
            ms,
            field,
            format!(
                "出席委員中之民間代表（親自出席）{} 人，少於 {MIN_CIVIL_PRESENT} 人（{RULE_QUORUM}：出席委員中之民間代表應至少三人；{RULE_IN_PERSON}：民間代表應親自出席）",
                q.civil_in_person
            ),
        ));
    }

    let (chair_field, chair) = match minutes.chair.as_deref() {
        Some(c) => ("minutes.chair", Some(c)),
        None => ("chair", p.meeting.chair.as_deref()),
    };
    if let Some(chair) = chair
        && let Some(&i) = members.get(chair)
        && !in_person[i]
    {
        let hint = if chair_field == "chair" {
            "；召集人未能出席時，請以 minutes.chair 記錄其指定代理之委員"
        } else {
            ""
        };
        out.push(finding(
            ms,
            chair_field,
            format!(
                "主席{}未列於親自出席委員（minutes.attendance.present）{hint}（{RULE_CHAIR}：由召集人擔任會議主席，召集人因故未能出席時，得指定委員一人代理之）",
                p.group.members[i].name
            ),
        ));
    }
    (Some(q), out)
}

/// Every item has a 案由 and a 單位 (reports and discussions require both when loading, so
/// in practice this concerns 臨時動議); once the minutes record a closing time
/// (`minutes.end`, the final edition), attendance is recorded and every item (reports,
/// discussions, motions: [`crate::minutes::items`]) has its decision.
pub fn completeness(p: &Packet) -> Vec<Diagnostic> {
    let ms = &p.meeting_src;
    let mut out = Vec::new();
    let Some(minutes) = &p.meeting.minutes else {
        return out;
    };
    let items = crate::minutes::items(p);
    for item in &items {
        if item.title.trim().is_empty() {
            out.push(finding(
                ms,
                &format!("{}.title", item.field),
                "缺少案由".to_string(),
            ));
        }
        if item.unit.is_none_or(|u| u.trim().is_empty()) {
            let what = if item.section == ItemSection::Motion {
                "臨時動議"
            } else {
                ""
            };
            out.push(finding(
                ms,
                &format!("{}.unit", item.field),
                format!("{what}「{}」缺少提案單位", item.title.trim()),
            ));
        }
    }
    if minutes.end.is_none() {
        return out;
    }
    let a = &minutes.attendance;
    if a.present.is_empty() && a.delegate.is_empty() {
        out.push(finding(
            ms,
            "minutes.attendance",
            "會議紀錄已記錄散會時間（定稿），但沒有出席紀錄（minutes.attendance.present）".to_string(),
        ));
    }
    for item in &items {
        if item.decision.is_none_or(|d| d.trim().is_empty()) {
            out.push(finding(
                ms,
                &format!("{}.decision", item.field),
                format!(
                    "會議紀錄已記錄散會時間（定稿），但「{}」尚無{}",
                    item.title.trim(),
                    item.section.decision_label()
                ),
            ));
        }
    }
    out
}
