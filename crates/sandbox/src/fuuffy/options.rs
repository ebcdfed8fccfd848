//! The Fuuffy fake's own options, under [`SandboxOptions::fuuffy`](crate::SandboxOptions::fuuffy).

use std::time::Duration;

use crate::webhook::WebhookTarget;

/// How long a Fuuffy access token issued by the sandbox stays valid by default: one hour, as
/// the authentication page documents (`expires_in: 3600`).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The Fuuffy fake's options: the lifetime of the tokens it issues and where it sends its
/// webhooks. Pass them with [`SandboxOptions::fuuffy`](crate::SandboxOptions::fuuffy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuuffyOptions {
    pub(crate) token_lifetime: Duration,
    pub(crate) webhook: Option<WebhookTarget>,
}

impl Default for FuuffyOptions {
    /// [`TOKEN_LIFETIME`] and no webhooks.
    fn default() -> Self {
        Self {
            token_lifetime: TOKEN_LIFETIME,
            webhook: None,
        }
    }
}

impl FuuffyOptions {
    /// How long a Fuuffy access token issued by `POST /v1/auth/token` stays valid (its
    /// `expires_in`); after that, calls with it get HTTP 401 `invalid_token`. Default
    /// [`TOKEN_LIFETIME`] (one hour); a test of token refresh sets a second or two. The fixed
    /// [`TOKEN`](super::TOKEN) never expires.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Sends every Fuuffy order event (`order.created`, `order.picked_up`,
    /// `order.in_transit`, `order.delivered`) as a signed `WebhookEvent` POSTed to `url`, with
    /// the header `X-Fuuffy-Signature` computed with `secret` (see
    /// [`ordergate_fuuffy::webhook`]). Deliveries are made in the background and recorded
    /// ([`Sandbox::webhook_deliveries`](crate::Sandbox::webhook_deliveries)); they never
    /// delay or fail an API call. Default: no webhooks.
    #[must_use]
    pub fn webhook(mut self, url: impl Into<String>, secret: impl Into<String>) -> Self {
        self.webhook = Some(WebhookTarget {
            url: url.into(),
            secret: secret.into(),
        });
        self
    }
}
