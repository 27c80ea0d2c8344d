use super::*;

fn spec<'a>(header_rows: usize, merges: &'a [String]) -> TableSpec<'a> {
    TableSpec { header_rows, merges, align: &[], widths: &[] }
}

#[test]
fn merged_header() {
    let csv = "單位,範圍內,,總計\n,金,銀,\n甲,1,2,3\n";
    let merges = vec!["A1:A2".to_string(), "B1:C1".to_string(), "D1:D2".to_string()];
    let t = parse(csv, &spec(2, &merges)).unwrap();
    assert_eq!(t.header[0].len(), 3);
    assert_eq!(t.header[0][1].colspan, 2);
    assert_eq!(t.header[0][0].rowspan, 2);
    assert_eq!(t.header[1].len(), 2);
    assert_eq!(t.align[1], "right");
}

#[test]
fn merge_over_data_is_refused() {
    let csv = "a,b\n1,2\n";
    let merges = vec!["A2:B2".to_string()];
    let err = parse(csv, &spec(1, &merges)).unwrap_err();
    assert!(matches!(err, TableError::Spec { field: "merge", .. }), "{err:?}");
}

#[test]
fn ragged_row_names_line() {
    let err = parse("a,b\n1,2\n3\n", &spec(1, &[])).unwrap_err();
    assert!(matches!(err, TableError::Csv { line: Some(3), .. }), "{err:?}");
}

#[test]
fn web_addresses_do_not_starve_the_other_columns() {
    // A 70-character address once took the whole width and left the Chinese
    // columns one character wide; it wraps at its slashes (Typst breaks links).
    let csv = "序號,資料集名稱,網址,備註\n\
               1,政府資料開放平臺資料集清單,https://data.gov.tw/dataset/14718?page=1&sort=updated_desc&format=csv,含網址\n\
               2,無協定網址,data.gov.tw/dataset/147181234567890/resource/abcdef0123456789abcdef,無協定\n";
    let t = parse(csv, &spec(1, &[])).unwrap();
    let w: Vec<f64> = t.widths.iter().map(|w| w.trim_end_matches("fr").parse().unwrap()).collect();
    let total: f64 = w.iter().sum();
    // 資料集名稱 gets at least six characters a line, 備註 three.
    assert!(w[1] >= 14.0 && w[3] >= 8.0, "{w:?}");
    assert!(w[2] < total / 2.0, "{w:?}");
    // A run with no break opportunity still sets the floor: it must never overflow.
    assert_eq!(unbreakable_width("ABCDEFGHIJ0123456789"), 20);
    assert_eq!(unbreakable_width("data.gov.tw/dataset/14718"), 13);
    assert_eq!(unbreakable_width("https://data.gov.tw/dataset/14718?page=1&sort=updated_desc"), 16);
    assert_eq!(unbreakable_width("103-06-19"), 9);
    assert_eq!(unbreakable_width("113/04/29"), 9);
}

#[test]
fn encodings() {
    assert!(decode(&[0xFF, 0xFE, 0x41, 0]).unwrap_err().contains("UTF-16"));
    let (big5, _, _) = encoding_rs::BIG5.encode("序號,名稱");
    assert!(decode(&big5).unwrap_err().contains("Big5"));
    assert_eq!(decode("\u{feff}a".as_bytes()).unwrap(), "a");
}

#[test]
fn running_text_columns_share_by_what_they_hold() {
    let long = "行政院政府資料開放諮詢小組會議決議統計資料主題暫緩執行".repeat(3);
    let rows = vec![vec!["一、案由", "洽悉。", long.as_str()]];
    let w: Vec<f64> =
        text_column_widths(&rows, &["案由", "決定（議）", "辦理情形"], &[14.0; 3], &[4.0, 0.0, 0.0], 69.0)
            .iter()
            .map(|w| w.trim_end_matches("fr").parse().unwrap())
            .collect();
    // The short columns keep their floor (決定（議） its whole header), the long text takes the rest.
    assert_eq!(w[1], 14.0, "{w:?}");
    assert!(w[2] > w[0] && (w.iter().sum::<f64>() - 69.0).abs() < 0.5, "{w:?}");
}
