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
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use reqwest::StatusCode;

use crate::Operation;
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
#[derive(Default)]
struct Slot {
    status: Option<StatusCode>,
    /// Only for redirects and error statuses (300 and up).
    headers: Option<Box<HeaderMap>>,
    /// An attempt failed after it may have reached the provider (not a connect failure).
    maybe_sent: bool,
    /// The caller's deadline for everything in the scope ([`observe_call_until`]).
    deadline: Option<Instant>,
    /// The operation the transport last sent (or tried to).
    operation: Option<&'static Operation>,
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
        let response = self.status.map(|status| ResponseMeta {
            status,
            headers: self.headers.map(|headers| *headers).unwrap_or_default(),
        });
        CallRecord {
            response,
            phase,
            operation: self.operation,
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
pub fn observe_call<F: Future>(call: F) -> ObserveCall<F> {
    ObserveCall {
        inner: LAST_RESPONSE.scope(RefCell::new(Slot::default()), call),
    }
}

/// [`observe_call`] within `deadline`: every generated call made inside `call` ends by
/// `deadline` when it is earlier than the call's own ([`ClientConfig::timeout`]
/// (crate::ClientConfig::timeout)): its token fetch, its attempts, its waits, its replay. For a
/// caller that makes several calls under one deadline (a confirm and the lookup after it).
pub fn observe_call_until<F: Future>(deadline: Instant, call: F) -> ObserveCall<F> {
    let slot = Slot {
        deadline: Some(deadline),
        ..Slot::default()
    };
    ObserveCall {
        inner: LAST_RESPONSE.scope(RefCell::new(slot), call),
    }
}

/// The deadline of the enclosing [`observe_call_until`], if any.
pub(crate) fn scoped_deadline() -> Option<Instant> {
    LAST_RESPONSE
        .try_with(|slot| slot.borrow().deadline)
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
            });
        Poll::Ready((output, record))
    }
}

/// Runs `f` with a slot of its own, so that the requests it makes (a token fetch inside an
/// operation's call) are not recorded as the operation's.
pub(crate) fn isolated<F: Future>(f: F) -> impl Future<Output = F::Output> {
    let slot = Slot {
        deadline: scoped_deadline(),
        ..Slot::default()
    };
    LAST_RESPONSE.scope(RefCell::new(slot), f)
}

/// Records `response`'s metadata if the caller is inside [`observe`].
pub(crate) fn record(response: &reqwest::Response) {
    let _ = LAST_RESPONSE.try_with(|slot| {
        let status = response.status();
        let headers = (status.as_u16() >= 300).then(|| Box::new(response.headers().clone()));
        let mut slot = slot.borrow_mut();
        slot.status = Some(status);
        slot.headers = headers;
    });
}

/// Records that the transport is about to send `operation`.
pub(crate) fn record_operation(operation: &'static Operation) {
    let _ = LAST_RESPONSE.try_with(|slot| slot.borrow_mut().operation = Some(operation));
}

/// Records that an attempt failed with `error` after it may have reached the provider (any
/// failure but a refused connection or a request that could not be built).
pub(crate) fn record_failure(error: &reqwest::Error) {
    if error.is_connect() || error.is_builder() {
        return;
    }
    let _ = LAST_RESPONSE.try_with(|slot| slot.borrow_mut().maybe_sent = true);
}
