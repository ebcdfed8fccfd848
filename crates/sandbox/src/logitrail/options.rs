//! The Logitrail fake's own options, under
//! [`SandboxOptions::logitrail`](crate::SandboxOptions::logitrail).

use std::fmt;

/// Where the Logitrail fake sends its webhooks, and the HTTP Basic credentials the merchant
/// configured for them. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct WebhookTarget {
    pub(crate) url: String,
    pub(crate) username: String,
    pub(crate) password: String,
}

impl fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The Logitrail fake's options: where it sends its webhooks. Pass them with
/// [`SandboxOptions::logitrail`](crate::SandboxOptions::logitrail).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogitrailOptions {
    pub(crate) webhook: Option<WebhookTarget>,
}

impl LogitrailOptions {
    /// Sends every Logitrail event (`order.info.change`, `order.shipped`, the inbound
    /// shipment events, `product.inventory.change`, `product.info.change`) to `url` as
    /// Logitrail does
    /// (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>):
    /// an HTTP POST whose body is a JSON array of at most 100 events, with
    /// `Authorization: Basic` of `username` : `password`, the credentials the merchant
    /// configured for the webhook (check them with `ordergate_logitrail`'s inbound layer).
    /// Deliveries are made in the background and recorded
    /// ([`Sandbox::webhook_deliveries`](crate::Sandbox::webhook_deliveries)); they never
    /// delay or fail an API call. Default: no webhooks.
    #[must_use]
    pub fn webhook(
        mut self,
        url: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.webhook = Some(WebhookTarget {
            url: url.into(),
            username: username.into(),
            password: password.into(),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let options =
            LogitrailOptions::default().webhook("http://127.0.0.1:1/hook", "hook", "pw-123");
        let printed = format!("{options:?}");
        assert!(!printed.contains("pw-123"), "{printed}");
        assert!(printed.contains("hook"), "{printed}");
    }
}
