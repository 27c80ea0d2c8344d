//! The roster, the internal minutes and the publication, edited and downloaded from the
//! page: a member id two members hold (group.toml edited by hand) is shown at the member
//! and can be renamed or deleted, and no edit of the page makes such a pair; the internal
//! minutes (不公開 opinions kept, marked 內部); what stands between the meeting and a
//! correct publication, and the bundle refused in words before the minutes are final.

use std::path::Path;

use super::{Served, request_bytes, serve};
use crate::common::{example_series, pdf_text, squash};

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
    let add = r#"[{"op":"append","path":"member","fields":{"name":"王○○"}}]"#;
    assert_eq!(s.group_edit(add).0, 200);
    assert_eq!(s.group_edit(add).0, 200);
    let now = ids(&group);
    assert_eq!(now.len(), before.len() + 2);
    let (a, b) = (&now[before.len()], &now[before.len() + 1]);
    assert!(!a.is_empty() && a != b && !before.contains(a) && !before.contains(b), "{now:?}");
    // The meetings still build: the new members' ids are valid and unique.
    assert!(!s.state("113-1")["findings"].to_string().contains("代號"), "{}", s.state("113-1")["findings"]);
    // An id given that another member holds is refused at the new member's field.
    let (status, answer) = s.group_edit(r#"[{"op":"append","path":"member","fields":{"id":"chen","name":"陳△△"}}]"#);
    assert_eq!(status, 422, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("「chen」"), "{answer}");
    // Renaming a new member to the other new member's id: refused too.
    let k = before.len() + 1;
    let (status, answer) = s.group_edit(&format!(r#"[{{"op":"set","path":"member[{k}].id","value":"{a}"}}]"#));
    assert_eq!((status, answer["field"].as_str()), (422, Some(format!("member[{k}].id").as_str())), "{answer}");
    assert_eq!(ids(&group), now, "nothing written");
    let _ = (pdf_text, squash);
}
