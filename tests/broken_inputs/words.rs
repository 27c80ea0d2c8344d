//! The checks' own words: a message names what to do in the secretary's words, never a key
//! of the file (`set = "own"`, `[tracking]`, `term_start`) or a file name (`group.toml`);
//! the field path before it (`rules.set: …`) names the key for a text-editor user. The
//! browser shows the message, not the path, as it is.
//!
//! Two sweeps: every line the broken-input catalogue prints (see [`key_named`], called from
//! the catalogue's runner), and `packet check --json` over inputs that raise the checks'
//! findings (the rules and model messages reworded for the page).

use super::{GROUP, MEETING, baseline, tracking_meeting};
use crate::common::*;
use std::path::Path;

/// Messages left as they are, on purpose: the parser's own words for a file that is not
/// TOML any more (only a text editor makes one), the list of keys an unknown key could have
/// been (only a text editor types one), and a missing file named by its name.
const EXEMPT: &[&str] =
    &["TOML 語法錯誤", "含有不允許的控制字元", "未知的欄位", "找不到 meeting.toml", "找不到小組設定檔"];

/// The first way `message` names a key of the file, if it does: `key =`, `[table]`,
/// `.toml`, a snake_case key, a dotted path of the meeting's or the group's tables. What
/// the user wrote, quoted 「…」 or shown as the line it is on (`。該行：place = "…`, the line
/// a file that is not TOML any more breaks at), is not looked at.
pub(crate) fn key_named(message: &str) -> Option<String> {
    if EXEMPT.iter().any(|e| message.starts_with(e)) {
        return None;
    }
    let message = message.split("該行：").next().unwrap_or(message);
    let mut text = String::new();
    let mut depth = 0;
    for c in message.chars() {
        match c {
            '「' => depth += 1,
            '」' => depth = (depth - 1).max(0),
            c if depth == 0 => text.push(c),
            _ => {}
        }
    }
    let is_key = |c: char| c.is_ascii_lowercase() || c == '_';
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            let inner: String = chars[i + 1..].iter().take_while(|&&c| is_key(c) || c == '.' || c == '[').collect();
            let close = chars.get(i + 1 + inner.len()) == Some(&']');
            if close && inner.trim_start_matches('[').chars().next().is_some_and(is_key) {
                return Some(format!("[{inner}]"));
            }
        }
        if is_key(chars[i]) && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_')) {
            let word: String = chars[i..].iter().take_while(|&&c| is_key(c) || c.is_ascii_digit()).collect();
            let after: String = chars[i + word.len()..].iter().collect();
            if after.trim_start_matches(' ').starts_with('=') {
                return Some(format!("{word} ="));
            }
            if word.contains('_') && word.trim_matches('_').len() > 1 {
                return Some(word);
            }
            const TABLES: &[&str] =
                &["minutes", "member", "rules", "tracking", "dates", "notice", "report", "discussion", "corrections"];
            if TABLES.contains(&word.as_str()) && after.starts_with('.') {
                return Some(format!("{word}.…"));
            }
            i += word.len();
            continue;
        }
        i += 1;
    }
    text.contains(".toml").then(|| ".toml".to_string())
}

/// The message of one printed diagnostic `file:line:col: field: 訊息` (or without the
/// position, or without the field): what follows the ASCII parts.
pub(crate) fn message_of(line: &str) -> &str {
    let mut rest = line;
    while let Some((head, tail)) = rest.split_once(": ") {
        if !head.is_ascii() || head.contains(' ') {
            break;
        }
        rest = tail;
    }
    rest.strip_prefix("警告：").unwrap_or(rest)
}

/// `packet check --json` over the baseline after `setup`: every message.
fn check_messages(setup: &dyn Fn(&Path)) -> Vec<String> {
    let (dir, series) = baseline();
    setup(&series);
    let o = packet(dir.path(), &["check", "dgbas/113-1", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("check --json: {e}\n{}\n{}", String::from_utf8_lossy(&o.stdout), stderr(&o)));
    json.as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap().to_string()).collect()
}

type Setup = Box<dyn Fn(&Path)>;

/// Inputs that raise the reworded messages, each with words its message must say.
fn findings() -> Vec<(&'static str, Setup, &'static str)> {
    let group = |from: &'static str, to: &'static str| -> Setup { Box::new(move |s| edit_file(s, GROUP, from, to)) };
    let meeting =
        |from: &'static str, to: &'static str| -> Setup { Box::new(move |s| edit_file(s, MEETING, from, to)) };
    let present =
        "present = [\"chen\", \"lin\", \"chang\", \"tsai\", \"yang\", \"cheng\", \"kuo\", \"hsieh\", \"chou\"]";
    vec![
        (
            "co-convener only",
            group("role = \"召集人\"", "role = \"共同召集人\""),
            "選擇「本小組自訂設置要點」或「不檢核」",
        ),
        ("no convener", group("role = \"召集人\"\n", ""), "將召集人的「職務」選為「召集人」"),
        (
            "own rules without their numbers",
            Box::new(|s: &Path| {
                let g = std::fs::read_to_string(s.join(GROUP)).unwrap();
                write_file(s, GROUP, format!("{g}\n[rules]\nset = \"own\"\n"));
            }),
            "須填寫自訂設置要點名稱及各項人數、比例",
        ),
        (
            "partial roll",
            meeting(present, "present = [\"chen\", \"cheng\"]\nroll = \"partial\""),
            "出席紀錄只記載部分委員",
        ),
        ("chair absent", meeting(present, "present = [\"lin\", \"chang\"]"), "請在會議紀錄的「代理主席」選擇"),
        (
            "vote without counts",
            meeting("[[discussion.attachment]]", "[discussion.vote]\nmethod = \"舉手\"\n\n[[discussion.attachment]]"),
            "請寫贊成及反對的票數",
        ),
        (
            "roll call miscounted",
            meeting(
                "[[discussion.attachment]]",
                "[discussion.vote]\nmethod = \"記名\"\nfor = 3\nagainst = 0\nfor_members = [\"chen\"]\n\n[[discussion.attachment]]",
            ),
            "記名表決之贊成票數 3 與所列投贊成票的委員 1 人不符",
        ),
        ("term without numbering by term", meeting("number = 1\n", "number = 1\nterm = 3\n"), "請刪去屆次"),
        (
            "numbering by term without a term",
            group("unit = \"主計資訊處\"\n", "unit = \"主計資訊處\"\nnumbering = \"term\"\n"),
            "請寫明本次會議是第幾屆",
        ),
        (
            "civil member without a term",
            group(
                "term_start = 2024-04-01\nterm_end = 2026-03-31\n\n[[member]]\nid = \"kuo\"",
                "\n[[member]]\nid = \"kuo\"",
            ),
            "未填聘期起迄日",
        ),
        ("replaces a stranger", group("id = \"kuo\"\n", "id = \"kuo\"\nreplaces = \"nobody\"\n"), "不在委員名冊中"),
        (
            "late draft minutes against the group's days",
            Box::new(|s: &Path| {
                let g = std::fs::read_to_string(s.join(GROUP)).unwrap();
                write_file(s, GROUP, format!("{g}\n[rules]\ndraft_minutes_days = 8\n"));
                let m = std::fs::read_to_string(s.join(MEETING)).unwrap();
                write_file(s, MEETING, format!("{m}\n[dates]\ndraft_minutes_sent = 2024-05-10\n"));
            }),
            "小組設定為 8 個工作日",
        ),
        (
            "decisions without their progress",
            Box::new(|s: &Path| write_file(s, MEETING, tracking_meeting(""))),
            "尚未填寫辦理情形",
        ),
    ]
}

#[test]
fn the_checks_messages_name_no_key_of_the_file() {
    let mut failures = Vec::new();
    for (name, setup, says) in findings() {
        let messages = check_messages(&setup);
        if !messages.iter().any(|m| m.contains(says)) {
            failures.push(format!("{name}: no message says «{says}»: {messages:#?}"));
        }
        for m in &messages {
            if let Some(key) = key_named(m) {
                failures.push(format!("{name}: «{m}» names {key}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_key_pattern_sees_keys_and_not_the_users_words() {
    for keyed in [
        "請在 group.toml [rules] 設定 set = \"own\"",
        "出席紀錄不完整（roll = \"partial\"）",
        "未填聘期（term_start、term_end）",
        "主席未列於親自出席委員（minutes.attendance.present）",
        "尚未填寫會議紀錄（[minutes]：出席）",
        "不在 group.toml 的委員名單中",
        "請在 place = 寫地點。該行：place = \"x",
    ] {
        assert!(key_named(keyed).is_some(), "{keyed}");
    }
    for plain in [
        "委員代號「term_start」不在委員名冊中",
        "附件「attachments/a.toml」過大",
        "記名表決之贊成票數 3 與所列投贊成票的委員 1 人不符",
        "範圍「A1:F30」不是 A1 表示法的範圍",
        "會議資料檔第 5 行：引號未結束。該行：place = \"行政院",
    ] {
        assert_eq!(key_named(plain), None, "{plain}");
    }
    let line = "dgbas/113-1/meeting.toml:7:1: rules.set: 警告：依本小組自訂設置要點檢核時";
    assert_eq!(message_of(line), "依本小組自訂設置要點檢核時");
}
