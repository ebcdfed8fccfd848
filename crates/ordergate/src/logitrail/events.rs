//! Logitrail's webhook events as [`OrderEvent`]s, read from a body whose credentials were
//! verified (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/webhooks.html>).
//!
//! - `order.info.change` and `order.shipped`: `order_id` ← `order.id`, `status` ← `order.status`
//!   through [`normalize_status`], `provider_status` ← `order.status` verbatim,
//!   `tracking_number` ← `order.tracking_code` (the code [`confirm_order`] returns too), or
//!   the shipment's `carrier_tracking_code` when the order has none.
//! - Every event: `event_id` ← `event_id` (Logitrail keeps it across retries and webhooks: the
//!   key to drop a repeat), `event_type` verbatim, `occurred_at` ← `ts`, and the event as
//!   received as [`OrderEvent::raw`].
//! - Events that are not about an order (`inbound_shipment.*`, `product.*`, a type Logitrail
//!   adds later) are returned too, with no `order_id` and status `unknown`: nothing Logitrail
//!   sent disappears, a receiver written for any provider reads them the same way (an event
//!   without `order_id` is not about an order, whoever sent it), and their payload stays in
//!   [`OrderEvent::raw`] (or use `ordergate_logitrail::webhook` for typed product and
//!   inbound shipment events).
//! - One bad event does not lose the batch. An event whose payload does not have its type's
//!   documented shape is still returned, with status `unknown`, no `order_id` and its payload
//!   in [`OrderEvent::raw`]: it is a real event (it has Logitrail's `event_id`), so it must
//!   not vanish. An item that is not an event at all (no `event_id` or `event_type`) has no
//!   id to deduplicate by and no type to act on: it is left out, and only when no item of the
//!   body is an event is the body refused (`decode`). Refusing a whole batch for one bad item
//!   would make Logitrail send the batch again and again, since the item stays bad.
//!
//! [`confirm_order`]: crate::OrderProvider::confirm_order

use ordergate_logitrail::types;
use ordergate_logitrail::webhook::{Event, EventError, Payload, parse_events};
use ordergate_runtime::inbound::Verified;
use serde_json::Value;

use super::{PROVIDER, normalize_status};
use crate::webhook::undecodable;
use crate::{Error, OrderEvent, OrderStatus};

/// The events of a verified body, in order.
///
/// # Errors
/// `decode` when the body is not an event or an array of events, holds more than Logitrail's
/// 100 events, or holds no item that is an event.
pub(super) fn order_events(verified: Verified<'_>) -> Result<Vec<OrderEvent>, Error> {
    let body = verified.body();
    let results = parse_events(verified).map_err(|error| undecodable(PROVIDER, error))?;
    let mut raw = raw_items(body);
    let mut events = Vec::with_capacity(results.len());
    let mut not_events = 0usize;
    for (index, result) in results.into_iter().enumerate() {
        let raw = raw.get_mut(index).map(Value::take).unwrap_or_default();
        match result {
            Ok(event) => events.push(order_event(event).with_raw(raw)),
            Err(EventError::PayloadMismatch {
                event_id,
                event_type,
                ..
            }) => {
                let mut event =
                    OrderEvent::new(PROVIDER, event_id, event_type.as_str(), OrderStatus::Unknown);
                event.occurred_at = raw.get("ts").and_then(Value::as_str).map(str::to_owned);
                events.push(event.with_raw(raw));
            }
            Err(_) => not_events += 1,
        }
    }
    if events.is_empty() && not_events > 0 {
        return Err(undecodable(
            PROVIDER,
            format!("none of its {not_events} items is an event (event_id, event_type, payload)"),
        ));
    }
    Ok(events)
}

/// One typed event, normalized.
fn order_event(event: Event) -> OrderEvent {
    let event_type = event.event_type();
    let mut normalized = OrderEvent::new(
        PROVIDER,
        event.event_id,
        event_type.as_str(),
        OrderStatus::Unknown,
    );
    normalized.occurred_at = event.ts;
    match &event.payload {
        Payload::OrderInfoChange(payload) => with_order(&mut normalized, &payload.order, None),
        Payload::OrderShipped(payload) => with_order(
            &mut normalized,
            &payload.order,
            payload.shipment.carrier_tracking_code.as_deref(),
        ),
        // Not about an order (see the module's docs).
        _ => {}
    }
    normalized
}

/// Fills in what an order event says of its order.
fn with_order(event: &mut OrderEvent, order: &types::OrderInfo, carrier_tracking: Option<&str>) {
    event.order_id = Some(order.id.clone());
    event.status = normalize_status(&order.status);
    event.provider_status = Some(order.status.as_str().to_owned());
    event.tracking_number = order
        .tracking_code
        .clone()
        .or_else(|| carrier_tracking.map(str::to_owned));
}

/// The body's items as JSON, by index (the body already decoded as a batch, so this cannot
/// fail; an empty list if it somehow does).
fn raw_items(body: &[u8]) -> Vec<Value> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(item @ Value::Object(_)) => vec![item],
        _ => Vec::new(),
    }
}
