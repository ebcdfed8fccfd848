//! Fake Tata 1mg (`specs/onemg.yaml`), served under `/onemg`:
//! `PUT /api/v4/merchants/{merchant_id}/orders/{id}/confirm`.
//!
//! 1mg documents no order statuses, so the fake uses three of its own: `created` (an ONLINE
//! order created by Create Order, waiting for confirmation), `confirmed` and `cancelled`.
//! Every order's merchant order id follows one rule, [`merchant_order_id`]: the 1mg id with
//! its `PO` prefix replaced by `MO`.
//!
//! Behaviour (the confirm-order-api page,
//! <https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/confirm-order-api>, and the
//! cancel-order page):
//! - confirming a `created` order with the right `merchant_order_id` answers the 200 envelope
//!   and moves it to `confirmed`;
//! - an unknown order, another merchant id, a body `order_id` other than the path's, or a
//!   `merchant_order_id` that does not match answers HTTP 500 "Order not found";
//! - a `cancelled` order answers HTTP 500 "Map payment to order operation failed";
//! - a `confirmed` order answers HTTP 400 "Invalid order status for this operation";
//! - a body that is not `{merchant_order_id, order_id}` answers HTTP 400 "Invalid request";
//! - a missing or wrong bearer JWT or `X-Access-Key` answers HTTP 401 "Unauthorized".

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::put;
use ordergate_onemg::{codes, types};
use serde_json::Value;

use crate::credentials::secret_matches;
use crate::fake::{FakeState, Served, operation};
use crate::http::{bearer_matches, header_text, lock, reply, reply_value};
use crate::store::{self, OrderRules};

const CONFIRM_ORDER: &str = "confirm_order";

/// The prefix of every 1mg order id, and the prefix that replaces it in the merchant order id.
const ONEMG_PREFIX: &str = "PO";
const MERCHANT_PREFIX: &str = "MO";

/// The fake's order statuses (1mg documents none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Created,
    Confirmed,
    Cancelled,
}

impl store::Status for Status {
    const KNOWN: &'static [Self] = &[Self::Created, Self::Confirmed, Self::Cancelled];

    fn as_str(&self) -> &str {
        match self {
            Self::Created => "created",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
        }
    }
}

/// The bearer JWT the fake accepts (a well-formed, unsigned sample; the fake compares it
/// verbatim and does not verify a signature).
pub const TOKEN: &str =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmRlcmdhdGUtc2FuZGJveCJ9.c2FuZGJveA";
/// The `X-Access-Key` the fake accepts.
pub const ACCESS_KEY: &str = "onemg-sandbox-access-key";
/// The merchant id of the fake (the `{merchant_id}` path segment).
pub const MERCHANT_ID: &str = "ordergate-sandbox";

/// The merchant order id the sandbox gives the 1mg order `onemg_order_id`: the same id with
/// its `PO` prefix replaced by `MO` (`PO29523371880004` → `MO29523371880004`). `None` when
/// the id does not start with `PO` (the sandbox seeds no such order).
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

/// 1mg's order rules: an order is only its status (its merchant order id follows from its id,
/// [`merchant_order_id`]), ids are `PO` followed by letters or digits, confirmable when
/// `created`.
#[derive(Debug)]
pub(crate) struct Onemg;

impl OrderRules for Onemg {
    const NAME: &'static str = "onemg";
    const SEED: &'static [(&'static str, Status)] = &[
        ("PO29523371880004", Status::Created),
        ("PO29523371880005", Status::Created),
        ("PO29523371880006", Status::Created),
        ("PO29523371880007", Status::Created),
        ("PO29523371880008", Status::Confirmed),
        ("PO29523371880009", Status::Cancelled),
    ];

    type Status = Status;
    type Order = Status;

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

    fn order(_id: &str, status: Status) -> Status {
        status
    }

    fn status(order: &Status) -> &Status {
        order
    }

    fn confirmable(status: &Status) -> bool {
        *status == Status::Created
    }
}

impl Served for Onemg {
    const PATH_PREFIX: &'static str = "/onemg";
    const SETTINGS: &'static [(&'static str, &'static str)] = &[
        ("token", TOKEN),
        ("access_key", ACCESS_KEY),
        ("merchant_id", MERCHANT_ID),
    ];

    fn merchant_order_id(id: &str) -> Option<String> {
        merchant_order_id(id)
    }

    type Extra = ();

    fn extra(_options: &crate::SandboxOptions) {}

    /// The operations, nested under `/onemg`.
    fn routes() -> Router<Arc<FakeState<Self>>> {
        Router::new().route(
            "/api/v4/merchants/{merchant_id}/orders/{id}/confirm",
            operation(CONFIRM_ORDER, put(confirm_order)),
        )
    }

    /// The bearer JWT and the `X-Access-Key`, both; else 401 "Unauthorized".
    fn refusal(_state: &FakeState<Self>, headers: &HeaderMap) -> Option<Response> {
        let token_ok = bearer_matches(headers, TOKEN);
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
}

/// 1mg's orders by 1mg id.
pub(crate) type Orders = store::Orders<Onemg>;

impl Orders {
    /// Confirms order `id` if `merchant_order_id` is its merchant order id.
    fn confirm(&mut self, id: &str, requested: &str) -> Result<(), Refusal> {
        if merchant_order_id(id).as_deref() != Some(requested) {
            return Err(Refusal::NotFound);
        }
        self.update(id, |status| match *status {
            Status::Created => {
                *status = Status::Confirmed;
                Ok(())
            }
            Status::Confirmed => Err(Refusal::InvalidStatus),
            Status::Cancelled => Err(Refusal::Cancelled),
        })
        .unwrap_or(Err(Refusal::NotFound))
    }
}

enum Refusal {
    NotFound,
    InvalidStatus,
    Cancelled,
}

/// 1mg's error envelope. With `detailed`, `error.errors` repeats the message (as in the
/// confirm-order-api page's 500 examples); without it, `errors` is `null` (as in the cancel
/// page's 400 example).
fn error_reply(status: StatusCode, message: &str, detailed: bool) -> Response {
    let body = types::ErrorResponse {
        is_success: false,
        status_code: Some(i64::from(status.as_u16())),
        error: Some(types::ErrorDetail {
            message: Some(message.to_owned()),
            errors: detailed.then(|| {
                vec![types::ErrorItem {
                    message: Some(message.to_owned()),
                }]
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

fn not_found() -> Response {
    error_reply(
        StatusCode::INTERNAL_SERVER_ERROR,
        codes::ORDER_NOT_FOUND,
        true,
    )
}

/// `PUT /api/v4/merchants/{merchant_id}/orders/{id}/confirm`.
async fn confirm_order(
    State(fake): State<Arc<FakeState<Onemg>>>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_json::from_slice::<types::ConfirmOrderRequest>(&body) else {
        return error_reply(StatusCode::BAD_REQUEST, "Invalid request", true);
    };
    let Ok(Path((merchant_id, id))) = path else {
        return not_found();
    };
    if merchant_id != MERCHANT_ID || request.order_id != id {
        return not_found();
    }
    let confirmed = lock(&fake.orders).confirm(&id, &request.merchant_order_id);
    match confirmed {
        Ok(()) => {
            let body = types::ConfirmOrderResponse {
                data: Some(types::ConfirmOrderData {
                    merchant_order_id: Some(request.merchant_order_id),
                    order_id: Some(request.order_id),
                }),
                partial_complete: Some(false),
                is_success: true,
                status_code: Some(200),
                error: None,
            };
            reply(StatusCode::OK, &body)
        }
        Err(Refusal::NotFound) => not_found(),
        Err(Refusal::Cancelled) => error_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::MAP_PAYMENT_FAILED,
            true,
        ),
        Err(Refusal::InvalidStatus) => {
            error_reply(StatusCode::BAD_REQUEST, codes::INVALID_ORDER_STATUS, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store::tests::store_tests!(Onemg => &[
        ("PO", "created", None),
        ("XX1", "created", None),
        ("PO1/2", "created", None),
        ("PO1", "pending", None),
        ("PO1", "created", Some(true)),
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
