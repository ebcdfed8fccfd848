//! Failover to a provider's redundant host (`ClientConfig::failover_base_url`, Logitrail's
//! `Client::production`): a request goes to the other host only when it would be retried
//! anyway. Over loopback, with both hosts counting what they receive.

use std::time::Duration;

use ordergate_logitrail::{Client, ClientConfig, ConfigError, Credentials, Error, types};
use ordergate_runtime::RetryPolicy;
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET};
use ordergate_tests::flaky::{Behavior, FlakyServer};
use ordergate_tests::{request_example, response_example};

const SHIPMENT_ID: &str = "56987b391fb35ebd798b4573";

fn example(operation: &str, status: u16) -> String {
    response_example("logitrail", operation, status)
        .body
        .to_string()
}

/// A base URL nobody listens on: connections to it are refused.
fn refusing_url() -> String {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    format!("http://{}", probe.local_addr().expect("address"))
}

fn config(failover: &str, attempts: u32) -> ClientConfig {
    ClientConfig::default()
        .with_timeout(Duration::from_secs(3))
        .with_retry(
            RetryPolicy::default()
                .with_max_attempts(attempts)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(10)),
        )
        .with_failover_base_url(failover)
}

fn client_for(primary: &str, failover: &str, attempts: u32) -> Client {
    Client::connect(
        primary,
        Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET),
        &config(failover, attempts),
    )
    .expect("loopback URLs are accepted")
}

async fn create(client: &Client) -> Result<String, Error<types::ErrorResponse>> {
    let order: types::OrderUpdate = serde_json::from_value(request_example(
        "logitrail",
        "create_order",
        "minimal_order",
    ))
    .expect("decodes");
    client
        .create_order()
        .body(order)
        .send()
        .await
        .map(|created| created.into_inner().order_id)
}

async fn get(client: &Client) -> Result<(), Error<types::ErrorResponse>> {
    client
        .get_inbound_shipment()
        .id(SHIPMENT_ID)
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn a_create_fails_over_when_the_first_host_refused_the_connection() {
    let secondary =
        FlakyServer::start(vec![Behavior::json(201, &example("create_order", 201))]).await;
    let client = client_for(&refusing_url(), &secondary.url, 3);
    let order_id = create(&client).await.expect("sent to the second host");
    assert_eq!(order_id, "5c8a1d5b0000000000000001");
    assert_eq!(secondary.requests(), ["POST /orders/_create HTTP/1.1"]);
}

#[tokio::test]
async fn a_create_that_reached_the_first_host_never_fails_over() {
    for (behavior, what) in [
        (Behavior::json(503, r#"{"code":"unknown"}"#), "a 503"),
        (Behavior::Drop, "a connection dropped after the request"),
    ] {
        let primary = FlakyServer::start(vec![behavior]).await;
        let secondary =
            FlakyServer::start(vec![Behavior::json(201, &example("create_order", 201))]).await;
        let client = client_for(&primary.url, &secondary.url, 3);
        create(&client).await.expect_err(what);
        assert_eq!(primary.requests().len(), 1, "{what}");
        assert_eq!(secondary.requests().len(), 0, "{what}: never sent twice");
    }
}

#[tokio::test]
async fn a_read_fails_over_after_a_retryable_answer_and_alternates() {
    let unavailable = || Behavior::json(503, r#"{"code":"unknown"}"#);
    let primary = FlakyServer::start(vec![unavailable()]).await;
    let secondary = FlakyServer::start(vec![unavailable()]).await;
    let client = client_for(&primary.url, &secondary.url, 4);
    get(&client).await.expect_err("both hosts are unavailable");
    // Attempts 1 and 3 to the first host, 2 and 4 to the second.
    assert_eq!(primary.requests().len(), 2);
    assert_eq!(secondary.requests().len(), 2);
    let path = format!("GET /inbound_shipments/{SHIPMENT_ID} HTTP/1.1");
    assert!(
        primary
            .requests()
            .iter()
            .chain(&secondary.requests())
            .all(|r| *r == path)
    );

    // The second host answers: the read succeeds on the first retry.
    let primary = FlakyServer::start(vec![unavailable()]).await;
    let secondary = FlakyServer::start(vec![Behavior::json(
        200,
        &example("get_inbound_shipment", 200),
    )])
    .await;
    let client = client_for(&primary.url, &secondary.url, 3);
    get(&client).await.expect("the second host answers");
    assert_eq!(
        (primary.requests().len(), secondary.requests().len()),
        (1, 1)
    );
}

#[tokio::test]
async fn without_retries_there_is_no_failover() {
    let secondary = FlakyServer::start(vec![Behavior::json(
        200,
        &example("get_inbound_shipment", 200),
    )])
    .await;
    let client = client_for(&refusing_url(), &secondary.url, 1);
    get(&client).await.expect_err("one attempt, refused");
    assert_eq!(secondary.requests().len(), 0);
}

#[test]
fn the_failover_url_is_checked_like_the_base_url() {
    let credentials = || Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET);
    let insecure = Client::connect(
        "https://api-1.logitrail.com/2015-01-01",
        credentials(),
        &ClientConfig::default().with_failover_base_url("http://api-2.logitrail.com/2015-01-01"),
    );
    assert!(
        matches!(insecure, Err(ConfigError::InsecureTransport { .. })),
        "{insecure:?}"
    );
    let malformed = Client::connect(
        "https://api-1.logitrail.com/2015-01-01",
        credentials(),
        &ClientConfig::default().with_failover_base_url("https://user:pw@api-2.logitrail.com"),
    );
    assert!(
        matches!(malformed, Err(ConfigError::InvalidBaseUrl { .. })),
        "{malformed:?}"
    );
    // Production fails over to api-2 by default, and keeps a failover the caller named.
    let production =
        Client::production(credentials(), &ClientConfig::default()).expect("production");
    assert_eq!(
        production.transport().config().failover_base_url.as_deref(),
        Some(ordergate_logitrail::PRODUCTION_SECONDARY_BASE_URL)
    );
    let named = Client::production(
        credentials(),
        &ClientConfig::default().with_failover_base_url("https://api-3.example.com/2015-01-01"),
    )
    .expect("production");
    assert_eq!(
        named.transport().config().failover_base_url.as_deref(),
        Some("https://api-3.example.com/2015-01-01")
    );
}

#[tokio::test]
async fn a_create_that_timed_out_at_the_first_host_never_fails_over() {
    let primary = FlakyServer::start(vec![
        Behavior::json(201, &example("create_order", 201)).after(Duration::from_secs(2)),
    ])
    .await;
    let secondary =
        FlakyServer::start(vec![Behavior::json(201, &example("create_order", 201))]).await;
    let client = Client::connect(
        &primary.url,
        Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET),
        &config(&secondary.url, 3).with_timeout(Duration::from_millis(300)),
    )
    .expect("loopback URLs are accepted");
    let started = std::time::Instant::now();
    create(&client).await.expect_err("api-1 is too slow");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(primary.requests().len(), 1);
    assert_eq!(
        secondary.requests().len(),
        0,
        "it may have been created at api-1"
    );
}
