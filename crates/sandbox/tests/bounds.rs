//! What the sandbox bounds, over loopback through the typed clients: the stores (by count and
//! by bytes, the oldest finished orders forgotten first), the size of what a client may store
//! and so of every answer, and the shared clock (capped, refused past its limit with HTTP 400,
//! timestamps still RFC 3339). Also each fake's one request check and its fallbacks in the
//! provider's own error shape, and the per-provider `/_sandbox` controls.

mod common;
use common::{http, send};

use ordergate_fuuffy::{Client, ClientConfig, Credentials, Error, types};
use ordergate_sandbox::fuuffy::{MAX_CLIENT_REMARKS_BYTES, TOKEN};
use ordergate_sandbox::{CLOCK_LIMIT, Sandbox, SandboxError, SandboxOptions};
use serde_json::{Value, json};

fn client(sandbox: &Sandbox) -> Client {
    Client::connect(
        sandbox.base_url("fuuffy").as_str(),
        Credentials::access_token(TOKEN.to_owned()),
        &ClientConfig::default(),
    )
    .expect("a loopback base URL")
}

fn create_body(remarks: Option<String>) -> types::CreateOrderRequest {
    let mut value = common::request_example("fuuffy", "create_order", "local_field_examples");
    if let Some(remarks) = remarks {
        value["client_remarks"] = Value::String(remarks);
    }
    serde_json::from_value(value).expect("a valid create request")
}

async fn create(api: &Client, remarks: Option<String>) -> String {
    api.create_order()
        .body(create_body(remarks))
        .send()
        .await
        .expect("created")
        .into_inner()
        .data
        .order_id
        .expect("an id")
}

#[tokio::test]
async fn the_store_is_bounded_by_count_and_forgets_finished_orders_first() {
    let options = SandboxOptions::default().max_records(20);
    let sandbox = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    let api = client(&sandbox);
    // 14 seeded orders, three of them finished (DELIVERED, COMPLETED, CANCELLED).
    assert_eq!(sandbox.stored_orders("fuuffy").expect("played").records, 14);
    let mut created = Vec::new();
    for _ in 0..9 {
        created.push(create(&api, None).await);
    }
    let usage = sandbox.stored_orders("fuuffy").expect("played");
    assert_eq!(usage.records, 20);
    for finished in ["3550880", "3550881", "3550882"] {
        assert_eq!(sandbox.order_status("fuuffy", finished), None, "{finished}");
    }
    assert_eq!(
        sandbox.order_status("fuuffy", "3550609").as_deref(),
        Some("PENDING_CONFIRM"),
        "unfinished orders stay while finished ones can go"
    );
    // Then the oldest: the first seeded ones.
    create(&api, None).await;
    assert_eq!(sandbox.order_status("fuuffy", "3550609"), None);
    assert_eq!(sandbox.stored_orders("fuuffy").expect("played").records, 20);
    // Ids keep counting up, never reused after an eviction.
    let newest = create(&api, None).await;
    let last: u64 = created.last().expect("created").parse().expect("numeric");
    assert_eq!(newest.parse::<u64>().expect("numeric"), last + 2);
}

#[tokio::test]
async fn the_store_is_bounded_by_bytes() {
    let options = SandboxOptions::default().max_stored_bytes(64 * 1024);
    let sandbox = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    let api = client(&sandbox);
    for _ in 0..5 {
        create(&api, Some("r".repeat(20 * 1024))).await;
    }
    let usage = sandbox.stored_orders("fuuffy").expect("played");
    assert!(usage.bytes <= 64 * 1024, "{usage:?}");
    assert!(usage.records < 14 + 5, "{usage:?}");
    // An order heavier than the whole bound is refused, in Fuuffy's error shape.
    let tight = ordergate_sandbox::start_with(SandboxOptions::default().max_stored_bytes(4096))
        .await
        .expect("starts");
    let refused = client(&tight)
        .create_order()
        .body(create_body(Some("r".repeat(8 * 1024))))
        .send()
        .await;
    match refused {
        Err(Error::ErrorResponse(error)) => {
            assert_eq!(error.status().as_u16(), 400);
            assert_eq!(error.into_inner().error.code, "400000");
        }
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[tokio::test]
async fn no_answer_exceeds_what_a_client_accepts() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    // A 1 MB `client_remarks` is refused, naming the field.
    let refused = api
        .create_order()
        .body(create_body(Some("x".repeat(1_000_000))))
        .send()
        .await;
    match refused {
        Err(Error::ErrorResponse(error)) => {
            let body = error.into_inner();
            let trace = body.error.error_trace.expect("a trace");
            assert!(trace.get("client_remarks").is_some(), "{trace:?}");
        }
        other => panic!("expected a 400, got {other:?}"),
    }
    // The longest remarks accepted, escapes included (each control character is six bytes
    // of JSON), on a full page of 100 orders: the page stays within the SDK's default cap.
    let longest = "\u{1}".repeat((MAX_CLIENT_REMARKS_BYTES - 2) / 6);
    for _ in 0..100 {
        create(&api, Some(longest.clone())).await;
    }
    let cap = ClientConfig::default().max_response_bytes;
    let url = format!("{}/v1/order/list?limit=100", sandbox.base_url("fuuffy"));
    let page = http()
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("a body");
    assert!(page.len() as u64 <= cap, "{} bytes", page.len());
    assert!(
        page.len() > 100 * (MAX_CLIENT_REMARKS_BYTES - 6),
        "the page is full"
    );
    // And the typed client, with its default cap, reads it.
    let listed = api
        .list_orders()
        .limit(100)
        .send()
        .await
        .expect("a page within the cap")
        .into_inner();
    assert_eq!(listed.data.order_list().len(), 100);
}

#[tokio::test]
async fn the_clock_stops_at_its_limit_and_timestamps_stay_rfc_3339() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let url = format!("{}/_sandbox/advance", sandbox.url());
    let http = http();
    // About 3.7 million advances of 100 steps, in large steps over HTTP: the ones that
    // would pass the limit are refused with 400 and move nothing.
    let mut refused = 0;
    for _ in 0..37 {
        let (status, body) = send(http.post(&url).json(&json!({"steps": 10_000_000}))).await;
        match status {
            200 => assert!(body["clock"].as_str().is_some_and(|c| c < CLOCK_LIMIT)),
            400 => {
                refused += 1;
                assert!(
                    body["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(CLOCK_LIMIT)),
                    "{body}"
                );
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert!(refused > 0);
    for steps in [json!(u64::MAX), json!(u32::MAX), json!(i64::MAX)] {
        let (status, body) = send(http.post(&url).json(&json!({"steps": steps}))).await;
        assert_eq!(status, 400, "{steps}: {body}");
    }
    assert!(matches!(
        sandbox.advance(u64::MAX),
        Err(SandboxError::ClockLimit { .. })
    ));
    // As close to the limit as whole steps go.
    let mut steps = 1u64 << 40;
    while steps > 0 {
        if sandbox.advance(steps).is_err() {
            steps /= 2;
        }
    }
    // Creates still work, dated within year 9999 and RFC 3339.
    let created = api
        .create_order()
        .body(create_body(None))
        .send()
        .await
        .expect("created")
        .into_inner()
        .data;
    let time = created.create_time.expect("a create time");
    let parsed = chrono::DateTime::parse_from_rfc3339(&time).expect("RFC 3339");
    assert!(time.starts_with("9999-12-3"), "{time}");
    assert!(time.ends_with("+08:00"), "{time}");
    assert!(parsed.timestamp() <= 253_402_214_399, "{time}");
    // Not one step more, and never a panic.
    let (status, _) = send(http.post(&url).json(&json!({"steps": 1}))).await;
    assert_eq!(status, 400);
    let listed = api.list_orders().send().await.expect("a page").into_inner();
    assert!(!listed.data.order_list().is_empty());
}

#[tokio::test]
async fn each_fake_refuses_and_falls_back_in_its_providers_error_shape() {
    let sandbox = common::start().await;
    let http = http();
    let root = sandbox.url();
    // (method, path, expected status, a JSON pointer and value the provider's shape has)
    let cases: [(&str, String, u16, &str, Value); 8] = [
        (
            "GET",
            "/fuuffy/v1/nowhere".into(),
            404,
            "/error/code",
            json!("404000"),
        ),
        (
            "DELETE",
            "/fuuffy/v1/order".into(),
            405,
            "/error/code",
            json!("405000"),
        ),
        (
            "GET",
            "/fuuffy/v1/order?id=3550609".into(),
            401,
            "/error/code",
            json!("401000"),
        ),
        (
            "GET",
            "/logitrail/2015-01-01/nowhere".into(),
            404,
            "/code",
            json!("unknown"),
        ),
        (
            "PUT",
            "/onemg/api/v4/merchants/m/orders/PO1/nowhere".into(),
            404,
            "/is_success",
            json!(false),
        ),
        (
            "GET",
            "/onemg/api/v4/merchants/m/orders/PO1/confirm".into(),
            405,
            "/is_success",
            json!(false),
        ),
        (
            "GET",
            "/fastpod/v2/nowhere".into(),
            404,
            "/status",
            json!(false),
        ),
        (
            "DELETE",
            "/fastpod/v1/orders/F1".into(),
            405,
            "/status",
            json!(false),
        ),
    ];
    for (method, path, status, pointer, value) in cases {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let (got, body) = send(http.request(method.clone(), format!("{root}{path}"))).await;
        assert_eq!(got, status, "{method} {path}: {body}");
        assert_eq!(
            body.pointer(pointer),
            Some(&value),
            "{method} {path}: {body}"
        );
    }
    // The request check runs before the handler: a refused request changes nothing.
    let (status, _) = send(
        http.put(format!(
            "{root}/fastpod/v1/orders/F237-120723-000001/status"
        ))
        .header("accept", "application/json")
        .json(&json!({"order_status": "new_order"})),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        sandbox
            .order_status("fastpod", "F237-120723-000001")
            .as_deref(),
        Some("draft")
    );
}

#[tokio::test]
async fn each_provider_has_its_own_controls() {
    let sandbox = common::start().await;
    let http = http();
    let url = |provider: &str| format!("{}/_sandbox/orders", sandbox.base_url(provider));
    let (status, body) = send(
        http.post(url("logitrail"))
            .json(&json!({"order_id": "5c8a1d5b00000000000000aa", "status": "passive"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        sandbox
            .confirmable_orders("logitrail")
            .contains(&"5c8a1d5b00000000000000aa".to_owned())
    );
    for bad in [
        json!({"order_id": "x", "status": "passive"}),
        json!({"order_id": "5c8a1d5b00000000000000ab", "status": "PASSIVE"}),
        json!(["5c8a1d5b00000000000000ab", "passive"]),
    ] {
        let (status, body) = send(http.post(url("logitrail")).json(&bad)).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["message"].is_string(), "{body}");
    }
    let (status, _) = send(
        http.post(url("fuuffy"))
            .json(&json!({"order_id": "42", "status": "DELIVERED"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        sandbox.order_status("fuuffy", "42").as_deref(),
        Some("DELIVERED")
    );
}
