//! What encoding a text file is in: one sniffer for every file packet reads (meeting
//! TOML, CSV and Markdown attachments, office calendars) and one way to say what to do.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// What the bytes of a text file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    /// UTF-8 with a byte-order mark (as Notepad and Excel's 「CSV UTF-8」 write it).
    Utf8Bom,
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// Big5 (CP950, the old Windows default in Taiwan): valid Big5, not valid UTF-8.
    Big5,
    /// UTF-16, with a byte-order mark or recognised by its NUL bytes.
    Utf16 {
        /// Whether the file starts with a UTF-16 byte-order mark.
        bom: bool,
    },
    /// A ZIP archive (an Excel workbook saved as .xlsx), not a text file.
    Workbook,
    /// Neither valid UTF-8 nor valid Big5.
    Unknown,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8Bom => "UTF-8（含 BOM）",
            Encoding::Utf8 => "UTF-8",
            Encoding::Big5 => "Big5",
            Encoding::Utf16 { .. } => "UTF-16",
            Encoding::Workbook => "Excel 活頁簿",
            Encoding::Unknown => "無法辨識",
        })
    }
}

impl Encoding {
    /// The name used in messages: `Big5`, `UTF-16`, `UTF-8`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8Bom | Encoding::Utf8 => "UTF-8",
            Encoding::Big5 => "Big5",
            Encoding::Utf16 { .. } => "UTF-16",
            Encoding::Workbook => "Excel 活頁簿",
            Encoding::Unknown => "無法辨識",
        }
    }
}

/// Recognise the encoding of `bytes`. NUL bytes make up a third or more of the first
/// 256 bytes of UTF-16 text that is mostly ASCII; no UTF-8 or Big5 text has them.
pub(crate) fn sniff(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16 { bom: true };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Encoding::Workbook;
    }
    let head = &bytes[..bytes.len().min(256)];
    if head.len() >= 4 && head.iter().filter(|&&b| b == 0).count() * 3 >= head.len() {
        return Encoding::Utf16 { bom: false };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return if std::str::from_utf8(rest).is_ok() { Encoding::Utf8Bom } else { Encoding::Unknown };
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Encoding::Utf8;
    }
    if encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(bytes).is_some() {
        Encoding::Big5
    } else {
        Encoding::Unknown
    }
}

/// The text of `bytes` when its encoding is UTF-8 (the byte-order mark removed) or, if
/// `big5` is allowed, Big5; otherwise the encoding it is in, for [`refusal`].
pub(crate) fn decode(bytes: &[u8], big5: bool) -> Result<(Cow<'_, str>, Encoding), Encoding> {
    match sniff(bytes) {
        Encoding::Utf8Bom => Ok((String::from_utf8_lossy(&bytes[3..]), Encoding::Utf8Bom)),
        Encoding::Utf8 => Ok((String::from_utf8_lossy(bytes), Encoding::Utf8)),
        Encoding::Big5 if big5 => encoding_rs::BIG5
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|text| (text, Encoding::Big5))
            .ok_or(Encoding::Unknown),
        other => Err(other),
    }
}

/// The one message for a file in an encoding packet does not read: `{subject}是 Big5
/// 編碼；請{advice}` (the advice says what to save it as, e.g. `另存為 UTF-8`).
pub fn refusal(subject: &str, found: Encoding, advice: &str) -> String {
    match found {
        Encoding::Workbook => format!("{subject}是 Excel 活頁簿（.xlsx）而非文字檔；請{advice}"),
        Encoding::Unknown => format!("{subject}不是 UTF-8 編碼（也不是 Big5）；請{advice}"),
        other => format!("{subject}是 {} 編碼；請{advice}", other.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(sniff(b"\xEF\xBB\xBFa"), Encoding::Utf8Bom);
        assert_eq!(sniff(b"a"), Encoding::Utf8);
        // 「日」 in Big5 is 0xA4 0xE9 — invalid UTF-8.
        assert_eq!(sniff(b"\xA4\xE9"), Encoding::Big5);
        assert_eq!(decode(b"\xA4\xE9", true).unwrap(), (Cow::Borrowed("日"), Encoding::Big5));
        assert_eq!(decode(b"\xA4\xE9", false).unwrap_err(), Encoding::Big5);
        assert_eq!(sniff(b"PK\x03\x04.."), Encoding::Workbook);
        assert_eq!(sniff(b"\xFF\xFF\xFF"), Encoding::Unknown);
        assert_eq!(sniff(b"\xFF\xFEa\0"), Encoding::Utf16 { bom: true });
        assert_eq!(sniff(b"a\0b\0c\0"), Encoding::Utf16 { bom: false });
    }
}
