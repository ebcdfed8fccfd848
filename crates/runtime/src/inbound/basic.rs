//! HTTP Basic credentials in `Authorization` (RFC 7617).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::expected::ExpectedSecret;
use super::{
    AUTHORIZATION, DEFAULT_MAX_BODY_BYTES, InboundError, Verified, VerifySource,
    authorization_credentials, body_within, bounded, single_header,
};

/// The provider calls with `Authorization: Basic base64(username:password)`, credentials the
/// merchant agreed with it (Logitrail calls the merchant's webhook URL this way).
///
/// The user and password are compared together, in constant time, and kept only as a keyed
/// hash: `Debug` and errors never show them, and a wrong user cannot be told from a wrong
/// password. The credentials authenticate the caller, not the body.
#[derive(Clone)]
pub struct BasicAuth {
    expected: ExpectedSecret,
    max_body_bytes: usize,
}

impl BasicAuth {
    /// Accepts exactly `username` with `password`.
    ///
    /// # Errors
    /// [`InboundError::EmptySecret`] for an empty password; [`InboundError::InvalidKey`] for a
    /// username containing `:` (RFC 7617 forbids it: the first colon ends the user);
    /// [`InboundError::RandomUnavailable`].
    pub fn new(username: &str, password: impl AsRef<[u8]>) -> Result<Self, InboundError> {
        let password = password.as_ref();
        if password.is_empty() {
            return Err(InboundError::EmptySecret);
        }
        if username.contains(':') {
            return Err(InboundError::InvalidKey {
                reason: "a Basic username cannot contain ':'",
            });
        }
        let mut joined = Vec::with_capacity(username.len() + 1 + password.len());
        joined.extend_from_slice(username.as_bytes());
        joined.push(b':');
        joined.extend_from_slice(password);
        Ok(Self {
            expected: ExpectedSecret::new(&joined)?,
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

    /// Verifies `authorization`, the `Authorization` header's value (`None` when absent).
    ///
    /// # Errors
    /// [`InboundError::BodyTooLarge`], [`InboundError::MissingHeader`],
    /// [`InboundError::HeaderTooLarge`], [`InboundError::Malformed`] (not `Basic`, not base64,
    /// no colon) or [`InboundError::Mismatch`].
    pub fn verify_authorization<'body>(
        &self,
        authorization: Option<&str>,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        body_within(body, self.max_body_bytes)?;
        let value = authorization.ok_or(InboundError::MissingHeader {
            header: AUTHORIZATION,
        })?;
        bounded(AUTHORIZATION, value.as_bytes())?;
        let encoded = authorization_credentials(value, "Basic", "not a Basic credential")?;
        let decoded = STANDARD
            .decode(encoded)
            .map_err(|_| InboundError::Malformed {
                header: AUTHORIZATION,
                reason: "the Basic credentials are not base64",
            })?;
        if !decoded.contains(&b':') {
            return Err(InboundError::Malformed {
                header: AUTHORIZATION,
                reason: "the Basic credentials have no ':' between user and password",
            });
        }
        if !self.expected.matches(&decoded) {
            return Err(InboundError::Mismatch {
                header: AUTHORIZATION,
            });
        }
        Ok(Verified::new(body))
    }
}

impl VerifySource for BasicAuth {
    fn verify<'body>(
        &self,
        headers: &http::HeaderMap,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        body_within(body, self.max_body_bytes)?;
        let value = single_header(headers, AUTHORIZATION)?;
        self.verify_authorization(Some(value), body)
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("credentials", &"<redacted>")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}
