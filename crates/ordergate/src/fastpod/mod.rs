//! FastPOD adapter: request mapping, the status table and the error table
//! (<https://fastpodapi.apidog.io/>).
//!
//! Settings: [`FastpodConfigKey`]. The lifecycle, one FastPOD operation each:
//!
//! | operation | FastPOD |
//! |---|---|
//! | `create_order` | Create Order, `POST /v1/orders`, as a `draft` unless the options say otherwise ([`order_request`]) |
//! | `confirm_order` | Update Status `draft`/`on_hold` → `new_order`, `PUT /v1/orders/{id}/status`: starts production and charges |
//! | `get_order` | Get Order, `GET /v1/orders/{id}` |
//! | `cancel_order` | Cancel Order, `POST /v1/orders/{id}/cancel` |
//! | `list_orders` | List Orders, `GET /v1/orders`, page by page ([`listing`]) |
//! | `track_order` | Get Order, read for its `shipments` ([`shipments`]) |
//!
//! Create, confirm and cancel are never resent once they may have reached FastPOD.

use ordergate_fastpod::{Client, Credentials, PRODUCTION_BASE_URL, codes, types};

use crate::builder::{adapter_settings, config_error, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match, status_table};
use crate::{
    ConfirmRequest, Error, ErrorKind, ListQuery, NewOrder, Operation, Order, OrderStream, Price,
    ProviderName, Tracking,
};

pub mod listing;
pub mod order_request;
pub mod shipments;

pub use shipments::{SHIPMENT_STATUSES, shipment_status};

const PROVIDER: ProviderName = ProviderName::Fastpod;

impl FastpodBuilder {
    /// Builds the adapter; nothing is sent.
    ///
    /// # Errors
    /// `invalid_input` when the token is missing or the base URL is refused.
    pub fn build(self) -> Result<FastpodAdapter, Error> {
        let token = required(PROVIDER, FastpodConfigKey::Token.setting(), self.settings.token.clone())?;
        let client = Client::connect(
            self.base_url_or(PRODUCTION_BASE_URL),
            Credentials::api_token(token),
            &self.client_config,
        )
        .map_err(|e| config_error(PROVIDER, e))?;
        Ok(FastpodAdapter { client })
    }
}

/// Creates, confirms, gets, cancels, lists and tracks orders at FastPOD.
#[derive(Debug, Clone)]
pub struct FastpodAdapter {
    client: Client,
}

impl FastpodAdapter {
    /// An adapter over a client you built yourself.
    pub fn from_client(client: Client) -> Self {
        Self { client }
    }
}

adapter_settings!(
    PROVIDER, FastpodAdapter, FastpodBuilder, FastpodSettings, Client, "FastPOD";
    /// The settings of a [`FastpodAdapter`], for [`FastpodBuilder::with_config`] and
    /// [`FastpodAdapter::from_options`].
    pub enum FastpodConfigKey {
        /// The API token sent as `Authorization: Bearer`.
        Token { name: "token", env: "FASTPOD_TOKEN", secret: true, required: true, field: token },
        /// The base URL (default: FastPOD's production URL).
        BaseUrl { name: "base_url", env: "FASTPOD_BASE_URL", secret: false, required: false, common: base_url },
    }
);

status_table! {
    /// FastPOD's status table: each documented order status and its normalized status
    /// (<https://fastpodapi.apidog.io/api-4681586>).
    types::OrderStatus {
        "draft" => Draft,
        "on_hold" => OnHold,
        "new_order" => Confirmed,
        "in_production" => Processing,
        "shipped" => Shipped,
        "cancelled" => Cancelled,
        "rejected" => Rejected,
    }
}

/// FastPOD's error rules, read in order (its errors have messages, not codes). FastPOD
/// documents no refusal of a cancel; a client error whose message speaks of cancelling ("Only
/// orders in draft, new_order or on_hold can be cancelled.", "already cancelled") is the order
/// not being in a state that allows it.
pub const ERROR_RULES: &[ErrorRule] = &[
    ErrorRule::new(
        Match::ClientErrorMessageContaining(codes::TRANSITION_RULE),
        ErrorKind::Conflict,
    ),
    ErrorRule::new(
        Match::ClientErrorMessageContaining(codes::CANCEL_RULE),
        ErrorKind::Conflict,
    ),
    ErrorRule::new(
        Match::MessageContaining(codes::UNAUTHENTICATED),
        ErrorKind::Unauthorized,
    ),
];

struct FastpodErrors;

impl ErrorTable for FastpodErrors {
    const CONVENTIONS: &'static ordergate_runtime::Conventions = &ordergate_fastpod::CONVENTIONS;
    type Body = types::ErrorResponse;

    fn describe(body: &Self::Body) -> ProviderFailure {
        ProviderFailure {
            code: None,
            reason: None,
            message: body.message.clone(),
        }
    }

    /// `status: false` (every field of the inferred shape is optional, so nothing less
    /// counts: a body without the flag may be a success that did not decode).
    fn reports_failure(body: &Self::Body) -> bool {
        body.status == Some(false)
    }

    const RULES: &'static [ErrorRule] = ERROR_RULES;
}

/// The unified fields of a FastPOD order (the caller adds the response): its status, total,
/// creation time, and the tracking number and URL of its newest shipment that has one.
fn order_from(source: &types::Order) -> Order {
    let mut order = Order::new(
        PROVIDER,
        source.id.as_str(),
        normalize_status(&source.order_status),
    );
    order.provider_status = Some(source.order_status.as_str().to_owned());
    order.price = source.order_total.map(|total| Price {
        amount: total.to_string(),
        currency: None,
    });
    order.created_at.clone_from(&source.created_at);
    let shipments = shipments::shipments_of(source);
    if let Some(shipment) = shipments::latest_tracked(&shipments) {
        order.tracking_number.clone_from(&shipment.tracking_number);
        order.tracking_url.clone_from(&shipment.tracking_url);
    }
    order
}

/// `status: false` inside HTTP 200, with the body's message.
impl SuccessBody for types::OrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        let failure = ProviderFailure {
            message: self.message.clone(),
            ..ProviderFailure::default()
        };
        (!self.status).then_some((failure, "status: false"))
    }
}

/// A looked-up order has no failure flag.
impl SuccessBody for types::Order {}

adapter! {
    FastpodAdapter for PROVIDER;

    /// Creates the order with FastPOD's Create Order ([`order_request`] says how each field
    /// maps); refused with nothing sent when FastPOD's required fields are missing.
    async fn create_order(&self, order: &NewOrder) -> Result<Order, Error> {
        let call = Call::new(PROVIDER, Operation::CreateOrder);
        let body = order_request::order_request(order)?;
        let send = self.client.create_order().body(body).send();
        let response = call.receive::<FastpodErrors, _, _>(send).await?;
        Ok(order_from(&response.data).with_response(response))
    }

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::ConfirmOrder, &request.order_id);
        call.path_segment(&request.order_id)?;
        let send = self
            .client
            .update_order_status()
            .id(request.order_id.as_str())
            .body(types::UpdateOrderStatusRequest {
                order_status: types::OrderStatus::NewOrder,
            })
            .send();
        let response = call.receive::<FastpodErrors, _, _>(send).await?;
        Ok(order_from(&response.data).with_response(response))
    }

    async fn get_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::GetOrder, order_id);
        call.path_segment(order_id)?;
        let response = call
            .receive::<FastpodErrors, _, _>(self.client.get_order().id(order_id).send())
            .await?;
        Ok(order_from(&response).with_response(response))
    }

    /// Cancels with FastPOD's Cancel Order; an order FastPOD will not cancel (in production,
    /// shipped, already cancelled) is a `conflict` ([`ERROR_RULES`]).
    async fn cancel_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::CancelOrder, order_id);
        call.path_segment(order_id)?;
        let send = self.client.cancel_order().id(order_id).send();
        let response = call.receive::<FastpodErrors, _, _>(send).await?;
        Ok(order_from(&response.data).with_response(response))
    }

    /// The order's shipments, from Get Order ([`shipments`] says how they are read): no
    /// shipment yet is a tracking with no number and no events.
    async fn track_order(&self, order_id: &str) -> Result<Tracking, Error> {
        let call = Call::of_order(PROVIDER, Operation::TrackOrder, order_id);
        call.path_segment(order_id)?;
        let order = call
            .receive::<FastpodErrors, _, _>(self.client.get_order().id(order_id).send())
            .await?;
        Ok(shipments::tracking_of(&order).with_response(order))
    }

    sync {
        /// FastPOD's List Orders, page by page as the stream is polled, [`listing::PAGE_SIZE`]
        /// orders a page, or fewer when the limit needs fewer; the pages past the one that
        /// reaches the limit are never requested.
        ///
        /// Filters: `since` and `until` are sent as `start_date` and `end_date`
        /// (`YYYY-MM-DD`), and checked again on each order's `created_at`. A status is sent
        /// as FastPOD's `status` (every normalized status FastPOD has maps to exactly one of
        /// its statuses, [`STATUSES`]); `unknown` (an undocumented FastPOD status) is
        /// filtered locally over every page; a status no FastPOD status maps to
        /// (`delivered`, `completed`, `pending_confirmation`) gives an empty stream, nothing
        /// sent. Every order is checked against the filters again before it is yielded.
        fn list_orders(&self, query: &ListQuery) -> OrderStream<'_> {
            listing::orders(&self.client, query)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_transition_is_a_conflict() {
        let failure = |message: &str| ProviderFailure {
            message: Some(message.to_owned()),
            ..ProviderFailure::default()
        };
        let rule =
            failure("Only allowed to change the order status from draft or on_hold to new_order.");
        assert_eq!(
            FastpodErrors::classify(422, &rule),
            Some(ErrorKind::Conflict)
        );
        assert_eq!(FastpodErrors::classify(500, &rule), None);
        assert_eq!(
            FastpodErrors::classify(401, &failure("Unauthenticated.")),
            Some(ErrorKind::Unauthorized)
        );
    }
}
