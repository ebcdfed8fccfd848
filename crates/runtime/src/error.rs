//! Errors raised while building a client (nothing has been sent when one occurs).

use reqwest::header::HeaderName;

/// A client could not be built. Never contains a credential value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse or is not `http`/`https`.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// Credentials would travel in clear text to a host that is not loopback.
    #[error(
        "refusing to send credentials over plain http:// to {host}; use https:// or allow insecure HTTP explicitly"
    )]
    InsecureTransport {
        /// The host that was refused.
        host: String,
    },
    /// A credential contains bytes a header cannot carry (the value is not shown).
    #[error("the credential for header `{header}` is not a valid header value")]
    InvalidCredential {
        /// The header that would have carried it.
        header: HeaderName,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
