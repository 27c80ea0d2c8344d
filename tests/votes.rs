//! 利益迴避 and 表決 at an item (`[[discussion.recusal]]`, `[discussion.vote]`): printed in
//! the minutes at the item (PDF and ODT), published in meeting.json, recusals.csv and
//! votes.csv, and checked against who was present.

use crate::common::*;
use crate::export::csv_rows;

/// A copy of `packets/demo`: meeting 8's 討論事項一 has a recusal (施○○) and a roll-call vote.
fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &tmp.path().join("demo"));
    tmp
}

const RECUSAL: &str = "利益迴避：施○○委員（擔任本案績效指標委託研究計畫之主持人）迴避，未參與本案討論及表決。";
const VOTE: &str = "表決結果：記名表決，贊成4票（柯○○、范○○、呂○○、潘○○）、反對1票（杜○○）、棄權0票，本案通過。";

#[test]
fn the_minutes_print_the_recusal_and_the_vote_at_their_item() {
    let tmp = demo();
    let out = packet(tmp.path(), &["minutes", "demo/8", "--odt", "-q", "-o", "m"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squash(&pdf_text(&tmp.path().join("m/minutes.pdf")));
    let item = text.find("一、案由：本部資料開放績效指標").unwrap_or_else(|| panic!("{text}"));
    let recusal = text.find(RECUSAL).unwrap_or_else(|| panic!("{text}"));
    let vote = text.find(VOTE).unwrap_or_else(|| panic!("{text}"));
    let decision = text.rfind("決議：照案通過。").unwrap();
    assert!(item < recusal && recusal < vote && vote < decision, "in the item, before its decision: {text}");
    assert_eq!(text.matches("利益迴避：").count(), 1, "only at that item");
    let odt = squash(&odt_xml(&tmp.path().join("m/minutes.odt")));
    for line in [RECUSAL, VOTE] {
        assert!(odt.contains(line), "{line}");
    }
}

#[test]
fn the_export_publishes_recusals_and_votes_and_only_where_there_are_some() {
    let tmp = demo();
    let out = packet(tmp.path(), &["export", "demo", "-q", "-o", "bundle"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("bundle");
    let (headers, recusals) = csv_rows(&dir.join("recusals.csv"));
    assert_eq!(headers, ["案件代號", "委員代號", "委員", "迴避事由"]);
    assert_eq!(recusals.len(), 1, "{recusals:?}");
    let row: Vec<&str> = headers.iter().map(|h| recusals[0][h].as_str()).collect();
    assert_eq!(row, ["8-D1", "shi", "施○○委員", "擔任本案績效指標委託研究計畫之主持人"]);
    let (headers, votes) = csv_rows(&dir.join("votes.csv"));
    assert_eq!(votes.len(), 1, "{votes:?}");
    let row: Vec<&str> = headers.iter().map(|h| votes[0][h].as_str()).collect();
    assert_eq!(row, ["8-D1", "記名表決", "4", "1", "0", "通過", "ko;fan;lu;pan", "du", ""]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("8-meeting.json")).unwrap()).unwrap();
    let item = &json["items"][1];
    assert_eq!(item["recusals"][0]["member_id"], "shi");
    assert_eq!(item["vote"]["yes"], 4);
    assert_eq!(item["vote"]["result"], "通過");
    let datapackage = std::fs::read_to_string(dir.join("datapackage.json")).unwrap();
    assert!(datapackage.contains("\"votes.csv\"") && datapackage.contains("\"recusals.csv\""));
    // Meeting 7 has neither; a series without any has no such table, and no such key.
    let seven = std::fs::read_to_string(dir.join("7-meeting.json")).unwrap();
    assert!(!seven.contains("\"recusals\"") && !seven.contains("\"vote\""));
    let plain = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/record"), &plain.path().join("record"));
    let out = packet(plain.path(), &["export", "record", "-q", "-o", "bundle"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!plain.path().join("bundle/votes.csv").exists() && !plain.path().join("bundle/recusals.csv").exists());
}

fn check(tmp: &tempfile::TempDir) -> (Option<i32>, String) {
    let out = packet(tmp.path(), &["check", "demo/8"]);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn votes_count_no_more_than_the_members_present_who_did_not_recuse() {
    let tmp = demo();
    assert_eq!(check(&tmp).0, Some(0));
    // Six present, one recused: five may vote.
    let roll = "method = \"記名\"\nfor_members = [\"ko\", \"fan\", \"lu\", \"pan\"]\nagainst_members = [\"du\"]";
    edit_file(tmp.path(), "demo/8/meeting.toml", roll, "method = \"舉手\"\nfor = 5\nagainst = 1");
    let (code, out) = check(&tmp);
    assert_eq!(code, Some(1), "{out}");
    let line = out.lines().find(|l| l.contains("discussion[0].vote:")).unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("表決票數合計 6 票") && line.contains("可參與表決之出席委員 5 人"), "{line}");
    assert!(line.contains("設置要點第七點"), "{line}");
    // A government member's delegate votes: 杜○○ by delegate, still five voters.
    edit_file(tmp.path(), "demo/8/meeting.toml", "for = 5\nagainst = 1", "for = 4\nagainst = 1");
    edit_file(tmp.path(), "demo/8/meeting.toml", "\"ko\", \"fan\", \"du\", \"lu\"", "\"ko\", \"fan\", \"lu\"");
    let toml = std::fs::read_to_string(tmp.path().join("demo/8/meeting.toml")).unwrap()
        + "\n[minutes.attendance.delegate]\ndu = \"杜○○代理人\"\n";
    write_file(tmp.path(), "demo/8/meeting.toml", toml);
    let (code, out) = check(&tmp);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_recused_or_absent_member_does_not_vote_and_names_are_members() {
    let tmp = demo();
    edit_file(
        tmp.path(),
        "demo/8/meeting.toml",
        "against_members = [\"du\"]",
        "against_members = [\"du\", \"shi\", \"hu\"]",
    );
    let (code, out) = check(&tmp);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("discussion[0].vote.against_members[1]: 施○○委員已於本案迴避，不得參與表決"), "{out}");
    assert!(out.contains("discussion[0].vote.against_members[2]: 胡○○副召集人未出席本次會議，不得參與表決"), "{out}");
    edit_file(tmp.path(), "demo/8/meeting.toml", "\"du\", \"shi\", \"hu\"]", "\"dv\"]");
    let out = packet(tmp.path(), &["minutes", "demo/8", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("discussion[0].vote.against_members[0]: 委員代號「dv」不在委員名冊中"),
        "{}",
        stderr(&out)
    );
    // Counts with a show of hands; names only for a roll-call vote.
    edit_file(tmp.path(), "demo/8/meeting.toml", "method = \"記名\"", "method = \"舉手\"");
    let (code, out) = check(&tmp);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("discussion[0].vote.method: 僅記名表決列出委員姓名"), "{out}");
}

#[test]
fn a_recusal_names_a_member_present_with_a_reason() {
    let tmp = demo();
    edit_file(
        tmp.path(),
        "demo/8/meeting.toml",
        "member = \"shi\"\nreason = \"擔任本案績效指標委託研究計畫之主持人\"",
        "member = \"hu\"\nreason = \" \"",
    );
    let (code, out) = check(&tmp);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("discussion[0].recusal[0].reason: 請寫明迴避事由"), "{out}");
    assert!(out.contains("discussion[0].recusal[0].member: 胡○○副召集人未出席本次會議"), "{out}");
}

#[test]
fn a_reason_prints_as_written() {
    let tmp = demo();
    let hostile = "#set page(width: 1pt) *粗* $x$ <b>&amp;";
    edit_file(tmp.path(), "demo/8/meeting.toml", "擔任本案績效指標委託研究計畫之主持人", hostile);
    let out = packet(tmp.path(), &["minutes", "demo/8", "--odt", "-q", "-o", "m"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squash(&pdf_text(&tmp.path().join("m/minutes.pdf")));
    assert!(text.contains(&squash(hostile)), "{text}");
    assert!(squash(&odt_xml(&tmp.path().join("m/minutes.odt"))).contains("&lt;b&gt;&amp;amp;"));
}
