//! [`Tracking`]: where an order's shipment is, with its events, as any provider reports it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::order::ProviderResponse;
use crate::{OrderStatus, ProviderName};

/// An order's tracking, as [`track_order`](crate::OrderProvider::track_order) returns it.
///
/// Serializes (for `ordergate --json track`) to the fields below; the typed provider response
/// is available through [`Tracking::provider_response`].
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Tracking {
    /// Which provider answered.
    pub provider: ProviderName,
    /// The provider's order id.
    pub order_id: String,
    /// The carrier tracking number, when given.
    pub tracking_number: Option<String>,
    /// The normalized status of the order now.
    pub status: OrderStatus,
    /// The provider's own status value, when it reported one.
    pub provider_status: Option<String>,
    /// What happened to the shipment, oldest first.
    pub events: Vec<TrackingEvent>,
    #[serde(skip)]
    #[schemars(skip)]
    response: ProviderResponse,
}

impl Tracking {
    /// A tracking result with no events yet; adapters fill in the rest.
    pub(crate) fn new(
        provider: ProviderName,
        order_id: impl Into<String>,
        status: OrderStatus,
    ) -> Self {
        Self {
            provider,
            order_id: order_id.into(),
            tracking_number: None,
            status,
            provider_status: None,
            events: Vec::new(),
            response: ProviderResponse::default(),
        }
    }

    /// Keeps the provider's typed response, for [`Tracking::provider_response`].
    pub(crate) fn with_response(
        mut self,
        response: impl std::any::Any + std::fmt::Debug + Send + Sync,
    ) -> Self {
        self.response = ProviderResponse::new(response);
        self
    }

    /// The provider's full typed response (e.g.
    /// `ordergate::sdk::fuuffy::types::TrackingResponse`); `None` when `T` is not its type.
    pub fn provider_response<T: std::any::Any>(&self) -> Option<&T> {
        self.response.get()
    }
}

/// One step of a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct TrackingEvent {
    /// When it happened, as the provider states it (ISO 8601 where the provider uses it).
    pub at: Option<String>,
    /// The normalized status after it.
    pub status: OrderStatus,
    /// The provider's own status or event code.
    pub provider_status: Option<String>,
    /// Where it happened, in words.
    pub location: Option<String>,
    /// What happened, in the provider's words.
    pub message: Option<String>,
}

impl TrackingEvent {
    /// An event with the normalized `status`; adapters fill in the rest.
    pub(crate) fn new(status: OrderStatus) -> Self {
        Self {
            at: None,
            status,
            provider_status: None,
            location: None,
            message: None,
        }
    }
}
