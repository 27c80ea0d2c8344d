//! `packet export`: the data.gov.tw bundle, checked with the tools its users run
//! (frictionless, sha256sum, pdftotext, a JSON Schema validator).

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The files of the bundle, in order (final minutes).
const FILES: [&str; 18] = [
    "agenda.pdf",
    "minutes.pdf",
    "agenda.odt",
    "minutes.odt",
    "meeting.json",
    "meeting.csv",
    "items.csv",
    "decisions.csv",
    "opinions.csv",
    "attendance.csv",
    "members.csv",
    "tracking.csv",
    "meeting.schema.json",
    "datapackage.json",
    "metadata.json",
    "metadata.csv",
    "resources.csv",
    "SHA256SUMS",
];

/// The 不公開 opinion of the example's private member (hsieh).
const PRIVATE_TEXT: &str = "白金標章資料集的抽查方式";

fn export_cmd(dir: &Path, target: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec!["export", "dgbas/113-1", "-q", "-o", target];
    args.extend_from_slice(extra);
    let mut run = Run::new(&args).cwd(dir).env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        run = run.env(k, v);
    }
    run.output()
}

/// The example series exported once for the tests that only read the bundle:
/// (series copy, `out.zip`, `out/`).
fn shared_export() -> &'static (PathBuf, PathBuf, PathBuf) {
    static EXPORTED: std::sync::OnceLock<(PathBuf, PathBuf, PathBuf)> = std::sync::OnceLock::new();
    EXPORTED.get_or_init(|| {
        let series = shared_dir("export");
        copy_tree(&root().join("packets/dgbas"), &series.join("dgbas"));
        let (zip, dir) = (series.join("out.zip"), series.join("out"));
        for target in [&zip, &dir] {
            let o = export_cmd(&series, target.to_str().unwrap(), &[], &[]);
            assert!(o.status.success(), "{}", stderr(&o));
        }
        (series, zip, dir)
    })
}

/// Export the example series to `out.zip` and `out/`; returns the series copy, for a
/// test that changes it.
fn exported() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let series = example_series();
    let zip = series.path().join("out.zip");
    let dir = series.path().join("out");
    for target in [&zip, &dir] {
        let o = export_cmd(series.path(), target.to_str().unwrap(), &[], &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    (series, zip, dir)
}

/// (name, bytes) of every zip entry, in order.
fn zip_entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn text(path: &Path) -> String {
    let s = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s)
}

pub(crate) fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&text(path)).unwrap()
}

/// Header and rows of a bundle CSV (its BOM required, then stripped), as maps header →
/// cell. The series tests read their CSVs through it too.
pub(crate) fn csv_rows(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let raw = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let body = raw.strip_prefix('\u{feff}').expect("BOM");
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows =
        r.records().map(|rec| headers.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect();
    (headers, rows)
}

/// Squashed PDF text without the `第N頁，共M頁` footers, which split text running over
/// a page break.
fn without_footers(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('第') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + '第'.len_utf8()..];
        let footer = tail
            .split_once("頁，共")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .and_then(|(_, t)| t.split_once('頁'))
            .filter(|(m, _)| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()));
        match footer {
            Some((_, after)) => rest = after,
            None => {
                out.push('第');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn footers_are_removed() {
    assert_eq!(without_footers("甲第2頁，共3頁乙第3次會議"), "甲乙第3次會議");
}

pub(crate) fn frictionless(dir: &Path) -> Output {
    Command::new("frictionless")
        .args(["validate", "datapackage.json"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("frictionless is needed for this test (pip install frictionless): {e}"))
}

#[test]
fn zip_and_folder_hold_the_same_files_in_order() {
    let (_, zip, dir) = shared_export();
    let entries = zip_entries(zip);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, FILES);
    for (name, bytes) in &entries {
        assert_eq!(&std::fs::read(dir.join(name)).unwrap(), bytes, "{name} differs between zip and folder");
    }
    // Tables and JSON are UTF-8; CSVs open with a BOM (for Excel) and use CRLF.
    for name in FILES.iter().filter(|n| n.ends_with(".csv")) {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name} lacks the BOM");
        let s = String::from_utf8(bytes).unwrap();
        assert!(s.split('\n').next().unwrap().ends_with('\r'), "{name}: header row not CRLF");
    }
}

#[test]
fn frictionless_validates_the_data_package() {
    // Its own copy: the test breaks a key in it.
    let (_s, _zip, dir) = exported();
    let o = frictionless(&dir);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "frictionless validate failed:\n{out}\n{}", stderr(&o));
    for table in ["meeting.csv", "items.csv", "decisions.csv", "opinions.csv", "attendance.csv", "members.csv"] {
        assert!(out.contains(table), "{table} not validated:\n{out}");
    }
    assert!(!out.contains("INVALID"), "{out}");

    // The keys are checked: an attendance row for an unknown member fails.
    let att = dir.join("attendance.csv");
    std::fs::write(&att, text(&att).replace(",chou,", ",nobody,")).unwrap();
    let mut package = json(&dir.join("datapackage.json"));
    for r in package["resources"].as_array_mut().unwrap() {
        let r = r.as_object_mut().unwrap();
        r.remove("hash");
        r.remove("bytes");
    }
    std::fs::write(dir.join("datapackage.json"), package.to_string()).unwrap();
    let o = frictionless(&dir);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success() && out.contains("foreign-key"), "a broken foreign key passed:\n{out}");
}

#[test]
fn two_exports_are_byte_identical() {
    let series = example_series();
    let mut zips = Vec::new();
    for name in ["a.zip", "b.zip"] {
        let o = export_cmd(series.path(), name, &[], &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        zips.push(std::fs::read(series.path().join(name)).unwrap());
    }
    assert!(zips[0] == zips[1], "two exports of the same input differ");

    // Timestamps come from the meeting (date + 散會 16:10) unless SOURCE_DATE_EPOCH is set.
    let archive = zip::ZipArchive::new(std::io::Cursor::new(&zips[0])).unwrap();
    let when = archive.clone().by_index(0).unwrap().last_modified().unwrap();
    assert_eq!((when.year(), when.month(), when.day(), when.hour(), when.minute()), (2024, 4, 29, 16, 10));

    // 2024-05-01T08:00:00Z = 16:00 in Taiwan.
    let o = export_cmd(series.path(), "c.zip", &[], &[("SOURCE_DATE_EPOCH", "1714550400")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = std::fs::read(series.path().join("c.zip")).unwrap();
    assert!(c != zips[0], "SOURCE_DATE_EPOCH was ignored");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&c)).unwrap();
    for i in 0..archive.len() {
        let f = archive.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (2024, 5, 1, 16, 0), "{}", f.name().unwrap());
    }
    let dir = series.path().join("c");
    archive.extract(&dir).unwrap();
    let meta = json(&dir.join("metadata.json"));
    assert_eq!(meta["modifiedDate"], "2024-05-01 16:00:00");
    assert_eq!(json(&dir.join("datapackage.json"))["created"], "2024-05-01T16:00:00+08:00");

    // Without it, the recorded publication date (00:00) when there is one.
    let meeting = series.path().join("dgbas/113-1/meeting.toml");
    let toml = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(&meeting, format!("{toml}\n[dates]\npublished = 2024-05-17\n")).unwrap();
    let o = export_cmd(series.path(), "e", &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = json(&series.path().join("e/metadata.json"));
    assert_eq!(meta["modifiedDate"], "2024-05-17 00:00:00");
    assert_eq!(meta["publishedDate"], "2024-05-17");

    let o = export_cmd(series.path(), "d.zip", &[], &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&o));
}

#[test]
fn private_opinion_is_in_no_file_and_anonymous_ones_carry_no_member_id() {
    let series = example_series();
    let meeting = std::fs::read_to_string(series.path().join("dgbas/113-1/meeting.toml")).unwrap();
    assert!(meeting.contains(PRIVATE_TEXT) && meeting.contains("private = [\"hsieh\"]"), "fixture changed");
    let o = export_cmd(series.path(), "out.zip", &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = series.path().join("x");
    zip::ZipArchive::new(std::fs::File::open(series.path().join("out.zip")).unwrap()).unwrap().extract(&dir).unwrap();
    for name in FILES {
        let path = dir.join(name);
        let content = if name.ends_with(".pdf") {
            squash(&pdf_text(&path))
        } else if name.ends_with(".odt") {
            squash(&odt_xml(&path))
        } else {
            squash(&text(&path))
        };
        assert!(!content.is_empty(), "{name} is empty");
        assert!(!content.contains(PRIVATE_TEXT), "不公開 text in {name}");
        assert!(!content.contains("不公開）") && !content.contains("謝○○委員："), "不公開 speaker in {name}");
    }
    // The extraction works: public opinions are there.
    assert!(squash(&pdf_text(&dir.join("minutes.pdf"))).contains("肯定品質優化成果"));

    // Opinions of the 不記名 member (kuo) are 委員甲 with no member id, anywhere.
    let (_, opinions) = csv_rows(&dir.join("opinions.csv"));
    let anonymous: Vec<_> = opinions.iter().filter(|r| r["發言者"] == "委員甲").collect();
    assert_eq!(anonymous.len(), 2);
    assert!(anonymous.iter().all(|r| r["委員代號"].is_empty()));
    assert!(opinions.iter().all(|r| r["委員代號"] != "kuo" && r["委員代號"] != "hsieh"));
    // Numbered among the published opinions only: no gap where hsieh's was.
    let d1: Vec<&str> = opinions.iter().filter(|r| r["案件代號"] == "113-1-D1").map(|r| r["序號"].as_str()).collect();
    assert_eq!(d1, ["1", "2", "3"]);
    let record = json(&dir.join("meeting.json"));
    for item in record["items"].as_array().unwrap() {
        for op in item["opinions"].as_array().unwrap() {
            assert!(op["member_id"] != "kuo" && op["member_id"] != "hsieh", "{op}");
        }
    }
    let raw = text(&dir.join("meeting.json"));
    assert!(!raw.contains("\"private\"") && !raw.contains("\"anonymous\""), "declarations leak");
}

#[test]
fn csv_headers_equal_metadata_field_descriptions() {
    let (_, _, dir) = shared_export();
    let meta = json(&dir.join("metadata.json"));
    let package = json(&dir.join("datapackage.json"));
    let distribution = meta["distribution"].as_array().unwrap();
    let (_, form) = csv_rows(&dir.join("resources.csv"));
    // One row per platform resource, in the order of metadata.json's distribution.
    assert_eq!(form.len(), distribution.len());
    let csvs: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|n| n.ends_with(".csv") && !["metadata.csv", "resources.csv"].contains(n))
        .collect();
    let listed: Vec<&str> = form.iter().map(|r| r["檔案名稱"].as_str()).filter(|n| n.ends_with(".csv")).collect();
    assert_eq!(listed, csvs);
    for (row, d) in form.iter().zip(distribution) {
        let file = row["檔案名稱"].as_str();
        assert_eq!(d["downloadURL"], file, "no base_url: the file name");
        assert_eq!(d["resourceDescription"], row["資料資源描述"].as_str());
        if !file.ends_with(".csv") {
            continue;
        }
        let (headers, rows) = csv_rows(&dir.join(file));
        assert_eq!(row["資料量"], rows.len().to_string(), "{file}");
        assert_eq!(d["format"], "CSV");
        assert_eq!(d["encoding"], "UTF-8");
        // metadata.json: resourceField names are the header row, in order.
        let names: Vec<&str> =
            d["resourceField"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(headers, names, "{file}: CSV header ≠ resourceField");
        // The upload form: this resource's 主要欄位說明 in its own cell, `欄位：說明；…`.
        let cell: Vec<&str> = row["主要欄位說明"].split('；').map(|f| f.split_once('：').unwrap().0).collect();
        assert_eq!(headers, cell, "{file}: CSV header ≠ 主要欄位說明");
        for f in d["resourceField"].as_array().unwrap() {
            // Each description ends with the column's English key and type.
            let text = f["description"].as_str().unwrap();
            let (_, tail) = text.rsplit_once('（').unwrap();
            let key = tail.split_once('，').unwrap().0;
            assert!(!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{file}: {text}");
        }
        // datapackage.json describes the same columns: the header is the field name (the
        // Table Schema's rule, which Frictionless checks), the title Chinese.
        let resource = package["resources"].as_array().unwrap().iter().find(|r| r["path"] == file).expect("resource");
        assert!(resource["name"].as_str().unwrap().bytes().all(|b| b.is_ascii_lowercase()), "{file}");
        let schema_fields = resource["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = schema_fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(headers, names, "{file}: datapackage fields");
    }
    for (k, want) in [
        ("license", "政府資料開放授權條款－第1版"),
        ("licenseURL", "https://data.gov.tw/license"),
        ("cost", "免費"),
        ("type", "rawData"),
        ("categoryService", "I00"),
        ("publisher", "行政院主計總處"),
        ("publisherContactName", "李○○"),
        ("publisherContactPhone", "(02)2380-0000"),
        ("publisherContactEmail", "opendata@dgbas.gov.tw"),
    ] {
        assert_eq!(meta[k], want, "{k}");
    }
    assert_eq!(meta["updateFrequency"], serde_json::json!({"regularupdate": "Y", "Frequency": 6, "unittime": "月"}));
    let (_, dataset) = csv_rows(&dir.join("metadata.csv"));
    assert_eq!(dataset.len(), 1);
    assert_eq!(dataset[0]["服務分類"], "I00");
    assert_eq!(dataset[0]["提供機關聯絡人電子郵件"], "opendata@dgbas.gov.tw");
    assert_eq!(dataset[0]["更新頻率"], "每6月");
    let keywords = meta["keyword"].as_array().unwrap();
    assert!(keywords.iter().any(|k| k == "政府資料開放諮詢小組") && keywords.iter().any(|k| k == "會議紀錄"));
}

#[test]
fn sha256sums_check_in_the_extracted_zip() {
    let (s, zip, _dir) = exported();
    let dir = s.path().join("extracted");
    zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap().extract(&dir).unwrap();
    let sums = text(&dir.join("SHA256SUMS"));
    let listed: Vec<&str> = sums.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    assert_eq!(listed, FILES[..FILES.len() - 1], "SHA256SUMS must cover every other file");
    let o = Command::new("sha256sum").args(["-c", "--strict", "SHA256SUMS"]).current_dir(&dir).output().unwrap();
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    // And it notices a change.
    std::fs::write(dir.join("items.csv"), "x").unwrap();
    let o = Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&dir).output().unwrap();
    assert!(!o.status.success());
}

#[test]
fn items_and_decisions_read_back_as_the_minutes_print_them() {
    let (_, _, dir) = shared_export();
    let pdf = without_footers(&squash(&pdf_text(&dir.join("minutes.pdf"))));
    let (_, items) = csv_rows(&dir.join("items.csv"));
    assert_eq!(items.len(), 5, "2 reports, 2 discussions, 1 motion");
    let mut at = 0;
    for row in &items {
        let title = squash(&row["案由"]);
        let pos = pdf[at..].find(&title).unwrap_or_else(|| panic!("案由「{title}」not in minutes.pdf (in order)"));
        at += pos + title.len();
        let decision = squash(&row["決定（議）"]);
        assert!(!decision.is_empty());
        let label = if row["類別"] == "報告事項" { "決定：" } else { "決議：" };
        let pos = pdf[at..]
            .find(&format!("{label}{decision}"))
            .unwrap_or_else(|| panic!("{label}「{decision}」of {} not in minutes.pdf", row["案件代號"]));
        at += pos;
    }
    let (_, decisions) = csv_rows(&dir.join("decisions.csv"));
    assert_eq!(decisions.len(), 6);
    for row in &decisions {
        assert!(pdf.contains(&squash(&row["內容"])), "{}", row["內容"]);
        let item = items.iter().find(|i| i["案件代號"] == row["案件代號"]).unwrap();
        assert!(item["各項決定（議）代號"].split(';').any(|id| id == row["決定（議）代號"]));
    }
    assert_eq!(
        items.iter().find(|i| i["案件代號"] == "113-1-D2").unwrap()["各項決定（議）代號"],
        "113-1-D2-1;113-1-D2-2"
    );
    let (_, opinions) = csv_rows(&dir.join("opinions.csv"));
    for row in &opinions {
        let printed = format!("{}：{}", row["發言者"], row["發言要旨"]);
        assert!(pdf.contains(&squash(&printed)), "{printed}");
    }
    // The agenda carries the same 案由.
    let agenda = squash(&pdf_text(&dir.join("agenda.pdf")));
    for row in items.iter().filter(|r| r["類別"] != "臨時動議") {
        assert!(agenda.contains(&squash(&row["案由"])), "{}", row["案由"]);
    }
}

#[test]
fn a_draft_is_refused_without_allow_draft() {
    let series = example_series();
    // Right after the meeting: no later meeting refers to its decisions yet.
    for entry in std::fs::read_dir(series.path().join("dgbas")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if entry.path().is_dir() && !["112-2", "113-1"].contains(&name.as_str()) {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    edit_file(series.path(), "dgbas/113-1/meeting.toml", "\"\"\"\ndecision = \"照案通過。\"\n", "\"\"\"\n");

    let o = export_cmd(series.path(), "out.zip", &[], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--allow-draft"), "{err}");
    assert!(err.contains("meeting.toml:") && err.contains("discussion[0].decision: 尚未填寫決議"), "{err}");
    assert!(!series.path().join("out.zip").exists(), "a refused export wrote the zip");

    let o = export_cmd(series.path(), "out.zip", &["--allow-draft"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = zip_entries(&series.path().join("out.zip")).into_iter().map(|(n, _)| n).collect();
    assert!(
        names.contains(&"minutes-draft.pdf".to_string()) && !names.contains(&"minutes.pdf".to_string()),
        "{names:?}"
    );
    let dir = series.path().join("x");
    zip::ZipArchive::new(std::fs::File::open(series.path().join("out.zip")).unwrap()).unwrap().extract(&dir).unwrap();
    assert!(squash(&pdf_text(&dir.join("minutes-draft.pdf"))).contains("紀錄草稿"));
    let (_, meeting_rows) = csv_rows(&dir.join("meeting.csv"));
    assert_eq!(meeting_rows[0]["紀錄狀態"], "草稿");
    let (_, items) = csv_rows(&dir.join("items.csv"));
    assert_eq!(items[2]["決定（議）"], "", "the missing decision stays empty");
    let o = frictionless(&dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn gender_is_published_only_when_group_toml_says_so() {
    let (s, _zip, dir) = exported();
    let (headers, _) = csv_rows(&dir.join("members.csv"));
    assert!(!headers.iter().any(|h| h == "性別"), "{headers:?}");
    assert!(!text(&dir.join("meeting.json")).contains("\"gender\""));

    edit_file(
        s.path(),
        "dgbas/group.toml",
        "unit = \"主計資訊處\"\n",
        "unit = \"主計資訊處\"\npublish_gender = true\n",
    );
    let o = export_cmd(s.path(), "g", &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let g = s.path().join("g");
    let (headers, rows) = csv_rows(&g.join("members.csv"));
    assert_eq!(headers.last().unwrap(), "性別");
    assert_eq!(rows.iter().find(|r| r["委員代號"] == "lin").unwrap()["性別"], "女");
    let meta = json(&g.join("metadata.json"));
    let members = meta["distribution"].as_array().unwrap().iter().find(|f| f["downloadURL"] == "members.csv").unwrap();
    assert!(members["resourceField"].as_array().unwrap().iter().any(|f| f["name"] == "性別"));
}

#[test]
fn missing_contact_is_reported_in_group_toml() {
    let series = example_series();
    edit_file(series.path(), "dgbas/group.toml", "phone = \"(02)2380-0000\"\n", "");
    let o = export_cmd(series.path(), "out.zip", &[], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("group.toml:") && err.contains("contact.phone: "), "{err}");
}

#[test]
fn meeting_json_validates_against_the_published_schema() {
    let (s, _, dir) = shared_export();
    let o = packet(s, &["schema", "--export"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(printed, json(&dir.join("meeting.schema.json")), "bundle schema ≠ packet schema --export");
    assert!(printed["properties"]["items"].is_object());
    // jsonschema comes with frictionless.
    let check = "import json,sys,jsonschema\n\
                 s=json.load(open(sys.argv[1],encoding='utf-8'))\n\
                 d=json.load(open(sys.argv[2],encoding='utf-8'))\n\
                 jsonschema.validators.validator_for(s).check_schema(s)\n\
                 jsonschema.validate(d,s)\n\
                 d['items'][0]['number']='one'\n\
                 try:\n  jsonschema.validate(d,s)\n  sys.exit('a wrong type passed')\n\
                 except jsonschema.ValidationError: pass\n";
    let o = Command::new("python3")
        .args(["-c", check, "meeting.schema.json", "meeting.json"])
        .current_dir(dir)
        .output()
        .expect("python3 with jsonschema (pip install frictionless)");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn tracking_csv_lists_the_decisions_reported_on() {
    let (_, _, dir) = shared_export();
    let (headers, rows) = csv_rows(&dir.join("tracking.csv"));
    assert_eq!(
        headers,
        ["會議代號", "列管案件代號", "決定會議代號", "類別", "案由", "決定（議）", "辦理情形", "列管建議", "列管結果"]
    );
    assert!(rows.iter().all(|r| r["會議代號"] == "113-1"));
    let ids: Vec<&str> = rows.iter().map(|r| r["列管案件代號"].as_str()).collect();
    assert_eq!(ids, ["112-2-R1", "112-2-R2", "112-2-D1", "112-2-D2"]);
    let kept = &rows[3];
    assert_eq!(kept["列管結果"], "繼續列管");
    assert!(kept["決定（議）"].starts_with("1. 照案通過。\n2. 本案規劃內容"), "{kept:?}");
    assert!(kept["辦理情形"].ends_with("「統計資料」主題暫緩執行。"), "{kept:?}");
    assert_eq!(rows[0]["列管結果"], "解除列管");
    let j = json(&dir.join("meeting.json"));
    assert_eq!(j["tracking"][3]["id"], "112-2-D2");
}

/// Markdown that CommonMark would consume without printing (link reference definitions,
/// a link without text) prints as written in both PDFs and in the CSVs.
#[test]
fn link_reference_definitions_print_as_written() {
    let (dir, series) = crate::broken_inputs::baseline();
    edit_file(&series, "113-1/meeting.toml", "decision = \"洽悉。\"", "decision = \"[甲]: 照案通過\"");
    edit_file(
        &series,
        "113-1/meeting.toml",
        "2. 檢附設置要點如附件。",
        "2. 檢附設置要點如附件。\\n\\n[註1]: 依設置要點第三點\\n\\n> [註2]: 引言\\n\\n參見[](https://data.gov.tw/x)",
    );
    let out = dir.path().join("out");
    let o = export_cmd(dir.path(), out.to_str().unwrap(), &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let minutes = without_footers(&squash(&pdf_text(&out.join("minutes.pdf"))));
    assert!(minutes.contains("決定：[甲]:照案通過"), "{minutes}");
    let agenda = squash(&pdf_text(&out.join("agenda.pdf")));
    for want in ["[註1]:依設置要點第三點", "[註2]:引言", "參見https://data.gov.tw/x"] {
        assert!(agenda.contains(want), "「{want}」 missing from the agenda:\n{agenda}");
    }
    let (_, decisions) = csv_rows(&out.join("decisions.csv"));
    assert_eq!(decisions[0]["內容"], "[甲]: 照案通過");
    let (_, items) = csv_rows(&out.join("items.csv"));
    assert_eq!(items[0]["決定（議）"], "[甲]: 照案通過");
    let record = json(&out.join("meeting.json"));
    let explanation = record["items"][0]["explanation"].as_str().unwrap();
    assert!(explanation.contains("[註1]: 依設置要點第三點"), "{explanation}");
    assert!(explanation.contains("https://data.gov.tw/x"), "{explanation}");
}

/// Numbers and dashes are not formulas: they are published as written.
#[test]
fn numbers_and_dashes_are_not_formulas() {
    let (dir, series) = crate::broken_inputs::baseline();
    edit_file(&series, "113-1/meeting.toml", "建議會議資料至遲於會前 5 個工作日寄送。", "-5");
    edit_file(&series, "113-1/meeting.toml", "decision = \"洽悉。\"", "decision = \"- 洽悉。\\n- 請研議。\"");
    let out = dir.path().join("out");
    let o = export_cmd(dir.path(), out.to_str().unwrap(), &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, opinions) = csv_rows(&out.join("opinions.csv"));
    assert_eq!(opinions[0]["發言要旨"], "-5");
    let (_, decisions) = csv_rows(&out.join("decisions.csv"));
    assert!(decisions[0]["內容"].starts_with('•'), "{}", decisions[0]["內容"]);
}

/// The description datapackage.json gives column `header` of `file`.
fn column_description(package: &serde_json::Value, file: &str, header: &str) -> String {
    let resource = package["resources"].as_array().unwrap().iter().find(|r| r["path"] == file).expect(file);
    let field = resource["schema"]["fields"].as_array().unwrap().iter().find(|f| f["name"] == header).expect(header);
    field["description"].as_str().unwrap().to_string()
}

/// A value beyond the usual ones (未記錄 attendance, a 副召集人) is described in its table's
/// column where it occurs, and only there: the usual bundle keeps the usual words.
#[test]
fn columns_describe_unusual_values_where_they_occur() {
    let (_, _, dir) = shared_export();
    let usual = json(&dir.join("datapackage.json"));
    assert_eq!(column_description(&usual, "attendance.csv", "出席情形"), "出席、代理、請假或缺席");
    assert_eq!(column_description(&usual, "members.csv", "職務"), "召集人或委員");

    let series = example_series();
    // The roll names only some members: hsu, neither present nor on leave, is 未記錄.
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "leave = [\"lai\", \"hsu\"]",
        "leave = [\"lai\"]\nroll = \"partial\"",
    );
    edit_file(
        series.path(),
        "dgbas/group.toml",
        "gender = \"女\"\n\n[[member]]\nid = \"huang\"",
        "gender = \"女\"\nrole = \"副召集人\"\n\n[[member]]\nid = \"huang\"",
    );
    let out = series.path().join("unusual");
    let o = export_cmd(series.path(), out.to_str().unwrap(), &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, attendance) = csv_rows(&out.join("attendance.csv"));
    assert!(attendance.iter().any(|r| r["委員代號"] == "hsu" && r["出席情形"] == "未記錄"));
    let package = json(&out.join("datapackage.json"));
    assert_eq!(
        column_description(&package, "attendance.csv", "出席情形"),
        "出席、代理、請假、缺席，或未記錄（出席紀錄僅載部分委員時，未列名者之出席情形不明）"
    );
    assert_eq!(column_description(&package, "members.csv", "職務"), "召集人、共同召集人、副召集人或委員");
    // The other tables keep theirs.
    assert_eq!(column_description(&package, "meeting.csv", "開會時間"), "24 小時制 HH:MM");
}
