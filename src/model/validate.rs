//! Rules the serde types cannot express: unique ids, known references, text hygiene,
//! attachments that exist inside the series directory.

use std::collections::HashSet;

use super::SourceFile;
use super::input::{MAX_INPUT_BYTES, human_bytes};
use super::{Packet, normalize};
use crate::diag::Diagnostic;
use crate::text::hygiene::{
    MAX_FIELD_CHARS, MAX_LINE_FIELD_CHARS, first_long_cluster, formula_message, formula_start, long_cluster_message,
    violations,
};
use crate::text::markdown;

/// Most entries in one list of group.toml or meeting.toml (members, items, opinions,
/// attendance, observers, attachments, merges, notes …): the 300-item benchmark meeting
/// is the largest real one; 10⁶ observer names made the minutes abort.
pub const MAX_LIST_ENTRIES: usize = 1_000;

/// Everything a loaded meeting must satisfy before any stage uses it (errors, exit 2).
pub fn validate(p: &Packet) -> Vec<Diagnostic> {
    // Both files serialized once for every walk below.
    let files = fields(p);
    // Runaway lists, before anything walks them.
    let mut out = list_lengths(&files);
    if !out.is_empty() {
        return out;
    }
    text_rules(&files, &mut out);
    let ids = members(p, &mut out);
    meeting_fields(p, &ids, &mut out);
    progress_ids(p, &mut out);
    attachments(p, &mut out);
    out
}

/// Lists longer than [`MAX_LIST_ENTRIES`] anywhere in either file.
fn list_lengths(files: &[(&SourceFile, serde_json::Value)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (src, v) in files {
        walk_lists(v, String::new(), &mut |path, n| {
            out.push(
                src.error_at(path, format!("清單過長：{n} 項，上限 {MAX_LIST_ENTRIES} 項；請分成多次會議或改為附件")),
            );
        });
    }
    out
}

/// Character rules (as written, and after Markdown decoding) and runaway lengths
/// anywhere in either file's strings.
fn text_rules(files: &[(&SourceFile, serde_json::Value)], out: &mut Vec<Diagnostic>) {
    for (src, v) in files {
        walk_strings(v, String::new(), &mut |path, s| {
            for (_, message) in violations(s) {
                out.push(src.error_at(path, message));
            }
            if is_markdown_field(path) {
                for (_, message) in markdown::decoded_violations(s) {
                    out.push(src.error_at(path, message));
                }
            }
            // Markdown fields (and plain ones: the rule is harmless there).
            if let Some((depth, _, _)) = markdown::too_deep(s) {
                out.push(src.error_at(path, markdown::too_deep_message(depth)));
            }
            if let Some((_, n)) = first_long_cluster(s) {
                out.push(src.error_at(path, long_cluster_message(n)));
            }
            let chars = s.chars().count();
            if chars > MAX_FIELD_CHARS {
                out.push(
                    src.error_at(
                        path,
                        format!("文字過長：{chars} 字，上限 {MAX_FIELD_CHARS} 字（長篇內容請改為附件）"),
                    ),
                );
            } else if chars > MAX_LINE_FIELD_CHARS && !is_markdown_field(path) {
                out.push(src.error_at(
                    path,
                    format!(
                        "文字過長：{chars} 字，此欄位上限 {MAX_LINE_FIELD_CHARS} 字（案由、名稱、地點等單行欄位；長篇內容請寫在說明或附件）"
                    ),
                ));
            }
        });
    }
}

/// group.toml's members: at least one, ids well formed and unique, terms in order.
/// Returns the ids.
fn members<'a>(p: &'a Packet, out: &mut Vec<Diagnostic>) -> HashSet<&'a str> {
    let gs = &p.group_src;
    if p.group.members.is_empty() {
        out.push(gs.error_at("member", "至少需要一位委員"));
    }
    let mut ids = HashSet::new();
    // Every member of group.toml, seated at this meeting or not, at its own `member[i]`.
    let all = p.group.members.iter().chain(p.group.unseated.iter().map(|u| &u.member));
    let mut every: Vec<&crate::model::Member> = all.collect();
    every.sort_by_key(|m| m.index);
    for member in &every {
        let i = member.index;
        let ok = !member.id.is_empty()
            && member.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            out.push(gs.error_at(&format!("member[{i}].id"), "委員代號只能用小寫英文字母、數字、- 或 _"));
        }
        if !ids.insert(member.id.as_str())
            && let Some(first) = every.iter().find(|m| m.id == member.id)
        {
            let message = format!(
                "委員代號「{}」重複：{}也用此代號（第 {} 位委員）；請將其中一位改為另一個代號，或刪除重複的一筆",
                member.id,
                first.name,
                first.index + 1
            );
            out.push(gs.error_at(&format!("member[{i}].id"), message));
        }
        if let (Some(s), Some(e)) = (member.term_start, member.term_end)
            && e < s
        {
            out.push(gs.error_at(&format!("member[{i}].term_end"), "聘期迄日早於起日"));
        }
        replacement(gs, member, &every, out);
    }
    // Only the members seated at this meeting may be named by it.
    p.group.members.iter().map(|m| m.id.as_str()).collect()
}

/// 補聘 and leaving as group.toml records them: `replaces` names another member, the
/// replacement's first day is known, nobody leaves before arriving.
fn replacement(gs: &SourceFile, m: &crate::model::Member, every: &[&crate::model::Member], out: &mut Vec<Diagnostic>) {
    let i = m.index;
    if let (Some(from), Some(left)) = (m.seated_from(), m.left)
        && left <= from
    {
        out.push(gs.error_at(&format!("member[{i}].left"), format!("離任日 {} 不在到任日 {} 之後", left.0, from.0)));
    }
    let Some(replaced) = &m.replaces else { return };
    if m.seated_from().is_none() {
        out.push(gs.error_at(&format!("member[{i}].replaces"), "補聘委員須載明到任日（民間代表為聘期起日）"));
    }
    match every.iter().find(|x| x.id == *replaced) {
        _ if *replaced == m.id => out.push(gs.error_at(&format!("member[{i}].replaces"), "委員不能補聘接替自己")),
        None => out.push(
            gs.error_at(&format!("member[{i}].replaces"), format!("補聘接替的委員代號「{replaced}」不在委員名冊中")),
        ),
        Some(_) => {}
    }
    // One seat, one replacement at a time: a second member replacing the same one is a typo.
    if let Some(first) = every.iter().find(|x| x.index < i && x.replaces.as_deref() == Some(replaced)) {
        out.push(gs.error_at(
            &format!("member[{i}].replaces"),
            format!("「{replaced}」已由{}補聘接替；若是接替該位補聘委員，請改寫其委員代號", first.name),
        ));
    }
}

/// The meeting's own fields: date, year and number, a chair among the members, at least
/// one item.
fn meeting_fields(p: &Packet, ids: &HashSet<&str>, out: &mut Vec<Diagnostic>) {
    let m = &p.meeting;
    let ms = &p.meeting_src;
    let roc = crate::text::zh::roc_year(m.date.0);
    if roc < 1 {
        out.push(ms.error_at("date", "會議日期須在民國元年以後"));
    }
    if let Some(year) = m.year
        && year != roc
    {
        out.push(ms.error_at("year", format!("會議年度寫為民國 {year} 年，但會議日期是民國 {roc} 年")));
    }
    if m.number == 0 {
        out.push(ms.error_at("number", "會議次數須從 1 起算"));
    }
    // 第 N 屆: stated exactly where the group numbers by term.
    match (p.group.numbering == super::Numbering::Term, m.term) {
        (true, None) => out.push(ms.error_at("number", "小組設定為依屆次編號，請寫明本次會議是第幾屆")),
        (true, Some(0)) => out.push(ms.error_at("term", "屆次須從 1 起算")),
        (false, Some(_)) => {
            out.push(ms.error_at("term", "小組設定未依屆次編號：請刪去屆次，或在小組設定將會議編號改為依屆次編號"))
        }
        _ => {}
    }
    if let Some(chair) = &m.chair
        && !ids.contains(chair.as_str())
    {
        let why = p.group.why_unseated(chair).map_or("不在委員名冊中".to_string(), |w| format!("：{w}"));
        out.push(ms.error_at("chair", format!("主席「{chair}」{why}")));
    }
    if m.reports.is_empty() && m.discussions.is_empty() {
        out.push(ms.error_at("", "會議沒有任何報告事項或討論事項：請新增報告事項或討論事項"));
    }
}

/// 辦理情形 entries: one per decision id in the whole meeting.
fn progress_ids(p: &Packet, out: &mut Vec<Diagnostic>) {
    let m = &p.meeting;
    let mut progress_seen: std::collections::HashMap<&str, String> = Default::default();
    for (key, items) in [("report", &m.reports), ("discussion", &m.discussions)] {
        for (i, item) in items.iter().enumerate() {
            // A hand-typed row with its id reports on that decision as well.
            let progress = item.progress.iter().enumerate().map(|(j, pr)| (format!("progress[{j}]"), pr.id.as_str()));
            let hand = item
                .tracking
                .iter()
                .enumerate()
                .filter_map(|(j, r)| Some((format!("tracking[{j}]"), r.id.as_deref()?)));
            for (entry, id) in progress.chain(hand) {
                let field = format!("{key}[{i}].{entry}.id");
                if let Some(first) = progress_seen.get(id) {
                    out.push(
                        p.meeting_src.error_at(&field, format!("決定編號「{id}」的辦理情形重複（已寫於 {first}）")),
                    );
                } else {
                    progress_seen.insert(id, field);
                }
            }
        }
    }
}

/// Each item's unit and 案由 not blank; its attachments relative, inside the series,
/// regular files; the whole input of the meeting counted as the attachments are found.
fn attachments(p: &Packet, out: &mut Vec<Diagnostic>) {
    let m = &p.meeting;
    let ms = &p.meeting_src;
    let mut input_bytes = (p.group_src.text.len() + ms.text.len()) as u64;
    for (key, items) in [("report", &m.reports), ("discussion", &m.discussions)] {
        for (i, item) in items.iter().enumerate() {
            for (field, value) in [("unit", &item.unit), ("title", &item.title)] {
                if value.trim().is_empty() {
                    out.push(ms.error_at(&format!("{key}[{i}].{field}"), "不能是空白"));
                }
            }
            for (j, a) in item.attachments.iter().enumerate() {
                let field = format!("{key}[{i}].attachment[{j}].file");
                attachment(p, &field, &a.file, &mut input_bytes, out);
            }
        }
    }
    // A reply to the draft minutes kept as a file: inside the series like an attachment.
    for (i, r) in m.corrections.iter().flat_map(|c| c.replies.iter()).enumerate() {
        if let Some(file) = &r.file {
            attachment(p, &format!("corrections.reply[{i}].file"), file, &mut input_bytes, out);
        }
    }
}

/// One attachment at `field`: where it is, and the input's running size `input_bytes`.
fn attachment(p: &Packet, field: &str, name: &str, input_bytes: &mut u64, out: &mut Vec<Diagnostic>) {
    let ms = &p.meeting_src;
    let file = std::path::Path::new(name);
    let rel = if file.is_absolute() { None } else { normalize(&p.attachment_rel_path(name)) };
    let Some(rel) = rel.filter(|r| !r.as_os_str().is_empty()) else {
        out.push(ms.error_at(field, format!("附件路徑「{name}」必須是系列目錄內的相對路徑")));
        return;
    };
    let real = p.series_dir.join(&rel);
    match real.canonicalize() {
        Err(_) => {
            out.push(ms.error_at(field, format!("找不到附件檔案「{name}」（{}）", p.meeting_dir.join(name).display())))
        }
        Ok(c) if !c.starts_with(&p.series_dir) => {
            out.push(ms.error_at(field, format!("附件「{name}」連結到系列目錄之外")))
        }
        Ok(c) if !c.is_file() => out.push(ms.error_at(field, format!("附件「{name}」不是檔案"))),
        Ok(c) => {
            let before = *input_bytes;
            *input_bytes += std::fs::metadata(&c).map_or(0, |m| m.len());
            if before <= MAX_INPUT_BYTES && *input_bytes > MAX_INPUT_BYTES {
                out.push(ms.error_at(
                    field,
                    format!(
                        "會議資料、小組設定與附件的檔案到此合計 {}，超過上限 {}；請縮小或分割附件（如掃描檔降低解析度）",
                        human_bytes(*input_bytes),
                        human_bytes(MAX_INPUT_BYTES)
                    ),
                ));
            }
        }
    }
}

/// The last key of a field path, without indices: `report[0].opinion[1].text` → `text`.
fn last_key(path: &str) -> &str {
    let key = path.rsplit('.').next().unwrap_or(path);
    key.split('[').next().unwrap_or(key)
}

/// The text fields of meeting.toml that are Markdown: 說明, 決定（議）, 發言, 辦理情形
/// (tracking rows and progress), 註 lines under a table, 主席致詞. Every other field is
/// one line (a 案由, a name, a place), printed in titles, bookmarks and PDF metadata.
pub(crate) fn is_markdown_field(path: &str) -> bool {
    matches!(
        last_key(path),
        "explanation" | "decision" | "text" | "progress" | "status" | "notes" | "opening" | "changed"
    )
}

/// Fields published as cells of the bundle's CSV tables: the members (names, titles,
/// organisations), the meeting (agency, group, place, recorder, transcript), each item's
/// unit, 案由 and decision, the opinions, 辦理情形, delegates, 迴避事由.
fn is_csv_field(path: &str) -> bool {
    // The correction round is never published.
    if path.contains(".attachment[")
        || path.starts_with("open_data")
        || path.starts_with("dates")
        || path.starts_with("corrections")
    {
        return false;
    }
    path.starts_with("minutes.attendance.delegate.")
        || matches!(
            last_key(path),
            "agency"
                | "name"
                | "title"
                | "organisation"
                | "place"
                | "recorder"
                | "transcript"
                | "unit"
                | "decision"
                | "text"
                | "status"
                | "progress"
                | "reason"
        )
}

/// A CSV cell of this field that a spreadsheet would run as a formula (see
/// [`formula_start`]): the text itself, or for a Markdown field its plain text and
/// each decision clause's, as the CSV holds them.
fn formula(src: &SourceFile, path: &str, s: &str) -> Option<crate::diag::Diagnostic> {
    if !is_csv_field(path) {
        return None;
    }
    if !is_markdown_field(path) {
        return formula_start(s).map(|c| src.error_at(path, formula_message(c, "")));
    }
    if let Some(c) = formula_start(&markdown::plain(s, 3)) {
        return Some(src.error_at(path, formula_message(c, "")));
    }
    let clauses = markdown::ordered_clauses(s);
    if clauses.len() > 1 {
        for (i, clause) in clauses.iter().enumerate() {
            if let Some(c) = formula_start(&markdown::plain(clause, 4)) {
                return Some(src.error_at(path, formula_message(c, &format!("第 {} 項", i + 1))));
            }
        }
    }
    None
}

/// Text that would open a spreadsheet formula in a cell of the bundle's CSV tables
/// (OWASP CSV injection), at its field: refused by `packet minutes` and `packet export`
/// (which publish the record), a finding of `packet check` (and so of `packet build`,
/// whose agenda prints it as written). Nothing is ever altered.
pub(crate) fn formula_errors(p: &Packet) -> Vec<crate::diag::Diagnostic> {
    let mut out = Vec::new();
    for (src, v) in fields(p) {
        walk_strings(&v, String::new(), &mut |path, s| out.extend(formula(src, path, s)));
    }
    out
}

/// group.toml and meeting.toml as loaded, each serialized for the walks over every field
/// ([`walk_strings`]), with the file its field paths point into.
pub(crate) fn fields(p: &Packet) -> [(&SourceFile, serde_json::Value); 2] {
    // The model types serialize to JSON infallibly (no maps with non-string keys).
    let value = |v: Result<serde_json::Value, _>| v.unwrap_or_default();
    [(&p.group_src, value(serde_json::to_value(&p.group))), (&p.meeting_src, value(serde_json::to_value(&p.meeting)))]
}

/// Call `f(field_path, text)` for every string in a serialized model.
pub(crate) fn walk_strings(v: &serde_json::Value, path: String, f: &mut dyn FnMut(&str, &str)) {
    match v {
        serde_json::Value::String(s) => f(&path, s),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_strings(item, format!("{path}[{i}]"), f);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk_strings(item, p, f);
            }
        }
        _ => {}
    }
}

/// Call `f(field_path, entries)` for every list longer than [`MAX_LIST_ENTRIES`] (without
/// walking into it).
fn walk_lists(v: &serde_json::Value, path: String, f: &mut dyn FnMut(&str, usize)) {
    match v {
        serde_json::Value::Array(items) if items.len() > MAX_LIST_ENTRIES => f(&path, items.len()),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_lists(item, format!("{path}[{i}]"), f);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk_lists(item, p, f);
            }
        }
        _ => {}
    }
}
