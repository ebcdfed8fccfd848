#![doc = include_str!("../README.md")]
#![forbid(missing_docs)]

pub mod codes;

mod credentials;
mod pages;

pub use credentials::Credentials;
pub use ordergate_runtime::env;
pub use ordergate_runtime::{Auth, ClientConfig, ConfigError, SecretString, Transport};

include!(concat!(env!("OUT_DIR"), "/client.rs"));

/// Typed [httpmock](https://docs.rs/httpmock) helpers for every operation, generated from the
/// spec: `use ordergate_fastpod::mock::MockServerExt;` then `server.get_order(|when, then| ..)`.
#[cfg(feature = "mock")]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));
}
