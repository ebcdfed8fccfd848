//! The endpoints 1mg calls on the merchant, served on loopback by axum exactly as an
//! application serves them and called over real HTTP: the transaction status API and the
//! order-update webhook of 1mg's merchant integration guides
//! (<https://onedoc.1mg.com/public_docs/>). The bodies are the examples of the crate's spec
//! (`components.schemas.<name>.example` of `openapi.yaml`), sent as 1mg would send them.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use ordergate_onemg::merchant::{
    self, DEFAULT_TOKEN_HEADER, HeaderToken, OrderUpdateHandler, OrderUpdateWebhook, SetupError,
    TransactionLookup, TransactionStatusApi,
};
use ordergate_onemg::types::{OrderStatusId, OrderUpdate, TransactionState, TransactionStatus};
use ordergate_runtime::ClientConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The token the merchant shared with 1mg.
const ASCII_TOKEN: &str = "tok-1mg-7f3a9c21";
/// Another token, with the punctuation a generated token may hold.
const TOKEN: &str = "k3y_for/1mg+=!#$";

/// `components.schemas.<name>.example` of the crate's spec.
fn schema_example(name: &str) -> Value {
    let spec: Value =
        serde_yaml::from_str(include_str!("../openapi.yaml")).expect("the spec is YAML");
    let example = spec["components"]["schemas"][name]["example"].clone();
    assert!(example.is_object(), "{name} has an example in the spec");
    example
}

/// Serves `router` on 127.0.0.1 and returns its address.
async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

fn http() -> reqwest::Client {
    ordergate_runtime::http_client_builder(&ClientConfig::default())
        .build()
        .expect("client")
}

fn token() -> HeaderToken {
    merchant::header_token(ASCII_TOKEN).expect("token scheme")
}

/// A lookup over a fixed table that counts its calls.
#[derive(Default)]
struct Payments {
    known: Vec<TransactionStatus>,
    calls: AtomicUsize,
}

impl TransactionLookup for Payments {
    type Error = std::convert::Infallible;

    async fn transaction_status(
        &self,
        transaction_id: String,
    ) -> Result<Option<TransactionStatus>, Self::Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(self
            .known
            .iter()
            .find(|status| status.transaction_id == transaction_id)
            .cloned())
    }
}

/// An order-update handler that keeps what it was given, and fails when told to.
#[derive(Default)]
struct Orders {
    updates: Mutex<Vec<OrderUpdate>>,
    fail: bool,
}

impl OrderUpdateHandler for Orders {
    type Error = &'static str;

    async fn order_update(&self, update: OrderUpdate) -> Result<(), Self::Error> {
        self.updates.lock().expect("lock").push(update);
        if self.fail {
            return Err("the order store is down");
        }
        Ok(())
    }
}

impl Orders {
    fn received(&self) -> Vec<OrderUpdate> {
        self.updates.lock().expect("lock").clone()
    }
}

async fn payments_server(payments: Arc<Payments>) -> SocketAddr {
    serve(
        TransactionStatusApi::from_shared(token(), payments)
            .into_router()
            .expect("router"),
    )
    .await
}

async fn orders_server(orders: Arc<Orders>) -> SocketAddr {
    serve(
        OrderUpdateWebhook::from_shared(token(), orders)
            .into_router()
            .expect("router"),
    )
    .await
}

async fn status_of(address: SocketAddr, id: &str) -> (StatusCode, Value) {
    let response = http()
        .get(format!("http://{address}/transactions/{id}"))
        .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

async fn post_update(address: SocketAddr, body: impl Into<reqwest::Body>) -> (StatusCode, Value) {
    let response = http()
        .post(format!("http://{address}/update-status/"))
        .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn the_specs_transaction_example_is_answered_as_is() {
    let example = schema_example("TransactionStatus");
    let known: TransactionStatus =
        serde_json::from_value(example.clone()).expect("the example is a TransactionStatus");
    let payments = Arc::new(Payments {
        known: vec![known.clone()],
        ..Payments::default()
    });
    let address = payments_server(payments.clone()).await;

    let response = http()
        .get(format!("http://{address}/transactions/MERCHANT122334444"))
        .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "1mg decodes JSON"
    );
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body, example, "the wire body is the guide's example");
    let decoded: TransactionStatus = serde_json::from_value(body).expect("decodes");
    assert_eq!(decoded, known);
    assert_eq!(payments.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn every_state_round_trips_the_unknown_one_included() {
    let states = ["SUCCESS", "PENDING", "FAILED", "REFUND_INITIATED"];
    let amounts = [1221.11, 0.5, 99.99, 10.0];
    let known = states
        .iter()
        .zip(amounts)
        .enumerate()
        .map(|(n, (state, amount))| TransactionStatus {
            order_id: format!("PO2952337188000{n}"),
            transaction_id: format!("2333asa3s2522{n}"),
            amount,
            status: TransactionState::from(*state),
        })
        .collect::<Vec<_>>();
    assert_eq!(
        known[3].status,
        TransactionState::Unknown("REFUND_INITIATED".into())
    );
    let address = payments_server(Arc::new(Payments {
        known: known.clone(),
        ..Payments::default()
    }))
    .await;

    for (status, state) in known.iter().zip(states) {
        let (code, body) = status_of(address, &status.transaction_id).await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(body["status"], state, "sent as spelled");
        assert_eq!(body["transaction_id"], status.transaction_id.as_str());
        let decoded: TransactionStatus = serde_json::from_value(body).expect("decodes");
        assert_eq!(&decoded, status);
    }
}

#[tokio::test]
async fn amounts_are_sent_with_two_decimals() {
    let address = serve(
        TransactionStatusApi::new(token(), |transaction_id: String| async move {
            Ok::<_, std::convert::Infallible>(Some(TransactionStatus {
                order_id: "1MG121211111".into(),
                transaction_id,
                amount: 1221.1099997,
                status: TransactionState::Pending,
            }))
        })
        .into_router()
        .expect("router"),
    )
    .await;
    let response = http()
        .get(format!("http://{address}/transactions/MERCHANT1"))
        .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    assert!(text.contains(r#""amount":1221.11"#), "{text}");
}

#[tokio::test]
async fn an_unknown_transaction_is_404_with_a_json_body() {
    let payments = Arc::new(Payments::default());
    let address = payments_server(payments.clone()).await;
    let (code, body) = status_of(address, "no-such-order").await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "transaction not found"}));
    assert_eq!(payments.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn transaction_calls_without_the_token_are_401_and_never_looked_up() {
    let payments = Arc::new(Payments {
        known: vec![serde_json::from_value(schema_example("TransactionStatus")).expect("example")],
        ..Payments::default()
    });
    let address = payments_server(payments.clone()).await;
    let url = format!("http://{address}/transactions/MERCHANT122334444");
    let requests = [
        ("missing", http().get(&url)),
        (
            "wrong",
            http()
                .get(&url)
                .header(DEFAULT_TOKEN_HEADER, "tok-1mg-7f3a9c22"),
        ),
        ("empty", http().get(&url).header(DEFAULT_TOKEN_HEADER, "")),
        (
            "in another header",
            http().get(&url).header("Authorization", ASCII_TOKEN),
        ),
        (
            "sent twice",
            http()
                .get(&url)
                .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
                .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN),
        ),
    ];
    for (case, request) in requests {
        let response = request.send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body, json!({"error": "unauthorized"}), "{case}");
    }
    assert_eq!(payments.calls.load(Ordering::SeqCst), 0);

    // The right token, with the whitespace a header value may carry, is accepted.
    let response = http()
        .get(&url)
        .header(DEFAULT_TOKEN_HEADER, format!(" {ASCII_TOKEN} "))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_failing_lookup_is_500_and_1mg_does_not_confirm() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let address = serve(
        TransactionStatusApi::new(token(), move |transaction_id: String| {
            let calls = counted.clone();
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                match transaction_id.as_str() {
                    "store-down" => Err("the payment store is down"),
                    "nan" => Ok(Some(TransactionStatus {
                        order_id: "1MG121211111".into(),
                        transaction_id,
                        amount: f64::NAN,
                        status: TransactionState::Success,
                    })),
                    _ => panic!("a bug in the merchant's lookup"),
                }
            }
        })
        .into_router()
        .expect("router"),
    )
    .await;
    for id in ["store-down", "nan", "panics"] {
        let (code, body) = status_of(address, id).await;
        assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR, "{id}");
        assert_eq!(body, json!({"error": "transaction lookup failed"}), "{id}");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // The server still answers after the panic.
    let (code, _) = status_of(address, "store-down").await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn path_header_and_token_are_the_merchants_choice() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = seen.clone();
    let auth = HeaderToken::new("X-Onemg-Key", TOKEN).expect("scheme");
    let router = TransactionStatusApi::new(auth, move |transaction_id: String| {
        recorder.lock().expect("lock").push(transaction_id);
        async { Ok::<_, std::convert::Infallible>(None) }
    })
    .path("/payments/1mg/{transaction_id}/status")
    .into_router()
    .expect("router");
    let address = serve(router).await;

    let url = format!("http://{address}/payments/1mg/2333asa3s25222%20%2F%C3%A9/status");
    let response = http()
        .get(&url)
        .header("X-Onemg-Key", TOKEN.as_bytes())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The default header does not count once another is configured.
    let response = http()
        .get(&url)
        .header(DEFAULT_TOKEN_HEADER, TOKEN.as_bytes())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // The guide's path is not served when another is chosen.
    let response = http()
        .get(format!("http://{address}/transactions/2333asa3s25222"))
        .header("X-Onemg-Key", TOKEN.as_bytes())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.text().await.expect("body"), "", "axum's own 404");
    // Not valid UTF-8 once decoded: refused, not looked up.
    let response = http()
        .get(format!("http://{address}/payments/1mg/%FF/status"))
        .header("X-Onemg-Key", TOKEN.as_bytes())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        *seen.lock().expect("lock"),
        ["2333asa3s25222 /\u{e9}"],
        "the id arrives percent-decoded"
    );
}

#[tokio::test]
async fn the_specs_order_update_example_is_taken() {
    let example = schema_example("OrderUpdate");
    let orders = Arc::new(Orders::default());
    let address = orders_server(orders.clone()).await;

    let (code, body) = post_update(address, example.to_string()).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(body, json!({"status": "success"}));
    let received = orders.received();
    assert_eq!(received.len(), 1);
    let expected: OrderUpdate = serde_json::from_value(example.clone()).expect("decodes");
    assert_eq!(received[0], expected);
    let order = &received[0].grouped_orders[0];
    assert_eq!(order.order_id, "PO10824235590665");
    let status = order.order_status.as_ref().expect("order_status");
    assert_eq!(status.status_id, Some(OrderStatusId(99)));
    assert_eq!(status.title.as_deref(), Some("Order Cancelled"));
    assert_eq!(status.subtitle.as_deref(), Some("As per Your Request"));
    assert_eq!(order.skus.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn updates_are_read_tolerantly() {
    let orders = Arc::new(Orders::default());
    let address = orders_server(orders.clone()).await;
    let body = json!({
        "grouped_orders": [
            {"order_id": "PO1"},
            {
                "order_id": "PO2",
                "order_status": {"status_id": 777, "title": "A status the docs do not list", "subtitle": null, "colour": "amber"},
                "a_field_added_later": {"nested": [1, 2, 3]},
                "shipment_detail": {"delivery_partner_name": null}
            }
        ],
        "sent_at": 1713422085
    });
    let (code, reply) = post_update(address, body.to_string()).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(reply["status"], "success");
    let received = orders.received();
    let [first, second] = received[0].grouped_orders.as_slice() else {
        panic!("two orders: {received:?}");
    };
    assert_eq!(first.order_id, "PO1");
    assert_eq!(first.order_status, None);
    let status = second.order_status.as_ref().expect("order_status");
    assert_eq!(status.status_id, Some(OrderStatusId(777)));
    assert_eq!(status.subtitle, None);

    let (code, _) = post_update(address, r#"{"grouped_orders": []}"#).await;
    assert_eq!(code, StatusCode::OK, "an empty update is still an update");
}

#[tokio::test]
async fn updates_without_the_token_are_401_and_never_handled() {
    let orders = Arc::new(Orders::default());
    let address = orders_server(orders.clone()).await;
    let url = format!("http://{address}/update-status/");
    let body = schema_example("OrderUpdate").to_string();
    let requests = [
        ("missing", http().post(&url)),
        (
            "wrong",
            http()
                .post(&url)
                .header(DEFAULT_TOKEN_HEADER, "tok-1mg-7f3a9c2"),
        ),
        (
            "sent twice",
            http()
                .post(&url)
                .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
                .header(DEFAULT_TOKEN_HEADER, "tok-1mg-7f3a9c22"),
        ),
        (
            "sent twice, both right",
            http()
                .post(&url)
                .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
                .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN),
        ),
    ];
    for (case, request) in requests {
        let response = request.body(body.clone()).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        let reply: Value = response.json().await.expect("JSON");
        assert_eq!(reply, json!({"status": "unauthorized"}), "{case}");
    }
    // Not JSON and no token: the token decides first.
    let response = http().post(&url).body("{").send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(orders.received().is_empty());
}

#[tokio::test]
async fn malformed_updates_are_400_and_never_handled() {
    let orders = Arc::new(Orders::default());
    let address = orders_server(orders.clone()).await;
    for body in [
        "",
        "{",
        "not json",
        r#"{"grouped_orders": "PO1"}"#,
        r#"{"orders": []}"#,
        r#"{"grouped_orders": [{"order_status": {"status_id": 99}}]}"#,
        r#"{"grouped_orders": [{"order_id": "PO1", "order_status": {"status_id": "99"}}]}"#,
        "[]",
    ] {
        let (code, reply) = post_update(address, body).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply, json!({"status": "invalid_payload"}), "{body}");
    }
    assert!(orders.received().is_empty());
}

#[tokio::test]
async fn a_failing_handler_gets_a_non_2xx_with_a_status_so_1mg_retries() {
    let orders = Arc::new(Orders {
        fail: true,
        ..Orders::default()
    });
    let address = orders_server(orders.clone()).await;
    let (code, reply) = post_update(address, schema_example("OrderUpdate").to_string()).await;
    assert!(!code.is_success(), "{code}");
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply, json!({"status": "failure"}));
    assert_eq!(orders.received().len(), 1, "the handler was called");

    let panicking = serve(
        OrderUpdateWebhook::new(token(), |update: OrderUpdate| async move {
            assert!(
                update.grouped_orders.is_empty(),
                "a bug in the merchant's handler"
            );
            Ok::<_, std::convert::Infallible>(())
        })
        .into_router()
        .expect("router"),
    )
    .await;
    let (code, reply) = post_update(panicking, schema_example("OrderUpdate").to_string()).await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply, json!({"status": "failure"}));
}

/// Sends `head` (a request head ending in an empty line) and then `body_part`, never the
/// rest of the body, and returns the raw answer: a server that waited for the whole body
/// would never answer, and the timeout fails the test.
async fn answer_to_a_partial_request(address: SocketAddr, head: &str, body_part: &[u8]) -> String {
    let stream = TcpStream::connect(address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let mut sent = head.as_bytes().to_vec();
    sent.extend_from_slice(body_part);
    // Written on the side: the server may answer, and stop reading, before it takes it all.
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&sent).await;
        writer
    });
    let mut answer = Vec::new();
    let read = async {
        let mut buffer = [0u8; 4096];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
            if answer.windows(2).any(|pair| pair == b"\"}") {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("answered before the body was complete");
    writing.abort();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_50_mb_body_is_refused_without_being_read() {
    let orders = Arc::new(Orders::default());
    let address = orders_server(orders.clone()).await;
    let fifty_mb = 50 * 1024 * 1024;
    let part = vec![b' '; 64 * 1024];

    let head = format!(
        "POST /update-status/ HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         {DEFAULT_TOKEN_HEADER}: {ASCII_TOKEN}\r\ncontent-length: {fifty_mb}\r\n\r\n"
    );
    let answer = answer_to_a_partial_request(address, &head, &part).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains(r#"{"status":"payload_too_large"}"#),
        "{answer}"
    );

    // Without a length (chunked), reading stops once the limit (1 MiB) is passed.
    let head = format!(
        "POST /update-status/ HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\
         {DEFAULT_TOKEN_HEADER}: {ASCII_TOKEN}\r\n\r\n"
    );
    let mut chunks = Vec::new();
    for _ in 0..17 {
        chunks.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunks.extend_from_slice(&part);
        chunks.extend_from_slice(b"\r\n");
    }
    let answer = answer_to_a_partial_request(address, &head, &chunks).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // Without the token, the size does not matter: refused before anything is read.
    let head = format!(
        "POST /update-status/ HTTP/1.1\r\nhost: 127.0.0.1\r\n\
         {DEFAULT_TOKEN_HEADER}: wrong\r\ncontent-length: {fifty_mb}\r\n\r\n"
    );
    let answer = answer_to_a_partial_request(address, &head, &part).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(orders.received().is_empty());
}

#[tokio::test]
async fn the_body_limit_is_configurable() {
    let orders = Arc::new(Orders::default());
    let example = schema_example("OrderUpdate").to_string();
    let address = serve(
        OrderUpdateWebhook::from_shared(token(), orders.clone())
            .max_body_bytes(example.len())
            .path("/1mg/orders")
            .into_router()
            .expect("router"),
    )
    .await;
    let send = |body: String| {
        http()
            .post(format!("http://{address}/1mg/orders"))
            .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
            .body(body)
            .send()
    };
    let response = send(example.clone()).await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "exactly the limit");
    let response = send(format!("{example} ")).await.expect("sent");
    assert_eq!(
        response.status(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "one byte over"
    );
    assert_eq!(orders.received().len(), 1);
}

#[tokio::test]
async fn ten_callers_at_once() {
    let orders = Arc::new(Orders::default());
    let payments = Arc::new(Payments {
        known: (0..10)
            .map(|n| TransactionStatus {
                order_id: format!("PO{n}"),
                transaction_id: format!("M{n}"),
                amount: f64::from(n) + 0.5,
                status: TransactionState::Success,
            })
            .collect(),
        ..Payments::default()
    });
    let app = Router::new()
        .merge(
            TransactionStatusApi::from_shared(token(), payments.clone())
                .into_router()
                .expect("router"),
        )
        .merge(
            OrderUpdateWebhook::from_shared(token(), orders.clone())
                .into_router()
                .expect("router"),
        );
    let address = serve(app).await;

    let mut callers = tokio::task::JoinSet::new();
    for n in 0..10 {
        callers.spawn(async move {
            let mut update = schema_example("OrderUpdate");
            update["grouped_orders"][0]["order_id"] = json!(format!("PO{n}"));
            let (posted, reply) = post_update(address, update.to_string()).await;
            let (looked_up, status) = status_of(address, &format!("M{n}")).await;
            (n, posted, reply, looked_up, status)
        });
    }
    let mut answered = 0;
    while let Some(result) = callers.join_next().await {
        let (n, posted, reply, looked_up, status) = result.expect("caller");
        assert_eq!((posted, looked_up), (StatusCode::OK, StatusCode::OK));
        assert_eq!(reply["status"], "success");
        assert_eq!(status["order_id"], format!("PO{n}"));
        answered += 1;
    }
    assert_eq!(answered, 10);
    let mut received = orders
        .received()
        .into_iter()
        .map(|update| update.grouped_orders[0].order_id.clone())
        .collect::<Vec<_>>();
    received.sort();
    assert_eq!(
        received,
        (0..10).map(|n| format!("PO{n}")).collect::<Vec<_>>()
    );
    assert_eq!(payments.calls.load(Ordering::SeqCst), 10);
}

#[tokio::test]
async fn other_methods_are_405() {
    let orders = Arc::new(Orders::default());
    let address = orders_server(orders.clone()).await;
    let response = http()
        .get(format!("http://{address}/update-status/"))
        .header(DEFAULT_TOKEN_HEADER, ASCII_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(orders.received().is_empty());
}

#[test]
fn paths_axum_cannot_serve_are_refused_not_panicked_on() {
    for path in [
        "transactions/{transaction_id}",
        "/transactions/{id}",
        "/t/:transaction_id",
    ] {
        let refused = TransactionStatusApi::new(token(), |_: String| async {
            Ok::<_, std::convert::Infallible>(None)
        })
        .path(path)
        .into_router();
        assert!(
            matches!(refused, Err(SetupError::InvalidPath { .. })),
            "{path}"
        );
    }
    for path in ["update-status/", "/update/{id}", "/update/{*rest}"] {
        let refused = OrderUpdateWebhook::new(token(), |_: OrderUpdate| async {
            Ok::<_, std::convert::Infallible>(())
        })
        .path(path)
        .into_router();
        assert!(
            matches!(refused, Err(SetupError::InvalidPath { .. })),
            "{path}"
        );
    }
}

#[test]
fn debug_never_shows_the_token() {
    let webhook = OrderUpdateWebhook::new(token(), |_: OrderUpdate| async {
        Ok::<_, std::convert::Infallible>(())
    });
    let api = TransactionStatusApi::new(token(), |_: String| async {
        Ok::<_, std::convert::Infallible>(None)
    });
    for shown in [format!("{webhook:?}"), format!("{api:?}")] {
        assert!(!shown.contains(ASCII_TOKEN), "{shown}");
        assert!(shown.contains("X-Auth-Token"), "{shown}");
    }
    assert!(matches!(
        merchant::header_token(""),
        Err(merchant::InboundError::EmptySecret)
    ));
}
