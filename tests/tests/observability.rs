//! Every call is a `tracing` span named after OpenTelemetry's HTTP client conventions,
//! carrying the provider, operation, resend count, status and duration, and no secret.

use std::time::Duration;

use ordergate::{ClientConfig, FuuffyAdapter, OrderProvider, RetryPolicy};
use ordergate_tests::flaky::{Behavior, FlakyServer};
use ordergate_tests::trace_capture::{Capture, CapturedSpan};

const TOKEN: &str = "tok-SEKRET-5e2b";
const ORDER: &str =
    r#"{"data": {"order_id": "3550875", "ship_type": "local", "status": "READY_TO_SHIP"}}"#;

fn adapter(url: &str) -> FuuffyAdapter {
    FuuffyAdapter::builder()
        .token(TOKEN)
        .base_url(url)
        .client_config(
            ClientConfig::default()
                .with_timeout(Duration::from_secs(5))
                .with_retry(
                    RetryPolicy::default()
                        .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
                ),
        )
        .build()
        .expect("builds")
}

fn call_spans(capture: &Capture) -> Vec<CapturedSpan> {
    capture
        .spans()
        .into_iter()
        .filter(|span| span.target == "ordergate::http")
        .collect()
}

#[tokio::test]
async fn each_call_is_one_span_with_the_opentelemetry_http_client_fields() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = FlakyServer::start(vec![
        Behavior::json(200, ORDER),
        Behavior::json(503, r#"{"error": {"code": "503000", "message": "busy"}}"#),
        Behavior::json(200, ORDER),
        Behavior::json(404, r#"{"error": {"code": "400201", "code_reason": "ORDER_NOT_FOUND", "message": "Order not found"}}"#),
    ])
    .await;
    let adapter = adapter(&server.url);
    adapter.get_order("3550875").await.expect("found");
    adapter
        .get_order("3550875")
        .await
        .expect("found after one retry");
    adapter.get_order("3550875").await.expect_err("not found");

    let spans = call_spans(&capture);
    assert_eq!(spans.len(), 3, "{spans:#?}");
    let port = server
        .url
        .rsplit(':')
        .next()
        .expect("a port")
        .trim_end_matches('/');
    for span in &spans {
        let field = |name: &str| span.fields.get(name).map(String::as_str);
        assert_eq!(field("otel.name"), Some("GET /v1/order"), "{span:#?}");
        assert_eq!(field("otel.kind"), Some("client"));
        assert_eq!(field("http.request.method"), Some("GET"));
        assert_eq!(field("url.template"), Some("/v1/order"));
        assert_eq!(field("server.address"), Some("127.0.0.1"));
        assert_eq!(field("server.port"), Some(port));
        assert_eq!(field("ordergate.provider"), Some("Fuuffy"));
        assert_eq!(field("ordergate.operation"), Some("get_order"));
        let duration: u64 = field("ordergate.duration_ms")
            .expect("the duration is recorded")
            .parse()
            .expect("milliseconds");
        assert!(duration < 5_000, "{duration}");
        for value in span.fields.values() {
            assert!(!value.contains("SEKRET"), "a secret in {span:#?}");
            assert!(!value.contains("3550875"), "an order id in {span:#?}");
        }
    }
    let field = |i: usize, name: &str| spans[i].fields.get(name).cloned();
    assert_eq!(
        field(0, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(field(0, "http.request.resend_count"), None);
    assert_eq!(field(0, "error.type"), None);
    assert_eq!(
        field(1, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(field(1, "http.request.resend_count").as_deref(), Some("1"));
    assert_eq!(
        field(2, "http.response.status_code").as_deref(),
        Some("404")
    );
    assert_eq!(field(2, "error.type").as_deref(), Some("404"));
}

#[tokio::test]
async fn a_call_that_gets_no_answer_says_why_in_error_type() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // Nothing listens on port 9 of loopback: the connection is refused.
    let adapter = adapter("http://127.0.0.1:9");
    adapter.get_order("3550875").await.expect_err("refused");
    let spans = call_spans(&capture);
    assert_eq!(spans.len(), 1, "{spans:#?}");
    assert_eq!(
        spans[0].fields.get("error.type").map(String::as_str),
        Some("connect")
    );
    assert_eq!(spans[0].fields.get("http.response.status_code"), None);
}

/// The events of target `ordergate::drift`, as (provider, operation, path, kind).
fn drift(capture: &Capture) -> Vec<[String; 4]> {
    capture
        .events()
        .into_iter()
        .filter(|event| event.target == "ordergate::drift")
        .map(|event| {
            let field = |name: &str| event.fields.get(name).cloned().unwrap_or_default();
            [
                field("provider"),
                field("operation"),
                field("path"),
                field("kind"),
            ]
        })
        .collect()
}

#[tokio::test]
async fn what_the_spec_does_not_model_is_reported_once_per_path_without_its_value() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // An undocumented status (decoded as `Unknown`), and a member the spec does not list.
    let drifted = r#"{"data": {"order_id": "3550875", "ship_type": "local", "status": "RETURNED_TO_SENDER", "loyalty_points": 12}}"#;
    let server = FlakyServer::start(vec![
        Behavior::json(200, drifted),
        Behavior::json(200, drifted),
        Behavior::json(200, ORDER),
    ])
    .await;
    let adapter = adapter(&server.url);
    for _ in 0..3 {
        adapter.get_order("3550875").await.expect("decodes");
    }
    let mut found = drift(&capture);
    found.sort();
    let row = |path: &str, kind: &str| ["Fuuffy", "get_order", path, kind].map(str::to_owned);
    assert_eq!(
        found,
        [
            row("$.data.loyalty_points", "unmodeled_field"),
            row("$.data.status", "unknown_enum_value"),
        ]
    );
    for event in capture.events() {
        let text = format!("{:?}", event.fields);
        assert!(!text.contains("RETURNED_TO_SENDER"), "a value in {text}");
        assert!(!text.contains("SEKRET"), "a secret in {text}");
    }
}

#[tokio::test]
async fn an_inferred_schema_contradicted_is_reported() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // FastPOD's list page keys are inferred (the docs' example is cut off): one the spec does
    // not list contradicts it.
    let page = r#"{"current_page": 1, "data": [], "next_page_url": null, "cursor": "abc"}"#;
    let server = FlakyServer::start(vec![Behavior::json(200, page)]).await;
    let client = ordergate::sdk::fastpod::Client::connect(
        &server.url,
        ordergate::sdk::fastpod::Credentials::api_token(TOKEN),
        &ClientConfig::default(),
    )
    .expect("connects");
    client.list_orders().send().await.expect("decodes");
    assert_eq!(
        drift(&capture),
        [[
            "FastPOD",
            "list_orders",
            "$.cursor",
            "inferred_schema_contradicted"
        ]
        .map(str::to_owned)]
    );
}

#[tokio::test]
async fn a_drifted_answer_decodes_when_no_one_listens() {
    // No subscriber: nothing is compared, and the drifted answer decodes as ever.
    let drifted = r#"{"data": {"order_id": "3550875", "ship_type": "local", "status": "RETURNED_TO_SENDER", "x": 1}}"#;
    let server = FlakyServer::start(vec![Behavior::json(200, drifted)]).await;
    let order = adapter(&server.url)
        .get_order("3550875")
        .await
        .expect("decodes");
    assert_eq!(order.provider_status.as_deref(), Some("RETURNED_TO_SENDER"));
}
