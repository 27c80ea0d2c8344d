//! The Typst World is a sandbox: Typst code (ours, or anything that slipped through
//! escaping) can read files of the series directory and the bundled fonts, nothing else.
//! Each test compiles hostile Typst directly through the library API and checks that it
//! fails with our diagnostic and that the file outside was never read.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use packet::diag::Diagnostics;
use packet::typeset::compile;
use packet::typeset::fonts::FontSet;
use packet::typeset::world::PacketWorld;

/// What every file outside the series holds: if it ever shows up in a PDF or a message,
/// the sandbox leaked.
const SECRET: &str = "SECRET-outside-the-series";

fn fonts() -> Arc<FontSet> {
    static FONTS: OnceLock<Arc<FontSet>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(FontSet::load(&[]).expect("bundled fonts"))).clone()
}

/// `outside/secret.txt` (and `.png`, `.typ`) beside `series/`, which holds a real file and
/// symlinks leading outside.
fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    let series = dir.path().join("series");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(series.join("113-1")).unwrap();
    for name in ["secret.txt", "secret.typ", "secret.csv"] {
        std::fs::write(outside.join(name), SECRET).unwrap();
    }
    std::fs::write(series.join("113-1/inside.txt"), "inside the series").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), series.join("113-1/link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, series.join("113-1/linkdir")).unwrap();
    dir
}

fn compile(dir: &Path, source: &str) -> Result<String, Diagnostics> {
    let world = PacketWorld::new(fonts(), "agenda.typ", source.to_string(), Some(&dir.join("series")));
    let created = chrono::NaiveDate::from_ymd_opt(2024, 4, 29).unwrap().and_hms_opt(14, 30, 0).unwrap();
    compile::compile(&world, "sandbox", created).map(|c| String::from_utf8_lossy(&c.pdf).into_owned())
}

/// Compile `source`, which must fail with a message containing `expect`; nothing of the
/// secret may appear anywhere.
fn refused(source: &str, expect: &str) {
    let dir = layout();
    match compile(dir.path(), source) {
        Ok(pdf) => panic!("compiled, expected a refusal:\n  {source}\n(secret in PDF: {})", pdf.contains(SECRET)),
        Err(e) => {
            let text = e.to_string();
            assert!(!text.contains(SECRET), "secret leaked into the message: {text}");
            assert!(
                text.starts_with("agenda.typ:") && text.contains("typst: 排版失敗："),
                "not our diagnostic for {source}: {text}"
            );
            assert!(text.contains(expect), "{source}\n  expected «{expect}» in: {text}");
        }
    }
}

#[test]
fn files_inside_the_series_are_served() {
    let dir = layout();
    let pdf = compile(dir.path(), "#read(\"/assets/113-1/inside.txt\")");
    assert!(pdf.is_ok(), "{:?}", pdf.err());
}

#[test]
fn absolute_paths_are_refused() {
    refused("#read(\"/etc/passwd\")", "access denied");
    refused("#image(\"/etc/passwd\")", "access denied");
    refused("#csv(\"/etc/passwd\")", "access denied");
    let dir = layout();
    let abs = dir.path().join("outside/secret.txt");
    refused(&format!("#read(\"{}\")", abs.display()), "access denied");
}

#[test]
fn dot_dot_escapes_are_refused() {
    refused("#read(\"/assets/../../etc/passwd\")", "would escape the project root");
    refused("#image(\"/assets/../../etc/passwd\")", "would escape the project root");
    refused("#read(\"../outside/secret.txt\")", "would escape the project root");
    refused("#read(\"/assets/../outside/secret.txt\")", "access denied");
    refused("#read(\"/assets/113-1/../../outside/secret.txt\")", "access denied");
}

#[test]
fn symlinks_leading_outside_are_refused() {
    refused("#read(\"/assets/113-1/link.txt\")", "access denied");
    refused("#read(\"/assets/113-1/linkdir/secret.txt\")", "access denied");
}

#[test]
fn packages_and_other_sources_are_refused() {
    refused("#import \"@preview/x:0.1.0\": *", "packet 不使用 Typst 套件");
    refused("#import \"@local/x:0.1.0\"", "packet 不使用 Typst 套件");
    refused("#include \"/assets/113-1/inside.txt\"", "access denied");
    refused("#import \"/assets/113-1/linkdir/secret.typ\"", "access denied");
}

#[test]
fn no_clock_and_no_environment() {
    // `datetime.today()` has no date to give: documents never depend on the build day.
    refused("#datetime.today().display()", "unable to get the current date");
    // `sys.inputs` is empty: nothing from the environment or the command line.
    let dir = layout();
    let pdf = compile(dir.path(), "#assert(sys.inputs.len() == 0)");
    assert!(pdf.is_ok(), "{:?}", pdf.err());
}
