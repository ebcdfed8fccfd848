//! FastPOD credentials: an API token sent as `Authorization: Bearer <token>`. (The
//! `Accept: application/json` header FastPOD requires is sent by the generated client on every
//! operation.)
#![warn(missing_docs)]

use ordergate_runtime::{Auth, ClientConfig, ConfigError, SecretString};

use crate::Client;

/// A FastPOD API token. `Debug` never shows it.
#[derive(Clone, Debug)]
pub struct Credentials {
    token: SecretString,
}

impl Credentials {
    /// Credentials from an API token.
    pub fn api_token(token: impl Into<SecretString>) -> Self {
        Self {
            token: token.into(),
        }
    }
}

impl From<Credentials> for Auth {
    fn from(credentials: Credentials) -> Self {
        Auth::bearer(credentials.token)
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
