//! A tracking item's 決定 against the rows it rules: 「洽悉，繼續列管」 over a row ruled 解除列管
//! (or 「均解除列管」 over a row kept 列管中) would print two rulings in the minutes — the
//! decision's words and the 列管情形 sentence the rows make. Each such row is a finding.
//!
//! The decision names rows as the minutes do (編號二, 報告事項第一案, 討論事項第一案決議第 2
//! 點, a decision id) or none (the word rules every row it does not name). A name the table
//! cannot resolve, a conditional (俟…後解除列管) or a decision without any 列管 word rules
//! nothing: no finding is better than a wrong one.

use super::entries::entries;
use super::table::{TableRow, row_numbers};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Packet, TableStyle, Tracking, TrackingStyle};
use crate::text::zh;

/// Words that keep a decision 列管 (the group's own `keep` word is added).
const KEEP: [&str; 6] = ["繼續列管", "持續列管", "續予列管", "仍予列管", "仍列管", "續行列管"];
/// Words that end it (the group's own `close` word is added).
const CLOSE: [&str; 9] =
    ["解除列管", "免予列管", "免列管", "不予列管", "無須列管", "毋須列管", "不再列管", "同意結案", "結案"];
/// A keep word after one of these ends the 列管 (不予繼續列管).
const NEGATIONS: [&str; 6] = ["不予", "不再", "無須", "毋須", "免予", "不"];
/// A clause with one of these states a condition, not a ruling (俟上線後解除列管).
const CONDITIONS: [char; 6] = ['俟', '待', '後', '如', '若', '倘'];

/// The findings for `rows` (one meeting's tracking rows) against its tracking items' 決定.
pub(super) fn findings(p: &Packet, rows: &[TableRow]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let numbered = p.group.tracking.style == TableStyle::Numbered;
    let entries = entries(p);
    for (field, item) in super::entries::tracking_items(p) {
        let Some(decision) = item.decision.as_deref().filter(|d| !d.trim().is_empty()) else { continue };
        let mut mine: Vec<&TableRow> = rows.iter().filter(|r| r.item == field).collect();
        if !numbered {
            // As the agenda and the minutes number them: the previous meeting's groups first.
            mine.sort_by_key(|r| r.group.contains('（'));
        }
        let owned: Vec<TableRow> = mine.into_iter().cloned().collect();
        let numbers = row_numbers(&owned, numbered);
        let names: Vec<String> = owned.iter().zip(&numbers).map(|(r, n)| row_name(p, r, *n, numbered)).collect();
        let table = Table { rows: &owned, numbers, numbered, kept: &p.group.tracking.keep };
        for (i, said) in rulings(p, decision, &table).into_iter().enumerate() {
            let (Some((word, expected)), r) = (said, &owned[i]) else { continue };
            // A row merged or split ends otherwise; an undecided item rules nothing yet.
            if !r.decided || r.merged_into.is_some() || !r.split_into.is_empty() {
                continue;
            }
            let ruled = r.outcome.unwrap_or(Tracking::Keep);
            if ruled == expected {
                continue;
            }
            let entry = entries.iter().find(|e| e.item == field && e.id == r.id);
            let at = match entry {
                Some(e) if e.result.is_some() => format!("{}.result", e.field),
                Some(e) if e.advice.is_some() => format!("{}.advice", e.field),
                Some(e) => e.field.clone(),
                None => format!("{field}.decision"),
            };
            let ruled_words = match ruled {
                Tracking::Keep => "列管中".to_string(),
                Tracking::Close => super::outcome_words(&p.group, Tracking::Close),
            };
            let message = format!(
                "{}（決定 {}）：{}記載「{word}」，但該列列為{ruled_words}；會議紀錄將印出互相矛盾的列管情形，請更正其一",
                names[i],
                r.id,
                item_label(&field),
            );
            out.push(p.meeting_src.error_at(&at, message).severity(Severity::Finding));
        }
    }
    out
}

/// 「本案決定」 for the tracking item at `field` (`report[1]` → 報告事項第二案之決定).
fn item_label(field: &str) -> String {
    let (section, label) =
        if field.starts_with("report") { ("報告事項", "決定") } else { ("討論事項", "決議") };
    let n = field.trim_end_matches(']').rsplit('[').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
    format!("{section}第{}案{label}", zh::numeral(n + 1))
}

/// A row as the 列管情形 sentence names it: 編號二, 報告事項第一案, 討論事項第一案決議第 2 點.
fn row_name(p: &Packet, r: &TableRow, n: usize, numbered: bool) -> String {
    if numbered {
        return format!("編號{}", zh::numeral(n));
    }
    let kept = format!("（{}）", p.group.tracking.keep);
    let group = r.group.strip_suffix(kept.as_str()).unwrap_or(&r.group);
    match r.clause {
        Some(k) => format!("{group}第{}案{}第 {k} 點", zh::numeral(n), r.section.decision_label()),
        None => format!("{group}第{}案", zh::numeral(n)),
    }
}

/// One tracking item's rows as printed: numbers in their table and the table's style.
struct Table<'a> {
    rows: &'a [TableRow],
    numbers: Vec<usize>,
    numbered: bool,
    kept: &'a str,
}

/// What `decision` rules for each row: the word it wrote and its meaning; `None` where it
/// says nothing of the row (or contradicts itself about it).
fn rulings(p: &Packet, decision: &str, table: &Table) -> Vec<Option<(String, Tracking)>> {
    let text: Vec<char> = decision.chars().filter(|c| !c.is_whitespace()).map(half_width).collect();
    let mut named: Vec<Option<(String, Tracking)>> = vec![None; table.rows.len()];
    let mut conflict = vec![false; table.rows.len()];
    let mut general: Vec<(String, Tracking)> = Vec::new();
    let mut start = 0;
    for (at, end, word, meaning) in words(&p.group.tracking, &text) {
        let chunk = &text[start..at];
        start = end;
        // The clause the word stands in (since the last punctuation) states a condition.
        let clause_start = chunk.iter().rposition(|c| "，,；;。：:\n".contains(*c)).map_or(0, |i| i + 1);
        if chunk[clause_start..].iter().any(|c| CONDITIONS.contains(c)) {
            continue;
        }
        let (rows, any_name) = named_rows(chunk, table);
        if !any_name {
            general.push((word, meaning));
            continue;
        }
        for i in rows {
            match &named[i] {
                Some((_, m)) if *m != meaning => conflict[i] = true,
                _ => named[i] = Some((word.clone(), meaning)),
            }
        }
    }
    // A word without names rules the rows not named, unless the decision says both.
    let general = match general.first() {
        Some(first) if general.iter().all(|(_, m)| *m == first.1) => Some(first.clone()),
        _ => None,
    };
    named.into_iter().zip(conflict).map(|(n, c)| if c { None } else { n.or_else(|| general.clone()) }).collect()
}

/// Every 列管 word of `text`, in order: (start, end, the word, its meaning).
fn words(tracking: &TrackingStyle, text: &[char]) -> Vec<(usize, usize, String, Tracking)> {
    let mut vocabulary: Vec<(String, Tracking)> = KEEP.iter().map(|w| (w.to_string(), Tracking::Keep)).collect();
    vocabulary.extend(CLOSE.iter().map(|w| (w.to_string(), Tracking::Close)));
    vocabulary.push((tracking.keep.clone(), Tracking::Keep));
    vocabulary.push((tracking.close.clone(), Tracking::Close));
    vocabulary.retain(|(w, _)| !w.trim().is_empty());
    // Longest first: 免予列管 before 列管-ending shorter words at the same place.
    vocabulary.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let found = vocabulary.iter().find(|(w, _)| starts_with(&text[i..], w));
        let Some((w, meaning)) = found else {
            i += 1;
            continue;
        };
        let len = w.chars().count();
        let negated = *meaning == Tracking::Keep && NEGATIONS.iter().any(|n| ends_with(&text[..i], n));
        let meaning = if negated { Tracking::Close } else { *meaning };
        out.push((i, i + len, w.clone(), meaning));
        i += len;
    }
    out
}

/// The rows a chunk of the decision names, and whether it names any (resolved or not).
fn named_rows(chunk: &[char], table: &Table) -> (Vec<usize>, bool) {
    let mut rows = Vec::new();
    let mut any = false;
    // Decision ids, whole (113-1-D2 is not 113-1-D2-1).
    for (i, r) in table.rows.iter().enumerate() {
        let id: Vec<char> = r.id.chars().collect();
        let whole = |at: usize| {
            let before = at.checked_sub(1).map(|b| chunk[b]);
            let after = chunk.get(at + id.len()).copied();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if (0..chunk.len()).any(|at| chunk[at..].starts_with(&id) && whole(at)) {
            rows.push(i);
            any = true;
        }
    }
    let groups = group_names(table);
    let mut group: Option<&str> = None;
    let mut i = 0;
    while i < chunk.len() {
        let numbered_form = starts_with(&chunk[i..], "編號");
        if !(numbered_form || chunk[i] == '第') {
            i += 1;
            continue;
        }
        let from = i + if numbered_form { 2 } else { 1 };
        let Some((numbers, after)) = number_list(chunk, from) else {
            i += 1;
            continue;
        };
        let unit = chunk.get(after).copied();
        if !numbered_form && !matches!(unit, Some('案' | '項' | '列')) {
            i = after;
            continue;
        }
        any = true;
        // The group named right before (報告事項第一案), else the one named before it in the chunk.
        if let Some(g) = groups.iter().filter(|g| ends_with(&chunk[..i], g)).max_by_key(|g| g.chars().count()) {
            group = Some(g);
        }
        let mut next = after + usize::from(!numbered_form);
        let clauses = clause_list(chunk, next).map(|(ks, end)| {
            next = end;
            ks
        });
        rows.extend(resolve(table, &numbers, group, clauses.as_deref(), &groups));
        i = next;
    }
    rows.sort_unstable();
    rows.dedup();
    (rows, any)
}

/// The rows numbered `numbers` (in `group` for a grouped table), clauses `clauses` only.
fn resolve(
    table: &Table,
    numbers: &[usize],
    group: Option<&str>,
    clauses: Option<&[usize]>,
    groups: &[String],
) -> Vec<usize> {
    let grouped = !table.numbered;
    // Without a group a grouped table's number is ambiguous unless it has one group.
    let group = match group {
        Some(g) => Some(g.to_string()),
        None if grouped && groups.len() == 1 => groups.first().cloned(),
        None if grouped => return Vec::new(),
        None => None,
    };
    (0..table.rows.len())
        .filter(|&i| numbers.contains(&table.numbers[i]))
        .filter(|&i| !grouped || group.as_deref() == Some(plain_group(&table.rows[i], table.kept).as_str()))
        .filter(|&i| match (clauses, table.rows[i].clause) {
            (Some(ks), Some(k)) => ks.contains(&(k as usize)),
            (Some(_), None) => false,
            (None, _) => true,
        })
        .collect()
}

/// The table's group headings as a decision names them (without 「（繼續列管）」, no spaces).
fn group_names(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in table.rows {
        let g = plain_group(r, table.kept);
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

fn plain_group(r: &TableRow, kept: &str) -> String {
    let kept = format!("（{kept}）");
    r.group.strip_suffix(kept.as_str()).unwrap_or(&r.group).chars().filter(|c| !c.is_whitespace()).collect()
}

/// 決議第 2、3 點 after a row's number: the clauses, and where the list ends.
fn clause_list(chunk: &[char], from: usize) -> Option<(Vec<usize>, usize)> {
    let rest = &chunk[from..];
    let label = ["決議第", "決定第", "第"].iter().find(|l| starts_with(rest, l))?;
    let (ks, end) = number_list(chunk, from + label.chars().count())?;
    (chunk.get(end) == Some(&'點') || chunk.get(end) == Some(&'款')).then_some((ks, end + 1))
}

/// 一、二及四 / 1至3 at `from`: the numbers, and the index after the list.
fn number_list(chunk: &[char], from: usize) -> Option<(Vec<usize>, usize)> {
    let (first, mut at) = number(chunk, from)?;
    let mut out = vec![first];
    while let Some(&sep) = chunk.get(at) {
        let Some((n, end)) = number(chunk, at + 1) else { break };
        match sep {
            '、' | ',' | '，' | '及' | '與' | '和' | '暨' => out.push(n),
            '至' | '到' | '~' | '～' | '-' | '－' => {
                let last = *out.last()?;
                out.extend((last + 1..=n).take(200));
            }
            _ => break,
        }
        at = end;
    }
    Some((out, at))
}

/// One number at `from`, Arabic or Chinese (up to 九十九): its value and the index after it.
fn number(chunk: &[char], from: usize) -> Option<(usize, usize)> {
    let digits: String = chunk[from.min(chunk.len())..].iter().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return Some((digits.parse().ok().filter(|n| *n < 10_000)?, from + digits.len()));
    }
    let value = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).or((c == '兩').then_some(2));
    let mut at = from;
    let mut total = 0;
    let mut current = None;
    while let Some(&c) = chunk.get(at) {
        if c == '十' {
            total += current.unwrap_or(1) * 10;
            current = None;
        } else if let Some(v) = value(c) {
            current = Some(v);
        } else {
            break;
        }
        at += 1;
    }
    (at > from).then_some((total + current.unwrap_or(0), at))
}

fn starts_with(text: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    text.starts_with(&w)
}

fn ends_with(text: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    text.ends_with(&w)
}

/// Full-width digits and letters as ASCII (１１３－１－Ｄ２ is 113-1-D2).
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '－' => '-',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn numbers_chinese_and_arabic_lists_and_ranges() {
        assert_eq!(number(&chars("十二案"), 0), Some((12, 2)));
        assert_eq!(number(&chars("二十一"), 0), Some((21, 3)));
        assert_eq!(number(&chars("十"), 0), Some((10, 1)));
        assert_eq!(number(&chars("12案"), 0), Some((12, 2)));
        assert_eq!(number(&chars("案"), 0), None);
        assert_eq!(number_list(&chars("一、三及五案"), 0).map(|(n, _)| n), Some(vec![1, 3, 5]));
        assert_eq!(number_list(&chars("二至四案"), 0).map(|(n, _)| n), Some(vec![2, 3, 4]));
        assert_eq!(number_list(&chars("1-3"), 0).map(|(n, _)| n), Some(vec![1, 2, 3]));
        // A list ends where no number follows its separator.
        assert_eq!(number_list(&chars("一、解除"), 0), Some((vec![1], 1)));
    }

    #[test]
    fn words_longest_first_negated_and_the_groups_own() {
        let mut style = TrackingStyle::default();
        let found = |style: &TrackingStyle, s: &str| -> Vec<(String, Tracking)> {
            words(style, &chars(s)).into_iter().map(|(_, _, w, m)| (w, m)).collect()
        };
        assert_eq!(found(&style, "免予列管"), [("免予列管".to_string(), Tracking::Close)]);
        assert_eq!(found(&style, "同意結案"), [("同意結案".to_string(), Tracking::Close)]);
        assert_eq!(found(&style, "不予繼續列管"), [("繼續列管".to_string(), Tracking::Close)]);
        assert_eq!(
            found(&style, "編號一解除列管，編號二續予列管"),
            [("解除列管".to_string(), Tracking::Close), ("續予列管".to_string(), Tracking::Keep)]
        );
        assert!(found(&style, "洽悉，請持續追蹤辦理").is_empty());
        style.keep = "賡續列管".into();
        assert_eq!(found(&style, "賡續列管"), [("賡續列管".to_string(), Tracking::Keep)]);
    }

    #[test]
    fn full_width_ids_read_as_ascii() {
        let id: String = "１１３－１－Ｍ１".chars().map(half_width).collect();
        assert_eq!(id, "113-1-M1");
    }
}
