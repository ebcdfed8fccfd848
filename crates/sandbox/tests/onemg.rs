//! The Tata 1mg fake through the generated `ordergate_onemg::Client` over loopback: Create
//! Order (COD and ONLINE), Confirm Order with the payment checked at a merchant's transaction
//! status API (a small axum handler here), Cancel Order in every status, the numeric statuses
//! on the sandbox clock, the order-update webhook received by a loopback receiver, and the
//! bearer JWT checks. Raw HTTP only for what the typed client cannot send (forged tokens).
//! Every response is validated against `specs/onemg.yaml`.

mod common;
use common::{http, send};

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ordergate_onemg::{Client, Credentials, Error, types};
use ordergate_runtime::inbound::Rs256Signer;
use ordergate_sandbox::onemg::{
    ACCESS_KEY, MERCHANT_ID, OnemgOptions, SANDBOX_PRIVATE_KEY_PEM, TOKEN,
};
use ordergate_sandbox::{Sandbox, SandboxOptions};
use serde_json::{Value, json};

/// ANOTHER PUBLIC TEST KEY, for these tests alone: a 2048-bit RSA key made with
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`, standing for a merchant key
/// the sandbox was not configured with. It protects nothing.
const OTHER_PRIVATE_KEY_PEM: &str = include_str!("onemg_other_key.pem");
/// The public half of [`OTHER_PRIVATE_KEY_PEM`].
const OTHER_PUBLIC_KEY_PEM: &str = include_str!("onemg_other_key.pub.pem");

fn client_with(sandbox: &Sandbox, token: &str, access_key: &str) -> Client {
    Client::with_credentials(
        &sandbox.base_url("onemg"),
        Credentials::new(token.to_owned(), access_key.to_owned()),
    )
    .expect("a loopback base URL is accepted")
}

fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, TOKEN, ACCESS_KEY)
}

/// The status, `error.message` and `error.errors` of an error the typed client got.
fn api_error<T: std::fmt::Debug>(
    result: Result<T, Error<types::ErrorResponse>>,
) -> (u16, String, Option<Vec<String>>) {
    match result {
        Err(Error::ErrorResponse(error)) => {
            let status = error.status().as_u16();
            let detail = error.into_inner().error.expect("an error object");
            let errors = detail.errors.map(|errors| {
                errors
                    .into_iter()
                    .map(|item| item.message.unwrap_or_default())
                    .collect()
            });
            (status, detail.message.unwrap_or_default(), errors)
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

/// The spec's Create Order example, paid by `payment_method`, with `merchant_order_id`.
fn new_order(payment_method: &str, merchant_order_id: &str) -> types::CreateOrderRequest {
    let mut body = common::request_example("onemg", "create_order", "constructed_cod_order");
    body["payment_method"] = json!(payment_method);
    body["merchant_order_id"] = json!(merchant_order_id);
    serde_json::from_value(body).expect("the example decodes")
}

/// Creates an order; its 1mg id.
async fn create(sandbox: &Sandbox, payment_method: &str, merchant_order_id: &str) -> String {
    let created = client(sandbox)
        .create_order()
        .merchant_id(MERCHANT_ID)
        .body(new_order(payment_method, merchant_order_id))
        .send()
        .await
        .expect("created")
        .into_inner();
    assert!(created.is_success);
    let data = created.data.expect("data");
    assert_eq!(data.merchant_order_id.as_deref(), Some(merchant_order_id));
    data.order_id.expect("an order id")
}

async fn confirm(
    sandbox: &Sandbox,
    id: &str,
    merchant_order_id: &str,
) -> Result<types::ConfirmOrderResponse, Error<types::ErrorResponse>> {
    client(sandbox)
        .confirm_order()
        .merchant_id(MERCHANT_ID)
        .merchant_confirm_1mg_id(id)
        .body(types::ConfirmOrderRequest {
            merchant_order_id: merchant_order_id.to_owned(),
            order_id: id.to_owned(),
        })
        .send()
        .await
        .map(|answer| answer.into_inner())
}

async fn cancel(
    sandbox: &Sandbox,
    id: &str,
) -> Result<types::CancelOrderResponse, Error<types::ErrorResponse>> {
    client(sandbox)
        .cancel_order()
        .merchant_id(MERCHANT_ID)
        .body(types::CancelOrderRequest {
            order_id: id.to_owned(),
            reason: Some("CANCELLED REASON".to_owned()),
            agent_id: Some(String::new()),
            merchant: Some(String::new()),
        })
        .send()
        .await
        .map(|answer| answer.into_inner())
}

fn status(sandbox: &Sandbox, id: &str) -> String {
    sandbox.order_status("onemg", id).expect("a stored order")
}

async fn start_with(options: OnemgOptions) -> Sandbox {
    ordergate_sandbox::start_with(SandboxOptions::default().onemg(options))
        .await
        .expect("the sandbox starts")
}

/// Serves `router` on a free loopback port; its root URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn cod_orders_are_placed_at_once_and_online_orders_await_confirmation() {
    let sandbox = common::start().await;
    let cod = create(&sandbox, "COD", "2333asa3s25222").await;
    let online = create(&sandbox, "ONLINE", "2333asa3s25224").await;
    for id in [&cod, &online] {
        assert!(id.starts_with("PO") && id.len() == 16, "{id}");
    }
    assert_ne!(cod, online);
    assert_eq!(status(&sandbox, &cod), "15");
    assert_eq!(status(&sandbox, &online), "17");
    assert_eq!(
        sandbox.merchant_order_id("onemg", &online).as_deref(),
        Some("2333asa3s25224")
    );
    assert!(sandbox.confirmable_orders("onemg").contains(&online));
    assert!(!sandbox.confirmable_orders("onemg").contains(&cod));

    // Without a transaction API configured the sandbox approves the payment itself.
    let confirmed = confirm(&sandbox, &online, "2333asa3s25224")
        .await
        .expect("confirmed");
    let data = confirmed.data.expect("data");
    assert_eq!(data.order_id.as_deref(), Some(online.as_str()));
    assert_eq!(status(&sandbox, &online), "15");

    // Never confirm a COD order: refused as an order in the wrong status, nothing moves.
    let (code, message, errors) = api_error(confirm(&sandbox, &cod, "2333asa3s25222").await);
    assert_eq!(
        (code, message.as_str(), errors),
        (400, "Invalid order status for this operation", None)
    );
    assert_eq!(status(&sandbox, &cod), "15");

    // What Create Order refuses: 400 "Invalid request".
    let mut no_cart = new_order("COD", "m-1");
    no_cart.skus.clear();
    let mut bad_amount = new_order("COD", "m-2");
    bad_amount.payable_amount = "two hundred".to_owned();
    let mut unknown_method = new_order("COD", "m-3");
    unknown_method.payment_method = types::PaymentMethod::Unknown("UPI".to_owned());
    for body in [no_cart, bad_amount, unknown_method] {
        let refused = client(&sandbox)
            .create_order()
            .merchant_id(MERCHANT_ID)
            .body(body)
            .send()
            .await;
        let (code, message, _) = api_error(refused);
        assert_eq!((code, message.as_str()), (400, "Invalid request"));
    }
    let elsewhere = client(&sandbox)
        .create_order()
        .merchant_id("another-merchant")
        .body(new_order("COD", "m-4"))
        .send()
        .await;
    assert_eq!(api_error(elsewhere).0, 400);
    let (code, body) = send(
        http()
            .post(format!(
                "{}/api/v4/merchants/{MERCHANT_ID}/orders",
                sandbox.base_url("onemg")
            ))
            .bearer_auth(TOKEN)
            .header("x-access-key", ACCESS_KEY)
            .body("{\"merchant_order_id\": 1}"),
    )
    .await;
    assert_eq!(code, 400, "{body}");
    assert_eq!(body["error"]["message"], "Invalid request");

    assert!(common::validate_every_response(&sandbox, false) >= 9);
}

/// What the merchant's transaction status API does for each transaction id (the merchant
/// order id) in these tests.
#[derive(Clone)]
struct Merchant {
    /// The header token requests must carry.
    token: &'static str,
    /// The transaction ids asked for, in order.
    asked: Arc<Mutex<Vec<String>>>,
}

/// `GET /transactions/{transaction_id}`: the answer named by the id's prefix.
async fn transaction_status(
    State(merchant): State<Merchant>,
    Path(transaction_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if headers
        .get("x-merchant-token")
        .and_then(|v| v.to_str().ok())
        != Some(merchant.token)
    {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    merchant
        .asked
        .lock()
        .expect("not poisoned")
        .push(transaction_id.clone());
    let state = |state: &str| {
        axum::Json(json!({
            "order_id": "1MG121211111",
            "transaction_id": transaction_id,
            "amount": 219.0,
            "status": state,
        }))
        .into_response()
    };
    match transaction_id.split('-').next().unwrap_or_default() {
        "paid" => state("SUCCESS"),
        "failed" => state("FAILED"),
        "pending" => state("PENDING"),
        "html" => (
            [("content-type", "text/html")],
            "<html><body>Payment gateway</body></html>",
        )
            .into_response(),
        "huge" => {
            // 50 MB, streamed without a length.
            let chunk = bytes_of(64 * 1024);
            let chunks = (0..800).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
            Body::from_stream(futures_util::stream::iter(chunks)).into_response()
        }
        "stall" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            state("SUCCESS")
        }
        "other" => axum::Json(json!({
            "order_id": "1MG121211111",
            "transaction_id": "someone-else",
            "amount": 219.0,
            "status": "SUCCESS",
        }))
        .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn bytes_of(len: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b'x'; len])
}

/// A merchant's transaction status API on loopback; its URL template and what it was asked.
async fn merchant() -> (String, Arc<Mutex<Vec<String>>>) {
    let merchant = Merchant {
        token: "merchant-token-1",
        asked: Arc::default(),
    };
    let asked = Arc::clone(&merchant.asked);
    let router = Router::new()
        .route("/transactions/{transaction_id}", get(transaction_status))
        .with_state(merchant);
    let url = serve(router).await;
    (format!("{url}/transactions/{{transaction_id}}"), asked)
}

#[tokio::test]
async fn confirm_asks_the_merchant_and_confirms_only_a_successful_payment() {
    let (template, asked) = merchant().await;
    let timeout = Duration::from_millis(800);
    let sandbox = start_with(
        OnemgOptions::default()
            .transaction_api(template, "x-merchant-token", "merchant-token-1")
            .transaction_timeout(timeout),
    )
    .await;

    let paid = create(&sandbox, "ONLINE", "paid-1").await;
    confirm(&sandbox, &paid, "paid-1").await.expect("confirmed");
    assert_eq!(status(&sandbox, &paid), "15");
    assert_eq!(*asked.lock().expect("not poisoned"), ["paid-1"]);

    // FAILED: the confirm-order-api page's 500, verbatim; the order still awaits payment.
    let failed = create(&sandbox, "ONLINE", "failed-1").await;
    let (code, message, errors) = api_error(confirm(&sandbox, &failed, "failed-1").await);
    assert_eq!(code, 500);
    assert_eq!(message, "Map payment to order operation failed");
    assert_eq!(
        errors,
        Some(vec!["Map payment to order operation failed".to_owned()])
    );
    assert_eq!(status(&sandbox, &failed), "17");

    // Every other outcome: the same 500, the reason in errors[].message, nothing moves, and
    // the answer comes within the timeout (plus a margin), never hanging.
    let cases = [
        ("pending-1", "PENDING"),
        ("html-1", "did not answer a TransactionStatus"),
        ("huge-1", "more than 65536 bytes"),
        ("stall-1", "did not answer within 800 ms"),
        ("other-1", "another transaction"),
        ("unknown-1", "answered HTTP 404"),
    ];
    for (merchant_order_id, reason) in cases {
        let id = create(&sandbox, "ONLINE", merchant_order_id).await;
        let started = Instant::now();
        let (code, message, errors) = api_error(confirm(&sandbox, &id, merchant_order_id).await);
        assert!(
            started.elapsed() < timeout + Duration::from_secs(2),
            "{merchant_order_id}"
        );
        assert_eq!(code, 500, "{merchant_order_id}");
        assert_eq!(message, "Map payment to order operation failed");
        let errors = errors.expect("a reason");
        assert!(
            errors[0].contains(reason),
            "{merchant_order_id}: {errors:?}"
        );
        assert_eq!(status(&sandbox, &id), "17", "{merchant_order_id}");
    }

    // An order cancelled before its confirmation: "Map payment to order operation failed"
    // without asking the merchant.
    let before = asked.lock().expect("not poisoned").len();
    let cancelled = create(&sandbox, "ONLINE", "paid-2").await;
    cancel(&sandbox, &cancelled).await.expect("cancelled");
    let (code, message, _) = api_error(confirm(&sandbox, &cancelled, "paid-2").await);
    assert_eq!(
        (code, message.as_str()),
        (500, "Map payment to order operation failed")
    );
    assert_eq!(asked.lock().expect("not poisoned").len(), before);

    assert_eq!(common::validate_every_response(&sandbox, false), 19);
}

#[tokio::test]
async fn a_merchant_that_is_down_or_has_the_wrong_token_confirms_nothing() {
    // A port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = closed.local_addr().expect("an address");
    drop(closed);
    let sandbox = start_with(OnemgOptions::default().transaction_api(
        format!("http://{addr}/transactions/{{transaction_id}}"),
        "x-merchant-token",
        "merchant-token-1",
    ))
    .await;
    let id = create(&sandbox, "ONLINE", "paid-1").await;
    let (code, message, errors) = api_error(confirm(&sandbox, &id, "paid-1").await);
    assert_eq!(
        (code, message.as_str()),
        (500, "Map payment to order operation failed")
    );
    assert!(errors.expect("a reason")[0].contains("could not be reached"));
    assert_eq!(status(&sandbox, &id), "17");

    let (template, _) = merchant().await;
    let sandbox = start_with(OnemgOptions::default().transaction_api(
        template,
        "x-merchant-token",
        "not-the-merchant-token",
    ))
    .await;
    let id = create(&sandbox, "ONLINE", "paid-1").await;
    let (_, _, errors) = api_error(confirm(&sandbox, &id, "paid-1").await);
    assert!(errors.expect("a reason")[0].contains("HTTP 401"));
    assert_eq!(status(&sandbox, &id), "17");
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn cancel_before_packing_only() {
    let sandbox = common::start().await;
    let cases = [
        ("17", true),
        ("15", true),
        ("120", true),
        ("130", false),
        ("25", false),
        ("30", false),
        ("40", false),
        ("99", false),
    ];
    for (index, (seeded, allowed)) in cases.into_iter().enumerate() {
        let id = format!("PO7000000000000{index}");
        sandbox
            .seed_order("onemg", &id, seeded)
            .expect("a valid seed");
        let cancelled = cancel(&sandbox, &id).await;
        if allowed {
            let answer = cancelled.expect("cancelled");
            assert!(answer.is_success);
            assert_eq!(answer.data, Some(json!({"order_id": id})));
            assert_eq!(status(&sandbox, &id), "99", "{seeded}");
        } else {
            assert_eq!(
                api_error(cancelled),
                (
                    400,
                    "Invalid order status for this operation".to_owned(),
                    None
                ),
                "{seeded}"
            );
            assert_eq!(status(&sandbox, &id), seeded);
        }
    }
    // A created COD order cancels at once; the second cancel is refused.
    let cod = create(&sandbox, "COD", "cod-1").await;
    cancel(&sandbox, &cod).await.expect("cancelled");
    assert_eq!(api_error(cancel(&sandbox, &cod).await).0, 400);

    // An unknown order: the confirm-order-api page's 500 "Order not found".
    let (code, message, errors) = api_error(cancel(&sandbox, "PO11111111111111").await);
    assert_eq!((code, message.as_str()), (500, "Order not found"));
    assert_eq!(errors, Some(vec!["Order not found".to_owned()]));

    // The raw request of the cancel-order page's curl (an unknown order there, too).
    let (code, body) = send(
        http()
            .post(format!(
                "{}/api/v4/{MERCHANT_ID}/order/cancel",
                sandbox.base_url("onemg")
            ))
            .bearer_auth(TOKEN)
            .header("x-access-key", ACCESS_KEY)
            .json(&common::request_example(
                "onemg",
                "cancel_order",
                "docs_cancel_request",
            )),
    )
    .await;
    assert_eq!(
        (code, body["error"]["message"].as_str()),
        (500, Some("Order not found"))
    );
    assert!(common::validate_every_response(&sandbox, false) >= 12);
}

#[tokio::test]
async fn the_clock_moves_placed_orders_to_delivered() {
    let sandbox = common::start().await;
    let cod = create(&sandbox, "COD", "cod-1").await;
    let online = create(&sandbox, "ONLINE", "online-1").await;
    let mut path = vec![status(&sandbox, &cod)];
    for step in 0..6 {
        let moved = sandbox.advance(1).expect("advanced");
        let mine: Vec<String> = moved
            .iter()
            .filter(|m| m.provider == "onemg" && m.order_id == cod)
            .map(|m| m.order_status.clone())
            .collect();
        let now = status(&sandbox, &cod);
        // What the advance reports is the move it made; after 40 nothing moves.
        let expected = if step < 5 { vec![now.clone()] } else { vec![] };
        assert_eq!(mine, expected, "step {step}");
        path.push(now);
    }
    assert_eq!(path, ["15", "120", "130", "25", "30", "40", "40"]);
    // An ONLINE order waits for its confirmation, however long.
    assert_eq!(status(&sandbox, &online), "17");
    confirm(&sandbox, &online, "online-1")
        .await
        .expect("confirmed");
    // Many steps at once: along the whole path, each status once.
    let moved = sandbox.advance(100).expect("advanced");
    let statuses: Vec<&str> = moved
        .iter()
        .filter(|m| m.order_id == online)
        .map(|m| m.order_status.as_str())
        .collect();
    assert_eq!(statuses, ["120", "130", "25", "30", "40"]);
    common::validate_every_response(&sandbox, false);
}

/// What the webhook receiver got: each request's `OrderUpdate`, and how many it refused.
#[derive(Default)]
struct Received {
    updates: Vec<types::OrderUpdate>,
    refused: usize,
}

/// A loopback receiver of 1mg's order-update webhook that checks `header: token`.
async fn receiver(header: &'static str, token: &'static str) -> (String, Arc<Mutex<Received>>) {
    let received = Arc::new(Mutex::new(Received::default()));
    let state = Arc::clone(&received);
    let router = Router::new().route(
        "/order-updates",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let state = Arc::clone(&state);
            async move {
                let mut received = state.lock().expect("not poisoned");
                if headers.get(header).and_then(|v| v.to_str().ok()) != Some(token) {
                    received.refused += 1;
                    return (
                        StatusCode::UNAUTHORIZED,
                        axum::Json(json!({"status": "denied"})),
                    );
                }
                let update: types::OrderUpdate =
                    serde_json::from_slice(&body).expect("an OrderUpdate");
                received.updates.push(update);
                (StatusCode::OK, axum::Json(json!({"status": "ok"})))
            }
        }),
    );
    let url = serve(router).await;
    (format!("{url}/order-updates"), received)
}

/// Waits (at most 10 s) until `done` holds for what `received` got.
async fn wait_for(received: &Mutex<Received>, done: impl Fn(&Received) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(&received.lock().expect("not poisoned")) {
        assert!(Instant::now() < deadline, "the webhooks did not arrive");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn every_status_an_order_takes_is_posted_as_an_order_update() {
    let (url, received) = receiver("x-webhook-token", "hook-token-1").await;
    let sandbox =
        start_with(OnemgOptions::default().webhook(url.clone(), "x-webhook-token", "hook-token-1"))
            .await;
    let cod = create(&sandbox, "COD", "cod-1").await;
    let online = create(&sandbox, "ONLINE", "online-1").await;
    confirm(&sandbox, &online, "online-1")
        .await
        .expect("confirmed");
    cancel(&sandbox, &online).await.expect("cancelled");
    // The seeded orders before 40 move too; count only ours.
    sandbox.advance(5).expect("advanced");
    let ours = |r: &Received, id: &str| -> Vec<(i64, String)> {
        r.updates
            .iter()
            .flat_map(|u| &u.grouped_orders)
            .filter(|o| o.order_id == id)
            .map(|o| {
                let status = o.order_status.as_ref().expect("a status");
                (
                    status.status_id.as_ref().map_or(0, |s| s.0),
                    status.title.clone().unwrap_or_default(),
                )
            })
            .collect()
    };
    wait_for(&received, |r| ours(r, &cod).len() == 6).await;
    {
        let received = received.lock().expect("not poisoned");
        assert_eq!(received.refused, 0);
        let codes =
            |id: &str| -> Vec<i64> { ours(&received, id).into_iter().map(|s| s.0).collect() };
        assert_eq!(codes(&cod), [15, 120, 130, 25, 30, 40]);
        assert_eq!(codes(&online), [17, 15, 99]);
        assert_eq!(
            ours(&received, &online)[2],
            (99, "Order Cancelled".to_owned())
        );
        assert!(received.updates.iter().all(|u| u.grouped_orders.len() == 1));
        let update = received
            .updates
            .iter()
            .find(|u| u.grouped_orders[0].order_id == cod)
            .expect("one");
        let order = &update.grouped_orders[0];
        assert_eq!(order.is_cashless_order, Some(false));
        assert!(order.created.is_some() && order.updated >= order.created);
    }

    let deliveries = sandbox.webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .all(|d| d.provider == "onemg" && d.url == url)
    );
    assert!(
        deliveries.iter().all(|d| d.status == Some(200)),
        "{deliveries:?}"
    );
    // Every body sent validates against the spec's OrderUpdate schema.
    let spec = common::spec("onemg");
    let validator = ordergate_codegen::examples::SchemaValidator::new(&spec);
    let schema = json!({"$ref": "#/components/schemas/OrderUpdate"});
    assert!(deliveries.len() >= 9, "{deliveries:?}");
    for delivery in &deliveries {
        let body: Value = serde_json::from_str(&delivery.body).expect("JSON");
        validator
            .validate(&schema, &body)
            .unwrap_or_else(|error| panic!("{error}: {body}"));
    }
    // The schema has teeth: an entry without its order id is refused.
    assert!(
        validator
            .validate(&schema, &json!({"grouped_orders": [{}]}))
            .is_err()
    );

    // The wrong token configured: the receiver refuses, the API call still succeeds.
    let (url, refusing) = receiver("x-webhook-token", "hook-token-1").await;
    let other = start_with(OnemgOptions::default().webhook(url, "x-webhook-token", "wrong")).await;
    create(&other, "COD", "cod-2").await;
    wait_for(&refusing, |r| r.refused == 1).await;
    common::validate_every_response(&sandbox, false);
    common::validate_every_response(&other, false);
}

/// A token of `header` and `claims`, signed with `private_key_pem` (RS256) or not signed at all.
fn token(header: Value, claims: Value, private_key_pem: Option<&str>) -> String {
    match private_key_pem {
        Some(pem) => {
            assert_eq!(header, json!({"alg": "RS256", "typ": "JWT"}));
            Rs256Signer::from_private_key_pem(pem)
                .expect("a key")
                .sign(&claims)
                .expect("signed")
        }
        None => format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        ),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Confirms `PO29523371880004` with `headers` over raw HTTP; the status and body.
async fn confirm_raw(sandbox: &Sandbox, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = http()
        .put(format!(
            "{}/api/v4/merchants/{MERCHANT_ID}/orders/PO29523371880004/confirm",
            sandbox.base_url("onemg")
        ))
        .json(&json!({"merchant_order_id": "MO29523371880004", "order_id": "PO29523371880004"}));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(request).await
}

#[tokio::test]
async fn bearer_jwts_are_verified_with_the_merchants_public_key() {
    let sandbox = common::start().await;
    let rs256 = json!({"alg": "RS256", "typ": "JWT"});
    let fresh = json!({"iat": now(), "exp": now() + 900});
    let signed = |claims: &Value, pem| token(rs256.clone(), claims.clone(), Some(pem));
    let refused = [
        ("another key", signed(&fresh, OTHER_PRIVATE_KEY_PEM)),
        (
            "expired",
            signed(
                &json!({"iat": now() - 3600, "exp": now() - 600}),
                SANDBOX_PRIVATE_KEY_PEM,
            ),
        ),
        (
            "no exp",
            signed(&json!({"iat": now()}), SANDBOX_PRIVATE_KEY_PEM),
        ),
        (
            "alg none",
            token(json!({"alg": "none"}), fresh.clone(), None),
        ),
        ("HS256", {
            // HS256 with the public key as the secret: the classic confusion.
            let unsigned = token(json!({"alg": "HS256", "typ": "JWT"}), fresh.clone(), None);
            format!("{unsigned}c2lnbmF0dXJl")
        }),
        ("garbage", "eyJ.not.it".to_owned()),
    ];
    for (case, jwt) in &refused {
        let bearer = format!("Bearer {jwt}");
        let (code, body) = confirm_raw(
            &sandbox,
            &[("authorization", &bearer), ("x-access-key", ACCESS_KEY)],
        )
        .await;
        assert_eq!(code, 401, "{case}");
        assert_eq!(
            body,
            json!({"is_success": false, "status_code": 401,
                   "error": {"message": "Unauthorized", "errors": null}}),
            "{case}"
        );
    }
    let good = signed(&fresh, SANDBOX_PRIVATE_KEY_PEM);
    let bearer = format!("Bearer {good}");
    // The right token without the access key, or with another: refused too.
    for headers in [
        vec![("authorization", bearer.as_str())],
        vec![
            ("authorization", bearer.as_str()),
            ("x-access-key", "wrong"),
        ],
    ] {
        assert_eq!(confirm_raw(&sandbox, &headers).await.0, 401);
    }
    assert_eq!(status(&sandbox, "PO29523371880004"), "17");
    // A freshly signed token, and the sandbox's long-lived one, both work.
    let (code, _) = confirm_raw(
        &sandbox,
        &[("authorization", &bearer), ("x-access-key", ACCESS_KEY)],
    )
    .await;
    assert_eq!(code, 200);
    let long_lived = format!("Bearer {TOKEN}");
    sandbox
        .seed_order("onemg", "PO29523371880004", "17")
        .expect("re-seeded");
    let (code, _) = confirm_raw(
        &sandbox,
        &[("authorization", &long_lived), ("x-access-key", ACCESS_KEY)],
    )
    .await;
    assert_eq!(code, 200);
    common::validate_every_response(&sandbox, false);

    // A sandbox configured with the merchant's own public key: its tokens pass, the
    // sandbox's are refused.
    let own = start_with(OnemgOptions::default().public_key(OTHER_PUBLIC_KEY_PEM)).await;
    let theirs = format!("Bearer {}", signed(&fresh, OTHER_PRIVATE_KEY_PEM));
    assert_eq!(
        confirm_raw(
            &own,
            &[("authorization", &long_lived), ("x-access-key", ACCESS_KEY)]
        )
        .await
        .0,
        401
    );
    assert_eq!(
        confirm_raw(
            &own,
            &[("authorization", &theirs), ("x-access-key", ACCESS_KEY)]
        )
        .await
        .0,
        200
    );
    // A configured key that is none: every request is refused, nothing panics.
    let broken = start_with(OnemgOptions::default().public_key("not a key")).await;
    assert_eq!(
        confirm_raw(
            &broken,
            &[("authorization", &long_lived), ("x-access-key", ACCESS_KEY)]
        )
        .await
        .0,
        401
    );
}

#[tokio::test]
async fn env_hands_out_a_private_key_file_that_signs_accepted_tokens() {
    let sandbox = common::start().await;
    let env: BTreeMap<String, String> = sandbox.env().into_iter().collect();
    assert_eq!(env["ONEMG_TOKEN"], TOKEN);
    assert_eq!(env["ONEMG_ACCESS_KEY"], ACCESS_KEY);
    assert_eq!(env["ONEMG_MERCHANT_ID"], MERCHANT_ID);
    let path = std::path::PathBuf::from(&env["ONEMG_PRIVATE_KEY_FILE"]);
    let pem = std::fs::read_to_string(&path).expect("the key file");
    assert_eq!(pem, SANDBOX_PRIVATE_KEY_PEM);
    // The same file every time it is asked for.
    let again: BTreeMap<String, String> = sandbox.env().into_iter().collect();
    assert_eq!(
        again["ONEMG_PRIVATE_KEY_FILE"],
        env["ONEMG_PRIVATE_KEY_FILE"]
    );
    let jwt = token(
        json!({"alg": "RS256", "typ": "JWT"}),
        json!({"iat": now(), "exp": now() + 900}),
        Some(&pem),
    );
    let id = create(&sandbox, "ONLINE", "signed-1").await;
    client_with(&sandbox, &jwt, ACCESS_KEY)
        .confirm_order()
        .merchant_id(MERCHANT_ID)
        .merchant_confirm_1mg_id(&id)
        .body(types::ConfirmOrderRequest {
            merchant_order_id: "signed-1".to_owned(),
            order_id: id.clone(),
        })
        .send()
        .await
        .expect("confirmed with a token signed from the key file");
    sandbox.shutdown().await.expect("stopped");
    let deadline = Instant::now() + Duration::from_secs(5);
    while path.exists() {
        assert!(
            Instant::now() < deadline,
            "the key file outlived the sandbox"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_creates_make_ten_orders() {
    let sandbox = Arc::new(common::start().await);
    let before = sandbox.stored_orders("onemg").expect("played").records;
    let tasks: Vec<_> = (0..10)
        .map(|n| {
            let sandbox = Arc::clone(&sandbox);
            tokio::spawn(async move {
                let payment = if n % 2 == 0 { "COD" } else { "ONLINE" };
                create(&sandbox, payment, &format!("concurrent-{n}")).await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("the task ran"));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10);
    assert_eq!(
        sandbox.stored_orders("onemg").expect("played").records,
        before + 10
    );
    for id in &ids {
        let merchant_order_id = sandbox.merchant_order_id("onemg", id).expect("known");
        let expected = if merchant_order_id
            .trim_start_matches("concurrent-")
            .parse::<u32>()
            .expect("a number")
            % 2
            == 0
        {
            "15"
        } else {
            "17"
        };
        assert_eq!(status(&sandbox, id), expected);
    }
    assert_eq!(common::validate_every_response(&sandbox, false), 10);
}
