//! A hex HMAC-SHA256 of the raw body in a named header.

use std::fmt;

use ring::hmac;

use super::{
    DEFAULT_MAX_BODY_BYTES, InboundError, Verified, VerifySource, body_within, bounded,
    header_name, hex, single_header,
};

/// Bytes in an HMAC-SHA256 tag.
const TAG_BYTES: usize = 32;

/// The provider signs the exact body bytes with HMAC-SHA256 under a shared secret and sends
/// the tag as hex in `header` (Fuuffy: `X-Fuuffy-Signature`, lower-case hex,
/// <https://api-docs.fuuffy.com/guides/webhooks>).
///
/// Verification accepts either case of hex and ignores whitespace around the value; the
/// comparison is constant-time ([`ring::hmac::verify`]). `Debug` never shows the secret.
#[derive(Clone)]
pub struct HmacSha256Hex {
    header: &'static str,
    key: hmac::Key,
    max_body_bytes: usize,
}

impl HmacSha256Hex {
    /// The scheme with the signature in `header`, keyed with `secret`.
    ///
    /// # Errors
    /// [`InboundError::EmptySecret`] for an empty secret (every body would be signed with a
    /// key anyone knows); [`InboundError::InvalidHeaderName`].
    pub fn new(header: &'static str, secret: impl AsRef<[u8]>) -> Result<Self, InboundError> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(InboundError::EmptySecret);
        }
        Ok(Self {
            header: header_name(header)?,
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// The same scheme accepting bodies up to `limit` bytes (default
    /// [`DEFAULT_MAX_BODY_BYTES`]).
    #[must_use]
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The header that carries the signature.
    pub fn header(&self) -> &'static str {
        self.header
    }

    /// The signature of `body`: lower-case hex HMAC-SHA256, as the provider sends it. For
    /// tests of a webhook endpoint, and for fakes that send webhooks.
    pub fn sign(&self, body: &[u8]) -> String {
        hex::encode(hmac::sign(&self.key, body).as_ref())
    }

    /// Verifies `signature`, the header's value (`None` when absent), against `body`, the
    /// exact bytes received.
    ///
    /// # Errors
    /// [`InboundError::BodyTooLarge`], [`InboundError::MissingHeader`],
    /// [`InboundError::HeaderTooLarge`], [`InboundError::Malformed`] (not 64 hex digits) or
    /// [`InboundError::Mismatch`].
    pub fn verify_signature<'body>(
        &self,
        signature: Option<&str>,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        let header = self.header;
        body_within(body, self.max_body_bytes)?;
        let signature = signature.ok_or(InboundError::MissingHeader { header })?;
        bounded(header, signature.as_bytes())?;
        let tag = hex::decode::<TAG_BYTES>(signature.trim()).ok_or(InboundError::Malformed {
            header,
            reason: "not a hex HMAC-SHA256 (64 hexadecimal digits)",
        })?;
        hmac::verify(&self.key, body, &tag).map_err(|_| InboundError::Mismatch { header })?;
        Ok(Verified::new(body))
    }
}

impl VerifySource for HmacSha256Hex {
    fn verify<'body>(
        &self,
        headers: &http::HeaderMap,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        body_within(body, self.max_body_bytes)?;
        let signature = single_header(headers, self.header)?;
        self.verify_signature(Some(signature), body)
    }
}

impl fmt::Debug for HmacSha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSha256Hex")
            .field("header", &self.header)
            .field("secret", &"<redacted>")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}
