//! Logitrail adapter: request mapping, the status table and the error-code table.
//!
//! Settings: [`LogitrailConfigKey`].
//! Logitrail documents no order lookup, so `get_order` is `unsupported`; order statuses arrive
//! in its webhooks, which [`normalize_status`] maps.

use ordergate_logitrail::{Client, Credentials, codes, types};

use crate::builder::{adapter_settings, config_error, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match, status_table};
use crate::{ConfirmRequest, Error, ErrorKind, Operation, Order, OrderStatus, ProviderName};

const PROVIDER: ProviderName = ProviderName::Logitrail;

impl LogitrailBuilder {
    /// Builds the adapter; nothing is sent.
    ///
    /// # Errors
    /// `invalid_input` when a credential is missing or the base URL is refused.
    pub fn build(self) -> Result<LogitrailAdapter, Error> {
        let settings = self.settings.clone();
        let merchant_id = required(PROVIDER, LogitrailConfigKey::MerchantId.setting(), settings.merchant_id)?;
        let secret = required(PROVIDER, LogitrailConfigKey::Secret.setting(), settings.secret)?;
        let credentials = Credentials::new(merchant_id, secret);
        // Production fails over from api-1 to api-2 (see `Client::production`); a base URL
        // that was set is used alone.
        let client = match self.base_url.as_deref() {
            Some(base_url) => Client::connect(base_url, credentials, &self.client_config),
            None => Client::production(credentials, &self.client_config),
        }
        .map_err(|e| config_error(PROVIDER, e))?;
        Ok(LogitrailAdapter { client })
    }
}

/// Confirms orders at Logitrail.
#[derive(Debug, Clone)]
pub struct LogitrailAdapter {
    client: Client,
}

impl LogitrailAdapter {
    /// An adapter over a client you built yourself.
    pub fn from_client(client: Client) -> Self {
        Self { client }
    }
}

adapter_settings!(
    PROVIDER, LogitrailAdapter, LogitrailBuilder, LogitrailSettings, Client, "Logitrail";
    /// The settings of a [`LogitrailAdapter`], for [`LogitrailBuilder::with_config`] and
    /// [`LogitrailAdapter::from_options`].
    pub enum LogitrailConfigKey {
        /// The Merchant ID, without the `M-` prefix (which is added).
        MerchantId { name: "merchant_id", env: "LOGITRAIL_MERCHANT_ID", secret: false, required: true, field: merchant_id },
        /// The shared secret (the HTTP Basic password).
        Secret { name: "secret", env: "LOGITRAIL_SECRET", secret: true, required: true, field: secret },
        /// The base URL (default: Logitrail's production URL, `api-1`, failing over to `api-2`).
        BaseUrl { name: "base_url", env: "LOGITRAIL_BASE_URL", secret: false, required: false, common: base_url },
    }
);

status_table! {
    /// Logitrail's status table: each documented order status and its normalized status (the
    /// order statuses of <https://logitrail-integration.readthedocs.io/en/latest/>; they arrive
    /// in webhooks).
    types::OrderStatus {
        "passive" => PendingConfirmation,
        "confirmed" => Confirmed,
        "waiting_products" => OnHold,
        "processed" => Shipped,
        "cancelled" => Cancelled,
        "deleted" => Cancelled,
    }
}

/// Logitrail's error rules, read in order.
pub const ERROR_RULES: &[ErrorRule] = &[
    ErrorRule::new(Match::Code(codes::ORDER_NOT_PASSIVE), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ORDER_ALREADY_CANCELLED), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ORDER_ALREADY_PROCESSING), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ORDER_ALREADY_PROCESSED), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ACCESS_DENIED), ErrorKind::Forbidden),
];

struct LogitrailErrors;

impl ErrorTable for LogitrailErrors {
    const CONVENTIONS: &'static ordergate_runtime::Conventions = &ordergate_logitrail::CONVENTIONS;
    type Body = types::ErrorResponse;

    fn describe(body: &Self::Body) -> ProviderFailure {
        ProviderFailure {
            code: Some(body.code.clone()),
            reason: None,
            message: body.message.clone(),
        }
    }

    /// `code` is required and success bodies carry none: a body that decodes as one is a
    /// failure (e.g. `{"success": false, "code": "...", "message": "..."}`).
    fn reports_failure(_body: &Self::Body) -> bool {
        true
    }

    const RULES: &'static [ErrorRule] = ERROR_RULES;
}

/// `success: false` inside HTTP 200.
impl SuccessBody for types::ConfirmOrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        (!self.success).then(|| (ProviderFailure::default(), "success: false"))
    }
}

// No `get_order`: Logitrail documents no order lookup (order statuses arrive through its
// webhooks).
adapter! {
    LogitrailAdapter for PROVIDER;

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::ConfirmOrder, &request.order_id);
        let send = self
            .client
            .confirm_order()
            .id(request.order_id.as_str())
            .body(types::OrderUpdate::default())
            .send();
        let response = call.receive::<LogitrailErrors, _, _>(send).await?;
        let mut order = Order::new(PROVIDER, response.order_id.as_str(), OrderStatus::Confirmed);
        order.tracking_number = response.tracking_code.clone();
        order.tracking_url = response.tracking_url.clone();
        Ok(order.with_response(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each documented order status, as an `order.info.change` webhook carries it, row by
    /// row (https://logitrail-integration.readthedocs.io/en/latest/orders/statuses.html); a
    /// status the docs do not list stays `Unknown(raw)` and maps to `unknown`.
    #[test]
    fn every_documented_order_status_from_a_webhook_row_by_row() {
        let rows = [
            ("passive", OrderStatus::PendingConfirmation),
            ("confirmed", OrderStatus::Confirmed),
            ("waiting_products", OrderStatus::OnHold),
            ("processed", OrderStatus::Shipped),
            ("cancelled", OrderStatus::Cancelled),
            ("deleted", OrderStatus::Cancelled),
        ];
        assert_eq!(rows.len(), types::OrderStatus::KNOWN.len());
        for (raw, expected) in rows {
            let payload: types::OrderEventPayload = serde_json::from_value(serde_json::json!({
                "order": {"id": "5c8a1d5b0000000000000001", "merchants_order": {"id": "42"}, "status": raw}
            }))
            .unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert!(!payload.order.status.is_unknown(), "{raw}");
            assert_eq!(normalize_status(&payload.order.status), expected, "{raw}");
        }
        let payload: types::OrderEventPayload = serde_json::from_value(serde_json::json!({
            "order": {"id": "5c8a1d5b0000000000000001", "status": "returned"}
        }))
        .expect("an undocumented status still decodes");
        assert_eq!(
            payload.order.status,
            types::OrderStatus::Unknown("returned".to_owned())
        );
        assert_eq!(normalize_status(&payload.order.status), OrderStatus::Unknown);
    }

    #[test]
    fn error_codes_decide_whatever_the_status() {
        let kind = |code: &str| {
            let failure = ProviderFailure {
                code: Some(code.to_owned()),
                ..ProviderFailure::default()
            };
            LogitrailErrors::classify(400, &failure)
        };
        // The docs give no HTTP status for `order_not_passive`: the code alone decides.
        assert_eq!(kind("order_not_passive"), Some(ErrorKind::Conflict));
        assert_eq!(kind("order_already_processed"), Some(ErrorKind::Conflict));
        assert_eq!(kind("access_denied"), Some(ErrorKind::Forbidden));
        assert_eq!(kind("product.merchants_id.required"), None);
    }
}
