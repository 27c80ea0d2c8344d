//! Fuzzing of text (Markdown entities, separators, odd spaces): see tests/fuzz.rs.
//!
//! - [`entities_obey_the_character_rules`]: a random character written as a Markdown
//!   character reference (`&#x…;`, `&#…;`) in a random Markdown field: refused at load,
//!   at that field, exactly when the character itself would be; otherwise the documents
//!   compile (no late Typst error).
//! - [`separators_are_refused_at_their_field`]: U+000B, U+0085, U+2028, U+2029 typed or
//!   written as references, in any text field: refused at load, at that field.
//! - [`odd_spaces_print_as_spaces`]: runs of odd spaces between words of an opinion: the
//!   minutes' pages are the same images as with plain spaces in their place (TW-Kai
//!   draws labels such as 「NBSP」 for them), and the text layer holds plain spaces.
//! - [`reference_definitions_print_as_written`]: `[label]: text` behind any block-quote
//!   and list markers prints its label and text (plain text, in process).
//!
//! Bounded case counts in CI; `PACKET_FUZZ_SECONDS` and `PACKET_FUZZ_CASES` extend them.

use crate::common::*;
use crate::fuzz::{MEETING, env_cases, exercise, fonts, fuzz, in_memory, write_series};
use packet::build as pipeline;
use packet::model::Packet;
use packet::rules::proceedings::Edition;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Markdown fields of the seed meeting: (text in the seed, field path).
const MARKDOWN_FIELDS: &[(&str, &str)] = &[
    ("洽悉。\"\n\n[[report.opinion]]", "report[0].decision"),
    ("建議會議資料提前寄送。", "report[0].opinion[0].text"),
    ("遵照辦理。", "report[0].opinion[1].text"),
    ("已辦理。", "report[0].tracking[0].progress"),
    ("已公布。", "report[1].progress[0].status"),
    ("擬下架資料集如附件。", "discussion[0].explanation"),
    ("同意下架。", "discussion[0].opinion[0].text"),
    ("簡報僅供參考。", "report[0].attachment[0].notes[0]"),
    ("國際使用者需要。", "minutes.motion[0].explanation"),
    ("請研議。", "minutes.motion[0].decision"),
];

/// Put `text` into the seed at `field`'s text (after its first character, so the text
/// does not start a CSV cell).
fn seed_with(anchor: &str, text: &str) -> String {
    assert_eq!(MEETING.matches(anchor).count(), 1, "anchor {anchor}");
    let first = anchor.chars().next().unwrap();
    let escaped = toml::Value::String(text.into()).to_string();
    let inner = &escaped[1..escaped.len() - 1];
    MEETING.replacen(anchor, &format!("{first}{inner}{}", &anchor[first.len_utf8()..]), 1)
}

/// What the character rules refuse in every text field.
fn refused(c: char) -> bool {
    let u = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(u, 0x202A..=0x202E | 0x2066..=0x2069 | 0x2028 | 0x2029 | 0xFEFF | 0xFFFE)
        || (0xE000..=0xF8FF).contains(&u)
        || (0xF0000..=0x10FFFD).contains(&u)
}

/// A character reference for `c`, hexadecimal or decimal, upper or lower case.
fn reference() -> impl Strategy<Value = (char, String)> {
    let interesting = prop::sample::select(vec![
        '\u{0}', '\u{7}', '\u{8}', '\u{B}', '\u{C}', '\u{1B}', '\u{7F}', '\u{85}', '\u{9B}', '\u{200E}', '\u{202A}',
        '\u{202E}', '\u{2066}', '\u{2069}', '\u{2028}', '\u{2029}', '\u{FEFF}', '\u{FFFE}', '\u{E000}', '\u{E001}',
        '\u{F8FF}', '\u{A0}', '\u{2009}', '中', 'a', '&', '<', '#', '\t', '\r', '\n',
    ]);
    let any = prop_oneof![
        (0u32..0x100).prop_filter_map("scalar", char::from_u32),
        (0x2000u32..0x2070).prop_filter_map("scalar", char::from_u32),
        (0xE000u32..0xE100).prop_filter_map("scalar", char::from_u32),
    ];
    (prop_oneof![3 => interesting, 2 => any], 0..4usize).prop_map(|(c, form)| {
        let u = c as u32;
        let r = match form {
            0 => format!("&#x{u:X};"),
            1 => format!("&#x{u:x};"),
            2 => format!("&#X{u:04X};"),
            _ => format!("&#{u};"),
        };
        (c, r)
    })
}

#[test]
fn entities_obey_the_character_rules() {
    let strategy = (reference(), 0..MARKDOWN_FIELDS.len());
    fuzz("entities_obey_the_character_rules", env_cases(24), &strategy, |((c, r), f)| {
        let (anchor, field) = MARKDOWN_FIELDS[f];
        let meeting = seed_with(anchor, &format!("甲{r}乙"));
        let dir = tempfile::tempdir().unwrap();
        let loaded = Packet::load(&write_series(dir.path(), meeting.as_bytes()));
        // NUL decodes to U+FFFD (CommonMark), and so does U+E000 (comrak 0.59 counts it
        // with the surrogates): refused too, as the character the reference names.
        let want_refused = refused(c);
        match loaded {
            Err(e) if want_refused => {
                let at_field = e.0.iter().any(|d| {
                    d.field == field && d.message.contains(&format!("U+{:04X}", c as u32)) && d.message.contains(&r)
                });
                prop_assert!(at_field, "{r} in {field}: refused elsewhere: {e}");
            }
            Ok(_) if want_refused => {
                return Err(TestCaseError::fail(format!("{r} in {field} was accepted")));
            }
            Err(e) => return Err(TestCaseError::fail(format!("{r} in {field} refused: {e}"))),
            Ok(_) => {
                exercise(meeting.as_bytes()).map_err(TestCaseError::fail)?;
            }
        }
        Ok(())
    });
}

#[test]
fn separators_are_refused_at_their_field() {
    let fields = prop::sample::select(vec![
        ("行政院第 9 會議室", "place"),
        ("職掌與運作方式", "report[0].title"),
        ("建議會議資料提前寄送。", "report[0].opinion[0].text"),
        ("擬下架資料集如附件。", "discussion[0].explanation"),
        ("請研議。", "minutes.motion[0].decision"),
        ("主計資訊處 王○○科長", "minutes.attendance.observers[0]"),
    ]);
    let sep = prop::sample::select(vec!['\u{B}', '\u{85}', '\u{2028}', '\u{2029}']);
    fuzz(
        "separators_are_refused_at_their_field",
        env_cases(24),
        &(fields, sep, any::<bool>()),
        |((anchor, field), c, as_reference)| {
            let markdown = !matches!(field, "place" | "report[0].title" | "minutes.attendance.observers[0]");
            let text = if as_reference && markdown { format!("&#x{:X};", c as u32) } else { c.to_string() };
            let meeting = seed_with(anchor, &text);
            let dir = tempfile::tempdir().unwrap();
            match Packet::load(&write_series(dir.path(), meeting.as_bytes())) {
                Ok(_) => Err(TestCaseError::fail(format!("{text:?} in {field} was accepted"))),
                Err(e) => {
                    prop_assert!(
                        e.exit_code() == 2 && e.0.iter().any(|d| d.field == field),
                        "{text:?} in {field}: {e}"
                    );
                    Ok(())
                }
            }
        },
    );
}

const ODD_SPACES: &[char] = &[
    '\u{A0}', '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}',
    '\u{2008}', '\u{2009}', '\u{200A}', '\u{202F}', '\u{205F}',
];

#[test]
fn odd_spaces_print_as_spaces() {
    let words = prop::collection::vec(
        (
            prop::sample::select(vec!["甲", "資料", "open", "113", "（一）"]),
            prop::collection::vec(prop::sample::select(ODD_SPACES), 1..3),
        ),
        2..5,
    );
    fuzz("odd_spaces_print_as_spaces", (env_cases(24) / 8).max(2), &words, |words| {
        let text: String =
            words.iter().map(|(w, s)| format!("{w}{}", s.iter().collect::<String>())).collect::<String>() + "完";
        let twin: String = text.chars().map(|c| if ODD_SPACES.contains(&c) { ' ' } else { c }).collect();
        let dir = tempfile::tempdir().unwrap();
        // The minutes with the odd spaces, and with plain spaces in their place.
        let mut printed = Vec::new();
        for (name, t) in [("odd", &text), ("plain", &twin)] {
            let meeting = seed_with("遵照辦理。", t);
            let root = dir.path().join(name);
            let packet = Packet::load(&write_series(&root, meeting.as_bytes()))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let opts = in_memory(&root.join("out"));
            let built = pipeline::compile_minutes(&packet, &opts, fonts(), Edition::Public, false)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let pdf = root.join("m.pdf");
            std::fs::write(&pdf, &built.built.pdf).unwrap();
            let png = root.join("page");
            let ok = std::process::Command::new("pdftoppm").args(["-r", "30", "-png"]).arg(&pdf).arg(&png).status();
            prop_assert!(ok.is_ok_and(|s| s.success()), "pdftoppm");
            let mut pages: Vec<_> = std::fs::read_dir(&root)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "png"))
                .collect();
            pages.sort();
            let images: Vec<Vec<u8>> = pages.iter().map(|p| std::fs::read(p).unwrap()).collect();
            printed.push((pdf_text_raw(&pdf), images));
        }
        let text_layer = &printed[0].0;
        if let Some(c) = text_layer.chars().find(|c| ODD_SPACES.contains(c)) {
            return Err(TestCaseError::fail(format!("U+{:04X} in the text layer for {text:?}", c as u32)));
        }
        prop_assert!(printed[0].1 == printed[1].1, "{text:?} does not print as {twin:?}");
        let want: String = words.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(" ") + " 完";
        // pdftotext reads a justified line's widened gaps between two CJK characters as
        // spaces (「主 計 資 訊 處」), and a space between two CJK words may be read either
        // way: both sides are compared without them. Between Latin words and digits, the
        // space must be there.
        let (layer, want) = (cjk_joined(text_layer), cjk_joined(&want));
        prop_assert!(layer.contains(&want), "{want:?} not in {layer}");
        Ok(())
    });
}

#[test]
fn reference_definitions_print_as_written() {
    let prefix = prop::sample::select(vec!["", "  ", "> ", "- ", "1. ", "> - ", "* > ", "2) "]);
    let label = "[甲乙a-z0-9 ]{1,6}";
    let text = "[丙丁a-z0-9]{1,6}";
    fuzz(
        "reference_definitions_print_as_written",
        env_cases(24) * 4,
        &(prefix, label, text, any::<bool>(), any::<bool>()),
        |(prefix, label, text, title, before)| {
            let def = if title { format!("[{label}]: {text} \"{text}\"") } else { format!("[{label}]:{text}") };
            let md = if before { format!("前文\n\n{prefix}{def}\n") } else { format!("{prefix}{def}\n\n後文") };
            let plain = packet::text::markdown::plain(&md, 1);
            let squashed: String = plain.chars().filter(|c| !c.is_whitespace()).collect();
            let want: String = format!("[{label}]:{text}").chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert!(squashed.contains(&want), "{md:?} printed {plain:?}");
            Ok(())
        },
    );
}

/// Whitespace runs collapsed to one space, and dropped where both neighbours are CJK.
fn cjk_joined(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let cjk_gap = i > 0 && out.chars().last().is_some_and(is_cjk_char) && w.chars().next().is_some_and(is_cjk_char);
        if i > 0 && !cjk_gap {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn is_cjk_char(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}
