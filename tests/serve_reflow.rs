//! The editor at 1366×768 and at 200% zoom (683×384 CSS px at two device pixels each), with
//! the keyboard: no sideways scroll, the nav's links into each part of the form, 新增討論事項
//! a few Tab presses away, errors where the person is looking until closed, and no file
//! names, commands, field paths or English on the page (tests/browser/serve_reflow.py).
//! Screenshots of both sizes go to PACKET_SCREENSHOTS when it is set.

use super::{Browser, browser_session, meeting_file, serve};
use crate::common::example_series;

#[test]
fn reflows_at_200_percent_and_works_with_the_keyboard() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let meeting = meeting_file(dir.path());
    let said =
        browser_session(Browser::Chromium, "serve_reflow.py", &[s.url.as_ref(), meeting.as_os_str()], "REFLOW OK");
    // Both sizes ran, each saying how many Tab presses 新增討論事項 took.
    for size in ["1366x768", "683x384"] {
        assert!(said.contains(&format!("{size}: Tab presses to 新增討論事項")), "{said}");
    }
    // Enter in 下一次會議日期 made the meeting, on the date typed.
    let made = std::fs::read_to_string(dir.path().join("dgbas/113-3/meeting.toml")).unwrap();
    assert!(made.contains("2024-12-16"), "{made}");
}
