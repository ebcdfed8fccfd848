//! Orders: create, update, confirm and delete
//! (<https://logitrail-integration.readthedocs.io/en/latest/orders/create_or_modify.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/confirm.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/delete.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/statuses.html>).
//!
//! - `POST /orders/_create` with the Order JSON object: HTTP 201 `{success, order_id}`, a new
//!   id of 24 hexadecimal digits, status `passive`.
//! - `POST /orders/{id}` updates a `passive` order: `products` adds lines or replaces the line
//!   with the same `merchants_id`, `products_all` replaces every line; `tags` adds tags,
//!   `tags_all` replaces them; every other member given replaces the order's. HTTP 200
//!   `{success, order_id}`. Any other status: 409 `order_not_passive`.
//! - `POST /orders/{id}/_confirm`, with an optional Order JSON body applied first (no body at
//!   all, as the Codaone clients send it, is fine): a `passive` order becomes `confirmed`
//!   with its `tracking_code` and `tracking_url`, and its items are reserved in inventory;
//!   any other status: 409 `order_not_passive`.
//! - A product line without `merchants_id` is 400 `product.merchants_id.required`; a list of
//!   lines where some have `source_id` and others not is 400 `item_source_id_missing`;
//!   `destination` must be `home`, `letter` or a pickup point id (24 hexadecimal digits),
//!   else 400 `unknown`; an order over [`MAX_ORDER_BYTES`], or a `qty` outside 0 to
//!   [`MAX_LINE_QTY`], is 400 `unknown`.
//! - `DELETE /orders/{id}` and `POST /orders/{id}/_delete`: `passive` → `deleted`;
//!   `confirmed` or `waiting_products` → `cancelled` (the reservation is released), HTTP 200
//!   `{success}`; refused with 400 `order_already_processing` while the order is being
//!   picked, `order_already_processed` once shipped, `order_already_cancelled` when it is
//!   cancelled or deleted.
//! - An unknown order, or an id that is not 24 hexadecimal digits: 404 `unknown`.
//! - Every change sends `order.info.change`; see [`super::flow`] for what the clock does.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::State;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_logitrail::{codes, types};
use serde_json::Value;

use super::products::{StockLine, empty_document};
use super::webhooks::{Event, notify};
use super::{
    Fake, IdKind, Logitrail, Warehouse, bad_request, not_found, path_id, refuse, request, timestamp,
};
use crate::http::{lock, reply, stable_hash};
use crate::store::OrderRules;

/// The largest order the fake keeps, as JSON: 64 KiB (the sandbox's own bound).
pub const MAX_ORDER_BYTES: usize = 64 * 1024;

/// The largest `qty` of one product line the fake accepts, in orders and inbound shipments:
/// a million (the sandbox's own bound; a larger or negative one is 400 `unknown`).
pub const MAX_LINE_QTY: i64 = 1_000_000;

/// A Logitrail order as the fake keeps it: what the order webhooks carry, the order's
/// details (the Order JSON object with every update applied: `products` and `tags` hold the
/// order's lines and tags), the stock lines its confirm reserved, whether it is being picked,
/// and its shipment once shipped.
#[derive(Debug, Clone)]
pub(crate) struct LogitrailOrder {
    pub(crate) info: types::OrderInfo,
    pub(crate) details: types::OrderUpdate,
    pub(crate) reserved: Vec<StockLine>,
    pub(crate) picking: bool,
    pub(crate) shipment: Option<types::ShipmentInfo>,
}

impl LogitrailOrder {
    /// A new order `id` in `status`, without lines: how seeded orders start.
    pub(crate) fn seeded(id: &str, status: types::OrderStatus) -> Self {
        let tracked = !matches!(
            status,
            types::OrderStatus::Passive | types::OrderStatus::Deleted
        );
        let shipped = status == types::OrderStatus::Processed;
        let merchants_order = types::MerchantsOrder::String(format!("sandbox-{id}"));
        let mut order = Self {
            info: types::OrderInfo {
                id: id.to_owned(),
                merchants_order: Some(merchants_order.clone()),
                status,
                tracking_code: None,
                tracking_url: None,
            },
            details: types::OrderUpdate {
                merchants_order: Some(merchants_order),
                ..types::OrderUpdate::default()
            },
            reserved: Vec::new(),
            picking: false,
            shipment: shipped.then(|| shipment(id)),
        };
        if tracked {
            order.track();
        }
        order
    }

    /// Gives the order its tracking code and URL.
    fn track(&mut self) {
        let code = tracking_code(&self.info.id);
        self.info.tracking_url = Some(tracking_url(&code));
        self.info.tracking_code = Some(code);
    }

    /// About how many bytes the order holds: its webhook view and details as JSON.
    pub(crate) fn stored_bytes(&self) -> usize {
        let info = serde_json::to_vec(&self.info).map_or(0, |json| json.len());
        let details = serde_json::to_vec(&self.details).map_or(0, |json| json.len());
        info + details
    }

    /// The order's lines as stock lines (before bundles are expanded).
    pub(crate) fn lines(&self) -> impl Iterator<Item = StockLine> + '_ {
        self.details
            .products()
            .iter()
            .map(|line| (line.merchants_id.clone(), line.qty))
    }

    /// The order's total weight in grams: each line's weight, or its product's, times its
    /// quantity.
    pub(crate) fn weight_grams(&self, warehouse: &Warehouse) -> f64 {
        self.details
            .products()
            .iter()
            .map(|line| {
                let each = line.weight.or_else(|| {
                    warehouse
                        .product(&line.merchants_id)
                        .and_then(|product| product.document.weight)
                });
                each.unwrap_or(0.0) * line.qty as f64
            })
            .sum()
    }

    /// Applies `update` (see the module docs).
    fn apply(&mut self, update: types::OrderUpdate) {
        let types::OrderUpdate {
            currency,
            customer,
            destination,
            language,
            merchants_order,
            not_after,
            not_before,
            pricelist,
            products,
            products_all,
            tags,
            tags_all,
        } = update;
        let details = &mut self.details;
        replace(&mut details.currency, currency);
        replace(&mut details.customer, customer);
        replace(&mut details.destination, destination);
        replace(&mut details.language, language);
        replace(&mut details.merchants_order, merchants_order);
        replace(&mut details.not_after, not_after);
        replace(&mut details.not_before, not_before);
        replace(&mut details.pricelist, pricelist);
        if let Some(all) = products_all {
            details.products = Some(all);
        }
        if let Some(lines) = products {
            let current = details.products.get_or_insert_with(Vec::new);
            for line in lines {
                match current
                    .iter_mut()
                    .find(|old| old.merchants_id == line.merchants_id)
                {
                    Some(old) => *old = line,
                    None => current.push(line),
                }
            }
        }
        if let Some(all) = tags_all {
            details.tags = Some(all);
        }
        if let Some(new) = tags {
            let current = details.tags.get_or_insert_with(Vec::new);
            for tag in new {
                if !current.contains(&tag) {
                    current.push(tag);
                }
            }
        }
        self.info
            .merchants_order
            .clone_from(&self.details.merchants_order);
    }
}

fn replace<T>(old: &mut Option<T>, new: Option<T>) {
    if new.is_some() {
        *old = new;
    }
}

/// The tracking code Logitrail's fake assigns to order `id`: `LT` and 12 digits.
pub(crate) fn tracking_code(id: &str) -> String {
    format!("LT{:012}", stable_hash(id) % 1_000_000_000_000)
}

/// The tracking URL of tracking code `code`, the layout of the spec's example.
fn tracking_url(code: &str) -> String {
    format!("https://example.com/tracking/{code}")
}

/// The shipment of order `id` once shipped: an id of 24 hexadecimal digits (`5c8a1d5d` and
/// the order id's last 16) and a carrier tracking code, `JJFI` and 17 digits like the spec's
/// example.
pub(crate) fn shipment(id: &str) -> types::ShipmentInfo {
    let tail = id.get(8..).unwrap_or(id);
    types::ShipmentInfo {
        id: format!("5c8a1d5d{tail}"),
        carrier_tracking_code: Some(format!(
            "JJFI{:017}",
            stable_hash(id) % 100_000_000_000_000_000
        )),
    }
}

/// The documented checks on an Order JSON object's lines and destination.
fn check(value: &Value) -> Result<(), Response> {
    for list in ["products", "products_all"] {
        let Some(lines) = value.get(list).and_then(Value::as_array) else {
            continue;
        };
        let named = |line: &Value| {
            line.get("merchants_id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.trim().is_empty())
        };
        if !lines.iter().all(named) {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "product.merchants_id.required",
                "Every product needs merchants_id",
            ));
        }
        let qty_ok = |line: &Value| {
            line.get("qty")
                .and_then(Value::as_i64)
                .is_none_or(|qty| (0..=MAX_LINE_QTY).contains(&qty))
        };
        if !lines.iter().all(qty_ok) {
            return Err(bad_request(format!("qty must be from 0 to {MAX_LINE_QTY}")));
        }
        let with_source = lines
            .iter()
            .filter(|line| line.get("source_id").is_some())
            .count();
        if with_source > 0 && with_source < lines.len() {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "item_source_id_missing",
                "If one item has source_id, every item must have it",
            ));
        }
    }
    if let Some(destination) = value.get("destination") {
        let known = destination
            .as_str()
            .is_some_and(|d| d == "home" || d == "letter" || types::ObjectId::try_from(d).is_ok());
        if !known {
            return Err(bad_request(
                "destination must be home, letter or a pickup point id",
            ));
        }
    }
    Ok(())
}

/// An Order JSON object from `body`, checked (an empty body reads as `{}` when
/// `empty_allowed`).
fn read(
    body: Result<Bytes, BytesRejection>,
    empty_allowed: bool,
) -> Result<types::OrderUpdate, Response> {
    let Ok(body) = body else {
        return Err(bad_request("The request body could not be read"));
    };
    let value = request::object(&body, empty_allowed)?;
    check(&value)?;
    request::typed(value)
}

/// Adds the products `order` names that the warehouse does not know.
fn learn_products(warehouse: &mut Warehouse, order: &LogitrailOrder) {
    for line in order.details.products() {
        warehouse.learn(types::ProductDocument {
            name: line.name.clone(),
            gtin: line.gtin.clone(),
            weight: line.weight,
            dimensions: line.dimensions.clone(),
            fulfillment_by: line.fulfillment_by.clone(),
            taric_code: line.taric_code.clone(),
            manufacturing_country: line.manufacturing_country.clone(),
            ..empty_document(&line.merchants_id)
        });
    }
}

fn too_large(order: &LogitrailOrder) -> Option<Response> {
    let bytes = order.stored_bytes();
    (bytes > MAX_ORDER_BYTES).then(|| {
        bad_request(format!(
            "The order is {bytes} bytes, more than the sandbox's bound of {MAX_ORDER_BYTES}"
        ))
    })
}

fn not_passive(status: &types::OrderStatus) -> Response {
    refuse(
        StatusCode::CONFLICT,
        codes::ORDER_NOT_PASSIVE,
        format!(
            "The order is already confirmed or in another status than passive (status: {status})"
        ),
    )
}

/// `POST /orders/_create`.
pub(super) async fn create_order(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let update = match read(body, false) {
        Ok(update) => update,
        Err(refusal) => return refusal,
    };
    let id = fake.extra.new_id(IdKind::Order);
    let mut order = LogitrailOrder {
        details: types::OrderUpdate::default(),
        ..LogitrailOrder::seeded(&id, types::OrderStatus::Passive)
    };
    order.info.merchants_order = None;
    order.apply(update);
    if let Some(refusal) = too_large(&order) {
        return refusal;
    }
    let now = fake.clock.now();
    {
        let mut orders = lock(&fake.orders);
        let mut warehouse = lock(&fake.extra.warehouse);
        learn_products(&mut warehouse, &order);
        if orders.insert(id.clone(), order.clone()).is_err() {
            return bad_request("The order is larger than the sandbox's store bound");
        }
    }
    notify(
        fake.extra.webhooks.as_ref(),
        vec![Event::OrderChanged(order.info)],
        now,
    );
    reply(
        StatusCode::CREATED,
        &types::OrderIdResponse {
            success: true,
            order_id: id,
        },
    )
}

/// What an update or a confirm does to a passive order, after the body is applied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    Update,
    Confirm,
}

/// Applies `update` to passive order `id`, then confirms it if asked; the order as changed
/// and the events, or the refusal.
fn change(
    fake: &Fake,
    id: &str,
    update: types::OrderUpdate,
    then: Then,
) -> Result<(LogitrailOrder, Vec<Event>), Response> {
    let mut orders = lock(&fake.orders);
    let Some(current) = orders.get(id) else {
        return Err(not_found("order"));
    };
    if !Logitrail::confirmable(&current.info.status) {
        return Err(not_passive(&current.info.status));
    }
    let mut order = current.clone();
    order.apply(update);
    if let Some(refusal) = too_large(&order) {
        return Err(refusal);
    }
    let mut warehouse = lock(&fake.extra.warehouse);
    learn_products(&mut warehouse, &order);
    let mut events = Vec::new();
    if then == Then::Confirm {
        order.info.status = types::OrderStatus::Confirmed;
        order.track();
        order.reserved = warehouse.stock_lines(order.lines());
        let now = timestamp(fake.clock.now());
        events.extend(warehouse.move_stock(&order.reserved, &now, |stock, qty| {
            stock.reserved = stock.reserved.saturating_add(qty);
        }));
    }
    events.insert(0, Event::OrderChanged(order.info.clone()));
    orders.update(id, |stored| *stored = order.clone());
    Ok((order, events))
}

/// `POST /orders/{id}`.
pub(super) async fn update_order(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let id = match path_id(id, "order") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let update = match read(body, false) {
        Ok(update) => update,
        Err(refusal) => return refusal,
    };
    match change(&fake, &id, update, Then::Update) {
        Ok((_, events)) => {
            notify(fake.extra.webhooks.as_ref(), events, fake.clock.now());
            reply(
                StatusCode::OK,
                &types::OrderIdResponse {
                    success: true,
                    order_id: id,
                },
            )
        }
        Err(refusal) => refusal,
    }
}

/// `POST /orders/{id}/_confirm`, with an optional Order JSON body.
pub(super) async fn confirm_order(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let id = match path_id(id, "order") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let update = match read(body, true) {
        Ok(update) => update,
        Err(refusal) => return refusal,
    };
    match change(&fake, &id, update, Then::Confirm) {
        Ok((order, events)) => {
            notify(fake.extra.webhooks.as_ref(), events, fake.clock.now());
            reply(
                StatusCode::OK,
                &types::ConfirmOrderResponse {
                    success: true,
                    order_id: id,
                    tracking_code: order.info.tracking_code,
                    tracking_url: order.info.tracking_url,
                },
            )
        }
        Err(refusal) => refusal,
    }
}

/// Why order `order` cannot be deleted, if it cannot.
fn undeletable(order: &LogitrailOrder) -> Option<Response> {
    use types::OrderStatus as S;
    let (code, message) = match &order.info.status {
        S::Passive | S::Confirmed | S::WaitingProducts if !order.picking => return None,
        S::Passive | S::Confirmed | S::WaitingProducts => (
            codes::ORDER_ALREADY_PROCESSING,
            "The order is already being processed and cannot be cancelled; contact Logitrail to intercept the parcel",
        ),
        S::Processed => (
            codes::ORDER_ALREADY_PROCESSED,
            "The order is already processed (sent out from the warehouse) and cannot be cancelled",
        ),
        S::Cancelled | S::Deleted => (
            codes::ORDER_ALREADY_CANCELLED,
            "The order is already cancelled",
        ),
        other => {
            return Some(bad_request(format!(
                "An order in status {other} cannot be deleted"
            )));
        }
    };
    Some(refuse(StatusCode::BAD_REQUEST, code, message))
}

/// `DELETE /orders/{id}` and `POST /orders/{id}/_delete` (the request body is ignored).
pub(super) async fn delete_order(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id(id, "order") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let now = fake.clock.now();
    let events = {
        let mut orders = lock(&fake.orders);
        let Some(current) = orders.get(&id) else {
            return not_found("order");
        };
        if let Some(refusal) = undeletable(current) {
            return refusal;
        }
        let mut order = current.clone();
        let mut events = Vec::new();
        order.info.status = if order.info.status == types::OrderStatus::Passive {
            types::OrderStatus::Deleted
        } else {
            let mut warehouse = lock(&fake.extra.warehouse);
            events = warehouse.move_stock(&order.reserved, &timestamp(now), |stock, qty| {
                stock.reserved = stock.reserved.saturating_sub(qty);
            });
            order.reserved.clear();
            types::OrderStatus::Cancelled
        };
        events.insert(0, Event::OrderChanged(order.info.clone()));
        orders.update(&id, |stored| *stored = order);
        events
    };
    notify(fake.extra.webhooks.as_ref(), events, now);
    reply(StatusCode::OK, &types::SuccessResponse { success: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(merchants_id: &str, qty: i64) -> types::Product {
        serde_json::from_value(serde_json::json!({"merchants_id": merchants_id, "qty": qty}))
            .expect("a line")
    }

    fn update(value: Value) -> types::OrderUpdate {
        serde_json::from_value(value).expect("an update")
    }

    #[test]
    fn products_merge_and_products_all_replace_tags_too() {
        let mut order =
            LogitrailOrder::seeded("5c8a1d5c0000000000000001", types::OrderStatus::Passive);
        order.apply(update(serde_json::json!({"products": [{"merchants_id": "A", "qty": 1}, {"merchants_id": "B", "qty": 2}], "tags": ["x"]})));
        order.apply(update(
            serde_json::json!({"products": [{"merchants_id": "A", "qty": 5}], "tags": ["y", "x"]}),
        ));
        assert_eq!(order.details.products(), [line("A", 5), line("B", 2)]);
        assert_eq!(order.details.tags(), ["x", "y"]);
        order.apply(update(serde_json::json!({"products_all": [{"merchants_id": "C", "qty": 1}], "tags_all": ["z"], "merchants_order": "10001"})));
        assert_eq!(order.details.products(), [line("C", 1)]);
        assert_eq!(order.details.tags(), ["z"]);
        assert_eq!(
            order.info.merchants_order,
            Some(types::MerchantsOrder::String("10001".to_owned()))
        );
    }

    #[test]
    fn the_documented_checks() {
        let code = |value: Value| {
            check(&value)
                .err()
                .map(|response| response.status().as_u16())
        };
        assert_eq!(
            code(serde_json::json!({"products": [{"qty": 1}]})),
            Some(400)
        );
        assert_eq!(
            code(
                serde_json::json!({"products_all": [{"merchants_id": "A", "qty": 1, "source_id": "1"}, {"merchants_id": "B", "qty": 1}]})
            ),
            Some(400)
        );
        assert_eq!(code(serde_json::json!({"destination": "moon"})), Some(400));
        assert_eq!(
            code(serde_json::json!({"products": [{"merchants_id": "A", "qty": -1}]})),
            Some(400)
        );
        assert_eq!(
            code(serde_json::json!({"products": [{"merchants_id": "A", "qty": i64::MAX}]})),
            Some(400)
        );
        assert_eq!(
            code(
                serde_json::json!({"destination": "5692616b01250d3a458b4567", "products": [{"merchants_id": "A", "qty": 1, "source_id": "1"}]})
            ),
            None
        );
    }

    #[test]
    fn shipments_and_tracking_codes_are_deterministic() {
        let info = shipment("5c8a1d5b0000000000000001");
        assert_eq!(info.id, "5c8a1d5d0000000000000001");
        assert_eq!(
            info.carrier_tracking_code.as_deref().map(str::len),
            Some(21)
        );
        let code = tracking_code("5c8a1d5b0000000000000001");
        assert_eq!(code.len(), 14);
        assert_eq!(code, tracking_code("5c8a1d5b0000000000000001"));
    }
}
