//! Meeting series and 列管 tracking: generated tables, `packet new`, `packet tracking`.

use crate::common::*;
use std::path::Path;

fn agenda_text(series: &Path, meeting: &str) -> Result<String, String> {
    let o = packet(series, &["build", meeting, "-q", "-o", "out"]);
    if !o.status.success() {
        return Err(stderr(&o));
    }
    Ok(pdf_text_raw(&series.join("out/agenda.pdf")))
}

/// The generated 113-1 table has exactly the seed's rows: 案由 and 決定（議） from
/// 112-2's minutes, 辦理情形 from 113-1.
#[test]
fn table_of_113_1_is_generated_from_112_2_minutes() {
    let series = example_series();
    let text = squash(&agenda_text(series.path(), "dgbas/113-1").unwrap());
    let seed = squash(&std::fs::read_to_string(root().join("tests/fixtures/seed-001.txt")).unwrap());
    let rows = [
        "壹、報告事項：一、上次會議決定（議）事項辦理情形，報請鑒察。洽悉。",
        "二、運用大數據編算年薪中位數及分布統計，報請鑒察。洽悉。",
        "貳、討論事項：一、本總處112年1至9月資料開放推動情形，提請討論。照案通過。",
        "二、政府資料開放平臺「高應用價值主題專區」新增「統計資料」主題之辦理規劃，提請討論。",
        "1.照案通過。2.本案規劃內容請於公共政策網路參與平臺「眾開講」之政策討論辦理公眾諮詢，並提報行政院政府資料開放諮詢小組會議。",
        "行政院政府資料開放諮詢小組112年第2次會議於112年12月19日召開",
    ];
    for row in rows {
        assert!(text.contains(row), "generated table lacks 「{row}」");
    }
    // The same wording stands in the seed's table (modulo the seed's cell breaks and `- ` bullets).
    for cell in [
        "運用大數據編算年薪中位數及分布統計，報請鑒察。",
        "本總處112年1至9月資料開放推動情形，提請討論。",
        "欠缺明確關注議題，建議重新選定主題。",
    ] {
        assert!(seed.contains(cell) && text.contains(cell), "{cell}");
    }
    // Exactly four rows: no decision of 113-1 itself, no older meeting.
    assert_eq!(text.matches("繼續列管").count(), 0, "{text}");
}

#[test]
fn without_the_previous_meeting_the_build_names_the_missing_source() {
    let series = example_series();
    std::fs::remove_dir_all(series.path().join("dgbas/112-2")).unwrap();
    let err = agenda_text(series.path(), "dgbas/113-1").unwrap_err();
    assert!(err.contains("report[1].track: 系列目錄中沒有 113 年第 1 次會議之前的會議"), "{err}");
    assert!(!series.path().join("out/agenda.pdf").exists(), "no stale table may be printed");
}

#[test]
fn previous_meeting_without_decisions_is_reported() {
    let series = example_series();
    let m = series.path().join("dgbas/112-2/meeting.toml");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, text.replacen("decision = \"照案通過。\"\n", "", 1)).unwrap();
    let err = agenda_text(series.path(), "dgbas/113-1").unwrap_err();
    assert!(
        err.contains("112-2/meeting.toml:") && err.contains("discussion[0].decision: 112 年第 2 次會議 尚無決定（議）"),
        "{err}"
    );
}

#[test]
fn kept_row_reappears_in_113_2_with_its_history() {
    let series = example_series();
    let text = squash(&agenda_text(series.path(), "dgbas/113-2").unwrap());
    assert!(text.contains("112年第2次會議討論事項（繼續列管）："), "{text}");
    // 113-1's report on it, then 113-2's.
    let first = text.find("（113年第1次會議）行政院政府資料開放諮詢小組112年第2次會議").expect("history");
    let second = text.find("本總處已重新選定「物價與所得」為主題").expect("current");
    assert!(first < second);
    // Every 113-1 decision is listed, the 臨時動議 included.
    for t in ["本總處開放資料集下架一案，提請討論。", "建議本總處開放資料集增列英文詮釋資料"]
    {
        assert!(text.contains(t), "{t}");
    }
    // Closed 112-2 rows are gone.
    assert!(!text.contains("運用大數據編算年薪中位數"), "closed row printed again");
}

#[test]
fn unknown_progress_id_names_the_nearest_ids() {
    let series = example_series();
    edit_file(series.path(), "dgbas/113-2/meeting.toml", "id = \"113-1-D2\"", "id = \"113-1-D3\"");
    let err = agenda_text(series.path(), "dgbas/113-2").unwrap_err();
    assert!(err.contains("progress[4].id: 決定編號「113-1-D3」不在本次會議的列管清單中（最接近的列管決定："), "{err}");
    let hint = err.split("最接近的列管決定：").nth(1).unwrap();
    assert!(hint.contains("113-1-D2") && hint.contains("113-1-D1"), "{err}");
}

#[test]
fn tracking_lists_every_decision_with_history_and_status() {
    let o = packet(&root(), &["tracking", "packets/dgbas", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = v.as_array().unwrap();
    let find = |id: &str| all.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{id} missing"));
    let kept = find("112-2-D2");
    assert_eq!(kept["history"].as_array().unwrap().len(), 2, "{kept}");
    assert_eq!(kept["history"][0]["outcome"], "繼續列管");
    assert_eq!(kept["status"], "解除列管");
    assert_eq!(find("113-1-M1")["status"], "列管中");
    assert_eq!(find("113-1-D2")["clause_ids"], serde_json::json!(["113-1-D2-1", "113-1-D2-2"]));
    // 113-2's own decisions are open until a later meeting reports on them.
    assert_eq!(find("113-2-D1")["status"], "列管中");

    let o = packet(&root(), &["tracking", "packets/dgbas", "--csv"]);
    let csv = String::from_utf8(o.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), "\u{feff}決定編號,會議,類別,案由,決定（議）,辦理情形,列管狀態");
    assert!(
        csv.contains("112-2-R2,112 年第 2 次會議,報告事項,運用大數據編算年薪中位數及分布統計，報請鑒察。,洽悉。"),
        "{csv}"
    );
}

#[test]
fn new_meeting_numbers_restart_with_the_roc_year() {
    let series = example_series();
    let dir = series.path();
    let o = packet(dir, &["new", "dgbas", "--date", "114-01-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("dgbas/114-1/meeting.toml")).unwrap();
    assert!(text.contains("number = 1\ndate = 2025-01-20"), "{text}");
    // Pre-filled with every decision still open after 113-2: its own and the kept 113-1-M1.
    for id in ["113-1-M1", "113-2-R1", "113-2-D1"] {
        assert!(text.contains(&format!("id = \"{id}\"")), "{id} missing:\n{text}");
    }
    assert!(!text.contains("id = \"112-2-D2\""), "closed decision listed");
    // The new meeting builds as written (empty 辦理情形 are deliberate blanks).
    let o = packet(dir, &["build", "dgbas/114-1", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Same ROC year continues the count.
    let o = packet(dir, &["new", "dgbas", "--date", "2025-06-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("dgbas/114-2/meeting.toml").is_file());
}

#[test]
fn new_meeting_refuses_to_overwrite_or_go_back_in_time() {
    let series = example_series();
    let dir = series.path();
    let o = packet(dir, &["new", "dgbas", "--date", "2024-06-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("新會議須排在系列最後"), "{}", stderr(&o));
    // A folder already named 113-3 (holding another meeting) is never overwritten.
    copy_tree(&dir.join("dgbas/112-2"), &dir.join("dgbas/113-3"));
    let m = dir.join("dgbas/113-3/meeting.toml");
    let before =
        std::fs::read_to_string(&m).unwrap().replace("number = 2\ndate = 2023-11-28", "number = 3\ndate = 2023-12-20");
    std::fs::write(&m, &before).unwrap();
    let o = packet(dir, &["new", "dgbas", "--date", "2024-12-02"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("113-3/meeting.toml: 已存在，不覆寫"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&m).unwrap(), before);
}

#[test]
fn duplicate_sequence_in_a_series_is_an_error() {
    let series = example_series();
    let dir = series.path();
    copy_tree(&dir.join("dgbas/113-2"), &dir.join("dgbas/113-2b"));
    let m = dir.join("dgbas/113-2b/meeting.toml");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, text.replace("date = 2024-10-15", "date = 2024-11-05")).unwrap();
    let o = packet(dir, &["tracking", "dgbas"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("113-2b/meeting.toml:") && stderr(&o).contains("number: 會議次數重複"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn advice_column_when_the_series_uses_it() {
    let series = example_series();
    let g = series.path().join("dgbas/group.toml");
    let text = std::fs::read_to_string(&g).unwrap();
    std::fs::write(&g, text.replace("draft_minutes_days = 8", "draft_minutes_days = 8\ntracking_advice = true"))
        .unwrap();
    let text = squash(&agenda_text(series.path(), "dgbas/113-2").unwrap());
    assert!(text.contains("列管建議"), "{text}");
    assert!(text.contains("建議繼續列管") && text.contains("建議解除列管"), "{text}");
}

#[test]
fn later_unfinished_meetings_do_not_block_an_earlier_agenda() {
    let series = example_series();
    // 113-1's minutes lose a decision that 113-2 reports on: 113-1's own agenda still builds.
    let m = series.path().join("dgbas/113-1/meeting.toml");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, text.replacen("\"\"\"\ndecision = \"照案通過。\"\n", "\"\"\"\n", 1)).unwrap();
    agenda_text(series.path(), "dgbas/113-1").unwrap();
    // …but 113-2's table needs it, and says where it is missing.
    let err = agenda_text(series.path(), "dgbas/113-2").unwrap_err();
    assert!(err.contains("113-1/meeting.toml:") && err.contains("discussion[0].decision"), "{err}");
}

#[test]
fn open_decision_without_progress_is_a_check_finding() {
    let series = example_series();
    let m = series.path().join("dgbas/113-2/meeting.toml");
    let text = std::fs::read_to_string(&m).unwrap();
    let cut = text.replace("[[report.progress]]\nid = \"113-1-R1\"\nstatus = \"\"\n", "");
    assert_ne!(cut, text);
    std::fs::write(&m, cut).unwrap();
    let o = packet(series.path(), &["check", "dgbas/113-2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("report[0].progress: 列管決定 113-1-R1 尚未填寫辦理情形"), "{out}");
    // The agenda still builds (the finding is printed).
    let b = packet(series.path(), &["build", "dgbas/113-2", "-q"]);
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(stderr(&b).contains("113-1-R1"), "{}", stderr(&b));
}
