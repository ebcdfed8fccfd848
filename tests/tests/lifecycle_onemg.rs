//! Tata 1mg's order lifecycle through the facade, against httpmock over loopback: create (COD
//! and ONLINE, every mapped field, the body compared whole), each refused input (nothing
//! sent), cancel (success, "Invalid order status for this operation", a 500 sent once), the
//! order-update webhook (good, grouped, refused tokens, not configured, over the limit, a code
//! not in the table, not an update) and what stays unsupported.

use futures_util::StreamExt as _;
use httpmock::{Mock, MockServer};
use ordergate::options::OnemgOptions;
use ordergate::{
    ErrorKind, Item, ListQuery, NewOrder, OnemgAdapter, Operation, OrderProvider, OrderStatus,
    Provider, ProviderName, ProviderOptions, Recipient, WebhookAck,
};
use ordergate_onemg::merchant::{DEFAULT_MAX_BODY_BYTES, DEFAULT_TOKEN_HEADER};
use ordergate_onemg::types;
use ordergate_tests::adapters::quick_retries;
use ordergate_tests::credentials::{ONEMG_ACCESS_KEY, TOKEN};
use ordergate_tests::sent::Sent;
use ordergate_tests::{ResponseExample, request_example, response_examples, spec};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

const MERCHANT_ID: &str = "merchant-42";
const WEBHOOK_TOKEN: &str = "hook-token-5d1e";
const CREATE_PATH: &str = "/api/v4/merchants/merchant-42/orders";
const CANCEL_PATH: &str = "/api/v4/merchant-42/order/cancel";

/// The adapter sending to `server`, with the webhook token, retrying quickly (so a retry
/// would show).
fn adapter(server: &MockServer) -> OnemgAdapter {
    OnemgAdapter::builder()
        .token(TOKEN)
        .access_key(ONEMG_ACCESS_KEY)
        .merchant_id(MERCHANT_ID)
        .webhook_token(WEBHOOK_TOKEN)
        .base_url(server.base_url())
        .client_config(quick_retries())
        .build()
        .expect("a loopback base URL with credentials builds")
}

/// The response example `name` of `operation_id`.
fn answer(operation_id: &str, name: &str) -> ResponseExample {
    response_examples("onemg", operation_id)
        .into_iter()
        .find(|example| example.label.ends_with(name))
        .unwrap_or_else(|| panic!("{operation_id} has no example {name}"))
}

/// A mock answering `example` to exactly `sent`, with both credentials.
fn serve<'a>(server: &'a MockServer, sent: &Sent, example: &ResponseExample) -> Mock<'a> {
    server.mock(|when, then| {
        sent.matched(when)
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("x-access-key", ONEMG_ACCESS_KEY);
        example.serve(then);
    })
}

/// A mock answering anything (to count what reached the server).
fn anything(server: &MockServer) -> Mock<'_> {
    server.mock(|_, then| {
        then.status(500);
    })
}

/// The recipient of the spec's constructed COD order.
fn asha() -> Recipient {
    let mut recipient = Recipient::new(
        "Asha",
        "Rao",
        "12 Outer Ring Road",
        "Bengaluru",
        "560103",
        "IN",
    );
    recipient.email = Some("asha@example.com".to_owned());
    recipient.phone = Some("9876543210".to_owned());
    recipient.address2 = Some("Bellandur".to_owned());
    recipient.state = Some("Karnataka".to_owned());
    recipient
}

fn priced(sku: &str, quantity: u32, unit_price: &str) -> Item {
    let mut item = Item::new(sku, quantity);
    item.unit_price = Some(unit_price.to_owned());
    item
}

fn with_onemg(options: OnemgOptions) -> ProviderOptions {
    let mut all = ProviderOptions::default();
    all.onemg = Some(options);
    all
}

/// The spec's constructed COD order as a `NewOrder`: SKU 139559 split over two items (their
/// quantities are added), the amount from the prices (3 × 73.00), a coupon.
fn cod_order() -> NewOrder {
    let items = vec![
        priced("117004", 1, "73.00"),
        priced("139559", 1, "73.00"),
        priced("139559", 1, "73.00"),
    ];
    NewOrder::new("2333asa3s25222", asha(), items)
        .with_currency("INR")
        .with_options(with_onemg(
            OnemgOptions::cod()
                .with_coupon_code("FIRST10")
                .with_address_type("home"),
        ))
}

#[tokio::test]
async fn create_cod_sends_every_mapped_field_and_is_confirmed() {
    let server = MockServer::start_async().await;
    let mut expected = request_example("onemg", "create_order", "constructed_cod_order");
    expected["coupon_code"] = json!("FIRST10");
    let sent = Sent::new("POST", CREATE_PATH).json(&expected);
    let mock = serve(&server, &sent, &answer("create_order", "docs_cod_order"));

    let order = adapter(&server)
        .create_order(&cod_order())
        .await
        .expect("created");
    mock.assert_async().await;
    assert_eq!(order.provider, ProviderName::Onemg);
    assert_eq!(order.order_id, "PO29523366580001");
    assert_eq!(order.status, OrderStatus::Confirmed, "COD needs no confirm");
    assert_eq!(order.provider_status, None);
    let response = order
        .provider_response::<types::CreateOrderResponse>()
        .expect("the typed answer is kept");
    assert!(response.is_success);
}

#[tokio::test]
async fn create_online_takes_the_options_amount_and_awaits_confirmation() {
    let server = MockServer::start_async().await;
    let expected = json!({
        "merchant_order_id": "24E222B223IDFD",
        "payable_amount": "199.50",
        "payment_method": "ONLINE",
        "coupon_code": "FIRST10",
        "prescriptions": ["rx-2024-001", "https://example.com/rx/2.pdf"],
        "user": {"email": "asha@example.com", "mobile": "9876543210", "first_name": "Asha", "last_name": "Rao"},
        "address": {"pincode": "560103", "contact_number": "9876543210", "name": "Asha Rao", "street1": "12 Outer Ring Road", "street2": "Bellandur", "type": "work"},
        "skus": {"117004": 3, "528051": 1}
    });
    let sent = Sent::new("POST", CREATE_PATH).json(&expected);
    let mock = serve(&server, &sent, &answer("create_order", "docs_pay_via_link"));
    // As an order file reads it. The items cost 215.00; the options' amount, after the
    // coupon, is what is sent.
    let order: NewOrder = serde_json::from_value(json!({
        "reference": "24E222B223IDFD",
        "recipient": {
            "first_name": "Asha", "last_name": "Rao", "email": "asha@example.com",
            "phone": "9876543210", "address1": "12 Outer Ring Road", "address2": "Bellandur",
            "city": "Bengaluru", "postal_code": "560103", "country": "in"
        },
        "items": [
            {"sku": "117004", "quantity": 3, "name": "Dolo 650", "unit_price": "55.00"},
            {"sku": "528051", "quantity": 1, "unit_price": "50.00"}
        ],
        "currency": "INR",
        "options": {"onemg": {
            "payment_method": "ONLINE", "payable_amount": "199.50", "coupon_code": "FIRST10",
            "prescriptions": ["rx-2024-001", "https://example.com/rx/2.pdf"], "address_type": "work"
        }}
    }))
    .expect("an order file");

    let created = adapter(&server)
        .create_order(&order)
        .await
        .expect("created");
    mock.assert_async().await;
    assert_eq!(created.order_id, "PO23324219860017");
    assert_eq!(created.status, OrderStatus::PendingConfirmation);
    let link = created
        .provider_response::<types::CreateOrderResponse>()
        .and_then(|r| r.data.as_ref())
        .and_then(|d| d.payment_link.as_deref());
    assert!(link.is_some_and(|l| l.starts_with("https://www.1mg.com/pay_via_link")));
}

#[tokio::test]
async fn create_refuses_each_missing_or_wrong_input_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    let adapter = adapter(&server);
    let edit = |change: &dyn Fn(&mut NewOrder)| {
        let mut order = cod_order();
        change(&mut order);
        order
    };
    let onemg = |order: &mut NewOrder| order.options.onemg.as_mut().expect("set").clone();
    let cases: Vec<(&str, NewOrder)> = vec![
        (
            "options.onemg.payment_method",
            edit(&|o| o.options.onemg = None),
        ),
        (
            "options.onemg.payable_amount",
            edit(&|o| o.items[1].unit_price = None),
        ),
        (
            "items[2].unit_price",
            edit(&|o| o.items[2].unit_price = Some("73,00".to_owned())),
        ),
        (
            "options.onemg.payable_amount",
            edit(&|o| {
                let options = onemg(o).with_payable_amount("₹219");
                o.options.onemg = Some(options);
            }),
        ),
        ("items is empty", edit(&|o| o.items.clear())),
        ("items[0].quantity", edit(&|o| o.items[0].quantity = 0)),
        ("items[1].sku", edit(&|o| o.items[1].sku = " ".to_owned())),
        ("reference", edit(&|o| o.reference = String::new())),
        (
            "recipient.country",
            edit(&|o| o.recipient.country = "FI".to_owned()),
        ),
        ("currency", edit(&|o| o.currency = Some("EUR".to_owned()))),
    ];
    for (field, order) in cases {
        let error = adapter.create_order(&order).await.expect_err(field);
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{field}: {error}");
        assert!(error.nothing_was_sent(), "{field}");
        assert_eq!(error.operation, Operation::CreateOrder);
        assert!(error.message.contains(field), "{field}: {}", error.message);
    }
    assert_eq!(any.calls_async().await, 0, "nothing reached the server");
}

#[test]
fn an_options_block_without_its_payment_method_is_not_an_order() {
    let error = serde_json::from_value::<OnemgOptions>(json!({"payable_amount": "1.00"}))
        .expect_err("payment_method is required");
    assert!(error.to_string().contains("payment_method"), "{error}");
    let error = serde_json::from_value::<OnemgOptions>(json!({"payment_method": "CARD"}))
        .expect_err("COD or ONLINE");
    assert!(error.to_string().contains("CARD"), "{error}");
    let error =
        serde_json::from_value::<OnemgOptions>(json!({"payment_method": "COD", "coupon": "X"}))
            .expect_err("unknown fields are refused");
    assert!(error.to_string().contains("coupon"), "{error}");
    let options: OnemgOptions =
        serde_json::from_value(json!({"payment_method": "COD"})).expect("the least");
    assert_eq!(options, OnemgOptions::cod());
}

#[tokio::test]
async fn a_create_that_fails_on_the_server_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method("POST").path(CREATE_PATH);
        then.status(500)
            .header("content-type", "application/json")
            .body(r#"{"is_success": false, "status_code": 500, "error": {"message": "Something went wrong", "errors": null}}"#);
    });
    let error = adapter(&server)
        .create_order(&cod_order())
        .await
        .expect_err("a 500");
    assert_eq!(error.kind, ErrorKind::Server, "{error}");
    assert_eq!(mock.calls_async().await, 1, "a create is never resent");
}

#[tokio::test]
async fn a_create_answered_without_the_order_id_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method("POST").path(CREATE_PATH);
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"is_success": true, "status_code": 200, "data": {"merchant_order_id": "2333asa3s25222"}}"#);
    });
    let error = adapter(&server)
        .create_order(&cod_order())
        .await
        .expect_err("no order id");
    assert_eq!(error.kind, ErrorKind::OutcomeUnknown, "{error}");
    assert_eq!(error.http_status, Some(200));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn cancel_sends_the_order_id_and_is_cancelled() {
    let server = MockServer::start_async().await;
    let sent = Sent::new("POST", CANCEL_PATH).json(&json!({"order_id": "PO29523381380005"}));
    let mock = serve(
        &server,
        &sent,
        &answer("cancel_order", "constructed_cancelled"),
    );
    let order = adapter(&server)
        .cancel_order("PO29523381380005")
        .await
        .expect("cancelled");
    mock.assert_async().await;
    assert_eq!(order.order_id, "PO29523381380005");
    assert_eq!(order.status, OrderStatus::Cancelled);
    assert!(
        order
            .provider_response::<types::CancelOrderResponse>()
            .is_some()
    );
}

#[tokio::test]
async fn cancel_past_packing_is_conflict_and_sent_once() {
    let server = MockServer::start_async().await;
    let sent = Sent::new("POST", CANCEL_PATH).json(&json!({"order_id": "PO29523381380005"}));
    let mock = serve(
        &server,
        &sent,
        &answer("cancel_order", "docs_invalid_status"),
    );
    let error = adapter(&server)
        .cancel_order("PO29523381380005")
        .await
        .expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Conflict, "{error}");
    assert_eq!(error.http_status, Some(400));
    assert_eq!(error.order_id.as_deref(), Some("PO29523381380005"));
    assert!(
        error
            .message
            .contains("Invalid order status for this operation")
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn a_cancel_that_fails_on_the_server_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method("POST").path(CANCEL_PATH);
        then.status(500)
            .header("content-type", "application/json")
            .body(r#"{"is_success": false, "status_code": 500, "error": {"message": "Something went wrong", "errors": null}}"#);
    });
    let error = adapter(&server)
        .cancel_order("PO29523381380005")
        .await
        .expect_err("a 500");
    assert_eq!(error.kind, ErrorKind::Server, "{error}");
    assert_eq!(mock.calls_async().await, 1, "a cancel is never resent");
}

#[tokio::test]
async fn cancel_refuses_an_empty_order_id_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    for id in ["", "  "] {
        let error = adapter(&server).cancel_order(id).await.expect_err("empty");
        assert_eq!(error.kind, ErrorKind::InvalidInput);
        assert!(error.nothing_was_sent());
    }
    assert_eq!(any.calls_async().await, 0);
}

/// The spec's `OrderUpdate` example (one cancelled order).
fn update_example() -> Value {
    spec("onemg")
        .raw
        .pointer("/components/schemas/OrderUpdate/example")
        .cloned()
        .expect("OrderUpdate has an example")
}

/// Headers carrying `token` in 1mg's header (none when `None`).
fn headers(token: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().expect("valid"));
    if let Some(token) = token {
        headers.insert(DEFAULT_TOKEN_HEADER, token.parse().expect("valid"));
    }
    headers
}

/// An adapter whose server is never called (webhooks send nothing).
fn webhook_adapter() -> OnemgAdapter {
    OnemgAdapter::builder()
        .token(TOKEN)
        .access_key(ONEMG_ACCESS_KEY)
        .merchant_id(MERCHANT_ID)
        .webhook_token(WEBHOOK_TOKEN)
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds")
}

#[test]
fn a_verified_update_is_one_event_per_order() {
    let example = update_example();
    let body = serde_json::to_vec(&example).expect("json");
    let events = webhook_adapter()
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), &body)
        .expect("verified");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.provider, ProviderName::Onemg);
    assert_eq!(event.event_type, "order.status_updated");
    assert_eq!(event.event_type, ordergate::onemg::ORDER_STATUS_UPDATED);
    assert_eq!(event.order_id.as_deref(), Some("PO10824235590665"));
    assert_eq!(event.status, OrderStatus::Cancelled);
    assert_eq!(event.provider_status.as_deref(), Some("99"));
    assert_eq!(event.occurred_at.as_deref(), Some("2024-04-18T06:34:45Z"));
    assert_eq!(event.tracking_number, None);
    assert_eq!(event.raw(), &example["grouped_orders"][0]);
    assert!(event.event_id.starts_with("xxh3:"), "{}", event.event_id);
    // The same delivery again has the same id (the key to drop it); whitespace around the
    // token is not part of it.
    let again = webhook_adapter()
        .parse_webhook(&headers(Some(&format!(" {WEBHOOK_TOKEN} "))), &body)
        .expect("verified");
    assert_eq!(again[0].event_id, event.event_id);
}

#[test]
fn a_grouped_update_gives_each_order_its_event() {
    let mut example = update_example();
    let mut delivered = example["grouped_orders"][0].clone();
    delivered["order_id"] = json!("PO10824235590666");
    delivered["order_status"] = json!({"status_id": 40, "title": "Delivered", "subtitle": null});
    delivered["updated"] = json!(1713500000);
    let mut packing = delivered.clone();
    packing["order_id"] = json!("PO10824235590667");
    packing["order_status"]["status_id"] = json!(130);
    packing.as_object_mut().expect("object").remove("updated");
    let orders = example["grouped_orders"].as_array_mut().expect("array");
    orders.push(delivered);
    orders.push(packing);
    let body = serde_json::to_vec(&example).expect("json");

    let events = Provider::Onemg(webhook_adapter())
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), &body)
        .expect("verified");
    let seen: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.order_id.as_deref(),
                e.status,
                e.provider_status.as_deref(),
                e.occurred_at.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                Some("PO10824235590665"),
                OrderStatus::Cancelled,
                Some("99"),
                Some("2024-04-18T06:34:45Z")
            ),
            (
                Some("PO10824235590666"),
                OrderStatus::Delivered,
                Some("40"),
                Some("2024-04-19T04:13:20Z")
            ),
            (
                Some("PO10824235590667"),
                OrderStatus::Processing,
                Some("130"),
                None
            ),
        ]
    );
    let mut ids: Vec<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "one id per order");
    assert!(ids[2].ends_with(":2"), "{}", ids[2]);
}

#[test]
fn a_code_not_in_the_table_is_unknown_and_kept() {
    let mut example = update_example();
    example["grouped_orders"][0]["order_status"]["status_id"] = json!(777);
    let body = serde_json::to_vec(&example).expect("json");
    let events = webhook_adapter()
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), &body)
        .expect("verified");
    assert_eq!(events[0].status, OrderStatus::Unknown);
    assert_eq!(events[0].provider_status.as_deref(), Some("777"));

    // An order without a status is an event of unknown status, with none kept.
    let body = br#"{"grouped_orders": [{"order_id": "PO1"}]}"#;
    let events = webhook_adapter()
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), body)
        .expect("verified");
    assert_eq!(events[0].status, OrderStatus::Unknown);
    assert_eq!(events[0].provider_status, None);
}

#[test]
fn a_missing_wrong_or_repeated_token_is_unauthorized() {
    let body = serde_json::to_vec(&update_example()).expect("json");
    let adapter = webhook_adapter();
    let mut twice = headers(Some(WEBHOOK_TOKEN));
    twice.append(DEFAULT_TOKEN_HEADER, WEBHOOK_TOKEN.parse().expect("valid"));
    let mut elsewhere = headers(None);
    elsewhere.insert("x-access-key", WEBHOOK_TOKEN.parse().expect("valid"));
    let wrong_case = WEBHOOK_TOKEN.to_uppercase();
    let longer = format!("{WEBHOOK_TOKEN}0");
    let shorter = &WEBHOOK_TOKEN[..WEBHOOK_TOKEN.len() - 1];
    for (case, headers) in [
        ("missing", headers(None)),
        ("in another header", elsewhere),
        ("empty", headers(Some(""))),
        ("wrong", headers(Some("hook-token-0000"))),
        ("another case", headers(Some(&wrong_case))),
        ("one character more", headers(Some(&longer))),
        ("one character less", headers(Some(shorter))),
        ("sent twice", twice),
    ] {
        let error = adapter.parse_webhook(&headers, &body).expect_err(case);
        assert_eq!(error.kind, ErrorKind::Unauthorized, "{case}: {error}");
        assert_eq!(error.operation, Operation::ParseWebhook);
        assert!(error.nothing_was_sent(), "{case}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(WEBHOOK_TOKEN), "{case}: the token is shown");
    }
}

#[test]
fn a_refused_token_is_refused_before_the_body_is_read() {
    // Not JSON at all: a wrong token is still `unauthorized`, never `decode`.
    let error = webhook_adapter()
        .parse_webhook(&headers(Some("nope")), b"\xff not json")
        .expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Unauthorized);
}

#[test]
fn a_verified_body_that_is_no_update_is_decode() {
    for body in [
        &b"not json"[..],
        br#"{"orders": []}"#,
        br#"{"grouped_orders": [{"order_status": {"status_id": 99}}]}"#,
        br#"{"grouped_orders": [{"order_id": "PO1", "order_status": {"status_id": "99"}}]}"#,
    ] {
        let error = webhook_adapter()
            .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), body)
            .expect_err("not an update");
        assert_eq!(error.kind, ErrorKind::Decode, "{error}");
    }
    let events = webhook_adapter()
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), br#"{"grouped_orders": []}"#)
        .expect("an empty update");
    assert!(events.is_empty());
}

#[test]
fn a_body_over_the_limit_is_refused_unread() {
    let mut body = br#"{"grouped_orders": [], "pad": ""#.to_vec();
    body.resize(DEFAULT_MAX_BODY_BYTES + 1, b' ');
    let error = webhook_adapter()
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), &body)
        .expect_err("too large");
    assert_eq!(error.kind, ErrorKind::InvalidInput, "{error}");
    assert!(error.nothing_was_sent());
}

#[test]
fn webhooks_without_a_token_configured_are_invalid_input() {
    let adapter = OnemgAdapter::builder()
        .token(TOKEN)
        .access_key(ONEMG_ACCESS_KEY)
        .merchant_id(MERCHANT_ID)
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds");
    let body = serde_json::to_vec(&update_example()).expect("json");
    let error = adapter
        .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), &body)
        .expect_err("not configured");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert!(error.nothing_was_sent());
    assert!(error.message.contains("ONEMG_WEBHOOK_TOKEN"), "{error}");

    // An empty token would let anyone in: the adapter is not built.
    let error = OnemgAdapter::builder()
        .token(TOKEN)
        .access_key(ONEMG_ACCESS_KEY)
        .merchant_id(MERCHANT_ID)
        .webhook_token("")
        .build()
        .expect_err("an empty token");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert!(error.message.contains("ONEMG_WEBHOOK_TOKEN"), "{error}");

    // From options, by either name; the token never shows in `Debug`.
    for key in ["webhook_token", "ONEMG_WEBHOOK_TOKEN"] {
        let adapter = OnemgAdapter::from_options([
            ("token", TOKEN),
            ("access_key", ONEMG_ACCESS_KEY),
            ("merchant_id", MERCHANT_ID),
            (key, WEBHOOK_TOKEN),
        ])
        .expect("builds");
        assert!(!format!("{adapter:?}").contains(WEBHOOK_TOKEN));
        assert_eq!(
            adapter
                .parse_webhook(&headers(Some(WEBHOOK_TOKEN)), &body)
                .map(|events| events.len())
                .expect("verified"),
            1,
            "{key}"
        );
    }
}

#[test]
fn one_mg_is_answered_as_its_guide_asks() {
    let ack = Provider::webhook_ack(ProviderName::Onemg).expect("compiled in");
    assert_eq!(ack, WebhookAck::new(200, r#"{"status":"success"}"#));
    let body: Value = serde_json::from_str(ack.body).expect("JSON");
    assert_eq!(body, json!({"status": "success"}));
}

#[tokio::test]
async fn get_list_and_track_are_unsupported_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let any = anything(&server);
    let adapter = adapter(&server);
    let capabilities = adapter.capabilities();
    for operation in [
        Operation::CreateOrder,
        Operation::ConfirmOrder,
        Operation::CancelOrder,
        Operation::ParseWebhook,
    ] {
        assert!(capabilities.contains(operation), "{operation:?}");
    }
    for operation in [
        Operation::GetOrder,
        Operation::ListOrders,
        Operation::TrackOrder,
    ] {
        assert!(!capabilities.contains(operation), "{operation:?}");
    }
    let errors = [
        adapter.get_order("PO1").await.expect_err("get"),
        adapter.track_order("PO1").await.expect_err("track"),
        adapter
            .list_orders(&ListQuery::new())
            .next()
            .await
            .expect("one item")
            .expect_err("list"),
    ];
    for error in errors {
        assert_eq!(error.kind, ErrorKind::Unsupported, "{error}");
        assert!(error.nothing_was_sent());
    }
    assert_eq!(any.calls_async().await, 0);
}
