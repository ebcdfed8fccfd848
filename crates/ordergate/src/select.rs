//! Choosing a provider at run time: settings that win over the environment, and the provider
//! named by `ORDERGATE_PROVIDER`. [`Provider`] itself is generated from the provider list
//! (`registry.rs`).

use std::time::Duration;

use ordergate_runtime::ClientConfig;

use crate::builder::{Builder, env_var};
use crate::provider::UnknownProvider;
use crate::{Error, ErrorKind, Operation, Provider, ProviderName};

/// Settings that win over the environment or the options (the CLI's `--base-url`,
/// `--timeout` and `--allow-insecure-http`), and the HTTP client's configuration.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Overrides {
    /// Use this base URL instead of `<PROVIDER>_BASE_URL` or production.
    pub base_url: Option<String>,
    /// The deadline of a whole call, retries and waits included.
    pub timeout: Option<Duration>,
    /// The HTTP client's configuration (retries, timeouts, user agent); `timeout` wins over
    /// its deadline.
    pub client_config: Option<ClientConfig>,
    /// Allow credentials over plain `http://` to a host that is not loopback (see
    /// [`ClientConfig::allow_insecure_http`]); wins over `client_config` when `true`.
    pub allow_insecure_http: bool,
}

impl Overrides {
    /// Overrides with a base URL and a timeout, either optional.
    pub fn new(base_url: Option<String>, timeout: Option<Duration>) -> Self {
        Self {
            base_url,
            timeout,
            client_config: None,
            allow_insecure_http: false,
        }
    }

    /// These overrides allowing (or not) credentials over plain `http://` to a host that is
    /// not loopback (the CLI's `--allow-insecure-http`).
    pub fn with_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// These overrides with the HTTP client configured by `config`.
    pub fn with_client_config(mut self, config: ClientConfig) -> Self {
        self.client_config = Some(config);
        self
    }

    pub(crate) fn apply<S>(&self, mut builder: Builder<S>) -> Builder<S> {
        if let Some(config) = &self.client_config {
            builder = builder.client_config(config.clone());
        }
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.clone());
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if self.allow_insecure_http {
            builder.client_config = builder.client_config.with_insecure_http(true);
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

impl Provider {
    /// The provider `name`, configured from its environment variables (see
    /// [`Provider::settings`]).
    ///
    /// # Errors
    /// `invalid_input` for a missing setting; `unsupported` when ordergate was built without
    /// that provider's feature.
    pub fn from_env(name: ProviderName) -> Result<Self, Error> {
        Self::from_env_with(name, &Overrides::default())
    }

    /// Like [`Provider::from_env`], with `overrides` winning over the environment:
    /// [`Provider::from_options_with`] over every setting whose environment variable is set.
    ///
    /// # Errors
    /// As [`Provider::from_env`].
    pub fn from_env_with(name: ProviderName, overrides: &Overrides) -> Result<Self, Error> {
        let from_env = Self::settings(name)
            .unwrap_or_default()
            .iter()
            .filter_map(|setting| Some((setting.env, env_var(setting.env)?)));
        Self::from_options_with(name, from_env, overrides)
    }

    /// The providers compiled into this build.
    pub fn compiled_in() -> Vec<ProviderName> {
        ProviderName::ALL
            .into_iter()
            .filter(|name| name.is_compiled_in())
            .collect()
    }
}

/// The error for a provider whose cargo feature is off.
#[allow(dead_code)] // unused only when every provider feature is on
pub(crate) fn not_compiled_in(name: ProviderName) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        name,
        Operation::Configure,
        format!("ordergate was built without the `{name}` feature"),
    )
}
