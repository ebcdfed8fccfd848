//! `ordergate-runtime`: what every generated ordergate provider client shares at run time.
//!
//! A provider crate's generated `Client` carries a [`Transport`]. progenitor's request hooks,
//! emitted by `ordergate-codegen`, hand each request to it:
//!
//! - [`Auth`]: the provider's credentials, held as [`secrecy::SecretString`] and sent as
//!   *sensitive* header values. No `Debug`, `Display` or log line ever shows them.
//! - [`ClientConfig`]: documented default timeouts, user agent, and the plain-HTTP guard:
//!   credentials are never sent over `http://` to a host that is not loopback unless the caller
//!   explicitly allows it.
//! - TLS through rustls with the `ring` provider (no C toolchain needed).
//! - [`Sensitive`]: credentials inside bodies (`format: password`) that `Debug` redacts.
//! - [`observe`]: the status and headers of the response behind a generated call's result,
//!   even when progenitor's error kept only the body.
//! - progenitor's `api-version` header, meant for Dropshot servers, never reaches a provider.

mod auth;
mod config;
mod error;
mod observe;
mod sensitive;
mod transport;

pub use auth::Auth;
pub use config::ClientConfig;
pub use error::ConfigError;
pub use observe::{ResponseMeta, observe};
pub use secrecy::{ExposeSecret, SecretString};
pub use sensitive::Sensitive;
pub use transport::Transport;
