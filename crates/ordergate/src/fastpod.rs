//! FastPOD adapter: request mapping, the status table and the error table.
//!
//! Settings from the environment: `FASTPOD_TOKEN`, `FASTPOD_BASE_URL` (default
//! `ordergate_fastpod::PRODUCTION_BASE_URL`). Confirming an order is
//! FastPOD's status update `draft`/`on_hold` → `new_order`, which starts production and charges.

use ordergate_fastpod::{Client, Credentials, PRODUCTION_BASE_URL, types};
use ordergate_runtime::SecretString;

use crate::builder::{Builder, adapter_constructors, config_error, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::{
    Capabilities, ConfirmRequest, Error, ErrorKind, Order, OrderProvider, OrderStatus, Price,
    ProviderName,
};

/// What this adapter supports: get_order supported.
pub const CAPABILITIES: Capabilities = Capabilities::new(true, false);

const PROVIDER: ProviderName = ProviderName::Fastpod;

/// The text FastPOD's Update Status documents for a refused transition.
const TRANSITION_RULE: &str = "only allowed to change the order status";

/// FastPOD credentials for [`FastpodBuilder`].
#[derive(Debug, Clone, Default)]
pub struct FastpodSettings {
    token: Option<SecretString>,
}

/// Builds a [`FastpodAdapter`].
pub type FastpodBuilder = Builder<FastpodSettings>;

impl FastpodBuilder {
    /// The API token.
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.credentials.token = Some(token.into());
        self
    }

    /// Builds the adapter; nothing is sent.
    ///
    /// # Errors
    /// `invalid_input` when the token is missing or the base URL is refused.
    pub fn build(self) -> Result<FastpodAdapter, Error> {
        let token = required(PROVIDER, "FASTPOD_TOKEN", self.credentials.token.clone())?;
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

adapter_constructors!(
    FastpodAdapter,
    FastpodBuilder,
    Client,
    "FastPOD",
    env: {
        "FASTPOD_TOKEN" => token,
    },
    base_url: "FASTPOD_BASE_URL"
);

/// FastPOD's status table (the Update Status page, <https://fastpodapi.apidog.io/api-4681586>,
/// and the List Orders page).
pub fn normalize_status(status: &types::OrderStatus) -> OrderStatus {
    use types::OrderStatus as Fastpod;
    match status {
        Fastpod::Draft => OrderStatus::Draft,
        Fastpod::OnHold => OrderStatus::OnHold,
        Fastpod::NewOrder => OrderStatus::Confirmed,
        Fastpod::InProduction => OrderStatus::Processing,
        Fastpod::Shipped => OrderStatus::Shipped,
        Fastpod::Cancelled => OrderStatus::Cancelled,
        Fastpod::Rejected => OrderStatus::Rejected,
        Fastpod::Unknown(_) => OrderStatus::Unknown,
        // Added to the spec but not yet here: never guessed (the tests check every row).
        _ => OrderStatus::Unknown,
    }
}

struct FastpodErrors;

impl ErrorTable for FastpodErrors {
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

    fn classify(status: u16, failure: &ProviderFailure) -> Option<ErrorKind> {
        let message = failure.message.as_deref()?.to_ascii_lowercase();
        if (400..500).contains(&status) && message.contains(TRANSITION_RULE) {
            Some(ErrorKind::Conflict)
        } else if message.contains("unauthenticated") {
            Some(ErrorKind::Unauthorized)
        } else {
            None
        }
    }
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

impl OrderProvider for FastpodAdapter {
    fn provider(&self) -> ProviderName {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let call = Call::confirm(PROVIDER, &request.order_id);
        call.path_segment(&request.order_id)?;
        let send = self
            .client
            .update_order_status()
            .id(request.order_id.as_str())
            .body(types::UpdateOrderStatusRequest {
                order_status: types::OrderStatus::NewOrder,
            })
            .send();
        let response = call.send::<FastpodErrors, _, _>(send).await?;
        if !response.status {
            let failure = ProviderFailure {
                message: response.message.clone(),
                ..ProviderFailure::default()
            };
            return Err(call.failure_in_success::<FastpodErrors>(
                200,
                failure,
                "FastPOD answered HTTP 200 with status: false",
            ));
        }
        Ok(order_from(&response.data).with_response(response))
    }

    async fn get_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::get(PROVIDER, order_id);
        call.path_segment(order_id)?;
        let response = call
            .send::<FastpodErrors, _, _>(self.client.get_order().id(order_id).send())
            .await?;
        Ok(order_from(&response).with_response(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_has_a_row() {
        for status in types::OrderStatus::KNOWN {
            assert_ne!(normalize_status(status), OrderStatus::Unknown, "{status}");
        }
    }

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
