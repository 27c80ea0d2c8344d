//! The 資料盤點表 (data inventory: 運作指引 肆、二): a CSV or spreadsheet attachment marked
//! `style = "inventory"`. Each row classifies a dataset 甲 (open), 乙 (open with limits)
//! or 丙 (not open); 乙 and 丙 need a reason. The 設置要點 lets an agency keep its 丙 list
//! closed, so the public edition (the export bundle) prints only the 甲 and 乙 rows, as it
//! never prints a 不公開 opinion.

/// A row of the inventory that the checks refuse: its 1-based line in the table's text
/// and why.
pub(super) struct RowProblem {
    pub line: usize,
    pub message: String,
}

/// The columns the inventory must have (as the group writes their headers: a header
/// cell containing the word).
const NAME: &str = "資料集名稱";
const CLASS: &str = "分類";
const REASON: &str = "理由";

/// Check the inventory's rows (the CSV text, `header_rows` header rows) and, for the
/// public edition, return the text without its 丙 rows and how many were left out.
pub(super) fn check(text: &str, header_rows: usize, public: bool) -> Result<(String, usize), RowProblem> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| RowProblem {
            line: e.position().map_or(1, |p| p.line() as usize),
            message: format!("盤點表無法讀取：{e}"),
        })?;
        let line = record.position().map_or(rows.len() + 1, |p| p.line() as usize);
        rows.push((line, record));
    }
    let Some((_, header)) = rows.get(header_rows.max(1) - 1) else {
        return Err(RowProblem { line: 1, message: "盤點表沒有標題列".into() });
    };
    let column = |word: &str| header.iter().position(|h| h.contains(word));
    let (Some(name), Some(class), Some(reason)) = (column(NAME), column(CLASS), column(REASON)) else {
        return Err(RowProblem {
            line: rows[header_rows.max(1) - 1].0,
            message: format!("盤點表的標題列須有「{NAME}」「{CLASS}」「{REASON}」三欄（依政府資料開放進階行動方案）"),
        });
    };
    let mut kept = Vec::new();
    let mut closed = 0;
    for (i, (line, row)) in rows.iter().enumerate() {
        if i < header_rows {
            kept.push(row);
            continue;
        }
        let cell = |c: usize| row.get(c).unwrap_or("").trim();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let dataset = cell(name);
        let grade = cell(class).trim_end_matches('類');
        let problem = |message: String| RowProblem { line: *line, message };
        if !matches!(grade, "甲" | "乙" | "丙") {
            return Err(problem(format!(
                "盤點表「{dataset}」的分類是「{}」：每一列須分類為 甲、乙 或 丙",
                cell(class)
            )));
        }
        if grade != "甲" && cell(reason).is_empty() {
            return Err(problem(format!("盤點表「{dataset}」分類為{grade}類，須填寫「{REASON}」")));
        }
        if grade == "丙" {
            closed += 1;
            if public {
                continue;
            }
        }
        kept.push(row);
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in kept {
        out.write_record(row).map_err(|e| RowProblem { line: 1, message: e.to_string() })?;
    }
    let text = String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default();
    Ok((text, if public { closed } else { 0 }))
}

/// Whether a merge (`C3:D4`) reaches below the header rows: rows left out of the public
/// edition would break it.
pub(super) fn merges_body(merge: &str, header_rows: usize) -> bool {
    merge.split(':').any(|cell| {
        let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
        digits.parse::<usize>().is_ok_and(|row| row > header_rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "資料集名稱,分類,理由,預定開放時間\n人口統計,甲,,113-06\n薪資明細,乙,含個資須去識別化,113-12\n國安名冊,丙類,涉及國家安全,\n";

    #[test]
    fn the_public_edition_leaves_out_the_closed_rows() {
        let (all, none_left) = check(SHEET, 1, false).map_err(|p| p.message).unwrap();
        assert!(all.contains("國安名冊") && none_left == 0);
        let (public, left_out) = check(SHEET, 1, true).map_err(|p| p.message).unwrap();
        assert!(!public.contains("國安名冊") && public.contains("薪資明細") && public.contains("人口統計"));
        assert_eq!(left_out, 1);
    }

    #[test]
    fn every_row_is_classified_and_b_and_c_rows_give_a_reason() {
        let unclassified = SHEET.replace("人口統計,甲", "人口統計,待定");
        let p = check(&unclassified, 1, false).err().unwrap();
        assert_eq!(p.line, 2);
        assert!(p.message.contains("人口統計") && p.message.contains("待定"), "{}", p.message);
        let no_reason = SHEET.replace("涉及國家安全", "");
        let p = check(&no_reason, 1, false).err().unwrap();
        assert_eq!(p.line, 4);
        assert!(p.message.contains("丙類") && p.message.contains("理由"), "{}", p.message);
        let p = check("名稱,類別\nx,甲\n", 1, false).err().unwrap();
        assert!(p.message.contains("資料集名稱"), "{}", p.message);
        assert!(merges_body("A2:B3", 1) && !merges_body("A1:C1", 1));
    }
}
