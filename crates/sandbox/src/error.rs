//! The sandbox's own errors: bad seeding input, a full store, a clock at its limit, or a
//! provider it has no fake of.

/// What can go wrong when driving the sandbox itself (never what a client sends to it: the
/// fakes answer those with the provider's own error responses).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The order id does not have the provider's format.
    #[error("{provider} order id {id:?} is invalid: {reason}")]
    InvalidOrderId {
        /// The provider.
        provider: &'static str,
        /// The id given.
        id: String,
        /// What the provider's ids look like.
        reason: &'static str,
    },
    /// The status is not one the provider documents.
    #[error("{status:?} is not a {provider} order status; expected one of {expected}")]
    InvalidStatus {
        /// The provider.
        provider: &'static str,
        /// The status given.
        status: String,
        /// The statuses the provider knows, comma-separated.
        expected: String,
    },
    /// A record weighs more than the store's byte bound
    /// ([`SandboxOptions::max_stored_bytes`](crate::SandboxOptions::max_stored_bytes)) alone.
    #[error(
        "the {provider} {kind} weighs {bytes} bytes, more than the store's bound of {max_bytes}"
    )]
    StoreFull {
        /// The provider.
        provider: &'static str,
        /// The kind of record (`order`).
        kind: &'static str,
        /// What the record weighs.
        bytes: usize,
        /// The bound.
        max_bytes: usize,
    },
    /// An advance would move the sandbox clock past [`CLOCK_LIMIT`](crate::CLOCK_LIMIT).
    #[error("advancing {steps} steps would move the sandbox clock past its limit, {limit}")]
    ClockLimit {
        /// The steps asked for.
        steps: u64,
        /// The limit, RFC 3339.
        limit: String,
    },
    /// The sandbox has no fake of this provider.
    #[error("the sandbox has no fake of provider {0}")]
    UnknownProvider(String),
}
