//! Round two: text rules after Markdown entity decoding, text that vanishes,
//! spreadsheet formulas, terminal escapes, odd spaces.

#[allow(unused_imports)]
use super::*;

pub(super) fn cases() -> Vec<Case> {
    vec![]
}
