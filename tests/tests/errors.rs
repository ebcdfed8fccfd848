//! The error keeps everything: the provider's typed error body, how far the call got (its
//! phase, apart from its kind), and `retry_after` as a duration.

use std::time::Duration;

use ordergate::sdk::{fuuffy, logitrail};
use ordergate::{ErrorKind, OrderProvider, Phase, ProviderName};
use ordergate_tests::adapters::{confirm_request, one, quick_retries};
use ordergate_tests::flaky::{Behavior, FlakyServer};

#[tokio::test]
async fn the_typed_provider_error_body_is_kept() {
    // Fuuffy's documented Get Order error.
    let body = r#"{"error": {"code": "400201", "code_reason": "ORDER_NOT_FOUND", "message": "Order not found", "error_code": "ORDER_NOT_FOUND"}}"#;
    let server = FlakyServer::start(vec![Behavior::json(400, body)]).await;
    let provider = one(ProviderName::Fuuffy, &server.url, &quick_retries());
    let error = provider.get_order("3550609").await.expect_err("400");
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert_eq!(error.phase, Phase::Answered);
    let typed = error
        .provider_error::<fuuffy::types::ErrorResponse>()
        .expect("the typed Fuuffy error body");
    assert_eq!(typed.error.code, "400201");
    assert_eq!(typed.error.error_code.as_deref(), Some("ORDER_NOT_FOUND"));
    // Asked for another type, there is none.
    assert!(
        error
            .provider_error::<logitrail::types::ErrorResponse>()
            .is_none()
    );

    // Logitrail's failure envelope inside HTTP 200 is kept as Logitrail's error type.
    let envelope = r#"{"success": false, "code": "order_not_passive", "message": "not passive"}"#;
    let server = FlakyServer::start(vec![Behavior::json(200, envelope)]).await;
    let provider = one(ProviderName::Logitrail, &server.url, &quick_retries());
    let error = provider
        .confirm_order(&confirm_request(ProviderName::Logitrail))
        .await
        .expect_err("a failure envelope");
    assert_eq!(error.kind, ErrorKind::Conflict);
    assert_eq!(error.phase, Phase::Answered);
    let typed = error
        .provider_error::<logitrail::types::ErrorResponse>()
        .expect("the typed Logitrail error body");
    assert_eq!(typed.code, "order_not_passive");
}

#[tokio::test]
async fn the_phase_says_how_far_the_call_got() {
    for name in ProviderName::ALL {
        // Nothing listens on port 9: nothing was sent.
        let provider = one(name, "http://127.0.0.1:9", &quick_retries());
        let error = provider
            .confirm_order(&confirm_request(name))
            .await
            .expect_err("refused");
        assert_eq!(error.kind, ErrorKind::Transport, "{name}");
        assert_eq!(error.phase, Phase::NotSent, "{name}");
        assert!(error.nothing_was_sent(), "{name}");

        // A confirm whose answer never comes: sent, and it may have been applied.
        let server = FlakyServer::start(vec![
            Behavior::json(200, "{}").after(Duration::from_secs(30)),
        ])
        .await;
        let config = quick_retries().with_timeout(Duration::from_millis(300));
        let provider = one(name, &server.url, &config);
        let error = provider
            .confirm_order(&confirm_request(name))
            .await
            .expect_err("timed out");
        assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{name}");
        assert_eq!(error.phase, Phase::SentWithoutAnswer, "{name}");
        assert!(!error.nothing_was_sent(), "{name}");

        // A server failure: answered, whatever the kind.
        let server = FlakyServer::start(vec![Behavior::json(500, "{}"); 4]).await;
        let provider = one(name, &server.url, &quick_retries());
        let error = provider
            .confirm_order(&confirm_request(name))
            .await
            .expect_err("500");
        assert_eq!(error.kind, ErrorKind::Server, "{name}");
        assert_eq!(error.phase, Phase::Answered, "{name}");
        assert_eq!(error.http_status, Some(500), "{name}");
    }
}

#[tokio::test]
async fn a_connection_lost_after_sending_a_read_is_not_called_unsent() {
    let server = FlakyServer::start(vec![Behavior::Drop; 4]).await;
    let provider = one(ProviderName::Fuuffy, &server.url, &quick_retries());
    let error = provider.get_order("3550609").await.expect_err("dropped");
    assert_eq!(error.kind, ErrorKind::Transport);
    assert_eq!(error.phase, Phase::SentWithoutAnswer);
    assert!(!error.nothing_was_sent());
}

#[tokio::test]
async fn retry_after_is_a_duration() {
    let server = FlakyServer::start(vec![
        Behavior::json(
            429,
            r#"{"error": {"code": "rate_limit_exceeded", "message": "slow down"}}"#,
        )
        .with_header("retry-after", "120"),
    ])
    .await;
    let provider = one(ProviderName::Fuuffy, &server.url, &quick_retries());
    let error = provider.get_order("3550609").await.expect_err("429");
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(120)));
}
