//! The interface every adapter implements, provider names and capabilities (the list of
//! providers itself is in `registry.rs`).

use std::fmt;
use std::future::Future;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::Serialize;

use crate::{ConfirmRequest, Error, Order, ProviderName};

impl fmt::Display for ProviderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for ProviderName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// A provider name that is not one of [`ProviderName::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = ProviderName::ALL.iter().map(|p| p.as_str()).collect();
        write!(
            f,
            "unknown provider {:?}; expected one of {}",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for ProviderName {
    type Err = UnknownProvider;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownProvider(name.to_owned()))
    }
}

/// What a provider supports through ordergate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Capabilities {
    /// `confirm_order` is available.
    pub confirm_order: bool,
    /// `get_order` is available (not every provider documents a lookup endpoint).
    pub get_order: bool,
    /// `confirm_order` needs [`ConfirmRequest::merchant_order_id`].
    pub requires_merchant_order_id: bool,
}

impl Capabilities {
    pub(crate) const fn new(get_order: bool, requires_merchant_order_id: bool) -> Self {
        Self {
            confirm_order: true,
            get_order,
            requires_merchant_order_id,
        }
    }
}

/// Confirm and look up orders at one provider.
///
/// Implemented by each adapter ([`FuuffyAdapter`](crate::FuuffyAdapter), ...) and by
/// [`Provider`](crate::Provider), which selects one at run time. An operation the provider
/// lacks returns an [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) error; check
/// [`capabilities`](Self::capabilities) first to avoid it.
pub trait OrderProvider {
    /// Which provider this is.
    fn provider(&self) -> ProviderName;

    /// What this provider supports.
    fn capabilities(&self) -> Capabilities;

    /// Confirms an order (this may charge money). Never retried once it may have reached the
    /// provider: a timeout after sending is [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown).
    fn confirm_order(
        &self,
        request: &ConfirmRequest,
    ) -> impl Future<Output = Result<Order, Error>> + Send;

    /// Looks an order up by the provider's id.
    fn get_order(&self, order_id: &str) -> impl Future<Output = Result<Order, Error>> + Send;
}
