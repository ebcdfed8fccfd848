//! Access tokens: `POST /v1/auth/token` issues a fresh token per request, valid for the
//! sandbox's token lifetime; every other route checks the bearer token against the fixed
//! [`TOKEN`] and the live issued ones (authentication page,
//! <https://api-docs.fuuffy.com/authentication>).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ordergate_fuuffy::{codes, types};

use super::{CLIENT_ID, CLIENT_SECRET, Fake, TOKEN, error, generic_error};
use crate::credentials::secret_matches;
use crate::http::{bearer, lock, reply};

/// How many issued tokens the fake remembers; beyond that the oldest are forgotten (and then
/// answered like any unknown token).
const REMEMBERED_TOKENS: usize = 10_000;

/// The tokens the fake issued, with when each expires.
#[derive(Debug)]
pub(super) struct Tokens {
    lifetime: Duration,
    expiry: HashMap<String, Instant>,
    issued: VecDeque<String>,
}

/// What a bearer token is to the fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenState {
    /// The fixed token, or an issued one still valid.
    Valid,
    /// An issued token past its lifetime.
    Expired,
    /// Missing, or never issued.
    Unknown,
}

impl Tokens {
    pub(super) fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            expiry: HashMap::new(),
            issued: VecDeque::new(),
        }
    }

    /// A fresh token (`sk-` and 32 hex digits, like the authentication page's sample), valid
    /// for the lifetime from now; `None` if the system's random source fails.
    fn issue(&mut self) -> Option<String> {
        let token = format!("sk-{}", ordergate_runtime::inbound::random_token(16).ok()?);
        while self.issued.len() >= REMEMBERED_TOKENS {
            if let Some(oldest) = self.issued.pop_front() {
                self.expiry.remove(&oldest);
            }
        }
        let expires = Instant::now()
            .checked_add(self.lifetime)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600));
        self.expiry.insert(token.clone(), expires);
        self.issued.push_back(token.clone());
        Some(token)
    }

    /// What `token` is now.
    pub(super) fn check(&self, token: Option<&str>) -> TokenState {
        let Some(token) = token else {
            return TokenState::Unknown;
        };
        if secret_matches(token, TOKEN) {
            return TokenState::Valid;
        }
        match self.expiry.get(token) {
            Some(expires) if Instant::now() < *expires => TokenState::Valid,
            Some(_) => TokenState::Expired,
            None => TokenState::Unknown,
        }
    }
}

/// The fake's request check: the bearer token is the fixed token or a live issued one, else
/// the documented 401 reply.
pub(super) fn refusal(fake: &Fake, headers: &HeaderMap) -> Option<Response> {
    let state = lock(&fake.extra.tokens).check(bearer(headers));
    match state {
        TokenState::Valid => None,
        TokenState::Expired => {
            // The authentication page's expired-token sample.
            let mut body = generic_error(codes::INVALID_TOKEN, "The access token expired");
            body.error.details = Some("Please request a new access token".to_owned());
            Some(reply(StatusCode::UNAUTHORIZED, &body))
        }
        TokenState::Unknown => Some(reply(
            StatusCode::UNAUTHORIZED,
            &error(
                codes::UNAUTHORIZED_CODE,
                codes::UNAUTHORIZED,
                "Unauthorized",
            ),
        )),
    }
}

/// `POST /v1/auth/token` (form body `grant_type`, `client_id`, `client_secret`).
pub(super) async fn create_access_token(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_urlencoded::from_bytes::<types::TokenRequest>(&body) else {
        let mut body = generic_error(
            "invalid_request",
            "The form fields grant_type, client_id and client_secret are required",
        );
        body.error.field = Some("client_id".to_owned());
        return reply(StatusCode::BAD_REQUEST, &body);
    };
    if request.grant_type != types::GrantType::ClientCredentials {
        let mut body = generic_error(
            "unsupported_grant_type",
            "Only grant_type=client_credentials is supported",
        );
        body.error.field = Some("grant_type".to_owned());
        return reply(StatusCode::BAD_REQUEST, &body);
    }
    let client_ok = secret_matches(&request.client_id, CLIENT_ID)
        & secret_matches(request.client_secret.expose(), CLIENT_SECRET);
    if !client_ok {
        let mut body = generic_error(codes::INVALID_CLIENT, "Client authentication failed");
        body.error.details = Some("Check the client id and the client secret".to_owned());
        return reply(StatusCode::UNAUTHORIZED, &body);
    }
    let (token, lifetime) = {
        let mut tokens = lock(&fake.extra.tokens);
        (tokens.issue(), tokens.lifetime)
    };
    let Some(token) = token else {
        return reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            &error(
                "500999",
                "API_ERROR",
                "Api Error, please contact customer service",
            ),
        );
    };
    let body = types::TokenResponse {
        data: types::TokenData {
            access_token: token.into(),
            token_type: Some("Bearer".to_owned()),
            expires_in: Some(i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX)),
        },
    };
    reply(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_fresh_and_expire() {
        let mut tokens = Tokens::new(Duration::ZERO);
        let first = tokens.issue().expect("a token");
        let second = tokens.issue().expect("a token");
        assert_ne!(first, second);
        assert!(first.starts_with("sk-") && first.len() == 35, "{first}");
        assert_eq!(tokens.check(Some(&first)), TokenState::Expired);
        assert_eq!(tokens.check(Some(TOKEN)), TokenState::Valid);
        assert_eq!(tokens.check(Some("sk-other")), TokenState::Unknown);
        assert_eq!(tokens.check(None), TokenState::Unknown);

        let mut long = Tokens::new(Duration::from_secs(3600));
        let token = long.issue().expect("a token");
        assert_eq!(long.check(Some(&token)), TokenState::Valid);
    }
}
