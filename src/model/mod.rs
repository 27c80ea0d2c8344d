//! The meeting as data: the serde types of `group.toml` and `meeting.toml`, loaded with
//! source positions ([`SourceFile`]) and validated, so that every later stage works on a
//! well-formed [`Packet`] and can point at `file:line:col: field`. Also the series a
//! meeting belongs to and the official office calendar.

pub mod calendar;
mod cycle;
mod dates;
mod group;
pub mod input;
mod meeting;
mod notice;
mod packet;
mod roster;
mod series;
mod source;
pub mod validate;

pub use cycle::*;
pub use dates::{Date, MeetingTime, Time, today};
pub use group::*;
pub use meeting::*;
pub use notice::{GroupNotice, MeetingNotice, NoticeChange, Speed};
pub(crate) use packet::normalize;
pub use packet::{Packet, meeting_dirs};
pub use roster::{MemberChange, RoleChange, Unseated};
pub use series::{Series, label};
pub use source::{SourceFile, load, syntax_message};
pub(crate) use source::{json_schema, schemas};
