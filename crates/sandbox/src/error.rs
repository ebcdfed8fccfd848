//! The sandbox's own errors: bad seeding input, or a provider it has no fake of.

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
    /// The sandbox has no fake of this provider.
    #[error("the sandbox has no fake of provider {0}")]
    UnknownProvider(String),
}
