//! Fuuffy's tracking webhooks (<https://api-docs.fuuffy.com/api/tracking/webhook>,
//! <https://api-docs.fuuffy.com/guides/webhooks>), verified and normalized.
//!
//! Fuuffy signs each delivery with `X-Fuuffy-Signature`, the hex HMAC-SHA256 of the raw body
//! under the webhook secret. The signature is checked over the exact bytes received, in
//! constant time, before the body is read ([`WebhookSecret`]'s scheme); bodies over 1 MiB are
//! refused unread. One delivery is one event. Fuuffy's events carry no id, and the signature
//! no time: the event's id is derived from the body's content, so a delivery seen twice has
//! the same id.

use ordergate_fuuffy::types;
use ordergate_fuuffy::webhook::WebhookSecret;
use ordergate_runtime::inbound::VerifySource as _;

use super::PROVIDER;
use crate::tables::normalize;
use crate::webhook::{content_id, inbound_refused, undecodable};
use crate::{Error, OrderEvent, OrderStatus, WebhookAck};

/// What Fuuffy expects back: HTTP 200, quickly; the guide's samples answer
/// `{"received": true}` (<https://api-docs.fuuffy.com/guides/webhooks>).
pub const ACK: WebhookAck = WebhookAck::new(200, r#"{"received":true}"#);

/// The webhook statuses (`data.status`, lower case; the event names without `order.`,
/// <https://api-docs.fuuffy.com/api/tracking/webhook>) and their normalized status.
///
/// - `created` is `pending_confirmation`: a Fuuffy order is created awaiting confirmation and
///   payment (Confirm Order takes a `PENDING_CONFIRM` order,
///   <https://api-docs.fuuffy.com/api/orders/confirm>); it is not confirmed yet.
/// - `picked_up`, `in_transit` and `out_for_delivery` are `shipped`: the courier has it, as
///   the REST statuses `PICKUP_COMPLETED` and `IN_TRANSIT`.
/// - `failed_delivery` and `exception` are `on_hold`: the shipment stopped until someone acts.
pub const WEBHOOK_STATUSES: &[(&str, OrderStatus)] = &[
    ("created", OrderStatus::PendingConfirmation),
    ("picked_up", OrderStatus::Shipped),
    ("in_transit", OrderStatus::Shipped),
    ("out_for_delivery", OrderStatus::Shipped),
    ("delivered", OrderStatus::Delivered),
    ("failed_delivery", OrderStatus::OnHold),
    ("cancelled", OrderStatus::Cancelled),
    ("exception", OrderStatus::OnHold),
];

/// The normalized status of a webhook status: [`WEBHOOK_STATUSES`] first, then the order
/// statuses ([`STATUSES`](super::STATUSES)) in lower case, which the docs' example shows the
/// webhook uses (`in_transit` is `IN_TRANSIT`): `pickup_completed` is `shipped`.
pub fn webhook_status(status: &str) -> OrderStatus {
    match normalize(WEBHOOK_STATUSES, status) {
        OrderStatus::Unknown => normalize(super::STATUSES, &status.to_ascii_uppercase()),
        known => known,
    }
}

/// The events of one delivery, verified with `secret` before anything is parsed.
///
/// The event's status is its `data.status` read through [`webhook_status`]; an event
/// without one is read by its name (`order.delivered` → `delivered`), the two sharing one
/// vocabulary in Fuuffy's docs.
pub(super) fn events(
    secret: &WebhookSecret,
    headers: &http::HeaderMap,
    raw_body: &[u8],
) -> Result<Vec<OrderEvent>, Error> {
    let verified = secret
        .scheme()
        .verify(headers, raw_body)
        .map_err(|error| inbound_refused(PROVIDER, &error))?;
    // Read once, as the typed event; the body is kept as the raw event, read as JSON again
    // only if `OrderEvent::raw` asks for it.
    let event: types::WebhookEvent = verified
        .parse()
        .map_err(|error| undecodable(PROVIDER, error))?;
    let name = event.event.as_str();
    // The event is ours: its strings move into the normalized event, none is copied.
    let data = event.data.unwrap_or_default();
    let status = data
        .status
        .as_deref()
        .or_else(|| name.strip_prefix("order."))
        .map_or(OrderStatus::Unknown, webhook_status);
    let mut normalized = OrderEvent::new(PROVIDER, content_id(raw_body, 0), name, status);
    normalized.order_id = data.order_id;
    normalized.provider_status = data.status;
    normalized.tracking_number = data.tracking_number;
    normalized.occurred_at = event.timestamp;
    Ok(vec![normalized.with_raw_json(raw_body)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_webhook_status_has_its_row() {
        let expected = [
            ("created", OrderStatus::PendingConfirmation),
            ("picked_up", OrderStatus::Shipped),
            ("in_transit", OrderStatus::Shipped),
            ("out_for_delivery", OrderStatus::Shipped),
            ("delivered", OrderStatus::Delivered),
            ("failed_delivery", OrderStatus::OnHold),
            ("cancelled", OrderStatus::Cancelled),
            ("exception", OrderStatus::OnHold),
        ];
        assert_eq!(WEBHOOK_STATUSES, expected);
        for (raw, status) in expected {
            assert_eq!(normalize(WEBHOOK_STATUSES, raw), status, "{raw}");
        }
        assert_eq!(
            normalize(WEBHOOK_STATUSES, "IN_TRANSIT"),
            OrderStatus::Unknown
        );
    }

    /// A webhook status that is no event name is an order status in lower case, row by row.
    #[test]
    fn every_order_status_in_lower_case_is_read_too() {
        for (raw, status) in super::super::STATUSES {
            assert_eq!(webhook_status(&raw.to_ascii_lowercase()), *status, "{raw}");
        }
        assert_eq!(webhook_status("pickup_completed"), OrderStatus::Shipped);
        assert_eq!(webhook_status("pending_confirm"), OrderStatus::PendingConfirmation);
        assert_eq!(webhook_status("returned_to_sender"), OrderStatus::Unknown);
    }

    /// Every event Fuuffy documents has exactly one row (its name without `order.`), and
    /// every row is such an event.
    #[test]
    fn the_table_covers_every_documented_event() {
        let documented: Vec<&str> = types::WebhookEventName::KNOWN
            .iter()
            .map(|name| name.as_str().strip_prefix("order.").unwrap_or_default())
            .collect();
        assert_eq!(documented.len(), WEBHOOK_STATUSES.len());
        for status in &documented {
            let rows = WEBHOOK_STATUSES
                .iter()
                .filter(|(raw, _)| raw == status)
                .count();
            assert_eq!(rows, 1, "{status}");
        }
        for (raw, status) in WEBHOOK_STATUSES {
            assert!(documented.contains(raw), "{raw}");
            assert_ne!(*status, OrderStatus::Unknown, "{raw}");
        }
    }
}
