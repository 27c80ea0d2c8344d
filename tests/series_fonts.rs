//! The series' 「字型」 folder: a font put there is used by every command as `--font-path`
//! would be (a secretary who double-clicks packet.exe passes no options), within the
//! limits the README states, checked on the folder's listing before a font is read.

use std::path::Path;

use crate::common::{Run, edit_file, example_series, pdf_fonts, pdf_text, stderr, write_file};

/// DejaVu Sans (fonts-dejavu-core) draws 😀 (U+1F600), which no TW-Kai font has.
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// The example series with 😀 in the meeting's place (agenda, notice and sign-in sheet).
fn series_with_emoji() -> tempfile::TempDir {
    assert!(Path::new(DEJAVU).is_file(), "{DEJAVU} is needed (apt-get install fonts-dejavu-core)");
    let dir = example_series();
    edit_file(
        dir.path(),
        "dgbas/113-1/meeting.toml",
        "place = \"行政院第 9 會議室\"",
        "place = \"行政院第 9 會議室😀\"",
    );
    dir
}

fn run(dir: &Path, command: &str) -> std::process::Output {
    Run::new(&[command, "dgbas/113-1", "-q", "-o", "out"]).cwd(dir).output()
}

#[test]
fn a_font_in_the_series_folder_prints_what_tw_kai_lacks() {
    let dir = series_with_emoji();
    // Without the folder: refused, and the message says where a font goes.
    let o = run(dir.path(), "build");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("place: ") && err.contains("「😀」(U+1F600)"), "{err}");
    assert!(err.contains("放入系列資料夾中的「字型」資料夾") && err.contains("--font-path"), "{err}");
    assert!(!dir.path().join("out/agenda.pdf").exists());

    std::fs::create_dir(dir.path().join("dgbas/字型")).unwrap();
    std::fs::copy(DEJAVU, dir.path().join("dgbas/字型/DejaVuSans.ttf")).unwrap();
    for (command, pdf) in [("build", "agenda.pdf"), ("notice", "notice.pdf"), ("signin", "signin.pdf")] {
        let o = run(dir.path(), command);
        assert!(o.status.success(), "{command}: {}", stderr(&o));
        let pdf = dir.path().join("out").join(pdf);
        let fonts = pdf_fonts(&pdf);
        assert!(
            fonts.iter().any(|(name, _, embedded)| name.contains("DejaVuSans") && *embedded),
            "{command}: {fonts:?}"
        );
        assert!(pdf_text(&pdf).contains('😀'), "{command}: the character is in the PDF's text");
    }
}

#[test]
fn the_folder_may_be_called_fonts_and_hold_the_font_one_folder_down() {
    let dir = series_with_emoji();
    // As a downloaded zip unpacks: the font inside a folder of its own.
    std::fs::create_dir_all(dir.path().join("dgbas/fonts/DejaVu")).unwrap();
    std::fs::copy(DEJAVU, dir.path().join("dgbas/fonts/DejaVu/DejaVuSans.ttf")).unwrap();
    let o = Run::new(&["build", "dgbas", "-q", "-o", "out"]).cwd(dir.path()).output();
    assert!(o.status.success(), "{}", stderr(&o));
    let fonts = pdf_fonts(&dir.path().join("out/dgbas-113-1/agenda.pdf"));
    assert!(fonts.iter().any(|(name, _, _)| name.contains("DejaVuSans")), "{fonts:?}");
}

#[test]
fn the_folder_limits_are_checked_before_a_font_is_read() {
    let dir = series_with_emoji();
    // Seventeen files that are not fonts: refused for their number, so none was read
    // (reading one would have said it is not a font).
    for i in 0..17 {
        write_file(dir.path(), &format!("dgbas/字型/f{i:02}.ttf"), "not a font");
    }
    let o = run(dir.path(), "build");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("「字型」資料夾中有 17 個字型檔，最多 16 個"), "{err}");
    assert!(!err.contains("不是可用的字型檔"), "{err}");

    // Within the limits, a file that is not a font is named, not silently skipped.
    for i in 1..17 {
        std::fs::remove_file(dir.path().join(format!("dgbas/字型/f{i:02}.ttf"))).unwrap();
    }
    let o = run(dir.path(), "signin");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("f00.ttf") && err.contains("「字型」資料夾中的這個檔案不是可用的字型檔"), "{err}");
}
