//! What the last response looked like (status, headers), for callers of generated methods.
//!
//! progenitor's `Error::InvalidResponsePayload` (an HTML gateway page, truncated JSON) keeps the
//! body but drops the HTTP status and headers. [`observe`] runs a generated call with a
//! task-local slot that [`crate::Transport::execute`] fills with each response's metadata, so
//! the caller can still classify such a failure by its status or read `Retry-After`. The slot
//! is per task, so concurrent calls on one client never see each other's responses.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::StatusCode;
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
}

impl Slot {
    fn into_meta(self) -> Option<ResponseMeta> {
        Some(ResponseMeta {
            status: self.status?,
            headers: self.headers.map(|headers| *headers).unwrap_or_default(),
        })
    }
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
        inner: LAST_RESPONSE.scope(RefCell::new(Slot::default()), call),
    }
}

pin_project_lite::pin_project! {
    /// The future returned by [`observe`].
    pub struct Observe<F: Future> {
        #[pin]
        inner: tokio::task::futures::TaskLocalFuture<RefCell<Slot>, F>,
    }
}

impl<F: Future> Future for Observe<F> {
    type Output = (F::Output, Option<ResponseMeta>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.project().inner;
        let output = std::task::ready!(inner.as_mut().poll(cx));
        let meta = inner
            .take_value()
            .and_then(|slot| slot.into_inner().into_meta());
        Poll::Ready((output, meta))
    }
}

/// Records `response`'s metadata if the caller is inside [`observe`].
pub(crate) fn record(response: &reqwest::Response) {
    let _ = LAST_RESPONSE.try_with(|slot| {
        let status = response.status();
        let headers = (status.as_u16() >= 300).then(|| Box::new(response.headers().clone()));
        *slot.borrow_mut() = Slot {
            status: Some(status),
            headers,
        };
    });
}

/// Runs `f` in a slot of its own: the responses it receives are not recorded into the slot
/// of an [`observe`] around the caller (a token request made while a call waits for its
/// token is not that call's response).
pub(crate) fn isolated<F: Future>(f: F) -> impl Future<Output = F::Output> {
    LAST_RESPONSE.scope(RefCell::new(Slot::default()), f)
}
