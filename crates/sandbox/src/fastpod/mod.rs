//! Fake FastPOD (`specs/fastpod.yaml`), served under `/fastpod`: every operation of the spec,
//! on the rules of FastPOD's docs (<https://fastpodapi.apidog.io/>), one page per operation.
//!
//! - Orders (`orders`): create, get, update, update status, cancel.
//! - List Orders (`listing`): every filter, Laravel's paginator.
//! - Estimate Order Price and Estimate Item Price (`estimates`), from the price table
//!   (`prices`) that also prices created and updated orders.
//! - The sandbox clock moves submitted orders on (`flow`): `new_order` → `in_production` →
//!   `shipped`, with a shipment.
//!
//! Every request must accept JSON (`Accept: application/json`, which FastPOD marks required);
//! without it the fake answers HTTP 406 with the error body, since a Laravel-style API that is
//! not asked for JSON would answer with an HTML page or a redirect. A missing or wrong bearer
//! token ([`TOKEN`]) answers HTTP 401 `{"message": "Unauthenticated."}`. Every other error is
//! `{"status": false, "message": ...}`, with Laravel's `errors` map (field → messages) when a
//! request field is refused (HTTP 422); an unknown order is HTTP 404 "Order not found.". Each
//! module's docs list its rules.

// The fake's helpers refuse with the response itself (`Result<_, Response>`): it is built
// once per request, answered at once and never stored, so its size does not matter.
#![allow(clippy::result_large_err)]

mod estimates;
mod flow;
mod listing;
mod orders;
mod prices;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use ordergate_fastpod::{codes, types};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use listing::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

use crate::fake::{FakeState, Served, operation};
use crate::http::{bearer_matches, reply};
use crate::store::OrderRules;

/// The API token the fake accepts.
pub const TOKEN: &str = "fastpod-sandbox-token";

crate::store::generated_status!(types::OrderStatus);

/// FastPOD's order rules: orders kept as the generated `Order` type, ids of letters, digits,
/// `-`, `_` and `.`, confirmable (a status update to `new_order` accepted) when `draft` or
/// `on_hold`, finished once `shipped`, `cancelled` or `rejected`.
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
        orders::seeded(id, status)
    }

    fn status(order: &types::Order) -> &types::OrderStatus {
        &order.order_status
    }

    fn confirmable(status: &types::OrderStatus) -> bool {
        can_submit(status)
    }

    fn finished(status: &types::OrderStatus) -> bool {
        use types::OrderStatus as S;
        matches!(status, S::Shipped | S::Cancelled | S::Rejected)
    }

    /// The order as JSON: its text is the client's.
    fn stored_bytes(order: &types::Order) -> usize {
        serde_json::to_vec(order).map_or(0, |json| json.len())
    }
}

/// What the FastPOD fake keeps besides its orders and the clock: the counter its new order
/// ids come from.
pub(crate) struct Extra {
    ids: AtomicU64,
    line_ids: AtomicU64,
}

impl Extra {
    /// A new order id, `F900-MMDDYY-NNNNNN` (FastPOD's shape, e.g. "F237-120723-000001"; the
    /// `F900` prefix is the sandbox's, so no created id collides with a seeded one).
    pub(crate) fn new_id(&self, now: DateTime<Utc>) -> String {
        let number = self.ids.fetch_add(1, Ordering::Relaxed) + 1;
        format!("F900-{}-{number:06}", now.format("%m%d%y"))
    }

    /// A new line item id (FastPOD's are numbers, e.g. 100009; the sandbox's new ones start
    /// above 200000).
    pub(crate) fn new_line_id(&self) -> i64 {
        let number = self.line_ids.fetch_add(1, Ordering::Relaxed) + 1;
        i64::try_from(number).unwrap_or(i64::MAX)
    }
}

/// The FastPOD fake's state.
pub(crate) type Fake = FakeState<Fastpod>;

/// The operation ids, as the spec names them.
mod op {
    pub(super) const LIST_ORDERS: &str = "list_orders";
    pub(super) const CREATE_ORDER: &str = "create_order";
    pub(super) const GET_ORDER: &str = "get_order";
    pub(super) const UPDATE_ORDER: &str = "update_order";
    pub(super) const UPDATE_ORDER_STATUS: &str = "update_order_status";
    pub(super) const CANCEL_ORDER: &str = "cancel_order";
    pub(super) const ESTIMATE_ORDER_PRICE: &str = "estimate_order_price";
    pub(super) const ESTIMATE_LINE_ITEM_PRICE: &str = "estimate_line_item_price";
}

impl Served for Fastpod {
    const PATH_PREFIX: &'static str = "/fastpod";
    const SETTINGS: &'static [(&'static str, &'static str)] = &[("token", TOKEN)];

    type Extra = Extra;

    fn extra(_options: &crate::SandboxOptions) -> Extra {
        Extra {
            ids: AtomicU64::new(0),
            line_ids: AtomicU64::new(200_000),
        }
    }

    /// The operations, nested under `/fastpod`.
    fn routes() -> Router<Arc<Fake>> {
        use op::*;
        Router::new()
            .route(
                "/v1/orders",
                operation(LIST_ORDERS, get(listing::list_orders))
                    .merge(operation(CREATE_ORDER, post(orders::create_order))),
            )
            .route(
                "/v1/orders/estimate-price",
                operation(ESTIMATE_ORDER_PRICE, post(estimates::estimate_order_price)),
            )
            .route(
                "/v1/orders/estimate-price/line-item",
                operation(
                    ESTIMATE_LINE_ITEM_PRICE,
                    post(estimates::estimate_line_item_price),
                ),
            )
            .route(
                "/v1/orders/{id}",
                operation(GET_ORDER, get(orders::get_order))
                    .merge(operation(UPDATE_ORDER, put(orders::update_order))),
            )
            .route(
                "/v1/orders/{id}/status",
                operation(UPDATE_ORDER_STATUS, put(orders::update_order_status)),
            )
            .route(
                "/v1/orders/{id}/cancel",
                operation(CANCEL_ORDER, post(orders::cancel_order)),
            )
    }

    /// `Accept: application/json` first (406 without it), then the bearer token (401
    /// `{"message": "Unauthenticated."}`).
    fn refusal(_state: &Fake, headers: &HeaderMap) -> Option<Response> {
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

    fn advance(state: &Fake, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
        flow::advance(state, from, steps)
    }
}

/// Whether an order in `status` may be submitted (Update Status: "Only allowed to change the
/// order status from draft or on_hold to new_order").
fn can_submit(status: &types::OrderStatus) -> bool {
    matches!(
        status,
        types::OrderStatus::Draft | types::OrderStatus::OnHold
    )
}

/// Whether an order in `status` may be changed or cancelled (Update Order: "draft, new_order
/// or on_hold").
fn can_change(status: &types::OrderStatus) -> bool {
    can_submit(status) || *status == types::OrderStatus::NewOrder
}

/// `time` in FastPOD's timestamp format.
fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// FastPOD's error body: the one constructor of the fake's errors.
fn error_body(message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        status: Some(false),
        message: Some(message.to_owned()),
        errors: None,
    }
}

/// HTTP 404 "Order not found.".
fn not_found() -> Response {
    Fastpod::error(StatusCode::NOT_FOUND, codes::ORDER_NOT_FOUND)
}

/// HTTP 422 with Laravel's validation body: the first message as `message`, and every
/// refused field with its messages in `errors`.
fn invalid(refused: Vec<(String, String)>) -> Response {
    let message = refused.first().map_or_else(
        || "The given data was invalid.".to_owned(),
        |(_, m)| m.clone(),
    );
    let mut errors = serde_json::Map::new();
    for (field, message) in refused {
        let messages = errors
            .entry(field)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(messages) = messages {
            messages.push(Value::String(message));
        }
    }
    let mut body = error_body(&message);
    body.errors = Some(errors);
    reply(StatusCode::UNPROCESSABLE_ENTITY, &body)
}

/// The fields of `OrderRequest` the spec lets be `null` (as Laravel names them, an array
/// index as `*`); every other field of a request body must be absent or hold a value.
const ORDER_REQUEST_NULLABLE: &[&str] = &[
    "gift_message",
    "tax_id",
    "tax_id_type",
    "coupon_code",
    "label_url",
    "address.company",
    "address.street2",
];

/// A JSON request body as `T`; else HTTP 422 naming the field that does not decode (its
/// dotted path, as Laravel names fields: `line_items.0.sku`), or that is `null` although it
/// is not among `nullable` (the generated types would read such a `null` as absent).
fn decode<T: DeserializeOwned>(body: &Bytes, nullable: &[&str]) -> Result<T, Response> {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let mut nulls = Vec::new();
        refused_nulls(&value, &mut Vec::new(), nullable, &mut nulls);
        if !nulls.is_empty() {
            return Err(invalid(
                nulls
                    .into_iter()
                    .map(|field| {
                        let message = format!("The {field} field must not be null.");
                        (field, message)
                    })
                    .collect(),
            ));
        }
    }
    decode_fields(body)
}

/// The dotted paths of the `null` members under `value` (at `path`) not in `nullable`.
fn refused_nulls(
    value: &Value,
    path: &mut Vec<String>,
    nullable: &[&str],
    found: &mut Vec<String>,
) {
    let mut visit = |key: String, member: &Value, path: &mut Vec<String>| {
        path.push(key);
        if member.is_null() {
            let pattern: Vec<&str> = path
                .iter()
                .map(|segment| {
                    if segment.bytes().all(|b| b.is_ascii_digit()) {
                        "*"
                    } else {
                        segment.as_str()
                    }
                })
                .collect();
            if !nullable.contains(&pattern.join(".").as_str()) {
                found.push(path.join("."));
            }
        } else {
            refused_nulls(member, path, nullable, found);
        }
        path.pop();
    };
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                visit(key.clone(), member, path);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                visit(index.to_string(), item, path);
            }
        }
        _ => {}
    }
}

/// [`decode`] once nulls are checked.
fn decode_fields<T: DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    let starts_an_object = body
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b'{');
    if !starts_an_object {
        return Err(invalid(vec![(
            "body".to_owned(),
            "The request body must be a JSON object.".to_owned(),
        )]));
    }
    let mut reader = serde_json::Deserializer::from_slice(body);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut reader) {
        Ok(value) if reader.end().is_ok() => return Ok(value),
        Ok(_) => {
            return Err(invalid(vec![(
                "body".to_owned(),
                "The request body must be one JSON object.".to_owned(),
            )]));
        }
        Err(error) => error,
    };
    let segments: Vec<String> = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect();
    let path = if segments.is_empty() {
        ".".to_owned()
    } else {
        segments.join(".")
    };
    let text = error.inner().to_string();
    let missing = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name.to_owned());
    let parent = (path != ".").then_some(path);
    let (field, message) = match (parent, missing) {
        (parent, Some(name)) => {
            let field = parent.map_or_else(|| name.clone(), |parent| format!("{parent}.{name}"));
            let message = format!("The {field} field is required.");
            (field, message)
        }
        (Some(field), None) => {
            let message = format!("The {field} field is invalid.");
            (field, message)
        }
        (None, None) => (
            "body".to_owned(),
            "The request body must be a JSON object.".to_owned(),
        ),
    };
    Err(invalid(vec![(field, message)]))
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
        ("F1", "new_order", Some(false)),
    ]);
}
