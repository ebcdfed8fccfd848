//! A shared token in a named header.

use std::fmt;

use super::expected::ExpectedSecret;
use super::{
    DEFAULT_MAX_BODY_BYTES, InboundError, Verified, VerifySource, body_within, bounded,
    header_name, single_header,
};

/// The provider sends a token agreed with the merchant, as it is, in `header` (Tata 1mg's
/// calls to merchant-hosted endpoints).
///
/// Whitespace around the value is ignored; the comparison is constant-time and the token is
/// kept only as a keyed hash, so `Debug` and errors never show it. The token authenticates
/// the caller, not the body.
#[derive(Clone)]
pub struct HeaderToken {
    header: &'static str,
    expected: ExpectedSecret,
    max_body_bytes: usize,
}

impl HeaderToken {
    /// Accepts exactly `token` in `header`.
    ///
    /// # Errors
    /// [`InboundError::EmptySecret`], [`InboundError::InvalidHeaderName`],
    /// [`InboundError::RandomUnavailable`].
    pub fn new(header: &'static str, token: impl AsRef<[u8]>) -> Result<Self, InboundError> {
        Ok(Self {
            header: header_name(header)?,
            expected: ExpectedSecret::new(token.as_ref())?,
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

    /// The header that carries the token.
    pub fn header(&self) -> &'static str {
        self.header
    }

    /// Verifies `token`, the header's value (`None` when absent).
    ///
    /// # Errors
    /// [`InboundError::BodyTooLarge`], [`InboundError::MissingHeader`],
    /// [`InboundError::HeaderTooLarge`] or [`InboundError::Mismatch`].
    pub fn verify_token<'body>(
        &self,
        token: Option<&str>,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        let header = self.header;
        body_within(body, self.max_body_bytes)?;
        let token = token.ok_or(InboundError::MissingHeader { header })?;
        bounded(header, token.as_bytes())?;
        if !self.expected.matches(token.trim().as_bytes()) {
            return Err(InboundError::Mismatch { header });
        }
        Ok(Verified::new(body))
    }
}

impl HeaderToken {
    /// Checks the token in `headers` alone. The token authenticates the caller, not the body,
    /// so a receiver can refuse a caller before reading a byte of its body, then take the body
    /// it reads as verified with [`AcceptedCaller::body`].
    ///
    /// # Errors
    /// [`InboundError::MissingHeader`], [`InboundError::DuplicateHeader`],
    /// [`InboundError::HeaderTooLarge`], [`InboundError::Malformed`] or
    /// [`InboundError::Mismatch`].
    pub fn verify_headers(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<AcceptedCaller, InboundError> {
        let token = single_header(headers, self.header)?;
        self.verify_token(Some(token), &[])?;
        Ok(AcceptedCaller {
            max_body_bytes: self.max_body_bytes,
        })
    }
}

/// A caller whose token [`HeaderToken::verify_headers`] accepted: its body, once read, is
/// verified as far as this scheme can tell (it is within the body limit).
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct AcceptedCaller {
    max_body_bytes: usize,
}

impl AcceptedCaller {
    /// The accepted caller's `body`, verified.
    ///
    /// # Errors
    /// [`InboundError::BodyTooLarge`].
    pub fn body<'body>(&self, body: &'body [u8]) -> Result<Verified<'body>, InboundError> {
        body_within(body, self.max_body_bytes)?;
        Ok(Verified::new(body))
    }

    /// The body limit of the scheme that accepted the caller: read no more than this.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }
}

impl VerifySource for HeaderToken {
    fn verify<'body>(
        &self,
        headers: &http::HeaderMap,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        body_within(body, self.max_body_bytes)?;
        self.verify_headers(headers)?.body(body)
    }
}

impl fmt::Debug for HeaderToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderToken")
            .field("header", &self.header)
            .field("token", &"<redacted>")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}
