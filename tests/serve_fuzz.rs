//! A property target for the editor's edits: random sequences of edits from two tabs, each
//! made against what that tab last read, and writes from outside the way Notepad saves
//! (truncate, then write, sometimes in two parts), with edits arriving in between.
//!
//! The invariant, checked after every step: the file on disk is exactly the model (every
//! acknowledged edit is there, in the item it was typed for, and nothing else changed),
//! and it parses. The model knows which edits must be acknowledged: one made after an
//! outside write the tab had not read is refused, so is one for an item that is gone;
//! every other one is written.
//!
//! A short run is part of the tests; `PACKET_FUZZ_SECS=600` runs it for ten minutes
//! (`PACKET_FUZZ_SEED` repeats a run).

use std::path::Path;

use super::{Served, edit_body, serve};
use crate::common::example_series;

/// xorshift64*: reproducible from the printed seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A tab: the state it last read, and whether an outside write came after that read.
struct Tab {
    name: &'static str,
    seen: serde_json::Value,
    stale: bool,
}

fn items(model: &toml::Value) -> Vec<toml::Value> {
    model.get("discussion").and_then(|d| d.as_array()).cloned().unwrap_or_default()
}

fn title(item: &toml::Value) -> String {
    item["title"].as_str().unwrap_or("").to_string()
}

fn position(model: &toml::Value, t: &str) -> Option<usize> {
    items(model).iter().position(|i| title(i) == t)
}

fn list_mut(model: &mut toml::Value) -> &mut Vec<toml::Value> {
    model.as_table_mut().unwrap().entry("discussion").or_insert(toml::Value::Array(Vec::new()));
    model["discussion"].as_array_mut().unwrap()
}

/// One edit by `tab`, chosen at random from what it sees: the request's operations and
/// what it does to the model when it is acknowledged (None when it must be refused).
type Change = Box<dyn FnOnce(&mut toml::Value)>;

fn pick(rng: &mut Rng, tab: &Tab, model: &toml::Value, step: usize) -> (String, Option<Change>) {
    let seen: Vec<serde_json::Value> = tab.seen["doc"]["discussion"].as_array().cloned().unwrap_or_default();
    let i = rng.below(seen.len());
    let t = seen.get(i).and_then(|d| d["title"].as_str()).unwrap_or("").to_string();
    let exists = !seen.is_empty() && position(model, &t).is_some();
    let value = format!("{}-{step}", tab.name);
    match rng.below(7) {
        0 => {
            let ops = format!(r#"[{{"op":"set","path":"place","value":"{value}"}}]"#);
            (ops, Some(Box::new(move |m: &mut toml::Value| m["place"] = value.into())))
        }
        1 => {
            let ops = format!(r#"[{{"op":"append","path":"discussion","fields":{{"unit":"u","title":"案{value}"}}}}]"#);
            let change = move |m: &mut toml::Value| {
                let mut t = toml::Table::new();
                t.insert("unit".into(), "u".into());
                t.insert("title".into(), format!("案{value}").into());
                list_mut(m).push(toml::Value::Table(t));
            };
            (ops, Some(Box::new(change)))
        }
        _ if seen.is_empty() => ("[]".into(), Some(Box::new(|_: &mut toml::Value| {}))),
        2 | 3 => {
            let ops = format!(r#"[{{"op":"set","path":"discussion[{i}].unit","value":"{value}"}}]"#);
            let change = move |m: &mut toml::Value| {
                let k = position(m, &t).unwrap();
                list_mut(m)[k]["unit"] = value.into();
            };
            (ops, exists.then(|| Box::new(change) as Change))
        }
        4 => {
            let ops = format!(r#"[{{"op":"remove","path":"discussion[{i}]"}}]"#);
            let change = move |m: &mut toml::Value| {
                let k = position(m, &t).unwrap();
                list_mut(m).remove(k);
                // An empty array of tables is no key at all in the file.
                if list_mut(m).is_empty() {
                    m.as_table_mut().unwrap().remove("discussion");
                }
            };
            (ops, exists.then(|| Box::new(change) as Change))
        }
        5 => {
            let by: i64 = if rng.below(2) == 0 { -1 } else { 1 };
            let ops = format!(r#"[{{"op":"move","path":"discussion[{i}]","by":{by}}}]"#);
            let now = position(model, &t);
            let fits = now.is_some_and(|k| k.checked_add_signed(by as isize).is_some_and(|j| j < items(model).len()));
            let change = move |m: &mut toml::Value| {
                let k = position(m, &t).unwrap();
                let moved = list_mut(m).remove(k);
                list_mut(m).insert(k.checked_add_signed(by as isize).unwrap(), moved);
            };
            (ops, (exists && fits).then(|| Box::new(change) as Change))
        }
        _ => {
            let ops = format!(r#"[{{"op":"append","path":"discussion[{i}].opinion","fields":{{"text":"{value}"}}}}]"#);
            let change = move |m: &mut toml::Value| {
                let k = position(m, &t).unwrap();
                let item = list_mut(m)[k].as_table_mut().unwrap();
                let opinions = item.entry("opinion").or_insert(toml::Value::Array(Vec::new()));
                let mut o = toml::Table::new();
                o.insert("text".into(), value.into());
                opinions.as_array_mut().unwrap().push(toml::Value::Table(o));
            };
            (ops, exists.then(|| Box::new(change) as Change))
        }
    }
}

fn on_disk(file: &Path) -> toml::Value {
    let text = std::fs::read_to_string(file).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("the file does not parse: {e}\n{text}"))
}

/// Another program saves the file as Notepad does: truncate, then write (in two parts
/// when `halves`); a tab's edit arrives while the file is empty or half written and must
/// be refused. The model becomes what it wrote.
fn outside_write(s: &Served, file: &Path, model: &mut toml::Value, tab: &mut Tab, step: usize, halves: bool) {
    model["place"] = format!("外部-{step}").into();
    let text = toml::to_string(model).unwrap();
    std::fs::write(file, "").unwrap();
    tab.seen = s.state("113-2");
    let ops = r#"[{"op":"set","path":"place","value":"空檔時的修改"}]"#;
    let (status, answer) = s.post_edit("113-2", "", &edit_body(&tab.seen, false, tab.name, ops));
    assert_eq!(status, 409, "an edit onto the empty file: {answer}");
    if halves {
        let cut = text.find("place = ").unwrap() + "place = \"外".len();
        std::fs::write(file, &text[..cut]).unwrap();
        tab.seen = s.state("113-2");
        let (status, answer) = s.post_edit("113-2", "", &edit_body(&tab.seen, false, tab.name, ops));
        assert_eq!(status, 409, "an edit onto the half-written file: {answer}");
    }
    std::fs::write(file, &text).unwrap();
}

fn run(seed: u64, seconds: u64) -> (usize, usize, usize) {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = dir.path().join("dgbas/113-2/meeting.toml");
    let mut model = on_disk(&file);
    let mut rng = Rng(seed | 1);
    let mut tabs = [
        Tab { name: "a", seen: s.state("113-2"), stale: false },
        Tab { name: "b", seen: s.state("113-2"), stale: false },
    ];
    let (mut written, mut refused, mut outside) = (0, 0, 0);
    let start = std::time::Instant::now();
    let mut step = 0;
    let mut last = String::new();
    while step < 40 || start.elapsed().as_secs() < seconds {
        step += 1;
        let who = rng.below(2);
        match rng.below(20) {
            0 => {
                let halves = rng.below(2) == 0;
                outside_write(&s, &file, &mut model, &mut tabs[who], step, halves);
                for tab in &mut tabs {
                    tab.stale = true;
                }
                outside += 1;
            }
            1..=3 => {
                tabs[who].seen = s.state("113-2");
                tabs[who].stale = false;
            }
            _ => {
                let tab = &tabs[who];
                let (ops, change) = pick(&mut rng, tab, &model, step);
                last = format!("{} {ops}", tab.name);
                let (status, answer) = s.post_edit("113-2", "", &edit_body(&tab.seen, false, tab.name, &ops));
                let expected = if tab.stale { None } else { change };
                match expected {
                    Some(change) => {
                        assert_eq!(status, 200, "seed {seed}, step {step}: {ops} must be written: {answer}");
                        change(&mut model);
                        written += 1;
                    }
                    None => {
                        assert_eq!(status, 409, "seed {seed}, step {step}: {ops} must be refused: {answer}");
                        refused += 1;
                    }
                }
            }
        }
        assert_eq!(on_disk(&file), model, "seed {seed}, step {step} ({last}): the file is not what was acknowledged");
    }
    (written, refused, outside)
}

#[test]
fn edits_from_two_tabs_and_an_outside_editor_keep_every_acknowledged_edit_and_nothing_else() {
    let seconds: u64 = std::env::var("PACKET_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let seed: u64 = std::env::var("PACKET_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let (written, refused, outside) = run(seed, seconds);
    println!(
        "serve fuzz: seed {seed}, {seconds} s: {written} edits written, {refused} refused, {outside} outside writes"
    );
    assert!(written > 0 && refused > 0, "both kinds happened");
}
