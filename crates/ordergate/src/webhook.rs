//! What every adapter's [`parse_webhook`](crate::OrderProvider::parse_webhook) shares: the
//! errors of a webhook that is not configured, refused or unreadable, and what to answer the
//! provider ([`WebhookAck`]).

use std::fmt;

use crate::{Error, ErrorKind, Operation, Phase, ProviderName};

/// What a provider expects back from a webhook it delivered, once verified and read (an HTTP
/// status and a body): `ordergate listen` answers with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookAck {
    /// The HTTP status.
    pub status: u16,
    /// The body, JSON when not empty.
    pub body: &'static str,
}

impl WebhookAck {
    /// HTTP 200 with an empty body: what a provider expects when its docs ask for nothing else.
    pub const OK: Self = Self::new(200, "");

    /// HTTP `status` with `body`.
    pub const fn new(status: u16, body: &'static str) -> Self {
        Self { status, body }
    }
}

/// `invalid_input`, nothing sent: `provider`'s webhook credentials are not configured
/// (`settings` names the environment variables, `FUUFFY_WEBHOOK_SECRET`).
pub(crate) fn not_configured(provider: ProviderName, settings: &str) -> Error {
    let mut error = Error::new(
        ErrorKind::InvalidInput,
        provider,
        Operation::ParseWebhook,
        format!(
            "{}'s webhook credentials are not configured: set {settings}",
            provider.title()
        ),
    );
    error.phase = Phase::NotSent;
    error
}

/// `unauthorized`: the request did not prove it comes from `provider` (a missing, malformed or
/// wrong signature or credential). `why` names the header, never a secret.
pub(crate) fn refused(provider: ProviderName, why: impl fmt::Display) -> Error {
    webhook_error(
        ErrorKind::Unauthorized,
        provider,
        format!("the webhook is not from {}: {why}", provider.title()),
    )
}

/// `invalid_input`: the request's body is larger than the adapter reads.
pub(crate) fn too_large(provider: ProviderName, why: impl fmt::Display) -> Error {
    webhook_error(
        ErrorKind::InvalidInput,
        provider,
        format!("the {} webhook was refused: {why}", provider.title()),
    )
}

/// `decode`: a verified body is not one of `provider`'s events.
pub(crate) fn undecodable(provider: ProviderName, why: impl fmt::Display) -> Error {
    webhook_error(
        ErrorKind::Decode,
        provider,
        format!(
            "the {} webhook is verified but is not an event it documents: {why}",
            provider.title()
        ),
    )
}

fn webhook_error(kind: ErrorKind, provider: ProviderName, message: String) -> Error {
    let mut error = Error::new(kind, provider, Operation::ParseWebhook, message);
    error.phase = Phase::NotSent;
    error
}

/// The inbound layer's refusal as the facade's error: a body over the limit is
/// `invalid_input`, everything else (a missing, malformed or wrong header) `unauthorized`.
pub(crate) fn inbound_refused(
    provider: ProviderName,
    error: &ordergate_runtime::inbound::InboundError,
) -> Error {
    use ordergate_runtime::inbound::InboundError;
    match error {
        InboundError::BodyTooLarge { .. } => too_large(provider, error),
        _ => refused(provider, error),
    }
}

/// An id for an event its provider gives none: `xxh3:`, the XXH3 128-bit hash of the
/// verified body in hex, then `:` and the event's index in the body, so the same delivery
/// twice has the same ids (the key to drop the second) and two events of one body differ.
///
/// The body is hashed only once its signature or token was verified, so a non-cryptographic
/// hash is enough: XXH3-128 is specified (stable across versions and platforms), a collision
/// by chance is a 2^-64 affair even among billions of events, and it costs a few hundred
/// instructions on a webhook's body where SHA-256 cost as much as the HMAC verification
/// itself (`webhook_parse_ratio` in BENCHMARKS.md).
pub(crate) fn content_id(body: &[u8], index: usize) -> String {
    use std::fmt::Write as _;
    let hash = xxhash_rust::xxh3::xxh3_128(body).to_be_bytes();
    let mut id = String::with_capacity(5 + 32 + 1 + 20);
    id.push_str("xxh3:");
    ordergate_runtime::inbound::push_hex(&mut id, &hash);
    let _ = write!(id, ":{index}");
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id is the body's XXH3-128 in 32 lower-case hex digits, then the index: the same
    /// body and index always give it, and another body or index another id.
    #[test]
    fn a_content_id_is_the_bodys_xxh3_128_and_the_index() {
        let body = br#"{"event":"order.delivered"}"#;
        let id = content_id(body, 3);
        let expected = format!("xxh3:{:032x}:3", xxhash_rust::xxh3::xxh3_128(body));
        assert_eq!(id, expected);
        assert_eq!(id.len(), 5 + 32 + 2);
        assert_eq!(content_id(body, 3), id, "stable");
        assert_ne!(content_id(body, 0), id);
        assert_ne!(content_id(br#"{"event":"order.shipped"}"#, 3), id);
        assert!(content_id(b"", 0).starts_with("xxh3:"));
    }
}
