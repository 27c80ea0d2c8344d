//! `packet export <series-dir>`: the group's one cumulative dataset, checked with the
//! tools its users run (frictionless, sha256sum, a JSON Schema validator) and against the
//! platform's metadata schema (docs/data-gov-tw-metadata.schema.json).

use crate::common::*;
use crate::export::{csv_rows, frictionless, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const BASE_URL: &str = "https://opendata.example.gov.tw/advisory";

/// `[open_data]` with what the platform needs and the examples leave out (an OID and a
/// hosting address are the agency's own; the examples do not invent them).
const OPEN_DATA: &str = "\n[open_data]\nbase_url = \"https://opendata.example.gov.tw/advisory/\"\npublisher_oid = \"2.16.886.101.20003\"\nlisted = 2023-12-10\n";

/// Copy `packets/<name>` to a temp dir (as `<name>`), `[open_data]` completed.
fn series_copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets").join(name), &tmp.path().join(name));
    let group = tmp.path().join(name).join("group.toml");
    let mut toml = std::fs::read_to_string(&group).unwrap();
    if toml.contains("[open_data]") {
        toml = toml.replace("[open_data]\n", &OPEN_DATA[1..]);
    } else {
        toml.push_str(OPEN_DATA);
    }
    // The platform asks for the contact's e-mail; demo's group.toml gives none.
    if !toml.contains("email =") {
        toml = toml.replace("[contact]\n", "[contact]\nemail = \"opendata@example.gov.tw\"\n");
    }
    std::fs::write(&group, toml).unwrap();
    tmp
}

fn export(cwd: &Path, series: &str, target: &str) -> Output {
    Run::new(&["export", series, "-q", "-o", target]).cwd(cwd).env_remove("SOURCE_DATE_EPOCH").output()
}

/// The bundle's file names, in SHA256SUMS order (every file but SHA256SUMS).
fn listed(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .map(|l| l.split_once("  ").unwrap().1.to_string())
        .collect()
}

fn validate_metadata(dir: &Path) -> Output {
    let schema = root().join("docs/data-gov-tw-metadata.schema.json");
    // jsonschema comes with frictionless.
    let check = "import json,sys,jsonschema\n\
                 s=json.load(open(sys.argv[1],encoding='utf-8'))\n\
                 d=json.load(open(sys.argv[2],encoding='utf-8'))\n\
                 jsonschema.validators.validator_for(s).check_schema(s)\n\
                 jsonschema.validate(d,s)\n";
    Command::new("python3")
        .args(["-c", check, schema.to_str().unwrap(), "metadata.json"])
        .current_dir(dir)
        .output()
        .expect("python3 with jsonschema (pip install frictionless)")
}

#[test]
fn series_bundle_lists_every_meeting_and_validates() {
    let tmp = series_copy("dgbas");
    let o = export(tmp.path(), "dgbas", "out/");
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tmp.path().join("out");
    let mut want: Vec<String> = Vec::new();
    for id in ["112-2", "113-1", "113-2"] {
        for doc in ["agenda.pdf", "minutes.pdf", "agenda.odt", "minutes.odt", "meeting.json"] {
            want.push(format!("{id}-{doc}"));
        }
    }
    for f in [
        "index.csv",
        "index.json",
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
    ] {
        want.push(f.to_string());
    }
    assert_eq!(listed(&dir), want);
    let mut on_disk: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    on_disk.sort();
    let mut all = want.clone();
    all.push("SHA256SUMS".into());
    all.sort();
    assert_eq!(on_disk, all, "the folder holds the bundle and nothing else");

    // Frictionless: every table against its schema (types, enums, keys), bytes and hashes.
    let o = frictionless(&dir);
    assert!(o.status.success(), "frictionless:\n{}", String::from_utf8_lossy(&o.stdout));
    let o = Command::new("sha256sum").args(["-c", "--strict", "SHA256SUMS"]).current_dir(&dir).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));

    // One row per meeting, in date order, with its attendees and status.
    let (headers, index) = csv_rows(&dir.join("index.csv"));
    for h in [
        "會議代號",
        "會議名稱",
        "會議日期",
        "開會時間",
        "地點",
        "主席",
        "出席委員",
        "紀錄狀態",
        "議程網址",
        "會議紀錄網址",
        "附件網址",
    ] {
        assert!(headers.iter().any(|x| x == h), "index.csv lacks {h}: {headers:?}");
    }
    let ids: Vec<&str> = index.iter().map(|r| r["會議代號"].as_str()).collect();
    assert_eq!(ids, ["112-2", "113-1", "113-2"]);
    assert!(index.iter().all(|r| r["紀錄狀態"] == "定稿" && r["出席委員"].contains("陳○○")));
    // 113-1 has attachments (in its agenda PDF); 112-2 has none.
    assert_eq!(index[1]["附件網址"], index[1]["議程網址"]);
    assert_eq!(index[0]["附件網址"], "");
    let index_json = json(&dir.join("index.json"));
    assert_eq!(index_json.as_array().unwrap().len(), 3);
    assert_eq!(index_json[1]["minutes_url"], index[1]["會議紀錄網址"].as_str());
    assert_eq!(index_json[1]["year"], 113);

    // The series tables hold every meeting's rows; members once each.
    let (_, items) = csv_rows(&dir.join("items.csv"));
    for id in ids {
        assert!(items.iter().any(|r| r["會議代號"] == id), "items.csv has no row of {id}");
    }
    let (_, members) = csv_rows(&dir.join("members.csv"));
    let mut member_ids: Vec<&str> = members.iter().map(|r| r["委員代號"].as_str()).collect();
    let n = member_ids.len();
    member_ids.sort();
    member_ids.dedup();
    assert_eq!(member_ids.len(), n, "a member listed twice");
    let (_, tracking) = csv_rows(&dir.join("tracking.csv"));
    assert!(tracking.iter().any(|r| r["會議代號"] == "113-1") && tracking.iter().any(|r| r["會議代號"] == "113-2"));

    // Each meeting's documents are the ones its own export writes, byte for byte.
    let o = export(tmp.path(), "dgbas/113-1", "one/");
    assert!(o.status.success(), "{}", stderr(&o));
    for doc in ["agenda.pdf", "minutes.pdf", "meeting.json"] {
        assert!(
            std::fs::read(tmp.path().join("one").join(doc)).unwrap()
                == std::fs::read(dir.join(format!("113-1-{doc}"))).unwrap(),
            "113-1-{doc} differs from the one-meeting export's {doc}"
        );
    }

    // The metadata validates against the schema written from the platform's spec.
    let o = validate_metadata(&dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = json(&dir.join("metadata.json"));
    assert_eq!(meta["publisherOID"], "2.16.886.101.20003|行政院主計總處");
    assert_eq!(meta["publishedDate"], "2023-12-10");
    assert_eq!(meta["modifiedDate"], "2024-10-15 15:50:00", "the newest meeting's closing time");
    assert!(meta["publishedDate"].as_str().unwrap() <= &meta["modifiedDate"].as_str().unwrap()[..10]);
}

/// Every link (index.csv, index.json, metadata.json, resources.csv) is base_url and the
/// path of a file in the bundle.
#[test]
fn every_link_names_a_file_of_the_bundle() {
    for name in ["dgbas", "demo"] {
        let tmp = series_copy(name);
        let o = export(tmp.path(), name, "out/");
        assert!(o.status.success(), "{}", stderr(&o));
        let dir = tmp.path().join("out");
        let mut links: Vec<String> = Vec::new();
        let (headers, index) = csv_rows(&dir.join("index.csv"));
        for row in &index {
            for h in headers.iter().filter(|h| h.ends_with("網址") && *h != "逐字紀錄網址") {
                if !row[h].is_empty() {
                    links.push(row[h].clone());
                }
            }
        }
        for row in json(&dir.join("index.json")).as_array().unwrap() {
            for (k, v) in row.as_object().unwrap() {
                if k.ends_with("_url") && !v.is_null() {
                    links.push(v.as_str().unwrap().to_string());
                }
            }
        }
        let meta = json(&dir.join("metadata.json"));
        for d in meta["distribution"].as_array().unwrap() {
            links.push(d["downloadURL"].as_str().unwrap().to_string());
        }
        let (_, form) = csv_rows(&dir.join("resources.csv"));
        links.extend(form.iter().map(|r| r["資料資源下載網址"].clone()));
        assert!(links.len() > 10, "{name}: {links:?}");
        for link in &links {
            let path = link
                .strip_prefix(&format!("{BASE_URL}/"))
                .unwrap_or_else(|| panic!("{name}: {link} not under base_url"));
            assert!(dir.join(path).is_file(), "{name}: {link} names no file of the bundle");
        }
        // Each meeting's three documents are linked from the index.
        assert_eq!(index.iter().map(|r| r["議程網址"].clone()).filter(|l| !l.is_empty()).count(), index.len());
        let o = validate_metadata(&dir);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let o = frictionless(&dir);
        assert!(o.status.success(), "{name}: frictionless:\n{}", String::from_utf8_lossy(&o.stdout));
    }
}

/// Exporting again after a new meeting changes only that meeting's files, the index, the
/// series tables that gained rows and the files describing the bundle.
#[test]
fn a_new_meeting_changes_only_its_files_the_index_and_the_tables() {
    let tmp = series_copy("dgbas");
    let held_back = tmp.path().join("113-2");
    std::fs::rename(tmp.path().join("dgbas/113-2"), &held_back).unwrap();
    let o = export(tmp.path(), "dgbas", "out/");
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tmp.path().join("out");
    let read_all = || -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect()
    };
    let before = read_all();
    assert!(!before.keys().any(|k| k.starts_with("113-2-")));

    std::fs::rename(&held_back, tmp.path().join("dgbas/113-2")).unwrap();
    let o = export(tmp.path(), "dgbas", "out/");
    assert!(o.status.success(), "re-export into the same folder: {}", stderr(&o));
    let after = read_all();
    let added: Vec<&str> = after.keys().filter(|k| !before.contains_key(*k)).map(String::as_str).collect();
    assert_eq!(
        added,
        ["113-2-agenda.odt", "113-2-agenda.pdf", "113-2-meeting.json", "113-2-minutes.odt", "113-2-minutes.pdf"]
    );
    assert!(before.keys().all(|k| after.contains_key(k)), "a file disappeared");
    let changed: Vec<&str> = before.iter().filter(|(k, v)| &after[*k] != *v).map(|(k, _)| k.as_str()).collect();
    // The earlier meetings' documents are byte-identical: an upload replaces nothing of theirs.
    assert!(!changed.iter().any(|k| k.starts_with("112-2-") || k.starts_with("113-1-")), "{changed:?}");
    let allowed = [
        "index.csv",
        "index.json",
        "items.csv",
        "decisions.csv",
        "opinions.csv",
        "attendance.csv",
        "members.csv",
        "tracking.csv",
        "datapackage.json",
        "metadata.json",
        "metadata.csv",
        "resources.csv",
        "SHA256SUMS",
    ];
    for k in &changed {
        assert!(allowed.contains(k), "{k} changed");
    }
    for k in ["index.csv", "index.json", "items.csv", "attendance.csv", "tracking.csv", "SHA256SUMS"] {
        assert!(changed.contains(&k), "{k} did not change: {changed:?}");
    }
    // Old rows keep their place: each changed table starts with its old bytes.
    for k in ["index.csv", "items.csv", "decisions.csv", "opinions.csv", "attendance.csv", "tracking.csv"] {
        assert!(after[k].starts_with(&before[k]), "{k}: earlier rows moved or changed");
    }
}

#[test]
fn without_base_url_and_oid_the_export_warns_and_the_schema_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/dgbas"), &tmp.path().join("dgbas"));
    let o = export(tmp.path(), "dgbas", "out/");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("base_url") && err.contains("publisher_oid") && err.contains("listed"), "{err}");
    assert!(!err.contains("contact.email"), "dgbas gives an e-mail: {err}");
    let dir = tmp.path().join("out");
    let (_, index) = csv_rows(&dir.join("index.csv"));
    assert_eq!(index[0]["議程網址"], "112-2-agenda.pdf", "without base_url, the file name");
    let o = validate_metadata(&dir);
    assert!(!o.status.success(), "metadata without publisherOID passed the schema");
    assert!(stderr(&o).contains("publisherOID"), "{}", stderr(&o));

    // A 服務分類 must be one of the platform's codes.
    edit_file(
        tmp.path(),
        "dgbas/group.toml",
        "unit = \"主計資訊處\"\n",
        "unit = \"主計資訊處\"\n\n[open_data]\ncategory = \"公共資訊\"\n",
    );
    let o = export(tmp.path(), "dgbas", "out2/");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("group.toml:") && err.contains("open_data.category: ") && err.contains("I00"), "{err}");
}

#[test]
fn categorical_columns_carry_their_values_in_the_group_s_words() {
    let tmp = series_copy("demo");
    let o = export(tmp.path(), "demo", "out/");
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tmp.path().join("out");
    let package = json(&dir.join("datapackage.json"));
    assert!(package["name"].as_str().unwrap().is_ascii());
    assert!(!package["title"].as_str().unwrap().is_ascii(), "a Chinese title");
    let enum_of = |resource: &str, field: &str| -> Vec<String> {
        let r = package["resources"].as_array().unwrap().iter().find(|r| r["name"] == resource).unwrap();
        let f = r["schema"]["fields"].as_array().unwrap().iter().find(|f| f["name"] == field).unwrap();
        f["constraints"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    assert_eq!(enum_of("items", "類別"), ["報告事項", "討論事項", "臨時動議"]);
    assert_eq!(enum_of("index", "紀錄狀態"), ["定稿", "草稿"]);
    assert!(enum_of("attendance", "出席情形").contains(&"請假".to_string()));
    assert_eq!(enum_of("members", "代表類別"), ["機關代表", "民間代表"]);
    assert!(enum_of("members", "職務").contains(&"召集人".to_string()));
    // demo says 持續列管 where dgbas says 繼續列管.
    assert_eq!(enum_of("tracking", "列管結果"), ["持續列管", "解除列管", "待決定"]);
    let (_, tracking) = csv_rows(&dir.join("tracking.csv"));
    assert!(tracking.iter().any(|r| r["列管結果"] == "持續列管"));
    // One meaning per column name across the tables: a header used by two tables has
    // the same description in both (foreign keys point at the column they name).
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    for r in package["resources"].as_array().unwrap() {
        for f in r["schema"]["fields"].as_array().into_iter().flatten() {
            let name = f["name"].as_str().unwrap().to_string();
            let ty = f["type"].as_str().unwrap().to_string();
            if let Some((table, t)) = seen.get(&name) {
                assert_eq!(t, &ty, "{name}: typed differently in {table} and {}", r["name"]);
            } else {
                seen.insert(name, (r["name"].as_str().unwrap().to_string(), ty));
            }
        }
    }
    let decision_ids = |resource: &str| {
        let r = package["resources"].as_array().unwrap().iter().find(|r| r["name"] == resource).unwrap();
        r["schema"]["fields"].as_array().unwrap().iter().any(|f| f["name"] == "決定（議）代號")
    };
    assert!(decision_ids("decisions") && !decision_ids("tracking") && !decision_ids("items"));
}

/// `packet export --help` names every file a bundle holds.
#[test]
fn export_help_lists_every_file() {
    let o = Run::new(&["export", "--help"]).output();
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    let tmp = series_copy("demo");
    let o = export(tmp.path(), "demo", "series/");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = export(tmp.path(), "demo/8", "one/");
    assert!(o.status.success(), "{}", stderr(&o));
    for bundle in ["series", "one"] {
        let mut files = listed(&tmp.path().join(bundle));
        files.push("SHA256SUMS".into());
        for f in files {
            // 8-agenda.pdf is listed as <會議代號>-agenda.pdf.
            let generic = match f.split_once('-') {
                Some((id, rest)) if id.bytes().all(|b| b.is_ascii_digit()) => {
                    format!("<會議代號>-{rest}")
                }
                _ => f.clone(),
            };
            assert!(help.contains(&generic), "--help does not name {generic}:\n{help}");
        }
    }
}

/// 詮釋資料更新時間 is never before 資料集上架日期: a dataset listed after its newest
/// meeting was last updated when it was listed.
#[test]
fn metadata_is_not_updated_before_the_dataset_is_listed() {
    let tmp = series_copy("demo");
    edit_file(tmp.path(), "demo/group.toml", "listed = 2023-12-10", "listed = 2030-01-02");
    let o = export(tmp.path(), "demo", "out/");
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = json(&tmp.path().join("out/metadata.json"));
    assert_eq!(meta["publishedDate"], "2030-01-02");
    assert_eq!(meta["modifiedDate"], "2030-01-02 00:00:00");
    let (_, form) = csv_rows(&tmp.path().join("out/metadata.csv"));
    assert_eq!(form[0]["資料集上架日期"], "2030-01-02");
    assert_eq!(form[0]["詮釋資料更新時間"], "2030-01-02 00:00:00");
}

/// `[open_data] base_url` is parsed as an address with a host, and refused at its field
/// before any document is compiled: `http://` alone made `http:/7-agenda.pdf`, and spaces,
/// quotes, line breaks, a query or a fragment flowed into every download link.
#[test]
fn a_base_url_that_is_no_folder_address_is_refused_at_its_field() {
    let tmp = series_copy("dgbas");
    for (bad, why) in [
        ("http://", "檔案存放網址「http://」沒有主機名稱"),
        ("https://x.gov.tw/open data", "含有空白"),
        ("https://x.gov.tw/\\\"a", "引號"),
        ("https://x.gov.tw/a\\nb", "含有換行"),
        ("https://x.gov.tw/d?id=1", "含有查詢字串"),
        ("https://x.gov.tw/d#top", "含有片段"),
    ] {
        edit_file(
            tmp.path(),
            "dgbas/group.toml",
            "base_url = \"https://opendata.example.gov.tw/advisory/\"",
            &format!("base_url = \"{bad}\""),
        );
        let o = export(tmp.path(), "dgbas", "out/");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert!(
            err.contains("dgbas/group.toml:") && err.contains(": open_data.base_url: ") && err.contains(why),
            "{bad}: {err}"
        );
        assert!(!tmp.path().join("out").exists(), "nothing written");
        edit_file(
            tmp.path(),
            "dgbas/group.toml",
            &format!("base_url = \"{bad}\""),
            "base_url = \"https://opendata.example.gov.tw/advisory/\"",
        );
    }
}
