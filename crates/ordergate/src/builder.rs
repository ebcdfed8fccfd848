//! Building adapters: explicit settings, key/value options or the environment, one shape for
//! every provider (object_store's `with_config(key, value)` / `from_env()` style).

use std::time::Duration;

use ordergate_runtime::{ClientConfig, ConfigError};

use crate::{Error, ErrorKind, Fix, Operation, ProviderName};

/// Builds a provider adapter. `S` holds the provider's own settings (credentials, merchant
/// id); the base URL and the transport settings are common to all providers. Get one from an
/// adapter's `builder()` or `builder_from_env()`, e.g.
/// [`FuuffyAdapter::builder`](crate::FuuffyAdapter::builder).
#[derive(Debug, Clone, Default)]
pub struct Builder<S> {
    pub(crate) base_url: Option<String>,
    pub(crate) client_config: ClientConfig,
    pub(crate) settings: S,
}

impl<S> Builder<S> {
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
    #[allow(dead_code)] // used by the adapters with one production URL (not Logitrail's)
    pub(crate) fn base_url_or<'a>(&'a self, production: &'a str) -> &'a str {
        self.base_url.as_deref().unwrap_or(production)
    }
}

/// One setting an adapter reads: what [`Provider::from_options`](crate::Provider::from_options)
/// and the adapters' `with_config` accept, and the environment variable `from_env` reads. Each
/// adapter lists its settings in its `ConfigKey` enum
/// ([`FuuffyConfigKey`](crate::FuuffyConfigKey), ...); [`Provider::settings`](crate::Provider::settings)
/// gives them for any provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// The key's short name, as `from_options` accepts it (`token`, `base_url`).
    pub name: &'static str,
    /// The environment variable (`FUUFFY_TOKEN`); `from_options` accepts it as a key too.
    pub env: &'static str,
    /// What the setting is, for help texts and the README.
    pub description: &'static str,
    /// Whether the value is a secret (never printed, redacted in `Debug`).
    pub secret: bool,
    /// Whether building the adapter fails without it (unless every setting of
    /// [`instead`](Self::instead) is set, or one of [`instead_any`](Self::instead_any)).
    pub required: bool,
    /// The short names of the settings that, all set, stand in for this required one (Fuuffy's
    /// `client_id` and `client_secret` for its `token`); empty for most.
    pub instead: &'static [&'static str],
    /// The short names of the settings any one of which stands in for this required one
    /// (Tata 1mg's `private_key` or `private_key_file` for its `token`); empty for most.
    pub instead_any: &'static [&'static str],
}

impl Setting {
    /// Whether the setting is required, in words: `yes`, `no`, `yes, unless client_id and
    /// client_secret are set`, or `yes, unless private_key or private_key_file is set`.
    pub fn requirement(&self) -> String {
        if !self.required {
            return "no".to_owned();
        }
        let quoted = |names: &[&str], joint: &str| {
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(joint)
        };
        let mut unless = Vec::new();
        if !self.instead.is_empty() {
            unless.push(format!("{} are set", quoted(self.instead, " and ")));
        }
        if !self.instead_any.is_empty() {
            unless.push(format!("{} is set", quoted(self.instead_any, " or ")));
        }
        if unless.is_empty() {
            "yes".to_owned()
        } else {
            format!("yes, unless {}", unless.join(", or "))
        }
    }

    /// The environment variables of [`instead`](Self::instead), looked up in `settings` (the
    /// provider's settings; a name not found there is given as it is).
    pub fn instead_envs<'a>(&'a self, settings: &'a [Setting]) -> Vec<&'a str> {
        envs(self.instead, settings)
    }

    /// The environment variables of [`instead_any`](Self::instead_any), looked up in
    /// `settings` as [`instead_envs`](Self::instead_envs) does.
    pub fn instead_any_envs<'a>(&'a self, settings: &'a [Setting]) -> Vec<&'a str> {
        envs(self.instead_any, settings)
    }

    /// Whether `key` names this setting: its short name or its environment variable, in any
    /// case.
    pub fn is_named(&self, key: &str) -> bool {
        let key = key.trim();
        key.eq_ignore_ascii_case(self.name) || key.eq_ignore_ascii_case(self.env)
    }
}

/// The environment variables of the settings `names`, looked up in `settings` (a name not
/// found there is given as it is).
fn envs<'a>(names: &'a [&'a str], settings: &'a [Setting]) -> Vec<&'a str> {
    names
        .iter()
        .map(|name| {
            settings
                .iter()
                .find(|other| other.name == *name)
                .map_or(*name, |other| other.env)
        })
        .collect()
}

/// A configuration key no setting of the provider has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown configuration key {key:?} for {provider}; expected one of {expected}")]
pub struct UnknownConfigKey {
    /// The provider whose settings were searched.
    pub provider: ProviderName,
    /// The key as given.
    pub key: String,
    /// The keys the provider has, short names and environment variables.
    pub expected: String,
}

impl UnknownConfigKey {
    pub(crate) fn new(provider: ProviderName, key: &str, settings: &[Setting]) -> Self {
        let expected = settings
            .iter()
            .map(|s| format!("{} ({})", s.name, s.env))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            provider,
            key: key.chars().take(256).collect(),
            expected,
        }
    }
}

/// A non-empty environment variable.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// `value`, or an `invalid_input` error naming the setting (never its value).
#[allow(dead_code)] // used by the adapters whose credentials have no alternative
pub(crate) fn required<T>(
    provider: ProviderName,
    setting: &'static Setting,
    value: Option<T>,
) -> Result<T, Error> {
    value.ok_or_else(|| missing(provider, setting, &[]))
}

/// The `invalid_input` error for required `setting` not set: names its variable and
/// description, and the variables of the settings that could stand in for it (its
/// [`instead`](Setting::instead) and [`instead_any`](Setting::instead_any), looked up in
/// `settings`). Never a value.
pub(crate) fn missing(
    provider: ProviderName,
    setting: &'static Setting,
    settings: &[Setting],
) -> Error {
    let mut alternative = String::new();
    let instead = setting.instead_envs(settings);
    if !instead.is_empty() {
        alternative.push_str(&format!(", nor {}", instead.join(" and ")));
    }
    let instead_any = setting.instead_any_envs(settings);
    if !instead_any.is_empty() {
        alternative.push_str(&format!(", nor {}", instead_any.join(" or ")));
    }
    Error::about(
        ErrorKind::InvalidInput,
        provider,
        Operation::Configure,
        format!(
            "{} is not set{alternative} ({})",
            setting.env,
            setting.description.trim()
        ),
        Fix::Setting(setting),
    )
}

/// The `invalid_input` error for one of two settings that go together (`set`) given without
/// the other (`unset`), which the error is about; `or` is the alternative to both, if any
/// (Fuuffy's token for its client credentials). Never a value.
pub(crate) fn half_of_pair(
    provider: ProviderName,
    set: &Setting,
    unset: &'static Setting,
    or: Option<&Setting>,
) -> Error {
    let alternative = or.map_or_else(String::new, |or| {
        format!(" (or {} instead of both)", or.env)
    });
    Error::about(
        ErrorKind::InvalidInput,
        provider,
        Operation::Configure,
        format!(
            "{} is set but {} is not: set both{alternative}",
            set.env, unset.env
        ),
        Fix::Setting(unset),
    )
}

/// A client that could not be built: nothing was sent. The [`ConfigError`] is the source; a
/// plain-HTTP refusal is about [`Fix::AllowInsecureHttp`].
pub(crate) fn config_error(provider: ProviderName, error: ConfigError) -> Error {
    let refused = match &error {
        ConfigError::InsecureTransport { host } => Error::about(
            ErrorKind::InvalidInput,
            provider,
            Operation::Configure,
            format!("refusing to send credentials over plain http:// to {host}"),
            Fix::AllowInsecureHttp,
        ),
        other => Error::new(
            ErrorKind::InvalidInput,
            provider,
            Operation::Configure,
            other.to_string(),
        ),
    };
    refused.with_source(error)
}

/// A setting's value that cannot be used (an empty webhook secret, a key that cannot sign):
/// `invalid_input` naming the setting's variables `envs`, never the value, with `error` (which
/// never quotes it either) as the source. Nothing was sent.
pub(crate) fn refused_setting(
    provider: ProviderName,
    envs: &str,
    error: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        provider,
        Operation::Configure,
        format!("{envs} is refused: {error}"),
    )
    .with_source(error)
}

/// A key no setting of the provider has: nothing was sent.
pub(crate) fn unknown_key(error: UnknownConfigKey) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        error.provider,
        Operation::Configure,
        error.to_string(),
    )
    .with_source(error)
}

/// An adapter's settings and the constructors every adapter has, from one table: the
/// `ConfigKey` enum (each key's name, environment variable, description, whether it is a
/// secret and whether it is required), the settings struct (one optional field per key that
/// has a `field`: a [`SecretString`](ordergate_runtime::SecretString) when the key is secret, a
/// `String` otherwise), the builder type and its setters (one per `field`, documented by the
/// key's doc; a `common` key calls the [`Builder`] setter every provider has), the builder's
/// `with_config`, and the adapter's `builder()`, `builder_from_options()`, `from_options()`,
/// `builder_from_env()`, `from_env()` and `client()`. The adapter struct, its `from_client`
/// and its builder's `build` stay in the adapter's module (they differ per provider).
macro_rules! adapter_settings {
    (
        $provider:expr, $adapter:ident, $builder:ident, $settings:ident, $client:ty, $title:literal;
        $(#[doc = $key_doc:literal])*
        pub enum $key:ident {
            $(
                $(#[doc = $doc:literal])*
                $variant:ident {
                    name: $name:literal, env: $env:literal, secret: $secret:tt,
                    required: $required:literal, $(instead: [$($instead:literal),+],)?
                    $(instead_any: [$($instead_any:literal),+],)?
                    $(field: $field:ident)? $(common: $common:ident)? $(,)?
                }
            ),+ $(,)?
        }
    ) => {
        #[doc = concat!("The settings of a [`", stringify!($builder), "`] that are ", $title, "'s own (see [`", stringify!($key), "`]).")]
        #[derive(Debug, Clone, Default)]
        pub struct $settings {
            $($( $field: Option<$crate::builder::setting_value!($secret)>, )?)+
        }

        #[doc = concat!("Builds a [`", stringify!($adapter), "`].")]
        pub type $builder = $crate::Builder<$settings>;

        $(
            $crate::builder::adapter_settings!(
                @setter $builder, $secret, [$(#[doc = $doc])*] $(field $field)? $(common $common)?
            );
        )+

        $(#[doc = $key_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $key {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl $key {
            /// Every key, in the order the README lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Every key's [`Setting`](crate::Setting), in the order of [`Self::ALL`].
            pub const SETTINGS: &'static [$crate::Setting] = &[$(
                $crate::Setting {
                    name: $name,
                    env: $env,
                    description: concat!($($doc),*),
                    secret: $secret,
                    required: $required,
                    instead: &[$($($instead),+)?],
                    instead_any: &[$($($instead_any),+)?],
                }
            ),+];

            /// This key's name, environment variable, description and flags.
            pub fn setting(self) -> &'static $crate::Setting {
                // The variants have the default discriminants 0, 1, ... in the order of
                // `SETTINGS`.
                &Self::SETTINGS[self as usize]
            }

            /// The environment variable `from_env` reads for this key.
            pub fn env_name(self) -> &'static str {
                self.setting().env
            }

            /// What the setting is.
            pub fn description(self) -> &'static str {
                self.setting().description
            }

            /// Whether the value is a secret.
            pub fn is_secret(self) -> bool {
                self.setting().secret
            }
        }

        impl ::std::fmt::Display for $key {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.setting().name)
            }
        }

        impl ::std::str::FromStr for $key {
            type Err = $crate::UnknownConfigKey;

            /// The key named `key`: its short name (`token`) or its environment variable
            /// (`FUUFFY_TOKEN`), in any case.
            fn from_str(key: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .zip(Self::SETTINGS)
                    .find(|(_, setting)| setting.is_named(key))
                    .map(|(key, _)| *key)
                    .ok_or_else(|| $crate::UnknownConfigKey::new($provider, key, Self::SETTINGS))
            }
        }

        impl $builder {
            /// Sets the setting `key` to `value` (what `from_options` and `from_env` call).
            pub fn with_config(self, key: $key, value: impl Into<String>) -> Self {
                match key {
                    $( $key::$variant => $(self.$field(value.into()))? $(self.$common(value.into()))?, )+
                }
            }
        }

        impl $adapter {
            /// A builder with nothing set.
            pub fn builder() -> $builder {
                $builder::default()
            }

            /// A builder with `options` set, each a key (short name or environment variable,
            #[doc = concat!("see [`", stringify!($key), "`]) and its value; a later value wins.")]
            ///
            /// # Errors
            /// `invalid_input` for a key this provider does not have.
            pub fn builder_from_options<K, V>(
                options: impl IntoIterator<Item = (K, V)>,
            ) -> Result<$builder, $crate::Error>
            where
                K: AsRef<str>,
                V: Into<String>,
            {
                options.into_iter().try_fold(Self::builder(), |builder, (key, value)| {
                    let key: $key = key.as_ref().parse().map_err($crate::builder::unknown_key)?;
                    Ok(builder.with_config(key, value))
                })
            }

            /// The adapter built from `options` ([`Self::builder_from_options`]).
            ///
            /// # Errors
            /// `invalid_input` for an unknown key, a missing setting or a refused value.
            pub fn from_options<K, V>(
                options: impl IntoIterator<Item = (K, V)>,
            ) -> Result<Self, $crate::Error>
            where
                K: AsRef<str>,
                V: Into<String>,
            {
                Self::builder_from_options(options)?.build()
            }

            #[doc = concat!("A builder with every [`", stringify!($key), "`] whose environment variable is set.")]
            pub fn builder_from_env() -> $builder {
                $key::ALL.iter().fold(Self::builder(), |builder, key| {
                    match $crate::builder::env_var(key.env_name()) {
                        Some(value) => builder.with_config(*key, value),
                        None => builder,
                    }
                })
            }

            /// The adapter configured from the environment.
            ///
            /// # Errors
            /// `invalid_input` when a setting is not set or the base URL is refused.
            pub fn from_env() -> Result<Self, $crate::Error> {
                Self::builder_from_env().build()
            }

            #[doc = concat!("The typed ", $title, " client, for everything the facade does not cover.")]
            pub fn client(&self) -> &$client {
                &self.client
            }
        }
    };
    (@setter $builder:ident, $secret:tt, [$($doc:tt)*] field $field:ident) => {
        impl $builder {
            $($doc)*
            pub fn $field(mut self, value: impl Into<$crate::builder::setting_value!($secret)>) -> Self {
                self.settings.$field = Some(value.into());
                self
            }
        }
    };
    (@setter $builder:ident, $secret:tt, [$($doc:tt)*] common $common:ident) => {};
}
pub(crate) use adapter_settings;

/// The type of a setting's value: a [`SecretString`](ordergate_runtime::SecretString) for a
/// secret, a `String` otherwise.
macro_rules! setting_value {
    (true) => {
        ::ordergate_runtime::SecretString
    };
    (false) => {
        ::std::string::String
    };
}
pub(crate) use setting_value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_named_by_short_name_or_variable_in_any_case() {
        let setting = Setting {
            name: "token",
            env: "X_TOKEN",
            description: "a token",
            secret: true,
            required: true,
            instead: &[],
            instead_any: &[],
        };
        for key in ["token", "TOKEN", " x_token ", "X_TOKEN"] {
            assert!(setting.is_named(key), "{key}");
        }
        for key in ["tok", "X_TOKEN_", "base_url", ""] {
            assert!(!setting.is_named(key), "{key}");
        }
    }
}
