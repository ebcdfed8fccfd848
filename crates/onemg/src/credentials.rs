//! Tata 1mg credentials: a bearer JWT plus the `X-Access-Key` header, both on every request.
#![warn(missing_docs)]

use ordergate_runtime::{Auth, SecretString};
use reqwest::header::HeaderName;

/// The header 1mg reads the merchant's access key from.
pub const ACCESS_KEY_HEADER: &str = "x-access-key";

/// A 1mg merchant's credentials: the JWT (RS256, signed with the key 1mg issues, about 15
/// minutes valid) and the access key. `Debug` never shows either.
#[derive(Clone, Debug)]
pub struct Credentials {
    jwt: SecretString,
    access_key: SecretString,
}

impl Credentials {
    /// Credentials from a signed JWT and the access key.
    pub fn new(jwt: impl Into<SecretString>, access_key: impl Into<SecretString>) -> Self {
        Self {
            jwt: jwt.into(),
            access_key: access_key.into(),
        }
    }
}

impl From<Credentials> for Auth {
    fn from(credentials: Credentials) -> Self {
        Auth::bearer(credentials.jwt).with_secret_header(
            HeaderName::from_static(ACCESS_KEY_HEADER),
            credentials.access_key,
        )
    }
}
