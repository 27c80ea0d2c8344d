//! The cycle's fields broken: a reply file outside the series, a vote method or count that
//! is not one, a round sent on a day that is not a date.

#[allow(unused_imports)]
use super::*;

/// Add `toml` at the end of the baseline meeting.
fn append(s: &Path, toml: &str) {
    let text = std::fs::read_to_string(s.join(MEETING)).unwrap();
    write_file(s, MEETING, format!("{text}\n{toml}\n"));
}

const ROUND: &str =
    "[corrections]\nsent = 2024-05-02\n\n[[corrections.reply]]\nmember = \"cheng\"\nreceived = 2024-05-03\n";

pub(super) fn cases() -> Vec<Case> {
    vec![
        case(
            "a reply file outside the series",
            BUILD,
            "dgbas/113-1/meeting.toml:55:8: corrections.reply[0].file: 附件路徑「../../../etc/passwd」必須是系列目錄內的相對路徑",
            |s| append(s, &format!("{ROUND}file = \"../../../etc/passwd\"")),
        ),
        case(
            "a vote method that is none",
            BUILD,
            "dgbas/113-1/meeting.toml:50:10: discussion[0].vote.method: 不接受的值「鼓掌」；可用的值：舉手, 投票, 記名",
            |s| append(s, "[discussion.vote]\nmethod = \"鼓掌\"\nfor = 3\nagainst = 0"),
        ),
        case(
            "a vote count in words",
            BUILD,
            "dgbas/113-1/meeting.toml:51:7: discussion[0].vote.for: 須為 0 以上的整數，寫的是 文字 \"三\"",
            |s| append(s, "[discussion.vote]\nmethod = \"舉手\"\nfor = \"三\"\nagainst = 0"),
        ),
        case(
            "a round sent on a day that is not a date",
            BUILD,
            "dgbas/113-1/meeting.toml:50:8: corrections.sent: 無效的日期「下週一」，請寫成 2024-04-29 或 113-04-29",
            |s| append(s, "[corrections]\nsent = \"下週一\""),
        ),
    ]
}
