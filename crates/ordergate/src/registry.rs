//! The one list of providers: `providers!` turns it into everything that enumerates them
//! (the adapter modules and re-exports, [`ProviderName`](crate::ProviderName),
//! [`Provider`](crate::Provider) and its dispatch, the `sdk` re-exports, the tables the README
//! renders). Adding a provider adds one entry to the invocation in `lib.rs`, and nothing else
//! in this crate outside the provider's own adapter module.

/// Expands the provider list (see `lib.rs`). Each entry:
///
/// ```text
/// /// Doc of the `ProviderName` and `Provider` variants.
/// module: Variant {
///     feature: "module",          // the cargo feature (a literal, for `cfg`)
///     env: "MODULE",              // the prefix of its environment variables
///     title: "Title",             // its name for people
///     adapter: ModuleAdapter, builder: ModuleBuilder, key: ModuleConfigKey,
///     sdk: ordergate_module,      // the provider crate
/// }
/// ```
///
/// The adapter module must define `CAPABILITIES`, `STATUSES` and `ERROR_RULES`, the adapter
/// must implement [`OrderProvider`](crate::OrderProvider) and have the `adapter_settings!`
/// constructors.
macro_rules! providers {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident: $variant:ident {
            feature: $feature:literal, env: $env:literal, title: $title:literal,
            adapter: $adapter:ident, builder: $builder:ident, key: $key:ident,
            sdk: $sdk:ident $(,)?
        }
    )+) => {
        $(
            #[cfg(feature = $feature)]
            pub mod $module;
            #[cfg(feature = $feature)]
            pub use $module::{$adapter, $builder, $key};
        )+

        /// The provider SDKs, re-exported: the escape hatch to everything provider-specific.
        pub mod sdk {
            $(
                #[cfg(feature = $feature)]
                pub use $sdk as $module;
            )+
        }

        /// How many providers ordergate knows.
        const PROVIDER_COUNT: usize = [$($feature),+].len();

        /// The providers ordergate knows (whether or not their cargo feature is enabled).
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
            schemars::JsonSchema,
        )]
        #[serde(rename_all = "lowercase")]
        #[non_exhaustive]
        pub enum ProviderName {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl ProviderName {
            /// Every provider.
            pub const ALL: [Self; PROVIDER_COUNT] = [$(Self::$variant),+];

            /// The name used on the command line, in `ORDERGATE_PROVIDER` and as the cargo
            /// feature (`fuuffy`).
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $feature, )+ }
            }

            /// The prefix of this provider's environment variables (`FUUFFY` in
            /// `FUUFFY_TOKEN`).
            pub fn env_prefix(self) -> &'static str {
                match self { $( Self::$variant => $env, )+ }
            }

            /// The provider's name for people (`Tata 1mg`).
            pub fn title(self) -> &'static str {
                match self { $( Self::$variant => $title, )+ }
            }

            /// Whether this build has the provider (its cargo feature is on).
            pub fn is_compiled_in(self) -> bool {
                match self { $( Self::$variant => cfg!(feature = $feature), )+ }
            }
        }

        /// Any provider compiled in, chosen by configuration. It implements
        /// [`OrderProvider`] by delegating to the adapter it holds; match on it to reach an
        /// adapter's typed client.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Provider {
            $(
                $(#[doc = $doc])*
                #[cfg(feature = $feature)]
                $variant($adapter),
            )+
        }

        impl Provider {
            /// The provider `name`, built from `options`: pairs of a key (a setting's short
            /// name, `token`, or its environment variable, `FUUFFY_TOKEN`; see
            /// [`Provider::settings`]) and its value. A later value wins.
            ///
            /// # Errors
            /// `invalid_input` for an unknown key, a missing setting or a refused value;
            /// `unsupported` when ordergate was built without that provider's feature.
            pub fn from_options<K, V>(
                name: ProviderName,
                options: impl IntoIterator<Item = (K, V)>,
            ) -> Result<Self, Error>
            where
                K: AsRef<str>,
                V: Into<String>,
            {
                Self::from_options_with(name, options, &Overrides::default())
            }

            /// Like [`Provider::from_options`], with `overrides` winning over the options.
            ///
            /// # Errors
            /// As [`Provider::from_options`].
            pub fn from_options_with<K, V>(
                name: ProviderName,
                options: impl IntoIterator<Item = (K, V)>,
                overrides: &Overrides,
            ) -> Result<Self, Error>
            where
                K: AsRef<str>,
                V: Into<String>,
            {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => overrides
                            .apply($adapter::builder_from_options(options)?)
                            .build()
                            .map(Self::$variant),
                    )+
                    #[allow(unreachable_patterns)]
                    other => Err(crate::select::not_compiled_in(other)),
                }
            }

            /// The settings provider `name` reads, or `None` when it is not compiled in.
            pub fn settings(name: ProviderName) -> Option<&'static [Setting]> {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => Some($key::SETTINGS),
                    )+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// What provider `name` supports, or `None` when it is not compiled in.
            pub fn capabilities_of(name: ProviderName) -> Option<Capabilities> {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => Some($module::CAPABILITIES),
                    )+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The provider's status table and error rules, as the README shows them, or
            /// `None` when it is not compiled in.
            pub(crate) fn tables(name: ProviderName) -> Option<crate::tables::ProviderTables> {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => Some(crate::tables::ProviderTables::new(
                            name,
                            $module::STATUSES,
                            $module::ERROR_RULES,
                        )),
                    )+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        // `*self`: with no provider compiled in, `Provider` has no variants, and only a match
        // on the value (not on a reference to it) may then have no arms.
        impl OrderProvider for Provider {
            fn provider(&self) -> ProviderName {
                match *self { $( #[cfg(feature = $feature)] Self::$variant(ref a) => a.provider(), )+ }
            }

            fn capabilities(&self) -> Capabilities {
                match *self { $( #[cfg(feature = $feature)] Self::$variant(ref a) => a.capabilities(), )+ }
            }

            async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
                match *self {
                    $( #[cfg(feature = $feature)] Self::$variant(ref a) => a.confirm_order(request).await, )+
                }
            }

            async fn get_order(&self, order_id: &str) -> Result<Order, Error> {
                match *self {
                    $( #[cfg(feature = $feature)] Self::$variant(ref a) => a.get_order(order_id).await, )+
                }
            }
        }
    };
}
pub(crate) use providers;
