//! What the last response looked like (status, headers), for callers of generated methods.
//!
//! progenitor's `Error::InvalidResponsePayload` (an HTML gateway page, truncated JSON) keeps the
//! body but drops the HTTP status and headers. [`observe`] runs a generated call with a
//! task-local slot that [`crate::Transport::execute`] fills with each response's metadata, so
//! the caller can still classify such a failure by its status or read `Retry-After`. The slot
//! is per task, so concurrent calls on one client never see each other's responses.

use std::cell::RefCell;
use std::future::Future;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Status and headers of a response, as received.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers, kept for error statuses (400 and up) only: a success needs none,
    /// and copying them on every call shows in the profile.
    pub headers: HeaderMap,
}

tokio::task_local! {
    static LAST_RESPONSE: RefCell<Option<ResponseMeta>>;
}

/// Runs `call` and returns its output with the metadata of the last response it received
/// (`None` when no response arrived: connection refused, timeout before headers, ...).
pub async fn observe<F: Future>(call: F) -> (F::Output, Option<ResponseMeta>) {
    LAST_RESPONSE
        .scope(RefCell::new(None), async move {
            let output = call.await;
            let meta = LAST_RESPONSE.with(|slot| slot.borrow_mut().take());
            (output, meta)
        })
        .await
}

/// Records `response`'s metadata if the caller is inside [`observe`].
pub(crate) fn record(response: &reqwest::Response) {
    let _ = LAST_RESPONSE.try_with(|slot| {
        let status = response.status();
        let headers = if status.as_u16() >= 400 {
            response.headers().clone()
        } else {
            HeaderMap::new()
        };
        *slot.borrow_mut() = Some(ResponseMeta { status, headers });
    });
}
