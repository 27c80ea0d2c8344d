//! Edits from the browser applied to meeting.toml with `toml_edit`: only the field that
//! changed is touched, so the comments, key order and formatting a person wrote survive.
//! Fields are addressed by the same ASCII paths the diagnostics print
//! (`place`, `report[0].opinion[1].text`, `minutes.attendance.delegate.chen`).

use serde::Deserialize;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

/// One step of a field path: a key or an index into an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Parse `report[0].opinion[1].text`. Keys are ASCII letters, digits, `_` and `-` (the
/// model's keys and member ids); anything else is refused.
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let bad = || format!("欄位路徑不正確：「{path}」");
    if path.is_empty() || path.len() > 200 {
        return Err(bad());
    }
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(bad());
        }
        steps.push(Step::Key(key.to_string()));
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']').ok_or_else(bad)?;
            let index: usize = inner[..close].parse().map_err(|_| bad())?;
            steps.push(Step::Index(index));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return Err(bad());
        }
    }
    Ok(steps)
}

/// What the browser asks for. Every operation names its field path.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Set a value; `null` removes the key (an optional field left empty).
    Set { path: String, value: serde_json::Value },
    /// Append a table to an array of tables (`report`, `report[0].opinion`) with these
    /// string fields.
    Append {
        path: String,
        #[serde(default)]
        fields: serde_json::Map<String, serde_json::Value>,
    },
    /// Move an entry of an array one place up (-1) or down (+1).
    Move { path: String, by: i64 },
    /// Remove an entry of an array or a key.
    Remove { path: String },
    /// A member's attendance: `present`, `delegate` (with the delegate's name), `leave`
    /// or `none` (listed nowhere: 缺席, or 未記錄 when the roll is partial).
    Attendance {
        member: String,
        status: String,
        #[serde(default)]
        delegate: String,
    },
    /// Put a member id into, or take it out of, a list (`minutes.anonymous`).
    Member { path: String, member: String, on: bool },
}

impl Op {
    /// The field path the operation names (none for attendance, which names a member).
    pub fn path(&self) -> Option<&str> {
        match self {
            Op::Set { path, .. }
            | Op::Append { path, .. }
            | Op::Move { path, .. }
            | Op::Remove { path }
            | Op::Member { path, .. } => Some(path),
            Op::Attendance { .. } => None,
        }
    }

    /// The same, to point the operation at where its item is now.
    pub fn path_mut(&mut self) -> Option<&mut String> {
        match self {
            Op::Set { path, .. }
            | Op::Append { path, .. }
            | Op::Move { path, .. }
            | Op::Remove { path }
            | Op::Member { path, .. } => Some(path),
            Op::Attendance { .. } => None,
        }
    }

    /// The field the operation changes, for telling other tabs.
    pub fn field(&self) -> String {
        match self {
            Op::Set { path, .. } | Op::Append { path, .. } | Op::Move { path, .. } | Op::Remove { path } => {
                path.clone()
            }
            Op::Member { path, member, .. } => format!("{path}.{member}"),
            Op::Attendance { member, .. } => format!("minutes.attendance.{member}"),
        }
    }
}

/// The keys whose text is a date: written as a TOML date when it is one (`2024-04-29`).
const DATE_KEYS: &[&str] = &[
    "date",
    "materials_sent",
    "draft_minutes_sent",
    "published",
    "term_start",
    "term_end",
    "listed",
    "sent",
    "received",
    "deadline",
    "final",
];

/// Apply one operation to the document.
pub fn apply(doc: &mut DocumentMut, op: &Op) -> Result<(), String> {
    match op {
        Op::Set { path, value } => set(doc, path, value),
        Op::Append { path, fields } => append(doc, path, fields),
        Op::Move { path, by } => move_entry(doc, path, *by),
        Op::Remove { path } => remove(doc, path),
        Op::Attendance { member, status, delegate } => attendance(doc, member, status, delegate),
        Op::Member { path, member, on } => {
            parse_path(member)?;
            let steps = parse_path(path)?;
            let (last, parent) = split_key(&steps, path)?;
            let table = table_at(doc.as_table_mut(), parent, true, path)?;
            set_member(table, last, member, *on);
            Ok(())
        }
    }
}

/// Set a value; `null` removes the key (and the tables it leaves empty).
fn set(doc: &mut DocumentMut, path: &str, value: &serde_json::Value) -> Result<(), String> {
    let steps = parse_path(path)?;
    let (last, parent) = split_key(&steps, path)?;
    let table = table_at(doc.as_table_mut(), parent, true, path)?;
    match value {
        serde_json::Value::Null => {
            table.remove(last);
            prune_empty(doc, parent);
        }
        v => {
            let new = to_toml(last, v, table.get(last))?;
            set_value(table, last, new)
        }
    }
    Ok(())
}

/// Append a table of these fields to the array of tables at `path`.
fn append(
    doc: &mut DocumentMut,
    path: &str,
    fields: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), String> {
    let steps = parse_path(path)?;
    let (last, parent) = split_key(&steps, path)?;
    let table = table_at(doc.as_table_mut(), parent, true, path)?;
    let mut entry = Table::new();
    for (key, value) in fields {
        parse_path(key)?;
        entry.insert(key, Item::Value(to_toml(key, value, None)?));
    }
    match table.get_mut(last) {
        None => {
            let mut list = ArrayOfTables::new();
            list.push(entry);
            table.insert(last, Item::ArrayOfTables(list));
        }
        Some(Item::ArrayOfTables(list)) => list.push(entry),
        Some(Item::Value(Value::Array(list))) => list.push(Value::InlineTable(entry.into_inline_table())),
        Some(_) => return Err(format!("{path} 不是表格陣列")),
    }
    renumber(doc);
    Ok(())
}

/// Move the entry at `path` (`report[2]`) by one place up (-1) or down (+1).
fn move_entry(doc: &mut DocumentMut, path: &str, by: i64) -> Result<(), String> {
    let steps = parse_path(path)?;
    let Some((Step::Index(i), parent)) = steps.split_last() else {
        return Err(format!("{path} 不是陣列項目"));
    };
    let i = *i;
    let (list_key, outer) = split_key(parent, path)?;
    let table = table_at(doc.as_table_mut(), outer, false, path)?;
    let j = i.checked_add_signed(by as isize).ok_or_else(|| format!("{path} 無法再移動"))?;
    match table.get_mut(list_key) {
        Some(Item::ArrayOfTables(list)) if i < list.len() && j < list.len() => {
            let moved = list.remove(i);
            list.insert(j, moved);
            // The comment above a section's first table heads the section
            // (`# ── 討論事項 ──`): it stays first.
            if i.min(j) == 0 {
                swap_prefixes(list, i, j);
            }
        }
        Some(Item::Value(Value::Array(list))) if i < list.len() && j < list.len() => {
            let moved = list.remove(i);
            list.insert_formatted(j, moved);
        }
        _ => return Err(format!("{path} 無法再移動")),
    }
    renumber(doc);
    Ok(())
}

/// Remove an entry of an array (`report[2]`) or a key.
fn remove(doc: &mut DocumentMut, path: &str) -> Result<(), String> {
    let steps = parse_path(path)?;
    match steps.split_last() {
        Some((Step::Index(i), parent)) => {
            let (list_key, outer) = split_key(parent, path)?;
            let table = table_at(doc.as_table_mut(), outer, false, path)?;
            match table.get_mut(list_key) {
                Some(Item::ArrayOfTables(list)) if *i < list.len() => {
                    let removed = list.get(*i).map(|t| prefix_of(t).to_string());
                    list.remove(*i);
                    // The first table's comments (a section heading) go to the new
                    // first, not away with the table.
                    if *i == 0
                        && let Some(removed) = removed.filter(|p| p.contains('#'))
                        && let Some(first) = list.get_mut(0)
                    {
                        let own = prefix_of(first).trim_start_matches('\n').to_string();
                        first.decor_mut().set_prefix(format!("{removed}{own}"));
                    }
                }
                Some(Item::Value(Value::Array(list))) if *i < list.len() => {
                    list.remove(*i);
                }
                _ => return Err(format!("找不到 {path}")),
            }
        }
        _ => {
            let (last, parent) = split_key(&steps, path)?;
            table_at(doc.as_table_mut(), parent, false, path)?.remove(last);
            prune_empty(doc, parent);
        }
    }
    renumber(doc);
    Ok(())
}

/// A member's attendance: in exactly one of present, delegate (with the name) and leave,
/// or in none.
fn attendance(doc: &mut DocumentMut, member: &str, status: &str, delegate: &str) -> Result<(), String> {
    parse_path(member)?;
    let steps = parse_path("minutes.attendance")?;
    let table = table_at(doc.as_table_mut(), &steps, true, "minutes.attendance")?;
    for list in ["present", "leave"] {
        set_member(table, list, member, false);
    }
    if let Some(delegates) = table.get_mut("delegate").and_then(Item::as_table_like_mut) {
        delegates.remove(member);
    }
    match status {
        "present" => set_member(table, "present", member, true),
        "leave" => set_member(table, "leave", member, true),
        "delegate" => {
            if !table.contains_key("delegate") {
                table.insert("delegate", Item::Table(Table::new()));
            }
            let delegates = table.get_mut("delegate").and_then(Item::as_table_like_mut).ok_or("delegate 不是表格")?;
            delegates.insert(member, Item::Value(Value::from(delegate)));
        }
        "none" => {}
        other => return Err(format!("不明的出席狀態「{other}」")),
    }
    if table.get("delegate").and_then(Item::as_table_like).is_some_and(|t| t.is_empty()) {
        table.remove("delegate");
    }
    Ok(())
}

/// The comments and blank lines above a table's header.
fn prefix_of(table: &Table) -> &str {
    table.decor().prefix().and_then(|p| p.as_str()).unwrap_or("")
}

/// Swap the comments and blank lines above the tables at `a` and `b`.
fn swap_prefixes(list: &mut ArrayOfTables, a: usize, b: usize) {
    let prefix = |k: usize| list.get(k).map_or(String::new(), |t| prefix_of(t).to_string());
    let (pa, pb) = (prefix(a), prefix(b));
    if let Some(t) = list.get_mut(a) {
        t.decor_mut().set_prefix(pb);
    }
    if let Some(t) = list.get_mut(b) {
        t.decor_mut().set_prefix(pa);
    }
}

/// After a key is removed: the tables on its path left empty go too (`[tracking]` once
/// its style is back to the default), unless a comment sits above them.
fn prune_empty(doc: &mut DocumentMut, steps: &[Step]) {
    let mut steps = steps.to_vec();
    while let Some(Step::Key(last)) = steps.last().cloned() {
        steps.pop();
        let Ok(table) = table_at(doc.as_table_mut(), &steps, false, "") else { return };
        let empty = match table.get(&last) {
            Some(Item::Table(t)) => t.is_empty() && !prefix_of(t).contains('#'),
            _ => false,
        };
        if !empty {
            return;
        }
        table.remove(&last);
    }
}

/// The last key of a path and the steps before it.
fn split_key<'a>(steps: &'a [Step], path: &str) -> Result<(&'a str, &'a [Step]), String> {
    match steps.split_last() {
        Some((Step::Key(k), parent)) => Ok((k, parent)),
        _ => Err(format!("欄位路徑不正確：「{path}」")),
    }
}

/// The table at `steps`, creating missing tables on the way when `create` (a new
/// `[minutes]` is written as a table of its own, at the end).
fn table_at<'a>(
    root: &'a mut Table,
    steps: &[Step],
    create: bool,
    path: &str,
) -> Result<&'a mut dyn TableLike, String> {
    let missing = || format!("找不到 {path}");
    let mut here: &mut dyn TableLike = root;
    let mut i = 0;
    while i < steps.len() {
        let Step::Key(key) = &steps[i] else { return Err(missing()) };
        if !here.contains_key(key) {
            if !create || matches!(steps.get(i + 1), Some(Step::Index(_))) {
                return Err(missing());
            }
            here.insert(key, Item::Table(Table::new()));
        }
        let item = here.get_mut(key).ok_or_else(missing)?;
        here = match (item, steps.get(i + 1)) {
            (Item::ArrayOfTables(list), Some(Step::Index(n))) => {
                i += 1;
                list.get_mut(*n).ok_or_else(missing)?
            }
            (Item::Value(Value::Array(list)), Some(Step::Index(n))) => {
                i += 1;
                list.get_mut(*n).and_then(Value::as_inline_table_mut).ok_or_else(missing)?
            }
            (item, _) => item.as_table_like_mut().ok_or_else(missing)?,
        };
        i += 1;
    }
    Ok(here)
}

/// Replace a value, keeping the comment and spacing around the old one.
fn set_value(table: &mut dyn TableLike, key: &str, mut new: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        _ => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// The keys whose lists hold numbers (an attachment's relative column widths).
const NUMBER_LISTS: &[&str] = &["widths"];

/// JSON from the browser as a TOML value of the kind the field holds: a date where a
/// date belongs, an integer where one was, otherwise what JSON gave.
fn to_toml(key: &str, value: &serde_json::Value, old: Option<&Item>) -> Result<Value, String> {
    Ok(match value {
        serde_json::Value::String(text) => {
            let was_int = old.is_some_and(|o| o.as_integer().is_some()) || key == "number";
            if DATE_KEYS.contains(&key)
                && let Ok(date) = text.trim().parse::<toml_edit::Datetime>()
                && date.date.is_some()
                && date.time.is_none()
            {
                Value::from(date)
            } else if was_int && let Ok(n) = text.trim().parse::<i64>() {
                Value::from(n)
            } else {
                Value::from(text.as_str())
            }
        }
        serde_json::Value::Bool(b) => Value::from(*b),
        // A list: of numbers for a table's column widths, otherwise of words (merged
        // ranges, notes, alignment, observers, keywords); never of tables.
        serde_json::Value::Array(items) => {
            let mut list = toml_edit::Array::new();
            let numbers = NUMBER_LISTS.contains(&key);
            for item in items {
                match (numbers, item) {
                    (true, serde_json::Value::Number(_)) => list.push(number(key, item)?),
                    (false, serde_json::Value::String(text)) => list.push(text.as_str()),
                    (true, _) => return Err(format!("{key}：清單只能是數字")),
                    (false, _) => return Err(format!("{key}：清單只能是文字")),
                }
            }
            Value::Array(list)
        }
        serde_json::Value::Number(_) => number(key, value)?,
        _ => return Err(format!("{key}：不支援的值")),
    })
}

/// A JSON number as a TOML integer when it is whole, else a float (a column's width).
fn number(key: &str, value: &serde_json::Value) -> Result<Value, String> {
    match (value.as_i64(), value.as_f64()) {
        (Some(i), _) => Ok(Value::from(i)),
        (None, Some(f)) if f.is_finite() => Ok(Value::from(f)),
        _ => Err(format!("{key}：數字不正確")),
    }
}

/// Add `member` to the string list `key` (creating it) or take it out.
fn set_member(table: &mut dyn TableLike, key: &str, member: &str, on: bool) {
    if !table.contains_key(key) {
        if !on {
            return;
        }
        table.insert(key, Item::Value(Value::Array(toml_edit::Array::new())));
    }
    let Some(list) = table.get_mut(key).and_then(Item::as_array_mut) else { return };
    let at = list.iter().position(|v| v.as_str() == Some(member));
    match (at, on) {
        (None, true) => list.push(member),
        (Some(i), false) => {
            list.remove(i);
        }
        _ => {}
    }
}

/// After a table is added, moved or removed: number every table in reading order,
/// each followed by its own sub-tables, so the file prints them where they belong
/// (toml_edit prints tables in the order of their positions).
fn renumber(doc: &mut DocumentMut) {
    fn walk(table: &mut Table, next: &mut isize) {
        for (_, item) in table.iter_mut() {
            match item {
                Item::Table(t) => {
                    t.set_position(Some(*next));
                    *next += 1;
                    walk(t, next);
                }
                Item::ArrayOfTables(list) => {
                    for t in list.iter_mut() {
                        t.set_position(Some(*next));
                        *next += 1;
                        walk(t, next);
                    }
                }
                _ => {}
            }
        }
    }
    let mut next = 1;
    walk(doc.as_table_mut(), &mut next);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# 第 1 次會議\nnumber = 1\ndate = 2024-04-29\nplace = \"甲\"   # 會議地點\n\n\
        # 報告事項\n[[report]]\nunit = \"資訊處\"\ntitle = \"一\"\n\n[[report.opinion]]\nmember = \"chen\"\ntext = \"意見\"\n\n\
        [[report]]\nunit = \"統計處\"   # 第二案\ntitle = \"二\"\n\n[minutes]\nend = \"16:00\"\n";

    fn run(ops: &[Op]) -> String {
        let mut doc: DocumentMut = SAMPLE.parse().unwrap();
        for op in ops {
            apply(&mut doc, op).unwrap();
        }
        doc.to_string()
    }

    fn set(path: &str, value: serde_json::Value) -> Op {
        Op::Set { path: path.into(), value }
    }

    #[test]
    fn a_set_keeps_every_comment_and_the_rest_of_the_file() {
        let out = run(&[set("place", "乙".into())]);
        assert_eq!(out, SAMPLE.replace("place = \"甲\"", "place = \"乙\""));
        let out = run(&[set("date", "2024-05-02".into())]);
        assert!(out.contains("date = 2024-05-02\n"), "{out}");
    }

    #[test]
    fn multi_line_text_is_written_as_a_multi_line_string() {
        let out = run(&[set("report[1].explanation", "1. 甲\n2. 乙".into())]);
        let parsed: toml::Value = toml::from_str(&out).unwrap();
        assert_eq!(parsed["report"][1]["explanation"].as_str(), Some("1. 甲\n2. 乙"));
        assert!(out.contains("\"\"\""), "{out}");
    }

    #[test]
    fn moving_an_item_carries_its_opinions_and_comments() {
        let out = run(&[Op::Move { path: "report[0]".into(), by: 1 }]);
        let parsed: toml::Value = toml::from_str(&out).unwrap();
        assert_eq!(parsed["report"][0]["title"].as_str(), Some("二"));
        assert_eq!(parsed["report"][1]["title"].as_str(), Some("一"));
        assert_eq!(parsed["report"][1]["opinion"][0]["text"].as_str(), Some("意見"));
        assert!(parsed["report"][0].get("opinion").is_none());
        assert!(out.contains("unit = \"統計處\"   # 第二案"), "{out}");
        assert!(out.find("# 報告事項").unwrap() < out.find("title = \"一\"").unwrap());
    }

    #[test]
    fn appended_opinions_and_attendance_land_in_their_tables() {
        let mut fields = serde_json::Map::new();
        fields.insert("text".into(), "".into());
        let out = run(&[
            Op::Append { path: "report[1].opinion".into(), fields },
            set("report[1].opinion[0].member", "lin".into()),
            Op::Attendance { member: "chen".into(), status: "present".into(), delegate: String::new() },
            Op::Attendance { member: "wang".into(), status: "delegate".into(), delegate: "張○○".into() },
            Op::Attendance { member: "chen".into(), status: "leave".into(), delegate: String::new() },
        ]);
        let parsed: toml::Value = toml::from_str(&out).unwrap();
        assert_eq!(parsed["report"][1]["opinion"][0]["member"].as_str(), Some("lin"));
        assert_eq!(parsed["report"][0]["opinion"].as_array().unwrap().len(), 1);
        let att = &parsed["minutes"]["attendance"];
        assert_eq!(att["present"].as_array().unwrap().len(), 0);
        assert_eq!(att["leave"][0].as_str(), Some("chen"));
        assert_eq!(att["delegate"]["wang"].as_str(), Some("張○○"));
        assert_eq!(parsed["minutes"]["end"].as_str(), Some("16:00"));
    }

    #[test]
    fn lists_of_numbers_and_words_are_written_and_tables_in_lists_refused() {
        let out = run(&[
            set("report[0].attachment", serde_json::json!(null)),
            set("report[1].widths", serde_json::json!([1, 2.5])),
        ]);
        let parsed: toml::Value = toml::from_str(&out).unwrap();
        assert_eq!(parsed["report"][1]["widths"][0].as_integer(), Some(1));
        assert_eq!(parsed["report"][1]["widths"][1].as_float(), Some(2.5));
        let mut doc: DocumentMut = SAMPLE.parse().unwrap();
        assert!(apply(&mut doc, &set("report[1].notes", serde_json::json!([{"a": 1}]))).is_err());
        assert!(apply(&mut doc, &set("report[1].notes", serde_json::json!(["註", 3]))).is_err());
        assert!(apply(&mut doc, &set("report[1].widths", serde_json::json!([1, "寬"]))).is_err());
        assert!(apply(&mut doc, &set("report[1].widths", serde_json::json!([f64::MAX, 1]))).is_ok());
    }

    #[test]
    fn a_section_heading_stays_first_when_its_first_item_moves_or_goes() {
        let out = run(&[Op::Move { path: "report[0]".into(), by: 1 }]);
        assert!(out.find("# 報告事項").unwrap() < out.find("title = \"二\"").unwrap(), "{out}");
        let out = run(&[Op::Remove { path: "report[0]".into() }]);
        assert!(out.contains("# 報告事項\n[[report]]\nunit = \"統計處\""), "{out}");
        toml::from_str::<toml::Value>(&out).unwrap();
    }

    #[test]
    fn a_table_left_empty_goes_unless_a_comment_heads_it() {
        let mut doc: DocumentMut =
            "a = 1\n\n[tracking]\nstyle = \"numbered\"\n\n# 會議紀錄\n[minutes]\nend = \"16:00\"\n".parse().unwrap();
        apply(&mut doc, &set("tracking.style", serde_json::Value::Null)).unwrap();
        apply(&mut doc, &set("minutes.end", serde_json::Value::Null)).unwrap();
        let out = doc.to_string();
        assert!(!out.contains("[tracking]"), "{out}");
        assert!(out.contains("# 會議紀錄\n[minutes]"), "{out}");
    }

    #[test]
    fn bad_paths_are_refused() {
        for path in ["", "a..b", "a[x]", "../x", "a[0", "a]", "鍵"] {
            assert!(parse_path(path).is_err(), "{path}");
        }
        assert_eq!(parse_path("report[2].title").unwrap().len(), 3);
    }
}
