//! Tata 1mg adapter: request mapping, the status-code table, the error-message table and
//! the order-update webhook.
//!
//! Settings: [`OnemgConfigKey`]. The JWT is either given ready (`ONEMG_TOKEN`, sent as it is
//! until it expires) or signed by the adapter with the merchant's RSA private key
//! (`ONEMG_PRIVATE_KEY` or `ONEMG_PRIVATE_KEY_FILE`, used when `ONEMG_TOKEN` is not set; see
//! [`ordergate_onemg::jwt::JwtSigner`]).
//!
//! Operations (1mg's merchant API, <https://onedoc.1mg.com/public_docs/>):
//!
//! - `create_order`: `POST /api/v4/merchants/{merchant_id}/orders`
//!   (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/create-order-api>); the mapping
//!   of [`NewOrder`] is in [`create_order`](OnemgAdapter#method.create_order)'s docs, and
//!   [`OnemgOptions`](crate::options::OnemgOptions) holds what only 1mg has. A `COD` order is
//!   `confirmed` (1mg: "No need to call this API in COD orders"); an `ONLINE` one is
//!   `pending_confirmation` until [`confirm_order`](OnemgAdapter#method.confirm_order).
//! - `confirm_order`: `PUT /api/v4/merchants/{merchant_id}/orders/{id}/confirm`, `ONLINE`
//!   orders only; it needs the merchant's own order id
//!   ([`ConfirmRequest::with_merchant_order_id`]).
//! - `cancel_order`: `POST /api/v4/{merchant_id}/order/cancel`
//!   (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/cancel-order>); an order past
//!   the packing stage is refused with "Invalid order status for this operation", which is
//!   `conflict`.
//! - `parse_webhook`: 1mg's order updates (the "Merchant Order Updates" guide), checked with
//!   the token shared with 1mg (`ONEMG_WEBHOOK_TOKEN`) in
//!   [`DEFAULT_TOKEN_HEADER`](ordergate_onemg::merchant::DEFAULT_TOKEN_HEADER) before the
//!   body is read; one [`OrderEvent`] per order, of type [`ORDER_STATUS_UPDATED`], its status
//!   from [`STATUSES`].
//!
//! Not supported (`unsupported`, nothing sent): `get_order`, `list_orders` and
//! `track_order`. 1mg's docs have Track Order and Track Merchant Order pages, but their
//! method and path are cut off in every copy of the docs, and they document no order lookup
//! or list; nothing is guessed.

mod create;
mod order_update;
mod statuses;

use std::sync::Arc;

use ordergate_onemg::jwt::JwtSigner;
use ordergate_onemg::merchant::{HeaderToken, header_token};
use ordergate_onemg::{Client, Credentials, PRODUCTION_BASE_URL, codes, types};
use ordergate_runtime::ExposeSecret as _;

use crate::builder::{adapter_settings, config_error, missing, refused_setting, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match};
use crate::{
    ConfirmRequest, Error, ErrorKind, Fix, NewOrder, Operation, Order, OrderEvent, OrderStatus,
    ProviderName,
};

pub use order_update::ORDER_STATUS_UPDATED;
pub use statuses::{STATUSES, normalize_status};
pub(crate) use statuses::documented_statuses;

const PROVIDER: ProviderName = ProviderName::Onemg;

impl OnemgBuilder {
    /// Builds the adapter; nothing is sent (with a private key, the first call signs the
    /// JWT).
    ///
    /// The JWT is `token` (a JWT signed elsewhere) when it is set; otherwise the adapter signs
    /// its own with the private key, given as `private_key` (the PEM text) or
    /// `private_key_file` (a path to the PEM), one of the two: both are refused rather than
    /// one silently preferred. (The sandbox hands out a token and a key file together: the
    /// token is used, and the key file is there to try signing without it.)
    ///
    /// # Errors
    /// `invalid_input` when a setting is missing, when `token` is not set and both
    /// `private_key` and `private_key_file` are, when the private key does not parse or
    /// its file cannot be read (the message names the setting, never the key), or when the
    /// base URL is refused.
    pub fn build(self) -> Result<OnemgAdapter, Error> {
        let settings = self.settings.clone();
        let access_key = required(PROVIDER, OnemgConfigKey::AccessKey.setting(), settings.access_key)?;
        let merchant_id = required(PROVIDER, OnemgConfigKey::MerchantId.setting(), settings.merchant_id)?;
        let credentials = match (settings.token, settings.private_key, settings.private_key_file) {
            (Some(token), _, _) => Credentials::new(token, access_key),
            (None, Some(pem), None) => Credentials::signed(pem.expose_secret(), access_key)
                .map_err(|e| setting_error(OnemgConfigKey::PrivateKey, e))?,
            (None, None, Some(path)) => Credentials::with_signer(
                JwtSigner::from_private_key_file(path)
                    .map_err(|e| setting_error(OnemgConfigKey::PrivateKeyFile, e))?,
                access_key,
            ),
            (None, None, None) => {
                let token = OnemgConfigKey::Token.setting();
                return Err(missing(PROVIDER, token, OnemgConfigKey::SETTINGS));
            }
            (None, Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    PROVIDER,
                    Operation::Configure,
                    "ONEMG_PRIVATE_KEY and ONEMG_PRIVATE_KEY_FILE are set together: set one of them (the key to sign JWTs with), or ONEMG_TOKEN (a signed JWT)",
                ));
            }
        };
        let webhook = settings
            .webhook_token
            .map(|token| {
                header_token(token.expose_secret())
                    .map(Arc::new)
                    .map_err(|e| setting_error(OnemgConfigKey::WebhookToken, e))
            })
            .transpose()?;
        let client = Client::connect(
            self.base_url_or(PRODUCTION_BASE_URL),
            credentials,
            &self.client_config,
        )
        .map_err(|e| config_error(PROVIDER, e))?;
        Ok(OnemgAdapter {
            client,
            merchant_id,
            webhook,
        })
    }
}

/// A setting's value that cannot be used (a private key that cannot sign, a webhook token the
/// inbound layer refuses): `invalid_input` naming `key`'s variable, never the value.
fn setting_error(key: OnemgConfigKey, error: impl std::error::Error + Send + Sync + 'static) -> Error {
    refused_setting(PROVIDER, key.env_name(), error)
}

/// Creates, confirms and cancels orders at Tata 1mg, and reads its order-update webhooks.
#[derive(Debug, Clone)]
pub struct OnemgAdapter {
    client: Client,
    merchant_id: String,
    /// The order-update webhook's token check, when a token is configured (shared: the
    /// scheme's keyed hash is a few hundred bytes, and every `Provider` would carry it).
    webhook: Option<Arc<HeaderToken>>,
}

impl OnemgAdapter {
    /// An adapter over a client you built yourself, for merchant `merchant_id` (no webhook
    /// token: see [`with_webhook_auth`](Self::with_webhook_auth)).
    pub fn from_client(client: Client, merchant_id: impl Into<String>) -> Self {
        Self {
            client,
            merchant_id: merchant_id.into(),
            webhook: None,
        }
    }

    /// Checks order-update webhooks with `auth` (for a header other than
    /// [`DEFAULT_TOKEN_HEADER`](ordergate_onemg::merchant::DEFAULT_TOKEN_HEADER), the one the
    /// `webhook_token` setting uses: tell 1mg which header to send).
    #[must_use]
    pub fn with_webhook_auth(mut self, auth: HeaderToken) -> Self {
        self.webhook = Some(Arc::new(auth));
        self
    }
}

adapter_settings!(
    PROVIDER, OnemgAdapter, OnemgBuilder, OnemgSettings, Client, "Tata 1mg";
    /// The settings of an [`OnemgAdapter`], for [`OnemgBuilder::with_config`] and
    /// [`OnemgAdapter::from_options`].
    pub enum OnemgConfigKey {
        /// A JWT signed elsewhere, sent as `Authorization: Bearer` as it is (1mg's expire after 15 minutes). When it is not set, the adapter signs its own with `private_key` or `private_key_file`.
        Token { name: "token", env: "ONEMG_TOKEN", secret: true, required: true, instead_any: ["private_key", "private_key_file"], field: token },
        /// The RSA private key 1mg issued (PEM text, PKCS#8 or PKCS#1), used when `token` is not set: the adapter signs its own JWTs and renews them.
        PrivateKey { name: "private_key", env: "ONEMG_PRIVATE_KEY", secret: true, required: false, field: private_key },
        /// The path of a file holding that private key (PEM), instead of `private_key`.
        PrivateKeyFile { name: "private_key_file", env: "ONEMG_PRIVATE_KEY_FILE", secret: false, required: false, field: private_key_file },
        /// The `X-Access-Key` value.
        AccessKey { name: "access_key", env: "ONEMG_ACCESS_KEY", secret: true, required: true, field: access_key },
        /// The merchant id 1mg issued (a path segment of every order URL).
        MerchantId { name: "merchant_id", env: "ONEMG_MERCHANT_ID", secret: false, required: true, field: merchant_id },
        /// The token shared with 1mg for its order-update webhook, expected in the `X-Auth-Token` header (1mg's "Merchant Order Updates" guide lets the merchant choose token authentication via a header it names; tell 1mg this one). Needed only to read webhooks.
        WebhookToken { name: "webhook_token", env: "ONEMG_WEBHOOK_TOKEN", secret: true, required: false, field: webhook_token },
        /// The base URL (default: Tata 1mg's production URL).
        BaseUrl { name: "base_url", env: "ONEMG_BASE_URL", secret: false, required: false, common: base_url },
    }
);

/// Tata 1mg's error rules, read in order: 1mg has no error codes; its messages are the codes
/// (with HTTP 500 on confirm, 400 on cancel).
pub const ERROR_RULES: &[ErrorRule] = &[
    ErrorRule::new(Match::Message(codes::ORDER_NOT_FOUND), ErrorKind::NotFound),
    ErrorRule::new(Match::Message(codes::MAP_PAYMENT_FAILED), ErrorKind::Conflict),
    ErrorRule::new(Match::Message(codes::INVALID_ORDER_STATUS), ErrorKind::Conflict),
];

struct OnemgErrors;

impl ErrorTable for OnemgErrors {
    const CONVENTIONS: &'static ordergate_runtime::Conventions = &ordergate_onemg::CONVENTIONS;
    type Body = types::ErrorResponse;

    fn describe(body: &Self::Body) -> ProviderFailure {
        ProviderFailure {
            code: None,
            reason: None,
            message: body.error.as_ref().and_then(|e| e.message.clone()),
        }
    }

    /// `is_success: false`.
    fn reports_failure(body: &Self::Body) -> bool {
        !body.is_success
    }

    const RULES: &'static [ErrorRule] = ERROR_RULES;
}

/// `is_success: false` inside HTTP 200, with the envelope's error message.
fn envelope_failure(
    is_success: bool,
    error: Option<&types::ErrorDetail>,
) -> Option<(ProviderFailure, &'static str)> {
    let failure = ProviderFailure {
        message: error.and_then(|e| e.message.clone()),
        ..ProviderFailure::default()
    };
    (!is_success).then_some((failure, "is_success: false"))
}

impl SuccessBody for types::ConfirmOrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        envelope_failure(self.is_success, self.error.as_ref())
    }
}

impl SuccessBody for types::CreateOrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        envelope_failure(self.is_success, self.error.as_ref())
    }
}

impl SuccessBody for types::CancelOrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        envelope_failure(self.is_success, self.error.as_ref())
    }
}

/// What 1mg expects back from an order update: a 2xx with a `status` field ("Merchant Order
/// Updates" guide, <https://onedoc.1mg.com/public_docs/>; any other answer is retried), as
/// [`OrderUpdateWebhook`](ordergate_onemg::merchant::OrderUpdateWebhook) answers it.
const ORDER_UPDATE_ACK: crate::WebhookAck = crate::WebhookAck::new(200, r#"{"status":"success"}"#);

// No `get_order`, `list_orders` or `track_order`: see the module's docs.
adapter! {
    OnemgAdapter for PROVIDER, confirm_needs_merchant_order_id: true, webhook_ack: ORDER_UPDATE_ACK;

    /// `POST /api/v4/merchants/{merchant_id}/orders`, sent once (never retried: each call
    /// creates an order). The body, from `order`:
    ///
    /// | 1mg | from |
    /// |---|---|
    /// | `merchant_order_id` | `reference` |
    /// | `skus` | `{sku: quantity}` of `items`; two items of one SKU have their quantities added |
    /// | `user` | `first_name`, `last_name`, `email`, `mobile` ← `phone` of `recipient` |
    /// | `address` | `name` ← the recipient's full name, `street1` ← `address1`, `street2` ← `address2`, `pincode` ← `postal_code`, `contact_number` ← `phone`, `type` ← `options.onemg.address_type` |
    /// | `payment_method` | `options.onemg.payment_method` (required) |
    /// | `payable_amount` | `options.onemg.payable_amount`, else the sum of `unit_price × quantity` when every item has a price |
    /// | `coupon_code`, `prescriptions` | `options.onemg` |
    ///
    /// The result: 1mg's order id (`data.order_id`), status `confirmed` for `COD` (no
    /// confirmation needed) and `pending_confirmation` for `ONLINE` (confirm it once paid).
    /// A payment link (the Pay via Link flow) is in the typed response,
    /// [`Order::provider_response`]`::<`[`types::CreateOrderResponse`]`>()`.
    ///
    /// # Errors
    /// `invalid_input`, nothing sent, naming the field: no `options.onemg`, an empty
    /// reference or SKU, no items, a quantity of 0, no payable amount (neither the option nor
    /// a price on every item), an amount that is not a decimal, a recipient outside India or
    /// a currency other than `INR`. `outcome_unknown` when 1mg answers success without the
    /// order's id.
    async fn create_order(&self, order: &NewOrder) -> Result<Order, Error> {
        let call = Call::new(PROVIDER, Operation::CreateOrder);
        call.path_segment(&self.merchant_id)?;
        let (body, options) = create::create_request(&call, order)?;
        let send = self
            .client
            .create_order()
            .merchant_id(self.merchant_id.as_str())
            .body(body)
            .send();
        let response = call.receive::<OnemgErrors, _, _>(send).await?;
        let Some(order_id) = response.data.as_ref().and_then(|d| d.order_id.clone()) else {
            let mut error = call.error(
                ErrorKind::OutcomeUnknown,
                "Tata 1mg answered the create with success but without the order's id (data.order_id): look the order up by its merchant order id before creating it again",
            );
            error.set_http_status(200);
            return Err(error);
        };
        let status = if options.payment_method.is_online() {
            OrderStatus::PendingConfirmation
        } else {
            OrderStatus::Confirmed
        };
        Ok(Order::new(PROVIDER, order_id, status).with_response(response))
    }

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::ConfirmOrder, &request.order_id);
        call.path_segment(&request.order_id)?;
        call.path_segment(&self.merchant_id)?;
        let Some(merchant_order_id) = request.merchant_order_id.clone() else {
            return Err(call.about(
                ErrorKind::InvalidInput,
                "Tata 1mg needs the merchant order id to confirm an order",
                Fix::MerchantOrderId,
            ));
        };
        let body = types::ConfirmOrderRequest {
            merchant_order_id,
            order_id: request.order_id.clone(),
        };
        let send = self
            .client
            .confirm_order()
            .merchant_id(self.merchant_id.as_str())
            .merchant_confirm_1mg_id(request.order_id.as_str())
            .body(body)
            .send();
        let response = call.receive::<OnemgErrors, _, _>(send).await?;
        let order_id = response
            .data
            .as_ref()
            .and_then(|d| d.order_id.clone())
            .unwrap_or_else(|| request.order_id.clone());
        Ok(Order::new(PROVIDER, order_id, OrderStatus::Confirmed).with_response(response))
    }

    /// `POST /api/v4/{merchant_id}/order/cancel` with `{"order_id": ...}`, sent once (a
    /// repeated cancel is refused by 1mg, so it is never retried). An order past the packing
    /// stage is refused with "Invalid order status for this operation": `conflict`.
    async fn cancel_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::CancelOrder, order_id);
        call.path_segment(&self.merchant_id)?;
        if order_id.trim().is_empty() {
            return Err(call.error(ErrorKind::InvalidInput, "the order id is empty"));
        }
        let body = types::CancelOrderRequest {
            order_id: order_id.to_owned(),
            reason: None,
            agent_id: None,
            merchant: None,
        };
        let send = self
            .client
            .cancel_order()
            .merchant_id(self.merchant_id.as_str())
            .body(body)
            .send();
        let response = call.receive::<OnemgErrors, _, _>(send).await?;
        // The success body is not documented: `data.order_id` when 1mg sends it.
        let order_id = response
            .data
            .as_ref()
            .and_then(|d| d.get("order_id"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(order_id)
            .to_owned();
        Ok(Order::new(PROVIDER, order_id, OrderStatus::Cancelled).with_response(response))
    }

    sync {
        /// 1mg's order update (`{"grouped_orders": [...]}`), its token checked first: one
        /// event per order, of type [`ORDER_STATUS_UPDATED`], with the status code as
        /// `provider_status` and its normalized status ([`STATUSES`]; `unknown` for a code not
        /// listed), `updated` (seconds since the Unix epoch) as `occurred_at`, and an id made
        /// from the body's content and the order's place in it (1mg gives none).
        fn parse_webhook(
            &self,
            headers: &http::HeaderMap,
            raw_body: &[u8],
        ) -> Result<Vec<OrderEvent>, Error> {
            order_update::order_events(
                self.webhook.as_deref(),
                OnemgConfigKey::WebhookToken.env_name(),
                headers,
                raw_body,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_decide_whatever_the_status() {
        let kind = |message: &str| {
            let failure = ProviderFailure {
                message: Some(message.to_owned()),
                ..ProviderFailure::default()
            };
            OnemgErrors::classify(500, &failure)
        };
        assert_eq!(kind("Order not found"), Some(ErrorKind::NotFound));
        assert_eq!(
            kind("Map payment to order operation failed"),
            Some(ErrorKind::Conflict)
        );
        assert_eq!(
            kind("Invalid order status for this operation"),
            Some(ErrorKind::Conflict)
        );
        assert_eq!(kind("Invalid request"), None);
    }

    /// The webhook token's setting names the header the scheme reads.
    #[test]
    fn the_webhook_token_setting_names_its_header() {
        let description = OnemgConfigKey::WebhookToken.description();
        let header = ordergate_onemg::merchant::DEFAULT_TOKEN_HEADER;
        assert!(description.contains(&format!("`{header}`")), "{description}");
        assert!(OnemgConfigKey::WebhookToken.is_secret());
    }
}
