//! Requests a provider makes to the merchant: webhooks and callbacks, verified before they are
//! read.
//!
//! Each provider authenticates its calls to you in its own way; the ways themselves are few,
//! and live here as data a provider crate declares:
//!
//! - [`HmacSha256Hex`]: a hex HMAC-SHA256 of the raw body in a named header (Fuuffy's
//!   `X-Fuuffy-Signature`), with [`HmacSha256Hex::sign`] for tests and fakes;
//! - [`BasicAuth`]: HTTP Basic credentials in `Authorization` (RFC 7617);
//! - [`HeaderToken`]: a shared token in a named header;
//! - [`Rs256Verifier`]: an RS256 JSON Web Token (RFC 7519) in `Authorization: Bearer`, checked
//!   against an RSA public key and a clock; [`Rs256Signer`] makes such tokens.
//!
//! As in hyperswitch's `IncomingWebhook`, a request is first verified ([`VerifySource`]), and
//! only then read: verification hands back a [`Verified`] body, and only a [`Verified`] body
//! can be parsed ([`Verified::parse`], or [`Verified::parse_batch`] for a body holding several
//! events, one result per event, and [`Verified::parse_batch_at_most`] when the sender bounds
//! their number). Every comparison with a secret runs in constant time, every
//! input is bounded ([`MAX_HEADER_BYTES`], [`DEFAULT_MAX_BODY_BYTES`]) and no input makes any
//! of it panic. Secrets never appear in `Debug` output or in an [`InboundError`].
//!
//! ```
//! use ordergate_runtime::inbound::{HmacSha256Hex, InboundError, VerifySource};
//!
//! let scheme = HmacSha256Hex::new("X-Signature", "whsec-from-the-provider")?;
//! let body = br#"{"event":"order.delivered"}"#;
//! let mut headers = http::HeaderMap::new();
//! headers.insert("x-signature", scheme.sign(body).parse().expect("hex is a header value"));
//!
//! let event: serde_json::Value = scheme.verify(&headers, body)?.parse()?;
//! assert_eq!(event["event"], "order.delivered");
//! assert!(matches!(
//!     scheme.verify(&headers, b"{}"),
//!     Err(InboundError::Mismatch { header: "X-Signature" })
//! ));
//! # Ok::<(), InboundError>(())
//! ```

mod basic;
mod batch;
mod der;
mod error;
mod expected;
mod header_token;
mod hex;
mod hmac;
mod rs256;

use std::fmt;

use ring::rand::{SecureRandom, SystemRandom};
use serde::Deserialize;

pub use basic::BasicAuth;
pub use batch::EventError;
pub use error::InboundError;
pub use header_token::{AcceptedCaller, HeaderToken};
pub use hex::push_hex;
pub use hmac::HmacSha256Hex;
pub use rs256::{DEFAULT_LEEWAY, Rs256Signer, Rs256Verifier};

/// The longest header value a scheme reads (8 KiB); a longer one is
/// [`InboundError::HeaderTooLarge`] before anything else is done with it.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// The longest body a scheme accepts unless told otherwise (1 MiB); a longer one is
/// [`InboundError::BodyTooLarge`] before it is hashed or read. Each scheme's
/// `with_max_body_bytes` changes it.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// A way of checking that a request really comes from the provider: the first step of
/// receiving a webhook or callback.
///
/// Implemented by every scheme of this module; a provider crate (or an application serving
/// several providers) can hold one as `Box<dyn VerifySource>`.
pub trait VerifySource {
    /// Checks the request's `headers` (and, for a signature, its exact `body` bytes as
    /// received) and hands back the body, now [`Verified`].
    ///
    /// # Errors
    /// An [`InboundError`] saying which header is missing, malformed or wrong, or that the
    /// body is too large. The body is never parsed here.
    fn verify<'body>(
        &self,
        headers: &http::HeaderMap,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError>;
}

/// A request body whose source was verified: the only thing this module parses.
///
/// Only a scheme of this module makes one, after its check passed. `Debug` shows the body's
/// length only (a webhook body may carry personal data).
#[derive(Clone, Copy)]
pub struct Verified<'body> {
    body: &'body [u8],
}

impl<'body> Verified<'body> {
    /// Wraps a body a scheme of this module has just verified.
    pub(crate) fn new(body: &'body [u8]) -> Self {
        Self { body }
    }

    /// The raw bytes, as received and verified.
    pub fn body(&self) -> &'body [u8] {
        self.body
    }

    /// Decodes the verified body as JSON into `T`.
    ///
    /// # Errors
    /// [`InboundError::InvalidPayload`] when the body is not `T`.
    pub fn parse<T: Deserialize<'body>>(&self) -> Result<T, InboundError> {
        serde_json::from_slice(self.body).map_err(InboundError::InvalidPayload)
    }
}

impl fmt::Debug for Verified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// `byte_count` bytes from the operating system's secure random source, as lower-case hex
/// (two digits per byte): for tokens, ids and secrets a fake or a test issues (the sandbox's
/// access tokens are `sk-` followed by `random_token(16)`). `byte_count` is the caller's
/// choice, never a length read from a request.
///
/// # Errors
/// [`InboundError::RandomUnavailable`] when the system's random source fails.
pub fn random_token(byte_count: usize) -> Result<String, InboundError> {
    let mut bytes = vec![0u8; byte_count];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| InboundError::RandomUnavailable)?;
    Ok(hex::encode(&bytes))
}

/// The one value of `header` in `headers`, as text.
///
/// # Errors
/// [`InboundError::MissingHeader`], [`InboundError::DuplicateHeader`],
/// [`InboundError::HeaderTooLarge`], or [`InboundError::Malformed`] for a value that is not
/// visible ASCII.
fn single_header<'h>(
    headers: &'h http::HeaderMap,
    header: &'static str,
) -> Result<&'h str, InboundError> {
    let mut values = headers.get_all(header).iter();
    let value = match (values.next(), values.next()) {
        (None, _) => return Err(InboundError::MissingHeader { header }),
        (Some(_), Some(_)) => return Err(InboundError::DuplicateHeader { header }),
        (Some(value), None) => value,
    };
    bounded(header, value.as_bytes())?;
    value.to_str().map_err(|_| InboundError::Malformed {
        header,
        reason: "not visible ASCII",
    })
}

/// Refuses a header value longer than [`MAX_HEADER_BYTES`].
fn bounded(header: &'static str, value: &[u8]) -> Result<(), InboundError> {
    if value.len() > MAX_HEADER_BYTES {
        return Err(InboundError::HeaderTooLarge {
            header,
            limit: MAX_HEADER_BYTES,
        });
    }
    Ok(())
}

/// Refuses a body longer than `limit`.
fn body_within(body: &[u8], limit: usize) -> Result<(), InboundError> {
    if body.len() > limit {
        return Err(InboundError::BodyTooLarge {
            size: body.len(),
            limit,
        });
    }
    Ok(())
}

/// Checks that `header` is a valid HTTP header name, so that looking it up can find it.
fn header_name(header: &'static str) -> Result<&'static str, InboundError> {
    http::HeaderName::try_from(header)
        .map(|_| header)
        .map_err(|_| InboundError::InvalidHeaderName { header })
}

/// The credentials after `scheme` (`Basic`, `Bearer`; any case) in an `Authorization` value.
fn authorization_credentials<'v>(
    value: &'v str,
    scheme: &str,
    reason: &'static str,
) -> Result<&'v str, InboundError> {
    let malformed = || InboundError::Malformed {
        header: AUTHORIZATION,
        reason,
    };
    let (name, credentials) = value.trim().split_once(' ').ok_or_else(malformed)?;
    if !name.eq_ignore_ascii_case(scheme) {
        return Err(malformed());
    }
    Ok(credentials.trim())
}

/// The `Authorization` header, as errors name it.
const AUTHORIZATION: &str = "Authorization";
