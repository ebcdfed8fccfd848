//! A verified body holding several events: one result per event.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{InboundError, Verified};

/// Why one event of a batch could not be read; the other events are not affected.
#[derive(Debug, thiserror::Error)]
#[error("event {index} of the batch is not the expected JSON: {source}")]
#[non_exhaustive]
pub struct EventError {
    /// The event's position in the batch, from 0.
    pub index: usize,
    /// What is wrong with it.
    #[source]
    pub source: serde_json::Error,
}

impl Verified<'_> {
    /// Decodes a verified body holding a JSON array of events (or a single event object,
    /// which counts as a batch of one) into one result per event, in order: an event that is
    /// not a `T` is an [`EventError`] with its index, and loses no other event.
    ///
    /// (Logitrail POSTs one event or an array of up to 100,
    /// <https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>.)
    ///
    /// # Errors
    /// [`InboundError::InvalidPayload`] when the body is not JSON, or is JSON but neither an
    /// array nor an object: then no event can be told from another.
    pub fn parse_batch<T: DeserializeOwned>(
        &self,
    ) -> Result<Vec<Result<T, EventError>>, InboundError> {
        Ok(decode_each(self.batch_values()?))
    }

    /// [`parse_batch`](Self::parse_batch) for a sender that promises at most `max_events`
    /// events per body (Logitrail: 100): a body holding more is refused whole, before any
    /// event is decoded, since it is not what that sender sends.
    ///
    /// # Errors
    /// [`InboundError::TooManyEvents`] for more than `max_events` events;
    /// [`InboundError::InvalidPayload`] as [`parse_batch`](Self::parse_batch).
    pub fn parse_batch_at_most<T: DeserializeOwned>(
        &self,
        max_events: usize,
    ) -> Result<Vec<Result<T, EventError>>, InboundError> {
        let events = self.batch_values()?;
        if events.len() > max_events {
            return Err(InboundError::TooManyEvents {
                count: events.len(),
                limit: max_events,
            });
        }
        Ok(decode_each(events))
    }

    /// The events of a batch body, still as JSON: the array's items, or the one object.
    fn batch_values(&self) -> Result<Vec<Value>, InboundError> {
        match self.parse::<Value>()? {
            Value::Array(events) => Ok(events),
            event @ Value::Object(_) => Ok(vec![event]),
            _ => Err(InboundError::InvalidPayload(serde::de::Error::custom(
                "a batch is a JSON array of events, or one event object",
            ))),
        }
    }
}

/// Decodes each event on its own: one that is not a `T` is an [`EventError`] with its index.
fn decode_each<T: DeserializeOwned>(events: Vec<Value>) -> Vec<Result<T, EventError>> {
    events
        .into_iter()
        .enumerate()
        .map(|(index, event)| {
            serde_json::from_value(event).map_err(|source| EventError { index, source })
        })
        .collect()
}
