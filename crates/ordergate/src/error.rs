//! The normalized error: one kind vocabulary, nothing the provider said is lost.
//!
//! "The provider said no" (an error response, a failure flag inside HTTP 200) and "we could not
//! talk to it or read it" (transport, timeout, decode) are different kinds; the provider's own
//! code and message are kept verbatim, with the HTTP status and `Retry-After`.

use std::any::Any;
use std::fmt;
use std::time::Duration;

use ordergate_runtime::{BodyTooLarge, CallRecord, SendPhase};
use reqwest::header::HeaderMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ProviderName;

/// What went wrong, in one vocabulary across providers (serialized `snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was refused before anything was sent (bad id, missing setting).
    InvalidInput,
    /// The provider refused the credentials (HTTP 401 or its equivalent).
    Unauthorized,
    /// The credentials are valid but not allowed to do this.
    Forbidden,
    /// The order (or endpoint) does not exist.
    NotFound,
    /// The order is not in a state that allows this (e.g. already confirmed).
    Conflict,
    /// The provider refused the request as invalid.
    BadRequest,
    /// Too many requests; see [`Error::retry_after`].
    RateLimited,
    /// The provider failed (HTTP 5xx).
    Server,
    /// A read timed out (after its retries).
    Timeout,
    /// A state-changing call may or may not have taken effect: a timeout or a dropped
    /// connection after sending, or a success status (`2xx`) whose body cannot be read. Look
    /// the order up before doing anything else; it is never resent.
    OutcomeUnknown,
    /// The provider answered with a redirect (HTTP `3xx`, see [`Error::location`]). Redirects
    /// are never followed: the request was sent once, to the configured base URL, and nothing
    /// went to the place the redirect names. Check the base URL.
    Redirected,
    /// The provider could not be reached (connection refused, DNS, TLS); nothing took effect.
    Transport,
    /// The response could not be read as the spec describes.
    Decode,
    /// The provider does not offer this operation.
    Unsupported,
}

impl ErrorKind {
    /// The kind an HTTP status implies when the provider's code says nothing more specific.
    pub fn from_status(status: u16) -> Self {
        match status {
            300..=399 => Self::Redirected,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::RateLimited,
            500..=599 => Self::Server,
            // 400 and every other client error.
            400..=499 => Self::BadRequest,
            _ => Self::Decode,
        }
    }

    /// The serialized name (`outcome_unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::BadRequest => "bad_request",
            Self::RateLimited => "rate_limited",
            Self::Server => "server",
            Self::Timeout => "timeout",
            Self::OutcomeUnknown => "outcome_unknown",
            Self::Redirected => "redirected",
            Self::Transport => "transport",
            Self::Decode => "decode",
            Self::Unsupported => "unsupported",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a failed call got, apart from what went wrong ([`ErrorKind`]): what a caller must
/// know before doing anything else (serialized `snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// Nothing reached the provider: the input or the configuration was refused, the
    /// operation is unsupported, or no connection could be made. Nothing can have taken effect.
    NotSent,
    /// The request was sent (or may have been) and no answer was read: a timeout or a
    /// connection lost after sending. A state-changing call may have been applied.
    SentWithoutAnswer,
    /// The provider answered with an HTTP status ([`Error::http_status`]).
    Answered,
}

impl Phase {
    /// The serialized name (`sent_without_answer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::SentWithoutAnswer => "sent_without_answer",
            Self::Answered => "answered",
        }
    }

    /// The phase an error of `kind` has unless it says otherwise.
    fn of(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidInput | ErrorKind::Unsupported | ErrorKind::Transport => {
                Self::NotSent
            }
            ErrorKind::Timeout | ErrorKind::OutcomeUnknown => Self::SentWithoutAnswer,
            _ => Self::Answered,
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A facade operation: one per [`OrderProvider`](crate::OrderProvider) method, serialized as the
/// method's name (`confirm_order`), and [`Operation::Configure`] for building an adapter. A
/// provider's [`Capabilities`](crate::Capabilities) is a set of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Operation {
    /// [`OrderProvider::confirm_order`](crate::OrderProvider::confirm_order).
    ConfirmOrder,
    /// [`OrderProvider::get_order`](crate::OrderProvider::get_order).
    GetOrder,
    /// [`OrderProvider::create_order`](crate::OrderProvider::create_order).
    CreateOrder,
    /// [`OrderProvider::cancel_order`](crate::OrderProvider::cancel_order).
    CancelOrder,
    /// [`OrderProvider::list_orders`](crate::OrderProvider::list_orders).
    ListOrders,
    /// [`OrderProvider::track_order`](crate::OrderProvider::track_order).
    TrackOrder,
    /// [`OrderProvider::parse_webhook`](crate::OrderProvider::parse_webhook).
    ParseWebhook,
    /// Building an adapter from configuration.
    Configure,
}

impl Operation {
    /// Every operation a provider may support (all but [`Operation::Configure`]), in the order
    /// [`Capabilities`](crate::Capabilities) lists them.
    pub const PROVIDED: [Self; 7] = [
        Self::CreateOrder,
        Self::ConfirmOrder,
        Self::GetOrder,
        Self::CancelOrder,
        Self::ListOrders,
        Self::TrackOrder,
        Self::ParseWebhook,
    ];

    /// Whether the operation changes state at the provider (and so is never resent once it
    /// may have arrived).
    pub fn changes_state(self) -> bool {
        matches!(
            self,
            Self::ConfirmOrder | Self::CreateOrder | Self::CancelOrder
        )
    }

    /// The serialized name, which is also the [`OrderProvider`](crate::OrderProvider) method's
    /// name (`confirm_order`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmOrder => "confirm_order",
            Self::GetOrder => "get_order",
            Self::CreateOrder => "create_order",
            Self::CancelOrder => "cancel_order",
            Self::ListOrders => "list_orders",
            Self::TrackOrder => "track_order",
            Self::ParseWebhook => "parse_webhook",
            Self::Configure => "configure",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one setting or field an error is about, when changing it gets past the error: the
/// error's [`message`](Error::message) ends with the advice in the library's terms
/// ([`Fix::advice`]), and a front end names its own flag or variable for it instead (the CLI's
/// `--merchant-order-id`, `--allow-insecure-http`). See [`Error::fix`] and [`Error::problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fix {
    /// A provider [`Setting`](crate::Setting) is missing or refused (named by its environment
    /// variable in the message, which is also a key [`Provider::from_options`](crate::Provider::from_options)
    /// accepts). No advice is appended: the message names the variable already.
    Setting(&'static crate::Setting),
    /// [`ConfirmRequest::merchant_order_id`](crate::ConfirmRequest::merchant_order_id) is
    /// needed (Tata 1mg).
    MerchantOrderId,
    /// The base URL is plain `http://` to a host that is not loopback, and credentials would
    /// travel in clear text: use `https://`, or allow it with
    /// [`ClientConfig::with_insecure_http`](crate::ClientConfig::with_insecure_http) (or
    /// [`Overrides::with_insecure_http`](crate::Overrides::with_insecure_http)).
    AllowInsecureHttp,
}

impl Fix {
    /// The advice the error's message ends with (after `; `), in the library's terms; `None`
    /// for [`Fix::Setting`], whose message names the setting already.
    pub fn advice(self) -> Option<&'static str> {
        match self {
            Self::Setting(_) => None,
            Self::MerchantOrderId => Some(
                "set `ConfirmRequest::merchant_order_id` (`ConfirmRequest::with_merchant_order_id`)",
            ),
            Self::AllowInsecureHttp => Some(
                "use https://, or allow plain HTTP with `ClientConfig::with_insecure_http(true)` (or `Overrides::with_insecure_http(true)`)",
            ),
        }
    }
}

/// An ordergate error: a [`kind`](Error::kind) to act on, how far the call got
/// ([`phase`](Error::phase)), and everything the provider said: its code, reason and message,
/// and its typed error body ([`Error::provider_error`]). The error of a lower layer (a
/// [`ConfigError`](ordergate_runtime::ConfigError), a reqwest error) is the
/// [`source`](std::error::Error::source). Never contains a credential.
#[non_exhaustive]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// How far the call got: not sent, sent without an answer, or answered.
    pub phase: Phase,
    /// Which provider.
    pub provider: ProviderName,
    /// Which operation.
    pub operation: Operation,
    /// The HTTP status, when a response arrived.
    pub http_status: Option<u16>,
    /// The provider's own error code, verbatim (`400201`, `order_not_passive`).
    pub code: Option<String>,
    /// The provider's secondary reason code, verbatim (Fuuffy's `ORDER_NOT_FOUND`).
    pub reason: Option<String>,
    /// The provider's message, or ours when the provider gave none; at most
    /// [`Error::MESSAGE_LIMIT`] bytes (a longer one is cut, and says how long it was).
    pub message: String,
    /// How long to wait before retrying, from `Retry-After` or the provider's reset header
    /// (whole seconds).
    pub retry_after: Option<Duration>,
    /// The order concerned, so that an `outcome_unknown` confirm can be checked.
    pub order_id: Option<String>,
    /// Where a redirect pointed ([`ErrorKind::Redirected`]): the `Location` header as sent,
    /// with any `user:password@` replaced by `***@`, cut to a bound. Never followed.
    pub location: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    provider_error: Option<Box<dyn Any + Send + Sync>>,
    fix: Option<Fix>,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("phase", &self.phase)
            .field("provider", &self.provider)
            .field("operation", &self.operation)
            .field("http_status", &self.http_status)
            .field("code", &self.code)
            .field("reason", &self.reason)
            .field("message", &self.message)
            .field("retry_after", &self.retry_after)
            .field("order_id", &self.order_id)
            .field("location", &self.location)
            .field("source", &self.source)
            .field("provider_error", &self.provider_error.is_some())
            .field("fix", &self.fix)
            .finish()
    }
}

impl Error {
    /// A new error with no HTTP details.
    pub(crate) fn new(
        kind: ErrorKind,
        provider: ProviderName,
        operation: Operation,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            phase: Phase::of(kind),
            provider,
            operation,
            http_status: None,
            code: None,
            reason: None,
            message: bounded(message.into(), Self::MESSAGE_LIMIT),
            retry_after: None,
            order_id: None,
            location: None,
            source: None,
            provider_error: None,
            fix: None,
        }
    }

    /// An error about `fix`: `problem`, then the fix's [advice](Fix::advice) after `; `.
    pub(crate) fn about(
        kind: ErrorKind,
        provider: ProviderName,
        operation: Operation,
        problem: impl Into<String>,
        fix: Fix,
    ) -> Self {
        let mut message = problem.into();
        if let Some(advice) = fix.advice() {
            message = format!("{message}; {advice}");
        }
        let mut error = Self::new(kind, provider, operation, message);
        error.fix = Some(fix);
        error
    }

    /// The one setting or field this error is about, when changing it gets past the error
    /// (see [`Fix`]).
    pub fn fix(&self) -> Option<Fix> {
        self.fix
    }

    /// The [`message`](Error::message) without the [fix](Error::fix)'s advice at its end: what
    /// went wrong, for a front end that gives its own advice (the CLI names its flags).
    pub fn problem(&self) -> &str {
        self.fix
            .and_then(Fix::advice)
            .and_then(|advice| {
                self.message
                    .strip_suffix(advice)
                    .and_then(|rest| rest.strip_suffix("; "))
            })
            .unwrap_or(&self.message)
    }

    /// The longest [`message`](Error::message) kept, in bytes (a provider may send megabytes).
    pub const MESSAGE_LIMIT: usize = 4096;

    /// The longest provider [`code`](Error::code) or [`reason`](Error::reason) kept, in bytes.
    pub const CODE_LIMIT: usize = 256;

    /// The provider's own error body, typed, when the provider answered with one: the
    /// generated error type of its SDK (`ordergate::sdk::fuuffy::types::ErrorResponse`), or
    /// the success type whose failure flag was set (Logitrail's `success: false`). `None` when
    /// the provider sent no such body or `T` is not its type.
    ///
    /// A downcast, by design, rather than an enum of every provider's body types: which bodies
    /// exist depends on the cargo features (an enum would change with them, and every new
    /// operation's success type with a failure flag would add a variant and break exhaustive
    /// matches), and a caller who looks at the body already knows which provider answered
    /// ([`Error::provider`]), so naming the SDK type is what they would do with an enum too.
    /// The common fields ([`code`](Error::code), [`reason`](Error::reason),
    /// [`message`](Error::message), [`http_status`](Error::http_status)) need no downcast.
    pub fn provider_error<T: Any>(&self) -> Option<&T> {
        self.provider_error.as_deref()?.downcast_ref()
    }

    /// The provider answered with HTTP `status`.
    pub(crate) fn set_http_status(&mut self, status: u16) {
        self.http_status = Some(status);
        self.phase = Phase::Answered;
    }

    fn with_provider_error(mut self, body: impl Any + Send + Sync) -> Self {
        self.provider_error = Some(Box::new(body));
        self
    }

    /// Sets the provider's code and reason, each cut to [`Error::CODE_LIMIT`].
    fn with_failure(mut self, code: Option<String>, reason: Option<String>) -> Self {
        self.code = code.map(|code| bounded(code, Self::CODE_LIMIT));
        self.reason = reason.map(|reason| bounded(reason, Self::CODE_LIMIT));
        self
    }

    /// Whether nothing reached the provider (so nothing can have taken effect): the
    /// [`phase`](Error::phase) is [`Phase::NotSent`].
    pub fn nothing_was_sent(&self) -> bool {
        self.phase == Phase::NotSent
    }

    pub(crate) fn with_order_id(mut self, order_id: &str) -> Self {
        self.order_id = Some(order_id.to_owned());
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.provider,
            self.operation.as_str(),
            self.kind
        )?;
        if let Some(status) = self.http_status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(code) = &self.code {
            write!(f, " [{code}]")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What a provider's error body said, extracted by its adapter.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProviderFailure {
    pub code: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
}

/// The provider-specific parts of error classification, supplied by each adapter.
pub(crate) trait ErrorTable {
    /// The provider's error body type (also tried on a success body that does not decode,
    /// to find a failure envelope).
    type Body: fmt::Debug + Send + Sync + serde::de::DeserializeOwned + 'static;
    /// Reads code, reason and message out of the provider's error body.
    fn describe(body: &Self::Body) -> ProviderFailure;
    /// Whether `body`, found inside a success status whose body is not the documented one,
    /// says the request failed (a failure flag, an error object): only then is it the
    /// provider saying no rather than an unreadable success.
    fn reports_failure(body: &Self::Body) -> bool;
    /// The provider's error rules (its adapter's `ERROR_RULES`), read in order.
    const RULES: &'static [crate::ErrorRule];
    /// The provider's conventions, from its spec (how its rate-limit headers read).
    const CONVENTIONS: &'static ordergate_runtime::Conventions;
    /// The format of the provider's order ids in words, when its spec documents one (the
    /// adapter module's `ORDER_ID_FORMAT`, from its `adapter!`).
    const ORDER_ID_FORMAT: Option<&'static str> = None;
    /// The kind the provider's code or message implies (the first of [`Self::RULES`] that
    /// matches); `None` lets the HTTP status decide.
    fn classify(status: u16, failure: &ProviderFailure) -> Option<ErrorKind> {
        crate::tables::classify(
            Self::RULES,
            status,
            failure.code.as_deref(),
            failure.reason.as_deref(),
            failure.message.as_deref(),
        )
    }
}

/// Where an error happened: the provider, the operation and, for the operations that have
/// one, the order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub provider: ProviderName,
    pub operation: Operation,
    pub order_id: Option<&'a str>,
}

impl<'a> Call<'a> {
    /// `operation` at `provider`, about no order in particular.
    pub(crate) fn new(provider: ProviderName, operation: Operation) -> Self {
        Self {
            provider,
            operation,
            order_id: None,
        }
    }

    /// `operation` of order `order_id` at `provider`.
    pub(crate) fn of_order(
        provider: ProviderName,
        operation: Operation,
        order_id: &'a str,
    ) -> Self {
        Self {
            order_id: Some(order_id),
            ..Self::new(provider, operation)
        }
    }

    pub(crate) fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        let error = Error::new(kind, self.provider, self.operation, message);
        match self.order_id {
            Some(order_id) => error.with_order_id(order_id),
            None => error,
        }
    }

    /// [`Call::error`] about `fix` (see [`Error::fix`]): `problem`, then the fix's advice.
    #[allow(dead_code)] // used by the adapters that need a request field (Tata 1mg's)
    pub(crate) fn about(&self, kind: ErrorKind, problem: impl Into<String>, fix: Fix) -> Error {
        let error = Error::about(kind, self.provider, self.operation, problem, fix);
        match self.order_id {
            Some(order_id) => error.with_order_id(order_id),
            None => error,
        }
    }

    /// Refuses an id that cannot be one path segment: empty, `.` or `..` (URL parsers resolve
    /// dot segments, so they would change the path). Every other character is
    /// percent-encoded by the generated client.
    #[allow(dead_code)] // used by the adapters whose ids are path segments
    pub(crate) fn path_segment(&self, id: &str) -> Result<(), Error> {
        if matches!(id, "" | "." | "..") {
            Err(self.error(
                ErrorKind::InvalidInput,
                format!("{id:?} cannot be used as an order id in a URL path"),
            ))
        } else {
            Ok(())
        }
    }

    /// A failure the provider reported inside a successful HTTP response.
    /// `body` is what the provider sent (kept as [`Error::provider_error`]).
    pub(crate) fn failure_in_success<T: ErrorTable>(
        &self,
        status: u16,
        failure: ProviderFailure,
        fallback: &str,
        body: impl Any + Send + Sync,
    ) -> Error {
        let kind = T::classify(status, &failure).unwrap_or(ErrorKind::BadRequest);
        let mut error = self.error(
            kind,
            failure
                .message
                .clone()
                .unwrap_or_else(|| fallback.to_owned()),
        );
        error.set_http_status(status);
        error
            .with_failure(failure.code, failure.reason)
            .with_provider_error(body)
    }

    /// Turns any error of a generated client call into an ordergate [`Error`].
    ///
    /// `record` is what the runtime recorded of the call ([`ordergate_runtime::observe_call`]):
    /// how far it got, which is never re-derived here, the operation as its spec describes it
    /// (whether it changes state), and the last response's status and headers, needed when
    /// progenitor's error kept only the body.
    pub(crate) async fn classify<T: ErrorTable>(
        &self,
        error: progenitor_client::Error<T::Body>,
        record: CallRecord,
    ) -> Error {
        // How far the call got is what the runtime recorded where it happened, never derived
        // here from the kind of failure.
        let phase = match record.phase {
            SendPhase::NotSent => Phase::NotSent,
            SendPhase::SentWithoutAnswer => Phase::SentWithoutAnswer,
            _ => Phase::Answered,
        };
        let changes_state = record
            .operation
            .map_or(self.operation.changes_state(), |operation| {
                operation.changes_state()
            });
        let mut error = self
            .classify_answer::<T>(error, record, changes_state)
            .await;
        error.phase = phase;
        error
    }

    async fn classify_answer<T: ErrorTable>(
        &self,
        error: progenitor_client::Error<T::Body>,
        record: CallRecord,
        changes_state: bool,
    ) -> Error {
        use progenitor_client::Error as E;
        if let Some(failure) = record.token_failure.as_ref()
            && let Some(error) = self.token_unavailable(failure)
        {
            return error;
        }
        let meta = record.response;
        let status = meta.as_ref().map(|m| m.status.as_u16());
        match error {
            E::InvalidRequest(message) => self.refused_before_sending::<T>(&message),
            E::CommunicationError(source) => self.communication(source, changes_state),
            E::ResponseBodyError(source) => self.unreadable_body(source, status, changes_state),
            E::ErrorResponse(response) if response.status().is_redirection() => {
                self.redirected(response.status().as_u16(), response.headers())
            }
            E::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after::<T>(response.headers());
                self.provider_answer::<T>(status, retry_after, Some(response.into_inner()))
            }
            E::InvalidResponsePayload(body, source) => match (status, &meta) {
                (Some(300..=399), Some(meta)) => {
                    self.redirected(meta.status.as_u16(), &meta.headers)
                }
                (Some(status @ 400..), _) => {
                    let mut error = self.error(
                        ErrorKind::from_status(status),
                        format!(
                            "{} (body is not the documented JSON: {})",
                            status_text(status),
                            excerpt(&body)
                        ),
                    );
                    error.set_http_status(status);
                    error.retry_after = meta.as_ref().and_then(|m| retry_after::<T>(&m.headers));
                    error.with_source(source)
                }
                _ => self
                    .unreadable_success::<T>(
                        status,
                        &body,
                        &format!("it does not match the spec: {source}"),
                        changes_state,
                    )
                    .with_source(source),
            },
            E::UnexpectedResponse(response)
                if response
                    .extensions()
                    .get::<ordergate_runtime::TokenRefused>()
                    .is_some() =>
            {
                self.token_refused::<T>(response).await
            }
            E::UnexpectedResponse(response) => {
                let status = response.status();
                if status.is_redirection() {
                    return self.redirected(status.as_u16(), response.headers());
                }
                let retry_after = retry_after::<T>(response.headers());
                let body = response.bytes().await.unwrap_or_default();
                if status.is_success() {
                    return self.unreadable_success::<T>(
                        Some(status.as_u16()),
                        &body,
                        "the spec documents no body for this status",
                        changes_state,
                    );
                }
                let status = status.as_u16();
                let mut error = self.error(
                    ErrorKind::from_status(status),
                    format!(
                        "{} (undocumented response: {})",
                        status_text(status),
                        excerpt(&body)
                    ),
                );
                error.set_http_status(status);
                error.retry_after = retry_after;
                error
            }
            other => {
                // Not known to have stayed unsent: never claim it did.
                let mut error = self.error(ErrorKind::Transport, other.to_string());
                error.phase = Phase::SentWithoutAnswer;
                error
            }
        }
    }

    /// The operation's access token could not be obtained, so the operation was not sent: the
    /// token endpoint timed out or could not be reached, the call's deadline passed while it
    /// waited, or the answer was not a token. `None` for a refusal of the token endpoint,
    /// which is read as the provider's answer ([`Call::token_refused`]).
    fn token_unavailable(&self, failure: &ordergate_runtime::TokenError) -> Option<Error> {
        use ordergate_runtime::TokenError as T;
        let kind = match failure {
            T::Refused(_) => return None,
            T::TimedOut => ErrorKind::Timeout,
            T::Communication(error) if error.is_timeout() => ErrorKind::Timeout,
            // Answered, but with more than the body cap allows: as for an operation's answer.
            T::Communication(error) if BodyTooLarge::find(&**error).is_some() => ErrorKind::Decode,
            T::Communication(_) => ErrorKind::Transport,
            T::Invalid(_) => ErrorKind::Decode,
            _ => ErrorKind::Transport,
        };
        let shown = failure.to_string();
        let message = if shown.contains("not sent") {
            format!("the access token could not be obtained: {shown}")
        } else {
            format!("the access token could not be obtained: {shown}; the operation was not sent")
        };
        let mut error = self.error(kind, message);
        error.phase = Phase::NotSent;
        Some(error)
    }

    /// The token endpoint refused the client credentials, so the operation itself was never
    /// sent (`not_sent`). Its error body goes through the provider's code table
    /// (`invalid_client` is `unauthorized`), the HTTP status deciding otherwise.
    async fn token_refused<T: ErrorTable>(&self, response: reqwest::Response) -> Error {
        if response.status().is_redirection() {
            let mut error = self.redirected(response.status().as_u16(), response.headers());
            error.message = bounded(
                format!(
                    "the token endpoint answered {}; the operation was not sent",
                    error.message
                ),
                Error::MESSAGE_LIMIT,
            );
            error.phase = Phase::NotSent;
            return error;
        }
        let status = response.status().as_u16();
        let retry_after = retry_after::<T>(response.headers());
        let body = response.bytes().await.unwrap_or_default();
        let decoded = serde_json::from_slice::<T::Body>(&body).ok();
        let mut error = self.provider_answer::<T>(status, retry_after, decoded);
        let what = if matches!(status, 400 | 401 | 403) {
            "the token endpoint refused the client credentials"
        } else {
            "the token endpoint failed"
        };
        error.message = bounded(
            format!("{what} ({}); the operation was not sent", error.message),
            Error::MESSAGE_LIMIT,
        );
        error.phase = Phase::NotSent;
        error
    }

    /// The provider's answer with HTTP `status` and error `body` (`None` when it is not the
    /// documented error body): the provider's code table decides the kind, the status
    /// otherwise; the body's message, code and reason are kept, and the body itself.
    fn provider_answer<T: ErrorTable>(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        body: Option<T::Body>,
    ) -> Error {
        let failure = body.as_ref().map(T::describe).unwrap_or_default();
        let kind = T::classify(status, &failure).unwrap_or_else(|| ErrorKind::from_status(status));
        let message = failure
            .message
            .clone()
            .unwrap_or_else(|| status_text(status));
        let mut error = self.error(kind, message);
        error.set_http_status(status);
        error.retry_after = retry_after;
        let error = error.with_failure(failure.code, failure.reason);
        match body {
            Some(body) => error.with_provider_error(body),
            None => error,
        }
    }

    /// A request the generated client refused to send: a value that does not match the
    /// spec (progenitor's `conversion to ... failed`) or a broken request bound. An operation
    /// on an order whose only checked value is the order id, at a provider whose ids have a
    /// documented format ([`ErrorTable::ORDER_ID_FORMAT`]), names that format in words.
    fn refused_before_sending<T: ErrorTable>(&self, message: &str) -> Error {
        let conversion = message.starts_with("conversion to `");
        match (self.order_id, T::ORDER_ID_FORMAT) {
            (Some(order_id), Some(format)) if conversion => self.error(
                ErrorKind::InvalidInput,
                format!(
                    "{order_id:?} is not a {} order id: {format}; nothing was sent",
                    self.provider.title()
                ),
            ),
            _ if conversion => self.error(
                ErrorKind::InvalidInput,
                format!(
                    "refused before sending: a value does not match the format {} documents ({message}); nothing was sent",
                    self.provider.title()
                ),
            ),
            _ => self.error(
                ErrorKind::InvalidInput,
                format!("refused before sending: {message}"),
            ),
        }
    }

    /// A redirect: never followed, so the request went once, to the configured base URL.
    fn redirected(&self, status: u16, headers: &HeaderMap) -> Error {
        let location = headers
            .get(reqwest::header::LOCATION)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let mut error = self.error(
            ErrorKind::Redirected,
            format!(
                "{} to {}; ordergate never follows redirects, so the request was sent once and nothing was sent to the new location: check the base URL",
                status_text(status),
                if location.is_some() { "the location in `location`" } else { "no location" },
            ),
        );
        error.set_http_status(status);
        error.location = location.map(|location| {
            bounded(
                ordergate_runtime::without_userinfo(&location).into_owned(),
                Error::MESSAGE_LIMIT,
            )
        });
        error
    }

    /// A success status whose body is not the documented one (`body` as received, `detail`
    /// why it does not decode). A provider's failure envelope inside it keeps its code and
    /// message and goes through the provider's code table; otherwise a state-changing call
    /// probably took effect (`outcome_unknown`) and a read is a `decode` error.
    fn unreadable_success<T: ErrorTable>(
        &self,
        status: Option<u16>,
        body: &[u8],
        detail: &str,
        changes_state: bool,
    ) -> Error {
        if let Some((parsed, failure)) = envelope::<T>(body) {
            return self.failure_in_success::<T>(
                status.unwrap_or(200),
                failure,
                "the provider reported a failure",
                parsed,
            );
        }
        let shown = status.map_or_else(|| "a success status".to_owned(), status_text);
        let mut error = if changes_state {
            self.error(
                ErrorKind::OutcomeUnknown,
                format!(
                    "{shown}, but the body cannot be read ({detail}); body: {}. The request probably took effect: look the order up before retrying",
                    excerpt(body)
                ),
            )
        } else {
            self.error(
                ErrorKind::Decode,
                format!(
                    "{shown}, but the body cannot be read ({detail}); body: {}",
                    excerpt(body)
                ),
            )
        };
        error.http_status = status;
        error.phase = Phase::Answered;
        error
    }

    /// The body of a response could not be read whole: too large, or the connection failed
    /// or timed out while it arrived. The status had arrived, so the request reached the
    /// provider.
    fn unreadable_body(
        &self,
        source: reqwest::Error,
        status: Option<u16>,
        changes_state: bool,
    ) -> Error {
        let source = source.without_url();
        let too_large = BodyTooLarge::find(&source);
        let detail = match too_large {
            Some(too_large) => too_large.to_string(),
            None => format!("reading it failed: {}", chain(&source)),
        };
        let mut error = match status {
            Some(status @ 200..=299) if changes_state => self.error(
                ErrorKind::OutcomeUnknown,
                format!(
                    "{}, but the body cannot be read ({detail}). The request probably took effect: look the order up before retrying",
                    status_text(status)
                ),
            ),
            Some(status @ 300..=599) => self.error(
                ErrorKind::from_status(status),
                format!("{} (the body cannot be read: {detail})", status_text(status)),
            ),
            _ if too_large.is_some() => {
                self.error(ErrorKind::Decode, format!("refused the response: {detail}"))
            }
            _ => return self.communication(source, changes_state),
        };
        error.http_status = status;
        error.phase = Phase::Answered;
        error.with_source(source)
    }

    /// Failures before any response: whether the request may have arrived decides the kind.
    fn communication(&self, source: reqwest::Error, changes_state: bool) -> Error {
        let source = source.without_url();
        let (kind, message) = if source.is_builder() {
            (
                ErrorKind::InvalidInput,
                format!(
                    "refused before sending: the request cannot be built ({}); nothing was sent",
                    chain(&source)
                ),
            )
        } else if source.is_connect() {
            // Redirects are never followed: the only connection is to the base URL's host.
            (
                ErrorKind::Transport,
                format!(
                    "could not connect to the provider ({}); nothing was sent",
                    chain(&source)
                ),
            )
        } else if source.is_timeout() {
            if changes_state {
                (
                    ErrorKind::OutcomeUnknown,
                    "timed out after the request was sent; it may have taken effect: look the order up before retrying".to_owned(),
                )
            } else {
                (
                    ErrorKind::Timeout,
                    "the provider did not answer in time".to_owned(),
                )
            }
        } else if changes_state {
            (
                ErrorKind::OutcomeUnknown,
                format!(
                    "the connection failed after the request was sent ({}); it may have taken effect: look the order up before retrying",
                    chain(&source)
                ),
            )
        } else {
            // A read whose connection failed after the request was sent: a transport failure,
            // but not one before sending.
            let message = format!(
                "the connection failed after the request was sent ({})",
                chain(&source)
            );
            let mut error = self
                .error(ErrorKind::Transport, message)
                .with_source(source);
            error.phase = Phase::SentWithoutAnswer;
            return error;
        };
        self.error(kind, message).with_source(source)
    }
}

/// A provider's failure envelope in `body`, if it is one: it decodes as the provider's error
/// body and says the request failed ([`ErrorTable::reports_failure`]).
fn envelope<T: ErrorTable>(body: &[u8]) -> Option<(T::Body, ProviderFailure)> {
    let parsed: T::Body = serde_json::from_slice(body).ok()?;
    let failure = T::reports_failure(&parsed).then(|| T::describe(&parsed))?;
    Some((parsed, failure))
}

/// How long to wait, from `Retry-After` or the provider's reset header (read as its
/// conventions say), in whole seconds.
fn retry_after<T: ErrorTable>(headers: &HeaderMap) -> Option<Duration> {
    T::CONVENTIONS
        .retry_after(headers)
        .map(|wait| Duration::from_secs(wait.as_secs()))
}

/// An error and its sources, `outer: inner: innermost`, on one line, each message once.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    ordergate_runtime::error_chain(error)
}

/// `text` cut to at most `limit` bytes (at a character boundary), the cut noted with the
/// original length: `... (cut: 5242880 bytes in all)`.
pub(crate) fn bounded(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let note = format!("... (cut: {} bytes in all)", text.len());
    let mut cut = limit.saturating_sub(note.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{note}", &text[..cut])
}

fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("HTTP {status} {reason}").trim_end().to_owned()
}

/// The start of a body, on one line, for messages (an HTML gateway page, truncated JSON).
pub(crate) fn excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 160;
    if body.is_empty() {
        return "empty body".to_owned();
    }
    let text = String::from_utf8_lossy(body);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // As sent (quotes are not escaped: a JSON body reads as JSON); a front end escapes what
    // its terminal must not receive raw.
    match flat.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_decide_when_codes_do_not() {
        let table = [
            (400, ErrorKind::BadRequest),
            (401, ErrorKind::Unauthorized),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Conflict),
            (422, ErrorKind::BadRequest),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (502, ErrorKind::Server),
            (503, ErrorKind::Server),
            (302, ErrorKind::Redirected),
            (308, ErrorKind::Redirected),
            (204, ErrorKind::Decode),
        ];
        for (status, kind) in table {
            assert_eq!(ErrorKind::from_status(status), kind, "{status}");
        }
    }

    #[test]
    fn excerpts_are_short_single_lines() {
        let page = format!(
            "<html>\n<body>\n{}</body></html>",
            "bad gateway ".repeat(100)
        );
        let text = excerpt(page.as_bytes());
        assert!(text.starts_with("<html> <body> bad gateway"), "{text}");
        assert_eq!(excerpt(br#"{"message": "no"}"#), r#"{"message": "no"}"#);
        assert!(text.len() < 200, "{}", text.len());
        assert_eq!(excerpt(b""), "empty body");
    }
}
