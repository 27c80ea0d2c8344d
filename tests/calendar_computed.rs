//! The computed (provisional) office calendar against the official ones, and
//! `packet calendar` (show, add, list) through the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use packet::model::calendar::computed::computed_year;
use packet::model::calendar::{Calendar, Day, DeadlineRules, to_csv};
use serde_json::Value;

use crate::common::{Run, root, stderr};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn official(year: i32) -> Vec<Day> {
    Calendar::embedded().year_days(year).unwrap().to_vec()
}

/// The festival a note names, with the older name of 清明 (民族掃墓節) read as the newer.
fn festivals(note: &str) -> Vec<&'static str> {
    let note = note.replace("民族掃墓節", "清明節");
    ["小年夜", "農曆除夕", "春節", "端午節", "中秋節", "清明節"].into_iter().filter(|f| note.contains(f)).collect()
}

#[test]
fn computed_2026_equals_the_official_2026_day_for_day() {
    let computed = computed_year(2026).unwrap();
    let official = official(2026);
    assert_eq!(computed.len(), 365);
    for (c, o) in computed.iter().zip(&official) {
        assert_eq!((c.date, c.working, c.note.as_str()), (o.date, o.working, o.note.as_str()));
    }
    // And in the official file's bytes: the repository's copy and the shared source.
    let csv = to_csv(computed);
    assert_eq!(csv.as_bytes(), std::fs::read(root().join("calendar/2026.csv")).unwrap());
    let shared = root().join("../shared/calendar/2026.csv");
    if shared.is_file() {
        assert_eq!(csv.as_bytes(), std::fs::read(shared).unwrap());
    }
}

#[test]
fn every_lunar_and_qingming_day_off_of_2017_to_2026_is_in_the_computed_years() {
    let mut checked = 0;
    for year in 2017..=2026 {
        let computed = computed_year(year).unwrap();
        for o in official(year).iter().filter(|o| !festivals(&o.note).is_empty()) {
            let c = &computed[o.date.ordinal0() as usize];
            assert!(!o.working, "{}: {}", o.date, o.note);
            assert!(!c.working, "{}: official {} off, computed working", o.date, o.note);
            for f in festivals(&o.note) {
                // 小年夜 was not a day off before 2023 (2020: 調整放假, no name).
                assert!(c.note.contains(f), "{}: official {}, computed {}", o.date, o.note, c.note);
            }
            checked += 1;
        }
    }
    // 10 years × (除夕, 3 春節, 端午, 中秋, 清明) at least, less the days named jointly.
    assert!(checked >= 65, "{checked}");
}

/// The days on which computed and official disagree about working, per year.
fn differences(year: i32) -> Vec<(NaiveDate, String, String)> {
    let computed = computed_year(year).unwrap();
    official(year)
        .iter()
        .zip(computed)
        .filter(|(o, c)| o.working != c.working)
        .map(|(o, c)| (o.date, o.note.clone(), c.note.clone()))
        .collect()
}

#[test]
fn older_years_differ_only_by_their_older_rules() {
    // Before 2025: working Saturdays (調整上班/補行上班) bought bridge days (調整放假); the
    // statute added 勞動節 for civil servants, 9/28, 10/25, 12/25 from 2025 (小年夜 was off
    // in 2023-24 by the older 要點, not yet by law). Every
    // difference must be one of these, never a festival on the wrong day.
    let explained_official = ["調整上班", "補行上班", "調整放假", "放假", "補假", ""];
    let explained_computed =
        ["補假", "小年夜", "勞動節", "孔子誕辰紀念日/教師節", "臺灣光復暨金門古寧頭大捷紀念日", "行憲紀念日", ""];
    let mut table = BTreeMap::new();
    for year in 2017..=2026 {
        let diffs = differences(year);
        for (d, o, c) in &diffs {
            // One side names why (an empty note on both would be an unexplained difference).
            assert!(
                explained_official.contains(&o.as_str())
                    && explained_computed.contains(&c.as_str())
                    && !(o.is_empty() && c.is_empty()),
                "{d}: official 「{o}」, computed 「{c}」"
            );
        }
        table.insert(year, diffs.len());
    }
    eprintln!("days whose working flag differs, computed vs official: {table:?}");
    assert_eq!(table[&2026], 0);
    // 2025: its one working Saturday (02-08) and 勞動節 (a working day for civil servants
    // until 2026).
    assert_eq!(differences(2025).iter().map(|d| d.0).collect::<Vec<_>>(), [date(2025, 2, 8), date(2025, 5, 1)]);
    // The figures README.md states (「Years without an official calendar」): a change to the
    // computation that moves them must update the README too.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let row = format!(
        "| days whose working/off flag differs | {} |",
        table
            .iter()
            .map(|(y, n)| if *y == 2026 { format!("**{n}**") } else { n.to_string() })
            .collect::<Vec<_>>()
            .join(" | ")
    );
    assert!(readme.contains(&row), "README lacks {row}");
}

#[test]
fn deadlines_counted_on_a_computed_year_are_provisional() {
    let cal = Calendar::embedded().with_computed_years();
    let d = cal.deadlines(date(2026, 12, 21), &DeadlineRules::default()).unwrap();
    assert!(!d.provisional.meeting_date && !d.provisional.materials_due);
    assert!(d.provisional.draft_minutes_due && d.provisional.publication_due);
    assert_eq!(d.provisional_years, vec![2027]);
    assert_eq!(d.publication_due.year(), 2027);
    // Counting back from 2027-01-04 crosses the computed 2027-01-01 (Fri): 12-31(1) 12-30(2)
    // 12-29(3) 12-28(4), 12-25 行憲紀念日, 12-24(5).
    let d = cal.deadlines(date(2027, 1, 4), &DeadlineRules::default()).unwrap();
    assert!(d.provisional.meeting_date && d.provisional.materials_due);
    assert_eq!(d.materials_due, date(2026, 12, 24));
    // An official year stays official; the embedded calendar alone computes nothing.
    assert!(!cal.is_computed(2026) && cal.is_computed(2027) && !cal.is_computed(2016) && !cal.is_computed(2101));
    assert!(Calendar::embedded().deadlines(date(2026, 12, 21), &DeadlineRules::default()).is_err());
}

#[test]
fn computed_weekend_holidays_are_made_up_on_the_nearest_working_day() {
    // Checked by hand on a 2027 wall calendar: 2027-01-01 Fri; 春節 初一 02-06 Sat, so
    // 小年夜 02-04 Thu … 初三 02-08 Mon, and 初一/初二 on the weekend are made up 02-09/10;
    // 和平紀念日 Sun → 03-01; 兒童節 Sun 04-04 → after 清明 (Mon 04-05) → 04-06;
    // 勞動節 Sat → 04-30; 國慶日 Sun → 10-11; 10-25 Mon; 12-25 Sat → 12-24.
    let off: Vec<String> = computed_year(2027)
        .unwrap()
        .iter()
        .filter(|d| !d.working && d.date.weekday().number_from_monday() <= 5)
        .map(|d| format!("{} {}", d.date.format("%m-%d"), d.note))
        .collect();
    for expected in [
        "01-01 開國紀念日",
        "02-04 小年夜",
        "02-05 農曆除夕",
        "02-08 春節",
        "02-09 補假",
        "02-10 補假",
        "03-01 補假",
        "04-05 清明節",
        "04-06 補假",
        "04-30 補假",
        "10-11 補假",
        "10-25 臺灣光復暨金門古寧頭大捷紀念日",
        "12-24 補假",
        "12-31 補假",
    ] {
        assert!(off.contains(&expected.to_string()), "{expected} missing from {off:?}");
    }
    assert!(!off.iter().any(|d| d.starts_with("02-11")), "{off:?}");
}

// ---------------------------------------------------------------------------------------
// The binary

fn run(data: &Path, args: &[&str]) -> std::process::Output {
    Run::new(args).cwd(&root()).env("PACKET_DATA_DIR", data.to_str().unwrap()).output()
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn deadlines_2026_12_21_exit_0_with_a_provisional_2027_publication_date() {
    let data = tempfile::tempdir().unwrap();
    let o = run(data.path(), &["deadlines", "2026-12-21", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["publication_due"].as_str().unwrap().starts_with("2027-"), "{v}");
    assert_eq!(v["provisional"]["publication_due"], true, "{v}");
    assert_eq!(v["provisional"]["materials_due"], false, "{v}");
    assert_eq!(v["provisional_years"], serde_json::json!([2027]), "{v}");
    assert!(stderr(&o).contains("暫定：2027 年"), "{}", stderr(&o));

    let o = run(data.path(), &["deadlines", "2026-12-21"]);
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    let publication = out.lines().find(|l| l.starts_with("開放於政府資料開放平臺")).unwrap();
    assert!(publication.ends_with("（暫定）"), "{out}");
    let materials = out.lines().find(|l| l.starts_with("會議資料送達委員")).unwrap();
    assert!(!materials.contains("暫定"), "{out}");
    let line: Vec<&str> = out.lines().filter(|l| l.starts_with("暫定：")).collect();
    assert_eq!(line.len(), 1, "{out}");
    assert!(
        line[0].contains("2027 年")
            && line[0].contains("行政院人事行政總處")
            && line[0].contains("packet calendar add")
    );
}

#[test]
fn calendar_2026_computed_csv_equals_the_official_file_byte_for_byte() {
    let data = tempfile::tempdir().unwrap();
    let o = run(data.path(), &["calendar", "2026", "--computed", "--csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(o.stdout, std::fs::read(root().join("calendar/2026.csv")).unwrap());
    // Without --computed the official (embedded) 2026 prints, the same bytes.
    let official = run(data.path(), &["calendar", "2026", "--csv"]);
    assert_eq!(official.stdout, o.stdout);
}

#[test]
fn calendar_year_lists_the_months_and_marks_a_computed_year() {
    let data = tempfile::tempdir().unwrap();
    let o = run(data.path(), &["calendar", "2027"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(out.starts_with("2027 年（民國 116 年）政府行政機關辦公日曆表（暫定）"), "{out}");
    assert!(out.contains(" 2 月：工作日 15 天") && out.contains("02-09（二）放假 補假"), "{out}");
    assert!(stderr(&o).contains("暫定：2027 年"), "{}", stderr(&o));
    let o = run(data.path(), &["calendar", "2024"]);
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    // Official 2024: the working Saturday 02-17 and no 暫定.
    assert!(out.contains("02-17（六）上班 補行上班") && !out.contains("暫定"), "{out}");
}

/// The computed 2027 with one change an official edition might make (2027-01-04 off), in
/// Big5 as data.gov.tw publishes older editions: proof the installed file, not the
/// computation, is what later commands count on.
fn official_2027(dir: &Path) -> PathBuf {
    let mut days = computed_year(2027).unwrap().to_vec();
    days[3] = Day { date: date(2027, 1, 4), working: false, note: "調整放假".into() };
    let text = to_csv(&days).trim_start_matches('\u{FEFF}').to_string();
    let (big5, _, bad) = encoding_rs::BIG5.encode(&text);
    assert!(!bad);
    let path = dir.join("116年中華民國政府行政機關辦公日曆表.csv");
    std::fs::write(&path, big5).unwrap();
    path
}

#[test]
fn an_installed_2027_is_used_by_the_next_command_without_a_flag() {
    let data = tempfile::tempdir().unwrap();
    let file = official_2027(data.path());
    let before = run(data.path(), &["deadlines", "2026-12-24", "--json"]);
    let before: Value = serde_json::from_slice(&before.stdout).unwrap();

    let o = run(data.path(), &["calendar", "add", file.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let installed = data.path().join("calendar/2027.csv");
    assert!(stderr(&o).contains("已安裝 2027 年辦公日曆表"), "{}", stderr(&o));
    // Installed in the official form (UTF-8 with BOM, CRLF), whatever it came in.
    let bytes = std::fs::read(&installed).unwrap();
    assert!(bytes.starts_with("\u{FEFF}西元日期,星期,是否放假,備註\r\n".as_bytes()));
    assert!(String::from_utf8(bytes).unwrap().contains("20270104,一,2,調整放假\r\n"));

    let after = run(data.path(), &["deadlines", "2026-12-24", "--json"]);
    assert_eq!(code(&after), 0, "{}", stderr(&after));
    let after: Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(after["provisional_years"], serde_json::json!([]), "{after}");
    assert_eq!(after["provisional"]["draft_minutes_due"], false, "{after}");
    // One more day off in the count: the 10th working day after moves one day on.
    let next = |v: &Value| NaiveDate::parse_from_str(v["draft_minutes_due"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(next(&after), next(&before).succ_opt().unwrap(), "{before} {after}");
    assert!(stderr(&run(data.path(), &["deadlines", "2026-12-24"])).is_empty());

    let list = run(data.path(), &["calendar", "list"]);
    let out = String::from_utf8(list.stdout).unwrap();
    assert!(out.contains(&format!("2027  已安裝（{}）", installed.display())), "{out}");
    assert!(out.contains("2028–2100  依規定推算（暫定）"), "{out}");
    assert!(out.contains("2026  內建（2026.csv）"), "{out}");
}

/// `packet calendar add` of `bytes`: refused (exit 2) with `needle`, nothing installed.
fn refused(bytes: &[u8], needle: &str) {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("hostile.csv");
    std::fs::write(&file, bytes).unwrap();
    let o = run(data.path(), &["calendar", "add", file.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{needle}: {}", stderr(&o));
    assert!(stderr(&o).contains(needle), "{needle} missing from {}", stderr(&o));
    let dir = data.path().join("calendar");
    assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().next().is_none(), "{needle}: something installed");
}

/// A year with weekends off and nothing else.
fn plain_year(year: i32) -> Vec<Day> {
    date(year, 1, 1)
        .iter_days()
        .take_while(|d| d.year() == year)
        .map(|d| Day { date: d, working: d.weekday().number_from_monday() <= 5, note: String::new() })
        .collect()
}

#[test]
fn malformed_partial_and_hostile_calendars_are_refused_with_their_line() {
    let good = to_csv(computed_year(2027).unwrap());
    let lines: Vec<&str> = good.split("\r\n").collect();
    let with = |i: usize, line: &str| {
        let mut l = lines.clone();
        l[i] = line;
        l.join("\r\n")
    };
    // Line 1 is the header (lines[0]), line n+1 the n-th day (lines[n]).
    refused(with(4, "20270104,一,1,").as_bytes(), "第 5 行：是否放假應為 0");
    refused(with(4, "20270104,二,0,").as_bytes(), "第 5 行：20270104 應為星期一");
    refused(with(4, "20270103,日,2,").as_bytes(), "第 5 行：日期 2027-01-03 重複");
    refused(with(4, "2027-01-04,一,0,").as_bytes(), "第 5 行：西元日期「2027-01-04」不是 8 位數字");
    refused(with(4, "20270230,一,0,").as_bytes(), "不是存在的日期");
    refused(with(4, "20270104,一,0,\"open").as_bytes(), "第 5 行");
    // Partial: the year stops in June; a second year starts mid-way.
    refused(lines[..182].join("\r\n").as_bytes(), "須涵蓋全年至 12 月 31 日");
    refused(format!("{good}20280105,三,0,\r\n").as_bytes(), "日期不連續");
    refused(
        lines[..1].iter().chain(&lines[3..]).copied().collect::<Vec<_>>().join("\r\n").as_bytes(),
        "須從 1 月 1 日開始",
    );
    refused(b"", "沒有任何日期資料");
    refused(b"PK\x03\x04\x14\x00", "Excel");
    refused(&[0xFF, 0xFE, b'2', 0, b'0', 0], "UTF-16");
    refused(b"\xFF\xFF\xFF\xFF", "無法辨識檔案編碼");
    // Past the installable years, and larger than any calendar.
    refused(to_csv(&plain_year(2201)).as_bytes(), "日曆表含 2201 年：僅能安裝 1912 至 2200 年");
    refused(&vec![b'a'; 1024 * 1024 + 1], "檔案過大");
}

#[test]
fn calendar_notes_reach_the_terminal_escaped() {
    // Issue 27: a note with ESC, CR and U+202E printed by `deadlines` and `calendar` must
    // not reach the terminal raw (it could forge a line).
    let data = tempfile::tempdir().unwrap();
    let mut days = computed_year(2027).unwrap().to_vec();
    days[4] = Day { date: date(2027, 1, 5), working: false, note: "\u{1b}[2J\r偽造\u{202E}行".into() };
    let file = data.path().join("2027-\u{1b}[31m.csv");
    std::fs::write(&file, to_csv(&days)).unwrap();
    for args in [vec!["deadlines", "2027-01-05", "--calendar", file.to_str().unwrap()], vec!["calendar", "2027"]] {
        if args[0] == "calendar" {
            assert_eq!(code(&run(data.path(), &["calendar", "add", file.to_str().unwrap()])), 0);
        }
        let o = run(data.path(), &args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        let out = String::from_utf8(o.stdout.clone()).unwrap() + &stderr(&o);
        assert!(!out.contains(['\u{1b}', '\r', '\u{202E}']), "{args:?}: raw control characters in {out:?}");
        assert!(out.contains("\\x1B[2J\\r偽造\\u{202E}行"), "{args:?}: {out}");
    }
}

#[test]
fn a_damaged_installed_year_is_an_error_naming_its_file_and_a_flag_file_wins_over_it() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("calendar");
    std::fs::create_dir_all(&dir).unwrap();
    // Half a year, as a disk error or a hand edit might leave it.
    let half: String = to_csv(computed_year(2027).unwrap()).split_inclusive("\r\n").take(100).collect();
    std::fs::write(dir.join("2027.csv"), &half).unwrap();
    let o = run(data.path(), &["deadlines", "2026-12-21"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("已安裝的日曆表損壞，請重新執行 packet calendar add"), "{}", stderr(&o));
    assert!(stderr(&o).contains(&dir.join("2027.csv").display().to_string()), "{}", stderr(&o));
    // A file of another year under the name is refused too; other names are not ours.
    std::fs::write(dir.join("2027.csv"), to_csv(&plain_year(2028))).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a calendar").unwrap();
    let o = run(data.path(), &["deadlines", "2026-12-21"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("應只含 2027 年"), "{}", stderr(&o));
    // Reinstalling repairs it; --calendar still overrides the installed year for one command.
    std::fs::remove_file(dir.join("2027.csv")).unwrap();
    let file = official_2027(data.path());
    assert_eq!(code(&run(data.path(), &["calendar", "add", file.to_str().unwrap()])), 0);
    let plain = data.path().join("plain-2027.csv");
    std::fs::write(&plain, to_csv(&plain_year(2027))).unwrap();
    let o = run(data.path(), &["deadlines", "2026-12-31", "--json", "--calendar", plain.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Weekends only (01-01 a working day) against the installed year (01-01 and 01-04 off):
    // the 10th working day after 12-31 differs, so the flag's file was used.
    let first = run(data.path(), &["deadlines", "2026-12-31", "--json"]);
    let installed: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_ne!(v["draft_minutes_due"], installed["draft_minutes_due"], "{v} {installed}");
}

#[test]
fn every_computed_year_keeps_the_rules_structure() {
    use packet::model::calendar::computed::{dragon_boat, mid_autumn, qingming, spring_festival};
    let in_window =
        |d: NaiveDate, from: (u32, u32), to: (u32, u32)| (d.month(), d.day()) >= from && (d.month(), d.day()) <= to;
    for year in 2025..=2100 {
        let days = computed_year(year).unwrap();
        assert_eq!(days.len(), if date(year, 12, 31).ordinal() == 366 { 366 } else { 365 });
        // The lunar dates and 清明 inside the windows they always fall in.
        let (cny, dragon, moon, tomb) = (
            spring_festival(year).unwrap(),
            dragon_boat(year).unwrap(),
            mid_autumn(year).unwrap(),
            qingming(year).unwrap(),
        );
        assert!(in_window(cny, (1, 21), (2, 20)), "{year}: 春節 {cny}");
        assert!(in_window(dragon, (5, 26), (6, 26)), "{year}: 端午 {dragon}");
        assert!(in_window(moon, (9, 6), (10, 9)), "{year}: 中秋 {moon}");
        assert!(in_window(tomb, (4, 3), (4, 6)), "{year}: 清明 {tomb}");
        for d in days {
            let weekend = d.date.weekday().number_from_monday() >= 6;
            // No working Saturdays any more; a weekday off always says why.
            assert!(!(weekend && d.working), "{}: a working weekend day", d.date);
            assert!(d.working || weekend || !d.note.is_empty(), "{}: a weekday off without a name", d.date);
        }
        // Every 補假 lies in a run of days off that holds a named holiday (made up next to it).
        let named = |d: &Day| !d.working && !d.note.is_empty() && d.note != "補假";
        for (i, d) in days.iter().enumerate().filter(|(_, d)| d.note == "補假") {
            let start = days[..i].iter().rposition(|d| d.working).map_or(0, |p| p + 1);
            let end = days[i..].iter().position(|d| d.working).map_or(days.len(), |p| i + p);
            let next_new_year = d.date.month() == 12 && d.date.day() == 31;
            assert!(days[start..end].iter().any(named) || next_new_year, "{}: 補假 with no holiday beside it", d.date);
        }
        for (date, name) in [(cny, "春節"), (dragon, "端午節"), (moon, "中秋節")] {
            let d = &days[date.ordinal0() as usize];
            // Off under its own name, or under another holiday's that falls on the same day.
            assert!(!d.working && named(d), "{date}: {name} not off: {}", d.note);
        }
    }
}

#[test]
fn init_dates_the_starter_meeting_by_the_installed_calendar() {
    // 2027-01-01 is 元旦 and a Friday: the computed year gives Monday 01-04; the installed
    // edition makes 01-04 a day off too, so the first working day is 01-05.
    let data = tempfile::tempdir().unwrap();
    let file = official_2027(data.path());
    let work = tempfile::tempdir().unwrap();
    let init = |name: &str| {
        Run::new(&["init", name, "--agency", "示範署"])
            .cwd(work.path())
            .env("PACKET_DATA_DIR", data.path().to_str().unwrap())
            .env("PACKET_TODAY", "2027-01-01")
            .output()
    };
    let o = init("computed");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let meeting = std::fs::read_to_string(work.path().join("computed/116-1/meeting.toml")).unwrap();
    assert!(meeting.contains("date = 2027-01-04"), "{meeting}");
    assert_eq!(code(&run(data.path(), &["calendar", "add", file.to_str().unwrap()])), 0);
    let o = init("installed");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let meeting = std::fs::read_to_string(work.path().join("installed/116-1/meeting.toml")).unwrap();
    assert!(meeting.contains("date = 2027-01-05"), "{meeting}");
}
