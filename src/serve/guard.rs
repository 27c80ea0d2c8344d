//! Edits that would silently change what another meeting's record says, refused with the
//! reason before anything is written: a decision is named by its item's place
//! (`113-1-D1`: 討論事項 第一案), so moving or deleting an item that a later meeting's
//! 辦理情形 row names would attach that row to another item; a member is named by id in
//! every meeting's attendance and opinions, so changing or deleting an id in use would
//! leave them pointing at nobody, unless another member holds the same id (two members
//! given one id in a text editor: the records stay with the one who keeps it). A new
//! member gets an id no one holds, and an id another member holds is refused at its
//! field: no edit of the page gives two members one id. Worked out from the TOML alone;
//! when a file does not parse, nothing can be and the edit goes ahead (the form shows the
//! file's own error).

use std::path::{Path, PathBuf};

use super::edit::{Op, Step, parse_path};
use super::state::read_table;
use crate::model::meeting_dirs;

/// The meetings of the series but `except`: folder name and parsed meeting.toml.
fn meetings(series: &Path, except: Option<&Path>) -> Vec<(String, toml::Table)> {
    let except = except.map(|d| d.canonicalize().unwrap_or_else(|_| d.to_path_buf()));
    meeting_dirs(series)
        .unwrap_or_default()
        .into_iter()
        .filter(|d| except.is_none() || d.canonicalize().ok() != except)
        .filter_map(|d: PathBuf| {
            let name = d.file_name()?.to_string_lossy().into_owned();
            Some((name, read_table(&d.join("meeting.toml"))?))
        })
        .collect()
}

/// `113-1` (or `5` when the group numbers its meetings straight through), as
/// [`crate::model::Packet::meeting_code`] derives it, from the TOML alone.
fn meeting_code(meeting: &toml::Table, group: &toml::Table) -> Option<String> {
    let number = meeting.get("number")?.as_integer()?;
    if group.get("numbering").and_then(|n| n.as_str()) == Some("continuous") {
        return Some(number.to_string());
    }
    let year = meeting.get("date")?.as_datetime()?.date.as_ref()?.year as i64 - 1911;
    Some(format!("{year}-{number}"))
}

/// Every decision id another meeting's 辦理情形 rows name, with that meeting.
fn referenced_ids(others: &[(String, toml::Table)]) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    for (name, m) in others {
        for section in ["report", "discussion"] {
            for item in m.get(section).and_then(|s| s.as_array()).into_iter().flatten() {
                for rows in ["progress", "tracking"] {
                    for row in item.get(rows).and_then(|r| r.as_array()).into_iter().flatten() {
                        if let Some(id) = row.get("id").and_then(|i| i.as_str()) {
                            ids.push((name.clone(), id.to_string()));
                        }
                    }
                }
            }
        }
    }
    ids
}

/// The item lists whose places are decision ids: path, letter, label.
const SECTIONS: &[(&[&str], char, &str)] =
    &[(&["report"], 'R', "報告事項"), (&["discussion"], 'D', "討論事項"), (&["minutes", "motion"], 'M', "臨時動議")];

/// Whether `steps` are `keys` (or a part of them from the start: `minutes` holds
/// `minutes.motion`).
fn leads_to(steps: &[Step], keys: &[&str]) -> bool {
    steps.len() <= keys.len() && steps.iter().zip(keys).all(|(s, k)| matches!(s, Step::Key(key) if key == k))
}

/// The places in a list of `len` items that `op` changes the item of: a move its two, a
/// removal its own and every later one, a removal or replacement of the list or of a
/// table holding it every one.
fn places_changed(op: &Op, keys: &[&str], len: usize) -> Vec<usize> {
    let (path, by) = match op {
        Op::Move { path, by } => (path, Some(*by)),
        Op::Remove { path } | Op::Set { path, .. } => (path, None),
        _ => return Vec::new(),
    };
    let Ok(steps) = parse_path(path) else { return Vec::new() };
    if by.is_none() && leads_to(&steps, keys) {
        return (0..len).collect();
    }
    let [list @ .., Step::Index(i)] = steps.as_slice() else { return Vec::new() };
    if list.len() != keys.len() || !leads_to(list, keys) || matches!(op, Op::Set { .. }) {
        return Vec::new();
    }
    match by {
        Some(by) => [Some(*i), i.checked_add_signed(by as isize)].into_iter().flatten().filter(|&k| k < len).collect(),
        None => (*i..len).collect(),
    }
}

/// Why a move or deletion of items of meeting `dir` cannot be made, if it cannot: any
/// operation whose path leads to an item list (`remove discussion`, `set minutes = null`)
/// counts, not only the ones the page sends.
pub fn item_edit_refused(series: &Path, dir: &Path, ops: &[Op]) -> Option<String> {
    if !ops.iter().any(|op| matches!(op, Op::Move { .. } | Op::Remove { .. } | Op::Set { .. })) {
        return None;
    }
    let meeting = read_table(&dir.join("meeting.toml"))?;
    let group = read_table(&series.join("group.toml"))?;
    let code = meeting_code(&meeting, &group)?;
    let mut others: Option<Vec<(String, String)>> = None;
    for op in ops {
        for (keys, letter, label) in SECTIONS {
            let list = keys[1..].iter().fold(meeting.get(keys[0]), |here, k| here.and_then(|v| v.get(*k)));
            let len = list.and_then(|l| l.as_array()).map_or(0, Vec::len);
            let moved = places_changed(op, keys, len);
            if moved.is_empty() {
                continue;
            }
            let references = others.get_or_insert_with(|| referenced_ids(&meetings(series, Some(dir))));
            for k in moved {
                let id = format!("{code}-{letter}{}", k + 1);
                let Some((other, named)) =
                    references.iter().find(|(_, r)| *r == id || r.starts_with(&format!("{id}-")))
                else {
                    continue;
                };
                let what = if matches!(op, Op::Move { .. }) { "移動" } else { "刪除" };
                return Some(format!(
                    "無法{what}：{other} 的列管事項引用本次會議{label}第 {} 案（決定編號 {named}）。決定編號依案次而定，{what}後該列辦理情形會對到別案；請先改寫 {other} 的列管事項，或保留案次",
                    k + 1
                ));
            }
        }
    }
    None
}

/// Whether `id` is named anywhere in a meeting: chair, attendance, 不記名 / 不公開, a
/// speaker.
fn names_member(value: &toml::Value, key: &str, id: &str) -> bool {
    match value {
        toml::Value::String(s) => s == id && matches!(key, "member" | "chair"),
        toml::Value::Array(list) => {
            let listed = matches!(key, "present" | "leave" | "anonymous" | "private");
            list.iter().any(|v| (listed && v.as_str() == Some(id)) || names_member(v, key, id))
        }
        toml::Value::Table(t) => {
            (key == "delegate" && t.contains_key(id)) || t.iter().any(|(k, v)| names_member(v, k, id))
        }
        _ => false,
    }
}

/// The members whose id `op` changes or deletes: a removal or replacement of a member,
/// of the list, or of an id; a new value for an id.
fn ids_changed(op: &Op, members: &[toml::Value]) -> Vec<usize> {
    let (path, value) = match op {
        Op::Set { path, value } => (path, Some(value)),
        Op::Remove { path } => (path, None),
        _ => return Vec::new(),
    };
    let Ok(steps) = parse_path(path) else { return Vec::new() };
    (0..members.len())
        .filter(|&i| {
            let id_path = [Step::Key("member".into()), Step::Index(i), Step::Key("id".into())];
            if steps.len() > id_path.len() || steps[..] != id_path[..steps.len()] {
                return false;
            }
            let old = members[i].get("id").and_then(|v| v.as_str());
            // The same id written again changes nothing.
            !(steps.len() == id_path.len() && value.is_some_and(|v| v.as_str() == old))
        })
        .collect()
}

/// Why a change to the roster (group.toml) cannot be made, if it cannot: a member id in
/// use in a meeting changed or its member deleted, by whatever path.
pub fn roster_edit_refused(series: &Path, ops: &[Op]) -> Option<String> {
    if !ops.iter().any(|op| matches!(op, Op::Set { .. } | Op::Remove { .. })) {
        return None;
    }
    let group = read_table(&series.join("group.toml"))?;
    let members = group.get("member").and_then(|m| m.as_array())?;
    let ids = roster_ids(members);
    let changed: Vec<usize> = ops.iter().flat_map(|op| ids_changed(op, members)).collect();
    for op in ops {
        for i in ids_changed(op, members) {
            let Some(old) = members[i].get("id").and_then(|v| v.as_str()).filter(|s| !s.is_empty()) else {
                continue;
            };
            // A duplicate id (two members given one in a text editor): the records stay with
            // the member who keeps it, so the other may be renamed or deleted.
            if (0..ids.len()).any(|j| j != i && ids[j] == old && !changed.contains(&j)) {
                continue;
            }
            let used: Vec<String> = meetings(series, None)
                .into_iter()
                .filter(|meeting| named_in_meetings(std::slice::from_ref(meeting), old))
                .map(|(name, _)| name)
                .collect();
            if !used.is_empty() {
                let deleting = !matches!(op, Op::Set { path, value } if path.ends_with(".id") && !value.is_null());
                let what = if deleting { "刪除此委員" } else { "改代號" };
                return Some(format!(
                    "無法{what}：委員代號「{old}」已用於 {} 的出席或發言紀錄，{what}後這些紀錄會對不到人。卸任的委員請保留，並填寫聘期迄日",
                    used.join("、")
                ));
            }
        }
    }
    None
}

/// The roster's ids as group.toml holds them now, by place.
fn roster_ids(members: &[toml::Value]) -> Vec<String> {
    members.iter().map(|m| m.get("id").and_then(|v| v.as_str()).unwrap_or("").to_string()).collect()
}

/// Whether `id` is named in any meeting of the series.
fn named_in_meetings(meetings: &[(String, toml::Table)], id: &str) -> bool {
    meetings.iter().any(|(_, m)| m.iter().any(|(k, v)| names_member(v, k, id)))
}

/// A new member's id: `m` and the first number from the roster's length on that no member
/// holds and no meeting names (a record made elsewhere may name an id the roster lost).
fn fresh_id(taken: &[String], meetings: &[(String, toml::Table)]) -> String {
    (taken.len() + 1..)
        .map(|n| format!("m{n}"))
        .find(|id| !taken.contains(id) && !named_in_meetings(meetings, id))
        .unwrap_or_default()
}

/// Why `id` cannot be a member's id, in the words of the check (an id the meetings could
/// not read would stop every meeting loading).
fn bad_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("委員代號不可空白：出席與發言紀錄以代號指稱委員");
    }
    let ok = id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    (!ok).then_some("委員代號只能用小寫英文字母、數字、- 或 _")
}

/// The roster edit as it goes onto group.toml: a new member without an id gets one no
/// one holds (unique by construction), and an id typed that another member holds already,
/// or that no meeting could read (empty, capitals, spaces), is refused at its field: no
/// edit of the page can give two members one id or stop the meetings loading by an id.
pub fn roster_ids_checked(series: &Path, ops: &mut [Op]) -> Result<(), (String, String)> {
    let group = read_table(&series.join("group.toml"));
    let members = group.as_ref().and_then(|g| g.get("member")).and_then(|m| m.as_array()).cloned().unwrap_or_default();
    let mut taken = roster_ids(&members);
    let mut others: Option<Vec<(String, toml::Table)>> = None;
    for op in ops.iter_mut() {
        let field = op.field();
        match op {
            Op::Append { path, fields } if path == "member" => {
                let id = fields.get("id").and_then(|v| v.as_str()).unwrap_or("").trim().to_string();
                let id = if id.is_empty() {
                    fresh_id(&taken, others.get_or_insert_with(|| meetings(series, None)))
                } else if let Some(why) = bad_id(&id) {
                    return Err((format!("{field}.id"), why.into()));
                } else if taken.contains(&id) {
                    return Err((format!("{field}.id"), format!("委員代號「{id}」已有其他委員使用，請另取一個代號")));
                } else {
                    id
                };
                fields.insert("id".into(), id.clone().into());
                taken.push(id);
            }
            Op::Set { path, value } => {
                let Ok(steps) = parse_path(path) else { continue };
                let [Step::Key(list), Step::Index(i), Step::Key(key)] = steps.as_slice() else { continue };
                if list != "member" || key != "id" {
                    continue;
                }
                let id = value.as_str().unwrap_or("");
                if let Some(why) = bad_id(id) {
                    return Err((field, why.into()));
                }
                let holder = taken.iter().enumerate().find(|(j, t)| j != i && t.as_str() == id);
                if let Some((j, _)) = holder {
                    let name = members.get(j).and_then(|m| m.get("name")).and_then(|n| n.as_str()).unwrap_or("");
                    return Err((
                        field,
                        format!("委員代號「{id}」已用於委員{name}（第 {} 位），請另取一個代號", j + 1),
                    ));
                }
                if let Some(slot) = taken.get_mut(*i) {
                    *slot = id.to_string();
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Why group.toml as an edit would leave it (`text`) stops a meeting of the series from
/// loading, if it would: a problem that edit brings (a member without 類別 or 性別, a date
/// out of order), at its field when it is the roster's. A problem already there (made in
/// a text editor) does not stop an edit that adds none, so the one that mends it, or any
/// other, can be made: no edit of the page can lock the page.
///
/// Three ways a problem is new: more members the meetings cannot read (each [[member]]
/// read alone, so one already unreadable hides no other); the group unreadable after, not
/// before; or, read both times, a check's problem not there before (places and numbers
/// left out of the comparison: removing a member renumbers the problems after it).
pub fn roster_keeps_meetings(series: &Path, text: &str) -> Result<(), (Option<String>, String)> {
    let old = std::fs::read_to_string(series.join("group.toml")).unwrap_or_default();
    let (unread_before, unread_after) = (unreadable_members(&old), unreadable_members(text));
    let read = |t: &str| crate::model::load::<crate::model::Group>(&source(series, t)).is_ok();
    let (read_before, read_after) = (read(&old), read(text));
    let errors = |loaded: crate::diag::Result<crate::model::Packet>| match loaded {
        Ok(_) => Vec::new(),
        Err(d) => d.0.into_iter().filter(|d| d.severity == crate::diag::Severity::Error).collect::<Vec<_>>(),
    };
    let key = |d: &crate::diag::Diagnostic| {
        let plain = |s: &str| s.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
        (plain(&d.field), plain(&d.message))
    };
    for dir in meeting_dirs(series).unwrap_or_default() {
        let after = errors(crate::model::Packet::load_with_group(&dir, Some(text)));
        if after.is_empty() {
            continue;
        }
        let before: Vec<_> = errors(crate::model::Packet::load(&dir)).iter().map(key).collect();
        let fresh = after.iter().find(|d| !before.contains(&key(d)));
        // More members unreadable, or a meeting that loaded no longer loading or loading
        // with a problem it did not have.
        let worse = unread_after > unread_before || (read_before && (!read_after || fresh.is_some()));
        if !worse {
            continue;
        }
        let new = fresh.unwrap_or(&after[0]);
        let in_roster = new.location.as_ref().is_some_and(|l| l.file.ends_with("group.toml"));
        let meeting = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let message = format!("這樣修改後，{meeting} 的文件將無法產生：{}", new.message);
        return Err(((in_roster && !new.field.is_empty()).then(|| new.field.clone()), message));
    }
    Ok(())
}

/// group.toml's text as the model reads it.
fn source(series: &Path, text: &str) -> crate::model::SourceFile {
    crate::model::SourceFile { path: series.join("group.toml"), text: text.to_string() }
}

/// How many of the [[member]] tables of `text` the meetings could not read (a required
/// field missing, a value of the wrong kind), each read alone.
fn unreadable_members(text: &str) -> usize {
    use serde::Deserialize;
    let Ok(table) = text.trim_start_matches('\u{feff}').parse::<toml::Table>() else { return 0 };
    let members = table.get("member").and_then(|m| m.as_array()).cloned().unwrap_or_default();
    members.into_iter().filter(|m| crate::model::Member::deserialize(m.clone()).is_err()).count()
}
