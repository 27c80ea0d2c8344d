//! The editor and the series' 「字型」 folder: a character no font has is refused in the
//! page's words (no program option); a font put in the folder while the editor runs is
//! used by the next preview and download, with no restart.

use super::{Served, request, request_bytes, serve};
use crate::common::{edit_file, example_series};

impl Served {
    fn agenda(&self) -> (u16, Vec<u8>) {
        request_bytes(self.port, "GET", &format!("/{}/api/download?m=113-1&doc=agenda", self.token), &[], "")
    }

    fn preview_errors(&self) -> String {
        let (status, body) = request(self.port, "GET", &format!("/{}/api/preview?m=113-1", self.token), &[], "");
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["errors"].to_string()
    }
}

#[test]
fn a_font_put_in_the_folder_is_used_by_the_running_editor() {
    const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let dir = example_series();
    let series = dir.path().join("dgbas");
    edit_file(
        dir.path(),
        "dgbas/113-1/meeting.toml",
        "place = \"行政院第 9 會議室\"",
        "place = \"行政院第 9 會議室😀\"",
    );
    let s = serve(&series);

    let errors = s.preview_errors();
    assert!(
        errors.contains("字型沒有「😀」的字形") && errors.contains("放入系列資料夾中的「字型」資料夾後重新整理"),
        "{errors}"
    );
    assert!(!errors.contains("--font-path") && !errors.contains("U+1F600"), "{errors}");
    let (status, body) = s.agenda();
    let body = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("「字型」資料夾") && !body.contains("--font-path"), "{body}");

    std::fs::create_dir(series.join("字型")).unwrap();
    std::fs::copy(DEJAVU, series.join("字型/DejaVuSans.ttf")).unwrap();
    let (status, pdf) = s.agenda();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    let path = dir.path().join("agenda.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let fonts = crate::common::pdf_fonts(&path);
    assert!(fonts.iter().any(|(name, _, embedded)| name.contains("DejaVuSans") && *embedded), "{fonts:?}");
    // The preview is laid out again once the watcher sees the new file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.preview_errors() != "[]" {
        assert!(std::time::Instant::now() < deadline, "preview still refused: {}", s.preview_errors());
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
