//! What an edition of the notice states about the meeting: its date, time and place as
//! that edition gives them, when the materials go out, and a 公文's own date.

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::model::Packet;
use crate::rules::check::deadline_rules;
use crate::text::zh;

/// The meeting's date, time and place as one edition states them.
pub struct Facts {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub place: String,
}

impl Facts {
    /// As the notice first gave them: `[notice.change]`'s old values where recorded.
    pub fn original(packet: &Packet) -> Facts {
        let m = &packet.meeting;
        let was = m.notice.change.as_ref();
        Facts {
            date: was.and_then(|c| c.date).unwrap_or(m.date).0,
            time: was.and_then(|c| c.time).unwrap_or(m.time).known().map(|t| t.0),
            place: was.and_then(|c| c.place.clone()).unwrap_or_else(|| m.place.clone()),
        }
    }

    /// As meeting.toml now has them.
    pub fn current(packet: &Packet) -> Facts {
        let m = &packet.meeting;
        Facts { date: m.date.0, time: m.time.known().map(|t| t.0), place: m.place.clone() }
    }

    /// `113 年 4 月 29 日（星期一）下午 2 時 30 分`
    pub fn when(&self) -> String {
        format!("{}{}", zh::roc_date(self.date), self.time.map_or_else(|| "（時間未定）".to_string(), zh::roc_time))
    }
}

/// `中華民國 113 年 4 月 19 日`, as a 公文 dates itself.
pub(crate) fn official_date(d: NaiveDate) -> String {
    format!("中華民國 {} 年 {} 月 {} 日", d.year() - 1911, d.month(), d.day())
}

/// When the materials go out by e-mail: sent (`[dates] materials_sent`), else due.
pub(crate) fn materials_line(packet: &Packet, materials_due: Option<NaiveDate>) -> String {
    let m = &packet.meeting;
    let days = deadline_rules(&packet.group.rules).materials_days;
    match (m.dates.materials_sent, materials_due) {
        (Some(sent), _) => format!("會議資料已於 {} 以電子郵件寄送各委員。", zh::roc_date(sent.0)),
        (None, Some(due)) => {
            format!("會議資料將於 {}前（會前 {days} 個工作日）以電子郵件寄送各委員。", zh::roc_date(due))
        }
        (None, None) => format!("會議資料將於會前 {days} 個工作日以電子郵件寄送各委員。"),
    }
}
