//! Hostile text in every field prints exactly as written and never runs as code.

use crate::common::*;
use std::path::Path;

/// Strings that mean something to Typst, Tera or the line-start parser.
const PLAIN_HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "$x^2$ #sys.exit() #import \"@preview/x:1.0.0\"",
    "*粗體* _斜體_ [方括號] <標籤> @參考",
    "// 註解 /* 區塊 */ https://data.gov.tw",
    "\\ 反斜線 \\\\ `反引號`",
    "= 像標題",
    "- 像清單",
    "+ 像編號",
    "1. 像編號清單",
    "-- 破折號 --- 與刪節號 ... 和 ~ 波浪號",
    "\"直引號\" 與 'single' 引號",
    "{{ tera }} {% if x %} {# 註 #}",
    "#{ 1 + 1 } #let x = 1 #x",
];

/// Typst-hostile strings that are plain text to Markdown too.
const MARKDOWN_HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "$x^2$ #sys.exit()",
    "// 註解 /* 區塊 */",
    "@參考 與 <b>粗</b> 與 <script>x</script>",
    "{{ tera }} {% if x %}",
    "= 像標題",
    "\"直引號\" 與 'single' 與 -- 和 ...",
    "#{ 1 + 1 } #let x = 1",
];

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A series whose every printed text field holds `plain` (or `md` in Markdown fields).
fn hostile_series(dir: &Path, plain: &str, md: &str) {
    let p = toml_str(plain);
    let m = toml_str(md);
    let group = format!(
        "agency = {p}\nname = {p}\n\n[[member]]\nid = \"a\"\nname = {p}\ntitle = {p}\norganisation = {p}\nkind = \"機關代表\"\ngender = \"女\"\n"
    );
    let meeting = format!(
        r#"number = 1
date = 2024-04-29
time = "09:00"
place = {p}

[[report]]
unit = {p}
title = {p}
explanation = {m}

[[report.tracking]]
from = "報告事項"
title = {p}
decision = {m}
progress = {m}

[[discussion]]
unit = {p}
title = {p}
explanation = {m}

[[discussion.attachment]]
title = {p}
subtitle = {p}
file = "table.csv"
notes = [{m}, {m}]

[[discussion.attachment]]
title = {p}
file = "notes.md"
"#
    );
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["欄一", plain]).unwrap();
    csv.write_record([plain, "2"]).unwrap();
    std::fs::create_dir_all(dir.join("s/m")).unwrap();
    std::fs::write(dir.join("s/group.toml"), group).unwrap();
    std::fs::write(dir.join("s/m/meeting.toml"), meeting).unwrap();
    std::fs::write(dir.join("s/m/table.csv"), csv.into_inner().unwrap()).unwrap();
    std::fs::write(dir.join("s/m/notes.md"), format!("{md}\n\n1. {md}\n\n> {md}\n")).unwrap();
}

fn build_text(dir: &Path) -> String {
    let o = packet(dir, &["build", "s/m", "-q", "-o", "out"]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    pdf_text_raw(&dir.join("out/agenda.pdf"))
}

#[test]
fn hostile_plain_text_prints_verbatim_in_every_field() {
    for (i, plain) in PLAIN_HOSTILE.iter().enumerate() {
        let md = MARKDOWN_HOSTILE[i % MARKDOWN_HOSTILE.len()];
        let dir = tempfile::tempdir().unwrap();
        hostile_series(dir.path(), plain, md);
        let text = squash(&build_text(dir.path()));
        let want = squash(plain);
        // agency, group name in the title, place, 2 units, 2 titles + 2 in the outline,
        // tracking title, attachment titles and subtitle, 2 CSV cells.
        let seen = text.matches(&want).count();
        assert!(seen >= 14, "「{plain}」 printed {seen} times, expected ≥ 14:\n{text}");
        let want_md = squash(md);
        // explanation ×2, decision, progress, 2 notes, 3 in the Markdown attachment.
        let seen_md = text.matches(&want_md).count();
        assert!(seen_md >= 9, "「{md}」 printed {seen_md} times, expected ≥ 9:\n{text}");
        assert!(!text.contains("root:"), "/etc/passwd was read");
    }
}

#[test]
fn tera_syntax_in_an_attachment_is_not_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    hostile_series(dir.path(), "{{ agency }}", "{% raw %}{{ place }}{% endraw %}");
    let text = squash(&build_text(dir.path()));
    assert!(text.contains("{{agency}}"), "{text}");
    assert!(text.contains("{%raw%}{{place}}{%endraw%}"), "{text}");
}

/// Remarks in the minutes (opinions, decisions, the chair's opening, 臨時動議): Tera
/// syntax and raw HTML print as written, never evaluated or dropped.
#[test]
fn remarks_with_tera_syntax_and_html_print_as_written() {
    let remark = "{{ place }} 與 {% if true %}是{% endif %} 與 {# 註 #} 與 <b>粗</b> 與 <script>alert(1)</script> 與 <!-- 註解 -->";
    let block = "<div class=\"x\">\n區塊 HTML {{ agency }}\n</div>";
    let dir = tempfile::tempdir().unwrap();
    hostile_series(dir.path(), "機關", "說明");
    let meeting = dir.path().join("s/m/meeting.toml");
    let mut text = std::fs::read_to_string(&meeting).unwrap();
    text.push_str(&format!(
        "\n[minutes]\nend = \"10:00\"\nopening = {b}\n\n[[minutes.motion]]\nunit = {r}\ntitle = {r}\ndecision = {r}\n\n[[minutes.motion.opinion]]\nunit = \"主計資訊處\"\ntext = {r}\n",
        r = toml_str(remark),
        b = toml_str(block),
    ));
    std::fs::write(&meeting, text).unwrap();
    let o = packet(dir.path(), &["minutes", "s/m", "-q", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The items have no decisions: a draft.
    let text = squash(&pdf_text_raw(&dir.path().join("out/minutes-draft.pdf")));
    // 臨時動議: unit, title, opinion, decision.
    let seen = text.matches(&squash(remark)).count();
    assert!(seen >= 4, "printed {seen} times, expected ≥ 4:\n{text}");
    assert!(text.contains(&squash(block)), "block HTML not printed as written:\n{text}");
}
