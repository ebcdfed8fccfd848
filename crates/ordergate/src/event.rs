//! [`OrderEvent`]: what a provider's webhook says happened to an order, normalized.

use std::fmt;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

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
    raw: RawEvent,
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
            raw: RawEvent::default(),
        }
    }

    /// Keeps the provider's event as received (after verification), already read as JSON.
    pub(crate) fn with_raw(mut self, raw: Value) -> Self {
        self.raw = RawEvent {
            text: None,
            value: OnceLock::from(raw),
        };
        self
    }

    /// Keeps the provider's event as received (after verification): `json`, a JSON text the
    /// adapter has already decoded, read again as a [`Value`] only if [`raw`](Self::raw) is
    /// asked for (most consumers of a webhook never do).
    pub(crate) fn with_raw_json(mut self, json: &[u8]) -> Self {
        self.raw = RawEvent {
            text: Some(json.into()),
            value: OnceLock::new(),
        };
        self
    }

    /// The provider's event as it arrived (after verification), in JSON.
    pub fn raw(&self) -> &Value {
        self.raw.value()
    }
}

/// The provider's event as received: a [`Value`], or the JSON text it is read from when first
/// asked for.
#[derive(Clone, Default)]
struct RawEvent {
    /// The event's JSON text, when it was kept unread.
    text: Option<Box<[u8]>>,
    /// The event as a value, once read.
    value: OnceLock<Value>,
}

impl RawEvent {
    fn value(&self) -> &Value {
        self.value.get_or_init(|| {
            // The text was decoded once already; should it not read as JSON, `Null` says so.
            self.text
                .as_deref()
                .and_then(|text| serde_json::from_slice(text).ok())
                .unwrap_or_default()
        })
    }
}

/// Two raw events are equal when their JSON is: whether either was read yet does not count.
impl PartialEq for RawEvent {
    fn eq(&self, other: &Self) -> bool {
        match (&self.text, &other.text) {
            (Some(a), Some(b)) if a == b => true,
            _ => self.value() == other.value(),
        }
    }
}

impl fmt::Debug for RawEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.value(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> OrderEvent {
        OrderEvent::new(
            ProviderName::Fuuffy,
            "id",
            "order.delivered",
            OrderStatus::Delivered,
        )
    }

    /// An event kept as its JSON text reads as the same value as one kept as a value, and
    /// equality does not depend on whether either was read yet.
    #[test]
    fn a_raw_event_kept_as_text_is_read_when_asked_and_compares_by_its_json() {
        let json = br#"{"event":"order.delivered","data":{"order_id":"1"}}"#;
        let value: Value = serde_json::from_slice(json).expect("JSON");
        let from_text = event().with_raw_json(json);
        let from_value = event().with_raw(value.clone());
        assert_eq!(from_text, from_value, "unread text against a value");
        assert_eq!(from_text.raw(), &value);
        assert_eq!(
            from_text,
            event().with_raw_json(json),
            "read against unread"
        );
        let spaced =
            event().with_raw_json(br#"{ "data": {"order_id":"1"}, "event":"order.delivered" }"#);
        assert_eq!(spaced, from_text, "the same JSON written differently");
        assert_ne!(event().with_raw_json(b"{}"), from_text);
        // Text that is not JSON (never kept by an adapter) reads as null, never panics.
        assert_eq!(event().with_raw_json(b"\xff").raw(), &Value::Null);
        assert!(format!("{from_text:?}").contains("order.delivered"));
    }
}
