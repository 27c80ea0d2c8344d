//! `api/draft`: the preview of what is typed before it is saved, applied to meeting.toml in
//! memory (never written), with the page each item starts on; and in headless Chromium,
//! the preview showing typed text while the save is held back (tests/browser/serve_draft.py).

use super::{Browser, Served, browser_session, edit_body, meeting_file, request, request_bytes, serve};
use crate::common::{example_series, pdf_pages, pdf_text, squash};

/// The preview's answer: page hashes, errors, item → page.
fn preview(s: &Served, doc: &str) -> serde_json::Value {
    let (status, body) = s.get(&format!("api/preview?m=113-1&doc={doc}"));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

impl Served {
    /// A draft of meeting 113-1's `doc` with `ops`, made against the file as the state shows it.
    fn draft(&self, doc: &str, ops: &str) -> (u16, String) {
        let body = edit_body(&self.state("113-1"), false, "tab", ops);
        self.post_draft(doc, &body)
    }

    fn post_draft(&self, doc: &str, body: &str) -> (u16, String) {
        let origin = format!("http://127.0.0.1:{}", self.port);
        let target = format!("/{}/api/draft?m=113-1&doc={doc}", self.token);
        request(self.port, "POST", &target, &[("Content-Type", "application/json"), ("Origin", &origin)], body)
    }
}

fn hashes(reply: &serde_json::Value) -> Vec<String> {
    reply["pages"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect()
}

#[test]
fn a_draft_changes_the_pages_and_leaves_the_file_as_it_was() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let before_bytes = std::fs::read(&file).unwrap();
    let before = hashes(&preview(&s, "agenda"));
    let (status, body) = s.draft("agenda", r#"[{"op":"set","path":"place","value":"第 99 會議室"}]"#);
    assert_eq!(status, 200, "{body}");
    let drafted: serde_json::Value = serde_json::from_str(&body).unwrap();
    let after = hashes(&drafted);
    assert_eq!(after.len(), before.len());
    assert_ne!(after[0], before[0], "the cover shows the place typed");
    assert_eq!(after[1..], before[1..], "the other pages are the same");
    // The drafted page is served by its hash.
    let (status, svg) = s.get(&format!("api/page?m=113-1&doc=agenda&n=0&h={}", after[0]));
    assert_eq!(status, 200);
    assert!(svg.starts_with("<svg"), "{}", &svg[..100.min(svg.len())]);
    // Nothing was written: the file is byte for byte as it was, its preview too.
    assert_eq!(std::fs::read(&file).unwrap(), before_bytes);
    assert_eq!(hashes(&preview(&s, "agenda")), before);
    // The same edit saved gives the very pages the draft showed.
    assert_eq!(s.edit("tab", r#"[{"op":"set","path":"place","value":"第 99 會議室"}]"#).0, 200);
    assert_eq!(hashes(&preview(&s, "agenda")), after);
}

#[test]
fn a_draft_over_the_body_limit_or_onto_a_file_changed_outside_is_refused_and_writes_nothing() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let before = std::fs::read(&file).unwrap();
    let huge = "甲".repeat(400_000);
    let (status, _) = s.draft("agenda", &format!(r#"[{{"op":"set","path":"place","value":"{huge}"}}]"#));
    assert_eq!(status, 413);
    // Without the token, from another origin, or without a JSON body: refused as an edit is.
    let body = edit_body(&s.state("113-1"), false, "t", r#"[{"op":"set","path":"place","value":"x"}]"#);
    let target = format!("/{}/api/draft?m=113-1", s.token);
    let json = ("Content-Type", "application/json");
    assert_eq!(request(s.port, "POST", "/nottoken/api/draft?m=113-1", &[json], &body).0, 403);
    assert_eq!(request(s.port, "POST", &target, &[json, ("Origin", "http://evil.example")], &body).0, 403);
    assert_eq!(request(s.port, "POST", &target, &[("Content-Type", "text/plain")], &body).0, 415);
    // A draft made against a version the file no longer is (changed in another editor).
    let stale = body.clone();
    crate::common::edit_file(dir.path(), "dgbas/113-1/meeting.toml", "行政院第 9 會議室", "行政院第 5 會議室");
    let changed = std::fs::read(&file).unwrap();
    assert_ne!(changed, before);
    let (status, said) = s.post_draft("agenda", &stale);
    assert_eq!(status, 409, "{said}");
    assert_eq!(std::fs::read(&file).unwrap(), changed, "a draft never writes");
    // A date its field cannot hold is refused at the field, as the save would be.
    let (status, said) = s.draft("agenda", r#"[{"op":"set","path":"date","value":"2024-02-30"}]"#);
    assert_eq!(status, 422, "{said}");
    assert_eq!(std::fs::read(&file).unwrap(), changed);
    // The group's file has no draft.
    let (status, _) = request_bytes(s.port, "POST", &format!("{target}&file=group"), &[json], &body);
    assert_eq!(status, 404);
}

/// The page in `pdf` whose text holds `needle` first (from 0).
fn page_with(pdf: &std::path::Path, needle: &str) -> usize {
    (1..=pdf_pages(pdf))
        .find(|&p| {
            let out = std::process::Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string(), "-layout"])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            squash(&String::from_utf8_lossy(&out.stdout)).contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle} not in {}", squash(&pdf_text(pdf))))
        - 1
}

#[test]
fn the_item_page_map_names_the_page_each_item_starts_on() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let minutes = preview(&s, "minutes");
    let items = minutes["items"].as_object().unwrap();
    assert!(items.contains_key("report[0]") && items.contains_key("discussion[0]"), "{minutes}");
    let first = items["discussion[0]"].as_u64().unwrap();
    // A long decision of the first report pushes the discussion item a page or more on.
    let long = "本案洽悉，請各單位依會議決議辦理，並於下次會議報告辦理情形。".repeat(60);
    let ops = format!(r#"[{{"op":"set","path":"report[0].decision","value":"{long}"}}]"#);
    let (status, body) = s.draft("minutes", &ops);
    assert_eq!(status, 200, "{body}");
    let drafted: serde_json::Value = serde_json::from_str(&body).unwrap();
    let pushed = drafted["items"]["discussion[0]"].as_u64().unwrap();
    assert!(pushed > first, "discussion[0] from page {first} to {pushed}");
    // The page named is the page of the PDF where the item's 案由 is printed.
    assert_eq!(s.edit("tab", &ops).0, 200);
    let saved = preview(&s, "minutes");
    assert_eq!(saved["items"], drafted["items"], "the saved file's pages are the draft's");
    let (status, pdf) =
        request_bytes(s.port, "GET", &format!("/{}/api/download?m=113-1&doc=minutes", s.token), &[], "");
    assert_eq!(status, 200);
    let path = dir.path().join("minutes.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let state = s.state("113-1");
    for item in ["report[0]", "report[1]", "discussion[0]"] {
        let (section, i) = item.trim_end_matches(']').split_once('[').unwrap();
        let title = state["doc"][section][i.parse::<usize>().unwrap()]["title"].as_str().unwrap();
        let head: String = squash(title).chars().take(12).collect();
        assert_eq!(saved["items"][item].as_u64().unwrap() as usize, page_with(&path, &head), "{item}: {head}");
    }
    // The agenda's items too: each starts a page of its own.
    let agenda = preview(&s, "agenda");
    let pages: Vec<u64> = ["report[0]", "report[1]", "discussion[0]"]
        .iter()
        .map(|k| agenda["items"][*k].as_u64().unwrap_or_else(|| panic!("{k}: {agenda}")))
        .collect();
    assert!(pages.windows(2).all(|w| w[0] < w[1]), "{pages:?}");
}

/// In headless Chromium: typed text is in the preview while its save is held back, and
/// the preview follows the item whose field has the focus.
#[test]
fn the_preview_shows_what_is_typed_before_it_is_saved_in_chromium() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    browser_session(
        Browser::Chromium,
        "serve_draft.py",
        &[s.url.as_ref(), meeting_file(dir.path()).as_os_str()],
        "DRAFT OK",
    );
}
