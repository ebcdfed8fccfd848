//! The per-provider blocks of [`NewOrder::options`](crate::NewOrder::options): what only one
//! provider has. Each type is plain data (it exists whether or not the provider's feature is
//! on, so an order file reads the same in every build); the provider's adapter maps it.

mod fastpod;
mod fuuffy;
mod logitrail;
mod onemg;

pub use fastpod::{FastpodCreateStatus, FastpodOptions, FastpodOrderType, FastpodShippingMethod};
pub use fuuffy::{FuuffyContact, FuuffyOptions, FuuffyPackageType, FuuffyParcel, FuuffyShipType};
pub use logitrail::LogitrailOptions;
pub use onemg::{OnemgOptions, OnemgPaymentMethod};
