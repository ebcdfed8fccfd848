//! The unified request and result of the facade.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;

use crate::{OrderStatus, ProviderName};

/// What to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfirmRequest {
    /// The provider's order id.
    pub order_id: String,
    /// The merchant's own order id; required by Tata 1mg, ignored by the others.
    pub merchant_order_id: Option<String>,
}

impl ConfirmRequest {
    /// Confirm the order with the provider's id `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        Self {
            order_id: order_id.into(),
            merchant_order_id: None,
        }
    }

    /// Adds the merchant's own order id (Tata 1mg needs it).
    pub fn with_merchant_order_id(mut self, merchant_order_id: impl Into<String>) -> Self {
        self.merchant_order_id = Some(merchant_order_id.into());
        self
    }
}

/// A price as the provider states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Price {
    /// The amount as a decimal string, exactly as the provider sent it (`"28.50"`).
    pub amount: String,
    /// ISO 4217 currency, when the provider states it.
    pub currency: Option<String>,
}

/// An order as any provider reports it, after a confirm or a lookup.
///
/// Serializes (for `ordergate --json`) to the fields below; the typed provider response is
/// available through [`Order::provider_response`].
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Order {
    /// Which provider answered.
    pub provider: ProviderName,
    /// The order id as the provider reports it (it may differ from the id sent).
    pub order_id: String,
    /// The normalized status.
    pub status: OrderStatus,
    /// The provider's own status value, when it reported one.
    pub provider_status: Option<String>,
    /// The carrier tracking number, when given.
    pub tracking_number: Option<String>,
    /// A tracking URL, when given.
    pub tracking_url: Option<String>,
    /// The price, when given.
    pub price: Option<Price>,
    /// When the order was created, as the provider states it, when it does.
    pub created_at: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    response: ProviderResponse,
}

impl Order {
    /// A result with only the required fields set; adapters fill in the rest from a borrowed
    /// response, then move the response in with [`Order::with_response`] (so nothing but the
    /// fields is copied).
    pub(crate) fn new(
        provider: ProviderName,
        order_id: impl Into<String>,
        status: OrderStatus,
    ) -> Self {
        Self {
            provider,
            order_id: order_id.into(),
            status,
            provider_status: None,
            tracking_number: None,
            tracking_url: None,
            price: None,
            created_at: None,
            response: ProviderResponse::default(),
        }
    }

    /// Keeps the provider's typed response, for [`Order::provider_response`].
    pub(crate) fn with_response(mut self, response: impl Any + fmt::Debug + Send + Sync) -> Self {
        self.response = ProviderResponse::new(response);
        self
    }

    /// The provider's full typed response, e.g.
    /// `order.provider_response::<ordergate::fuuffy::types::GetOrderResponse>()`.
    /// `None` when `T` is not the type this provider operation returns.
    pub fn provider_response<T: Any>(&self) -> Option<&T> {
        self.response.get()
    }
}

/// A typed provider response of any type, printable (kept by [`Order`],
/// [`Tracking`](crate::Tracking)).
#[derive(Clone, Default)]
pub(crate) struct ProviderResponse(Option<Arc<dyn Payload>>);

impl ProviderResponse {
    pub(crate) fn new(response: impl Any + fmt::Debug + Send + Sync) -> Self {
        Self(Some(Arc::new(response)))
    }

    pub(crate) fn get<T: Any>(&self) -> Option<&T> {
        // Through `&dyn Payload`, not the `Arc` (which is itself `Any`).
        let payload: &dyn Payload = self.0.as_deref()?;
        payload.as_any().downcast_ref::<T>()
    }
}

trait Payload: Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> Payload for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl fmt::Debug for ProviderResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
