//! Errors raised while building a client (nothing has been sent when one occurs).

use reqwest::header::HeaderName;

/// A client could not be built. Never contains a credential value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse, is not `http`/`https`, or carries a username, password,
    /// query or fragment.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, with any `user:password@` replaced by `***@` and cut to a few
        /// hundred characters.
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
    /// A credential was refused (see [`Auth`](crate::Auth) for the rules); the value is not
    /// shown.
    #[error("the credential for header `{header}` {reason}")]
    InvalidCredential {
        /// The header that would have carried it.
        header: HeaderName,
        /// Why it was refused, without the value.
        reason: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
