//! The facade's Fuuffy adapter with client credentials (`FUUFFY_CLIENT_ID` +
//! `FUUFFY_CLIENT_SECRET`) against httpmock: it gets one token and uses it, a static token
//! wins, and a refused client is `unauthorized` with nothing else sent.

use httpmock::MockServer;
use ordergate::{ErrorKind, FuuffyAdapter, OrderProvider, Phase, Provider, ProviderName};
use ordergate_tests::credentials::TOKEN;
use serde_json::json;

const CLIENT_ID: &str = "client-7c1e";
const CLIENT_SECRET: &str = "client-secret-5b2d9e";
const ISSUED: &str = "sk-issued-0f3a9c";

fn order_body() -> String {
    json!({"data": {"order_id": "3550875", "status": "READY_TO_SHIP"}}).to_string()
}

fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method("POST")
            .path("/v1/auth/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("client_id", CLIENT_ID)
            .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
        then.status(200)
            .header("content-type", "application/json")
            .body(
            json!({"data": {"access_token": ISSUED, "token_type": "Bearer", "expires_in": 3600}})
                .to_string(),
        );
    })
}

fn order_mock<'a>(server: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {token}");
    server.mock(|when, then| {
        when.method("GET")
            .path("/v1/order")
            .query_param("id", "3550875")
            .header("authorization", bearer);
        then.status(200)
            .header("content-type", "application/json")
            .body(order_body());
    })
}

#[tokio::test]
async fn client_credentials_get_one_token_for_many_calls() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server);
    let order = order_mock(&server, ISSUED);
    let provider = Provider::from_options(
        ProviderName::Fuuffy,
        [
            ("FUUFFY_CLIENT_ID", CLIENT_ID),
            ("FUUFFY_CLIENT_SECRET", CLIENT_SECRET),
            ("FUUFFY_BASE_URL", server.base_url().as_str()),
        ],
    )
    .expect("client credentials are enough");
    for _ in 0..3 {
        let got = provider.get_order("3550875").await.expect("ok");
        assert_eq!(got.order_id, "3550875");
    }
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(order.calls_async().await, 3);
    let shown = format!("{provider:?}");
    assert!(
        !shown.contains(CLIENT_SECRET) && !shown.contains(ISSUED),
        "{shown}"
    );
}

#[tokio::test]
async fn a_static_token_wins_over_client_credentials() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server);
    let order = order_mock(&server, TOKEN);
    let adapter = FuuffyAdapter::builder()
        .token(TOKEN)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .base_url(server.base_url())
        .build()
        .expect("builds");
    adapter.get_order("3550875").await.expect("ok");
    assert_eq!(token.calls_async().await, 0);
    assert_eq!(order.calls_async().await, 1);
}

#[tokio::test]
async fn a_refused_client_is_unauthorized_and_nothing_else_is_sent() {
    let server = MockServer::start_async().await;
    let token = server.mock(|when, then| {
        when.method("POST").path("/v1/auth/token");
        then.status(401)
            .header("content-type", "application/json")
            .body(
                r#"{"error":{"code":"invalid_client","message":"Client authentication failed"}}"#,
            );
    });
    let anything_else = server.mock(|when, then| {
        when.is_true(|request| request.uri().path() != "/v1/auth/token");
        then.status(200);
    });
    let adapter = FuuffyAdapter::builder()
        .client_id(CLIENT_ID)
        .client_secret("wrong-secret-81f2")
        .base_url(server.base_url())
        .build()
        .expect("builds without sending");
    assert_eq!(token.calls_async().await, 0, "building sends nothing");
    let request = ordergate::ConfirmRequest::new("3550609");
    let error = adapter.confirm_order(&request).await.expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Unauthorized, "{error}");
    assert_eq!(error.phase, Phase::NotSent, "{error}");
    assert!(error.nothing_was_sent());
    assert_eq!(error.code.as_deref(), Some("invalid_client"));
    assert_eq!(error.http_status, Some(401));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("wrong-secret-81f2"), "{shown}");
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(anything_else.calls_async().await, 0);
}

#[test]
fn neither_a_token_nor_client_credentials_names_both_ways() {
    for partial in [
        FuuffyAdapter::builder(),
        FuuffyAdapter::builder().client_id(CLIENT_ID),
        FuuffyAdapter::builder().client_secret(CLIENT_SECRET),
    ] {
        let error = partial.build().expect_err("no credentials");
        assert_eq!(error.kind, ErrorKind::InvalidInput);
        for variable in ["FUUFFY_TOKEN", "FUUFFY_CLIENT_ID", "FUUFFY_CLIENT_SECRET"] {
            assert!(error.message.contains(variable), "{}", error.message);
        }
        assert!(!error.message.contains(CLIENT_SECRET), "{}", error.message);
    }
}
