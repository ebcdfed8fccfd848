//! Inbound shipments: shipments of products to Logitrail's warehouse
//! (<https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/create_or_modify.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/get.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/confirm.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/delete.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/statuses.html>).
//!
//! - `POST /inbound_shipments/_create`: HTTP 201 `{success, shipment_id}`, status `initial`.
//!   Every product line needs `merchants_id` and a `qty` from 0 to
//!   [`MAX_LINE_QTY`](super::MAX_LINE_QTY), else 400 `unknown`.
//! - `POST /inbound_shipments/{id}` (before the shipment arrives): `products` adds lines or
//!   replaces the line with the same `merchants_id`, `products_all` replaces every line;
//!   HTTP 200 `{success, shipment_id}`. After it arrived: 409 `unknown`.
//! - `GET /inbound_shipments/{id}`: the shipment in the get page's shape (its products with
//!   `qty`, `arrivedQty` and `arrivals`).
//! - `POST /inbound_shipments/{id}/_confirm` (optional body, applied first): `initial` →
//!   `confirmed`, and its items count as `inbound` in inventory; any other status: 409
//!   `unknown`.
//! - `DELETE /inbound_shipments/{id}` and `POST .../_delete`: `initial` → `deleted`;
//!   `confirmed` or `en_route` → `cancelled` (its items no longer `inbound`); once arrived,
//!   or already cancelled or deleted: 409 `unknown` (the page names no code).
//! - Unknown shipment or malformed id: 404 `unknown`. Every change sends
//!   `inbound_shipment.info.change`; see [`super::flow`] for the clock.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_logitrail::types;

use super::orders::MAX_LINE_QTY;
use super::products::{StockLine, empty_document, product_id};
use super::webhooks::{Event, notify};
use super::{
    Fake, IdKind, UNKNOWN, Warehouse, bad_request, not_found, path_id, refuse, request, timestamp,
};
use crate::http::{lock, reply};
use crate::store::RecordKind;

type Status = types::InboundShipmentStatus;

/// Inbound shipments as a kind of record: the get page's `InboundShipment`.
#[derive(Debug)]
pub(crate) struct ShipmentRecords;

impl RecordKind for ShipmentRecords {
    const KIND: &'static str = "inbound shipment";
    type Record = types::InboundShipment;

    fn finished(shipment: &types::InboundShipment) -> bool {
        matches!(
            shipment.status,
            Some(Status::Processed | Status::Cancelled | Status::Deleted)
        )
    }

    fn stored_bytes(shipment: &types::InboundShipment) -> usize {
        serde_json::to_vec(shipment).map_or(0, |json| json.len())
    }
}

fn status(shipment: &types::InboundShipment) -> Status {
    shipment.status.clone().unwrap_or(Status::Initial)
}

/// Whether a shipment in `status` counts as `inbound` in inventory.
fn expected(status: &Status) -> bool {
    matches!(
        status,
        Status::Confirmed | Status::EnRoute | Status::ArrivedAtWarehouse
    )
}

/// The shipment's lines as stock lines.
pub(crate) fn stock_lines(shipment: &types::InboundShipment) -> Vec<StockLine> {
    shipment
        .products()
        .iter()
        .filter_map(|item| {
            let merchants_id = item.product.as_ref()?.merchants_id.clone()?;
            Some((merchants_id, item.qty.unwrap_or(0)))
        })
        .collect()
}

/// What moved from `before` to `after`, by product, without the lines that did not change.
fn delta(before: &[StockLine], after: &[StockLine]) -> Vec<StockLine> {
    let mut changes: BTreeMap<&str, i64> = BTreeMap::new();
    for (merchants_id, qty) in before {
        *changes.entry(merchants_id).or_default() -= qty;
    }
    for (merchants_id, qty) in after {
        *changes.entry(merchants_id).or_default() += qty;
    }
    changes
        .into_iter()
        .filter(|(_, qty)| *qty != 0)
        .map(|(merchants_id, qty)| (merchants_id.to_owned(), qty))
        .collect()
}

/// One line of a request as an item of the shipment, with nothing arrived yet.
fn item(
    warehouse: &Warehouse,
    line: &types::InboundProduct,
    merchants_id: &str,
) -> types::InboundShipmentItem {
    let known = warehouse.product(merchants_id);
    types::InboundShipmentItem {
        product: Some(types::ProductSummary {
            id: Some(product_id(merchants_id)),
            merchants_id: Some(merchants_id.to_owned()),
            name: line
                .name
                .clone()
                .or_else(|| known.and_then(|p| p.document.name.clone())),
            gtin: line
                .gtin
                .clone()
                .or_else(|| known.and_then(|p| p.document.gtin.clone())),
            extra: serde_json::Map::new(),
        }),
        qty: line.qty,
        arrived_qty: Some(0),
        arrivals: Some(Vec::new()),
    }
}

/// Checks the request's lines: each needs `merchants_id` and a `qty` of at least 0.
fn check(request: &types::InboundShipmentRequest) -> Result<(), Response> {
    for line in request.products().iter().chain(request.products_all()) {
        let named = line
            .merchants_id
            .as_deref()
            .is_some_and(|id| !id.trim().is_empty());
        if !named {
            return Err(bad_request("Every product needs merchants_id"));
        }
        if line
            .qty
            .is_none_or(|qty| !(0..=MAX_LINE_QTY).contains(&qty))
        {
            return Err(bad_request(format!(
                "Every product needs a qty from 0 to {MAX_LINE_QTY}"
            )));
        }
    }
    Ok(())
}

/// Applies `request` to `shipment`, adding the products it names that the warehouse does
/// not know.
fn apply(
    warehouse: &mut Warehouse,
    shipment: &mut types::InboundShipment,
    request: types::InboundShipmentRequest,
) {
    let types::InboundShipmentRequest {
        expected_at_wh,
        merchants_ref,
        products,
        products_all,
        sender_name,
    } = request;
    if expected_at_wh.is_some() {
        shipment.expected_at_wh = expected_at_wh;
    }
    if merchants_ref.is_some() {
        shipment.merchants_ref = merchants_ref;
    }
    if sender_name.is_some() {
        shipment.sender_name = sender_name;
    }
    let lines = products_all
        .iter()
        .flatten()
        .chain(products.iter().flatten());
    for line in lines.clone() {
        if let Some(merchants_id) = &line.merchants_id {
            warehouse.learn(types::ProductDocument {
                name: line.name.clone(),
                gtin: line.gtin.clone(),
                ..empty_document(merchants_id)
            });
        }
    }
    if let Some(all) = &products_all {
        shipment.products = Some(
            all.iter()
                .filter_map(|line| Some(item(warehouse, line, line.merchants_id.as_deref()?)))
                .collect(),
        );
    }
    for line in products.iter().flatten() {
        let Some(merchants_id) = line.merchants_id.as_deref() else {
            continue;
        };
        let new = item(warehouse, line, merchants_id);
        let items = shipment.products.get_or_insert_with(Vec::new);
        let same = |old: &&mut types::InboundShipmentItem| {
            old.product.as_ref().and_then(|p| p.merchants_id.as_deref()) == Some(merchants_id)
        };
        match items.iter_mut().find(same) {
            Some(old) => *old = new,
            None => items.push(new),
        }
    }
}

fn conflict(message: impl Into<String>) -> Response {
    refuse(StatusCode::CONFLICT, UNKNOWN, message)
}

fn read(
    body: Result<Bytes, BytesRejection>,
    empty_allowed: bool,
) -> Result<types::InboundShipmentRequest, Response> {
    let request = request::decode(&body.unwrap_or_default(), empty_allowed)?;
    check(&request)?;
    Ok(request)
}

/// `POST /inbound_shipments/_create`.
pub(super) async fn create_shipment(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request = match read(body, false) {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    let id = fake.extra.new_id(IdKind::InboundShipment);
    {
        let mut warehouse = lock(&fake.extra.warehouse);
        let mut shipment = types::InboundShipment {
            id: Some(id.clone()),
            status: Some(Status::Initial),
            products: Some(Vec::new()),
            ..types::InboundShipment::default()
        };
        apply(&mut warehouse, &mut shipment, request);
        if warehouse.shipments.insert(id.clone(), shipment).is_err() {
            return bad_request("The inbound shipment is larger than the sandbox's store bound");
        }
    }
    let event = Event::Shipment(
        types::WebhookEventType::InboundShipmentInfoChange,
        id.clone(),
    );
    notify(fake.extra.webhooks.as_ref(), vec![event], fake.clock.now());
    reply(
        StatusCode::CREATED,
        &types::ShipmentIdResponse {
            success: true,
            shipment_id: id,
        },
    )
}

/// `GET /inbound_shipments/{id}`.
pub(super) async fn get_shipment(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id(id, "inbound shipment") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let found = lock(&fake.extra.warehouse).shipments.get(&id).cloned();
    match found {
        Some(shipment) => reply(StatusCode::OK, &shipment),
        None => not_found("inbound shipment"),
    }
}

/// What an update or a confirm does after the body is applied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    Update,
    Confirm,
}

/// Applies `request` to shipment `id` and confirms it if asked; the events, or the refusal.
fn change(
    fake: &Fake,
    id: &str,
    request: types::InboundShipmentRequest,
    then: Then,
) -> Result<Vec<Event>, Response> {
    let mut warehouse = lock(&fake.extra.warehouse);
    let Some(current) = warehouse.shipments.get(id) else {
        return Err(not_found("inbound shipment"));
    };
    let before = status(current);
    match then {
        Then::Confirm if before != Status::Initial => {
            return Err(conflict(format!(
                "Only an initial inbound shipment can be confirmed (status: {before})"
            )));
        }
        Then::Update
            if !matches!(
                before,
                Status::Initial | Status::Confirmed | Status::EnRoute
            ) =>
        {
            return Err(conflict(format!(
                "The inbound shipment cannot be modified any more (status: {before})"
            )));
        }
        _ => {}
    }
    let mut shipment = current.clone();
    let old_lines = if expected(&before) {
        stock_lines(&shipment)
    } else {
        Vec::new()
    };
    apply(&mut warehouse, &mut shipment, request);
    if then == Then::Confirm {
        shipment.status = Some(Status::Confirmed);
    }
    let new_lines = if expected(&status(&shipment)) {
        stock_lines(&shipment)
    } else {
        Vec::new()
    };
    if ShipmentRecords::stored_bytes(&shipment) > crate::MAX_BODY_BYTES {
        return Err(bad_request(
            "The inbound shipment is larger than the sandbox's bound",
        ));
    }
    warehouse.shipments.update(id, |stored| *stored = shipment);
    let now = timestamp(fake.clock.now());
    let mut events = vec![Event::Shipment(
        types::WebhookEventType::InboundShipmentInfoChange,
        id.to_owned(),
    )];
    events.extend(
        warehouse.move_stock(&delta(&old_lines, &new_lines), &now, |stock, qty| {
            stock.inbound = stock.inbound.saturating_add(qty);
        }),
    );
    Ok(events)
}

async fn change_route(
    fake: Arc<Fake>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
    then: Then,
) -> Response {
    let id = match path_id(id, "inbound shipment") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let request = match read(body, then == Then::Confirm) {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    match change(&fake, &id, request, then) {
        Ok(events) => {
            notify(fake.extra.webhooks.as_ref(), events, fake.clock.now());
            if then == Then::Confirm {
                reply(
                    StatusCode::OK,
                    &types::ConfirmInboundShipmentResponse {
                        success: Some(true),
                        shipment_id: Some(id),
                        extra: serde_json::Map::new(),
                    },
                )
            } else {
                reply(
                    StatusCode::OK,
                    &types::ShipmentIdResponse {
                        success: true,
                        shipment_id: id,
                    },
                )
            }
        }
        Err(refusal) => refusal,
    }
}

/// `POST /inbound_shipments/{id}`.
pub(super) async fn update_shipment(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    change_route(fake, id, body, Then::Update).await
}

/// `POST /inbound_shipments/{id}/_confirm`, with an optional body.
pub(super) async fn confirm_shipment(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    change_route(fake, id, body, Then::Confirm).await
}

/// `DELETE /inbound_shipments/{id}` and `POST /inbound_shipments/{id}/_delete`.
pub(super) async fn delete_shipment(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id(id, "inbound shipment") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let now = fake.clock.now();
    let events = {
        let mut warehouse = lock(&fake.extra.warehouse);
        let Some(current) = warehouse.shipments.get(&id) else {
            return not_found("inbound shipment");
        };
        let before = status(current);
        let after = match before {
            Status::Initial => Status::Deleted,
            Status::Confirmed | Status::EnRoute => Status::Cancelled,
            Status::Cancelled | Status::Deleted => {
                return conflict(format!("The inbound shipment is already {before}"));
            }
            _ => {
                return conflict(format!(
                    "The inbound shipment has arrived at the warehouse and cannot be deleted (status: {before})"
                ));
            }
        };
        let released = if expected(&before) {
            stock_lines(current)
        } else {
            Vec::new()
        };
        warehouse
            .shipments
            .update(&id, |shipment| shipment.status = Some(after));
        let mut events = vec![Event::Shipment(
            types::WebhookEventType::InboundShipmentInfoChange,
            id.clone(),
        )];
        events.extend(
            warehouse.move_stock(&released, &timestamp(now), |stock, qty| {
                stock.inbound = stock.inbound.saturating_sub(qty)
            }),
        );
        events
    };
    notify(fake.extra.webhooks.as_ref(), events, now);
    reply(StatusCode::OK, &types::SuccessResponse { success: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_keeps_only_what_changed() {
        let before = [("A".to_owned(), 6), ("B".to_owned(), 2)];
        let after = [
            ("A".to_owned(), 6),
            ("B".to_owned(), 5),
            ("C".to_owned(), 1),
        ];
        assert_eq!(
            delta(&before, &after),
            [("B".to_owned(), 3), ("C".to_owned(), 1)]
        );
        assert_eq!(
            delta(&after, &[]),
            [
                ("A".to_owned(), -6),
                ("B".to_owned(), -5),
                ("C".to_owned(), -1)
            ]
        );
    }
}
