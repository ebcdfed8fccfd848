//! Access tokens that renew themselves: a [`TokenSource`] fetches one, a [`TokenCache`] keeps
//! it until shortly before it expires and makes concurrent callers share one fetch.
//!
//! Provider crates implement [`TokenSource`] on top of their generated token operation (for
//! example an OAuth2 client-credentials grant) and hand a [`TokenCache`] to
//! [`Auth::token_source`](crate::Auth::token_source). The transport then sends
//! `Authorization: Bearer <token>` (a sensitive header) with every request, fetches a token
//! only when none is cached or the cached one is about to expire, and on an HTTP 401 renews
//! it and replays the request once (see [`Transport::execute`](crate::Transport::execute)).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

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

    /// A token valid for `seconds` as a provider states it (OAuth2's `expires_in`): `None`
    /// when it did not say, and a negative number read as 0 (the token is then used once).
    pub fn with_expires_in(token: impl Into<SecretString>, seconds: Option<i64>) -> Self {
        let lifetime = seconds.map(|s| Duration::from_secs(u64::try_from(s).unwrap_or(0)));
        Self::new(token, lifetime)
    }
}

/// A token could not be obtained. Never contains the token or a secret.
///
/// A generated operation whose token could not be obtained fails with the progenitor error
/// [`into_error`](Self::into_error) gives, and its request is not sent.
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint could not be reached, or its answer could not be read.
    Communication(reqwest::Error),
    /// The token endpoint refused (any status other than `2xx`, e.g. 401 for an unknown
    /// client id or a wrong secret): its status, headers and body as received
    /// ([`TokenError::refused`]).
    Refused(Box<http::Response<Bytes>>),
    /// The token endpoint answered `2xx` without a usable token (the body does not decode,
    /// the token is empty or is not a valid header value). The message never contains the
    /// body or the token.
    Invalid(String),
}

impl TokenError {
    /// A refusal of the token endpoint: its `status`, `headers` and `body`.
    pub fn refused(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let mut response = http::Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Self::Refused(Box::new(response))
    }

    /// A `2xx` answer whose body does not decode as a token: only the kind and the position
    /// of `error` are kept (a serde message can quote a value of the body, which holds the
    /// token).
    pub fn undecodable(error: &serde_json::Error) -> Self {
        Self::Invalid(format!(
            "the token endpoint's answer is not a token: {:?} error at line {} column {}",
            error.classify(),
            error.line(),
            error.column()
        ))
    }

    /// The progenitor error a generated operation returns when its token could not be
    /// obtained (its request was not sent):
    /// - [`Communication`](Self::Communication): `Error::CommunicationError`;
    /// - [`Refused`](Self::Refused): `Error::UnexpectedResponse` with the token endpoint's
    ///   status, headers and body, and a [`TokenRefused`] in its `extensions()`;
    /// - [`Invalid`](Self::Invalid): `Error::Custom`.
    pub fn into_error<E>(self) -> progenitor_client::Error<E> {
        match self {
            Self::Communication(error) => progenitor_client::Error::CommunicationError(error),
            Self::Refused(response) => {
                let mut response = *response;
                response.extensions_mut().insert(TokenRefused);
                progenitor_client::Error::UnexpectedResponse(reqwest::Response::from(response))
            }
            Self::Invalid(message) => progenitor_client::Error::Custom(message),
        }
    }
}

impl<E> From<TokenError> for progenitor_client::Error<E> {
    fn from(error: TokenError) -> Self {
        error.into_error()
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Communication(error) => f.debug_tuple("Communication").field(error).finish(),
            // The body length only: an answer of a token endpoint is no place to print.
            Self::Refused(response) => f
                .debug_struct("Refused")
                .field("status", &response.status())
                .field("body_bytes", &response.body().len())
                .finish_non_exhaustive(),
            Self::Invalid(message) => f.debug_tuple("Invalid").field(message).finish(),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Communication(error) => write!(f, "cannot reach the token endpoint: {error}"),
            Self::Refused(response) => {
                write!(f, "the token endpoint refused: HTTP {}", response.status())
            }
            Self::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Communication(error) => Some(error),
            _ => None,
        }
    }
}

/// Marks an `Error::UnexpectedResponse` that is the token endpoint's refusal, not the
/// operation's answer: the operation's request was never sent. Found in the response's
/// `extensions()`:
///
/// ```
/// # fn check(error: &progenitor_client::Error<()>) -> bool {
/// use ordergate_runtime::TokenRefused;
/// matches!(error, progenitor_client::Error::UnexpectedResponse(response)
///     if response.extensions().get::<TokenRefused>().is_some())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenRefused;

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

/// The default renewal margin: a token is renewed 5 minutes before it expires, as Fuuffy's
/// token documentation recommends (<https://api-docs.fuuffy.com/api/auth/tokens>).
pub const DEFAULT_RENEWAL_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Keeps the token of a [`TokenSource`] and renews it before it expires. Cheap to clone
/// (clones share the token).
///
/// - **Renewal before expiry**: a token is used until `lifetime - margin` after it was
///   requested, where the margin ([`DEFAULT_RENEWAL_MARGIN`] unless set) is at most half the
///   lifetime, so a short-lived token is still reused. A token issued without a lifetime
///   lives the default lifetime given to [`new`](Self::new).
/// - **One fetch at a time**: when the token is missing or expiring, concurrent callers wait
///   for a single fetch and share its token. A valid token is read without waiting on any
///   asynchronous lock.
/// - **Invalidation**: [`invalidate`](Self::invalidate) drops the token a provider rejected,
///   unless it was already replaced, so many concurrent rejections cause one renewal.
/// - `Debug` never shows the token.
///
/// A failed fetch is not cached: the next caller (including one that was waiting for that
/// fetch) tries again.
#[derive(Clone)]
pub struct TokenCache {
    shared: Arc<Shared>,
}

struct Shared {
    source: Box<dyn TokenSource>,
    default_lifetime: Duration,
    margin: Duration,
    /// The token in use; read on every call (a short, synchronous critical section).
    current: RwLock<Option<Arc<Issued>>>,
    /// Held only while fetching, so that one fetch runs at a time.
    fetching: tokio::sync::Mutex<()>,
}

impl TokenCache {
    /// A cache of `source`'s tokens; a token issued without a lifetime is used for
    /// `default_lifetime` (the provider's documented token lifetime). Renews
    /// [`DEFAULT_RENEWAL_MARGIN`] early.
    pub fn new(source: impl TokenSource, default_lifetime: Duration) -> Self {
        Self::with_margin(source, default_lifetime, DEFAULT_RENEWAL_MARGIN)
    }

    /// As [`new`](Self::new), renewing `margin` before expiry (at most half the lifetime).
    pub fn with_margin(
        source: impl TokenSource,
        default_lifetime: Duration,
        margin: Duration,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                source: Box::new(source),
                default_lifetime,
                margin,
                current: RwLock::new(None),
                fetching: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The cached token if it is still valid (no waiting, nothing fetched).
    pub fn cached(&self) -> Option<Token> {
        let current = self
            .shared
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        current
            .as_ref()
            .filter(|issued| Instant::now() < issued.renew_at)
            .map(|issued| Token(Arc::clone(issued)))
    }

    /// A valid token: the cached one, or a new one from the source (one fetch at a time;
    /// callers arriving meanwhile wait for it and use its token).
    ///
    /// # Errors
    /// The source's [`TokenError`], when it could not fetch a token.
    pub async fn token(&self) -> Result<Token, TokenError> {
        if let Some(token) = self.cached() {
            return Ok(token);
        }
        self.fetch().await
    }

    /// The slow path of [`token`](Self::token).
    async fn fetch(&self) -> Result<Token, TokenError> {
        let _fetching = self.shared.fetching.lock().await;
        // Another caller may have fetched one while this one waited.
        if let Some(token) = self.cached() {
            return Ok(token);
        }
        let requested = Instant::now();
        let fresh = self.shared.source.fetch().await?;
        let issued = Arc::new(self.issue(fresh, requested)?);
        *self
            .shared
            .current
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&issued));
        Ok(Token(issued))
    }

    /// The header value and renewal time of a token requested at `requested`.
    fn issue(&self, fresh: FreshToken, requested: Instant) -> Result<Issued, TokenError> {
        let text = crate::auth::token_text(fresh.token.expose_secret()).map_err(|reason| {
            TokenError::Invalid(format!("the token the token endpoint issued {reason}"))
        })?;
        let mut header = HeaderValue::try_from(format!("Bearer {text}")).map_err(|_| {
            TokenError::Invalid("the issued token is not a valid header value".to_owned())
        })?;
        header.set_sensitive(true);
        let lifetime = fresh.lifetime.unwrap_or(self.shared.default_lifetime);
        let usable = lifetime - self.shared.margin.min(lifetime / 2);
        // An absurd lifetime (years) is not worth an overflow.
        let renew_at = requested
            .checked_add(usable)
            .unwrap_or_else(|| requested + Duration::from_secs(365 * 24 * 3600));
        Ok(Issued { header, renew_at })
    }

    /// Drops `used` after a provider rejected it (HTTP 401), unless the cache already holds
    /// another token: after many concurrent rejections of one token, the first renewal's
    /// token is kept.
    pub fn invalidate(&self, used: &Token) {
        self.invalidate_header(used.header_value());
    }

    /// [`invalidate`](Self::invalidate) for the `Authorization` value a request carried.
    pub(crate) fn invalidate_header(&self, used: &HeaderValue) {
        let mut current = self
            .shared
            .current
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_some_and(|issued| issued.header == *used)
        {
            *current = None;
        }
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("cached", &self.cached().map(|_| "[redacted]"))
            .field("default_lifetime", &self.shared.default_lifetime)
            .field("margin", &self.shared.margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Issues `sk-1`, `sk-2`, ... with `lifetime`, after `delay`, counting fetches.
    struct Counting {
        fetches: Arc<AtomicUsize>,
        lifetime: Option<Duration>,
        delay: Duration,
    }

    impl Counting {
        fn new(lifetime: Option<Duration>) -> (Self, Arc<AtomicUsize>) {
            let fetches = Arc::new(AtomicUsize::new(0));
            let source = Self {
                fetches: Arc::clone(&fetches),
                lifetime,
                delay: Duration::from_millis(50),
            };
            (source, fetches)
        }
    }

    impl TokenSource for Counting {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(self.delay).await;
                Ok(FreshToken::new(format!("sk-{n}"), self.lifetime))
            })
        }
    }

    struct Refusing;

    impl TokenSource for Refusing {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async {
                Err(TokenError::refused(
                    StatusCode::UNAUTHORIZED,
                    HeaderMap::new(),
                    Bytes::from_static(br#"{"error":{"code":"invalid_client"}}"#),
                ))
            })
        }
    }

    struct Issuing(&'static str);

    impl TokenSource for Issuing {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async { Ok(FreshToken::new(self.0, Some(Duration::from_secs(60)))) })
        }
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[tokio::test]
    async fn a_valid_token_is_fetched_once_and_sent_as_a_sensitive_bearer() {
        let (source, fetches) = Counting::new(Some(HOUR));
        let cache = TokenCache::new(source, HOUR);
        assert!(cache.cached().is_none());
        for _ in 0..5 {
            let token = cache.token().await.expect("token");
            assert_eq!(token.header_value(), "Bearer sk-1");
            assert!(token.header_value().is_sensitive());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_short_lifetime_still_caches_and_renews_after_it() {
        // 1 s: the 5-minute margin is clamped to half of it.
        let (source, fetches) = Counting::new(Some(Duration::from_secs(1)));
        let cache = TokenCache::new(source, HOUR);
        let first = cache.token().await.expect("token");
        assert_eq!(
            cache.token().await.expect("cached").header_value(),
            "Bearer sk-1"
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(cache.cached().is_none(), "renewed from half its lifetime");
        let second = cache.token().await.expect("renewed");
        assert_eq!(second.header_value(), "Bearer sk-2");
        assert_ne!(first.header_value(), second.header_value());
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn the_margin_applies_and_a_missing_lifetime_is_the_default() {
        let (source, _) = Counting::new(None);
        let cache =
            TokenCache::with_margin(source, Duration::from_secs(10), Duration::from_secs(1));
        let requested = Instant::now();
        cache.token().await.expect("token");
        let issued = cache
            .shared
            .current
            .read()
            .expect("lock")
            .clone()
            .expect("cached");
        let usable = issued.renew_at - requested;
        // 10 s less the 1 s margin, counted from when the token was requested.
        assert!(usable >= Duration::from_secs(9), "{usable:?}");
        assert!(usable <= Duration::from_millis(9100), "{usable:?}");

        // A lifetime of zero (or a negative `expires_in`) is used once, not cached.
        let (source, fetches) = Counting::new(Some(Duration::ZERO));
        let cache = TokenCache::new(source, HOUR);
        cache.token().await.expect("token");
        cache.token().await.expect("token");
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        let negative = FreshToken::with_expires_in("sk", Some(-5));
        assert_eq!(negative.lifetime, Some(Duration::ZERO));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_hundred_concurrent_callers_share_one_fetch() {
        let (source, fetches) = Counting::new(Some(Duration::from_secs(1)));
        let cache = TokenCache::new(source, HOUR);
        let all = |cache: TokenCache| async move {
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..100 {
                let cache = cache.clone();
                tasks.spawn(async move { cache.token().await.map(|t| t.header_value().clone()) });
            }
            let mut values = Vec::new();
            while let Some(joined) = tasks.join_next().await {
                values.push(joined.expect("task").expect("token"));
            }
            values
        };
        // Cold cache.
        let values = all(cache.clone()).await;
        assert!(values.iter().all(|v| v == "Bearer sk-1"));
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        // Expired.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let values = all(cache.clone()).await;
        assert!(values.iter().all(|v| v == "Bearer sk-2"));
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_invalidations_of_one_token_cause_one_renewal() {
        let (source, fetches) = Counting::new(Some(HOUR));
        let cache = TokenCache::new(source, HOUR);
        let rejected = cache.token().await.expect("token");
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let (cache, rejected) = (cache.clone(), rejected.clone());
            tasks.spawn(async move {
                cache.invalidate(&rejected);
                cache.token().await.map(|t| t.header_value().clone())
            });
        }
        while let Some(joined) = tasks.join_next().await {
            assert_eq!(joined.expect("task").expect("token"), "Bearer sk-2");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        // Invalidating a token that is no longer cached keeps the current one.
        cache.invalidate(&rejected);
        assert_eq!(cache.cached().expect("kept").header_value(), "Bearer sk-2");
    }

    #[tokio::test]
    async fn a_refusal_becomes_a_marked_unexpected_response() {
        let cache = TokenCache::new(Refusing, HOUR);
        let error = cache.token().await.expect_err("refused");
        assert!(cache.cached().is_none());
        match error.into_error::<()>() {
            progenitor_client::Error::UnexpectedResponse(response) => {
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
                assert!(response.extensions().get::<TokenRefused>().is_some());
                let body = response.text().await.expect("body");
                assert!(body.contains("invalid_client"), "{body}");
            }
            other => panic!("expected UnexpectedResponse, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_unusable_token_is_refused_without_echoing_it() {
        for bad in ["SECRET with space", "", "SECRET\u{e9}"] {
            let cache = TokenCache::new(Issuing(bad), HOUR);
            let error = cache.token().await.expect_err("unusable");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("SECRET"), "{shown}");
            let progenitor = error.into_error::<()>();
            assert!(matches!(progenitor, progenitor_client::Error::Custom(_)));
        }
        let body = br#"{"data":{"access_token":"SECRET","expires_in":"SECRET"}}"#;
        let serde = serde_json::from_slice::<i64>(&body[..]).expect_err("not a number");
        let error = TokenError::undecodable(&serde);
        assert!(!format!("{error} {error:?}").contains("SECRET"));
    }

    #[tokio::test]
    async fn debug_never_shows_the_token() {
        let cache = TokenCache::new(Issuing("sk-SECRET"), HOUR);
        let token = cache.token().await.expect("token");
        let fresh = FreshToken::new("sk-SECRET", None);
        let shown = format!("{cache:?} {token:?} {fresh:?} {:?}", token.header_value());
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
