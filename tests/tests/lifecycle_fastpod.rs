//! FastPOD's order lifecycle through the facade (`FastpodAdapter`): create, cancel, list and
//! track, against httpmock over loopback. Every request is checked as sent: the method, the
//! exact path, every query pair and nothing else, `Authorization: Bearer <token>`,
//! `Accept: application/json`, and the JSON body equal to the expected one. Bodies come from
//! the spec's examples (FastPOD's docs, <https://fastpodapi.apidog.io/>).

use futures_util::StreamExt as _;
use httpmock::{Mock, MockServer};
use ordergate::fastpod::listing::PAGE_SIZE;
use ordergate::{
    Date, Error, ErrorKind, FastpodAdapter, ListQuery, NewOrder, Operation, Order,
    OrderProvider as _, OrderStatus, Phase,
};
use ordergate_fastpod::{Client, Credentials};
use ordergate_tests::adapters::quick_retries;
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::sent::Sent;
use ordergate_tests::{request_example, response_example};
use serde_json::{Value, json};

const PROVIDER: &str = "fastpod";
/// The order of the docs' Update Status example (<https://fastpodapi.apidog.io/api-4681586>).
const ORDER_ID: &str = "F237-120723-000001";

fn adapter(server: &MockServer) -> FastpodAdapter {
    let client = Client::connect(
        &server.base_url(),
        Credentials::api_token(TOKEN),
        &quick_retries(),
    )
    .expect("a loopback base URL is accepted");
    FastpodAdapter::from_client(client)
}

/// A mock answering `status` with `body` only to the request `sent` describes, with the token
/// and `Accept: application/json`.
async fn expect<'s>(server: &'s MockServer, sent: &Sent, status: u16, body: &Value) -> Mock<'s> {
    server
        .mock_async(|when, then| {
            sent.matched(
                when.header("authorization", format!("Bearer {TOKEN}"))
                    .header("accept", "application/json"),
            );
            then.status(status)
                .header("content-type", "application/json")
                .json_body(body.clone());
        })
        .await
}

/// A mock that answers anything: for the tests where nothing may be sent.
async fn anything(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// create

/// An order file for the docs' Create Order request example
/// (<https://fastpodapi.apidog.io/api-4681582>), every FastPOD option set.
fn order_file() -> Value {
    json!({
        "reference": "20231111",
        "recipient": {
            "first_name": "Michael",
            "last_name": "Brown",
            "company": "My company",
            "email": "michaelbrown@demo.com",
            "phone": "(330) 829-0294",
            "address1": "3431 Reeves Street",
            "city": "Milwaukee",
            "state": "WI",
            "postal_code": "53202",
            "country": "US"
        },
        "items": [
            {"sku": "UTNGDT1W00L", "name": "Item 1", "quantity": 3, "unit_price": "12.00"}
        ],
        "currency": "USD",
        "options": {
            "fastpod": {
                "shipping_method": "standard",
                "order_type": "regular",
                "order_status": "draft",
                "print_areas": {"UTNGDT1W00L": {"front": "url", "back": "url"}},
                "preview_areas": {"UTNGDT1W00L": {"front": "url", "back": "url"}},
                "test_order": true,
                "rush_production": false,
                "gift_message": "string",
                "coupon_code": "code1",
                "tax_id": "string",
                "tax_id_type": "string"
            }
        }
    })
}

fn new_order(file: Value) -> NewOrder {
    serde_json::from_value(file).expect("a valid order file")
}

/// What [`order_file`] must be sent as: the docs' request example, with the line's `item_id`
/// derived from the reference (`<reference>-1`), rush production under both of FastPOD's names,
/// and the options the example does not show.
fn expected_body() -> Value {
    let mut body = request_example(PROVIDER, "create_order", "docs_create_request");
    body["line_items"][0]["item_id"] = json!("20231111-1");
    body["rush_production"] = json!(false);
    body["order_type"] = json!("1");
    body["test_order"] = json!(true);
    body["coupon_code"] = json!("code1");
    body
}

#[tokio::test]
async fn create_sends_every_mapped_field_and_reads_the_created_order() {
    let server = MockServer::start_async().await;
    let created = response_example(PROVIDER, "create_order", 200).body;
    let sent = Sent::new("POST", "/v1/orders").json(&expected_body());
    let mock = expect(&server, &sent, 200, &created).await;

    let order = adapter(&server)
        .create_order(&new_order(order_file()))
        .await
        .expect("created");

    mock.assert_async().await;
    assert_eq!(order.order_id, "F255-010524-000001");
    assert_eq!(order.status, OrderStatus::Confirmed);
    assert_eq!(order.provider_status.as_deref(), Some("new_order"));
    assert_eq!(
        order.price.as_ref().map(|p| p.amount.as_str()),
        Some("21.79")
    );
    assert_eq!(
        order.created_at.as_deref(),
        Some("2024-01-05T02:50:03.000000Z")
    );
    assert_eq!(order.tracking_number, None);
    assert!(
        order
            .provider_response::<ordergate_fastpod::types::OrderResponse>()
            .is_some()
    );
}

#[tokio::test]
async fn create_a_label_order_with_two_lines_and_the_defaults() {
    let server = MockServer::start_async().await;
    let mut file = order_file();
    file["recipient"]["company"] = Value::Null;
    file["recipient"]["address2"] = json!("Suite 5");
    file["items"] = json!([
        {"sku": "UTNGDT1W00L", "quantity": 1},
        {"sku": "UABSTAQUBXL3", "name": "Hoodie", "quantity": 2}
    ]);
    file["options"]["fastpod"] = json!({
        "shipping_method": "prime",
        "order_type": "label",
        "label_url": "https://example.com/label.pdf",
        "print_areas": {
            "UTNGDT1W00L": {"front": "https://example.com/a.png"},
            "UABSTAQUBXL3": {"back": "https://example.com/b.png", "hood": "https://example.com/h.png"}
        }
    });
    let expected = json!({
        "reference_id": "20231111",
        "order_status": "draft",
        "order_type": "2",
        "label_url": "https://example.com/label.pdf",
        "shipping_method": 4,
        "address": {
            "name": "Michael Brown",
            "email": "michaelbrown@demo.com",
            "phone": "(330) 829-0294",
            "street1": "3431 Reeves Street",
            "street2": "Suite 5",
            "city": "Milwaukee",
            "state": "WI",
            "country": "US",
            "zip": "53202"
        },
        "line_items": [
            {
                "item_id": "20231111-1",
                "sku": "UTNGDT1W00L",
                "quantity": 1,
                "print_areas": {"front": "https://example.com/a.png"}
            },
            {
                "item_id": "20231111-2",
                "sku": "UABSTAQUBXL3",
                "name": "Hoodie",
                "quantity": 2,
                "print_areas": {"back": "https://example.com/b.png", "hood": "https://example.com/h.png"}
            }
        ]
    });
    let created = response_example(PROVIDER, "create_order", 200).body;
    let sent = Sent::new("POST", "/v1/orders").json(&expected);
    let mock = expect(&server, &sent, 200, &created).await;

    adapter(&server)
        .create_order(&new_order(file))
        .await
        .expect("created");
    mock.assert_async().await;
}

/// Each thing FastPOD requires, missing: `invalid_input` naming the field, nothing sent.
#[tokio::test]
async fn create_refuses_each_missing_required_input_and_sends_nothing() {
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit); 13] = [
        ("recipient.email", |f| f["recipient"]["email"] = Value::Null),
        ("recipient.phone", |f| f["recipient"]["phone"] = Value::Null),
        ("recipient.state", |f| f["recipient"]["state"] = Value::Null),
        ("recipient.email", |f| f["recipient"]["email"] = json!("  ")),
        ("recipient.first_name", |f| {
            f["recipient"]["first_name"] = json!("");
            f["recipient"]["last_name"] = json!(" ");
        }),
        ("reference", |f| f["reference"] = json!("")),
        ("items", |f| f["items"] = json!([])),
        ("items[0].quantity", |f| {
            f["items"][0]["quantity"] = json!(0)
        }),
        ("options.fastpod.shipping_method", |f| {
            f["options"]["fastpod"]["shipping_method"] = Value::Null;
        }),
        ("options.fastpod.shipping_method", |f| {
            f["options"] = json!({});
        }),
        ("options.fastpod.print_areas.UTNGDT1W00L", |f| {
            f["options"]["fastpod"]["print_areas"] = json!({"OTHER": {"front": "url"}});
        }),
        ("options.fastpod.label_url", |f| {
            f["options"]["fastpod"]["order_type"] = json!("label");
        }),
        ("options.fastpod.label_url", |f| {
            f["options"]["fastpod"]["label_url"] = json!("https://example.com/label.pdf");
        }),
    ];
    let server = MockServer::start_async().await;
    let anything = anything(&server).await;
    let adapter = adapter(&server);
    for (field, edit) in cases {
        let mut file = order_file();
        edit(&mut file);
        let error = adapter
            .create_order(&new_order(file))
            .await
            .expect_err(field);
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{field}: {error}");
        assert_eq!(error.phase, Phase::NotSent, "{field}");
        assert_eq!(error.operation, Operation::CreateOrder, "{field}");
        assert!(
            error.message.starts_with(&format!("{field}: ")),
            "{field}: {}",
            error.message
        );
    }
    assert_eq!(anything.calls_async().await, 0, "nothing was sent");
}

#[test]
fn an_unknown_fastpod_option_is_refused_when_the_file_is_read() {
    let mut file = order_file();
    file["options"]["fastpod"]["shipping_speed"] = json!("fast");
    assert!(serde_json::from_value::<NewOrder>(file).is_err());
    let mut file = order_file();
    file["options"]["fastpod"]["shipping_method"] = json!(1);
    assert!(serde_json::from_value::<NewOrder>(file).is_err());
}

// ---------------------------------------------------------------------------------------------
// cancel

fn cancel_sent() -> Sent {
    Sent::new("POST", format!("/v1/orders/{ORDER_ID}/cancel"))
}

#[tokio::test]
async fn cancel_answers_the_cancelled_order() {
    let server = MockServer::start_async().await;
    let cancelled = response_example(PROVIDER, "cancel_order", 200).body;
    let mock = expect(&server, &cancel_sent(), 200, &cancelled).await;

    let order = adapter(&server)
        .cancel_order(ORDER_ID)
        .await
        .expect("cancelled");
    mock.assert_async().await;
    assert_eq!(order.status, OrderStatus::Cancelled);
    assert_eq!(order.provider_status.as_deref(), Some("cancelled"));
    assert_eq!(
        order.created_at.as_deref(),
        Some("2023-12-07T07:54:35.000000Z")
    );
}

#[tokio::test]
async fn a_refused_cancel_is_a_conflict_sent_once() {
    let server = MockServer::start_async().await;
    let refusal = json!({
        "status": false,
        "message": "Only orders in draft, new_order or on_hold can be cancelled."
    });
    let mock = expect(&server, &cancel_sent(), 422, &refusal).await;

    let error = adapter(&server)
        .cancel_order(ORDER_ID)
        .await
        .expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Conflict, "{error}");
    assert_eq!(error.http_status, Some(422));
    assert_eq!(error.order_id.as_deref(), Some(ORDER_ID));
    assert_eq!(error.operation, Operation::CancelOrder);
    assert!(error.message.contains("can be cancelled"), "{error}");
    assert_eq!(mock.calls_async().await, 1);
}

/// A cancel or a create that failed with a 500 is not resent, nor one that failed with a 503,
/// which the same retry policy resends for a read (so the policy retries, and the cancel and
/// the create are what it spares).
#[tokio::test]
async fn a_failed_create_or_cancel_is_never_retried() {
    let failure = json!({"status": false, "message": "Server Error"});
    for status in [500, 503] {
        let server = MockServer::start_async().await;
        let cancel = expect(&server, &cancel_sent(), status, &failure).await;
        let create_sent = Sent::new("POST", "/v1/orders").json(&expected_body());
        let create = expect(&server, &create_sent, status, &failure).await;
        let adapter = adapter(&server);

        let error = adapter.cancel_order(ORDER_ID).await.expect_err("failed");
        assert_eq!(error.kind, ErrorKind::Server, "{error}");
        assert_eq!(error.http_status, Some(status));
        assert_eq!(
            cancel.calls_async().await,
            1,
            "{status}: cancel never resent"
        );

        let error = adapter
            .create_order(&new_order(order_file()))
            .await
            .expect_err("failed");
        assert_eq!(error.kind, ErrorKind::Server, "{error}");
        assert_eq!(error.operation, Operation::CreateOrder);
        assert_eq!(
            create.calls_async().await,
            1,
            "{status}: create never resent"
        );
    }

    let server = MockServer::start_async().await;
    let get = expect(
        &server,
        &Sent::new("GET", format!("/v1/orders/{ORDER_ID}")),
        503,
        &failure,
    )
    .await;
    adapter(&server).get_order(ORDER_ID).await.expect_err("503");
    assert!(get.calls_async().await > 1, "a read is retried after a 503");
}

// ---------------------------------------------------------------------------------------------
// list

/// Page `n` of `last`, `per_page` orders, ids counted from 0 across pages; each order is the
/// List Orders example's, with `status` and `created_at` from `order_of(position)`.
fn page_body(
    server: &MockServer,
    n: u64,
    last: u64,
    per_page: u64,
    order_of: impl Fn(u64) -> (&'static str, &'static str),
) -> Value {
    let mut body = response_example(PROVIDER, "list_orders", 200).body;
    let order = body["data"][0].clone();
    body["data"] = (0..per_page)
        .map(|i| {
            let position = (n - 1) * per_page + i;
            let (status, created_at) = order_of(position);
            let mut order = order.clone();
            order["id"] = json!(format!("FAS105-111423-{position:06}"));
            order["order_status"] = json!(status);
            order["created_at"] = json!(created_at);
            order
        })
        .collect();
    let url = |page: u64| format!("{}/v1/orders?page={page}", server.base_url());
    body["current_page"] = json!(n);
    body["last_page"] = json!(last);
    body["per_page"] = json!(per_page);
    body["total"] = json!(last * per_page);
    body["next_page_url"] = if n < last {
        json!(url(n + 1))
    } else {
        Value::Null
    };
    body
}

fn draft(_: u64) -> (&'static str, &'static str) {
    ("draft", "2023-11-14T10:17:10.000000Z")
}

/// `GET /v1/orders` with exactly the pairs `query` and `page`, `limit`.
fn list_sent(page: u64, limit: u16, query: &[(&'static str, &'static str)]) -> Sent {
    let mut pairs: Vec<(&str, String)> =
        vec![("page", page.to_string()), ("limit", limit.to_string())];
    pairs.extend(query.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Sent::new("GET", "/v1/orders").query(pairs)
}

async fn collect(stream: ordergate::OrderStream<'_>) -> Vec<Result<Order, Error>> {
    stream.collect().await
}

fn ids(orders: &[Result<Order, Error>]) -> Vec<String> {
    orders
        .iter()
        .map(|order| order.as_ref().expect("an order").order_id.clone())
        .collect()
}

#[tokio::test]
async fn a_limit_within_one_page_asks_for_a_page_of_that_size_only() {
    let server = MockServer::start_async().await;
    let first = expect(
        &server,
        &list_sent(1, 7, &[]),
        200,
        &page_body(&server, 1, 3, 7, draft),
    )
    .await;
    let second = expect(
        &server,
        &list_sent(2, 7, &[]),
        200,
        &page_body(&server, 2, 3, 7, draft),
    )
    .await;
    let adapter = adapter(&server);

    let orders = collect(adapter.list_orders(&ListQuery::new().limit(7))).await;
    assert_eq!(orders.len(), 7);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(
        second.calls_async().await,
        0,
        "the limit was reached on page 1"
    );
}

#[tokio::test]
async fn paging_stops_at_the_limit_and_never_asks_for_the_next_page() {
    let server = MockServer::start_async().await;
    let size = PAGE_SIZE;
    let per_page = u64::from(size);
    let mut pages = Vec::new();
    for n in 1..=3 {
        let body = page_body(&server, n, 3, per_page, draft);
        pages.push(expect(&server, &list_sent(n, size, &[]), 200, &body).await);
    }
    let adapter = adapter(&server);
    // Two full pages: the fewest pages that hold the limit, each as large as FastPOD serves.
    let limit = 2 * per_page;

    // Nothing is asked for before the stream is polled.
    let mut stream = adapter.list_orders(&ListQuery::new().limit(limit));
    assert_eq!(pages[0].calls_async().await, 0, "lazy");
    let mut orders = Vec::new();
    while let Some(order) = stream.next().await {
        orders.push(order);
    }

    let ids = ids(&orders);
    assert_eq!(ids.len() as u64, limit);
    assert_eq!(ids[0], "FAS105-111423-000000");
    assert_eq!(ids.last().map(String::as_str), Some("FAS105-111423-000049"));
    assert_eq!(
        orders[0].as_ref().map(|o| o.status).ok(),
        Some(OrderStatus::Draft)
    );
    let calls = [
        pages[0].calls_async().await,
        pages[1].calls_async().await,
        pages[2].calls_async().await,
    ];
    assert_eq!(calls, [1, 1, 0], "pages 1 and 2 once, page 3 never");
}

#[tokio::test]
async fn without_a_limit_every_page_is_read_to_the_last() {
    let server = MockServer::start_async().await;
    let size = PAGE_SIZE;
    let mut pages = Vec::new();
    for n in 1..=2 {
        let body = page_body(&server, n, 2, 2, draft);
        pages.push(expect(&server, &list_sent(n, size, &[]), 200, &body).await);
    }
    let orders = collect(adapter(&server).list_orders(&ListQuery::new())).await;
    assert_eq!(ids(&orders).len(), 4);
    for page in &pages {
        assert_eq!(page.calls_async().await, 1);
    }
}

#[tokio::test]
async fn a_status_with_one_fastpod_status_goes_into_the_query_and_is_checked_again() {
    let server = MockServer::start_async().await;
    // The server answers one order that is not shipped: the local check drops it.
    let body = page_body(&server, 1, 1, 3, |position| {
        let status = if position == 1 { "draft" } else { "shipped" };
        (status, "2023-11-14T10:17:10.000000Z")
    });
    let mock = expect(
        &server,
        &list_sent(1, PAGE_SIZE, &[("status", "shipped")]),
        200,
        &body,
    )
    .await;

    let query = ListQuery::new().status(OrderStatus::Shipped);
    let orders = collect(adapter(&server).list_orders(&query)).await;
    mock.assert_async().await;
    assert_eq!(
        ids(&orders),
        ["FAS105-111423-000000", "FAS105-111423-000002"]
    );

    // Confirmed is FastPOD's new_order.
    let mock = expect(
        &server,
        &list_sent(1, PAGE_SIZE, &[("status", "new_order")]),
        200,
        &page_body(&server, 1, 1, 1, |_| {
            ("new_order", "2023-11-14T10:17:10.000000Z")
        }),
    )
    .await;
    let orders =
        collect(adapter(&server).list_orders(&ListQuery::new().status(OrderStatus::Confirmed)))
            .await;
    mock.assert_async().await;
    assert_eq!(orders.len(), 1);
}

#[tokio::test]
async fn an_unknown_status_is_filtered_locally_over_every_page() {
    let server = MockServer::start_async().await;
    let statuses = ["draft", "awaiting_artwork", "shipped", "archived"];
    let order_of = |position: u64| {
        (
            statuses[usize::try_from(position).expect("small")],
            "2023-11-14T10:17:10.000000Z",
        )
    };
    let first = expect(
        &server,
        &list_sent(1, PAGE_SIZE, &[]),
        200,
        &page_body(&server, 1, 2, 2, order_of),
    )
    .await;
    let second = expect(
        &server,
        &list_sent(2, PAGE_SIZE, &[]),
        200,
        &page_body(&server, 2, 2, 2, order_of),
    )
    .await;

    let query = ListQuery::new().status(OrderStatus::Unknown);
    let orders = collect(adapter(&server).list_orders(&query)).await;
    assert_eq!(
        ids(&orders),
        ["FAS105-111423-000001", "FAS105-111423-000003"]
    );
    let raw: Vec<_> = orders
        .iter()
        .map(|order| order.as_ref().ok().and_then(|o| o.provider_status.clone()))
        .collect();
    assert_eq!(
        raw,
        [
            Some("awaiting_artwork".to_owned()),
            Some("archived".to_owned())
        ]
    );
    assert_eq!(
        (first.calls_async().await, second.calls_async().await),
        (1, 1)
    );
}

#[tokio::test]
async fn a_status_no_fastpod_status_maps_to_sends_nothing() {
    let server = MockServer::start_async().await;
    let anything = anything(&server).await;
    let adapter = adapter(&server);
    for status in [
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::PendingConfirmation,
    ] {
        let orders = collect(adapter.list_orders(&ListQuery::new().status(status))).await;
        assert!(orders.is_empty(), "{status}");
    }
    assert_eq!(anything.calls_async().await, 0);
}

#[tokio::test]
async fn since_and_until_are_start_date_and_end_date_and_created_at_is_kept() {
    let server = MockServer::start_async().await;
    let created = [
        "2023-11-01T00:00:00.000000Z",
        "2023-10-31T23:59:59.000000Z",
        "2023-11-30T23:59:59.000000Z",
        "2023-12-01T00:00:00.000000Z",
    ];
    let body = page_body(&server, 1, 1, 4, |position| {
        ("draft", created[usize::try_from(position).expect("small")])
    });
    let mock = expect(
        &server,
        &list_sent(
            1,
            3,
            &[("start_date", "2023-11-01"), ("end_date", "2023-11-30")],
        ),
        200,
        &body,
    )
    .await;

    let day = |text: &str| text.parse::<Date>().expect("a day");
    let query = ListQuery::new()
        .since(day("2023-11-01"))
        .until(day("2023-11-30"))
        .limit(3);
    let orders = collect(adapter(&server).list_orders(&query)).await;
    mock.assert_async().await;
    // The server's strays outside the days are dropped by the local check.
    assert_eq!(
        ids(&orders),
        ["FAS105-111423-000000", "FAS105-111423-000002"]
    );
    let created_at: Vec<_> = orders
        .iter()
        .map(|order| order.as_ref().ok().and_then(|o| o.created_at.clone()))
        .collect();
    assert_eq!(
        created_at,
        [Some(created[0].to_owned()), Some(created[2].to_owned())]
    );
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_after_the_orders_before_it_and_ends_the_stream() {
    let server = MockServer::start_async().await;
    let first = expect(
        &server,
        &list_sent(1, PAGE_SIZE, &[]),
        200,
        &page_body(&server, 1, 3, 2, draft),
    )
    .await;
    let second = expect(
        &server,
        &list_sent(2, PAGE_SIZE, &[]),
        401,
        &json!({"message": "Unauthenticated."}),
    )
    .await;
    let third = expect(
        &server,
        &list_sent(3, PAGE_SIZE, &[]),
        200,
        &page_body(&server, 3, 3, 2, draft),
    )
    .await;

    let items = collect(adapter(&server).list_orders(&ListQuery::new())).await;
    assert_eq!(items.len(), 3, "two orders, then the error, then the end");
    assert_eq!(
        ids(&items[..2]),
        ["FAS105-111423-000000", "FAS105-111423-000001"]
    );
    let error = items[2].as_ref().expect_err("the second page failed");
    assert_eq!(error.kind, ErrorKind::Unauthorized, "{error}");
    assert_eq!(error.operation, Operation::ListOrders);
    assert_eq!(error.http_status, Some(401));
    assert_eq!(error.phase, Phase::Answered);
    let calls = (
        first.calls_async().await,
        second.calls_async().await,
        third.calls_async().await,
    );
    assert_eq!(calls, (1, 1, 0));
}

// ---------------------------------------------------------------------------------------------
// track

fn get_sent() -> Sent {
    Sent::new("GET", format!("/v1/orders/{ORDER_ID}"))
}

/// The Get Order example's order, shipped, with these shipments.
fn shipped_order(shipments: Value) -> Value {
    let mut order = response_example(PROVIDER, "get_order", 200).body;
    order["order_status"] = json!("shipped");
    order["shipments"] = shipments;
    order
}

#[tokio::test]
async fn track_reads_the_shipments_oldest_first() {
    let server = MockServer::start_async().await;
    // FastPOD's order is not the time order: the later shipment comes first.
    let later = json!({
        "carrier": "UPS",
        "service": "Express",
        "tracking_id": "1Z999AA10123456784",
        "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        "status": "delivered",
        "shipped_at": "2023-12-09T08:00:00.000000Z"
    });
    let earlier = json!({
        "carrier": "USPS",
        "service": "Standard",
        "tracking_id": "9400111899223197428490",
        "tracking_url": "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428490",
        "status": "shipped",
        "shipped_at": "2023-12-08T10:00:00.000000Z"
    });
    let body = shipped_order(json!([later, earlier]));
    let mock = expect(&server, &get_sent(), 200, &body).await;
    let adapter = adapter(&server);

    let tracking = adapter.track_order(ORDER_ID).await.expect("tracked");
    assert_eq!(tracking.order_id, ORDER_ID);
    assert_eq!(tracking.provider_status.as_deref(), Some("shipped"));
    assert_eq!(
        tracking.status,
        OrderStatus::Delivered,
        "the newest shipment's"
    );
    assert_eq!(
        tracking.tracking_number.as_deref(),
        Some("1Z999AA10123456784")
    );
    let events: Vec<_> = tracking
        .events
        .iter()
        .map(|event| {
            (
                event.at.as_deref(),
                event.status,
                event.provider_status.as_deref(),
                event.message.as_deref(),
                event.location.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            (
                Some("2023-12-08T10:00:00.000000Z"),
                OrderStatus::Shipped,
                Some("shipped"),
                Some("USPS Standard"),
                None
            ),
            (
                Some("2023-12-09T08:00:00.000000Z"),
                OrderStatus::Delivered,
                Some("delivered"),
                Some("UPS Express"),
                None
            ),
        ]
    );
    assert!(
        tracking
            .provider_response::<ordergate_fastpod::types::Order>()
            .is_some()
    );

    // A lookup carries the newest shipment's number and URL too.
    let order = adapter.get_order(ORDER_ID).await.expect("found");
    assert_eq!(order.tracking_number.as_deref(), Some("1Z999AA10123456784"));
    assert_eq!(
        order.tracking_url.as_deref(),
        Some("https://www.ups.com/track?tracknum=1Z999AA10123456784")
    );
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn a_shipment_with_an_undocumented_status_keeps_the_order_status() {
    let server = MockServer::start_async().await;
    let body = shipped_order(json!([
        {"carrier": "USPS", "tracking_id": "9400111899223197428490", "status": "returned_to_sender"}
    ]));
    let mock = expect(&server, &get_sent(), 200, &body).await;

    let tracking = adapter(&server)
        .track_order(ORDER_ID)
        .await
        .expect("tracked");
    mock.assert_async().await;
    assert_eq!(tracking.status, OrderStatus::Shipped);
    assert_eq!(tracking.events.len(), 1);
    assert_eq!(tracking.events[0].status, OrderStatus::Unknown);
    assert_eq!(
        tracking.events[0].provider_status.as_deref(),
        Some("returned_to_sender")
    );
    assert_eq!(tracking.events[0].at, None);
}

#[tokio::test]
async fn track_before_any_shipment_has_no_number_and_no_events() {
    let server = MockServer::start_async().await;
    // The Get Order page's order: cancelled, `shipments: []`.
    let body = response_example(PROVIDER, "get_order", 200).body;
    assert_eq!(body["shipments"], json!([]));
    let mock = expect(&server, &get_sent(), 200, &body).await;

    let tracking = adapter(&server)
        .track_order(ORDER_ID)
        .await
        .expect("tracked");
    mock.assert_async().await;
    assert_eq!(tracking.status, OrderStatus::Cancelled);
    assert_eq!(tracking.provider_status.as_deref(), Some("cancelled"));
    assert_eq!(tracking.tracking_number, None);
    assert!(tracking.events.is_empty());
}

#[tokio::test]
async fn track_of_an_unknown_order_is_not_found() {
    let server = MockServer::start_async().await;
    let mock = expect(
        &server,
        &get_sent(),
        404,
        &json!({"status": false, "message": "Order not found."}),
    )
    .await;
    let error = adapter(&server)
        .track_order(ORDER_ID)
        .await
        .expect_err("not found");
    assert_eq!(error.kind, ErrorKind::NotFound, "{error}");
    assert_eq!(error.operation, Operation::TrackOrder);
    assert_eq!(mock.calls_async().await, 1);
}

// ---------------------------------------------------------------------------------------------
// the whole lifecycle, against the sandbox's FastPOD

/// Through `Provider` (configured from the sandbox's settings): create a draft, confirm it,
/// let the sandbox ship it, find it in the list, track it, and be refused a cancel; a second
/// order is cancelled before it is confirmed.
#[tokio::test]
async fn the_lifecycle_against_the_sandbox() {
    let sandbox = ordergate_sandbox::start()
        .await
        .expect("the sandbox starts");
    let settings = sandbox
        .settings("fastpod")
        .expect("the sandbox plays FastPOD");
    let provider = ordergate::Provider::from_options(ordergate::ProviderName::Fastpod, settings)
        .expect("configured");
    let mut file = order_file();
    file["reference"] = json!("lifecycle-1");
    file["options"]["fastpod"]["test_order"] = json!(false);

    let created = provider
        .create_order(&new_order(file.clone()))
        .await
        .expect("created");
    assert_eq!(created.status, OrderStatus::Draft);
    let id = created.order_id.clone();
    let confirmed = provider
        .confirm_order(&ordergate::ConfirmRequest::new(id.as_str()))
        .await
        .expect("confirmed");
    assert_eq!(confirmed.status, OrderStatus::Confirmed);

    let untracked = provider.track_order(&id).await.expect("tracked");
    assert!(untracked.events.is_empty() && untracked.tracking_number.is_none());

    sandbox.advance(2).expect("the clock moves");
    let tracking = provider.track_order(&id).await.expect("tracked");
    assert_eq!(tracking.status, OrderStatus::Shipped);
    assert_eq!(tracking.events.len(), 1);
    assert_eq!(tracking.events[0].message.as_deref(), Some("USPS Standard"));
    let number = tracking.tracking_number.clone().expect("a tracking number");
    assert!(number.starts_with("9400"), "{number}");

    let shipped: Vec<_> = provider
        .list_orders(&ListQuery::new().status(OrderStatus::Shipped))
        .collect()
        .await;
    let listed = ids(&shipped);
    assert!(listed.contains(&id), "{listed:?}");
    let order = shipped
        .into_iter()
        .flatten()
        .find(|order| order.order_id == id)
        .expect("listed");
    assert_eq!(order.tracking_number.as_deref(), Some(number.as_str()));

    let refused = provider.cancel_order(&id).await.expect_err("shipped");
    assert_eq!(refused.kind, ErrorKind::Conflict, "{refused}");

    file["reference"] = json!("lifecycle-2");
    let second = provider
        .create_order(&new_order(file))
        .await
        .expect("created");
    let cancelled = provider
        .cancel_order(&second.order_id)
        .await
        .expect("cancelled");
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(cancelled.order_id, second.order_id);
}
