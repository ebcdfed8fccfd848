//! The facade's Fuuffy adapter over the whole lifecycle it offers, against httpmock over
//! loopback with the request side checked (method, exact path, every query pair, the bearer
//! token, the JSON body): create (local and international, every mapped field, and every
//! refusal before sending), list (paging that stops at the limit, the status filter sent or
//! applied locally, the dates, an error mid-stream), track (events oldest first), webhooks
//! (verified before they are read) and the client-credentials token shared by them all.

use futures_util::StreamExt as _;
use httpmock::MockServer;
use ordergate::{
    Date, Error, ErrorKind, FuuffyAdapter, ListQuery, NewOrder, Operation, Order, OrderProvider,
    OrderStatus, Phase, Provider, ProviderName,
};
use ordergate_codegen::examples::{ExampleKind, examples};
use ordergate_fuuffy::webhook::{SIGNATURE_HEADER, WebhookSecret};
use ordergate_tests::adapters::quick_retries;
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::sent::Sent;
use ordergate_tests::{request_example, response_example, spec};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

const WEBHOOK_SECRET: &str = "whsec-fuuffy-5e1b7c";

fn adapter(server: &MockServer) -> FuuffyAdapter {
    FuuffyAdapter::builder()
        .token(TOKEN)
        .webhook_secret(WEBHOOK_SECRET)
        .base_url(server.base_url())
        .client_config(quick_retries())
        .build()
        .expect("builds")
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// A mock answering `body` (HTTP 200, JSON) to exactly the request `sent`, with the token.
fn answer<'s>(server: &'s MockServer, sent: &Sent, body: &Value) -> httpmock::Mock<'s> {
    server.mock(|when, then| {
        sent.matched(when).header("authorization", bearer());
        then.status(200)
            .header("content-type", "application/json")
            .body(body.to_string());
    })
}

/// A mock that counts every request, whatever it is.
fn anything(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.is_true(|_| true);
        then.status(500);
    })
}

fn new_order(value: Value) -> NewOrder {
    serde_json::from_value(value).expect("a NewOrder")
}

/// A local order whose Fuuffy request is the Create Order (Local) page's field examples (the
/// spec's `local_field_examples`), plus what the core adds: the reference as
/// `client_remarks`, the items as the one parcel's `parcel_items`, and the recipient's
/// address from its lines.
fn local_order() -> (NewOrder, Value) {
    let example = request_example("fuuffy", "create_order", "local_field_examples");
    let order = new_order(json!({
        "reference": "#5493979",
        "recipient": {
            "first_name": "小編姐姐",
            "last_name": "",
            "email": "cs@fuuffy.com",
            "phone": "+852 64105317",
            "address1": "Rm2211, 9 Chong Yip Street",
            "address2": "Ngau Tau Kok",
            "city": "Kowloon",
            "postal_code": "",
            "country": "HK"
        },
        "items": [
            {"sku": "TOY-1", "name": "Toy", "quantity": 2, "unit_price": "200.00"},
            {"sku": "TOY-2", "quantity": 1}
        ],
        "currency": "HKD",
        "options": {"fuuffy": {
            "ship_type": "local",
            "shipping_provider": example["shipping_provider"],
            "sender": example["sender"],
            "recipient_mobile_prefix": "+852",
            "package_type": "parcel",
            "consignment_declaration": example["shipment_detail"]["consignment_declaration"],
            "parcels": example["shipment_detail"]["parcel_list"]
        }}
    }));
    let mut expected = example;
    expected["recipient"]["address"] = json!("Rm2211, 9 Chong Yip Street, Ngau Tau Kok, Kowloon");
    expected["client_remarks"] = json!("#5493979");
    expected["shipment_detail"]["parcel_list"][0]["parcel_items"] = json!([
        {"name": "Toy", "qty": "2", "single_value": "200.00"},
        {"name": "TOY-2", "qty": "1"}
    ]);
    (order, expected)
}

/// An international order whose Fuuffy request is the Create Order (International) page's
/// field examples (`international_field_examples`), plus the recipient's second line, city,
/// state and postal code, the reference and a second parcel (with two parcels, the items
/// stay out of `parcel_items`).
fn international_order() -> (NewOrder, Value) {
    let example = request_example("fuuffy", "create_order", "international_field_examples");
    let mut parcels = example["shipment_detail"]["parcel_list"].clone();
    parcels
        .as_array_mut()
        .expect("parcel_list")
        .push(json!({"act_weight": "1.2"}));
    let order = new_order(json!({
        "reference": "INTL-0042",
        "recipient": {
            "first_name": "David",
            "last_name": "Lee",
            "company": "XYZ Imports GmbH",
            "email": "david.lee@example.com",
            "phone": "98765432",
            "address1": "123 Hauptstrasse",
            "address2": "Hinterhaus",
            "city": "Berlin",
            "state": "BE",
            "postal_code": "10115",
            "country": "DE"
        },
        "items": [{"sku": "TOY-1", "quantity": 3, "unit_price": "12.50"}],
        "currency": "EUR",
        "options": {"fuuffy": {
            "ship_type": "intl",
            "shipping_provider": example["shipping_provider"],
            "sender": example["sender"],
            "recipient_mobile_prefix": "49",
            "package_type": "parcel",
            "consignment_declaration": example["shipment_detail"]["consignment_declaration"],
            "parcels": parcels
        }}
    }));
    let mut expected = example;
    expected["recipient"]["address_line_2"] = json!("Hinterhaus");
    expected["recipient"]["city"] = json!("Berlin");
    expected["recipient"]["state"] = json!("BE");
    expected["recipient"]["post_code"] = json!("10115");
    expected["client_remarks"] = json!("INTL-0042");
    expected["shipment_detail"]["parcel_list"] = parcels;
    (order, expected)
}

fn created(order_id: &str, ship_type: &str, reference: &str) -> Value {
    json!({"data": {
        "order_id": order_id, "ship_type": ship_type, "order_status": "PENDING_CONFIRM",
        "quote_price": "28.50", "tracking_number": null, "client_remarks": reference,
        "create_time": "2025-12-09T17:01:30+08:00", "message": "OK"
    }})
}

#[tokio::test]
async fn a_local_order_is_sent_with_every_mapped_field() {
    let server = MockServer::start_async().await;
    let (order, expected) = local_order();
    let mock = answer(
        &server,
        &Sent::new("POST", "/v1/order/create").json(&expected),
        &created("3550875", "local", "#5493979"),
    );
    let got = adapter(&server)
        .create_order(&order)
        .await
        .expect("created");
    mock.assert_async().await;
    assert_eq!(got.order_id, "3550875");
    assert_eq!(got.status, OrderStatus::PendingConfirmation);
    assert_eq!(got.provider_status.as_deref(), Some("PENDING_CONFIRM"));
    assert_eq!(got.price.as_ref().map(|p| p.amount.as_str()), Some("28.50"));
    assert_eq!(got.created_at.as_deref(), Some("2025-12-09T17:01:30+08:00"));
    assert_eq!(got.tracking_number, None);
    let response = got
        .provider_response::<ordergate_fuuffy::types::CreateOrderResponse>()
        .expect("the typed answer is kept");
    assert_eq!(response.data.order_id.as_deref(), Some("3550875"));
}

#[tokio::test]
async fn an_international_order_is_sent_with_every_mapped_field() {
    let server = MockServer::start_async().await;
    let (order, expected) = international_order();
    assert_eq!(expected["recipient"]["mobile_prefix"], "+49");
    assert_eq!(expected["sender"]["mobile_prefix"], "+852");
    let mock = answer(
        &server,
        &Sent::new("POST", "/v1/order/create").json(&expected),
        &created("3550913", "intl", "INTL-0042"),
    );
    let got = adapter(&server)
        .create_order(&order)
        .await
        .expect("created");
    mock.assert_async().await;
    assert_eq!(got.order_id, "3550913");
    assert_eq!(got.status, OrderStatus::PendingConfirmation);
}

/// A required option that is missing, or a value outside Fuuffy's documented limits, is
/// `invalid_input` naming the field, and nothing reaches the server.
#[tokio::test]
async fn a_missing_or_refused_option_is_invalid_input_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    let adapter = adapter(&server);
    let (local, _) = local_order();
    let (international, _) = international_order();
    let without = |order: &NewOrder, pointer: &str| {
        let mut value = serde_json::to_value(order).expect("serializes");
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
        value
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .expect("parent")
            .remove(key);
        new_order(value)
    };
    let with = |order: &NewOrder, pointer: &str, replacement: Value| {
        let mut value = serde_json::to_value(order).expect("serializes");
        *value.pointer_mut(pointer).expect("field") = replacement;
        new_order(value)
    };
    let cases = [
        (without(&local, "/options/fuuffy"), "options.fuuffy "),
        (
            without(&local, "/options/fuuffy/sender"),
            "options.fuuffy.sender ",
        ),
        (
            without(&local, "/options/fuuffy/ship_type"),
            "options.fuuffy.ship_type ",
        ),
        (
            without(&local, "/options/fuuffy/shipping_provider"),
            "options.fuuffy.shipping_provider ",
        ),
        (
            without(&local, "/options/fuuffy/parcels"),
            "options.fuuffy.parcels ",
        ),
        (
            without(&local, "/options/fuuffy/package_type"),
            "options.fuuffy.package_type ",
        ),
        (
            without(&local, "/options/fuuffy/consignment_declaration"),
            "options.fuuffy.consignment_declaration ",
        ),
        (
            without(&local, "/options/fuuffy/recipient_mobile_prefix"),
            "options.fuuffy.recipient_mobile_prefix ",
        ),
        (without(&local, "/recipient/phone"), "recipient.phone "),
        (
            without(&international, "/recipient/email"),
            "recipient.email ",
        ),
        (
            without(&international, "/options/fuuffy/sender/country"),
            "options.fuuffy.sender.country ",
        ),
        (
            with(
                &international,
                "/recipient/address1",
                json!("123 Hauptstrasse, Hinterhaus 4"),
            ),
            "recipient.address1 ",
        ),
        (
            with(
                &local,
                "/options/fuuffy/consignment_declaration",
                json!("D".repeat(36)),
            ),
            "options.fuuffy.consignment_declaration ",
        ),
        (
            with(&local, "/currency", json!("USD")),
            "items[0].unit_price ",
        ),
    ];
    for (order, field) in cases {
        let error = adapter.create_order(&order).await.expect_err(field);
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{field}: {error}");
        assert_eq!(error.phase, Phase::NotSent, "{field}");
        assert_eq!(error.operation, Operation::CreateOrder, "{field}");
        assert!(
            error.message.starts_with(field),
            "{field}: {}",
            error.message
        );
    }
    assert_eq!(any.calls_async().await, 0);
}

/// An answer without the new order's id: the order was probably created, so the outcome is
/// unknown (and a create is never resent).
#[tokio::test]
async fn a_create_answer_without_an_id_leaves_the_outcome_unknown() {
    let server = MockServer::start_async().await;
    let (order, expected) = local_order();
    let mock = answer(
        &server,
        &Sent::new("POST", "/v1/order/create").json(&expected),
        &json!({"data": {"message": "OK"}}),
    );
    let error = adapter(&server)
        .create_order(&order)
        .await
        .expect_err("no id");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown);
    assert_eq!(error.http_status, Some(200));
    assert_eq!(mock.calls_async().await, 1);
}

/// `count` orders of List Orders, ids from `first`, statuses in turn from `statuses`.
fn listed(first: u64, count: u64, statuses: &[&str]) -> Value {
    let orders: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "order_id": (first + i).to_string(),
                "ship_type": "local",
                "order_status": statuses[(i as usize) % statuses.len()],
                "quote_price": "28.50",
                "tracking_number": null,
                "create_time": "2025-06-01T10:00:00+08:00"
            })
        })
        .collect();
    json!({"data": {"order_list": orders, "message": "OK"}})
}

fn list_request(pairs: &[(&'static str, &str)]) -> Sent {
    Sent::new("GET", "/v1/order/list").query(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

async fn collect(provider: &impl OrderProvider, query: &ListQuery) -> Vec<Result<Order, Error>> {
    provider.list_orders(query).collect().await
}

/// 150 orders are two pages of 75; the third page is never asked for.
#[tokio::test]
async fn listing_stops_at_the_limit_and_asks_for_no_page_past_it() {
    let server = MockServer::start_async().await;
    let statuses = ["READY_TO_SHIP"];
    let first = answer(
        &server,
        &list_request(&[("page", "1"), ("limit", "75")]),
        &listed(1, 75, &statuses),
    );
    let second = answer(
        &server,
        &list_request(&[("page", "2"), ("limit", "75")]),
        &listed(76, 75, &statuses),
    );
    let third = answer(
        &server,
        &list_request(&[("page", "3"), ("limit", "75")]),
        &listed(151, 75, &statuses),
    );
    let any = anything(&server);
    let orders = collect(&adapter(&server), &ListQuery::new().limit(150)).await;
    assert_eq!(orders.len(), 150);
    let ids: Vec<String> = orders
        .into_iter()
        .map(|order| order.expect("ok").order_id)
        .collect();
    assert_eq!(ids.first().map(String::as_str), Some("1"));
    assert_eq!(ids.last().map(String::as_str), Some("150"));
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(third.calls_async().await, 0);
    assert_eq!(any.calls_async().await, 0);
}

/// `delivered` is one Fuuffy status: it goes to Fuuffy as `order_status`, with the dates.
#[tokio::test]
async fn a_status_one_fuuffy_status_has_and_the_dates_go_in_the_query() {
    let server = MockServer::start_async().await;
    let mock = answer(
        &server,
        &list_request(&[
            ("order_status", "DELIVERED"),
            ("start_date", "2025-01-01"),
            ("end_date", "2025-12-31"),
            ("page", "1"),
            ("limit", "100"),
        ]),
        &listed(3550875, 2, &["DELIVERED"]),
    );
    let query = ListQuery::new()
        .status(OrderStatus::Delivered)
        .since("2025-01-01".parse::<Date>().expect("a day"))
        .until("2025-12-31".parse::<Date>().expect("a day"));
    let orders = collect(&adapter(&server), &query).await;
    mock.assert_async().await;
    assert_eq!(orders.len(), 2);
    for order in orders {
        let order = order.expect("ok");
        assert_eq!(order.status, OrderStatus::Delivered);
        assert_eq!(order.provider_status.as_deref(), Some("DELIVERED"));
        assert_eq!(
            order.created_at.as_deref(),
            Some("2025-06-01T10:00:00+08:00")
        );
        assert_eq!(order.price.map(|p| p.amount).as_deref(), Some("28.50"));
    }
}

/// `confirmed` is two Fuuffy statuses (`READY_TO_SHIP`, `PENDING_PICKUP`): no `order_status`
/// is sent, the orders are filtered locally, and the limit counts the matches.
#[tokio::test]
async fn a_status_several_fuuffy_statuses_have_is_filtered_locally() {
    let server = MockServer::start_async().await;
    let first = answer(
        &server,
        &list_request(&[("page", "1"), ("limit", "3")]),
        &listed(1, 3, &["READY_TO_SHIP", "DELIVERED", "PENDING_PICKUP"]),
    );
    let second = answer(
        &server,
        &list_request(&[("page", "2"), ("limit", "3")]),
        &listed(4, 3, &["IN_TRANSIT", "PENDING_PICKUP", "READY_TO_SHIP"]),
    );
    let third = answer(
        &server,
        &list_request(&[("page", "3"), ("limit", "3")]),
        &listed(7, 3, &["READY_TO_SHIP"]),
    );
    let query = ListQuery::new().status(OrderStatus::Confirmed).limit(3);
    let orders = collect(&adapter(&server), &query).await;
    let got: Vec<(String, String)> = orders
        .into_iter()
        .map(|order| {
            let order = order.expect("ok");
            assert_eq!(order.status, OrderStatus::Confirmed);
            (order.order_id, order.provider_status.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("1".to_owned(), "READY_TO_SHIP".to_owned()),
            ("3".to_owned(), "PENDING_PICKUP".to_owned()),
            ("5".to_owned(), "PENDING_PICKUP".to_owned()),
        ]
    );
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(third.calls_async().await, 0);
}

/// A status no Fuuffy status maps to matches nothing: an empty stream, nothing sent.
#[tokio::test]
async fn a_status_fuuffy_never_has_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    let orders = collect(
        &adapter(&server),
        &ListQuery::new().status(OrderStatus::Rejected),
    )
    .await;
    assert!(orders.is_empty());
    assert_eq!(any.calls_async().await, 0);
}

/// The first page's orders are yielded, then page 2's failure, and the stream ends.
#[tokio::test]
async fn an_error_mid_stream_ends_it_after_the_orders_already_yielded() {
    let server = MockServer::start_async().await;
    let first = answer(
        &server,
        &list_request(&[("page", "1"), ("limit", "100")]),
        &listed(1, 100, &["IN_TRANSIT"]),
    );
    let failure = response_example("fuuffy", "list_orders", 500);
    let second = server.mock(|when, then| {
        list_request(&[("page", "2"), ("limit", "100")])
            .matched(when)
            .header("authorization", bearer());
        failure.serve(then);
    });
    let third = answer(
        &server,
        &list_request(&[("page", "3"), ("limit", "100")]),
        &listed(201, 1, &["IN_TRANSIT"]),
    );
    let mut items = collect(&adapter(&server), &ListQuery::new()).await;
    assert_eq!(items.len(), 101);
    let error = items.pop().expect("the error").expect_err("an error");
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.operation, Operation::ListOrders);
    assert_eq!(error.http_status, Some(500));
    assert_eq!(error.code.as_deref(), Some("500999"));
    assert!(items.iter().all(Result::is_ok));
    assert_eq!(first.calls_async().await, 1);
    assert!(second.calls_async().await >= 1);
    assert_eq!(third.calls_async().await, 0);
}

/// The Get Tracking Info page's field examples, with a later event listed first: events come
/// out oldest first, each with its status from the event-code table.
#[tokio::test]
async fn tracking_lists_events_oldest_first() {
    let server = MockServer::start_async().await;
    let mut body = response_example("fuuffy", "get_tracking", 200).body;
    let documented = body["data"]["tracking_msg_list"][0].clone();
    body["data"]["tracking_msg_list"] = json!([
        {"code": "80", "location": "香港", "date": "2025-12-10 11:02:00", "message": "已簽收"},
        documented,
    ]);
    let mock = answer(
        &server,
        &Sent::new("GET", "/v1/tracking/get/3550875"),
        &body,
    );
    let tracking = adapter(&server)
        .track_order("3550875")
        .await
        .expect("tracked");
    mock.assert_async().await;
    assert_eq!(tracking.provider, ProviderName::Fuuffy);
    assert_eq!(tracking.order_id, "3550875");
    assert_eq!(tracking.tracking_number.as_deref(), Some("SF7444700508450"));
    assert_eq!(tracking.provider_status.as_deref(), Some("列印及安排取件"));
    assert_eq!(tracking.status, OrderStatus::Processing);
    let events: Vec<_> = tracking
        .events
        .iter()
        .map(|event| {
            (
                event.at.as_deref(),
                event.provider_status.as_deref(),
                event.status,
                event.location.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            (
                Some("2025-12-09 17:37:09"),
                Some("50"),
                OrderStatus::Shipped,
                Some("深圳市")
            ),
            (
                Some("2025-12-10 11:02:00"),
                Some("80"),
                OrderStatus::Unknown,
                Some("香港")
            ),
        ]
    );
    assert_eq!(tracking.events[1].message.as_deref(), Some("已簽收"));
}

/// A tracking status the table does not know: the status after the latest known event.
#[tokio::test]
async fn an_unknown_tracking_status_falls_back_to_the_latest_known_event() {
    let server = MockServer::start_async().await;
    let mut body = response_example("fuuffy", "get_tracking", 200).body;
    body["data"]["order_status"] = json!("運送中");
    let mock = answer(
        &server,
        &Sent::new("GET", "/v1/tracking/get/3550875"),
        &body,
    );
    let tracking = adapter(&server)
        .track_order("3550875")
        .await
        .expect("tracked");
    mock.assert_async().await;
    assert_eq!(tracking.status, OrderStatus::Shipped);
    assert_eq!(tracking.provider_status.as_deref(), Some("運送中"));
}

#[tokio::test]
async fn a_tracking_id_that_is_not_numeric_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    let error = adapter(&server)
        .track_order("../3550875")
        .await
        .expect_err("refused");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert_eq!(error.phase, Phase::NotSent);
    assert_eq!(any.calls_async().await, 0);
}

/// The docs' webhook payload (the spec's `WebhookEvent` example).
fn webhook_body() -> Vec<u8> {
    let example = examples(&spec("fuuffy"))
        .into_iter()
        .find(|e| e.kind == ExampleKind::Schema("WebhookEvent".to_owned()))
        .expect("WebhookEvent has an example");
    serde_json::to_vec(&example.value).expect("serializes")
}

fn signature_header() -> HeaderName {
    HeaderName::try_from(SIGNATURE_HEADER).expect("a header name")
}

fn signed(body: &[u8], secret: &str) -> HeaderMap {
    let signature = WebhookSecret::new(secret).expect("a secret").sign(body);
    let mut headers = HeaderMap::new();
    headers.insert(
        signature_header(),
        HeaderValue::from_str(&signature).expect("hex"),
    );
    headers
}

#[test]
fn a_signed_webhook_is_read_as_one_normalized_event() {
    let server = MockServer::start();
    let body = webhook_body();
    let adapter = adapter(&server);
    let events = adapter
        .parse_webhook(&signed(&body, WEBHOOK_SECRET), &body)
        .expect("verified");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.provider, ProviderName::Fuuffy);
    assert_eq!(event.event_type, "order.in_transit");
    assert_eq!(event.order_id.as_deref(), Some("order_1a2b3c4d5e6f"));
    assert_eq!(event.status, OrderStatus::Shipped);
    assert_eq!(event.provider_status.as_deref(), Some("in_transit"));
    assert_eq!(event.tracking_number.as_deref(), Some("FUF123456789"));
    assert_eq!(event.occurred_at.as_deref(), Some("2024-01-16T08:15:00Z"));
    let raw: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(event.raw(), &raw);
    // No id from Fuuffy: one from the content, the same for the same delivery.
    assert!(event.event_id.starts_with("xxh3:"), "{}", event.event_id);
    let again = adapter
        .parse_webhook(&signed(&body, WEBHOOK_SECRET), &body)
        .expect("verified");
    assert_eq!(again[0].event_id, event.event_id);
    let mut other: Value = raw.clone();
    other["event"] = json!("order.delivered");
    other["data"]["status"] = json!("delivered");
    let other = serde_json::to_vec(&other).expect("serializes");
    let delivered = adapter
        .parse_webhook(&signed(&other, WEBHOOK_SECRET), &other)
        .expect("verified");
    assert_ne!(delivered[0].event_id, event.event_id);
    assert_eq!(delivered[0].status, OrderStatus::Delivered);
}

/// An event without `data.status` is read by its name; a status the table does not know is
/// `unknown`, its value kept.
#[test]
fn a_webhook_status_is_read_from_the_event_name_when_absent_and_never_guessed() {
    let server = MockServer::start();
    let adapter = adapter(&server);
    let read = |body: Value| {
        let body = serde_json::to_vec(&body).expect("serializes");
        adapter
            .parse_webhook(&signed(&body, WEBHOOK_SECRET), &body)
            .expect("verified")
            .remove(0)
    };
    let cancelled = read(json!({"event": "order.cancelled", "timestamp": "2024-01-17T09:00:00Z"}));
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(cancelled.provider_status, None);
    assert_eq!(cancelled.order_id, None);
    let created = read(json!({"event": "order.created", "data": {"order_id": "3550875"}}));
    assert_eq!(created.status, OrderStatus::PendingConfirmation);
    let unknown = read(json!({"event": "order.returned", "data": {"status": "returned"}}));
    assert_eq!(unknown.event_type, "order.returned");
    assert_eq!(unknown.status, OrderStatus::Unknown);
    assert_eq!(unknown.provider_status.as_deref(), Some("returned"));
}

#[test]
fn a_webhook_that_is_not_from_fuuffy_is_unauthorized_and_never_read() {
    let server = MockServer::start();
    let adapter = adapter(&server);
    let body = webhook_body();
    let mut tampered = body.clone();
    let at = tampered
        .windows(10)
        .position(|w| w == b"in_transit")
        .expect("the status");
    tampered[at..at + 10].copy_from_slice(b"delivered ");
    let cases = [
        ("tampered", signed(&body, WEBHOOK_SECRET), tampered),
        ("missing", HeaderMap::new(), body.clone()),
        (
            "wrong secret",
            signed(&body, "another-secret"),
            body.clone(),
        ),
        (
            "malformed",
            {
                let mut headers = HeaderMap::new();
                headers.insert(signature_header(), HeaderValue::from_static("not-hex"));
                headers
            },
            body.clone(),
        ),
    ];
    for (case, headers, body) in cases {
        let error = adapter.parse_webhook(&headers, &body).expect_err(case);
        assert_eq!(error.kind, ErrorKind::Unauthorized, "{case}: {error}");
        assert_eq!(error.operation, Operation::ParseWebhook, "{case}");
        assert!(error.message.contains(SIGNATURE_HEADER), "{case}: {error}");
        assert!(!error.message.contains(WEBHOOK_SECRET), "{case}");
    }
}

#[test]
fn a_webhook_body_over_the_limit_is_refused_unread() {
    let server = MockServer::start();
    let body = vec![b' '; ordergate_runtime::inbound::DEFAULT_MAX_BODY_BYTES + 1];
    let error = adapter(&server)
        .parse_webhook(&signed(&body, WEBHOOK_SECRET), &body)
        .expect_err("too large");
    assert_eq!(error.kind, ErrorKind::InvalidInput, "{error}");
    assert_eq!(error.operation, Operation::ParseWebhook);
}

#[test]
fn a_signed_body_that_is_not_an_event_is_a_decode_error() {
    let server = MockServer::start();
    let body = br#"{"data": {"order_id": "3550875"}}"#;
    let error = adapter(&server)
        .parse_webhook(&signed(body, WEBHOOK_SECRET), body)
        .expect_err("no event");
    assert_eq!(error.kind, ErrorKind::Decode, "{error}");
}

#[test]
fn webhooks_without_a_secret_are_not_configured() {
    let adapter = FuuffyAdapter::builder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds");
    let body = webhook_body();
    let error = adapter
        .parse_webhook(&signed(&body, WEBHOOK_SECRET), &body)
        .expect_err("not configured");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert_eq!(error.phase, Phase::NotSent);
    assert!(error.message.contains("FUUFFY_WEBHOOK_SECRET"), "{error}");
    let configured =
        adapter.with_webhook_secret(WebhookSecret::new(WEBHOOK_SECRET).expect("a secret"));
    let events = configured
        .parse_webhook(&signed(&body, WEBHOOK_SECRET), &body)
        .expect("verified");
    assert_eq!(events.len(), 1);

    let empty = FuuffyAdapter::from_options([
        ("token", TOKEN),
        ("webhook_secret", ""),
        ("base_url", "http://127.0.0.1:9"),
    ])
    .expect_err("an empty secret");
    assert_eq!(empty.kind, ErrorKind::InvalidInput);
    assert_eq!(empty.operation, Operation::Configure);
    assert!(empty.message.contains("FUUFFY_WEBHOOK_SECRET"), "{empty}");
}

/// With client credentials, one token serves create, list, track and get.
#[tokio::test]
async fn client_credentials_get_one_token_for_every_new_call() {
    const CLIENT_ID: &str = "client-7c1e";
    const CLIENT_SECRET: &str = "client-secret-5b2d9e";
    const ISSUED: &str = "sk-issued-0f3a9c";
    let server = MockServer::start_async().await;
    let token =
        server.mock(|when, then| {
            when.method("POST")
                .path("/v1/auth/token")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            then.status(200).header("content-type", "application/json").body(
            json!({"data": {"access_token": ISSUED, "token_type": "Bearer", "expires_in": 3600}})
                .to_string(),
        );
        });
    let issued = |sent: Sent, body: Value| {
        server.mock(move |when, then| {
            sent.matched(when)
                .header("authorization", format!("Bearer {ISSUED}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
    };
    let (order, expected) = local_order();
    let create = issued(
        Sent::new("POST", "/v1/order/create").json(&expected),
        created("3550875", "local", "#5493979"),
    );
    let list = issued(
        list_request(&[("page", "1"), ("limit", "5")]),
        listed(3550875, 1, &["PENDING_CONFIRM"]),
    );
    let track = issued(
        Sent::new("GET", "/v1/tracking/get/3550875"),
        response_example("fuuffy", "get_tracking", 200).body,
    );
    let adapter = Provider::from_options(
        ProviderName::Fuuffy,
        [
            ("FUUFFY_CLIENT_ID", CLIENT_ID),
            ("FUUFFY_CLIENT_SECRET", CLIENT_SECRET),
            ("FUUFFY_BASE_URL", server.base_url().as_str()),
        ],
    )
    .expect("client credentials are enough");
    let order = adapter.create_order(&order).await.expect("created");
    let listed = collect(&adapter, &ListQuery::new().limit(5)).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].as_ref().expect("ok").order_id, order.order_id);
    adapter.track_order(&order.order_id).await.expect("tracked");
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(create.calls_async().await, 1);
    assert_eq!(list.calls_async().await, 1);
    assert_eq!(track.calls_async().await, 1);
}

/// Every operation but cancel: Fuuffy documents no cancel, so it is `unsupported`, nothing
/// sent.
#[tokio::test]
async fn every_operation_but_cancel_is_supported() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    let adapter = adapter(&server);
    assert_eq!(
        adapter.capabilities().to_string(),
        "create_order, confirm_order, get_order, list_orders, track_order, parse_webhook"
    );
    let error = adapter
        .cancel_order("3550875")
        .await
        .expect_err("unsupported");
    assert_eq!(error.kind, ErrorKind::Unsupported);
    assert_eq!(error.phase, Phase::NotSent);
    assert_eq!(any.calls_async().await, 0);
}
