//! The calendar invitation (`meeting.ics`, RFC 5545) that `packet notice` writes beside
//! the notice: the meeting itself, in Taiwan time with its VTIMEZONE, and the three
//! working-day deadlines (materials, draft minutes, publication) as all-day events.
//! Lines are folded at 75 octets and text is escaped by the `icalendar` crate.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};
use sha2::{Digest, Sha256};

use crate::model::Packet;
use crate::model::calendar::{Calendar as OfficeCalendar, Deadlines};
use crate::rules::check::{PROVISIONAL, deadline_rules};
use crate::rules::proceedings;
use crate::text::zh;

/// The meeting's time zone: Taiwan keeps UTC+8 all year (no daylight time since 1979).
const TZID: &str = "Asia/Taipei";

/// The VTIMEZONE of [`TZID`]; the `icalendar` crate writes no time zones of its own.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Asia/Taipei\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// How long a meeting lasts when `[notice] end` does not say.
const DEFAULT_LENGTH: TimeDelta = TimeDelta::hours(2);

/// The invitation as `packet notice` writes it (and the editor downloads it): stamped
/// when the latest edition went out, so that a change's 書函 updates the invitation.
pub fn invitation(packet: &Packet, calendar: &OfficeCalendar) -> String {
    let stamp = packet
        .meeting
        .notice
        .change
        .as_ref()
        .and_then(|c| c.sent)
        .map_or_else(|| crate::build::notice_created(packet), |d| d.0.and_time(chrono::NaiveTime::MIN));
    meeting_ics(packet, calendar, stamp)
}

/// The meeting's invitation as iCalendar text. `stamp` (Taiwan time) is every event's
/// DTSTAMP, so that one record always gives the same file; the UIDs are derived from the
/// agency, the group and the meeting's number, so that an invitation sent again (a
/// changed time or place) updates the same event in the members' calendars.
pub fn meeting_ics(packet: &Packet, calendar: &OfficeCalendar, stamp: NaiveDateTime) -> String {
    let g = &packet.group;
    let m = &packet.meeting;
    let stamp = (stamp - TimeDelta::hours(8)).and_utc();
    let uid = |kind: &str| format!("{}-{kind}@packet", meeting_key(packet));
    let title = if packet.title_has_agency() {
        packet.meeting_title()
    } else {
        format!("{}{}", g.agency, packet.meeting_title())
    };

    let mut meeting = Event::new();
    meeting.uid(&uid("meeting")).timestamp(stamp).summary(&title).location(&m.place).description(&description(packet));
    // A postponed or moved meeting: a later revision of the same event, which calendars
    // put in place of the one they hold.
    if m.notice.change.is_some() {
        meeting.sequence(1);
    }
    match m.time.known() {
        Some(start) => {
            let start = m.date.0.and_time(start.0);
            let end = m.notice.end.map(|e| m.date.0.and_time(e.0)).filter(|e| *e > start);
            meeting.starts(taipei(start)).ends(taipei(end.unwrap_or(start + DEFAULT_LENGTH)));
        }
        // A time not yet known: the day itself.
        None => {
            meeting.starts(m.date.0).ends(m.date.0 + TimeDelta::days(1));
        }
    }
    let mut ics = Calendar::empty();
    ics.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//packet//開會通知//ZH-TW"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .append_property(("X-WR-CALNAME", title.as_str()))
        .append_property(("X-WR-TIMEZONE", TZID));
    ics.push(meeting);
    let rules = deadline_rules(&g.rules);
    // A year the calendar lacks: the meeting alone, without deadlines.
    if let Ok(d) = calendar.deadlines(m.date.0, &rules) {
        for (kind, date, what, provisional) in deadline_events(&d) {
            let mark = if provisional { PROVISIONAL } else { "" };
            let mut e = Event::new();
            e.uid(&uid(kind))
                .timestamp(stamp)
                .summary(&format!("{what}{mark}：{title}"))
                .description(&format!("{what}{mark}，工作日依行政院人事行政總處「政府行政機關辦公日曆表」計算。"))
                // An all-day event ends the next day (DTEND is not part of it).
                .starts(date)
                .ends(date + TimeDelta::days(1));
            ics.push(e);
        }
    }
    let text = ics.to_string();
    // The time zone goes before the first event, as calendar programs expect.
    match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{VTIMEZONE}{}", &text[..at], &text[at..]),
        None => text,
    }
}

/// (UID suffix, date, summary, provisional) of the three deadlines.
fn deadline_events(d: &Deadlines) -> [(&'static str, NaiveDate, String, bool); 3] {
    let r = &d.rules;
    let p = &d.provisional;
    [
        (
            "materials",
            d.materials_due,
            format!("會議資料送達委員期限（會前第 {} 個工作日）", r.materials_days),
            p.materials_due,
        ),
        (
            "draft-minutes",
            d.draft_minutes_due,
            format!("會議紀錄草稿送達委員期限（會後第 {} 個工作日）", r.draft_minutes_days),
            p.draft_minutes_due,
        ),
        (
            "publication",
            d.publication_due,
            format!("開放於政府資料開放平臺期限（會後第 {} 個工作日）", r.publication_days),
            p.publication_due,
        ),
    ]
}

fn taipei(t: NaiveDateTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone { date_time: t, tzid: TZID.into() }
}

/// A meeting's stable key: the agency, the group and the meeting's code, hashed.
fn meeting_key(packet: &Packet) -> String {
    let mut h = Sha256::new();
    for part in [packet.group.agency.as_str(), packet.group.name.as_str(), &packet.meeting_code()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// What the invitation says: time, place, chair, contact, and the agenda's outline.
fn description(packet: &Packet) -> String {
    let g = &packet.group;
    let m = &packet.meeting;
    let time = m.time.known().map_or_else(String::new, |t| zh::roc_time(t.0));
    let mut lines = vec![format!("開會時間：{}{time}", zh::roc_date(m.date.0)), format!("開會地點：{}", m.place)];
    if let Some(chair) = proceedings::chair_id(packet).and_then(|id| g.members.iter().find(|x| x.id == id)) {
        lines.push(format!("主持人：{}{}", chair.name, chair.role_label()));
    }
    if let Some(c) = &g.contact {
        let phone = c.phone.as_deref().map_or_else(String::new, |p| format!(" {p}"));
        lines.push(format!("聯絡人及電話：{}{phone}", c.name));
    }
    lines.push("議程：".into());
    let mut n = 0;
    let mut section = |label: &str, lines: &mut Vec<String>| {
        n += 1;
        lines.push(format!("{}{label}", zh::marker(0, n)));
    };
    section("主席致詞", &mut lines);
    for (label, items) in [("報告事項", &m.reports), ("討論事項", &m.discussions)] {
        if items.is_empty() {
            continue;
        }
        section(label, &mut lines);
        for (i, it) in items.iter().enumerate() {
            lines.push(format!("{}{}", zh::marker(1, i + 1), it.title));
        }
    }
    section("臨時動議", &mut lines);
    lines.join("\n")
}
