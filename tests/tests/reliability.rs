//! Retries, timeouts, rate limits, size caps and broken responses, against a loopback server
//! that delays, drops and counts (`ordergate_tests::flaky`).

use std::time::{Duration, Instant};

use ordergate::{
    ClientConfig, ConfirmRequest, ErrorKind, FastpodAdapter, FuuffyAdapter, LogitrailAdapter,
    OnemgAdapter, OrderProvider, OrderStatus,
};
use ordergate_runtime::RetryPolicy;
use ordergate_tests::flaky::{Behavior, FlakyServer};
use ordergate_tests::response_example;

/// Fast retries and a short timeout, so failures show quickly.
fn config(timeout_ms: u64) -> ClientConfig {
    ClientConfig::default()
        .with_timeout(Duration::from_millis(timeout_ms))
        .with_retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
                .with_max_retry_after(Duration::from_secs(2)),
        )
}

fn fuuffy(server: &FlakyServer, config: ClientConfig) -> FuuffyAdapter {
    FuuffyAdapter::builder()
        .token("t")
        .base_url(server.url.clone())
        .client_config(config)
        .build()
        .expect("builds")
}

fn example(provider: &str, operation: &str, status: u16) -> String {
    response_example(provider, operation, status)
        .body
        .to_string()
}

fn get_ok() -> Behavior {
    Behavior::json(200, &example("fuuffy", "get_order", 200))
}

fn confirm_ok() -> Behavior {
    Behavior::json(200, &example("fuuffy", "confirm_order", 200))
}

#[tokio::test]
async fn reads_are_retried_on_502_503_504_and_429() {
    for status in [502, 503, 504, 429] {
        let server = FlakyServer::start(vec![Behavior::json(status, "{}"), get_ok()]).await;
        let order = fuuffy(&server, config(2_000))
            .get_order("3550875")
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(order.status, OrderStatus::Confirmed);
        assert_eq!(server.requests().len(), 2, "{status}");
    }
}

#[tokio::test]
async fn reads_are_retried_after_a_dropped_connection() {
    let server = FlakyServer::start(vec![Behavior::Drop, get_ok()]).await;
    let order = fuuffy(&server, config(2_000))
        .get_order("3550875")
        .await
        .expect("ok");
    assert_eq!(order.order_id, "3550875");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_read_that_keeps_timing_out_is_timeout_after_all_attempts() {
    let server = FlakyServer::start(vec![get_ok().after(Duration::from_millis(800))]).await;
    // Each attempt bounded to 150 ms, within a deadline long enough for three.
    let config = config(3_000).with_attempt_timeout(Duration::from_millis(150));
    let error = fuuffy(&server, config)
        .get_order("3550875")
        .await
        .expect_err("times out");
    assert_eq!(error.kind, ErrorKind::Timeout, "{error}");
    assert_eq!(server.requests().len(), 3, "default attempts: 3");
}

#[tokio::test]
async fn attempts_are_configurable() {
    let server = FlakyServer::start(vec![Behavior::json(503, "{}")]).await;
    let once = config(2_000).with_retry(RetryPolicy::none());
    let error = fuuffy(&server, once).get_order("1").await.expect_err("503");
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_confirm_that_times_out_is_outcome_unknown_and_never_resent() {
    let server = FlakyServer::start(vec![confirm_ok().after(Duration::from_millis(800))]).await;
    let error = fuuffy(&server, config(150))
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect_err("times out");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{error}");
    assert_eq!(
        error.order_id.as_deref(),
        Some("3550609"),
        "what the caller needs to check"
    );
    assert!(
        error.message.contains("look the order up"),
        "{}",
        error.message
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(server.requests().len(), 1, "a confirm is never resent");
}

#[tokio::test]
async fn a_confirm_whose_connection_drops_after_sending_is_outcome_unknown() {
    let server = FlakyServer::start(vec![Behavior::Drop, confirm_ok()]).await;
    let error = fuuffy(&server, config(2_000))
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect_err("dropped");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{error}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_confirm_is_not_retried_on_429_or_503() {
    for status in [429, 503] {
        let server = FlakyServer::start(vec![Behavior::json(status, "{}"), confirm_ok()]).await;
        let error = fuuffy(&server, config(2_000))
            .confirm_order(&ConfirmRequest::new("3550609"))
            .await
            .expect_err("not retried");
        assert_eq!(server.requests().len(), 1, "{status}");
        assert!(
            matches!(
                error.kind,
                ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Decode
            ),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_confirm_is_retried_when_the_connection_was_refused() {
    // Reserve a port, free it, and only start listening after the first attempt failed.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("addr").port()
    };
    let body = example("fuuffy", "confirm_order", 200);
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(60)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("rebind");
        let (mut stream, _) = listener.accept().await.expect("accept");
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut buffer = [0u8; 8192];
        let _ = stream.read(&mut buffer).await;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes()).await;
    });
    let retrying = config(2_000).with_retry(
        RetryPolicy::default()
            .with_max_attempts(5)
            .with_backoff(Duration::from_millis(50), Duration::from_millis(100)),
    );
    let adapter = FuuffyAdapter::builder()
        .token("t")
        .base_url(format!("http://127.0.0.1:{port}"))
        .client_config(retrying)
        .build()
        .expect("builds");
    let order = adapter
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect("refused connections are retried: the request never left");
    assert_eq!(order.tracking_number.as_deref(), Some("SF7444700509270"));
    late.await.expect("server task");
}

#[tokio::test]
async fn a_refused_connection_is_transport_with_nothing_sent() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("addr").port()
    };
    let adapter = FuuffyAdapter::builder()
        .token("t")
        .base_url(format!("http://127.0.0.1:{port}"))
        .client_config(config(500))
        .build()
        .expect("builds");
    let error = adapter
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect_err("nobody listens");
    assert_eq!(error.kind, ErrorKind::Transport, "{error}");
    assert!(error.nothing_was_sent());
}

#[tokio::test]
async fn retry_after_is_honoured_when_short_and_reported_when_long() {
    let short = FlakyServer::start(vec![
        Behavior::json(429, r#"{"error":{"code":"rate_limit_exceeded"}}"#)
            .with_header("retry-after", "1"),
        get_ok(),
    ])
    .await;
    let started = Instant::now();
    fuuffy(&short, config(3_000))
        .get_order("3550875")
        .await
        .expect("ok after waiting");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(short.requests().len(), 2);

    let long = FlakyServer::start(vec![
        Behavior::json(
            429,
            r#"{"error":{"code":"rate_limit_exceeded","message":"Slow down"}}"#,
        )
        .with_header("retry-after", "3600"),
        get_ok(),
    ])
    .await;
    let started = Instant::now();
    let error = fuuffy(&long, config(3_000))
        .get_order("3550875")
        .await
        .expect_err("429");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "not slept through"
    );
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(long.requests().len(), 1);
}

#[tokio::test]
async fn fuuffy_rate_limit_reset_gives_retry_after() {
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        + 120;
    let server = FlakyServer::start(vec![
        Behavior::json(429, r#"{"error":{"code":"rate_limit_exceeded"}}"#)
            .with_header("x-ratelimit-limit", "100")
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", &reset.to_string()),
    ])
    .await;
    let error = fuuffy(&server, config(2_000))
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect_err("429");
    assert_eq!(error.kind, ErrorKind::RateLimited);
    let wait = error.retry_after.expect("from X-RateLimit-Reset").as_secs();
    assert!((118..=120).contains(&wait), "{wait}");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let big = format!(
        r#"{{"data":{{"order_id":"1","status":"DELIVERED","message":"{}"}}}}"#,
        "x".repeat(4096)
    );
    let server = FlakyServer::start(vec![Behavior::json(200, &big)]).await;
    let small = config(2_000).with_max_response_bytes(1024);
    let error = fuuffy(&server, small)
        .get_order("1")
        .await
        .expect_err("too large");
    assert_eq!(error.kind, ErrorKind::Decode, "{error}");
    assert!(
        error.message.contains("exceeds the limit of 1024 bytes"),
        "{}",
        error.message
    );
    assert_eq!(error.http_status, Some(200));

    // Without a Content-Length the cap is enforced as chunks arrive.
    let server = FlakyServer::start(vec![
        Behavior::json(200, &big).with_header("transfer-encoding", "chunked"),
    ])
    .await;
    let small = config(2_000).with_max_response_bytes(1024);
    let error = fuuffy(&server, small)
        .get_order("1")
        .await
        .expect_err("too large");
    assert!(
        error.message.contains("exceeds the limit of 1024 bytes"),
        "{}",
        error.message
    );
    // ... and a chunked body under the cap still decodes.
    let server =
        FlakyServer::start(vec![get_ok().with_header("transfer-encoding", "chunked")]).await;
    fuuffy(&server, config(2_000))
        .get_order("3550875")
        .await
        .expect("under the cap");

    // The default cap is 10 MiB: an 11 MiB body is refused.
    let huge = vec![b' '; 11 * 1024 * 1024];
    let server = FlakyServer::start(vec![Behavior::Respond {
        delay: Duration::ZERO,
        status: 200,
        headers: vec![],
        body: huge,
    }])
    .await;
    let error = fuuffy(&server, config(5_000))
        .get_order("1")
        .await
        .expect_err("too large");
    assert!(
        error
            .message
            .contains("exceeds the limit of 10485760 bytes"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn broken_bodies_are_typed_errors_never_successes() {
    let cases = [
        (Behavior::json(200, ""), ErrorKind::Decode, "empty body"),
        (
            Behavior::json(200, r#"{"data":{"order_id":"355"#),
            ErrorKind::Decode,
            "truncated",
        ),
        (Behavior::json(200, "[]"), ErrorKind::Decode, "wrong shape"),
        (
            Behavior::json(200, r#"{"data":{"status":"DELIVERED"}}"#),
            ErrorKind::Decode,
            "no id",
        ),
        (
            Behavior::Respond {
                delay: Duration::ZERO,
                status: 503,
                headers: vec![("content-type".into(), "text/html".into())],
                body: b"<html><body><h1>503 Service Unavailable</h1></body></html>".to_vec(),
            },
            ErrorKind::Server,
            "html",
        ),
        (
            Behavior::json(418, "{}"),
            ErrorKind::BadRequest,
            "undocumented status",
        ),
    ];
    for (behavior, kind, label) in cases {
        let server = FlakyServer::start(vec![behavior]).await;
        let once = config(2_000).with_retry(RetryPolicy::none());
        let error = fuuffy(&server, once).get_order("1").await.expect_err(label);
        assert_eq!(error.kind, kind, "{label}: {error}");
        assert!(!error.message.is_empty());
    }
}

#[tokio::test]
async fn failures_inside_http_200_are_errors() {
    let fuuffy_none = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"data":{"confirmed_orders":[],"message":"OK"}}"#,
    )])
    .await;
    let error = fuuffy(&fuuffy_none, config(2_000))
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect_err("no confirmed order");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown);

    let logitrail = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"success": false, "order_id": "5c8a1d5b0000000000000001"}"#,
    )])
    .await;
    let error = LogitrailAdapter::builder()
        .merchant_id("m")
        .secret("s")
        .base_url(logitrail.url.clone())
        .build()
        .expect("builds")
        .confirm_order(&ConfirmRequest::new("5c8a1d5b0000000000000001"))
        .await
        .expect_err("success: false");
    assert_eq!(error.http_status, Some(200));
    assert!(error.message.contains("success: false"));

    let onemg = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"is_success": false, "status_code": 200, "partial_complete": true}"#,
    )])
    .await;
    let error = OnemgAdapter::builder()
        .token("t")
        .access_key("k")
        .merchant_id("m")
        .base_url(onemg.url.clone())
        .build()
        .expect("builds")
        .confirm_order(&ConfirmRequest::new("PO1").with_merchant_order_id("MO1"))
        .await
        .expect_err("is_success: false");
    assert!(error.message.contains("is_success: false"));

    let fastpod = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"status": false, "message": "Insufficient balance", "data": {"id": "F1", "order_status": "draft"}}"#,
    )])
    .await;
    let error = FastpodAdapter::builder()
        .token("t")
        .base_url(fastpod.url.clone())
        .build()
        .expect("builds")
        .confirm_order(&ConfirmRequest::new("F1"))
        .await
        .expect_err("status: false");
    assert_eq!(
        error.message, "Insufficient balance",
        "the provider's message is kept"
    );
}

#[tokio::test]
async fn new_statuses_extra_fields_missing_fields_and_nulls_decode() {
    let drifted = r#"{"data":{
        "order_id":"3550875",
        "status":"LOST_IN_SPACE",
        "ship_type":"drone",
        "brand_new_field":{"nested":[1,2,3]},
        "tracking_number":null,
        "client_remarks":null,
        "quote_price":null,
        "sender":null,
        "shipment_detail":{"package_type":"crate","parcel_list":null}
    }}"#;
    let server = FlakyServer::start(vec![Behavior::json(200, drifted)]).await;
    let order = fuuffy(&server, config(2_000))
        .get_order("3550875")
        .await
        .expect("decodes");
    assert_eq!(order.status, OrderStatus::Unknown);
    assert_eq!(order.provider_status.as_deref(), Some("LOST_IN_SPACE"));
    assert_eq!(order.tracking_number, None);

    let minimal = r#"{"data":{"order_id":"1","status":"DELIVERED"}}"#;
    let server = FlakyServer::start(vec![Behavior::json(200, minimal)]).await;
    let order = fuuffy(&server, config(2_000))
        .get_order("1")
        .await
        .expect("decodes");
    assert_eq!(order.status, OrderStatus::Delivered);

    let fastpod_nulls = r#"{"id":"F1","order_status":"in_production","line_items":null,"shipments":null,"address":null,"order_total":null}"#;
    let server = FlakyServer::start(vec![Behavior::json(200, fastpod_nulls)]).await;
    let order = FastpodAdapter::builder()
        .token("t")
        .base_url(server.url.clone())
        .build()
        .expect("builds")
        .get_order("F1")
        .await
        .expect("decodes");
    assert_eq!(order.status, OrderStatus::Processing);
}

#[tokio::test]
async fn ids_cannot_change_the_path_or_query() {
    let server = FlakyServer::start(vec![Behavior::json(
        404,
        r#"{"status":false,"message":"Order not found."}"#,
    )])
    .await;
    let adapter = FastpodAdapter::builder()
        .token("t")
        .base_url(server.url.clone())
        .client_config(config(2_000).with_retry(RetryPolicy::none()))
        .build()
        .expect("builds");
    let hostile = [
        "a/b",
        "../../v1/orders",
        "x?admin=1",
        "y#frag",
        "with space",
        "ünï/cødé",
        "%2e%2e",
        r"..\..\v1",
        r"a\b",
    ];
    for id in hostile {
        let error = adapter.get_order(id).await.expect_err("404");
        assert_eq!(error.kind, ErrorKind::NotFound, "{id}: {error}");
    }
    let seen = server.requests();
    assert_eq!(seen.len(), hostile.len());
    for line in &seen {
        let path = line.split(' ').nth(1).unwrap_or_default();
        let rest = path
            .strip_prefix("/v1/orders/")
            .unwrap_or_else(|| panic!("path changed: {line}"));
        assert!(
            !rest.contains('/')
                && !rest.contains('\\')
                && !rest.contains('?')
                && !rest.contains('#')
                && !rest.contains(' '),
            "{line}"
        );
        assert!(rest.is_ascii(), "{line}");
    }
    for id in ["", ".", ".."] {
        let error = adapter.get_order(id).await.expect_err("refused");
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{id:?}");
    }
    assert_eq!(
        server.requests().len(),
        hostile.len(),
        "refused ids send nothing"
    );
}

#[tokio::test]
async fn sequential_calls_share_one_connection() {
    // A current-thread runtime (tokio::test's default): the connection is always back in the
    // pool before the next call (on a multi-thread runtime hyper-util may open a second one;
    // see crates/bench/src/reuse.rs).
    let server = FlakyServer::start(vec![confirm_ok()]).await;
    let adapter = fuuffy(&server, config(2_000));
    // Clones share the connection pool.
    let clone = adapter.clone();
    for call in 0..50 {
        let caller = if call % 2 == 0 { &adapter } else { &clone };
        let order = caller
            .confirm_order(&ConfirmRequest::new("3550609"))
            .await
            .expect("confirmed");
        assert_eq!(order.status, OrderStatus::Confirmed);
    }
    assert_eq!(server.requests().len(), 50);
    assert_eq!(server.connections(), 1);
}
