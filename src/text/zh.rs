//! Chinese numerals, the official numbering hierarchy, and dates and times in the
//! Taiwanese forms (ROC years): printed, and parsed as people type them.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const CAPITALS: [&str; 11] = ["", "壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖", "拾"];

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五. Used for 第一案 and 一、.
pub(crate) fn numeral(n: usize) -> String {
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => format!("{}十{}", DIGITS[n / 10], if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }),
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest]),
                10..=19 => format!("一{}", numeral(rest)),
                _ => numeral(rest),
            };
            format!("{}百{tail}", DIGITS[n / 100])
        }
        _ => n.to_string(),
    }
}

/// 1 → 壹 … 10 → 拾; larger values fall back to ordinary numerals.
pub(crate) fn capital(n: usize) -> String {
    match n {
        1..=10 => CAPITALS[n].to_string(),
        _ => numeral(n),
    }
}

/// The marker of item `n` (1-based) at numbering level `level`:
/// 0 壹、 1 一、 2 （一） 3 1. 4 （1）, deeper levels repeat 1. and （1）.
pub fn marker(level: usize, n: usize) -> String {
    match level {
        0 => format!("{}、", capital(n)),
        1 => format!("{}、", numeral(n)),
        2 => format!("（{}）", numeral(n)),
        l if l % 2 == 1 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// The marker at the start of `text`, if it opens with one of the official forms
/// (壹、 一、 （一） (一) 1. 1、 （1） (1)). Returns (marker, rest).
pub(crate) fn split_marker(text: &str) -> Option<(&str, &str)> {
    let is_cn = |c: char| "〇一二三四五六七八九十百零".contains(c);
    let is_cap = |c: char| "壹貳參肆伍陸柒捌玖拾".contains(c);
    let mut chars = text.char_indices().peekable();
    let (_, first) = *chars.peek()?;
    let end = if first == '（' || first == '(' {
        chars.next();
        let mut empty = true;
        let mut end = None;
        for (i, c) in chars.by_ref() {
            if (c == '）' || c == ')') && !empty {
                end = Some(i + c.len_utf8());
                break;
            }
            if !(is_cn(c) || c.is_ascii_digit()) {
                return None;
            }
            empty = false;
        }
        end?
    } else if is_cn(first) || is_cap(first) {
        let mut end = None;
        for (i, c) in chars.by_ref() {
            if c == '、' {
                end = Some(i + c.len_utf8());
                break;
            }
            if !(is_cn(c) || is_cap(c)) {
                return None;
            }
        }
        end?
    } else if first.is_ascii_digit() {
        let mut end = None;
        for (i, c) in chars.by_ref() {
            if c == '.' || c == '、' || c == '．' {
                end = Some(i + c.len_utf8());
                break;
            }
            if !c.is_ascii_digit() {
                return None;
            }
        }
        let end = end?;
        // `1.5 倍` is a number, not a marker.
        if text[end..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        end
    } else {
        return None;
    };
    let rest = text[end..].trim_start();
    if rest.is_empty() {
        return None;
    }
    Some((&text[..end], rest))
}

/// `一` … `日` for Monday … Sunday.
pub fn weekday(d: NaiveDate) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize]
}

/// ROC year of a date (民國 = Gregorian − 1911).
pub(crate) fn roc_year(d: NaiveDate) -> i32 {
    d.year() - 1911
}

/// `113 年 4 月 29 日（星期一）` (dates before 1912 are written `民國前 N 年 …`).
pub fn roc_date(d: NaiveDate) -> String {
    let roc = roc_year(d);
    let year = if roc >= 1 { format!("{roc} 年") } else { format!("民國前 {} 年", 1 - roc) };
    format!("{year} {} 月 {} 日（星期{}）", d.month(), d.day(), weekday(d))
}

/// `上午 9 時 30 分`, `中午 12 時`, `下午 2 時 30 分`.
pub(crate) fn roc_time(t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let (period, h12) = match h {
        0..=11 => ("上午", h),
        12 => ("中午", 12),
        _ => ("下午", h - 12),
    };
    if m == 0 { format!("{period} {h12} 時") } else { format!("{period} {h12} 時 {m} 分") }
}

/// True for characters that take no space around a source line break (CJK ideographs,
/// kana, full-width forms and CJK punctuation).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31BF
        | 0x3200..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Parses a date written in one of the usual Taiwanese ways:
///
/// - Gregorian: `2024-04-29`, `20240429`, `2024/4/29`, `2024.4.29`, `2024年4月29日`
/// - ROC (民國 = Gregorian − 1911, year ≥ 1): `113-04-29`, `113/4/29`, `113.4.29`,
///   `1130429`, `113年4月29日`, `民國113年4月29日`, `113 年 4 月 29 日（星期一）`
///
/// A year of four digits is Gregorian, one to three digits ROC (`民國` forces ROC, `西元`
/// Gregorian). Full-width digits and separators are accepted, as is a trailing weekday
/// `（星期一）` / `(一)`, which must then match the date. Impossible dates (`113-02-30`),
/// ROC year 0 or negative years give `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let normalized: String = s
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '－' | '‐' | '‑' | '–' => Some('-'),
            '／' => Some('/'),
            '．' => Some('.'),
            '（' => Some('('),
            '）' => Some(')'),
            c if c.is_whitespace() => None,
            c => Some(c),
        })
        .collect();
    let (core, day) = split_weekday(&normalized)?;
    let date = parse_core(core)?;
    match day {
        Some(w) if w != weekday(date) => None,
        _ => Some(date),
    }
}

/// Splits a trailing `(星期一)` / `(週一)` / `(一)` / `星期一` off (whitespace already removed).
/// `None` when a parenthesised suffix is not a weekday.
fn split_weekday(s: &str) -> Option<(&str, Option<&str>)> {
    const DAYS: [&str; 8] = ["一", "二", "三", "四", "五", "六", "日", "天"];
    let norm = |w: &'static str| if w == "天" { "日" } else { w };
    if let Some(inner_start) = s.rfind('(') {
        let inner = s[inner_start + 1..].strip_suffix(')')?;
        let w = inner
            .strip_prefix("星期")
            .or_else(|| inner.strip_prefix('週'))
            .or_else(|| inner.strip_prefix('周'))
            .unwrap_or(inner);
        let w = DAYS.iter().copied().find(|d| *d == w)?;
        return Some((&s[..inner_start], Some(norm(w))));
    }
    for prefix in ["星期", "週", "周"] {
        for d in DAYS {
            if let Some(core) = s.strip_suffix(d).and_then(|r| r.strip_suffix(prefix)) {
                return Some((core, Some(norm(d))));
            }
        }
    }
    Some((s, None))
}

#[derive(Clone, Copy, PartialEq)]
enum Era {
    Auto,
    Roc,
    Gregorian,
}

fn parse_core(s: &str) -> Option<NaiveDate> {
    let (era, s) = if let Some(rest) = s.strip_prefix("民國") {
        (Era::Roc, rest)
    } else if let Some(rest) = s.strip_prefix("西元") {
        (Era::Gregorian, rest)
    } else {
        (Era::Auto, s)
    };
    let (y, m, d): (&str, &str, &str) = if s.contains('年') {
        let (y, rest) = s.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        let d = rest.strip_suffix('日').or_else(|| rest.strip_suffix('號'))?;
        (y, m, d)
    } else if s.bytes().all(|b| b.is_ascii_digit()) {
        match s.len() {
            8 => (&s[..4], &s[4..6], &s[6..]),
            7 => (&s[..3], &s[3..5], &s[5..]),
            _ => return None,
        }
    } else {
        let sep = s.chars().find(|c| !c.is_ascii_digit())?;
        if !matches!(sep, '-' | '/' | '.') {
            return None;
        }
        let mut parts = s.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let number = |t: &str, max_len: usize| -> Option<u32> {
        if t.is_empty() || t.len() > max_len || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let year = number(y, 4)?;
    let (month, day) = (number(m, 2)?, number(d, 2)?);
    let roc = match era {
        Era::Roc => true,
        Era::Gregorian => false,
        Era::Auto => y.len() <= 3,
    };
    if year == 0 {
        return None;
    }
    let gregorian = if roc { year + 1911 } else { year };
    NaiveDate::from_ymd_opt(i32::try_from(gregorian).ok()?, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(numeral(1), "一");
        assert_eq!(numeral(10), "十");
        assert_eq!(numeral(14), "十四");
        assert_eq!(numeral(20), "二十");
        assert_eq!(numeral(26), "二十六");
        assert_eq!(numeral(105), "一百零五");
        assert_eq!(numeral(300), "三百");
        assert_eq!(capital(4), "肆");
    }

    #[test]
    fn markers() {
        assert_eq!(marker(0, 2), "貳、");
        assert_eq!(marker(1, 11), "十一、");
        assert_eq!(marker(2, 3), "（三）");
        assert_eq!(marker(3, 2), "2.");
        assert_eq!(marker(4, 2), "（2）");
    }

    #[test]
    fn split_markers() {
        assert_eq!(split_marker("一、為配合"), Some(("一、", "為配合")));
        assert_eq!(split_marker("十一、（刪除）"), Some(("十一、", "（刪除）")));
        assert_eq!(split_marker("（一）行政院"), Some(("（一）", "行政院")));
        assert_eq!(split_marker("(二)中央"), Some(("(二)", "中央")));
        assert_eq!(split_marker("1. 擬訂"), Some(("1.", "擬訂")));
        assert_eq!(split_marker("（1）擬訂"), Some(("（1）", "擬訂")));
        assert_eq!(split_marker("壹、文件目的"), Some(("壹、", "文件目的")));
        assert_eq!(split_marker("1.5 倍"), None);
        assert_eq!(split_marker("一般廢棄物"), None);
        assert_eq!(split_marker("（刪除）"), None);
        assert_eq!(split_marker("本總處"), None);
    }

    #[test]
    fn roc() {
        let d = NaiveDate::from_ymd_opt(2024, 4, 29).unwrap();
        assert_eq!(roc_date(d), "113 年 4 月 29 日（星期一）");
        assert_eq!(roc_time(NaiveTime::from_hms_opt(14, 30, 0).unwrap()), "下午 2 時 30 分");
        assert_eq!(roc_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()), "上午 9 時");
        assert_eq!(roc_time(NaiveTime::from_hms_opt(12, 10, 0).unwrap()), "中午 12 時 10 分");
    }

    #[test]
    fn weekday_split() {
        assert_eq!(split_weekday("113年4月29日(星期一)"), Some(("113年4月29日", Some("一"))));
        assert_eq!(split_weekday("2024-04-29(日)"), Some(("2024-04-29", Some("日"))));
        assert_eq!(split_weekday("2024-04-29星期天"), Some(("2024-04-29", Some("日"))));
        assert_eq!(split_weekday("2024-04-29(x)"), None);
        assert_eq!(split_weekday("2024-04-29"), Some(("2024-04-29", None)));
    }

    #[test]
    fn roc_before_1912() {
        let d = NaiveDate::from_ymd_opt(1911, 10, 10).unwrap();
        assert_eq!(roc_date(d), "民國前 1 年 10 月 10 日（星期二）");
    }
}
