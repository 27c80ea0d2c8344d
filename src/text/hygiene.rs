//! Which characters a text field may hold: the rules every field of group.toml and
//! meeting.toml and every text attachment is held to, in one place.

/// Longest text field, in characters (about 100 pages): longer text belongs in an
/// attachment, and a runaway value (a pasted file) would take minutes to typeset.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// Characters archival PDF (PDF/A) text may not carry, and why: the byte-order mark
/// U+FEFF (as a zero-width no-break space: U+2060 WORD JOINER is the character for that),
/// the noncharacter U+FFFE and private-use characters (造字, unreadable anywhere else).
/// Rejected in every text field and attachment, naming the code point (they are invisible
/// or look like anything).
pub fn first_unarchivable(text: &str) -> Option<(char, &'static str)> {
    text.chars().find_map(|c| match c as u32 {
        0xFEFF => Some((c, "位元組順序記號 BOM／零寬不換行空格；如需不斷行請用 U+2060")),
        0xFFFE => Some((c, "非字元 noncharacter")),
        0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD => Some((
            c,
            "私人使用區字元（造字），其他系統無法辨識；請改用 Unicode 標準字",
        )),
        _ => None,
    })
}

/// The message for [`first_unarchivable`]'s finding.
pub(crate) fn unarchivable_message(c: char, why: &str) -> String {
    format!("含有封存格式 PDF/A 不允許的字元 U+{:04X}（{why}）", c as u32)
}

/// Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they make
/// text display in another order than it is stored (「Trojan Source」), so a name or a
/// decision could read differently on the page than in the record. Chinese text never
/// needs them; rejected in every text field. (The marks U+200E/200F are harmless.)
pub(crate) fn first_bidi_control(text: &str) -> Option<char> {
    text.chars().find(|&c| matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069))
}

/// Control characters other than tab and line breaks: rejected in every text field.
pub(crate) fn first_forbidden_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Most code points in one grapheme cluster (a letter with its combining marks, an emoji
/// sequence): the longest real ones (family emoji, Indic conjuncts, a letter with a few
/// tone marks) have about 10. Text shaping is quadratic in a cluster's length: 8,000
/// marks on one letter take 8 GB.
pub const MAX_CLUSTER_CHARS: usize = 32;

/// The first grapheme cluster longer than [`MAX_CLUSTER_CHARS`] code points: its byte
/// offset and its length in code points.
pub fn first_long_cluster(text: &str) -> Option<(usize, usize)> {
    use unicode_segmentation::UnicodeSegmentation;
    // A cluster of at most MAX_CLUSTER_CHARS bytes cannot have more code points.
    text.grapheme_indices(true).find_map(|(offset, g)| {
        if g.len() <= MAX_CLUSTER_CHARS {
            return None;
        }
        let n = g.chars().count();
        (n > MAX_CLUSTER_CHARS).then_some((offset, n))
    })
}

/// The message for [`first_long_cluster`]'s finding.
pub(crate) fn long_cluster_message(chars: usize) -> String {
    format!(
        "含有過長的組合字元（一個字上疊了 {chars} 個字碼，上限 {MAX_CLUSTER_CHARS} 個）：通常是重複貼上的附加符號，請刪除多餘的符號"
    )
}
