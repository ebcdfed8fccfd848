//! Why an inbound request, or a scheme's setup, was refused.

/// Why an inbound request was refused, or a scheme could not be set up.
///
/// Messages name the header or claim at fault, never a secret, a signature or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InboundError {
    /// The secret or token given to a scheme is empty: anyone could match it.
    #[error("the secret is empty")]
    EmptySecret,
    /// A key given to a scheme is not one it can use.
    #[error("the key is not usable: {reason}")]
    InvalidKey {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The header name given to a scheme is not a valid HTTP header name.
    #[error("`{header}` is not a valid HTTP header name")]
    InvalidHeaderName {
        /// The name given.
        header: &'static str,
    },
    /// The request has no such header.
    #[error("the request has no {header} header")]
    MissingHeader {
        /// The header's name.
        header: &'static str,
    },
    /// The header appears more than once: which one was meant is unknown, so neither counts.
    #[error("the request has more than one {header} header")]
    DuplicateHeader {
        /// The header's name.
        header: &'static str,
    },
    /// The header's value is longer than a scheme reads.
    #[error("the {header} header is longer than {limit} bytes")]
    HeaderTooLarge {
        /// The header's name.
        header: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The header's value does not have the scheme's form.
    #[error("the {header} header is malformed: {reason}")]
    Malformed {
        /// The header's name.
        header: &'static str,
        /// What is wrong with its form.
        reason: &'static str,
    },
    /// The header is well formed but does not match: another secret or credentials, or a body
    /// changed on the way.
    #[error("the {header} header does not match")]
    Mismatch {
        /// The header's name.
        header: &'static str,
    },
    /// The body is longer than the scheme accepts.
    #[error("the body is {size} bytes, more than the limit of {limit}")]
    BodyTooLarge {
        /// The body's length.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body holds more events than the sender promises to put in one request.
    #[error("the body holds {count} events, more than the limit of {limit}")]
    TooManyEvents {
        /// How many events the body holds.
        count: usize,
        /// The most the sender puts in one body.
        limit: usize,
    },
    /// The token is not a compact JSON Web Token: three base64url parts, a JSON header and
    /// claims.
    #[error("the token is malformed: {reason}")]
    MalformedToken {
        /// What is wrong with its form.
        reason: &'static str,
    },
    /// The token's header names another algorithm than RS256 (`none` and `HS256` included),
    /// or extensions this verifier does not understand (`crit`).
    #[error("the token's algorithm is not RS256")]
    WrongAlgorithm,
    /// The token's signature does not verify with the public key: another key signed it, or
    /// its header or claims changed.
    #[error("the token's signature does not verify")]
    BadSignature,
    /// The token's `exp` is past, leeway included.
    #[error("the token expired")]
    Expired,
    /// The token's `nbf`, or its `iat`, is still ahead, leeway included.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// A claim the verifier requires is absent.
    #[error("the token has no `{claim}` claim")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// A time claim is not a number of seconds (a NumericDate).
    #[error("the token's `{claim}` claim is not a number of seconds")]
    MalformedClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// The verified body (or a verified token's claims) is not the expected JSON.
    #[error("the verified payload is not the expected JSON: {0}")]
    InvalidPayload(#[source] serde_json::Error),
    /// Claims to sign could not be encoded as JSON.
    #[error("the claims could not be encoded as JSON: {0}")]
    UnencodableClaims(#[source] serde_json::Error),
    /// Signing failed inside the cryptographic library.
    #[error("signing the token failed")]
    SigningFailed,
    /// The operating system's secure random source failed.
    #[error("the system's secure random source failed")]
    RandomUnavailable,
}
