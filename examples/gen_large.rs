//! Generate a large meeting: 300 agenda items (150 報告事項 + 150 討論事項, each with a
//! Markdown 說明, an opinion and a decision) and a 20,000-row CSV attachment.
//!
//!     cargo run --example gen_large -- /tmp/large          # writes /tmp/large/large/{group.toml,113-1/}
//!     cargo run --release -- build /tmp/large/large/113-1 -o /tmp/large/out
//!     /usr/bin/time -v target/release/packet build /tmp/large/large/113-1 -o /tmp/large/out
//!
//! Options: `--items N` (default 300), `--rows N` (default 20000). The content is
//! deterministic, so every run builds the same PDF.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub const ITEMS: usize = 300;
pub const ROWS: usize = 20_000;

const AGENCIES: &[&str] = &["主計資訊處", "綜合統計處", "國勢普查處", "地方統計推展中心", "會計決算處", "公務預算處"];
const DATASETS: &[&str] = &[
    "消費者物價基本分類指數",
    "家庭收支調查—各縣市別平均每戶所得收入總計",
    "人力資源調查縣市別失業率",
    "歷年受僱員工每人每月總薪資",
    "國民所得統計—固定資本形成毛額—季",
    "營造工程物價指數",
    "行業統計分類（XML）",
    "財物標準分類",
];
const FREQUENCIES: &[&str] = &["每月", "每季", "每半年", "每年", "不定期"];

/// The group: a convener, six government and four civil members (a valid composition).
fn group() -> String {
    let mut g = String::from("agency = \"行政院主計總處\"\nname = \"政府資料開放諮詢小組\"\nunit = \"主計資訊處\"\n");
    for i in 0..MEMBERS {
        let civil = i >= 7;
        let _ = write!(
            g,
            "\n[[member]]\nid = \"m{i}\"\nname = \"委員{i}\"\ntitle = \"{}\"\norganisation = \"{}\"\nkind = \"{}\"\ngender = \"{}\"\n",
            if civil { "教授" } else { "處長" },
            if civil { "國立大學" } else { "行政院主計總處" },
            if civil { "民間代表" } else { "機關代表" },
            if i % 2 == 0 { "男" } else { "女" },
        );
        if i == 0 {
            g.push_str("role = \"召集人\"\n");
        }
        if civil {
            g.push_str("term_start = 2024-04-01\nterm_end = 2026-03-31\n");
        }
    }
    g
}

const MEMBERS: usize = 11;

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The meeting.toml text of a meeting with `items` items, the first discussion carrying
/// the large CSV.
pub fn meeting(items: usize) -> String {
    let mut m = String::from(
        "number = 1\ndate = 2024-04-29\ntime = \"14:30\"\nplace = \"行政院第 9 會議室\"\nchair = \"m0\"\n",
    );
    let reports = items / 2;
    for i in 0..items {
        let (key, verb) = if i < reports { ("report", "報請鑒察") } else { ("discussion", "提請討論") };
        let unit = AGENCIES[i % AGENCIES.len()];
        let dataset = DATASETS[i % DATASETS.len()];
        let title = format!("本總處「{dataset}」資料集第 {} 次更新作業規劃，{verb}。", i + 1);
        let mut explanation = String::new();
        for k in 1..=(2 + i % 4) {
            let _ = writeln!(
                explanation,
                "{k}. {unit}就「{dataset}」辦理第 {k} 項作業，預計於 113 年 {} 月完成，並同步更新詮釋資料與欄位說明。",
                1 + (i + k) % 12
            );
            if k == 2 {
                explanation.push_str("   1. 資料來源：行政資料與調查資料。\n   2. 更新頻率：依原定週期。\n");
            }
        }
        let _ = writeln!(m, "\n[[{key}]]");
        let _ = writeln!(m, "unit = {}", toml_str(unit));
        let _ = writeln!(m, "title = {}", toml_str(&title));
        let _ = writeln!(m, "explanation = {}", toml_str(&explanation));
        let _ = writeln!(
            m,
            "decision = {}",
            toml_str(if i % 3 == 0 { "1. 照案通過。\n2. 請持續追蹤辦理情形。" } else { "洽悉。" })
        );
        let _ = writeln!(
            m,
            "\n[[{key}.opinion]]\nmember = \"m{}\"\ntext = {}",
            1 + i % (MEMBERS - 1),
            toml_str(&format!("建議「{dataset}」提供 API 與欄位說明（第 {} 案）。", i + 1))
        );
        if i == reports {
            let _ = writeln!(
                m,
                "\n[[{key}.attachment]]\ntitle = \"開放資料集清單（{ROWS} 筆）\"\nsubtitle = \"113-04-02\"\nfile = \"attachments/datasets.csv\"\nheader_rows = 1\nnotes = [\"資料截至 113 年 4 月 2 日。\"]"
            );
        }
    }
    let present: Vec<String> = (0..MEMBERS).map(|i| format!("\"m{i}\"")).collect();
    let _ = write!(
        m,
        "\n[minutes]\nend = \"18:00\"\nrecorder = \"李○○\"\n\n[minutes.attendance]\npresent = [{}]\n",
        present.join(", ")
    );
    m
}

/// The CSV: a header row and `rows` data rows.
pub fn csv(rows: usize) -> String {
    let mut out = String::from("項次,資料集名稱,提供單位,更新頻率,下載次數,上架日期\n");
    for r in 0..rows {
        let _ = writeln!(
            out,
            "{},{}（{}）,{},{},{},{}-{:02}-{:02}",
            r + 1,
            DATASETS[r % DATASETS.len()],
            r / DATASETS.len() + 1,
            AGENCIES[r % AGENCIES.len()],
            FREQUENCIES[r % FREQUENCIES.len()],
            (r * 7919) % 100_000,
            103 + r % 10,
            1 + r % 12,
            1 + r % 28
        );
    }
    out
}

/// Write `dir/large/group.toml` and `dir/large/113-1/` (meeting.toml, attachments/datasets.csv);
/// returns the meeting directory.
pub fn generate(dir: &Path, items: usize, rows: usize) -> std::io::Result<PathBuf> {
    let series = dir.join("large");
    let meeting_dir = series.join("113-1");
    std::fs::create_dir_all(meeting_dir.join("attachments"))?;
    std::fs::write(series.join("group.toml"), group())?;
    std::fs::write(meeting_dir.join("meeting.toml"), meeting(items))?;
    std::fs::write(meeting_dir.join("attachments/datasets.csv"), csv(rows))?;
    Ok(meeting_dir)
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let (mut items, mut rows) = (ITEMS, ROWS);
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> usize {
            args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match a.as_str() {
            "--items" => items = number("--items"),
            "--rows" => rows = number("--rows"),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: gen_large DIR [--items N] [--rows N]");
        std::process::exit(2);
    };
    match generate(&dir, items, rows) {
        Ok(m) => println!("{}", m.display()),
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    }
}
