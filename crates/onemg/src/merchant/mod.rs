//! The two APIs a merchant hosts and Tata 1mg calls, as [axum](https://docs.rs/axum) routers:
//! the **transaction status API** and the **order-update webhook** (feature `merchant`).
//!
//! Both come from 1mg's merchant integration documentation
//! (<https://onedoc.1mg.com/public_docs/>, section "Merchant Integration Documentation"):
//!
//! - "Merchant Payment Solution": for an `ONLINE` order the merchant collects the payment and
//!   1mg treats it as a payment gateway. While confirming such an order, 1mg asks the
//!   merchant's transaction status API (`GET /transactions/{transaction_id}` in the guide's
//!   example; the merchant chooses the path) about the transaction, whose id is always the
//!   merchant order id, to confirm the payment status (the guide does not say how 1mg treats
//!   `PENDING` or `FAILED`; report `SUCCESS` only for a transaction that is paid).
//!   [`TransactionStatusApi`] serves it over a [`TransactionLookup`] of yours.
//! - "Merchant Order Updates": 1mg POSTs order status changes
//!   (`{"grouped_orders": [{"order_id": ..., "order_status": {...}}]}`) to a URL of the
//!   merchant's (`/update-status/` in the guide's example). The merchant answers with a
//!   `status` field and a 2xx; an answer below 200 or from 300 up counts as failed and 1mg
//!   sends the update again later. [`OrderUpdateWebhook`] serves it over an
//!   [`OrderUpdateHandler`] of yours.
//!
//! For both, the guides leave authentication to the merchant and allow a token the merchant
//! shares with 1mg, sent "in the request headers". Both routers check it with the runtime's
//! [`HeaderToken`] scheme (constant-time comparison, the token kept only as a keyed hash,
//! never shown in `Debug`), before reading anything else of the request: a refused call never
//! reaches your code. The guides do not name the header; [`header_token`] uses
//! [`DEFAULT_TOKEN_HEADER`] (`X-Auth-Token`, after the guide's "auth-token"), and
//! [`HeaderToken::new`] takes any other name. Tell 1mg the header's name with the token.
//!
//! Each builder makes a [`Router`](axum::Router) with one route; merge them into your
//! application's router, behind your own layers (timeouts, tracing, TLS termination):
//!
//! ```no_run
//! use ordergate_onemg::merchant::{self, OrderUpdateWebhook, TransactionStatusApi};
//! use ordergate_onemg::types::{OrderUpdate, TransactionState, TransactionStatus};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let token = merchant::header_token(std::env::var("ONEMG_CALLBACK_TOKEN")?)?;
//! let transactions = TransactionStatusApi::new(token.clone(), |transaction_id: String| async move {
//!     // Look the payment up in your own store; `None` answers 404.
//!     Ok::<_, std::io::Error>(Some(TransactionStatus {
//!         order_id: "1MG121211111".into(),
//!         transaction_id,
//!         amount: 1221.11,
//!         status: TransactionState::Success,
//!     }))
//! });
//! let updates = OrderUpdateWebhook::new(token, |update: OrderUpdate| async move {
//!     for order in &update.grouped_orders {
//!         println!("{} changed", order.order_id);
//!     }
//!     Ok::<_, std::io::Error>(()) // an `Err` answers 500, and 1mg sends the update again
//! });
//! let app = axum::Router::new()
//!     .merge(transactions.into_router()?)
//!     .merge(updates.into_router()?);
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```

mod body;
mod order_update;
mod path;
mod reply;
mod setup_error;
mod transaction_status;

pub use order_update::{OrderUpdateHandler, OrderUpdateWebhook};
pub use ordergate_runtime::inbound::{DEFAULT_MAX_BODY_BYTES, HeaderToken, InboundError};
pub use setup_error::SetupError;
pub use transaction_status::{TransactionLookup, TransactionStatusApi};

/// The header [`header_token`] reads the token from: `X-Auth-Token`.
///
/// 1mg's guides ("Merchant Payment Solution" and "Merchant Order Updates",
/// <https://onedoc.1mg.com/public_docs/>) let the merchant choose token authentication "via
/// header" and share the token, but name no header; this one follows the guides' word
/// "auth-token". Build the scheme with [`HeaderToken::new`] for another name, and tell 1mg
/// which header to send either way.
pub const DEFAULT_TOKEN_HEADER: &str = "X-Auth-Token";

/// The transaction status API's path in 1mg's "Merchant Payment Solution" guide
/// (<https://onedoc.1mg.com/public_docs/>): `/transactions/{transaction_id}`, the
/// [`TransactionStatusApi`]'s default.
pub const DEFAULT_TRANSACTION_STATUS_PATH: &str = "/transactions/{transaction_id}";

/// The order-update webhook's path in 1mg's "Merchant Order Updates" guide
/// (<https://onedoc.1mg.com/public_docs/>): `/update-status/` (with its trailing slash), the
/// [`OrderUpdateWebhook`]'s default.
pub const DEFAULT_ORDER_UPDATE_PATH: &str = "/update-status/";

/// The scheme accepting exactly `token` in [`DEFAULT_TOKEN_HEADER`], for both routers
/// (1mg's guides: token authentication via a header, <https://onedoc.1mg.com/public_docs/>).
///
/// # Errors
/// [`InboundError::EmptySecret`] for an empty token (anyone could send it), or
/// [`InboundError::RandomUnavailable`].
pub fn header_token(token: impl AsRef<[u8]>) -> Result<HeaderToken, InboundError> {
    HeaderToken::new(DEFAULT_TOKEN_HEADER, token)
}
