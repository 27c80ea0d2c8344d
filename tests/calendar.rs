//! Tests of `packet::model::calendar`.
//!
//! Every expected date below was worked out by reading the rows of the CSV files in
//! `calendar/` (`西元日期,星期,是否放假,備註`; `0` = working day, `2` = day off); the rows used
//! are quoted in the comments. The property tests compare against an independent count over
//! the same files.

use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use packet::model::calendar::{
    CSV_2025_FIRST_EDITION, Calendar, CalendarError, DeadlineRules, Deadlines, Provisional, TextEncoding,
};
use packet::rules::check::format_deadlines_human;
use packet::text::zh::{parse_date, roc_date, weekday as weekday_zh};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("calendar").join(name)
}

fn read_data(name: &str) -> Vec<u8> {
    std::fs::read(data_file(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn first_edition() -> Calendar {
    let mut cal = Calendar::embedded();
    let (name, text) = CSV_2025_FIRST_EDITION;
    assert_eq!(cal.load_csv(text.as_bytes(), name).unwrap(), vec![2025]);
    cal
}

fn rules(materials: u32, draft: u32, publication: u32) -> DeadlineRules {
    DeadlineRules { materials_days: materials, draft_minutes_days: draft, publication_days: publication }
}

// ---------------------------------------------------------------------------------------
// Embedded data

#[test]
fn embedded_years_are_2017_to_2026() {
    let cal = Calendar::embedded();
    assert_eq!(cal.years(), (2017..=2026).collect::<Vec<_>>());
    let src = cal.year_source(2025).unwrap();
    assert_eq!(src.name, "2025.csv");
    assert!(src.embedded);
    assert_eq!(src.encoding, TextEncoding::Utf8Bom);
}

#[test]
fn embedded_working_day_counts_match_the_files() {
    // `grep -c ',0,'` over the files: 2024 has 251 rows with 是否放假 = 0, the revised 2025
    // 247, the 2025 first edition 250 (three more: 09-29, 10-24, 12-25), 2026 245.
    let count = |cal: &Calendar, year: i32| {
        let mut d = date(year, 1, 1);
        let mut n = 0;
        while d.year() == year {
            n += usize::from(cal.is_working_day(d).unwrap());
            d = d.succ_opt().unwrap();
        }
        n
    };
    let cal = Calendar::embedded();
    assert_eq!(count(&cal, 2024), 251);
    assert_eq!(count(&cal, 2025), 247);
    assert_eq!(count(&cal, 2026), 245);
    assert_eq!(count(&first_edition(), 2025), 250);
}

#[test]
fn day_rows_keep_the_note() {
    let cal = Calendar::embedded();
    let day = cal.day(date(2024, 2, 17)).unwrap();
    assert!(day.working);
    assert_eq!(day.note, "補行上班");
    assert_eq!(cal.day(date(2024, 2, 28)).unwrap().note, "和平紀念日");
}

// ---------------------------------------------------------------------------------------
// Deadlines: the required edge cases

#[test]
fn seed_example_2024_04_29() {
    // 2024.csv: 0422 一 0, 0423 二 0, 0424 三 0, 0425 四 0, 0426 五 0, 0427 六 2, 0428 日 2,
    // 0429 一 0 (meeting), 0430 二 0, 0501 三 0, 0502 四 0, 0503 五 0, 0504–0505 2,
    // 0506–0510 0, 0511–0512 2, 0513–0517 0.
    // Before: 0426, 0425, 0424, 0423, 0422 → 5th = 2024-04-22.
    // After: 0430(1) 0501(2) 0502(3) 0503(4) 0506(5) 0507(6) 0508(7) 0509(8) 0510(9)
    // 0513(10) 0514(11) 0515(12) 0516(13) 0517(14).
    let cal = Calendar::embedded();
    let d = cal.deadlines(date(2024, 4, 29), &DeadlineRules::default()).unwrap();
    assert_eq!(
        d,
        Deadlines {
            meeting_date: date(2024, 4, 29),
            materials_due: date(2024, 4, 22),
            draft_minutes_due: date(2024, 5, 13),
            publication_due: date(2024, 5, 17),
            provisional: Provisional::default(),
            provisional_years: vec![],
            rules: DeadlineRules::default(),
        }
    );
    // DGBAS's own rule: 8 working days → 2024-05-09.
    let d8 = cal.deadlines(date(2024, 4, 29), &rules(5, 8, 14)).unwrap();
    assert_eq!(d8.draft_minutes_due, date(2024, 5, 9));
}

#[test]
fn meeting_right_after_lunar_new_year_2024() {
    // 2024.csv: 0201 四 0, 0202 五 0, 0203–0204 2, 0205 一 0, 0206 二 0, 0207 三 0,
    // 0208 小年夜 2, 0209 除夕 2, 0210–0212 春節 2, 0213–0214 補假 2, 0215 四 0 (meeting).
    // Back from 0214: 0207(1) 0206(2) 0205(3) 0202(4) 0201(5) → 2024-02-01.
    // After: 0216(1) 0217 六 補行上班 0 (2) 0219(3) 0220(4) 0221(5) 0222(6) 0223(7)
    // 0226(8) 0227(9) 0228 和平紀念日 2, 0229(10); 0301(11) 0302–0303 2, 0304(12)
    // 0305(13) 0306(14).
    let cal = Calendar::embedded();
    assert!(!cal.is_working_day(date(2024, 2, 13)).unwrap());
    assert!(cal.is_working_day(date(2024, 2, 15)).unwrap());
    let d = cal.deadlines(date(2024, 2, 15), &DeadlineRules::default()).unwrap();
    assert_eq!(d.materials_due, date(2024, 2, 1));
    assert_eq!(d.draft_minutes_due, date(2024, 2, 29));
    assert_eq!(d.publication_due, date(2024, 3, 6));
    assert_eq!(cal.nth_working_day_after(date(2024, 2, 15), 8).unwrap(), date(2024, 2, 26));
}

#[test]
fn make_up_saturday_2024_02_17_counts() {
    // 2024.csv: 0216 五 0, 0217 六 0 補行上班, 0218 日 2, 0219 一 0, 0220 二 0 (meeting).
    // Back from 0219: 0219(1) 0217(2) 0216(3) 0215(4) [0214–0208 all 2] 0207(5) → 2024-02-07.
    // (Counting weekdays would give 0219, 0216, 0215, 0214, 0213 → 2024-02-13.)
    let cal = Calendar::embedded();
    assert!(cal.is_working_day(date(2024, 2, 17)).unwrap());
    assert_eq!(date(2024, 2, 17).weekday(), chrono::Weekday::Sat);
    assert!(!cal.is_working_day(date(2024, 2, 18)).unwrap());
    assert_eq!(cal.nth_working_day_after(date(2024, 2, 16), 1).unwrap(), date(2024, 2, 17));
    assert_eq!(cal.nth_working_day_before(date(2024, 2, 19), 1).unwrap(), date(2024, 2, 17));
    let d = cal.deadlines(date(2024, 2, 20), &DeadlineRules::default()).unwrap();
    assert_eq!(d.materials_due, date(2024, 2, 7));
}

#[test]
fn revised_2025_09_29_is_off_first_edition_working() {
    // 2025.csv (revised): 0923 二 0 … 0926 五 0, 0927–0928 2, 0929 一 2, 0930 二 0, 1001 三 0.
    // 2025-first-edition.csv: the same except 0929 一 0.
    // Meeting 2025-10-01, back from 0930:
    //   revised:       0930(1) 0926(2) 0925(3) 0924(4) 0923(5) → 2025-09-23
    //   first edition: 0930(1) 0929(2) 0926(3) 0925(4) 0924(5) → 2025-09-24
    let revised = Calendar::embedded();
    let first = first_edition();
    assert!(!revised.is_working_day(date(2025, 9, 29)).unwrap());
    assert!(first.is_working_day(date(2025, 9, 29)).unwrap());
    // The other two days the revision added: 1024 五 and 1225 四.
    for d in [date(2025, 10, 24), date(2025, 12, 25)] {
        assert!(!revised.is_working_day(d).unwrap(), "{d}");
        assert!(first.is_working_day(d).unwrap(), "{d}");
    }
    let rules = DeadlineRules::default();
    assert_eq!(revised.deadlines(date(2025, 10, 1), &rules).unwrap().materials_due, date(2025, 9, 23));
    assert_eq!(first.deadlines(date(2025, 10, 1), &rules).unwrap().materials_due, date(2025, 9, 24));
}

#[test]
fn labour_day_2026_05_01_is_off_on_a_friday() {
    // 2026.csv: 0427 一 0, 0428 二 0, 0429 三 0, 0430 四 0, 0501 五 2 勞動節, 0502–0503 2,
    // 0504 一 0 … 0508 五 0, 0509–0510 2, 0511 一 0, 0512 二 0.
    // Meeting 2026-05-05, back from 0504: 0504(1) 0430(2) 0429(3) 0428(4) 0427(5) → 04-27.
    // Meeting 2026-04-27, after: 0428(1) 0429(2) 0430(3) 0504(4) 0505(5) 0506(6) 0507(7)
    // 0508(8) 0511(9) 0512(10) → 2026-05-12.
    let cal = Calendar::embedded();
    assert_eq!(date(2026, 5, 1).weekday(), chrono::Weekday::Fri);
    assert!(!cal.is_working_day(date(2026, 5, 1)).unwrap());
    assert_eq!(cal.deadlines(date(2026, 5, 5), &DeadlineRules::default()).unwrap().materials_due, date(2026, 4, 27));
    assert_eq!(
        cal.deadlines(date(2026, 4, 27), &DeadlineRules::default()).unwrap().draft_minutes_due,
        date(2026, 5, 12)
    );
}

#[test]
fn deadlines_cross_the_year_boundary() {
    // 2024.csv: 1217 二 0 1218 三 0 1219 四 0 1220 五 0, 1221–1222 2, 1223 一 0,
    // 1224 二 0 (meeting), 1225 三 0, 1226 四 0, 1227 五 0, 1228–1229 2, 1230 一 0, 1231 二 0.
    // 2025.csv: 0101 三 2 開國紀念日, 0102 四 0, 0103 五 0, 0104–0105 2, 0106 一 0 … 0110 五 0,
    // 0111–0112 2, 0113 一 0, 0114 二 0.
    // Back from 1223: 1223(1) 1220(2) 1219(3) 1218(4) 1217(5) → 2024-12-17.
    // After: 1225(1) 1226(2) 1227(3) 1230(4) 1231(5) 0102(6) 0103(7) 0106(8) 0107(9)
    // 0108(10) 0109(11) 0110(12) 0113(13) 0114(14).
    let cal = Calendar::embedded();
    let d = cal.deadlines(date(2024, 12, 24), &DeadlineRules::default()).unwrap();
    assert_eq!(d.materials_due, date(2024, 12, 17));
    assert_eq!(d.draft_minutes_due, date(2025, 1, 8));
    assert_eq!(d.publication_due, date(2025, 1, 14));
    // Backwards across the boundary: meeting 2025-01-06, back from 0105: 0105–0104 2,
    // 0103(1) 0102(2) 0101 2, 1231(3) 1230(4) 1228–1229 2, 1227(5) → 2024-12-27.
    assert_eq!(cal.nth_working_day_before(date(2025, 1, 6), 5).unwrap(), date(2024, 12, 27));
}

#[test]
fn year_2027_is_an_error_saying_how_to_supply_it() {
    let cal = Calendar::embedded();
    let err = cal.is_working_day(date(2027, 1, 4)).unwrap_err();
    assert_eq!(err, CalendarError::MissingYear { year: 2027 });
    let msg = err.to_string();
    assert!(msg.contains("2027"), "{msg}");
    assert!(msg.contains("--calendar"), "{msg}");
    assert!(msg.contains("辦公日曆表"), "{msg}");
    assert!(msg.contains("行政院人事行政總處"), "{msg}");

    // Meeting 2026-12-24: 2026.csv has 1225 五 2, 1226–1227 2, 1228–1231 0, so the 10th
    // working day after lies in 2027 → error; the materials date does not need 2027:
    // back from 1223: 1223(1) 1222(2) 1221(3) 1218(4) 1217(5) → 2026-12-17.
    assert_eq!(
        cal.deadlines(date(2026, 12, 24), &DeadlineRules::default()),
        Err(CalendarError::MissingYear { year: 2027 })
    );
    assert_eq!(cal.nth_working_day_before(date(2026, 12, 24), 5).unwrap(), date(2026, 12, 17));
    // The 4th working day after still fits in 2026 (1228, 1229, 1230, 1231), the 5th not.
    assert_eq!(cal.nth_working_day_after(date(2026, 12, 24), 4).unwrap(), date(2026, 12, 31));
    assert!(cal.nth_working_day_after(date(2026, 12, 24), 5).is_err());
    // Going back before 2017 needs 2016.
    assert_eq!(cal.nth_working_day_before(date(2017, 1, 3), 5), Err(CalendarError::MissingYear { year: 2016 }));
    // A meeting in a missing year is an error even if no count would touch it.
    assert_eq!(
        cal.deadlines(date(2027, 3, 1), &DeadlineRules::default()),
        Err(CalendarError::MissingYear { year: 2027 })
    );
}

#[test]
fn supplying_a_2027_file_adds_the_year() {
    // A synthetic 2027 file for this test only (flags made up: weekends off, 2027-01-01 off).
    let mut csv = String::from("西元日期,星期,是否放假,備註\n");
    let mut d = date(2027, 1, 1);
    while d.year() == 2027 {
        let off = d.weekday().number_from_monday() >= 6 || d.ordinal() == 1;
        csv.push_str(&format!("{},{},{},\n", d.format("%Y%m%d"), weekday_zh(d), if off { 2 } else { 0 }));
        d = d.succ_opt().unwrap();
    }
    let mut cal = Calendar::embedded();
    assert_eq!(cal.load_csv(csv.as_bytes(), "2027.csv").unwrap(), vec![2027]);
    assert_eq!(cal.years().last(), Some(&2027));
    assert_eq!(cal.year_source(2027).unwrap().encoding, TextEncoding::Utf8);
    assert!(!cal.year_source(2027).unwrap().embedded);
    // 2026-12-24 after: 1228(1) 1229(2) 1230(3) 1231(4) 2027-0101 off, 0104(5) 0105(6)
    // 0106(7) 0107(8) 0108(9) 0111(10).
    assert_eq!(
        cal.deadlines(date(2026, 12, 24), &DeadlineRules::default()).unwrap().draft_minutes_due,
        date(2027, 1, 11)
    );
}

#[test]
fn zero_working_days_is_an_error() {
    let cal = Calendar::embedded();
    assert!(matches!(cal.nth_working_day_after(date(2024, 4, 29), 0), Err(CalendarError::ZeroDays { .. })));
    assert!(matches!(cal.deadlines(date(2024, 4, 29), &rules(0, 10, 14)), Err(CalendarError::ZeroDays { .. })));
}

// ---------------------------------------------------------------------------------------
// Loading files

#[test]
fn big5_file_loads_and_equals_2025_csv() {
    let bytes = read_data("2025-big5-revision-1141020.csv");
    assert!(std::str::from_utf8(&bytes).is_err(), "the test file must really be Big5");
    let mut big5 = Calendar::new();
    assert_eq!(big5.load_csv(&bytes, "2025-big5-revision-1141020.csv").unwrap(), vec![2025]);
    assert_eq!(big5.year_source(2025).unwrap().encoding, TextEncoding::Big5);
    let revised = Calendar::embedded();
    let mut d = date(2025, 1, 1);
    while d.year() == 2025 {
        assert_eq!(big5.is_working_day(d).unwrap(), revised.is_working_day(d).unwrap(), "{d}");
        d = d.succ_opt().unwrap();
    }
    // The text was decoded, not just the digits: the Big5 row 20251006 says 中秋節.
    assert_eq!(big5.day(date(2025, 10, 6)).unwrap().note, "中秋節");
    assert!(!big5.is_working_day(date(2025, 9, 29)).unwrap());
}

#[test]
fn utf16_is_rejected_naming_utf16() {
    let text = String::from_utf8(read_data("2025.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let cases = [
        [vec![0xFF, 0xFE], le.clone()].concat(),
        [vec![0xFE, 0xFF], be].concat(),
        le, // no BOM
    ];
    for bytes in cases {
        let mut cal = Calendar::new();
        let err = cal.load_csv(&bytes, "2025-utf16.csv").unwrap_err();
        assert!(matches!(err, CalendarError::Utf16 { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("UTF-16"), "{msg}");
        assert!(msg.contains("2025-utf16.csv"), "{msg}");
        assert!(msg.contains("UTF-8") && msg.contains("Big5"), "{msg}");
        assert!(cal.years().is_empty());
    }
}

#[test]
fn garbage_encoding_and_workbook_are_rejected() {
    let mut cal = Calendar::new();
    let err = cal.load_csv(&[0x81, 0x20, 0xFF, 0xFE], "x.csv").unwrap_err();
    assert!(matches!(err, CalendarError::UnknownEncoding { .. }), "{err:?}");
    let err = cal.load_csv(b"PK\x03\x04\x14\x00", "x.xlsx").unwrap_err();
    assert!(err.to_string().contains("Excel"), "{err}");
}

#[test]
fn loading_first_edition_replaces_only_2025() {
    let mut cal = Calendar::embedded();
    let (name, text) = CSV_2025_FIRST_EDITION;
    assert_eq!(cal.load_csv(text.as_bytes(), name).unwrap(), vec![2025]);
    assert_eq!(cal.year_source(2025).unwrap().name, "2025-first-edition.csv");
    assert_eq!(cal.year_source(2024).unwrap().name, "2024.csv");
    assert!(cal.is_working_day(date(2025, 9, 29)).unwrap());
    assert!(cal.is_working_day(date(2024, 2, 17)).unwrap());
    // Loading the revised file again restores it.
    cal.load_csv(&read_data("2025.csv"), "2025.csv").unwrap();
    assert!(!cal.is_working_day(date(2025, 9, 29)).unwrap());
}

#[test]
fn lf_without_bom_loads() {
    let text = String::from_utf8(read_data("2024.csv")).unwrap();
    let plain = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    assert!(!plain.contains('\r'));
    let mut cal = Calendar::new();
    assert_eq!(cal.load_csv(plain.as_bytes(), "2024-lf.csv").unwrap(), vec![2024]);
    assert_eq!(cal.year_source(2024).unwrap().encoding, TextEncoding::Utf8);
    assert!(cal.is_working_day(date(2024, 2, 17)).unwrap());
}

/// 2024.csv as lines (line 1 is the header, line N is `lines[N - 1]`).
fn lines_2024() -> Vec<String> {
    String::from_utf8(read_data("2024.csv")).unwrap().lines().map(str::to_string).collect()
}

fn load_lines(lines: &[String]) -> Result<Vec<i32>, CalendarError> {
    Calendar::embedded().load_csv(lines.join("\r\n").as_bytes(), "2024-edited.csv")
}

fn expect_row_error(lines: &[String], line: u64, needle: &str) {
    let err = load_lines(lines).unwrap_err();
    match &err {
        CalendarError::Row { line: got, .. } => assert_eq!(*got, line, "{err}"),
        other => panic!("expected a row error, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(&format!("第 {line} 行")), "{msg}");
    assert!(msg.contains("2024-edited.csv"), "{msg}");
    assert!(msg.contains(needle), "{msg}");
}

#[test]
fn invalid_rows_name_their_line() {
    let lines = lines_2024();
    // In 2024.csv line 66 is `20240305,二,0,` and line 67 `20240306,三,0,`.
    assert_eq!(lines[65].trim_end(), "20240305,二,0,");
    assert_eq!(lines[66].trim_end(), "20240306,三,0,");
    assert!(load_lines(&lines).is_ok());

    // Gap: without line 66, 20240306 moves up to line 66.
    let mut gap = lines.clone();
    gap.remove(65);
    expect_row_error(&gap, 66, "2024-03-05");

    // Duplicate: a second 20240305 on line 67.
    let mut dup = lines.clone();
    dup.insert(66, lines[65].clone());
    expect_row_error(&dup, 67, "重複");

    // Out of order: swap lines 66 and 67 → 20240306 on line 66 skips 0305.
    let mut swapped = lines.clone();
    swapped.swap(65, 66);
    expect_row_error(&swapped, 66, "2024-03-05");

    // 是否放假 not in {0, 2}.
    let mut flag = lines.clone();
    flag[65] = "20240305,二,1,".into();
    expect_row_error(&flag, 66, "是否放假");

    // Not an 8-digit date.
    let mut short = lines.clone();
    short[65] = "2024035,二,0,".into();
    expect_row_error(&short, 66, "8 位數字");

    // An impossible 8-digit date.
    let mut impossible = lines.clone();
    impossible[65] = "20240230,二,0,".into();
    expect_row_error(&impossible, 66, "不是存在的日期");

    // Weekday column contradicting the date (2024-03-05 is a Tuesday).
    let mut weekday = lines.clone();
    weekday[65] = "20240305,三,0,".into();
    expect_row_error(&weekday, 66, "星期二");

    // Year starting late: without line 2 (20240101) the first row is 20240102 on line 2.
    let mut late = lines.clone();
    late.remove(1);
    expect_row_error(&late, 2, "1 月 1 日");

    // Year ending early: without the last line (20241231, line 367) the file ends on line 366.
    let mut early = lines.clone();
    assert_eq!(early.pop().unwrap().trim_end(), "20241231,二,0,");
    expect_row_error(&early, 366, "2024-12-31");

    // No header.
    let mut no_header = lines.clone();
    no_header[0] = "date,weekday,holiday,note".into();
    expect_row_error(&no_header, 1, "西元日期");
}

#[test]
fn empty_file_is_an_error() {
    let mut cal = Calendar::new();
    for bytes in [&b""[..], "\u{feff}西元日期,星期,是否放假,備註\r\n".as_bytes()] {
        let err = cal.load_csv(bytes, "empty.csv").unwrap_err();
        assert!(matches!(err, CalendarError::File { .. }), "{err:?}");
        assert!(err.to_string().contains("empty.csv"));
    }
}

#[test]
fn failed_load_leaves_the_calendar_unchanged() {
    let mut cal = Calendar::embedded();
    let mut lines = lines_2024();
    lines[48] = "20240217,六,2,".into(); // make-up Saturday (line 49) turned off …
    lines[65] = "20240305,二,9,".into(); // … but the file is invalid further down.
    let err = cal.load_csv(lines.join("\n").as_bytes(), "bad.csv").unwrap_err();
    assert!(matches!(err, CalendarError::Row { line: 66, .. }), "{err:?}");
    assert!(cal.is_working_day(date(2024, 2, 17)).unwrap());
    assert_eq!(cal.year_source(2024).unwrap().name, "2024.csv");
}

// ---------------------------------------------------------------------------------------
// Output

#[test]
fn deadlines_serialize_as_snake_case_iso_dates() {
    let cal = Calendar::embedded();
    let d = cal.deadlines(date(2024, 4, 29), &DeadlineRules::default()).unwrap();
    assert_eq!(
        serde_json::to_value(d).unwrap(),
        serde_json::json!({
            "meeting_date": "2024-04-29",
            "materials_due": "2024-04-22",
            "draft_minutes_due": "2024-05-13",
            "publication_due": "2024-05-17",
            "provisional": {
                "meeting_date": false,
                "materials_due": false,
                "draft_minutes_due": false,
                "publication_due": false,
            },
            "provisional_years": [],
        })
    );
}

#[test]
fn deadline_rules_deserialize_with_defaults() {
    let r: DeadlineRules = serde_json::from_str(r#"{"draft_minutes_days": 8}"#).unwrap();
    assert_eq!(r, rules(5, 8, 14));
}

#[test]
fn human_table_shows_roc_and_gregorian_dates() {
    let cal = Calendar::embedded();
    let d = cal.deadlines(date(2024, 4, 29), &rules(5, 8, 14)).unwrap();
    let out = format_deadlines_human(&d);
    let line_with = |needle: &str| {
        out.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{out}"))
            .to_string()
    };
    let meeting = line_with("會議日期");
    assert!(meeting.contains("113 年 4 月 29 日（星期一）"), "{out}");
    assert!(meeting.contains("2024-04-29（一）"), "{out}");
    let materials = line_with("會議資料");
    assert!(materials.contains("會前第 5 個工作日"), "{out}");
    assert!(materials.contains("113 年 4 月 22 日（星期一）"), "{out}");
    assert!(materials.contains("2024-04-22"), "{out}");
    let draft = line_with("紀錄草稿");
    assert!(draft.contains("會後第 8 個工作日"), "{out}");
    assert!(draft.contains("113 年 5 月 9 日（星期四）"), "{out}");
    assert!(draft.contains("2024-05-09（四）"), "{out}");
    let publication = line_with("開放");
    assert!(publication.contains("會後第 14 個工作日"), "{out}");
    assert!(publication.contains("113 年 5 月 17 日（星期五）"), "{out}");
    // Columns line up: the Gregorian dates start at the same display column on every row.
    let col = |l: &str| {
        let i = l.find("2024-").unwrap();
        l[..i].chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>()
    };
    assert_eq!(col(&meeting), col(&materials));
    assert_eq!(col(&meeting), col(&draft));
    assert_eq!(col(&meeting), col(&publication));
}

// ---------------------------------------------------------------------------------------
// Date parsing and formatting

#[test]
fn parse_date_accepts_each_form() {
    let expected = Some(date(2024, 4, 29));
    for s in [
        "2024-04-29",
        "20240429",
        "2024/4/29",
        "2024/04/29",
        "2024.4.29",
        "113-04-29",
        "113/4/29",
        "113.4.29",
        "1130429",
        "113年4月29日",
        "民國113年4月29日",
        "113 年 4 月 29 日",
        "113 年 4 月 29 日（星期一）",
        "2024年4月29日",
        "１１３年４月２９日",
        "  113/04/29  ",
    ] {
        assert_eq!(parse_date(s), expected, "{s:?}");
    }
    // ROC year 1 is 1912.
    assert_eq!(parse_date("1-01-01"), Some(date(1912, 1, 1)));
    assert_eq!(parse_date("民國1年1月1日"), Some(date(1912, 1, 1)));
    // Leap days: ROC 113 = 2024 is a leap year, 112 = 2023 is not.
    assert_eq!(parse_date("113-02-29"), Some(date(2024, 2, 29)));
    assert_eq!(parse_date("112-02-29"), None);
}

#[test]
fn parse_date_rejects_invalid() {
    for s in [
        "113-02-30",
        "2024-13-01",
        "0-01-01",
        "-1-01-01",
        "民國0年1月1日",
        "113-4-31",
        "2024-04-29-01",
        "2024-04/29",
        "2024-04",
        "202404290",
        "113年4月",
        "",
        "明天",
        "113 年 4 月 29 日（星期二）", // weekday contradicts the date
        "20240229x",
    ] {
        assert_eq!(parse_date(s), None, "{s:?}");
    }
}

#[test]
fn roc_date_and_weekday() {
    assert_eq!(roc_date(date(2024, 4, 29)), "113 年 4 月 29 日（星期一）");
    assert_eq!(roc_date(date(2026, 5, 1)), "115 年 5 月 1 日（星期五）");
    assert_eq!(roc_date(date(1912, 1, 1)), "1 年 1 月 1 日（星期一）");
    assert_eq!(weekday_zh(date(2024, 4, 28)), "日");
    assert_eq!(weekday_zh(date(2024, 2, 17)), "六");
    assert_eq!(weekday_zh(date(2024, 4, 29)), "一");
}

// ---------------------------------------------------------------------------------------
// Property tests against an independent count over the CSV rows

/// All working days ("YYYYMMDD", ascending) of the files 2017.csv … 2026.csv, with
/// `file_2025` for 2025, read with nothing but string splitting.
fn working_days_from_files(file_2025: &str) -> Vec<String> {
    let mut out = Vec::new();
    for year in 2017..=2026 {
        let name = if year == 2025 { file_2025.to_string() } else { format!("{year}.csv") };
        let text = String::from_utf8(read_data(&name)).unwrap();
        for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
            let cols: Vec<&str> = line.trim_end().split(',').collect();
            if cols.len() >= 3 && cols[2] == "0" {
                out.push(cols[0].to_string());
            }
        }
    }
    assert!(out.windows(2).all(|w| w[0] < w[1]));
    out
}

/// `None` when the count runs past 2017–2026.
fn expected_by_count(working: &[String], meeting: NaiveDate, r: &DeadlineRules) -> Option<[String; 3]> {
    let key = meeting.format("%Y%m%d").to_string();
    let before = working.partition_point(|w| *w < key); // working days strictly before
    let after = working.partition_point(|w| *w <= key); // index of the first one after
    let materials = before.checked_sub(r.materials_days as usize)?;
    let get = |i: usize| working.get(i).cloned();
    Some([
        get(materials)?,
        get(after + r.draft_minutes_days as usize - 1)?,
        get(after + r.publication_days as usize - 1)?,
    ])
}

fn check_against_count(cal: &Calendar, working: &[String], meeting: NaiveDate, r: DeadlineRules) {
    let got = cal.deadlines(meeting, &r);
    match expected_by_count(working, meeting, &r) {
        Some([m, d, p]) => {
            let got = got.unwrap_or_else(|e| panic!("{meeting}: {e}"));
            let fmt = |d: NaiveDate| d.format("%Y%m%d").to_string();
            assert_eq!(fmt(got.materials_due), m, "materials for {meeting} {r:?}");
            assert_eq!(fmt(got.draft_minutes_due), d, "draft for {meeting} {r:?}");
            assert_eq!(fmt(got.publication_due), p, "publication for {meeting} {r:?}");
        }
        None => assert!(
            matches!(got, Err(CalendarError::MissingYear { .. })),
            "{meeting}: expected a missing-year error, got {got:?}"
        ),
    }
}

fn meeting_dates() -> impl Strategy<Value = NaiveDate> {
    let start = date(2017, 2, 1);
    let span = (date(2026, 11, 30) - start).num_days() as u64;
    (0..=span).prop_map(move |offset| start.checked_add_days(Days::new(offset)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn default_deadlines_equal_a_direct_count(meeting in meeting_dates()) {
        thread_local! {
            static DATA: (Calendar, Vec<String>) =
                (Calendar::embedded(), working_days_from_files("2025.csv"));
        }
        DATA.with(|(cal, working)| {
            check_against_count(cal, working, meeting, DeadlineRules::default());
        });
    }

    #[test]
    fn configured_deadlines_equal_a_direct_count(
        meeting in meeting_dates(),
        m in 1u32..=15,
        d in 1u32..=15,
        p in 1u32..=15,
    ) {
        thread_local! {
            static DATA: (Calendar, Vec<String>) =
                (Calendar::embedded(), working_days_from_files("2025.csv"));
        }
        DATA.with(|(cal, working)| check_against_count(cal, working, meeting, rules(m, d, p)));
    }

    #[test]
    fn first_edition_deadlines_equal_a_direct_count(
        offset in 0u64..365,
        d in 1u32..=12,
    ) {
        thread_local! {
            static DATA: (Calendar, Vec<String>) =
                (first_edition(), working_days_from_files("2025-first-edition.csv"));
        }
        let meeting = date(2025, 1, 1).checked_add_days(Days::new(offset)).unwrap();
        DATA.with(|(cal, working)| check_against_count(cal, working, meeting, rules(5, d, 14)));
    }

    #[test]
    fn roc_date_round_trips_through_parse_date(offset in 0u64..(365 * 120)) {
        let d = date(1912, 1, 1).checked_add_days(Days::new(offset)).unwrap();
        prop_assert_eq!(parse_date(&roc_date(d)), Some(d));
        let roc = d.year() - 1911;
        prop_assert_eq!(parse_date(&format!("{roc}/{}/{}", d.month(), d.day())), Some(d));
        prop_assert_eq!(parse_date(&format!("民國{roc}年{}月{}日", d.month(), d.day())), Some(d));
        prop_assert_eq!(parse_date(&d.format("%Y%m%d").to_string()), Some(d));
        prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Some(d));
    }
}
