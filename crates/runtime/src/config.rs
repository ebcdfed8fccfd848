//! Transport settings with documented defaults.

use std::time::Duration;

/// How a provider client talks HTTP. Every field has a documented default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Time allowed to establish a TCP + TLS connection. Default: 5 seconds.
    pub connect_timeout: Duration,
    /// The deadline of a whole call: every attempt, every wait between attempts (backoff and
    /// `Retry-After`) and reading the last response's body all end within it. A retry or a
    /// `Retry-After` wait that would end past it is not started: the last response or error
    /// is returned instead. Default: 30 seconds.
    pub timeout: Duration,
    /// An optional bound on each attempt (connect, send, and read the whole response), within
    /// [`timeout`](Self::timeout). Default: `None` (each attempt may use what is left of the
    /// deadline).
    pub attempt_timeout: Option<Duration>,
    /// Send credentials over plain `http://` to a host that is not loopback. Default: `false`,
    /// so a typo such as `http://api.example.com` is refused before anything is sent.
    pub allow_insecure_http: bool,
    /// The `User-Agent` header. Default: `ordergate/<version>`.
    pub user_agent: String,
    /// The largest response body accepted, in bytes. Default: 10 MiB. A larger body is refused
    /// as it streams in (or at once, when `Content-Length` announces it), never buffered whole.
    pub max_response_bytes: u64,
    /// When and how requests are retried. Default: [`RetryPolicy::default`].
    pub retry: RetryPolicy,
    /// A second base URL serving the same API (a provider's redundant host, such as
    /// Logitrail's `api-2`), or `None` (the default). When set, each retry goes to the other
    /// host than the attempt before it. Failover adds no retry: a request is sent to the other
    /// host only when [`retry`](Self::retry) would send it again anyway, so an operation that
    /// changes state fails over only when nothing reached the first host (the connection
    /// could not be made). It is checked as the base URL is, when the client is built.
    pub failover_base_url: Option<String>,
}

/// Retries that respect idempotency.
///
/// Every retry happens within the call's deadline ([`ClientConfig::timeout`]): a wait that
/// would end past it is not started.
///
/// - Reads (`GET`, `HEAD`) are retried on connection errors, timeouts and HTTP 429, 502, 503
///   and 504, with exponential backoff and full jitter, honouring `Retry-After` (seconds or an
///   HTTP date) when it is at most [`max_retry_after`](Self::max_retry_after); a longer wait is
///   returned to the caller, not slept through.
/// - Anything else (a confirm, a status update) is retried only when it provably never reached
///   the server: the connection could not be established (refused, DNS failure, TLS failure).
///   After a timeout or a connection dropped once the request was sent, it is never resent.
/// - Redirects are never followed, by any request: a `3xx` is returned as it is (see
///   [`crate::Transport`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included. Default: 3. `1` disables retries.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles each time. Default: 200 ms.
    pub initial_backoff: Duration,
    /// The longest backoff. Default: 2 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` that is waited out. Default: 10 s.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff and the longest one.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest `Retry-After` that is waited out.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The wait before retry number `retry` (1-based): exponential, capped, full jitter in
    /// `[half, whole]` so that clients do not retry in lockstep.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let whole = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let half = whole / 2;
        half + whole.saturating_sub(half).mul_f64(fastrand::f64())
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            attempt_timeout: None,
            allow_insecure_http: false,
            user_agent: concat!("ordergate/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: 10 * 1024 * 1024,
            failover_base_url: None,
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientConfig {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the deadline of a whole call, retries and waits included.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Bounds each attempt separately (within the whole call's deadline).
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Allows (or forbids) credentials over plain HTTP to non-loopback hosts.
    pub fn with_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets the largest response body accepted, in bytes.
    pub fn with_max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets [`failover_base_url`](Self::failover_base_url): retries alternate between the base
    /// URL and this one.
    pub fn with_failover_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.failover_base_url = Some(base_url.into());
        self
    }

    /// Sets the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(200));
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(200) && second <= Duration::from_millis(400));
            let late = policy.backoff(30);
            assert!(late >= Duration::from_secs(1) && late <= Duration::from_secs(2));
        }
    }
}
