//! The order-update webhook: `POST /update-status/` in 1mg's "Merchant Order Updates" guide
//! (<https://onedoc.1mg.com/public_docs/>).

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use futures_util::FutureExt;

use super::body::{BodyError, announced_too_large, read_at_most};
use super::path::checked;
use super::reply::json_field;
use super::{DEFAULT_MAX_BODY_BYTES, DEFAULT_ORDER_UPDATE_PATH, HeaderToken, SetupError};
use crate::types::OrderUpdate;

/// What [`OrderUpdateWebhook`] hands each verified update to: your order records.
///
/// Implemented by any `Fn(OrderUpdate) -> impl Future<Output = Result<(), E>>` (a closure
/// capturing what it needs), and implementable on your own type ("Merchant Order Updates"
/// guide, <https://onedoc.1mg.com/public_docs/>).
pub trait OrderUpdateHandler: Send + Sync + 'static {
    /// Why an update could not be taken; 1mg is answered 500 (without it) and sends the update
    /// again later. Log it in your handler if you need to see it.
    type Error: Send + 'static;

    /// Takes one update: one or more orders (`grouped_orders`), each with 1mg's `order_id`
    /// and, usually, its new `order_status` (`status_id`: 1mg's numeric status, the
    /// guide's table).
    ///
    /// Return `Ok` once the update is stored: 1mg is then answered 200 and does not send it
    /// again. 1mg retries failed updates, so the same update can come more than once; apply
    /// it idempotently (by `order_id` and `updated`).
    fn order_update(
        &self,
        update: OrderUpdate,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

impl<F, Fut, E> OrderUpdateHandler for F
where
    F: Fn(OrderUpdate) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send,
    E: Send + 'static,
{
    type Error = E;

    fn order_update(&self, update: OrderUpdate) -> impl Future<Output = Result<(), E>> + Send {
        self(update)
    }
}

/// The merchant's order-update webhook, which 1mg POSTs order status changes to ("Merchant
/// Order Updates" guide, <https://onedoc.1mg.com/public_docs/>).
///
/// The guide asks for an answer with a `status` field and a 2xx, and retries any other
/// status later. `POST <path>` answers:
///
/// | case | status | body | handler called |
/// |---|---|---|---|
/// | handler returned `Ok` | 200 | `{"status": "success"}` | yes |
/// | handler returned `Err` or panicked | 500 | `{"status": "failure"}` | yes |
/// | token missing, sent twice or wrong | 401 | `{"status": "unauthorized"}` | no |
/// | body over the limit ([`max_body_bytes`](Self::max_body_bytes)) | 413 | `{"status": "payload_too_large"}` | no |
/// | body not JSON, or not an `OrderUpdate` | 400 | `{"status": "invalid_payload"}` | no |
///
/// The token is checked before the body is read; a body announced (`Content-Length`) or
/// found longer than the limit is refused without reading the rest. The body is decoded
/// tolerantly: fields this version does not know are ignored, optional fields may be missing
/// or `null`, and `status_id` keeps codes the docs do not list.
pub struct OrderUpdateWebhook<H> {
    auth: HeaderToken,
    handler: Arc<H>,
    path: String,
    max_body_bytes: usize,
}

impl<H: OrderUpdateHandler> OrderUpdateWebhook<H> {
    /// Hands updates carrying the token `auth` accepts (see
    /// [`header_token`](super::header_token)) to `handler`, at [`DEFAULT_ORDER_UPDATE_PATH`],
    /// reading bodies up to [`DEFAULT_MAX_BODY_BYTES`].
    pub fn new(auth: HeaderToken, handler: H) -> Self {
        Self::from_shared(auth, Arc::new(handler))
    }

    /// As [`new`](Self::new), with a handler you share with other parts of your application
    /// (it may also be the [`TransactionLookup`](super::TransactionLookup) of a
    /// [`TransactionStatusApi`](super::TransactionStatusApi)).
    pub fn from_shared(auth: HeaderToken, handler: Arc<H>) -> Self {
        Self {
            auth,
            handler,
            path: DEFAULT_ORDER_UPDATE_PATH.to_owned(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Serves at `path` instead, an axum path without captures, such as `/1mg/orders` (the
    /// guide lets the merchant choose it). Checked by [`into_router`](Self::into_router).
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Reads bodies up to `limit` bytes (default [`DEFAULT_MAX_BODY_BYTES`], 1 MiB); a longer
    /// one is answered 413. This limit replaces the one set on the [`HeaderToken`].
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The router: one `POST` route at the path (axum answers 405 for other methods). Merge
    /// it into your application's router.
    ///
    /// # Errors
    /// [`SetupError::InvalidPath`] when the path does not start with `/` or holds a capture.
    pub fn into_router(self) -> Result<Router, SetupError> {
        checked(&self.path, None)?;
        let shared = Arc::new(Shared {
            auth: self.auth.with_max_body_bytes(self.max_body_bytes),
            handler: self.handler,
        });
        Ok(Router::new()
            .route(&self.path, post(receive::<H>))
            .with_state(shared))
    }
}

impl<H> fmt::Debug for OrderUpdateWebhook<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrderUpdateWebhook")
            .field("auth", &self.auth)
            .field("path", &self.path)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// What every call of one router shares.
struct Shared<H> {
    auth: HeaderToken,
    handler: Arc<H>,
}

/// Answers one call (the table on [`OrderUpdateWebhook`]).
async fn receive<H: OrderUpdateHandler>(
    State(shared): State<Arc<Shared<H>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // The token depends on the headers only: check it before reading a byte of the body.
    let Ok(caller) = shared.auth.verify_headers(&headers) else {
        return unauthorized();
    };
    if announced_too_large(&headers, caller.max_body_bytes()) {
        return too_large();
    }
    let body = match read_at_most(body, caller.max_body_bytes()).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return too_large(),
        Err(BodyError::Interrupted) => return invalid_payload(),
    };
    let update = match caller
        .body(&body)
        .and_then(|verified| verified.parse::<OrderUpdate>())
    {
        Ok(update) => update,
        Err(ordergate_runtime::inbound::InboundError::BodyTooLarge { .. }) => return too_large(),
        Err(_) => return invalid_payload(),
    };
    let taken = AssertUnwindSafe(shared.handler.order_update(update));
    match taken.catch_unwind().await {
        Ok(Ok(())) => json_field(StatusCode::OK, "status", "success"),
        Ok(Err(_)) | Err(_) => json_field(StatusCode::INTERNAL_SERVER_ERROR, "status", "failure"),
    }
}

fn unauthorized() -> Response {
    json_field(StatusCode::UNAUTHORIZED, "status", "unauthorized")
}

fn too_large() -> Response {
    json_field(StatusCode::PAYLOAD_TOO_LARGE, "status", "payload_too_large")
}

fn invalid_payload() -> Response {
    json_field(StatusCode::BAD_REQUEST, "status", "invalid_payload")
}
