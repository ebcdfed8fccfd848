//! Estimate Order Price (`POST /v1/orders/estimate-price`,
//! <https://fastpodapi.apidog.io/api-4681583>) and Estimate Item Price
//! (`POST /v1/orders/estimate-price/line-item`, <https://fastpodapi.apidog.io/api-4893905>),
//! from the price table (`prices`). Both answer bare objects; a request the table cannot
//! price is 422 with the refused fields. Nothing is stored.
//!
//! The answer has no labeling-fee field: a label order's estimate counts the fee in
//! `order_total` only, as the order created from the same request does (where it is also
//! `labeling_fee`).
//!
//! An item's estimate is one line of an order's estimate: its price and points, and the
//! Standard shipping of that line alone (its first unit at the first-unit price).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_fastpod::types;

use super::prices::{self, Line, PricedLine, Quote, money};
use super::{Fake, decode, invalid};
use crate::http::reply;

/// A priced line as the answer's `EstimatedLineItem`.
fn estimated(line: &PricedLine, print_areas: &types::PrintAreas) -> types::EstimatedLineItem {
    types::EstimatedLineItem {
        sku: Some(line.sku.sku.to_owned()),
        quantity: Some(i64::try_from(line.quantity).unwrap_or(i64::MAX)),
        print_areas: Some(print_areas.clone()),
        unit_price: Some(money(line.unit_cents)),
        price: Some(money(line.price_cents)),
        point_earned: Some(line.points()),
        shipping_price: Some(money(line.shipping_cents)),
        extra: serde_json::Map::new(),
    }
}

/// `POST /v1/orders/estimate-price`.
pub(super) async fn estimate_order_price(
    State(_fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let request: types::EstimateRequest = match decode(&body, &[]) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let mut refused = Vec::new();
    let shipping_method = request.shipping_method.as_str().parse::<u64>().unwrap_or(0);
    if matches!(request.order_type, Some(types::OrderType::Unknown(_))) {
        refused.push((
            "order_type".to_owned(),
            "The selected order type is invalid.".to_owned(),
        ));
    }
    let rush =
        request.rush_production.unwrap_or(false) || request.boost_production.unwrap_or(false);
    let quote = Quote {
        lines: request
            .line_items
            .iter()
            .map(|item| Line {
                sku: &item.sku,
                quantity: item.quantity,
                print_areas: prices::print_area_count(&item.print_areas),
            })
            .collect(),
        shipping_method,
        rush,
        label_order: request.order_type == Some(types::OrderType::V2),
        coupon: request.coupon_code.as_deref(),
    };
    let priced = match prices::price(&quote) {
        Ok(priced) if refused.is_empty() => priced,
        Ok(_) => return invalid(refused),
        Err(more) => {
            refused.extend(more);
            return invalid(refused);
        }
    };
    let estimate = types::Estimate {
        address: Some(request.address.clone()),
        shipping_method: Some(request.shipping_method.as_str().to_owned()),
        boost_production: Some(rush),
        rush_production: Some(rush),
        line_items: Some(
            priced
                .lines
                .iter()
                .zip(&request.line_items)
                .map(|(line, item)| estimated(line, &item.print_areas))
                .collect(),
        ),
        item_total: Some(money(priced.item_cents)),
        shipping_total: Some(money(priced.shipping_cents)),
        surcharge_total: Some(money(priced.surcharge_cents)),
        order_total: Some(money(priced.total_cents())),
        point_used: Some(priced.points_used()),
        point_earned: Some(priced.points_earned()),
        discount: Some(money(priced.discount_cents)),
    };
    reply(StatusCode::OK, &estimate)
}

/// `POST /v1/orders/estimate-price/line-item`.
pub(super) async fn estimate_line_item_price(
    State(_fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let request: types::LineItemEstimateRequest = match decode(&body, &[]) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let quote = Quote {
        lines: vec![Line {
            sku: &request.sku,
            quantity: request.quantity,
            print_areas: prices::print_area_count(&request.print_areas),
        }],
        shipping_method: 1,
        rush: false,
        label_order: false,
        coupon: None,
    };
    match prices::price(&quote) {
        Ok(priced) => match priced.lines.first() {
            Some(line) => reply(StatusCode::OK, &estimated(line, &request.print_areas)),
            None => invalid(Vec::new()),
        },
        // The item's fields are named without the order's `line_items.0.` prefix.
        Err(refused) => invalid(
            refused
                .into_iter()
                .map(|(field, message)| {
                    let strip = |text: &str| text.replace("line_items.0.", "");
                    (strip(&field), strip(&message))
                })
                .collect(),
        ),
    }
}
