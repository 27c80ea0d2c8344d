//! The broken-input catalogue: every way a meeting can be wrong, the exact line `packet`
//! must print for it (`file:line:col: field: 訊息`, or `file: field: 訊息` where there is no
//! position) and exit status 2. One test runs every case and reports every mismatch at once.
//!
//! Each case starts from a temporary copy of `packets/dgbas` whose `group.toml` and
//! `113-1/meeting.toml` are replaced by the fixed baselines below (so that line numbers in
//! the expectations do not move when the example packet is edited), then breaks one thing.
//! `BROKEN_INPUTS_PRINT=1 cargo test --test integration broken_inputs -- --nocapture` prints what every
//! case actually printed.

use crate::common::*;
use std::path::{Path, PathBuf};

// Hostile input, round two: one file per kind of attack (see each file's header).
mod cycle;
mod files;
mod limits;
mod text;
mod words;

/// The head of `packets/dgbas/group.toml`; [`base_group`] adds the members.
const BASE_HEAD: &str = r#"agency = "行政院主計總處"
name = "政府資料開放諮詢小組"
unit = "主計資訊處"

[contact]
name = "李○○"
phone = "(02)2380-0000"
"#;

/// The civil members' term.
const TERM: (&str, &str) = ("2024-04-01", "2026-03-31");

/// The members of `packets/dgbas/group.toml` (13: the convener, 7 government, 5 civil),
/// each `[[member]]` table after a blank line: the head is lines 1–7, the convener's table
/// lines 9–16, each other government member's table 7 lines and each civil member's 9 (so
/// the first civil member's `kind` is line 79).
fn base_group() -> String {
    let gov = |id, name, title, gender| Member::gov(id, name, title, "行政院主計總處", gender);
    let civil = |id, name, title, org, gender| Member::civil(id, name, title, org, gender, TERM);
    group_file(
        BASE_HEAD,
        &[
            gov("chen", "陳○○", "主計總處資訊長", "男").convener(),
            gov("lin", "林○○", "綜合規劃處處長", "女"),
            gov("huang", "黃○○", "公務預算處副處長", "男"),
            gov("chang", "張○○", "會計決算處處長", "女"),
            gov("wu", "吳○○", "綜合統計處處長", "男"),
            gov("tsai", "蔡○○", "國勢普查處副處長", "女"),
            gov("yang", "楊○○", "主計資訊處處長", "男"),
            gov("hsu", "許○○", "秘書室主任", "男"),
            civil("cheng", "鄭○○", "資訊管理學系教授", "國立臺灣大學", "女"),
            civil("kuo", "郭○○", "統計學系教授", "國立政治大學", "男"),
            civil("hsieh", "謝○○", "會計學系副教授", "國立臺北大學", "女"),
            civil("lai", "賴○○", "秘書長", "中華民國資訊軟體協會", "男"),
            civil("chou", "周○○", "執行長", "開放文化基金會", "女"),
        ],
    )
}

/// A shortened 113-1 that builds (agenda and minutes); line numbers are quoted below.
pub(crate) const BASE_MEETING: &str = r#"# 基準會議：每個案例只改動一處。
number = 1
date = 2024-04-29
time = "14:30"
place = "行政院第 9 會議室"
chair = "chen"

[[report]]
unit = "主計資訊處"
title = "本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。"
explanation = "1. 簡要說明運作依據。\n2. 檢附設置要點如附件。"
decision = "洽悉。"

[[report.opinion]]
member = "cheng"
text = "建議會議資料至遲於會前 5 個工作日寄送。"

[[report.attachment]]
label = "附件"
title = "政府資料開放諮詢小組設置要點"
file = "attachments/02-regulation.md"

[[discussion]]
unit = "地方統計推展中心"
title = "本總處開放資料集下架一案，提請討論。"
explanation = "1. 擬下架24項資料集（如附件）。\n2. 以上所擬是否妥適，提請討論。"
decision = "照案通過。"

[[discussion.attachment]]
label = "附件"
title = "下架資料集項目清單"
file = "attachments/21-delisting.csv"
header_rows = 1
merge = ["C2:C25", "D2:D25"]
align = ["center", "left", "center", "left"]

[minutes]
end = "16:10"
recorder = "李○○"

[minutes.attendance]
present = ["chen", "lin", "chang", "tsai", "yang", "cheng", "kuo", "hsieh", "chou"]
leave = ["lai", "hsu"]

[minutes.attendance.delegate]
huang = "李○○"
wu = "何○○"
"#;

/// The baseline with a tracking item for 112-2's decisions (112-2-R1, R2, D1, D2).
pub(crate) fn tracking_meeting(progress: &str) -> String {
    BASE_MEETING.replacen(
        "[[discussion]]\n",
        &format!(
            "[[report]]\nunit = \"主計資訊處\"\ntitle = \"上次會議決定（議）事項辦理情形，報請鑒察。\"\ndecision = \"洽悉。\"\ntrack = true\n{progress}\n[[discussion]]\n"
        ),
        1,
    )
}

pub(crate) const MEETING: &str = "113-1/meeting.toml";
pub(crate) const GROUP: &str = "group.toml";
pub(crate) const BUILD: &[&str] = &["build", "dgbas/113-1", "-q"];
pub(crate) const MINUTES: &[&str] = &["minutes", "dgbas/113-1", "-q"];

pub(crate) struct Case {
    name: &'static str,
    /// Break the copy: the argument is the series directory (`…/dgbas`).
    setup: Box<dyn Fn(&Path) + Send + Sync>,
    args: &'static [&'static str],
    /// One line of stderr, exactly. `{series}` stands for the series directory's real
    /// (canonical) path.
    expect: &'static str,
}

pub(crate) fn case(
    name: &'static str,
    args: &'static [&'static str],
    expect: &'static str,
    setup: impl Fn(&Path) + Send + Sync + 'static,
) -> Case {
    Case { name, setup: Box::new(setup), args, expect }
}

/// Point the report's attachment at `file` (written with `bytes` when given).
pub(crate) fn attach(series: &Path, file: &str, bytes: Option<&[u8]>) {
    if let Some(b) = bytes {
        write_file(series, &format!("113-1/{file}"), b);
    }
    edit_file(
        series,
        MEETING,
        "file = \"attachments/02-regulation.md\"",
        &format!("file = {}", toml::Value::String(file.into())),
    );
}

/// A minimal valid one-page PDF (with a correct cross-reference table).
pub(crate) fn one_page_pdf() -> Vec<u8> {
    pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".into(),
    ])
}

/// Every case: round one below, round two in the submodules.
fn catalogue() -> Vec<Case> {
    let mut all = round_one();
    all.extend(cycle::cases());
    all.extend(files::cases());
    all.extend(limits::cases());
    all.extend(text::cases());
    all
}

fn round_one() -> Vec<Case> {
    vec![
        // ── TOML syntax and types ─────────────────────────────────────────────
        case(
            "invalid TOML (unterminated string)",
            BUILD,
            "dgbas/113-1/meeting.toml:5:20: 會議資料檔第 5 行：引號未結束（文字須在同一行以引號結尾；多行文字請用三個引號 \"\"\"）。該行：place = \"行政院第 9 會議室",
            |s| edit_file(s, MEETING, "place = \"行政院第 9 會議室\"", "place = \"行政院第 9 會議室"),
        ),
        case(
            "duplicate TOML key",
            BUILD,
            "dgbas/113-1/meeting.toml:7:1: place: 重複的鍵「place」：同一欄位只能寫一次",
            |s| edit_file(s, MEETING, "chair = \"chen\"\n", "chair = \"chen\"\nplace = \"別處\"\n"),
        ),
        case(
            "wrong type: number is a string",
            BUILD,
            "dgbas/113-1/meeting.toml:2:10: number: 須為 0 以上的整數，寫的是 文字 \"第一次\"",
            |s| edit_file(s, MEETING, "number = 1", "number = \"第一次\""),
        ),
        case(
            "wrong type: merge is a string, not a list",
            BUILD,
            "dgbas/113-1/meeting.toml:34:9: discussion[0].attachment[0].merge: 須為清單（如 [\"甲\", \"乙\"]），寫的是 文字 \"C2:C25\"",
            |s| edit_file(s, MEETING, "merge = [\"C2:C25\", \"D2:D25\"]", "merge = \"C2:C25\""),
        ),
        case(
            "wrong type: negative header_rows",
            BUILD,
            "dgbas/113-1/meeting.toml:33:15: discussion[0].attachment[0].header_rows: 須為 0 以上的整數，寫的是 -1",
            |s| edit_file(s, MEETING, "header_rows = 1", "header_rows = -1"),
        ),
        case(
            "wrong type in group.toml: gender is a number",
            BUILD,
            "dgbas/group.toml:15:10: member[0].gender: 型別錯誤：應為文字",
            |s| edit_file(s, GROUP, "gender = \"男\"\nrole", "gender = 1\nrole"),
        ),
        case(
            "unknown key at the top",
            BUILD,
            "dgbas/113-1/meeting.toml:5:1: plase: 未知的欄位「plase」；可用的欄位：year, number, term, date, time, place, chair, report, discussion, minutes, dates, notice, corrections",
            |s| edit_file(s, MEETING, "place =", "plase ="),
        ),
        case(
            "unknown key in an attachment",
            BUILD,
            "dgbas/113-1/meeting.toml:31:1: discussion[0].attachment[0].titel: 未知的欄位「titel」；可用的欄位：label, title, file, style, subtitle, header_rows, merge, notes, align, widths, sheet, range",
            |s| edit_file(s, MEETING, "title = \"下架資料集項目清單\"", "titel = \"下架資料集項目清單\""),
        ),
        case(
            "unknown key in group.toml",
            BUILD,
            "dgbas/group.toml:7:1: contact.fone: 未知的欄位「fone」；可用的欄位：name, phone, email",
            |s| edit_file(s, GROUP, "phone =", "fone ="),
        ),
        case("missing required field: place", BUILD, "dgbas/113-1/meeting.toml:1:1: place: 缺少必要欄位", |s| {
            edit_file(s, MEETING, "place = \"行政院第 9 會議室\"\n", "")
        }),
        case(
            "missing required field: report title",
            BUILD,
            "dgbas/113-1/meeting.toml:8:1: report[0].title: 缺少必要欄位",
            |s| edit_file(s, MEETING, "title = \"本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。\"\n", ""),
        ),
        case(
            "missing required field: member name",
            BUILD,
            "dgbas/group.toml:9:1: member[0].name: 缺少必要欄位",
            |s| edit_file(s, GROUP, "name = \"陳○○\"\n", ""),
        ),
        case(
            "unknown enum value: kind",
            BUILD,
            "dgbas/group.toml:79:8: member[8].kind: 不接受的值「民間」；可用的值：機關代表, 民間代表",
            |s| {
                edit_file(
                    s,
                    GROUP,
                    "kind = \"民間代表\"\ngender = \"女\"\nterm_start = 2024-04-01\nterm_end = 2026-03-31\n\n[[member]]\nid = \"kuo\"",
                    "kind = \"民間\"\ngender = \"女\"\nterm_start = 2024-04-01\nterm_end = 2026-03-31\n\n[[member]]\nid = \"kuo\"",
                )
            },
        ),
        // ── Dates, times, numbers ─────────────────────────────────────────────
        case(
            "impossible date 113-02-30",
            BUILD,
            "dgbas/113-1/meeting.toml:3:8: date: 無效的日期「113-02-30」，請寫成 2024-04-29 或 113-04-29",
            |s| edit_file(s, MEETING, "date = 2024-04-29", "date = \"113-02-30\""),
        ),
        case(
            "impossible date 2024-13-01 (string)",
            BUILD,
            "dgbas/113-1/meeting.toml:3:8: date: 無效的日期「2024-13-01」，請寫成 2024-04-29 或 113-04-29",
            |s| edit_file(s, MEETING, "date = 2024-04-29", "date = \"2024-13-01\""),
        ),
        case(
            "impossible date 2024-13-01 (TOML date)",
            BUILD,
            "dgbas/113-1/meeting.toml:3:8: 會議資料檔第 3 行：日期或時間的寫法有誤（如 2024-04-29、14:30；月 01–12、日依當月天數）。該行：date = 2024-13-01",
            |s| edit_file(s, MEETING, "date = 2024-04-29", "date = 2024-13-01"),
        ),
        case(
            "time 25:00",
            BUILD,
            "dgbas/113-1/meeting.toml:4:8: time: 無效的時間「25:00」，請寫成 24 小時制 14:30",
            |s| edit_file(s, MEETING, "time = \"14:30\"", "time = \"25:00\""),
        ),
        case(
            "end time 24:00 in the minutes",
            MINUTES,
            "dgbas/113-1/meeting.toml:38:7: minutes.end: 無效的時間「24:00」，請寫成 24 小時制 14:30",
            |s| edit_file(s, MEETING, "end = \"16:10\"", "end = \"24:00\""),
        ),
        case(
            "ROC year 0",
            BUILD,
            "dgbas/113-1/meeting.toml:3:8: date: 無效的日期「0-01-01」：民國年須從 1 年起算",
            |s| edit_file(s, MEETING, "date = 2024-04-29", "date = \"0-01-01\""),
        ),
        case(
            "negative ROC year",
            BUILD,
            "dgbas/113-1/meeting.toml:3:8: date: 無效的日期「-1-01-01」：民國年須從 1 年起算",
            |s| edit_file(s, MEETING, "date = 2024-04-29", "date = \"-1-01-01\""),
        ),
        case("meeting number 0", BUILD, "dgbas/113-1/meeting.toml:2:10: number: 會議次數須從 1 起算", |s| {
            edit_file(s, MEETING, "number = 1", "number = 0")
        }),
        case(
            "year does not match the date",
            BUILD,
            "dgbas/113-1/meeting.toml:2:8: year: 會議年度寫為民國 112 年，但會議日期是民國 113 年",
            |s| edit_file(s, MEETING, "number = 1", "year = 112\nnumber = 1"),
        ),
        case(
            "term ends before it starts",
            BUILD,
            "dgbas/group.toml:82:12: member[8].term_end: 聘期迄日早於起日",
            |s| {
                edit_file(
                    s,
                    GROUP,
                    "term_start = 2024-04-01\nterm_end = 2026-03-31\n\n[[member]]\nid = \"kuo\"",
                    "term_start = 2024-04-01\nterm_end = 2023-03-31\n\n[[member]]\nid = \"kuo\"",
                )
            },
        ),
        // ── Ids and references ────────────────────────────────────────────────
        case(
            "duplicate member id",
            BUILD,
            "dgbas/group.toml:19:6: member[1].id: 委員代號「chen」重複：陳○○也用此代號（第 1 位委員）；請將其中一位改為另一個代號，或刪除重複的一筆",
            |s| edit_file(s, GROUP, "id = \"lin\"", "id = \"chen\""),
        ),
        case(
            "member id that is not ASCII",
            BUILD,
            "dgbas/group.toml:19:6: member[1].id: 委員代號只能用小寫英文字母、數字、- 或 _",
            |s| edit_file(s, GROUP, "id = \"lin\"", "id = \"林\""),
        ),
        case(
            "chair not in group.toml",
            BUILD,
            "dgbas/113-1/meeting.toml:6:9: chair: 主席「chan」不在委員名冊中",
            |s| edit_file(s, MEETING, "chair = \"chen\"", "chair = \"chan\""),
        ),
        case(
            "attendance id not in group.toml",
            BUILD,
            "dgbas/113-1/meeting.toml:42:20: minutes.attendance.present[1]: 委員代號「lim」不在委員名冊中（是否為 lai、lin？）",
            |s| edit_file(s, MEETING, "present = [\"chen\", \"lin\"", "present = [\"chen\", \"lim\""),
        ),
        case(
            "member both present and on leave",
            BUILD,
            "dgbas/113-1/meeting.toml:43:24: minutes.attendance.leave[2]: 委員「lin」在出席紀錄中重複出現",
            |s| edit_file(s, MEETING, "leave = [\"lai\", \"hsu\"]", "leave = [\"lai\", \"hsu\", \"lin\"]"),
        ),
        case(
            "civil member represented by a delegate",
            MINUTES,
            "dgbas/113-1/meeting.toml:48:8: minutes.attendance.delegate.chou: 周○○委員為民間代表，應親自出席，不得由「王○○」代理（設置要點第七點：僅代表政府機關出任之委員得指派代表出席）",
            |s| {
                edit_file(s, MEETING, ", \"chou\"]", "]");
                edit_file(s, MEETING, "wu = \"何○○\"", "wu = \"何○○\"\nchou = \"王○○\"");
            },
        ),
        case(
            "opinion by an unknown member",
            MINUTES,
            "dgbas/113-1/meeting.toml:15:10: report[0].opinion[0].member: 委員代號「zheng」不在委員名冊中（是否為 chang、chen、cheng？）",
            |s| edit_file(s, MEETING, "member = \"cheng\"", "member = \"zheng\""),
        ),
        case(
            "opinion with both member and unit",
            MINUTES,
            "dgbas/113-1/meeting.toml:14:1: report[0].opinion[0]: 報告事項第一案第 1 則意見同時選了委員又填了發言單位：請擇一",
            |s| edit_file(s, MEETING, "member = \"cheng\"", "member = \"cheng\"\nunit = \"主計資訊處\""),
        ),
        case(
            "unknown progress id",
            BUILD,
            "dgbas/113-1/meeting.toml:30:6: report[1].progress[0].id: 決定編號「112-2-D9」不在本次會議的列管清單中（最接近的列管決定：112-2-D1、112-2-D2、112-2-R1）",
            |s| {
                write_file(
                    s,
                    MEETING,
                    tracking_meeting("\n[[report.progress]]\nid = \"112-2-D9\"\nstatus = \"已辦理。\"\n"),
                )
            },
        ),
        // There are no item ids in meeting.toml (items are numbered by position); the ids
        // that can repeat are decision ids in 辦理情形 entries.
        case(
            "duplicate progress id (the item-level id that can repeat)",
            BUILD,
            "dgbas/113-1/meeting.toml:34:6: report[1].progress[1].id: 決定編號「112-2-D1」的辦理情形重複（已寫於 report[1].progress[0].id）",
            |s| {
                write_file(
                    s,
                    MEETING,
                    tracking_meeting(
                        "\n[[report.progress]]\nid = \"112-2-D1\"\nstatus = \"已辦理。\"\n\n[[report.progress]]\nid = \"112-2-D1\"\nstatus = \"另一說法。\"\n",
                    ),
                )
            },
        ),
        case(
            "a hand-typed row naming a decision of the series that is not open",
            BUILD,
            "dgbas/113-1/meeting.toml:30:6: report[1].tracking[0].id: 決定編號「112-2-D9」不在本次會議的列管清單中（最接近的列管決定：112-2-D1、112-2-D2、112-2-R1）",
            |s| {
                write_file(
                    s,
                    MEETING,
                    tracking_meeting(
                        "\n[[report.tracking]]\nid = \"112-2-D9\"\nfrom = \"報告事項\"\ntitle = \"x\"\ndecision = \"y\"\n",
                    ),
                )
            },
        ),
        // ── Items and text ────────────────────────────────────────────────────
        case(
            "meeting with no items",
            BUILD,
            "dgbas/113-1/meeting.toml:1:1: 會議沒有任何報告事項或討論事項：請新增報告事項或討論事項",
            |s| write_file(s, MEETING, "number = 1\ndate = 2024-04-29\ntime = \"14:30\"\nplace = \"x\"\n"),
        ),
        case("empty meeting.toml", BUILD, "dgbas/113-1/meeting.toml: 檔案是空的（沒有任何欄位）", |s| {
            write_file(s, MEETING, "")
        }),
        case("blank title", BUILD, "dgbas/113-1/meeting.toml:25:9: discussion[0].title: 不能是空白", |s| {
            edit_file(s, MEETING, "title = \"本總處開放資料集下架一案，提請討論。\"", "title = \"  \"")
        }),
        case(
            "control character (escaped) in a title",
            BUILD,
            "dgbas/113-1/meeting.toml:25:9: discussion[0].title: 含有不允許的控制字元 U+001B",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "title = \"本總處開放資料集下架一案，提請討論。\"",
                    "title = \"本總處開放資料集\\u001b[31m下架一案\"",
                )
            },
        ),
        case(
            "raw control character in the file",
            BUILD,
            "dgbas/113-1/meeting.toml:5:16: 含有不允許的控制字元 U+0007（TOML 語法錯誤：invalid basic string, expected non-double-quote visible characters, `\\`）",
            |s| edit_file(s, MEETING, "place = \"行政院第 9 會議室\"", "place = \"行政院第 9\u{7}會議室\""),
        ),
        case(
            "NUL byte in the file",
            BUILD,
            "dgbas/113-1/meeting.toml:1:2: 含有不允許的控制字元 U+0000（TOML 語法錯誤：invalid comment character, expected printable characters）",
            |s| edit_file(s, MEETING, "# 基準會議", "#\u{0} 基準會議"),
        ),
        case(
            "control character in a decision (minutes)",
            MINUTES,
            "dgbas/113-1/meeting.toml:27:12: discussion[0].decision: 含有不允許的控制字元 U+0000",
            |s| edit_file(s, MEETING, "decision = \"照案通過。\"", "decision = \"照案\\u0000通過。\""),
        ),
        case(
            "10 MB single line (not TOML)",
            BUILD,
            concat!(
                "dgbas/113-1/meeting.toml:1:10485761: 會議資料檔第 1 行：欄位沒有值：應寫成 欄位 = 值。該行：",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            ),
            |s| write_file(s, MEETING, "x".repeat(10 << 20)),
        ),
        case(
            "10 MB single-line title",
            BUILD,
            "dgbas/113-1/meeting.toml:25:9: discussion[0].title: 文字過長：3495253 字，上限 100000 字（長篇內容請改為附件）",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "title = \"本總處開放資料集下架一案，提請討論。\"",
                    &format!("title = \"{}\"", "案".repeat((10 << 20) / 3)),
                )
            },
        ),
        case(
            "character that no font has (tofu)",
            BUILD,
            "dgbas/113-1/meeting.toml:25:9: discussion[0].title: 字型（TW-Kai）沒有「𥸀」(U+25E00) 的字形，會印成空白方框且無法搜尋；請將含此字的字型檔（如全字庫正楷體 Ext-B，TW-Kai-Ext-B-98_1.ttf，可自 https://data.gov.tw/dataset/5961 下載）放入系列資料夾中的「字型」資料夾，或以 --font-path 指定字型資料夾，再重新執行",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "title = \"本總處開放資料集下架一案，提請討論。\"",
                    "title = \"本總處開放資料集𥸀下架一案\"",
                )
            },
        ),
        case(
            "character that no font has, in a CSV cell",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv:3:6: discussion[0].attachment[0].file: 字型（TW-Kai）沒有「😀」(U+1F600) 的字形，會印成空白方框且無法搜尋；請將含此字的字型檔放入系列資料夾中的「字型」資料夾，或以 --font-path 指定字型資料夾，再重新執行",
            |s| edit_file(s, "113-1/attachments/21-delisting.csv", "2,水污染排放帳", "2,水污染😀排放帳"),
        ),
        case(
            "byte-order mark inside a title",
            BUILD,
            "dgbas/113-1/meeting.toml:25:9: discussion[0].title: 含有封存格式 PDF/A 不允許的字元 U+FEFF（位元組順序記號 BOM／零寬不換行空格；如需不斷行請用 U+2060）",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "title = \"本總處開放資料集下架一案，提請討論。\"",
                    "title = \"本總處開放資料集\\uFEFF下架一案\"",
                )
            },
        ),
        case(
            "private-use character (造字) in a CSV cell",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv:3:6: discussion[0].attachment[0].file: 含有封存格式 PDF/A 不允許的字元 U+E000（私人使用區字元（造字），其他系統無法辨識；請改用 Unicode 標準字）",
            |s| edit_file(s, "113-1/attachments/21-delisting.csv", "2,水污染排放帳", "2,水污染\u{E000}排放帳"),
        ),
        case(
            "image in a text field",
            BUILD,
            "dgbas/113-1/meeting.toml:11:15: report[0].explanation: 此欄位不能放圖片「/etc/passwd」：圖片請放在附件的 Markdown 檔",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "explanation = \"1. 簡要說明運作依據。",
                    "explanation = \"![圖](/etc/passwd) 1. 簡要說明運作依據。",
                )
            },
        ),
        case(
            "meeting.toml in Big5",
            BUILD,
            "dgbas/113-1/meeting.toml:1:3: 檔案是 Big5 編碼；請另存為 UTF-8",
            |s| write_file(s, MEETING, encoding_rs::BIG5.encode(BASE_MEETING).0),
        ),
        case(
            "meeting.toml in UTF-16",
            BUILD,
            "dgbas/113-1/meeting.toml: 檔案是 UTF-16 編碼；請另存為 UTF-8",
            |s| {
                let mut b = vec![0xFF, 0xFE];
                b.extend(BASE_MEETING.encode_utf16().flat_map(u16::to_le_bytes));
                write_file(s, MEETING, b)
            },
        ),
        case(
            "no group.toml",
            BUILD,
            "dgbas/group.toml: 找不到小組設定檔 group.toml（應放在會議目錄的上一層）",
            |s| std::fs::remove_file(s.join(GROUP)).unwrap(),
        ),
        // ── CSV attachments ───────────────────────────────────────────────────
        case(
            "CSV in Big5",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv: discussion[0].attachment[0].file: 檔案是 Big5 編碼；請在試算表軟體另存為「CSV UTF-8」",
            |s| {
                let p = s.join("113-1/attachments/21-delisting.csv");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, encoding_rs::BIG5.encode(&text).0).unwrap();
            },
        ),
        case(
            "CSV in UTF-16",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv: discussion[0].attachment[0].file: 檔案是 UTF-16 編碼；請在試算表軟體另存為「CSV UTF-8」",
            |s| {
                let p = s.join("113-1/attachments/21-delisting.csv");
                let text = std::fs::read_to_string(&p).unwrap();
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                std::fs::write(&p, b).unwrap();
            },
        ),
        case(
            "ragged CSV row",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv:5:1: discussion[0].attachment[0].file: 這一列有 2 欄，但第一列有 4 欄（每列欄數須相同）",
            |s| edit_file(s, "113-1/attachments/21-delisting.csv", "4,農業廢棄物排放帳,,\n", "4,農業廢棄物排放帳\n"),
        ),
        case(
            "empty CSV",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv: discussion[0].attachment[0].file: CSV 檔案是空的",
            |s| write_file(s, "113-1/attachments/21-delisting.csv", ""),
        ),
        case(
            "control character in a CSV cell",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv:3:6: discussion[0].attachment[0].file: 含有不允許的控制字元 U+001B",
            |s| edit_file(s, "113-1/attachments/21-delisting.csv", "2,水污染排放帳", "2,水污染\u{1b}排放帳"),
        ),
        case(
            "CSV with an unterminated quote",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv:3:1: discussion[0].attachment[0].file: 這一列有 2 欄，但第一列有 4 欄；欄位內含換行，可能是引號「\"」未成對",
            |s| edit_file(s, "113-1/attachments/21-delisting.csv", "2,水污染排放帳", "2,\"水污染排放帳"),
        ),
        case(
            "more header rows than the CSV has",
            BUILD,
            "dgbas/113-1/meeting.toml:33:15: discussion[0].attachment[0].header_rows: 標題列數 99 超過 CSV 的列數 25",
            |s| edit_file(s, MEETING, "header_rows = 1", "header_rows = 99"),
        ),
        case(
            "unreadable merge range",
            BUILD,
            "dgbas/113-1/meeting.toml:34:20: discussion[0].attachment[0].merge[1]: 無法解讀合併範圍「D2-D25」，請寫成 C1:G1",
            |s| edit_file(s, MEETING, "\"D2:D25\"", "\"D2-D25\""),
        ),
        case(
            "merge over non-empty cells",
            BUILD,
            "dgbas/113-1/meeting.toml:34:10: discussion[0].attachment[0].merge[0]: 合併範圍 B2:C25 內的儲存格 C2 不是空的（「已不再公告」），合併會遺失資料",
            |s| edit_file(s, MEETING, "\"C2:C25\"", "\"B2:C25\""),
        ),
        case(
            "align has the wrong number of columns",
            BUILD,
            "dgbas/113-1/meeting.toml:35:9: discussion[0].attachment[0].align: 有 2 個值，但表格有 4 欄",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "align = [\"center\", \"left\", \"center\", \"left\"]",
                    "align = [\"center\", \"left\"]",
                )
            },
        ),
        // ── Other attachments ─────────────────────────────────────────────────
        case(
            "missing attachment",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 找不到附件檔案「attachments/02-regulaton.md」（dgbas/113-1/attachments/02-regulaton.md）",
            |s| attach(s, "attachments/02-regulaton.md", None),
        ),
        case(
            "attachment is a directory",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments」不是檔案",
            |s| attach(s, "attachments", None),
        ),
        case(
            "unsupported attachment type",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 不支援的附件類型「.pages」：請用 .md、.txt、.csv、.xlsx、.ods、圖片（.png .jpg .svg）、.pdf，或 Word／ODF 文件（.docx .doc .odt .rtf .pptx .odp，需安裝 LibreOffice）",
            |s| attach(s, "attachments/x.pages", Some(b"PK\x03\x04")),
        ),
        case(
            "Markdown attachment not in UTF-8",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/big5.md」是 Big5 編碼；請另存為 UTF-8",
            |s| attach(s, "attachments/big5.md", Some(&encoding_rs::BIG5.encode("設置要點").0)),
        ),
        case(
            "image in Markdown outside the series",
            BUILD,
            "dgbas/113-1/attachments/img.md:1:1: report[0].attachment[0].file: 圖片「../../../etc/passwd.png」在系列目錄之外",
            |s| attach(s, "attachments/img.md", Some(b"![x](../../../etc/passwd.png)\n")),
        ),
        case(
            "image in Markdown that is a symlink leading outside",
            BUILD,
            "dgbas/113-1/attachments/img.md:3:1: report[0].attachment[0].file: 圖片「chart.png」連結到系列目錄之外",
            |s| {
                std::os::unix::fs::symlink("/etc/passwd", s.join("113-1/attachments/chart.png")).unwrap();
                attach(s, "attachments/img.md", Some(b"# x\n\n![chart](chart.png)\n"));
            },
        ),
        case(
            "image in Markdown that is not an image",
            BUILD,
            "dgbas/113-1/attachments/img.md:3:1: report[0].attachment[0].file: 圖片「chart.png」不是可辨識的圖片",
            |s| {
                write_file(s, "113-1/attachments/chart.png", "not a png");
                attach(s, "attachments/img.md", Some(b"# x\n\n![chart](chart.png)\n"));
            },
        ),
        case(
            "SVG that is not valid",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/chart.svg」不是有效的 SVG 圖片",
            |s| attach(s, "attachments/chart.svg", Some(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>")),
        ),
        case(
            "widths that squeeze a column to nothing",
            BUILD,
            "dgbas/113-1/meeting.toml:35:18: discussion[0].attachment[0].widths[1]: 此欄只占表寬 0.0%：每欄至少 3%（約一個字寬）",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "align = [\"center\", \"left\", \"center\", \"left\"]",
                    "widths = [1e308, 2, 1, 1]",
                )
            },
        ),
        case(
            "widths with a negative value",
            BUILD,
            "dgbas/113-1/meeting.toml:35:14: discussion[0].attachment[0].widths[1]: 欄寬須為正數",
            |s| edit_file(s, MEETING, "align = [\"center\", \"left\", \"center\", \"left\"]", "widths = [1, -2, 1, 1]"),
        ),
        case(
            "date with a time of day",
            BUILD,
            "dgbas/113-1/meeting.toml:3:8: date: 無效的日期「2024-04-29T14:30:00」，請寫成 2024-04-29 或 113-04-29",
            |s| edit_file(s, MEETING, "date = 2024-04-29", "date = 2024-04-29T14:30:00"),
        ),
        case(
            "non-PDF given as a PDF",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/report.pdf」不是 PDF 檔",
            |s| attach(s, "attachments/report.pdf", Some("這不是 PDF".as_bytes())),
        ),
        case(
            "damaged PDF",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/broken.pdf」已損毀，無法讀取",
            |s| attach(s, "attachments/broken.pdf", Some(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")),
        ),
        case(
            "PDF with a password",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/secret.pdf」有密碼保護或已加密；請先移除密碼再附加",
            |s| {
                let plain = s.join("113-1/attachments/plain.pdf");
                std::fs::write(&plain, one_page_pdf()).unwrap();
                let target = s.join("113-1/attachments/secret.pdf");
                let o = std::process::Command::new("qpdf")
                    .args(["--encrypt", "user", "owner", "256", "--"])
                    .arg(&plain)
                    .arg(&target)
                    .output()
                    .expect("qpdf is needed for this test (apt-get install qpdf)");
                assert!(o.status.success(), "qpdf --encrypt: {}", String::from_utf8_lossy(&o.stderr));
                attach(s, "attachments/secret.pdf", None);
            },
        ),
        case(
            "image that is not an image",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/photo.png」不是可辨識的圖片",
            |s| attach(s, "attachments/photo.png", Some(b"GIF? no: plain text")),
        ),
        // ── Paths leaving the series ──────────────────────────────────────────
        case(
            "attachment path with ../ leaving the series",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件路徑「../../../etc/passwd」必須是系列目錄內的相對路徑",
            |s| attach(s, "../../../etc/passwd", None),
        ),
        case(
            "absolute attachment path",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件路徑「/etc/passwd」必須是系列目錄內的相對路徑",
            |s| attach(s, "/etc/passwd", None),
        ),
        case(
            "symlink leading outside the series",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/passwd.md」連結到系列目錄之外",
            |s| {
                std::os::unix::fs::symlink("/etc/passwd", s.join("113-1/attachments/passwd.md")).unwrap();
                attach(s, "attachments/passwd.md", None);
            },
        ),
    ]
}

/// A temporary copy of `packets/dgbas` (`…/dgbas`, the series) with the baselines in
/// place of its group.toml and 113-1.
pub(crate) fn baseline() -> (tempfile::TempDir, PathBuf) {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    // Other meetings are edited by hand all the time; only 112-2 is needed (tracking).
    let _ = std::fs::remove_dir_all(series.join("113-2"));
    write_file(&series, GROUP, base_group());
    write_file(&series, MEETING, BASE_MEETING);
    (dir, series)
}

/// Run one case in a fresh copy; `Err` describes the mismatch.
fn run(case: &Case) -> Result<(), String> {
    let (dir, series) = baseline();
    let setup = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (case.setup)(&series)));
    if let Err(e) = setup {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        return Err(format!("setup failed: {msg}"));
    }
    let o = packet(dir.path(), case.args);
    let err = stderr(&o);
    let real = series.canonicalize().unwrap();
    let expect = case.expect.replace("{series}", &real.display().to_string());
    if std::env::var_os("BROKEN_INPUTS_PRINT").is_some() {
        println!("── {} ({:?})\n{}", case.name, o.status.code(), err.trim_end());
    }
    let mut problems = Vec::new();
    if o.status.code() != Some(2) {
        problems.push(format!("exit status {:?}, expected 2", o.status.code()));
    }
    if err.contains("panicked") {
        problems.push("panicked".into());
    }
    if !err.lines().any(|l| l == expect) {
        problems.push(format!("expected line\n      {expect}"));
    }
    for line in err.lines() {
        if let Some(key) = words::key_named(words::message_of(line)) {
            problems.push(format!("the message names {key} (say it in words; the field path names the key)"));
        }
    }
    if dir.path().join("out").exists() {
        problems.push("an output directory was written".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let shown: String = err.chars().take(2000).collect();
        Err(format!("{}\n    stderr:\n      {}", problems.join("\n    "), shown.trim_end().replace('\n', "\n      ")))
    }
}

#[test]
fn baseline_builds() {
    let (dir, series) = baseline();
    // A Markdown attachment saved with a byte-order mark (Windows Notepad) is fine.
    let md = series.join("113-1/attachments/02-regulation.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("\u{feff}{text}")).unwrap();
    for args in [BUILD, MINUTES] {
        let o = packet(dir.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    std::fs::write(series.join(MEETING), tracking_meeting("")).unwrap();
    let o = packet(dir.path(), BUILD);
    assert!(o.status.success(), "tracking baseline: {}", stderr(&o));
}

#[test]
fn catalogue_of_broken_inputs() {
    let cases = catalogue();
    assert!(cases.len() >= 30, "the issue asks for at least 30 cases");
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "duplicate case name {}", c.name);
    }
    let failures: Vec<String> = std::thread::scope(|scope| {
        let cases = &cases;
        let threads = std::thread::available_parallelism().map_or(4, |n| n.get()).min(8);
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    cases
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .filter_map(|c| run(c).err().map(|e| format!("✗ {}: {e}", c.name)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} broken-input cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
