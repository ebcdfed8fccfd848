//! Why a token could not be obtained, and how a generated operation reports it.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::{BodyTooLarge, error_chain};

/// A token could not be obtained. Never contains the token or a secret.
///
/// Cheap to clone (a communication failure is shared, a refusal's body is reference-counted):
/// every call that waited for one token request gets the same error.
///
/// A generated operation whose token could not be obtained fails with the progenitor error
/// [`into_error`](Self::into_error) gives, and its request is not sent.
#[derive(Clone)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint could not be reached, or its answer could not be read (a timeout of
    /// the token request, a dropped connection, a body over the size cap). Its message shows
    /// the cause chain on one line, without the token endpoint's URL.
    Communication(Arc<reqwest::Error>),
    /// The token endpoint answered with any status other than `2xx` (e.g. 401 for an unknown
    /// client id or a wrong secret, 429, a 5xx with an HTML page, a redirect): its status,
    /// headers (`Retry-After`, `Location`) and body as received ([`TokenError::refused`]).
    Refused(Box<http::Response<Bytes>>),
    /// The token endpoint answered `2xx` without a usable token (the body does not decode,
    /// the token is empty, too large or not a valid header value). The message never contains
    /// the body or the token.
    Invalid(String),
    /// The call's deadline passed while it waited for the token endpoint
    /// ([`TokenCache::token_within`](crate::TokenCache::token_within)). The token request
    /// goes on for the other calls waiting for it.
    TimedOut,
}

impl TokenError {
    /// The token endpoint could not be reached or its answer read.
    pub fn communication(error: reqwest::Error) -> Self {
        Self::Communication(Arc::new(error))
    }

    /// A refusal of the token endpoint: its `status`, `headers` and `body`.
    pub fn refused(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let mut response = http::Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Self::Refused(Box::new(response))
    }

    /// A `2xx` answer whose body does not decode as a token: only the kind and the position
    /// of `error` are kept (a serde message can quote a value of the body, which holds the
    /// token).
    pub fn undecodable(error: &serde_json::Error) -> Self {
        Self::Invalid(format!(
            "the token endpoint's answer is not a token: {:?} error at line {} column {}",
            error.classify(),
            error.line(),
            error.column()
        ))
    }

    /// The HTTP status of the token endpoint's refusal ([`Refused`](Self::Refused)).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Refused(response) => Some(response.status()),
            _ => None,
        }
    }

    /// The progenitor error a generated operation returns when its token could not be
    /// obtained (its request was not sent):
    /// - [`Communication`](Self::Communication): `Error::CommunicationError` with the
    ///   `reqwest::Error` itself when this is its only copy (the call waited alone for the
    ///   token request, as a CLI run does); when several calls shared the failed request,
    ///   `Error::Custom` with the same message (a `reqwest::Error` cannot be copied);
    /// - [`Refused`](Self::Refused): `Error::UnexpectedResponse` with the token endpoint's
    ///   status, headers and body, and a [`TokenRefused`] in its `extensions()`;
    /// - [`Invalid`](Self::Invalid) and [`TimedOut`](Self::TimedOut): `Error::Custom` with the
    ///   message.
    pub fn into_error<E>(self) -> progenitor_client::Error<E> {
        match self {
            Self::Communication(error) => match Arc::try_unwrap(error) {
                Ok(error) => progenitor_client::Error::CommunicationError(error),
                Err(shared) => progenitor_client::Error::Custom(communication_message(&shared)),
            },
            Self::Refused(response) => {
                let mut response = *response;
                response.extensions_mut().insert(TokenRefused);
                progenitor_client::Error::UnexpectedResponse(reqwest::Response::from(response))
            }
            Self::Invalid(_) | Self::TimedOut => progenitor_client::Error::Custom(self.to_string()),
        }
    }
}

/// Why the token request failed, on one line, with the cause chain (`connection refused`,
/// `dns error: ...`, the body cap) and without the token endpoint's URL: reqwest's own
/// message names the URL, and one whose body was capped names a placeholder URL instead.
fn communication_message(error: &reqwest::Error) -> String {
    if let Some(too_large) = BodyTooLarge::find(error) {
        return format!("the token endpoint's answer was refused: {too_large}");
    }
    let what = if error.is_connect() {
        "cannot reach the token endpoint"
    } else if error.is_timeout() {
        "the token endpoint did not answer in time"
    } else if error.is_body() || error.is_decode() {
        "the token endpoint's answer could not be read"
    } else {
        "the token request failed"
    };
    match std::error::Error::source(error) {
        Some(source) => format!("{what}: {}", error_chain(source)),
        None => what.to_owned(),
    }
}

impl From<reqwest::Error> for TokenError {
    fn from(error: reqwest::Error) -> Self {
        Self::communication(error)
    }
}

impl<E> From<TokenError> for progenitor_client::Error<E> {
    fn from(error: TokenError) -> Self {
        error.into_error()
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Communication(error) => f.debug_tuple("Communication").field(error).finish(),
            // The body length only: an answer of a token endpoint is no place to print.
            Self::Refused(response) => f
                .debug_struct("Refused")
                .field("status", &response.status())
                .field("body_bytes", &response.body().len())
                .finish_non_exhaustive(),
            Self::Invalid(message) => f.debug_tuple("Invalid").field(message).finish(),
            Self::TimedOut => f.write_str("TimedOut"),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Communication(error) => f.write_str(&communication_message(error)),
            Self::Refused(response) => {
                write!(f, "the token endpoint refused: HTTP {}", response.status())
            }
            Self::Invalid(message) => f.write_str(message),
            Self::TimedOut => f.write_str(
                "the token endpoint did not answer before the call's deadline; the operation was not sent",
            ),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Communication(error) => Some(&**error),
            _ => None,
        }
    }
}

/// Marks an `Error::UnexpectedResponse` that is the token endpoint's refusal, not the
/// operation's answer: the operation's request was never sent. Found in the response's
/// `extensions()`:
///
/// ```
/// # fn check(error: &progenitor_client::Error<()>) -> bool {
/// use ordergate_runtime::TokenRefused;
/// matches!(error, progenitor_client::Error::UnexpectedResponse(response)
///     if response.extensions().get::<TokenRefused>().is_some())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenRefused;
