//! Transport settings with documented defaults.

use std::time::Duration;

/// How a provider client talks HTTP. Every field has a documented default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Time allowed to establish a TCP + TLS connection. Default: 5 seconds.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, from sending to the last byte of the response.
    /// Default: 30 seconds.
    pub request_timeout: Duration,
    /// Send credentials over plain `http://` to a host that is not loopback. Default: `false`,
    /// so a typo such as `http://api.example.com` is refused before anything is sent.
    pub allow_insecure_http: bool,
    /// The `User-Agent` header. Default: `ordergate/<version>`.
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            allow_insecure_http: false,
            user_agent: concat!("ordergate/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl ClientConfig {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the whole-request timeout.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Allows (or forbids) credentials over plain HTTP to non-loopback hosts.
    pub fn with_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }
}
