//! The Fuuffy fake through the generated `ordergate_fuuffy::Client` over loopback: expiring
//! tokens, create (local and international) and rates, the courier flow on the sandbox clock
//! with tracking, list filters, states and cities, and signed webhooks. Raw HTTP only for
//! what the typed client cannot send (bodies the spec forbids).

mod common;
use common::{http, send};

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ordergate_fuuffy::webhook::WebhookSecret;
use ordergate_fuuffy::{Client, ClientConfig, Credentials, Error, types};
use ordergate_sandbox::fuuffy::{CLIENT_ID, CLIENT_SECRET, FuuffyOptions, TOKEN};
use ordergate_sandbox::{MovedOrder, Sandbox, SandboxOptions};
use serde_json::{Value, json};

fn client(sandbox: &Sandbox, token: &str) -> Client {
    Client::connect(
        sandbox.base_url("fuuffy").as_str(),
        Credentials::access_token(token.to_owned()),
        &ClientConfig::default(),
    )
    .expect("a loopback base URL is accepted")
}

/// Sends `request` (with the sandbox token) and asserts the documented validation answer:
/// HTTP 400, code `400000` `BAD_REQUEST`, and an `error_trace` naming `field`.
async fn assert_refused(request: reqwest::RequestBuilder, field: &str) {
    let (status, answer) = send(request.bearer_auth(TOKEN)).await;
    assert_eq!(status, 400, "{field}: {answer}");
    assert_eq!(answer["error"]["code"], "400000", "{field}: {answer}");
    assert_eq!(
        answer["error"]["code_reason"], "BAD_REQUEST",
        "{field}: {answer}"
    );
    assert!(
        answer["error"]["error_trace"][field].is_string(),
        "{field}: {answer}"
    );
}

/// The status and typed body of an error the typed client got.
fn api_error<T: std::fmt::Debug>(
    result: Result<T, Error<types::ErrorResponse>>,
) -> (u16, types::ErrorResponse) {
    match result {
        Err(Error::ErrorResponse(error)) => (error.status().as_u16(), error.into_inner()),
        other => panic!("expected an error response, got {other:?}"),
    }
}

/// The request example `name` of `create_order` in `specs/fuuffy.yaml`.
fn create_example(name: &str) -> Value {
    common::request_example("fuuffy", "create_order", name)
}

fn create_request(value: Value) -> types::CreateOrderRequest {
    serde_json::from_value(value).expect("a valid create request")
}

/// The Fuuffy orders among `moved`.
fn fuuffy_ids(moved: &[MovedOrder]) -> Vec<&str> {
    moved
        .iter()
        .filter(|m| m.provider == "fuuffy")
        .map(|m| m.order_id.as_str())
        .collect()
}

async fn issue_token(client: &Client) -> types::TokenData {
    client
        .create_access_token()
        .body(
            types::TokenRequest::builder()
                .grant_type(types::GrantType::ClientCredentials)
                .client_id(CLIENT_ID.to_owned())
                .client_secret(CLIENT_SECRET),
        )
        .send()
        .await
        .expect("a token")
        .into_inner()
        .data
}

#[tokio::test]
async fn issued_tokens_expire_and_a_new_one_works() {
    let options = SandboxOptions::default()
        .fuuffy(FuuffyOptions::default().token_lifetime(Duration::from_secs(1)));
    let sandbox = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    let anonymous = client(&sandbox, "unused");
    let issued = issue_token(&anonymous).await;
    assert_eq!(issued.expires_in, Some(1));
    assert_eq!(issued.token_type.as_deref(), Some("Bearer"));
    let token = issued.access_token.expose().to_owned();
    assert!(token.starts_with("sk-") && token.len() == 35, "{token}");
    assert_ne!(token, TOKEN);

    let with_token = client(&sandbox, &token);
    let order = with_token
        .get_order()
        .id("3550875")
        .send()
        .await
        .expect("valid");
    assert_eq!(order.data.order_id, "3550875");

    tokio::time::sleep(Duration::from_millis(1300)).await;
    let (status, body) = api_error(with_token.get_order().id("3550875").send().await);
    assert_eq!(status, 401);
    assert_eq!(
        serde_json::to_value(&body).expect("json"),
        json!({"error": {"code": "invalid_token", "message": "The access token expired", "details": "Please request a new access token"}})
    );
    // Every auth-checked route says the same.
    let (status, body) = api_error(
        with_token
            .list_states_and_cities()
            .country("HK")
            .send()
            .await,
    );
    assert_eq!((status, body.error.code.as_str()), (401, "invalid_token"));

    let renewed = issue_token(&anonymous)
        .await
        .access_token
        .expose()
        .to_owned();
    assert_ne!(renewed, token);
    assert!(
        client(&sandbox, &renewed)
            .get_order()
            .id("3550875")
            .send()
            .await
            .is_ok()
    );

    // The fixed token never expires; an unknown one is 401000; a wrong client is refused.
    assert!(
        client(&sandbox, TOKEN)
            .get_order()
            .id("3550875")
            .send()
            .await
            .is_ok()
    );
    let (status, body) = api_error(
        client(&sandbox, "sk-unknown")
            .get_order()
            .id("3550875")
            .send()
            .await,
    );
    assert_eq!((status, body.error.code.as_str()), (401, "401000"));
    let (status, body) = api_error(
        anonymous
            .create_access_token()
            .body(
                types::TokenRequest::builder()
                    .grant_type(types::GrantType::ClientCredentials)
                    .client_id(CLIENT_ID.to_owned())
                    .client_secret("wrong"),
            )
            .send()
            .await,
    );
    assert_eq!((status, body.error.code.as_str()), (401, "invalid_client"));

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn create_local_and_international_orders_with_quotes() {
    let sandbox = common::start().await;
    let api = client(&sandbox, TOKEN);

    let local = api
        .create_order()
        .body(create_request(create_example("local_field_examples")))
        .send()
        .await
        .expect("created")
        .into_inner()
        .data;
    assert_eq!(local.order_status, Some(types::OrderStatus::PendingConfirm));
    assert_eq!(local.ship_type, Some(types::ShipType::Local));
    assert_eq!(local.quote_price.as_deref(), Some("28.50"));
    assert_eq!(local.message.as_deref(), Some("OK"));
    assert!(
        local
            .create_time
            .as_deref()
            .is_some_and(|t| t.ends_with("+08:00"))
    );
    let local_id = local.order_id.expect("an id");
    assert!(local_id.parse::<u64>().expect("numeric") > 3_550_884);

    let intl = api
        .create_order()
        .body(create_request(create_example(
            "international_field_examples",
        )))
        .send()
        .await
        .expect("created")
        .into_inner()
        .data;
    assert_eq!(intl.ship_type, Some(types::ShipType::Intl));
    assert_eq!(intl.quote_price.as_deref(), Some("168.00"));
    let intl_id = intl.order_id.expect("an id");
    assert!(intl_id.parse::<u64>().expect("numeric") > local_id.parse::<u64>().expect("numeric"));

    // Get Order returns what was sent.
    let order = api
        .get_order()
        .id(local_id.as_str())
        .send()
        .await
        .expect("found")
        .into_inner()
        .data;
    assert_eq!(order.status, types::OrderStatus::PendingConfirm);
    assert_eq!(order.confirm_shipment, Some(types::ConfirmShipment::N));
    assert_eq!(order.tracking_number, None);
    assert_eq!(
        order.shipping_provider.as_deref(),
        Some("sf_expresshk_local")
    );
    let recipient = order.recipient.expect("a recipient");
    assert_eq!(recipient.name.as_deref(), Some("小編姐姐"));
    assert_eq!(
        recipient.address.as_deref(),
        Some("香港九龍牛頭角創業街9號2211室")
    );
    let detail = order.shipment_detail.expect("a shipment");
    assert_eq!(detail.consignment_declaration.as_deref(), Some("Toys"));
    assert_eq!(detail.parcel_list()[0].act_weight.as_deref(), Some("0.5"));
    let intl_order = api
        .get_order()
        .id(intl_id.as_str())
        .send()
        .await
        .expect("found")
        .into_inner()
        .data;
    let sender = intl_order.sender.expect("a sender");
    assert_eq!(
        sender.address.as_deref(),
        Some("Unit 12, 3/F, ABC Building, Kwun Tong, Near MTR Station, Hong Kong, KLN, 999077, DE")
    );

    // A created order confirms.
    assert!(sandbox.confirmable_orders("fuuffy").contains(&local_id));
    let confirmed = api
        .confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id(local_id.clone()))
        .send()
        .await
        .expect("confirmed")
        .into_inner();
    let confirmed = &confirmed.data.confirmed_orders()[0];
    assert_eq!(confirmed.order_status, types::OrderStatus::ReadyToShip);
    assert_eq!(confirmed.quote_price.as_deref(), Some("28.50"));
    assert!(
        confirmed
            .tracking_number
            .as_deref()
            .is_some_and(|t| t.starts_with("SF"))
    );

    // Bodies the spec forbids: raw HTTP, each answered 400 naming the field.
    let http = http();
    let url = format!("{}/v1/order/create", sandbox.base_url("fuuffy"));
    let intl_body = create_example("international_field_examples");
    let mut no_email = intl_body.clone();
    no_email["sender"]
        .as_object_mut()
        .expect("object")
        .remove("email");
    let mut long_address = intl_body.clone();
    long_address["recipient"]["address"] = json!("x".repeat(30));
    let mut no_parcels = create_example("local_field_examples");
    no_parcels["shipment_detail"]["parcel_list"] = json!([]);
    let mut unknown_provider = create_example("local_field_examples");
    unknown_provider["shipping_provider"] = json!("fedex_ip_export");
    let mut heavy = create_example("local_field_examples");
    heavy["shipment_detail"]["parcel_list"][0]["act_weight"] = json!("0");
    let mut no_ship_type = create_example("local_field_examples");
    no_ship_type
        .as_object_mut()
        .expect("object")
        .remove("ship_type");
    for (body, field) in [
        (no_email, "sender.email"),
        (long_address, "recipient.address"),
        (no_parcels, "shipment_detail.parcel_list"),
        (unknown_provider, "shipping_provider"),
        (heavy, "shipment_detail.parcel_list[0].act_weight"),
        (no_ship_type, "ship_type"),
        (json!("not an object"), "ship_type"),
    ] {
        assert_refused(http.post(&url).json(&body), field).await;
    }
    let (status, answer) = send(http.post(&url).bearer_auth(TOKEN).body("{")).await;
    assert_eq!(
        (status, answer["error"]["error_trace"]["body"].is_string()),
        (400, true)
    );

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn rates_come_from_the_rates_table() {
    let sandbox = common::start().await;
    let api = client(&sandbox, TOKEN);
    let request = |ship_type: Option<types::ShipType>, weight: &str| types::RatesRequest {
        ship_type,
        sender: types::RatesSender {
            country: "Hong Kong".try_into().expect("a country"),
        },
        recipient: types::RatesRecipient {
            country: "Singapore".try_into().expect("a country"),
            postal_code: None,
        },
        shipment_detail: types::RatesShipmentDetail {
            package_type: types::RatesPackageType::Parcel,
            currency: None,
            parcel_list: vec![types::RatesParcel {
                act_weight: weight.try_into().expect("a weight"),
                quantity: Some("2".to_owned()),
                length: None,
                width: None,
                height: None,
            }],
        },
    };
    let intl = api
        .get_rates()
        .body(request(Some(types::ShipType::Intl), "1"))
        .send()
        .await
        .expect("rates")
        .into_inner();
    let prices: Vec<(&str, &str)> = intl
        .data
        .rate_list()
        .iter()
        .map(|rate| {
            (
                rate.shipping_provider.as_deref().unwrap_or_default(),
                rate.quote_price.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    // 2 kg: the first kilogram and one more.
    assert_eq!(
        prices,
        [
            ("fedex_ip_export", "230.00"),
            ("dhl_express_export", "240.00")
        ]
    );
    let local = api
        .get_rates()
        .body(request(None, "0.5"))
        .send()
        .await
        .expect("rates")
        .into_inner();
    let rate = &local.data.rate_list()[0];
    assert_eq!(
        rate.shipping_provider.as_deref(),
        Some("sf_expresshk_local")
    );
    assert_eq!(rate.quote_price.as_deref(), Some("28.50"));
    assert_eq!(rate.currency.as_deref(), Some("HKD"));

    let (status, body) = api_error(api.get_rates().body(request(None, "heavy")).send().await);
    assert_eq!(status, 400);
    let trace = body.error.error_trace.expect("a trace");
    assert!(
        trace
            .get("shipment_detail.parcel_list[0].act_weight")
            .is_some(),
        "{trace:?}"
    );

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn a_created_order_is_confirmed_advanced_to_delivered_and_tracked() {
    let sandbox = common::start().await;
    let api = client(&sandbox, TOKEN);
    let id = api
        .create_order()
        .body(create_request(create_example(
            "international_field_examples",
        )))
        .send()
        .await
        .expect("created")
        .into_inner()
        .data
        .order_id
        .expect("an id");
    // Nothing to track yet.
    let before = api
        .get_tracking()
        .order_id(id.as_str())
        .send()
        .await
        .expect("tracking");
    assert!(before.data.tracking_msg_list().is_empty());
    assert_eq!(before.data.tracking_number, None);

    api.confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id(id.clone()))
        .send()
        .await
        .expect("confirmed");
    let expected = [
        "PENDING_PICKUP",
        "PICKUP_COMPLETED",
        "IN_TRANSIT",
        "DELIVERED",
    ];
    // Two steps from Rust, two over HTTP.
    let moved = sandbox.advance(1).expect("advanced");
    assert!(fuuffy_ids(&moved).contains(&id.as_str()), "{moved:?}");
    assert_eq!(
        sandbox.order_status("fuuffy", &id).as_deref(),
        Some(expected[0])
    );
    assert!(fuuffy_ids(&sandbox.advance(1).expect("advanced")).contains(&id.as_str()));
    let url = format!("{}/_sandbox/advance", sandbox.url());
    let http = http();
    let (status, body) = send(http.post(&url)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["moved"]
            .as_array()
            .expect("moved")
            .contains(&json!({"provider": "fuuffy", "order_id": id, "order_status": "IN_TRANSIT"}))
    );
    let (status, body) = send(http.post(&url).json(&json!({"steps": 1}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        sandbox.order_status("fuuffy", &id).as_deref(),
        Some("DELIVERED")
    );
    // The sandbox's own routes answer the sandbox's own error body.
    for bad in [
        json!({"steps": 0}),
        json!([1]),
        json!(1),
        json!({"steps": -1}),
        json!({"step": 1}),
    ] {
        let (status, body) = send(http.post(&url).json(&bad)).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["message"].is_string(), "{bad}: {body}");
    }
    // Advance is the sandbox's, not Fuuffy's: nothing under the provider's prefix.
    let (status, body) =
        send(http.post(format!("{}/_sandbox/advance", sandbox.base_url("fuuffy")))).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("404000"))
    );
    // Delivered is the end of the flow.
    assert!(!fuuffy_ids(&sandbox.advance(3).expect("advanced")).contains(&id.as_str()));

    let by_id = api
        .get_tracking()
        .order_id(id.as_str())
        .send()
        .await
        .expect("tracking")
        .into_inner();
    let number = by_id
        .data
        .tracking_number
        .clone()
        .expect("a tracking number");
    let by_number = api
        .get_tracking_by_number()
        .tracking_number(number.as_str())
        .send()
        .await
        .expect("tracking")
        .into_inner();
    assert_eq!(by_id, by_number);
    let tracking = by_id.data;
    assert_eq!(tracking.order_id.as_deref(), Some(id.as_str()));
    assert_eq!(tracking.order_status.as_deref(), Some("Delivered"));
    assert_eq!(tracking.courier_name.as_deref(), Some("FedEx"));
    // The page's sender country example is `DE` (the spec's example keeps it).
    assert_eq!(tracking.export_country.as_deref(), Some("DE"));
    assert_eq!(tracking.destination_country.as_deref(), Some("DE"));
    let messages = tracking.tracking_msg_list();
    assert_eq!(messages.len(), 4);
    let mut previous = String::new();
    for message in messages {
        let date = message.date.clone().expect("a date");
        assert!(
            chrono::NaiveDateTime::parse_from_str(&date, "%Y-%m-%d %H:%M:%S").is_ok(),
            "{date}"
        );
        assert!(date > previous, "{date} after {previous}");
        previous = date;
        assert!(message.code.is_some() && message.message.is_some() && message.location.is_some());
    }

    // Unknown order or number: ORDER_NOT_FOUND; a non-numeric id: BAD_REQUEST.
    let (status, body) = api_error(api.get_tracking().order_id("1").send().await);
    assert_eq!((status, body.error.code.as_str()), (400, "400201"));
    let (status, body) = api_error(
        api.get_tracking_by_number()
            .tracking_number("SF0")
            .send()
            .await,
    );
    assert_eq!((status, body.error.code.as_str()), (400, "400201"));
    let base = sandbox.base_url("fuuffy");
    assert_refused(http.get(format!("{base}/v1/tracking/get/abc")), "order_id").await;
    assert_refused(
        http.get(format!("{base}/v1/tracking/get")),
        "tracking_number",
    )
    .await;

    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn list_filters_sorts_and_pages() {
    let sandbox = common::start().await;
    let api = client(&sandbox, TOKEN);
    let mut created = Vec::new();
    for _ in 0..3 {
        let order = api
            .create_order()
            .body(create_request(create_example("local_field_examples")))
            .send()
            .await
            .expect("created")
            .into_inner()
            .data;
        created.push(order.order_id.expect("an id"));
        // A second apart, so that create_time orders them.
        tokio::time::sleep(Duration::from_millis(1050)).await;
    }
    let ids = |page: &types::OrderListResponse| -> Vec<String> {
        page.data
            .order_list()
            .iter()
            .map(|o| o.order_id.clone())
            .collect()
    };

    // Defaults: all statuses, create_time DESC, 20 per page: the created orders first, newest
    // first, then the 14 seeded ones (one creation time, so by id, descending).
    let all = api.list_orders().send().await.expect("a page").into_inner();
    let listed = ids(&all);
    assert_eq!(listed.len(), 17);
    assert_eq!(
        listed[..3],
        [created[2].clone(), created[1].clone(), created[0].clone()]
    );
    assert_eq!(listed[3], "3550884");
    assert_eq!(listed[16], "3550609");

    let pending = api
        .list_orders()
        .order_status(types::OrderStatusFilter::PendingConfirm)
        .sort_key(types::SortKey::OrderId)
        .sort_dir(types::SortDir::Asc)
        .send()
        .await
        .expect("a page")
        .into_inner();
    let mut expected: Vec<String> = ["3550609", "3550610", "3550611", "3550612"]
        .map(String::from)
        .to_vec();
    expected.extend(created.iter().cloned());
    assert_eq!(ids(&pending), expected);
    for order in pending.data.order_list() {
        assert_eq!(order.order_status, Some(types::OrderStatus::PendingConfirm));
    }

    // Pages of 5, by id ascending.
    let mut paged = Vec::new();
    for page in 1..=4 {
        let got = api
            .list_orders()
            .sort_key(types::SortKey::OrderId)
            .sort_dir(types::SortDir::Asc)
            .limit(std::num::NonZeroU8::new(5).expect("non-zero"))
            .page(std::num::NonZeroU32::new(page).expect("non-zero"))
            .send()
            .await
            .expect("a page")
            .into_inner();
        paged.extend(ids(&got));
    }
    assert_eq!(paged.len(), 17);
    assert_eq!(paged[0], "3550609");
    assert_eq!(paged[16], created[2]);

    // Dates: the seeded orders were created on 2025-12-09, the new ones today.
    let seeded_day = api
        .list_orders()
        .start_date("2025-12-09")
        .end_date("2025-12-09")
        .send()
        .await
        .expect("a page")
        .into_inner();
    assert_eq!(ids(&seeded_day).len(), 14);
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset"))
        .format("%Y-%m-%d")
        .to_string();
    let since_today = api
        .list_orders()
        .start_date(today.as_str())
        .send()
        .await
        .expect("a page")
        .into_inner();
    assert_eq!(ids(&since_today).len(), 3);
    let none = api
        .list_orders()
        .end_date("2000-01-01")
        .send()
        .await
        .expect("a page")
        .into_inner();
    assert!(ids(&none).is_empty());

    // Out of range: the typed client refuses it before sending (the spec's `maximum`); the
    // sandbox refuses it too (below, `limit=101` over raw HTTP).
    match api
        .list_orders()
        .limit(std::num::NonZeroU8::new(101).expect("non-zero"))
        .send()
        .await
    {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("at most 100"), "{message}")
        }
        other => panic!("expected a refusal before sending, got {other:?}"),
    }
    let (status, body) = api_error(api.list_orders().start_date("2025-13-01").send().await);
    assert_eq!((status, body.error.code.as_str()), (400, "400000"));
    assert!(
        body.error
            .error_trace
            .expect("a trace")
            .get("start_date")
            .is_some()
    );
    let http = http();
    let base = sandbox.base_url("fuuffy");
    for (query, field) in [
        ("page=0", "page"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("end_date=2025-1-1", "end_date"),
        ("order_status=NOPE", "order_status"),
        ("sort_key=price", "sort_key"),
        ("sort_dir=up", "sort_dir"),
    ] {
        assert_refused(http.get(format!("{base}/v1/order/list?{query}")), field).await;
    }

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn states_and_cities_from_the_countries_table() {
    let sandbox = common::start().await;
    let api = client(&sandbox, TOKEN);
    let hk = api
        .list_states_and_cities()
        .country("HK")
        .send()
        .await
        .expect("HK")
        .into_inner();
    let hk = serde_json::to_value(&hk).expect("json");
    let sample = json!([
        {"name": "Central and Western", "cities": [{"name": "Central"}, {"name": "Sheung Wan"}]},
        {"name": "Eastern District", "cities": [{"name": "North Point"}, {"name": "Quarry Bay"}]}
    ]);
    assert_eq!(hk["data"]["message"], "OK");
    let country = &hk["data"]["countries"][0];
    assert_eq!(
        (&country["code"], &country["name"]),
        (&json!("HK"), &json!("Hong Kong"))
    );
    assert_eq!(
        country["states"].as_array().expect("states")[..2],
        sample.as_array().expect("array")[..]
    );

    for (query, code) in [
        ("jp", "JP"),
        ("united kingdom", "GB"),
        ("Singapore", "SG"),
        ("cn", "CN"),
        ("US", "US"),
    ] {
        let found = api
            .list_states_and_cities()
            .country(query)
            .send()
            .await
            .expect("found")
            .into_inner();
        let countries = found.data.countries();
        assert_eq!(countries.len(), 1, "{query}");
        assert_eq!(countries[0].code.as_deref(), Some(code));
        assert!(!countries[0].states().is_empty() && !countries[0].states()[0].cities().is_empty());
    }
    let unknown = api
        .list_states_and_cities()
        .country("Atlantis")
        .send()
        .await
        .expect("empty")
        .into_inner();
    assert!(unknown.data.countries().is_empty());

    let http = http();
    let base = sandbox.base_url("fuuffy");
    for query in ["", "?country=", "?other=HK"] {
        let answer = send(
            http.get(format!("{base}/v1/country/list{query}"))
                .bearer_auth(TOKEN),
        )
        .await;
        assert_eq!(
            answer,
            (
                400,
                json!({"error": {"code": "400000", "code_reason": "BAD_REQUEST", "message": "country parameter is required"}})
            ),
            "{query}"
        );
    }

    common::validate_every_response(&sandbox, false);
}

/// What the test's webhook receiver got: the verified event names, and any refused delivery.
#[derive(Default)]
struct Received {
    events: Vec<types::WebhookEvent>,
    refused: Vec<String>,
}

/// A webhook receiver on loopback that verifies each delivery with `secret`.
async fn receiver(secret: &str) -> (String, Arc<Mutex<Received>>) {
    let secret = WebhookSecret::new(secret).expect("a secret");
    let received = Arc::new(Mutex::new(Received::default()));
    let state = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/hooks/fuuffy",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let secret = secret.clone();
                let state = Arc::clone(&state);
                async move {
                    let mut state = state.lock().expect("not poisoned");
                    match secret.verify_request(&headers, &body) {
                        Ok(event) => {
                            state.events.push(event);
                            (
                                axum::http::StatusCode::OK,
                                axum::Json(json!({"received": true})),
                            )
                        }
                        Err(error) => {
                            state.refused.push(error.to_string());
                            (
                                axum::http::StatusCode::UNAUTHORIZED,
                                axum::Json(json!({"received": false})),
                            )
                        }
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let url = format!(
        "http://{}/hooks/fuuffy",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// Waits until `sandbox` recorded `count` deliveries (at most 10 s).
async fn deliveries(sandbox: &Sandbox, count: usize) -> Vec<ordergate_sandbox::WebhookDelivery> {
    for _ in 0..200 {
        let found = sandbox.webhook_deliveries();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "expected {count} deliveries, got {:?}",
        sandbox.webhook_deliveries()
    );
}

#[tokio::test]
async fn webhooks_are_signed_and_sent_for_create_and_each_move() {
    let (url, received) = receiver("whsec-sandbox-test").await;
    let options = SandboxOptions::default()
        .fuuffy(FuuffyOptions::default().webhook(url.clone(), "whsec-sandbox-test"));
    let sandbox = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    let api = client(&sandbox, TOKEN);
    let id = api
        .create_order()
        .body(create_request(create_example("local_field_examples")))
        .send()
        .await
        .expect("created")
        .into_inner()
        .data
        .order_id
        .expect("an id");
    api.confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id(id.clone()))
        .send()
        .await
        .expect("confirmed");
    // Only the new order is in the flow: take the seeded ones out of it first.
    for seeded in ["3550875", "3550877", "3550878", "3550879"] {
        sandbox
            .seed_order("fuuffy", seeded, "COMPLETED")
            .expect("re-seeded");
    }
    sandbox.advance(4).expect("within the clock's limit");

    let sent = deliveries(&sandbox, 4).await;
    let events: Vec<&str> = sent.iter().map(|d| d.event.as_str()).collect();
    assert_eq!(
        events,
        [
            "order.created",
            "order.picked_up",
            "order.in_transit",
            "order.delivered"
        ]
    );
    for delivery in &sent {
        assert_eq!(delivery.status, Some(200), "{delivery:?}");
        assert_eq!(delivery.error, None);
        assert_eq!(delivery.order_id.as_deref(), Some(id.as_str()));
        assert_eq!(delivery.url, url);
        assert_eq!(delivery.provider, "fuuffy");
    }
    let received = received.lock().expect("not poisoned");
    assert!(received.refused.is_empty(), "{:?}", received.refused);
    let names: Vec<&str> = received.events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names, events);
    let delivered = received.events[3].data.as_ref().expect("data");
    assert_eq!(delivered.status.as_deref(), Some("delivered"));
    assert_eq!(delivered.order_id.as_deref(), Some(id.as_str()));
    assert!(
        delivered
            .tracking_number
            .as_deref()
            .is_some_and(|t| t.starts_with("SF"))
    );
    let created = received.events[0].data.as_ref().expect("data");
    assert_eq!(created.status.as_deref(), Some("pending_confirm"));
    assert_eq!(created.tracking_number, None);
}

#[tokio::test]
async fn a_failing_webhook_receiver_never_fails_the_api_call() {
    // A port nothing listens on (bound, then closed).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bound");
    let url = format!("http://{}/gone", listener.local_addr().expect("addr"));
    drop(listener);
    let options = SandboxOptions::default()
        .fuuffy(FuuffyOptions::default().webhook(url, "whsec-sandbox-test"));
    let sandbox = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    let created = client(&sandbox, TOKEN)
        .create_order()
        .body(create_request(create_example("local_field_examples")))
        .send()
        .await;
    assert!(created.is_ok(), "{created:?}");
    let sent = deliveries(&sandbox, 1).await;
    assert_eq!(sent[0].event, "order.created");
    assert_eq!(sent[0].status, None);
    assert!(sent[0].error.is_some());

    // Without a webhook configured, nothing is sent or recorded.
    let quiet = common::start().await;
    client(&quiet, TOKEN)
        .create_order()
        .body(create_request(create_example("local_field_examples")))
        .send()
        .await
        .expect("created");
    assert!(quiet.webhook_deliveries().is_empty());
}
