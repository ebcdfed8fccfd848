//! The state a generated client carries, and what its hooks do with each request.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::Either;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use std::time::{Duration, Instant};

use reqwest::{Method, Request, Response, Url};

use crate::{Auth, ClientConfig, ConfigError, Operation, TokenCache, TokenError};

/// The transport of one generated client: its credentials (as sensitive header values), its
/// settings and its HTTP client. Cheap to clone (clones share the connection pool).
///
/// What every request sent through it gets:
/// - one deadline for the whole call ([`ClientConfig::timeout`]), retries and waits included;
/// - retries only where they are safe ([`RetryPolicy`](crate::RetryPolicy));
/// - no redirects: a `3xx` answer is returned as it is, with its `Location`, and nothing is
///   sent to the place it names (a confirm answered `307` is not delivered twice, and no
///   credential travels to another host);
/// - a response size cap ([`ClientConfig::max_response_bytes`]);
/// - with a token source ([`Auth::token_source`]): a token fetched only when none is valid,
///   and one replay with a renewed token after an HTTP 401.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<TransportInner>,
}

struct TransportInner {
    credentials: Vec<(HeaderName, HeaderValue)>,
    /// `Authorization: Bearer` from a token that renews itself.
    token: Option<TokenCache>,
    config: ClientConfig,
    http: reqwest::Client,
    base: ParsedBase,
    /// [`ClientConfig::failover_base_url`], checked.
    failover: Option<ParsedBase>,
}

/// The base URL the transport was built with, checked and parsed once (see
/// [`Transport::request`]).
struct ParsedBase {
    /// The base URL in canonical form, without a trailing `/`.
    text: String,
    url: Url,
    /// What the base contributes to every path: its path without a trailing `/`.
    prefix: String,
}

impl ParsedBase {
    /// Checks `base_url`: `http` or `https`, no username or password, no query, no fragment.
    /// A trailing `/` is dropped, so `https://host/prefix/` and `https://host/prefix` send the
    /// same requests.
    fn parse(base_url: &str) -> Result<Self, ConfigError> {
        let refuse = |reason: String| ConfigError::InvalidBaseUrl {
            url: crate::redact::base_url(base_url),
            reason,
        };
        let url = Url::parse(base_url).map_err(|e| refuse(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse(format!(
                "scheme {:?} is not http or https",
                crate::redact::excerpt(url.scheme(), 16)
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(
                "a base URL cannot carry a username or password; pass credentials as the client's credentials".to_owned(),
            ));
        }
        if url.query().is_some() {
            return Err(refuse("a base URL cannot have a query (`?...`)".to_owned()));
        }
        if url.fragment().is_some() {
            return Err(refuse(
                "a base URL cannot have a fragment (`#...`)".to_owned(),
            ));
        }
        if url.cannot_be_a_base() || url.host().is_none() {
            return Err(refuse("the URL has no host".to_owned()));
        }
        let prefix = url.path().trim_end_matches('/').to_owned();
        let text = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { text, url, prefix })
    }
}

/// A `reqwest` client builder with the house policy of `config`: no redirects, the connect
/// timeout, the whole-call deadline as the client's timeout, and the user agent. Use it to
/// build the client you pass to a generated `Client::new_with_client` when you need other
/// `reqwest` settings (a proxy, default headers): a client that follows redirects would
/// resend a confirm wherever a `Location` points, and a first attempt is bounded by the
/// client's own timeout (see [`Transport::execute`]).
pub fn http_client_builder(config: &ClientConfig) -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .user_agent(config.user_agent.clone())
}

impl Transport {
    /// Validates `base_url` against `config`, turns `auth` into sensitive header values and
    /// builds the HTTP client (rustls with the `ring` provider, no redirects).
    ///
    /// # Errors
    /// See [`ConfigError`]; nothing is sent when building fails.
    pub fn build(base_url: &str, auth: Auth, config: &ClientConfig) -> Result<Self, ConfigError> {
        let base = ParsedBase::parse(base_url)?;
        let failover = config
            .failover_base_url
            .as_deref()
            .map(ParsedBase::parse)
            .transpose()?;
        for checked in std::iter::once(&base).chain(&failover) {
            if checked.url.scheme() == "http" {
                let host = checked.url.host_str().unwrap_or_default();
                if !auth.is_empty() && !config.allow_insecure_http && !is_loopback(host) {
                    return Err(ConfigError::InsecureTransport {
                        host: host.to_owned(),
                    });
                }
            }
        }
        let credentials = auth.header_values()?;
        let token = auth.token_cache().cloned();
        let http = http_client_builder(config)
            .build()
            .map_err(|e| ConfigError::Http(e.without_url()))?;
        Ok(Self {
            inner: Arc::new(TransportInner {
                credentials,
                token,
                config: config.clone(),
                http,
                base,
                failover,
            }),
        })
    }

    /// The base URL, checked and in canonical form, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base.text
    }

    /// The HTTP client built with this transport (see [`http_client_builder`]).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The settings this transport was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Called by every generated operation: a request builder for `path` (percent-encoded by
    /// the generated code, starting with `/`) under `base_url`.
    ///
    /// The URL is the one `Url::parse(&format!("{base_url}{path}"))` gives, except that a `\`
    /// is percent-encoded (the URL parser would read it as `/`, so an id containing one could
    /// change the path). When `base_url` is the one this transport was built with, the base
    /// parsed then is reused and only the path is parsed: parsing the whole URL (host, IDNA)
    /// was the costliest single step of a call in the benchmark profile.
    pub fn request(
        &self,
        client: &reqwest::Client,
        method: Method,
        base_url: &str,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let escaped;
        let path = if path.contains('\\') {
            escaped = path.replace('\\', "%5C");
            escaped.as_str()
        } else {
            path
        };
        let base = &self.inner.base;
        if base.text == base_url {
            let mut url = base.url.clone();
            if base.prefix.is_empty() {
                url.set_path(path);
            } else {
                url.set_path(&format!("{}{path}", base.prefix));
            }
            client.request(method, url)
        } else {
            // A base URL given to a generated constructor directly: a trailing `/` is ignored
            // here too.
            client.request(method, format!("{}{path}", base_url.trim_end_matches('/')))
        }
    }

    /// Sets the static credential headers (sensitive). [`authorize`](Self::authorize) does
    /// this and also sets the token of a token source.
    pub fn prepare(&self, request: &mut Request) {
        let headers = request.headers_mut();
        for (name, value) in &self.inner.credentials {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Called by the generated pre-request hook: sets the credential headers (sensitive),
    /// including `Authorization: Bearer <token>` from a token source ([`Auth::token_source`]).
    ///
    /// Everything happens before this returns when there is no token source or its token is
    /// valid (no allocation, no asynchronous lock); only a token fetch is waited for (one at a
    /// time, shared by concurrent calls). When the token cannot be obtained the future fails
    /// with the error of [`TokenError::into_error`] and the request is not sent.
    ///
    /// The future borrows only `request` (the slow path holds its own handle on the cache),
    /// so the generated hook can return it whatever the lifetimes of the client and request.
    pub fn authorize<'r, E>(
        &self,
        request: &'r mut Request,
        operation: &'static Operation,
    ) -> Authorize<'r, E> {
        if let Err(refusal) = operation.check_bounds(request) {
            return Authorize {
                state: AuthorizeState::Refused(Some(refusal)),
                _error: PhantomData,
            };
        }
        self.prepare(request);
        let fetching = self.inner.token.as_ref().and_then(|cache| {
            if let Some(token) = cache.cached() {
                let value = token.header_value().clone();
                request.headers_mut().insert(AUTHORIZATION, value);
                return None;
            }
            let cache = cache.clone();
            // The call's deadline starts here, before the token fetch: the fetch, and the
            // request after it, share it (the request learns what is left through its
            // timeout, see `execute`).
            let deadline = self.deadline_from(Instant::now(), crate::observe::scoped_deadline());
            let fetch: Fetching<'r> = Box::pin(async move {
                let refuse = |error: TokenError| {
                    crate::observe::record_token_failure(&error);
                    error
                };
                let token = cache.token_within(deadline).await.map_err(refuse)?;
                // A token that came with no time left is as late as one that did not come.
                let remaining = deadline.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    return Err(refuse(TokenError::TimedOut));
                }
                *request.timeout_mut() = Some(remaining);
                let value = token.header_value().clone();
                request.headers_mut().insert(AUTHORIZATION, value);
                Ok(())
            });
            Some(fetch)
        });
        Authorize {
            state: match fetching {
                Some(fetching) => AuthorizeState::Fetching(fetching),
                None => AuthorizeState::Ready,
            },
            _error: PhantomData,
        }
    }

    /// The deadline of a call starting at `start`: the transport's whole-call timeout, or the
    /// caller's deadline ([`observe_call_until`](crate::observe_call_until)) when earlier.
    fn deadline_from(&self, start: Instant, scoped: Option<Instant>) -> Instant {
        let own = start + self.inner.config.timeout;
        match scoped {
            Some(scoped) if scoped < own => scoped,
            _ => own,
        }
    }

    /// Called by the generated execution hook: sends `request` under the retry policy (see
    /// [`RetryPolicy`](crate::RetryPolicy)) within one deadline ([`ClientConfig::timeout`]),
    /// caps the response body, and traces each attempt (method, path, status, duration; never
    /// headers or bodies).
    ///
    /// Each attempt's timeout is what is left of the deadline (or
    /// [`ClientConfig::attempt_timeout`] when shorter), and it also bounds reading the body of
    /// the response returned. A wait before a retry (backoff or `Retry-After`) that would end
    /// past the deadline is not started: the response or error at hand is returned. The
    /// first attempt, when no attempt timeout is set, is bounded by the client's own timeout,
    /// which [`http_client_builder`] sets to the whole deadline (setting a per-request
    /// timeout allocates the request's extension map: a cost on every call in the benchmark
    /// profile).
    ///
    /// With a token source ([`Auth::token_source`]), an HTTP 401 (after any retries) drops
    /// the token the request carried, gets a new one and sends the request once more with it,
    /// within the same deadline, whatever its method (a 401 means the provider did not act on
    /// it). A 401 to that replay is returned as it is; when no new token can be obtained the
    /// first 401 is returned.
    ///
    /// The future is kept small (every generated call holds one): `request` is its only copy
    /// of the request besides the spare for a retry, nothing else is held across the wait
    /// before a retry, and that wait is boxed (it is rare). The path with a token source,
    /// which keeps a copy for the replay, is boxed too. (A plain function, not an `async fn`:
    /// an `async fn` here would hold `request` a second time beside the future it awaits.)
    pub fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static Operation,
    ) -> impl Future<Output = reqwest::Result<Response>> + 'a {
        self.execute_with(client, request, operation, None)
    }

    /// [`execute`](Self::execute) for a request that `rebuild` can make again (the generated
    /// code passes the expression that built it, for a request without a streaming body):
    /// a retry sends a rebuilt request (credentials set again) instead of a copy made before
    /// every first attempt. That copy (URL, header map, body) was four of the allocations a
    /// call made in the benchmark profile, for a retry that almost never happens. With a token
    /// source the copy is still made (it is also the replay after an HTTP 401).
    pub fn execute_rebuilding<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static Operation,
        rebuild: Rebuild<'a>,
    ) -> impl Future<Output = reqwest::Result<Response>> + 'a {
        self.execute_with(client, request, operation, Some(rebuild))
    }

    fn execute_with<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static Operation,
        rebuild: Option<Rebuild<'a>>,
    ) -> impl Future<Output = reqwest::Result<Response>> + 'a {
        // One visit to the call's record: note the operation, read the caller's deadline.
        let scoped = crate::observe::record_operation(operation);
        let now = Instant::now();
        // A request whose token was fetched carries what is left of the call's deadline as
        // its timeout (see `authorize`); otherwise the deadline starts now.
        let deadline = match request.timeout() {
            Some(remaining) => now + *remaining,
            None => self.deadline_from(now, scoped),
        };
        // The first attempt needs its own timeout only when the deadline is earlier than the
        // client's timeout (which bounds it otherwise).
        let timed = deadline < now + self.inner.config.timeout;
        // The call's span (see `span.rs`), made while the request can still be read.
        let span = crate::span::call_span(operation, &request);
        // Only the usual path is held in place: a request that must be copied for a retry
        // (it cannot be rebuilt), or a token source, takes a boxed path, so the copy's room is
        // not part of every call's future.
        let call = match (&self.inner.token, rebuild) {
            (None, Some(rebuild)) => Either::Left(self.send(
                client,
                request,
                operation,
                deadline,
                timed,
                RebuildWith::new(rebuild),
            )),
            (None, None) => Either::Right(Box::pin(self.send(
                client,
                request,
                operation,
                deadline,
                timed,
                CopyFirst(None),
            )) as Boxed<'a>),
            (Some(cache), _) => Either::Right(Box::pin(
                self.send_renewing(cache, client, request, operation, deadline, timed),
            ) as Boxed<'a>),
        };
        crate::span::traced(span, call)
    }

    /// [`execute`](Self::execute) with a token source: one replay with a renewed token after
    /// an HTTP 401.
    async fn send_renewing(
        &self,
        cache: &TokenCache,
        client: &reqwest::Client,
        request: Request,
        operation: &'static Operation,
        deadline: Instant,
        timed: bool,
    ) -> reqwest::Result<Response> {
        let operation_id = operation.id;
        let replay = spare_copy(&request);
        let response = self
            .send(client, request, operation, deadline, timed, CopyFirst(None))
            .await?;
        if !operation
            .conventions
            .rejects_token(response.status().as_u16())
        {
            return Ok(response);
        }
        let Some(mut replay) = replay else {
            return Ok(response);
        };
        if let Some(used) = replay.headers().get(AUTHORIZATION) {
            cache.invalidate_header(used);
        }
        // The renewal is bounded by the call's deadline too.
        let token = match cache.token_within(deadline).await {
            Ok(token) => token,
            Err(error) => {
                tracing::debug!(operation = operation_id, %error, "token rejected and no new token");
                return Ok(response);
            }
        };
        if Instant::now() >= deadline {
            return Ok(response);
        }
        drop(response);
        tracing::debug!(
            operation = operation_id,
            "HTTP 401: replaying once with a new token"
        );
        crate::span::record_resend(1);
        replay
            .headers_mut()
            .insert(AUTHORIZATION, token.header_value().clone());
        self.send(client, replay, operation, deadline, true, CopyFirst(None))
            .await
    }

    /// Sends `request` under the retry policy until `deadline` (see
    /// [`execute`](Self::execute)). `replay`: the request was sent before in this call, so
    /// the first attempt's timeout is what is left of the deadline too. `next`: where the
    /// request of a retry comes from (a copy kept before each attempt that may be retried, or
    /// the request rebuilt when needed; see [`execute_rebuilding`](Self::execute_rebuilding)).
    async fn send<N: NextAttempt>(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation: &'static Operation,
        deadline: Instant,
        timed: bool,
        mut next: N,
    ) -> reqwest::Result<Response> {
        let operation_id = operation.id;
        let config = &self.inner.config;
        let policy = &config.retry;
        // What the trace lines need is copied only when they are on (it shows in the profile).
        let traced = tracing::enabled!(tracing::Level::DEBUG)
            .then(|| (request.method().clone(), request.url().path().to_owned()));
        let mut attempt = 1;
        loop {
            // Clock reads only where they are used (a trace line, a timeout to set).
            let started = traced.as_ref().map(|_| Instant::now());
            // The first attempt is bounded by the client's own timeout (the whole-call timeout)
            // unless the deadline is earlier (a caller's deadline, a token fetched first).
            if attempt > 1 || timed || config.attempt_timeout.is_some() {
                let remaining = deadline.saturating_duration_since(Instant::now());
                *request.timeout_mut() = Some(match config.attempt_timeout {
                    Some(limit) => limit.min(remaining),
                    None => remaining,
                });
            }
            let may_retry = attempt < policy.max_attempts;
            if may_retry {
                next.keep(&request);
            }
            let result = client.execute(request).await;
            if let (Some((method, path)), Some(started)) = (&traced, started) {
                let elapsed_ms = started.elapsed().as_millis();
                match &result {
                    Ok(response) => {
                        tracing::debug!(operation = operation_id, %method, path, attempt, status = response.status().as_u16(), elapsed_ms, "provider request");
                    }
                    Err(error) => {
                        tracing::debug!(operation = operation_id, %method, path, attempt, elapsed_ms, error = %error, "provider request failed");
                    }
                }
            }
            let wait = match &result {
                Ok(response) => {
                    crate::observe::record(response);
                    self.retry_response(operation, response, attempt)
                }
                Err(error) => {
                    let may_have_arrived = may_have_arrived(error);
                    if may_have_arrived {
                        crate::observe::record_failure_after_sending();
                    }
                    self.retry_error(operation, error, may_have_arrived, attempt)
                }
            };
            // A wait that would end at or past the deadline is not started.
            let wait = wait.filter(|wait| Instant::now() + *wait < deadline);
            // The next attempt's request: the copy, or (only now that it is needed) rebuilt.
            let spare = match wait {
                Some(_) if may_retry => next.request(self),
                _ => None,
            };
            match (wait, spare) {
                (Some(wait), Some(next)) => {
                    drop(result);
                    tracing::debug!(
                        operation = operation_id,
                        attempt,
                        wait_ms = wait.as_millis(),
                        "retrying"
                    );
                    Box::pin(tokio::time::sleep(wait)).await;
                    request = next;
                    self.fail_over(&mut request);
                    attempt += 1;
                    crate::span::record_resend(attempt - 1);
                }
                _ => {
                    let limit = config.max_response_bytes;
                    return result.map(|response| crate::body_limit::cap_body(response, limit));
                }
            }
        }
    }

    /// The request `rebuild` makes, with the static credentials set again (the pre-request
    /// hook set them on the first one); `None` if it cannot be built (it was built once, so
    /// this does not happen: the answer at hand is then returned).
    fn rebuilt(&self, rebuild: Rebuild<'_>) -> Option<Request> {
        let mut request = rebuild().ok()?;
        self.prepare(&mut request);
        Some(request)
    }

    /// Points a request about to be retried at the other host, when a failover base URL is
    /// set ([`ClientConfig::failover_base_url`]): a request to the base URL goes to the
    /// failover URL and back. A request under neither (a base URL given to a generated
    /// constructor directly) is left as it is.
    fn fail_over(&self, request: &mut Request) {
        let Some(failover) = &self.inner.failover else {
            return;
        };
        let base = &self.inner.base;
        let url = request.url().as_str();
        let moved = [(base, failover), (failover, base)]
            .into_iter()
            .find_map(|(from, to)| {
                let rest = url.strip_prefix(from.text.as_str())?;
                // The base must end where a path, a query or nothing starts.
                matches!(rest.chars().next(), None | Some('/' | '?'))
                    .then(|| Url::parse(&format!("{}{rest}", to.text)).ok())
                    .flatten()
            });
        if let Some(moved) = moved {
            tracing::debug!(host = moved.host_str().unwrap_or_default(), "failing over");
            *request.url_mut() = moved;
        }
    }

    /// The wait before retrying after `response`, or `None` to return it. Only idempotent
    /// operations are retried on a response (the request reached the server), and only on the
    /// statuses the provider's conventions call retryable.
    fn retry_response(
        &self,
        operation: &Operation,
        response: &Response,
        attempt: u32,
    ) -> Option<Duration> {
        let conventions = operation.conventions;
        if !operation.idempotent || !conventions.is_retryable(response.status().as_u16()) {
            return None;
        }
        let policy = &self.inner.config.retry;
        match conventions.retry_after(response.headers()) {
            // A long wait is reported to the caller, not slept through.
            Some(wait) if wait > policy.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(policy.backoff(attempt)),
        }
    }

    /// The wait before retrying after a failed attempt, or `None` to give up. A request that
    /// changes state is retried only when it never reached the server: the connection to the
    /// base URL's host could not be made (there is no other hop: redirects are not followed).
    /// A request that could not be built is never retried (it would fail the same way).
    fn retry_error(
        &self,
        operation: &Operation,
        error: &reqwest::Error,
        may_have_arrived: bool,
        attempt: u32,
    ) -> Option<Duration> {
        if error.is_builder() {
            return None;
        }
        let transient = error.is_timeout() || error.is_request() || error.is_body();
        (!may_have_arrived || (operation.idempotent && transient))
            .then(|| self.inner.config.retry.backoff(attempt))
    }
}

/// Whether a failed attempt may have reached the provider: anything but a connection that
/// could not be made (there is no other hop: redirects are not followed) or a request that
/// could not be built. The one rule behind both the retries and the recorded phase.
fn may_have_arrived(error: &reqwest::Error) -> bool {
    !error.is_connect() && !error.is_builder()
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .inner
            .credentials
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        let mut shown = f.debug_struct("Transport");
        shown
            .field("base_url", &self.inner.base.text)
            .field("credential_headers", &names);
        if let Some(failover) = &self.inner.failover {
            shown.field("failover_base_url", &failover.text);
        }
        if let Some(token) = &self.inner.token {
            shown.field("token", token);
        }
        shown.field("config", &self.inner.config).finish()
    }
}

/// A boxed attempt loop (the rare paths of [`Transport::execute`]).
type Boxed<'a> = Pin<Box<dyn Future<Output = reqwest::Result<Response>> + Send + 'a>>;

/// Where the request of a retry comes from, in [`Transport::send`].
trait NextAttempt: Send {
    /// Called before an attempt that may be retried, with its request.
    fn keep(&mut self, request: &Request);
    /// The request for the next attempt; `None`: no retry.
    fn request(&mut self, transport: &Transport) -> Option<Request>;
}

/// A copy made before each attempt that may be retried ([`spare_copy`]).
struct CopyFirst(Option<Request>);

impl NextAttempt for CopyFirst {
    fn keep(&mut self, request: &Request) {
        self.0 = spare_copy(request);
    }

    fn request(&mut self, _: &Transport) -> Option<Request> {
        self.0.take()
    }
}

/// The request made again, only when a retry needs it.
struct RebuildWith<'a> {
    rebuild: Rebuild<'a>,
    /// Whether the attempt just made went to the failover host: a rebuilt request starts at
    /// the base URL, so it is first moved where that attempt went (the send loop then moves
    /// it on to the other host, as it does a copy).
    failed_over: bool,
}

impl<'a> RebuildWith<'a> {
    fn new(rebuild: Rebuild<'a>) -> Self {
        Self {
            rebuild,
            failed_over: false,
        }
    }
}

impl NextAttempt for RebuildWith<'_> {
    fn keep(&mut self, _: &Request) {}

    fn request(&mut self, transport: &Transport) -> Option<Request> {
        let mut request = transport.rebuilt(self.rebuild)?;
        if self.failed_over {
            transport.fail_over(&mut request);
        }
        self.failed_over = !self.failed_over;
        Some(request)
    }
}

/// What [`Transport::execute_rebuilding`] calls to make a request again for a retry: the
/// generated expression that built it (without credentials, which the transport sets).
pub type Rebuild<'a> = &'a (dyn Fn() -> reqwest::Result<Request> + Send + Sync);

/// A token fetch that then sets the request's `Authorization` header.
type Fetching<'r> = Pin<Box<dyn Future<Output = Result<(), TokenError>> + Send + 'r>>;

/// What [`Authorize`] still has to do.
enum AuthorizeState<'r> {
    /// The headers are set.
    Ready,
    /// A token is being fetched.
    Fetching(Fetching<'r>),
    /// A request bound is broken (taken when polled).
    Refused(Option<String>),
}

/// The future of [`Transport::authorize`]: ready at once unless a token is being fetched.
/// `E` is the operation's error type (never produced here: a token failure needs none).
///
/// It fails with `Error::InvalidRequest` when a request bound is broken, and with the error of
/// [`TokenError::into_error`] when no token can be obtained before the call's deadline
/// ([`TokenError::TimedOut`] when the deadline passed; the call's
/// [`CallRecord::token_failure`](crate::CallRecord::token_failure) says which). In every case
/// the request is not sent.
#[must_use = "futures do nothing unless awaited"]
pub struct Authorize<'a, E> {
    state: AuthorizeState<'a>,
    _error: PhantomData<fn() -> E>,
}

impl<E> Future for Authorize<'_, E> {
    type Output = Result<(), progenitor_client::Error<E>>;

    // The output is the one progenitor's hook has (its `Error` is large).
    #[allow(clippy::result_large_err)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().state {
            AuthorizeState::Ready => Poll::Ready(Ok(())),
            AuthorizeState::Refused(refusal) => Poll::Ready(Err(
                progenitor_client::Error::InvalidRequest(refusal.take().unwrap_or_default()),
            )),
            AuthorizeState::Fetching(fetching) => fetching
                .as_mut()
                .poll(cx)
                .map(|done| done.map_err(TokenError::into_error)),
        }
    }
}

impl<E> fmt::Debug for Authorize<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            AuthorizeState::Ready => "ready",
            AuthorizeState::Fetching(_) => "fetching",
            AuthorizeState::Refused(_) => "refused",
        };
        f.debug_struct("Authorize").field("state", &state).finish()
    }
}

/// A copy of `request` to send if this attempt fails in a retryable way; `None` for a
/// streaming body (not replayable).
///
/// Cheaper than `Request::try_clone`, which always allocates the request's extension map (for
/// its timeout) even when it is empty: two of the allocations the benchmark profile counted
/// per call. Generated requests carry no extensions but a possible timeout, which is copied.
fn spare_copy(request: &Request) -> Option<Request> {
    let body = match request.body() {
        Some(body) => Some(reqwest::Body::from(body.as_bytes()?.to_vec())),
        None => None,
    };
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    *copy.body_mut() = body;
    Some(copy)
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// reqwest is built without a default rustls provider (so no C toolchain for aws-lc is
/// needed); install `ring` unless the application already installed one.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_CONVENTIONS: crate::Conventions = crate::Conventions::standard("Test");
    const TEST_OPERATION: Operation =
        Operation::new("get_order", "GET", "/v1/order", &TEST_CONVENTIONS);

    fn build(base: &str, auth: Auth) -> Result<Transport, ConfigError> {
        Transport::build(base, auth, &ClientConfig::default())
    }

    #[test]
    fn credentials_never_go_to_remote_plain_http() {
        let config = ClientConfig::default();
        let refused = Transport::build("http://api.example.com/v1", Auth::bearer("t"), &config);
        assert!(
            matches!(refused, Err(ConfigError::InsecureTransport { host }) if host == "api.example.com")
        );
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(build(local, Auth::bearer("t")).is_ok(), "{local}");
        }
        let allowed = config.with_insecure_http(true);
        assert!(Transport::build("http://api.example.com", Auth::bearer("t"), &allowed).is_ok());
        assert!(matches!(
            build("ftp://x", Auth::none()),
            Err(ConfigError::InvalidBaseUrl { .. })
        ));
    }

    struct NeverCalled;

    impl crate::TokenSource for NeverCalled {
        fn fetch(&self) -> crate::TokenFuture<'_> {
            Box::pin(async { Err(TokenError::Invalid("not in this test".to_owned())) })
        }
    }

    #[test]
    fn a_token_source_and_a_secret_in_bodies_are_credentials_for_the_plain_http_guard() {
        let config = ClientConfig::default();
        let token = || Auth::token_source(TokenCache::new(NeverCalled, Duration::from_secs(3600)));
        for auth in [token(), Auth::secret_in_body()] {
            assert!(!auth.is_empty());
            let refused = Transport::build("http://api.example.com", auth.clone(), &config);
            assert!(
                matches!(refused, Err(ConfigError::InsecureTransport { .. })),
                "{auth:?}"
            );
            assert!(build("http://127.0.0.1:9", auth).is_ok());
        }
        let transport = build("https://x.test", token()).expect("builds");
        let shown = format!("{transport:?} {:?}", token());
        assert!(shown.contains("token"), "{shown}");
    }

    #[tokio::test]
    async fn authorize_without_a_token_source_is_ready_at_once() {
        let transport = build("https://x.test", Auth::bearer("tok")).expect("builds");
        let url = Url::parse("https://x.test/v1/order").expect("url");
        let mut request = Request::new(reqwest::Method::GET, url);
        let authorize = transport.authorize::<()>(&mut request, &TEST_OPERATION);
        assert!(matches!(authorize.state, AuthorizeState::Ready));
        authorize.await.expect("no fetch");
        assert_eq!(request.headers()["authorization"], "Bearer tok");
    }

    #[test]
    fn base_urls_with_userinfo_query_or_fragment_are_refused_without_echoing_a_password() {
        for base in [
            "https://api.example.com?x=1",
            "https://api.example.com/v1?",
            "https://api.example.com/v1#top",
            "https://user:PASSWORD@api.example.com",
            "https://:PASSWORD@api.example.com",
            "https://user@api.example.com",
            "ftp://user:PASSWORD@api.example.com",
            "http://user:PASSWORD@[::1",
            "mailto:user@example.com",
            "api.example.com",
        ] {
            let error = build(base, Auth::bearer("t")).expect_err(base);
            assert!(
                matches!(error, ConfigError::InvalidBaseUrl { .. }),
                "{base}: {error:?}"
            );
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("PASSWORD"), "{base}: {shown}");
        }
    }

    #[test]
    fn a_trailing_slash_after_a_path_prefix_adds_no_empty_segment() {
        for base in [
            "https://api.example.com/2015-01-01",
            "https://api.example.com/2015-01-01/",
            "https://api.example.com/2015-01-01//",
            "https://API.example.com/2015-01-01/",
        ] {
            let transport = build(base, Auth::none()).expect("builds");
            assert_eq!(transport.base_url(), "https://api.example.com/2015-01-01");
            // The canonical base (what `Client::connect` passes), and the base as given to a
            // generated constructor directly.
            for given in [transport.base_url(), base] {
                let request = transport
                    .request(
                        transport.http_client(),
                        Method::POST,
                        given,
                        "/orders/a/_confirm",
                    )
                    .build()
                    .expect("builds");
                assert_eq!(
                    request.url().path(),
                    "/2015-01-01/orders/a/_confirm",
                    "{given}"
                );
            }
        }
        let root = build("http://127.0.0.1:8080/", Auth::none()).expect("builds");
        assert_eq!(root.base_url(), "http://127.0.0.1:8080");
    }

    #[test]
    fn request_urls_are_the_ones_parsing_base_plus_path_gives() {
        let bases = [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://api.example.com/2015-01-01",
            "https://api.example.com/a/",
            "https://api.example.com/a/b/..",
            "https://API.Example.com/X",
            "https://api.example.com:8443/base",
            "http://[::1]:9/v",
        ];
        let paths = [
            "/v1/order/confirm",
            "/orders/abc%2Fdef/_confirm",
            "/v1/orders/%252e%252e",
            "/v1/orders/%2e%2e",
            "/x/./y/../z",
            "/v1/orders/%C3%A9",
            "/v1/orders/caf\u{e9}",
            "/",
        ];
        for base in bases {
            let transport = build(base, Auth::none()).expect("builds");
            let http = transport.http_client();
            let canonical = transport.base_url();
            for path in paths {
                let built = transport
                    .request(http, Method::GET, canonical, path)
                    .build()
                    .expect("builds");
                // What reqwest makes of the whole URL as a string.
                let whole = http
                    .request(Method::GET, format!("{canonical}{path}"))
                    .build()
                    .expect("builds");
                assert_eq!(built.url(), whole.url(), "{base} + {path}");
                assert_eq!(built.headers(), whole.headers(), "{base} + {path}");
            }
            // Another base than the transport's: parsed as a whole.
            let other = transport
                .request(http, Method::GET, "https://other.example.com", "/v1")
                .build()
                .expect("builds");
            assert_eq!(other.url().as_str(), "https://other.example.com/v1");
        }
    }

    #[test]
    fn a_backslash_never_becomes_a_path_separator() {
        let transport = build("https://api.example.com", Auth::none()).expect("builds");
        for base in ["https://api.example.com", "https://other.example.com"] {
            let request = transport
                .request(
                    transport.http_client(),
                    Method::GET,
                    base,
                    r"/v1/orders/a\..\b",
                )
                .build()
                .expect("builds");
            assert_eq!(request.url().path(), "/v1/orders/a%5C..%5Cb");
        }
    }

    #[test]
    fn prepare_sets_sensitive_credentials_whatever_the_header() {
        let auth = Auth::bearer("tok")
            .with_secret_header(HeaderName::from_static("x-access-key"), "key-1");
        let transport = build("https://x.test", auth).expect("builds");
        let url = Url::parse("https://x.test/v1/order").expect("url");
        let mut request = Request::new(reqwest::Method::GET, url);
        transport.prepare(&mut request);
        assert_eq!(request.headers()["authorization"], "Bearer tok");
        assert_eq!(request.headers()["x-access-key"], "key-1");
        for name in ["authorization", "x-access-key"] {
            assert!(request.headers()[name].is_sensitive(), "{name}");
        }
        let shown = format!("{transport:?}");
        assert!(
            !shown.contains("tok") && !shown.contains("key-1"),
            "{shown}"
        );
    }
}
