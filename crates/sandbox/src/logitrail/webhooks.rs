//! Logitrail's webhooks
//! (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/webhooks/event_types.html>): each
//! event is `{event_id, event_type, webhook_id, ts, retry_count, payload}` (the spec's
//! `WebhookEvent`), and the events of one change (an API call, or one advance of the clock)
//! are POSTed together as one JSON array of at most [`BATCH`] events, "the preferred way",
//! with `Authorization: Basic` of the credentials configured in
//! [`LogitrailOptions::webhook`](super::LogitrailOptions::webhook), through the sandbox's
//! shared sender.
//!
//! Payloads: `order.info.change` `{order}` and `order.shipped` `{order, shipment}`
//! (<https://logitrail-integration.readthedocs.io/en/latest/orders/webhooks.html>); the three
//! inbound shipment events `{inbound_shipment: {id}}`
//! (<https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/webhooks.html>);
//! `product.info.change` `{product}` and `product.inventory.change` `{product, inventory}`
//! (the docs' product example, plus the quantities, which the spec keeps as extra members).

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use ordergate_logitrail::types;
use serde_json::{Map, Value};

use super::options::WebhookTarget;
use super::{MERCHANT_ID, timestamp};
use crate::WebhookDelivery;
use crate::webhook::{Outgoing, WebhookSender};

/// At most this many events in one webhook request (the request format page: "array of
/// maximum 100 events").
pub(super) const BATCH: usize = 100;

/// The `webhook_id` the fake's events carry: the merchant's domain and a fixed id, the
/// layout of the docs' example (`logitrail.com_5499362b1fb35e73118b45ad`).
fn webhook_id() -> String {
    format!("{MERCHANT_ID}_5499362b1fb35e73118b45ad")
}

/// Something that changed, as a webhook tells it.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// `order.info.change`.
    OrderChanged(types::OrderInfo),
    /// `order.shipped`.
    OrderShipped(types::OrderInfo, types::ShipmentInfo),
    /// One of the three inbound shipment events, about the shipment with this id.
    Shipment(types::WebhookEventType, String),
    /// `product.info.change`.
    ProductChanged(types::ProductSummary),
    /// `product.inventory.change`, with the new quantities.
    InventoryChanged(types::ProductSummary, types::Inventory),
}

impl Event {
    fn event_type(&self) -> types::WebhookEventType {
        use types::WebhookEventType as T;
        match self {
            Self::OrderChanged(_) => T::OrderInfoChange,
            Self::OrderShipped(..) => T::OrderShipped,
            Self::Shipment(event_type, _) => event_type.clone(),
            Self::ProductChanged(_) => T::ProductInfoChange,
            Self::InventoryChanged(..) => T::ProductInventoryChange,
        }
    }

    fn order_id(&self) -> Option<String> {
        match self {
            Self::OrderChanged(order) | Self::OrderShipped(order, _) => Some(order.id.clone()),
            _ => None,
        }
    }

    /// The payload, serialized from the spec's payload types.
    fn payload(&self) -> Map<String, Value> {
        let value = match self {
            Self::OrderChanged(order) => serde_json::to_value(types::OrderEventPayload {
                order: order.clone(),
            }),
            Self::OrderShipped(order, shipment) => {
                serde_json::to_value(types::OrderShippedPayload {
                    order: order.clone(),
                    shipment: shipment.clone(),
                })
            }
            Self::Shipment(_, id) => serde_json::to_value(types::InboundShipmentEventPayload {
                inbound_shipment: types::InboundShipmentRef { id: id.clone() },
            }),
            Self::ProductChanged(product) => serde_json::to_value(types::ProductEventPayload {
                product: product.clone(),
                inventory: None,
                extra: Map::new(),
            }),
            Self::InventoryChanged(product, inventory) => {
                serde_json::to_value(types::ProductEventPayload {
                    product: product.clone(),
                    inventory: Some(inventory.clone()),
                    extra: Map::new(),
                })
            }
        };
        match value {
            Ok(Value::Object(members)) => members,
            _ => Map::new(),
        }
    }
}

/// The Logitrail fake's webhooks: the sender, the `Authorization` header, and the counter
/// event ids come from.
#[derive(Debug)]
pub(crate) struct Webhooks {
    sender: WebhookSender,
    authorization: String,
    events: AtomicU64,
}

impl Webhooks {
    pub(super) fn new(target: &WebhookTarget) -> Self {
        let credentials = format!("{}:{}", target.username, target.password);
        let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
        Self {
            sender: WebhookSender::batching("logitrail", target.url.clone(), BATCH),
            authorization: format!("Basic {encoded}"),
            events: AtomicU64::new(0),
        }
    }

    pub(super) fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.sender.deliveries()
    }

    /// Sends `events`, which happened together at `time`, in the background: in one request
    /// of at most [`BATCH`] events, or several.
    pub(crate) fn send(&self, events: Vec<Event>, time: DateTime<Utc>) {
        let ts = timestamp(time);
        let outgoing = events
            .into_iter()
            .map(|event| {
                let number = self.events.fetch_add(1, Ordering::Relaxed) + 1;
                let body = types::WebhookEvent {
                    // The docs' layout: the time and a 24-digit id.
                    event_id: format!("{}_5499362c{number:016x}", time.format("%Y-%m-%dT%H:%M:%S")),
                    event_type: event.event_type(),
                    webhook_id: Some(webhook_id()),
                    ts: Some(ts.clone()),
                    retry_count: Some(0),
                    payload: event.payload(),
                };
                Outgoing {
                    event: body.event_type.as_str().to_owned(),
                    order_id: event.order_id(),
                    // A generated type with string keys only: serializing cannot fail.
                    body: serde_json::to_vec(&body).unwrap_or_default(),
                    headers: vec![("authorization", self.authorization.clone())],
                }
            })
            .collect();
        self.sender.send_all(outgoing);
    }
}

/// Sends `events` at `time` when the fake has webhooks configured.
pub(crate) fn notify(webhooks: Option<&Webhooks>, events: Vec<Event>, time: DateTime<Utc>) {
    if let Some(webhooks) = webhooks {
        webhooks.send(events, time);
    }
}
