//! One deadline covers a whole call: every attempt, every backoff and `Retry-After` wait, and
//! reading the body. A wait that would end past it is reported, not slept.

use std::time::{Duration, Instant};

use ordergate::{ClientConfig, ErrorKind, OrderProvider, ProviderName};
use ordergate_runtime::RetryPolicy;
use ordergate_tests::adapters;
use ordergate_tests::flaky::{Behavior, FlakyServer};

fn get_ok() -> Behavior {
    Behavior::json(
        200,
        r#"{"data":{"order_id":"3550875","status":"READY_TO_SHIP"}}"#,
    )
}

#[tokio::test]
async fn retries_of_a_slow_read_end_at_the_deadline() {
    let server = FlakyServer::start(vec![get_ok().after(Duration::from_secs(3))]).await;
    let config = ClientConfig::default().with_timeout(Duration::from_millis(500));
    let provider = adapters::one(ProviderName::Fuuffy, &server.url, &config);
    let started = Instant::now();
    let error = provider.get_order("3550875").await.expect_err("too slow");
    let took = started.elapsed();
    assert_eq!(error.kind, ErrorKind::Timeout, "{error}");
    assert!(took < Duration::from_millis(900), "{took:?}");
    // The first attempt used the whole deadline: no time was left for another.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_is_reported_not_slept() {
    let server = FlakyServer::start(vec![
        Behavior::json(503, "{}").with_header("retry-after", "10"),
        get_ok(),
    ])
    .await;
    let config = ClientConfig::default()
        .with_timeout(Duration::from_secs(2))
        .with_retry(RetryPolicy::default().with_max_retry_after(Duration::from_secs(60)));
    let provider = adapters::one(ProviderName::Fuuffy, &server.url, &config);
    let started = Instant::now();
    let error = provider.get_order("3550875").await.expect_err("503");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.retry_after, Some(Duration::from_secs(10)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_backoff_past_the_deadline_is_not_started() {
    let server = FlakyServer::start(vec![Behavior::json(503, "{}"), get_ok()]).await;
    let config = ClientConfig::default()
        .with_timeout(Duration::from_millis(300))
        .with_retry(
            RetryPolicy::default().with_backoff(Duration::from_secs(2), Duration::from_secs(2)),
        );
    let provider = adapters::one(ProviderName::Fuuffy, &server.url, &config);
    let started = Instant::now();
    let error = provider.get_order("3550875").await.expect_err("503");
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_within_the_deadline_still_happen() {
    let server = FlakyServer::start(vec![
        Behavior::json(503, "{}").with_header("retry-after", "1"),
        get_ok(),
    ])
    .await;
    let config = ClientConfig::default().with_timeout(Duration::from_secs(5));
    let provider = adapters::one(ProviderName::Fuuffy, &server.url, &config);
    let order = provider.get_order("3550875").await.expect("retried once");
    assert_eq!(order.order_id, "3550875");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_deadline_bounds_a_body_that_never_completes() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Headers at once, then one byte of a 1,000-byte body, then nothing: the deadline covers
    // reading the body too.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{";
                let _ = stream.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(10)).await;
            });
        }
    });
    let config = ClientConfig::default()
        .with_timeout(Duration::from_millis(400))
        .with_retry(RetryPolicy::none());
    let provider = adapters::one(ProviderName::Fuuffy, &url, &config);
    let started = Instant::now();
    let error = provider
        .confirm_order(&adapters::confirm_request(ProviderName::Fuuffy))
        .await
        .expect_err("never completes");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(350) && took < Duration::from_millis(900),
        "{took:?}"
    );
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{error}");
    assert_eq!(error.http_status, Some(200), "{error}");
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 1);
}
