#![doc = include_str!("../README.md")]
// `Error` keeps everything the provider said (code, reason, message, status, order id); the
// error path is cold, and losing fields to save bytes is what users of other facades regret.
#![allow(clippy::result_large_err)]

mod builder;
mod error;
mod order;
mod provider;
mod select;
mod status;

#[cfg(feature = "fastpod")]
pub mod fastpod;
#[cfg(feature = "fuuffy")]
pub mod fuuffy;
#[cfg(feature = "logitrail")]
pub mod logitrail;
#[cfg(feature = "onemg")]
pub mod onemg;

pub use builder::Builder;
pub use error::{Error, ErrorKind, Operation};
pub use order::{ConfirmRequest, Order, Price};
pub use ordergate_runtime::{ClientConfig, RetryPolicy};
pub use provider::{Capabilities, OrderProvider, ProviderName, UnknownProvider};
pub use select::{Overrides, Provider};
pub use status::OrderStatus;

#[cfg(feature = "fastpod")]
pub use fastpod::{FastpodAdapter, FastpodBuilder};
#[cfg(feature = "fuuffy")]
pub use fuuffy::{FuuffyAdapter, FuuffyBuilder};
#[cfg(feature = "logitrail")]
pub use logitrail::{LogitrailAdapter, LogitrailBuilder};
#[cfg(feature = "onemg")]
pub use onemg::{OnemgAdapter, OnemgBuilder};

/// The provider SDKs, re-exported: the escape hatch to everything provider-specific.
pub mod sdk {
    #[cfg(feature = "fastpod")]
    pub use ordergate_fastpod as fastpod;
    #[cfg(feature = "fuuffy")]
    pub use ordergate_fuuffy as fuuffy;
    #[cfg(feature = "logitrail")]
    pub use ordergate_logitrail as logitrail;
    #[cfg(feature = "onemg")]
    pub use ordergate_onemg as onemg;
}
