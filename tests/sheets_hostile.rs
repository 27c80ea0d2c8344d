//! Hostile spreadsheets (issue 27): every limit holds before calamine allocates, and the
//! refusal is at the attachment's field. The fixtures are built here, byte for byte, as
//! small as the samples of the report (a 1.6 KB .xlsx that asked for 550 GB).

use std::io::Write;

use crate::common::*;
use crate::sheets::{attach, build};

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const OFFICE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const FIELD: &str = "discussion[0].attachment[2].file";

/// An .xlsx of one sheet 「統計」 whose `<worksheet>` holds `sheet` (e.g. a `<dimension>`
/// and `<sheetData>…</sheetData>`); `shared`: the shared strings, with the `uniqueCount`
/// declared; `styles`: cell style 1 is a date and time (built-in format 22).
pub(crate) fn xlsx_of(sheet: &str, shared: Option<(u64, &[String])>, styles: bool) -> Vec<u8> {
    let rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    let mut parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>".into()),
        ("_rels/.rels", format!("<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" Type=\"{OFFICE}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml", format!("<workbook xmlns=\"{MAIN}\" xmlns:r=\"{OFFICE}\"><sheets><sheet name=\"統計\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels", format!("<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" Type=\"{OFFICE}/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{OFFICE}/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"{OFFICE}/styles\" Target=\"styles.xml\"/></Relationships>")),
        ("xl/worksheets/sheet1.xml", format!("<worksheet xmlns=\"{MAIN}\">{sheet}</worksheet>")),
    ];
    if let Some((declared, strings)) = shared {
        let items: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
        parts.push((
            "xl/sharedStrings.xml",
            format!("<sst xmlns=\"{MAIN}\" count=\"{declared}\" uniqueCount=\"{declared}\">{items}</sst>"),
        ));
    }
    if styles {
        parts.push(("xl/styles.xml", format!("<styleSheet xmlns=\"{MAIN}\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"22\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>")));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_level(Some(9));
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An .ods of one table 「工作表1」 holding `rows` (`<table:table-row>` elements).
pub(crate) fn ods_of(rows: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\"><office:body><office:spreadsheet><table:table table:name=\"工作表1\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let packed = zip::write::SimpleFileOptions::default().compression_level(Some(9));
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("content.xml", packed).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", packed).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A number cell of .ods.
pub(crate) const ODS_ONE: &str =
    "<table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>";

/// Attach `bytes` as `file` with `options`, build, and return stderr (the build must
/// fail with exit 2 at the attachment's field, in milliseconds: before anything is read).
fn refused(file: &str, bytes: &[u8], options: &str) -> String {
    let series = example_series();
    attach(series.path(), file, bytes, options);
    let o = build(series.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    // A spreadsheet at the attachment's line of meeting.toml; a CSV at its own line.
    let at = if file.ends_with(".csv") {
        format!(": {FIELD}: ")
    } else {
        format!("meeting.toml:122:8: {FIELD}: 附件「attachments/{file}」")
    };
    assert!(err.contains(&at), "{err}");
    err
}

/// The 1.6 KB sample asked calamine for a 550 GB grid (abort, exit 134): the used area,
/// the declared `<dimension>` and a range over a huge area are all counted first.
#[test]
fn a1_and_xfd1048576_are_refused_before_calamine_allocates() {
    let corner = "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row></sheetData>";
    let bytes = xlsx_of(corner, None, false);
    assert!(bytes.len() < 2_000, "{} bytes", bytes.len());
    let err = refused("corner.xlsx", &bytes, "header_rows = 1");
    assert!(err.contains("A1:XFD1048576（1048576 列、16384 欄）：表格附件至多 20000 列、64 欄"), "{err}");
    // A range of two cells does not make calamine's grid smaller.
    let err = refused("corner.xlsx", &bytes, "header_rows = 1\nrange = \"A1:B2\"");
    assert!(err.contains("試算表附件至多 2000000 個儲存格"), "{err}");
    // The declared dimension alone.
    let declared =
        "<dimension ref=\"A1:XFD1048576\"/><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>";
    let err = refused("declared.xlsx", &xlsx_of(declared, None, false), "header_rows = 1\nrange = \"A1:A1\"");
    assert!(err.contains("宣告的範圍 A1:XFD1048576"), "{err}");
    // A range larger than a table, before the file is opened.
    let err = refused("corner.xlsx", &bytes, "header_rows = 1\nrange = \"A1:A30000\"");
    assert!(err.contains("範圍有 30000 列、1 欄"), "{err}");
}

/// The 3.9 KB sample: one 1 MiB shared string in 200 cells (7.6 GB, still running after
/// five minutes). A shared string counts in every cell that uses it.
#[test]
fn shared_strings_count_where_they_are_used() {
    let cells: String = (1..=200).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>")).collect();
    let big = ["x".repeat(1 << 20)];
    let bytes = xlsx_of(&format!("<sheetData>{cells}</sheetData>"), Some((1, &big[..])), false);
    assert!(bytes.len() < 5_000, "{} bytes", bytes.len());
    let err = refused("shared.xlsx", &bytes, "header_rows = 1");
    assert!(err.contains("的工作表「統計」的儲存格 A1 有 1048576 字：表格的一格至多 5000 字"), "{err}");
    // Cells under the cell limit, 4,001 of them: 16,004,000 characters in all.
    let cells: String =
        (1..=4001).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>")).collect();
    let long = ["資".repeat(4_000)];
    let err =
        refused("many.xlsx", &xlsx_of(&format!("<sheetData>{cells}</sheetData>"), Some((1, &long[..])), false), "");
    assert!(err.contains("的文字超過 16000000 字"), "{err}");
    // calamine reserves room for the declared count.
    let err = refused("declared.xlsx", &xlsx_of("<sheetData/>", Some((1 << 40, &[][..])), false), "");
    assert!(err.contains("有超過 2000000 個共用字串"), "{err}");
}

/// The 803-byte sample (a row repeated 1,000,000 times: 6.5 GB, abort) and a cell repeated
/// 16,384 columns × 1,000 rows (2.4 GB before the right error); spaces by `text:s`.
#[test]
fn ods_repeats_are_counted_before_they_are_expanded() {
    let rows = ods_of(&format!(
        "<table:table-row table:number-rows-repeated=\"1000000\">{}</table:table-row>",
        ODS_ONE.repeat(4)
    ));
    assert!(rows.len() < 1_000, "{} bytes", rows.len());
    let err = refused("rows.ods", &rows, "header_rows = 1");
    assert!(err.contains("的工作表「工作表1」用到範圍 A1:A1000000（1000000 列、1 欄）"), "{err}");
    let wide = ods_of(&format!(
        "<table:table-row table:number-rows-repeated=\"1000\">{}</table:table-row>",
        ODS_ONE.replace("<table:table-cell ", "<table:table-cell table:number-columns-repeated=\"16384\" ")
    ));
    let err = refused("wide.ods", &wide, "header_rows = 1\nrange = \"A1:B2\"");
    assert!(err.contains("有超過 2000000 個儲存格"), "{err}");
    let spaces = ods_of(
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>甲<text:s text:c=\"2000000000\"/>乙</text:p></table:table-cell></table:table-row>",
    );
    let err = refused("spaces.ods", &spaces, "header_rows = 1");
    assert!(err.contains("的儲存格 A1 有 2000000003 字"), "{err}");
}

/// A 200,000-character cell failed deep in the PDF writer with no file, line or field.
#[test]
fn a_cell_over_the_limit_is_refused_at_its_field() {
    let long = "資料開放".repeat(50_000);
    let csv = format!("項目,說明\n甲,短\n乙,{long}\n");
    let err = refused("long.csv", csv.as_bytes(), "header_rows = 1");
    assert!(err.contains("這一列第 2 欄有 200000 字：表格的一格至多 5000 字"), "{err}");
    assert!(err.contains("attachments/long.csv:3:1:"), "at the CSV's line: {err}");
    let sheet = format!(
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>項目</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>{long}</t></is></c></row></sheetData>"
    );
    let err = refused("long.xlsx", &xlsx_of(&sheet, None, false), "header_rows = 1");
    assert!(err.contains("的儲存格 B1 有 200000 字"), "{err}");
    // At the limit the cell is printed whole.
    let series = example_series();
    let at_limit = format!("項目,說明\n甲,{}終\n", "資".repeat(4_999));
    attach(series.path(), "limit.csv", at_limit.as_bytes(), "header_rows = 1");
    let o = build(series.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text_raw(&series.path().join("out/agenda.pdf")));
    assert!(text.matches('資').count() >= 4_999, "every character printed");
    assert!(text.contains("甲資資資") && text.contains("資資資終"), "the cell's start and end printed");
}

/// Date cells as Excel shows them: 45400.999999 is the next midnight, not `24:00`;
/// serials below 61 (Excel's 1900-02-29) and negative ones.
#[test]
fn date_cells_print_the_day_excel_shows() {
    let row = |r: usize, v: &str| {
        format!(
            "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>日{r}</t></is></c><c r=\"B{r}\" s=\"1\"><v>{v}</v></c></row>"
        )
    };
    let rows: String =
        [(1, "45400.999999"), (2, "1"), (3, "59"), (4, "61"), (5, "45400.5")].iter().map(|(r, v)| row(*r, v)).collect();
    let series = example_series();
    attach(
        series.path(),
        "dates.xlsx",
        &xlsx_of(&format!("<sheetData>{rows}</sheetData>"), None, true),
        "header_rows = 0",
    );
    let o = build(series.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = squash(&pdf_text_raw(&series.path().join("out/agenda.pdf")));
    for want in ["日12024-04-19", "日21900-01-01", "日31900-02-28", "日41900-03-01", "日52024-04-1812:00"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(!text.contains("24:00") && !text.contains("1899-12-31"), "{text}");
    for (bad, why) in [("-17", "的儲存格 B1的日期序號 -17 不是有效的日期（負數）"), ("60", "1900-02-29 並不存在")]
    {
        let err = refused(
            "bad.xlsx",
            &xlsx_of(&format!("<sheetData>{}</sheetData>", row(1, bad)), None, true),
            "header_rows = 0",
        );
        assert!(err.contains(why), "{err}");
    }
}

/// The zip `bytes` with every part renamed by `rename`, and `extra` parts first.
fn repacked(bytes: &[u8], rename: impl Fn(&str) -> String, extra: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Read;
    let mut old = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in extra {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    for i in 0..old.len() {
        let mut part = old.by_index(i).unwrap();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        zip.start_file(rename(&part.name().unwrap()), options).unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// calamine finds parts whatever the case of their names; the count finds the same ones,
/// and not a decoy of the same name elsewhere.
#[test]
fn parts_are_counted_where_calamine_reads_them() {
    let corner = "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row></sheetData>";
    let upper = repacked(&xlsx_of(corner, None, false), |n| n.to_uppercase(), &[]);
    let err = refused("upper.xlsx", &upper, "header_rows = 1");
    assert!(err.contains("A1:XFD1048576"), "{err}");
    let cells: String = (1..=200).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>")).collect();
    let big = ["x".repeat(1 << 20)];
    let decoy = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>x</t></si></sst>";
    let shared = xlsx_of(&format!("<sheetData>{cells}</sheetData>"), Some((1, &big[..])), false);
    let err = refused("decoy.xlsx", &repacked(&shared, str::to_string, &[("a/sharedStrings.xml", decoy)]), "");
    assert!(err.contains("的儲存格 A1 有 1048576 字"), "{err}");
}

/// calamine tries one format after another: a zip that is also an .ods is counted as one,
/// and a binary workbook (.xlsb), which cannot be counted, is refused.
#[test]
fn every_format_calamine_would_try_is_counted_or_refused() {
    let rows = ods_of(&format!(
        "<table:table-row table:number-rows-repeated=\"1000000\">{}</table:table-row>",
        ODS_ONE.repeat(4)
    ));
    let both = repacked(&rows, str::to_string, &[("[Content_Types].xml", "<Types/>")]);
    let err = refused("both.xlsx", &both, "header_rows = 1");
    assert!(err.contains("用到範圍 A1:A1000000（1000000 列"), "counted before calamine: {err}");
    let rels = format!(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{OFFICE}/officeDocument\" Target=\"xl/workbook.bin\"/></Relationships>"
    );
    let empty = repacked(&xlsx_of("<sheetData/>", None, false), |n| n.replace("_rels/.rels", "old.rels"), &[]);
    let binary = repacked(&empty, str::to_string, &[("_rels/.rels", &rels), ("xl/workbook.bin", "\u{1}")]);
    let err = refused("binary.xlsx", &binary, "header_rows = 1");
    assert!(err.contains("二進位活頁簿（.xlsb）"), "{err}");
}
