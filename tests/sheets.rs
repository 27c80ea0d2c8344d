//! Spreadsheet attachments (`.xlsx`, `.ods`): a sheet, optionally a range, with the
//! options of a CSV table; Word and ODF text documents refused with what to do.

use std::io::Write;
use std::path::Path;

use crate::common::*;
use crate::odf::{libreoffice_pdfs, structure};

const ATTACHMENT: &str =
    "file = \"attachments/13-quality.csv\"\nheader_rows = 2\nmerge = [\"A1:A2\", \"C1:G1\", \"H1:H2\"]";

/// A minimal .xlsx (one sheet 「統計」 of inline strings and numbers) with the given
/// merged ranges; `extra` is one more part (name, bytes), e.g. a very large one.
fn xlsx(merges: &[&str], extra: Option<(&str, Vec<u8>)>) -> Vec<u8> {
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    let office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let rows = [["單位", "項目", "數量"], ["甲處", "資料集", "12"], ["", "下載", "3400"], ["乙處", "資料集", "5"]];
    let mut sheet = format!("<worksheet xmlns=\"{main}\"><sheetData>");
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if v.is_empty() {
                continue;
            }
            if v.parse::<f64>().is_ok() {
                sheet.push_str(&format!("<c r=\"{at}\"><v>{v}</v></c>"));
            } else {
                sheet.push_str(&format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData>");
    if !merges.is_empty() {
        sheet.push_str(&format!("<mergeCells count=\"{}\">", merges.len()));
        for m in merges {
            sheet.push_str(&format!("<mergeCell ref=\"{m}\"/>"));
        }
        sheet.push_str("</mergeCells>");
    }
    sheet.push_str("</worksheet>");
    let parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".as_bytes().to_vec()),
        ("_rels/.rels", format!("<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" Type=\"{office}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").into_bytes()),
        ("xl/workbook.xml", format!("<workbook xmlns=\"{main}\" xmlns:r=\"{office}\"><sheets><sheet name=\"統計\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").into_bytes()),
        ("xl/_rels/workbook.xml.rels", format!("<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" Type=\"{office}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>").into_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts.into_iter().chain(extra) {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

pub(crate) fn attach(series: &Path, file: &str, bytes: &[u8], options: &str) {
    write_file(series, &format!("dgbas/113-1/attachments/{file}"), bytes);
    // The CSV's alignment is for its eight columns.
    edit_file(
        series,
        "dgbas/113-1/meeting.toml",
        "align = [\"left\", \"right\", \"right\", \"right\", \"right\", \"right\", \"right\", \"right\"]\n",
        "",
    );
    edit_file(series, "dgbas/113-1/meeting.toml", ATTACHMENT, &format!("file = \"attachments/{file}\"\n{options}"));
}

pub(crate) fn build(series: &Path) -> std::process::Output {
    packet(series, &["build", "dgbas/113-1", "-q", "--odt", "-o", "out"])
}

#[test]
fn xlsx_sheet_is_a_table_with_its_own_merged_cells() {
    let series = example_series();
    attach(series.path(), "stats.xlsx", &xlsx(&["A2:A3"], None), "sheet = \"統計\"\nheader_rows = 1");
    let o = build(series.path());
    assert!(o.status.success(), "{}", stderr(&o));
    // The PDF draws a merged cell after its row: its cells are there, in some order.
    let pdf = squash(&pdf_text_raw(&series.path().join("out/agenda.pdf")));
    assert!(["單位項目數量", "甲處", "資料集12", "下載3400", "乙處資料集5"].iter().all(|t| pdf.contains(t)), "{pdf}");
    let s = structure(&series.path().join("out/agenda.odt"));
    let text = squash(s["text"].as_str().unwrap());
    assert!(
        text.contains("單位項目數量甲處資料集12下載3400乙處資料集5"),
        "{}",
        text.split("品質檢測統計表").nth(1).unwrap_or("")
    );
    let spans: Vec<(u64, u64, String)> = serde_json::from_value(s["spans"].clone()).unwrap();
    assert!(spans.contains(&(2, 1, "甲處".to_string())), "the sheet's merge A2:A3: {spans:?}");
}

#[test]
fn xlsx_range_and_unknown_sheet() {
    let series = example_series();
    attach(series.path(), "stats.xlsx", &xlsx(&[], None), "range = \"A1:C2\"\nheader_rows = 1");
    let o = build(series.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text_raw(&series.path().join("out/agenda.pdf")));
    assert!(text.contains("單位項目數量甲處資料集12"), "{}", text);
    assert!(!text.contains("乙處"), "row 4 is outside A1:C2");

    edit_file(series.path(), "dgbas/113-1/meeting.toml", "range = \"A1:C2\"", "sheet = \"工作表1\"");
    let o = build(series.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("試算表沒有工作表「工作表1」；有：統計"), "{}", stderr(&o));
}

#[test]
fn ods_with_merge_option() {
    let series = example_series();
    // calamine reads no merged cells from .ods: `merge` says them.
    attach(
        series.path(),
        "stats.ods",
        &ods(&[&["單位", "項目", "數量"], &["甲處", "資料集", "12"], &["", "下載", "3400"]]),
        "header_rows = 1\nmerge = [\"A2:A3\"]",
    );
    let o = build(series.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = squash(&pdf_text_raw(&series.path().join("out/agenda.pdf")));
    assert!(["單位項目數量", "甲處", "資料集12", "下載3400"].iter().all(|t| pdf.contains(t)), "{pdf}");
    let s = structure(&series.path().join("out/agenda.odt"));
    let text = squash(s["text"].as_str().unwrap());
    assert!(text.contains("單位項目數量甲處資料集12下載3400"), "{}", text.split("品質檢測統計表").nth(1).unwrap_or(""));
    let spans: Vec<(u64, u64, String)> = serde_json::from_value(s["spans"].clone()).unwrap();
    assert!(spans.contains(&(2, 1, "甲處".to_string())), "{spans:?}");
    // The ODT itself opens in LibreOffice.
    assert_eq!(libreoffice_pdfs(&[series.path().join("out/agenda.odt")]).len(), 1);
}

/// A minimal .ods of one sheet (numbers as floats).
pub(crate) fn ods(rows: &[&[&str]]) -> Vec<u8> {
    let mut table = String::from("<table:table table:name=\"工作表1\">");
    for row in rows {
        table.push_str("<table:table-row>");
        for v in row.iter() {
            if v.is_empty() {
                table.push_str("<table:table-cell/>");
            } else if v.parse::<f64>().is_ok() {
                table.push_str(&format!("<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"));
            } else {
                table.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
                ));
            }
        }
        table.push_str("</table:table-row>");
    }
    table.push_str("</table:table>");
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_spreadsheet_that_expands_beyond_the_limit_is_refused_before_reading() {
    let series = example_series();
    let huge = vec![b' '; 65 * 1024 * 1024];
    attach(series.path(), "stats.xlsx", &xlsx(&[], Some(("xl/padding.xml", huge))), "header_rows = 1");
    let o = build(series.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("解壓縮後有 65 MiB：至多 64 MiB"), "{}", stderr(&o));
}

#[test]
fn damaged_word_documents_and_unknown_types_are_refused_with_what_to_do() {
    let series = example_series();
    // Not a Word document inside (LibreOffice would print it as plain text): refused
    // before it is converted.
    attach(series.path(), "report.docx", b"PK", "header_rows = 1");
    let o = build(series.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("discussion[0].attachment[2].file"), "{err}");
    assert!(err.contains("不是有效的 Word（.docx） 檔案") && err.contains("另存新檔") && err.contains("PDF"), "{err}");
    // Other types: the message names what can be attached.
    edit_file(series.path(), "dgbas/113-1/meeting.toml", "report.docx", "report.pages");
    write_file(series.path(), "dgbas/113-1/attachments/report.pages", b"x");
    let err = stderr(&build(series.path()));
    assert!(err.contains(".xlsx、.ods") && err.contains(".pdf") && err.contains(".docx"), "{err}");
}
