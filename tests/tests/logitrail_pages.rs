//! Logitrail's two paged lists (returns, inventory by last movement) as lazy page streams,
//! against httpmock: the offsets asked for, where each stream ends, an error mid-stream, and a
//! consumer that stops.

use std::num::NonZeroU16;

use futures_util::StreamExt as _;
use httpmock::{Method::GET, MockServer};
use ordergate_logitrail::{Client, Credentials, types};
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET};
use ordergate_tests::response_example;
use serde_json::{Value, json};

fn client(server: &MockServer) -> Client {
    Client::with_credentials(
        &server.base_url(),
        Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET),
    )
    .expect("a loopback base URL is accepted")
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("not zero")
}

/// The spec's return example, `n` times with distinct ids.
fn returns(n: usize) -> Value {
    let example = response_example("logitrail", "list_returns", 200).body;
    let one = example[0].clone();
    Value::Array(
        (0..n)
            .map(|i| {
                let mut item = one.clone();
                item["id"] = json!(format!("{i:024x}"));
                item
            })
            .collect(),
    )
}

/// An inventory list page of `count` products from `offset`, of `total` in all.
fn inventory(offset: u64, count: u64, total: u64) -> Value {
    let products: Vec<Value> = (offset..offset + count)
        .map(|i| json!({"merchants_id": format!("SKU-{i}"), "inventory": {"available": i}}))
        .collect();
    json!({"total_count": total, "offset": offset, "count": count, "products": products})
}

#[tokio::test]
async fn returns_are_paged_until_a_short_page() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (offset, count) in [(0, 2), (2, 2), (4, 1)] {
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path("/orders/returns")
                        .query_param("status", "pending")
                        .query_param("offset", offset.to_string())
                        .query_param("limit", "2");
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(returns(count));
                })
                .await,
        );
    }
    let client = client(&server);
    let pages: Vec<_> = client
        .list_returns()
        .status("pending")
        .pages(size(2))
        .collect()
        .await;
    let lengths: Vec<usize> = pages
        .into_iter()
        .map(|page| page.expect("a page").len())
        .collect();
    assert_eq!(lengths, [2, 2, 1]);
    for mock in mocks {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn inventory_is_paged_until_the_total_and_stops_with_the_consumer() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (offset, count) in [(0, 3), (3, 3), (6, 1)] {
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path("/products/inventory")
                        .query_param("after", "2017-06-26T15:09:04+00:00")
                        .query_param("offset", offset.to_string())
                        .query_param("limit", "3");
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(inventory(offset, count, 7));
                })
                .await,
        );
    }
    let client = client(&server);
    let pages = || {
        client
            .get_inventory()
            .after("2017-06-26T15:09:04+00:00")
            .pages(size(3))
    };
    let all: Vec<_> = pages().collect().await;
    let skus: Vec<String> = all
        .into_iter()
        .flat_map(|page| match page.expect("a page").into_inner() {
            types::InventoryAnswer::InventoryList(list) => list.products,
            other => panic!("a list, not {other:?}"),
        })
        .map(|product| product.merchants_id)
        .collect();
    assert_eq!(skus.len(), 7);
    assert_eq!(skus[6], "SKU-6");
    for mock in &mocks {
        assert_eq!(mock.calls_async().await, 1);
    }

    // A consumer that takes one page makes one request.
    let first: Vec<_> = pages().take(1).collect().await;
    assert_eq!(first.len(), 1);
    assert_eq!(mocks[0].calls_async().await, 2);
    assert_eq!(mocks[1].calls_async().await, 1, "no page fetched ahead");
}

#[tokio::test]
async fn an_error_mid_stream_ends_it_and_the_pages_before_stay() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/products/inventory")
                .query_param("offset", "0");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(inventory(0, 2, 10));
        })
        .await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/products/inventory")
                .query_param("offset", "2");
            then.status(400)
                .header("content-type", "application/json")
                .json_body(json!({"code": "unknown", "message": "bad after"}));
        })
        .await;
    let client = client(&server);
    let pages: Vec<_> = client
        .get_inventory()
        .after("2017-06-26T15:09:04+00:00")
        .pages(size(2))
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "one page, then the error, then nothing");
    assert!(pages[0].is_ok());
    match &pages[1] {
        Err(ordergate_logitrail::Error::ErrorResponse(error)) => {
            assert_eq!(error.code, "unknown");
        }
        other => panic!("the page's error, not {other:?}"),
    }
    assert_eq!(failing.calls_async().await, 1, "not retried: a 400");
}

#[tokio::test]
async fn a_page_size_past_the_documented_maximum_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(inventory(0, 0, 0));
        })
        .await;
    let client = client(&server);
    let pages: Vec<_> = client
        .get_inventory()
        .after("2017-06-26T15:09:04+00:00")
        .pages(size(501))
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert!(
        matches!(&pages[0], Err(ordergate_logitrail::Error::InvalidRequest(m)) if m.contains("limit")),
        "{:?}",
        pages[0]
    );
    assert_eq!(anything.calls_async().await, 0);
    // 500, the documented maximum, is sent.
    let pages: Vec<_> = client.get_inventory().pages(size(500)).collect().await;
    assert!(pages[0].is_ok(), "{:?}", pages[0]);
    assert_eq!(anything.calls_async().await, 1);
}
