//! No panics on any input, and hostile text prints as written without reading anything
//! outside the series.
//!
//! - [`mutated_meetings_never_panic`]: random mutations of a meeting.toml that uses every
//!   field (byte flips, truncations, random TOML values in every field, hostile Unicode,
//!   line deletions and duplications) go through load → validate → check → render →
//!   compile (agenda and both minutes editions) in process. Bad input must come back as
//!   diagnostics that name their file; input that loads must compile (a Typst error on
//!   generated source would mean user text reached Typst as code).
//! - [`hostile_text_prints_verbatim`]: a different hostile string in every printed text
//!   field; the real binary builds the agenda and the minutes under `strace`, every string
//!   must appear in `pdftotext -raw`, and no file outside the series (and the output
//!   folder, and the system libraries) may be opened.
//! - [`fuzz_regressions`]: every input that ever crashed, kept.
//!
//! CI runs a bounded number of cases (under 30 s in all). A long session (ten minutes of
//! each property, in batches of 200 mutation cases and 20 verbatim cases):
//!
//!     PACKET_FUZZ_SECONDS=600 PACKET_FUZZ_CASES=200 cargo test --release --test integration fuzz -- --nocapture
//!
//! (`PACKET_FUZZ_CASES` sets the mutation cases per batch; the verbatim test runs a tenth
//! as many, at least 3.) A failure prints the smallest input; add it to [`regressions`].

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::common::*;
use packet::build::{self as pipeline, BuildOptions, Input};
use packet::diag::Diagnostics;
use packet::model::{Packet, Series};
use packet::rules::proceedings::Edition;
use packet::typeset::fonts::FontSet;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

// ─── The seed series ─────────────────────────────────────────────────────────────────

/// The head of the seed group.toml; [`group`] adds the members.
const GROUP_HEAD: &str = r#"agency = "行政院主計總處"
name = "政府資料開放諮詢小組"
unit = "主計資訊處"
publish_gender = true

[contact]
name = "李○○"
phone = "(02)2380-0000"
email = "opendata@example.gov.tw"

[rules]
draft_minutes_days = 8
tracking_advice = true

[open_data]
keywords = ["開放資料"]
"#;

/// The seed group.toml: the convener, 2 government and 2 civil members (one renewed).
pub(crate) fn group() -> String {
    let gov = |id, name, title, gender| Member::gov(id, name, title, "行政院主計總處", gender);
    let term = ("2024-04-01", "2026-03-31");
    group_file(
        GROUP_HEAD,
        &[
            gov("chen", "陳○○", "資訊長", "男").convener(),
            gov("lin", "林○○", "處長", "女"),
            gov("wu", "吳○○", "處長", "男"),
            Member::civil("cheng", "鄭○○", "教授", "國立臺灣大學", "女", term),
            Member::civil("kuo", "郭○○", "教授", "國立政治大學", "男", term).renewals(1),
        ],
    )
}

const PREVIOUS: &str = r#"number = 2
date = 2023-11-28
time = "14:00"
place = "第 9 會議室"
chair = "chen"

[[report]]
unit = "主計資訊處"
title = "年薪中位數統計，報請鑒察。"
decision = "洽悉。"

[[discussion]]
unit = "主計資訊處"
title = "統計資料主題規劃，提請討論。"
decision = "1. 照案通過。\n2. 請辦理公眾諮詢。"

[minutes]
end = "16:00"

[minutes.attendance]
present = ["chen", "lin", "wu", "cheng", "kuo"]
"#;

/// Every field of meeting.toml, one `key = value` per line (values never span lines, so
/// that replacing a value keeps the rest of the file intact).
pub(crate) const MEETING: &str = r#"year = 113
number = 1
date = "113-04-29"
time = "14:30"
place = "行政院第 9 會議室"
chair = "chen"

[dates]
materials_sent = 2024-04-22
draft_minutes_sent = "113年5月9日"
published = 2024-05-17

[[report]]
unit = "主計資訊處"
title = "職掌與運作方式，報請鑒察。"
explanation = "1. 說明運作依據：\n   1. 設置要點。\n   2. 運作指引。\n2. 檢附簡報如附件。\n\n> 引言 **粗體** `code` [連結](https://data.gov.tw)"
decision = "洽悉。"

[[report.opinion]]
member = "cheng"
text = "建議會議資料提前寄送。"

[[report.opinion]]
unit = "主計資訊處"
text = "遵照辦理。"

[[report.attachment]]
label = "附件1"
title = "運作機制簡報"
subtitle = "113-04-02"
file = "attachments/slides.md"
style = "slides"
notes = ["簡報僅供參考。"]

[[report.tracking]]
from = "討論事項"
title = "本總處112年1至9月資料開放推動情形，提請討論。"
decision = "照案通過。"
progress = "已辦理。"

[[report]]
unit = "主計資訊處"
title = "上次會議決定（議）事項辦理情形，報請鑒察。"
decision = "洽悉。"
track = true

[[report.progress]]
id = "112-2-R1"
status = "已公布。"
advice = "解除列管"

[[report.progress]]
id = "112-2-D1"
status = "公眾諮詢進行中。"
advice = "繼續列管"
result = "繼續列管"

[[discussion]]
unit = "地方統計推展中心"
title = "開放資料集下架一案，提請討論。"
explanation = "1. 擬下架資料集如附件。\n2. 以上所擬是否妥適，提請討論。"
decision = "1. 照案通過。\n2. 請於平臺公告。"

[[discussion.opinion]]
member = "kuo"
text = "同意下架。"

[[discussion.attachment]]
title = "下架資料集項目清單"
file = "attachments/table.csv"
header_rows = 1
merge = ["C2:C3"]
notes = ["資料截至 113 年 4 月。"]
align = ["center", "left", "center", "right"]
widths = [1, 4, 2, 1]

[minutes]
start = "14:35"
end = "16:10"
chair = "chen"
recorder = "李○○"
transcript = "https://hackmd.io/@example/113-1"
opening = "略"
anonymous = ["kuo"]
private = ["cheng"]

[minutes.attendance]
present = ["chen", "lin", "cheng", "kuo"]
leave = []
observers = ["主計資訊處 王○○科長"]

[minutes.attendance.delegate]
wu = "何○○"

[[minutes.motion]]
unit = "周○○委員"
title = "增列英文詮釋資料，提請討論。"
explanation = "國際使用者需要。"
decision = "請研議。"

[[minutes.motion.opinion]]
member = "lin"
text = "支持。"
"#;

const TABLE_CSV: &str = "項次,名稱,原因,筆數\n1,空氣污染排放帳,業務移撥,12\n2,水污染排放帳,,3\n";
const SLIDES_MD: &str = "## 運作依據\n\n1. 設置要點\n   1. 第三點\n\n## 議事規則\n\n| 項目 | 說明 |\n|---|---|\n| 開會 | 半數出席 |\n\n- 清單\n- ~~刪除~~\n";
const SECRET: &str = "SECRET-outside-the-series";

/// `root/s` (the series: group.toml, 112-2, 113-1 with attachments) and `root/outside`.
pub(crate) fn write_series(root: &Path, meeting: &[u8]) -> PathBuf {
    write_file(root, "outside/secret.txt", SECRET);
    write_file(root, "s/group.toml", group());
    write_file(root, "s/112-2/meeting.toml", PREVIOUS);
    write_file(root, "s/113-1/attachments/table.csv", TABLE_CSV);
    write_file(root, "s/113-1/attachments/slides.md", SLIDES_MD);
    write_file(root, "s/113-1/meeting.toml", meeting);
    root.join("s/113-1")
}

pub(crate) fn fonts() -> Arc<FontSet> {
    static FONTS: OnceLock<Arc<FontSet>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(FontSet::load(&[]).expect("bundled fonts"))).clone()
}

pub(crate) fn env_cases(default: u32) -> u32 {
    std::env::var("PACKET_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ─── The pipeline, in process ────────────────────────────────────────────────────────

/// What happened to one input.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// Refused with diagnostics (exit 2).
    Refused,
    /// Loaded; the agenda and the minutes compiled, or were refused at render time.
    Built,
}

/// Every diagnostic of a refusal names its file; the exit status is 2.
pub(crate) fn check_refusal(stage: &str, e: &Diagnostics) -> Result<(), String> {
    if e.exit_code() != 2 {
        return Err(format!("{stage}: refusal with exit status {}: {e}", e.exit_code()));
    }
    if let Some(d) = e.0.iter().find(|d| d.location.is_none() && d.field.is_empty()) {
        return Err(format!("{stage}: diagnostic without file or field: {d}"));
    }
    if let Some(d) = e.0.iter().find(|d| d.field == "typst" || d.field == "template") {
        return Err(format!(
            "{stage}: the generated Typst source was rejected (user text reached Typst or Tera as code?): {d}"
        ));
    }
    Ok(())
}

/// The options of a document compiled in memory: the default font and standard, no
/// Typst source, dated from the meeting. `out` must stay unwritten.
pub(crate) fn in_memory(out: &Path) -> BuildOptions {
    BuildOptions {
        out_dir: out.to_path_buf(),
        write_typst: false,
        write_odt: false,
        font: None,
        pdf_profile: Default::default(),
        source_date_epoch: None,
        editor: false,
    }
}

/// Load → validate → check → render → compile, in process; `Err` is a bug.
pub(crate) fn exercise(meeting: &[u8]) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().unwrap();
    let meeting_dir = write_series(dir.path(), meeting);
    let packet = match Packet::load(&meeting_dir) {
        Ok(p) => p,
        Err(e) => return check_refusal("load", &e).map(|()| Outcome::Refused),
    };
    let calendar = packet::rules::check::load_calendar(&[]).map_err(|e| e.to_string())?;
    let series = Series::of(&packet);
    let _ = packet::rules::check::check(&packet, series.as_ref(), &calendar);
    let _ = packet::rules::proceedings::missing(&packet);
    if let Some(Ok(series)) = &series {
        let _ = packet::rules::tracking::table_for(&packet, Some(series));
    }
    let opts = in_memory(&dir.path().join("out"));
    let input = Input { packet: &packet, series: series.as_ref() };
    if let Err(e) = pipeline::compile_agenda(input, &opts, fonts()) {
        check_refusal("agenda", &e)?;
    }
    for (edition, draft) in [(Edition::Public, false), (Edition::Internal, true)] {
        if let Err(e) = pipeline::compile_minutes(&packet, &opts, fonts(), edition, draft) {
            check_refusal("minutes", &e)?;
        }
    }
    // Like the typst CLI between compilations: keep the memo cache bounded.
    typst::comemo::evict(10);
    if dir.path().join("out").exists() {
        return Err("compile_* wrote files".into());
    }
    Ok(Outcome::Built)
}

// ─── Generators ──────────────────────────────────────────────────────────────────────

/// Fragments that mean something to Typst, Tera, Markdown, CSV, TOML or a shell.
const FRAGMENTS: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "#read(\"../../outside/secret.txt\")",
    "#image(\"/assets/../../outside/secret.txt\")",
    "#import \"@preview/cetz:0.3.0\": *",
    "#include \"/etc/hostname\"",
    "$x^2$",
    "#sys.exit()",
    "#{ 1 + 1 }",
    "#let x = 1",
    "#set page(width: 1pt)",
    "#show: none",
    "{{ agency }}",
    "{% if true %}",
    "{# c #}",
    "{% raw %}",
    "*粗體*",
    "_斜體_",
    "`反引號`",
    "[連結](../../outside/secret.txt)",
    "![圖](/etc/passwd)",
    "<b>粗</b>",
    "<script>alert(1)</script>",
    "<!-- c -->",
    "&amp;",
    "@label",
    "<label>",
    "// 註解",
    "/* 區塊 */",
    "\\",
    "\\\\",
    "= 標題",
    "- 清單",
    "+ 編號",
    "1. 編號",
    "> 引言",
    "---",
    "...",
    "~",
    "\"",
    "'",
    ",",
    "\"\"\"",
    "'''",
    "|a|b|",
    "https://data.gov.tw/",
    "$(rm -rf /)",
    "; DROP TABLE",
    "%s%n",
    "\u{200F}",
    "\u{200E}",
    "\u{202E}",
    "\u{2067}",
    "\u{200D}",
    "\u{200C}",
    "\u{200B}",
    "\u{FEFF}",
    "e\u{301}",
    "a\u{308}\u{300}\u{301}",
    "𠀀𪚥𡘙𤆬",
    "ＡＢＣ１２３，",
    "ｱｲｳｴｵ",
    "👩\u{200D}💻",
    "שלום",
    "مرحبا",
    "邊\u{E0100}",
    "甲\u{200D}乙",
    "a\u{200C}b",
    "字\u{200B}字",
    "ab\u{200E}cd",
    "字\u{FEFF}字",
    "❤\u{FE0F}",
];

pub(crate) fn hostile_char() -> impl Strategy<Value = char> {
    let range = |lo: u32, hi: u32| (lo..hi).prop_filter_map("scalar", char::from_u32);
    prop_oneof![
        3 => prop::sample::select(
            "#$*_`[]<>@/~'\"-.=+:\\{}%!|&;(),  \n\t".chars().collect::<Vec<_>>()
        ),
        1 => prop::sample::select(vec![
            '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{061C}', '\u{200D}', '\u{200C}',
            '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{FE0F}', '\u{E0100}', '\u{2028}', '\u{2029}',
            '\u{85}', '\u{A0}', '\u{3000}',
        ]),
        1 => range(0x300, 0x370),
        1 => range(0x20000, 0x2A6E0),
        2 => range(0x4E00, 0x9FA6),
        1 => range(0xFF01, 0xFFEF),
        1 => range(0x5D0, 0x5EB),
        1 => range(0x621, 0x64B),
        1 => range(0x1F600, 0x1F650),
        1 => prop_oneof![range(0, 0x20), range(0x7F, 0xA0)],
        1 => any::<char>(),
    ]
}

/// A hostile string: corpus fragments and hostile characters, mixed.
pub(crate) fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![prop::sample::select(FRAGMENTS).prop_map(str::to_string), hostile_char().prop_map(String::from),],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

/// Any TOML value (and some that are not quite TOML).
fn toml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => hostile_string().prop_map(|s| toml::Value::String(s).to_string()),
        1 => hostile_string().prop_map(|s| format!("'''{s}'''")),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => prop::sample::select(vec![
            "0", "-1", "1", "4294967296", "18446744073709551616", "1e308", "-1e308", "inf",
            "-inf", "nan", "-0.0", "0.5", "1_000",
        ])
        .prop_map(str::to_string),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        1 => (0u32..10000, 0u32..14, 0u32..33)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (-3i32..300, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("\"{y}-{m:02}-{d:02}\"")),
        1 => (-3i32..300, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("\"{y}年{m}月{d}日\"")),
        1 => (0u32..30, 0u32..70).prop_map(|(h, m)| format!("\"{h}:{m:02}\"")),
        1 => (0u32..30, 0u32..70, 0u32..70).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}")),
        1 => Just("2024-04-29T14:30:00+08:00".to_string()),
        1 => prop::sample::select(vec![
            "\"報告事項\"", "\"討論事項\"", "\"解除列管\"", "\"繼續列管\"", "\"slides\"",
            "\"center\"", "\"chen\"", "\"kuo\"", "\"wu\"", "\"112-2-D1\"", "\"112-2-D2\"",
            "\"attachments/table.csv\"", "\"attachments/slides.md\"", "\"../112-2/meeting.toml\"",
            "\"/etc/passwd\"", "\"attachments\"", "\"A1:D3\"", "\"B2:B3\"", "\"Z99:A1\"",
        ])
        .prop_map(str::to_string),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..3).prop_map(|kv| {
                let body: Vec<String> = kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", body.join(", "))
            }),
        ]
    })
}

/// One change to the file. Positions are taken modulo the current length.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte {
        at: usize,
        byte: u8,
    },
    Truncate {
        at: usize,
    },
    Insert {
        at: usize,
        text: String,
    },
    /// Replace the value of the `key`-th `key = value` line.
    Value {
        key: usize,
        value: String,
    },
    /// Put a hostile string into the `key`-th string value (keeps the file valid TOML).
    Text {
        key: usize,
        text: String,
    },
    DeleteLine {
        at: usize,
    },
    DuplicateLine {
        at: usize,
    },
    /// Append a table header or a key that may or may not exist.
    Append {
        text: String,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::FlipByte { at, byte }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        1 => (any::<usize>(), hostile_string()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        4 => (any::<usize>(), toml_value()).prop_map(|(key, value)| Mutation::Value { key, value }),
        10 => (any::<usize>(), hostile_string()).prop_map(|(key, text)| Mutation::Text { key, text }),
        2 => any::<usize>().prop_map(|at| Mutation::DeleteLine { at }),
        1 => any::<usize>().prop_map(|at| Mutation::DuplicateLine { at }),
        2 => prop::sample::select(vec![
            "[[report]]\nunit = \"u\"\ntitle = \"t\"\n",
            "[[discussion]]\nunit = \"u\"\ntitle = \"t\"\ntrack = true\n",
            "[[report.attachment]]\nfile = \"attachments/table.csv\"\nheader_rows = 3\n",
            "[[discussion.attachment]]\nfile = \"attachments/table.csv\"\nmerge = [\"A1:D3\"]\n",
            "[[discussion.attachment]]\nfile = \"attachments/slides.md\"\n",
            "[[discussion.progress]]\nid = \"112-2-D1\"\n",
            "[[minutes.motion]]\ntitle = \"\"\n",
            "[[minutes.motion.opinion]]\nunit = \" \"\ntext = \"\"\n",
            "[minutes.attendance.delegate]\nkuo = \"x\"\n",
            "[[report.tracking]]\nfrom = \"報告事項\"\ntitle = \"\"\ndecision = \"\"\n",
            "[[report.progress]]\nid = \"\"\n",
        ])
        .prop_map(|t| Mutation::Append { text: t.to_string() }),
    ]
}

fn key_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.split_once(" = ")
                .is_some_and(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        })
        .map(|(i, _)| i)
        .collect()
}

fn apply(bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let as_lines = |b: &[u8]| -> Vec<String> { String::from_utf8_lossy(b).split('\n').map(str::to_string).collect() };
    match m {
        Mutation::FlipByte { at, byte } => {
            let mut b = bytes;
            if !b.is_empty() {
                let i = at % b.len();
                b[i] ^= byte | 1;
            }
            b
        }
        Mutation::Truncate { at } => bytes[..at % (bytes.len() + 1)].to_vec(),
        Mutation::Insert { at, text } => {
            let i = at % (bytes.len() + 1);
            let mut b = bytes[..i].to_vec();
            b.extend_from_slice(text.as_bytes());
            b.extend_from_slice(&bytes[i..]);
            b
        }
        Mutation::Value { key, value } | Mutation::Text { key, text: value } => {
            let mut lines = as_lines(&bytes);
            let keys = key_lines(&lines.join("\n"));
            if keys.is_empty() {
                return bytes;
            }
            let i = keys[key % keys.len()];
            let (k, old) = lines[i].split_once(" = ").map(|(k, v)| (k.to_string(), v.to_string())).unwrap();
            let new = match m {
                Mutation::Text { .. } if old.starts_with('"') => {
                    // Keep the field's text and add the hostile string to it.
                    let old_text: String = toml::from_str::<toml::Table>(&format!("v = {old}"))
                        .ok()
                        .and_then(|t| t.get("v").and_then(|v| v.as_str()).map(str::to_string))
                        .unwrap_or_default();
                    toml::Value::String(format!("{old_text}{value}")).to_string()
                }
                Mutation::Text { .. } => return bytes,
                _ => value.clone(),
            };
            lines[i] = format!("{k} = {new}");
            lines.join("\n").into_bytes()
        }
        Mutation::DeleteLine { at } => {
            let mut lines = as_lines(&bytes);
            let i = at % lines.len();
            lines.remove(i);
            lines.join("\n").into_bytes()
        }
        Mutation::DuplicateLine { at } => {
            let mut lines = as_lines(&bytes);
            let i = at % lines.len();
            let l = lines[i].clone();
            lines.insert(i, l);
            lines.join("\n").into_bytes()
        }
        Mutation::Append { text } => {
            let mut b = bytes;
            b.extend_from_slice(b"\n");
            b.extend_from_slice(text.as_bytes());
            b
        }
    }
}

pub(crate) fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, max_shrink_time: 120_000, ..Config::default() })
}

/// Run `test` for `cases` cases; with `PACKET_FUZZ_SECONDS=N`, keep running batches of
/// that many (with fresh random seeds) until N seconds have passed. Panics with the
/// smallest failing input.
pub(crate) fn fuzz<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let start = std::time::Instant::now();
    let budget = std::env::var("PACKET_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(std::time::Duration::from_secs);
    let mut total = 0;
    loop {
        if let Err(e) = runner(cases).run(strategy, &test) {
            panic!("{name}: {e}");
        }
        total += cases;
        if budget.is_none_or(|b| start.elapsed() >= b) {
            break;
        }
    }
    eprintln!("{name}: {total} cases in {:.1} s", start.elapsed().as_secs_f64());
}

// ─── The properties ──────────────────────────────────────────────────────────────────

#[test]
fn seed_builds() {
    assert_eq!(exercise(MEETING.as_bytes()), Ok(Outcome::Built));
}

/// Random mutations of the seed meeting never panic, never produce a diagnostic without a
/// file, and never make Typst reject the generated source.
#[test]
fn mutated_meetings_never_panic() {
    let (refused, built) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let strategy = prop::collection::vec(mutation(), 1..4);
    fuzz("mutated_meetings_never_panic", env_cases(48), &strategy, |mutations| {
        let mut bytes = MEETING.as_bytes().to_vec();
        for m in &mutations {
            bytes = apply(bytes, m);
        }
        match exercise(&bytes) {
            Ok(Outcome::Refused) => refused.set(refused.get() + 1),
            Ok(Outcome::Built) => built.set(built.get() + 1),
            Err(bug) => {
                return Err(TestCaseError::fail(format!(
                    "{bug}\n--- meeting.toml ---\n{}",
                    String::from_utf8_lossy(&bytes)
                )));
            }
        }
        Ok(())
    });
    eprintln!("  ({} built, {} refused)", built.get(), refused.get());
}

/// Inputs that crashed or misbehaved once (found by the fuzz sessions): each must now be
/// refused with diagnostics or build. No input has panicked so far; these failed the
/// PDF/A export with a Typst error in minutes.typ instead of a message at their field.
fn regressions() -> Vec<String> {
    vec![
        // U+FEFF in a remark, escaped and raw.
        MEETING.replace("遵照辦理。", "遵照\\uFEFF辦理。"),
        MEETING.replace("遵照辦理。", "遵照\u{FEFF}辦理。"),
        // A private-use character (造字) in a title.
        MEETING.replace("職掌與運作方式", "職掌\u{E000}與運作方式"),
    ]
}

#[test]
fn fuzz_regressions() {
    for (i, input) in regressions().iter().enumerate() {
        assert_ne!(input, MEETING, "regression {i} no longer changes the seed");
        if let Err(bug) = exercise(input.as_bytes()) {
            panic!("regression {i}: {bug}\n{input}");
        }
    }
}

// ─── Hostile text prints verbatim; nothing outside is read ───────────────────────────

/// Characters that print as themselves in the PDF text layer. Left out: control
/// characters (refused), bidi embeddings/overrides/isolates (they reorder what follows, so
/// the text layer is in another order by design), emoji (no bundled font has them, and
/// a ZWJ sequence of missing glyphs loses characters in the text layer) and
/// noncharacters.
fn printable_char() -> impl Strategy<Value = char> {
    hostile_char().prop_filter("prints as itself", |&c| {
        !c.is_control()
            && !matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x1F000..=0x1FAFF | 0xFFF0..=0xFFFF | 0x2028 | 0x2029 | 0x85)
            && !(0xFDD0..=0xFDEF).contains(&(c as u32))
            && (c as u32) & 0xFFFE != 0xFFFE
            && !(0xE000..=0xF8FF).contains(&(c as u32))
            && !(0xF0000..=0x10FFFF).contains(&(c as u32))
            && !(0xD800..=0xDFFF).contains(&(c as u32))
            && !is_unassigned_ish(c)
            && !invisible_filler(c)
            // Odd spaces (U+00A0, U+2000–200A, U+202F, U+205F) print as plain spaces.
            && !matches!(c as u32, 0xA0 | 0x2000..=0x200A | 0x202F | 0x205F)
            // Zero-width characters come inside fragments (`甲\u{200D}乙`): next to a
            // space or a line break they join nothing, and pdftotext may drop them.
            && !zero_width(c)
            // Right-to-left letters and combining marks come as whole fragments
            // (`שלום`, `e\u{301}`): pdftotext's bidi reconstruction garbles marks on
            // right-to-left letters.
            && !matches!(c as u32, 0x300..=0x36F | 0x590..=0x6FF)
            && has_glyph(c)
    })
}

/// Joiners, marks and selectors that take no width.
fn zero_width(c: char) -> bool {
    matches!(
        c as u32,
        0x200B..=0x200F | 0x2060 | 0xFEFF | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF
    )
}

/// Default-ignorable fillers that nothing draws and Typst leaves out of the text layer.
fn invisible_filler(c: char) -> bool {
    matches!(
        c as u32,
        0xAD | 0x34F | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x2061..=0x2064
            | 0x206A..=0x206F | 0x3164 | 0xFFA0 | 0xFFF0..=0xFFF8 | 0xE0000..=0xE007F
    )
}

/// Characters the bundled fonts lack are refused (they would print as empty boxes);
/// the catalogue covers that case.
fn has_glyph(c: char) -> bool {
    let f = fonts();
    f.missing_glyph(&f.families(packet::typeset::fonts::DEFAULT_FAMILY), &c.to_string()).is_none()
}

/// Outside the blocks we generate on purpose (`any::<char>()` lands anywhere): keep
/// only scripts a CJK document plausibly contains.
fn is_unassigned_ish(c: char) -> bool {
    let u = c as u32;
    !(u < 0x250
        || (0x300..0x370).contains(&u)
        || (0x5D0..0x5EB).contains(&u)
        || (0x621..0x64B).contains(&u)
        || (0x2000..0x2070).contains(&u)
        || (0x3000..0x3040).contains(&u)
        || (0x4E00..0x9FA6).contains(&u)
        || (0xFE00..0xFE10).contains(&u)
        || (0xFF01..0xFFEF).contains(&u)
        || (0x20000..0x2A6E0).contains(&u)
        || (0xE0100..0xE01F0).contains(&u))
}

/// Fragments that are plain text to Markdown too (for Markdown fields).
const MD_PLAIN_FRAGMENTS: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "#read(\"../../outside/secret.txt\")",
    "#import \"@preview/cetz:0.3.0\": *",
    "$x^2$ #sys.exit()",
    "#{ 1 + 1 } #let x = 1",
    "{{ agency }}",
    "{% if true %}",
    "{# c #}",
    "@label",
    "// 註解 /* 區塊 */",
    "\"直引號\" 'single'",
    "-- 和 ...",
    "=",
    "+",
    "https://data.gov.tw/",
    "\u{200F}שלום\u{200F}",
    "ab\u{200E}cd",
    "甲\u{200D}乙",
    "a\u{200C}b",
    "字\u{200B}字",
    "e\u{301}",
    "𠀀𪚥𡘙𤆬",
    "ＡＢＣ１２３，ｱｲｳ",
];

pub(crate) fn plain_string(markdown: bool) -> impl Strategy<Value = String> {
    let fragments: &'static [&'static str] = if markdown { MD_PLAIN_FRAGMENTS } else { FRAGMENTS };
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(fragments)
                .prop_filter("printable", |f| !f.chars().all(zero_width)
                    && packet::text::hygiene::first_unarchivable(f).is_none()
                    && !f.chars().any(|c| c.is_control()
                        || matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x1F000..=0x1FAFF)
                        || !has_glyph(c)))
                .prop_filter("Markdown-inert", move |f| !markdown
                    || !f.contains(['*', '_', '`', '[', ']', '<', '>', '!', '\\', '&', '~', '|']))
                .prop_map(str::to_string),
            printable_char()
                .prop_filter("Markdown-inert", move |c| !markdown || !"*_`[]<>!\\&~|".contains(*c))
                .prop_map(String::from),
        ],
        1..6,
    )
    // Spaces between the parts: a long run without a break opportunity overflows a
    // narrow table cell and runs off the page (a layout limit, not an escaping one).
    .prop_map(|parts| parts.join(" "))
}

/// The printed text fields: (where, is Markdown). Each gets its own tagged string.
const FIELDS: &[(&str, bool)] = &[
    ("group.agency", false),
    ("group.name", false),
    ("member.name", false),
    ("meeting.place", false),
    ("report.unit", false),
    ("report.title", false),
    ("report.explanation", true),
    ("report.decision", true),
    ("report.opinion.unit", false),
    ("report.opinion.text", true),
    ("tracking.title", false),
    ("tracking.decision", true),
    ("tracking.progress", true),
    ("discussion.unit", false),
    ("discussion.title", false),
    ("discussion.explanation", true),
    ("discussion.decision", true),
    ("attachment.title", false),
    ("attachment.subtitle", false),
    ("attachment.note", true),
    ("csv.header", false),
    ("csv.cell", false),
    ("markdown.file", true),
    ("minutes.recorder", false),
    ("minutes.opening", true),
    ("minutes.observer", false),
    ("minutes.delegate", false),
    ("motion.unit", false),
    ("motion.title", false),
    ("motion.decision", true),
];

/// A series whose every printed text field holds its own hostile string.
pub(crate) fn hostile_series(root: &Path, text: &[String]) {
    let t = |name: &str| -> String {
        let i = FIELDS.iter().position(|(f, _)| *f == name).unwrap();
        text[i].clone()
    };
    let q = |name: &str| toml::Value::String(t(name)).to_string();
    let group = group_file(
        &format!("agency = {}\nname = {}\n", q("group.agency"), q("group.name")),
        &[Member::gov("a", &t("member.name"), "t", "o", "女").convener()],
    );
    let meeting = format!(
        r#"number = 1
date = 2024-04-29
time = "09:00"
place = {place}
chair = "a"

[[report]]
unit = {ru}
title = {rt}
explanation = {re}
decision = {rd}

[[report.opinion]]
unit = {rou}
text = {rot}

[[report.tracking]]
from = "報告事項"
title = {tt}
decision = {td}
progress = {tp}

[[discussion]]
unit = {du}
title = {dt}
explanation = {de}
decision = {dd}

[[discussion.attachment]]
title = {at}
subtitle = {ast}
file = "table.csv"
notes = [{an}]

[[discussion.attachment]]
title = "附件二"
file = "notes.md"

[minutes]
end = "10:00"
recorder = {mr}
opening = {mo}

[minutes.attendance]
observers = [{mob}]

[minutes.attendance.delegate]
a = {mdel}

[[minutes.motion]]
unit = {mu}
title = {mt}
decision = {md}
"#,
        place = q("meeting.place"),
        ru = q("report.unit"),
        rt = q("report.title"),
        re = q("report.explanation"),
        rd = q("report.decision"),
        rou = q("report.opinion.unit"),
        rot = q("report.opinion.text"),
        tt = q("tracking.title"),
        td = q("tracking.decision"),
        tp = q("tracking.progress"),
        du = q("discussion.unit"),
        dt = q("discussion.title"),
        de = q("discussion.explanation"),
        dd = q("discussion.decision"),
        at = q("attachment.title"),
        ast = q("attachment.subtitle"),
        an = q("attachment.note"),
        mr = q("minutes.recorder"),
        mo = q("minutes.opening"),
        mob = q("minutes.observer"),
        mdel = q("minutes.delegate"),
        mu = q("motion.unit"),
        mt = q("motion.title"),
        md = q("motion.decision"),
    );
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["欄一", &t("csv.header")]).unwrap();
    csv.write_record([&t("csv.cell"), "2"]).unwrap();
    write_file(root, "outside/secret.txt", SECRET);
    write_file(root, "s/group.toml", group);
    write_file(root, "s/m/meeting.toml", meeting);
    write_file(root, "s/m/table.csv", csv.into_inner().unwrap());
    write_file(root, "s/m/notes.md", format!("{}\n", t("markdown.file")));
}

/// Every file the command opened (strace), or `None` when strace cannot run here.
pub(crate) fn traced(cwd: &Path, args: &[&str]) -> Option<(std::process::Output, Vec<String>)> {
    let log = cwd.join("strace.log");
    let o = std::process::Command::new("strace")
        .args(["-f", "-qq", "-s", "4096", "-e", "trace=open,openat,openat2,creat,execve", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_packet"))
        .args(args)
        .env("PACKET_TODAY", common::PINNED_TODAY)
        // The user's installed calendars are read by design: kept in the traced folder.
        .env("PACKET_DATA_DIR", cwd.join(".packet-data"))
        .current_dir(cwd)
        // cargo's library folders would send the loader looking in target/ first.
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .ok()?;
    let text = std::fs::read_to_string(&log).ok()?;
    if text.is_empty() || String::from_utf8_lossy(&o.stderr).contains("strace: ") {
        return None;
    }
    let paths = text
        .lines()
        .filter_map(|l| l.split_once('"').and_then(|(_, rest)| rest.split_once('"')).map(|(p, _)| p.to_string()))
        .collect();
    Some((o, paths))
}

/// The first path opened (as strace saw it, relative to `root`) that is neither in the
/// series `root/s`, nor in the output folder `root/out`, nor a system file. `..` is
/// resolved first; the series holds no symlinks.
pub(crate) fn opened_outside(root: &Path, opened: &[String]) -> Option<String> {
    opened.iter().find_map(|p| {
        let mut abs = PathBuf::new();
        for c in root.join(p).components() {
            match c {
                std::path::Component::ParentDir => {
                    abs.pop();
                }
                std::path::Component::CurDir => {}
                c => abs.push(c),
            }
        }
        // The series, the output folder, and the user's installed calendars (read by design).
        let inside = [root.join("s"), root.join("out"), root.join(".packet-data")].iter().any(|d| abs.starts_with(d));
        (!inside && !system_path(&abs.to_string_lossy())).then(|| p.clone())
    })
}

/// Paths the binary may open besides the series and the output folder.
fn system_path(p: &str) -> bool {
    p == env!("CARGO_BIN_EXE_packet")
        || p == "/etc/ld.so.cache"
        || p == "/etc/ld.so.preload"
        || [
            "/lib/",
            "/lib64/",
            "/usr/lib/",
            "/usr/lib64/",
            "/proc/self/",
            "/sys/fs/cgroup/",
            "/sys/devices/system/cpu/",
            "/dev/urandom",
        ]
        .iter()
        .any(|prefix| p.starts_with(prefix))
}

/// Text that runs over a page break has the footer (`第1頁，共2頁`) in the middle.
fn without_footers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('第') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + '第'.len_utf8()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(tail);
        let footer = n > 0 && tail[n..].starts_with("頁，共") && digits(&tail[n + "頁，共".len()..]) > 0;
        if footer {
            let after = &tail[n + "頁，共".len()..];
            let m = digits(after);
            if let Some(r) = after[m..].strip_prefix('頁') {
                rest = r;
                continue;
            }
        }
        out.push('第');
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn strip_bidi(s: &str) -> String {
    squash(s).chars().filter(|c| !matches!(*c as u32, 0x202A..=0x202E | 0x2066..=0x2069)).collect()
}

/// Build the agenda and the minutes of a hostile series; every field's string must be in
/// the PDF text, and only the series, the output folder and system files may be opened.
pub(crate) fn verbatim(strings: &[String]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    hostile_series(&root, strings);
    let mut text = String::new();
    for (args, pdf) in [
        (&["build", "s/m", "-q", "-o", "out"][..], "out/agenda.pdf"),
        (&["minutes", "s/m", "-q", "-o", "out"][..], "out/minutes.pdf"),
    ] {
        let (o, opened) = match traced(&root, args) {
            Some(t) => t,
            None => {
                eprintln!("strace is not usable here: checking the PDF text only");
                (packet(&root, args), Vec::new())
            }
        };
        if !o.status.success() {
            return Err(format!("{args:?} failed: {}", stderr(&o)));
        }
        if let Some(p) = opened_outside(&root, &opened) {
            return Err(format!("{args:?} opened {p}, outside the series"));
        }
        text.push_str(&pdf_text_raw(&root.join(pdf)));
    }
    if text.contains(SECRET) {
        return Err("a file outside the series was printed".into());
    }
    let haystack = without_footers(&strip_bidi(&text));
    let mut missing = Vec::new();
    for (i, ((field, _), s)) in FIELDS.iter().zip(strings).enumerate() {
        let tag = tag(i);
        let want = strip_bidi(s.strip_prefix(&tag).unwrap().strip_suffix(&tag).unwrap());
        // Each printing of the field: the text between a pair of its tags.
        let at: Vec<usize> = haystack.match_indices(&tag).map(|(k, _)| k).collect();
        let printed: Vec<&str> =
            at.chunks(2).filter(|pair| pair.len() == 2).map(|pair| &haystack[pair[0] + tag.len()..pair[1]]).collect();
        // (Zero-width marks, joiners and variation selectors in right-to-left runs:
        // pdftotext may drop them.)
        let sorted = |t: &str| {
            let mut v: Vec<char> = t
                .chars()
                .filter(|c| {
                    !matches!(*c as u32, 0x200B..=0x200F | 0x061C | 0x2060 | 0xFEFF | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
                })
                .collect();
            v.sort();
            v
        };
        // Right-to-left text is shown (and extracted) in visual order: compare the
        // characters, not their order. Everything else must be exactly as written.
        let ok = printed.iter().any(|p| *p == want || (s.chars().any(right_to_left) && sorted(p) == sorted(&want)));
        if !ok {
            missing.push(format!("{field}: {s:?}\n      printed: {printed:?}"));
        }
    }
    if missing.is_empty() { Ok(()) } else { Err(format!("not printed verbatim:\n  {}", missing.join("\n  "))) }
}

/// Strong left-to-right letters around each field's string, so that right-to-left text
/// inside it cannot move them.
fn tag(i: usize) -> String {
    format!("QQ{i:02}QQ")
}

/// Characters that make the bidi algorithm reorder their neighbours.
fn right_to_left(c: char) -> bool {
    matches!(c as u32, 0x590..=0x6FF | 0x200E | 0x200F)
}

/// The tagged strings: `QQ07QQ` + a hostile string + `QQ07QQ`.
fn field_strings() -> impl Strategy<Value = Vec<String>> {
    let per_field: Vec<_> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, (_, md))| plain_string(*md).prop_map(move |s| format!("{t}{s}{t}", t = tag(i))))
        .collect();
    per_field
}

/// The open-file check itself: a font folder outside the series is seen, and so is a
/// `..` path leaving it.
#[test]
fn strace_sees_files_outside_the_series() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let strings: Vec<String> = (0..FIELDS.len()).map(|i| format!("{t}字{t}", t = tag(i))).collect();
    hostile_series(&root, &strings);
    std::fs::create_dir_all(root.join("fonts")).unwrap();
    std::os::unix::fs::symlink(common::root().join("fonts/TW-Kai-98_1.ttf"), root.join("fonts/kai.ttf")).unwrap();
    let Some((o, opened)) = traced(&root, &["build", "s/m", "-q", "-o", "out", "--font-path", "fonts"]) else {
        eprintln!("strace is not usable here");
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    let outside: Vec<&String> =
        opened.iter().filter(|p| opened_outside(&root, std::slice::from_ref(*p)).is_some()).collect();
    assert!(outside.iter().any(|p| *p == "fonts/kai.ttf"), "{outside:?}");
    assert_eq!(
        opened_outside(&root, &["s/m/../../outside/secret.txt".into()]).as_deref(),
        Some("s/m/../../outside/secret.txt")
    );
    assert_eq!(opened_outside(&root, &["s/m/meeting.toml".into()]), None);
}

#[test]
fn hostile_text_prints_verbatim() {
    let cases = (env_cases(48) / 10).max(3);
    fuzz("hostile_text_prints_verbatim", cases, &field_strings(), |strings| {
        verbatim(&strings).map_err(TestCaseError::fail)
    });
}
