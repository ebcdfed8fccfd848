//! What the shared sandbox clock does to Logitrail's orders and inbound shipments, one step
//! ([`ADVANCE_STEP`](crate::ADVANCE_STEP)) at a time. The statuses are the docs'
//! (<https://logitrail-integration.readthedocs.io/en/latest/orders/statuses.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/statuses.html>);
//! how long each takes is the sandbox's choice.
//!
//! Each step, inbound shipments first (so that their stock serves orders in the same step):
//! - `confirmed` → `en_route`; `en_route` → `arrived_at_warehouse`
//!   (`inbound_shipment.arrived_at_warehouse`); `arrived_at_warehouse` → `processed`: every
//!   line arrives whole (`arrivedQty`, one `arrivals` entry dated at the step), its items move
//!   from `inbound` to `in_stock` (`inbound_shipment.processed`, `product.inventory.change`).
//!   Every move also sends `inbound_shipment.info.change`.
//!
//! Then orders, oldest first:
//! - a `confirmed` or `waiting_products` order whose every item is in stock (not held by
//!   another pick) is picked: it keeps its status, and a delete now answers 400
//!   `order_already_processing`;
//! - a `confirmed` order whose stock is short becomes `waiting_products`, and is picked on a
//!   later step once an inbound shipment brings the stock;
//! - a picked order is shipped: `processed`, with a shipment id and the carrier's tracking
//!   code (`order.shipped`); its items leave `in_stock` and `reserved`.
//!
//! So a confirmed order with its stock is `processed` two steps after its confirm. Every
//! status change sends `order.info.change`. A step that changes nothing ends the advance.

use chrono::{DateTime, Utc};
use ordergate_logitrail::types;

use super::inbound::stock_lines;
use super::orders::shipment;
use super::webhooks::{Event, notify};
use super::{Fake, Warehouse, timestamp};
use crate::clock;
use crate::http::lock;

type OrderStatus = types::OrderStatus;
type ShipmentStatus = types::InboundShipmentStatus;

/// Moves orders and inbound shipments `steps` steps on from `from`; the orders whose status
/// changed, with their new status, in the order the moves happened.
pub(super) fn advance(fake: &Fake, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
    let mut moved = Vec::new();
    let mut batches = Vec::new();
    {
        let mut orders = lock(&fake.orders);
        let mut warehouse = lock(&fake.extra.warehouse);
        for step in 1..=steps {
            let Some(now) = clock::after_steps(from, step) else {
                break;
            };
            let ts = timestamp(now);
            let mut events = move_shipments(&mut warehouse, &ts);
            let mut changed = !events.is_empty();
            let order_moves = orders.update_all(|id, order| {
                let before = (order.info.status.clone(), order.picking);
                let step_events = move_order(&mut warehouse, id, order, &ts);
                let after = (order.info.status.clone(), order.picking);
                (before != after)
                    .then(|| (before.0 != after.0, order.info.status.clone(), step_events))
            });
            for (id, (status_changed, status, step_events)) in order_moves {
                changed = true;
                if status_changed {
                    moved.push((id, status.as_str().to_owned()));
                }
                events.extend(step_events);
            }
            if !events.is_empty() {
                batches.push((events, now));
            }
            if !changed {
                break;
            }
        }
    }
    for (events, now) in batches {
        notify(fake.extra.webhooks.as_ref(), events, now);
    }
    moved
}

/// One step of every inbound shipment on its way; the events.
fn move_shipments(warehouse: &mut Warehouse, ts: &str) -> Vec<Event> {
    use types::WebhookEventType as E;
    let moves = warehouse.shipments.update_all(|id, shipment| {
        let (to, event) = match shipment.status.as_ref()? {
            ShipmentStatus::Confirmed => (ShipmentStatus::EnRoute, None),
            ShipmentStatus::EnRoute => (
                ShipmentStatus::ArrivedAtWarehouse,
                Some(E::InboundShipmentArrivedAtWarehouse),
            ),
            ShipmentStatus::ArrivedAtWarehouse => {
                for item in shipment.products.iter_mut().flatten() {
                    let qty = item.qty.unwrap_or(0);
                    item.arrived_qty = Some(qty);
                    item.arrivals
                        .get_or_insert_with(Vec::new)
                        .push(types::Arrival {
                            ts: Some(ts.to_owned()),
                            change: Some(qty),
                        });
                }
                (ShipmentStatus::Processed, Some(E::InboundShipmentProcessed))
            }
            _ => return None,
        };
        shipment.status = Some(to.clone());
        let stocked = (to == ShipmentStatus::Processed).then(|| stock_lines(shipment));
        Some((id.to_owned(), event, stocked))
    });
    let mut events = Vec::new();
    for (_, (id, event, stocked)) in moves {
        events.push(Event::Shipment(E::InboundShipmentInfoChange, id.clone()));
        events.extend(event.map(|event| Event::Shipment(event, id)));
        if let Some(lines) = stocked {
            events.extend(warehouse.move_stock(&lines, ts, |stock, qty| {
                stock.inbound = stock.inbound.saturating_sub(qty);
                stock.in_stock = stock.in_stock.saturating_add(qty);
            }));
        }
    }
    events
}

/// One step of `order` (id `id`); the events.
fn move_order(
    warehouse: &mut Warehouse,
    id: &str,
    order: &mut super::LogitrailOrder,
    ts: &str,
) -> Vec<Event> {
    let status = order.info.status.clone();
    if !matches!(
        status,
        OrderStatus::Confirmed | OrderStatus::WaitingProducts
    ) {
        return Vec::new();
    }
    if order.picking {
        order.picking = false;
        order.info.status = OrderStatus::Processed;
        let shipment = shipment(id);
        order.shipment = Some(shipment.clone());
        let mut events = vec![
            Event::OrderChanged(order.info.clone()),
            Event::OrderShipped(order.info.clone(), shipment),
        ];
        warehouse.hold(&order.reserved, false);
        events.extend(warehouse.move_stock(&order.reserved, ts, |stock, qty| {
            stock.in_stock = stock.in_stock.saturating_sub(qty);
            stock.reserved = stock.reserved.saturating_sub(qty);
        }));
        order.reserved.clear();
        return events;
    }
    if warehouse.can_pick(&order.reserved) {
        order.picking = true;
        warehouse.hold(&order.reserved, true);
        return Vec::new();
    }
    if status == OrderStatus::Confirmed {
        order.info.status = OrderStatus::WaitingProducts;
        return vec![Event::OrderChanged(order.info.clone())];
    }
    Vec::new()
}
