//! The roster over time: a member's role, title, organisation and kind change on a date
//! (`[[member.change]]` in group.toml), members join (`appointed`), leave (`left`) and are
//! replaced (補聘: `replaces`), and every meeting sees the roster as it stood on its own
//! date. A change recorded later never alters an earlier meeting's documents.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, Group, Member, MemberKind, Role};

/// `[[member.change]]`: from `from` on (that day included), these fields replace the
/// member's earlier ones; fields left out stay as they were.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    /// The first day the change holds (a meeting on that day sees it).
    pub from: Date,
    /// The new role: 召集人, 共同召集人, 副召集人, or 委員 (no role any more).
    #[serde(default)]
    pub role: Option<RoleChange>,
    /// The new 職稱.
    #[serde(default)]
    pub title: Option<String>,
    /// The new 服務機關（構）.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The new 代表類別.
    #[serde(default)]
    pub kind: Option<MemberKind>,
}

/// A role as a change states it: one of the roles, or 委員 (none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum RoleChange {
    #[serde(rename = "召集人")]
    Convener,
    #[serde(rename = "共同召集人")]
    CoConvener,
    #[serde(rename = "副召集人")]
    Deputy,
    #[serde(rename = "委員")]
    Member,
}

impl RoleChange {
    fn role(self) -> Option<Role> {
        match self {
            RoleChange::Convener => Some(Role::Convener),
            RoleChange::CoConvener => Some(Role::CoConvener),
            RoleChange::Deputy => Some(Role::Deputy),
            RoleChange::Member => None,
        }
    }
}

/// A member of group.toml who does not sit on the meeting's date, and why.
#[derive(Debug, Clone)]
pub struct Unseated {
    pub member: Member,
    /// 「尚未到任（2025-10-01 起）」, 「已於 2025-10-01 離任」, 「已於 2025-10-01 由李○○補聘接替」.
    pub why: String,
}

impl Member {
    /// The first day of the member's seat, when recorded: `appointed`, else for a
    /// replacement (補聘) its `term_start`.
    pub fn seated_from(&self) -> Option<Date> {
        self.appointed.or(self.replaces.as_ref().and(self.term_start))
    }
}

impl Group {
    /// The roster as it stood on `date`: every member's changes dated on or before it
    /// applied, in date order (the written order for one date), later ones not; members
    /// not seated that day (not yet appointed, left, replaced) moved to `unseated`.
    pub fn as_of(mut self, date: Date) -> Group {
        for (i, m) in self.members.iter_mut().enumerate() {
            m.index = i;
            let mut changes: Vec<&MemberChange> = m.changes.iter().filter(|c| c.from <= date).collect();
            changes.sort_by_key(|c| c.from);
            for c in changes {
                if let Some(r) = c.role {
                    m.role = r.role();
                }
                if let Some(t) = &c.title {
                    m.title = t.clone();
                }
                if let Some(o) = &c.organisation {
                    m.organisation = o.clone();
                }
                if let Some(k) = c.kind {
                    m.kind = k;
                }
            }
        }
        // 補聘: a seat taken by another from that member's first day.
        let replaced: Vec<(String, Date, String)> =
            self.members.iter().filter_map(|m| Some((m.replaces.clone()?, m.seated_from()?, m.name.clone()))).collect();
        let (seated, unseated): (Vec<Member>, Vec<Member>) =
            std::mem::take(&mut self.members).into_iter().partition(|m| why_unseated(m, date, &replaced).is_none());
        self.unseated = unseated
            .into_iter()
            .map(|m| Unseated { why: why_unseated(&m, date, &replaced).unwrap_or_default(), member: m })
            .collect();
        self.members = seated;
        self
    }

    /// Why member `id` of group.toml does not sit at this meeting; `None` when they do or
    /// group.toml has no such member.
    pub fn why_unseated(&self, id: &str) -> Option<String> {
        self.unseated.iter().find(|u| u.member.id == id).map(|u| format!("{}委員{}", u.member.name, u.why))
    }
}

/// Why `m` does not sit on `date`: not yet appointed, left, or replaced (`replaced`: the
/// replaced id, the replacement's first day and name).
fn why_unseated(m: &Member, date: Date, replaced: &[(String, Date, String)]) -> Option<String> {
    if let Some(from) = m.seated_from()
        && date < from
    {
        return Some(format!("尚未到任（{} 起為委員）", from.0));
    }
    if let Some(left) = m.left
        && date >= left
    {
        return Some(format!("已於 {} 離任", left.0));
    }
    let (_, from, by) = replaced.iter().find(|(id, from, _)| *id == m.id && date >= *from)?;
    Some(format!("已於 {} 由{by}委員補聘接替", from.0))
}

impl Group {
    /// What changed in the roster from `before` (the previous meeting's) to this one, as a
    /// secretary says it: 「李○○補聘接替宋○○」, 「王○○到任」, 「宋○○離任」,
    /// 「葉○○改任共同召集人」, 「吳○○職稱改為主任秘書」.
    pub fn changes_since(&self, before: &Group) -> Vec<String> {
        let mut out = Vec::new();
        let was = |id: &str| before.members.iter().find(|m| m.id == id);
        for m in &self.members {
            let Some(b) = was(&m.id) else {
                let replaced = m.replaces.as_deref().and_then(was);
                out.push(match replaced {
                    Some(r) => format!("{}補聘接替{}", m.name, r.name),
                    None => format!("{}到任", m.name),
                });
                continue;
            };
            if b.role_label() != m.role_label() {
                out.push(format!("{}改任{}", m.name, m.role_label()));
            }
            if b.title != m.title {
                out.push(format!("{}職稱改為{}", m.name, m.title));
            }
            if b.organisation != m.organisation {
                out.push(format!("{}服務機關改為{}", m.name, m.organisation));
            }
        }
        let replaced = |id: &str| self.members.iter().any(|m| m.replaces.as_deref() == Some(id));
        for b in before.members.iter().filter(|b| !self.members.iter().any(|m| m.id == b.id) && !replaced(&b.id)) {
            out.push(format!("{}離任", b.name));
        }
        out
    }
}

impl super::Member {
    /// Whether the member serves on `date`: within their term (聘期), where one is recorded.
    pub fn serves_on(&self, date: Date) -> bool {
        self.term_start.is_none_or(|s| s <= date) && self.term_end.is_none_or(|e| date <= e)
    }
}
