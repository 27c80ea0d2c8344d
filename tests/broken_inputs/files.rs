//! Round two: where output goes and what paths mean — the upload folder, symlinked
//! meeting folders, temporary files, template comments, errors located at the user's file.

#[allow(unused_imports)]
use super::*;
use std::process::{Command, Stdio};

pub(super) fn cases() -> Vec<Case> {
    vec![
        case(
            "upload folder holding an internal edition",
            &["export", "dgbas/113-1", "-q", "-o", "up/"],
            "up/: --output: 輸出資料夾含有不屬於資料包的檔案：agenda.typ、assets/、minutes-internal.pdf；上傳資料夾必須只含資料包（不公開的內部版、舊草稿等不得混入），請改用新的資料夾或 .zip 檔，或先移走這些檔案",
            |s| {
                let up = s.parent().unwrap().join("up");
                std::fs::create_dir_all(up.join("assets")).unwrap();
                std::fs::write(up.join("minutes-internal.pdf"), b"%PDF-1.7 internal").unwrap();
                std::fs::write(up.join("agenda.typ"), b"// source").unwrap();
                // A file of the bundle's own names is fine: the export replaces it.
                std::fs::write(up.join("agenda.pdf"), b"%PDF-1.7 old").unwrap();
            },
        ),
        // ── Errors at the user's file, not in the generated Typst ──────────────
        case(
            "block quotes nested 250 deep",
            BUILD,
            "dgbas/113-1/meeting.toml:11:15: report[0].explanation: 清單或引言（>）巢狀 13 層，超過上限 12 層；請減少層次",
            |s| set_explanation(s, &format!("{} 深", ">".repeat(250))),
        ),
        case(
            "a list nested 60 deep",
            BUILD,
            "dgbas/113-1/meeting.toml:11:15: report[0].explanation: 清單或引言（>）巢狀 13 層，超過上限 12 層；請減少層次",
            |s| set_explanation(s, &(0..60).map(|i| format!("{}- 層{i}\n", "  ".repeat(i))).collect::<String>()),
        ),
        case(
            "a list nested 60 deep in a Markdown attachment",
            BUILD,
            "dgbas/113-1/attachments/deep.md:15:25: report[0].attachment[0].file: 清單或引言（>）巢狀 13 層，超過上限 12 層；請減少層次",
            |s| {
                let list: String = (0..60).map(|i| format!("{}- 層{i}\n", "  ".repeat(i))).collect();
                attach(s, "attachments/deep.md", Some(format!("# 標題\n\n{list}").as_bytes()));
            },
        ),
        case(
            "a 40,000-character agency name (PDF strings stop at 32,767)",
            BUILD,
            "dgbas/group.toml:1:10: agency: 文字過長：40000 字，此欄位上限 1000 字（案由、名稱、地點等單行欄位；長篇內容請寫在說明或附件）",
            |s| edit_file(s, GROUP, "agency = \"行政院主計總處\"", &format!("agency = \"{}\"", "長".repeat(40_000))),
        ),
        case(
            "a 40,000-character title",
            BUILD,
            "dgbas/113-1/meeting.toml:10:9: report[0].title: 文字過長：40000 字，此欄位上限 1000 字（案由、名稱、地點等單行欄位；長篇內容請寫在說明或附件）",
            |s| {
                edit_file(
                    s,
                    MEETING,
                    "title = \"本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。\"",
                    &format!("title = \"{}\"", "長".repeat(40_000)),
                )
            },
        ),
        case(
            "a character no font has, written as an entity",
            BUILD,
            "dgbas/113-1/meeting.toml:11:15: report[0].explanation: 字型（TW-Kai）沒有「𡘙」(U+21619) 的字形，會印成空白方框且無法搜尋；請將含此字的字型檔（如全字庫正楷體 Ext-B，TW-Kai-Ext-B-98_1.ttf，可自 https://data.gov.tw/dataset/5961 下載）放入系列資料夾中的「字型」資料夾，或以 --font-path 指定字型資料夾，再重新執行",
            |s| set_explanation(s, "說明&#x21619;字"),
        ),
        case(
            "a bidirectional override written as an entity in a Markdown attachment",
            BUILD,
            "dgbas/113-1/attachments/ref.md:3:3: report[0].attachment[0].file: 含有雙向文字控制字元 U+202E（由 Markdown 字元參照「&#x202E;」寫成）：它使文字顯示的順序與實際內容不同，請刪除",
            |s| attach(s, "attachments/ref.md", Some("# 附件\n\n同意&#x202E;元萬001款撥\n".as_bytes())),
        ),
        case(
            "an image missing from a Markdown attachment",
            BUILD,
            "dgbas/113-1/attachments/img.md:3:3: report[0].attachment[0].file: 找不到圖片「missing.png」",
            |s| attach(s, "attachments/img.md", Some("# 圖\n\n見 ![圖表](missing.png)\n".as_bytes())),
        ),
    ]
}

/// Replace the first report's 說明 (line 11 of the baseline meeting).
fn set_explanation(series: &Path, text: &str) {
    edit_file(
        series,
        MEETING,
        "explanation = \"1. 簡要說明運作依據。\\n2. 檢附設置要點如附件。\"",
        &format!("explanation = {}", toml::Value::String(text.into())),
    );
}

/// `attachments\02-regulation.md`, as typed on Windows, names the same file.
#[test]
fn backslashes_in_attachment_paths_separate_folders() {
    let (dir, series) = baseline();
    edit_file(&series, MEETING, "file = \"attachments/02-regulation.md\"", "file = 'attachments\\02-regulation.md'");
    let o = packet(dir.path(), &["build", "dgbas/113-1", "-q", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(squash(&pdf_text(&dir.path().join("out/agenda.pdf"))).contains("政府資料開放諮詢小組設置要點"));
}

/// The README's steps: the internal minutes, then the export into the meeting's output
/// folder. The internal edition lands in a folder of its own; the export folder then
/// holds exactly the bundle, and no file of it carries the 不公開 opinion.
#[test]
fn internal_edition_stays_out_of_the_upload_folder() {
    let series = example_series();
    let dir = series.path();
    for args in [
        &["build", "dgbas/113-1", "-q"][..],
        &["minutes", "dgbas/113-1", "-q"],
        &["minutes", "dgbas/113-1", "--internal", "-q"],
    ] {
        let o = packet(dir, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let internal = dir.join("out/dgbas-113-1-internal/minutes-internal.pdf");
    assert!(internal.is_file(), "internal edition not in its own folder");
    assert!(squash(&pdf_text(&internal)).contains("白金標章資料集的抽查方式"));
    let o = packet(dir, &["export", "dgbas/113-1", "-q", "-o", "out/dgbas-113-1/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out/dgbas-113-1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.iter().any(|n| n.contains("internal")), "{names:?}");
    let sums = std::fs::read_to_string(dir.join("out/dgbas-113-1/SHA256SUMS")).unwrap();
    let mut listed: Vec<String> = sums.lines().map(|l| l.split_once("  ").unwrap().1.to_string()).collect();
    listed.push("SHA256SUMS".into());
    listed.sort();
    assert_eq!(names, listed, "the upload folder holds more than the bundle");
    for name in &names {
        let path = dir.join("out/dgbas-113-1").join(name);
        let text = if name.ends_with(".pdf") {
            squash(&pdf_text(&path))
        } else if name.ends_with(".odt") {
            odt_xml(&path)
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        assert!(!text.contains("白金標章資料集的抽查方式"), "不公開 text in {name}");
    }
}

/// A meeting folder that is a link to a folder outside the series does not move the
/// sandbox: its attachment `../secret.md` (outside the series) is never printed.
#[test]
fn a_linked_meeting_folder_does_not_widen_the_sandbox() {
    let (dir, series) = baseline();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("m1")).unwrap();
    std::fs::write(elsewhere.join("secret.md"), "SECRET-outside-the-series\n").unwrap();
    let meeting = std::fs::read_to_string(series.join(MEETING))
        .unwrap()
        .replace("file = \"attachments/02-regulation.md\"", "file = \"../secret.md\"");
    std::fs::write(elsewhere.join("m1/meeting.toml"), meeting).unwrap();
    std::os::unix::fs::symlink("../elsewhere/m1", series.join("m1")).unwrap();
    let o = packet(dir.path(), &["build", "dgbas/m1", "-q", "-o", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("dgbas/m1/meeting.toml: 會議目錄連結到系列目錄之外") && err.contains("elsewhere/m1"), "{err}");
    assert!(!dir.path().join("out").exists());
}

/// What a killed run leaves (`.packet-*.tmp`, locked by nobody) is removed by the next
/// write into that folder; a temporary file a running packet holds stays.
#[test]
fn temporary_files_of_a_killed_run_are_removed() {
    let series = example_series();
    let out = series.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let stale = out.join(".packet-AbC123.tmp");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    let live = out.join(".packet-LiVe42.tmp");
    let held = std::fs::File::create(&live).unwrap();
    held.lock().unwrap();
    let other = out.join("notes.tmp");
    std::fs::write(&other, "mine").unwrap();
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("agenda.pdf").is_file());
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(live.exists(), "a temporary file in use was removed");
    assert!(other.exists(), "a file not of packet's naming was removed");
    drop(held);
}

/// No user text in a comment of the generated Typst: a line separator in it (U+2028,
/// which Typst reads as a line break) would end the comment and print the rest.
#[test]
fn user_text_never_reaches_a_typst_comment() {
    let (dir, series) = baseline();
    const MARK: &str = "哨兵文字";
    edit_file(&series, GROUP, "name = \"政府資料開放諮詢小組\"", &format!("name = \"政府資料開放諮詢小組{MARK}\""));
    edit_file(&series, MEETING, "title = \"下架資料集項目清單\"", &format!("title = \"下架資料集項目清單{MARK}\""));
    edit_file(&series, MEETING, "label = \"附件\"\ntitle = \"政府", &format!("label = \"附件{MARK}\"\ntitle = \"政府"));
    for (args, source) in [
        (&["build", "dgbas/113-1", "-q", "--typst", "-o", "out"][..], "agenda.typ"),
        (&["minutes", "dgbas/113-1", "-q", "--typst", "-o", "out"], "minutes.typ"),
    ] {
        let o = packet(dir.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let typ = std::fs::read_to_string(dir.path().join("out").join(source)).unwrap();
        assert!(typ.contains(MARK), "{source}: the text is not in the document at all");
        for (n, line) in typ.lines().enumerate() {
            if let Some(at) = line.find("//").filter(|&at| !line[..at].ends_with(':') && !line[..at].contains('"')) {
                assert!(!line[at..].contains(MARK), "{source}:{}: user text in a comment: {line}", n + 1);
            }
        }
    }
}

/// A FIFO given as `--calendar` or found under `--font-path` is refused, not waited on
/// (reading it would block until a writer comes: forever).
#[test]
fn fifos_named_on_the_command_line_are_refused() {
    let series = example_series();
    let dir = series.path();
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    for fifo in ["cal.csv", "fonts/x.ttf"] {
        let status = Command::new("mkfifo").arg(dir.join(fifo)).status().unwrap();
        assert!(status.success());
    }
    for (args, expect) in [
        (
            &["deadlines", "2024-04-29", "--calendar", "cal.csv"][..],
            "cal.csv: --calendar: 無法讀取日曆表檔案：不是一般檔案",
        ),
        (
            &["build", "dgbas/113-1", "-q", "-o", "out", "--font-path", "fonts"],
            "fonts/x.ttf: 無法讀取字型：不是一般檔案",
        ),
    ] {
        let mut child = Run::new(args).cwd(dir).command().stderr(Stdio::piped()).spawn().unwrap();
        let start = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > std::time::Duration::from_secs(60) {
                child.kill().unwrap();
                panic!("{args:?}: still waiting on the FIFO after 60 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expect), "{args:?}: {}", stderr(&o));
    }
}
