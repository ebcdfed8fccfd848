//! Why a merchant-side router could not be built.

/// Why [`TransactionStatusApi::into_router`](super::TransactionStatusApi::into_router) or
/// [`OrderUpdateWebhook::into_router`](super::OrderUpdateWebhook::into_router) refused its
/// configuration (1mg's merchant integration guides, <https://onedoc.1mg.com/public_docs/>).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The path is not one the router can serve.
    #[error("the path `{path}` cannot be served: {reason}")]
    InvalidPath {
        /// The path given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}
