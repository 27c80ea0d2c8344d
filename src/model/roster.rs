//! The roster over time: a member's role, title, organisation and kind change on a date
//! (`[[member.change]]` in group.toml), and every meeting sees the roster as it stood on
//! its own date. A change recorded later never alters an earlier meeting's documents.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, Group, MemberKind, Role};

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

impl Group {
    /// The roster as it stood on `date`: every member's changes dated on or before it
    /// applied, in date order (the written order for one date); later ones not.
    pub fn as_of(mut self, date: Date) -> Group {
        for m in &mut self.members {
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
        self
    }
}

impl super::Member {
    /// Whether the member serves on `date`: within their term (聘期), where one is recorded.
    pub fn serves_on(&self, date: Date) -> bool {
        self.term_start.is_none_or(|s| s <= date) && self.term_end.is_none_or(|e| date <= e)
    }
}
