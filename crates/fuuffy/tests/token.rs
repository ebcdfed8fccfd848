//! Access tokens that renew themselves (client-credentials grant), against httpmock over
//! loopback: the token request, caching, renewal at expiry, one token request for many
//! concurrent calls, renew-and-replay after HTTP 401, and a refusing token endpoint.

use std::time::Duration;

use httpmock::{Method::GET, Method::POST, Mock, MockServer};
use ordergate_fuuffy::{
    Auth, Client, ClientConfig, ClientCredentials, ConfigError, Error, TokenCache, TokenRefused,
    types,
};
use ordergate_runtime::RetryPolicy;

const CLIENT_ID: &str = "client-id-7";
const SECRET: &str = "S3CRET-client-secret";
const EXPIRED: &str = r#"{"error":{"code":"invalid_token","message":"The access token expired","details":"Please request a new access token"}}"#;
const UNAUTHORIZED: &str =
    r#"{"error":{"code":"401000","code_reason":"UNAUTHORIZED","message":"Unauthorized"}}"#;
const ORDER: &str = r#"{"data":{"order_id":"3550875","status":"READY_TO_SHIP"}}"#;
const CONFIRMED: &str = r#"{"data":{"message":"OK","confirmed_orders":[]}}"#;

/// The token endpoint issuing `token` for `expires_in` seconds (`None`: no `expires_in`),
/// to exactly the form the docs show.
async fn token_endpoint<'a>(
    server: &'a MockServer,
    token: &str,
    expires_in: Option<i64>,
) -> Mock<'a> {
    let mut data = serde_json::json!({"access_token": token, "token_type": "Bearer"});
    if let Some(seconds) = expires_in {
        data["expires_in"] = seconds.into();
    }
    let body = serde_json::json!({ "data": data });
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/auth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", SECRET)
                // Exactly these three fields.
                .body(format!(
                    "client_id={CLIENT_ID}&client_secret={SECRET}&grant_type=client_credentials"
                ))
                .header_missing("authorization");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(body)
                // A window for concurrent callers to pile up behind the fetch.
                .delay(Duration::from_millis(100));
        })
        .await
}

/// `GET /v1/order` answering `status` and `body` to `Authorization: Bearer <token>`.
async fn get_order<'a>(server: &'a MockServer, token: &str, status: u16, body: &str) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/order")
                .query_param("id", "3550875")
                .header("authorization", format!("Bearer {token}"));
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

/// `POST /v1/order/confirm` of order 3550609 answering `status` and `body` to
/// `Authorization: Bearer <token>`.
async fn confirm<'a>(server: &'a MockServer, token: &str, status: u16, body: &str) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/order/confirm")
                .header("authorization", format!("Bearer {token}"))
                .json_body(serde_json::json!({"order_id": "3550609"}));
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

fn credentials(base_url: &str) -> ClientCredentials {
    ClientCredentials::new(base_url, CLIENT_ID, SECRET, &ClientConfig::default())
        .expect("a loopback base URL is accepted")
}

/// A client and its token cache, so a test can fill the cache beforehand.
/// A client built the way a user of the crate would: `Client::with_client_credentials`.
fn credentials_client(server: &MockServer) -> Client {
    Client::with_client_credentials(
        &server.base_url(),
        CLIENT_ID,
        SECRET,
        &ClientConfig::default(),
    )
    .expect("client")
}

/// A client whose requests, the token request included, are sent once: the token request is
/// idempotent (`x-ordergate-idempotent: true`), so with the default policy a 502, 503 or 504
/// answer would be tried again, which is not what these tests count.
fn credentials_client_without_retries(server: &MockServer) -> Client {
    Client::with_client_credentials(
        &server.base_url(),
        CLIENT_ID,
        SECRET,
        &ClientConfig::default().with_retry(RetryPolicy::none()),
    )
    .expect("client")
}

fn client_and_cache(server: &MockServer) -> (Client, TokenCache) {
    let cache = credentials(&server.base_url()).into_cache();
    let client = Client::connect(
        &server.base_url(),
        Auth::token_source(cache.clone()),
        &ClientConfig::default(),
    )
    .expect("client");
    (client, cache)
}

async fn get(client: &Client) -> Result<(), Error<types::ErrorResponse>> {
    client.get_order().id("3550875").send().await.map(|_| ())
}

async fn post(client: &Client) -> Result<(), Error<types::ErrorResponse>> {
    client
        .confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id("3550609"))
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn the_token_request_is_the_documented_form_and_the_call_carries_its_token() {
    let server = MockServer::start_async().await;
    let token = token_endpoint(&server, "sk-first", Some(3600)).await;
    let order = get_order(&server, "sk-first", 200, ORDER).await;
    let client = credentials_client(&server);
    get(&client).await.expect("the order");
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(order.calls_async().await, 1);
}

#[tokio::test]
async fn a_valid_token_is_reused() {
    let server = MockServer::start_async().await;
    let token = token_endpoint(&server, "sk-first", Some(3600)).await;
    let order = get_order(&server, "sk-first", 200, ORDER).await;
    let confirmed = confirm(&server, "sk-first", 200, CONFIRMED).await;
    let client = credentials_client(&server);
    for _ in 0..3 {
        get(&client).await.expect("the order");
        post(&client).await.expect("confirmed");
    }
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(order.calls_async().await, 3);
    assert_eq!(confirmed.calls_async().await, 3);
}

#[tokio::test]
async fn a_token_without_expires_in_lasts_the_documented_hour() {
    let server = MockServer::start_async().await;
    let token = token_endpoint(&server, "sk-first", None).await;
    let order = get_order(&server, "sk-first", 200, ORDER).await;
    let client = credentials_client(&server);
    get(&client).await.expect("the order");
    get(&client).await.expect("the order");
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(order.calls_async().await, 2);
}

#[tokio::test]
async fn an_expired_token_is_renewed_and_the_new_one_is_sent() {
    let server = MockServer::start_async().await;
    let first = token_endpoint(&server, "sk-first", Some(1)).await;
    let old = get_order(&server, "sk-first", 200, ORDER).await;
    let new = get_order(&server, "sk-second", 200, ORDER).await;
    let (client, _) = client_and_cache(&server);
    get(&client).await.expect("the order");
    get(&client).await.expect("the order, same token");
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(old.calls_async().await, 2);

    first.delete_async().await;
    let second = token_endpoint(&server, "sk-second", Some(3600)).await;
    // Past its lifetime (the 5-minute margin is clamped to half of a 1-second lifetime).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    get(&client).await.expect("the order with a new token");
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(new.calls_async().await, 1);
    assert_eq!(old.calls_async().await, 2);
}

/// 100 calls at once, returning how many succeeded.
async fn hundred_calls(client: &Client) -> usize {
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..100 {
        let client = client.clone();
        calls.spawn(async move {
            if i % 2 == 0 {
                get(&client).await
            } else {
                post(&client).await
            }
        });
    }
    let mut ok = 0;
    while let Some(done) = calls.join_next().await {
        done.expect("task").expect("call");
        ok += 1;
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_calls_make_one_token_request_cold_or_expired() {
    let server = MockServer::start_async().await;
    let first = token_endpoint(&server, "sk-first", Some(1)).await;
    let old_get = get_order(&server, "sk-first", 200, ORDER).await;
    let old_post = confirm(&server, "sk-first", 200, CONFIRMED).await;
    let (client, _) = client_and_cache(&server);

    // Cold cache.
    assert_eq!(hundred_calls(&client).await, 100);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(
        old_get.calls_async().await + old_post.calls_async().await,
        100
    );

    // Expired.
    first.delete_async().await;
    let second = token_endpoint(&server, "sk-second", Some(3600)).await;
    let new_get = get_order(&server, "sk-second", 200, ORDER).await;
    let new_post = confirm(&server, "sk-second", 200, CONFIRMED).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(hundred_calls(&client).await, 100);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(
        new_get.calls_async().await + new_post.calls_async().await,
        100
    );
}

/// Fills the cache with `sk-first` (valid for an hour), then makes the token endpoint issue
/// `sk-second`: a provider that rejects `sk-first` before its time.
async fn revoked_first_token<'a>(server: &'a MockServer, cache: &TokenCache) -> Mock<'a> {
    let first = token_endpoint(server, "sk-first", Some(3600)).await;
    cache.token().await.expect("the first token");
    first.delete_async().await;
    token_endpoint(server, "sk-second", Some(3600)).await
}

#[tokio::test]
async fn a_401_renews_the_token_and_replays_a_get_once() {
    for rejection in [EXPIRED, UNAUTHORIZED] {
        let server = MockServer::start_async().await;
        let (client, cache) = client_and_cache(&server);
        let second = revoked_first_token(&server, &cache).await;
        let rejected = get_order(&server, "sk-first", 401, rejection).await;
        let accepted = get_order(&server, "sk-second", 200, ORDER).await;
        get(&client).await.expect("the replay succeeds");
        assert_eq!(rejected.calls_async().await, 1, "{rejection}");
        assert_eq!(second.calls_async().await, 1, "one renewal");
        assert_eq!(accepted.calls_async().await, 1, "one replay");
        // The new token is kept.
        get(&client).await.expect("the order");
        assert_eq!(second.calls_async().await, 1);
        assert_eq!(accepted.calls_async().await, 2);
    }
}

#[tokio::test]
async fn a_401_renews_the_token_and_replays_a_confirm_once() {
    for rejection in [EXPIRED, UNAUTHORIZED] {
        let server = MockServer::start_async().await;
        let (client, cache) = client_and_cache(&server);
        let second = revoked_first_token(&server, &cache).await;
        let rejected = confirm(&server, "sk-first", 401, rejection).await;
        let accepted = confirm(&server, "sk-second", 200, CONFIRMED).await;
        post(&client).await.expect("the replay succeeds");
        assert_eq!(rejected.calls_async().await, 1, "{rejection}");
        assert_eq!(second.calls_async().await, 1, "one renewal");
        assert_eq!(accepted.calls_async().await, 1, "one replay, same body");
    }
}

#[tokio::test]
async fn a_401_to_the_replay_is_returned_without_a_third_attempt() {
    let server = MockServer::start_async().await;
    let (client, cache) = client_and_cache(&server);
    let second = revoked_first_token(&server, &cache).await;
    let first_get = get_order(&server, "sk-first", 401, EXPIRED).await;
    let second_get = get_order(&server, "sk-second", 401, UNAUTHORIZED).await;
    let first_post = confirm(&server, "sk-first", 401, EXPIRED).await;
    let second_post = confirm(&server, "sk-second", 401, UNAUTHORIZED).await;

    match get(&client).await {
        Err(Error::ErrorResponse(error)) => {
            assert_eq!(error.status().as_u16(), 401);
            assert_eq!(error.error.code, "401000", "the replay's answer");
        }
        other => panic!("expected the 401, got {other:?}"),
    }
    assert_eq!(first_get.calls_async().await, 1);
    assert_eq!(second_get.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);

    // The confirm is sent with `sk-second` (cached now); its 401 renews again: the token
    // endpoint issues `sk-second` once more and the replay gets a 401 too.
    match post(&client).await {
        Err(Error::ErrorResponse(error)) => assert_eq!(error.status().as_u16(), 401),
        other => panic!("expected the 401, got {other:?}"),
    }
    assert_eq!(first_post.calls_async().await, 0);
    assert_eq!(
        second_post.calls_async().await,
        2,
        "the request and one replay"
    );
    assert_eq!(second.calls_async().await, 2);
}

#[tokio::test]
async fn a_failed_renewal_returns_the_first_401() {
    let server = MockServer::start_async().await;
    let (client, cache) = client_and_cache(&server);
    let first = token_endpoint(&server, "sk-first", Some(3600)).await;
    cache.token().await.expect("the first token");
    first.delete_async().await;
    let refusing = refusing_token_endpoint(&server).await;
    let rejected = get_order(&server, "sk-first", 401, EXPIRED).await;
    match get(&client).await {
        Err(Error::ErrorResponse(error)) => {
            assert_eq!(error.status().as_u16(), 401);
            assert_eq!(error.error.code, "invalid_token");
        }
        other => panic!("expected the operation's 401, got {other:?}"),
    }
    assert_eq!(refusing.calls_async().await, 1);
    assert_eq!(rejected.calls_async().await, 1);
}

async fn refusing_token_endpoint(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/auth/token");
            then.status(401)
                .header("content-type", "application/json")
                .header("x-request-id", "req-1")
                .body(r#"{"error":{"code":"invalid_client","message":"Client authentication failed"}}"#);
        })
        .await
}

#[tokio::test]
async fn a_refused_token_request_sends_no_operation_and_is_marked() {
    let server = MockServer::start_async().await;
    let refusing = refusing_token_endpoint(&server).await;
    let anything_else = server
        .mock_async(|when, then| {
            when.path_excludes("/v1/auth/token");
            then.status(200).body(ORDER);
        })
        .await;
    let client = credentials_client(&server);
    for post_it in [false, true] {
        let result = if post_it {
            post(&client).await
        } else {
            get(&client).await
        };
        let error = result.expect_err("no token");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(SECRET), "{shown}");
        match error {
            Error::UnexpectedResponse(response) => {
                assert!(response.extensions().get::<TokenRefused>().is_some());
                assert_eq!(response.status().as_u16(), 401);
                assert_eq!(response.headers()["x-request-id"], "req-1");
                let body: serde_json::Value =
                    serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
                assert_eq!(body["error"]["code"], "invalid_client");
            }
            other => panic!("expected the token endpoint's refusal, got {other:?}"),
        }
    }
    assert_eq!(refusing.calls_async().await, 2, "not cached: asked again");
    assert_eq!(
        anything_else.calls_async().await,
        0,
        "nothing else was sent"
    );
}

#[tokio::test]
async fn an_unreachable_or_tokenless_token_endpoint_sends_no_operation() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200).body(ORDER);
        })
        .await;
    // Nothing listens on port 1.
    let config = ClientConfig::default().with_retry(RetryPolicy::none());
    let unreachable = ClientCredentials::new("http://127.0.0.1:1", CLIENT_ID, SECRET, &config)
        .expect("credentials");
    let client = Client::connect(&server.base_url(), unreachable, &config).expect("client");
    let error = get(&client).await.expect_err("no token");
    assert!(matches!(error, Error::CommunicationError(_)), "{error:?}");
    assert_eq!(anything.calls_async().await, 0);

    let tokenless = MockServer::start_async().await;
    tokenless
        .mock_async(|_, then| {
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"data":{"token":"sk-SECRET-TOKEN","expires_in":3600}}"#);
        })
        .await;
    let undecodable = ClientCredentials::new(&tokenless.base_url(), CLIENT_ID, SECRET, &config)
        .expect("credentials");
    let client = Client::connect(&server.base_url(), undecodable, &config).expect("client");
    let error = get(&client).await.expect_err("no token");
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::Custom(_)), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert_eq!(anything.calls_async().await, 0);
}

#[test]
fn client_credentials_never_go_to_remote_plain_http() {
    let config = ClientConfig::default();
    for result in [
        ClientCredentials::new("http://api.example.com", CLIENT_ID, SECRET, &config).map(|_| ()),
        Client::with_client_credentials("http://api.example.com", CLIENT_ID, SECRET, &config)
            .map(|_| ()),
    ] {
        assert!(
            matches!(result, Err(ConfigError::InsecureTransport { ref host }) if host == "api.example.com"),
            "{result:?}"
        );
    }
    let allowed = config.with_insecure_http(true);
    assert!(
        Client::with_client_credentials("http://api.example.com", CLIENT_ID, SECRET, &allowed)
            .is_ok()
    );
}

#[tokio::test]
async fn debug_never_shows_the_secret_or_a_token() {
    let server = MockServer::start_async().await;
    token_endpoint(&server, "sk-ISSUED-TOKEN", Some(3600)).await;
    get_order(&server, "sk-ISSUED-TOKEN", 200, ORDER).await;
    let credentials = credentials(&server.base_url());
    let shown = format!("{credentials:?}");
    assert!(shown.contains(CLIENT_ID), "{shown}");
    let (client, cache) = client_and_cache(&server);
    get(&client).await.expect("the order");
    let token = cache.token().await.expect("cached");
    let auth = Auth::token_source(cache.clone());
    let shown = format!(
        "{credentials:?} {credentials:#?} {client:?} {:?} {cache:?} {token:?} {auth:?}",
        client.transport()
    );
    for secret in [SECRET, "ISSUED-TOKEN"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

/// A token endpoint answering `status` with `headers` and `body` to any token request.
async fn token_answer<'a>(
    server: &'a MockServer,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/auth/token");
            let mut then = then.status(status);
            for (name, value) in headers {
                then = then.header(*name, *value);
            }
            then.body(body);
        })
        .await
}

/// Every request but the token request, answered 200 (counted: it must stay at 0).
async fn operations(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.path_excludes("/v1/auth/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(ORDER);
        })
        .await
}

#[tokio::test]
async fn a_client_id_and_secret_with_surrounding_whitespace_are_sent_trimmed() {
    let server = MockServer::start_async().await;
    // Matches exactly `client_id=client-id-7&client_secret=S3CRET-client-secret&...`.
    let token = token_endpoint(&server, "sk-first", Some(3600)).await;
    let order = get_order(&server, "sk-first", 200, ORDER).await;
    let client = Client::with_client_credentials(
        &server.base_url(),
        format!(" {CLIENT_ID}\t"),
        format!("{SECRET}\r\n"),
        &ClientConfig::default(),
    )
    .expect("client");
    get(&client).await.expect("the order");
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(order.calls_async().await, 1);
}

#[tokio::test]
async fn expires_in_is_read_leniently_and_falls_back_to_the_default_lifetime() {
    // (`expires_in` as sent, whether the token is renewed after 1.1 s): `1`-second lifetimes
    // are renewed, the default hour is not.
    let cases = [
        (r#""1""#, true),
        ("1.9", true),
        (r#"" 1.5 ""#, true),
        (r#""3600""#, false),
        ("3600.5", false),
        ("-5", false),
        (r#""an hour""#, false),
        ("null", false),
        (r#"{"seconds":1}"#, false),
        ("1e300", false),
        ("99999999999999999999", false),
    ];
    let mut runs = Vec::new();
    for (expires_in, renewed) in cases {
        let server = MockServer::start_async().await;
        let body = format!(r#"{{"data":{{"access_token":"sk-first","expires_in":{expires_in}}}}}"#);
        let token = token_answer(&server, 200, &[("content-type", "application/json")], &body)
            .await
            .id;
        get_order(&server, "sk-first", 200, ORDER).await;
        let client = credentials_client(&server);
        get(&client)
            .await
            .unwrap_or_else(|e| panic!("{expires_in}: {e:?}"));
        runs.push((server, token, client, expires_in, renewed));
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for (server, token, client, expires_in, renewed) in &runs {
        get(client)
            .await
            .unwrap_or_else(|e| panic!("{expires_in}: {e:?}"));
        let token = Mock::new(*token, server);
        let expected = if *renewed { 2 } else { 1 };
        assert_eq!(
            token.calls_async().await,
            expected,
            "expires_in {expires_in}"
        );
    }
}

/// The token endpoint's refusal an operation failed with: status, headers and body.
async fn refusal(error: Error<types::ErrorResponse>) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    match error {
        Error::UnexpectedResponse(response) => {
            assert!(response.extensions().get::<TokenRefused>().is_some());
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.expect("body").to_vec();
            (status, headers, body)
        }
        other => panic!("expected the token endpoint's refusal, got {other:?}"),
    }
}

/// Response headers, name and value.
type Headers = Vec<(&'static str, &'static str)>;

#[tokio::test]
async fn any_non_2xx_token_answer_is_a_refusal_with_its_status_headers_and_body() {
    const JSON: (&str, &str) = ("content-type", "application/json");
    let html = "<html><body>502 Bad Gateway</body></html>";
    let cases: [(u16, Headers, &str); 7] = [
        (
            429,
            vec![JSON, ("retry-after", "17")],
            r#"{"error":{"code":"429000","message":"Too many"}}"#,
        ),
        (429, vec![("retry-after", "17")], "slow down"),
        (500, vec![("content-type", "text/plain")], "internal error"),
        (500, vec![], ""),
        (502, vec![("content-type", "text/html")], html),
        (401, vec![("content-type", "text/html")], html),
        (
            302,
            vec![("location", "https://login.example.com/oauth")],
            "",
        ),
    ];
    for (status, headers, body) in cases {
        let server = MockServer::start_async().await;
        let token = token_answer(&server, status, &headers, body).await;
        let anything_else = operations(&server).await;
        let client = credentials_client_without_retries(&server);
        for post_it in [false, true] {
            let error = if post_it {
                post(&client).await
            } else {
                get(&client).await
            }
            .expect_err("no token");
            let (got_status, got_headers, got_body) = refusal(error).await;
            assert_eq!(got_status, status, "{body}");
            for (name, value) in &headers {
                assert_eq!(got_headers[*name], *value, "{status} {body}");
            }
            if headers.contains(&JSON) {
                let sent: serde_json::Value = serde_json::from_str(body).expect("json");
                let kept: serde_json::Value = serde_json::from_slice(&got_body).expect("json");
                assert_eq!(kept["error"]["code"], sent["error"]["code"]);
            } else {
                assert_eq!(got_body, body.as_bytes(), "{status}");
            }
        }
        assert_eq!(token.calls_async().await, 2, "{status} {body}: not cached");
        assert_eq!(anything_else.calls_async().await, 0, "{status} {body}");
    }
}

#[tokio::test]
async fn a_2xx_without_a_usable_token_sends_no_operation_and_never_echoes_it() {
    let too_large = format!(
        r#"{{"data":{{"access_token":"sk-SECRET{}"}}}}"#,
        "x".repeat(9000)
    );
    let cases = [
        (200, "<html>SECRET</html>".to_owned()),
        (200, r#"{"data":{}}"#.to_owned()),
        (
            200,
            r#"{"data":{"access_token":"sk SECRET with spaces"}}"#.to_owned(),
        ),
        (200, r#"{"data":{"access_token":""}}"#.to_owned()),
        (200, too_large),
        (201, r#"{"data":{"access_token":"sk-SECRET"}}"#.to_owned()),
        (204, String::new()),
    ];
    for (status, body) in cases {
        let server = MockServer::start_async().await;
        token_answer(
            &server,
            status,
            &[("content-type", "application/json")],
            &body,
        )
        .await;
        let anything_else = operations(&server).await;
        let client = credentials_client(&server);
        let error = get(&client).await.expect_err("no token");
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::Custom(_)), "{status}: {shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert_eq!(anything_else.calls_async().await, 0, "{status}");
    }
}

#[tokio::test]
async fn a_slow_or_oversized_token_answer_is_a_communication_error() {
    let server = MockServer::start_async().await;
    let anything_else = operations(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/auth/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"data":{{"access_token":"sk-1","pad":"{}"}}}}"#,
                    "x".repeat(4096)
                ))
                .delay(Duration::from_millis(400));
        })
        .await;
    let no_retries = ClientConfig::default().with_retry(RetryPolicy::none());
    for (config, what) in [
        (
            no_retries.clone().with_timeout(Duration::from_millis(150)),
            "timeout",
        ),
        (no_retries.with_max_response_bytes(1024), "oversized"),
    ] {
        let client =
            Client::with_client_credentials(&server.base_url(), CLIENT_ID, SECRET, &config)
                .expect("client");
        match get(&client).await.expect_err(what) {
            Error::CommunicationError(error) => {
                if what == "timeout" {
                    assert!(error.is_timeout(), "{error:?}");
                } else {
                    let found = ordergate_runtime::BodyTooLarge::find(&error);
                    assert!(found.is_some(), "{error:?}");
                }
            }
            // The call's own deadline (the same 150 ms) may end its wait for the token first.
            Error::Custom(message) if what == "timeout" => {
                assert!(
                    message.contains("did not answer before the call's deadline"),
                    "{message}"
                );
            }
            other => panic!("{what}: expected CommunicationError, got {other:?}"),
        }
    }
    assert_eq!(anything_else.calls_async().await, 0);
}

/// Ten concurrent calls on one client, each with how long it took.
async fn ten_calls(client: &Client) -> Vec<(Result<(), Error<types::ErrorResponse>>, Duration)> {
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..10 {
        let client = client.clone();
        calls.spawn(async move {
            let started = std::time::Instant::now();
            let result = if i % 2 == 0 {
                get(&client).await
            } else {
                post(&client).await
            };
            (result, started.elapsed())
        });
    }
    let mut done = Vec::new();
    while let Some(call) = calls.join_next().await {
        done.push(call.expect("task"));
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_calls_share_one_refused_token_request() {
    let cases = [
        (
            401,
            "application/json",
            r#"{"error":{"code":"invalid_client","message":"no"}}"#,
        ),
        (503, "text/html", "<html>maintenance</html>"),
    ];
    for (status, content_type, body) in cases {
        let server = MockServer::start_async().await;
        let refusing = server
            .mock_async(|when, then| {
                when.method(POST).path("/v1/auth/token");
                then.status(status)
                    .header("content-type", content_type)
                    .header("retry-after", "9")
                    .body(body)
                    .delay(Duration::from_millis(300));
            })
            .await;
        let anything_else = operations(&server).await;
        let client = credentials_client_without_retries(&server);
        let started = std::time::Instant::now();
        let calls = ten_calls(&client).await;
        let all = started.elapsed();
        let longest = calls
            .iter()
            .map(|(_, took)| *took)
            .max()
            .unwrap_or_default();
        for (result, _) in calls {
            let (got_status, headers, got_body) = refusal(result.expect_err("refused")).await;
            assert_eq!(got_status, status);
            assert_eq!(headers["retry-after"], "9");
            if status == 503 {
                assert_eq!(got_body, body.as_bytes());
            }
        }
        assert_eq!(
            refusing.calls_async().await,
            1,
            "{status}: one token request for ten calls"
        );
        assert_eq!(anything_else.calls_async().await, 0);
        assert!(
            longest < Duration::from_millis(700),
            "{status}: longest call {longest:?}"
        );
        eprintln!(
            "10 calls, 1 token request refused with {status} after 300 ms: longest call {longest:?}, all {all:?}"
        );

        // The next call asks again.
        get(&client).await.expect_err("refused again");
        assert_eq!(refusing.calls_async().await, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_calls_share_one_token_request_that_times_out() {
    let server = MockServer::start_async().await;
    let silent = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/auth/token");
            then.status(200).delay(Duration::from_secs(3));
        })
        .await;
    let anything_else = operations(&server).await;
    let config = ClientConfig::default()
        .with_retry(RetryPolicy::none())
        .with_timeout(Duration::from_millis(300));
    let client = Client::with_client_credentials(&server.base_url(), CLIENT_ID, SECRET, &config)
        .expect("client");
    let calls = ten_calls(&client).await;
    let longest = calls
        .iter()
        .map(|(_, took)| *took)
        .max()
        .unwrap_or_default();
    let mut with_the_reqwest_error = 0;
    for (result, _) in calls {
        match result.expect_err("no token") {
            // The call that holds the one `reqwest::Error` (at most one).
            Error::CommunicationError(error) => {
                assert!(error.is_timeout(), "{error:?}");
                with_the_reqwest_error += 1;
            }
            // The calls that shared it.
            // The calls that shared it, or whose own deadline (the same 300 ms) ended their
            // wait first.
            Error::Custom(message) => {
                assert!(message.contains("token endpoint"), "{message}");
                assert!(
                    message.contains("timed out")
                        || message.contains("did not answer before the call's deadline"),
                    "{message}"
                );
            }
            other => panic!("expected the token request's timeout, got {other:?}"),
        }
    }
    assert!(with_the_reqwest_error <= 1, "{with_the_reqwest_error}");
    assert_eq!(
        silent.calls_async().await,
        1,
        "one token request for ten calls"
    );
    assert_eq!(anything_else.calls_async().await, 0);
    assert!(
        longest < Duration::from_millis(900),
        "longest call {longest:?}"
    );
    eprintln!("10 calls, 1 token request timing out at 300 ms: longest call {longest:?}");
}
