//! Fake FastPOD (`specs/fastpod.yaml`), served under `/fastpod`: `PUT /v1/orders/{id}/status`
//! and `GET /v1/orders/{id}`.
//!
//! Behaviour (the Update Status page, <https://fastpodapi.apidog.io/api-4681586>, and the Get
//! Order and Update Order pages):
//! - every request must accept JSON (`Accept: application/json`, which FastPOD marks
//!   required); without it the fake answers HTTP 406 with the error body, since a
//!   Laravel-style API that is not asked for JSON would answer with an HTML page or a redirect;
//! - a missing or wrong bearer token answers HTTP 401 `{"message": "Unauthenticated."}`;
//! - an unknown order answers HTTP 404 `{"status": false, "message": "Order not found."}`;
//! - `{"order_status": "new_order"}` on a `draft` or `on_hold` order moves it to `new_order`
//!   (marked paid) and answers `{status: true, message: "Order updated successfully.",
//!   data: Order}`; any other transition, or any other target status, answers HTTP 422 with
//!   the rule "Only allowed to change the order status from draft or on_hold to new_order.";
//! - a body without a valid `order_status` answers HTTP 422 with a Laravel validation body;
//! - `GET /v1/orders/{id}` answers the bare Order.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, put};
use ordergate_fastpod::{codes, types};
use serde_json::Value;

use crate::fake::{FakeState, Served, operation};
use crate::http::{bearer_matches, lock, reply};
use crate::store::OrderRules;

/// When the seeded orders were created (the Update Status example's timestamp).
const CREATED_AT: &str = "2023-12-07T07:54:35.000000Z";

/// The API token the fake accepts.
pub const TOKEN: &str = "fastpod-sandbox-token";

crate::store::generated_status!(types::OrderStatus);

/// FastPOD's order rules: orders kept as the generated `Order` type, ids of letters, digits,
/// `-`, `_` and `.`, confirmable (a status update to `new_order` accepted) when `draft` or
/// `on_hold`.
#[derive(Debug)]
pub(crate) struct Fastpod;

impl OrderRules for Fastpod {
    const NAME: &'static str = "fastpod";
    const SEED: &'static [(&'static str, types::OrderStatus)] = &[
        ("F237-120723-000001", types::OrderStatus::Draft),
        ("F237-120723-000002", types::OrderStatus::Draft),
        ("F237-120723-000003", types::OrderStatus::OnHold),
        ("F237-120723-000004", types::OrderStatus::OnHold),
        ("F237-120723-000005", types::OrderStatus::NewOrder),
        ("F237-120723-000006", types::OrderStatus::InProduction),
        ("F237-120723-000007", types::OrderStatus::Shipped),
        ("F237-120723-000008", types::OrderStatus::Cancelled),
        ("F237-120723-000009", types::OrderStatus::Rejected),
    ];

    type Status = types::OrderStatus;
    type Order = types::Order;

    fn parse_id(id: &str) -> Result<String, &'static str> {
        let well_formed = !id.is_empty()
            && id != "."
            && id != ".."
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if well_formed {
            Ok(id.to_owned())
        } else {
            Err("the sandbox's FastPOD order ids are letters, digits, `-`, `_` and `.`")
        }
    }

    fn order(id: &str, status: types::OrderStatus) -> types::Order {
        order(id, status)
    }

    fn status(order: &types::Order) -> &types::OrderStatus {
        &order.order_status
    }

    fn confirmable(status: &types::OrderStatus) -> bool {
        can_submit(status)
    }
}

impl Served for Fastpod {
    const PATH_PREFIX: &'static str = "/fastpod";
    const SETTINGS: &'static [(&'static str, &'static str)] = &[("token", TOKEN)];

    type Extra = ();

    fn extra(_options: &crate::SandboxOptions) {}

    /// The operations, nested under `/fastpod`.
    fn routes() -> Router<Arc<FakeState<Self>>> {
        Router::new()
            .route("/v1/orders/{id}", operation("get_order", get(get_order)))
            .route(
                "/v1/orders/{id}/status",
                operation("update_order_status", put(update_order_status)),
            )
    }

    /// `Accept: application/json` first (406 without it), then the bearer token (401
    /// `{"message": "Unauthenticated."}`).
    fn refusal(_state: &FakeState<Self>, headers: &HeaderMap) -> Option<Response> {
        let accepts_json = headers.get_all(header::ACCEPT).iter().any(|value| {
            value.to_str().is_ok_and(|value| {
                let value = value.to_ascii_lowercase();
                value.contains("application/json") || value.contains("+json")
            })
        });
        if !accepts_json {
            return Some(Self::error(
                StatusCode::NOT_ACCEPTABLE,
                "Send the header Accept: application/json.",
            ));
        }
        if !bearer_matches(headers, TOKEN) {
            let body = types::ErrorResponse {
                status: None,
                message: Some(codes::UNAUTHENTICATED.to_owned()),
                errors: None,
            };
            return Some(reply(StatusCode::UNAUTHORIZED, &body));
        }
        None
    }

    /// `{"status": false, "message": ...}`.
    fn error(status: StatusCode, message: &str) -> Response {
        reply(status, &error_body(message))
    }
}

fn can_submit(status: &types::OrderStatus) -> bool {
    matches!(
        status,
        types::OrderStatus::Draft | types::OrderStatus::OnHold
    )
}

/// `time` in FastPOD's timestamp format.
fn timestamp(time: chrono::DateTime<chrono::Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// An order shaped like the Update Status page's example, with id `id` in `status`.
fn order(id: &str, status: types::OrderStatus) -> types::Order {
    let submitted = !can_submit(&status);
    types::Order {
        id: id.to_owned(),
        order_type: Some("1".to_owned()),
        reference_id: Some(format!("sandbox-{id}")),
        test_order: Some(true),
        item_total: Some(14.4),
        shipping_total: Some(24.0),
        surcharge_total: Some(0.0),
        labeling_fee: None,
        peak_season_surchage: None,
        order_total: Some(38.4),
        payment_method: Some("cash".to_owned()),
        payment_status: Some(if submitted { "paid" } else { "unpaid" }.to_owned()),
        point_earned: Some(0),
        point_used: Some(0),
        quantity_total: Some(1),
        shipping_method: Some("3".to_owned()),
        boost_production: Some(false),
        rush_production: Some(false),
        rush_production_price: None,
        gift_message: None,
        tax_id: None,
        tax_id_type: None,
        created_at: Some(CREATED_AT.to_owned()),
        updated_at: Some(CREATED_AT.to_owned()),
        rejected_at: (status == types::OrderStatus::Rejected).then(|| CREATED_AT.to_owned()),
        rejected_status: None,
        cancelled_at: (status == types::OrderStatus::Cancelled).then(|| CREATED_AT.to_owned()),
        address: Some(types::Address {
            name: Some("Michael Brown".to_owned()),
            company: Some("My company".to_owned()),
            email: Some("michaelbrown@demo.com".to_owned()),
            phone: Some("(330) 829-0294".to_owned()),
            street1: Some("3431 Reeves Street".to_owned()),
            street2: None,
            city: Some("Milwaukee".to_owned()),
            state: Some("WI".to_owned()),
            country: Some("US".to_owned()),
            zip: Some("53202".to_owned()),
        }),
        line_items: Some(vec![types::LineItem {
            id: Some(100_009),
            item_id: Some(format!("{id}-1")),
            name: Some("Line Item 1".to_owned()),
            sku: Some("UABSTAQUBXL3".to_owned()),
            style: Some("3001".to_owned()),
            color: Some("AQUA".to_owned()),
            size: Some("3XL".to_owned()),
            unit_price: Some(14.4),
            quantity: Some(1),
            point_earned: Some(1440),
            price: Some(14.4),
            print_areas: Some(BTreeMap::from([(
                "front".to_owned(),
                "https://example.com/print/front.png".to_owned(),
            )])),
            preview_areas: Some(BTreeMap::from([(
                "front".to_owned(),
                "https://example.com/preview/front.png".to_owned(),
            )])),
            shipping_price: Some(24.0),
        }]),
        shipments: Some(Vec::new()),
        label_url: None,
        coupon_code: None,
        discount_total: None,
        discount_labeling_fee: None,
        order_status: status,
    }
}

/// FastPOD's error body: the one constructor of the fake's errors.
fn error_body(message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        status: Some(false),
        message: Some(message.to_owned()),
        errors: None,
    }
}

fn not_found() -> Response {
    Fastpod::error(StatusCode::NOT_FOUND, codes::ORDER_NOT_FOUND)
}

/// `GET /v1/orders/{id}`: the bare Order.
async fn get_order(
    State(fake): State<Arc<FakeState<Fastpod>>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found();
    };
    let order = lock(&fake.orders).get(&id).cloned();
    match order {
        Some(order) => reply(StatusCode::OK, &order),
        None => not_found(),
    }
}

/// `PUT /v1/orders/{id}/status` with `{"order_status": "new_order"}`.
async fn update_order_status(
    State(fake): State<Arc<FakeState<Fastpod>>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found();
    };
    let body = body.unwrap_or_default();
    let request = serde_json::from_slice::<types::UpdateOrderStatusRequest>(&body);
    let updated_at = timestamp(fake.clock.now());
    let updated = lock(&fake.orders).update(&id, |order| {
        let Ok(request) = &request else {
            return Err(Refusal::Invalid);
        };
        if request.order_status != types::OrderStatus::NewOrder || !can_submit(&order.order_status)
        {
            return Err(Refusal::Transition);
        }
        order.order_status = types::OrderStatus::NewOrder;
        order.payment_status = Some("paid".to_owned());
        order.updated_at = Some(updated_at);
        Ok(order.clone())
    });
    match updated {
        None => not_found(),
        Some(Ok(order)) => {
            let body = types::OrderResponse {
                status: true,
                message: Some("Order updated successfully.".to_owned()),
                data: order,
            };
            reply(StatusCode::OK, &body)
        }
        Some(Err(Refusal::Invalid)) => {
            let message = "The order status field is required.";
            let mut body = error_body(message);
            body.errors = Some(serde_json::Map::from_iter([(
                "order_status".to_owned(),
                Value::Array(vec![Value::String(message.to_owned())]),
            )]));
            reply(StatusCode::UNPROCESSABLE_ENTITY, &body)
        }
        Some(Err(Refusal::Transition)) => {
            Fastpod::error(StatusCode::UNPROCESSABLE_ENTITY, codes::TRANSITION_REFUSED)
        }
    }
}

/// Why a status update was refused.
enum Refusal {
    /// No valid `order_status` in the body.
    Invalid,
    /// Not a move from `draft` or `on_hold` to `new_order`.
    Transition,
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store::tests::store_tests!(Fastpod => &[
        ("", "draft", None),
        ("..", "draft", None),
        ("a/b", "draft", None),
        ("F1", "DRAFT", None),
        ("F1", "on_hold", Some(true)),
    ]);
}
