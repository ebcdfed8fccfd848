//! The interface every adapter implements, provider names and capabilities (the list of
//! providers itself is in `registry.rs`).

use std::fmt;
use std::future::Future;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Call;
use crate::{
    ConfirmRequest, Error, ErrorKind, ListQuery, NewOrder, Operation, Order, OrderEvent,
    OrderStream, Phase, ProviderName, Tracking,
};

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

/// What a provider supports through ordergate: a set of [`Operation`]s (never
/// [`Operation::Configure`]). Each adapter's set is derived from the [`OrderProvider`] methods
/// it implements; every other method answers `unsupported` with nothing sent.
///
/// Displayed and serialized as a list of operation names: `confirm_order, get_order` and
/// `["confirm_order", "get_order"]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(u16);

impl Capabilities {
    /// No operation.
    pub const NONE: Self = Self(0);

    /// This set with `operation` added ([`Operation::Configure`] is never added).
    #[must_use]
    pub const fn with(self, operation: Operation) -> Self {
        Self(self.0 | Self::bit(operation))
    }

    /// Whether `operation` is in the set.
    pub const fn contains(self, operation: Operation) -> bool {
        let bit = Self::bit(operation);
        bit != 0 && self.0 & bit == bit
    }

    /// The operations in the set, in the order of [`Operation::PROVIDED`].
    pub fn iter(self) -> impl Iterator<Item = Operation> {
        Operation::PROVIDED
            .into_iter()
            .filter(move |operation| self.contains(*operation))
    }

    /// How many operations the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The set of the operations whose method names are `methods` (`confirm_order`); a name
    /// that is no operation's fails the build when evaluated in a constant.
    pub(crate) const fn of_methods(methods: &[&str]) -> Self {
        let mut set = Self::NONE;
        let mut i = 0;
        while i < methods.len() {
            set = set.with(Operation::of_method(methods[i]));
            i += 1;
        }
        set
    }

    const fn bit(operation: Operation) -> u16 {
        match operation {
            Operation::Configure => 0,
            other => 1 << (other as u16),
        }
    }
}

impl Operation {
    /// The operation whose [`OrderProvider`] method is named `method`.
    ///
    /// # Panics
    /// When no operation has that name (at compile time, in a constant).
    const fn of_method(method: &str) -> Self {
        let mut i = 0;
        while i < Self::PROVIDED.len() {
            if same(Self::PROVIDED[i].as_str(), method) {
                return Self::PROVIDED[i];
            }
            i += 1;
        }
        panic!("not the name of an OrderProvider method")
    }
}

/// `a == b`, in a constant.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl FromIterator<Operation> for Capabilities {
    fn from_iter<I: IntoIterator<Item = Operation>>(operations: I) -> Self {
        operations.into_iter().fold(Self::NONE, Self::with)
    }
}

impl IntoIterator for Capabilities {
    type Item = Operation;
    type IntoIter = Box<dyn Iterator<Item = Operation>>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, operation) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(operation.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for Capabilities {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl JsonSchema for Capabilities {
    fn schema_name() -> String {
        "Capabilities".to_owned()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = generator.subschema_for::<Vec<Operation>>().into_object();
        schema.metadata().description =
            Some("The operations a provider supports, by method name.".to_owned());
        schema.array().unique_items = Some(true);
        schema.into()
    }
}

/// What an operation's input says about the order it concerns (for the `unsupported` error of
/// a method an adapter does not implement).
pub(crate) trait OperationInput {
    /// The order id, for the operations that have one.
    fn order_id(&self) -> Option<&str>;
}

impl OperationInput for str {
    fn order_id(&self) -> Option<&str> {
        Some(self)
    }
}

impl OperationInput for NewOrder {
    fn order_id(&self) -> Option<&str> {
        None
    }
}

impl OperationInput for ConfirmRequest {
    fn order_id(&self) -> Option<&str> {
        Some(&self.order_id)
    }
}

/// The error of an operation `provider` does not offer (it offers `capabilities`):
/// `unsupported`, nothing sent.
pub(crate) fn unsupported(
    provider: ProviderName,
    capabilities: Capabilities,
    operation: Operation,
    order_id: Option<&str>,
) -> Error {
    let mut call = Call::new(provider, operation);
    call.order_id = order_id;
    let offered = if capabilities.is_empty() {
        "nothing".to_owned()
    } else {
        capabilities.to_string()
    };
    let mut error = call.error(
        ErrorKind::Unsupported,
        format!(
            "{} does not offer {operation} through ordergate (it offers {offered}); nothing was sent",
            provider.title()
        ),
    );
    error.phase = Phase::NotSent;
    error
}

/// Generates [`OrderProvider`] from the operation list ([`with_operations!`]): a method per
/// operation, answering `unsupported` by default.
macro_rules! order_provider_trait {
    ($(
        $(#[doc = $doc:literal])*
        $method:ident($input:ident: $input_type:ty) -> $output:ty, $operation:ident;
    )+) => {
        /// Creates, confirms, looks up, cancels, lists and tracks orders at one provider, and reads
        /// its webhooks.
        ///
        /// Implemented by each adapter ([`FuuffyAdapter`](crate::FuuffyAdapter), ...) and by
        /// [`Provider`](crate::Provider), which selects one at run time. Every operation has a
        /// default that answers [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) with
        /// nothing sent ([`Phase::NotSent`](crate::Phase::NotSent)); an adapter overrides the
        /// ones its provider offers, and [`capabilities`](Self::capabilities) lists them, so
        /// check it first to avoid the error.
        pub trait OrderProvider {
            /// Which provider this is.
            fn provider(&self) -> ProviderName;

            /// What this provider supports: the operations this implementation overrides.
            fn capabilities(&self) -> Capabilities;

            $(
                $(#[doc = $doc])*
                ///
                /// Default: `unsupported`, nothing sent.
                fn $method(
                    &self,
                    $input: $input_type,
                ) -> impl Future<Output = Result<$output, Error>> + Send {
                    let error = unsupported(
                        self.provider(),
                        self.capabilities(),
                        Operation::$operation,
                        OperationInput::order_id($input),
                    );
                    std::future::ready(Err(error))
                }
            )+

            /// The orders `query` selects, fetched lazily page by page as the stream is
            /// polled (see [`ListQuery`] for how each filter is applied, and the adapter's
            /// docs for which filters its provider applies and which are applied locally).
            ///
            /// Default: a stream whose one item is the `unsupported` error, nothing sent.
            fn list_orders(&self, query: &ListQuery) -> OrderStream<'_> {
                let _ = query;
                let error = unsupported(
                    self.provider(),
                    self.capabilities(),
                    Operation::ListOrders,
                    None,
                );
                Box::pin(futures_util::stream::once(std::future::ready(Err(error))))
            }

            /// Verifies a webhook the provider delivered (its `headers` and the exact
            /// `raw_body` received), then reads its events, normalized. Nothing is parsed
            /// before the source is verified (a missing, malformed or wrong signature or
            /// credential is [`ErrorKind::Unauthorized`]); webhook credentials that are not
            /// configured are [`ErrorKind::InvalidInput`]; a verified body that is not an
            /// event is [`ErrorKind::Decode`]. Nothing is sent.
            ///
            /// Default: `unsupported`.
            fn parse_webhook(
                &self,
                headers: &http::HeaderMap,
                raw_body: &[u8],
            ) -> Result<Vec<OrderEvent>, Error> {
                let _ = (headers, raw_body);
                Err(unsupported(
                    self.provider(),
                    self.capabilities(),
                    Operation::ParseWebhook,
                    None,
                ))
            }
        }
    };
}

crate::registry::with_operations!(order_provider_trait);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_are_a_set_of_operations() {
        let set = Capabilities::NONE
            .with(Operation::GetOrder)
            .with(Operation::ConfirmOrder)
            .with(Operation::GetOrder);
        assert_eq!(set.len(), 2);
        assert!(set.contains(Operation::ConfirmOrder));
        assert!(!set.contains(Operation::CancelOrder));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Operation::ConfirmOrder, Operation::GetOrder]
        );
        assert_eq!(set.to_string(), "confirm_order, get_order");
        assert_eq!(
            serde_json::to_value(set).expect("serializes"),
            serde_json::json!(["confirm_order", "get_order"])
        );
        assert_eq!(format!("{set:?}"), "{ConfirmOrder, GetOrder}");
        let all: Capabilities = Operation::PROVIDED.into_iter().collect();
        assert_eq!(all.len(), Operation::PROVIDED.len());
        assert_eq!(all.into_iter().collect::<Vec<_>>(), Operation::PROVIDED);
        assert!(
            !all.with(Operation::Configure)
                .contains(Operation::Configure)
        );
        assert!(Capabilities::NONE.is_empty());
        assert_eq!(Capabilities::NONE.to_string(), "");
    }

    #[test]
    fn operations_are_found_by_method_name() {
        for operation in Operation::PROVIDED {
            assert_eq!(Operation::of_method(operation.as_str()), operation);
        }
        assert_eq!(
            Capabilities::of_methods(&["get_order", "track_order"]).to_string(),
            "get_order, track_order"
        );
    }

    #[test]
    fn a_method_not_written_is_unsupported_and_nothing_is_sent() {
        struct Nothing;
        impl OrderProvider for Nothing {
            fn provider(&self) -> ProviderName {
                ProviderName::Fastpod
            }
            fn capabilities(&self) -> Capabilities {
                Capabilities::NONE
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let errors = runtime.block_on(async {
            [
                Nothing
                    .confirm_order(&ConfirmRequest::new("c1"))
                    .await
                    .expect_err("unsupported"),
                Nothing.get_order("g1").await.expect_err("unsupported"),
                Nothing.cancel_order("x1").await.expect_err("unsupported"),
                Nothing.track_order("t1").await.expect_err("unsupported"),
            ]
        });
        let expected = [
            (Operation::ConfirmOrder, "c1"),
            (Operation::GetOrder, "g1"),
            (Operation::CancelOrder, "x1"),
            (Operation::TrackOrder, "t1"),
        ];
        for (error, (operation, order_id)) in errors.iter().zip(expected) {
            assert_eq!(error.kind, ErrorKind::Unsupported);
            assert_eq!(error.phase, Phase::NotSent);
            assert!(error.nothing_was_sent());
            assert_eq!(error.operation, operation);
            assert_eq!(error.order_id.as_deref(), Some(order_id));
            assert_eq!(error.provider, ProviderName::Fastpod);
            assert!(
                error.message.contains(operation.as_str()),
                "{}",
                error.message
            );
        }
    }
}
