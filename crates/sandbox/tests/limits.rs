//! The bounds that keep a misbehaving client from holding the sandbox's memory or connections:
//! the recorder keeps only the most recent responses, a request's head and body must arrive in
//! time, and a body over the size limit gets HTTP 413 on every route, with or without
//! `Content-Length`. Each test runs against the real server on loopback.

mod common;

use common::{SandboxExt, http_with_timeout};

use std::time::{Duration, Instant};

use ordergate::{OrderProvider, OrderStatus, ProviderName};
use ordergate_sandbox::{MAX_BODY_BYTES, RECORDED_RESPONSES, Sandbox, SandboxOptions};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A body well over [`MAX_BODY_BYTES`].
const HUGE: usize = 20 * 1024 * 1024;

/// A route: method, path, and the headers that get a request past the fake's other checks.
type Route = (&'static str, &'static str, Vec<(&'static str, String)>);

/// Every route with a body, and one outside every provider prefix.
fn routes() -> Vec<Route> {
    let bearer = |token: &str| ("authorization", format!("Bearer {token}"));
    vec![
        (
            "POST",
            "/fuuffy/v1/auth/token",
            vec![(
                "content-type",
                "application/x-www-form-urlencoded".to_owned(),
            )],
        ),
        (
            "POST",
            "/fuuffy/v1/order/confirm",
            vec![bearer(ordergate_sandbox::fuuffy::TOKEN)],
        ),
        (
            "POST",
            "/logitrail/2015-01-01/orders/5c8a1d5b0000000000000001/_confirm",
            vec![],
        ),
        (
            "PUT",
            "/onemg/api/v4/merchants/ordergate-sandbox/orders/PO29523371880004/confirm",
            vec![
                bearer(ordergate_sandbox::onemg::TOKEN),
                (
                    "x-access-key",
                    ordergate_sandbox::onemg::ACCESS_KEY.to_owned(),
                ),
            ],
        ),
        (
            "PUT",
            "/fastpod/v1/orders/F237-120723-000001/status",
            vec![
                bearer(ordergate_sandbox::fastpod::TOKEN),
                ("accept", "application/json".to_owned()),
            ],
        ),
        ("GET", "/fastpod/v1/orders/F237-120723-000001", vec![]),
        ("POST", "/nowhere", vec![]),
    ]
}

/// Checks that `sandbox` still serves: a confirm through the facade succeeds.
async fn still_serves(sandbox: &Sandbox, provider: ProviderName) {
    let id = sandbox.confirmable_orders(provider)[0].clone();
    let order = sandbox
        .provider(provider)
        .expect("adapter")
        .confirm_order(&sandbox.confirm_request(provider, &id))
        .await
        .expect("the sandbox still confirms");
    assert_eq!(order.status, OrderStatus::Confirmed);
}

/// Reads from `stream` until the server closes it (or resets it); what was read, and whether
/// it closed within `within`.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (Vec<u8>, bool) {
    let mut received = Vec::new();
    let closed = tokio::time::timeout(within, async {
        let mut buffer = [0_u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .is_ok();
    (received, closed)
}

/// The status code of the HTTP/1.1 response at the start of `raw`.
fn status_of(raw: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(raw);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

#[tokio::test]
async fn the_recorder_keeps_only_the_most_recent_responses() {
    let sandbox = common::start().await;
    assert_eq!(sandbox.response_capacity(), RECORDED_RESPONSES);
    let client = http_with_timeout(Duration::from_secs(20));
    let root = sandbox.url();
    let total = 5_000;
    for i in 0..total {
        let response = client
            .get(format!("{root}/nowhere/{i}"))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 404);
        response.bytes().await.expect("read");
    }
    let recorded = sandbox.responses();
    assert_eq!(recorded.len(), RECORDED_RESPONSES);
    let paths: Vec<String> = recorded.iter().map(|r| r.path.clone()).collect();
    let expected: Vec<String> = (total - RECORDED_RESPONSES..total)
        .map(|i| format!("/nowhere/{i}"))
        .collect();
    assert_eq!(paths, expected, "the most recent, oldest first");
    assert!(
        recorded
            .iter()
            .all(|r| r.status == 404 && r.body.is_object())
    );

    sandbox.clear_responses();
    assert!(sandbox.responses().is_empty());
    client
        .get(format!("{root}/nowhere/again"))
        .send()
        .await
        .expect("sent");
    assert_eq!(sandbox.responses().len(), 1);
}

#[tokio::test]
async fn the_recorder_capacity_can_be_changed_or_turned_off() {
    let client = http_with_timeout(Duration::from_secs(20));
    for capacity in [0, 3] {
        let sandbox =
            ordergate_sandbox::start_with(SandboxOptions::default().recorded_responses(capacity))
                .await
                .expect("starts");
        assert_eq!(sandbox.response_capacity(), capacity);
        for i in 0..10 {
            client
                .get(format!("{}/nowhere/{i}", sandbox.url()))
                .send()
                .await
                .expect("sent");
        }
        let paths: Vec<String> = sandbox.responses().into_iter().map(|r| r.path).collect();
        let expected: Vec<String> = (10 - capacity..10)
            .map(|i| format!("/nowhere/{i}"))
            .collect();
        assert_eq!(paths, expected);
    }
}

#[tokio::test]
async fn a_client_that_stops_mid_headers_is_disconnected() {
    let timeout = Duration::from_secs(1);
    let sandbox =
        ordergate_sandbox::start_with(SandboxOptions::default().header_read_timeout(timeout))
            .await
            .expect("starts");

    // Half a request head, then silence.
    let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
    let started = Instant::now();
    stream
        .write_all(b"POST /fuuffy/v1/order/confirm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        .await
        .expect("writes");
    let (_, closed) = read_until_closed(&mut stream, timeout * 4).await;
    assert!(
        closed,
        "the connection is still open after {:?}",
        timeout * 4
    );
    assert!(started.elapsed() >= timeout / 2, "{:?}", started.elapsed());

    // A connection that never sends anything is closed too.
    let mut idle = TcpStream::connect(sandbox.addr()).await.expect("connects");
    let (received, closed) = read_until_closed(&mut idle, timeout * 4).await;
    assert!(closed, "the idle connection is still open");
    assert!(received.is_empty());

    still_serves(&sandbox, ProviderName::Fuuffy).await;
}

#[tokio::test]
async fn a_client_that_stops_mid_body_gets_408() {
    let timeout = Duration::from_secs(1);
    let sandbox =
        ordergate_sandbox::start_with(SandboxOptions::default().body_read_timeout(timeout))
            .await
            .expect("starts");
    let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
    let started = Instant::now();
    stream
        .write_all(
            b"POST /fuuffy/v1/order/confirm HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"order_id\":",
        )
        .await
        .expect("writes");
    let (received, closed) = read_until_closed(&mut stream, timeout * 4).await;
    assert!(
        closed,
        "the connection is still open after {:?}",
        timeout * 4
    );
    assert!(started.elapsed() >= timeout / 2, "{:?}", started.elapsed());
    assert_eq!(
        status_of(&received),
        Some(408),
        "{}",
        String::from_utf8_lossy(&received)
    );
    let recorded = sandbox.responses();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, 408);
    assert!(recorded[0].body["message"].is_string());
    still_serves(&sandbox, ProviderName::Fuuffy).await;
}

#[tokio::test]
async fn a_huge_body_with_content_length_gets_413_on_every_route() {
    let sandbox = common::start().await;
    let client = http_with_timeout(Duration::from_secs(20));
    let body = vec![b' '; HUGE];
    for (method, path, headers) in routes() {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = client
            .request(method, format!("{}{path}", sandbox.url()))
            .body(body.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("an answer, not a reset");
        assert_eq!(response.status().as_u16(), 413, "{path}");
        let answer = response.json::<Value>().await.expect("a JSON body");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|message| message.contains(&MAX_BODY_BYTES.to_string())),
            "{path}: {answer}"
        );
    }
    let recorded = sandbox.responses();
    assert_eq!(recorded.len(), routes().len());
    assert!(
        recorded
            .iter()
            .all(|r| r.status == 413 && r.operation_id.is_none())
    );
    // Nothing was confirmed by the refused requests, and the sandbox still serves.
    assert_eq!(sandbox.confirmable_orders(ProviderName::Logitrail).len(), 4);
    still_serves(&sandbox, ProviderName::Logitrail).await;
    still_serves(&sandbox, ProviderName::Fastpod).await;
}

#[tokio::test]
async fn a_huge_chunked_body_gets_413_on_every_route() {
    let sandbox = common::start().await;
    for (method, path, headers) in routes() {
        let stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
        let (mut reader, mut writer) = stream.into_split();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        // Writes concurrently with the read below, as a client streaming a body does; stops
        // quietly when the server closes the connection. The write half is kept open (not
        // shut down) until the answer is read, as an HTTP client does.
        let send = tokio::spawn(async move {
            writer.write_all(head.as_bytes()).await?;
            let chunk = [b' '; 64 * 1024];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            for _ in 0..HUGE / chunk.len() {
                writer.write_all(&framed).await?;
            }
            writer.write_all(b"0\r\n\r\n").await?;
            writer.flush().await?;
            Ok::<_, std::io::Error>(writer)
        });
        let mut received = Vec::new();
        let answered = tokio::time::timeout(Duration::from_secs(20), async {
            let mut buffer = [0_u8; 4096];
            while !String::from_utf8_lossy(&received).contains("}") {
                match reader.read(&mut buffer).await {
                    Ok(0) => break,
                    Err(error) => panic!("{path}: {error}"),
                    Ok(n) => received.extend_from_slice(&buffer[..n]),
                }
            }
        })
        .await;
        assert!(answered.is_ok(), "{path}: no answer");
        assert_eq!(
            status_of(&received),
            Some(413),
            "{path}: {}",
            String::from_utf8_lossy(&received)
        );
        drop(reader);
        let _ = send.await;
    }
    let recorded = sandbox.responses();
    assert_eq!(recorded.len(), routes().len());
    assert!(recorded.iter().all(|r| r.status == 413));
    still_serves(&sandbox, ProviderName::Onemg).await;
    still_serves(&sandbox, ProviderName::Fuuffy).await;
}

#[tokio::test]
async fn a_client_expecting_100_continue_gets_413_before_sending_the_body() {
    let sandbox = common::start().await;
    let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
    let head = format!(
        "POST /fuuffy/v1/order/confirm HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Length: {HUGE}\r\nExpect: 100-continue\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    let (received, closed) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed);
    assert_eq!(
        status_of(&received),
        Some(413),
        "{}",
        String::from_utf8_lossy(&received)
    );
}

#[tokio::test]
async fn a_body_at_the_limit_still_reaches_the_fake() {
    let sandbox = common::start().await;
    let client = http_with_timeout(Duration::from_secs(20));
    use ordergate_sandbox::logitrail::{MERCHANT_ID, SECRET};
    let username = format!("M-{MERCHANT_ID}");
    let url = |id: &str| {
        format!(
            "{}/orders/{id}/_confirm",
            sandbox.base_url(ProviderName::Logitrail)
        )
    };
    // Logitrail accepts a blank body: the limit itself is the only reason to refuse.
    let at_limit = client
        .post(url("5c8a1d5b0000000000000001"))
        .basic_auth(&username, Some(SECRET))
        .body(vec![b' '; MAX_BODY_BYTES])
        .send()
        .await
        .expect("sent");
    assert_eq!(at_limit.status().as_u16(), 200);
    let over = client
        .post(url("5c8a1d5b0000000000000002"))
        .basic_auth(&username, Some(SECRET))
        .body(vec![b' '; MAX_BODY_BYTES + 1])
        .send()
        .await
        .expect("sent");
    assert_eq!(over.status().as_u16(), 413);
    assert_eq!(
        sandbox
            .order_status(ProviderName::Logitrail, "5c8a1d5b0000000000000002")
            .as_deref(),
        Some("passive")
    );

    // A smaller limit applies the same way.
    let small = ordergate_sandbox::start_with(SandboxOptions::default().max_body_bytes(16))
        .await
        .expect("starts");
    let response = client
        .post(format!("{}/nowhere", small.url()))
        .body(vec![b'x'; 17])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 413);
}
