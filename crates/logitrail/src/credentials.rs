//! Logitrail credentials: HTTP Basic with username `M-<merchant id>` and the shared secret.

use ordergate_runtime::{Auth, SecretString};

/// A Logitrail merchant's API credentials (different for test and production).
/// `Debug` shows the merchant id, never the secret.
#[derive(Clone, Debug)]
pub struct Credentials {
    merchant_id: String,
    secret: SecretString,
}

impl Credentials {
    /// Credentials from the Merchant ID (usually the shop's domain, e.g. `logitrail.com`) and
    /// the shared secret. The `M-` prefix of the Basic-auth username is added here.
    pub fn new(merchant_id: impl Into<String>, secret: impl Into<SecretString>) -> Self {
        Self {
            merchant_id: merchant_id.into(),
            secret: secret.into(),
        }
    }

    /// The Merchant ID, as given (the checkout form's `merchant`).
    pub(crate) fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    /// The shared secret (the API's Basic password and the checkout form's mac key).
    pub(crate) fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The Basic-auth username Logitrail expects: `M-<merchant id>`.
    pub fn username(&self) -> String {
        format!("M-{}", self.merchant_id)
    }
}

impl From<Credentials> for Auth {
    fn from(credentials: Credentials) -> Self {
        Auth::basic(credentials.username(), credentials.secret)
    }
}
