//! Fake Tata 1mg (`specs/onemg.yaml`), served under `/onemg`: Create Order, Confirm Order
//! and Cancel Order, with 1mg's numeric order statuses on the sandbox clock, its
//! order-update webhook, and the payment check against the merchant's transaction status
//! API.
//!
//! - `POST /api/v4/merchants/{merchant_id}/orders` (`orders`): a new order `PO…`; COD orders
//!   are placed at once (15 Placed), ONLINE orders wait for Confirm Order (17 Payment
//!   Confirmation Awaited).
//! - `PUT /api/v4/merchants/{merchant_id}/orders/{id}/confirm`: an ONLINE order at 17 with
//!   the right `merchant_order_id` whose payment is `SUCCESS` (`payments`; approved by the
//!   fake itself unless [`OnemgOptions::transaction_api`] is set) moves to 15. An unknown
//!   order, another merchant id, a body `order_id` other than the path's or a
//!   `merchant_order_id` that does not match: HTTP 500 "Order not found". A cancelled order:
//!   500 "Map payment to order operation failed"; so is a payment that is not `SUCCESS`
//!   (`FAILED` verbatim as the docs' example; `PENDING`, an unreachable or slow merchant or
//!   an answer that is not a `TransactionStatus` with the reason in `errors[].message`), and
//!   the order stays at 17. Any other order (a COD order, one already confirmed): 400
//!   "Invalid order status for this operation" (the docs say never to confirm a COD order).
//! - `POST /api/v4/{merchant_id}/order/cancel`: before packing (17, 15, 120) the order moves
//!   to 99; from 130 on (and once cancelled) 400 "Invalid order status for this operation"
//!   with `errors: null`; an unknown order 500 "Order not found".
//! - The clock (`flow`, `status`): 15 → 120 → 130 → 25 → 30 → 40, one status per step.
//! - Webhooks (`webhooks`): an `OrderUpdate` each time an order takes a status, when
//!   [`OnemgOptions::webhook`] is set.
//!
//! Every request needs `Authorization: Bearer <JWT>`, an RS256 token with an `exp`, signed
//! with the merchant's private key and checked with its public key (`keys`: the sandbox's
//! own pair unless [`OnemgOptions::public_key`] names another), and the `X-Access-Key`
//! [`ACCESS_KEY`]; else HTTP 401 "Unauthorized". Tokens are checked against the wall clock
//! (the merchant signs with it), so advancing the sandbox clock does not expire them. A body
//! that is not the operation's request: 400 "Invalid request". Every order's merchant order
//! id is the one Create Order was given; the seeded orders' follows [`merchant_order_id`].
//!
//! Sources: the create-order-api, confirm-order-api and cancel-order pages
//! (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/confirm-order-api> and
//! siblings), and the merchant integration guides (<https://onedoc.1mg.com/public_docs/>).

mod flow;
mod keys;
mod options;
mod orders;
mod payments;
mod status;
mod webhooks;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{post, put};
use chrono::{DateTime, Utc};
use ordergate_onemg::{codes, types};
use ordergate_runtime::inbound::Rs256Verifier;
use serde_json::Value;

pub use keys::{SANDBOX_PRIVATE_KEY_PEM, SANDBOX_PUBLIC_KEY_PEM, TOKEN};
pub use options::{MAX_TRANSACTION_BYTES, OnemgOptions, TRANSACTION_ID, TRANSACTION_TIMEOUT};

use crate::credentials::secret_matches;
use crate::fake::{FakeState, Served, operation};
use crate::http::{header_text, lock, reply_value};
use crate::store::OrderRules;
use crate::{SandboxOptions, WebhookDelivery};

use orders::OnemgOrder;
use status::Status;

/// The operation ids, as the spec names them.
const CREATE_ORDER: &str = "create_order";
const CONFIRM_ORDER: &str = "confirm_order";
const CANCEL_ORDER: &str = "cancel_order";

/// The prefix of every 1mg order id, and the prefix that replaces it in the merchant order id.
const ONEMG_PREFIX: &str = "PO";
const MERCHANT_PREFIX: &str = "MO";

/// The `X-Access-Key` the fake accepts.
pub const ACCESS_KEY: &str = "onemg-sandbox-access-key";
/// The merchant id of the fake (the `{merchant_id}` path segment).
pub const MERCHANT_ID: &str = "ordergate-sandbox";

/// The merchant order id of the seeded 1mg order `onemg_order_id` (and of one seeded with
/// [`Sandbox::seed_order`](crate::Sandbox::seed_order)): the same id with its `PO` prefix
/// replaced by `MO` (`PO29523371880004` → `MO29523371880004`). `None` when the id does not
/// start with `PO`. An order made by Create Order keeps the merchant order id it was given
/// ([`Sandbox::merchant_order_id`](crate::Sandbox::merchant_order_id) knows both).
///
/// ```
/// assert_eq!(
///     ordergate_sandbox::onemg::merchant_order_id("PO29523371880004").as_deref(),
///     Some("MO29523371880004")
/// );
/// assert_eq!(ordergate_sandbox::onemg::merchant_order_id("29523371880004"), None);
/// ```
pub fn merchant_order_id(onemg_order_id: &str) -> Option<String> {
    onemg_order_id
        .strip_prefix(ONEMG_PREFIX)
        .map(|rest| format!("{MERCHANT_PREFIX}{rest}"))
}

/// 1mg's order rules: ids are `PO` followed by letters or digits, statuses are 1mg's numeric
/// codes (`status`), confirmable at 17, finished at 40 and 99.
#[derive(Debug)]
pub(crate) struct Onemg;

impl OrderRules for Onemg {
    const NAME: &'static str = "onemg";
    const SEED: &'static [(&'static str, Status)] = &[
        ("PO29523371880004", Status::PaymentConfirmationAwaited),
        ("PO29523371880005", Status::PaymentConfirmationAwaited),
        ("PO29523371880006", Status::PaymentConfirmationAwaited),
        ("PO29523371880007", Status::PaymentConfirmationAwaited),
        ("PO29523371880008", Status::Placed),
        ("PO29523371880009", Status::Cancelled),
        ("PO29523371880010", Status::VendorStockAllocation),
        ("PO29523371880011", Status::Packaging),
        ("PO29523371880012", Status::ToBeDelivered),
        ("PO29523371880013", Status::OutForDelivery),
        ("PO29523371880014", Status::Delivered),
    ];

    type Status = Status;
    type Order = OnemgOrder;

    fn parse_id(id: &str) -> Result<String, &'static str> {
        let well_formed = id.len() > ONEMG_PREFIX.len()
            && id.starts_with(ONEMG_PREFIX)
            && id.bytes().all(|b| b.is_ascii_alphanumeric());
        if well_formed {
            Ok(id.to_owned())
        } else {
            Err("the sandbox's 1mg order ids are `PO` followed by letters or digits")
        }
    }

    fn order(id: &str, status: Status) -> OnemgOrder {
        OnemgOrder::seeded(id, status)
    }

    fn status(order: &OnemgOrder) -> &Status {
        &order.status
    }

    fn confirmable(status: &Status) -> bool {
        *status == Status::PaymentConfirmationAwaited
    }

    fn finished(status: &Status) -> bool {
        status.finished()
    }

    fn stored_bytes(order: &OnemgOrder) -> usize {
        order.stored_bytes()
    }
}

/// What the 1mg fake keeps besides its orders and the clock.
pub(crate) struct Extra {
    /// Checks bearer JWTs; `None` when the configured public key is not one (every request
    /// is then unauthorized).
    verifier: Option<Rs256Verifier>,
    /// Numbers the orders Create Order makes.
    created: AtomicU64,
    /// The merchant's transaction status API; `None`: the fake approves payments itself.
    transactions: Option<payments::TransactionApi>,
    webhooks: Option<webhooks::Webhooks>,
    /// [`SANDBOX_PRIVATE_KEY_PEM`] in a file, written the first time it is asked for.
    key_file: OnceLock<Option<keys::KeyFile>>,
}

/// The 1mg fake's state.
pub(crate) type Fake = FakeState<Onemg>;

impl Served for Onemg {
    const PATH_PREFIX: &'static str = "/onemg";
    const SETTINGS: &'static [(&'static str, &'static str)] = &[
        ("token", TOKEN),
        ("access_key", ACCESS_KEY),
        ("merchant_id", MERCHANT_ID),
    ];

    type Extra = Extra;

    fn extra(options: &SandboxOptions) -> Extra {
        let options = &options.onemg;
        let public_key = options
            .public_key_pem
            .as_deref()
            .unwrap_or(SANDBOX_PUBLIC_KEY_PEM);
        Extra {
            verifier: Rs256Verifier::from_public_key_pem(public_key).ok(),
            created: AtomicU64::new(0),
            transactions: options.transactions.clone().map(|endpoint| {
                payments::TransactionApi::new(endpoint, options.transaction_timeout)
            }),
            webhooks: options.webhook.as_ref().map(webhooks::Webhooks::new),
            key_file: OnceLock::new(),
        }
    }

    /// The operations, nested under `/onemg`.
    fn routes() -> Router<Arc<Fake>> {
        Router::new()
            .route(
                "/api/v4/merchants/{merchant_id}/orders",
                operation(CREATE_ORDER, post(orders::create_order)),
            )
            .route(
                "/api/v4/merchants/{merchant_id}/orders/{id}/confirm",
                operation(CONFIRM_ORDER, put(orders::confirm_order)),
            )
            .route(
                "/api/v4/{merchant_id}/order/cancel",
                operation(CANCEL_ORDER, post(orders::cancel_order)),
            )
    }

    /// A bearer JWT that verifies (RS256, `exp` in the future, signed with the configured
    /// key) and the `X-Access-Key`, both; else 401 "Unauthorized".
    fn refusal(state: &Fake, headers: &HeaderMap) -> Option<Response> {
        let token_ok = state.extra.verifier.as_ref().is_some_and(|verifier| {
            verifier
                .verify_bearer_at(headers, SystemTime::now())
                .is_ok()
        });
        let key_ok = header_text(headers, "x-access-key")
            .is_some_and(|key| secret_matches(key.trim(), ACCESS_KEY));
        if token_ok & key_ok {
            return None;
        }
        Some(Self::error(StatusCode::UNAUTHORIZED, "Unauthorized"))
    }

    /// 1mg's envelope with `errors: null` (as in the cancel page's 400 example).
    fn error(status: StatusCode, message: &str) -> Response {
        error_reply(status, message, false)
    }

    /// The merchant order id the order was created with (or seeded with).
    fn merchant_order_id(state: &Fake, id: &str) -> Option<String> {
        lock(&state.orders)
            .get(id)
            .map(|order| order.merchant_order_id.clone())
            .or_else(|| merchant_order_id(id))
    }

    /// `private_key_file`: the sandbox's private key in a file the sandbox removes when it
    /// is dropped, for tools that sign their own tokens.
    fn env_settings(state: &Fake) -> Vec<(&'static str, String)> {
        state
            .extra
            .key_file
            .get_or_init(keys::KeyFile::write)
            .as_ref()
            .map(|file| {
                vec![(
                    "private_key_file",
                    file.path().to_string_lossy().into_owned(),
                )]
            })
            .unwrap_or_default()
    }

    fn advance(state: &Fake, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
        flow::advance(state, from, steps)
    }

    fn webhook_deliveries(state: &Fake) -> Vec<WebhookDelivery> {
        state
            .extra
            .webhooks
            .as_ref()
            .map(webhooks::Webhooks::deliveries)
            .unwrap_or_default()
    }
}

/// 1mg's error envelope `{is_success: false, status_code, error: {message, errors}}`.
fn envelope(status: StatusCode, message: &str, errors: Option<Vec<String>>) -> Response {
    let body = types::ErrorResponse {
        is_success: false,
        status_code: Some(i64::from(status.as_u16())),
        error: Some(types::ErrorDetail {
            message: Some(message.to_owned()),
            errors: errors.map(|errors| {
                errors
                    .into_iter()
                    .map(|message| types::ErrorItem {
                        message: Some(message),
                    })
                    .collect()
            }),
        }),
    };
    let mut value = serde_json::to_value(&body).unwrap_or(Value::Null);
    // The generated `ErrorDetail` omits an absent `errors`; 1mg sends an explicit `null`
    // (the spec marks it nullable), so the fake writes the null it documents.
    if let Some(detail) = value.get_mut("error").and_then(Value::as_object_mut) {
        detail.entry("errors").or_insert(Value::Null);
    }
    reply_value(status, value)
}

/// 1mg's error envelope. With `detailed`, `error.errors` repeats the message (as in the
/// confirm-order-api page's 500 examples); without it, `errors` is `null` (as in the cancel
/// page's 400 example).
pub(crate) fn error_reply(status: StatusCode, message: &str, detailed: bool) -> Response {
    envelope(status, message, detailed.then(|| vec![message.to_owned()]))
}

/// 1mg's error envelope with `message`, and `detail` as the one entry of `error.errors`.
pub(crate) fn error_with_details(status: StatusCode, message: &str, detail: &str) -> Response {
    envelope(status, message, Some(vec![detail.to_owned()]))
}

/// HTTP 500 "Order not found" (the confirm-order-api page's example).
pub(crate) fn not_found() -> Response {
    error_reply(
        StatusCode::INTERNAL_SERVER_ERROR,
        codes::ORDER_NOT_FOUND,
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store::tests::store_tests!(Onemg => &[
        ("PO", "17", None),
        ("XX1", "17", None),
        ("PO1/2", "17", None),
        ("PO1", "created", None),
        ("PO1", "17", Some(true)),
        ("PO2", "15", Some(false)),
        ("PO3", "130", Some(false)),
    ]);

    #[test]
    fn the_merchant_order_id_rule() {
        assert_eq!(
            merchant_order_id("PO29523371880004").as_deref(),
            Some("MO29523371880004")
        );
        assert_eq!(merchant_order_id("MO1"), None);
    }
}
