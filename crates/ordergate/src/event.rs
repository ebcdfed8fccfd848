//! [`OrderEvent`]: what a provider's webhook says happened to an order, normalized.

use schemars::JsonSchema;
use serde::Serialize;

use crate::{OrderStatus, ProviderName};

/// One event of a verified webhook, as
/// [`parse_webhook`](crate::OrderProvider::parse_webhook) returns it (`ordergate schema event`
/// prints its JSON Schema). The provider's own event is kept: [`OrderEvent::raw`].
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OrderEvent {
    /// Which provider sent it.
    pub provider: ProviderName,
    /// The event's id, the key to drop a delivery seen twice: the provider's own id where it
    /// gives one (Logitrail's `event_id`); otherwise one derived from the event's content, so
    /// the same event delivered twice has the same id.
    pub event_id: String,
    /// The provider's event type, verbatim (`order.delivered`, `order.shipped`).
    pub event_type: String,
    /// The provider's order id, when the event is about an order.
    pub order_id: Option<String>,
    /// The normalized status the event reports (`unknown` when it reports none the adapter's
    /// table knows).
    pub status: OrderStatus,
    /// The provider's own status value, when the event carries one.
    pub provider_status: Option<String>,
    /// The carrier tracking number, when given.
    pub tracking_number: Option<String>,
    /// When it happened, as the provider states it.
    pub occurred_at: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    raw: serde_json::Value,
}

impl OrderEvent {
    /// An event with the required fields; adapters fill in the rest.
    pub(crate) fn new(
        provider: ProviderName,
        event_id: impl Into<String>,
        event_type: impl Into<String>,
        status: OrderStatus,
    ) -> Self {
        Self {
            provider,
            event_id: event_id.into(),
            event_type: event_type.into(),
            order_id: None,
            status,
            provider_status: None,
            tracking_number: None,
            occurred_at: None,
            raw: serde_json::Value::Null,
        }
    }

    /// Keeps the provider's event as received (after verification).
    pub(crate) fn with_raw(mut self, raw: serde_json::Value) -> Self {
        self.raw = raw;
        self
    }

    /// The provider's event as it arrived (after verification), in JSON.
    pub fn raw(&self) -> &serde_json::Value {
        &self.raw
    }
}
