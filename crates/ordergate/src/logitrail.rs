//! Logitrail adapter: request mapping, the status table and the error-code table.
//!
//! Settings: [`LogitrailConfigKey`].
//! Logitrail documents no order lookup, so `get_order` is `unsupported`; order statuses arrive
//! in its webhooks, which [`normalize_status`] maps.

use ordergate_logitrail::{Client, Credentials, PRODUCTION_BASE_URL, codes, types};
use ordergate_runtime::SecretString;

use crate::builder::{Builder, adapter_settings, config_error, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::tables::{ErrorRule, Match, normalize};
use crate::{
    Capabilities, ConfirmRequest, Error, ErrorKind, Order, OrderProvider, OrderStatus, ProviderName,
};

/// What this adapter supports: no order lookup.
pub const CAPABILITIES: Capabilities = Capabilities::new(false, false);

const PROVIDER: ProviderName = ProviderName::Logitrail;

/// Logitrail credentials for [`LogitrailBuilder`].
#[derive(Debug, Clone, Default)]
pub struct LogitrailSettings {
    merchant_id: Option<String>,
    secret: Option<SecretString>,
}

/// Builds a [`LogitrailAdapter`].
pub type LogitrailBuilder = Builder<LogitrailSettings>;

impl LogitrailBuilder {
    /// The Merchant ID (without the `M-` prefix, which is added).
    pub fn merchant_id(mut self, merchant_id: impl Into<String>) -> Self {
        self.settings.merchant_id = Some(merchant_id.into());
        self
    }

    /// The shared secret.
    pub fn secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.settings.secret = Some(secret.into());
        self
    }

    /// Builds the adapter; nothing is sent.
    ///
    /// # Errors
    /// `invalid_input` when a credential is missing or the base URL is refused.
    pub fn build(self) -> Result<LogitrailAdapter, Error> {
        let settings = self.settings.clone();
        let merchant_id = required(PROVIDER, LogitrailConfigKey::MerchantId.setting(), settings.merchant_id)?;
        let secret = required(PROVIDER, LogitrailConfigKey::Secret.setting(), settings.secret)?;
        let client = Client::connect(
            self.base_url_or(PRODUCTION_BASE_URL),
            Credentials::new(merchant_id, secret),
            &self.client_config,
        )
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
    PROVIDER, LogitrailAdapter, LogitrailBuilder, Client, "Logitrail";
    /// The settings of a [`LogitrailAdapter`], for [`LogitrailBuilder::with_config`] and
    /// [`LogitrailAdapter::from_options`].
    pub enum LogitrailConfigKey {
        /// The Merchant ID, without the `M-` prefix (which is added).
        MerchantId { name: "merchant_id", env: "LOGITRAIL_MERCHANT_ID", secret: false, required: true, set: merchant_id },
        /// The shared secret (the HTTP Basic password).
        Secret { name: "secret", env: "LOGITRAIL_SECRET", secret: true, required: true, set: secret },
        /// The base URL (default: Logitrail's production URL).
        BaseUrl { name: "base_url", env: "LOGITRAIL_BASE_URL", secret: false, required: false, set: base_url },
    }
);

/// Logitrail's status table: each documented order status and its normalized status (the
/// order statuses of <https://logitrail-integration.readthedocs.io/en/latest/>; they arrive in
/// webhooks).
pub const STATUSES: &[(&str, OrderStatus)] = &[
    ("passive", OrderStatus::PendingConfirmation),
    ("confirmed", OrderStatus::Confirmed),
    ("waiting_products", OrderStatus::OnHold),
    ("processed", OrderStatus::Shipped),
    ("cancelled", OrderStatus::Cancelled),
    ("deleted", OrderStatus::Cancelled),
];

/// Logitrail's error rules, read in order.
pub const ERROR_RULES: &[ErrorRule] = &[
    ErrorRule::new(Match::Code(codes::ORDER_NOT_PASSIVE), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ORDER_ALREADY_CANCELLED), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ORDER_ALREADY_PROCESSING), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ORDER_ALREADY_PROCESSED), ErrorKind::Conflict),
    ErrorRule::new(Match::Code(codes::ACCESS_DENIED), ErrorKind::Forbidden),
];

/// The normalized status of a Logitrail status ([`STATUSES`]); `unknown` for a value no row
/// has.
pub fn normalize_status(status: &types::OrderStatus) -> OrderStatus {
    normalize(STATUSES, status.as_str())
}

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

impl OrderProvider for LogitrailAdapter {
    fn provider(&self) -> ProviderName {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let call = Call::confirm(PROVIDER, &request.order_id);
        let send = self
            .client
            .confirm_order()
            .id(request.order_id.as_str())
            .body(types::OrderUpdate::default())
            .send();
        let response = call.send::<LogitrailErrors, _, _>(send).await?;
        if !response.success {
            return Err(call.failure_in_success::<LogitrailErrors>(
                200,
                ProviderFailure::default(),
                "Logitrail answered HTTP 200 with success: false",
                response,
            ));
        }
        let mut order = Order::new(PROVIDER, response.order_id.as_str(), OrderStatus::Confirmed);
        order.tracking_number = response.tracking_code.clone();
        order.tracking_url = response.tracking_url.clone();
        Ok(order.with_response(response))
    }

    async fn get_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::get(PROVIDER, order_id);
        Err(call.error(
            ErrorKind::Unsupported,
            "Logitrail documents no order lookup; order statuses arrive through its webhooks",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_has_a_row() {
        crate::tables::assert_table_matches(
            STATUSES,
            types::OrderStatus::KNOWN.iter().map(types::OrderStatus::as_str),
        );
        for status in types::OrderStatus::KNOWN {
            assert_ne!(normalize_status(status), OrderStatus::Unknown, "{status}");
        }
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
