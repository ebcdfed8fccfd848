//! Choosing a provider at run time: an enum over the adapters, so no boxing is needed.

use std::time::Duration;

#[cfg(feature = "fastpod")]
use crate::FastpodAdapter;
#[cfg(feature = "fuuffy")]
use crate::FuuffyAdapter;
#[cfg(feature = "logitrail")]
use crate::LogitrailAdapter;
#[cfg(feature = "onemg")]
use crate::OnemgAdapter;
use crate::builder::{Builder, env_var};
use crate::provider::UnknownProvider;
use crate::{Capabilities, ConfirmRequest, Error, Order, OrderProvider, ProviderName};

/// Any provider compiled in, chosen by configuration. It implements [`OrderProvider`] by
/// delegating to the adapter it holds; match on it to reach an adapter's typed client.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Provider {
    /// Fuuffy.
    #[cfg(feature = "fuuffy")]
    Fuuffy(FuuffyAdapter),
    /// Logitrail.
    #[cfg(feature = "logitrail")]
    Logitrail(LogitrailAdapter),
    /// Tata 1mg.
    #[cfg(feature = "onemg")]
    Onemg(OnemgAdapter),
    /// FastPOD.
    #[cfg(feature = "fastpod")]
    Fastpod(FastpodAdapter),
}

/// Settings that win over the environment (the CLI's `--base-url` and `--timeout`).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Overrides {
    /// Use this base URL instead of `<PROVIDER>_BASE_URL` or production.
    pub base_url: Option<String>,
    /// The deadline of a whole call, retries and waits included.
    pub timeout: Option<Duration>,
}

impl Overrides {
    /// Overrides with a base URL and a timeout, either optional.
    pub fn new(base_url: Option<String>, timeout: Option<Duration>) -> Self {
        Self { base_url, timeout }
    }

    #[allow(dead_code)] // unused only when every provider feature is off
    fn apply<C>(&self, mut builder: Builder<C>) -> Builder<C> {
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.clone());
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        builder
    }
}

impl ProviderName {
    /// The provider named by `ORDERGATE_PROVIDER`.
    ///
    /// # Errors
    /// When the variable is unset or names no provider.
    pub fn from_env() -> Result<Self, UnknownProvider> {
        env_var("ORDERGATE_PROVIDER").unwrap_or_default().parse()
    }
}

/// `match` over the compiled-in adapters, binding each to `$adapter`.
macro_rules! each_adapter {
    ($provider:expr, $adapter:ident => $body:expr) => {
        // `*`: with no provider compiled in, `Provider` has no variants, and only a match
        // on the value (not on a reference to it) may then have no arms.
        match *$provider {
            #[cfg(feature = "fuuffy")]
            Provider::Fuuffy(ref $adapter) => $body,
            #[cfg(feature = "logitrail")]
            Provider::Logitrail(ref $adapter) => $body,
            #[cfg(feature = "onemg")]
            Provider::Onemg(ref $adapter) => $body,
            #[cfg(feature = "fastpod")]
            Provider::Fastpod(ref $adapter) => $body,
        }
    };
}

impl Provider {
    /// The provider `name`, configured from its environment variables.
    ///
    /// # Errors
    /// `invalid_input` for a missing setting; `unsupported` when ordergate was built without
    /// that provider's feature.
    pub fn from_env(name: ProviderName) -> Result<Self, Error> {
        Self::from_env_with(name, &Overrides::default())
    }

    /// Like [`Provider::from_env`], with `overrides` winning over the environment.
    ///
    /// # Errors
    /// As [`Provider::from_env`].
    #[allow(unused_variables)] // `overrides` is unused only when every feature is off
    pub fn from_env_with(name: ProviderName, overrides: &Overrides) -> Result<Self, Error> {
        match name {
            #[cfg(feature = "fuuffy")]
            ProviderName::Fuuffy => overrides
                .apply(FuuffyAdapter::builder_from_env())
                .build()
                .map(Self::Fuuffy),
            #[cfg(feature = "logitrail")]
            ProviderName::Logitrail => overrides
                .apply(LogitrailAdapter::builder_from_env())
                .build()
                .map(Self::Logitrail),
            #[cfg(feature = "onemg")]
            ProviderName::Onemg => overrides
                .apply(OnemgAdapter::builder_from_env())
                .build()
                .map(Self::Onemg),
            #[cfg(feature = "fastpod")]
            ProviderName::Fastpod => overrides
                .apply(FastpodAdapter::builder_from_env())
                .build()
                .map(Self::Fastpod),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                crate::ErrorKind::Unsupported,
                other,
                crate::Operation::Configure,
                format!("ordergate was built without the `{other}` feature"),
            )),
        }
    }

    /// What provider `name` supports, or `None` when it is not compiled in.
    pub fn capabilities_of(name: ProviderName) -> Option<Capabilities> {
        match name {
            #[cfg(feature = "fuuffy")]
            ProviderName::Fuuffy => Some(crate::fuuffy::CAPABILITIES),
            #[cfg(feature = "logitrail")]
            ProviderName::Logitrail => Some(crate::logitrail::CAPABILITIES),
            #[cfg(feature = "onemg")]
            ProviderName::Onemg => Some(crate::onemg::CAPABILITIES),
            #[cfg(feature = "fastpod")]
            ProviderName::Fastpod => Some(crate::fastpod::CAPABILITIES),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The providers compiled into this build.
    pub fn compiled_in() -> Vec<ProviderName> {
        let mut names = Vec::new();
        if cfg!(feature = "fuuffy") {
            names.push(ProviderName::Fuuffy);
        }
        if cfg!(feature = "logitrail") {
            names.push(ProviderName::Logitrail);
        }
        if cfg!(feature = "onemg") {
            names.push(ProviderName::Onemg);
        }
        if cfg!(feature = "fastpod") {
            names.push(ProviderName::Fastpod);
        }
        names
    }
}

impl OrderProvider for Provider {
    fn provider(&self) -> ProviderName {
        each_adapter!(self, adapter => adapter.provider())
    }

    fn capabilities(&self) -> Capabilities {
        each_adapter!(self, adapter => adapter.capabilities())
    }

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        each_adapter!(self, adapter => adapter.confirm_order(request).await)
    }

    async fn get_order(&self, order_id: &str) -> Result<Order, Error> {
        each_adapter!(self, adapter => adapter.get_order(order_id).await)
    }
}
