//! The ODF package (ODF 1.3 part 2): `mimetype` first, stored, with no extra field;
//! then the parts in a fixed order, every one listed in `META-INF/manifest.xml`; all
//! dated the document's date, so the same input gives the same bytes.

use std::io::Write;

use chrono::NaiveDateTime;

use crate::diag::{Diagnostic, Result};

pub const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

/// One part of the package.
pub struct Part {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// The manifest listing `parts` (and the package itself).
pub fn manifest(parts: &[Part]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\n",
    );
    xml.push_str(&format!(
        " <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"{MIMETYPE}\"/>\n"
    ));
    for p in parts {
        xml.push_str(&format!(
            " <manifest:file-entry manifest:full-path=\"{}\" manifest:media-type=\"{}\"/>\n",
            super::xml::attr(&p.name),
            super::xml::attr(&p.media_type)
        ));
    }
    xml.push_str("</manifest:manifest>\n");
    xml
}

/// The zip: `mimetype`, `parts` in order, then the manifest; pictures stored (already
/// compressed), XML deflated.
pub fn zip(parts: &[Part], when: NaiveDateTime) -> Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let fail = |e: &dyn std::fmt::Display| Diagnostic::error(format!("無法產生 ODT 檔：{e}"));
    let stamp = crate::output::zip_time(when).map_err(|e| fail(&e))?;
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("mimetype", stored).map_err(|e| fail(&e))?;
    zip.write_all(MIMETYPE.as_bytes()).map_err(|e| fail(&e))?;
    for p in parts {
        let options =
            if p.media_type.starts_with("image/") && p.media_type != "image/svg+xml" { stored } else { deflated };
        zip.start_file(p.name.as_str(), options).map_err(|e| fail(&e))?;
        zip.write_all(&p.bytes).map_err(|e| fail(&e))?;
    }
    zip.start_file("META-INF/manifest.xml", deflated).map_err(|e| fail(&e))?;
    zip.write_all(manifest(parts).as_bytes()).map_err(|e| fail(&e))?;
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}
