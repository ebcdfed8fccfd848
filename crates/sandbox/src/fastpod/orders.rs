//! Orders: Create Order (<https://fastpodapi.apidog.io/api-4681582>), Get Order (api-4681581),
//! Update Order (api-4681585), Update Status (api-4681586) and Cancel Order (api-4681584).
//!
//! - **Create** (`POST /v1/orders`): the body is checked (422 with Laravel's `errors` map
//!   naming every refused field): `reference_id` unique among the fake's orders; a label order
//!   (`order_type` "2") needs `label_url`; every SKU, quantity, shipping method, rush request
//!   and coupon as the price table (`prices`) allows. The order is `draft` unless the body
//!   says `new_order`; it is priced exactly as Estimate Order Price prices the same request.
//! - **Charging**: an order is charged when it becomes `new_order` (created so, or submitted
//!   by Update Status or Update Order): the sandbox's account pays in cash, so
//!   `payment_method` is "cash", `payment_status` becomes "paid", `point_earned` the lines'
//!   Rocket Fuel points and `point_used` stays 0. A **test order** (`test_order: true`) is
//!   never charged: it stays "unpaid" with no points earned or used, and it is never produced
//!   (the clock leaves it in `new_order`): FastPOD's test orders are "not meant for
//!   fulfillment or billing".
//! - **Update** (`PUT /v1/orders/{id}`): only in `draft`, `new_order` or `on_hold` (else 422);
//!   the body replaces the order's details and it is priced again (a charged order stays
//!   paid: the difference is charged). `order_status` may keep the status or submit a `draft`
//!   or `on_hold` order (`new_order`); moving it anywhere else is refused as Update Status
//!   refuses it. `test_order` counts when the order is created only.
//! - **Update Status** (`PUT /v1/orders/{id}/status`): `{"order_status": "new_order"}` on a
//!   `draft` or `on_hold` order submits (and charges) it; any other move is 422 "Only allowed
//!   to change the order status from draft or on_hold to new_order.".
//! - **Cancel** (`POST /v1/orders/{id}/cancel`): only in `draft`, `new_order` or `on_hold`
//!   (the spec's rule), else 422; a charged order is refunded (`payment_status` "unpaid",
//!   no points earned); `cancelled_at` is set.
//! - **Get** (`GET /v1/orders/{id}`): the bare Order.
//!
//! Mutations answer `{"status": true, "message": ..., "data": Order}`; an unknown order is
//! 404 "Order not found.". The reference check walks the fake's orders (at most
//! [`MAX_RECORDS`](crate::MAX_RECORDS) of them), as List Orders' filters do.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_fastpod::{codes, types};
use serde_json::Value;

use super::flow::shipment;
use super::prices::{self, Priced, Quote, money};
use super::{
    Fake, Fastpod, ORDER_REQUEST_NULLABLE, can_change, can_submit, decode, invalid, not_found,
    timestamp,
};
use crate::fake::Served;
use crate::http::{lock, reply};
use crate::store::Orders;

type Status = types::OrderStatus;

/// When the seeded orders were created (the Update Status example's timestamp).
const CREATED_AT: &str = "2023-12-07T07:54:35.000000Z";

/// Update Order's rule (<https://fastpodapi.apidog.io/api-4681585>).
pub(crate) const UPDATE_REFUSED: &str =
    "You can only modify order details while the order status is in draft, new_order or on_hold.";
/// The cancel rule (the spec's `cancel_order`).
pub(crate) const CANCEL_REFUSED: &str =
    "Only orders in draft, new_order or on_hold can be cancelled.";

/// A seeded order shaped like the Update Status page's example, with id `id` in `status`:
/// one line of `UABSTAQUBXL3` shipped Express (14.40 + 24.00). Orders past `draft` and
/// `on_hold` are paid in cash, but for `F237-120723-000007` (shipped), paid in points; a
/// shipped order has its shipment.
pub(crate) fn seeded(id: &str, status: Status) -> types::Order {
    let charged = matches!(
        status,
        Status::NewOrder | Status::InProduction | Status::Shipped
    );
    let in_points = charged && id == "F237-120723-000007";
    let mut order = types::Order {
        id: id.to_owned(),
        order_type: Some("1".to_owned()),
        reference_id: Some(format!("sandbox-{id}")),
        test_order: Some(false),
        item_total: Some(14.4),
        shipping_total: Some(24.0),
        surcharge_total: Some(0.0),
        labeling_fee: None,
        peak_season_surchage: None,
        order_total: Some(38.4),
        payment_method: Some(if in_points { "point" } else { "cash" }.to_owned()),
        payment_status: Some(if charged { "paid" } else { "unpaid" }.to_owned()),
        point_earned: Some(if charged && !in_points { 1440 } else { 0 }),
        point_used: Some(if in_points { 3840 } else { 0 }),
        quantity_total: Some(1),
        shipping_method: Some("3".to_owned()),
        boost_production: Some(false),
        rush_production: Some(false),
        rush_production_price: Some(0.0),
        gift_message: None,
        tax_id: None,
        tax_id_type: None,
        created_at: Some(CREATED_AT.to_owned()),
        updated_at: Some(CREATED_AT.to_owned()),
        rejected_at: (status == Status::Rejected).then(|| CREATED_AT.to_owned()),
        rejected_status: None,
        cancelled_at: (status == Status::Cancelled).then(|| CREATED_AT.to_owned()),
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
            discount: None,
        }]),
        shipments: Some(Vec::new()),
        label_url: None,
        coupon_code: None,
        discount_total: Some(0.0),
        discount_labeling_fee: None,
        order_status: status.clone(),
    };
    if status == Status::Shipped {
        order.shipments = Some(vec![shipment(&order, CREATED_AT)]);
    }
    order
}

/// Whether `request` asks for rush production (either name).
fn rush(request: &types::OrderRequest) -> bool {
    request.rush_production.unwrap_or(false) || request.boost_production.unwrap_or(false)
}

/// Whether `request` is for a label order.
fn label_order(request: &types::OrderRequest) -> bool {
    request.order_type == Some(types::OrderType::V2)
}

/// Checks `request` for order `own` (none for a create) against `orders`: every refusal by
/// field, or the price.
fn check(
    orders: &Orders<Fastpod>,
    request: &types::OrderRequest,
    own: Option<&str>,
) -> Result<Priced, Response> {
    let mut refused = Vec::new();
    let reference = request.reference_id.trim();
    if reference.is_empty() {
        refused.push((
            "reference_id".to_owned(),
            "The reference id field is required.".to_owned(),
        ));
    } else if orders.by_id().any(|(id, order)| {
        Some(id) != own && order.reference_id.as_deref() == Some(request.reference_id.as_str())
    }) {
        refused.push((
            "reference_id".to_owned(),
            "The reference id has already been taken.".to_owned(),
        ));
    }
    if matches!(request.order_type, Some(types::OrderType::Unknown(_))) {
        refused.push((
            "order_type".to_owned(),
            "The selected order type is invalid.".to_owned(),
        ));
    }
    let has_label = request
        .label_url
        .as_deref()
        .is_some_and(|url| !url.trim().is_empty());
    if label_order(request) && !has_label {
        refused.push((
            "label_url".to_owned(),
            "The label url field is required when order type is 2.".to_owned(),
        ));
    }
    if matches!(
        request.order_status,
        Some(types::NewOrderStatus::Unknown(_))
    ) {
        refused.push((
            "order_status".to_owned(),
            "The selected order status is invalid.".to_owned(),
        ));
    }
    let quote = Quote {
        lines: prices::order_lines(&request.line_items),
        shipping_method: request.shipping_method.get(),
        rush: rush(request),
        label_order: label_order(request),
        coupon: request.coupon_code.as_deref(),
    };
    let priced = prices::price(&quote);
    if let Err(price_refusals) = &priced {
        refused.extend(price_refusals.iter().cloned());
    }
    match priced {
        Ok(priced) if refused.is_empty() => Ok(priced),
        _ => Err(invalid(refused)),
    }
}

/// Writes `request`'s details and `priced`'s amounts into `order` (its id, status, test flag,
/// payment and timestamps are the caller's).
fn fill(order: &mut types::Order, request: &types::OrderRequest, priced: &Priced, fake: &Fake) {
    let label = label_order(request);
    order.order_type = Some(if label { "2" } else { "1" }.to_owned());
    order.reference_id = Some(request.reference_id.clone());
    order.item_total = Some(money(priced.item_cents));
    order.shipping_total = Some(money(priced.shipping_cents));
    order.surcharge_total = Some(money(priced.surcharge_cents));
    order.labeling_fee = label.then(|| money(priced.labeling_cents));
    order.order_total = Some(money(priced.total_cents()));
    order.quantity_total = Some(
        priced
            .lines
            .iter()
            .map(|line| i64::try_from(line.quantity).unwrap_or(i64::MAX))
            .sum(),
    );
    order.shipping_method = Some(request.shipping_method.to_string());
    let rush = rush(request);
    order.boost_production = Some(rush);
    order.rush_production = Some(rush);
    order.rush_production_price = Some(money(priced.surcharge_cents));
    order.gift_message.clone_from(&request.gift_message);
    order.tax_id.clone_from(&request.tax_id);
    order.tax_id_type.clone_from(&request.tax_id_type);
    order.label_url = if label {
        request.label_url.clone()
    } else {
        None
    };
    order.coupon_code.clone_from(&request.coupon_code);
    order.discount_total = Some(money(priced.discount_cents));
    order.discount_labeling_fee = label.then_some(0.0);
    let address = &request.address;
    order.address = Some(types::Address {
        name: Some(address.name.clone()),
        company: address.company.clone(),
        email: Some(address.email.clone()),
        phone: Some(address.phone.clone()),
        street1: Some(address.street1.clone()),
        street2: address.street2.clone(),
        city: Some(address.city.clone()),
        state: Some(address.state.clone()),
        country: Some(address.country.clone()),
        zip: Some(address.zip.clone()),
    });
    order.line_items = Some(
        request
            .line_items
            .iter()
            .zip(&priced.lines)
            .map(|(item, line)| types::LineItem {
                id: Some(fake.extra.new_line_id()),
                item_id: Some(item.item_id.clone()),
                name: item.name.clone(),
                sku: Some(item.sku.clone()),
                style: Some(line.sku.style.to_owned()),
                color: Some(line.sku.color.to_owned()),
                size: Some(line.sku.size.to_owned()),
                unit_price: Some(money(line.unit_cents)),
                quantity: Some(i64::try_from(line.quantity).unwrap_or(i64::MAX)),
                point_earned: Some(line.points()),
                price: Some(money(line.price_cents)),
                print_areas: Some(areas(&item.print_areas)),
                preview_areas: item.preview_areas.as_ref().map(areas),
                shipping_price: Some(money(line.shipping_cents)),
                discount: None,
            })
            .collect(),
    );
}

/// Print areas as the answer's map (area → URL).
fn areas(areas: &types::PrintAreas) -> BTreeMap<String, String> {
    let named = [
        ("front", &areas.front),
        ("back", &areas.back),
        ("pocket", &areas.pocket),
        ("neck_label", &areas.neck_label),
        ("right_sleeve", &areas.right_sleeve),
        ("left_sleeve", &areas.left_sleeve),
    ];
    named
        .into_iter()
        .filter_map(|(name, url)| Some((name.to_owned(), url.clone()?)))
        .chain(areas.extra.clone())
        .collect()
}

/// Sets `order`'s payment for its status: a submitted order that is not a test order is
/// charged (cash: paid, the lines' points earned), anything else is unpaid with no points.
fn settle(order: &mut types::Order) {
    let charged = order.order_status == Status::NewOrder && order.test_order != Some(true);
    let earned = order
        .line_items
        .iter()
        .flatten()
        .filter_map(|line| line.point_earned)
        .sum();
    order.payment_method = Some("cash".to_owned());
    order.payment_status = Some(if charged { "paid" } else { "unpaid" }.to_owned());
    order.point_earned = Some(if charged { earned } else { 0 });
    order.point_used = Some(0);
}

/// `{"status": true, "message": message, "data": order}`.
fn envelope(message: &str, order: types::Order) -> Response {
    let body = types::OrderResponse {
        status: true,
        message: Some(message.to_owned()),
        data: order,
    };
    reply(StatusCode::OK, &body)
}

/// The status update's refusal.
fn transition_refused() -> Response {
    Fastpod::error(StatusCode::UNPROCESSABLE_ENTITY, codes::TRANSITION_REFUSED)
}

/// `POST /v1/orders`.
pub(super) async fn create_order(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let request: types::OrderRequest = match decode(&body, ORDER_REQUEST_NULLABLE) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let now = fake.clock.now();
    let mut orders = lock(&fake.orders);
    let priced = match check(&orders, &request, None) {
        Ok(priced) => priced,
        Err(refused) => return refused,
    };
    let id = fake.extra.new_id(now);
    let status = match request.order_status {
        Some(types::NewOrderStatus::NewOrder) => Status::NewOrder,
        _ => Status::Draft,
    };
    let created = timestamp(now);
    let mut order = types::Order {
        id: id.clone(),
        order_status: status,
        test_order: Some(request.test_order.unwrap_or(false)),
        created_at: Some(created.clone()),
        updated_at: Some(created),
        rejected_at: None,
        rejected_status: None,
        cancelled_at: None,
        shipments: Some(Vec::new()),
        peak_season_surchage: Some(0.0),
        ..seeded(&id, Status::Draft)
    };
    fill(&mut order, &request, &priced, &fake);
    settle(&mut order);
    if orders.insert(id, order.clone()).is_err() {
        return Fastpod::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The order is larger than the sandbox stores.",
        );
    }
    envelope("Order created successfully.", order)
}

/// `GET /v1/orders/{id}`: the bare Order.
pub(super) async fn get_order(
    State(fake): State<Arc<Fake>>,
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

/// `PUT /v1/orders/{id}`.
pub(super) async fn update_order(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found();
    };
    let body = body.unwrap_or_default();
    let now = timestamp(fake.clock.now());
    let mut orders = lock(&fake.orders);
    let Some(current) = orders.get(&id).cloned() else {
        return not_found();
    };
    if !can_change(&current.order_status) {
        return Fastpod::error(StatusCode::UNPROCESSABLE_ENTITY, UPDATE_REFUSED);
    }
    // Update Order's body is Create Order's with `order_status` required: refused without it,
    // then read as the fields both share.
    if let Err(refused) = decode::<types::UpdateOrderRequest>(&body, ORDER_REQUEST_NULLABLE) {
        return refused;
    }
    let request: types::OrderRequest = match decode(&body, ORDER_REQUEST_NULLABLE) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let priced = match check(&orders, &request, Some(&id)) {
        Ok(priced) => priced,
        Err(refused) => return refused,
    };
    let status = match (&request.order_status, &current.order_status) {
        (None, status) => status.clone(),
        (Some(types::NewOrderStatus::Draft), Status::Draft) => Status::Draft,
        (Some(types::NewOrderStatus::NewOrder), Status::NewOrder) => Status::NewOrder,
        (Some(types::NewOrderStatus::NewOrder), status) if can_submit(status) => Status::NewOrder,
        _ => return transition_refused(),
    };
    let mut order = current;
    fill(&mut order, &request, &priced, &fake);
    order.order_status = status;
    order.updated_at = Some(now);
    settle(&mut order);
    let stored = orders.update(&id, |stored| *stored = order.clone());
    match stored {
        Some(()) => envelope("Order updated successfully.", order),
        None => not_found(),
    }
}

/// `PUT /v1/orders/{id}/status` with `{"order_status": "new_order"}`.
pub(super) async fn update_order_status(
    State(fake): State<Arc<Fake>>,
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
            return Err(StatusRefusal::Invalid);
        };
        if request.order_status != Status::NewOrder || !can_submit(&order.order_status) {
            return Err(StatusRefusal::Transition);
        }
        order.order_status = Status::NewOrder;
        order.updated_at = Some(updated_at);
        settle(order);
        Ok(order.clone())
    });
    match updated {
        None => not_found(),
        Some(Ok(order)) => envelope("Order updated successfully.", order),
        Some(Err(StatusRefusal::Invalid)) => invalid(vec![(
            "order_status".to_owned(),
            "The order status field is required.".to_owned(),
        )]),
        Some(Err(StatusRefusal::Transition)) => transition_refused(),
    }
}

/// Why a status update was refused.
enum StatusRefusal {
    /// No valid `order_status` in the body.
    Invalid,
    /// Not a move from `draft` or `on_hold` to `new_order`.
    Transition,
}

/// `POST /v1/orders/{id}/cancel`.
pub(super) async fn cancel_order(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found();
    };
    let now = timestamp(fake.clock.now());
    let cancelled = lock(&fake.orders).update(&id, |order| {
        if !can_change(&order.order_status) {
            return None;
        }
        order.order_status = Status::Cancelled;
        order.cancelled_at = Some(now.clone());
        order.updated_at = Some(now);
        settle(order);
        Some(order.clone())
    });
    match cancelled {
        None => not_found(),
        Some(Some(order)) => envelope("Order cancelled successfully.", order),
        Some(None) => Fastpod::error(StatusCode::UNPROCESSABLE_ENTITY, CANCEL_REFUSED),
    }
}

/// The shipments of `order`, as JSON values (what the flow adds to).
pub(super) fn shipments(order: &mut types::Order) -> &mut Vec<Value> {
    order.shipments.get_or_insert_with(Vec::new)
}

#[cfg(test)]
mod cancel_refusal {
    /// The facade reads a refused cancel as a `conflict` by this word (FastPOD documents no
    /// message for it).
    #[test]
    fn a_refused_cancel_names_the_rule_the_facade_matches() {
        assert!(
            super::CANCEL_REFUSED
                .to_ascii_lowercase()
                .contains(ordergate_fastpod::codes::CANCEL_RULE)
        );
    }
}
