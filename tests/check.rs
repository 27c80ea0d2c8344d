//! `packet deadlines` and `packet check` (and the checks `packet build` runs), through the
//! real binary. The groups and meetings are small files written per test so each sits
//! exactly on one side of a rule's boundary.

use std::path::Path;

use crate::common::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Helpers

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `packet deadlines ARGS… --json` from the project root: (exit code, parsed JSON or Null).
fn deadlines_json(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["deadlines"];
    all.extend_from_slice(args);
    all.push("--json");
    let o = packet(&root(), &all);
    let v = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
    (code(&o), v, stderr(&o))
}

/// A roster: `gov` government members (the first is the convener) and `civil` civil
/// members; ids `g0…`, `c0…`, names 王g0…; genders alternate (男, 女, 男 …) over the whole
/// list; civil terms 2024-01-01 – 2025-12-31 (two years).
fn roster(gov: usize, civil: usize) -> Vec<Member> {
    let term = ("2024-01-01", "2025-12-31");
    (0..gov + civil)
        .map(|i| {
            let gender = if i % 2 == 1 { "女" } else { "男" };
            if i < gov {
                let id = format!("g{i}");
                let m = Member::gov(&id, &format!("王{id}"), "職稱", "機關", gender);
                if i == 0 { m.convener() } else { m }
            } else {
                let id = format!("c{}", i - gov);
                Member::civil(&id, &format!("王{id}"), "職稱", "機關", gender, term)
            }
        })
        .collect()
}

fn group_toml(members: &[Member], rules: &str) -> String {
    let mut head = String::from("agency = \"測試部\"\nname = \"政府資料開放諮詢小組\"\nunit = \"資訊處\"\n");
    if !rules.is_empty() {
        head.push_str(&format!("\n[rules]\n{rules}\n"));
    }
    group_file(&head, members)
}

/// meeting.toml held on `date` with one report item; `extra` is appended right after the
/// item, so bare keys (e.g. `decision = …`) belong to it and tables follow it.
fn meeting_toml(date: &str, extra: &str) -> String {
    format!(
        "number = 1\ndate = {date}\ntime = \"14:30\"\nplace = \"第 1 會議室\"\nchair = \"g0\"\n\n\
         [[report]]\nunit = \"資訊處\"\ntitle = \"資料開放推動情形，報請鑒察。\"\n{extra}\n"
    )
}

/// `[minutes.attendance]` with these present ids and (id, delegate) pairs.
fn attendance(present: &[&str], delegates: &[(&str, &str)]) -> String {
    let ids: Vec<String> = present.iter().map(|i| format!("\"{i}\"")).collect();
    let mut s = format!("\n[minutes]\n\n[minutes.attendance]\npresent = [{}]\n", ids.join(", "));
    if !delegates.is_empty() {
        s.push_str("\n[minutes.attendance.delegate]\n");
        for (id, name) in delegates {
            s.push_str(&format!("{id} = \"{name}\"\n"));
        }
    }
    s
}

/// meeting.toml held on 2024-04-29 with this attendance (see [`attendance`]).
fn attended(present: &[&str], delegates: &[(&str, &str)]) -> String {
    meeting_toml("2024-04-29", &attendance(present, delegates))
}

/// A series `s/` with group.toml and meeting `s/m/meeting.toml` in a temp dir.
fn series(group: &str, meeting: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("s/m")).unwrap();
    std::fs::write(dir.path().join("s/group.toml"), group).unwrap();
    std::fs::write(dir.path().join("s/m/meeting.toml"), meeting).unwrap();
    dir
}

struct Checked {
    code: i32,
    diags: Vec<Value>,
}

impl Checked {
    fn with(&self, severity: &str) -> Vec<&Value> {
        self.diags.iter().filter(|d| d["severity"] == severity).collect()
    }
    /// Messages of diagnostics of `severity` whose message contains `needle`.
    fn find(&self, severity: &str, needle: &str) -> Vec<&Value> {
        self.with(severity).into_iter().filter(|d| d["message"].as_str().unwrap().contains(needle)).collect()
    }
    fn dump(&self) -> String {
        serde_json::to_string_pretty(&self.diags).unwrap()
    }
}

fn check_dir(dir: &Path, extra: &[&str]) -> Checked {
    let mut args = vec!["check", "s/m", "--json"];
    args.extend_from_slice(extra);
    let o = packet(dir, &args);
    let diags: Vec<Value> =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("check --json prints JSON ({e}): {}", stdout(&o)));
    Checked { code: code(&o), diags }
}

fn check(group: &str, meeting: &str) -> Checked {
    let dir = series(group, meeting);
    check_dir(dir.path(), &[])
}

/// `check` of these members' group and a meeting on 2024-04-29 with nothing recorded.
fn check_roster(members: &[Member]) -> Checked {
    check(&group_toml(members, ""), &meeting_toml("2024-04-29", ""))
}

/// 1-based line of the first line of `text` that equals `line`.
fn line_of(text: &str, line: &str) -> u64 {
    text.lines().position(|l| l == line).unwrap() as u64 + 1
}

/// 12 members: the convener, 7 government, 4 civil (exactly a third); 6 men, 6 women.
fn twelve() -> String {
    group_toml(&roster(8, 4), "")
}

// ---------------------------------------------------------------------------------------
// packet deadlines

#[test]
fn deadlines_json_is_exact() {
    let o = packet(&root(), &["deadlines", "2024-04-29", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"meeting_date\":\"2024-04-29\",\"materials_due\":\"2024-04-22\",\
         \"draft_minutes_due\":\"2024-05-13\",\"publication_due\":\"2024-05-17\",\
         \"provisional\":{\"meeting_date\":false,\"materials_due\":false,\"draft_minutes_due\":false,\
         \"publication_due\":false},\"provisional_years\":[]}\n"
    );
}

#[test]
fn deadlines_draft_days_8() {
    let (c, v, err) = deadlines_json(&["2024-04-29", "--draft-days", "8"]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["draft_minutes_due"], "2024-05-09");
    assert_eq!(v["materials_due"], "2024-04-22");
    assert_eq!(v["publication_due"], "2024-05-17");
}

#[test]
fn deadlines_accept_roc_forms() {
    let (_, iso, _) = deadlines_json(&["2024-04-29"]);
    for form in ["113-04-29", "113/4/29", "113年4月29日", "民國113年4月29日", "113.4.29", "1130429", "2024/4/29"]
    {
        let (c, v, err) = deadlines_json(&[form]);
        assert_eq!(c, 0, "{form}: {err}");
        assert_eq!(v, iso, "{form}");
    }
}

#[test]
fn deadlines_human_output_has_roc_and_gregorian_with_weekdays() {
    let o = packet(&root(), &["deadlines", "113/4/29", "--draft-days", "8"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    for needle in [
        "113 年 4 月 29 日（星期一）",
        "2024-04-29（一）",
        "113 年 4 月 22 日（星期一）",
        "2024-04-22（一）",
        "會後第 8 個工作日",
        "113 年 5 月 9 日（星期四）",
        "2024-05-09（四）",
        "113 年 5 月 17 日（星期五）",
    ] {
        assert!(out.contains(needle), "{needle} missing from\n{out}");
    }
    assert!(!out.contains("放假日"), "{out}");
}

#[test]
fn deadlines_note_a_meeting_on_a_day_off() {
    let o = packet(&root(), &["deadlines", "2024-04-27"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("注意：會議日期 113 年 4 月 27 日（星期六）為放假日"), "{}", stdout(&o));
}

#[test]
fn deadlines_in_a_year_neither_published_nor_computable_are_an_error_saying_how_to_supply_it() {
    // 2016 and 2017-01-03's fifth working day before: before the embedded years, under
    // older rules (never computed); 2101: past the computable years.
    for (date, year) in [("2016-06-01", 2016), ("2017-01-03", 2016), ("2101-03-01", 2101)] {
        let o = packet(&root(), &["deadlines", date]);
        assert_eq!(code(&o), 2, "{date}");
        assert!(stdout(&o).is_empty());
        let err = stderr(&o);
        assert!(err.contains(&format!("日曆表缺少 {year} 年")), "{err}");
        assert!(err.contains("packet calendar add FILE"), "{err}");
        assert!(err.contains("--calendar FILE"), "{err}");
        assert!(err.contains("14718"), "{err}");
    }
}

/// A synthetic 2027 calendar (weekends and 2027-01-01 off), UTF-8 without BOM.
fn calendar_2027(dir: &Path) -> std::path::PathBuf {
    use chrono::{Datelike, NaiveDate};
    let mut csv = String::from("西元日期,星期,是否放假,備註\n");
    let mut d = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    while d.year() == 2027 {
        let off = d.weekday().number_from_monday() >= 6 || d.ordinal() == 1;
        csv.push_str(&format!(
            "{},{},{},\n",
            d.format("%Y%m%d"),
            packet::text::zh::weekday(d),
            if off { 2 } else { 0 }
        ));
        d = d.succ_opt().unwrap();
    }
    let path = dir.join("2027.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn deadlines_with_a_supplied_2027_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let file = calendar_2027(dir.path());
    let (c, v, err) = deadlines_json(&["2026-12-24", "--calendar", file.to_str().unwrap()]);
    assert_eq!(c, 0, "{err}");
    // 1228 1229 1230 1231, 2027-01-01 off, 0104 … 0108, 0111 = the 10th.
    assert_eq!(v["draft_minutes_due"], "2027-01-11");
    let o = packet(&root(), &["deadlines", "2026-12-24", "--calendar", file.to_str().unwrap()]);
    assert!(stdout(&o).contains(&format!("2027 年日曆取自 {}（UTF-8）", file.display())), "{}", stdout(&o));
}

#[test]
fn deadlines_with_a_big5_calendar_file() {
    // Meeting 2025-10-01: the revised calendar has 2025-09-29 off (→ 09-23), the first
    // edition has it as a working day (→ 09-24).
    let big5 = "calendar/2025-big5-revision-1141020.csv";
    let first = "calendar/2025-first-edition.csv";
    let (_, v, _) = deadlines_json(&["2025-10-01", "--calendar", first]);
    assert_eq!(v["materials_due"], "2025-09-24");
    let (c, v, err) = deadlines_json(&["2025-10-01", "--calendar", big5]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["materials_due"], "2025-09-23");
    // Repeated: the later file replaces the earlier one's year.
    let (_, v, _) = deadlines_json(&["2025-10-01", "--calendar", first, "--calendar", big5]);
    assert_eq!(v["materials_due"], "2025-09-23");
    let (_, v, _) = deadlines_json(&["2025-10-01", "--calendar", big5, "--calendar", first]);
    assert_eq!(v["materials_due"], "2025-09-24");
    let o = packet(&root(), &["deadlines", "2025-10-01", "--calendar", big5]);
    assert!(stdout(&o).contains(&format!("2025 年日曆取自 {big5}（Big5）")), "{}", stdout(&o));
}

#[test]
fn deadlines_refuse_utf16_and_unreadable_calendar_files() {
    let dir = tempfile::tempdir().unwrap();
    let utf16 = dir.path().join("utf16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "西元日期,星期,是否放假,備註\r\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let o = packet(&root(), &["deadlines", "2024-04-29", "--calendar", utf16.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("UTF-16"), "{}", stderr(&o));
    assert!(stderr(&o).contains("另存為 UTF-8 或 Big5"), "{}", stderr(&o));

    let o = packet(&root(), &["deadlines", "2024-04-29", "--calendar", "no/such.csv"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("無法讀取日曆表檔案"), "{}", stderr(&o));
}

#[test]
fn deadlines_reject_bad_dates_and_zero_days() {
    for bad in ["113-02-30", "2024-13-01", "明天", "0-04-29"] {
        let o = packet(&root(), &["deadlines", bad]);
        assert_eq!(code(&o), 2, "{bad}");
        assert!(stderr(&o).contains(&format!("無法辨識的日期「{bad}」")), "{bad}: {}", stderr(&o));
    }
    let o = packet(&root(), &["deadlines", "2024-04-29", "--draft-days", "0"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("工作日數必須至少為 1"), "{}", stderr(&o));
}

#[test]
fn help_states_the_deadline_definitions() {
    let o = packet(&root(), &["deadlines", "--help"]);
    let out = stdout(&o);
    for needle in [
        "materials_due",
        "會議日前第 5 個工作日",
        "2024-04-22",
        "draft_minutes_due",
        "會議日後第 N 個工作日",
        "publication_due",
        "第 14 個工作日",
        "--calendar",
    ] {
        assert!(out.contains(needle), "{needle} missing from\n{out}");
    }
    let o = packet(&root(), &["check", "--help"]);
    assert!(stdout(&o).contains("設置要點第四點第三款"), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------
// packet check: the example and exit codes

#[test]
fn example_group_passes_composition_without_errors() {
    let o = packet(&root(), &["check", "packets/dgbas/113-1", "--json"]);
    let diags: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let group: Vec<&Value> =
        diags.iter().filter(|d| d["location"]["file"].as_str().is_some_and(|f| f.ends_with("group.toml"))).collect();
    assert!(group.is_empty(), "{group:#?}");
    assert!(diags.iter().all(|d| d["severity"] != "error"), "{diags:#?}");
}

#[test]
fn clean_meeting_exits_0_with_an_empty_list() {
    let c = check(&twelve(), &attended(&["g0", "g1", "g2", "g3", "c0", "c1", "c2"], &[]));
    assert_eq!(c.code, 0, "{}", c.dump());
    assert!(c.diags.is_empty(), "{}", c.dump());
}

#[test]
fn human_output_is_file_line_col_field_message_rule() {
    let meeting = meeting_toml("2024-04-27", "");
    let dir = series(&twelve(), &meeting);
    let o = packet(dir.path(), &["check", "s/m"]);
    assert_eq!(code(&o), 1);
    let line = line_of(&meeting, "date = 2024-04-27");
    assert_eq!(
        stdout(&o).trim_end(),
        format!(
            "s/m/meeting.toml:{line}:8: date: 會議日期 113 年 4 月 27 日（星期六，2024-04-27）為放假日；工作日依行政院人事行政總處「政府行政機關辦公日曆表」"
        )
    );
    assert!(stderr(&o).contains("發現 1 項"), "{}", stderr(&o));
}

#[test]
fn unreadable_input_exits_2() {
    let c = check(&twelve(), "number = \n");
    assert_eq!(c.code, 2, "{}", c.dump());
    assert!(c.find("error", "第 1 行：欄位沒有值").len() == 1, "{}", c.dump());

    let dir = tempfile::tempdir().unwrap();
    let o = packet(dir.path(), &["check", "nowhere", "--json"]);
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).contains("找不到 meeting.toml"), "{}", stdout(&o));
}

#[test]
fn missing_attachment_is_an_error_with_its_line() {
    let meeting = meeting_toml("2024-04-29", "\n[[report.attachment]]\nfile = \"attachments/none.csv\"\n");
    let c = check(&twelve(), &meeting);
    assert_eq!(c.code, 2, "{}", c.dump());
    let e = c.find("error", "找不到附件檔案「attachments/none.csv」");
    assert_eq!(e.len(), 1, "{}", c.dump());
    assert_eq!(e[0]["field"], "report[0].attachment[0].file");
    assert_eq!(e[0]["location"]["line"], line_of(&meeting, "file = \"attachments/none.csv\""));
}

// ---------------------------------------------------------------------------------------
// Quorum

#[test]
fn quorum_exactly_half_passes_the_regulation_but_not_the_guideline() {
    // 12 members, 6 present (3 civil in person): 二分之一以上 yes, 過半數 no.
    let c = check(&twelve(), &attended(&["g0", "g1", "g2", "c0", "c1", "c2"], &[]));
    assert_eq!(c.code, 1, "{}", c.dump());
    assert_eq!(c.diags.len(), 1, "{}", c.dump());
    let m = c.diags[0]["message"].as_str().unwrap();
    assert!(m.contains("出席委員 6 人（親自 6 人、代理 0 人），委員總數 12 人"), "{m}");
    assert!(m.contains("達二分之一以上，依設置要點第四點第三款足額"), "{m}");
    assert!(m.contains("未過半數（至少 7 人）"), "{m}");
    assert!(m.contains("運作指引肆、一、(二)"), "{m}");
    assert_eq!(c.diags[0]["severity"], "finding");
    assert_eq!(c.diags[0]["field"], "minutes.attendance.present");
}

#[test]
fn quorum_seven_of_twelve_passes_both() {
    let c = check(&twelve(), &attended(&["g0", "g1", "g2", "g3", "c0", "c1", "c2"], &[]));
    assert_eq!(c.code, 0, "{}", c.dump());
}

#[test]
fn quorum_five_of_twelve_fails_both() {
    let c = check(&twelve(), &attended(&["g0", "g1", "c0", "c1", "c2"], &[]));
    assert_eq!(c.code, 1, "{}", c.dump());
    let f = c.find("finding", "未達二分之一（至少 6 人），不足開會人數");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert!(f[0]["message"].as_str().unwrap().contains("設置要點第四點第三款"));
    // Not reported a second time as a disagreement between the two rules.
    assert!(c.find("finding", "兩規定解讀不同").is_empty(), "{}", c.dump());
}

#[test]
fn quorum_odd_total_half_is_rounded_up() {
    // 13 members (convener, 7 government, 5 civil): 6 present is under half (6·2 < 13),
    // 7 is over half; the two rules agree on odd totals.
    let group = group_toml(&roster(8, 5), "");
    let six = check(&group, &attended(&["g0", "g1", "g2", "c0", "c1", "c2"], &[]));
    assert_eq!(six.find("finding", "未達二分之一（至少 7 人）").len(), 1, "{}", six.dump());
    let seven = check(&group, &attended(&["g0", "g1", "g2", "g3", "c0", "c1", "c2"], &[]));
    assert_eq!(seven.code, 0, "{}", seven.dump());
}

#[test]
fn government_delegates_count_towards_the_quorum() {
    // 4 in person (3 civil) + 3 government delegates = 7 of 12.
    let c = check(&twelve(), &attended(&["g0", "c0", "c1", "c2"], &[("g1", "李○○"), ("g2", "王○○"), ("g3", "張○○")]));
    assert_eq!(c.code, 0, "{}", c.dump());
    // Without one delegate it is exactly half again.
    let c = check(&twelve(), &attended(&["g0", "c0", "c1", "c2"], &[("g1", "李○○"), ("g2", "王○○")]));
    assert_eq!(c.find("finding", "代理 2 人").len(), 1, "{}", c.dump());
}

#[test]
fn two_civil_members_in_person_is_a_finding_three_is_not() {
    let two = check(&twelve(), &attended(&["g0", "g1", "g2", "g3", "g4", "c0", "c1"], &[]));
    assert_eq!(two.code, 1, "{}", two.dump());
    assert_eq!(two.diags.len(), 1, "{}", two.dump());
    let m = two.diags[0]["message"].as_str().unwrap();
    assert!(m.contains("民間代表（親自出席）2 人，少於 3 人"), "{m}");
    assert!(m.contains("設置要點第四點第三款"), "{m}");
    let three = check(&twelve(), &attended(&["g0", "g1", "g2", "g3", "c0", "c1", "c2"], &[]));
    assert_eq!(three.code, 0, "{}", three.dump());
}

#[test]
fn a_delegate_for_a_civil_member_is_an_error_and_does_not_count() {
    let meeting = attended(&["g0", "g1", "g2", "g3", "c0", "c1"], &[("c2", "助理○○")]);
    let c = check(&twelve(), &meeting);
    assert_eq!(c.code, 2, "{}", c.dump());
    let e = c.find("error", "王c2委員為民間代表，應親自出席，不得由「助理○○」代理");
    assert_eq!(e.len(), 1, "{}", c.dump());
    assert!(e[0]["message"].as_str().unwrap().contains("設置要點第七點"));
    assert_eq!(e[0]["field"], "minutes.attendance.delegate.c2");
    assert_eq!(e[0]["location"]["line"], line_of(&meeting, "c2 = \"助理○○\""));
    // The civil delegate is not counted: 2 civil in person, 6 present.
    assert_eq!(c.find("finding", "（親自出席）2 人").len(), 1, "{}", c.dump());
    assert_eq!(c.find("finding", "出席委員 6 人").len(), 1, "{}", c.dump());
}

#[test]
fn unknown_and_repeated_ids_are_errors_with_their_line() {
    let meeting = meeting_toml(
        "2024-04-29",
        &format!("{}leave = [\"g1\"]\n", attendance(&["g0", "g1", "g2", "g3", "c0", "c1", "c2", "zz"], &[])),
    );
    let c = check(&twelve(), &meeting);
    assert_eq!(c.code, 2, "{}", c.dump());
    let unknown = c.find("error", "委員代號「zz」不在委員名冊中");
    assert_eq!(unknown.len(), 1, "{}", c.dump());
    assert_eq!(unknown[0]["field"], "minutes.attendance.present[7]");
    let present_line = meeting.lines().position(|l| l.starts_with("present = ")).unwrap() as u64 + 1;
    assert_eq!(unknown[0]["location"]["line"], present_line);
    let twice = c.find("error", "「g1」在出席紀錄中重複出現");
    assert_eq!(twice.len(), 1, "{}", c.dump());
    assert_eq!(twice[0]["field"], "minutes.attendance.leave[0]");
    assert_eq!(twice[0]["location"]["line"], line_of(&meeting, "leave = [\"g1\"]"));
}

#[test]
fn chair_must_be_present_in_person() {
    let c = check(&twelve(), &attended(&["g1", "g2", "g3", "g4", "c0", "c1", "c2"], &[]));
    assert_eq!(c.code, 1, "{}", c.dump());
    let f = c.find("finding", "主席王g0未列於出席情形的親自出席委員");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert_eq!(f[0]["field"], "chair");
    // An acting chair recorded in the minutes, present in person: clean.
    let meeting = attended(&["g1", "g2", "g3", "g4", "c0", "c1", "c2"], &[])
        .replace("[minutes]\n", "[minutes]\nchair = \"g1\"\n");
    let c = check(&twelve(), &meeting);
    assert_eq!(c.code, 0, "{}", c.dump());
}

#[test]
fn no_attendance_recorded_means_no_quorum_check() {
    let c = check(&twelve(), &meeting_toml("2024-04-29", "\n[minutes]\n"));
    assert_eq!(c.code, 0, "{}", c.dump());
}

// ---------------------------------------------------------------------------------------
// Composition

#[test]
fn convener_counts_among_the_eleven() {
    // Convener + 10 = 11 members (4 civil ≥ 11/3): enough. Convener + 9: not.
    let eleven = check_roster(&roster(7, 4));
    assert_eq!(eleven.code, 0, "{}", eleven.dump());
    let ten = check_roster(&roster(6, 4));
    assert_eq!(ten.code, 1, "{}", ten.dump());
    let f = ten.find("finding", "委員共 10 人（含召集人），少於 11 人");
    assert_eq!(f.len(), 1, "{}", ten.dump());
    assert!(f[0]["message"].as_str().unwrap().contains("設置要點第三點第二款"));
    assert_eq!(ten.diags.len(), 1, "{}", ten.dump());
}

#[test]
fn convener_plus_eleven_is_enough_too() {
    let c = check_roster(&roster(8, 4));
    assert_eq!(c.code, 0, "{}", c.dump());
}

#[test]
fn civil_members_at_least_a_third() {
    // 12 members: 4 civil is exactly a third; 3 is not.
    let ok = check_roster(&roster(8, 4));
    assert!(ok.find("finding", "民間代表").is_empty(), "{}", ok.dump());
    let short = check_roster(&roster(9, 3));
    assert_eq!(short.code, 1, "{}", short.dump());
    let f = short.find("finding", "民間代表 3 人，少於委員總數 12 人之三分之一（至少 4 人）");
    assert_eq!(f.len(), 1, "{}", short.dump());
    assert!(f[0]["location"]["file"].as_str().unwrap().ends_with("group.toml"));
}

#[test]
fn each_gender_a_third_is_a_warning() {
    // 12 members, women exactly 4 (a third): nothing; women 3: a warning, exit 0.
    let with_women = |n: usize| {
        let mut r = roster(8, 4);
        for (i, m) in r.iter_mut().enumerate() {
            m.female = i >= 12 - n;
        }
        group_toml(&r, "")
    };
    let four = check(&with_women(4), &meeting_toml("2024-04-29", ""));
    assert_eq!(four.code, 0, "{}", four.dump());
    assert!(four.diags.is_empty(), "{}", four.dump());
    let three = check(&with_women(3), &meeting_toml("2024-04-29", ""));
    assert_eq!(three.code, 0, "warnings do not fail: {}", three.dump());
    let w = three.find("warning", "女性委員 3 人，少於委員總數 12 人之三分之一（至少 4 人）");
    assert_eq!(w.len(), 1, "{}", three.dump());
    assert!(w[0]["message"].as_str().unwrap().contains("為原則"));
    // Men likewise.
    let nine = check(&with_women(9), &meeting_toml("2024-04-29", ""));
    assert_eq!(nine.find("warning", "男性委員 3 人").len(), 1, "{}", nine.dump());
    // The human output marks it 警告.
    let dir = series(&with_women(3), &meeting_toml("2024-04-29", ""));
    let o = packet(dir.path(), &["check", "s/m"]);
    assert!(stdout(&o).contains("警告：女性委員 3 人"), "{}", stdout(&o));
}

#[test]
fn exactly_one_convener_a_government_member() {
    let mut none = roster(8, 4);
    none[0].convener = false;
    let c = check_roster(&none);
    assert_eq!(c.find("finding", "沒有召集人").len(), 1, "{}", c.dump());

    let mut two = roster(8, 4);
    two[1].convener = true;
    let c = check_roster(&two);
    let f = c.find("finding", "召集人有 2 位");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert_eq!(f[0]["field"], "member[1].role");

    let mut civil = roster(8, 4);
    civil[0].convener = false;
    civil[8].convener = true;
    let c = check_roster(&civil);
    assert_eq!(c.find("finding", "不能是民間代表").len(), 1, "{}", c.dump());
}

#[test]
fn expired_term_on_the_meeting_date() {
    let with_end = |end: &str| {
        let mut r = roster(8, 4);
        r[8].term = Some(("2023-04-29".into(), end.into()));
        group_toml(&r, "")
    };
    // Ends the day of the meeting: still serving.
    let last_day = check(&with_end("2024-04-29"), &meeting_toml("2024-04-29", ""));
    assert_eq!(last_day.code, 0, "{}", last_day.dump());
    let group = with_end("2024-04-28");
    let expired = check(&group, &meeting_toml("2024-04-29", ""));
    assert_eq!(expired.code, 1, "{}", expired.dump());
    let f = expired.find("finding", "王c0委員（民間代表）聘期已於 113 年 4 月 28 日");
    assert_eq!(f.len(), 1, "{}", expired.dump());
    assert_eq!(f[0]["field"], "member[8].term_end");
    assert_eq!(f[0]["location"]["line"], line_of(&group, "term_end = 2024-04-28"));
    assert!(f[0]["message"].as_str().unwrap().contains("設置要點第六點第二項"));
}

#[test]
fn term_not_yet_started_on_the_meeting_date() {
    let mut r = roster(8, 4);
    r[9].term = Some(("2024-04-30".into(), "2026-04-29".into()));
    let c = check_roster(&r);
    // A warning only: the roster may postdate an older meeting of the series.
    assert_eq!(c.code, 0, "{}", c.dump());
    let f = c.find("warning", "王c1委員（民間代表）聘期自 113 年 4 月 30 日");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert_eq!(f[0]["field"], "member[9].term_start");
}

/// The same member recorded at the meeting (present, or on leave): the minutes name
/// someone who was not yet a member, a finding at the member's term_start.
#[test]
fn a_member_recorded_before_their_term_began_is_a_finding() {
    let mut r = roster(8, 4);
    r[9].term = Some(("2024-04-30".into(), "2026-04-29".into()));
    let group = group_toml(&r, "");
    for record in [attendance(&["g0", "c1"], &[]), format!("{}leave = [\"c1\"]\n", attendance(&["g0"], &[]))] {
        let c = check(&group, &meeting_toml("2024-04-29", &record));
        let f = c.find("finding", "王c1委員（民間代表）聘期自 113 年 4 月 30 日");
        assert_eq!(f.len(), 1, "{}", c.dump());
        assert_eq!(f[0]["field"], "member[9].term_start");
        assert!(f[0]["message"].as_str().unwrap().contains("會議紀錄卻列其出席情形"), "{}", c.dump());
        assert!(c.find("warning", "王c1委員（民間代表）聘期自").is_empty(), "{}", c.dump());
        assert_eq!(c.code, 1, "{}", c.dump());
    }
}

#[test]
fn terms_of_one_or_two_years() {
    let with_term = |start: &str, end: &str| {
        let mut r = roster(8, 4);
        r[8].term = Some((start.into(), end.into()));
        check_roster(&r)
    };
    // Two years exactly, one year exactly: clean.
    assert_eq!(with_term("2024-04-01", "2026-03-31").code, 0);
    assert_eq!(with_term("2024-04-01", "2025-03-31").code, 0);
    // One day over two years: a finding.
    let over = with_term("2024-04-01", "2026-04-01");
    assert_eq!(over.code, 1, "{}", over.dump());
    assert_eq!(over.find("finding", "超過二年").len(), 1, "{}", over.dump());
    // One day short of a year: a warning (could be a 補聘 member).
    let short = with_term("2024-04-01", "2025-03-30");
    assert_eq!(short.code, 0, "{}", short.dump());
    assert_eq!(short.find("warning", "不足一年").len(), 1, "{}", short.dump());
}

#[test]
fn renewed_at_most_once() {
    let with_renewals = |n: u32| {
        let mut r = roster(8, 4);
        r[8].renewals = Some(n);
        check_roster(&r)
    };
    assert_eq!(with_renewals(1).code, 0);
    let twice = with_renewals(2);
    assert_eq!(twice.code, 1, "{}", twice.dump());
    let f = twice.find("finding", "已續聘 2 次；民間代表期滿得續聘一次");
    assert_eq!(f.len(), 1, "{}", twice.dump());
    assert_eq!(f[0]["field"], "member[8].renewals");
}

#[test]
fn civil_member_without_a_term_is_a_warning() {
    let mut r = roster(8, 4);
    r[8].term = None;
    let c = check_roster(&r);
    assert_eq!(c.code, 0, "{}", c.dump());
    assert_eq!(c.find("warning", "未填聘期").len(), 1, "{}", c.dump());
}

// ---------------------------------------------------------------------------------------
// Dates

#[test]
fn meeting_on_a_day_off_is_a_finding() {
    // 2024-02-17 is a make-up working Saturday; 2024-02-10 is Lunar New Year.
    assert_eq!(check(&twelve(), &meeting_toml("2024-02-17", "")).code, 0);
    let c = check(&twelve(), &meeting_toml("2024-02-10", ""));
    assert_eq!(c.code, 1, "{}", c.dump());
    let f = c.find("finding", "為放假日（春節）");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert_eq!(f[0]["field"], "date");
}

fn with_dates(dates: &str) -> String {
    meeting_toml("2024-04-29", &format!("\n[dates]\n{dates}\n"))
}

#[test]
fn materials_sent_on_or_before_the_5th_working_day() {
    let on_time = check(&twelve(), &with_dates("materials_sent = 2024-04-22"));
    assert_eq!(on_time.code, 0, "{}", on_time.dump());
    let meeting = with_dates("materials_sent = \"113-04-23\"");
    let late = check(&twelve(), &meeting);
    assert_eq!(late.code, 1, "{}", late.dump());
    let f = late.find(
        "finding",
        "會議資料於 113 年 4 月 23 日（星期二，2024-04-23）送出，晚於期限 113 年 4 月 22 日（星期一，2024-04-22）",
    );
    assert_eq!(f.len(), 1, "{}", late.dump());
    assert!(f[0]["message"].as_str().unwrap().contains("運作指引肆、二"));
    assert_eq!(f[0]["field"], "dates.materials_sent");
    assert_eq!(f[0]["location"]["line"], line_of(&meeting, "materials_sent = \"113-04-23\""));
}

#[test]
fn draft_minutes_days_come_from_group_rules() {
    let default_rules = twelve();
    let dgbas_rules = group_toml(&roster(8, 4), "draft_minutes_days = 8");
    // Default 10 → 2024-05-13; group rule 8 → 2024-05-09.
    let may10 = with_dates("draft_minutes_sent = 2024-05-10");
    assert_eq!(check(&default_rules, &may10).code, 0);
    let c = check(&dgbas_rules, &may10);
    assert_eq!(c.code, 1, "{}", c.dump());
    let f = c.find("finding", "會議紀錄草稿於 113 年 5 月 10 日");
    assert_eq!(f.len(), 1, "{}", c.dump());
    let m = f[0]["message"].as_str().unwrap();
    assert!(m.contains("晚於期限 113 年 5 月 9 日"), "{m}");
    assert!(m.contains("會後第 8 個工作日"), "{m}");
    assert!(m.contains("小組設定為 8 個工作日"), "{m}");
    let may9 = with_dates("draft_minutes_sent = 2024-05-09");
    assert_eq!(check(&dgbas_rules, &may9).code, 0);
    let may14 = with_dates("draft_minutes_sent = 2024-05-14");
    assert_eq!(check(&default_rules, &may14).code, 1);
}

#[test]
fn publication_within_14_working_days() {
    let ok = check(&twelve(), &with_dates("published = 2024-05-17"));
    assert_eq!(ok.code, 0, "{}", ok.dump());
    // 2024-05-18/19 is a weekend: the next day after the deadline is Monday 05-20.
    let late = check(&twelve(), &with_dates("published = 2024-05-20"));
    assert_eq!(late.code, 1, "{}", late.dump());
    let f = late.find("finding", "開放於政府資料開放平臺於 113 年 5 月 20 日");
    assert_eq!(f.len(), 1, "{}", late.dump());
    assert!(f[0]["message"].as_str().unwrap().contains("運作指引陸、一"));
    // publication_days from group.toml.
    let short = group_toml(&roster(8, 4), "publication_days = 10");
    assert_eq!(check(&short, &with_dates("published = 2024-05-17")).code, 1);
}

#[test]
fn dates_before_the_meeting_are_findings() {
    let c = check(&twelve(), &with_dates("published = 2024-04-26"));
    assert_eq!(c.find("finding", "早於會議日期").len(), 1, "{}", c.dump());
}

#[test]
fn unknown_key_in_dates_is_an_error() {
    let c = check(&twelve(), &with_dates("minutes_sent = 2024-05-01"));
    assert_eq!(c.code, 2, "{}", c.dump());
    assert_eq!(c.find("error", "未知的欄位「minutes_sent」").len(), 1, "{}", c.dump());
}

#[test]
fn check_in_2027_warns_that_the_year_is_provisional() {
    // 2027-02-09 (Tuesday) is the computed 補假 of 春節 on the weekend of 02-06/07.
    let dir = series(&twelve(), &meeting_toml("2027-02-09", ""));
    let c = check_dir(dir.path(), &[]);
    // The civil terms (to 2025-12-31) have expired: those 4 findings, nothing else but
    // warnings; the computed year never makes a finding or an error.
    assert_eq!(c.code, 1, "{}", c.dump());
    assert_eq!(c.with("finding").len(), 4, "{}", c.dump());
    assert_eq!(c.find("finding", "聘期已於").len(), 4, "{}", c.dump());
    assert!(c.with("error").is_empty(), "{}", c.dump());
    let off = c.find("warning", "（暫定）為放假日（補假）");
    assert_eq!(off.len(), 1, "{}", c.dump());
    assert_eq!(off[0]["field"], "date");
    let line = c.find("warning", "暫定：2027 年尚無官方辦公日曆表");
    assert_eq!(line.len(), 1, "{}", c.dump());
    assert!(line[0]["message"].as_str().unwrap().contains("packet calendar add FILE"), "{}", c.dump());
}

#[test]
fn check_in_2027_with_a_supplied_calendar_is_not_provisional() {
    let dir = series(&twelve(), &meeting_toml("2027-03-01", ""));
    // Supplying the year: the civil terms (to 2025-12-31) have then expired, which is all.
    let file = calendar_2027(dir.path());
    let c = check_dir(dir.path(), &["--calendar", file.to_str().unwrap()]);
    assert_eq!(c.code, 1, "{}", c.dump());
    assert_eq!(c.diags.len(), 4, "{}", c.dump());
    assert_eq!(c.find("finding", "聘期已於").len(), 4, "{}", c.dump());
}

#[test]
fn build_in_a_missing_year_warns_and_builds() {
    // Only the date checks need the calendar: the agenda itself still builds. (2101 is past
    // the computable years.)
    let dir = series(&twelve(), &meeting_toml("2101-03-01", ""));
    let o = packet(dir.path(), &["build", "s/m", "-o", "out", "-q"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("date: 警告：無法檢核日期：日曆表缺少 2101 年"), "{err}");
    assert!(dir.path().join("out/agenda.pdf").is_file());
}

// ---------------------------------------------------------------------------------------
// Completeness

#[test]
fn final_minutes_need_every_decision() {
    let people = attendance(&["g0", "g1", "g2", "g3", "c0", "c1", "c2"], &[]);
    let ended = people.replace("[minutes]\n", "[minutes]\nend = \"16:10\"\n");
    // Draft (no end time): no decision needed.
    assert_eq!(check(&twelve(), &meeting_toml("2024-04-29", &people)).code, 0);
    let c = check(&twelve(), &meeting_toml("2024-04-29", &ended));
    assert_eq!(c.code, 1, "{}", c.dump());
    let f = c.find("finding", "「資料開放推動情形，報請鑒察。」尚無決定");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert_eq!(f[0]["field"], "report[0].decision");
    let decided = format!("decision = \"洽悉。\"\n{ended}");
    let c = check(&twelve(), &meeting_toml("2024-04-29", &decided));
    assert_eq!(c.code, 0, "{}", c.dump());
}

#[test]
fn motions_need_a_unit_and_final_minutes_a_decision() {
    let people = attendance(&["g0", "g1", "g2", "g3", "c0", "c1", "c2"], &[]);
    let motion = "\n[[minutes.motion]]\ntitle = \"臨時動議一\"\n";
    let c = check(&twelve(), &meeting_toml("2024-04-29", &format!("{people}{motion}")));
    assert_eq!(c.code, 1, "{}", c.dump());
    let f = c.find("finding", "臨時動議「臨時動議一」缺少提案單位");
    assert_eq!(f.len(), 1, "{}", c.dump());
    assert_eq!(f[0]["field"], "minutes.motion[0].unit");
    let ended = people.replace("[minutes]\n", "[minutes]\nend = \"16:10\"\n");
    let c = check(
        &twelve(),
        &meeting_toml("2024-04-29", &format!("decision = \"洽悉。\"\n{ended}{motion}unit = \"資訊處\"\n")),
    );
    assert_eq!(c.code, 1, "{}", c.dump());
    assert_eq!(c.diags.len(), 1, "{}", c.dump());
    assert_eq!(c.diags[0]["field"], "minutes.motion[0].decision");
}

#[test]
fn final_minutes_need_attendance() {
    let c = check(&twelve(), &meeting_toml("2024-04-29", "decision = \"洽悉。\"\n\n[minutes]\nend = \"16:10\"\n"));
    assert_eq!(c.code, 1, "{}", c.dump());
    assert_eq!(c.find("finding", "沒有記錄任何出席委員").len(), 1, "{}", c.dump());
}

// ---------------------------------------------------------------------------------------
// packet build runs the checks

#[test]
fn build_stops_on_check_errors_unless_forced() {
    let meeting = attended(&["g0", "g1", "g2", "g3", "c0", "c1"], &[("c2", "助理○○")]);
    let dir = series(&twelve(), &meeting);
    let o = packet(dir.path(), &["build", "s/m", "-o", "out", "-q"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("設置要點第七點"), "{}", stderr(&o));
    assert!(!dir.path().join("out/agenda.pdf").exists());

    let o = packet(dir.path(), &["build", "s/m", "-o", "out", "-q", "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("設置要點第七點"), "{}", stderr(&o));
    assert!(dir.path().join("out/agenda.pdf").is_file());
}

#[test]
fn build_prints_findings_and_continues() {
    let meeting = attended(&["g0", "g1", "g2", "c0", "c1", "c2"], &[]);
    let dir = series(&twelve(), &meeting);
    let o = packet(dir.path(), &["build", "s/m", "-o", "out", "-q"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("未過半數（至少 7 人）"), "{}", stderr(&o));
    assert!(dir.path().join("out/agenda.pdf").is_file());
}

/// An empty place prints 「地點：」 and an empty delegate 「（代）」: both are findings at
/// their field, and a name or a place clears them.
#[test]
fn an_empty_place_or_delegate_name_is_a_finding() {
    let people = attendance(&["g0", "g1", "g2", "c0", "c1", "c2"], &[("g3", " ")]);
    let c = check(&twelve(), &meeting_toml("2024-04-29", &people).replace("place = \"第 1 會議室\"", "place = \"\""));
    assert_eq!(c.code, 1, "{}", c.dump());
    assert_eq!(c.find("finding", "未填會議地點")[0]["field"], "place");
    assert_eq!(c.find("finding", "未填代理人姓名")[0]["field"], "minutes.attendance.delegate.g3");
    let named = attendance(&["g0", "g1", "g2", "c0", "c1", "c2"], &[("g3", "李○○")]);
    let c = check(&twelve(), &meeting_toml("2024-04-29", &named));
    assert_eq!(c.code, 0, "{}", c.dump());
}
