//! Round two: decoding bombs and unbounded work — image and PDF headers judged before
//! decoding, SVG, FIFOs, grapheme clusters, rows, list entries, input bytes.

#[allow(unused_imports)]
use super::*;

pub(super) fn cases() -> Vec<Case> {
    vec![]
}
