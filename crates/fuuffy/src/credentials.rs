//! Fuuffy credentials: an OAuth2 access token sent as `Authorization: Bearer <token>`.
#![warn(missing_docs)]

use ordergate_runtime::{Auth, ClientConfig, ConfigError, SecretString};

use crate::Client;

/// A Fuuffy access token (valid one hour; get one from `POST /v1/auth/token` with
/// [`Client::create_access_token`]). `Debug` never shows it.
#[derive(Clone, Debug)]
pub struct Credentials {
    access_token: SecretString,
}

impl Credentials {
    /// Credentials from an access token.
    pub fn access_token(token: impl Into<SecretString>) -> Self {
        Self {
            access_token: token.into(),
        }
    }
}

impl From<Credentials> for Auth {
    fn from(credentials: Credentials) -> Self {
        Auth::bearer(credentials.access_token)
    }
}

impl Client {
    /// A client for `base_url` (e.g. [`PRODUCTION_BASE_URL`](crate::PRODUCTION_BASE_URL)) that
    /// sends `credentials` with every request, with the default [`ClientConfig`].
    ///
    /// # Errors
    /// [`ConfigError`] for an invalid base URL, a token that is not a valid header value, or
    /// plain `http://` to a host that is not loopback.
    pub fn with_credentials(base_url: &str, credentials: Credentials) -> Result<Self, ConfigError> {
        Self::connect(base_url, credentials, &ClientConfig::default())
    }
}
