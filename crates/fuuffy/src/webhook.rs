//! Verified Fuuffy webhooks.
//!
//! Fuuffy POSTs a [`WebhookEvent`] to your webhook URL when a
//! tracked order changes, with the header [`SIGNATURE_HEADER`] (`X-Fuuffy-Signature`): the
//! lower-case hex HMAC-SHA256 of the raw request body, keyed with your webhook secret
//! (<https://api-docs.fuuffy.com/api/tracking/webhook>,
//! <https://api-docs.fuuffy.com/guides/webhooks>). [`WebhookSecret::verify`] checks the
//! signature over the exact bytes received, in constant time, and only then decodes the body:
//! a body whose signature is missing or wrong is never parsed.
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

use ring::hmac;

use crate::types::WebhookEvent;

/// The header that carries the signature: the hex HMAC-SHA256 of the raw body.
pub const SIGNATURE_HEADER: &str = "X-Fuuffy-Signature";

/// Length of a hex HMAC-SHA256 signature.
const SIGNATURE_HEX_LEN: usize = 64;

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
}

/// A Fuuffy webhook secret, ready to verify deliveries (and to sign, for tests). `Debug` never
/// shows it.
#[derive(Clone)]
pub struct WebhookSecret {
    key: hmac::Key,
}

impl WebhookSecret {
    /// The secret Fuuffy signs your webhooks with.
    ///
    /// # Errors
    /// [`WebhookError::EmptySecret`] for an empty secret.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        Ok(Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
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
    /// [`WebhookError::InvalidPayload`] when a correctly signed body is not an event.
    pub fn verify(
        &self,
        signature: Option<&str>,
        raw_body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        let signature = signature.ok_or(WebhookError::MissingSignature)?;
        let tag = decode_hex(signature.trim()).ok_or(WebhookError::MalformedSignature)?;
        hmac::verify(&self.key, raw_body, &tag).map_err(|_| WebhookError::WrongSignature)?;
        serde_json::from_slice(raw_body).map_err(WebhookError::InvalidPayload)
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
        let mut values = headers.get_all(SIGNATURE_HEADER).iter();
        let signature = match (values.next(), values.next()) {
            (Some(value), None) => value,
            _ => return Err(WebhookError::MissingSignature),
        };
        let signature = signature
            .to_str()
            .map_err(|_| WebhookError::MalformedSignature)?;
        self.verify(Some(signature), raw_body)
    }

    /// The signature Fuuffy sends for `raw_body`: lower-case hex HMAC-SHA256. For tests of
    /// your own webhook endpoint, and for the ordergate sandbox.
    pub fn sign(&self, raw_body: &[u8]) -> String {
        let tag = hmac::sign(&self.key, raw_body);
        let mut hex = String::with_capacity(SIGNATURE_HEX_LEN);
        for byte in tag.as_ref() {
            hex.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            hex.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
        }
        hex
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The 32 bytes of a 64-digit hex string, or `None`.
fn decode_hex(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != SIGNATURE_HEX_LEN {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(bytes)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}
