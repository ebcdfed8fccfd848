//! The transaction status API: `GET /transactions/{transaction_id}` in 1mg's "Merchant
//! Payment Solution" guide (<https://onedoc.1mg.com/public_docs/>).

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::FutureExt;

use super::path::{TRANSACTION_ID_CAPTURE, checked};
use super::reply::json_field;
use super::{DEFAULT_TRANSACTION_STATUS_PATH, HeaderToken, SetupError};
use crate::types::TransactionStatus;

/// Where [`TransactionStatusApi`] finds a transaction: your payment records.
///
/// Implemented by any `Fn(String) -> impl Future<Output = Result<Option<TransactionStatus>, E>>`
/// (a closure capturing what it needs, an `Arc` of your store for one), and implementable on
/// your own type ("Merchant Payment Solution" guide, <https://onedoc.1mg.com/public_docs/>).
pub trait TransactionLookup: Send + Sync + 'static {
    /// Why a lookup failed; 1mg is answered 500 (without it) and does not confirm the order.
    /// Log it in your lookup if you need to see it.
    type Error: Send + 'static;

    /// The transaction `transaction_id`, which 1mg always sets to the merchant order id
    /// (`merchant_order_id` of Create Order); `Ok(None)` when there is none (answered 404).
    ///
    /// The answer's `transaction_id` should be the one asked for, its `order_id` 1mg's order
    /// id. 1mg reads it to confirm the payment status; answer
    /// [`TransactionState::Success`](crate::types::TransactionState::Success) only for a paid
    /// transaction (the guide does not say how 1mg treats the other states).
    fn transaction_status(
        &self,
        transaction_id: String,
    ) -> impl Future<Output = Result<Option<TransactionStatus>, Self::Error>> + Send;
}

impl<F, Fut, E> TransactionLookup for F
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<TransactionStatus>, E>> + Send,
    E: Send + 'static,
{
    type Error = E;

    fn transaction_status(
        &self,
        transaction_id: String,
    ) -> impl Future<Output = Result<Option<TransactionStatus>, E>> + Send {
        self(transaction_id)
    }
}

/// The merchant's transaction status API, which 1mg calls while it confirms an `ONLINE`
/// order ("Merchant Payment Solution" guide, <https://onedoc.1mg.com/public_docs/>).
///
/// `GET <path>` with the configured token answers:
///
/// | case | status | body |
/// |---|---|---|
/// | the lookup found it | 200 | the [`TransactionStatus`], `amount` rounded to 2 decimals |
/// | the lookup found nothing | 404 | `{"error": "transaction not found"}` |
/// | token missing, sent twice or wrong | 401 | `{"error": "unauthorized"}` (lookup not called) |
/// | the id is not valid UTF-8 once percent-decoded | 400 | `{"error": "invalid transaction id"}` |
/// | the lookup failed or panicked, or gave a non-finite amount | 500 | `{"error": "transaction lookup failed"}` |
pub struct TransactionStatusApi<L> {
    auth: HeaderToken,
    lookup: Arc<L>,
    path: String,
}

impl<L: TransactionLookup> TransactionStatusApi<L> {
    /// Answers calls carrying the token `auth` accepts (see
    /// [`header_token`](super::header_token)) from `lookup`, at
    /// [`DEFAULT_TRANSACTION_STATUS_PATH`].
    pub fn new(auth: HeaderToken, lookup: L) -> Self {
        Self::from_shared(auth, Arc::new(lookup))
    }

    /// As [`new`](Self::new), with a lookup you share with other parts of your application
    /// (it may also be the [`OrderUpdateHandler`](super::OrderUpdateHandler) of an
    /// [`OrderUpdateWebhook`](super::OrderUpdateWebhook)).
    pub fn from_shared(auth: HeaderToken, lookup: Arc<L>) -> Self {
        Self {
            auth,
            lookup,
            path: DEFAULT_TRANSACTION_STATUS_PATH.to_owned(),
        }
    }

    /// Serves at `path` instead, an axum path with `{transaction_id}` as one whole segment,
    /// such as `/payments/1mg/{transaction_id}` (the guide lets the merchant choose it).
    /// Checked by [`into_router`](Self::into_router).
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The router: one `GET` route at the path (axum answers `HEAD` too, and 405 for other
    /// methods). Merge it into your application's router.
    ///
    /// # Errors
    /// [`SetupError::InvalidPath`] when the path does not start with `/`, lacks the
    /// `{transaction_id}` segment or holds another capture.
    pub fn into_router(self) -> Result<Router, SetupError> {
        checked(&self.path, Some(TRANSACTION_ID_CAPTURE))?;
        let shared = Arc::new(Shared {
            auth: self.auth,
            lookup: self.lookup,
        });
        Ok(Router::new()
            .route(&self.path, get(answer::<L>))
            .with_state(shared))
    }
}

impl<L> fmt::Debug for TransactionStatusApi<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransactionStatusApi")
            .field("auth", &self.auth)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What every call of one router shares.
struct Shared<L> {
    auth: HeaderToken,
    lookup: Arc<L>,
}

/// Answers one call (the table on [`TransactionStatusApi`]).
async fn answer<L: TransactionLookup>(
    State(shared): State<Arc<Shared<L>>>,
    headers: HeaderMap,
    transaction_id: Result<Path<String>, PathRejection>,
) -> Response {
    if shared.auth.verify_headers(&headers).is_err() {
        return json_field(StatusCode::UNAUTHORIZED, "error", "unauthorized");
    }
    let Ok(Path(transaction_id)) = transaction_id else {
        return json_field(StatusCode::BAD_REQUEST, "error", "invalid transaction id");
    };
    let lookup = AssertUnwindSafe(shared.lookup.transaction_status(transaction_id));
    match lookup.catch_unwind().await {
        Ok(Ok(Some(status))) => match rounded(status) {
            Some(status) => (StatusCode::OK, axum::Json(status)).into_response(),
            None => lookup_failed(),
        },
        Ok(Ok(None)) => json_field(StatusCode::NOT_FOUND, "error", "transaction not found"),
        Ok(Err(_)) | Err(_) => lookup_failed(),
    }
}

fn lookup_failed() -> Response {
    json_field(
        StatusCode::INTERNAL_SERVER_ERROR,
        "error",
        "transaction lookup failed",
    )
}

/// `status` with its amount rounded to 2 decimals, as the guide asks; `None` for an amount
/// that is not a finite number (JSON cannot carry it).
fn rounded(mut status: TransactionStatus) -> Option<TransactionStatus> {
    let cents = (status.amount * 100.0).round();
    if !cents.is_finite() {
        return None;
    }
    status.amount = cents / 100.0;
    Some(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::TransactionState;

    fn with_amount(amount: f64) -> TransactionStatus {
        TransactionStatus {
            order_id: "1MG121211111".into(),
            transaction_id: "MERCHANT122334444".into(),
            amount,
            status: TransactionState::Success,
        }
    }

    #[test]
    fn amounts_are_rounded_to_cents_and_non_finite_ones_refused() {
        let amount = |value: f64| rounded(with_amount(value)).map(|status| status.amount);
        assert_eq!(amount(1221.11), Some(1221.11));
        assert_eq!(amount(1221.109999), Some(1221.11));
        assert_eq!(amount(0.005), Some(0.01));
        assert_eq!(amount(10.0), Some(10.0));
        assert_eq!(amount(f64::NAN), None);
        assert_eq!(amount(f64::INFINITY), None);
        assert_eq!(amount(f64::MAX), None);
    }
}
