//! Text from users and servers made safe to put in an error: no userinfo, bounded length.

use std::borrow::Cow;

/// The longest base URL an error echoes, in characters.
const URL_ECHO_CHARS: usize = 256;

/// `text` (a URL as given, parsable or not) with any userinfo (`user:password@`) of its
/// authority replaced by `***`, cut to a few hundred characters. Works on text that does not
/// parse as a URL, so that no error built from it can echo a password.
pub(crate) fn base_url(text: &str) -> String {
    excerpt(&without_userinfo(text), URL_ECHO_CHARS).into_owned()
}

/// `url` without its userinfo: `https://user:pw@host/x` → `https://***@host/x`.
pub fn without_userinfo(url: &str) -> Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &url[..start], &rest[at..])),
        None => Cow::Borrowed(url),
    }
}

/// `text` cut to at most `max_chars` characters, with `...` when cut.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => Cow::Owned(format!("{}...", &text[..cut])),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_never_survives() {
        for (given, shown) in [
            ("ftp://user:PW@host/x", "ftp://***@host/x"),
            ("https://a:b@c@host:1/p?q#f", "https://***@host:1/p?q#f"),
            ("https://host/path@x", "https://host/path@x"),
            ("user:PW@host", "***@host"),
            ("https:\\\\user:PW@host", "***@host"),
            ("https://:PW@host", "https://***@host"),
            ("https://host", "https://host"),
        ] {
            assert_eq!(without_userinfo(given), shown, "{given}");
            assert!(!base_url(given).contains("PW"), "{given}");
        }
        let long = format!("https://host/{}", "a".repeat(10_000));
        assert!(base_url(&long).chars().count() <= URL_ECHO_CHARS + 3);
    }
}
