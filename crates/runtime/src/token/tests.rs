//! The token cache: caching, renewal, one shared request per expiry, bounded waits.
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::*;

/// After `delay`, issues `sk-1`, `sk-2`, ... with `lifetime`, or fails when `refuse` is set.
/// Counts the fetches started and the fetches that ran to their end (a dropped fetch does
/// not).
struct Counting {
    fetches: Arc<AtomicUsize>,
    finished: Arc<AtomicUsize>,
    lifetime: Option<Duration>,
    delay: Duration,
    refuse: bool,
}

impl Counting {
    fn new(lifetime: Option<Duration>) -> (Self, Arc<AtomicUsize>) {
        let source = Self::after(Duration::from_millis(50), lifetime);
        let fetches = Arc::clone(&source.fetches);
        (source, fetches)
    }

    fn after(delay: Duration, lifetime: Option<Duration>) -> Self {
        Self {
            fetches: Arc::default(),
            finished: Arc::default(),
            lifetime,
            delay,
            refuse: false,
        }
    }

    /// Refusing with HTTP 503 and `Retry-After: 7` after `delay`.
    fn refusing_after(delay: Duration) -> Self {
        Self {
            refuse: true,
            ..Self::after(delay, Some(HOUR))
        }
    }
}

impl TokenSource for Counting {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            self.finished.fetch_add(1, Ordering::SeqCst);
            if self.refuse {
                let mut headers = HeaderMap::new();
                headers.insert("retry-after", HeaderValue::from_static("7"));
                return Err(TokenError::refused(
                    StatusCode::SERVICE_UNAVAILABLE,
                    headers,
                    Bytes::from(format!("<html>busy {n}</html>")),
                ));
            }
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
    // 1 s: the 5-minute margin is clamped to half of it (and shortened by up to half of that).
    let (source, fetches) = Counting::new(Some(Duration::from_secs(1)));
    let cache = TokenCache::new(source, HOUR);
    let first = cache.token().await.expect("token");
    assert_eq!(
        cache.token().await.expect("cached").header_value(),
        "Bearer sk-1"
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        cache.cached().is_none(),
        "renewed from half to three quarters of its lifetime"
    );
    let second = cache.token().await.expect("renewed");
    assert_eq!(second.header_value(), "Bearer sk-2");
    assert_ne!(first.header_value(), second.header_value());
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_margin_applies_and_a_missing_lifetime_is_the_default() {
    let (source, _) = Counting::new(None);
    let cache = TokenCache::with_margin(source, Duration::from_secs(10), Duration::from_secs(1));
    let requested = Instant::now();
    cache.token().await.expect("token");
    let usable = cache.renew_at().expect("cached") - requested;
    // 10 s less the 1 s margin (less up to half of it at random), counted from when the
    // token was requested.
    assert!(usable >= Duration::from_secs(9), "{usable:?}");
    assert!(usable <= Duration::from_millis(9600), "{usable:?}");

    // A lifetime of zero (or a negative `expires_in`) is used once, not cached.
    let (source, fetches) = Counting::new(Some(Duration::ZERO));
    let cache = TokenCache::new(source, HOUR);
    cache.token().await.expect("token");
    cache.token().await.expect("token");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    let negative = FreshToken::with_expires_in("sk", Some(-5));
    assert_eq!(negative.lifetime, None, "the default lifetime");
    let zero = FreshToken::with_expires_in("sk", Some(0));
    assert_eq!(zero.lifetime, Some(Duration::ZERO));
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
    tokio::time::sleep(Duration::from_millis(800)).await;
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

/// Starts `callers` concurrent `token()` calls on `cache`; each returns its result and how
/// long it waited.
fn concurrent_callers(
    cache: &TokenCache,
    callers: usize,
) -> tokio::task::JoinSet<(Result<Token, TokenError>, Duration)> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..callers {
        let cache = cache.clone();
        tasks.spawn(async move {
            let started = Instant::now();
            let result = cache.token().await;
            (result, started.elapsed())
        });
    }
    tasks
}

const SLOW: Duration = Duration::from_millis(300);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_callers_share_one_failed_request_and_the_next_caller_starts_another() {
    let source = Counting::refusing_after(SLOW);
    let (fetches, finished) = (Arc::clone(&source.fetches), Arc::clone(&source.finished));
    let cache = TokenCache::new(source, HOUR);
    let started = Instant::now();
    let mut callers = concurrent_callers(&cache, 10);
    let mut waits = Vec::new();
    while let Some(joined) = callers.join_next().await {
        let (result, waited) = joined.expect("task");
        let error = result.expect_err("refused");
        // Every waiter gets the refusal whole: status, headers and body.
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        match error {
            TokenError::Refused(response) => {
                assert_eq!(response.headers()["retry-after"], "7");
                assert_eq!(response.body().as_ref(), b"<html>busy 1</html>");
            }
            other => panic!("expected the refusal, got {other:?}"),
        }
        waits.push(waited);
    }
    let all = started.elapsed();
    assert_eq!(waits.len(), 10);
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "one request for ten callers"
    );
    assert_eq!(finished.load(Ordering::SeqCst), 1);
    // About the one request's 300 ms, not ten of them in turn.
    assert!(all >= SLOW, "{all:?}");
    assert!(
        all < Duration::from_millis(600),
        "all ten answered in {all:?}"
    );
    let longest = waits.iter().max().copied().unwrap_or_default();
    assert!(longest < Duration::from_millis(600), "{waits:?}");
    eprintln!("10 callers, 1 failed request: longest wait {longest:?}, all in {all:?}");

    // A failure is not cached: the next caller starts a new request.
    assert!(cache.cached().is_none());
    let error = cache.token().await.expect_err("refused again");
    assert!(
        matches!(&error, TokenError::Refused(r) if r.body().as_ref() == b"<html>busy 2</html>")
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_callers_share_one_successful_request_bounded_or_not() {
    let source = Counting::after(SLOW, Some(HOUR));
    let fetches = Arc::clone(&source.fetches);
    let cache = TokenCache::new(source, HOUR);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let cache = cache.clone();
        tasks.spawn(async move {
            let token = if i % 2 == 0 {
                cache.token().await
            } else {
                cache.token_within(Instant::now() + 10 * SLOW).await
            };
            token.map(|t| t.header_value().clone())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        assert_eq!(joined.expect("task").expect("token"), "Bearer sk-1");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(
        cache.cached().expect("cached").header_value(),
        "Bearer sk-1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_caller_giving_up_leaves_the_request_to_the_others() {
    let source = Counting::after(SLOW, Some(HOUR));
    let (fetches, finished) = (Arc::clone(&source.fetches), Arc::clone(&source.finished));
    let cache = TokenCache::new(source, HOUR);
    // The impatient caller starts the request (and is the first to poll it), then gives up.
    let impatient = {
        let cache = cache.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let result = cache
                .token_within(Instant::now() + Duration::from_millis(50))
                .await;
            (result, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    let mut patient = concurrent_callers(&cache, 9);
    let (result, waited) = impatient.await.expect("task");
    assert!(matches!(result, Err(TokenError::TimedOut)), "{result:?}");
    assert!(
        waited < Duration::from_millis(200),
        "gave up after {waited:?}"
    );
    while let Some(joined) = patient.join_next().await {
        let (result, waited) = joined.expect("task");
        assert_eq!(result.expect("token").header_value(), "Bearer sk-1");
        assert!(waited < Duration::from_millis(600), "{waited:?}");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(
        finished.load(Ordering::SeqCst),
        1,
        "the request ran to its end"
    );
}

#[tokio::test]
async fn the_last_caller_giving_up_drops_the_request_and_the_next_starts_afresh() {
    let source = Counting::after(SLOW, Some(HOUR));
    let (fetches, finished) = (Arc::clone(&source.fetches), Arc::clone(&source.finished));
    let cache = TokenCache::new(source, HOUR);
    let started = Instant::now();
    let result = cache
        .token_within(Instant::now() + Duration::from_millis(50))
        .await;
    let waited = started.elapsed();
    assert!(matches!(result, Err(TokenError::TimedOut)), "{result:?}");
    assert!(waited < Duration::from_millis(200), "{waited:?}");
    // Nobody waited for the request any more: it was dropped, not left half-done.
    assert_eq!(finished.load(Ordering::SeqCst), 0);
    let token = cache.token().await.expect("a new request");
    assert_eq!(token.header_value(), "Bearer sk-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(finished.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_deadline_already_past_starts_no_request() {
    let (source, fetches) = Counting::new(Some(HOUR));
    let cache = TokenCache::new(source, HOUR);
    let result = cache.token_within(Instant::now()).await;
    assert!(matches!(result, Err(TokenError::TimedOut)), "{result:?}");
    assert_eq!(fetches.load(Ordering::SeqCst), 0);
    // A valid token is returned whatever the deadline.
    cache.token().await.expect("token");
    let past = Instant::now().checked_sub(Duration::from_secs(1));
    let token = cache
        .token_within(past.unwrap_or_else(Instant::now))
        .await
        .expect("cached");
    assert_eq!(token.header_value(), "Bearer sk-1");
}

#[test]
fn timed_out_says_what_did_not_answer_and_is_a_custom_error() {
    let shown = TokenError::TimedOut.to_string();
    assert!(
        shown.contains("token endpoint did not answer before the call's deadline"),
        "{shown}"
    );
    match TokenError::TimedOut.into_error::<()>() {
        progenitor_client::Error::Custom(message) => assert_eq!(message, shown),
        other => panic!("expected Custom, got {other:?}"),
    }
}

#[tokio::test]
async fn a_communication_failure_keeps_its_reqwest_error_when_not_shared() {
    // Nothing listens on port 1 of loopback: a connection error, at once.
    let client = crate::http_client_builder(&crate::ClientConfig::default())
        .build()
        .expect("client");
    let error = client
        .get("http://127.0.0.1:1/v1/auth/token")
        .send()
        .await
        .expect_err("refused");
    let alone = TokenError::from(error);
    let shared = alone.clone();
    let copy = shared.clone();
    match shared.into_error::<()>() {
        progenitor_client::Error::Custom(message) => {
            assert!(
                message.starts_with("cannot reach the token endpoint"),
                "{message}"
            );
        }
        other => panic!("a shared error is Custom, got {other:?}"),
    }
    drop(copy);
    match alone.into_error::<()>() {
        progenitor_client::Error::CommunicationError(error) => assert!(error.is_connect()),
        other => panic!("expected CommunicationError, got {other:?}"),
    }
}

/// Records a 503 answer as the transport does for every response it receives.
struct Recording;

impl TokenSource for Recording {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async {
            let mut answer = http::Response::new("busy");
            *answer.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            crate::observe::record(&reqwest::Response::from(answer));
            Ok(FreshToken::new("sk-1", None))
        })
    }
}

#[tokio::test]
async fn the_token_request_is_not_recorded_as_the_callers_response() {
    let cache = TokenCache::new(Recording, HOUR);
    let (token, meta) = crate::observe(cache.token()).await;
    token.expect("token");
    assert!(meta.is_none(), "{meta:?}");
    // The same recording outside a token request is seen.
    let (_, meta) = crate::observe(async {
        let mut answer = http::Response::new("busy");
        *answer.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        crate::observe::record(&reqwest::Response::from(answer));
    })
    .await;
    assert_eq!(
        meta.map(|m| m.status),
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
}

#[tokio::test]
async fn a_token_too_large_for_a_header_is_refused() {
    let large: &'static str = Box::leak("a".repeat(8 * 1024 + 1).into_boxed_str());
    let cache = TokenCache::new(Issuing(large), HOUR);
    let error = cache.token().await.expect_err("too large");
    assert!(
        matches!(&error, TokenError::Invalid(m) if m.contains("8 KiB")),
        "{error:?}"
    );
    let fits: &'static str = Box::leak("a".repeat(8 * 1024).into_boxed_str());
    let cache = TokenCache::new(Issuing(fits), HOUR);
    cache.token().await.expect("8 KiB fits");
}
