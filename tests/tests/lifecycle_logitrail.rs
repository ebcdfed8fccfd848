//! The Logitrail adapter's lifecycle through the facade, against httpmock over loopback with
//! the request side checked (method, exact path, Logitrail's Basic `Authorization`, the JSON
//! body equal to the expected one): `create_order` (every mapped field, the spec's examples,
//! refusals with nothing sent, Logitrail's error codes), `cancel_order` (cancelled, the
//! `order_already_*` codes as `conflict`, sent once), and `parse_webhook` (verified before
//! parsed, batches, bad events, not configured).

use httpmock::{Mock, MockServer};
use ordergate::options::LogitrailOptions;
use ordergate::{
    Error, ErrorKind, Item, LogitrailAdapter, NewOrder, Operation, OrderEvent, OrderProvider,
    OrderStatus, Phase, ProviderName, ProviderOptions, Recipient,
};
use ordergate_logitrail::types;
use ordergate_tests::adapters::quick_retries;
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET};
use ordergate_tests::scenarios::LOGITRAIL_AUTHORIZATION;
use ordergate_tests::sent::Sent;
use ordergate_tests::{ResponseExample, request_example, response_examples, spec};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};

const PROVIDER: &str = "logitrail";
/// The order id of the spec's examples (`OrderId` parameter, create's answer).
const ORDER_ID: &str = "5c8a1d5b0000000000000001";

const WEBHOOK_USERNAME: &str = "logitrail-webhook";
const WEBHOOK_PASSWORD: &str = "webhook-key-3b7e";
/// `Basic base64("logitrail-webhook:webhook-key-3b7e")`, computed outside the crate (RFC 7617).
const WEBHOOK_AUTHORIZATION: &str = "Basic bG9naXRyYWlsLXdlYmhvb2s6d2ViaG9vay1rZXktM2I3ZQ==";

/// The adapter, sending to `server`, with the webhook credentials.
fn adapter(server: &MockServer) -> LogitrailAdapter {
    LogitrailAdapter::builder()
        .merchant_id(LOGITRAIL_MERCHANT)
        .secret(LOGITRAIL_SECRET)
        .webhook_username(WEBHOOK_USERNAME)
        .webhook_password(WEBHOOK_PASSWORD)
        .base_url(server.base_url())
        .client_config(quick_retries())
        .build()
        .expect("builds")
}

/// A mock answering `example` to exactly the request `sent` describes, with Logitrail's
/// Basic credentials.
fn answering<'s>(server: &'s MockServer, sent: &Sent, example: &ResponseExample) -> Mock<'s> {
    server.mock(|when, then| {
        sent.matched(when.header("authorization", LOGITRAIL_AUTHORIZATION));
        example.serve(then);
    })
}

/// A mock counting every request (for "nothing was sent").
fn anything(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(500);
    })
}

/// The one response example of `operation_id` named `name` (`label` ends with it).
fn example(operation_id: &str, name: &str) -> ResponseExample {
    response_examples(PROVIDER, operation_id)
        .into_iter()
        .find(|example| example.label.ends_with(&format!(" {name}")))
        .unwrap_or_else(|| panic!("{operation_id}: no response example {name}"))
}

fn options(order: &mut NewOrder, logitrail: LogitrailOptions) {
    let mut options = ProviderOptions::default();
    options.logitrail = Some(logitrail);
    order.options = options;
}

/// The spec's `new_order` example as a `NewOrder`: the same merchant order, recipient, items
/// and options.
fn new_order_of_the_example() -> NewOrder {
    let mut recipient = Recipient::new(
        "Matti",
        "Virtanen",
        "Hovirinnantie 5",
        "Kaarina",
        "20780",
        "FI",
    );
    recipient.email = Some("matti.virtanen@example.com".to_owned());
    recipient.phone = Some("+358401234567".to_owned());
    let mut caps = Item::new("13248", 2);
    caps.name = Some("Puhdas+ Caps Saccharomyces boulardii, 60 kaps".to_owned());
    caps.unit_price = Some("19.9".to_owned());
    let mut order =
        NewOrder::new("10001", recipient, vec![caps, Item::new("18504", 1)]).with_currency("EUR");
    options(
        &mut order,
        LogitrailOptions::new("5692616b01250d3a458b4567")
            .with_language("fi")
            .with_tags(["vip_customer"])
            .with_order_time("2016-01-18T08:17:55+00:00"),
    );
    order
}

/// The `new_order` request example without what a `NewOrder` does not carry (the products'
/// GTIN, tax, weight, dimensions and best-before date).
fn new_order_example_as_mapped() -> Value {
    let mut example = request_example(PROVIDER, "create_order", "new_order");
    for product in example["products"].as_array_mut().expect("products") {
        let product = product.as_object_mut().expect("a product object");
        for field in ["gtin", "tax_percent", "weight", "dimensions", "best_before"] {
            product.remove(field);
        }
    }
    example
}

async fn create(server: &MockServer, order: &NewOrder) -> Result<ordergate::Order, Error> {
    adapter(server).create_order(order).await
}

#[tokio::test]
async fn create_sends_the_spec_example_and_answers_pending_confirmation() {
    let server = MockServer::start_async().await;
    let created = example("create_order", "created");
    assert_eq!(created.status, 201);
    let sent = Sent::new("POST", "/orders/_create").json(&new_order_example_as_mapped());
    let mock = answering(&server, &sent, &created);

    let order = create(&server, &new_order_of_the_example())
        .await
        .expect("created");

    mock.assert_async().await;
    assert_eq!(order.provider, ProviderName::Logitrail);
    assert_eq!(order.order_id, ORDER_ID);
    assert_eq!(order.status, OrderStatus::PendingConfirmation);
    let response = order
        .provider_response::<types::OrderIdResponse>()
        .expect("the typed answer is kept");
    assert!(response.success);
}

/// The spec's `minimal_order`: the required fields, `merchants_order` as a plain string
/// (no order time), and the recipient's country, which a `NewOrder` always has.
#[tokio::test]
async fn create_sends_the_minimal_example_with_the_reference_as_a_string() {
    let server = MockServer::start_async().await;
    let mut expected = request_example(PROVIDER, "create_order", "minimal_order");
    expected["customer"]["countryCode"] = json!("FI");
    let sent = Sent::new("POST", "/orders/_create").json(&expected);
    let mock = answering(&server, &sent, &example("create_order", "created"));
    let recipient = Recipient::new(
        "Aino",
        "Korhonen",
        "Puntarikatu 1",
        "Kaarina",
        "20780",
        "FI",
    );
    let mut order = NewOrder::new("10002", recipient, vec![Item::new("13248", 1)]);
    options(&mut order, LogitrailOptions::new("home"));

    let order = create(&server, &order).await.expect("created");

    mock.assert_async().await;
    assert_eq!(order.order_id, ORDER_ID);
}

#[tokio::test]
async fn create_maps_every_recipient_field_item_field_and_option() {
    let server = MockServer::start_async().await;
    let expected = json!({
        "merchants_order": "SO-2026-0042",
        "customer": {
            "firstName": "Aino",
            "lastName": "Korhonen",
            "organizationName": "Kahvila Oy",
            "address": "Puntarikatu 1, B 12",
            "postalCode": "33100",
            "city": "Tampere",
            "countryCode": "FI",
            "email": "aino@example.com",
            "phoneNumber": "+358501234567"
        },
        "products": [
            {"merchants_id": "MUG-1", "qty": 3, "name": "Mug", "unit_price": 12.5},
            {"merchants_id": "LID-2", "qty": 1, "unit_price": 0}
        ],
        "currency": "SEK",
        "destination": "letter",
        "language": "sv",
        "tags": ["gift", "fragile"],
        "not_before": "2026-12-20",
        "not_after": "2026-12-23",
        "pricelist": "winter"
    });
    let sent = Sent::new("POST", "/orders/_create").json(&expected);
    let mock = answering(&server, &sent, &example("create_order", "created"));
    let mut recipient = Recipient::new(
        "Aino",
        "Korhonen",
        "Puntarikatu 1",
        "Tampere",
        "33100",
        "FI",
    );
    recipient.company = Some("Kahvila Oy".to_owned());
    recipient.address2 = Some("B 12".to_owned());
    recipient.email = Some("aino@example.com".to_owned());
    recipient.phone = Some("+358501234567".to_owned());
    // Logitrail's customer has no state: it is not sent.
    recipient.state = Some("Pirkanmaa".to_owned());
    let mut mug = Item::new("MUG-1", 3);
    mug.name = Some("Mug".to_owned());
    mug.unit_price = Some("12.50".to_owned());
    let mut lid = Item::new("LID-2", 1);
    lid.unit_price = Some("0".to_owned());
    let mut order = NewOrder::new("SO-2026-0042", recipient, vec![mug, lid]).with_currency("SEK");
    options(
        &mut order,
        LogitrailOptions::new("letter")
            .with_language("sv")
            .with_tags(["gift", "fragile"])
            .with_delivery_window(Some("2026-12-20".to_owned()), Some("2026-12-23".to_owned()))
            .with_pricelist("winter"),
    );

    let order = create(&server, &order).await.expect("created");

    mock.assert_async().await;
    assert_eq!(order.status, OrderStatus::PendingConfirmation);
}

/// Everything Logitrail requires, missing or malformed: `invalid_input`, nothing sent.
#[tokio::test]
async fn create_refuses_a_missing_required_field_and_sends_nothing() {
    type Change = fn(&mut NewOrder);
    let cases: [(&str, Change); 19] = [
        ("options.logitrail", |o| {
            o.options = ProviderOptions::default()
        }),
        ("options.logitrail.destination", |o| {
            options(o, LogitrailOptions::default());
        }),
        ("options.logitrail.destination", |o| {
            options(o, LogitrailOptions::new("  "));
        }),
        ("options.logitrail.language", |o| {
            options(o, LogitrailOptions::new("home").with_language("de"));
        }),
        ("reference", |o| o.reference = String::new()),
        ("recipient.first_name", |o| {
            o.recipient.first_name = String::new()
        }),
        ("recipient.last_name", |o| {
            o.recipient.last_name = " ".to_owned()
        }),
        ("recipient.address1", |o| {
            o.recipient.address1 = String::new()
        }),
        ("recipient.postal_code", |o| {
            o.recipient.postal_code = String::new()
        }),
        ("recipient.city", |o| o.recipient.city = String::new()),
        ("items", |o| o.items.clear()),
        ("items[1].sku", |o| o.items[1].sku = String::new()),
        ("items[0].quantity", |o| o.items[0].quantity = 0),
        ("items[0].unit_price", |o| {
            o.items[0].unit_price = Some("19,90".to_owned())
        }),
        ("items[0].unit_price", |o| {
            o.items[0].unit_price = Some("1e3".to_owned())
        }),
        ("items[0].unit_price", |o| {
            o.items[0].unit_price = Some("-5".to_owned())
        }),
        ("items[0].unit_price", |o| {
            o.items[0].unit_price = Some("NaN".to_owned())
        }),
        ("items[0].unit_price", |o| {
            o.items[0].unit_price = Some(String::new())
        }),
        ("items[0].unit_price", |o| {
            o.items[0].unit_price = Some(".5".to_owned())
        }),
    ];
    let server = MockServer::start_async().await;
    let anything = anything(&server);
    let adapter = adapter(&server);
    for (field, change) in cases {
        let mut order = new_order_of_the_example();
        change(&mut order);
        let error = adapter.create_order(&order).await.expect_err(field);
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{field}: {error}");
        assert_eq!(error.phase, Phase::NotSent, "{field}");
        assert_eq!(error.operation, Operation::CreateOrder, "{field}");
        assert!(error.message.contains(field), "{field}: {}", error.message);
    }
    assert_eq!(anything.calls_async().await, 0, "nothing was sent");
}

/// Every error example of `create_order`, plus a 503, each answered once (a create is never
/// resent: a second one would be a second order).
#[tokio::test]
async fn create_error_codes_are_kept_and_never_retried() {
    let mut examples: Vec<ResponseExample> = response_examples(PROVIDER, "create_order")
        .into_iter()
        .filter(|example| example.status >= 400)
        .collect();
    assert_eq!(examples.len(), 6, "create_order's error examples");
    examples.push(ResponseExample {
        label: "create_order 503 constructed".to_owned(),
        status: 503,
        body: json!({"code": "unknown", "message": "try again later"}),
    });
    let expected_kind = |status: u16, code: &str| match (status, code) {
        (400, "product.merchants_id.required" | "item_source_id_missing") => ErrorKind::BadRequest,
        (403, "access_denied") => ErrorKind::Forbidden,
        (405, "method_not_allowed") => ErrorKind::BadRequest,
        (409, "order_not_passive") => ErrorKind::Conflict,
        (500 | 503, "unknown") => ErrorKind::Server,
        other => panic!("an error example this test does not know: {other:?}"),
    };
    for example in examples {
        let server = MockServer::start_async().await;
        let sent = Sent::new("POST", "/orders/_create").json(&new_order_example_as_mapped());
        let mock = answering(&server, &sent, &example);
        let error = create(&server, &new_order_of_the_example())
            .await
            .expect_err(&example.label);
        let code = example.body["code"].as_str().expect("a code");
        assert_eq!(mock.calls_async().await, 1, "{}: sent once", example.label);
        assert_eq!(
            error.kind,
            expected_kind(example.status, code),
            "{}",
            example.label
        );
        assert_eq!(error.code.as_deref(), Some(code), "{}", example.label);
        assert_eq!(error.http_status, Some(example.status), "{}", example.label);
        assert_eq!(error.phase, Phase::Answered, "{}", example.label);
        assert!(
            error.provider_error::<types::ErrorResponse>().is_some(),
            "{}",
            example.label
        );
    }
}

/// `{"success": false}` in a 201 is a failure, not an order.
#[tokio::test]
async fn create_answered_success_false_is_an_error() {
    let server = MockServer::start_async().await;
    let refused = ResponseExample {
        label: "create_order 201 success false".to_owned(),
        status: 201,
        body: json!({"success": false, "order_id": ORDER_ID}),
    };
    let sent = Sent::new("POST", "/orders/_create").json(&new_order_example_as_mapped());
    let mock = answering(&server, &sent, &refused);
    let error = create(&server, &new_order_of_the_example())
        .await
        .expect_err("success: false");
    mock.assert_async().await;
    assert_eq!(error.kind, ErrorKind::BadRequest);
    assert!(
        error.message.contains("success: false"),
        "{}",
        error.message
    );
}

fn delete_sent() -> Sent {
    Sent::new("DELETE", format!("/orders/{ORDER_ID}"))
}

#[tokio::test]
async fn cancel_deletes_the_order_and_answers_cancelled() {
    let server = MockServer::start_async().await;
    let deleted = example("delete_order", "deleted");
    assert_eq!(deleted.status, 200);
    let mock = answering(&server, &delete_sent(), &deleted);

    let order = adapter(&server)
        .cancel_order(ORDER_ID)
        .await
        .expect("cancelled");

    mock.assert_async().await;
    assert_eq!(order.provider, ProviderName::Logitrail);
    assert_eq!(order.order_id, ORDER_ID);
    assert_eq!(order.status, OrderStatus::Cancelled);
    assert!(
        order
            .provider_response::<types::SuccessResponse>()
            .is_some()
    );
}

#[tokio::test]
async fn cancel_order_already_codes_are_conflict_with_the_code_kept() {
    let codes = [
        "order_already_cancelled",
        "order_already_processing",
        "order_already_processed",
    ];
    for code in codes {
        let server = MockServer::start_async().await;
        let refused = example("delete_order", code);
        assert_eq!(refused.status, 400, "{code}");
        let mock = answering(&server, &delete_sent(), &refused);
        let error = adapter(&server)
            .cancel_order(ORDER_ID)
            .await
            .expect_err(code);
        assert_eq!(mock.calls_async().await, 1, "{code}: sent once");
        assert_eq!(error.kind, ErrorKind::Conflict, "{code}");
        assert_eq!(error.code.as_deref(), Some(code));
        assert_eq!(error.http_status, Some(400), "{code}");
        assert_eq!(error.operation, Operation::CancelOrder, "{code}");
        assert_eq!(error.order_id.as_deref(), Some(ORDER_ID), "{code}");
    }
}

#[tokio::test]
async fn cancel_is_sent_once_when_logitrail_fails() {
    let server = MockServer::start_async().await;
    let failed = example("delete_order", "unknown");
    assert_eq!(failed.status, 500);
    let mock = answering(&server, &delete_sent(), &failed);
    let error = adapter(&server)
        .cancel_order(ORDER_ID)
        .await
        .expect_err("500");
    assert_eq!(mock.calls_async().await, 1, "not retried");
    assert_eq!(error.kind, ErrorKind::Server);
    assert_eq!(error.code.as_deref(), Some("unknown"));
}

/// A cancel answered 503 is not resent either: had the first one been applied, the second
/// would answer `order_already_cancelled`, a `conflict` for an order that was cancelled (the
/// spec marks `delete_order` not idempotent for this reason).
#[tokio::test]
async fn cancel_is_sent_once_on_a_retryable_status() {
    let server = MockServer::start_async().await;
    let unavailable = ResponseExample {
        label: "delete_order 503 constructed".to_owned(),
        status: 503,
        body: json!({"code": "unknown"}),
    };
    let mock = answering(&server, &delete_sent(), &unavailable);
    let error = adapter(&server)
        .cancel_order(ORDER_ID)
        .await
        .expect_err("503");
    assert_eq!(mock.calls_async().await, 1, "not retried");
    assert_eq!(error.kind, ErrorKind::Server);
}

#[tokio::test]
async fn cancel_refuses_an_id_that_is_not_logitrails_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let anything = anything(&server);
    for id in ["", "42", "../orders", "5c8a1d5b000000000000000g"] {
        let error = adapter(&server).cancel_order(id).await.expect_err(id);
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{id:?}");
        assert_eq!(error.phase, Phase::NotSent, "{id:?}");
    }
    assert_eq!(anything.calls_async().await, 0, "nothing was sent");
}

// Webhooks.

/// `components.schemas.<name>.example` of the Logitrail spec.
fn schema_example(name: &str) -> Value {
    spec(PROVIDER).raw["components"]["schemas"][name]["example"].clone()
}

/// An event of `event_type` carrying `payload`, numbered `n`, as Logitrail sends one.
fn event(n: usize, event_type: &str, payload: Value) -> Value {
    json!({
        "event_id": format!("2016-01-18T08:17:55_{n:024x}"),
        "webhook_id": "logitrail.com_5499362b1fb35e73118b45ad",
        "event_type": event_type,
        "ts": format!("2016-01-18T08:17:{n:02}+00:00"),
        "retry_count": 0,
        "payload": payload,
    })
}

fn headers(authorization: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if let Some(value) = authorization {
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_str(value).expect("a header value"),
        );
    }
    headers
}

/// Parses `body` with the adapter (no request is made: no server is needed, but the adapter
/// points at one that would count any).
async fn parse(body: &[u8], authorization: Option<&str>) -> Result<Vec<OrderEvent>, Error> {
    let server = MockServer::start_async().await;
    let anything = anything(&server);
    let result = adapter(&server).parse_webhook(&headers(authorization), body);
    assert_eq!(anything.calls_async().await, 0, "a webhook sends nothing");
    result
}

/// A batch of every kind of event: the two order events (from the spec's payload examples,
/// one per documented order status), a product event (the spec's webhook example, verbatim)
/// and an inbound shipment event.
fn good_batch() -> Value {
    let mut events = Vec::new();
    let info = schema_example("OrderEventPayload");
    for (n, status) in [
        "passive",
        "confirmed",
        "waiting_products",
        "cancelled",
        "deleted",
    ]
    .into_iter()
    .enumerate()
    {
        let mut payload = info.clone();
        payload["order"]["status"] = json!(status);
        events.push(event(n, "order.info.change", payload));
    }
    events.push(event(
        5,
        "order.shipped",
        schema_example("OrderShippedPayload"),
    ));
    events.push(schema_example("WebhookEvent"));
    events.push(event(
        7,
        "inbound_shipment.arrived_at_warehouse",
        schema_example("InboundShipmentEventPayload"),
    ));
    Value::Array(events)
}

#[tokio::test]
async fn webhook_good_batch_becomes_one_order_event_per_event() {
    let batch = good_batch();
    let body = batch.to_string();
    let events = parse(body.as_bytes(), Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect("verified and read");
    assert_eq!(events.len(), 8);

    let statuses = [
        ("passive", OrderStatus::PendingConfirmation),
        ("confirmed", OrderStatus::Confirmed),
        ("waiting_products", OrderStatus::OnHold),
        ("cancelled", OrderStatus::Cancelled),
        ("deleted", OrderStatus::Cancelled),
    ];
    for (n, (raw, status)) in statuses.into_iter().enumerate() {
        let event = &events[n];
        assert_eq!(event.provider, ProviderName::Logitrail);
        assert_eq!(event.event_id, format!("2016-01-18T08:17:55_{n:024x}"));
        assert_eq!(event.event_type, "order.info.change");
        assert_eq!(event.order_id.as_deref(), Some(ORDER_ID));
        assert_eq!(event.status, status, "{raw}");
        assert_eq!(event.provider_status.as_deref(), Some(raw));
        assert_eq!(
            event.tracking_number.as_deref(),
            Some("EXAMPLETRACKINGCODE")
        );
        assert_eq!(
            event.occurred_at.as_deref(),
            Some(format!("2016-01-18T08:17:{n:02}+00:00").as_str())
        );
        assert_eq!(event.raw(), &batch[n], "the event as received");
    }

    let shipped = &events[5];
    assert_eq!(shipped.event_type, "order.shipped");
    assert_eq!(shipped.order_id.as_deref(), Some(ORDER_ID));
    assert_eq!(shipped.status, OrderStatus::Shipped);
    assert_eq!(shipped.provider_status.as_deref(), Some("processed"));
    assert_eq!(
        shipped.tracking_number.as_deref(),
        Some("EXAMPLETRACKINGCODE")
    );

    // Not about an order: kept, with no order and no status.
    let product = &events[6];
    assert_eq!(
        product.event_id,
        "2016-01-18T08:17:55_5499362b1fb35e73548b45af"
    );
    assert_eq!(product.event_type, "product.info.updated");
    assert_eq!(product.order_id, None);
    assert_eq!(product.status, OrderStatus::Unknown);
    assert_eq!(product.provider_status, None);
    assert_eq!(product.tracking_number, None);
    assert_eq!(
        product.occurred_at.as_deref(),
        Some("2016-01-18T08:17:55+00:00")
    );
    assert_eq!(product.raw(), &schema_example("WebhookEvent"));
    let inbound = &events[7];
    assert_eq!(inbound.event_type, "inbound_shipment.arrived_at_warehouse");
    assert_eq!(inbound.order_id, None);
    assert_eq!(inbound.status, OrderStatus::Unknown);
}

/// A shipped order without the customer's tracking code: the carrier's code is the tracking
/// number.
#[tokio::test]
async fn webhook_shipped_without_tracking_code_uses_the_carriers() {
    let mut payload = schema_example("OrderShippedPayload");
    payload["order"]
        .as_object_mut()
        .expect("an order")
        .remove("tracking_code");
    let body = event(1, "order.shipped", payload).to_string();
    let events = parse(body.as_bytes(), Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect("read");
    assert_eq!(events.len(), 1, "one event, not in an array");
    assert_eq!(
        events[0].tracking_number.as_deref(),
        Some("JJFI64290010000012345")
    );
}

/// A status Logitrail does not document yet: kept verbatim, normalized to `unknown`.
#[tokio::test]
async fn webhook_undocumented_status_is_unknown_and_kept() {
    let mut payload = schema_example("OrderEventPayload");
    payload["order"]["status"] = json!("returned");
    let body = json!([event(1, "order.info.change", payload)]).to_string();
    let events = parse(body.as_bytes(), Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect("read");
    assert_eq!(events[0].status, OrderStatus::Unknown);
    assert_eq!(events[0].provider_status.as_deref(), Some("returned"));
}

/// Every way the credentials can be wrong: `unauthorized`, and the body is never read (a
/// body that is not even JSON gives the same answer).
#[tokio::test]
async fn webhook_without_the_right_credentials_is_refused_before_reading() {
    let good = good_batch().to_string();
    let cases = [
        (
            "wrong password",
            Some("Basic bG9naXRyYWlsLXdlYmhvb2s6d3Jvbmcta2V5"),
        ),
        ("wrong user", Some("Basic c29tZW9uZTp3ZWJob29rLWtleS0zYjdl")),
        ("missing", None),
        (
            "not Basic",
            Some("Bearer bG9naXRyYWlsLXdlYmhvb2s6d2ViaG9vay1rZXktM2I3ZQ=="),
        ),
        ("not base64", Some("Basic !!!not-base64!!!")),
        ("no colon", Some("Basic bG9naXRyYWlsLXdlYmhvb2s=")),
        ("empty", Some("Basic ")),
        (
            "the merchant's API credentials",
            Some(LOGITRAIL_AUTHORIZATION),
        ),
    ];
    let server = MockServer::start_async().await;
    let anything = anything(&server);
    let adapter = adapter(&server);
    for (label, authorization) in cases {
        for body in [good.as_bytes(), b"not json at all".as_slice()] {
            let error = adapter
                .parse_webhook(&headers(authorization), body)
                .expect_err(label);
            assert_eq!(error.kind, ErrorKind::Unauthorized, "{label}: {error}");
            assert_eq!(error.operation, Operation::ParseWebhook, "{label}");
            assert_eq!(error.phase, Phase::NotSent, "{label}");
            assert!(!error.message.contains(WEBHOOK_PASSWORD), "{label}");
            assert!(!error.to_string().contains(WEBHOOK_PASSWORD), "{label}");
        }
    }
    assert_eq!(anything.calls_async().await, 0, "a webhook sends nothing");
}

#[tokio::test]
async fn webhook_not_configured_is_invalid_input() {
    let server = MockServer::start_async().await;
    let adapter = LogitrailAdapter::builder()
        .merchant_id(LOGITRAIL_MERCHANT)
        .secret(LOGITRAIL_SECRET)
        .base_url(server.base_url())
        .build()
        .expect("builds without webhook credentials");
    let body = good_batch().to_string();
    let error = adapter
        .parse_webhook(&headers(Some(WEBHOOK_AUTHORIZATION)), body.as_bytes())
        .expect_err("not configured");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert_eq!(error.phase, Phase::NotSent);
    assert!(
        error.message.contains("LOGITRAIL_WEBHOOK_USERNAME"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("LOGITRAIL_WEBHOOK_PASSWORD"),
        "{}",
        error.message
    );
}

/// One of the two webhook settings alone is refused when the adapter is built.
#[test]
fn webhook_username_or_password_alone_is_refused_at_build() {
    let base = || {
        LogitrailAdapter::builder()
            .merchant_id(LOGITRAIL_MERCHANT)
            .secret(LOGITRAIL_SECRET)
            .base_url("http://127.0.0.1:9")
    };
    let cases = [
        (
            "LOGITRAIL_WEBHOOK_PASSWORD",
            base().webhook_username(WEBHOOK_USERNAME),
        ),
        (
            "LOGITRAIL_WEBHOOK_USERNAME",
            base().webhook_password(WEBHOOK_PASSWORD),
        ),
    ];
    for (missing, builder) in cases {
        let error = builder.build().expect_err(missing);
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{missing}");
        assert_eq!(error.operation, Operation::Configure, "{missing}");
        assert!(error.message.contains(missing), "{}", error.message);
        assert!(!error.message.contains(WEBHOOK_PASSWORD), "{missing}");
    }
    let error = base()
        .webhook_username(WEBHOOK_USERNAME)
        .webhook_password("")
        .build()
        .expect_err("an empty webhook key");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    // By name, as from the environment.
    let adapter = LogitrailAdapter::from_options([
        ("LOGITRAIL_MERCHANT_ID", LOGITRAIL_MERCHANT),
        ("LOGITRAIL_SECRET", LOGITRAIL_SECRET),
        ("LOGITRAIL_BASE_URL", "http://127.0.0.1:9"),
        ("LOGITRAIL_WEBHOOK_USERNAME", WEBHOOK_USERNAME),
        ("LOGITRAIL_WEBHOOK_PASSWORD", WEBHOOK_PASSWORD),
    ])
    .expect("both set");
    let body = good_batch().to_string();
    assert_eq!(
        adapter
            .parse_webhook(&headers(Some(WEBHOOK_AUTHORIZATION)), body.as_bytes())
            .expect("configured from the variables")
            .len(),
        8
    );
    assert!(!format!("{adapter:?}").contains(WEBHOOK_PASSWORD));
}

/// Logitrail sends at most 100 events in one call: 100 are read, 101 are refused whole.
#[tokio::test]
async fn webhook_batch_over_100_events_is_refused_whole() {
    let payload = schema_example("OrderEventPayload");
    let batch = |count: usize| {
        Value::Array(
            (0..count)
                .map(|n| event(n, "order.info.change", payload.clone()))
                .collect(),
        )
        .to_string()
    };
    let events = parse(batch(100).as_bytes(), Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect("100 events");
    assert_eq!(events.len(), 100);
    let error = parse(batch(101).as_bytes(), Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect_err("101 events");
    assert_eq!(error.kind, ErrorKind::Decode);
    assert!(error.message.contains("101"), "{}", error.message);
}

/// One bad event does not lose the others: an event whose payload is not its type's comes
/// back `unknown` with its id; an item that is not an event is left out.
#[tokio::test]
async fn webhook_one_bad_event_in_a_batch_keeps_the_others() {
    let good = schema_example("OrderEventPayload");
    let mismatched = json!({"order": {"status": "confirmed"}});
    let batch = json!([
        event(0, "order.info.change", good.clone()),
        event(1, "order.info.change", mismatched),
        {"event_type": "order.info.change", "payload": good.clone()},
        42,
        event(4, "order.shipped", schema_example("OrderShippedPayload")),
    ]);
    let events = parse(batch.to_string().as_bytes(), Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect("read");
    let ids: Vec<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "2016-01-18T08:17:55_000000000000000000000000",
            "2016-01-18T08:17:55_000000000000000000000001",
            "2016-01-18T08:17:55_000000000000000000000004",
        ]
    );
    assert_eq!(events[0].status, OrderStatus::Confirmed);
    let bad = &events[1];
    assert_eq!(bad.event_type, "order.info.change");
    assert_eq!(bad.status, OrderStatus::Unknown);
    assert_eq!(bad.order_id, None);
    assert_eq!(
        bad.occurred_at.as_deref(),
        Some("2016-01-18T08:17:01+00:00")
    );
    assert_eq!(bad.raw(), &batch[1], "the event as received");
    assert_eq!(events[2].status, OrderStatus::Shipped);
}

/// A verified body with nothing that is an event, or that is not JSON: `decode`.
#[tokio::test]
async fn webhook_verified_body_without_events_is_undecodable() {
    for body in [
        "not json".to_owned(),
        "42".to_owned(),
        json!([1, {"payload": {}}]).to_string(),
    ] {
        let error = parse(body.as_bytes(), Some(WEBHOOK_AUTHORIZATION))
            .await
            .expect_err(&body);
        assert_eq!(error.kind, ErrorKind::Decode, "{body}: {error}");
        assert_eq!(error.operation, Operation::ParseWebhook);
    }
    let none = parse(b"[]", Some(WEBHOOK_AUTHORIZATION))
        .await
        .expect("an empty batch");
    assert!(none.is_empty());
}

#[test]
fn logitrail_answers_its_webhooks_with_http_200() {
    let ack = ordergate::Provider::webhook_ack(ProviderName::Logitrail).expect("compiled in");
    assert_eq!((ack.status, ack.body), (200, ""));
}
