//! Operation metadata from the spec, as the transport applies it (loopback, requests counted):
//! a POST read (`get_rates`, `x-ordergate-idempotent: true`) is retried and a POST confirm is
//! not; a spec bound is refused with no connection made; one deadline runs from the token
//! fetch to the last byte.

use std::time::{Duration, Instant};

use ordergate::{ClientConfig, ErrorKind, OrderProvider, Phase, ProviderName};
use ordergate_fuuffy::{Client, Credentials, operations, types};
use ordergate_runtime::{Pagination, RetryPolicy, SendPhase, observe_call};
use ordergate_tests::flaky::{Behavior, FlakyServer};

fn config(timeout_ms: u64) -> ClientConfig {
    ClientConfig::default()
        .with_timeout(Duration::from_millis(timeout_ms))
        .with_retry(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(10), Duration::from_millis(20)),
        )
}

fn client(server: &FlakyServer, config: &ClientConfig) -> Client {
    Client::connect(&server.url, Credentials::access_token("tok"), config).expect("client")
}

fn rates_request() -> types::RatesRequest {
    serde_json::from_value(rates_value()).expect("the example decodes")
}

#[test]
fn every_operation_is_described_once_and_state_changes_are_stated() {
    let ids: Vec<&str> = operations::ALL.iter().map(|op| op.id).collect();
    assert_eq!(ids.len(), 9, "{ids:?}");
    for operation in operations::ALL {
        assert_eq!(operations::by_id(operation.id), Some(operation));
        assert_eq!(operation.conventions, &ordergate_fuuffy::CONVENTIONS);
    }
    let changes_state: Vec<&str> = operations::ALL
        .iter()
        .filter(|op| op.changes_state())
        .map(|op| op.id)
        .collect();
    assert_eq!(changes_state, ["confirm_order", "create_order"]);
    const { assert!(operations::GET_RATES.idempotent) };
    assert_eq!(operations::GET_RATES.method, "POST");
    assert!(matches!(
        operations::LIST_ORDERS.pagination,
        Some(Pagination::PageNumber {
            page: "page",
            limit: "limit",
            total_pages: None,
            ..
        })
    ));
    const { assert!(operations::CREATE_ORDER.inferred && !operations::CONFIRM_ORDER.inferred) };
    for (operation, expected) in [
        (&ordergate_logitrail::operations::CONFIRM_ORDER, false),
        (&ordergate_onemg::operations::CONFIRM_ORDER, false),
        (&ordergate_fastpod::operations::UPDATE_ORDER_STATUS, false),
        (&ordergate_fastpod::operations::GET_ORDER, true),
    ] {
        assert_eq!(operation.idempotent, expected, "{}", operation.id);
    }
}

#[tokio::test]
async fn a_post_read_is_retried_and_a_post_confirm_is_not() {
    let server = FlakyServer::start(vec![
        Behavior::json(503, r#"{"error":{"code":"503000","message":"busy"}}"#),
        Behavior::json(200, r#"{"data":{"currency":"HKD","rate_list":[]}}"#),
    ])
    .await;
    let api = client(&server, &config(5_000));
    api.get_rates()
        .body(rates_request())
        .send()
        .await
        .expect("retried after 503");
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());

    let server = FlakyServer::start(vec![
        Behavior::json(503, r#"{"error":{"code":"503000","message":"busy"}}"#),
        Behavior::json(200, "{}"),
    ])
    .await;
    let api = client(&server, &config(5_000));
    let result = api
        .confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id("3550609"))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "a confirm is never resent after it arrived"
    );
}

#[tokio::test]
async fn a_spec_bound_is_refused_before_any_connection() {
    let server = FlakyServer::start(vec![Behavior::json(200, r#"{"data":{}}"#)]).await;
    let api = client(&server, &config(2_000));
    for limit in [101u8, 255] {
        let (result, record) = observe_call(
            api.list_orders()
                .limit(std::num::NonZeroU8::new(limit).expect("non-zero"))
                .send(),
        )
        .await;
        match result {
            Err(ordergate_fuuffy::Error::InvalidRequest(message)) => assert!(
                message.contains("`limit` is") && message.contains("at most 100"),
                "{message}"
            ),
            other => panic!("{limit}: expected a refusal, got {other:?}"),
        }
        assert_eq!(record.phase, SendPhase::NotSent);
    }
    assert_eq!(server.connections(), 0);
    // The bound itself is accepted.
    api.list_orders()
        .limit(std::num::NonZeroU8::new(100).expect("non-zero"))
        .send()
        .await
        .expect("100 is allowed");
    assert_eq!(server.requests().len(), 1);

    let empty = serde_json::json!({"shipment_detail": {"parcel_list": []}});
    // typify does not check `minItems`: the empty list decodes, and `send()` refuses it.
    let request: types::RatesRequest =
        serde_json::from_value(merge(rates_value(), empty)).expect("decodes");
    let before = server.requests().len();
    let result = api.get_rates().body(request).send().await;
    assert!(
        matches!(&result, Err(ordergate_fuuffy::Error::InvalidRequest(m)) if m.contains("`/shipment_detail/parcel_list` has 0 item(s)")),
        "{result:?}"
    );
    assert_eq!(server.requests().len(), before);
}

fn rates_value() -> serde_json::Value {
    ordergate_tests::request_examples("fuuffy", "get_rates")
        .into_iter()
        .next()
        .expect("the spec has a get_rates request example")
        .1
}

/// `base` with the objects of `patch` merged in (recursively).
fn merge(mut base: serde_json::Value, patch: serde_json::Value) -> serde_json::Value {
    if let (Some(target), serde_json::Value::Object(patch)) = (base.as_object_mut(), patch.clone())
    {
        for (key, value) in patch {
            let merged = match target.remove(&key) {
                Some(existing) if value.is_object() => merge(existing, value),
                _ => value,
            };
            target.insert(key, merged);
        }
        return base;
    }
    patch
}

fn token_answer() -> Behavior {
    Behavior::json(
        200,
        r#"{"data":{"access_token":"sk-issued","token_type":"Bearer","expires_in":3600}}"#,
    )
}

fn order_answer() -> Behavior {
    Behavior::json(
        200,
        r#"{"data":{"order_id":"3550875","status":"READY_TO_SHIP"}}"#,
    )
}

fn credentials_client(server: &FlakyServer, config: &ClientConfig) -> Client {
    Client::with_client_credentials(&server.url, "client-1", "secret-1", config).expect("client")
}

#[tokio::test]
async fn one_deadline_covers_the_token_fetch_and_the_call() {
    // Token 0.9 s, lookup 0.9 s, deadline 1 s: before, `Ok` after 1.8 s.
    let server = FlakyServer::start(vec![
        token_answer().after(Duration::from_millis(900)),
        order_answer().after(Duration::from_millis(900)),
    ])
    .await;
    let api = credentials_client(&server, &config(1_000));
    let started = Instant::now();
    let (result, record) = observe_call(api.get_order().id("3550875").send()).await;
    let took = started.elapsed();
    assert!(result.is_err(), "{result:?}");
    assert!(took < Duration::from_millis(1_300), "{took:?}");
    assert_eq!(record.phase, SendPhase::SentWithoutAnswer);

    // A token endpoint slower than the whole deadline: nothing else is sent.
    let server = FlakyServer::start(vec![token_answer().after(Duration::from_secs(3))]).await;
    let api = credentials_client(&server, &config(1_000));
    let started = Instant::now();
    let (result, record) = observe_call(api.get_order().id("3550875").send()).await;
    let took = started.elapsed();
    // Whichever ends first: the call's deadline around its wait for the token, or the token
    // request's own timeout (the same 1 s).
    assert!(result.is_err());
    assert!(
        matches!(
            &record.token_failure,
            Some(ordergate_runtime::TokenError::TimedOut)
        ) || matches!(
            &record.token_failure,
            Some(ordergate_runtime::TokenError::Communication(e)) if e.is_timeout()
        ),
        "{:?}",
        record.token_failure
    );
    assert!(took < Duration::from_millis(1_300), "{took:?}");
    assert_eq!(record.phase, SendPhase::NotSent);
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
}

#[tokio::test]
async fn the_facade_reports_what_timed_out_and_that_nothing_was_sent() {
    let server = FlakyServer::start(vec![token_answer().after(Duration::from_secs(3))]).await;
    let provider = ordergate::FuuffyAdapter::builder()
        .base_url(&server.url)
        .client_id("client-1")
        .client_secret("secret-1")
        .client_config(config(1_000))
        .build()
        .expect("adapter");
    let started = Instant::now();
    let error = provider
        .confirm_order(&ordergate::ConfirmRequest::new("3550609"))
        .await
        .expect_err("the token endpoint is too slow");
    assert!(
        started.elapsed() < Duration::from_millis(1_300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.kind, ErrorKind::Timeout, "{error}");
    assert_eq!(error.phase, Phase::NotSent, "{error}");
    assert!(error.nothing_was_sent());
    assert!(error.message.contains("token endpoint"), "{error}");
    assert_eq!(server.requests().len(), 1, "only the token request");
    assert_eq!(error.provider, ProviderName::Fuuffy);
}

/// A List Orders answer with `count` orders, numbered from `first`.
fn list_page(first: u32, count: u32) -> Behavior {
    let orders: Vec<serde_json::Value> = (first..first + count)
        .map(|id| serde_json::json!({"order_id": id.to_string(), "ship_type": "local", "order_status": "READY_TO_SHIP"}))
        .collect();
    Behavior::json(
        200,
        &serde_json::json!({"data": {"order_list": orders}}).to_string(),
    )
}

#[tokio::test]
async fn list_orders_pages_lazily_and_stops_with_the_consumer() {
    use futures_util::StreamExt as _;
    let size = std::num::NonZeroU8::new(2).expect("non-zero");

    // 5 orders, 2 a page: pages of 2, 2 and 1; the short page ends the stream.
    let server = FlakyServer::start(vec![list_page(1, 2), list_page(3, 2), list_page(5, 1)]).await;
    let api = client(&server, &config(2_000));
    let pages: Vec<_> = api
        .list_orders()
        .sort_dir("ASC")
        .pages(size)
        .collect()
        .await;
    let ids: Vec<Vec<String>> = pages
        .into_iter()
        .map(|page| {
            page.expect("a page")
                .data
                .order_list()
                .iter()
                .map(|order| order.order_id.clone())
                .collect()
        })
        .collect();
    assert_eq!(ids, [vec!["1", "2"], vec!["3", "4"], vec!["5"]]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    for (number, line) in requests.iter().enumerate() {
        assert!(
            line.contains(&format!("page={}", number + 1))
                && line.contains("limit=2")
                && line.contains("sort_dir=ASC"),
            "{line}"
        );
    }

    // The consumer takes one page and stops: one request, none ahead.
    let server = FlakyServer::start(vec![list_page(1, 2)]).await;
    let api = client(&server, &config(2_000));
    let first: Vec<_> = api.list_orders().pages(size).take(1).collect().await;
    assert_eq!(first.len(), 1);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests().len(), 1);

    // A page that fails ends the stream with that error; the page before it stays.
    let server = FlakyServer::start(vec![
        list_page(1, 2),
        Behavior::json(404, r#"{"error":{"code":"404000","message":"gone"}}"#),
        list_page(3, 2),
    ])
    .await;
    let api = client(&server, &config(2_000));
    let pages: Vec<_> = api.list_orders().pages(size).collect().await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok() && pages[1].is_err(), "{pages:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_phase_is_the_last_attempts_as_the_runtime_recorded_it() {
    // A read answered 503, retried, and the retry's connection dropped after sending: the call
    // ends sent without an answer, not answered with the first attempt's 503.
    let server = FlakyServer::start(vec![
        Behavior::json(503, r#"{"error":{"code":"503000","message":"busy"}}"#),
        Behavior::Drop,
    ])
    .await;
    let provider = ordergate::FuuffyAdapter::builder()
        .base_url(&server.url)
        .token("tok")
        .client_config(
            config(2_000).with_retry(
                RetryPolicy::default()
                    .with_max_attempts(2)
                    .with_backoff(Duration::from_millis(5), Duration::from_millis(5)),
            ),
        )
        .build()
        .expect("adapter");
    let error = provider.get_order("3550875").await.expect_err("dropped");
    assert_eq!(server.requests().len(), 2);
    assert_eq!(error.phase, Phase::SentWithoutAnswer, "{error}");
    assert_eq!(error.http_status, None, "{error}");

    // No connection at all: not sent.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let provider = ordergate::FuuffyAdapter::builder()
        .base_url(&url)
        .token("tok")
        .client_config(config(2_000))
        .build()
        .expect("adapter");
    let error = provider
        .confirm_order(&ordergate::ConfirmRequest::new("3550609"))
        .await
        .expect_err("refused");
    assert_eq!(error.phase, Phase::NotSent, "{error}");
    assert!(error.nothing_was_sent());
}
