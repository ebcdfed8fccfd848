//! Fake Fuuffy (`specs/fuuffy.yaml`), served under `/fuuffy`: every operation of the spec.
//!
//! - `POST /v1/auth/token` issues a fresh token (`sk-` and 32 hex digits) per request for
//!   [`CLIENT_ID`] and [`CLIENT_SECRET`], valid for [`FuuffyOptions::token_lifetime`]
//!   (default one hour, as `expires_in` says); [`TOKEN`] is always valid too.
//! - `POST /v1/rates/get` prices a shipment from the sandbox's rates table ([`RATES`]).
//! - `POST /v1/order/create` creates a local or international order (`PENDING_CONFIRM`, quoted
//!   from the same table); `POST /v1/order/confirm` confirms it; `GET /v1/order?id=` and
//!   `GET /v1/order/list` read orders back.
//! - `GET /v1/tracking/get/{order_id}` and `GET /v1/tracking/get?tracking_number=` show the
//!   tracking messages a confirmed order collects as the sandbox clock advances
//!   ([`Sandbox::advance`](crate::Sandbox::advance), or `POST /_sandbox/advance`).
//! - `GET /v1/country/list?country=` answers from a small table of countries ([`COUNTRIES`]).
//! - Order events are POSTed as signed webhooks when [`FuuffyOptions::webhook`] is set.
//!
//! Errors use the documented bodies: 400 `400000` `BAD_REQUEST` with `error_trace` naming the
//! field, 400 `400201` `ORDER_NOT_FOUND`, 400 `400211` `NO_ORDERS_FOUND`, 401 `401000`
//! `UNAUTHORIZED` (no or an unknown token), 401 `invalid_token` (an expired one). The crate
//! README has the full table.

mod countries;
mod options;
mod orders;
mod rates;
mod tokens;
mod tracking;
mod webhooks;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use ordergate_fuuffy::{codes, types};

pub use countries::{COUNTRIES, CountryEntry};
pub use options::{FuuffyOptions, TOKEN_LIFETIME};
pub use orders::MAX_CLIENT_REMARKS_BYTES;
pub use rates::{RATES, RateEntry};

use crate::fake::{FakeState, Served, unauthenticated_operation};
use crate::http::{reply, stable_hash};
use crate::store::{self, OrderRules};
use crate::{SandboxOptions, WebhookDelivery};

/// The fixed access token the fake always accepts: it never expires. Static-token users
/// (curl, [`Sandbox::static_settings`](crate::Sandbox::static_settings)) and tests use it;
/// `POST /v1/auth/token` issues fresh, expiring tokens to the client id and secret that
/// [`Sandbox::settings`](crate::Sandbox::settings) hands out.
pub const TOKEN: &str = "sk-5a4db0c0ffee5a4db0c0ffee5a4db0c0";
/// The client id `POST /v1/auth/token` accepts.
pub const CLIENT_ID: &str = "ordergate-sandbox";
/// The client secret `POST /v1/auth/token` accepts.
pub const CLIENT_SECRET: &str = "fuuffy-sandbox-client-secret";

crate::store::generated_status!(types::OrderStatus);

/// A Fuuffy order as the fake keeps it: what `GET /v1/order` returns, the tracking messages
/// collected so far, and where it ships from and to.
#[derive(Debug, Clone)]
pub(crate) struct FuuffyOrder {
    pub(crate) order: types::Order,
    pub(crate) tracking: Vec<types::TrackingMessage>,
    pub(crate) export: Place,
    pub(crate) destination: Place,
}

/// A country an order ships from or to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// ISO 3166-1 alpha-2 code (`HK`).
    pub(crate) code: String,
    /// Display name (`Hong Kong`).
    pub(crate) name: String,
}

impl Place {
    /// Hong Kong, where every local order ships from and to.
    pub(crate) fn hong_kong() -> Self {
        Self {
            code: "HK".to_owned(),
            name: "Hong Kong".to_owned(),
        }
    }
}

/// Fuuffy's order rules: numeric ids, confirmable when `PENDING_CONFIRM`.
#[derive(Debug)]
pub(crate) struct Fuuffy;

impl OrderRules for Fuuffy {
    const NAME: &'static str = "fuuffy";
    const SEED: &'static [(&'static str, types::OrderStatus)] = &[
        ("3550609", types::OrderStatus::PendingConfirm),
        ("3550610", types::OrderStatus::PendingConfirm),
        ("3550611", types::OrderStatus::PendingConfirm),
        ("3550612", types::OrderStatus::PendingConfirm),
        ("3550875", types::OrderStatus::ReadyToShip),
        ("3550876", types::OrderStatus::Draft),
        ("3550877", types::OrderStatus::PendingPickup),
        ("3550878", types::OrderStatus::PickupCompleted),
        ("3550879", types::OrderStatus::InTransit),
        ("3550880", types::OrderStatus::Delivered),
        ("3550881", types::OrderStatus::Completed),
        ("3550882", types::OrderStatus::Cancelled),
        ("3550883", types::OrderStatus::Processing),
        ("3550884", types::OrderStatus::PendingProcessing),
    ];

    type Status = types::OrderStatus;
    type Order = FuuffyOrder;

    fn parse_id(id: &str) -> Result<String, &'static str> {
        types::GetOrderId::try_from(id)
            .map(|id| id.to_string())
            .map_err(|_| "Fuuffy order ids are numeric strings")
    }

    fn order(id: &str, status: types::OrderStatus) -> FuuffyOrder {
        orders::seeded_order(id, status)
    }

    fn status(order: &FuuffyOrder) -> &types::OrderStatus {
        &order.order.status
    }

    fn confirmable(status: &types::OrderStatus) -> bool {
        *status == types::OrderStatus::PendingConfirm
    }

    fn finished(status: &types::OrderStatus) -> bool {
        use types::OrderStatus as S;
        matches!(status, S::Delivered | S::Completed | S::Cancelled)
    }

    /// The order as Get Order serializes it, and its tracking messages.
    fn stored_bytes(stored: &FuuffyOrder) -> usize {
        let order = serde_json::to_vec(&stored.order).map_or(0, |json| json.len());
        let tracking: usize = stored
            .tracking
            .iter()
            .map(|message| serde_json::to_vec(message).map_or(0, |json| json.len()))
            .sum();
        order + tracking
    }
}

/// What the Fuuffy fake keeps besides its orders: the tokens it issued and its webhook sender.
pub(crate) struct Extra {
    tokens: Mutex<tokens::Tokens>,
    webhooks: Option<webhooks::Webhooks>,
}

impl Served for Fuuffy {
    const PATH_PREFIX: &'static str = "/fuuffy";
    const SETTINGS: &'static [(&'static str, &'static str)] =
        &[("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)];
    const STATIC_SETTINGS: &'static [(&'static str, &'static str)] = &[("token", TOKEN)];
    const SECRET_FIELDS: &'static [&'static str] = &["access_token"];

    type Extra = Extra;

    fn extra(options: &SandboxOptions) -> Extra {
        Extra {
            tokens: Mutex::new(tokens::Tokens::new(options.fuuffy.token_lifetime)),
            webhooks: options.fuuffy.webhook.as_ref().map(webhooks::Webhooks::new),
        }
    }

    /// The operations (paths `/v1/...`), nested under `/fuuffy`.
    fn routes() -> Router<Arc<FakeState<Self>>> {
        use crate::fake::operation as op;
        Router::new()
            .route(
                "/v1/auth/token",
                unauthenticated_operation("create_access_token", post(tokens::create_access_token)),
            )
            .route("/v1/rates/get", op("get_rates", post(rates::get_rates)))
            .route(
                "/v1/order/create",
                op("create_order", post(orders::create_order)),
            )
            .route(
                "/v1/order/confirm",
                op("confirm_order", post(orders::confirm_order)),
            )
            .route("/v1/order", op("get_order", get(orders::get_order)))
            .route(
                "/v1/order/list",
                op("list_orders", get(orders::list_orders)),
            )
            .route(
                "/v1/tracking/get",
                op(
                    "get_tracking_by_number",
                    get(tracking::get_tracking_by_number),
                ),
            )
            .route(
                "/v1/tracking/get/{order_id}",
                op("get_tracking", get(tracking::get_tracking)),
            )
            .route(
                "/v1/country/list",
                op(
                    "list_states_and_cities",
                    get(countries::list_states_and_cities),
                ),
            )
    }

    fn refusal(state: &FakeState<Self>, headers: &HeaderMap) -> Option<Response> {
        tokens::refusal(state, headers)
    }

    /// The numeric error shape (`{"error": {"code": "404000", "code_reason": "NOT_FOUND",
    /// ...}}`), as the overview page lists the codes: the status and three zeros.
    fn error(status: StatusCode, message: &str) -> Response {
        let reason = status
            .canonical_reason()
            .unwrap_or("ERROR")
            .to_ascii_uppercase()
            .replace(' ', "_");
        let code = format!("{}000", status.as_u16());
        reply(status, &error(&code, &reason, message))
    }

    fn advance(state: &FakeState<Self>, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
        tracking::advance(state, from, steps)
    }

    fn webhook_deliveries(state: &FakeState<Self>) -> Vec<WebhookDelivery> {
        state
            .extra
            .webhooks
            .as_ref()
            .map(webhooks::Webhooks::deliveries)
            .unwrap_or_default()
    }
}

/// Fuuffy's fake state.
pub(crate) type Fake = FakeState<Fuuffy>;
/// Fuuffy's orders.
pub(crate) type Orders = store::Orders<Fuuffy>;

/// The tracking number Fuuffy's fake assigns to order `id`: `SF` and 13 digits.
pub(crate) fn tracking_number(id: &str) -> String {
    format!("SF{:013}", stable_hash(id) % 10_000_000_000_000)
}

/// An error body in the numeric shape of the Confirm Order and Get Order pages.
pub(crate) fn error(code: &str, reason: &str, message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        error: types::ErrorBody {
            code: code.to_owned(),
            code_reason: Some(reason.to_owned()),
            message: Some(message.to_owned()),
            details: None,
            error_code: None,
            error_trace: None,
            field: None,
        },
    }
}

/// An error body in the generic shape of the overview and authentication pages (a word as
/// `code`, no `code_reason`).
pub(crate) fn generic_error(code: &str, message: &str) -> types::ErrorResponse {
    let mut body = error(code, "", message);
    body.error.code_reason = None;
    body
}

/// The documented 400 `BAD_REQUEST` body (Confirm Order page), naming `field`.
pub(crate) fn bad_request(field: &str, explanation: &str) -> types::ErrorResponse {
    let mut body = error(codes::BAD_REQUEST_CODE, codes::BAD_REQUEST, "Bad Request");
    body.error.error_trace = Some(serde_json::json!({ field: explanation }));
    body
}

/// A 400 `BAD_REQUEST` reply naming `field`.
pub(crate) fn bad_request_reply(field: &str, why: &str) -> Response {
    reply(StatusCode::BAD_REQUEST, &bad_request(field, why))
}

/// The documented 400 `ORDER_NOT_FOUND` reply (Get Order page).
pub(crate) fn order_not_found() -> Response {
    let mut body = error(
        codes::ORDER_NOT_FOUND_CODE,
        codes::ORDER_NOT_FOUND,
        "Order not found",
    );
    body.error.error_code = Some(codes::ORDER_NOT_FOUND.to_owned());
    reply(StatusCode::BAD_REQUEST, &body)
}

pub(crate) use crate::http::{query_pairs, query_value};

#[cfg(test)]
mod tests {
    use super::*;

    crate::store::tests::store_tests!(Fuuffy => &[
        ("12a", "PENDING_CONFIRM", None),
        ("123", "pending", None),
        ("123", "PENDING_CONFIRM", Some(true)),
    ]);

    #[test]
    fn tracking_numbers_are_sf_and_13_digits_and_deterministic() {
        let number = tracking_number("3550609");
        assert_eq!(number.len(), 15);
        assert!(number.starts_with("SF"));
        assert!(number[2..].bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(number, tracking_number("3550609"));
    }
}
