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
/// The adapter module must define `CAPABILITIES` and `CONFIRM_NEEDS_MERCHANT_ORDER_ID`
/// (`adapter!`), `STATUSES` and `documented_statuses` (`status_table!`) and `ERROR_RULES`, and
/// have the `adapter_settings!` constructors.
macro_rules! providers {
    // `$d` is a `$`, for the macro this one defines.
    (@with_dollar ($d:tt) $(
        $(#[doc = $doc:literal])*
        $module:ident: $variant:ident {
            feature: $feature:literal, env: $env:literal, title: $title:literal,
            adapter: $adapter:ident, builder: $builder:ident, key: $key:ident,
            sdk: $sdk:ident $(,)?
        }
    )+) => {
        /// `$body` with `$adapter` bound to the adapter `$provider` (a `Provider` value) holds.
        macro_rules! each_adapter {
            ($d provider:expr, $d adapter:ident => $d body:expr) => {
                match $d provider {
                    $( #[cfg(feature = $feature)] Provider::$variant(ref $d adapter) => $d body, )+
                }
            };
        }

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

            /// Whether provider `name`'s `confirm_order` needs
            /// [`ConfirmRequest::merchant_order_id`](crate::ConfirmRequest::merchant_order_id), or
            /// `None` when it is not compiled in.
            pub fn confirm_needs_merchant_order_id(name: ProviderName) -> Option<bool> {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => Some($module::CONFIRM_NEEDS_MERCHANT_ORDER_ID),
                    )+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The format of provider `name`'s order ids in words ("Fuuffy order ids are
            /// digits, such as 3550875"), or `None` when its spec documents none or it is not
            /// compiled in.
            pub fn order_id_format(name: ProviderName) -> Option<&'static str> {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => $module::ORDER_ID_FORMAT,
                    )+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// What provider `name` expects back from a webhook it delivered, or `None` when
            /// it is not compiled in.
            pub fn webhook_ack(name: ProviderName) -> Option<crate::WebhookAck> {
                match name {
                    $(
                        #[cfg(feature = $feature)]
                        ProviderName::$variant => Some($module::WEBHOOK_ACK),
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
                            $module::documented_statuses,
                            $module::ERROR_RULES,
                        )),
                    )+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        crate::registry::with_operations!(crate::registry::provider_dispatch);
    };
    ($($entries:tt)+) => {
        $crate::registry::providers!(@with_dollar ($) $($entries)+);
    };
}
pub(crate) use providers;

/// The one list of [`OrderProvider`](crate::OrderProvider) operations: calls `$callback!` with
/// it. The trait (`provider.rs`), [`Provider`](crate::Provider)'s dispatch (below) and each
/// adapter's [`Capabilities`](crate::Capabilities) (`adapter!`) are made from it, so adding an
/// operation is one entry here (and its [`Operation`](crate::Operation) variant). Each entry:
/// its doc, `method(input: Type) -> Output, OperationVariant;`.
///
/// The two operations that are not `async` ([`list_orders`](crate::OrderProvider::list_orders),
/// which returns a lazy stream, and [`parse_webhook`](crate::OrderProvider::parse_webhook),
/// which sends nothing) are written out in the trait and the dispatch instead.
macro_rules! with_operations {
    ($($callback:ident)::+) => {
        $($callback)::+! {
            /// Creates an order from the unified [`NewOrder`](crate::NewOrder) (never resent
            /// once it may have reached the provider). A provider option that is required and
            /// missing is [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput), with
            /// nothing sent.
            create_order(order: &NewOrder) -> Order, CreateOrder;
            /// Confirms an order (this may charge money). Never resent once it may have
            /// reached the provider, except after a `401` from a provider whose tokens the
            /// adapter renews (a `401` means the provider did not process it): a timeout after
            /// sending is [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown).
            confirm_order(request: &ConfirmRequest) -> Order, ConfirmOrder;
            /// Looks an order up by the provider's id.
            get_order(order_id: &str) -> Order, GetOrder;
            /// Cancels the order with the provider's id `order_id` (never resent once it may
            /// have reached the provider); the result has status
            /// [`OrderStatus::Cancelled`](crate::OrderStatus::Cancelled).
            cancel_order(order_id: &str) -> Order, CancelOrder;
            /// The order's tracking: its tracking number, status and events, oldest first.
            track_order(order_id: &str) -> Tracking, TrackOrder;
        }
    };
}
pub(crate) use with_operations;

/// [`OrderProvider`](crate::OrderProvider) for [`Provider`](crate::Provider): each operation
/// delegates to the adapter held. (With no provider compiled in, `Provider` has no variants,
/// and only a match on the value, `*self`, may then have no arms.)
macro_rules! provider_dispatch {
    ($(
        $(#[doc = $doc:literal])*
        $method:ident($input:ident: $input_type:ty) -> $output:ty, $operation:ident;
    )+) => {
        impl OrderProvider for Provider {
            fn provider(&self) -> ProviderName {
                each_adapter!(*self, adapter => adapter.provider())
            }

            fn capabilities(&self) -> Capabilities {
                each_adapter!(*self, adapter => adapter.capabilities())
            }

            $(
                async fn $method(&self, $input: $input_type) -> Result<$output, Error> {
                    each_adapter!(*self, adapter => adapter.$method($input).await)
                }
            )+

            fn list_orders(&self, query: &ListQuery) -> OrderStream<'_> {
                each_adapter!(*self, adapter => adapter.list_orders(query))
            }

            fn parse_webhook(
                &self,
                headers: &http::HeaderMap,
                raw_body: &[u8],
            ) -> Result<Vec<OrderEvent>, Error> {
                each_adapter!(*self, adapter => adapter.parse_webhook(headers, raw_body))
            }
        }
    };
}
pub(crate) use provider_dispatch;

/// An adapter's [`OrderProvider`](crate::OrderProvider) implementation and what it supports,
/// from one place: the methods written here are the adapter's operations, and the module's
/// `CAPABILITIES` is made from their names (every other operation keeps the trait's
/// `unsupported` default). Also defines `CONFIRM_NEEDS_MERCHANT_ORDER_ID` (default `false`)
/// and `ORDER_ID_FORMAT` (`order_id_format`, default `None`).
///
/// The methods that are not `async` (`list_orders`, `parse_webhook`) go in a `sync { }`
/// block after the others. `webhook_ack` is what the provider expects back from a webhook
/// (default [`WebhookAck::OK`](crate::WebhookAck::OK)).
///
/// ```text
/// adapter! {
///     FuuffyAdapter for PROVIDER;
///     async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> { ... }
///     sync {
///         fn list_orders(&self, query: &ListQuery) -> OrderStream<'_> { ... }
///     }
/// }
/// ```
macro_rules! adapter {
    (
        $adapter:ident for $provider:expr
            $(, confirm_needs_merchant_order_id: $needs:literal)?
            $(, order_id_format: $format:literal)?
            $(, webhook_ack: $ack:expr)?;
        $(
            $(#[$attribute:meta])*
            async fn $method:ident $parameters:tt -> $output:ty $body:block
        )*
        $(sync {$(
            $(#[$sync_attribute:meta])*
            fn $sync_method:ident $sync_parameters:tt -> $sync_output:ty $sync_body:block
        )*})?
    ) => {
        /// What this adapter supports: the operations it implements.
        pub const CAPABILITIES: $crate::Capabilities = $crate::Capabilities::of_methods(&[
            $(stringify!($method),)* $($(stringify!($sync_method),)*)?
        ]);

        /// What the provider expects back from a webhook it delivered.
        pub const WEBHOOK_ACK: $crate::WebhookAck = {
            #[allow(unused_mut, unused_assignments)]
            let mut ack = $crate::WebhookAck::OK;
            $(ack = $ack;)?
            ack
        };

        /// Whether `confirm_order` needs
        /// [`ConfirmRequest::merchant_order_id`](crate::ConfirmRequest::merchant_order_id).
        pub const CONFIRM_NEEDS_MERCHANT_ORDER_ID: bool = false $(|| $needs)?;

        /// The format of the provider's order ids in words, when its spec documents one (a
        /// `pattern`): what an `invalid_input` error for an id in another format says. The one
        /// place these words are written; a test checks them against the spec's pattern.
        pub const ORDER_ID_FORMAT: Option<&str> = {
            #[allow(unused_mut, unused_assignments)]
            let mut format = None;
            $(format = Some($format);)?
            format
        };

        impl $crate::OrderProvider for $adapter {
            fn provider(&self) -> $crate::ProviderName {
                $provider
            }

            fn capabilities(&self) -> $crate::Capabilities {
                CAPABILITIES
            }

            $(
                $(#[$attribute])*
                async fn $method $parameters -> $output $body
            )*

            $($(
                $(#[$sync_attribute])*
                fn $sync_method $sync_parameters -> $sync_output $sync_body
            )*)?
        }
    };
}
pub(crate) use adapter;

#[cfg(all(
    test,
    feature = "fuuffy",
    feature = "logitrail",
    feature = "onemg",
    feature = "fastpod"
))]
mod tests {
    use crate::{Operation, Provider, ProviderName};

    /// Each adapter's capabilities are the methods its `adapter!` block implements.
    #[test]
    fn capabilities_are_the_methods_each_adapter_implements() {
        let names = |name| {
            Provider::capabilities_of(name)
                .expect("compiled in")
                .to_string()
        };
        assert_eq!(
            names(ProviderName::Fuuffy),
            "create_order, confirm_order, get_order, list_orders, track_order, parse_webhook"
        );
        assert_eq!(
            names(ProviderName::Logitrail),
            "create_order, confirm_order, cancel_order, parse_webhook"
        );
        assert_eq!(
            names(ProviderName::Onemg),
            "create_order, confirm_order, cancel_order, parse_webhook"
        );
        assert_eq!(
            names(ProviderName::Fastpod),
            "create_order, confirm_order, get_order, cancel_order, list_orders, track_order"
        );
        for name in ProviderName::ALL {
            let capabilities = Provider::capabilities_of(name).expect("compiled in");
            assert!(!capabilities.contains(Operation::Configure));
            assert_eq!(
                Provider::confirm_needs_merchant_order_id(name),
                Some(name == ProviderName::Onemg)
            );
        }
    }
}
