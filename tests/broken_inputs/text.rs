//! Round two: text rules after Markdown entity decoding, text that vanishes,
//! spreadsheet formulas, terminal escapes, odd spaces.

#[allow(unused_imports)]
use super::*;

const EXPORT: &[&str] = &["export", "dgbas/113-1", "-q"];

/// Replace the report's decision (line 12, its value at column 12).
fn report_decision(s: &Path, to: &str) {
    edit_file(s, MEETING, "decision = \"洽悉。\"", &format!("decision = {}", toml::Value::String(to.into())));
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        // ── Character rules after Markdown entity decoding ────────────────────
        case(
            "bidi override written as a Markdown entity (export)",
            EXPORT,
            "dgbas/113-1/meeting.toml:12:12: report[0].decision: 含有雙向文字控制字元 U+202E（由 Markdown 字元參照「&#x202E;」寫成）：它使文字顯示的順序與實際內容不同，請刪除",
            |s| report_decision(s, "同意&#x202E;元萬001款撥"),
        ),
        case(
            "bidi override written as a decimal entity (build)",
            BUILD,
            "dgbas/113-1/meeting.toml:12:12: report[0].decision: 含有雙向文字控制字元 U+2067（由 Markdown 字元參照「&#8295;」寫成）：它使文字顯示的順序與實際內容不同，請刪除",
            |s| report_decision(s, "同意&#8295;撥款"),
        ),
        case(
            "vertical tab as an entity in an explanation",
            EXPORT,
            "dgbas/113-1/meeting.toml:11:15: report[0].explanation: 含有不允許的控制字元 U+000B（由 Markdown 字元參照「&#xB;」寫成）",
            |s| edit_file(s, MEETING, "簡要說明運作依據。", "簡要說明&#xB;運作依據。"),
        ),
        case(
            "NEL as an entity in an opinion",
            EXPORT,
            "dgbas/113-1/meeting.toml:16:8: report[0].opinion[0].text: 含有不允許的控制字元 U+0085（由 Markdown 字元參照「&#x85;」寫成）",
            |s| edit_file(s, MEETING, "建議會議資料", "建議&#x85;會議資料"),
        ),
        case(
            "line separator as an entity in a decision",
            EXPORT,
            "dgbas/113-1/meeting.toml:12:12: report[0].decision: 含有分行符號 U+2028（由 Markdown 字元參照「&#x2028;」寫成）：Unicode 的行／段落分隔符在 PDF 中看不見，CSV 與 JSON 的讀取程式卻可能當成換行；請改用一般換行",
            |s| report_decision(s, "洽悉&#x2028;。"),
        ),
        case(
            "paragraph separator typed literally in the place",
            BUILD,
            "dgbas/113-1/meeting.toml:5:9: place: 含有分行符號 U+2029：Unicode 的行／段落分隔符在 PDF 中看不見，CSV 與 JSON 的讀取程式卻可能當成換行；請改用一般換行",
            |s| edit_file(s, MEETING, "第 9 會議室", "第 9\u{2029}會議室"),
        ),
        case(
            "escape as an entity in a decision (build, not a late Typst error)",
            BUILD,
            "dgbas/113-1/meeting.toml:27:12: discussion[0].decision: 含有不允許的控制字元 U+001B（由 Markdown 字元參照「&#x1B;」寫成）",
            |s| edit_file(s, MEETING, "照案通過。", "照案&#x1B;[2K通過。"),
        ),
        case(
            "bell as an entity in an explanation",
            BUILD,
            "dgbas/113-1/meeting.toml:26:15: discussion[0].explanation: 含有不允許的控制字元 U+0007（由 Markdown 字元參照「&#x7;」寫成）",
            |s| edit_file(s, MEETING, "擬下架24項", "擬下架&#x7;24項"),
        ),
        case(
            "BOM as an entity in a decision",
            MINUTES,
            "dgbas/113-1/meeting.toml:12:12: report[0].decision: 含有封存格式 PDF/A 不允許的字元 U+FEFF（位元組順序記號 BOM／零寬不換行空格；如需不斷行請用 U+2060）（由 Markdown 字元參照「&#xFEFF;」寫成）",
            |s| report_decision(s, "洽&#xFEFF;悉。"),
        ),
        case(
            "private-use character as an entity",
            BUILD,
            "dgbas/113-1/meeting.toml:11:15: report[0].explanation: 含有封存格式 PDF/A 不允許的字元 U+E001（私人使用區字元（造字），其他系統無法辨識；請改用 Unicode 標準字）（由 Markdown 字元參照「&#xE001;」寫成）",
            |s| edit_file(s, MEETING, "簡要說明運作依據。", "簡要說明&#xE001;運作依據。"),
        ),
        case(
            "character no font has, written as an entity",
            MINUTES,
            "dgbas/113-1/meeting.toml:12:12: report[0].decision: 字型（TW-Kai）沒有「😀」(U+1F600) 的字形，會印成空白方框且無法搜尋；請將含此字的字型檔放入系列資料夾中的「字型」資料夾，或以 --font-path 指定字型資料夾，再重新執行",
            |s| report_decision(s, "洽悉&#x1F600;。"),
        ),
        // ── Spreadsheet formulas (CSV injection) ──────────────────────────────
        case(
            "案由 that is a spreadsheet formula",
            EXPORT,
            "dgbas/113-1/meeting.toml:10:9: report[0].title: 以「=」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "title = \"本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。\"",
                    "title = '=HYPERLINK(\"http://evil.example/\",\"點此看附件\")'",
                )
            },
        ),
        case(
            "opinion that is a formula",
            EXPORT,
            "dgbas/113-1/meeting.toml:16:8: report[0].opinion[0].text: 以「=」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）",
            |s| edit_file(s, MEETING, "建議會議資料至遲於會前 5 個工作日寄送。", "=1+2"),
        ),
        case(
            "opinion that is a formula (minutes)",
            MINUTES,
            "dgbas/113-1/meeting.toml:16:8: report[0].opinion[0].text: 以「+」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）",
            |s| edit_file(s, MEETING, "建議會議資料至遲於會前 5 個工作日寄送。", "+1+cmd|' /C calc'!A0"),
        ),
        case(
            "decision that is an @ formula",
            EXPORT,
            "dgbas/113-1/meeting.toml:12:12: report[0].decision: 以「@」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）",
            |s| report_decision(s, "@SUM(A1:A9)"),
        ),
        case(
            "decision clause that is a formula",
            EXPORT,
            "dgbas/113-1/meeting.toml:27:12: discussion[0].decision: 第 2 項以「-」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "decision = \"照案通過。\"",
                    "decision = \"1. 照案通過。\\n2. -2+3+cmd|' /C calc'!A0\"",
                )
            },
        ),
        case(
            "member name that is a formula",
            EXPORT,
            "dgbas/group.toml:11:8: member[0].name: 以「+」開頭：匯出的 CSV 在 Excel 等試算表中會被當成公式執行（CSV 公式注入），請改寫開頭（例如在前面加上文字，或改用全形「＝＋－＠」）",
            |s| edit_file(s, GROUP, "name = \"陳○○\"", "name = \"+陳○○\""),
        ),
        // ── Terminal escapes ──────────────────────────────────────────────────
        case(
            "TOML key with terminal escapes",
            BUILD,
            "dgbas/113-1/meeting.toml:6:1: \\x1B[2K\\r檢核結果：錯誤 0 項: 未知的欄位「\\x1B[2K\\r檢核結果：錯誤 0 項」；可用的欄位：year, number, term, date, time, place, chair, report, discussion, minutes, dates, notice, corrections",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "chair = \"chen\"\n",
                    "\"\\u001B[2K\\r檢核結果：錯誤 0 項\" = 1\nchair = \"chen\"\n",
                )
            },
        ),
    ]
}
