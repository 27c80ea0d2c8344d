//! The 書函 that announces a postponement or a change of place (`[notice.change]`): the
//! second edition of the notice, with 主旨 and 說明 instead of the notice's lines.

use chrono::NaiveDate;

use super::notice_facts::{Facts, materials_line, official_date};
use crate::diag::Result;
use crate::model::Packet;

/// 主旨 and the points of 說明 of the letter; `now` is the meeting as it now stands.
pub(super) fn letter(packet: &Packet, now: &Facts, materials_due: Option<NaiveDate>) -> Result<(String, Vec<String>)> {
    let m = &packet.meeting;
    let was = Facts::original(packet);
    let moved = was.date != now.date || was.time != now.time;
    let relocated = was.place != now.place;
    let what = match (moved, relocated) {
        (true, true) => "改期並變更開會地點",
        (true, false) => "改期",
        (false, true) => "變更開會地點",
        (false, false) => {
            return Err(packet
                .meeting_src
                .error_at(
                    "notice.change",
                    "未記載任何變更：請寫出開會通知單原訂的日期、時間或地點（與會議資料現在所寫的不同）",
                )
                .into());
        }
    };
    let subject = format!("{}{what}，請查照。", packet.meeting_title());
    let mut points = Vec::new();
    if let Some(sent) = m.dates.notice_sent {
        let number = m.notice.number.as_deref().unwrap_or_default();
        points.push(format!("本會議前以{}{number}開會通知單通知召開。", official_date(sent.0)));
    }
    let reason =
        m.notice.change.as_ref().and_then(|c| c.reason.as_deref()).map_or_else(String::new, |r| format!("因{r}，"));
    let to = match (moved, relocated) {
        (true, true) => format!("改於{}在{}召開", now.when(), now.place),
        (true, false) => format!("改於{}召開（地點不變）", now.when()),
        _ => format!("改在{}召開（時間不變）", now.place),
    };
    points.push(format!("原訂{}於{}召開之會議，{reason}{to}。", was.when(), was.place));
    points.push(materials_line(packet, materials_due));
    Ok((subject, points))
}
