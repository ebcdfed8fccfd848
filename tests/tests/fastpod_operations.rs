//! Every FastPOD operation over loopback against httpmock: the docs' request examples sent as
//! documented (the method, the exact path with the id, every query pair and nothing else,
//! `Authorization: Bearer <token>`, `Accept: application/json`, the JSON body equal to the
//! example) and every response example of the spec decoded losslessly (errors as
//! `ErrorResponse` with their status). Each operation asserts how many examples it has, so a
//! new example cannot be skipped silently.

use std::fmt::Debug;

use httpmock::{Mock, MockServer};
use ordergate_fastpod::{Client, Credentials, Error, ResponseValue, types};
use ordergate_tests::adapters::quick_retries;
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::sent::Sent;
use ordergate_tests::{
    ResponseExample, assert_decoded_losslessly, request_examples, response_examples,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const PROVIDER: &str = "fastpod";
/// The order id of the docs' Update Status example (<https://fastpodapi.apidog.io/api-4681586>).
const ORDER_ID: &str = "F237-120723-000001";

type Answer<T> = Result<ResponseValue<T>, Error<types::ErrorResponse>>;

fn client(server: &MockServer) -> Client {
    Client::connect(
        &server.base_url(),
        Credentials::api_token(TOKEN),
        &quick_retries(),
    )
    .expect("loopback is accepted")
}

/// The one request-body example of `operation_id`, decoded into `B` losslessly.
fn body<B: DeserializeOwned + Serialize>(operation_id: &str) -> (Value, B) {
    let examples = request_examples(PROVIDER, operation_id);
    assert_eq!(examples.len(), 1, "{operation_id} request examples");
    let (name, value) = examples.into_iter().next().expect("one example");
    let label = format!("{operation_id} {name}");
    let decoded: B =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_decoded_losslessly(&label, &decoded, &value);
    (value, decoded)
}

/// A mock that answers `example` only to the request `sent` describes, with the token and
/// `Accept: application/json` (and a JSON content type with a body).
async fn expect<'s>(server: &'s MockServer, sent: &Sent, example: &ResponseExample) -> Mock<'s> {
    server
        .mock_async(|when, then| {
            sent.matched(
                when.header("authorization", format!("Bearer {TOKEN}"))
                    .header("accept", "application/json"),
            );
            example.serve(then);
        })
        .await
}

/// Checks `result` against the example it was served: a 200 decodes losslessly into `T`, an
/// error into `ErrorResponse` with the example's status.
fn check<T: Serialize + Debug>(example: &ResponseExample, result: Answer<T>) -> Option<T> {
    match (example.status, result) {
        (200, Ok(response)) => {
            assert_eq!(response.status().as_u16(), 200, "{}", example.label);
            assert_decoded_losslessly(&example.label, &*response, &example.body);
            Some(response.into_inner())
        }
        (status, Err(Error::ErrorResponse(error))) => {
            assert_eq!(error.status().as_u16(), status, "{}", example.label);
            assert_decoded_losslessly(&example.label, &*error, &example.body);
            assert_eq!(error.status, Some(false), "{}", example.label);
            None
        }
        (_, other) => panic!("{}: unexpected result {other:?}", example.label),
    }
}

/// Serves each response example of `operation_id` (there must be `count`) to the request
/// `sent` describes, from a fresh server, makes the call, checks the mock was hit once and the
/// answer decoded; the decoded successes.
async fn each_example<T: Serialize + Debug>(
    operation_id: &str,
    count: usize,
    sent: &Sent,
    call: impl AsyncFn(Client) -> Answer<T>,
) -> Vec<T> {
    let examples = response_examples(PROVIDER, operation_id);
    assert_eq!(examples.len(), count, "{operation_id} response examples");
    let mut decoded = Vec::new();
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = expect(&server, sent, &example).await;
        let result = call(client(&server)).await;
        mock.assert_async().await;
        decoded.extend(check(&example, result));
    }
    decoded
}

#[tokio::test]
async fn list_orders_sends_every_filter_and_decodes_the_paginator() {
    // The values of the List Orders page's curl and filter descriptions
    // (https://fastpodapi.apidog.io/api-4681580).
    let mut sent = Sent::new("GET", "/v1/orders");
    sent.query = [
        ("page", "1"),
        ("limit", "25"),
        ("status", "draft"),
        ("search", "FAS105-111423-000006"),
        ("start_date", "2023-01-01"),
        ("end_date", "2023-12-31"),
        ("shipping_method", "1"),
        ("order_type", "1"),
        ("payment_method", "cash"),
        ("payment_status", "unpaid"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .collect();
    let pages = each_example("list_orders", 2, &sent, async |client| {
        client
            .list_orders()
            .page(1u64)
            .limit(25u64)
            .status(types::OrderStatus::Draft)
            .search("FAS105-111423-000006")
            .start_date("2023-01-01")
            .end_date("2023-12-31")
            .shipping_method(1u64)
            .order_type(1u64)
            .payment_method(types::PaymentMethod::Cash)
            .payment_status(types::PaymentStatus::Unpaid)
            .send()
            .await
    })
    .await;
    let page = &pages[0];
    assert_eq!(page.current_page, Some(1));
    assert_eq!(
        (page.total, page.last_page, page.next_page_url.as_deref()),
        (Some(1), Some(1), None)
    );
    assert_eq!(page.data[0].id, "FAS105-111423-000006");
    assert_eq!(page.data[0].order_status, types::OrderStatus::Draft);
    assert_eq!(page.data[0].item_total, Some(36.0));

    // No filter: no query at all.
    let bare = Sent::new("GET", "/v1/orders");
    each_example("list_orders", 2, &bare, async |client| {
        client.list_orders().send().await
    })
    .await;
}

#[tokio::test]
async fn create_order_sends_the_docs_request_and_decodes_the_envelope() {
    let (value, request) = body::<types::OrderRequest>("create_order");
    let sent = Sent::new("POST", "/v1/orders").json(&value);
    let created = each_example("create_order", 2, &sent, async |client| {
        client.create_order().body(request.clone()).send().await
    })
    .await;
    assert!(created[0].status);
    assert_eq!(
        created[0].message.as_deref(),
        Some("Order created successfully.")
    );
    let order = &created[0].data;
    assert_eq!(order.id, "F255-010524-000001");
    assert_eq!(order.order_status, types::OrderStatus::NewOrder);
    assert_eq!(
        (order.order_total, order.point_used),
        (Some(21.79), Some(2179))
    );
    assert_eq!(order.rush_production, Some(false));
}

#[tokio::test]
async fn get_order_sends_the_id_and_decodes_the_bare_order() {
    let sent = Sent::new("GET", format!("/v1/orders/{ORDER_ID}"));
    let orders = each_example("get_order", 2, &sent, async |client| {
        client.get_order().id(ORDER_ID).send().await
    })
    .await;
    let order = &orders[0];
    assert_eq!(order.id, ORDER_ID);
    assert_eq!(order.line_items()[0].sku.as_deref(), Some("UABSTAQUBXL3"));
    assert_eq!(order.shipments(), &[] as &[Value]);
}

#[tokio::test]
async fn update_order_sends_the_docs_request_and_decodes_the_envelope() {
    let (value, request) = body::<types::UpdateOrderRequest>("update_order");
    let sent = Sent::new("PUT", format!("/v1/orders/{ORDER_ID}")).json(&value);
    let updated = each_example("update_order", 2, &sent, async |client| {
        client
            .update_order()
            .id(ORDER_ID)
            .body(request.clone())
            .send()
            .await
    })
    .await;
    assert_eq!(
        updated[0].message.as_deref(),
        Some("Order updated successfully.")
    );
    assert_eq!(updated[0].data.id, ORDER_ID);
    assert_eq!(request.shipping_method.get(), 1);
    assert_eq!(
        request.line_items[0].print_areas.front.as_deref(),
        Some("https://via.placeholder.com/2400/09f/fff.png")
    );
}

#[tokio::test]
async fn update_order_status_sends_new_order_and_decodes_the_envelope() {
    let (value, request) = body::<types::UpdateOrderStatusRequest>("update_order_status");
    let sent = Sent::new("PUT", format!("/v1/orders/{ORDER_ID}/status")).json(&value);
    let updated = each_example("update_order_status", 2, &sent, async |client| {
        client
            .update_order_status()
            .id(ORDER_ID)
            .body(request.clone())
            .send()
            .await
    })
    .await;
    assert_eq!(updated[0].data.order_status, types::OrderStatus::NewOrder);
    assert_eq!(updated[0].data.order_total, Some(38.4));
}

#[tokio::test]
async fn cancel_order_sends_no_body_and_decodes_the_cancelled_order() {
    let sent = Sent::new("POST", format!("/v1/orders/{ORDER_ID}/cancel"));
    let cancelled = each_example("cancel_order", 2, &sent, async |client| {
        client.cancel_order().id(ORDER_ID).send().await
    })
    .await;
    assert_eq!(
        cancelled[0].message.as_deref(),
        Some("Order cancelled successfully.")
    );
    let order = &cancelled[0].data;
    assert_eq!(order.order_status, types::OrderStatus::Cancelled);
    assert_eq!(
        order.cancelled_at.as_deref(),
        Some("2023-12-07T08:29:50.000000Z")
    );
}

#[tokio::test]
async fn estimate_order_price_sends_the_docs_request_and_decodes_the_estimate() {
    let (value, request) = body::<types::EstimateRequest>("estimate_order_price");
    assert_eq!(request.shipping_method, types::ShippingMethodCode::V1);
    let sent = Sent::new("POST", "/v1/orders/estimate-price").json(&value);
    let estimates = each_example("estimate_order_price", 2, &sent, async |client| {
        client
            .estimate_order_price()
            .body(request.clone())
            .send()
            .await
    })
    .await;
    let estimate = &estimates[0];
    assert_eq!(
        (
            estimate.item_total,
            estimate.shipping_total,
            estimate.order_total
        ),
        (Some(14.8), Some(4.99), Some(19.79))
    );
    assert_eq!(
        (estimate.point_used, estimate.discount),
        (Some(1979), Some(0.4))
    );
    assert_eq!(estimate.line_items()[0].point_earned, Some(380));
}

#[tokio::test]
async fn estimate_line_item_price_sends_the_docs_request_and_decodes_the_line() {
    let (value, request) = body::<types::LineItemEstimateRequest>("estimate_line_item_price");
    let sent = Sent::new("POST", "/v1/orders/estimate-price/line-item").json(&value);
    let lines = each_example("estimate_line_item_price", 2, &sent, async |client| {
        client
            .estimate_line_item_price()
            .body(request.clone())
            .send()
            .await
    })
    .await;
    assert_eq!(lines[0].sku.as_deref(), Some("UAGHTBRRYEXL"));
    assert_eq!(
        (lines[0].unit_price, lines[0].shipping_price),
        (Some(14.8), Some(4.99))
    );
}

#[tokio::test]
async fn bounds_the_spec_states_are_checked_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = client(&server);
    let refused = client.list_orders().shipping_method(5u64).send().await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest(_))),
        "{refused:?}"
    );
    let refused = client.list_orders().order_type(3u64).send().await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest(_))),
        "{refused:?}"
    );
    let (_, mut request) = body::<types::OrderRequest>("create_order");
    request.shipping_method = std::num::NonZeroU64::new(5).expect("not zero");
    let refused = client.create_order().body(request.clone()).send().await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest(_))),
        "{refused:?}"
    );
    request.shipping_method = std::num::NonZeroU64::MIN;
    request.line_items.clear();
    let refused = client.create_order().body(request).send().await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest(_))),
        "{refused:?}"
    );
    assert_eq!(anything.calls_async().await, 0, "nothing was sent");
}
