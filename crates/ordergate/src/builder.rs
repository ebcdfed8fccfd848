//! Building adapters: explicit settings or the environment, one shape for every provider.

use std::time::Duration;

use ordergate_runtime::{ClientConfig, ConfigError};

use crate::{Error, ErrorKind, Operation, ProviderName};

/// Builds a provider adapter. `C` holds the provider's credentials; the base URL and the
/// transport settings are common to all providers. Get one from an adapter's `builder()` or
/// `builder_from_env()`, e.g. [`FuuffyAdapter::builder`](crate::FuuffyAdapter::builder).
#[derive(Debug, Clone, Default)]
pub struct Builder<C> {
    pub(crate) base_url: Option<String>,
    pub(crate) client_config: ClientConfig,
    pub(crate) credentials: C,
}

impl<C: Default> Builder<C> {
    /// A builder with the base URL from environment variable `base_url_var` (if set); the
    /// adapter's `builder_from_env` reads its credentials.
    pub(crate) fn from_env(base_url_var: &str) -> Self {
        Self {
            base_url: env_var(base_url_var),
            ..Self::default()
        }
    }
}

impl<C> Builder<C> {
    /// Sends requests to `url` instead of the provider's production base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses `config` (timeouts, user agent, plain-HTTP policy) for the HTTP client.
    pub fn client_config(mut self, config: ClientConfig) -> Self {
        self.client_config = config;
        self
    }

    /// Sets the deadline of a whole call, retries and waits included (default 30 s; see
    /// [`ClientConfig::timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.client_config = self.client_config.with_timeout(timeout);
        self
    }

    /// The base URL to use: the one set, or `production`.
    pub(crate) fn base_url_or<'a>(&'a self, production: &'a str) -> &'a str {
        self.base_url.as_deref().unwrap_or(production)
    }
}

/// A non-empty environment variable.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// `value`, or an `invalid_input` error naming the setting (never its value).
pub(crate) fn required<T>(
    provider: ProviderName,
    setting: &str,
    value: Option<T>,
) -> Result<T, Error> {
    value.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidInput,
            provider,
            Operation::Configure,
            format!("{setting} is not set"),
        )
    })
}

/// A client that could not be built: nothing was sent.
pub(crate) fn config_error(provider: ProviderName, error: ConfigError) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        provider,
        Operation::Configure,
        error.to_string(),
    )
}

/// The constructors every adapter has: `builder()`, `builder_from_env()` (the base URL and
/// the listed credential variables, each passed to its builder setter), `from_env()` and
/// `client()`. The adapter struct, its `from_client` and its builder's setters and `build`
/// stay in the adapter's module (they differ per provider).
macro_rules! adapter_constructors {
    (
        $adapter:ident, $builder:ident, $client:ty, $name:literal,
        env: { $($var:literal => $setter:ident),+ $(,)? }, base_url: $base_var:literal
    ) => {
        impl $adapter {
            /// A builder with nothing set.
            pub fn builder() -> $builder {
                $builder::default()
            }

            #[doc = concat!(
                "A builder with ", $("`", $var, "`, ",)+ "and `", $base_var,
                "` read from the environment."
            )]
            pub fn builder_from_env() -> $builder {
                let builder = $builder::from_env($base_var);
                $(
                    let builder = match $crate::builder::env_var($var) {
                        Some(value) => builder.$setter(value),
                        None => builder,
                    };
                )+
                builder
            }

            /// The adapter configured from the environment.
            ///
            /// # Errors
            /// `invalid_input` when a setting is not set or the base URL is refused.
            pub fn from_env() -> Result<Self, $crate::Error> {
                Self::builder_from_env().build()
            }

            #[doc = concat!("The typed ", $name, " client, for everything the facade does not cover.")]
            pub fn client(&self) -> &$client {
                &self.client
            }
        }
    };
}
pub(crate) use adapter_constructors;
