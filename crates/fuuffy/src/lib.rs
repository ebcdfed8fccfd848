#![doc = include_str!("../README.md")]
#![forbid(missing_docs)]

pub mod codes;
pub mod webhook;

mod credentials;
mod pages;
mod token;

pub use credentials::Credentials;
pub use ordergate_runtime::env;
pub use ordergate_runtime::{
    Auth, ClientConfig, ConfigError, SecretString, TokenCache, TokenRefused, Transport,
};
pub use token::{ClientCredentials, DEFAULT_TOKEN_LIFETIME};

include!(concat!(env!("OUT_DIR"), "/client.rs"));

/// Typed [httpmock](https://docs.rs/httpmock) helpers for every operation, generated from the
/// spec: `use ordergate_fuuffy::mock::MockServerExt;` then `server.confirm_order(|when, then| ..)`.
#[cfg(feature = "mock")]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));
}
