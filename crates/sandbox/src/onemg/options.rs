//! The 1mg fake's own options, under [`SandboxOptions::onemg`](crate::SandboxOptions::onemg).

use std::fmt;
use std::time::Duration;

use crate::SandboxOptions;

/// How long the fake waits for the merchant's transaction status API by default (connecting,
/// sending and reading the whole answer) before it refuses the confirm.
pub const TRANSACTION_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest answer the fake reads from the merchant's transaction status API: a
/// `TransactionStatus` is a few dozen bytes; a longer answer is refused unread.
pub const MAX_TRANSACTION_BYTES: usize = 64 * 1024;

/// The placeholder of [`OnemgOptions::transaction_api`]'s URL template that the merchant
/// order id replaces.
pub const TRANSACTION_ID: &str = "{transaction_id}";

/// A URL the fake calls with a header token the merchant configured. `Debug` never shows the
/// token.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct MerchantEndpoint {
    pub(crate) url: String,
    pub(crate) header: &'static str,
    pub(crate) token: String,
}

impl fmt::Debug for MerchantEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MerchantEndpoint")
            .field("url", &self.url)
            .field("header", &self.header)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The 1mg fake's options: the merchant's transaction status API, the order-update webhook,
/// and the public key bearer JWTs are checked with. Pass them with
/// [`SandboxOptions::onemg`](crate::SandboxOptions::onemg).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnemgOptions {
    pub(crate) transactions: Option<MerchantEndpoint>,
    pub(crate) transaction_timeout: Duration,
    pub(crate) webhook: Option<MerchantEndpoint>,
    pub(crate) public_key_pem: Option<String>,
}

impl Default for OnemgOptions {
    fn default() -> Self {
        Self {
            transactions: None,
            transaction_timeout: TRANSACTION_TIMEOUT,
            webhook: None,
            public_key_pem: None,
        }
    }
}

impl OnemgOptions {
    /// Confirm Order checks an ONLINE order's payment with the merchant's transaction status
    /// API, as 1mg does ("Merchant Payment Solution" guide, <https://onedoc.1mg.com/public_docs/>):
    /// `GET url_template` with [`TRANSACTION_ID`] replaced by the order's merchant order id
    /// (1mg's transaction id), with `header: token`. The order is confirmed only when the
    /// answer is a `TransactionStatus` about that transaction whose `status` is `SUCCESS`.
    /// Default: no transaction API; the fake approves every payment itself, so the seeded
    /// ONLINE orders confirm without setup.
    #[must_use]
    pub fn transaction_api(
        mut self,
        url_template: impl Into<String>,
        header: &'static str,
        token: impl Into<String>,
    ) -> Self {
        self.transactions = Some(MerchantEndpoint {
            url: url_template.into(),
            header,
            token: token.into(),
        });
        self
    }

    /// How long a call to the transaction status API may take in all (default
    /// [`TRANSACTION_TIMEOUT`]).
    #[must_use]
    pub fn transaction_timeout(mut self, timeout: Duration) -> Self {
        self.transaction_timeout = timeout;
        self
    }

    /// Sends 1mg's order-update webhook ("Merchant Order Updates" guide,
    /// <https://onedoc.1mg.com/public_docs/>) to `url` each time an order takes a status: an
    /// HTTP POST of an `OrderUpdate`, `{"grouped_orders": [...]}`, with `header: token`, the
    /// token the merchant shares with 1mg. Deliveries are made in the background and recorded
    /// ([`Sandbox::webhook_deliveries`](crate::Sandbox::webhook_deliveries)); they never delay
    /// or fail an API call. Default: no webhooks.
    #[must_use]
    pub fn webhook(
        mut self,
        url: impl Into<String>,
        header: &'static str,
        token: impl Into<String>,
    ) -> Self {
        self.webhook = Some(MerchantEndpoint {
            url: url.into(),
            header,
            token: token.into(),
        });
        self
    }

    /// Checks bearer JWTs with the RSA public key in `pem` (`-----BEGIN PUBLIC KEY-----` or
    /// `-----BEGIN RSA PUBLIC KEY-----`, 2048 to 8192 bits) instead of the sandbox's own
    /// ([`SANDBOX_PUBLIC_KEY_PEM`](super::SANDBOX_PUBLIC_KEY_PEM)); [`TOKEN`](super::TOKEN)
    /// is then refused. A PEM that holds no such key makes every request unauthorized.
    #[must_use]
    pub fn public_key(mut self, pem: impl Into<String>) -> Self {
        self.public_key_pem = Some(pem.into());
        self
    }
}

impl SandboxOptions {
    /// The Tata 1mg fake's options (default: no transaction API, no webhooks, the sandbox's
    /// key pair).
    #[must_use]
    pub fn onemg(mut self, options: OnemgOptions) -> Self {
        self.onemg = options;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_tokens() {
        let options = OnemgOptions::default()
            .transaction_api(
                "http://127.0.0.1:1/t/{transaction_id}",
                "x-api-key",
                "tx-123",
            )
            .webhook("http://127.0.0.1:1/hook", "x-webhook-token", "wh-456");
        let printed = format!("{options:?}");
        assert!(
            !printed.contains("tx-123") && !printed.contains("wh-456"),
            "{printed}"
        );
        assert!(printed.contains("x-webhook-token"), "{printed}");
    }
}
