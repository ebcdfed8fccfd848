//! Verified Fuuffy webhooks.
//!
//! Fuuffy POSTs a [`WebhookEvent`] to your webhook URL when a
//! tracked order changes, with the header [`SIGNATURE_HEADER`] (`X-Fuuffy-Signature`): the
//! lower-case hex HMAC-SHA256 of the raw request body, keyed with your webhook secret
//! (<https://api-docs.fuuffy.com/api/tracking/webhook>,
//! <https://api-docs.fuuffy.com/guides/webhooks>). [`WebhookSecret::verify`] checks the
//! signature over the exact bytes received, in constant time, and only then decodes the body:
//! a body whose signature is missing or wrong is never parsed. Bodies over
//! [`DEFAULT_MAX_BODY_BYTES`](ordergate_runtime::inbound::DEFAULT_MAX_BODY_BYTES) (1 MiB) are
//! refused unread.
//!
//! This module declares Fuuffy's scheme (its header and its event type) over the runtime's
//! inbound layer ([`ordergate_runtime::inbound`]), which does the verifying.
//!
//! Answer a verified event quickly with HTTP 200 (the guide's samples send
//! `{"received": true}`) and a refused one with 401. The signature carries no timestamp, so a
//! replayed delivery verifies again: de-duplicate on the event's content (order id, event,
//! timestamp) if that matters to you.
//!
//! ```
//! use ordergate_fuuffy::webhook::{WebhookError, WebhookSecret};
//!
//! let secret = WebhookSecret::new("whsec-from-fuuffy")?;
//! let body = br#"{"event":"order.delivered","data":{"order_id":"3550875"}}"#;
//! let signature = secret.sign(body); // what Fuuffy sends in X-Fuuffy-Signature
//!
//! let event = secret.verify(Some(&signature), body)?;
//! assert_eq!(event.event, ordergate_fuuffy::types::WebhookEventName::OrderDelivered);
//!
//! // A body changed in transit, or a missing header, is refused before it is parsed.
//! assert!(matches!(secret.verify(Some(&signature), b"{}"), Err(WebhookError::WrongSignature)));
//! assert!(matches!(secret.verify(None, body), Err(WebhookError::MissingSignature)));
//! # Ok::<(), WebhookError>(())
//! ```

use std::fmt;

use ordergate_runtime::inbound::{HmacSha256Hex, InboundError, VerifySource};

use crate::types::WebhookEvent;

/// The header that carries the signature: the hex HMAC-SHA256 of the raw body.
pub const SIGNATURE_HEADER: &str = "X-Fuuffy-Signature";

/// Why a webhook delivery was refused. Never shows the secret, the signature or the body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The webhook secret is empty: every body would be signed with a key anyone knows.
    #[error("the Fuuffy webhook secret is empty")]
    EmptySecret,
    /// The request has no `X-Fuuffy-Signature` header (or more than one).
    #[error("the webhook request has no single X-Fuuffy-Signature header")]
    MissingSignature,
    /// The header is not 64 hexadecimal digits.
    #[error("the X-Fuuffy-Signature header is not a hex HMAC-SHA256 (64 hexadecimal digits)")]
    MalformedSignature,
    /// The signature does not match the body: it was not signed with this secret, or the body
    /// changed on the way.
    #[error("the X-Fuuffy-Signature does not match the body")]
    WrongSignature,
    /// The signature is right but the body is not a webhook event (the body was not parsed
    /// before the signature checked out).
    #[error("the signed webhook body is not a Fuuffy webhook event: {0}")]
    InvalidPayload(#[source] serde_json::Error),
    /// Refused for another reason of the inbound layer: a body longer than
    /// [`ordergate_runtime::inbound::DEFAULT_MAX_BODY_BYTES`], for one.
    #[error("the webhook request was refused: {0}")]
    Refused(#[source] InboundError),
}

impl From<InboundError> for WebhookError {
    fn from(error: InboundError) -> Self {
        match error {
            InboundError::EmptySecret => Self::EmptySecret,
            InboundError::MissingHeader { .. } | InboundError::DuplicateHeader { .. } => {
                Self::MissingSignature
            }
            InboundError::Malformed { .. } | InboundError::HeaderTooLarge { .. } => {
                Self::MalformedSignature
            }
            InboundError::Mismatch { .. } => Self::WrongSignature,
            InboundError::InvalidPayload(error) => Self::InvalidPayload(error),
            other => Self::Refused(other),
        }
    }
}

/// A Fuuffy webhook secret, ready to verify deliveries (and to sign, for tests). `Debug` never
/// shows it.
///
/// It is the inbound layer's [`HmacSha256Hex`] scheme with Fuuffy's header; [`scheme`](Self::scheme)
/// hands it out for code that serves several providers through
/// [`VerifySource`].
#[derive(Clone)]
pub struct WebhookSecret {
    scheme: HmacSha256Hex,
}

impl WebhookSecret {
    /// The secret Fuuffy signs your webhooks with.
    ///
    /// # Errors
    /// [`WebhookError::EmptySecret`] for an empty secret.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        Ok(Self {
            scheme: HmacSha256Hex::new(SIGNATURE_HEADER, secret)?,
        })
    }

    /// Verifies `signature` (the `X-Fuuffy-Signature` header's value, `None` when absent)
    /// against `raw_body`, the exact bytes received, then decodes the event.
    ///
    /// The comparison is constant-time; upper- or lower-case hex is accepted, surrounding
    /// whitespace ignored.
    ///
    /// # Errors
    /// [`WebhookError::MissingSignature`], [`WebhookError::MalformedSignature`] or
    /// [`WebhookError::WrongSignature`] without looking at the body;
    /// [`WebhookError::InvalidPayload`] when a correctly signed body is not an event;
    /// [`WebhookError::Refused`] for a body over the size limit.
    pub fn verify(
        &self,
        signature: Option<&str>,
        raw_body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        Ok(self.scheme.verify_signature(signature, raw_body)?.parse()?)
    }

    /// [`verify`](Self::verify) with the signature read from the request's headers.
    ///
    /// # Errors
    /// As [`verify`](Self::verify); a header that appears twice, or is not visible ASCII, is
    /// [`WebhookError::MissingSignature`] or [`WebhookError::MalformedSignature`].
    pub fn verify_request(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        Ok(self.scheme.verify(headers, raw_body)?.parse()?)
    }

    /// The signature Fuuffy sends for `raw_body`: lower-case hex HMAC-SHA256. For tests of
    /// your own webhook endpoint, and for the ordergate sandbox.
    pub fn sign(&self, raw_body: &[u8]) -> String {
        self.scheme.sign(raw_body)
    }

    /// The verification scheme itself: HMAC-SHA256 hex in [`SIGNATURE_HEADER`].
    pub fn scheme(&self) -> &HmacSha256Hex {
        &self.scheme
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}
