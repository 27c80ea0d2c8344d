//! What a PDF/A or PDF/UA document cannot hold, and what packet does instead.
//!
//! Typst cannot embed pages of another PDF in a PDF/A or PDF/UA document (it cannot
//! vouch for their fonts, colours and tags; PDF/A-2b and 2u refuse them as well). So in
//! an archival document the pages of a PDF attachment are drawn as images, each with
//! its page's text as alternative text and as an invisible layer (`render::pdf_pages`);
//! `--pdf-standard none` embeds them as they are. Typst checks the standard itself while
//! writing the PDF (see [`super::compile`]); characters without a glyph are refused
//! earlier, by [`super::fonts::missing_glyph`].

use super::compile::PdfProfile;

/// Whether a document of `profile` draws the pages of its PDF attachments (it cannot
/// embed them) rather than embedding them.
pub(crate) fn draws_pdf_pages(profile: PdfProfile) -> bool {
    profile.is_archival()
}

/// `pdf` with every stream whose data ends in a carriage return followed by an extra
/// one. The PDF writer puts a line feed between a stream's data and `endstream`; when
/// the data itself ends in CR (a compressed stream does one time in 256: its checksum's
/// last byte), the file reads `… CR LF endstream`, and PDF/A validators (veraPDF, `page`)
/// take CR LF as the end-of-line marker and find the data one byte shorter than its
/// `/Length` (ISO 19005-2, 6.1.7.1). `… CR CR LF endstream` is read right. The
/// cross-reference table's offsets move with the inserted bytes; a file of another
/// shape (a cross-reference stream, an indirect `/Length`) is returned as it was.
pub(crate) fn end_streams_cleanly(pdf: Vec<u8>) -> Vec<u8> {
    let inserts = cr_ended_streams(&pdf);
    if inserts.is_empty() {
        return pdf;
    }
    let Some(xref) = rfind(&pdf, b"\nxref\n").map(|p| p + 1) else {
        return pdf;
    };
    let shift = |offset: usize| inserts.iter().take_while(|&&at| at <= offset).count();
    let mut out = Vec::with_capacity(pdf.len() + inserts.len());
    let mut from = 0;
    for &at in &inserts {
        out.extend_from_slice(&pdf[from..at]);
        out.push(b'\r');
        from = at;
    }
    out.extend_from_slice(&pdf[from..xref]);
    let Some(table) = rewrite_xref(&pdf[xref..], &shift, xref + shift(xref)) else {
        return pdf;
    };
    out.extend_from_slice(&table);
    out
}

/// Where a CR goes: just after the data of each stream that ends in CR before `\nendstream`.
fn cr_ended_streams(pdf: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&pdf[i..], b"stream\n").map(|p| i + p) {
        let start = p + b"stream\n".len();
        // The keyword, after a dictionary (`>>stream` or `>>` and a line break).
        if !pdf[..p].trim_ascii_end().ends_with(b">>") || (p > 0 && pdf[p - 1] == b'd') {
            i = start;
            continue;
        }
        let dict_start = rfind(&pdf[..p], b" obj").unwrap_or(0);
        let Some(len) = direct_length(&pdf[dict_start..p]) else {
            i = start;
            continue;
        };
        let end = start + len;
        if end > pdf.len() {
            break;
        }
        if len > 0 && pdf[end - 1] == b'\r' && pdf[end..].starts_with(b"\nendstream") {
            out.push(end);
        }
        i = end;
    }
    out
}

/// `/Length N` (not `N 0 R`) in a dictionary.
fn direct_length(dict: &[u8]) -> Option<usize> {
    let at = rfind(dict, b"/Length")? + b"/Length".len();
    let rest = dict[at..].trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = rest[digits..].trim_ascii_start();
    // `/Length 12 0 R`: an indirect length.
    if after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// The cross-reference table and trailer from `xref`, each offset moved by `shift`, and
/// `startxref` set to `new_start`.
fn rewrite_xref(table: &[u8], shift: &dyn Fn(usize) -> usize, new_start: usize) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(table).ok()?;
    let mut out = String::with_capacity(text.len() + 8);
    let mut lines = text.split_inclusive('\n');
    let mut after_startxref = false;
    for line in lines.by_ref() {
        let entry = line.len() >= 18 && line.as_bytes()[10] == b' ' && line[..10].bytes().all(|b| b.is_ascii_digit());
        if after_startxref {
            out.push_str(&format!("{new_start}\n"));
            after_startxref = false;
        } else if entry && line[17..].starts_with('n') {
            let offset: usize = line[..10].parse().ok()?;
            out.push_str(&format!("{:010}{}", offset + shift(offset), &line[10..]));
        } else {
            after_startxref = line.trim_end() == "startxref";
            out.push_str(line);
        }
    }
    Some(out.into_bytes())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream ending in CR gets a second CR, and the offsets after it move by one.
    #[test]
    fn a_stream_ending_in_cr_is_followed_by_cr_lf() {
        let body =
            b"%PDF-1.7\n1 0 obj\n<</Length 3>>\nstream\nab\r\nendstream\nendobj\n2 0 obj\n<</Type/Catalog>>\nendobj\n";
        let two = body.windows(7).position(|w| w == b"2 0 obj").unwrap();
        let xref = body.len();
        let pdf = format!(
            "{}xref\n0 3\n0000000000 65535 f\r\n{:010} 00000 n\r\n{:010} 00000 n\r\ntrailer\n<</Size 3>>\nstartxref\n{xref}\n%%EOF\n",
            String::from_utf8_lossy(body),
            9,
            two
        );
        let fixed = end_streams_cleanly(pdf.clone().into_bytes());
        let fixed = String::from_utf8(fixed).unwrap();
        assert!(fixed.contains("ab\r\r\nendstream"), "{fixed}");
        assert!(fixed.contains(&format!("{:010} 00000 n", two + 1)), "{fixed}");
        assert!(fixed.contains(&format!("{:010} 00000 n", 9)), "{fixed}");
        assert!(fixed.contains(&format!("startxref\n{}\n", xref + 1)), "{fixed}");
        assert_eq!(fixed.find("2 0 obj"), Some(two + 1));
        // A stream that does not end in CR is left as it is.
        let plain = pdf.replace("ab\r", "abc");
        assert_eq!(end_streams_cleanly(plain.clone().into_bytes()), plain.into_bytes());
    }
}
