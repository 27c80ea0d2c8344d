//! The document's title on its cover (20 pt, centred): on one line when it fits, else
//! broken by packet where the PDF breaks it — after the agency when the title starts
//! with it and the rest fits a line (數位發展部／「資料開放諮詢小組」第 8 次會議紀錄), else
//! after a closing bracket, the most even way (「政府資料開放諮詢小組」／113 年第 1 次會議
//! 議程) — never leaving Writer to wrap 「程」 alone on a second line.

use super::xml;
use crate::text::display_width;

/// The text block's width in em at 20 pt (16 cm), less a little to spare.
const LINE_EM: f64 = 16.0 / 2.54 * 72.0 / 20.0 - 0.3;

/// Width in em: CJK one; Latin as the widest face it may meet (DejaVu Serif's digits,
/// where Times New Roman is missing), a space as TW-Kai's (half an em).
fn em(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            ' ' => 0.5,
            c if c.is_ascii() => 0.65,
            c => display_width(c.encode_utf8(&mut [0; 4])) as f64 / 2.0,
        })
        .sum()
}

/// The width in em of the widest line of a title as [`title`] writes it (its XML, which
/// is never narrower than its text), at 20 pt.
pub(super) fn widest_line_em(title: &str) -> f64 {
    title.split("<text:line-break/>").map(em).fold(0.0, f64::max)
}

/// The title as XML: `parts` are its pieces (`true`: a filled-in name, never split),
/// `agency` the agency's name when the title starts with it.
pub(super) fn title(parts: &[(String, bool)], agency: Option<&str>) -> String {
    let whole: String = parts.iter().map(|(t, _)| t.as_str()).collect();
    let Some((first, second)) = lines(parts, agency) else {
        return xml::text(&whole);
    };
    format!("{}<text:line-break/>{}", xml::text(first.trim_end()), xml::text(second.trim_start()))
}

/// As [`title`], but a title that starts with the agency and is too long for a line
/// puts the agency on a line of its own, as the agenda's cover sets it above its title
/// (and the PDF of the sign-in sheet breaks it); the rest is broken as [`title`] breaks it.
pub(super) fn title_below_agency(parts: &[(String, bool)], agency: &str) -> String {
    let whole: String = parts.iter().map(|(t, _)| t.as_str()).collect();
    match parts {
        [(first, true), rest @ ..] if first == agency && !rest.is_empty() && em(&whole) > LINE_EM => {
            let mut rest = rest.to_vec();
            rest[0].0 = rest[0].0.trim_start().to_string();
            format!("{}<text:line-break/>{}", xml::text(agency), title(&rest, None))
        }
        _ => title(parts, Some(agency)),
    }
}

/// The two lines of a title too long for one, or `None` when it fits (or no break point
/// gives two lines that fit: Writer then wraps it).
fn lines(parts: &[(String, bool)], agency: Option<&str>) -> Option<(String, String)> {
    let whole: String = parts.iter().map(|(t, _)| t.as_str()).collect();
    if em(&whole) <= LINE_EM {
        return None;
    }
    // Break points: after the agency, after a closing bracket (」』）) ending a part.
    let mut at = Vec::new();
    let mut end = 0;
    for (i, (text, word)) in parts.iter().enumerate() {
        end += text.len();
        let after_agency = i == 0 && *word && agency == Some(text.as_str());
        if after_agency || text.ends_with(['」', '』', '）']) {
            at.push((end, after_agency));
        }
    }
    let fits =
        |&&(i, _): &&(usize, bool)| em(whole[..i].trim_end()) <= LINE_EM && em(whole[i..].trim_start()) <= LINE_EM;
    let best = match at.iter().find(|(_, agency)| *agency).filter(|p| fits(p)) {
        Some(p) => Some(p),
        // The most even two lines.
        None => at.iter().filter(fits).min_by(|a, b| {
            let longer = |i: usize| em(&whole[..i]).max(em(&whole[i..]));
            longer(a.0).total_cmp(&longer(b.0))
        }),
    };
    best.map(|&(i, _)| (whole[..i].to_string(), whole[i..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(p: &[(&str, bool)]) -> Vec<(String, bool)> {
        p.iter().map(|(t, w)| (t.to_string(), *w)).collect()
    }

    #[test]
    fn long_titles_break_where_the_pdf_breaks_them() {
        let name = "政府資料開放諮詢小組";
        let agenda = parts(&[
            ("「", false),
            (name, true),
            ("」", false),
            ("113", true),
            (" 年第 ", false),
            ("1", true),
            (" 次會議", false),
            (" 議程", false),
        ]);
        assert_eq!(lines(&agenda, None), Some(("「政府資料開放諮詢小組」".into(), "113 年第 1 次會議 議程".into())));
        let mut minutes = agenda.clone();
        minutes.pop();
        minutes.insert(0, ("行政院主計總處".into(), true));
        minutes.push(("紀錄".into(), false));
        assert_eq!(
            lines(&minutes, Some("行政院主計總處")),
            Some(("行政院主計總處「政府資料開放諮詢小組」".into(), "113 年第 1 次會議紀錄".into())),
            "after the agency, the rest would not fit a line at 20 pt"
        );
        let moda = parts(&[
            ("數位發展部", true),
            ("「", false),
            ("資料開放諮詢小組", true),
            ("」第 ", false),
            ("8", true),
            (" 次會議紀錄", false),
        ]);
        assert_eq!(title(&moda, Some("數位發展部")), "數位發展部<text:line-break/>「資料開放諮詢小組」第 8 次會議紀錄");
        // A short title stays on one line.
        let short = parts(&[("「", false), ("諮詢小組", true), ("」第 ", false), ("8", true), (" 次會議 議程", false)]);
        assert_eq!(lines(&short, None), None);
        assert_eq!(title(&short, None), "「諮詢小組」第 8 次會議 議程");
    }

    #[test]
    fn a_long_title_puts_the_agency_on_a_line_of_its_own() {
        let sheet = parts(&[
            ("行政院主計總處", true),
            ("「", false),
            ("政府資料開放諮詢小組", true),
            ("」", false),
            ("113", true),
            (" 年第 ", false),
            ("1", true),
            (" 次會議", false),
            (" 簽到表", false),
        ]);
        assert_eq!(
            title_below_agency(&sheet, "行政院主計總處"),
            "行政院主計總處<text:line-break/>「政府資料開放諮詢小組」<text:line-break/>113 年第 1 次會議 簽到表"
        );
        let notice = parts(&[("行政院主計總處", true), (" 開會通知單", false)]);
        assert_eq!(title_below_agency(&notice, "行政院主計總處"), "行政院主計總處 開會通知單", "it fits a line");
        let long = parts(&[("國家發展委員會檔案管理局暨所屬機關", true), (" 開會通知單", false)]);
        assert_eq!(
            title_below_agency(&long, "國家發展委員會檔案管理局暨所屬機關"),
            "國家發展委員會檔案管理局暨所屬機關<text:line-break/>開會通知單"
        );
        let demo = parts(&[
            ("示範部", true),
            ("資料開放諮詢小組", true),
            ("第 ", false),
            ("8", true),
            (" 次會議 簽到表", false),
        ]);
        assert_eq!(title_below_agency(&demo, "示範部"), "示範部資料開放諮詢小組第 8 次會議 簽到表");
    }
}
