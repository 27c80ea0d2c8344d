//! The correction round as the meeting's page shows it: the reply deadline and each
//! member's standing, computed by the code `packet check` and `packet corrections` use
//! (rules::corrections), so the page and the record never disagree.

use serde::Serialize;

use crate::model::Packet;
use crate::model::calendar::Calendar;
use crate::rules::corrections::{Round, Standing};

/// `state.corrections`: null when meeting.toml has no `[corrections]` or its deadline
/// cannot be counted (the finding says why).
#[derive(Serialize)]
pub struct RoundState {
    /// The reply deadline (`2024-10-04`) and as printed, with how it was counted.
    pub deadline: String,
    pub deadline_text: String,
    /// `packet check`'s line: the round's state and who stands where today.
    pub summary: String,
    pub members: Vec<RoundMember>,
}

/// One seated member in the round.
#[derive(Serialize)]
pub struct RoundMember {
    pub id: String,
    pub name: String,
    /// The member's entry in `[[corrections.reply]]`, if any.
    pub reply: Option<usize>,
    /// 回復, 逾期回復, 視同無意見 or 尚未回復.
    pub state: &'static str,
}

/// The round of `packet` as it stands today.
pub fn round_state(packet: &Packet, calendar: &Calendar) -> Option<RoundState> {
    let round = Round::of(packet, calendar)?.ok()?;
    let today = crate::model::today();
    let members = round
        .entries
        .iter()
        .map(|e| RoundMember {
            id: e.id.to_string(),
            name: e.name.clone(),
            reply: e.reply.map(|(i, _)| i),
            state: match round.standing(e, today) {
                Standing::Replied => "回復",
                Standing::Late => "逾期回復",
                Standing::Silent => "視同無意見",
                Standing::Waiting => "尚未回復",
            },
        })
        .collect();
    Some(RoundState {
        deadline: round.deadline.to_string(),
        deadline_text: round.deadline_text(),
        summary: round.summary(today),
        members,
    })
}
