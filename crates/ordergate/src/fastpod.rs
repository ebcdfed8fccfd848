//! FastPOD adapter: request mapping, the status table and the error table.
//!
//! Settings: [`FastpodConfigKey`]. Confirming an order is
//! FastPOD's status update `draft`/`on_hold` → `new_order`, which starts production and charges.

use ordergate_fastpod::{Client, Credentials, PRODUCTION_BASE_URL, codes, types};

use crate::builder::{adapter_settings, config_error, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match, status_table};
use crate::{ConfirmRequest, Error, ErrorKind, Operation, Order, Price, ProviderName};

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

/// Confirms and gets orders at FastPOD.
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

/// FastPOD's error rules, read in order (its errors have messages, not codes).
pub const ERROR_RULES: &[ErrorRule] = &[
    ErrorRule::new(
        Match::ClientErrorMessageContaining(codes::TRANSITION_RULE),
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

/// The unified fields of a FastPOD order (the caller adds the response).
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
