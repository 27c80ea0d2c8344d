//! The whole cycle of a new meeting in the browser, from the double-click start (`packet`
//! with no arguments, in the series' folder) to the publication bundle, with the editor
//! restarted mid-session, a member id made duplicate in a text editor and fixed in the page,
//! and the internal edition: tests/browser/serve_cycle.py in headless Chromium, at 1366×768
//! and at 200 % zoom (a 683×384 CSS viewport on the same screen).

use super::{Browser, browser_session};
use crate::common::{PINNED_TODAY, Run, example_series, root, stderr};

/// The stages serve_cycle.py runs, in order (each prints `stage done: <stage>`).
const STAGES: [&str; 12] = [
    "new",
    "agenda",
    "attendance",
    "roster",
    "record",
    "restart",
    "draft",
    "round",
    "final",
    "internal",
    "publication",
    "bundle",
];

fn whole_cycle(screen: &str) {
    let dir = example_series();
    let data = tempfile::tempdir().unwrap();
    let series = dir.path().join("dgbas");
    let args = [
        std::ffi::OsStr::new(env!("CARGO_BIN_EXE_packet")),
        series.as_os_str(),
        data.path().as_os_str(),
        std::ffi::OsStr::new(PINNED_TODAY),
        std::ffi::OsStr::new(screen),
    ];
    let said = browser_session(Browser::Chromium, "serve_cycle.py", &args, "CYCLE OK");
    let done: Vec<&str> = said.lines().filter_map(|l| l.strip_prefix("stage done: ")).collect();
    assert_eq!(done, STAGES, "{said}");

    // What the browser wrote is a meeting the commands take as it is: no error, no finding
    // (the 列管 decision agrees with its rows, the round closed before the final minutes).
    let check = Run::new(&["check", "dgbas/114-1"]).cwd(dir.path()).output();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    // The roster as it was: the member added, made a duplicate in a text editor and
    // deleted in the page leaves group.toml with the example's members.
    let ids = |f: &std::path::Path| {
        let t: toml::Value = toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        t["member"].as_array().unwrap().iter().map(|m| m["id"].to_string()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&series.join("group.toml")), ids(&root().join("packets/dgbas/group.toml")));
    // The restarted editor kept its address: one kept for the series, nothing in the series.
    assert_eq!(std::fs::read_dir(data.path().join("serve")).unwrap().count(), 1);
    let names = |d: &std::path::Path| {
        let mut n: Vec<String> =
            std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    };
    let mut expected = names(&root().join("packets/dgbas"));
    expected.push("114-1".into());
    expected.sort();
    assert_eq!(names(&series), expected, "the new meeting's folder added, nothing else");
    assert_eq!(names(&series.join("114-1")), ["attachments", "meeting.toml"]);
}

#[test]
fn a_whole_cycle_from_the_double_click_to_the_bundle_at_1366x768() {
    whole_cycle("1366x768");
}

#[test]
fn a_whole_cycle_from_the_double_click_to_the_bundle_at_200_percent_zoom() {
    whole_cycle("1366x768@2");
}
