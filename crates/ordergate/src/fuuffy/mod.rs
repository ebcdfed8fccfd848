//! Fuuffy adapter: request mapping, the status tables and the error-code table.
//!
//! Settings: [`FuuffyConfigKey`]. What the adapter covers of Fuuffy's order lifecycle:
//!
//! - [`create_order`](OrderProvider::create_order): a local or an international order from a
//!   [`NewOrder`] and its [`FuuffyOptions`](crate::options::FuuffyOptions) (see [`create`]);
//! - [`confirm_order`](OrderProvider::confirm_order) and
//!   [`get_order`](OrderProvider::get_order);
//! - [`list_orders`](OrderProvider::list_orders), page by page (see [`list`] for which
//!   filters Fuuffy applies and which are applied locally);
//! - [`track_order`](OrderProvider::track_order), by order id (see [`tracking`]);
//! - [`parse_webhook`](OrderProvider::parse_webhook): Fuuffy's signed tracking webhooks (see
//!   [`webhook`]), with the `webhook_secret` setting.
//!
//! Fuuffy documents no way to cancel an order, so
//! [`cancel_order`](OrderProvider::cancel_order) is `unsupported`.

pub mod create;
pub mod list;
pub mod tracking;
pub mod webhook;

use std::time::Instant;

use ordergate_fuuffy::webhook::WebhookSecret;
use ordergate_fuuffy::{Client, Credentials, PRODUCTION_BASE_URL, types};
use ordergate_runtime::ExposeSecret as _;

use crate::builder::{adapter_settings, config_error, half_of_pair, missing, refused_setting};
use crate::error::{Call, ErrorTable, ProviderFailure, bounded};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match, status_table};
use crate::{
    ConfirmRequest, Error, ErrorKind, ListQuery, NewOrder, Operation, Order, OrderEvent,
    OrderProvider, OrderStatus, OrderStream, Price, ProviderName, Tracking,
};
use ordergate_fuuffy::codes;

const PROVIDER: ProviderName = ProviderName::Fuuffy;

impl FuuffyBuilder {
    /// Builds the adapter; nothing is sent (with client credentials, the first call gets the
    /// token).
    ///
    /// # Errors
    /// `invalid_input` when neither a token nor both client credentials are set, the base
    /// URL is refused, or the webhook secret is empty.
    pub fn build(self) -> Result<FuuffyAdapter, Error> {
        let base_url = self.base_url_or(PRODUCTION_BASE_URL);
        let settings = &self.settings;
        let client = match (&settings.token, &settings.client_id, &settings.client_secret) {
            (Some(token), _, _) => Client::connect(
                base_url,
                Credentials::access_token(token.clone()),
                &self.client_config,
            ),
            (None, Some(client_id), Some(client_secret)) => Client::with_client_credentials(
                base_url,
                client_id.clone(),
                client_secret.clone(),
                &self.client_config,
            ),
            (None, Some(_), None) => {
                return Err(half_of_pair(
                    PROVIDER,
                    FuuffyConfigKey::ClientId.setting(),
                    FuuffyConfigKey::ClientSecret.setting(),
                    Some(FuuffyConfigKey::Token.setting()),
                ));
            }
            (None, None, Some(_)) => {
                return Err(half_of_pair(
                    PROVIDER,
                    FuuffyConfigKey::ClientSecret.setting(),
                    FuuffyConfigKey::ClientId.setting(),
                    Some(FuuffyConfigKey::Token.setting()),
                ));
            }
            (None, None, None) => {
                let token = FuuffyConfigKey::Token.setting();
                return Err(missing(PROVIDER, token, FuuffyConfigKey::SETTINGS));
            }
        }
        .map_err(|e| config_error(PROVIDER, e))?;
        let webhook_secret = match &settings.webhook_secret {
            Some(secret) => Some(WebhookSecret::new(secret.expose_secret()).map_err(|e| {
                refused_setting(PROVIDER, FuuffyConfigKey::WebhookSecret.env_name(), e)
            })?),
            None => None,
        };
        Ok(FuuffyAdapter {
            client,
            webhook_secret,
        })
    }
}

/// Creates, confirms, gets, lists and tracks orders at Fuuffy, and reads its webhooks.
#[derive(Debug, Clone)]
pub struct FuuffyAdapter {
    client: Client,
    /// Verifies webhooks; `None` when `webhook_secret` is not set.
    webhook_secret: Option<WebhookSecret>,
}

impl FuuffyAdapter {
    /// An adapter over a client you built yourself (with no webhook secret: see
    /// [`FuuffyAdapter::with_webhook_secret`]).
    pub fn from_client(client: Client) -> Self {
        Self {
            client,
            webhook_secret: None,
        }
    }

    /// The same adapter, verifying webhooks with `secret`.
    #[must_use]
    pub fn with_webhook_secret(mut self, secret: WebhookSecret) -> Self {
        self.webhook_secret = Some(secret);
        self
    }

    /// Fuuffy answers a confirm of an order that is no longer pending with `NO_ORDERS_FOUND`,
    /// exactly as it answers an unknown order. A lookup (a read, so safe) tells them apart:
    /// an order that exists in another state is a `conflict`; otherwise it stays `not_found`.
    async fn explain_no_orders_found(
        &self,
        mut error: Error,
        order_id: &str,
        started: Instant,
    ) -> Error {
        if let Some(Ok(order)) = self.lookup_within_deadline(order_id, started).await {
            error.kind = ErrorKind::Conflict;
            error.message = bounded(
                format!(
                    "{} (the order exists with status {})",
                    error.message,
                    order.provider_status.as_deref().unwrap_or("unknown")
                ),
                Error::MESSAGE_LIMIT,
            );
        }
        error
    }

    /// Fuuffy answered a confirm with HTTP 200 but listed no confirmed order. A lookup (a
    /// read, so safe) settles what happened: an order now confirmed (or further along) is the
    /// result; one still pending was not confirmed (`server`: Fuuffy did not do it, and the
    /// confirm can be sent again); a cancelled one is a `conflict`; an unknown one is
    /// `not_found`. Only when the lookup cannot tell does the answer stay `outcome_unknown`.
    async fn settle_unlisted_confirm(
        &self,
        call: Call<'_>,
        started: Instant,
    ) -> Result<Order, Error> {
        let mut unknown = call.error(
            ErrorKind::OutcomeUnknown,
            "Fuuffy answered HTTP 200 but listed no confirmed order, and looking the order up did not settle it: look the order up before retrying",
        );
        unknown.set_http_status(200);
        let order_id = call.order_id.unwrap_or_default();
        let order = match self.lookup_within_deadline(order_id, started).await {
            Some(Ok(order)) => order,
            Some(Err(error)) if error.kind == ErrorKind::NotFound => {
                let mut error = call.error(
                    ErrorKind::NotFound,
                    "Fuuffy answered HTTP 200 but listed no confirmed order, and the order does not exist",
                );
                error.set_http_status(200);
                return Err(error);
            }
            Some(Err(_)) | None => return Err(unknown),
        };
        let provider_status = order
            .provider_status
            .as_deref()
            .unwrap_or("unknown")
            .to_owned();
        let kind = match order.status {
            OrderStatus::Confirmed
            | OrderStatus::Processing
            | OrderStatus::OnHold
            | OrderStatus::Shipped
            | OrderStatus::Delivered
            | OrderStatus::Completed => return Ok(order),
            OrderStatus::Draft | OrderStatus::PendingConfirmation => ErrorKind::Server,
            OrderStatus::Cancelled => ErrorKind::Conflict,
            _ => return Err(unknown),
        };
        let mut error = call.error(
            kind,
            format!(
                "Fuuffy answered HTTP 200 but listed no confirmed order; the order is {provider_status}, so the confirm did not take effect"
            ),
        );
        error.set_http_status(200);
        Err(error)
    }

    /// `get_order`, within what is left of the deadline of a call that began at `started`
    /// (one deadline covers a confirm and the lookup that explains its answer: the runtime
    /// bounds the lookup's token fetch, attempts and waits by it); `None` when no time is left.
    async fn lookup_within_deadline(
        &self,
        order_id: &str,
        started: Instant,
    ) -> Option<Result<Order, Error>> {
        let deadline = started + self.client.transport().config().timeout;
        deadline.checked_duration_since(Instant::now())?;
        Some(ordergate_runtime::within_deadline(deadline, self.get_order(order_id)).await)
    }
}

adapter_settings!(
    PROVIDER, FuuffyAdapter, FuuffyBuilder, FuuffySettings, Client, "Fuuffy";
    /// The settings of a [`FuuffyAdapter`], for [`FuuffyBuilder::with_config`] and
    /// [`FuuffyAdapter::from_options`].
    pub enum FuuffyConfigKey {
        /// An access token from Fuuffy's `POST /v1/auth/token`, used as it is until it
        /// expires. Wins over `client_id` and `client_secret` when both are given.
        Token { name: "token", env: "FUUFFY_TOKEN", secret: true, required: true, instead: ["client_id", "client_secret"], field: token },
        /// The client id Fuuffy issued (OAuth 2.0 client credentials): with `client_secret`,
        /// the adapter gets an access token itself and renews it before it expires.
        ClientId { name: "client_id", env: "FUUFFY_CLIENT_ID", secret: false, required: false, field: client_id },
        /// The client secret that goes with `client_id`.
        ClientSecret { name: "client_secret", env: "FUUFFY_CLIENT_SECRET", secret: true, required: false, field: client_secret },
        /// The secret Fuuffy signs its webhooks with (the `X-Fuuffy-Signature` HMAC,
        /// <https://api-docs.fuuffy.com/guides/webhooks>); needed to read webhooks only.
        WebhookSecret { name: "webhook_secret", env: "FUUFFY_WEBHOOK_SECRET", secret: true, required: false, field: webhook_secret },
        /// The base URL (default: Fuuffy's production URL).
        BaseUrl { name: "base_url", env: "FUUFFY_BASE_URL", secret: false, required: false, common: base_url },
    }
);

status_table! {
    /// Fuuffy's status table: each documented status and its normalized status
    /// (<https://api-docs.fuuffy.com/api/orders/confirm> and
    /// <https://api-docs.fuuffy.com/api/orders/get>).
    types::OrderStatus {
        "DRAFT" => Draft,
        "PENDING_CONFIRM" => PendingConfirmation,
        "READY_TO_SHIP" => Confirmed,
        "PENDING_PICKUP" => Confirmed,
        "PROCESSING" => Processing,
        "PENDING_PROCESSING" => OnHold,
        "PICKUP_COMPLETED" => Shipped,
        "IN_TRANSIT" => Shipped,
        "DELIVERED" => Delivered,
        "COMPLETED" => Completed,
        "CANCELLED" => Cancelled,
    }
}

/// Fuuffy's error rules, read in order: the reason code decides first, then the code.
pub const ERROR_RULES: &[ErrorRule] = &[
    ErrorRule::new(Match::Reason(codes::ORDER_NOT_FOUND), ErrorKind::NotFound),
    ErrorRule::new(Match::Reason(codes::NO_ORDERS_FOUND), ErrorKind::NotFound),
    ErrorRule::new(Match::Reason(codes::UNAUTHORIZED), ErrorKind::Unauthorized),
    ErrorRule::new(Match::Code(codes::UNAUTHORIZED_CODE), ErrorKind::Unauthorized),
    ErrorRule::new(Match::Code(codes::INVALID_TOKEN), ErrorKind::Unauthorized),
    ErrorRule::new(Match::Code(codes::INVALID_CLIENT), ErrorKind::Unauthorized),
    ErrorRule::new(Match::Code(codes::RATE_LIMIT_EXCEEDED), ErrorKind::RateLimited),
];

struct FuuffyErrors;

impl ErrorTable for FuuffyErrors {
    const CONVENTIONS: &'static ordergate_runtime::Conventions = &ordergate_fuuffy::CONVENTIONS;
    const ORDER_ID_FORMAT: Option<&'static str> = ORDER_ID_FORMAT;
    type Body = types::ErrorResponse;

    fn describe(body: &Self::Body) -> ProviderFailure {
        let error = &body.error;
        ProviderFailure {
            code: Some(error.code.clone()),
            reason: error
                .code_reason
                .clone()
                .or_else(|| error.error_code.clone()),
            message: error.message.clone(),
        }
    }

    /// The envelope's `error` object is required: a body that decodes as one is a failure.
    fn reports_failure(_body: &Self::Body) -> bool {
        true
    }

    const RULES: &'static [ErrorRule] = ERROR_RULES;
}

fn price(quote: Option<&String>) -> Option<Price> {
    quote.map(|amount| Price {
        amount: amount.clone(),
        currency: None,
    })
}

/// Fuuffy's success bodies report failures through the error envelope, never a flag.
impl SuccessBody for types::ConfirmOrderResponse {}
impl SuccessBody for types::GetOrderResponse {}
impl SuccessBody for types::CreateOrderResponse {}
impl SuccessBody for types::TrackingResponse {}

adapter! {
    FuuffyAdapter for PROVIDER,
        order_id_format: "Fuuffy order ids are digits, such as 3550875",
        webhook_ack: webhook::ACK;

    async fn create_order(&self, order: &NewOrder) -> Result<Order, Error> {
        let call = Call::new(PROVIDER, Operation::CreateOrder);
        let body = create::request(order)
            .map_err(|why| call.error(ErrorKind::InvalidInput, why))?;
        let response = call
            .receive::<FuuffyErrors, _, _>(self.client.create_order().body(body).send())
            .await?;
        create::created(call, response)
    }

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let started = Instant::now();
        let call = Call::of_order(PROVIDER, Operation::ConfirmOrder, &request.order_id);
        let body = types::ConfirmOrderRequest::builder().order_id(request.order_id.as_str());
        let sent = call
            .receive::<FuuffyErrors, _, _>(self.client.confirm_order().body(body).send())
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) if error.reason.as_deref() == Some(codes::NO_ORDERS_FOUND) => {
                // Boxed: this rare lookup would otherwise make every confirm future hold a
                // whole get_order future as well.
                return Err(Box::pin(self.explain_no_orders_found(
                    error,
                    &request.order_id,
                    started,
                ))
                .await);
            }
            Err(error) => return Err(error),
        };
        // Fuuffy's own example answers a different id than the one requested; prefer the
        // requested one when it is listed.
        let orders = response
            .data
            .confirmed_orders();
        let Some(confirmed) = orders
            .iter()
            .find(|o| o.order_id == request.order_id)
            .or_else(|| orders.first())
        else {
            // Boxed for the same reason as above.
            return Box::pin(self.settle_unlisted_confirm(call, started)).await;
        };
        let mut order = Order::new(
            PROVIDER,
            confirmed.order_id.as_str(),
            normalize_status(&confirmed.order_status),
        );
        order.provider_status = Some(confirmed.order_status.as_str().to_owned());
        order.tracking_number = confirmed.tracking_number.clone();
        order.price = price(confirmed.quote_price.as_ref());
        Ok(order.with_response(response))
    }

    async fn get_order(&self, order_id: &str) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::GetOrder, order_id);
        let response = call
            .receive::<FuuffyErrors, _, _>(self.client.get_order().id(order_id).send())
            .await?;
        let data = &response.data;
        let mut order = Order::new(
            PROVIDER,
            data.order_id.as_str(),
            normalize_status(&data.status),
        );
        order.provider_status = Some(data.status.as_str().to_owned());
        order.tracking_number = data.tracking_number.clone();
        order.price = price(data.quote_price.as_ref());
        Ok(order.with_response(response))
    }

    async fn track_order(&self, order_id: &str) -> Result<Tracking, Error> {
        let call = Call::of_order(PROVIDER, Operation::TrackOrder, order_id);
        let response = call
            .receive::<FuuffyErrors, _, _>(self.client.get_tracking().order_id(order_id).send())
            .await?;
        Ok(tracking::tracking(order_id, response))
    }

    sync {
        /// Fuuffy's List Orders, page by page; see [`list`] for the filters.
        fn list_orders(&self, query: &ListQuery) -> OrderStream<'_> {
            list::orders(&self.client, query)
        }

        /// Fuuffy's tracking webhook, verified with the `webhook_secret` setting; see
        /// [`webhook`].
        fn parse_webhook(
            &self,
            headers: &http::HeaderMap,
            raw_body: &[u8],
        ) -> Result<Vec<OrderEvent>, Error> {
            let Some(secret) = &self.webhook_secret else {
                return Err(crate::webhook::not_configured(
                    PROVIDER,
                    FuuffyConfigKey::WebhookSecret.env_name(),
                ));
            };
            webhook::events(secret, headers, raw_body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layer between the caller and the generated call once held its own copy of the
    /// generated future (an `async fn` keeps its arguments besides the futures it awaits): the
    /// facade's future was 4.5x the generated one, and copying it showed in the benchmark.
    #[test]
    fn the_facade_adds_little_to_the_generated_future() {
        let adapter = FuuffyAdapter::builder()
            .token("t")
            .base_url("http://127.0.0.1:9")
            .build()
            .expect("builds");
        let generated = std::mem::size_of_val(
            &adapter
                .client()
                .confirm_order()
                .body(types::ConfirmOrderRequest::builder().order_id("1"))
                .send(),
        );
        let request = ConfirmRequest::new("1");
        let facade = std::mem::size_of_val(&adapter.confirm_order(&request));
        assert!(
            facade <= generated + 512,
            "facade future {facade} bytes, generated {generated} bytes"
        );
    }

    #[test]
    fn an_undocumented_status_is_unknown() {
        let new = types::OrderStatus::from("RETURNED_TO_SENDER");
        assert_eq!(normalize_status(&new), OrderStatus::Unknown);
    }

    #[test]
    fn error_codes_decide_whatever_the_status() {
        let kind = |status, code: &str, reason: Option<&str>| {
            let failure = ProviderFailure {
                code: Some(code.to_owned()),
                reason: reason.map(str::to_owned),
                message: None,
            };
            FuuffyErrors::classify(status, &failure)
        };
        assert_eq!(
            kind(400, "400201", Some("ORDER_NOT_FOUND")),
            Some(ErrorKind::NotFound)
        );
        assert_eq!(
            kind(400, "400211", Some("NO_ORDERS_FOUND")),
            Some(ErrorKind::NotFound)
        );
        assert_eq!(kind(400, "401000", None), Some(ErrorKind::Unauthorized));
        assert_eq!(
            kind(400, "invalid_token", None),
            Some(ErrorKind::Unauthorized)
        );
        assert_eq!(
            kind(400, "rate_limit_exceeded", None),
            Some(ErrorKind::RateLimited)
        );
        assert_eq!(kind(400, "400000", Some("BAD_REQUEST")), None);
    }
}
