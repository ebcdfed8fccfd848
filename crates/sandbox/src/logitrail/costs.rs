//! Logitrail's own costs for an order, from the sandbox's small price table
//! (<https://logitrail-integration.readthedocs.io/en/latest/logitrail_costs.html>).
//!
//! `POST /logitrail_costs` `{"order_id"}` answers, in the docs' example's shape, net prices
//! with 24 % VAT: `shipping` 4.50 EUR to a pickup point (and for an order that chose no
//! destination yet), 7.90 home, 2.50 as a letter; `picking` 3.00 per order; `picking_lines`
//! 0.25 per product line; `total_cost` their sum; and the order's `facts`. An unknown or
//! malformed order id is 404 `unknown`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_logitrail::types;

use super::shipping::{facts, order_shipment};
use super::{Fake, not_found, request};
use crate::http::{lock, reply};

/// VAT on Logitrail's costs, percent.
const TAX: f64 = 24.0;

/// A cost of `net` EUR, with its gross rounded to cents.
fn cost(net: f64) -> types::Cost {
    let net = (net * 100.0).round() / 100.0;
    types::Cost {
        gross: (net * (100.0 + TAX)).round() / 100.0,
        net: Some(net),
        currency: "EUR".to_owned(),
        tax: Some(TAX),
    }
}

/// The net shipping cost to `destination`.
fn shipping_net(destination: Option<&str>) -> f64 {
    match destination {
        Some("home") => 7.9,
        Some("letter") => 2.5,
        _ => 4.5,
    }
}

/// `POST /logitrail_costs`.
pub(super) async fn estimate_costs(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let asked: types::CostsRequest = match request::decode(&body.unwrap_or_default(), false) {
        Ok(asked) => asked,
        Err(refusal) => return refusal,
    };
    let orders = lock(&fake.orders);
    let Some(order) = orders.get(asked.order_id.trim()) else {
        return not_found("order");
    };
    let warehouse = lock(&fake.extra.warehouse);
    let lines = order.details.products().len() as f64;
    let shipping = shipping_net(order.details.destination.as_deref());
    let (picking, picking_lines) = (3.0, 0.25 * lines);
    let body = types::CostsResponse {
        facts: Some(facts(&order_shipment(order, &warehouse), Some(order))),
        cost_components: Some(types::CostComponents {
            shipping: Some(cost(shipping)),
            picking: Some(cost(picking)),
            picking_lines: Some(cost(picking_lines)),
            extra: Default::default(),
        }),
        total_cost: Some(cost(shipping + picking + picking_lines)),
    };
    reply(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_example_adds_up() {
        // The docs' example: pickup, one line.
        let total = cost(shipping_net(Some("5692616b01250d3a458b4567")) + 3.0 + 0.25);
        assert_eq!((total.net, total.gross), (Some(7.75), 9.61));
        assert_eq!(cost(4.5).gross, 5.58);
        assert_eq!(cost(0.25).gross, 0.31);
    }
}
