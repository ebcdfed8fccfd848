//! Making text from a provider safe to print for people: control characters escaped, length
//! bounded.
//!
//! A provider's strings (its error message, an order id, a tracking URL) are not ours: printed
//! raw, an escape sequence in them sets the terminal title or clears the screen, a newline forges
//! a line of our output, a bidi override reorders what is shown, and a multi-megabyte message
//! floods the terminal. [`printable`] escapes; [`shown`] escapes and bounds what people see;
//! [`cut`] bounds what `--json` prints, and [`json_safe`] escapes there what `serde_json` leaves
//! raw.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// The most bytes one provider string takes in output, the note saying it was cut included:
/// as sent with `--json` ([`cut`]), as printed (escaped) for people ([`shown`]). The same as
/// the library's own bound on error messages, so a message it already cut passes unchanged.
pub(crate) const LIMIT: usize = 4096;

/// Room kept under [`LIMIT`] for the note of a cut string (`… (message cut: N bytes in all)`),
/// so that a cut string is within the limit and cutting it again changes nothing.
const NOTE_ROOM: usize = 96;

/// How a character that must not reach a terminal raw is written instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// `\n`, `\r`, `\t`.
    Short(char),
    /// Other ASCII controls and DEL: `\x1b`.
    Ascii(u8),
    /// C1 controls, bidi controls and Unicode line separators: `\u{202e}`.
    Unicode(u32),
}

impl Escape {
    /// The escape of `c`, or `None` when `c` is printed as it is.
    fn of(c: char) -> Option<Self> {
        match c {
            '\n' => Some(Self::Short('n')),
            '\r' => Some(Self::Short('r')),
            '\t' => Some(Self::Short('t')),
            // C0 controls and DEL.
            '\u{0}'..='\u{1f}' | '\u{7f}' => Some(Self::Ascii(c as u8)),
            // C1 controls (CSI, OSC, NEL, ...).
            '\u{80}'..='\u{9f}'
            // Bidi controls: the arabic letter mark, LRM and RLM, the embeddings and overrides
            // (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI, FSI, PDI).
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            // Line and paragraph separators, which some terminals and viewers break lines at.
            | '\u{2028}'
            | '\u{2029}' => Some(Self::Unicode(u32::from(c))),
            _ => None,
        }
    }

    /// The length of the escape in bytes.
    fn len(self) -> usize {
        match self {
            Self::Short(_) => 2,
            Self::Ascii(_) => 4,
            // `\u{` + hex digits + `}`.
            Self::Unicode(code) => {
                let digits = (32 - code.leading_zeros()).div_ceil(4).max(1);
                4 + digits as usize
            }
        }
    }
}

impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Short(c) => write!(f, "\\{c}"),
            Self::Ascii(byte) => write!(f, "\\x{byte:02x}"),
            Self::Unicode(code) => write!(f, "\\u{{{code:x}}}"),
        }
    }
}

/// The bytes `c` takes once escaped by [`printable`].
fn printed_len(c: char) -> usize {
    Escape::of(c).map_or(c.len_utf8(), Escape::len)
}

/// `text` with every control character escaped visibly and unambiguously: `\n`, `\r`, `\t`,
/// `\x1b` for the other C0 controls and DEL, `\u{85}` for C1 controls, `\u{202e}` for bidi
/// controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the Unicode line and
/// paragraph separators. Nothing else is escaped: a backslash or a quote is printed as sent,
/// so a provider's JSON body reads as the JSON it is (its own `\"` once, not `\\\"`). Borrows
/// `text` (no allocation) when nothing needs escaping.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(|c| Escape::of(c).is_some()) else {
        return Cow::Borrowed(text);
    };
    let (clean, rest) = text.split_at(first);
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(clean);
    for c in rest.chars() {
        match Escape::of(c) {
            Some(escape) => {
                let _ = write!(out, "{escape}");
            }
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` bounded to [`LIMIT`] bytes, for `--json`: a longer text is cut at a character
/// boundary and ends with `… (<what> cut: <N> bytes in all)`, N being its original length.
/// Borrows `text` when it is within the bound; cutting a cut text again changes nothing.
pub(crate) fn cut<'a>(text: &'a str, what: &str) -> Cow<'a, str> {
    if text.len() <= LIMIT {
        return Cow::Borrowed(text);
    }
    cut_by(text, what, char::len_utf8)
}

/// [`cut`] for an owned string, reusing it when it is within the bound.
pub(crate) fn cut_owned(text: String, what: &str) -> String {
    let shortened = match cut(&text, what) {
        Cow::Owned(shortened) => Some(shortened),
        Cow::Borrowed(_) => None,
    };
    shortened.unwrap_or(text)
}

/// `text` as people see it: [`printable`], and at most [`LIMIT`] bytes so: a text whose
/// escaped form is longer is cut first, at a character boundary, and ends with
/// `… (<what> cut: <N> bytes in all)`, N being its original length. Borrows `text` when it
/// is within the bound and nothing needs escaping.
pub(crate) fn shown<'a>(text: &'a str, what: &str) -> Cow<'a, str> {
    // Quick: escaping makes a text at most four times as long (`\x1b` for one byte; C1 and
    // bidi escapes take at most 3 and 8/3 bytes a byte).
    if text.len().saturating_mul(4) <= LIMIT {
        return printable(text);
    }
    match cut_by(text, what, printed_len) {
        Cow::Borrowed(text) => printable(text),
        Cow::Owned(text) => Cow::Owned(printable(&text).into_owned()),
    }
}

/// `text` cut so that it costs at most [`LIMIT`], each character costing `cost`, noted
/// with its original length (see [`original_len`]).
fn cut_by<'a>(text: &'a str, what: &str, cost: impl Fn(char) -> usize) -> Cow<'a, str> {
    debug_assert!(what.len() <= 32, "the note of a cut must fit in NOTE_ROOM");
    let mut used = 0;
    let mut keep = None;
    for (at, c) in text.char_indices() {
        used += cost(c);
        if keep.is_none() && used > LIMIT - NOTE_ROOM {
            keep = Some(at);
        }
        if used > LIMIT {
            let end = keep.unwrap_or(at);
            return Cow::Owned(format!(
                "{}… ({what} cut: {} bytes in all)",
                &text[..end],
                original_len(text)
            ));
        }
    }
    Cow::Borrowed(text)
}

/// The length of `text` before any cut: what a note of an earlier cut (the library's
/// `... (cut: N bytes in all)` or ours) at its end states, else its own length. A note is
/// believed only where a cut could have left it: on a text within [`LIMIT`] that it says was
/// longer.
fn original_len(text: &str) -> usize {
    let stated = || {
        let rest = text.strip_suffix(" bytes in all)")?;
        let head = rest.trim_end_matches(|c: char| c.is_ascii_digit());
        if !head.ends_with("cut: ") {
            return None;
        }
        rest[head.len()..].parse::<usize>().ok()
    };
    match stated() {
        Some(stated) if text.len() <= LIMIT && stated > text.len() => stated,
        _ => text.len(),
    }
}

/// Serialized JSON with the characters `serde_json` leaves raw but a terminal may act on (DEL,
/// C1 controls, bidi controls, the Unicode line separators) written as `\uXXXX` escapes: the
/// same JSON value, safe to show. (`serde_json` escapes C0 controls itself; outside strings,
/// JSON text is ASCII, so every such character is inside a string.) Returns `json` itself when
/// there is nothing to escape.
pub(crate) fn json_safe(json: String) -> String {
    let raw = |c: char| matches!(Escape::of(c), Some(Escape::Ascii(_) | Escape::Unicode(_)));
    if !json.contains(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            // Every such character is in the Basic Multilingual Plane: one `\uXXXX`.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_control(c: char) -> bool {
        Escape::of(c).is_some()
    }

    #[test]
    fn plain_text_is_borrowed_not_copied() {
        for text in [
            "",
            "Order not found",
            "小編姐姐 — ok",
            "https://t.example/?a=1&b=2",
        ] {
            assert!(matches!(printable(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(cut(text, "message"), Cow::Borrowed(t) if t == text));
            assert!(matches!(shown(text, "message"), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn control_characters_are_escaped_visibly() {
        let cases = [
            ("a\nb", r"a\nb"),
            ("a\r\tb", r"a\r\tb"),
            ("\x1b]0;title\x07", r"\x1b]0;title\x07"),
            ("\x1b[2J", r"\x1b[2J"),
            ("\0\x7f", r"\x00\x7f"),
            ("\u{85}\u{9b}31m", r"\u{85}\u{9b}31m"),
            ("abc\u{202e}fed", r"abc\u{202e}fed"),
            (
                "\u{61c}\u{200e}\u{200f}\u{202a}\u{2066}\u{2069}",
                r"\u{61c}\u{200e}\u{200f}\u{202a}\u{2066}\u{2069}",
            ),
            ("\u{2028}\u{2029}", r"\u{2028}\u{2029}"),
            // Backslashes and quotes as sent: a JSON body is printed once.
            ("C:\\dir", r"C:\dir"),
            (r#"{"a": "b \"c\""}"#, r#"{"a": "b \"c\""}"#),
            ("é\u{a0}ü", "é\u{a0}ü"),
        ];
        for (raw, expected) in cases {
            assert_eq!(printable(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn every_control_character_is_escaped() {
        let all: String = (0..=0x3000u32).filter_map(char::from_u32).collect();
        let out = printable(&all);
        let leaked: Vec<char> = out.chars().filter(|&c| is_control(c)).collect();
        assert!(leaked.is_empty(), "{leaked:?}");
        for c in ('\0'..='\u{1f}').chain('\u{7f}'..='\u{9f}') {
            assert!(is_control(c), "{c:?}");
        }
    }

    #[test]
    fn escape_lengths_are_what_is_written() {
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            let mut one = [0; 4];
            assert_eq!(
                printable(c.encode_utf8(&mut one)).len(),
                printed_len(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn long_text_is_cut_at_a_char_boundary_with_its_length() {
        let text = "é".repeat(3 * 1024 * 1024);
        for out in [cut(&text, "message"), shown(&text, "message")] {
            assert!(out.len() <= LIMIT, "{}", out.len());
            assert!(
                out.ends_with("é… (message cut: 6291456 bytes in all)"),
                "{out}"
            );
            assert!(out.starts_with("éé"));
            assert!(out.len() > LIMIT - NOTE_ROOM);
        }
    }

    #[test]
    fn what_people_see_is_bounded_once_escaped() {
        for text in [
            "\x1b".repeat(5_000_000),
            "\u{202e}".repeat(100_000),
            "a\n".repeat(10_000),
            "x".repeat(LIMIT + 1),
            "\x1b".repeat(LIMIT),
        ] {
            let seen = shown(&text, "message");
            assert!(seen.len() <= LIMIT, "{}", seen.len());
            assert!(!seen.chars().any(is_control));
            assert!(
                seen.ends_with(&format!("(message cut: {} bytes in all)", text.len())),
                "{seen}"
            );
            // Showing what was shown escapes it again (backslashes) but cuts nothing more.
            let cut_once = cut_by(&text, "message", printed_len);
            assert!(matches!(
                cut_by(&cut_once, "message", printed_len),
                Cow::Borrowed(_)
            ));
        }
    }

    #[test]
    fn a_cut_for_json_is_within_the_limit_and_cutting_again_changes_nothing() {
        for text in ["\x1b".repeat(5_000_000), "x".repeat(LIMIT + 1)] {
            let once = cut(&text, "message");
            assert!(once.len() <= LIMIT, "{}", once.len());
            assert!(once.ends_with(&format!("(message cut: {} bytes in all)", text.len())));
            assert!(matches!(cut(&once, "message"), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn text_at_the_limit_is_kept_whole() {
        let text = "x".repeat(LIMIT);
        assert!(matches!(cut(&text, "message"), Cow::Borrowed(_)));
        assert!(matches!(shown(&text, "message"), Cow::Borrowed(_)));
        let escaped = "\n".repeat(LIMIT / 2);
        assert!(matches!(cut(&escaped, "message"), Cow::Borrowed(_)));
        assert_eq!(shown(&escaped, "message"), r"\n".repeat(LIMIT / 2));
        let over = "\n".repeat(LIMIT / 2 + 1);
        assert!(shown(&over, "message").ends_with("(message cut: 2049 bytes in all)"));
    }

    #[test]
    fn an_earlier_cut_keeps_its_original_length() {
        // The library cuts messages to 4096 bytes with its own note; escaped for people, such
        // a message can be longer and is cut again, still saying how long the original was.
        let note = "... (cut: 5242880 bytes in all)";
        let library = format!("{}{note}", "\x1b".repeat(LIMIT - note.len()));
        let seen = shown(&library, "message");
        assert!(seen.len() <= LIMIT);
        assert!(
            seen.ends_with("… (message cut: 5242880 bytes in all)"),
            "{seen}"
        );
        // Unchanged for JSON: it is within the bound.
        assert!(matches!(cut(&library, "message"), Cow::Borrowed(_)));
        // A note is believed only where a cut could have left it.
        let long = format!("{}(cut: 99999999 bytes in all)", "y".repeat(LIMIT));
        assert!(cut(&long, "message").ends_with(&format!("cut: {} bytes in all)", long.len())));
        let short = format!("{}(cut: 12 bytes in all)", "\x1b".repeat(LIMIT - 30));
        assert!(shown(&short, "message").ends_with(&format!("cut: {} bytes in all)", short.len())));
    }

    #[test]
    fn json_keeps_its_value_and_loses_raw_controls() {
        let value = serde_json::json!({
            "message": "\x1b[2J\u{9b}31m\u{7f}\u{202e}\u{2066}\u{2029}\\ok\n",
            "plain": "小編",
        });
        let json = json_safe(serde_json::to_string(&value).expect("serializes"));
        assert!(!json.chars().any(is_control), "{json}");
        assert!(
            json.contains(r"\u009b") && json.contains(r"\u202e"),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(back, value);

        let plain = String::from(r#"{"a":"b"}"#);
        let pointer = plain.as_ptr();
        let kept = json_safe(plain);
        assert_eq!(kept.as_ptr(), pointer);
    }

    #[test]
    fn cut_owned_reuses_short_strings() {
        let text = String::from("short");
        let pointer = text.as_ptr();
        let kept = cut_owned(text, "message");
        assert_eq!(kept.as_ptr(), pointer);
        assert!(
            cut_owned("y".repeat(LIMIT * 2), "code").ends_with("(code cut: 8192 bytes in all)")
        );
    }
}
