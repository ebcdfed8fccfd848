//! What the existing Logitrail clients send, byte for byte (`common::codaone`: the Codaone
//! Magento 2 and WooCommerce modules), written to the sandbox over a raw TCP connection, and
//! answered as Logitrail's docs say: an update with `{success, order_id}`, a confirm without a
//! body with the tracking code and URL, a product upsert with 201 `created` then 200. Only two
//! things differ from the captured bytes: the Basic credentials are the sandbox's, and the
//! order id is one the sandbox created (the shops got theirs from the checkout).

mod common;
use common::codaone::{self, ClientRequest, CodaoneClient};

use std::time::Duration;

use base64::Engine as _;
use ordergate_logitrail::{Client, Credentials, types};
use ordergate_sandbox::Sandbox;
use ordergate_sandbox::logitrail::{MERCHANT_ID, SECRET};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The sandbox's `Authorization`, in place of the captured merchant's.
fn authorization() -> String {
    let pair = format!("M-{MERCHANT_ID}:{SECRET}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Writes `request` as the PHP client does (its headers in its order, `Content-Length` when
/// there is a body, no `Connection` header), with `order_id` in place of the captured one, and
/// reads the answer: the status and the JSON body.
async fn replay(sandbox: &Sandbox, request: &ClientRequest, order_id: &str) -> (u16, Value) {
    let base = sandbox.base_url("logitrail");
    let base_path = base
        .split_once("//")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, path)| format!("/{path}"))
        .expect("a base URL with a path");
    let path = request.path.replace(codaone::LOGITRAIL_ORDER_ID, order_id);
    let mut bytes = format!(
        "{} {base_path}/{path} HTTP/1.1\r\nHost: {}\r\n",
        request.method,
        sandbox.addr()
    );
    for (name, value) in request.headers {
        let value = if *name == "Authorization" {
            authorization()
        } else {
            (*value).to_owned()
        };
        bytes.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = request.content_length() {
        bytes.push_str(&format!("Content-Length: {length}\r\n"));
    }
    bytes.push_str("\r\n");
    bytes.push_str(request.body.unwrap_or_default());

    let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connect");
    stream.write_all(bytes.as_bytes()).await.expect("write");
    let answer = tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream))
        .await
        .expect("the sandbox answers within 5 s");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{head}\n{body}: {e}"));
    (status, body)
}

/// One HTTP/1.1 response with a `content-length` (the sandbox always sends one).
async fn read_response(stream: &mut TcpStream) -> String {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = stream.read(&mut chunk).await.expect("read");
        buffer.extend_from_slice(&chunk[..read]);
        let text = String::from_utf8_lossy(&buffer).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                })
                .expect("a content-length");
            if body.len() >= length || read == 0 {
                return text;
            }
        }
        assert!(read > 0, "the connection closed before the answer ended");
    }
}

/// A passive order, created through the typed client, for a shop's update and confirm.
async fn passive_order(sandbox: &Sandbox) -> String {
    let client = Client::with_credentials(
        &sandbox.base_url("logitrail"),
        Credentials::new(MERCHANT_ID, SECRET),
    )
    .expect("client");
    let order: types::OrderUpdate = serde_json::from_value(json!({
        "merchants_order": "checkout-1",
        "products": [{"merchants_id": "MUG-1", "name": "Kahvimuki", "qty": 1}],
        "destination": "home"
    }))
    .expect("an order");
    client
        .create_order()
        .body(order)
        .send()
        .await
        .expect("created")
        .into_inner()
        .order_id
}

#[tokio::test]
async fn each_shop_updates_then_confirms_as_the_docs_answer() {
    let sandbox = common::start().await;
    let flows = [
        (
            CodaoneClient::Magento2,
            codaone::MAGENTO_UPDATE_ORDER,
            codaone::MAGENTO_CONFIRM_ORDER,
        ),
        (
            CodaoneClient::WooCommerce,
            codaone::WOOCOMMERCE_UPDATE_ORDER,
            codaone::WOOCOMMERCE_CONFIRM_ORDER,
        ),
    ];
    for (shop, update, confirm) in flows {
        assert_eq!((update.client, confirm.client), (shop, shop));
        assert!(confirm.body.is_none(), "{shop:?} confirms without a body");
        let id = passive_order(&sandbox).await;

        let (status, body) = replay(&sandbox, &update, &id).await;
        assert_eq!(status, 200, "{shop:?} update: {body}");
        assert_eq!(body, json!({"success": true, "order_id": id}), "{shop:?}");

        let (status, body) = replay(&sandbox, &confirm, &id).await;
        assert_eq!(status, 200, "{shop:?} confirm: {body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["order_id"], json!(id));
        // What the shops read next (`tracking_code`, `tracking_url`).
        assert!(
            body["tracking_code"]
                .as_str()
                .is_some_and(|c| !c.is_empty())
        );
        assert!(
            body["tracking_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
        assert_eq!(
            sandbox.order_status("logitrail", &id).as_deref(),
            Some("confirmed")
        );

        // A second confirm, as after a retry in the shop: refused, the order unchanged.
        let (status, body) = replay(&sandbox, &confirm, &id).await;
        assert_eq!(
            (status, &body["code"]),
            (409, &json!("order_not_passive")),
            "{shop:?}"
        );
    }
    let checked = common::validate_every_response(&sandbox, false);
    assert!(checked >= 7, "{checked}");
}

#[tokio::test]
async fn each_shops_product_upserts_create_then_update() {
    let sandbox = common::start().await;
    let upserts = [
        codaone::MAGENTO_UPSERT_PRODUCT,
        codaone::MAGENTO_UPSERT_BARE_PRODUCT,
        codaone::WOOCOMMERCE_UPSERT_PRODUCT,
    ];
    for request in upserts {
        let label = request.source;
        let (status, body) = replay(&sandbox, &request, "").await;
        assert_eq!(status, 201, "{label}: {body}");
        assert_eq!(body, json!({"success": true, "created": true}), "{label}");
        let (status, body) = replay(&sandbox, &request, "").await;
        assert_eq!(status, 200, "{label}: {body}");
        assert_eq!(body, json!({"success": true}), "{label}");
    }
    // Each product exists, under the id the shop sent (Magento's numeric strings included).
    let client = Client::with_credentials(
        &sandbox.base_url("logitrail"),
        Credentials::new(MERCHANT_ID, SECRET),
    )
    .expect("client");
    for request in upserts {
        let sent: Value = serde_json::from_str(request.body.expect("a body")).expect("JSON");
        let merchants_id = match &sent["merchants_id"] {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        };
        let answer = client
            .get_inventory()
            .merchants_id(merchants_id.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{merchants_id}: {e}"));
        match answer.into_inner() {
            types::InventoryAnswer::ProductInventory(product) => {
                assert_eq!(product.merchants_id, merchants_id);
            }
            other => panic!("one product, not {other:?}"),
        }
    }
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn every_captured_request_is_replayed() {
    // The tests above send every request of the fixture: none is left out unnoticed.
    assert_eq!(codaone::ALL.len(), 7);
    let covered = [
        codaone::MAGENTO_UPDATE_ORDER.source,
        codaone::MAGENTO_CONFIRM_ORDER.source,
        codaone::MAGENTO_UPSERT_PRODUCT.source,
        codaone::MAGENTO_UPSERT_BARE_PRODUCT.source,
        codaone::WOOCOMMERCE_UPDATE_ORDER.source,
        codaone::WOOCOMMERCE_CONFIRM_ORDER.source,
        codaone::WOOCOMMERCE_UPSERT_PRODUCT.source,
    ];
    for request in codaone::ALL {
        assert!(covered.contains(&request.source), "{}", request.source);
    }
}
