//! Verified Logitrail webhooks.
//!
//! Logitrail POSTs to every webhook URL the merchant configured in its portal a JSON body: one
//! event, or (when the URL is configured to take several, which Logitrail prefers) an array of
//! at most [`MAX_EVENTS_PER_REQUEST`] (100) events
//! (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>).
//! Each event carries `event_id`, `event_type`, `webhook_id`, `ts`, `retry_count` and a
//! `payload` whose shape depends on the type
//! (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/event_types.html>).
//!
//! Logitrail's docs do not say how a webhook call authenticates itself. The only existing
//! receiver, Codaone's Magento 2 module
//! (<https://github.com/Codaone/magento2_logitrail_module/blob/master/Controller/Webhook/Update.php>),
//! accepts a call only with `Authorization: Basic base64(<webhook username>:<webhook key>)`,
//! the credentials the merchant set for the webhook. [`WebhookCredentials`] checks exactly
//! that, in constant time, through the runtime's [`BasicAuth`] scheme, and only then reads
//! the body: a call without the right credentials is never parsed.
//!
//! Reading a verified body gives one result per event ([`EventResult`]): an event that is not
//! an event, or whose payload does not have its type's shape, is an [`EventError`] and loses no
//! other event of the batch. A body with more than [`MAX_EVENTS_PER_REQUEST`] events is not
//! what Logitrail sends and is refused whole ([`WebhookError::TooManyEvents`]), before any
//! event is decoded. Event types this version does not know are kept as
//! [`Payload::Unknown`], not errors.
//!
//! **De-duplicate on [`Event::event_id`]** ([`Event::dedup_key`]): Logitrail keeps it when it
//! sends one event to several webhooks and when it sends an event again after a failed call
//! (then `retry_count` grows). The credentials carry no timestamp and do not cover the body,
//! so a replayed call verifies again; the `event_id` is how a repeat is recognised.
//!
//! Answer a verified call with HTTP 200 quickly, also when you ignore its events (Logitrail
//! calls again, with a higher `retry_count`, when a call did not succeed; Codaone's receiver
//! answers 200 for event types it does not handle), and a refused one with 401.
//!
//! ```
//! use ordergate_logitrail::webhook::{Payload, WebhookCredentials, WebhookError};
//!
//! let credentials = WebhookCredentials::new("logitrail", "key-set-in-the-portal")?;
//! let body = br#"[{"event_id":"e-1","event_type":"order.info.change","payload":
//!     {"order":{"id":"5c8a1d5b0000000000000001","status":"confirmed"}}}]"#;
//! // `Basic base64("logitrail:key-set-in-the-portal")`, as Logitrail sends it.
//! let authorization = "Basic bG9naXRyYWlsOmtleS1zZXQtaW4tdGhlLXBvcnRhbA==";
//!
//! for event in credentials.verify(Some(authorization), body)? {
//!     let event = event?; // or log the one bad event and go on with the others
//!     if let Payload::OrderInfoChange(change) = &event.payload {
//!         println!("{} is now {}", change.order.id, change.order.status);
//!     }
//!     assert_eq!(event.dedup_key(), "e-1");
//! }
//!
//! // Missing or wrong credentials are refused before the body is read.
//! assert!(matches!(credentials.verify(None, body), Err(WebhookError::MissingCredentials)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use ordergate_runtime::inbound::{self, BasicAuth, InboundError, Verified, VerifySource};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::types::{
    self, InboundShipmentEventPayload, OrderEventPayload, OrderShippedPayload, ProductEventPayload,
    WebhookEventType,
};

/// The most events Logitrail puts in one webhook request
/// (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>:
/// "array of maximum 100 events").
pub const MAX_EVENTS_PER_REQUEST: usize = 100;

/// One event of a verified call: decoded, or why it could not be.
pub type EventResult = Result<Event, EventError>;

/// Why a webhook call was refused as a whole. Never shows the credentials or the body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The webhook key is empty: anyone could send the credentials.
    #[error("the Logitrail webhook key is empty")]
    EmptyKey,
    /// The webhook username contains `:`, which Basic credentials cannot carry (RFC 7617).
    #[error("the Logitrail webhook username contains ':'")]
    InvalidUsername,
    /// The call has no `Authorization` header (or more than one).
    #[error("the webhook request has no single Authorization header")]
    MissingCredentials,
    /// The `Authorization` header is not Basic credentials (`Basic base64(user:key)`).
    #[error("the Authorization header is not Basic credentials")]
    MalformedCredentials,
    /// The credentials are not the configured ones (the user or the key differs; which one is
    /// not told).
    #[error("the webhook credentials do not match")]
    WrongCredentials,
    /// The verified body holds more events than Logitrail sends in one call; none was decoded.
    #[error("the webhook body holds {count} events, more than Logitrail's {limit}")]
    TooManyEvents {
        /// How many events the body holds.
        count: usize,
        /// [`MAX_EVENTS_PER_REQUEST`].
        limit: usize,
    },
    /// The verified body is not JSON, or is JSON but neither an event nor an array of events.
    #[error("the webhook body is not an event or an array of events: {0}")]
    InvalidBody(#[source] serde_json::Error),
    /// Refused for another reason of the inbound layer: a body longer than
    /// [`inbound::DEFAULT_MAX_BODY_BYTES`], for one.
    #[error("the webhook request was refused: {0}")]
    Refused(#[source] InboundError),
}

impl From<InboundError> for WebhookError {
    fn from(error: InboundError) -> Self {
        match error {
            InboundError::EmptySecret => Self::EmptyKey,
            InboundError::InvalidKey { .. } => Self::InvalidUsername,
            InboundError::MissingHeader { .. } | InboundError::DuplicateHeader { .. } => {
                Self::MissingCredentials
            }
            InboundError::Malformed { .. } | InboundError::HeaderTooLarge { .. } => {
                Self::MalformedCredentials
            }
            InboundError::Mismatch { .. } => Self::WrongCredentials,
            InboundError::TooManyEvents { count, limit } => Self::TooManyEvents { count, limit },
            InboundError::InvalidPayload(error) => Self::InvalidBody(error),
            other => Self::Refused(other),
        }
    }
}

/// Why one event of a batch could not be read; the other events are not affected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The item is not a webhook event: not an object, or without `event_id`, `event_type` or
    /// an object `payload`, or with a field of the wrong type.
    #[error(transparent)]
    NotAnEvent(inbound::EventError),
    /// The event is well formed but its payload does not have the shape of its (known) type.
    #[error(
        "event {index} ({event_id}) is `{event_type}` but its payload is not that type's: {source}"
    )]
    PayloadMismatch {
        /// The event's position in the batch, from 0.
        index: usize,
        /// The event's `event_id`: the de-duplication key, to log or to skip it by.
        event_id: String,
        /// Its type.
        event_type: WebhookEventType,
        /// What does not match.
        #[source]
        source: serde_json::Error,
    },
}

impl EventError {
    /// The event's position in the batch, from 0.
    pub fn index(&self) -> usize {
        match self {
            Self::NotAnEvent(error) => error.index,
            Self::PayloadMismatch { index, .. } => *index,
        }
    }

    /// The event's `event_id`, when the event was read that far.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            Self::NotAnEvent(_) => None,
            Self::PayloadMismatch { event_id, .. } => Some(event_id),
        }
    }
}

/// One Logitrail webhook event, its payload typed by its `event_type`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// Logitrail's id of the event: the same for every webhook the event is sent to and for
    /// every retry, so **the key to drop duplicates** by.
    pub event_id: String,
    /// The webhook called (`webhook_id`).
    pub webhook_id: Option<String>,
    /// When the event happened (`ts`, ISO 8601, as sent).
    pub ts: Option<String>,
    /// How many earlier calls for this event to this webhook failed (`retry_count`).
    pub retry_count: Option<u32>,
    /// The event's data, typed by its `event_type`.
    pub payload: Payload,
}

impl Event {
    /// The key to de-duplicate events by: [`event_id`](Self::event_id).
    pub fn dedup_key(&self) -> &str {
        &self.event_id
    }

    /// The event's type, as sent.
    pub fn event_type(&self) -> WebhookEventType {
        self.payload.event_type()
    }

    /// Types the payload of a decoded event, by its `event_type`.
    ///
    /// # Errors
    /// The payload's mismatch (with `index` 0 and the event's id) when a known type's payload
    /// does not have that type's shape. An unknown type is never an error.
    pub fn from_raw(event: types::WebhookEvent) -> Result<Self, EventError> {
        Self::typed(0, event)
    }

    fn typed(index: usize, event: types::WebhookEvent) -> Result<Self, EventError> {
        let types::WebhookEvent {
            event_id,
            event_type,
            payload,
            retry_count,
            ts,
            webhook_id,
        } = event;
        match Payload::typed(&event_type, payload) {
            Ok(payload) => Ok(Self {
                event_id,
                webhook_id,
                ts,
                retry_count,
                payload,
            }),
            Err(source) => Err(EventError::PayloadMismatch {
                index,
                event_id,
                event_type,
                source,
            }),
        }
    }
}

impl From<Event> for types::WebhookEvent {
    /// The event as Logitrail sends it (for fakes and tests of a receiver).
    fn from(event: Event) -> Self {
        Self {
            event_id: event.event_id,
            event_type: event.payload.event_type(),
            payload: event.payload.into_raw(),
            retry_count: event.retry_count,
            ts: event.ts,
            webhook_id: event.webhook_id,
        }
    }
}

/// The payload of an event, by `event_type`
/// (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/event_types.html>).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Payload {
    /// `order.info.change`: an order's details changed; the order's id, status and tracking
    /// (<https://logitrail-integration.readthedocs.io/en/latest/orders/webhooks.html>).
    OrderInfoChange(OrderEventPayload),
    /// `order.shipped`: Logitrail shipped the order; the order and the shipment (same page).
    OrderShipped(OrderShippedPayload),
    /// `inbound_shipment.info.change`
    /// (<https://logitrail-integration.readthedocs.io/en/latest/inbound_shipments/webhooks.html>).
    InboundShipmentInfoChange(InboundShipmentEventPayload),
    /// `inbound_shipment.arrived_at_warehouse` (same page).
    InboundShipmentArrivedAtWarehouse(InboundShipmentEventPayload),
    /// `inbound_shipment.processed` (same page).
    InboundShipmentProcessed(InboundShipmentEventPayload),
    /// `product.inventory.change`. The docs give no payload table; the product of the docs'
    /// example is assumed, other fields kept in `extra`.
    ProductInventoryChange(ProductEventPayload),
    /// `product.info.change` (payload as for `product.inventory.change`).
    ProductInfoChange(ProductEventPayload),
    /// `product.info.missing` (payload as for `product.inventory.change`).
    ProductInfoMissing(ProductEventPayload),
    /// `product.info.updated`: not in the docs' list of types, but the type of their only
    /// webhook example (request format page).
    ProductInfoUpdated(ProductEventPayload),
    /// A type this version does not know, kept as sent.
    Unknown {
        /// The `event_type` as sent.
        event_type: String,
        /// The payload as sent.
        payload: Map<String, Value>,
    },
}

impl Payload {
    /// The `event_type` this payload belongs to.
    pub fn event_type(&self) -> WebhookEventType {
        match self {
            Self::OrderInfoChange(_) => WebhookEventType::OrderInfoChange,
            Self::OrderShipped(_) => WebhookEventType::OrderShipped,
            Self::InboundShipmentInfoChange(_) => WebhookEventType::InboundShipmentInfoChange,
            Self::InboundShipmentArrivedAtWarehouse(_) => {
                WebhookEventType::InboundShipmentArrivedAtWarehouse
            }
            Self::InboundShipmentProcessed(_) => WebhookEventType::InboundShipmentProcessed,
            Self::ProductInventoryChange(_) => WebhookEventType::ProductInventoryChange,
            Self::ProductInfoChange(_) => WebhookEventType::ProductInfoChange,
            Self::ProductInfoMissing(_) => WebhookEventType::ProductInfoMissing,
            Self::ProductInfoUpdated(_) => WebhookEventType::ProductInfoUpdated,
            Self::Unknown { event_type, .. } => WebhookEventType::from(event_type.as_str()),
        }
    }

    /// The payload of `event_type` read from `payload`.
    fn typed(
        event_type: &WebhookEventType,
        payload: Map<String, Value>,
    ) -> Result<Self, serde_json::Error> {
        use WebhookEventType as Type;
        Ok(match event_type {
            Type::OrderInfoChange => Self::OrderInfoChange(decode(payload)?),
            Type::OrderShipped => Self::OrderShipped(decode(payload)?),
            Type::InboundShipmentInfoChange => Self::InboundShipmentInfoChange(decode(payload)?),
            Type::InboundShipmentArrivedAtWarehouse => {
                Self::InboundShipmentArrivedAtWarehouse(decode(payload)?)
            }
            Type::InboundShipmentProcessed => Self::InboundShipmentProcessed(decode(payload)?),
            Type::ProductInventoryChange => Self::ProductInventoryChange(decode(payload)?),
            Type::ProductInfoChange => Self::ProductInfoChange(decode(payload)?),
            Type::ProductInfoMissing => Self::ProductInfoMissing(decode(payload)?),
            Type::ProductInfoUpdated => Self::ProductInfoUpdated(decode(payload)?),
            Type::Unknown(event_type) => Self::Unknown {
                event_type: event_type.clone(),
                payload,
            },
        })
    }

    /// The payload as JSON, as Logitrail sends it.
    pub fn into_raw(self) -> Map<String, Value> {
        let encoded = match self {
            Self::OrderInfoChange(payload) => serde_json::to_value(payload),
            Self::OrderShipped(payload) => serde_json::to_value(payload),
            Self::InboundShipmentInfoChange(payload)
            | Self::InboundShipmentArrivedAtWarehouse(payload)
            | Self::InboundShipmentProcessed(payload) => serde_json::to_value(payload),
            Self::ProductInventoryChange(payload)
            | Self::ProductInfoChange(payload)
            | Self::ProductInfoMissing(payload)
            | Self::ProductInfoUpdated(payload) => serde_json::to_value(payload),
            Self::Unknown { payload, .. } => return payload,
        };
        // The generated payload types are structs with string keys: they always encode as
        // JSON objects.
        match encoded {
            Ok(Value::Object(payload)) => payload,
            _ => Map::new(),
        }
    }
}

fn decode<T: DeserializeOwned>(payload: Map<String, Value>) -> Result<T, serde_json::Error> {
    serde_json::from_value(Value::Object(payload))
}

/// Reads the events of a body some [`VerifySource`] has verified: one result per event, at
/// most [`MAX_EVENTS_PER_REQUEST`]. [`WebhookCredentials::verify`] is this after its check;
/// use it directly when one verifier serves several providers.
///
/// # Errors
/// [`WebhookError::TooManyEvents`], or [`WebhookError::InvalidBody`] for a body that is not
/// an event or an array.
pub fn parse_events(verified: Verified<'_>) -> Result<Vec<EventResult>, WebhookError> {
    let events = verified.parse_batch_at_most::<types::WebhookEvent>(MAX_EVENTS_PER_REQUEST)?;
    Ok(events
        .into_iter()
        .enumerate()
        .map(|(index, event)| Event::typed(index, event.map_err(EventError::NotAnEvent)?))
        .collect())
}

/// The Basic credentials the merchant configured for its Logitrail webhook: the only calls
/// accepted. `Debug` never shows them.
///
/// It is the inbound layer's [`BasicAuth`] scheme; [`scheme`](Self::scheme) hands it out for
/// code that serves several providers through [`VerifySource`].
#[derive(Clone)]
pub struct WebhookCredentials {
    scheme: BasicAuth,
}

impl WebhookCredentials {
    /// The webhook username and key, as set in Logitrail's merchant portal.
    ///
    /// # Errors
    /// [`WebhookError::EmptyKey`] for an empty key; [`WebhookError::InvalidUsername`] for a
    /// username containing `:`.
    pub fn new(username: &str, key: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        Ok(Self {
            scheme: BasicAuth::new(username, key)?,
        })
    }

    /// Verifies `authorization` (the `Authorization` header's value, `None` when absent), then
    /// reads `raw_body`'s events ([`parse_events`]).
    ///
    /// # Errors
    /// [`WebhookError::MissingCredentials`], [`WebhookError::MalformedCredentials`] or
    /// [`WebhookError::WrongCredentials`] without reading the body; [`WebhookError::Refused`]
    /// for a body over [`inbound::DEFAULT_MAX_BODY_BYTES`]; then as [`parse_events`].
    pub fn verify(
        &self,
        authorization: Option<&str>,
        raw_body: &[u8],
    ) -> Result<Vec<EventResult>, WebhookError> {
        parse_events(self.scheme.verify_authorization(authorization, raw_body)?)
    }

    /// [`verify`](Self::verify) with the credentials read from the request's headers.
    ///
    /// # Errors
    /// As [`verify`](Self::verify); an `Authorization` header that appears twice is
    /// [`WebhookError::MissingCredentials`].
    pub fn verify_request(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<Vec<EventResult>, WebhookError> {
        parse_events(self.scheme.verify(headers, raw_body)?)
    }

    /// The verification scheme itself: HTTP Basic in `Authorization`.
    pub fn scheme(&self) -> &BasicAuth {
        &self.scheme
    }
}

impl fmt::Debug for WebhookCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookCredentials(<redacted>)")
    }
}
