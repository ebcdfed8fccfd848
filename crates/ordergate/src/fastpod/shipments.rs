//! An order's shipments → [`Tracking`].
//!
//! FastPOD has no tracking endpoint: an order's `shipments` hold its "shipping information
//! (carrier, tracking ID, status, etc.), provided once the order is shipped"
//! (<https://fastpodapi.apidog.io/api-4681586>). The docs show no shipment, only `[]`, so each
//! is read tolerantly, as a JSON object with these members (anything else, or another JSON
//! value, is ignored):
//!
//! | member | read as |
//! |---|---|
//! | `tracking_id` (or `tracking_number`) | the tracking number, a string or a number |
//! | `tracking_url` | the tracking URL |
//! | `carrier`, `service` | the event's message (`USPS Standard`) |
//! | `status` | the event's status ([`SHIPMENT_STATUSES`]) |
//! | `shipped_at` | when it happened |
//!
//! Each shipment is one [`TrackingEvent`]; events are oldest first (by `shipped_at` when every
//! shipment has one, else in FastPOD's order). The tracking number and URL are those of the
//! newest shipment that has one.

use ordergate_fastpod::types;
use serde_json::Value;

use super::{PROVIDER, normalize_status};
use crate::tables::normalize;
use crate::{OrderStatus, Tracking, TrackingEvent};

/// FastPOD's shipment statuses and their normalized status. FastPOD names a shipment's status
/// among its fields but documents no values (<https://fastpodapi.apidog.io/api-4681586>); the
/// rows are the status FastPOD gives an order once it ships, `shipped`, and `delivered`. A
/// shipment without a status is [`Shipped`](OrderStatus::Shipped) (FastPOD adds shipments
/// once the order ships); any other value is [`Unknown`](OrderStatus::Unknown), its text
/// kept as the event's `provider_status`.
pub const SHIPMENT_STATUSES: &[(&str, OrderStatus)] = &[
    ("shipped", OrderStatus::Shipped),
    ("delivered", OrderStatus::Delivered),
];

/// The normalized status of a shipment whose `status` is `raw` (`None`: no status given).
pub fn shipment_status(raw: Option<&str>) -> OrderStatus {
    raw.map_or(OrderStatus::Shipped, |raw| normalize(SHIPMENT_STATUSES, raw))
}

/// What ordergate reads of one shipment.
#[derive(Debug, Default)]
pub(super) struct Shipment {
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    carrier: Option<String>,
    service: Option<String>,
    status: Option<String>,
    shipped_at: Option<String>,
}

impl Shipment {
    /// The members of `value` listed in the module docs (none when it is not an object).
    fn read(value: &Value) -> Self {
        let text = |key: &str| match value.get(key)? {
            Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        };
        Self {
            tracking_number: text("tracking_id").or_else(|| text("tracking_number")),
            tracking_url: text("tracking_url"),
            carrier: text("carrier"),
            service: text("service"),
            status: text("status"),
            shipped_at: text("shipped_at"),
        }
    }

    fn event(&self) -> TrackingEvent {
        let mut event = TrackingEvent::new(shipment_status(self.status.as_deref()));
        event.at = self.shipped_at.clone();
        event.provider_status = self.status.clone();
        let words: Vec<&str> = [&self.carrier, &self.service]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        event.message = (!words.is_empty()).then(|| words.join(" "));
        event
    }
}

/// The shipments of `order`, oldest first (see the module docs).
pub(super) fn shipments_of(order: &types::Order) -> Vec<Shipment> {
    let mut shipments: Vec<Shipment> = order
        .shipments
        .iter()
        .flatten()
        .map(Shipment::read)
        .collect();
    if shipments.iter().all(|shipment| shipment.shipped_at.is_some()) {
        // A stable sort: shipments of the same moment keep FastPOD's order.
        shipments.sort_by(|a, b| a.shipped_at.cmp(&b.shipped_at));
    }
    shipments
}

/// The newest of `shipments` (oldest first) that has a tracking number.
pub(super) fn latest_tracked(shipments: &[Shipment]) -> Option<&Shipment> {
    shipments
        .iter()
        .rev()
        .find(|shipment| shipment.tracking_number.is_some())
}

/// The tracking of `order`: its status, and an event per shipment. The status is the order's
/// ([`STATUSES`](super::STATUSES)), except for a `shipped` order whose newest shipment says
/// more (`delivered`).
pub(super) fn tracking_of(order: &types::Order) -> Tracking {
    let shipments = shipments_of(order);
    let events: Vec<TrackingEvent> = shipments.iter().map(Shipment::event).collect();
    let mut status = normalize_status(&order.order_status);
    if status == OrderStatus::Shipped
        && let Some(newest) = events.last()
        && newest.status != OrderStatus::Unknown
    {
        status = newest.status;
    }
    let mut tracking = Tracking::new(PROVIDER, order.id.as_str(), status);
    tracking.provider_status = Some(order.order_status.as_str().to_owned());
    tracking.tracking_number =
        latest_tracked(&shipments).and_then(|shipment| shipment.tracking_number.clone());
    tracking.events = events;
    tracking
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each row of the shipment table, one by one, and what has no row.
    #[test]
    fn each_shipment_status_row() {
        assert_eq!(shipment_status(Some("shipped")), OrderStatus::Shipped);
        assert_eq!(shipment_status(Some("delivered")), OrderStatus::Delivered);
        assert_eq!(shipment_status(None), OrderStatus::Shipped);
        for other in ["Shipped", "in_transit", "", "returned"] {
            assert_eq!(shipment_status(Some(other)), OrderStatus::Unknown, "{other}");
        }
        assert_eq!(SHIPMENT_STATUSES.len(), 2, "a new row needs its own assertion");
    }

    #[test]
    fn shipments_are_read_tolerantly() {
        let read = Shipment::read(&json!({"tracking_number": 9400111, "carrier": "USPS"}));
        assert_eq!(read.tracking_number.as_deref(), Some("9400111"));
        assert_eq!(read.event().message.as_deref(), Some("USPS"));
        assert_eq!(read.event().status, OrderStatus::Shipped);
        for odd in [json!("1Z999"), json!(null), json!([1]), json!({"tracking_id": ""})] {
            let read = Shipment::read(&odd);
            assert!(read.tracking_number.is_none(), "{odd}");
            assert!(read.event().message.is_none(), "{odd}");
        }
    }
}
