//! Logitrail adapter: request mapping, the status table and the error-code table.
//!
//! Settings: [`LogitrailConfigKey`].
//!
//! | operation | Logitrail |
//! |---|---|
//! | `create_order` | `POST /orders/_create` (the mapping is below); the order starts `passive`, so the result is `pending_confirmation` |
//! | `confirm_order` | `POST /orders/{id}/_confirm` |
//! | `cancel_order` | `DELETE /orders/{id}`; the result is `cancelled` |
//! | `parse_webhook` | HTTP Basic credentials checked, then the batch of up to 100 events read (below) |
//!
//! `get_order`, `list_orders` and `track_order` are `unsupported`: Logitrail documents no
//! lookup, listing or tracking of orders
//! (<https://logitrail-integration.readthedocs.io/en/latest/orders.html>); an order's status and
//! tracking code reach the merchant in its webhooks, which [`parse_webhook`] reads and
//! [`normalize_status`] maps.
//!
//! # Creating an order
//!
//! [`create_order`](crate::OrderProvider::create_order) sends Logitrail's "Order JSON Object"
//! (<https://logitrail-integration.readthedocs.io/en/latest/orders/create_or_modify.html>) made
//! from the [`NewOrder`] and its [`LogitrailOptions`](crate::options::LogitrailOptions) block:
//!
//! | Logitrail | from |
//! |---|---|
//! | `merchants_order` | `reference`; `{id, time}` when `options.logitrail.order_time` is set |
//! | `customer.firstName`, `lastName` | `recipient.first_name`, `last_name` |
//! | `customer.organizationName` | `recipient.company` |
//! | `customer.address` | `recipient.address1`, then `", "` and `address2` when given (Logitrail has one address line) |
//! | `customer.postalCode`, `city` | `recipient.postal_code`, `city` |
//! | `customer.countryCode` | `recipient.country` |
//! | `customer.email`, `phoneNumber` | `recipient.email`, `phone` |
//! | `products[] {merchants_id, qty, name, unit_price}` | `items[] {sku, quantity, name, unit_price}` (the decimal string as a JSON number) |
//! | `currency` | `currency` |
//! | `destination`, `language`, `tags`, `not_before`, `not_after`, `pricelist` | `options.logitrail` |
//!
//! `recipient.state` has no place in Logitrail's customer and is not sent. Required, and
//! checked before anything is sent (`invalid_input` otherwise): a non-blank `reference`,
//! `options.logitrail.destination`, the recipient's first and last name, `address1`,
//! `postal_code` and `city` (Logitrail's required customer fields), at least one item, each
//! with a SKU and a quantity of at least 1; a `unit_price` must be a plain decimal (`12.50`)
//! and a `language` one of `fi`, `en`, `sv`.
//!
//! # Webhooks
//!
//! [`parse_webhook`] checks the call's HTTP Basic credentials (the webhook username and key
//! set in Logitrail's merchant portal: `LOGITRAIL_WEBHOOK_USERNAME` and
//! `LOGITRAIL_WEBHOOK_PASSWORD`) before it reads anything, then reads the body: one event or an
//! array of up to 100 (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/webhooks.html>). Each event
//! becomes one [`OrderEvent`]:
//!
//! - `order.info.change` and `order.shipped`: `order_id` ← `order.id`, `status` ← `order.status`
//!   through [`normalize_status`], `provider_status` ← `order.status` verbatim,
//!   `tracking_number` ← `order.tracking_code` (the code [`confirm_order`] returns too), or
//!   the shipment's `carrier_tracking_code` when the order has none.
//! - Every event: `event_id` ← `event_id` (Logitrail keeps it across retries and webhooks: the
//!   key to drop a repeat), `event_type` verbatim, `occurred_at` ← `ts`, and the event as
//!   received as [`OrderEvent::raw`].
//! - Events that are not about an order (`inbound_shipment.*`, `product.*`, a type Logitrail
//!   adds later) are returned too, with no `order_id` and status `unknown`: nothing Logitrail
//!   sent disappears, a receiver written for any provider reads them the same way (an event
//!   without `order_id` is not about an order, whoever sent it), and their payload stays in
//!   [`OrderEvent::raw`] (or use `ordergate_logitrail::webhook` for typed product and
//!   inbound shipment events).
//! - One bad event does not lose the batch. An event whose payload does not have its type's
//!   documented shape is still returned, with status `unknown`, no `order_id` and its payload
//!   in [`OrderEvent::raw`]: it is a real event (it has Logitrail's `event_id`), so it must
//!   not vanish. An item that is not an event at all (no `event_id` or `event_type`) has no
//!   id to deduplicate by and no type to act on: it is left out, and only when no item of the
//!   body is an event is the body refused (`decode`). Refusing a whole batch for one bad item
//!   would make Logitrail send the batch again and again, since the item stays bad.
//!
//! A verified call is answered HTTP 200 with an empty body ([`WEBHOOK_ACK`]), also when its
//! events are ignored: Logitrail sends a call that did not succeed again.
//!
//! [`parse_webhook`]: crate::OrderProvider::parse_webhook
//! [`confirm_order`]: crate::OrderProvider::confirm_order

mod events;
mod order_update;

use ordergate_logitrail::webhook::WebhookCredentials;
use ordergate_logitrail::{Client, Credentials, codes, types};
use ordergate_runtime::ExposeSecret;
use ordergate_runtime::inbound::VerifySource;

use crate::builder::{adapter_settings, config_error, half_of_pair, refused_setting, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match, status_table};
use crate::webhook::{inbound_refused, not_configured};
use crate::{
    ConfirmRequest, Error, ErrorKind, NewOrder, Operation, Order, OrderEvent, OrderStatus,
    ProviderName, WebhookAck,
};

const PROVIDER: ProviderName = ProviderName::Logitrail;

impl LogitrailBuilder {
    /// Builds the adapter; nothing is sent.
    ///
    /// # Errors
    /// `invalid_input` when a credential is missing, the base URL is refused, only one of the
    /// two webhook settings is set, or the webhook key is empty.
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
        let webhook = webhook_credentials(settings.webhook_username, settings.webhook_password)?;
        Ok(LogitrailAdapter { client, webhook })
    }
}

/// The webhook credentials from their two settings: both or neither.
fn webhook_credentials(
    username: Option<String>,
    password: Option<ordergate_runtime::SecretString>,
) -> Result<Option<Box<WebhookCredentials>>, Error> {
    let half = |set: LogitrailConfigKey, unset: LogitrailConfigKey| {
        half_of_pair(PROVIDER, set.setting(), unset.setting(), None)
    };
    match (username, password) {
        (None, None) => Ok(None),
        (Some(username), Some(password)) => {
            WebhookCredentials::new(&username, password.expose_secret())
                .map(|credentials| Some(Box::new(credentials)))
                .map_err(|error| {
                    let envs = format!(
                        "{}/{}",
                        LogitrailConfigKey::WebhookUsername.env_name(),
                        LogitrailConfigKey::WebhookPassword.env_name()
                    );
                    refused_setting(PROVIDER, &envs, error)
                })
        }
        (Some(_), None) => Err(half(
            LogitrailConfigKey::WebhookUsername,
            LogitrailConfigKey::WebhookPassword,
        )),
        (None, Some(_)) => Err(half(
            LogitrailConfigKey::WebhookPassword,
            LogitrailConfigKey::WebhookUsername,
        )),
    }
}

/// Creates, confirms and cancels orders at Logitrail, and reads its webhooks.
#[derive(Debug, Clone)]
pub struct LogitrailAdapter {
    client: Client,
    /// `None` when the webhook credentials are not configured (boxed: they are large, and
    /// `Provider` holds any adapter).
    webhook: Option<Box<WebhookCredentials>>,
}

impl LogitrailAdapter {
    /// An adapter over a client you built yourself (with no webhook credentials: see
    /// [`with_webhook_credentials`](Self::with_webhook_credentials)).
    pub fn from_client(client: Client) -> Self {
        Self {
            client,
            webhook: None,
        }
    }

    /// With the Basic credentials the merchant set for its webhooks in Logitrail's portal, for
    /// [`parse_webhook`](crate::OrderProvider::parse_webhook).
    #[must_use]
    pub fn with_webhook_credentials(mut self, credentials: WebhookCredentials) -> Self {
        self.webhook = Some(Box::new(credentials));
        self
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
        /// The username of the Basic credentials Logitrail sends with its webhooks, as set in
        /// Logitrail's merchant portal (with `webhook_password`, or neither).
        WebhookUsername { name: "webhook_username", env: "LOGITRAIL_WEBHOOK_USERNAME", secret: false, required: false, field: webhook_username },
        /// The password (webhook key) of the Basic credentials Logitrail sends with its
        /// webhooks (with `webhook_username`, or neither).
        WebhookPassword { name: "webhook_password", env: "LOGITRAIL_WEBHOOK_PASSWORD", secret: true, required: false, field: webhook_password },
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
    const ORDER_ID_FORMAT: Option<&'static str> = ORDER_ID_FORMAT;
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

/// `success: false` inside a success status.
impl SuccessBody for types::ConfirmOrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        (!self.success).then(|| (ProviderFailure::default(), "success: false"))
    }
}

/// `success: false` inside a success status (create).
impl SuccessBody for types::OrderIdResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        (!self.success).then(|| (ProviderFailure::default(), "success: false"))
    }
}

/// `success: false` inside a success status (delete).
impl SuccessBody for types::SuccessResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        (!self.success).then(|| (ProviderFailure::default(), "success: false"))
    }
}

// No `get_order`, `list_orders` or `track_order`: Logitrail documents no order lookup,
// listing or tracking (order statuses arrive through its webhooks).
//
// Logitrail resends a webhook call that did not succeed and asks for nothing but success
// (https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html): a
// verified call is answered HTTP 200 with an empty body, also when its events are ignored.
adapter! {
    LogitrailAdapter for PROVIDER,
        order_id_format: "Logitrail order ids are 24 hexadecimal digits (0-9, a-f), such as 5c8a1d5b0000000000000001",
        webhook_ack: WebhookAck::OK;

    /// `POST /orders/_create` with the order mapped as the module's docs say; nothing is
    /// sent when something Logitrail requires is missing (`invalid_input`). Logitrail creates
    /// every order `passive` (it waits for `confirm_order`), so the result is
    /// `pending_confirmation`, with the `order_id` Logitrail answered. Never resent once it
    /// may have reached Logitrail (a second create would be a second order).
    async fn create_order(&self, order: &NewOrder) -> Result<Order, Error> {
        let call = Call::new(PROVIDER, Operation::CreateOrder);
        let body = order_update::order_update(&call, order)?;
        let send = self.client.create_order().body(body).send();
        let response = call.receive::<LogitrailErrors, _, _>(send).await?;
        let order = Order::new(
            PROVIDER,
            response.order_id.as_str(),
            OrderStatus::PendingConfirmation,
        );
        Ok(order.with_response(response))
    }

    /// `DELETE /orders/{id}`: a `passive` order becomes `deleted`, a confirmed one
    /// `cancelled`, both `cancelled` here (Logitrail's answer does not say which). An order
    /// already cancelled, being processed or processed is `conflict`, with Logitrail's
    /// `order_already_*` code kept in [`Error::code`].
    async fn cancel_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::CancelOrder, order_id);
        let send = self.client.delete_order().id(order_id).send();
        let response = call.receive::<LogitrailErrors, _, _>(send).await?;
        Ok(Order::new(PROVIDER, order_id, OrderStatus::Cancelled).with_response(response))
    }

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

    sync {
        /// Checks the call's HTTP Basic credentials (`LOGITRAIL_WEBHOOK_USERNAME` and
        /// `LOGITRAIL_WEBHOOK_PASSWORD`) before reading anything, then reads its one event or
        /// batch of up to 100 events, each normalized as the module's docs say.
        fn parse_webhook(
            &self,
            headers: &http::HeaderMap,
            raw_body: &[u8],
        ) -> Result<Vec<OrderEvent>, Error> {
            let Some(credentials) = &self.webhook else {
                let settings = format!(
                    "{} and {}",
                    LogitrailConfigKey::WebhookUsername.env_name(),
                    LogitrailConfigKey::WebhookPassword.env_name()
                );
                return Err(not_configured(PROVIDER, &settings));
            };
            let verified = credentials
                .scheme()
                .verify(headers, raw_body)
                .map_err(|error| inbound_refused(PROVIDER, &error))?;
            events::order_events(verified)
        }
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
