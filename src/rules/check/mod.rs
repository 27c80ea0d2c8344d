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

use crate::diag::{Diagnostic, Result, Severity};
use crate::model::calendar::Calendar;
use crate::model::{Packet, RuleSet, Series, SourceFile};
use crate::rules::{proceedings, tracking};

mod completeness;
mod composition;
mod dates;
mod deadlines;
mod own;
mod quorum;
mod votes;

pub use deadlines::{PROVISIONAL, format_deadlines_human, load_calendar, provisional_line};
pub(crate) use deadlines::{deadline_rules, deadlines_for, format_deadlines, parse_date_arg};
pub use quorum::Quorum;

use completeness::completeness;
use composition::{composition, terms};
use dates::dates;
pub use dates::{DeadlineAct, deadline_acts};
use quorum::quorum;
use votes::votes;

/// 設置要點第三點第二款: members, convener included (see the module documentation).
pub const MIN_MEMBERS: usize = 11;
/// 設置要點第四點第三款: civil members present (in person: 第七點) for a quorum.
pub const MIN_CIVIL_PRESENT: usize = 3;
/// The role that marks the convener in group.toml.
pub const CONVENER: &str = "召集人";

pub(super) const RULE_COMPOSITION: &str = "設置要點第三點第二款";
pub(super) const RULE_CHAIR: &str = "設置要點第四點第二款";
pub(super) const RULE_QUORUM: &str = "設置要點第四點第三款";
pub(super) const RULE_TERMS: &str = "設置要點第六點第二項";
pub(super) const RULE_IN_PERSON: &str = "設置要點第七點";
pub(super) const RULE_GUIDE_QUORUM: &str = "運作指引肆、一、(二)";
pub(super) const RULE_GUIDE_MATERIALS: &str = "運作指引肆、二";
pub(super) const RULE_GUIDE_AFTER: &str = "運作指引陸、一";
pub(super) const RULE_CALENDAR: &str = "行政院人事行政總處「政府行政機關辦公日曆表」";

/// Every check on a loaded meeting (`series` as [`Series::of`] loads it): composition and terms (group.toml), dates, attendance
/// and quorum, completeness (meeting.toml). A year missing from the calendar is an error.
pub fn check(p: &Packet, series: Option<&Result<Series>>, cal: &Calendar) -> Vec<Diagnostic> {
    run(p, series, cal, Severity::Error)
}

/// [`check`] as `packet build` runs it: a year missing from the calendar only prevents the
/// date checks, not the agenda, so there it is a warning (saying how to supply the year).
pub fn check_for_build(p: &Packet, series: Option<&Result<Series>>, cal: &Calendar) -> Vec<Diagnostic> {
    run(p, series, cal, Severity::Warning)
}

fn run(p: &Packet, series: Option<&Result<Series>>, cal: &Calendar, missing_year: Severity) -> Vec<Diagnostic> {
    let rules = &p.group.rules;
    let mut out = Vec::new();
    match (rules.set, &rules.own) {
        (RuleSet::Default, _) => {
            out.extend(composition(p));
            out.extend(terms(p));
        }
        (RuleSet::Own, Some(own)) => out.extend(own::check(p, own)),
        (RuleSet::Own, None) => out.push(
            p.group_src.error_at("rules.set", "依本小組自訂設置要點檢核時，須填寫自訂設置要點名稱及各項人數、比例"),
        ),
        (RuleSet::None, _) => {}
    }
    out.extend(placeholders(p));
    out.extend(dates(p, cal, missing_year));
    // The minutes record itself: unknown or repeated member ids, civil delegates (設置要點
    // 第七點), speakers without a name. Shared with `packet minutes`.
    out.extend(proceedings::record_errors(p));
    // Text a spreadsheet would run as a formula in the published CSVs: a finding here
    // (the agenda prints it as written), refused by `packet minutes` and `packet export`.
    out.extend(crate::model::validate::formula_errors(p).into_iter().map(|d| d.severity(Severity::Finding)));
    if rules.set == RuleSet::Default {
        out.extend(quorum(p).1);
    }
    out.extend(completeness(p));
    // 利益迴避 and 表決 at each item.
    out.extend(votes(p));
    // The correction round of the draft minutes: final minutes not before it closed.
    out.extend(crate::rules::corrections::findings(p, cal));
    // 列管: the generated tracking table's sources and every open decision's 辦理情形.
    let tables = match series {
        Some(Ok(s)) => tracking::table_for(p, Some(s)),
        Some(Err(errors)) => Err(errors.clone()),
        None => tracking::table_for(p, None),
    };
    match tables {
        Ok(Some((_, findings))) => out.extend(findings),
        Ok(None) => {}
        Err(errors) => out.extend(errors.0),
    }
    out
}

pub(super) fn finding(src: &SourceFile, field: &str, message: String) -> Diagnostic {
    src.error_at(field, message).severity(Severity::Finding)
}

pub(super) fn warning(src: &SourceFile, field: &str, message: String) -> Diagnostic {
    src.error_at(field, message).severity(Severity::Warning)
}

/// Every 「（請填寫…）」 that `packet init` or `packet new` left, at its line: a
/// placeholder never passes as done.
fn placeholders(p: &Packet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for src in [&p.group_src, &p.meeting_src] {
        for (offset, _) in src.text.match_indices("（請填寫") {
            let line_start = src.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            if src.text[line_start..offset].contains('#') {
                continue;
            }
            let end = src.text[offset..].find('）').map_or(src.text.len(), |i| offset + i + '）'.len_utf8());
            let (line, col) = crate::diag::line_col(&src.text, offset);
            out.push(
                Diagnostic::error(format!("尚未填寫：「{}」", &src.text[offset..end]))
                    .at(&src.path, line, col)
                    .field(field_at(&src.text[..offset]))
                    .severity(Severity::Finding),
            );
        }
    }
    out
}

/// The field path of the value that `before` ends inside: `member[3].name`, `place`.
fn field_at(before: &str) -> String {
    let mut table = String::new();
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut key = String::new();
    for line in before.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let n = counts.entry(name.to_string()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
            key.clear();
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.to_string();
            key.clear();
        } else if let Some((k, _)) = t.split_once('=')
            && !k.trim().is_empty()
            && k.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            key = k.trim().to_string();
        }
    }
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}
