//! Dates and times as people write them in meeting.toml: TOML values or ISO/ROC text.

use chrono::{NaiveDate, NaiveTime};
use schemars::JsonSchema;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// A calendar date: a TOML date (`2024-04-29`) or a string in ISO or ROC form
/// (`"113-04-29"`, `"113年4月29日"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date(pub NaiveDate);

#[derive(Deserialize)]
#[serde(untagged)]
enum DateOrText {
    Toml(toml::value::Datetime),
    Text(String),
}

/// A [`Date`] or [`Time`]: the TOML value converted by `from_toml`, or the text parsed by
/// `from_text`; on failure, `message` with the value as written.
fn date_or_text<'de, D: Deserializer<'de>, T>(
    d: D,
    from_toml: impl FnOnce(&toml::value::Datetime) -> Option<T>,
    from_text: impl FnOnce(&str) -> Option<T>,
    message: impl FnOnce(&str) -> String,
) -> std::result::Result<T, D::Error> {
    let parsed = match DateOrText::deserialize(d)? {
        DateOrText::Toml(dt) => from_toml(&dt).ok_or_else(|| dt.to_string()),
        DateOrText::Text(s) => from_text(&s).ok_or(s),
    };
    parsed.map_err(|s| D::Error::custom(message(&s)))
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        date_or_text(
            d,
            |dt| match (dt.date, dt.time) {
                (Some(date), None) => NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into()),
                _ => None,
            },
            crate::text::zh::parse_date,
            |s| {
                if nonpositive_year(s) {
                    format!("無效的日期「{s}」：民國年須從 1 年起算")
                } else {
                    format!("無效的日期「{s}」，請寫成 2024-04-29 或 113-04-29")
                }
            },
        )
        .map(Date)
    }
}

/// `0-01-01`, `-1-01-01`, `民國0年1月1日`: a year that is zero or negative.
fn nonpositive_year(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix("民國").unwrap_or(t);
    if t.starts_with('-') {
        return true;
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && t[..digits].bytes().all(|b| b == b'0') && t[digits..].starts_with(['-', '/', '.', '年'])
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "TOML date (2024-04-29) or string: 2024-04-29, 113-04-29, 113/4/29, 113年4月29日",
            "type": "string"
        })
    }
}

/// A time of day: `"14:30"` or a TOML local time `14:30:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Time(pub NaiveTime);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        date_or_text(
            d,
            |dt| match (dt.date, dt.time) {
                (None, Some(t)) => NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.into()),
                _ => None,
            },
            |s| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok(),
            |s| format!("無效的時間「{s}」，請寫成 24 小時制 14:30"),
        )
        .map(Time)
    }
}

impl JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "24-hour time HH:MM, e.g. 14:30",
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"
        })
    }
}

/// A meeting's scheduled start, or 未記錄 for a meeting transcribed from a record that
/// does not give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MeetingTime {
    At(Time),
    NotRecorded,
}

impl MeetingTime {
    /// The time, or midnight when not recorded (for ordering and timestamps only).
    pub fn or_midnight(self) -> Time {
        match self {
            MeetingTime::At(t) => t,
            MeetingTime::NotRecorded => Time(NaiveTime::MIN),
        }
    }
    pub fn known(self) -> Option<Time> {
        match self {
            MeetingTime::At(t) => Some(t),
            MeetingTime::NotRecorded => None,
        }
    }
}

impl<'de> Deserialize<'de> for MeetingTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        date_or_text(
            d,
            |dt| match (dt.date, dt.time) {
                (None, Some(t)) => NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.into())
                    .map(|t| MeetingTime::At(Time(t))),
                _ => None,
            },
            |s| {
                if s.trim() == "未記錄" {
                    Some(MeetingTime::NotRecorded)
                } else {
                    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok().map(|t| MeetingTime::At(Time(t)))
                }
            },
            |s| format!("無效的時間「{s}」，請寫成 24 小時制 14:30"),
        )
    }
}

impl JsonSchema for MeetingTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MeetingTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "24-hour time HH:MM, e.g. 14:30, or 未記錄",
            "type": "string",
            "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|未記錄)$"
        })
    }
}

/// Today's date as the user's clock has it, or `PACKET_TODAY` (`YYYY-MM-DD`) when set: the
/// tests pin it so that no result depends on the day they run. A malformed value is ignored
/// (the clock is used), never fatal.
pub fn today() -> NaiveDate {
    std::env::var("PACKET_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}
