//! What the last response looked like (status, headers), for callers of generated methods.
//!
//! progenitor's `Error::InvalidResponsePayload` (an HTML gateway page, truncated JSON) keeps the
//! body but drops the HTTP status and headers. [`observe`] runs a generated call with a
//! task-local slot that [`crate::Transport::execute`] fills with each response's metadata, so
//! the caller can still classify such a failure by its status or read `Retry-After`. The slot
//! is per task, so concurrent calls on one client never see each other's responses.
//!
//! The same slot records how far the call got ([`SendPhase`]), where it happens: the
//! transport marks it when an attempt may have reached the provider, so a caller never
//! re-derives "was anything sent?" from an error's kind. [`observe_call`] returns both.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use reqwest::StatusCode;

use crate::{Operation, TokenError};
use reqwest::header::HeaderMap;

/// Status and headers of a response, as received.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers, kept for redirects and error statuses (300 and up) only: a
    /// success needs none, and copying them on every call shows in the profile.
    pub headers: HeaderMap,
}

/// What the task-local slot holds: kept to a few bytes, because tokio moves the value in and
/// out of its thread-local on every poll of the call (a dozen per call in the benchmark).
/// What is rarely set (an error status, a caller's deadline, a token failure) is boxed, so the
/// slot stays 24 bytes.
#[derive(Default)]
struct Slot {
    status: Option<StatusCode>,
    /// An attempt failed after it may have reached the provider (not a connect failure).
    maybe_sent: bool,
    /// The operation the transport last sent (or tried to).
    operation: Option<&'static Operation>,
    rare: Option<Box<Rare>>,
}

/// The parts of a [`Slot`] that most calls never set.
#[derive(Default)]
struct Rare {
    /// Only for redirects and error statuses (300 and up).
    headers: Option<HeaderMap>,
    /// The caller's deadline for everything in the scope ([`observe_call_until`]).
    deadline: Option<Instant>,
    /// Why the operation's access token could not be obtained (nothing was sent).
    token_failure: Option<TokenError>,
}

impl Slot {
    /// A slot whose calls end by `deadline` (none: `Slot::default()`).
    fn with_deadline(deadline: Option<Instant>) -> Self {
        Self {
            rare: deadline.map(|deadline| {
                Box::new(Rare {
                    deadline: Some(deadline),
                    ..Rare::default()
                })
            }),
            ..Self::default()
        }
    }

    fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }
}

impl Slot {
    fn into_record(self) -> CallRecord {
        let phase = if self.status.is_some() {
            SendPhase::Answered
        } else if self.maybe_sent {
            SendPhase::SentWithoutAnswer
        } else {
            SendPhase::NotSent
        };
        let (headers, token_failure) = match self.rare {
            Some(rare) => (rare.headers, rare.token_failure),
            None => (None, None),
        };
        let response = self.status.map(|status| ResponseMeta {
            status,
            headers: headers.unwrap_or_default(),
        });
        CallRecord {
            response,
            phase,
            operation: self.operation,
            token_failure,
        }
    }
}

/// How far a call got, as the transport recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendPhase {
    /// No request of the operation reached the provider: refused before sending (a bound, a
    /// token that could not be obtained, a deadline spent on the token), or no connection
    /// could be made. Nothing can have taken effect.
    NotSent,
    /// The request was sent, or may have been, and no answer was read (a timeout, a
    /// connection lost after sending).
    SentWithoutAnswer,
    /// The provider answered with an HTTP status.
    Answered,
}

impl SendPhase {
    /// The serialized name: `not_sent`, `sent_without_answer`, `answered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::SentWithoutAnswer => "sent_without_answer",
            Self::Answered => "answered",
        }
    }
}

/// What [`observe_call`] recorded of a call: its last response's metadata and how far it got.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CallRecord {
    /// The last response's status and headers; `None` when no response arrived.
    pub response: Option<ResponseMeta>,
    /// How far the call got.
    pub phase: SendPhase,
    /// The operation the transport last sent or tried to send, as its spec describes it
    /// (whether it changes state, ...); `None` when none reached the transport's `execute`.
    pub operation: Option<&'static Operation>,
    /// Why the call's access token could not be obtained, when that is why it failed (its
    /// request was then not sent): the token endpoint's refusal, a failure to reach it, an
    /// answer that is not a token, or the call's deadline passing while it waited.
    pub token_failure: Option<TokenError>,
}

tokio::task_local! {
    static LAST_RESPONSE: RefCell<Slot>;
}

/// Runs `call` and returns its output with the metadata of the last response it received
/// (`None` when no response arrived: connection refused, timeout before headers, ...).
///
/// The returned future wraps `call` in place (no `async` block around it), so it is only a
/// few bytes larger than `call` and is never copied twice; the benchmark profile showed the
/// copies of a larger wrapper.
pub fn observe<F: Future>(call: F) -> Observe<F> {
    Observe {
        inner: observe_call(call),
    }
}

/// Runs `call` and returns its output with what the transport recorded of it
/// ([`CallRecord`]): the last response's metadata and whether anything was sent. A provider
/// crate used alone reads the phase of a failed generated call this way:
///
/// ```
/// # async fn run(client: &reqwest::Client) {
/// use ordergate_runtime::{SendPhase, observe_call};
/// let (result, record) = observe_call(async { client.get("http://127.0.0.1:9/").send().await }).await;
/// // Not through a generated client's transport, so nothing was recorded as sent.
/// assert_eq!(record.phase, SendPhase::NotSent);
/// # drop(result);
/// # }
/// ```
///
/// Inside [`observe_call_until`] or [`within_deadline`], the enclosing deadline applies to
/// `call` too.
pub fn observe_call<F: Future>(call: F) -> ObserveCall<F> {
    let slot = Slot::with_deadline(scoped_deadline());
    ObserveCall {
        inner: LAST_RESPONSE.scope(RefCell::new(slot), call),
    }
}

/// Runs `calls` (several generated calls, or a facade operation that makes several) within
/// one `deadline`: every generated call inside ends by it (token fetch, attempts, waits,
/// replay), when it is earlier than the call's own. A caller that makes a confirm and then a
/// lookup to settle its answer gives both what is left of one deadline.
pub fn within_deadline<F: Future>(deadline: Instant, calls: F) -> impl Future<Output = F::Output> {
    let slot = Slot::with_deadline(Some(match scoped_deadline() {
        Some(outer) if outer < deadline => outer,
        _ => deadline,
    }));
    LAST_RESPONSE.scope(RefCell::new(slot), calls)
}

/// [`observe_call`] within `deadline`: every generated call made inside `call` ends by
/// `deadline` when it is earlier than the call's own
/// ([`ClientConfig::timeout`](crate::ClientConfig::timeout)): its token fetch, its attempts,
/// its waits, its replay. For a
/// caller that makes several calls under one deadline (a confirm and the lookup after it).
pub fn observe_call_until<F: Future>(deadline: Instant, call: F) -> ObserveCall<F> {
    let slot = Slot::with_deadline(Some(deadline));
    ObserveCall {
        inner: LAST_RESPONSE.scope(RefCell::new(slot), call),
    }
}

/// The deadline of the enclosing [`observe_call_until`], if any.
pub(crate) fn scoped_deadline() -> Option<Instant> {
    LAST_RESPONSE
        .try_with(|slot| slot.borrow().rare.as_ref().and_then(|rare| rare.deadline))
        .ok()
        .flatten()
}

pin_project_lite::pin_project! {
    /// The future returned by [`observe`].
    pub struct Observe<F: Future> {
        #[pin]
        inner: ObserveCall<F>,
    }
}

impl<F: Future> Future for Observe<F> {
    type Output = (F::Output, Option<ResponseMeta>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project()
            .inner
            .poll(cx)
            .map(|(output, record)| (output, record.response))
    }
}

pin_project_lite::pin_project! {
    /// The future returned by [`observe_call`].
    pub struct ObserveCall<F: Future> {
        #[pin]
        inner: tokio::task::futures::TaskLocalFuture<RefCell<Slot>, F>,
    }
}

impl<F: Future> Future for ObserveCall<F> {
    type Output = (F::Output, CallRecord);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.project().inner;
        let output = std::task::ready!(inner.as_mut().poll(cx));
        let record = inner
            .take_value()
            .map(|slot| slot.into_inner().into_record())
            .unwrap_or(CallRecord {
                response: None,
                phase: SendPhase::NotSent,
                operation: None,
                token_failure: None,
            });
        Poll::Ready((output, record))
    }
}

/// What the `finish` of [`observe_call_then`] makes of a call's output: the answer now, or a
/// future for it (boxed: for a rare path, such as reading an error body).
pub enum Finish<'a, O> {
    /// The answer.
    Now(O),
    /// A future for the answer.
    Later(Pin<Box<dyn Future<Output = O> + Send + 'a>>),
}

impl<O> fmt::Debug for Finish<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Now(_) => "Finish::Now",
            Self::Later(_) => "Finish::Later",
        })
    }
}

/// [`observe_call`], then `finish` applied to the call's output and record, in one future:
/// what `observe_call(call).then(..).map(..)` does, without the combinators, each of which
/// took the (large) generated future by value and copied it (`memcpy` in the benchmark
/// profile of the facade).
pub fn observe_call_then<'a, F, G, O>(call: F, finish: G) -> ObserveThen<'a, F, G, O>
where
    F: Future,
    G: FnOnce(F::Output, CallRecord) -> Finish<'a, O>,
{
    ObserveThen {
        inner: observe_call(call),
        finish: Some(finish),
        later: None,
    }
}

pin_project_lite::pin_project! {
    /// The future returned by [`observe_call_then`].
    pub struct ObserveThen<'a, F: Future, G, O> {
        #[pin]
        inner: ObserveCall<F>,
        finish: Option<G>,
        later: Option<Pin<Box<dyn Future<Output = O> + Send + 'a>>>,
    }
}

impl<'a, F, G, O> Future for ObserveThen<'a, F, G, O>
where
    F: Future,
    G: FnOnce(F::Output, CallRecord) -> Finish<'a, O>,
{
    type Output = O;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<O> {
        let this = self.project();
        if let Some(later) = this.later {
            return later.as_mut().poll(cx);
        }
        let (output, record) = std::task::ready!(this.inner.poll(cx));
        // Polled again after it completed: it stays pending (never a panic).
        let Some(finish) = this.finish.take() else {
            return Poll::Pending;
        };
        match finish(output, record) {
            Finish::Now(answer) => Poll::Ready(answer),
            Finish::Later(mut later) => {
                let polled = later.as_mut().poll(cx);
                *this.later = Some(later);
                polled
            }
        }
    }
}

impl<F: Future, G, O> fmt::Debug for ObserveThen<'_, F, G, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObserveThen").finish_non_exhaustive()
    }
}

/// Records `response`'s metadata if the caller is inside [`observe`].
pub(crate) fn record(response: &reqwest::Response) {
    let _ = LAST_RESPONSE.try_with(|slot| {
        let status = response.status();
        let headers = (status.as_u16() >= 300).then(|| response.headers().clone());
        let mut slot = slot.borrow_mut();
        slot.status = Some(status);
        if headers.is_some() || slot.rare.is_some() {
            slot.rare().headers = headers;
        }
    });
}

/// Records that the transport is about to send `operation`, and returns the caller's deadline
/// (the enclosing [`observe_call_until`] or [`within_deadline`], if any): one visit to the
/// task-local per call.
pub(crate) fn record_operation(operation: &'static Operation) -> Option<Instant> {
    LAST_RESPONSE
        .try_with(|slot| {
            let mut slot = slot.borrow_mut();
            slot.operation = Some(operation);
            slot.rare.as_ref().and_then(|rare| rare.deadline)
        })
        .ok()
        .flatten()
}

/// Runs `f` in a slot of its own: the responses it receives are not recorded into the slot
/// of an [`observe`] around the caller (a token request made while a call waits for its
/// token is not that call's response), and no caller's deadline applies to it (a token load
/// is shared by every caller waiting for it; each bounds its own wait).
pub(crate) fn isolated<F: Future>(f: F) -> impl Future<Output = F::Output> {
    LAST_RESPONSE.scope(RefCell::new(Slot::default()), f)
}

/// Records why the call's access token could not be obtained.
pub(crate) fn record_token_failure(error: &TokenError) {
    let _ = LAST_RESPONSE.try_with(|slot| {
        slot.borrow_mut().rare().token_failure = Some(error.clone());
    });
}

/// Records that an attempt failed after it may have reached the provider
/// ([`crate::transport`] decides which failures those are).
pub(crate) fn record_failure_after_sending() {
    // The last attempt decides how far the call got: an answer to an earlier attempt (a 503
    // before a retry that timed out) is no longer the call's answer.
    let _ = LAST_RESPONSE.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        slot.maybe_sent = true;
        slot.status = None;
    });
}
