//! Text as packet reads and prints it: Chinese numerals and ROC dates ([`zh`]), file
//! encodings ([`encoding`]), the character rules of every text field ([`hygiene`]), and
//! Markdown parsed to clauses and plain text ([`markdown`]).

pub mod encoding;
pub mod hygiene;
pub mod markdown;
pub mod zh;

use unicode_width::UnicodeWidthStr;

/// Columns `s` takes in a terminal or a table: East Asian wide and full-width
/// characters take two.
pub(crate) fn display_width(s: &str) -> usize {
    s.width()
}
