//! FastPOD credentials: an API token sent as `Authorization: Bearer <token>`. (The
//! `Accept: application/json` header FastPOD requires is sent by the generated client on every
//! operation.)

use ordergate_runtime::{Auth, SecretString};

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
