#![doc = include_str!("../README.md")]
// `Error` keeps everything the provider said (code, reason, message, status, order id); the
// error path is cold, and losing fields to save bytes is what users of other facades regret.
#![allow(clippy::result_large_err)]
// Built with no provider, what the adapters share is unused (`_provider`: any provider);
// built without some, the part of it only they use is (amounts, paging, webhook errors).
#![cfg_attr(not(feature = "_provider"), allow(unused))]
#![cfg_attr(
    not(all(
        feature = "fuuffy",
        feature = "logitrail",
        feature = "onemg",
        feature = "fastpod"
    )),
    allow(dead_code)
)]

mod amount;
mod builder;
mod error;
mod event;
mod list;
mod new_order;
pub mod options;
mod order;
mod provider;
mod registry;
mod select;
mod status;
mod success;
mod tables;
mod timestamp;
mod tracking;
mod webhook;

pub use builder::{Builder, Setting, UnknownConfigKey};
pub use error::{Error, ErrorKind, Fix, Operation, Phase};
pub use event::OrderEvent;
pub use list::{Date, InvalidDate, ListQuery, OrderStream};
pub use new_order::{Item, NewOrder, ProviderOptions, Recipient};
pub use order::{ConfirmRequest, Order, Price};
pub use ordergate_runtime::{ClientConfig, RetryPolicy};
pub use provider::{Capabilities, OrderProvider, UnknownProvider};
pub use select::Overrides;
pub use status::OrderStatus;
pub use tables::{ErrorRule, Match, README_BEGIN, README_END, readme_tables};
pub use tracking::{Tracking, TrackingEvent};
pub use webhook::WebhookAck;

use registry::providers;

// The one list of providers (see `registry.rs`).
providers! {
    /// Fuuffy, Hong Kong shipping.
    fuuffy: Fuuffy {
        feature: "fuuffy", env: "FUUFFY", title: "Fuuffy",
        adapter: FuuffyAdapter, builder: FuuffyBuilder, key: FuuffyConfigKey,
        sdk: ordergate_fuuffy,
    }
    /// Logitrail, Finnish e-commerce logistics.
    logitrail: Logitrail {
        feature: "logitrail", env: "LOGITRAIL", title: "Logitrail",
        adapter: LogitrailAdapter, builder: LogitrailBuilder, key: LogitrailConfigKey,
        sdk: ordergate_logitrail,
    }
    /// Tata 1mg, Indian pharmacy merchant API.
    onemg: Onemg {
        feature: "onemg", env: "ONEMG", title: "Tata 1mg",
        adapter: OnemgAdapter, builder: OnemgBuilder, key: OnemgConfigKey,
        sdk: ordergate_onemg,
    }
    /// FastPOD, print-on-demand.
    fastpod: Fastpod {
        feature: "fastpod", env: "FASTPOD", title: "FastPOD",
        adapter: FastpodAdapter, builder: FastpodBuilder, key: FastpodConfigKey,
        sdk: ordergate_fastpod,
    }
}
