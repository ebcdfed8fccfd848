//! FastPOD's List Orders as a lazy page stream (`ListOrders::pages`), against httpmock and the
//! sandbox: the pages asked for (filters on every page, `page` and `limit` replaced), nothing
//! fetched ahead, a consumer that stops, an error mid-stream, and servers whose paginator
//! never says "last".

use std::num::NonZeroU16;

use futures_util::StreamExt as _;
use httpmock::{Method::GET, Mock, MockServer};
use ordergate_fastpod::{Client, ClientConfig, Credentials, Error, types};
use ordergate_tests::adapters::quick_retries;
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::response_example;
use serde_json::{Value, json};

fn client(server: &MockServer) -> Client {
    Client::connect(
        &server.base_url(),
        Credentials::api_token(TOKEN),
        &quick_retries(),
    )
    .expect("a loopback base URL is accepted")
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("not zero")
}

/// Page `page` of `last` pages of `per_page` orders: the spec's List Orders example with its
/// paginator keys set, `next_page_url` null on the last page.
fn page(server: &MockServer, page: u64, last: u64, per_page: u64) -> Value {
    let mut body = response_example("fastpod", "list_orders", 200).body;
    let order = body["data"][0].clone();
    body["data"] = Value::Array(
        (0..per_page)
            .map(|i| {
                let mut order = order.clone();
                order["id"] = json!(format!("FAS105-111423-{:06}", (page - 1) * per_page + i));
                order
            })
            .collect(),
    );
    let url = |n: u64| format!("{}/v1/orders?status=shipped&page={n}", server.base_url());
    body["current_page"] = json!(page);
    body["last_page"] = json!(last);
    body["per_page"] = json!(per_page);
    body["total"] = json!(last * per_page);
    body["from"] = json!((page - 1) * per_page + 1);
    body["to"] = json!(page * per_page);
    body["next_page_url"] = if page < last {
        json!(url(page + 1))
    } else {
        Value::Null
    };
    body["prev_page_url"] = if page > 1 {
        json!(url(page - 1))
    } else {
        Value::Null
    };
    body
}

/// One mock per page of `last`, each answering only its `page`, with `status=shipped` and
/// `limit=per_page`, the token and `Accept: application/json`.
async fn pages_served(server: &MockServer, last: u64, per_page: u64) -> Vec<Mock<'_>> {
    let mut mocks = Vec::new();
    for n in 1..=last {
        let body = page(server, n, last, per_page);
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path("/v1/orders")
                        .query_param("status", "shipped")
                        .query_param("page", n.to_string())
                        .query_param("limit", per_page.to_string())
                        .header("authorization", format!("Bearer {TOKEN}"))
                        .header("accept", "application/json");
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(body);
                })
                .await,
        );
    }
    mocks
}

/// A mock answering `GET /v1/orders?page=n` (whatever else the query holds) with `body`.
async fn serve_page(server: &MockServer, n: u64, body: Value) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/orders")
                .query_param("page", n.to_string());
            then.status(200)
                .header("content-type", "application/json")
                .json_body(body);
        })
        .await
}

async fn calls(mocks: &[Mock<'_>]) -> Vec<usize> {
    let mut counted = Vec::new();
    for mock in mocks {
        counted.push(mock.calls_async().await);
    }
    counted
}

#[tokio::test]
async fn pages_follow_next_page_url_lazily_and_stop_with_the_consumer() {
    let server = MockServer::start_async().await;
    let mocks = pages_served(&server, 5, 2).await;
    let client = client(&server);
    let pages = || {
        client
            .list_orders()
            .status(types::OrderStatus::Shipped)
            .page(9u64)
            .limit(99u64)
            .pages(size(2))
    };

    // Every page, once each, until next_page_url is null.
    let all: Vec<_> = pages().collect().await;
    let ids: Vec<String> = all
        .into_iter()
        .flat_map(|page| page.expect("a page").into_inner().data)
        .map(|order| order.id)
        .collect();
    assert_eq!(ids.len(), 10);
    assert_eq!(ids[9], "FAS105-111423-000009");
    assert_eq!(calls(&mocks).await, [1, 1, 1, 1, 1]);

    // Nothing before the first poll, one page per poll, nothing after the consumer stops.
    let mut stream = Box::pin(pages());
    assert_eq!(
        calls(&mocks).await,
        [1, 1, 1, 1, 1],
        "nothing before a poll"
    );
    let first = stream.next().await.expect("a page").expect("ok");
    assert_eq!(first.current_page, Some(1));
    assert_eq!(
        calls(&mocks).await,
        [2, 1, 1, 1, 1],
        "no page fetched ahead"
    );
    stream.next().await.expect("a page").expect("ok");
    drop(stream);
    tokio::task::yield_now().await;
    assert_eq!(calls(&mocks).await, [2, 2, 1, 1, 1]);
    let taken: Vec<_> = pages().take(3).collect().await;
    assert_eq!(taken.len(), 3);
    assert_eq!(calls(&mocks).await, [3, 3, 2, 1, 1]);
}

#[tokio::test]
async fn a_page_failing_mid_stream_ends_it_with_that_error_and_the_pages_before_stay() {
    let server = MockServer::start_async().await;
    // The paginator promises five pages; page 3 fails.
    let mut served = Vec::new();
    for n in 1..=2 {
        served.push(serve_page(&server, n, page(&server, n, 5, 3)).await);
    }
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/orders").query_param("page", "3");
            then.status(500)
                .header("content-type", "application/json")
                .json_body(json!({"status": false, "message": "Server Error"}));
        })
        .await;
    let after = serve_page(&server, 4, page(&server, 4, 5, 3)).await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_orders()
        .status(types::OrderStatus::Shipped)
        .pages(size(3))
        .collect()
        .await;
    assert_eq!(pages.len(), 3, "two pages, the error, then nothing");
    let kept: Vec<Vec<String>> = pages[..2]
        .iter()
        .map(|page| {
            let page = page.as_ref().expect("a page");
            page.data.iter().map(|order| order.id.clone()).collect()
        })
        .collect();
    assert_eq!(kept[0].len(), 3);
    assert_eq!(kept[1][2], "FAS105-111423-000005");
    match &pages[2] {
        Err(Error::ErrorResponse(error)) => {
            assert_eq!(error.status().as_u16(), 500);
            assert_eq!(error.message.as_deref(), Some("Server Error"));
        }
        other => panic!("page 3's error, not {other:?}"),
    }
    // Page 3 was asked for (retries are the runtime's business), page 4 never.
    assert!(failing.calls_async().await >= 1);
    assert_eq!(after.calls_async().await, 0, "nothing after the error");
    assert_eq!(calls(&served).await, [1, 1]);
}

#[tokio::test]
async fn a_paginator_that_always_says_next_is_bounded_by_its_own_numbers() {
    // Every page says there is a next one, but also that page 3 is the last.
    let server = MockServer::start_async().await;
    let mut always = Vec::new();
    for n in 1..=6u64 {
        let mut body = page(&server, n, 3, 1);
        body["next_page_url"] = json!(format!("{}/v1/orders?page={}", server.base_url(), n + 1));
        always.push(serve_page(&server, n, body).await);
    }
    let bounded = client(&server);
    let pages: Vec<_> = bounded.list_orders().pages(size(1)).collect().await;
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(Result::is_ok));
    assert_eq!(calls(&always).await, [1, 1, 1, 0, 0, 0]);

    // One that says "next" on an empty page, with no totals: the empty page ends it.
    let server = MockServer::start_async().await;
    let endless = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/orders");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"current_page": 1, "data": [], "next_page_url": "http://127.0.0.1/v1/orders?page=2"}));
        })
        .await;
    let client = client(&server);
    let pages: Vec<_> = client.list_orders().pages(size(10)).collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(endless.calls_async().await, 1);
}

#[tokio::test]
async fn pages_walk_the_sandbox_with_their_filters() {
    let sandbox = ordergate_sandbox::start()
        .await
        .expect("the sandbox starts");
    let api = Client::connect(
        &sandbox.base_url("fastpod"),
        Credentials::api_token(ordergate_sandbox::fastpod::TOKEN),
        &ClientConfig::default(),
    )
    .expect("a loopback base URL is accepted");
    let example =
        ordergate_tests::request_example("fastpod", "create_order", "docs_create_request");
    for n in 0..45 {
        let mut body = example.clone();
        body["reference_id"] = json!(format!("walk-{n:02}"));
        let request: types::OrderRequest = serde_json::from_value(body).expect("a request");
        api.create_order()
            .body(request)
            .send()
            .await
            .expect("created");
    }
    sandbox.clear_responses();
    let pages: Vec<_> = api
        .list_orders()
        .status(types::OrderStatus::Draft)
        .search("walk-")
        .pages(size(20))
        .collect()
        .await;
    let references: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.expect("a page").into_inner().data)
        .filter_map(|order| order.reference_id)
        .collect();
    let expected: Vec<String> = (0..45).rev().map(|n| format!("walk-{n:02}")).collect();
    assert_eq!(references, expected);
    let requests: Vec<String> = sandbox
        .responses()
        .into_iter()
        .map(|response| format!("{} {}", response.method, response.status))
        .collect();
    assert_eq!(
        requests,
        ["GET 200", "GET 200", "GET 200"],
        "three pages, no more"
    );
}
