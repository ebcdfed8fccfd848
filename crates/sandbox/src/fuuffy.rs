//! Fake Fuuffy (`specs/fuuffy.yaml`), served under `/fuuffy`: `POST /v1/auth/token`,
//! `POST /v1/order/confirm`, `GET /v1/order?id=`.
//!
//! Behaviour (the Confirm Order and Get Order pages,
//! <https://api-docs.fuuffy.com/api/orders/confirm> and
//! <https://api-docs.fuuffy.com/api/orders/get>):
//! - confirm moves a `PENDING_CONFIRM` order to `READY_TO_SHIP`, sets `confirm_shipment: Y`
//!   and assigns a tracking number (`SF` + 13 digits, derived from the order id);
//! - confirming any other order, or an unknown one, answers HTTP 400 `400211`
//!   `NO_ORDERS_FOUND`; a body without a numeric `order_id` answers HTTP 400 `400000`
//!   `BAD_REQUEST` with `error_trace`;
//! - get of an unknown id answers HTTP 400 `400201` `ORDER_NOT_FOUND`;
//! - a missing or wrong bearer token answers HTTP 401 `401000` `UNAUTHORIZED`;
//! - the token endpoint issues the sandbox token for the sandbox client id and secret and
//!   answers HTTP 401 `invalid_client` otherwise.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use ordergate_fuuffy::{codes, types};

use crate::credentials::secret_matches;
use crate::fake::{FakeState, Served};
use crate::http::{bearer_matches, lock, reply, stable_hash};
use crate::store::{self, OrderRules};

const CREATE_ACCESS_TOKEN: &str = "create_access_token";
const CONFIRM_ORDER: &str = "confirm_order";
const GET_ORDER: &str = "get_order";

/// The access token the fake accepts, and issues for [`CLIENT_ID`] and [`CLIENT_SECRET`].
pub const TOKEN: &str = "sk-5a4db0c0ffee5a4db0c0ffee5a4db0c0";
/// The client id `POST /v1/auth/token` accepts.
pub const CLIENT_ID: &str = "ordergate-sandbox";
/// The client secret `POST /v1/auth/token` accepts.
pub const CLIENT_SECRET: &str = "fuuffy-sandbox-client-secret";

/// Lifetime of an issued token, as the authentication page documents (1 hour).
const TOKEN_LIFETIME_SECONDS: i64 = 3600;

crate::store::generated_status!(types::OrderStatus);

/// Fuuffy's order rules: orders kept as the generated `Order` type `GET /v1/order` returns,
/// numeric ids, confirmable when `PENDING_CONFIRM`.
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
    type Order = types::Order;

    fn parse_id(id: &str) -> Result<String, &'static str> {
        types::GetOrderId::try_from(id)
            .map(|id| id.to_string())
            .map_err(|_| "Fuuffy order ids are numeric strings")
    }

    fn order(id: &str, status: types::OrderStatus) -> types::Order {
        order(id, status)
    }

    fn status(order: &types::Order) -> &types::OrderStatus {
        &order.status
    }

    fn confirmable(status: &types::OrderStatus) -> bool {
        *status == types::OrderStatus::PendingConfirm
    }
}

impl Served for Fuuffy {
    const PATH_PREFIX: &'static str = "/fuuffy";
    const SETTINGS: &'static [(&'static str, &'static str)] = &[("token", TOKEN)];

    /// The routes (paths `/v1/...`), nested under `/fuuffy`.
    fn routes() -> Router<Arc<FakeState<Self>>> {
        Router::new()
            .route("/v1/auth/token", post(create_access_token))
            .route("/v1/order/confirm", post(confirm_order))
            .route("/v1/order", get(get_order))
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
    }
}

/// Fuuffy's orders.
pub(crate) type Orders = store::Orders<Fuuffy>;

impl Orders {
    /// Confirms order `id` if it is `PENDING_CONFIRM`.
    fn confirm(&mut self, id: &str) -> Option<types::ConfirmedOrder> {
        let order = self.get_mut(id)?;
        if !Fuuffy::confirmable(&order.status) {
            return None;
        }
        order.status = types::OrderStatus::ReadyToShip;
        order.confirm_shipment = Some(types::ConfirmShipment::Y);
        order.tracking_number = Some(tracking_number(id));
        Some(types::ConfirmedOrder {
            order_id: order.order_id.clone(),
            ship_type: order.ship_type.clone(),
            order_status: order.status.clone(),
            quote_price: order.quote_price.clone(),
            confirm_shipment: order.confirm_shipment.clone(),
            tracking_number: order.tracking_number.clone(),
            client_remarks: order.client_remarks.clone(),
            create_time: order.create_time.clone(),
        })
    }
}

/// The tracking number Fuuffy's fake assigns to order `id`: `SF` and 13 digits.
pub(crate) fn tracking_number(id: &str) -> String {
    format!("SF{:013}", stable_hash(id) % 10_000_000_000_000)
}

/// Whether an order in `status` has been handed to a courier flow (and so has a tracking
/// number).
fn has_tracking(status: &types::OrderStatus) -> bool {
    use types::OrderStatus as S;
    matches!(
        status,
        S::ReadyToShip
            | S::PendingPickup
            | S::PickupCompleted
            | S::InTransit
            | S::Delivered
            | S::Completed
    )
}

fn contact(name: &str, email: &str) -> types::Contact {
    types::Contact {
        name: Some(name.to_owned()),
        mobile: Some("64105317".to_owned()),
        mobile_prefix: Some("852".to_owned()),
        email: Some(email.to_owned()),
        address: Some("HONG KONG".to_owned()),
    }
}

/// An order shaped like the Get Order page's sample, with id `id` in `status`.
fn order(id: &str, status: types::OrderStatus) -> types::Order {
    let tracked = has_tracking(&status);
    types::Order {
        order_id: id.to_owned(),
        ship_type: Some(types::ShipType::Local),
        quote_price: Some("28.50".to_owned()),
        confirm_shipment: Some(if tracked {
            types::ConfirmShipment::Y
        } else {
            types::ConfirmShipment::N
        }),
        tracking_number: tracked.then(|| tracking_number(id)),
        client_remarks: Some(format!("#sandbox-{id}")),
        sender: Some(contact("Fuuffy Chai", "cs@fuuffy.com")),
        recipient: Some(contact("Sandbox Recipient", "recipient@example.com")),
        shipment_detail: Some(types::ShipmentDetail {
            package_type: Some(types::PackageType::Parcel),
            consignment_declaration: Some("Toys".to_owned()),
            parcel_list: Some(vec![types::Parcel {
                act_weight: Some("0.5".to_owned()),
                height: Some("10".to_owned()),
                width: Some("14".to_owned()),
                length: Some("23".to_owned()),
                insurance_fee: Some("0".to_owned()),
                parcel_items: Some(vec![types::ParcelItem {
                    name: Some("Toy".to_owned()),
                    qty: Some("1".to_owned()),
                    single_value: Some("200".to_owned()),
                }]),
            }]),
        }),
        shipping_provider: Some("sf_expresshk_local".to_owned()),
        create_time: Some("2025-12-09T17:01:30+08:00".to_owned()),
        status,
        message: Some("OK".to_owned()),
    }
}

/// An error body in the numeric shape of the Confirm Order and Get Order pages.
fn error(code: &str, reason: &str, message: &str) -> types::ErrorResponse {
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
fn generic_error(code: &str, message: &str) -> types::ErrorResponse {
    let mut body = error(code, "", message);
    body.error.code_reason = None;
    body
}

/// The documented 400 `BAD_REQUEST` body (Confirm Order page), naming `field`.
fn bad_request(field: &str, explanation: &str) -> types::ErrorResponse {
    let mut body = error(codes::BAD_REQUEST_CODE, codes::BAD_REQUEST, "Bad Request");
    body.error.error_trace = Some(BTreeMap::from([(field.to_owned(), explanation.to_owned())]));
    body
}

/// The documented 401 body (Confirm Order and Get Order pages).
fn unauthorized(operation: &'static str) -> Response {
    reply(
        Some(operation),
        StatusCode::UNAUTHORIZED,
        &error(
            codes::UNAUTHORIZED_CODE,
            codes::UNAUTHORIZED,
            "Unauthorized",
        ),
    )
}

/// `POST /v1/auth/token` (form body `grant_type`, `client_id`, `client_secret`).
async fn create_access_token(body: Result<Bytes, BytesRejection>) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_urlencoded::from_bytes::<types::TokenRequest>(&body) else {
        let mut body = generic_error(
            "invalid_request",
            "The form fields grant_type, client_id and client_secret are required",
        );
        body.error.field = Some("client_id".to_owned());
        return reply(Some(CREATE_ACCESS_TOKEN), StatusCode::BAD_REQUEST, &body);
    };
    if request.grant_type != types::GrantType::ClientCredentials {
        let mut body = generic_error(
            "unsupported_grant_type",
            "Only grant_type=client_credentials is supported",
        );
        body.error.field = Some("grant_type".to_owned());
        return reply(Some(CREATE_ACCESS_TOKEN), StatusCode::BAD_REQUEST, &body);
    }
    let client_ok = secret_matches(&request.client_id, CLIENT_ID)
        & secret_matches(request.client_secret.expose(), CLIENT_SECRET);
    if !client_ok {
        let mut body = generic_error(codes::INVALID_CLIENT, "Client authentication failed");
        body.error.details = Some("Check the client id and the client secret".to_owned());
        return reply(Some(CREATE_ACCESS_TOKEN), StatusCode::UNAUTHORIZED, &body);
    }
    let body = types::TokenResponse {
        data: types::TokenData {
            access_token: TOKEN.into(),
            token_type: Some("Bearer".to_owned()),
            expires_in: Some(TOKEN_LIFETIME_SECONDS),
        },
    };
    reply(Some(CREATE_ACCESS_TOKEN), StatusCode::OK, &body)
}

/// `POST /v1/order/confirm` with `{"order_id": "..."}`.
async fn confirm_order(
    State(fake): State<Arc<FakeState<Fuuffy>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if !bearer_matches(&headers, TOKEN) {
        return unauthorized(CONFIRM_ORDER);
    }
    let body = body.unwrap_or_default();
    let Ok(request) = serde_json::from_slice::<types::ConfirmOrderRequest>(&body) else {
        let body = bad_request(
            "order_id",
            "order_id is required and must be a valid numeric string",
        );
        return reply(Some(CONFIRM_ORDER), StatusCode::BAD_REQUEST, &body);
    };
    let confirmed = lock(&fake.orders).confirm(&request.order_id);
    match confirmed {
        Some(confirmed) => {
            let body = types::ConfirmOrderResponse {
                data: types::ConfirmOrderData {
                    confirmed_orders: Some(vec![confirmed]),
                    message: Some("OK".to_owned()),
                },
            };
            reply(Some(CONFIRM_ORDER), StatusCode::OK, &body)
        }
        None => reply(
            Some(CONFIRM_ORDER),
            StatusCode::BAD_REQUEST,
            &error(
                codes::NO_ORDERS_FOUND_CODE,
                codes::NO_ORDERS_FOUND,
                "No orders found",
            ),
        ),
    }
}

/// `GET /v1/order?id=...`.
async fn get_order(
    State(fake): State<Arc<FakeState<Fuuffy>>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if !bearer_matches(&headers, TOKEN) {
        return unauthorized(GET_ORDER);
    }
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default();
    let id = query
        .into_iter()
        .find(|(name, _)| name == "id")
        .and_then(|(_, id)| types::GetOrderId::try_from(id).ok());
    let Some(id) = id else {
        let body = bad_request("id", "id is required and must be a valid numeric string");
        return reply(Some(GET_ORDER), StatusCode::BAD_REQUEST, &body);
    };
    let order = lock(&fake.orders).get(id.as_str()).cloned();
    match order {
        Some(order) => reply(
            Some(GET_ORDER),
            StatusCode::OK,
            &types::GetOrderResponse { data: order },
        ),
        None => {
            let mut body = error(
                codes::ORDER_NOT_FOUND_CODE,
                codes::ORDER_NOT_FOUND,
                "Order not found",
            );
            body.error.error_code = Some(codes::ORDER_NOT_FOUND.to_owned());
            reply(Some(GET_ORDER), StatusCode::BAD_REQUEST, &body)
        }
    }
}

/// An unknown path under `/fuuffy` (overview page: 404, resource or endpoint not found).
async fn not_found() -> Response {
    reply(
        None,
        StatusCode::NOT_FOUND,
        &error("404000", "NOT_FOUND", "Resource or endpoint not found"),
    )
}

/// A method Fuuffy does not offer on a known path.
async fn method_not_allowed() -> Response {
    reply(
        None,
        StatusCode::METHOD_NOT_ALLOWED,
        &error("405000", "METHOD_NOT_ALLOWED", "Method not allowed"),
    )
}

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
