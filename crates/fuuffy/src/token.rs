//! Access tokens that renew themselves: the OAuth2 client-credentials grant of
//! `POST /v1/auth/token` (<https://api-docs.fuuffy.com/authentication>), cached and renewed
//! as Fuuffy's token page recommends (<https://api-docs.fuuffy.com/api/auth/tokens>).

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use ordergate_runtime::{
    Auth, ClientConfig, ConfigError, ExposeSecret, FreshToken, SecretString, Sensitive, TokenCache,
    TokenError, TokenFuture, TokenSource,
};

use crate::{Client, Error, types};

/// How long a Fuuffy access token lives when the token answer has no `expires_in`: one hour
/// (<https://api-docs.fuuffy.com/authentication>).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Fuuffy's OAuth2 client credentials: a client id and secret that obtain access tokens from
/// `POST /v1/auth/token` (form-encoded, `grant_type=client_credentials`;
/// <https://api-docs.fuuffy.com/authentication>).
///
/// As [`Auth`] (or through [`Client::with_client_credentials`]), a client gets a token when
/// it first needs one, reuses it until 5 minutes before it expires, renews it then (one token
/// request however many calls are waiting), and after an HTTP 401 (an expired or revoked
/// token) renews it and sends the request once more, as Fuuffy's token page recommends
/// (<https://api-docs.fuuffy.com/api/auth/tokens>). Calls waiting for a token share one token
/// request, and each gives up at its own deadline (see [`TokenCache`]).
///
/// The client id and secret are sent without leading and trailing whitespace (a newline from
/// a file or `echo`), as a token is. `expires_in` is read as seconds whether it comes as an
/// integer, a fraction (whole seconds kept) or a string holding a number; a token answer
/// without it, or with a negative or unreadable one, is taken to last
/// [`DEFAULT_TOKEN_LIFETIME`].
///
/// The secret is held as a [`SecretString`]; `Debug` shows neither it nor a token. Like every
/// credential, the secret is never sent over plain `http://` to a host that is not loopback
/// (unless [`ClientConfig::allow_insecure_http`] says so).
///
/// When a token cannot be obtained, the operation fails without being sent (see
/// [`ordergate_runtime::TokenError::into_error`]):
/// - `Error::UnexpectedResponse` carrying the token endpoint's answer (status, headers such as
///   `Retry-After` or a redirect's `Location`, and body) and an
///   [`ordergate_runtime::TokenRefused`] in its `extensions()` when it answered any status
///   other than `2xx`, whatever the body (for example 401 `invalid_client` for a wrong
///   secret, 429, or a 5xx HTML page);
/// - `Error::CommunicationError` when the token endpoint could not be reached or its answer
///   not read (a timeout, a dropped connection, a body over the size cap);
/// - `Error::Custom` when its answer held no usable token (not a token, or a token over 8 KiB
///   that no header could carry), or the call's deadline passed while it waited.
///
/// ```no_run
/// use ordergate_fuuffy::{ClientConfig, ClientCredentials, Client, PRODUCTION_BASE_URL};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let config = ClientConfig::default();
/// let credentials = ClientCredentials::new(
///     PRODUCTION_BASE_URL,
///     std::env::var("FUUFFY_CLIENT_ID")?,
///     std::env::var("FUUFFY_CLIENT_SECRET")?,
///     &config,
/// )?;
/// let client = Client::connect(PRODUCTION_BASE_URL, credentials, &config)?;
/// let order = client.get_order().id("3550875").send().await?;
/// println!("{}", order.data.status);
/// # Ok(()) }
/// ```
pub struct ClientCredentials {
    /// The client that asks for tokens (no credential header; the secret is in the body).
    client: Client,
    client_id: String,
    client_secret: SecretString,
}

impl ClientCredentials {
    /// Credentials that request tokens from `base_url` (e.g.
    /// [`PRODUCTION_BASE_URL`](crate::PRODUCTION_BASE_URL)) with the transport settings of
    /// `config`.
    ///
    /// # Errors
    /// [`ConfigError`] as for [`Client::connect`]: an invalid base URL, plain `http://` to a
    /// host that is not loopback (the secret travels in the token request's body), or an HTTP
    /// client that cannot be built. Nothing is sent.
    pub fn new(
        base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let client_secret: SecretString = client_secret.into();
        Ok(Self {
            client: Client::connect(base_url, Auth::secret_in_body(), config)?,
            client_id: trimmed(&client_id.into()).to_owned(),
            client_secret: trimmed(client_secret.expose_secret()).into(),
        })
    }

    /// A cache of these credentials' tokens, to share between clients:
    /// `Auth::token_source(cache.clone())` for each.
    pub fn into_cache(self) -> TokenCache {
        TokenCache::new(self, DEFAULT_TOKEN_LIFETIME)
    }

    /// One token request (`POST /v1/auth/token`).
    async fn request_token(&self) -> Result<FreshToken, TokenError> {
        let body = types::TokenRequest {
            client_id: self.client_id.clone(),
            client_secret: Sensitive::from(self.client_secret.expose_secret()),
            grant_type: types::GrantType::ClientCredentials,
        };
        let call = self.client.create_access_token().body(body).send();
        // The status and headers of an answer whose decoded error keeps none.
        let (result, meta) = ordergate_runtime::observe(call).await;
        match result {
            Ok(response) => {
                let data = response.into_inner().data;
                let lifetime = data.expires_in.and_then(lifetime_of_seconds);
                Ok(FreshToken::new(data.access_token.into_inner(), lifetime))
            }
            // Any status but 2xx is a refusal, whatever its body: classified by status like
            // any other answer.
            Err(Error::ErrorResponse(refusal)) => {
                let status = refusal.status();
                // The answer as decoded (progenitor keeps no raw body of a documented error).
                let body = serde_json::to_vec(&*refusal).unwrap_or_default();
                let headers = meta.map(|meta| meta.headers).unwrap_or_default();
                Err(TokenError::refused(status, headers, body.into()))
            }
            Err(Error::InvalidResponsePayload(body, _)) => match meta {
                // A documented error status with a body that is not JSON (text, HTML).
                Some(meta) if !meta.status.is_success() => {
                    Err(TokenError::refused(meta.status, meta.headers, body))
                }
                // A 200 the generated type does not read (`expires_in` as a string or a
                // fraction): read what can be read.
                _ => lenient_token(&body).map_err(|error| TokenError::undecodable(&error)),
            },
            Err(Error::UnexpectedResponse(response)) => {
                let status = response.status();
                if status.is_success() {
                    return Err(TokenError::Invalid(format!(
                        "the token endpoint answered HTTP {status}, which carries no token"
                    )));
                }
                // A redirect keeps its `Location` (it is never followed).
                let headers = response.headers().clone();
                let body = response.bytes().await?;
                Err(TokenError::refused(status, headers, body))
            }
            Err(
                Error::CommunicationError(error)
                | Error::ResponseBodyError(error)
                | Error::InvalidUpgrade(error),
            ) => Err(TokenError::communication(error)),
            Err(Error::InvalidRequest(message) | Error::Custom(message)) => {
                Err(TokenError::Invalid(message))
            }
        }
    }
}

/// A token answer read leniently: `data.access_token` a string, `data.expires_in` whatever
/// it is ([`lifetime_of`]).
#[derive(Deserialize)]
struct LenientAnswer {
    data: LenientToken,
}

#[derive(Deserialize)]
struct LenientToken {
    access_token: Sensitive,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// The token of a `2xx` answer the generated type does not read.
fn lenient_token(body: &[u8]) -> Result<FreshToken, serde_json::Error> {
    let answer: LenientAnswer = serde_json::from_slice(body)?;
    let lifetime = answer.data.expires_in.as_ref().and_then(lifetime_of);
    Ok(FreshToken::new(
        answer.data.access_token.into_inner(),
        lifetime,
    ))
}

/// The lifetime `expires_in` states: a number of seconds, as an integer, a fraction (whole
/// seconds kept) or a string holding one. `None` (the default lifetime applies) for anything
/// else: a negative number, text, `null`, an object.
fn lifetime_of(expires_in: &serde_json::Value) -> Option<Duration> {
    let seconds = match expires_in {
        serde_json::Value::Number(number) => number.as_f64()?,
        serde_json::Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(seconds.floor()).ok()
}

/// The lifetime of an integer `expires_in`: `None` (the default lifetime) when negative.
fn lifetime_of_seconds(seconds: i64) -> Option<Duration> {
    u64::try_from(seconds).ok().map(Duration::from_secs)
}

/// `text` without leading and trailing ASCII whitespace (a newline from a file or `echo`), as
/// a token or a credential header is trimmed.
fn trimmed(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii_whitespace())
}

impl TokenSource for ClientCredentials {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(self.request_token())
    }
}

impl From<ClientCredentials> for Auth {
    fn from(credentials: ClientCredentials) -> Self {
        Auth::token_source(credentials.into_cache())
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_endpoint", &self.client.transport().base_url())
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

impl Client {
    /// A client for `base_url` (e.g. [`PRODUCTION_BASE_URL`](crate::PRODUCTION_BASE_URL))
    /// that obtains its access tokens with `client_id` and `client_secret` from the same base
    /// URL and renews them itself (see [`ClientCredentials`]), with the transport settings of
    /// `config`.
    ///
    /// ```no_run
    /// use ordergate_fuuffy::{Client, ClientConfig, PRODUCTION_BASE_URL};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::with_client_credentials(
    ///     PRODUCTION_BASE_URL,
    ///     "my-client-id",
    ///     std::env::var("FUUFFY_CLIENT_SECRET")?,
    ///     &ClientConfig::default(),
    /// )?;
    /// let order = client.get_order().id("3550875").send().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Client::connect`] and [`ClientCredentials::new`]. Nothing is sent.
    pub fn with_client_credentials(
        base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        config: &ClientConfig,
    ) -> Result<Self, ConfigError> {
        let credentials = ClientCredentials::new(base_url, client_id, client_secret, config)?;
        Self::connect(base_url, credentials, config)
    }
}
