//! Credentials as header values that never print.

use std::fmt;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::{ConfigError, TokenCache};

/// One credential header, before it is turned into a sensitive [`HeaderValue`].
#[derive(Clone)]
enum Credential {
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// `Authorization: Basic base64(<username>:<password>)`.
    Basic {
        username: String,
        password: SecretString,
    },
    /// A secret sent verbatim in a header of its own (e.g. `X-Access-Key`).
    Secret(SecretString),
}

/// The credentials a client sends with every request.
///
/// Checked when a client is built, before anything is sent (the value is never shown in the
/// error): leading and trailing ASCII whitespace is removed (a trailing newline from a file or
/// `echo` is common); then a bearer token or a secret header must be at most 8 KiB and
/// visible ASCII only (no
/// space, no control character, no non-ASCII letter: header values are bytes, and a
/// non-ASCII character would be sent as raw UTF-8 or Latin-1 that the provider reads
/// differently), and a Basic username or password printable ASCII, the username without `:`
/// (RFC 7617). Every credential header is marked sensitive, whatever its name.
///
/// `Debug` shows only which headers carry credentials, never their values:
///
/// ```
/// use ordergate_runtime::Auth;
/// let auth = Auth::bearer("sk-live-123");
/// assert_eq!(format!("{auth:?}"), r#"Auth { headers: ["authorization"] }"#);
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    credentials: Vec<(HeaderName, Credential)>,
    /// `Authorization: Bearer` from a token that renews itself.
    token: Option<TokenCache>,
    /// Requests carry a secret in their body (a client secret sent to a token endpoint).
    secret_in_body: bool,
}

impl Auth {
    /// No credentials.
    pub fn none() -> Self {
        Self::default()
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<SecretString>) -> Self {
        Self::none().with(AUTHORIZATION, Credential::Bearer(token.into()))
    }

    /// `Authorization: Basic ...` (RFC 7617) from a username and a secret password. A
    /// username containing `:` is refused when the client is built.
    pub fn basic(username: impl Into<String>, password: impl Into<SecretString>) -> Self {
        Self::none().with(
            AUTHORIZATION,
            Credential::Basic {
                username: username.into(),
                password: password.into(),
            },
        )
    }

    /// `Authorization: Bearer <token>` with a token that renews itself: `cache` fetches it
    /// when none is valid (one token request, whose result every waiting call shares) and renews it
    /// shortly before it expires; on an HTTP 401 the transport drops it, fetches a new one and
    /// sends the request once more (see [`TokenCache`] and
    /// [`Transport::execute`](crate::Transport::execute)). A credential for the plain-HTTP
    /// guard, like any other.
    ///
    /// A provider crate builds the cache from its token operation (e.g.
    /// `ordergate_fuuffy::ClientCredentials`).
    pub fn token_source(cache: TokenCache) -> Self {
        Self {
            token: Some(cache),
            ..Self::none()
        }
    }

    /// No credential header, but the requests carry a secret in their body (a client secret
    /// sent to a token endpoint): the plain-HTTP guard applies as for any credential.
    pub fn secret_in_body() -> Self {
        Self {
            secret_in_body: true,
            ..Self::none()
        }
    }

    /// Adds a secret sent verbatim in header `name` (for example `x-access-key`).
    pub fn with_secret_header(self, name: HeaderName, secret: impl Into<SecretString>) -> Self {
        self.with(name, Credential::Secret(secret.into()))
    }

    fn with(mut self, name: HeaderName, credential: Credential) -> Self {
        self.credentials.retain(|(existing, _)| existing != name);
        if name == AUTHORIZATION {
            self.token = None;
        }
        self.credentials.push((name, credential));
        self
    }

    /// Whether no credential is set (no header, no token source, no secret in bodies).
    pub fn is_empty(&self) -> bool {
        self.credentials.is_empty() && self.token.is_none() && !self.secret_in_body
    }

    /// The token source, if any.
    pub(crate) fn token_cache(&self) -> Option<&TokenCache> {
        self.token.as_ref()
    }

    /// The header values to send, each marked sensitive (hidden from `Debug` and from
    /// HTTP/2 header compression tables), whatever the header's name.
    ///
    /// Every credential is checked first (see [`Auth`]'s rules); the value is never shown.
    pub(crate) fn header_values(&self) -> Result<Vec<(HeaderName, HeaderValue)>, ConfigError> {
        self.credentials
            .iter()
            .map(|(name, credential)| {
                let refuse = |reason: &'static str| ConfigError::InvalidCredential {
                    header: name.clone(),
                    reason,
                };
                let text = match credential {
                    Credential::Bearer(token) => {
                        format!("Bearer {}", token_text(token.expose_secret()).map_err(refuse)?)
                    }
                    Credential::Basic { username, password } => {
                        let username = basic_text(username).map_err(refuse)?;
                        if username.contains(':') {
                            return Err(refuse(
                                "has a username containing `:`, which Basic authentication (RFC 7617) cannot carry",
                            ));
                        }
                        let password = basic_text(password.expose_secret()).map_err(refuse)?;
                        let pair = format!("{username}:{password}");
                        format!(
                            "Basic {}",
                            base64::engine::general_purpose::STANDARD.encode(pair)
                        )
                    }
                    Credential::Secret(secret) => {
                        token_text(secret.expose_secret()).map_err(refuse)?.to_owned()
                    }
                };
                let mut value = HeaderValue::from_str(&text)
                    .map_err(|_| refuse("is not a valid header value"))?;
                value.set_sensitive(true);
                Ok((name.clone(), value))
            })
            .collect()
    }
}

/// Leading and trailing ASCII whitespace removed (a newline from a file or `echo`).
fn trimmed(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii_whitespace())
}

/// The longest token or secret header value sent: 8 KiB. Servers commonly refuse a request
/// whose headers exceed 8 KiB (nginx's default buffer, for one), so a longer token could never
/// authorize a call; refusing it before sending says why.
pub(crate) const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// A token or a secret header value: visible ASCII only, at most [`MAX_TOKEN_BYTES`], after
/// trimming.
pub(crate) fn token_text(text: &str) -> Result<&str, &'static str> {
    let text = trimmed(text);
    if text.is_empty() {
        return Err("is empty");
    }
    if text.len() > MAX_TOKEN_BYTES {
        return Err("is longer than 8 KiB (8192 bytes), more than a header value can carry");
    }
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "contains a character other than visible ASCII (a non-ASCII letter, a space or a control character)",
        );
    }
    Ok(text)
}

/// A Basic username or password: printable ASCII (spaces allowed inside), after trimming.
fn basic_text(text: &str) -> Result<&str, &'static str> {
    let text = trimmed(text);
    if !text.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return Err(
            "contains a character other than printable ASCII (a non-ASCII letter or a control character)",
        );
    }
    Ok(text)
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.credentials.iter().map(|(n, _)| n.as_str()).collect();
        if self.token.is_some() {
            names.push(AUTHORIZATION.as_str());
        }
        let mut shown = f.debug_struct("Auth");
        shown.field("headers", &names);
        if let Some(token) = &self.token {
            shown.field("token", token);
        }
        if self.secret_in_body {
            shown.field("secret_in_body", &true);
        }
        shown.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_rfc_7617_and_sensitive() {
        let values = Auth::basic("M-shop.example", "s3cret")
            .header_values()
            .expect("valid credentials");
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].0, AUTHORIZATION);
        // base64("M-shop.example:s3cret")
        assert_eq!(values[0].1, "Basic TS1zaG9wLmV4YW1wbGU6czNjcmV0");
        assert!(values[0].1.is_sensitive());
        assert_eq!(format!("{:?}", values[0].1), "Sensitive");
    }

    #[test]
    fn a_header_breaking_secret_is_refused_without_echoing_it() {
        let error = Auth::bearer("line\nbreak")
            .header_values()
            .expect_err("newline is not a header value");
        let text = format!("{error} {error:?}");
        assert!(text.contains("authorization"), "{text}");
        assert!(!text.contains("line"), "{text}");
    }

    #[test]
    fn debug_never_shows_values() {
        let auth = Auth::bearer("tok-123")
            .with_secret_header(HeaderName::from_static("x-access-key"), "key-456");
        let shown = format!("{auth:?} {auth:#?}");
        assert!(
            !shown.contains("tok-123") && !shown.contains("key-456"),
            "{shown}"
        );
        assert!(shown.contains("x-access-key"));
    }

    #[test]
    fn credentials_are_checked_before_anything_is_sent() {
        let refused = |auth: Auth| {
            let error = auth.header_values().expect_err("refused");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("SECRET"), "{shown}");
            shown
        };
        for token in [
            "SECRET\u{e9}",
            "SECRET\u{a0}",
            "\u{201c}SECRET\u{201d}",
            "SE CRET",
            "SECRET\x7f",
            "SECRET\u{85}",
            "",
            "  \n",
        ] {
            refused(Auth::bearer(token));
            refused(
                Auth::none().with_secret_header(HeaderName::from_static("x-access-key"), token),
            );
        }
        let shown = refused(Auth::basic("M-shop:SECRET", "pw"));
        assert!(shown.contains("RFC 7617"), "{shown}");
        refused(Auth::basic("M-shop", "SECRET\u{e9}"));
        refused(Auth::basic("M-sh\nop", "pw"));
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        let values = Auth::bearer(" tok-1\n")
            .with_secret_header(HeaderName::from_static("x-access-key"), "\tkey-2\r\n")
            .header_values()
            .expect("valid after trimming");
        assert_eq!(values[0].1, "Bearer tok-1");
        assert_eq!(values[1].1, "key-2");
        let basic = Auth::basic("M-shop\n", "s3cret\n")
            .header_values()
            .expect("valid after trimming");
        // base64("M-shop:s3cret")
        assert_eq!(basic[0].1, "Basic TS1zaG9wOnMzY3JldA==");
    }
}
