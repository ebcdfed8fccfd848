//! Fuuffy's webhooks (Tracking Webhooks page, <https://api-docs.fuuffy.com/api/tracking/webhook>,
//! and the Webhook Integration Guide, <https://api-docs.fuuffy.com/guides/webhooks>): a
//! `WebhookEvent` POSTed to the configured URL, signed with `X-Fuuffy-Signature`, the hex
//! HMAC-SHA256 of the raw body ([`ordergate_fuuffy::webhook::WebhookSecret::sign`]).

use chrono::{DateTime, FixedOffset, Utc};
use ordergate_fuuffy::types;
use ordergate_fuuffy::webhook::{SIGNATURE_HEADER, WebhookSecret};

use super::FuuffyOrder;
use crate::WebhookDelivery;
use crate::webhook::WebhookTarget;
use crate::webhook::{Outgoing, WebhookSender};

/// The Fuuffy fake's webhooks: where they go and the secret they are signed with.
#[derive(Debug)]
pub(super) struct Webhooks {
    sender: WebhookSender,
    /// `None` for an empty secret: each event is then recorded as not sent.
    secret: Option<WebhookSecret>,
}

impl Webhooks {
    pub(super) fn new(target: &WebhookTarget) -> Self {
        Self {
            sender: WebhookSender::new("fuuffy", target.url.clone()),
            secret: WebhookSecret::new(&target.secret).ok(),
        }
    }

    pub(super) fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.sender.deliveries()
    }

    /// Sends `event` about `order`, dated `time`, in the background.
    pub(super) fn event_at(
        &self,
        event: types::WebhookEventName,
        order: &FuuffyOrder,
        time: DateTime<FixedOffset>,
    ) {
        let body = payload(event.clone(), order, time);
        // A generated type with string keys only: serializing cannot fail.
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let headers = match &self.secret {
            Some(secret) => vec![(SIGNATURE_HEADER, secret.sign(&body))],
            None => Vec::new(),
        };
        let outgoing = Outgoing {
            event: event.as_str().to_owned(),
            order_id: Some(order.order.order_id.clone()),
            body,
            headers,
        };
        if self.secret.is_some() {
            self.sender.send(outgoing);
        } else {
            self.sender.fail(
                outgoing,
                "the webhook secret is empty: nothing to sign with",
            );
        }
    }
}

/// The `WebhookEvent` for `event` about `order`.
fn payload(
    event: types::WebhookEventName,
    order: &FuuffyOrder,
    time: DateTime<FixedOffset>,
) -> types::WebhookEvent {
    let delivered = event == types::WebhookEventName::OrderDelivered;
    let place = if delivered {
        &order.destination
    } else {
        &order.export
    };
    let description = match event {
        types::WebhookEventName::OrderCreated => "Order created, awaiting confirmation",
        types::WebhookEventName::OrderPickedUp => "Package picked up by the courier",
        types::WebhookEventName::OrderInTransit => "Package in transit to destination",
        types::WebhookEventName::OrderDelivered => "Package delivered",
        _ => "Order updated",
    };
    types::WebhookEvent {
        event,
        timestamp: Some(
            time.with_timezone(&Utc)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        ),
        data: Some(types::WebhookEventData {
            order_id: Some(order.order.order_id.clone()),
            tracking_number: order.order.tracking_number.clone(),
            status: Some(order.order.status.as_str().to_ascii_lowercase()),
            location: Some(types::WebhookLocation {
                city: Some(place.name.clone()),
                state: None,
                country: Some(place.code.clone()),
            }),
            description: Some(description.to_owned()),
            estimated_delivery: None,
        }),
    }
}
