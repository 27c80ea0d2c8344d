//! The roster, the internal minutes and the publication, edited and downloaded from the
//! page: a member id two members hold (group.toml edited by hand) is shown at the member
//! and can be renamed or deleted, and no edit of the page makes such a pair; the internal
//! minutes (不公開 opinions kept, marked 內部); what stands between the meeting and a
//! correct publication, and the bundle refused in words before the minutes are final.

use std::path::Path;

use super::{Browser, Served, browser_session, request_bytes, serve};
use crate::common::{Run, example_series, odt_xml, pdf_text, squash, stderr};

impl Served {
    /// `api/download` (or `api/bundle` when `doc` is None) of meeting `m`: status and bytes.
    fn fetch_doc(&self, m: &str, route: &str, query: &str) -> (u16, Vec<u8>) {
        request_bytes(self.port, "GET", &format!("/{}/api/{route}?m={m}&{query}", self.token), &[], "")
    }

    fn group_edit(&self, ops: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.edit_in("113-1", "group", "a", ops);
        (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
    }
}

/// The ids of group.toml's members, in order.
fn ids(group: &Path) -> Vec<String> {
    let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(group).unwrap()).unwrap();
    parsed["member"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap_or("").to_string()).collect()
}

/// group.toml with a second member given lin's id, as a text editor would leave it.
fn with_duplicate(group: &Path) -> usize {
    let mut text = std::fs::read_to_string(group).unwrap();
    text.push_str(
        "\n# 以記事本加入\n[[member]]\nid = \"lin\"\nname = \"林△△\"\ntitle = \"處長\"\norganisation = \"某單位\"\nkind = \"機關代表\"\ngender = \"女\"\n",
    );
    std::fs::write(group, text).unwrap();
    ids(group).len() - 1
}

#[test]
fn a_duplicate_member_id_is_shown_at_the_member_and_renamed_or_deleted_from_the_page() {
    for fix in ["rename", "delete"] {
        let dir = example_series();
        let series = dir.path().join("dgbas");
        let group = series.join("group.toml");
        let n = with_duplicate(&group);
        let s = serve(&series);
        // The page opens, and says at the second member what is wrong, naming the first.
        let state = s.state("113-1");
        let finding = state["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == format!("member[{n}].id"))
            .unwrap_or_else(|| panic!("no finding at member[{n}].id: {}", state["findings"]));
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains("「lin」") && message.contains("林○○") && message.contains("重複"), "{message}");
        assert_eq!(finding["file"], "group.toml");
        assert!(!message.is_ascii() && !message.contains("member["), "Chinese words only: {message}");
        let listed: Vec<&str> =
            state["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(listed.iter().filter(|id| **id == "lin").count(), 1, "the attendance lists lin once: {listed:?}");
        // Nothing builds meanwhile.
        assert_eq!(s.fetch_doc("113-1", "download", "doc=minutes").0, 422);

        // Renaming the duplicate to an id another member holds is refused at its field.
        let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"member[{n}].id","value":"chen"}}]"#));
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["field"], format!("member[{n}].id"), "{answer}");
        assert!(answer["error"].as_str().unwrap().contains("「chen」已用於委員陳○○"), "{answer}");

        // The fix goes through although lin is in use: the records stay with the first lin.
        let ops = match fix {
            "rename" => format!(r#"[{{"op":"set","path":"member[{n}].id","value":"lin2"}}]"#),
            _ => format!(r#"[{{"op":"remove","path":"member[{n}]"}}]"#),
        };
        let (status, answer) = s.group_edit(&ops);
        assert_eq!(status, 200, "{fix}: {answer}");
        let now = ids(&group);
        assert_eq!(now.iter().filter(|id| *id == "lin").count(), 1, "{fix}: {now:?}");
        assert_eq!(now.contains(&"lin2".to_string()), fix == "rename", "{now:?}");
        assert!(std::fs::read_to_string(&group).unwrap().contains("# 以記事本加入") == (fix == "rename"));
        let state = s.state("113-1");
        assert!(!state["findings"].to_string().contains("重複"), "{fix}: {}", state["findings"]);
        let (status, pdf) = s.fetch_doc("113-1", "download", "doc=minutes");
        assert_eq!(status, 200, "{fix}: the minutes build again: {}", String::from_utf8_lossy(&pdf));
        // The first lin (in use) still cannot go.
        let first = now.iter().position(|id| id == "lin").unwrap();
        assert_eq!(s.group_edit(&format!(r#"[{{"op":"remove","path":"member[{first}]"}}]"#)).0, 409);
    }
}

#[test]
fn a_member_added_in_the_page_gets_an_id_no_one_holds() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let group = series.join("group.toml");
    let s = serve(&series);
    let before = ids(&group);
    let add = r#"[{"op":"append","path":"member","fields":{"name":"王○○","title":"教授","organisation":"某大學","kind":"民間代表","gender":"男"}}]"#;
    assert_eq!(s.group_edit(add).0, 200);
    assert_eq!(s.group_edit(add).0, 200);
    let now = ids(&group);
    assert_eq!(now.len(), before.len() + 2);
    let (a, b) = (&now[before.len()], &now[before.len() + 1]);
    assert!(!a.is_empty() && a != b && !before.contains(a) && !before.contains(b), "{now:?}");
    // The meetings still build: the new members' ids are valid and unique.
    assert!(!s.state("113-1")["findings"].to_string().contains("代號"), "{}", s.state("113-1")["findings"]);
    // An id given that another member holds is refused at the new member's field.
    let (status, answer) = s.group_edit(r#"[{"op":"append","path":"member","fields":{"id":"chen","name":"陳△△","title":"","organisation":"","kind":"機關代表","gender":"女"}}]"#);
    assert_eq!(status, 422, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("「chen」"), "{answer}");
    // Renaming a new member to the other new member's id: refused too.
    let k = before.len() + 1;
    let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"member[{k}].id","value":"{a}"}}]"#));
    assert_eq!((status, answer["field"].as_str()), (422, Some(format!("member[{k}].id").as_str())), "{answer}");
    // Nor an id no meeting could read: empty, capitals, a space.
    for bad in ["", "Wang", "wang li"] {
        let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"member[{k}].id","value":"{bad}"}}]"#));
        assert_eq!((status, answer["field"].as_str()), (422, Some(format!("member[{k}].id").as_str())), "{answer}");
        assert!(answer["error"].as_str().unwrap().contains("委員代號"), "{answer}");
    }
    assert_eq!(ids(&group), now, "nothing written");
}

#[test]
fn no_edit_of_the_roster_leaves_a_meeting_unbuildable() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let group = series.join("group.toml");
    let s = serve(&series);
    let minutes_build = |why: &str| {
        let (status, pdf) = s.fetch_doc("113-1", "download", "doc=minutes");
        assert_eq!(status, 200, "{why}: {}", String::from_utf8_lossy(&pdf));
        assert!(pdf.starts_with(b"%PDF"), "{why}");
    };
    let n = ids(&group).len();
    // A member added as the page once did (類別 and 性別 left to choose after): refused,
    // at the new member, in words; nothing written.
    let before = std::fs::read_to_string(&group).unwrap();
    let (status, answer) =
        s.group_edit(r#"[{"op":"append","path":"member","fields":{"name":"王○○","title":"","organisation":""}}]"#);
    assert_eq!(status, 422, "{answer}");
    assert!(answer["field"].as_str().unwrap().starts_with(&format!("member[{n}]")), "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(error.contains("的文件將無法產生") && error.contains("缺少"), "{error}");
    assert_eq!(std::fs::read_to_string(&group).unwrap(), before, "nothing written");
    minutes_build("after the incomplete add");
    // The whole member at once goes in, and the meetings still build.
    let whole = r#"[{"op":"append","path":"member","fields":{"name":"王○○","title":"教授","organisation":"某大學","kind":"民間代表","gender":"男"}}]"#;
    assert_eq!(s.group_edit(whole).0, 200);
    assert_eq!(ids(&group).len(), n + 1);
    minutes_build("after the whole add");
    // Every later edit that would unmake it is refused at its field; the rest go through.
    let refused = [
        (format!("member[{n}].kind"), "null"),
        (format!("member[{n}].gender"), "null"),
        (format!("member[{n}].gender"), r#""""#),
        (format!("member[{n}].name"), "null"),
        (format!("member[{n}].term_start"), r#""2027-06-01""#),
    ];
    let ok = [(format!("member[{n}].term_end"), r#""2026-12-31""#), (format!("member[{n}].gender"), r#""女""#)];
    for (path, value) in &refused[..4] {
        let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"{path}","value":{value}}}]"#));
        assert_eq!((status, answer["field"].as_str()), (422, Some(path.as_str())), "{path} = {value}: {answer}");
        minutes_build(path);
    }
    for (path, value) in &ok {
        let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"{path}","value":{value}}}]"#));
        assert_eq!(status, 200, "{path} = {value}: {answer}");
        minutes_build(path);
    }
    // A term that would end before it starts: refused at the field the check names.
    let (path, value) = &refused[4];
    let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"{path}","value":{value}}}]"#));
    assert_eq!(status, 422, "{answer}");
    assert!(answer["field"].as_str().unwrap().starts_with(&format!("member[{n}].term_")), "{answer}");
    minutes_build("after the refused term");
    // Removing the new member (named nowhere) goes through; the meetings still build.
    assert_eq!(s.group_edit(&format!(r#"[{{"op":"remove","path":"member[{n}]"}}]"#)).0, 200);
    minutes_build("after the removal");

    // With a problem already there (two members given one id in a text editor), an edit
    // that adds none goes through, one that adds one does not.
    let whole_new = whole.replace("王○○", "張○○");
    assert_eq!(s.group_edit(&whole_new).0, 200, "a member to remove later");
    drop(s);
    let dup = with_duplicate(&group);
    let s = serve(&series);
    let (status, answer) =
        s.group_edit(r#"[{"op":"append","path":"member","fields":{"name":"趙○○","title":"","organisation":""}}]"#);
    assert_eq!(status, 422, "an incomplete member beside a duplicate: {answer}");
    // Removing a member before the duplicate renumbers its problem, adds none.
    let (status, answer) = s.group_edit(&format!(r#"[{{"op":"remove","path":"member[{n}]"}}]"#));
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"member[{}].id","value":"lin3"}}]"#, dup - 1));
    assert_eq!(status, 200, "the duplicate mended: {answer}");
    let (status, pdf) = s.fetch_doc("113-1", "download", "doc=minutes");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
}

#[test]
fn the_internal_minutes_download_with_the_private_opinions_marked_internal() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    let got = dir.path().join("got");
    std::fs::create_dir_all(&got).unwrap();
    let private = "白金標章資料集的抽查方式建議再與國家發展委員會確認";
    let text_of = |query: &str, name: &str| {
        let (status, pdf) = s.fetch_doc("113-1", "download", query);
        assert_eq!(status, 200, "{query}: {}", String::from_utf8_lossy(&pdf));
        std::fs::write(got.join(name), &pdf).unwrap();
        pdf_text(&got.join(name))
    };
    let internal = text_of("doc=minutes-internal", "internal.pdf");
    let public = text_of("doc=minutes", "public.pdf");
    assert!(squash(&internal).contains(private), "the 不公開 opinion is kept:\n{internal}");
    assert!(internal.contains("內部"), "marked 內部:\n{internal}");
    assert!(!squash(&public).contains(private) && !public.contains("內部"), "{public}");
    // The command's own edition, text for text, and its editable edition.
    let out = dir.path().join("out");
    let meeting = series.join("113-1");
    let run =
        Run::new(&["minutes", meeting.to_str().unwrap(), "--internal", "--odt", "-q", "-o", out.to_str().unwrap()])
            .output();
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(internal, pdf_text(&out.join("minutes-internal.pdf")));
    let (status, odt) = s.fetch_doc("113-1", "download", "doc=minutes-internal&format=odt");
    assert_eq!(status, 200);
    std::fs::write(got.join("internal.odt"), &odt).unwrap();
    let xml = odt_xml(&got.join("internal.odt"));
    assert_eq!(xml, odt_xml(&out.join("minutes-internal.odt")));
    assert!(xml.contains(private), "the ODT keeps the 不公開 opinion");
    // Never in the bundle: none of its files holds the opinion.
    let (status, zip) = s.fetch_doc("113-1", "bundle", "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&zip));
    let unzipped = dir.path().join("bundle");
    zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap().extract(&unzipped).unwrap();
    for entry in std::fs::read_dir(&unzipped).unwrap() {
        let path = entry.unwrap().path();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => pdf_text(&path),
            Some("odt") => odt_xml(&path),
            _ => String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
        };
        assert!(!squash(&text).contains(private), "{} holds the 不公開 opinion", path.display());
        assert!(!path.file_name().unwrap().to_string_lossy().contains("internal"), "{}", path.display());
    }
}

/// The fields of the settings the state lists as standing between the meeting and a
/// correct publication.
fn settings_fields(state: &serde_json::Value) -> Vec<String> {
    let list = state["publication"]["settings"].as_array().unwrap_or_else(|| panic!("{}", state["publication"]));
    list.iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()
}

#[test]
fn what_stands_before_publication_is_listed_and_goes_once_set_in_the_page() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    let state = s.state("113-1");
    let publication = &state["publication"];
    assert_eq!(publication["final_minutes"], true, "{publication}");
    // The example leaves the agency's own settings out: the warnings `packet export` prints.
    let fields = settings_fields(&state);
    for key in ["open_data.base_url", "open_data.publisher_oid", "open_data.listed"] {
        assert!(fields.iter().any(|f| f == key), "{key} in {fields:?}");
    }
    let out = dir.path().join("out.zip");
    let export = Run::new(&["export", series.join("113-1").to_str().unwrap(), "-o", out.to_str().unwrap()]).output();
    let printed = stderr(&export);
    for f in publication["settings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        assert!(printed.contains(message), "the command line prints the same: {message}\n{printed}");
        // Words for the page: no TOML keys or tables in the message (the field names them).
        assert!(!message.contains('[') && !message.contains('_') && !message.contains(".toml"), "{message}");
    }
    // The deadline: 14 working days after 2024-04-29, long past on 2026-06-02, not recorded.
    assert_eq!(publication["due"], "2024-05-17", "{publication}");
    assert_eq!(publication["late"], true, "{publication}");

    // Set in the page (group.toml, comments kept): the warnings go.
    let group = series.join("group.toml");
    let comments = |t: &str| t.lines().filter(|l| l.trim_start().starts_with('#')).count();
    let before = comments(&std::fs::read_to_string(&group).unwrap());
    let ops = r#"[{"op":"set","path":"open_data.base_url","value":"https://www.example.gov.tw/opendata/"},
        {"op":"set","path":"open_data.publisher_oid","value":"2.16.886.101.20003"},
        {"op":"set","path":"open_data.listed","value":"2017-05-01"}]"#;
    let (status, answer) = s.group_edit(ops);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(comments(&std::fs::read_to_string(&group).unwrap()), before, "the comments are kept");
    let state = s.state("113-1");
    assert_eq!(settings_fields(&state), Vec::<String>::new(), "{}", state["publication"]);
    assert_eq!(state["publication"]["base_url"], "https://www.example.gov.tw/opendata/");
    // A publication recorded within the deadline: not late.
    assert_eq!(s.edit("a", r#"[{"op":"set","path":"dates.published","value":"2024-05-10"}]"#).0, 200);
    assert_eq!(s.state("113-1")["publication"]["late"], false);

    // A setting the bundle refuses: the bundle says so in words, and the state lists it.
    assert_eq!(s.group_edit(r#"[{"op":"set","path":"contact.phone","value":null}]"#).0, 200);
    let state = s.state("113-1");
    let phone = state["publication"]["settings"].as_array().unwrap().iter().find(|f| f["field"] == "contact.phone");
    assert_eq!(phone.map(|f| f["severity"].clone()), Some("error".into()), "{}", state["publication"]);
    let (status, body) = s.fetch_doc("113-1", "bundle", "");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 409, "{body}");
    assert!(body["error"].as_str().unwrap().contains("聯絡人電話"), "{body}");
    assert_eq!(s.group_edit(r#"[{"op":"set","path":"contact.phone","value":"(02)2380-0000"}]"#).0, 200);
    assert_eq!(s.fetch_doc("113-1", "bundle", "").0, 200);

    // A correction round still open (draft sent, 回復期限 to come, no 紀錄定稿之日): the
    // minutes are a draft, the bundle refused with the reason; a final date ends it.
    let round = r#"[{"op":"set","path":"corrections.sent","value":"2026-05-29"},
        {"op":"set","path":"corrections.deadline","value":"2026-06-10"}]"#;
    assert_eq!(s.edit("a", round).0, 200);
    let state = s.state("113-1");
    assert_eq!(state["publication"]["final_minutes"], false, "{}", state["publication"]);
    let (status, body) = s.fetch_doc("113-1", "bundle", "");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 409, "{body}");
    let why = body["error"].as_str().unwrap();
    assert!(
        why.contains("會議紀錄尚未定稿") && why.contains("紀錄草稿修正進行中") && why.contains("紀錄定稿之日"),
        "{why}"
    );
    assert!(!why.contains("corrections"), "words for the page: {why}");
    assert_eq!(s.edit("a", r#"[{"op":"set","path":"corrections.final","value":"2026-06-11"}]"#).0, 200);
    assert_eq!(s.state("113-1")["publication"]["final_minutes"], true);
    assert_eq!(s.fetch_doc("113-1", "bundle", "").0, 200);
    assert_eq!(s.edit("a", r#"[{"op":"set","path":"corrections","value":null}]"#).0, 200);

    // The minutes made a draft again: the bundle is refused with what is missing.
    assert_eq!(s.edit("a", r#"[{"op":"set","path":"minutes.end","value":null}]"#).0, 200);
    let state = s.state("113-1");
    assert_eq!(state["publication"]["final_minutes"], false);
    assert!(state["publication"]["missing"].to_string().contains("散會時間"), "{}", state["publication"]);
    let (status, body) = s.fetch_doc("113-1", "bundle", "");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 409, "{body}");
    let why = body["error"].as_str().unwrap();
    assert!(why.contains("會議紀錄尚未定稿") && why.contains("散會時間"), "{why}");
    assert!(!why.contains("--allow-draft") && !why.contains("meeting.toml"), "words for the page: {why}");
}

/// `GET` of `route` by hand: the response's head (its headers) and body.
fn get_with_head(s: &Served, route: &str) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let head = format!("GET /{}/{route} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", s.token, s.port);
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (String::from_utf8_lossy(&raw[..at]).into_owned(), raw[at + 4..].to_vec())
}

/// `%E5%B0%9A…` read back.
fn percent_decoded(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// The files of a zip, by name.
fn unzipped(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            f.read_to_end(&mut content).unwrap();
            (f.name().unwrap().to_string(), content)
        })
        .collect()
}

#[test]
fn the_series_dataset_downloads_as_packet_export_makes_it() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let s = serve(&series);
    // A next meeting, not held yet: left out, one line.
    let origin = format!("http://127.0.0.1:{}", s.port);
    let (status, answer) = super::request(
        s.port,
        "POST",
        &format!("/{}/api/new", s.token),
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        r#"{"date":"2024-12-20"}"#,
    );
    assert_eq!(status, 200, "{answer}");
    let (status, check) = s.get("api/series");
    assert_eq!(status, 200, "{check}");
    let check: serde_json::Value = serde_json::from_str(&check).unwrap();
    assert_eq!(check["held"], serde_json::json!(["112-2", "113-1", "113-2"]), "{check}");
    assert_eq!(check["refused"], serde_json::Value::Null, "{check}");
    let left_out = check["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 1, "{check}");
    assert!(left_out[0]["message"].as_str().unwrap().contains("尚未舉行"), "{check}");
    let warned: Vec<&str> =
        check["warnings"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(warned.contains(&"open_data.base_url") && warned.contains(&"open_data.publisher_oid"), "{warned:?}");

    // The zip from the page, and what the command says and makes.
    let (head, zip) = get_with_head(&s, "api/series-bundle");
    assert!(head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("filename=\"dgbas-dataset.zip\""), "{head}");
    let said = head.lines().find_map(|l| l.strip_prefix("x-packet-said: ")).expect("x-packet-said");
    let said: Vec<String> = serde_json::from_str(&percent_decoded(said.trim())).unwrap();
    let out = dir.path().join("cli.zip");
    let export = Run::new(&["export", series.to_str().unwrap(), "-o", out.to_str().unwrap()]).output();
    assert!(export.status.success(), "{}", stderr(&export));
    let printed = stderr(&export);
    let printed_lines = printed.lines().filter(|l| !l.starts_with("已產生")).count();
    assert_eq!(said.len(), printed_lines, "every line the command prints but its last: {said:?}\n{printed}");
    for line in &said {
        assert!(printed.contains(line.as_str()), "the command prints it too: {line}\n{printed}");
    }
    assert!(said.iter().any(|l| l.contains("尚未舉行")) && said.iter().any(|l| l.contains("機關 OID")), "{said:?}");
    let page = unzipped(&zip);
    let cli = unzipped(&std::fs::read(&out).unwrap());
    assert_eq!(page.keys().collect::<Vec<_>>(), cli.keys().collect::<Vec<_>>());
    assert!(
        page.contains_key("113-2-minutes.pdf") && !page.keys().any(|k| k.starts_with("113-3")),
        "{:?}",
        page.keys()
    );
    for csv in ["index.csv", "members.csv"] {
        assert_eq!(page[csv], cli[csv], "{csv} as the command makes it");
    }

    // A held meeting's minutes made a draft again: refused in words, as the command refuses.
    let (status, answer) = s.edit_in("113-2", "", "a", r#"[{"op":"set","path":"minutes.end","value":null}]"#);
    assert_eq!(status, 200, "{answer}");
    let check: serde_json::Value = serde_json::from_str(&s.get("api/series").1).unwrap();
    let why = check["refused"].as_str().unwrap_or_else(|| panic!("{check}"));
    assert!(why.contains("尚未定稿") && why.contains("113 年第 2 次") && why.contains("散會時間"), "{why}");
    let (status, body) = s.fetch_doc("113-2", "series-bundle", "");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, body["error"].as_str()), (409, Some(why)), "{body}");
    assert!(!why.contains("--allow-draft") && !why.contains(".toml"), "{why}");
    let export = Run::new(&["export", series.to_str().unwrap(), "-o", out.to_str().unwrap()]).output();
    assert_eq!(export.status.code(), Some(2), "the command refuses it too: {}", stderr(&export));
}

/// tests/browser/serve_publish.py: the duplicate id renamed at its member, a new member's
/// id, the bundle refused in words before the minutes are final, the settings typed in the
/// publication check, the bundle and the internal minutes downloaded.
fn fixes_a_duplicate_id_and_publishes(browser: Browser) {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let n = with_duplicate(&series.join("group.toml")).to_string();
    let s = serve(&series);
    browser_session(browser, "serve_publish.py", &[s.url.as_ref(), series.as_os_str(), n.as_ref()], "PUBLISH OK");
}

#[test]
fn the_page_fixes_a_duplicate_id_and_publishes_in_chromium() {
    fixes_a_duplicate_id_and_publishes(Browser::Chromium);
}

#[test]
fn the_page_fixes_a_duplicate_id_and_publishes_in_firefox() {
    fixes_a_duplicate_id_and_publishes(Browser::Firefox);
}

/// group.toml saved by another program with a quote left open: the page says where, in
/// words (no parser English), and keeps the settings part with that message.
#[test]
fn a_group_file_that_does_not_parse_is_said_in_words_at_its_line() {
    let dir = example_series();
    let series = dir.path().join("dgbas");
    let group = series.join("group.toml");
    let text = std::fs::read_to_string(&group).unwrap();
    let broken = text.replacen("name = \"政府資料開放諮詢小組\"", "name = \"政府資料開放諮詢小組", 1);
    assert_ne!(broken, text);
    let line = broken.lines().position(|l| l == "name = \"政府資料開放諮詢小組").unwrap() + 1;
    std::fs::write(&group, broken).unwrap();
    let s = super::serve(&series);
    let state = s.state("113-1");
    assert!(state["group"].is_null(), "{}", state["group"]);
    let said = state["group_error"].as_str().unwrap_or_else(|| panic!("{state}"));
    assert!(said.starts_with(&format!("小組設定檔第 {line} 行：引號未結束")), "{said}");
    assert!(said.contains("該行：name = \"政府資料開放諮詢小組"), "{said}");
    let findings = state["findings"].to_string();
    assert!(findings.contains(&format!("小組設定檔第 {line} 行：引號未結束")), "{findings}");
    for english in ["invalid", "expected", "TOML", "string"] {
        assert!(!said.contains(english) && !findings.contains(english), "{english}: {said} {findings}");
    }
    // Repaired: the settings are back, no message.
    std::fs::write(&group, text).unwrap();
    let state = s.state("113-1");
    assert!(state["group_error"].is_null() && !state["group"].is_null(), "{}", state["group_error"]);
}
