//! Chinese numerals, the official numbering hierarchy and ROC date/time wording.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const CAPITALS: [&str; 11] = [
    "", "壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖", "拾",
];

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五. Used for 第一案 and 一、.
pub fn numeral(n: usize) -> String {
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
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
pub fn capital(n: usize) -> String {
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
pub fn split_marker(text: &str) -> Option<(&str, &str)> {
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

pub fn weekday(d: NaiveDate) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize]
}

/// ROC year of a date (民國 = Gregorian − 1911).
pub fn roc_year(d: NaiveDate) -> i32 {
    d.year() - 1911
}

/// `113 年 4 月 29 日（星期一）`
pub fn roc_date(d: NaiveDate) -> String {
    format!(
        "{} 年 {} 月 {} 日（星期{}）",
        roc_year(d),
        d.month(),
        d.day(),
        weekday(d)
    )
}

/// `上午 9 時 30 分`, `中午 12 時`, `下午 2 時 30 分`.
pub fn roc_time(t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let (period, h12) = match h {
        0..=11 => ("上午", h),
        12 => ("中午", 12),
        _ => ("下午", h - 12),
    };
    if m == 0 {
        format!("{period} {h12} 時")
    } else {
        format!("{period} {h12} 時 {m} 分")
    }
}

/// True for characters that take no space around a source line break (CJK ideographs,
/// kana, full-width forms and CJK punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31BF
        | 0x3200..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
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
        assert_eq!(
            roc_time(NaiveTime::from_hms_opt(14, 30, 0).unwrap()),
            "下午 2 時 30 分"
        );
        assert_eq!(
            roc_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
            "上午 9 時"
        );
        assert_eq!(
            roc_time(NaiveTime::from_hms_opt(12, 10, 0).unwrap()),
            "中午 12 時 10 分"
        );
    }
}
