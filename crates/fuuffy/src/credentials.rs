//! Fuuffy credentials: an OAuth2 access token sent as `Authorization: Bearer <token>`.

use ordergate_runtime::{Auth, SecretString};

/// A Fuuffy access token (valid one hour; get one from `POST /v1/auth/token` with
/// [`Client::create_access_token`](crate::Client::create_access_token)). `Debug` never shows it.
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
