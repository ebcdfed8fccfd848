//! What the shared sandbox clock does to FastPOD's orders, one step
//! ([`ADVANCE_STEP`](crate::ADVANCE_STEP)) at a time. The statuses are the docs'
//! (<https://fastpodapi.apidog.io/api-4681580>); how long each takes is the sandbox's choice.
//!
//! Each step, every order:
//! - `new_order` → `in_production` (a test order excepted: it is never produced);
//! - `in_production` → `shipped`, with one shipment ([`shipment`]).
//!
//! So an order submitted now is `shipped` two steps later. `draft`, `on_hold`, `cancelled` and
//! `rejected` orders do not move. A step that changes nothing ends the advance.
//!
//! A shipment is an object (the docs type `shipments` as an array and describe its entries as
//! "carrier, tracking ID, status, etc."; no example shows one):
//! `{"carrier", "service", "tracking_id", "tracking_url", "status": "shipped", "shipped_at"}`.
//! The carrier follows the shipping method: USPS for Standard (1) and Priority (2), UPS for
//! Express (3), FedEx for Prime (4); a label order ships on the customer's label (`carrier`
//! "label", its `label_url` as `tracking_url`). The tracking id is derived from the order id,
//! so it is the same in every run.

use chrono::{DateTime, Utc};
use ordergate_fastpod::types;
use serde_json::{Value, json};

use super::orders::shipments;
use super::{Fake, timestamp};
use crate::clock;
use crate::http::{lock, stable_hash};

type Status = types::OrderStatus;

/// Moves orders `steps` steps on from `from`; the orders whose status changed, with their new
/// status, in the order the moves happened.
pub(super) fn advance(fake: &Fake, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
    let mut moved = Vec::new();
    let mut orders = lock(&fake.orders);
    for step in 1..=steps {
        let Some(now) = clock::after_steps(from, step) else {
            break;
        };
        let ts = timestamp(now);
        let changed = orders.update_all(|_, order| {
            let to = match order.order_status {
                Status::NewOrder if order.test_order != Some(true) => Status::InProduction,
                Status::InProduction => Status::Shipped,
                _ => return None,
            };
            if to == Status::Shipped {
                let shipment = shipment(order, &ts);
                shipments(order).push(shipment);
            }
            order.order_status = to.clone();
            order.updated_at = Some(ts.clone());
            Some(to)
        });
        if changed.is_empty() {
            break;
        }
        moved.extend(
            changed
                .into_iter()
                .map(|(id, status)| (id, status.as_str().to_owned())),
        );
    }
    moved
}

/// The shipment of `order`, shipped at `shipped_at` (see the module docs).
pub(super) fn shipment(order: &types::Order, shipped_at: &str) -> Value {
    let number = stable_hash(&order.id);
    if order.order_type.as_deref() == Some("2") {
        return json!({
            "carrier": "label",
            "service": "Customer label",
            "tracking_id": format!("LBL{:016}", number % 10_u64.pow(16)),
            "tracking_url": order.label_url,
            "status": "shipped",
            "shipped_at": shipped_at,
        });
    }
    let (carrier, service, tracking_id, tracking_url) = match order.shipping_method.as_deref() {
        Some("3") => {
            let id = format!("1Z999AA1{:010}", number % 10_u64.pow(10));
            let url = format!("https://www.ups.com/track?tracknum={id}");
            ("UPS", "Express", id, url)
        }
        Some("4") => {
            let id = format!("{:012}", number % 10_u64.pow(12));
            let url = format!("https://www.fedex.com/fedextrack/?trknbr={id}");
            ("FedEx", "Prime", id, url)
        }
        method => {
            let id = format!("9400{:018}", number % 10_u64.pow(18));
            let url = format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={id}");
            let service = if method == Some("2") {
                "Priority"
            } else {
                "Standard"
            };
            ("USPS", service, id, url)
        }
    };
    json!({
        "carrier": carrier,
        "service": service,
        "tracking_id": tracking_id,
        "tracking_url": tracking_url,
        "status": "shipped",
        "shipped_at": shipped_at,
    })
}
