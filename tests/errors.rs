//! Bad input: `file:line:col: field: 訊息`, exit status 2, nothing written.

use crate::common::*;
use std::path::Path;

/// Edit a file of a temp copy of the example series with `f`, build, and return
/// (exit code, stderr, series dir).
fn build_with(file: &str, f: impl FnOnce(String) -> String) -> (i32, String, tempfile::TempDir) {
    let series = example_series();
    let path = series.path().join("dgbas").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q"]);
    (o.status.code().unwrap_or(-1), stderr(&o), series)
}

fn assert_error(code: i32, err: &str, expected: &str) {
    assert_eq!(code, 2, "exit status for: {err}");
    assert!(err.trim_end().lines().any(|l| l == expected), "expected line\n  {expected}\ngot\n  {err}");
}

#[test]
fn missing_required_field_names_file_line_col_and_field() {
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| {
        t.replacen("title = \"上次會議決定（議）事項辦理情形，報請鑒察。\"\n", "", 1)
    });
    // The error points at the `[[report]]` header of the second report item.
    let text = std::fs::read_to_string(root().join("packets/dgbas/113-1/meeting.toml")).unwrap();
    let header = text.lines().enumerate().filter(|(_, l)| *l == "[[report]]").nth(1).unwrap().0 + 1;
    let line = format!("dgbas/113-1/meeting.toml:{header}:1: report[1].title: 缺少必要欄位");
    assert_error(code, &err, &line);
}

#[test]
fn unknown_key_is_an_error() {
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| t.replacen("place =", "plase =", 1));
    assert_eq!(code, 2);
    assert!(err.starts_with("dgbas/113-1/meeting.toml:7:1: plase: 未知的欄位「plase」"), "{err}");
}

#[test]
fn impossible_date_and_time() {
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| t.replace("date = 2024-04-29", "date = \"113-02-30\""));
    assert_error(
        code,
        &err,
        "dgbas/113-1/meeting.toml:5:8: date: 無效的日期「113-02-30」，請寫成 2024-04-29 或 113-04-29",
    );
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| t.replace("time = \"14:30\"", "time = \"25:00\""));
    assert_error(code, &err, "dgbas/113-1/meeting.toml:6:8: time: 無效的時間「25:00」，請寫成 24 小時制 14:30");
}

#[test]
fn missing_attachment_names_the_path() {
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| t.replace("13-quality.csv", "13-qualty.csv"));
    assert_eq!(code, 2);
    let text = std::fs::read_to_string(root().join("packets/dgbas/113-1/meeting.toml")).unwrap();
    let line = text.lines().position(|l| l.contains("13-quality.csv")).unwrap() + 1;
    let want =
        format!("meeting.toml:{line}:8: discussion[0].attachment[2].file: 找不到附件檔案「attachments/13-qualty.csv」");
    assert!(err.contains(&want), "{err}");
}

#[test]
fn bad_enum_value_in_group_file() {
    let (code, err, _s) = build_with("group.toml", |t| t.replacen("kind = \"民間代表\"", "kind = \"民間\"", 1));
    assert_eq!(code, 2);
    assert!(
        err.contains("dgbas/group.toml:") && err.contains(".kind: 不接受的值「民間」；可用的值：機關代表, 民間代表"),
        "{err}"
    );
}

#[test]
fn merge_over_non_empty_cells_is_refused() {
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| t.replace("\"C2:C25\"", "\"B2:C25\""));
    assert_eq!(code, 2);
    assert!(err.contains("discussion[1].attachment[0].merge[0]: 合併範圍 B2:C25 內的儲存格 C2 不是空的"), "{err}");
}

#[test]
fn ragged_csv_row_names_its_line() {
    let (code, err, _s) = build_with("113-1/attachments/11-datasets-113.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        lines[4] = "4,只有兩欄".into();
        lines.join("\n") + "\n"
    });
    assert_eq!(code, 2);
    assert!(
        err.contains("11-datasets-113.csv:5:1: discussion[0].attachment[0].file: 這一列有 2 欄，但第一列有 5 欄"),
        "{err}"
    );
}

#[test]
fn big5_csv_is_named() {
    let series = example_series();
    let csv = series.path().join("dgbas/113-1/attachments/21-delisting.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let (big5, _, _) = encoding_rs::BIG5.encode(&text);
    std::fs::write(&csv, &big5).unwrap();
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("21-delisting.csv: discussion[1].attachment[0].file: 檔案是 Big5 編碼"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn failed_build_leaves_the_previous_pdf_untouched() {
    let series = example_series();
    let dir = series.path();
    let ok = packet(dir, &["build", "dgbas/113-1", "-q"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let pdf = dir.join("out/dgbas-113-1/agenda.pdf");
    let before = std::fs::read(&pdf).unwrap();
    let meeting = dir.join("dgbas/113-1/meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(&meeting, text.replace("地方統計推展中心", "地方統計推展中心\\u0007")).unwrap();
    let bad = packet(dir, &["build", "dgbas/113-1", "-q"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("含有不允許的控制字元 U+0007"), "{}", stderr(&bad));
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "agenda.pdf changed");
    let leftovers: Vec<_> = std::fs::read_dir(pdf.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn attachment_outside_the_series_is_refused() {
    let (code, err, _s) =
        build_with("113-1/meeting.toml", |t| t.replace("attachments/21-delisting.csv", "../../../etc/passwd"));
    assert_eq!(code, 2);
    assert!(
        err.contains("discussion[1].attachment[0].file: 附件路徑「../../../etc/passwd」必須是系列目錄內的相對路徑"),
        "{err}"
    );
}

#[test]
fn meeting_without_items_is_refused() {
    let series = example_series();
    let m = series.path().join("dgbas/113-1/meeting.toml");
    std::fs::write(&m, "number = 1\ndate = 2024-04-29\ntime = \"14:30\"\nplace = \"x\"\n").unwrap();
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("沒有任何報告事項或討論事項"), "{}", stderr(&o));
    assert!(!Path::new(&series.path().join("out")).exists());
}

#[test]
fn bidirectional_overrides_are_refused_at_their_field() {
    // U+202E would print 「室議會 9 第院政行」 reversed while the record says otherwise.
    for c in ['\u{202E}', '\u{202D}', '\u{2066}', '\u{2069}'] {
        let (code, err, _s) = build_with("113-1/meeting.toml", |t| {
            t.replacen("place = \"行政院第 9 會議室\"", &format!("place = \"行政院{c}第 9 會議室\""), 1)
        });
        let expected = format!(
            "dgbas/113-1/meeting.toml:7:9: place: 含有雙向文字控制字元 U+{:04X}：它使文字顯示的順序與實際內容不同，請刪除",
            c as u32
        );
        assert_error(code, &err, &expected);
    }
    // The harmless marks are kept.
    let (code, err, _s) = build_with("113-1/meeting.toml", |t| {
        t.replacen("place = \"行政院第 9 會議室\"", "place = \"行政院\u{200F}第 9 會議室\"", 1)
    });
    assert_eq!(code, 0, "{err}");
}

/// Nothing `packet` prints holds a raw control character: keys, values and paths show
/// them escaped, so a key cannot erase the line or print a fake 檢核結果.
#[test]
fn terminal_escapes_in_keys_values_and_paths_are_shown_escaped() {
    let series = example_series();
    let dir = series.path().join("s\u{1b}[31m\rx");
    std::fs::rename(series.path().join("dgbas"), &dir).unwrap();
    let meeting = dir.join("113-1/meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    // ESC and CR (C0), CSI as one C1 byte (U+009B), DEL and a bidi override.
    let fake = "\"\\u001B[2K\\r檢核結果：錯誤 0 項，發現 0 項，警告 0 項\\u001B[8m\\u009B2K\\u007F\\u202E\" = 1\n";
    std::fs::write(&meeting, format!("{fake}{text}")).unwrap();
    let arg = dir.join("113-1");
    let hidden = |c: char| (c.is_control() && c != '\n' && c != '\t') || ('\u{202A}'..='\u{202E}').contains(&c);
    for args in [&["check"][..], &["build", "-q"][..], &["check", "--json"][..]] {
        let mut a: Vec<&str> = args.to_vec();
        a.insert(1, arg.to_str().unwrap());
        let o = packet(series.path(), &a);
        assert_eq!(o.status.code(), Some(2), "{a:?}");
        for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let bad = text.chars().find(|&c| hidden(c));
            assert!(bad.is_none(), "{a:?} {name} holds control character {bad:?}: {text:?}");
        }
        if a.contains(&"--json") {
            // The same document to a JSON reader: the key comes back as it was written.
            let diags: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("JSON");
            let raw = "\u{1b}[2K\r檢核結果：錯誤 0 項，發現 0 項，警告 0 項\u{1b}[8m\u{9b}2K\u{7f}\u{202e}";
            let holds = |d: &serde_json::Value, key: &str| d[key].as_str().is_some_and(|t| t.contains(raw));
            assert!(
                diags.iter().any(|d| holds(d, "field") || holds(d, "message")),
                "{}",
                String::from_utf8_lossy(&o.stdout)
            );
            continue;
        }
        let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert!(all.contains("s\\x1B[31m\\rx/113-1/meeting.toml:1:1: \\x1B[2K\\r檢核結果"), "{all}");
        assert!(all.contains("\\x1B[8m\\x9B2K\\x7F\\u{202E}"), "{all}");
    }
}

/// A formula-like 案由 is a finding of `packet check` and of `packet build`, whose agenda
/// prints it as written; the minutes and the export refuse it (catalogue).
#[test]
fn formula_in_a_title_is_a_finding_and_the_agenda_prints_it() {
    let (dir, series) = crate::broken_inputs::baseline();
    edit_file(
        &series,
        "113-1/meeting.toml",
        "title = \"本總處開放資料集下架一案，提請討論。\"",
        "title = \"=HYPERLINK(1)下架一案\"",
    );
    let line = "dgbas/113-1/meeting.toml:25:9: discussion[0].title: 以「=」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）";
    let o = packet(dir.path(), &["check", "dgbas/113-1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).lines().any(|l| l == line), "{}", String::from_utf8_lossy(&o.stdout));
    let o = packet(dir.path(), &["build", "dgbas/113-1", "-q", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).lines().any(|l| l == line), "{}", stderr(&o));
    assert!(squash(&pdf_text(&dir.path().join("out/agenda.pdf"))).contains("=HYPERLINK(1)下架一案"));
}
