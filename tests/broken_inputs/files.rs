//! Round two: where output goes and what paths mean — the upload folder, symlinked
//! meeting folders, temporary files, template comments, errors located at the user's file.

#[allow(unused_imports)]
use super::*;

pub(super) fn cases() -> Vec<Case> {
    vec![]
}
