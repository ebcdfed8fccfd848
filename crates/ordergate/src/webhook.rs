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
    let mut id = String::with_capacity(5 + 32 + 1 + 20);
    let _ = write!(
        id,
        "xxh3:{:032x}:{index}",
        xxhash_rust::xxh3::xxh3_128(body)
    );
    id
}
