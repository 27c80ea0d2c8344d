//! `--pdf-standard`: which standard a document claims, and what each allows.

use crate::common::*;

#[test]
fn each_standard_is_claimed_as_asked() {
    let series = example_series();
    for (flag, part, conformance) in [
        ("a-2a+ua-1", Some("2"), Some("A")),
        ("a-2b", Some("2"), Some("B")),
        ("a-2u", Some("2"), Some("U")),
        ("none", None, None),
    ] {
        let out = format!("o-{flag}");
        let o = packet(series.path(), &["build", "dgbas/113-1", "-q", "--pdf-standard", flag, "-o", &out]);
        assert!(o.status.success(), "{flag}: {}", stderr(&o));
        let meta = pdf_xmp(&series.path().join(&out).join("agenda.pdf"));
        match (part, conformance) {
            (Some(part), Some(c)) => {
                assert!(xmp_has(&meta, "pdfaid:part", part), "{flag}: {meta}");
                assert!(xmp_has(&meta, "pdfaid:conformance", c), "{flag}: {meta}");
            }
            _ => assert!(!meta.contains("pdfaid"), "{flag} claims PDF/A: {meta}"),
        }
        assert_eq!(meta.contains("pdfuaid"), flag.contains("ua-1"), "{flag}: {meta}");
    }
}

#[test]
fn an_unknown_standard_is_refused_with_the_choices() {
    let series = example_series();
    let o = packet(series.path(), &["build", "dgbas/113-1", "--pdf-standard", "a-3b"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--pdf-standard") && err.contains("a-3b") && err.contains("a-2a+ua-1") && err.contains("none"),
        "{err}"
    );
}

#[test]
fn a_pdf_attachment_is_drawn_for_pdf_a_and_embedded_without_a_standard() {
    let series = example_series();
    // A one-page PDF made by packet itself, attached to the first report of 113-2.
    let o = packet(series.path(), &["build", "dgbas/112-2", "-q", "--pdf-standard", "none", "-o", "src"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let attached = series.path().join("dgbas/113-2/attachments/scan.pdf");
    std::fs::create_dir_all(attached.parent().unwrap()).unwrap();
    std::fs::copy(series.path().join("src/agenda.pdf"), &attached).unwrap();
    let m = series.path().join("dgbas/113-2/meeting.toml");
    let text = std::fs::read_to_string(&m).unwrap();
    let at = text.find("\n[[discussion]]").expect("113-2 has a discussion item");
    let text = format!(
        "{}\n[[report.attachment]]\ntitle = \"掃描公文\"\nfile = \"attachments/scan.pdf\"\n{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&m, text).unwrap();

    // Archival: the pages drawn as images (tests/attachments_pdf.rs); the PDF itself is
    // not embedded.
    let drawn = packet(series.path(), &["build", "dgbas/113-2", "-q", "-o", "a"]);
    assert!(drawn.status.success(), "{}", stderr(&drawn));
    assert!(xmp_has(&pdf_xmp(&series.path().join("a/agenda.pdf")), "pdfaid:part", "2"));

    let built = packet(series.path(), &["build", "dgbas/113-2", "-q", "--pdf-standard", "none", "-o", "b"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let text = squash(&pdf_text(&series.path().join("b/agenda.pdf")));
    let source = squash(&pdf_text(&series.path().join("src/agenda.pdf")));
    // The attached pages are in the packet: the cover title of the attached agenda.
    assert!(source.contains("112年第2次會議") && text.contains("112年第2次會議"), "{text}");
}
