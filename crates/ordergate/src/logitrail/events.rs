//! Logitrail's webhook events as [`OrderEvent`]s, read from a body whose credentials were
//! verified; what each field comes from, and what happens to events that are not about an
//! order or cannot be read, is in the adapter module's docs.

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
    let mut raw_events = raw_items(body);
    let mut events = Vec::with_capacity(results.len());
    let mut not_events = 0usize;
    for (index, result) in results.into_iter().enumerate() {
        let raw = raw_events
            .get_mut(index)
            .map(Value::take)
            .unwrap_or_default();
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
