//! Honest outcomes: an error raised before the first byte is written is never
//! `outcome_unknown`; a success status whose body cannot be read is, for a confirm; a
//! provider's failure envelope inside a success keeps its code and message; Fuuffy's 200 that
//! lists no confirmed order is settled by a lookup. Servers count requests.

use std::time::Duration;

use ordergate::{ClientConfig, ErrorKind, Operation, OrderProvider, OrderStatus, ProviderName};
use ordergate_runtime::RetryPolicy;
use ordergate_tests::adapters;
use ordergate_tests::flaky::{Behavior, FlakyServer};

fn config() -> ClientConfig {
    adapters::quick_retries()
}

#[tokio::test]
async fn a_request_too_long_to_build_is_invalid_input_and_nothing_is_sent() {
    let server = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
    // Longer than the 65,534 bytes a URL may have: every operation that puts the id in its URL
    // cannot even build the request.
    let id = "1".repeat(70_000);
    for provider in adapters::all(&server.url, &config()) {
        let name = provider.provider();
        let request = adapters::confirm_request(name);
        let request = ordergate::ConfirmRequest::new(id.clone())
            .with_merchant_order_id(request.merchant_order_id.unwrap_or_default());
        let url_carries_the_id = name != ProviderName::Fuuffy; // Fuuffy's confirm sends it in the body
        if url_carries_the_id {
            let error = provider
                .confirm_order(&request)
                .await
                .expect_err("too long");
            assert_eq!(
                error.kind,
                ErrorKind::InvalidInput,
                "{name} confirm: {error}"
            );
            assert!(error.nothing_was_sent());
        }
        if provider.capabilities().contains(Operation::GetOrder) {
            let error = provider.get_order(&id).await.expect_err("too long");
            assert_eq!(error.kind, ErrorKind::InvalidInput, "{name} get: {error}");
        }
    }
    assert_eq!(server.connections(), 0, "{:?}", server.requests());
}

/// Answers every provider's confirm could get that say "done" without a readable body.
fn unreadable_successes() -> Vec<(&'static str, Behavior)> {
    vec![
        ("204", Behavior::json(204, "")),
        (
            "html 200",
            Behavior::Respond {
                delay: Duration::ZERO,
                status: 200,
                headers: vec![("content-type".into(), "text/html".into())],
                body: b"<html><body>Order confirmed</body></html>".to_vec(),
            },
        ),
        ("empty object 200", Behavior::json(200, "{}")),
        ("202 json", Behavior::json(202, r#"{"queued": true}"#)),
        (
            "200 over the cap",
            Behavior::json(200, &format!(r#"{{"x":"{}"}}"#, "y".repeat(4096))),
        ),
        (
            "chunked 200 over the cap",
            Behavior::json(200, &format!(r#"{{"x":"{}"}}"#, "y".repeat(4096)))
                .with_header("transfer-encoding", "chunked"),
        ),
    ]
}

#[tokio::test]
async fn a_confirm_answered_2xx_without_a_readable_body_is_outcome_unknown_and_sent_once() {
    for (label, behavior) in unreadable_successes() {
        let server = FlakyServer::start(vec![behavior]).await;
        let config = config().with_max_response_bytes(1024);
        for provider in adapters::all(&server.url, &config) {
            let name = provider.provider();
            let before = server.requests().len();
            let error = provider
                .confirm_order(&adapters::confirm_request(name))
                .await
                .expect_err(label);
            let sent = server.requests().len() - before;
            // Fuuffy's 200 `{}` is settled by a lookup (a second, read-only request).
            assert!(
                sent == 1 || (name == ProviderName::Fuuffy && sent == 2),
                "{name} {label}: {sent} requests"
            );
            assert_eq!(
                error.kind,
                ErrorKind::OutcomeUnknown,
                "{name} {label}: {error}"
            );
            assert!(
                error.http_status.is_some_and(|s| (200..300).contains(&s)),
                "{name} {label}"
            );
            assert!(!error.nothing_was_sent());
            if label == "html 200" {
                assert!(
                    error.message.contains("Order confirmed"),
                    "{}",
                    error.message
                );
            }
            if provider.capabilities().contains(Operation::GetOrder) {
                let error = provider.get_order("3550875").await.expect_err(label);
                assert_eq!(error.kind, ErrorKind::Decode, "{name} get {label}: {error}");
            }
        }
    }
}

#[tokio::test]
async fn failure_envelopes_inside_2xx_keep_code_and_message() {
    let cases = [
        (
            ProviderName::Logitrail,
            r#"{"success": false, "code": "order_not_passive", "message": "Order is not passive"}"#,
            ErrorKind::Conflict,
            Some("order_not_passive"),
            "Order is not passive",
        ),
        (
            ProviderName::Fuuffy,
            r#"{"error": {"code": "401000", "message": "Token expired"}}"#,
            ErrorKind::Unauthorized,
            Some("401000"),
            "Token expired",
        ),
        (
            ProviderName::Onemg,
            r#"{"is_success": false, "status_code": 500, "error": {"message": "Order not found"}}"#,
            ErrorKind::NotFound,
            None,
            "Order not found",
        ),
        (
            ProviderName::Fastpod,
            r#"{"status": false, "message": "Insufficient balance"}"#,
            ErrorKind::BadRequest,
            None,
            "Insufficient balance",
        ),
    ];
    for (name, body, kind, code, message) in cases {
        let server = FlakyServer::start(vec![Behavior::json(200, body)]).await;
        let provider = adapters::one(name, &server.url, &config());
        let error = provider
            .confirm_order(&adapters::confirm_request(name))
            .await
            .expect_err("a failure envelope");
        assert_eq!(error.kind, kind, "{name}: {error}");
        assert_eq!(error.code.as_deref(), code, "{name}");
        assert_eq!(error.message, message, "{name}");
        assert_eq!(error.http_status, Some(200), "{name}");
        assert_eq!(server.requests().len(), 1, "{name}");
    }
    // A body that only looks like FastPOD's inferred error shape but does not say it failed
    // is not taken for a refusal: the confirm may have taken effect.
    let server = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"status": true, "message": "OK", "data": {"id": 7}}"#,
    )])
    .await;
    let error = adapters::one(ProviderName::Fastpod, &server.url, &config())
        .confirm_order(&adapters::confirm_request(ProviderName::Fastpod))
        .await
        .expect_err("undecodable success");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{error}");
}

const UNLISTED: &str = r#"{"data":{"confirmed_orders":[],"message":"OK"}}"#;

fn fuuffy_order(status: &str) -> Behavior {
    Behavior::json(
        200,
        &format!(
            r#"{{"data":{{"order_id":"3550609","status":"{status}","tracking_number":"TN1"}}}}"#
        ),
    )
}

#[tokio::test]
async fn a_fuuffy_200_that_lists_no_order_is_settled_by_a_lookup() {
    let not_found = Behavior::json(
        400,
        r#"{"error":{"code":"400201","code_reason":"ORDER_NOT_FOUND","message":"Order not found"}}"#,
    );
    let cases: [(Behavior, Result<OrderStatus, ErrorKind>); 6] = [
        (fuuffy_order("READY_TO_SHIP"), Ok(OrderStatus::Confirmed)),
        (fuuffy_order("IN_TRANSIT"), Ok(OrderStatus::Shipped)),
        (fuuffy_order("PENDING_CONFIRM"), Err(ErrorKind::Server)),
        (fuuffy_order("CANCELLED"), Err(ErrorKind::Conflict)),
        (not_found, Err(ErrorKind::NotFound)),
        (Behavior::json(503, "{}"), Err(ErrorKind::OutcomeUnknown)),
    ];
    for (lookup, expected) in cases {
        let server = FlakyServer::start(vec![Behavior::json(200, UNLISTED), lookup]).await;
        let provider = adapters::one(ProviderName::Fuuffy, &server.url, &config());
        let result = provider
            .confirm_order(&adapters::confirm_request(ProviderName::Fuuffy))
            .await;
        let requests = server.requests();
        assert!(
            requests[0].starts_with("POST /v1/order/confirm"),
            "{requests:?}"
        );
        assert!(
            requests[1..]
                .iter()
                .all(|r| r.starts_with("GET /v1/order?id=3550609")),
            "the confirm is sent once, then only looked up: {requests:?}"
        );
        match (result, expected) {
            (Ok(order), Ok(status)) => {
                assert_eq!(order.status, status);
                assert_eq!(order.order_id, "3550609");
            }
            (Err(error), Err(kind)) => {
                assert_eq!(error.kind, kind, "{error}");
                assert_eq!(error.http_status, Some(200));
            }
            (result, expected) => panic!("{result:?}, expected {expected:?}"),
        }
    }
}

#[tokio::test]
async fn the_lookup_that_settles_a_confirm_stays_within_its_deadline() {
    let server = FlakyServer::start(vec![
        Behavior::json(200, UNLISTED),
        fuuffy_order("READY_TO_SHIP").after(Duration::from_secs(5)),
    ])
    .await;
    let config = ClientConfig::default()
        .with_timeout(Duration::from_millis(400))
        .with_retry(RetryPolicy::none());
    let provider = adapters::one(ProviderName::Fuuffy, &server.url, &config);
    let started = std::time::Instant::now();
    let error = provider
        .confirm_order(&adapters::confirm_request(ProviderName::Fuuffy))
        .await
        .expect_err("the lookup cannot finish in time");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{error}");
    assert!(
        started.elapsed() < Duration::from_millis(1_000),
        "{:?}",
        started.elapsed()
    );
}
