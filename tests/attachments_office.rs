//! Word and ODF attachments: converted to PDF by LibreOffice (sandboxed, time-limited,
//! cached by content under the user's data folder), then bound as PDF pages; without
//! LibreOffice, a refusal that says what to install or how to save as PDF.

use std::io::Write;
use std::path::Path;

use crate::attachments_pdf::{attach, validator_failures};
use crate::common::{Run, example_series, odt_xml, pdf_text, squash, stderr};

const MEMO: [&str; 2] = ["本總處資料開放推動情形備忘錄", "請各單位於五月底前完成資料集品質檢核"];

fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        let method =
            if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        zip.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A Word document (Office Open XML) with one paragraph per line.
pub(crate) fn docx(lines: &[&str]) -> Vec<u8> {
    let body: String = lines.iter().map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>")).collect();
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        (
            "word/document.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ])
}

/// An ODF text document with one paragraph per line.
fn odt(lines: &[&str]) -> Vec<u8> {
    let body: String = lines.iter().map(|l| format!("<text:p>{l}</text:p>")).collect();
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        (
            "content.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
            ),
        ),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
    ])
}

pub(crate) fn soffice_installed() -> bool {
    packet::render::office::find_soffice().is_some()
}

/// Attach `name` (written with `bytes`) to dgbas/113-1's first report; returns the series.
fn series_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let series = example_series();
    let dir = series.path().join("dgbas/113-1");
    std::fs::write(dir.join("attachments").join(name), bytes).unwrap();
    attach(&dir.join("meeting.toml"), &format!("attachments/{name}"), "備忘錄");
    series
}

fn build(series: &Path, data: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let mut run = Run::new(&["build", "dgbas/113-1", "-q", "-o", "out"])
        .cwd(series)
        .env("PACKET_DATA_DIR", data.to_str().unwrap());
    for (k, v) in env {
        run = run.env(k, v);
    }
    run.output()
}

#[test]
fn a_word_and_an_odf_document_become_searchable_pages_of_the_archival_packet() {
    if !soffice_installed() {
        eprintln!("skipped: LibreOffice is not installed");
        return;
    }
    for (name, bytes) in [("memo.docx", docx(&MEMO)), ("memo.odt", odt(&MEMO))] {
        let series = series_with(name, &bytes);
        let data = tempfile::tempdir().unwrap();
        let o = build(series.path(), data.path(), &[]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let pdf = series.path().join("out/agenda.pdf");
        let text = squash(&pdf_text(&pdf));
        for line in MEMO {
            assert!(text.contains(line), "{name}: {line} not in {text}");
        }
        assert!(text.contains("附件4"), "{text}");
        // The editable edition names the file as what was attached, not as a PDF.
        let o = Run::new(&["build", "dgbas/113-1", "-q", "--odt", "-o", "odt"])
            .cwd(series.path())
            .env("PACKET_DATA_DIR", data.path().to_str().unwrap())
            .output();
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let odt = odt_xml(&series.path().join("odt/agenda.odt"));
        let kind = if name.ends_with(".docx") { "Word 檔" } else { "ODF 文字檔" };
        assert!(odt.contains(&format!("{kind}「{name}」")), "{name}: not named as {kind} in the ODT");
        if name.ends_with(".docx")
            && let Some(failures) = validator_failures(&pdf)
        {
            assert!(failures.is_empty(), "{failures:#?}");
        }
        // The conversion is cached in the data folder, nothing beside the user's file;
        // a second build needs no LibreOffice.
        let cached: Vec<_> = std::fs::read_dir(data.path().join("office-cache")).unwrap().collect();
        assert_eq!(cached.len(), 1, "{cached:?}");
        let beside: Vec<_> = std::fs::read_dir(series.path().join("dgbas/113-1/attachments"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("memo") || n.contains("lock") || n.ends_with(".pdf"))
            .collect();
        assert_eq!(beside, [name], "{beside:?}");
        let again = build(series.path(), data.path(), &[("PACKET_SOFFICE", "/nonexistent/soffice")]);
        assert!(again.status.success(), "{}", stderr(&again));
    }
}

#[test]
fn without_libreoffice_the_refusal_says_what_to_install_or_how_to_save_as_pdf() {
    let series = series_with("memo.docx", &docx(&MEMO));
    let data = tempfile::tempdir().unwrap();
    let o = build(series.path(), data.path(), &[("PACKET_SOFFICE", "/nonexistent/soffice")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("dgbas/113-1/meeting.toml:") && err.contains("report[0].attachment[3].file"), "{err}");
    for words in ["LibreOffice", "請安裝", "另存新檔", "PDF"] {
        assert!(err.contains(words), "{words}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn a_conversion_that_hangs_is_killed_at_the_time_limit() {
    use std::os::unix::fs::PermissionsExt;
    let tools = tempfile::tempdir().unwrap();
    let pid_file = tools.path().join("pid");
    let fake = tools.path().join("soffice");
    // A converter that never finishes, with a child of its own (as soffice.bin is).
    std::fs::write(&fake, format!("#!/bin/sh\nsleep 600 &\necho $! > '{}'\nwait\n", pid_file.display())).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Content of its own: no earlier test's conversion is in a cache.
    let series = series_with("slow.odt", &odt(&["此文件轉檔不會結束", &format!("{:?}", tools.path())]));
    let data = tempfile::tempdir().unwrap();
    let o = build(
        series.path(),
        data.path(),
        &[("PACKET_SOFFICE", fake.to_str().unwrap()), ("PACKET_SOFFICE_TIMEOUT", "2")],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("report[0].attachment[3].file") && err.contains("超過 2 秒") && err.contains("已中止"),
        "{err}"
    );
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    // Gone, or a zombie waiting to be reaped: either way no longer running.
    let running = || {
        std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
            .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
    };
    assert!(!running(), "the converter's child {pid} still runs");
}
