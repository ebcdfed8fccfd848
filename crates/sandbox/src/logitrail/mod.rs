//! Fake Logitrail (`specs/logitrail.yaml`), served under `/logitrail/2015-01-01`: every
//! operation of the spec, on the Logitrail integration docs'
//! (<https://logitrail-integration.readthedocs.io/en/latest/>) rules.
//!
//! - Orders (`orders`): create (`passive`), update, confirm, delete (DELETE or POST
//!   `_delete`), an order's shipping options, and the returns list (`returns`).
//! - Products and their inventory (`products`): upsert, inventory by query string or JSON
//!   body.
//! - Inbound shipments (`inbound`): create, update, get, confirm, delete.
//! - Shipping options, pickup points (`shipping`) and Logitrail's costs (`costs`) from a
//!   small embedded table.
//! - The sandbox clock moves confirmed orders and inbound shipments on (`flow`).
//! - Webhooks (`webhooks`): batches of events POSTed with the merchant's Basic credentials,
//!   when [`LogitrailOptions::webhook`] is set.
//!
//! Every request needs HTTP Basic `M-<merchant id>` : secret ([`MERCHANT_ID`], [`SECRET`]),
//! else HTTP 403 `access_denied`
//! (<https://logitrail-integration.readthedocs.io/en/latest/intro.html>). Every error has the
//! shape of <https://logitrail-integration.readthedocs.io/en/latest/errors.html>,
//! `{"code", "message"}`, built by one constructor (`refuse`): an unknown path or record is
//! 404 `unknown`, a method the path does not take 405 `method_not_allowed`. The crate README
//! ("Logitrail: the whole API") lists every rule.

// The fake's helpers refuse with the response itself (`Result<_, Response>`): it is built
// once per request, answered at once and never stored, so its size does not matter.
#![allow(clippy::result_large_err)]

mod costs;
mod flow;
mod inbound;
mod options;
mod orders;
mod products;
mod request;
mod returns;
mod shipping;
mod webhooks;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{MethodRouter, delete, get, post};
use chrono::{DateTime, Utc};
use ordergate_logitrail::{codes, types};

pub use options::LogitrailOptions;
pub use orders::{MAX_LINE_QTY, MAX_ORDER_BYTES};
pub use products::{MAX_INVENTORY_PAGE, MAX_PRODUCT_BYTES};
pub use returns::MAX_RETURNS_PAGE;

use crate::credentials::secret_matches;
use crate::fake::{FakeState, Served, operation};
use crate::http::{basic, reply, tagged};
use crate::store::{OrderRules, Records, StoreLimits};
use crate::{SandboxOptions, WebhookDelivery};

/// The merchant id the fake accepts (the Basic-auth username is `M-` followed by it).
pub const MERCHANT_ID: &str = "sandbox.example.com";
/// The shared secret the fake accepts (the Basic-auth password).
pub const SECRET: &str = "logitrail-sandbox-secret";

crate::store::generated_status!(types::OrderStatus);

pub(crate) use orders::LogitrailOrder;

/// Logitrail's order rules: ids of 24 hexadecimal digits, confirmable when `passive`,
/// finished once `processed`, `cancelled` or `deleted`.
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
    type Order = LogitrailOrder;

    fn parse_id(id: &str) -> Result<String, &'static str> {
        types::ObjectId::try_from(id)
            .map(|id| id.to_string())
            .map_err(|_| "Logitrail order ids are 24 hexadecimal digits")
    }

    fn order(id: &str, status: types::OrderStatus) -> LogitrailOrder {
        LogitrailOrder::seeded(id, status)
    }

    fn status(order: &LogitrailOrder) -> &types::OrderStatus {
        &order.info.status
    }

    fn confirmable(status: &types::OrderStatus) -> bool {
        *status == types::OrderStatus::Passive
    }

    fn finished(status: &types::OrderStatus) -> bool {
        use types::OrderStatus as S;
        matches!(status, S::Processed | S::Cancelled | S::Deleted)
    }

    /// The order's webhook view and its details, as JSON.
    fn stored_bytes(order: &LogitrailOrder) -> usize {
        order.stored_bytes()
    }
}

/// What the Logitrail fake keeps besides its orders and the clock: the warehouse (products,
/// inbound shipments, returns), the counter its new ids come from, and its webhooks.
pub(crate) struct Extra {
    pub(crate) warehouse: Mutex<Warehouse>,
    ids: AtomicU64,
    pub(crate) webhooks: Option<webhooks::Webhooks>,
}

/// The records besides orders, each kind in its own bounded store. Locked after the orders
/// when both are needed, never before.
#[derive(Debug)]
pub(crate) struct Warehouse {
    pub(crate) products: Records<products::ProductRecords>,
    pub(crate) shipments: Records<inbound::ShipmentRecords>,
    pub(crate) returns: Records<returns::ReturnRecords>,
}

impl Warehouse {
    fn new(limits: StoreLimits) -> Self {
        Self {
            products: Records::new(limits),
            shipments: Records::new(limits),
            returns: Records::new(limits),
        }
    }
}

/// The kinds of ids the fake makes: 24 hexadecimal digits, an 8-digit prefix per kind and a
/// 16-digit counter, so ids of different kinds never collide and none collides with a seeded
/// order (`5c8a1d5b…`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdKind {
    Order,
    InboundShipment,
    Return,
}

impl IdKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::Order => "5c8a1d5c",
            Self::InboundShipment => "56987b3a",
            Self::Return => "56987b3b",
        }
    }
}

impl Extra {
    /// A new id of `kind`, from the one counter (never scanning the store).
    pub(crate) fn new_id(&self, kind: IdKind) -> String {
        let number = self.ids.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}{number:016x}", kind.prefix())
    }
}

/// The Logitrail fake's state.
pub(crate) type Fake = FakeState<Logitrail>;

/// The operation ids, as the spec names them.
mod op {
    pub(super) const CREATE_ORDER: &str = "create_order";
    pub(super) const UPDATE_ORDER: &str = "update_order";
    pub(super) const DELETE_ORDER: &str = "delete_order";
    pub(super) const DELETE_ORDER_BY_POST: &str = "delete_order_by_post";
    pub(super) const CONFIRM_ORDER: &str = "confirm_order";
    pub(super) const ORDER_SHIPPING_OPTIONS: &str = "get_order_shipping_options";
    pub(super) const LIST_RETURNS: &str = "list_returns";
    pub(super) const SHIPPING_OPTIONS: &str = "get_shipping_options";
    pub(super) const PICKUP_POINTS: &str = "list_pickup_points";
    pub(super) const UPSERT_PRODUCT: &str = "upsert_product";
    pub(super) const GET_INVENTORY: &str = "get_inventory";
    pub(super) const QUERY_INVENTORY: &str = "query_inventory";
    pub(super) const CREATE_SHIPMENT: &str = "create_inbound_shipment";
    pub(super) const GET_SHIPMENT: &str = "get_inbound_shipment";
    pub(super) const UPDATE_SHIPMENT: &str = "update_inbound_shipment";
    pub(super) const DELETE_SHIPMENT: &str = "delete_inbound_shipment";
    pub(super) const DELETE_SHIPMENT_BY_POST: &str = "delete_inbound_shipment_by_post";
    pub(super) const CONFIRM_SHIPMENT: &str = "confirm_inbound_shipment";
    pub(super) const ESTIMATE_COSTS: &str = "estimate_costs";
}

/// `routes`, whose operations the spec documents, answering a method the path does not take
/// with 405 `method_not_allowed`, recorded as answering `first` (the path's first operation;
/// the spec documents 405 for each).
fn path(first: &'static str, routes: MethodRouter<Arc<Fake>>) -> MethodRouter<Arc<Fake>> {
    routes.fallback(move || async move {
        tagged(
            Logitrail::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
            first,
        )
    })
}

impl Served for Logitrail {
    const PATH_PREFIX: &'static str = "/logitrail/2015-01-01";
    const SETTINGS: &'static [(&'static str, &'static str)] =
        &[("merchant_id", MERCHANT_ID), ("secret", SECRET)];

    type Extra = Extra;

    fn extra(options: &SandboxOptions) -> Extra {
        Extra {
            warehouse: Mutex::new(Warehouse::new(options.store)),
            ids: AtomicU64::new(0),
            webhooks: options
                .logitrail
                .webhook
                .as_ref()
                .map(webhooks::Webhooks::new),
        }
    }

    /// The operations, nested under `/logitrail/2015-01-01`. `/products/` and
    /// `/pickup_points/` are also served without their trailing slash.
    fn routes() -> Router<Arc<Fake>> {
        use op::*;
        let upsert = || {
            path(
                UPSERT_PRODUCT,
                operation(UPSERT_PRODUCT, post(products::upsert_product)),
            )
        };
        let pickup_points = || {
            path(
                PICKUP_POINTS,
                operation(PICKUP_POINTS, get(shipping::list_pickup_points)),
            )
        };
        Router::new()
            .route(
                "/orders/_create",
                path(
                    CREATE_ORDER,
                    operation(CREATE_ORDER, post(orders::create_order)),
                ),
            )
            .route(
                "/orders/returns",
                path(
                    LIST_RETURNS,
                    operation(LIST_RETURNS, get(returns::list_returns)),
                ),
            )
            .route(
                "/orders/{id}",
                path(
                    UPDATE_ORDER,
                    operation(UPDATE_ORDER, post(orders::update_order))
                        .merge(operation(DELETE_ORDER, delete(orders::delete_order))),
                ),
            )
            .route(
                "/orders/{id}/_delete",
                path(
                    DELETE_ORDER_BY_POST,
                    operation(DELETE_ORDER_BY_POST, post(orders::delete_order)),
                ),
            )
            .route(
                "/orders/{id}/_confirm",
                path(
                    CONFIRM_ORDER,
                    operation(CONFIRM_ORDER, post(orders::confirm_order)),
                ),
            )
            .route(
                "/orders/{id}/shipping_options",
                path(
                    ORDER_SHIPPING_OPTIONS,
                    operation(
                        ORDER_SHIPPING_OPTIONS,
                        get(shipping::order_shipping_options),
                    ),
                ),
            )
            .route(
                "/shipping_options",
                path(
                    SHIPPING_OPTIONS,
                    operation(SHIPPING_OPTIONS, get(shipping::shipping_options)),
                ),
            )
            .route("/pickup_points/", pickup_points())
            .route("/pickup_points", pickup_points())
            .route("/products/", upsert())
            .route("/products", upsert())
            .route(
                "/products/inventory",
                path(
                    GET_INVENTORY,
                    operation(GET_INVENTORY, get(products::get_inventory))
                        .merge(operation(QUERY_INVENTORY, post(products::query_inventory))),
                ),
            )
            .route(
                "/inbound_shipments/_create",
                path(
                    CREATE_SHIPMENT,
                    operation(CREATE_SHIPMENT, post(inbound::create_shipment)),
                ),
            )
            .route(
                "/inbound_shipments/{id}",
                path(
                    GET_SHIPMENT,
                    operation(GET_SHIPMENT, get(inbound::get_shipment))
                        .merge(operation(UPDATE_SHIPMENT, post(inbound::update_shipment)))
                        .merge(operation(DELETE_SHIPMENT, delete(inbound::delete_shipment))),
                ),
            )
            .route(
                "/inbound_shipments/{id}/_delete",
                path(
                    DELETE_SHIPMENT_BY_POST,
                    operation(DELETE_SHIPMENT_BY_POST, post(inbound::delete_shipment)),
                ),
            )
            .route(
                "/inbound_shipments/{id}/_confirm",
                path(
                    CONFIRM_SHIPMENT,
                    operation(CONFIRM_SHIPMENT, post(inbound::confirm_shipment)),
                ),
            )
            .route(
                "/logitrail_costs",
                path(
                    ESTIMATE_COSTS,
                    operation(ESTIMATE_COSTS, post(costs::estimate_costs)),
                ),
            )
    }

    /// `POST /logitrail/2015-01-01/_sandbox/products/{merchants_id}/stock` and
    /// `POST /logitrail/2015-01-01/_sandbox/orders/{id}/return`.
    fn controls() -> Router<Arc<Fake>> {
        Router::new()
            .route(
                "/products/{merchants_id}/stock",
                post(products::set_stock_control),
            )
            .route("/orders/{id}/return", post(returns::create_return_control))
    }

    /// HTTP Basic credentials, `M-<merchant id>` : secret; else 403 `access_denied`.
    fn refusal(_state: &Fake, headers: &HeaderMap) -> Option<Response> {
        let authorized = basic(headers).is_some_and(|(username, password)| {
            let expected_username = format!("M-{MERCHANT_ID}");
            (username == expected_username) & secret_matches(&password, SECRET)
        });
        if authorized {
            return None;
        }
        Some(refuse(
            StatusCode::FORBIDDEN,
            codes::ACCESS_DENIED,
            "Not allowed to access the requested resource or operation",
        ))
    }

    /// `errors.rst`'s shape, `{"code", "message"}`: `method_not_allowed` for 405, `unknown`
    /// otherwise (an unknown path or record is 404 `unknown`).
    fn error(status: StatusCode, message: &str) -> Response {
        let code = if status == StatusCode::METHOD_NOT_ALLOWED {
            "method_not_allowed"
        } else {
            UNKNOWN
        };
        refuse(status, code, message)
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

/// The generic error code (`errors.rst`: "Unknown or unclassified error").
pub(crate) const UNKNOWN: &str = "unknown";

/// Logitrail's error reply: `{"code", "message"}` with `status`. The one constructor of the
/// fake's errors.
pub(crate) fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = types::ErrorResponse {
        code: code.to_owned(),
        message: Some(message.into()),
    };
    reply(status, &body)
}

/// 400 `unknown` with `message`: a request the fake cannot read or accept.
pub(crate) fn bad_request(message: impl Into<String>) -> Response {
    refuse(StatusCode::BAD_REQUEST, UNKNOWN, message)
}

/// 404 `unknown`: no such `what` (`order`, `inbound shipment`, `product`).
pub(crate) fn not_found(what: &str) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        UNKNOWN,
        format!("The {what} is not found"),
    )
}

/// The id of a path, if it is a Logitrail id (24 hexadecimal digits); else 404 for `what`.
pub(crate) fn path_id(
    id: Result<Path<String>, PathRejection>,
    what: &str,
) -> Result<String, Response> {
    let Ok(Path(id)) = id else {
        return Err(not_found(what));
    };
    types::ObjectId::try_from(id.as_str())
        .map(|_| id)
        .map_err(|_| not_found(what))
}

/// A time as the docs write them: ISO 8601 in UTC with the offset,
/// `2016-01-18T08:17:55+00:00`.
pub(crate) fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
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
    fn new_ids_are_object_ids_of_their_kind() {
        let extra = Logitrail::extra(&SandboxOptions::default());
        let order = extra.new_id(IdKind::Order);
        let shipment = extra.new_id(IdKind::InboundShipment);
        assert!(types::ObjectId::try_from(order.as_str()).is_ok(), "{order}");
        assert!(
            types::ObjectId::try_from(shipment.as_str()).is_ok(),
            "{shipment}"
        );
        assert!(order.starts_with("5c8a1d5c") && shipment.starts_with("56987b3a"));
        assert_ne!(order[8..], shipment[8..]);
        assert_eq!(timestamp(DateTime::UNIX_EPOCH), "1970-01-01T00:00:00+00:00");
    }
}
