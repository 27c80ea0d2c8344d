//! What the rules say about a loaded meeting: its proceedings as the minutes record them
//! (who spoke, in which edition, what is still missing: [`proceedings`]), the series'
//! 列管 decisions ([`tracking`]), and the checks of 設置要點 and 運作指引 ([`check`]).

pub mod check;
pub mod corrections;
pub mod proceedings;
pub mod tracking;
