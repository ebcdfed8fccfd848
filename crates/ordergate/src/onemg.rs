//! Tata 1mg adapter: request mapping and the error-message table.
//!
//! Settings: [`OnemgConfigKey`]. The JWT is either given ready (`ONEMG_TOKEN`, sent as it is
//! until it expires) or signed by the adapter with the merchant's RSA private key
//! (`ONEMG_PRIVATE_KEY` or `ONEMG_PRIVATE_KEY_FILE`, used when `ONEMG_TOKEN` is not set; see
//! [`ordergate_onemg::jwt::JwtSigner`]). Confirm needs the merchant's
//! own order id ([`ConfirmRequest::with_merchant_order_id`]); 1mg documents no order lookup, so
//! `get_order` is `unsupported`.

use ordergate_onemg::jwt::{JwtError, JwtSigner};
use ordergate_onemg::{Client, Credentials, PRODUCTION_BASE_URL, codes, types};
use ordergate_runtime::ExposeSecret as _;

use crate::builder::{adapter_settings, config_error, missing, required};
use crate::error::{Call, ErrorTable, ProviderFailure};
use crate::registry::adapter;
use crate::success::SuccessBody;
use crate::tables::{ErrorRule, Match, status_table};
use crate::{ConfirmRequest, Error, ErrorKind, Operation, Order, OrderStatus, ProviderName};

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
                .map_err(|e| key_error(OnemgConfigKey::PrivateKey, e))?,
            (None, None, Some(path)) => Credentials::with_signer(
                JwtSigner::from_private_key_file(path)
                    .map_err(|e| key_error(OnemgConfigKey::PrivateKeyFile, e))?,
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
        let client = Client::connect(
            self.base_url_or(PRODUCTION_BASE_URL),
            credentials,
            &self.client_config,
        )
        .map_err(|e| config_error(PROVIDER, e))?;
        Ok(OnemgAdapter {
            client,
            merchant_id,
        })
    }
}

/// A private key that cannot sign: `invalid_input` naming `key`'s variable, with the
/// [`JwtError`] (which never quotes the key) as the source. Nothing was sent.
fn key_error(key: OnemgConfigKey, error: JwtError) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        PROVIDER,
        Operation::Configure,
        format!("{}: {error}", key.env_name()),
    )
    .with_source(error)
}

/// Confirms orders at Tata 1mg.
#[derive(Debug, Clone)]
pub struct OnemgAdapter {
    client: Client,
    merchant_id: String,
}

impl OnemgAdapter {
    /// An adapter over a client you built yourself, for merchant `merchant_id`.
    pub fn from_client(client: Client, merchant_id: impl Into<String>) -> Self {
        Self {
            client,
            merchant_id: merchant_id.into(),
        }
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
        /// The base URL (default: Tata 1mg's production URL).
        BaseUrl { name: "base_url", env: "ONEMG_BASE_URL", secret: false, required: false, common: base_url },
    }
);

status_table!(none
    /// Tata 1mg documents no order statuses for merchants: a confirm that succeeds is
    /// `confirmed`, and there is no lookup.
);

/// Tata 1mg's error rules, read in order: 1mg has no error codes; its messages are the codes
/// (and arrive with HTTP 500).
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
impl SuccessBody for types::ConfirmOrderResponse {
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        let failure = ProviderFailure {
            message: self.error.as_ref().and_then(|e| e.message.clone()),
            ..ProviderFailure::default()
        };
        (!self.is_success).then_some((failure, "is_success: false"))
    }
}

// No `get_order`: 1mg documents no order lookup by 1mg order id.
adapter! {
    OnemgAdapter for PROVIDER, confirm_needs_merchant_order_id: true;

    async fn confirm_order(&self, request: &ConfirmRequest) -> Result<Order, Error> {
        let call = Call::of_order(PROVIDER, Operation::ConfirmOrder, &request.order_id);
        call.path_segment(&request.order_id)?;
        call.path_segment(&self.merchant_id)?;
        let Some(merchant_order_id) = request.merchant_order_id.clone() else {
            return Err(call.error(
                ErrorKind::InvalidInput,
                "Tata 1mg needs the merchant order id to confirm an order",
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
}
