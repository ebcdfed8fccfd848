//! [`TokenCache`]: the token in use, and the one token request every waiting call shares.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use futures_util::future::Shared;
use reqwest::header::HeaderValue;
use secrecy::ExposeSecret;

use super::{FreshToken, Issued, Token, TokenError, TokenSource};

/// The default renewal margin: a token is renewed 5 minutes before it expires, as Fuuffy's
/// token documentation recommends (<https://api-docs.fuuffy.com/api/auth/tokens>).
pub const DEFAULT_RENEWAL_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Up to this fraction of the margin is given back at random, per token, so that clients
/// issued tokens at the same time do not all renew at the same instant (as smithy-rs's lazy
/// identity cache does with its buffer time).
const RENEWAL_JITTER_FRACTION: f64 = 0.5;

/// Keeps the token of a [`TokenSource`] and renews it before it expires. Cheap to clone
/// (clones share the token and the token request in flight).
///
/// - **Renewal before expiry**: a token is used until `lifetime - margin` after it was
///   requested, where the margin ([`DEFAULT_RENEWAL_MARGIN`] unless set) is at most half the
///   lifetime, so a short-lived token is still reused, and is shortened by a random part of up
///   to half of it, drawn once per token, so that many clients do not renew at once. A token
///   issued without a lifetime lives the default lifetime given to [`new`](Self::new).
/// - **One token request per expiry, shared by every waiter**: when the token is missing or
///   expiring, the first caller starts one request and every caller arriving while it runs
///   waits for it and gets its result, a token or the error. A caller arriving after a failed
///   request starts a new one (a failure is never cached). A valid token is read without
///   waiting on any asynchronous lock and without allocating.
/// - **Bounded waits**: [`token_within`](Self::token_within) gives up at the caller's
///   deadline with [`TokenError::TimedOut`]. A caller that gives up does not stop the request
///   for the others; the request is dropped only when no caller waits for it any more.
/// - **Isolation**: the token request's responses are not recorded for
///   [`observe`](crate::observe) around a waiting call: they are not that call's answer.
/// - **Invalidation**: [`invalidate`](Self::invalidate) drops the token a provider rejected,
///   unless it was already replaced, so many concurrent rejections cause one renewal.
/// - `Debug` never shows the token.
///
/// Waiting for a token needs a Tokio runtime (the timer of [`token_within`](Self::token_within)),
/// as the transport does.
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

struct Inner {
    source: Box<dyn TokenSource>,
    default_lifetime: Duration,
    margin: Duration,
    /// The token in use; read on every call (a short, synchronous critical section).
    current: RwLock<Option<Arc<Issued>>>,
    /// The token request in flight, if any.
    loading: Mutex<Loading>,
}

/// A token request as every waiter polls it (the first to be woken drives it).
type LoadFuture = Shared<Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send>>>;

#[derive(Default)]
struct Loading {
    /// The number the next request gets.
    next_id: u64,
    /// The request in flight and its number.
    load: Option<(u64, LoadFuture)>,
}

impl TokenCache {
    /// A cache of `source`'s tokens; a token issued without a lifetime is used for
    /// `default_lifetime` (the provider's documented token lifetime). Renews
    /// [`DEFAULT_RENEWAL_MARGIN`] early.
    pub fn new(source: impl TokenSource, default_lifetime: Duration) -> Self {
        Self::with_margin(source, default_lifetime, DEFAULT_RENEWAL_MARGIN)
    }

    /// As [`new`](Self::new), renewing `margin` before expiry (at most half the lifetime, and
    /// up to half of it less at random).
    pub fn with_margin(
        source: impl TokenSource,
        default_lifetime: Duration,
        margin: Duration,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                source: Box::new(source),
                default_lifetime,
                margin,
                current: RwLock::new(None),
                loading: Mutex::new(Loading::default()),
            }),
        }
    }

    /// The cached token if it is still valid (no waiting, nothing fetched, no allocation).
    pub fn cached(&self) -> Option<Token> {
        self.inner.cached()
    }

    /// A valid token: the cached one, or the result of the token request in flight, or of a
    /// new one (see [`TokenCache`]). Waits as long as the request takes (the token client's
    /// own timeout bounds it); [`token_within`](Self::token_within) bounds the wait.
    ///
    /// # Errors
    /// The [`TokenError`] of the token request this call waited for.
    pub async fn token(&self) -> Result<Token, TokenError> {
        if let Some(token) = self.cached() {
            return Ok(token);
        }
        match self.join() {
            Joined::Ready(token) => Ok(token),
            Joined::Waiting(waiter) => waiter.await,
        }
    }

    /// As [`token`](Self::token), giving up at `deadline` (the call's deadline, so that the
    /// token request counts against it).
    ///
    /// # Errors
    /// [`TokenError::TimedOut`] when `deadline` passes first (the token request goes on for
    /// the other callers waiting for it); otherwise the [`TokenError`] of the token request.
    pub async fn token_within(&self, deadline: Instant) -> Result<Token, TokenError> {
        if let Some(token) = self.cached() {
            return Ok(token);
        }
        if Instant::now() >= deadline {
            return Err(TokenError::TimedOut);
        }
        match self.join() {
            Joined::Ready(token) => Ok(token),
            Joined::Waiting(waiter) => tokio::time::timeout_at(deadline.into(), waiter)
                .await
                .unwrap_or(Err(TokenError::TimedOut)),
        }
    }

    /// Joins the token request in flight, or starts one.
    fn join(&self) -> Joined {
        let mut loading = lock(&self.inner.loading);
        // A request that finished since `cached()` was read published its token before it
        // left `loading`.
        if let Some(token) = self.cached() {
            return Joined::Ready(token);
        }
        let (id, future) = match &loading.load {
            Some((id, future)) => (*id, future.clone()),
            None => {
                let id = loading.next_id;
                loading.next_id = id.wrapping_add(1);
                let inner = Arc::clone(&self.inner);
                let request: Pin<Box<dyn Future<Output = _> + Send>> = Box::pin(inner.load(id));
                let future = request.shared();
                loading.load = Some((id, future.clone()));
                (id, future)
            }
        };
        Joined::Waiting(Waiter {
            inner: Arc::clone(&self.inner),
            id,
            load: Some(future),
        })
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
            .inner
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

    /// When the token in use is renewed, if there is one.
    #[cfg(test)]
    pub(super) fn renew_at(&self) -> Option<Instant> {
        let current = self
            .inner
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        current.as_ref().map(|issued| issued.renew_at)
    }
}

impl Inner {
    fn cached(&self) -> Option<Token> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current
            .as_ref()
            .filter(|issued| Instant::now() < issued.renew_at)
            .map(|issued| Token(Arc::clone(issued)))
    }

    /// Token request number `id`: asks the source, publishes a token, and leaves `loading`
    /// (so that the next caller after a failure starts a new request).
    async fn load(self: Arc<Self>, id: u64) -> Result<Token, TokenError> {
        let requested = Instant::now();
        let result = crate::observe::isolated(self.source.fetch())
            .await
            .and_then(|fresh| self.issue(fresh, requested))
            .map(Arc::new);
        if let Ok(issued) = &result {
            *self.current.write().unwrap_or_else(PoisonError::into_inner) =
                Some(Arc::clone(issued));
        }
        let finished = self.leave(id, |_| true);
        drop(finished);
        result.map(Token)
    }

    /// Takes request `id` out of `loading` if `done` says so; the caller drops it, outside
    /// the lock.
    fn leave(&self, id: u64, done: impl FnOnce(&LoadFuture) -> bool) -> Option<LoadFuture> {
        let mut loading = lock(&self.loading);
        match &loading.load {
            Some((current, future)) if *current == id && done(future) => {
                loading.load.take().map(|(_, future)| future)
            }
            _ => None,
        }
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
        let lifetime = fresh.lifetime.unwrap_or(self.default_lifetime);
        let usable = usable_lifetime(
            lifetime,
            self.margin,
            fastrand::f64() * RENEWAL_JITTER_FRACTION,
        );
        // An absurd lifetime (years) is not worth an overflow.
        let renew_at = requested
            .checked_add(usable)
            .unwrap_or_else(|| requested + Duration::from_secs(365 * 24 * 3600));
        Ok(Issued { header, renew_at })
    }
}

/// How long a token of `lifetime` is used: `lifetime` less `margin` (at most half the
/// lifetime), the margin shortened by `jitter` (a fraction in `[0, RENEWAL_JITTER_FRACTION]`).
fn usable_lifetime(lifetime: Duration, margin: Duration, jitter: f64) -> Duration {
    let margin = margin.min(lifetime / 2);
    let kept = 1.0 - jitter.clamp(0.0, RENEWAL_JITTER_FRACTION);
    lifetime - margin.mul_f64(kept)
}

fn lock(loading: &Mutex<Loading>) -> std::sync::MutexGuard<'_, Loading> {
    loading.lock().unwrap_or_else(PoisonError::into_inner)
}

enum Joined {
    Ready(Token),
    Waiting(Waiter),
}

/// One caller waiting for a token request. Dropping it (the caller gave up) leaves the
/// request to the other waiters; the last waiter to leave drops the request.
struct Waiter {
    inner: Arc<Inner>,
    id: u64,
    /// `None` only while being dropped.
    load: Option<LoadFuture>,
}

impl Future for Waiter {
    type Output = Result<Token, TokenError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.load.as_mut() {
            Some(load) => load.poll_unpin(cx),
            None => Poll::Pending,
        }
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        drop(self.load.take());
        // Only the cache's own handle left: nobody waits for this request any more.
        let abandoned = self
            .inner
            .leave(self.id, |future| future.strong_count() == Some(1));
        drop(abandoned);
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("cached", &self.cached().map(|_| "[redacted]"))
            .field("default_lifetime", &self.inner.default_lifetime)
            .field("margin", &self.inner.margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jitter_shortens_the_margin_by_at_most_half() {
        let hour = Duration::from_secs(3600);
        let margin = Duration::from_secs(300);
        assert_eq!(usable_lifetime(hour, margin, 0.0), hour - margin);
        assert_eq!(usable_lifetime(hour, margin, 0.5), hour - margin / 2);
        // Out-of-range draws are clamped.
        assert_eq!(usable_lifetime(hour, margin, 7.0), hour - margin / 2);
        assert_eq!(usable_lifetime(hour, margin, -1.0), hour - margin);
        // The margin is at most half the lifetime, before the jitter.
        let second = Duration::from_secs(1);
        assert_eq!(usable_lifetime(second, margin, 0.0), second / 2);
        assert_eq!(usable_lifetime(second, margin, 0.5), second * 3 / 4);
        assert_eq!(usable_lifetime(Duration::ZERO, margin, 0.3), Duration::ZERO);

        let draws: Vec<Duration> = (0..1000)
            .map(|_| usable_lifetime(hour, margin, fastrand::f64() * RENEWAL_JITTER_FRACTION))
            .collect();
        let (low, high) = (hour - margin, hour - margin / 2);
        assert!(draws.iter().all(|d| (low..=high).contains(d)), "{draws:?}");
        let (min, max) = (draws.iter().min(), draws.iter().max());
        assert!(
            max.zip(min)
                .is_some_and(|(max, min)| *max - *min > margin / 4),
            "spread over the range: {min:?}..{max:?}"
        );
    }
}
