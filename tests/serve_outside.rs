//! Another program saving the meeting's file while the page edits it: a text editor that
//! saves by emptying the file and writing it anew (Notepad) leaves it empty for an instant;
//! an edit or a redraw made in that instant waits for the file instead of losing the
//! page's typing.

use std::time::Duration;

use super::{example_series, meeting_file, serve};

/// Empty `file`, then write `text` back into it after `pause` (as a truncating save does).
fn truncating_save(file: &std::path::Path, text: String, pause: Duration) -> std::thread::JoinHandle<()> {
    std::fs::write(file, "").unwrap();
    let file = file.to_path_buf();
    std::thread::spawn(move || {
        std::thread::sleep(pause);
        std::fs::write(file, text).unwrap();
    })
}

#[test]
fn an_edit_made_while_another_program_empties_and_rewrites_the_file_lands() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let state = s.state("113-1");
    let saving = truncating_save(&file, text.clone(), Duration::from_millis(200));
    let body = super::edit_body(&state, false, "a", r#"[{"op":"set","path":"place","value":"第二會議室"}]"#);
    let (status, answer) = s.post_edit("113-1", "", &body);
    saving.join().unwrap();
    assert_eq!(status, 200, "{answer}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("place = \"第二會議室\""), "{after}");
    // Everything else as the other program wrote it.
    let without = |t: &str| t.lines().filter(|l| !l.starts_with("place")).collect::<Vec<_>>().join("\n");
    assert_eq!(without(&after), without(&text));
}

#[test]
fn the_page_redrawn_while_the_file_is_emptied_gets_the_file_as_it_is_saved() {
    let dir = example_series();
    let s = serve(&dir.path().join("dgbas"));
    let file = meeting_file(dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let saving = truncating_save(&file, text.replace("行政院第 9 會議室", "第三會議室"), Duration::from_millis(200));
    let state = s.state("113-1");
    saving.join().unwrap();
    assert_eq!(state["doc"]["place"].as_str(), Some("第三會議室"), "{}", state["findings"]);
}
