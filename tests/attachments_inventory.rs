//! The 資料盤點表 (`style = "inventory"`): rows checked (甲／乙／丙, 乙 and 丙 with a
//! reason), printed whole in the agenda the members get, and without its 丙 rows in every
//! file of the public export bundle.

use std::path::Path;

use crate::attachments_pdf::attach;
use crate::common::{edit_file, example_series, odt_xml, packet, pdf_text, squash, stderr};

const INVENTORY: &str = "資料集名稱,分類,理由,預定開放時間\n\
    營造工程物價指數,甲,,113-06\n\
    受僱員工薪資明細,乙,含個人資料，須去識別化後開放,113-12\n\
    機關資安防護名冊,丙,涉及資通安全，依法不公開,\n\
    災害應變物資庫存地點,丙類,涉及公共安全,\n";

/// dgbas/113-1 with the inventory attached to its first report.
fn with_inventory(csv: &str) -> tempfile::TempDir {
    let series = example_series();
    let dir = series.path().join("dgbas/113-1");
    std::fs::write(dir.join("attachments/inventory.csv"), csv).unwrap();
    attach(&dir.join("meeting.toml"), "attachments/inventory.csv", "資料盤點表");
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "file = \"attachments/inventory.csv\"\n",
        "file = \"attachments/inventory.csv\"\nstyle = \"inventory\"\n",
    );
    series
}

/// The text of every file under `dir`: PDFs through pdftotext, ODF through its XML,
/// everything else as it is.
fn every_file(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
            continue;
        }
        let name = path.display().to_string();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => squash(&pdf_text(&path)),
            Some("odt") => odt_xml(&path),
            _ => String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string(),
        };
        out.push((name, text));
    }
}

#[test]
fn closed_rows_are_in_the_members_agenda_and_in_no_exported_file() {
    let series = with_inventory(INVENTORY);
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q", "-o", "members"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let agenda = squash(&pdf_text(&series.path().join("members/agenda.pdf")));
    for name in ["營造工程物價指數", "受僱員工薪資明細", "機關資安防護名冊", "災害應變物資庫存地點"]
    {
        assert!(agenda.contains(name), "{name} not in the members' agenda");
    }

    let o = packet(series.path(), &["export", "dgbas/113-1", "-q", "-o", "bundle/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files = Vec::new();
    every_file(&series.path().join("bundle"), &mut files);
    assert!(files.iter().any(|(n, _)| n.ends_with(".pdf")) && files.iter().any(|(n, _)| n.ends_with(".odt")));
    for (name, text) in &files {
        for closed in ["機關資安防護名冊", "災害應變物資庫存地點", "涉及資通安全"] {
            assert!(!text.contains(closed), "{closed} is in {name}");
        }
    }
    let (_, public) = files.iter().find(|(n, _)| n.ends_with("agenda.pdf")).expect("the public agenda");
    assert!(public.contains("營造工程物價指數") && public.contains("受僱員工薪資明細"), "{public}");
    assert!(public.contains("丙類（不開放）資料集2項依設置要點不予公開"), "{public}");
}

#[test]
fn every_row_is_classified_and_b_and_c_rows_give_their_reason() {
    let series = with_inventory(&INVENTORY.replace("含個人資料，須去識別化後開放", ""));
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q", "-o", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("inventory.csv:3:1:") && err.contains("受僱員工薪資明細") && err.contains("理由"), "{err}");

    let series = with_inventory(&INVENTORY.replace("營造工程物價指數,甲", "營造工程物價指數,開放"));
    let o = packet(series.path(), &["build", "dgbas/113-1", "-q", "-o", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("inventory.csv:2:1:") && err.contains("甲、乙 或 丙"), "{err}");
}

/// Issue 28's whole case: a 12-page PDF of slides, a .docx memo (with LibreOffice) and an
/// inventory spreadsheet in the default archival mode: valid PDF/A-2a + PDF/UA-1, every
/// attachment searchable for its own words, and no 丙 row in any exported file.
#[test]
fn slides_a_word_memo_and_the_inventory_in_one_archival_packet() {
    use crate::attachments_office::{docx, soffice_installed};
    use crate::attachments_pdf::{slides, validator_failures};
    let series = example_series();
    let dir = series.path().join("dgbas/113-1");
    let meeting = dir.join("meeting.toml");
    std::fs::write(dir.join("attachments/slides.pdf"), slides()).unwrap();
    attach(&meeting, "attachments/slides.pdf", "推動簡報");
    let memo = ["資料開放推動備忘錄", "請於六月底前完成盤點"];
    let word = soffice_installed();
    if word {
        std::fs::write(dir.join("attachments/memo.docx"), docx(&memo)).unwrap();
        attach(&meeting, "attachments/memo.docx", "備忘錄");
    } else {
        eprintln!("LibreOffice is not installed: the .docx part is not checked");
    }
    let rows: Vec<Vec<&str>> = INVENTORY.lines().map(|l| l.split(',').collect()).collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    std::fs::write(dir.join("attachments/inventory.ods"), crate::sheets::ods(&rows)).unwrap();
    attach(&meeting, "attachments/inventory.ods", "資料盤點表");
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "file = \"attachments/inventory.ods\"\n",
        "file = \"attachments/inventory.ods\"\nstyle = \"inventory\"\n",
    );
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        crate::common::Run::new(args).cwd(series.path()).env("PACKET_DATA_DIR", data.path().to_str().unwrap()).output()
    };
    let o = run(&["build", "dgbas/113-1", "-q", "-o", "members"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = series.path().join("members/agenda.pdf");
    let text = squash(&pdf_text(&pdf));
    for words in ["Slide12Opendataroadmap", "機關資安防護名冊", "營造工程物價指數"] {
        assert!(text.contains(words), "{words} not in the packet");
    }
    if word {
        assert!(memo.iter().all(|m| text.contains(m)), "{text}");
    }
    if let Some(failures) = validator_failures(&pdf) {
        assert!(failures.is_empty(), "{failures:#?}");
    }
    let o = run(&["export", "dgbas/113-1", "-q", "-o", "bundle/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files = Vec::new();
    every_file(&series.path().join("bundle"), &mut files);
    for (name, text) in &files {
        assert!(!text.contains("機關資安防護名冊") && !text.contains("災害應變物資庫存地點"), "a 丙 row in {name}");
    }
    let (_, public) = files.iter().find(|(n, _)| n.ends_with("agenda.pdf")).unwrap();
    assert!(public.contains("Slide12Opendataroadmap") && public.contains("營造工程物價指數"));
}
