//! Access tokens that renew themselves: a [`TokenSource`] fetches one, a [`TokenCache`] keeps
//! it until shortly before it expires and makes concurrent callers share one fetch.
//!
//! Provider crates implement [`TokenSource`] on top of their generated token operation (for
//! example an OAuth2 client-credentials grant) and hand a [`TokenCache`] to
//! [`Auth::token_source`](crate::Auth::token_source). The transport then sends
//! `Authorization: Bearer <token>` (a sensitive header) with every request, fetches a token
//! only when none is cached or the cached one is about to expire, and on an HTTP 401 renews
//! it and replays the request once (see [`Transport::execute`](crate::Transport::execute)).

mod cache;
mod error;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use secrecy::SecretString;

pub use cache::{DEFAULT_RENEWAL_MARGIN, TokenCache};
pub use error::{TokenError, TokenRefused};

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<FreshToken, TokenError>> + Send + 'a>>;

/// Fetches a fresh access token (for example with an OAuth2 client-credentials grant).
///
/// Object safe: a [`TokenCache`] holds it as `dyn TokenSource`. The cache calls
/// [`fetch`](Self::fetch) only when it has no valid token, and never twice at once.
///
/// ```
/// use std::time::Duration;
/// use ordergate_runtime::{FreshToken, TokenFuture, TokenSource};
///
/// struct Fixed;
///
/// impl TokenSource for Fixed {
///     fn fetch(&self) -> TokenFuture<'_> {
///         Box::pin(async { Ok(FreshToken::new("sk-example", Some(Duration::from_secs(3600)))) })
///     }
/// }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// Requests a new token. The error never contains the token or a secret.
    fn fetch(&self) -> TokenFuture<'_>;
}

/// A token as issued: the value and how long it lives.
///
/// `Debug` never shows the value.
#[derive(Debug)]
#[non_exhaustive]
pub struct FreshToken {
    /// The token itself, sent as `Authorization: Bearer <token>`.
    pub token: SecretString,
    /// How long the token is valid from when it was requested (OAuth2's `expires_in`);
    /// `None` when the provider did not say, in which case the cache's default lifetime
    /// applies (see [`TokenCache::new`]).
    pub lifetime: Option<Duration>,
}

impl FreshToken {
    /// A token valid for `lifetime` (`None`: the cache's default lifetime).
    pub fn new(token: impl Into<SecretString>, lifetime: Option<Duration>) -> Self {
        Self {
            token: token.into(),
            lifetime,
        }
    }

    /// A token valid for `seconds` as a provider states it (OAuth2's `expires_in`). When it
    /// did not say, or said a negative number, the cache's default lifetime applies; 0 is a
    /// token used once.
    pub fn with_expires_in(token: impl Into<SecretString>, seconds: Option<i64>) -> Self {
        let lifetime = seconds
            .and_then(|s| u64::try_from(s).ok())
            .map(Duration::from_secs);
        Self::new(token, lifetime)
    }
}

/// A token as the cache hands it out: the `Authorization` header value (sensitive, so never
/// printed) and when to stop using it.
struct Issued {
    header: HeaderValue,
    renew_at: Instant,
}

/// A token in use, as [`TokenCache::token`] returns it. `Debug` never shows it.
#[derive(Clone)]
pub struct Token(Arc<Issued>);

impl Token {
    /// The `Authorization: Bearer <token>` header value, marked sensitive.
    pub fn header_value(&self) -> &HeaderValue {
        &self.0.header
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[cfg(test)]
mod tests;
