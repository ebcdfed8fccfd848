//! Credentials as header values that never print.

use std::fmt;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::ConfigError;

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

    /// `Authorization: Basic ...` (RFC 7617) from a username and a secret password.
    pub fn basic(username: impl Into<String>, password: impl Into<SecretString>) -> Self {
        Self::none().with(
            AUTHORIZATION,
            Credential::Basic {
                username: username.into(),
                password: password.into(),
            },
        )
    }

    /// Adds a secret sent verbatim in header `name` (for example `x-access-key`).
    pub fn with_secret_header(self, name: HeaderName, secret: impl Into<SecretString>) -> Self {
        self.with(name, Credential::Secret(secret.into()))
    }

    fn with(mut self, name: HeaderName, credential: Credential) -> Self {
        self.credentials.retain(|(existing, _)| existing != name);
        self.credentials.push((name, credential));
        self
    }

    /// Whether any credential is set.
    pub fn is_empty(&self) -> bool {
        self.credentials.is_empty()
    }

    /// The header values to send, each marked sensitive (hidden from `Debug` and from
    /// HTTP/2 header compression tables).
    pub(crate) fn header_values(&self) -> Result<Vec<(HeaderName, HeaderValue)>, ConfigError> {
        self.credentials
            .iter()
            .map(|(name, credential)| {
                let text = match credential {
                    Credential::Bearer(token) => format!("Bearer {}", token.expose_secret()),
                    Credential::Basic { username, password } => {
                        let pair = format!("{username}:{}", password.expose_secret());
                        format!(
                            "Basic {}",
                            base64::engine::general_purpose::STANDARD.encode(pair)
                        )
                    }
                    Credential::Secret(secret) => secret.expose_secret().to_owned(),
                };
                let mut value =
                    HeaderValue::from_str(&text).map_err(|_| ConfigError::InvalidCredential {
                        header: name.clone(),
                    })?;
                value.set_sensitive(true);
                Ok((name.clone(), value))
            })
            .collect()
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.credentials.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Auth").field("headers", &names).finish()
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
}
