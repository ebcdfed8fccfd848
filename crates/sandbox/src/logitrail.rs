//! Fake Logitrail (`specs/logitrail.yaml`), served under `/logitrail/2015-01-01`:
//! `POST /orders/{id}/_confirm`.
//!
//! Behaviour (`orders/confirm.rst` and `errors.rst` of the Logitrail integration docs,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/confirm.html>):
//! - confirming a `passive` order moves it to `confirmed` and answers `success`, `order_id`,
//!   `tracking_code` (`LT` + 12 digits, derived from the id) and `tracking_url`
//!   (`https://example.com/tracking/<code>`, the layout of the spec's example);
//! - confirming an order in any other status answers HTTP 409 `order_not_passive`;
//! - an unknown order, or an id that is not 24 hex digits, answers HTTP 404 `unknown`;
//! - missing or wrong HTTP Basic credentials (`M-<merchant id>` : secret) answer HTTP 403
//!   `access_denied`;
//! - a body that is not an "Order JSON object" answers HTTP 400 `unknown`. A valid body is
//!   accepted and not applied: the fake keeps only status and tracking.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use ordergate_logitrail::{codes, types};

use crate::credentials::secret_matches;
use crate::fake::{FakeState, Served, operation};
use crate::http::{basic, is_blank, lock, reply, stable_hash, tagged};
use crate::store::{self, OrderRules};

const CONFIRM_ORDER: &str = "confirm_order";

/// The merchant id the fake accepts (the Basic-auth username is `M-` followed by it).
pub const MERCHANT_ID: &str = "sandbox.example.com";
/// The shared secret the fake accepts (the Basic-auth password).
pub const SECRET: &str = "logitrail-sandbox-secret";

crate::store::generated_status!(types::OrderStatus);

/// Logitrail's order rules: orders kept as the generated `OrderInfo` type its webhooks carry,
/// ids of 24 hexadecimal digits, confirmable when `passive`.
#[derive(Debug)]
pub(crate) struct Logitrail;

impl OrderRules for Logitrail {
    const NAME: &'static str = "logitrail";
    const SEED: &'static [(&'static str, types::OrderStatus)] = &[
        ("5c8a1d5b0000000000000001", types::OrderStatus::Passive),
        ("5c8a1d5b0000000000000002", types::OrderStatus::Passive),
        ("5c8a1d5b0000000000000003", types::OrderStatus::Passive),
        ("5c8a1d5b0000000000000004", types::OrderStatus::Passive),
        ("5c8a1d5b0000000000000005", types::OrderStatus::Confirmed),
        (
            "5c8a1d5b0000000000000006",
            types::OrderStatus::WaitingProducts,
        ),
        ("5c8a1d5b0000000000000007", types::OrderStatus::Processed),
        ("5c8a1d5b0000000000000008", types::OrderStatus::Cancelled),
        ("5c8a1d5b0000000000000009", types::OrderStatus::Deleted),
    ];

    type Status = types::OrderStatus;
    type Order = types::OrderInfo;

    fn parse_id(id: &str) -> Result<String, &'static str> {
        types::ObjectId::try_from(id)
            .map(|id| id.to_string())
            .map_err(|_| "Logitrail order ids are 24 hexadecimal digits")
    }

    fn order(id: &str, status: types::OrderStatus) -> types::OrderInfo {
        order(id, status)
    }

    fn status(order: &types::OrderInfo) -> &types::OrderStatus {
        &order.status
    }

    fn confirmable(status: &types::OrderStatus) -> bool {
        *status == types::OrderStatus::Passive
    }
}

impl Served for Logitrail {
    const PATH_PREFIX: &'static str = "/logitrail/2015-01-01";
    const SETTINGS: &'static [(&'static str, &'static str)] =
        &[("merchant_id", MERCHANT_ID), ("secret", SECRET)];

    type Extra = ();

    fn extra(_options: &crate::SandboxOptions) {}

    /// The operations, nested under `/logitrail/2015-01-01`.
    fn routes() -> Router<Arc<FakeState<Self>>> {
        Router::new().route(
            "/orders/{id}/_confirm",
            operation(
                CONFIRM_ORDER,
                post(confirm_order).fallback(method_not_allowed),
            ),
        )
    }

    /// HTTP Basic credentials, `M-<merchant id>` : secret; else 403 `access_denied`.
    fn refusal(_state: &FakeState<Self>, headers: &HeaderMap) -> Option<Response> {
        let authorized = basic(headers).is_some_and(|(username, password)| {
            let expected_username = format!("M-{MERCHANT_ID}");
            (username == expected_username) & secret_matches(&password, SECRET)
        });
        if authorized {
            return None;
        }
        Some(reply(
            StatusCode::FORBIDDEN,
            &error_body(
                codes::ACCESS_DENIED,
                "Not allowed to access the requested resource or operation",
            ),
        ))
    }

    /// `errors.rst`'s shape, `{"code", "message"}`: `method_not_allowed` for 405, `unknown`
    /// otherwise (an unknown path or order is 404 `unknown`).
    fn error(status: StatusCode, message: &str) -> Response {
        let code = if status == StatusCode::METHOD_NOT_ALLOWED {
            "method_not_allowed"
        } else {
            "unknown"
        };
        reply(status, &error_body(code, message))
    }
}

/// Logitrail's orders.
pub(crate) type Orders = store::Orders<Logitrail>;

impl Orders {
    /// Confirms order `id`.
    fn confirm(&mut self, id: &str) -> Result<types::ConfirmOrderResponse, Refusal> {
        self.update(id, |order| {
            if !Logitrail::confirmable(&order.status) {
                return Err(Refusal::NotPassive(order.status.clone()));
            }
            let code = tracking_code(id);
            order.status = types::OrderStatus::Confirmed;
            order.tracking_url = Some(tracking_url(&code));
            order.tracking_code = Some(code);
            Ok(types::ConfirmOrderResponse {
                success: true,
                order_id: order.id.clone(),
                tracking_code: order.tracking_code.clone(),
                tracking_url: order.tracking_url.clone(),
            })
        })
        .unwrap_or(Err(Refusal::Unknown))
    }
}

/// Why a confirm was refused.
enum Refusal {
    Unknown,
    NotPassive(types::OrderStatus),
}

/// The tracking code Logitrail's fake assigns to order `id`: `LT` and 12 digits.
pub(crate) fn tracking_code(id: &str) -> String {
    format!("LT{:012}", stable_hash(id) % 1_000_000_000_000)
}

/// The tracking URL of tracking code `code`.
fn tracking_url(code: &str) -> String {
    format!("https://example.com/tracking/{code}")
}

fn order(id: &str, status: types::OrderStatus) -> types::OrderInfo {
    let tracked = !matches!(
        status,
        types::OrderStatus::Passive | types::OrderStatus::Deleted
    );
    let code = tracked.then(|| tracking_code(id));
    types::OrderInfo {
        id: id.to_owned(),
        merchants_order: Some(types::MerchantsOrder::String(format!("sandbox-{id}"))),
        status,
        tracking_url: code.as_deref().map(tracking_url),
        tracking_code: code,
    }
}

/// Logitrail's error body: the one constructor of the fake's errors.
fn error_body(code: &str, message: impl Into<String>) -> types::ErrorResponse {
    types::ErrorResponse {
        code: code.to_owned(),
        message: Some(message.into()),
    }
}

/// `POST /orders/{id}/_confirm` with an optional `OrderUpdate` body.
async fn confirm_order(
    State(fake): State<Arc<FakeState<Logitrail>>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let not_found = || Logitrail::error(StatusCode::NOT_FOUND, "Order not found");
    let Ok(Path(id)) = id else {
        return not_found();
    };
    if types::ObjectId::try_from(id.as_str()).is_err() {
        return not_found();
    }
    let update_ok = body.is_ok_and(|body| {
        is_blank(&body) || serde_json::from_slice::<types::OrderUpdate>(&body).is_ok()
    });
    if !update_ok {
        return Logitrail::error(
            StatusCode::BAD_REQUEST,
            "The request body is not a valid Order JSON object",
        );
    }
    let confirmed = lock(&fake.orders).confirm(&id);
    match confirmed {
        Ok(body) => reply(StatusCode::OK, &body),
        Err(Refusal::Unknown) => not_found(),
        Err(Refusal::NotPassive(status)) => {
            let body = error_body(
                codes::ORDER_NOT_PASSIVE,
                format!(
                    "The order is already confirmed or in another status than passive (status: {status})"
                ),
            );
            reply(StatusCode::CONFLICT, &body)
        }
    }
}

/// A method other than POST on the confirm path (`errors.rst`: 405 `method_not_allowed`),
/// which the spec documents for the confirm operation.
async fn method_not_allowed() -> Response {
    tagged(
        Logitrail::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
        CONFIRM_ORDER,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store::tests::store_tests!(Logitrail => &[
        ("5c8a", "passive", None),
        ("5c8a1d5b00000000000000ff", "PASSIVE", None),
        ("5c8a1d5b00000000000000ff", "passive", Some(true)),
    ]);

    #[test]
    fn tracking_codes_are_deterministic() {
        let code = tracking_code("5c8a1d5b0000000000000001");
        assert_eq!(code.len(), 14);
        assert_eq!(code, tracking_code("5c8a1d5b0000000000000001"));
    }
}
