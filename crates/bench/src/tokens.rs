//! Credentials that cost one request or one signature per token lifetime, not per call:
//!
//! - Fuuffy with client credentials: 1,000 confirm calls by 10 callers at once, the token
//!   endpoint answering its documented example (valid 3,600 s); the server counts the token
//!   requests.
//! - Tata 1mg with a signing key: 1,000 confirm calls by 10 callers at once within one token
//!   lifetime (15 minutes); the server counts the distinct bearer JWTs it received, one per
//!   RS256 signature.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::try_join_all;
use hyper::StatusCode;
use ordergate_fuuffy::ClientConfig;
use ordergate_fuuffy::types::ConfirmOrderRequest;

use crate::server::BenchServer;
use crate::{Failure, ORDER_ID, spec_example};

/// Calls per figure.
pub const CALLS: usize = 1_000;
/// Callers at once.
const CALLERS: usize = 10;

/// Token requests Fuuffy's client made for [`CALLS`] calls.
pub fn fuuffy_token_requests() -> Result<usize, Failure> {
    let token = crate::json_bytes(&spec_example(
        "fuuffy",
        "/paths/~1v1~1auth~1token/post/responses/200/content/application~1json/examples/authentication_page/value",
    )?)?;
    let confirm = crate::confirm_body()?;
    crate::sequential::runtime()?.block_on(async {
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let server = BenchServer::with_handler(Arc::new(move |parts| {
            if parts.uri.path() == "/v1/auth/token" {
                counter.fetch_add(1, Ordering::SeqCst);
                (StatusCode::OK, token.clone())
            } else {
                (StatusCode::OK, confirm.clone())
            }
        }))
        .await?;
        let client = ordergate_fuuffy::Client::with_client_credentials(
            &server.url,
            "bench-client",
            "bench-secret",
            &ClientConfig::default(),
        )?;
        concurrently(|| async {
            client
                .confirm_order()
                .body(ConfirmOrderRequest::builder().order_id(ORDER_ID))
                .send()
                .await?;
            Ok(())
        })
        .await?;
        Ok(requests.load(Ordering::SeqCst))
    })
}

/// RS256 signatures Tata 1mg's client made for [`CALLS`] calls: the distinct JWTs received.
pub fn onemg_jwt_signs() -> Result<usize, Failure> {
    let confirmed = crate::json_bytes(&spec_example(
        "onemg",
        "/paths/~1api~1v4~1merchants~1{merchant_id}~1orders~1{merchant_confirm_1mg_id}~1confirm/put/responses/200/content/application~1json/examples/confirmed/value",
    )?)?;
    crate::sequential::runtime()?.block_on(async {
        let tokens = Arc::new(Mutex::new(HashSet::new()));
        let seen = tokens.clone();
        let server = BenchServer::with_handler(Arc::new(move |parts| {
            if let Some(bearer) = parts.headers.get(http::header::AUTHORIZATION)
                && let Ok(mut seen) = seen.lock()
            {
                seen.insert(bearer.as_bytes().to_vec());
            }
            (StatusCode::OK, confirmed.clone())
        }))
        .await?;
        let credentials = ordergate_onemg::Credentials::signed(
            ordergate_sandbox::onemg::SANDBOX_PRIVATE_KEY_PEM,
            "bench-access-key",
        )?;
        let client = ordergate_onemg::Client::with_credentials(&server.url, credentials)?;
        concurrently(|| async {
            client
                .confirm_order()
                .merchant_id("bench-merchant")
                .merchant_confirm_1mg_id("PO29523371880004")
                .body(ordergate_onemg::types::ConfirmOrderRequest {
                    merchant_order_id: "2333asa3s25224".to_owned(),
                    order_id: "PO29523371880004".to_owned(),
                })
                .send()
                .await?;
            Ok(())
        })
        .await?;
        let distinct = tokens.lock().map_err(|_| "the server's token set")?.len();
        Ok(distinct)
    })
}

/// [`CALLS`] calls of `call`, by [`CALLERS`] callers at once.
async fn concurrently<F, Fut>(call: F) -> Result<(), Failure>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    try_join_all((0..CALLERS).map(|_| async {
        for _ in 0..CALLS / CALLERS {
            call().await?;
        }
        Ok::<(), Failure>(())
    }))
    .await?;
    Ok(())
}
