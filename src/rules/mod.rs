//! What the rules say about a loaded meeting: its minutes record (who spoke, in which
//! edition, what is still missing: [`minutes`]), the series' 列管 decisions
//! ([`tracking`]), and the checks of 設置要點 and 運作指引 ([`check`]).

pub mod check;
pub mod minutes;
pub mod tracking;
