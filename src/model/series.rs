//! A meeting series: every meeting of one series directory, in date order. Loaded once
//! per command and passed to what needs it (列管 tables, checks, export).

use std::path::{Path, PathBuf};

use super::{Numbering, Packet, meeting_dirs};
use crate::diag::{Diagnostics, Result};
use crate::text::zh;

/// The meetings of one series directory, in date order.
pub struct Series {
    pub dir: PathBuf,
    pub meetings: Vec<Packet>,
}

impl Series {
    /// The series of `packet`, when one of its items is generated from the series (a
    /// tracking item with `track = true`); `None` when nothing needs it. Found by the path
    /// the user named, so that messages say `dgbas/113-1/meeting.toml`.
    pub fn of(packet: &Packet) -> Option<Result<Series>> {
        if !packet.tracks() {
            return None;
        }
        let named = packet.group_src.path.parent().filter(|d| !d.as_os_str().is_empty());
        Some(Series::load(named.unwrap_or(Path::new("."))))
    }

    /// Load every `<series>/<meeting>/meeting.toml`; refuse duplicate or out-of-order
    /// sequence numbers.
    pub fn load(dir: &Path) -> Result<Series> {
        let mut meetings = Vec::new();
        let mut errors = Vec::new();
        for p in meeting_dirs(dir)? {
            match Packet::load(&p) {
                Ok(m) => meetings.push(m),
                Err(e) => errors.extend(e.0),
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        meetings.sort_by_key(|m| (m.meeting.date, m.meeting.time.or_midnight().0));
        for pair in meetings.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            // Numbered straight through, every meeting follows the one before; by term, the
            // (term, number) pairs do.
            let same_year = a.group.numbering == Numbering::Continuous
                || zh::roc_year(a.meeting.date.0) == zh::roc_year(b.meeting.date.0);
            let (ka, kb) = ((a.meeting.term, a.meeting.number), (b.meeting.term, b.meeting.number));
            let out_of_order = match a.group.numbering {
                Numbering::Term => kb <= ka,
                _ => same_year && kb.1 <= ka.1,
            };
            if out_of_order {
                let what = if kb == ka { "重複" } else { "順序顛倒" };
                errors.push(b.meeting_src.error_at(
                    "number",
                    format!(
                        "會議次數{what}：{}（{}）與 {}（{}）",
                        label(b),
                        b.meeting.date.0,
                        label(a),
                        a.meeting.date.0
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        Ok(Series { dir: dir.to_path_buf(), meetings })
    }

    /// Index of the meeting whose meeting.toml is `packet`'s.
    pub fn position(&self, packet: &Packet) -> Option<usize> {
        let target = packet.meeting_src.path.canonicalize().ok()?;
        self.meetings.iter().position(|m| m.meeting_src.path.canonicalize().ok().as_ref() == Some(&target))
    }
}

/// `112 年第 2 次會議`, `第 5 次會議` when numbered straight through, `第 3 屆第 2 次會議` by term.
pub fn label(p: &Packet) -> String {
    match p.group.numbering {
        Numbering::Yearly => format!("{} 年第 {} 次會議", zh::roc_year(p.meeting.date.0), p.meeting.number),
        Numbering::Continuous => format!("第 {} 次會議", p.meeting.number),
        Numbering::Term => format!("第 {} 屆第 {} 次會議", p.meeting.term.unwrap_or(0), p.meeting.number),
    }
}
