//! `ordergate-runtime`: what every generated ordergate provider client shares at run time.
//!
//! A provider crate's generated `Client` carries a [`Transport`]. progenitor's request hooks,
//! emitted by `ordergate-codegen`, hand each request to it:
//!
//! - [`Auth`]: the provider's credentials, held as [`secrecy::SecretString`] and sent as
//!   *sensitive* header values. No `Debug`, `Display` or log line ever shows them.
//! - [`TokenCache`]: an access token that renews itself (fetched from a [`TokenSource`] with
//!   one request per expiry shared by every waiting call, success or failure, each wait
//!   bounded by its call's deadline; renewed before it expires, and on HTTP 401 renewed and
//!   the request replayed once), for [`Auth::token_source`].
//! - [`ClientConfig`]: one deadline per call (retries included), user agent, and the
//!   plain-HTTP guard: credentials are never sent over `http://` to a host that is not
//!   loopback unless the caller explicitly allows it. Base URLs with a username, password,
//!   query or fragment are refused.
//! - No redirects, ever: a `3xx` is returned as it is ([`http_client_builder`]).
//! - [`RetryPolicy`]: reads retried on transient failures with backoff and `Retry-After`; a
//!   state-changing request retried only when it provably never reached the server.
//! - A response size cap ([`ClientConfig::max_response_bytes`], [`BodyTooLarge`]).
//! - TLS through rustls with the `ring` provider (no C toolchain needed).
//! - [`Sensitive`]: credentials inside bodies (`format: password`) that `Debug` redacts.
//! - [`observe`]: the status and headers of the response behind a generated call's result,
//!   even when progenitor's error kept only the body.
//! - [`response_value`]: decodes a response without copying its headers.
//! - [`CharClassPattern`]: spec patterns like `^[0-9]+$` checked without a regex engine.
//! - [`digest`]: SHA-512 for provider crates that sign values with a plain hash (Logitrail's
//!   checkout `mac`), so that `ring` stays this crate's dependency alone.

mod auth;
mod body_limit;
mod bounds;
mod config;
mod decode;
pub mod digest;
pub mod drift;
pub mod env;
mod error;
pub mod inbound;
mod observe;
mod operation;
mod paging;
mod pattern;
mod rate_limit;
mod redact;
mod sensitive;
mod span;
mod token;
mod transport;

pub use auth::Auth;
pub use body_limit::{BodyTooLarge, cap_body};
pub use config::{ClientConfig, RetryPolicy};
pub use decode::response_value;
pub use error::{ConfigError, error_chain};
pub use observe::{
    CallRecord, Finish, Observe, ObserveCall, ObserveThen, ResponseMeta, SendPhase, observe,
    observe_call, observe_call_then, observe_call_until, within_deadline,
};
pub use operation::{
    Bound, BoundAt, BoundRule, Conventions, Operation, Pagination, RateLimitReset, ResetReadsAs,
};
pub use paging::{MAX_PAGES, PageInfo, PageRequest, pages};
pub use pattern::CharClassPattern;
pub use rate_limit::retry_after;
pub use redact::without_userinfo;
pub use secrecy::{ExposeSecret, SecretString};
pub use sensitive::Sensitive;
pub use token::{
    DEFAULT_RENEWAL_MARGIN, FreshToken, Token, TokenCache, TokenError, TokenFuture, TokenRefused,
    TokenSource,
};
pub use transport::{Authorize, Rebuild, Transport, http_client_builder};
