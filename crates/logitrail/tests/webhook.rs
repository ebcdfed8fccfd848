//! Webhook verification and batch parsing against credentials encoded independently of the
//! code under test: each `Authorization` value below was computed with Python
//! (`python3 -c "import base64; print(base64.b64encode(b'<user>:<key>').decode())"`, the key
//! UTF-8 encoded) and pasted here. The events are the spec's examples (read from
//! `openapi.yaml`) and the docs' example, verbatim.

use ordergate_logitrail::types::{self, OrderStatus, WebhookEventType};
use ordergate_logitrail::webhook::{
    EventError, MAX_EVENTS_PER_REQUEST, Payload, WebhookCredentials, WebhookError, parse_events,
};
use ordergate_runtime::inbound::{InboundError, VerifySource};
use serde_json::{Value, json};

const USERNAME: &str = "logitrail-webhooks";
const KEY: &str = "Wh-k3y/äö+=";
/// `base64(b'logitrail-webhooks:Wh-k3y/\xc3\xa4\xc3\xb6+=')`.
const AUTHORIZATION: &str = "Basic bG9naXRyYWlsLXdlYmhvb2tzOldoLWszeS/DpMO2Kz0=";
/// `base64(b'logitrail-webhooks:Wh-k3y/\xc3\xa4\xc3\xb6+!')`: the key's last character differs.
const WRONG_KEY: &str = "Basic bG9naXRyYWlsLXdlYmhvb2tzOldoLWszeS/DpMO2KyE=";
/// `base64(b'logitrail-webhook:Wh-k3y/\xc3\xa4\xc3\xb6+=')`: the username lacks its `s`.
const WRONG_USER: &str = "Basic bG9naXRyYWlsLXdlYmhvb2s6V2gtazN5L8Okw7YrPQ==";
/// `base64(b'logitrail-webhooks:wh-key-2')`: another key altogether.
const OTHER_KEY: &str = "Basic bG9naXRyYWlsLXdlYmhvb2tzOndoLWtleS0y";

/// The example of https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html,
/// verbatim (indentation included).
const DOCS_EXAMPLE: &str = r#"{
  "event_id": "2016-01-18T08:17:55_5499362b1fb35e73548b45af",
  "webhook_id": "logitrail.com_5499362b1fb35e73118b45ad",
  "event_type": "product.info.updated",
  "ts": "2016-01-18T08:17:55+00:00",
  "retry_count": 0,
  "payload": {
    "product": {
      "id": "5499362b1fb35e73548b45aa",
      "merchants_id": "13248",
      "name": "Puhdas+ Caps Saccharomyces boulardii, 60 kaps",
      "gtin": "6430050001025"
    }
  }
}"#;

fn credentials() -> WebhookCredentials {
    WebhookCredentials::new(USERNAME, KEY).expect("credentials")
}

/// `components.schemas.<name>.example` of the crate's spec.
fn schema_example(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    let spec: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    spec["components"]["schemas"][name]["example"].clone()
}

/// The payload of a product event: the spec has no `ProductEventPayload` example, so the one
/// of the webhook example (the docs' only one) serves.
fn product_payload() -> Value {
    schema_example("WebhookEvent")["payload"].clone()
}

/// An event of `event_type` carrying `payload`, numbered `n`.
fn event(n: usize, event_type: &str, payload: Value) -> Value {
    json!({
        "event_id": format!("2016-01-18T08:17:55_{n:024x}"),
        "webhook_id": "logitrail.com_5499362b1fb35e73118b45ad",
        "event_type": event_type,
        "ts": "2016-01-18T08:17:55+00:00",
        "retry_count": 0,
        "payload": payload,
    })
}

fn verify(body: &Value) -> Vec<ordergate_logitrail::webhook::EventResult> {
    credentials()
        .verify(Some(AUTHORIZATION), body.to_string().as_bytes())
        .expect("verified and a batch")
}

/// The event, re-encoded as Logitrail sends it, is the JSON received.
fn assert_lossless(event: &ordergate_logitrail::webhook::Event, sent: &Value) {
    let raw = types::WebhookEvent::from(event.clone());
    assert_eq!(&serde_json::to_value(raw).expect("encodes"), sent);
}

#[test]
fn the_spec_s_webhook_example_verifies_and_decodes() {
    let example = schema_example("WebhookEvent");
    assert_eq!(example["event_type"], "product.info.updated");
    let events = verify(&example);
    assert_eq!(events.len(), 1);
    let event = events[0].as_ref().expect("the example is an event");
    assert_eq!(event.event_type(), WebhookEventType::ProductInfoUpdated);
    let Payload::ProductInfoUpdated(payload) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(payload.product.merchants_id.as_deref(), Some("13248"));
    assert_eq!(payload.product.gtin.as_deref(), Some("6430050001025"));
    assert_lossless(event, &example);
}

#[test]
fn the_docs_example_verbatim_verifies_and_decodes() {
    let events = credentials()
        .verify(Some(AUTHORIZATION), DOCS_EXAMPLE.as_bytes())
        .expect("verified");
    assert_eq!(events.len(), 1);
    let event = events[0].as_ref().expect("an event");
    assert_eq!(
        event.dedup_key(),
        "2016-01-18T08:17:55_5499362b1fb35e73548b45af"
    );
    assert_eq!(event.event_id, event.dedup_key());
    assert_eq!(
        event.webhook_id.as_deref(),
        Some("logitrail.com_5499362b1fb35e73118b45ad")
    );
    assert_eq!(event.ts.as_deref(), Some("2016-01-18T08:17:55+00:00"));
    assert_eq!(event.retry_count, Some(0));
    let Payload::ProductInfoUpdated(payload) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(
        payload.product.name.as_deref(),
        Some("Puhdas+ Caps Saccharomyces boulardii, 60 kaps")
    );
    assert_eq!(
        payload.product.id.as_deref(),
        Some("5499362b1fb35e73548b45aa")
    );
    assert_lossless(event, &serde_json::from_str(DOCS_EXAMPLE).expect("JSON"));
}

/// Each payload schema's example, sent under each event type it belongs to, is typed as that
/// type's payload and re-encodes to what was sent.
#[test]
fn every_event_type_gets_its_payload_type() {
    let cases = [
        ("order.info.change", "OrderEventPayload"),
        ("order.shipped", "OrderShippedPayload"),
        (
            "inbound_shipment.info.change",
            "InboundShipmentEventPayload",
        ),
        (
            "inbound_shipment.arrived_at_warehouse",
            "InboundShipmentEventPayload",
        ),
        ("inbound_shipment.processed", "InboundShipmentEventPayload"),
        ("product.inventory.change", "WebhookEvent"),
        ("product.info.change", "WebhookEvent"),
        ("product.info.missing", "WebhookEvent"),
        ("product.info.updated", "WebhookEvent"),
    ];
    assert_eq!(cases.len(), WebhookEventType::KNOWN.len());
    let batch: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(n, (event_type, schema))| {
            let example = schema_example(schema);
            // The product payload schema has no example of its own: the webhook example's.
            let payload = if *schema == "WebhookEvent" {
                product_payload()
            } else {
                example
            };
            assert!(payload.is_object(), "{schema} has an example");
            event(n, event_type, payload)
        })
        .collect();
    let events = verify(&Value::Array(batch.clone()));
    assert_eq!(events.len(), cases.len());
    for ((event, sent), (event_type, _)) in events.iter().zip(&batch).zip(cases) {
        let event = event.as_ref().expect("each example is its type's payload");
        assert_eq!(event.event_type().as_str(), event_type);
        assert!(!event.event_type().is_unknown());
        let variant_fits = match &event.payload {
            Payload::OrderInfoChange(p) => p.order.status == OrderStatus::Confirmed,
            Payload::OrderShipped(p) => {
                p.order.status == OrderStatus::Processed
                    && p.shipment.carrier_tracking_code.as_deref() == Some("JJFI64290010000012345")
            }
            Payload::InboundShipmentInfoChange(p)
            | Payload::InboundShipmentArrivedAtWarehouse(p)
            | Payload::InboundShipmentProcessed(p) => {
                event_type.starts_with("inbound_shipment.")
                    && p.inbound_shipment.id == "56987b391fb35ebd798b4573"
            }
            Payload::ProductInventoryChange(p)
            | Payload::ProductInfoChange(p)
            | Payload::ProductInfoMissing(p)
            | Payload::ProductInfoUpdated(p) => {
                event_type.starts_with("product.") && p.product.merchants_id.is_some()
            }
            other => panic!("{event_type}: {other:?}"),
        };
        assert!(variant_fits, "{event_type}: {:?}", event.payload);
        assert_lossless(event, sent);
    }
}

/// A batch with good events around bad ones: every good one is read, each bad one is an error
/// at its index, the unknown type is kept.
#[test]
fn one_bad_event_loses_no_other() {
    let product = product_payload();
    let order = schema_example("OrderEventPayload");
    let batch = json!([
        event(0, "product.inventory.change", product.clone()),
        // A known type whose payload is another type's: that event's error.
        event(1, "order.shipped", order.clone()),
        "not an event",
        // No payload at all.
        {"event_id": "e-3", "event_type": "order.info.change"},
        event(4, "order.info.change", order.clone()),
        // Unknown types are kept with their payload, whatever it holds.
        event(5, "order.teleported", json!({"where": "moon"})),
        // A status the docs do not list is kept too (open enum), not an error.
        event(6, "order.info.change", json!({"order": {"id": "5c8a1d5b0000000000000001", "status": "lost_in_space"}})),
        // A retry_count that is not a count.
        {"event_id": "e-7", "event_type": "order.info.change", "retry_count": "twice", "payload": order},
    ]);
    let events = verify(&batch);
    assert_eq!(events.len(), 8);
    let good: Vec<usize> = (0..8).filter(|i| events[*i].is_ok()).collect();
    assert_eq!(good, [0, 4, 5, 6]);
    for (index, event) in events.iter().enumerate() {
        if let Err(error) = event {
            assert_eq!(error.index(), index, "{error}");
        }
    }
    match &events[1] {
        Err(EventError::PayloadMismatch {
            index: 1,
            event_id,
            event_type: WebhookEventType::OrderShipped,
            ..
        }) => assert_eq!(
            events[1].as_ref().err().and_then(EventError::event_id),
            Some(event_id.as_str())
        ),
        other => panic!("{other:?}"),
    }
    for index in [2, 3, 7] {
        let error = events[index].as_ref().expect_err("not an event");
        assert!(matches!(error, EventError::NotAnEvent(_)), "{error:?}");
        assert_eq!(error.event_id(), None);
        assert!(
            error
                .to_string()
                .starts_with(&format!("event {index} of the batch"))
        );
    }
    let unknown = events[5].as_ref().expect("kept");
    assert_eq!(
        unknown.event_type(),
        WebhookEventType::Unknown("order.teleported".to_owned())
    );
    assert!(matches!(
        &unknown.payload,
        Payload::Unknown { event_type, payload }
            if event_type == "order.teleported" && payload["where"] == "moon"
    ));
    assert_lossless(unknown, &batch[5]);
    let Payload::OrderInfoChange(change) = &events[6].as_ref().expect("kept").payload else {
        panic!("{:?}", events[6]);
    };
    assert_eq!(
        change.order.status,
        OrderStatus::Unknown("lost_in_space".to_owned())
    );
}

/// The product payloads are inferred from the docs' one example: whatever else an event
/// carries next to `product` (quantities, for an inventory change) is kept, and sent back.
#[test]
fn a_product_payload_keeps_what_it_does_not_model() {
    let mut payload = product_payload();
    // `inventory` as the Codaone WooCommerce receiver reads it; `merchant_id` as the Magento
    // one does (sic); `warehouse` as nobody documents it.
    payload["inventory"] = json!({"available": 5, "reserved": 3});
    payload["product"]["merchant_id"] = json!("13248");
    payload["warehouse"] = json!("FI-1");
    let sent = event(0, "product.inventory.change", payload);
    let events = verify(&sent);
    let event = events[0].as_ref().expect("an event");
    let Payload::ProductInventoryChange(change) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(change.inventory.as_ref().and_then(|i| i.available), Some(5));
    assert_eq!(change.product.extra["merchant_id"], "13248");
    assert_eq!(change.extra["warehouse"], "FI-1");
    assert_lossless(event, &sent);
}

/// An event decoded by other means is typed the same way.
#[test]
fn a_raw_event_is_typed_by_its_event_type() {
    let raw: types::WebhookEvent =
        serde_json::from_value(schema_example("WebhookEvent")).expect("the example decodes");
    let event = ordergate_logitrail::webhook::Event::from_raw(raw.clone()).expect("typed");
    assert!(matches!(event.payload, Payload::ProductInfoUpdated(_)));
    assert_eq!(types::WebhookEvent::from(event), raw);
    let mismatched = types::WebhookEvent {
        event_type: WebhookEventType::OrderShipped,
        ..raw
    };
    let error =
        ordergate_logitrail::webhook::Event::from_raw(mismatched).expect_err("not an order");
    assert!(
        matches!(
            &error,
            EventError::PayloadMismatch {
                event_type: WebhookEventType::OrderShipped,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.event_id(),
        Some("2016-01-18T08:17:55_5499362b1fb35e73548b45af")
    );
}

#[test]
fn a_single_object_is_a_batch_of_one_and_other_json_is_refused() {
    let single = event(
        0,
        "inbound_shipment.processed",
        schema_example("InboundShipmentEventPayload"),
    );
    assert_eq!(verify(&single).len(), 1);
    assert!(verify(&json!([])).is_empty());
    for body in [&b"7"[..], b"\"event\"", b"null", b"{", b"", b"\xff"] {
        let error = credentials()
            .verify(Some(AUTHORIZATION), body)
            .expect_err("not a batch");
        assert!(matches!(error, WebhookError::InvalidBody(_)), "{error:?}");
    }
}

#[test]
fn exactly_100_events_are_read_and_101_are_refused_whole() {
    let payload = schema_example("InboundShipmentEventPayload");
    let batch = |count: usize| {
        Value::Array(
            (0..count)
                .map(|n| event(n, "inbound_shipment.info.change", payload.clone()))
                .collect(),
        )
    };
    assert_eq!(MAX_EVENTS_PER_REQUEST, 100);
    let events = verify(&batch(100));
    assert_eq!(events.len(), 100);
    assert!(events.iter().all(Result::is_ok));
    let error = credentials()
        .verify(Some(AUTHORIZATION), batch(101).to_string().as_bytes())
        .expect_err("over the limit");
    assert!(
        matches!(
            error,
            WebhookError::TooManyEvents {
                count: 101,
                limit: 100
            }
        ),
        "{error:?}"
    );
}

/// Wrong or missing credentials are refused, and the body is never read: a body that is not
/// JSON reports the credentials, not the body.
#[test]
fn wrong_or_missing_credentials_are_refused_with_nothing_parsed() {
    let credentials = credentials();
    let good = DOCS_EXAMPLE.as_bytes();
    let garbage = b"\xff not json";
    for body in [good, &garbage[..]] {
        for (authorization, expected) in [
            (None, "missing"),
            (Some(WRONG_KEY), "wrong"),
            (Some(WRONG_USER), "wrong"),
            (Some(OTHER_KEY), "wrong"),
            (Some(""), "malformed"),
            (Some("Basic"), "malformed"),
            (Some("Bearer bG9naXRyYWls"), "malformed"),
            (Some("Basic not base64!"), "malformed"),
            // base64("logitrail") has no colon.
            (Some("Basic bG9naXRyYWls"), "malformed"),
        ] {
            let error = credentials
                .verify(authorization, body)
                .expect_err("refused");
            let kind = match error {
                WebhookError::MissingCredentials => "missing",
                WebhookError::WrongCredentials => "wrong",
                WebhookError::MalformedCredentials => "malformed",
                ref other => panic!("{authorization:?}: {other:?}"),
            };
            assert_eq!(kind, expected, "{authorization:?}");
            assert!(!error.to_string().contains(KEY));
        }
    }
    // The right credentials: the scheme word is case-insensitive (RFC 7617).
    let lower = AUTHORIZATION.replacen("Basic", "basic", 1);
    assert_eq!(
        credentials
            .verify(Some(&lower), good)
            .expect("verified")
            .len(),
        1
    );
    assert!(matches!(
        credentials.verify(Some(AUTHORIZATION), garbage),
        Err(WebhookError::InvalidBody(_))
    ));
}

#[test]
fn the_header_is_read_from_the_request_once() {
    let credentials = credentials();
    let body = DOCS_EXAMPLE.as_bytes();
    let mut headers = http::HeaderMap::new();
    assert!(matches!(
        credentials.verify_request(&headers, body),
        Err(WebhookError::MissingCredentials)
    ));
    headers.insert("authorization", AUTHORIZATION.parse().expect("value"));
    assert_eq!(
        credentials
            .verify_request(&headers, body)
            .expect("verified")
            .len(),
        1
    );
    headers.append("authorization", AUTHORIZATION.parse().expect("value"));
    assert!(matches!(
        credentials.verify_request(&headers, body),
        Err(WebhookError::MissingCredentials)
    ));
}

/// The scheme serves code that verifies several providers alike; `parse_events` reads what it
/// verified.
#[test]
fn the_scheme_is_the_runtime_s_basic_auth() {
    let credentials = credentials();
    let scheme: &dyn VerifySource = credentials.scheme();
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", AUTHORIZATION.parse().expect("value"));
    let verified = scheme
        .verify(&headers, DOCS_EXAMPLE.as_bytes())
        .expect("verified");
    let events = parse_events(verified).expect("a batch");
    assert_eq!(events.len(), 1);
    assert!(events[0].is_ok());
}

#[test]
fn bad_configuration_oversized_bodies_and_debug_keep_the_secret() {
    assert!(matches!(
        WebhookCredentials::new(USERNAME, ""),
        Err(WebhookError::EmptyKey)
    ));
    assert!(matches!(
        WebhookCredentials::new("logitrail:webhooks", KEY),
        Err(WebhookError::InvalidUsername)
    ));
    let credentials = credentials();
    let printed = format!("{credentials:?} {:?}", credentials.scheme());
    assert!(
        !printed.contains(KEY) && !printed.contains(USERNAME),
        "{printed}"
    );
    let large = vec![b' '; ordergate_runtime::inbound::DEFAULT_MAX_BODY_BYTES + 1];
    let error = credentials
        .verify(Some(AUTHORIZATION), &large)
        .expect_err("too large");
    assert!(
        matches!(
            error,
            WebhookError::Refused(InboundError::BodyTooLarge { .. })
        ),
        "{error:?}"
    );
    let oversized = format!(
        "Basic {}",
        "A".repeat(ordergate_runtime::inbound::MAX_HEADER_BYTES)
    );
    assert!(matches!(
        credentials.verify(Some(&oversized), DOCS_EXAMPLE.as_bytes()),
        Err(WebhookError::MalformedCredentials)
    ));
}

#[path = "../../../tests/support/webhook_receiver.rs"]
mod receiver;

/// A webhook receiver on loopback (hyper, as an application would run it), posted to with
/// reqwest: it answers 200 with the de-duplication keys of the events it read (and `!index`
/// for each bad one), 401 for refused credentials, 400 for a body that is not a batch.
mod over_http {
    use hyper::StatusCode;
    use ordergate_logitrail::webhook::{WebhookCredentials, WebhookError};
    use ordergate_runtime::ClientConfig;
    use serde_json::json;

    use super::{
        AUTHORIZATION, DOCS_EXAMPLE, KEY, USERNAME, WRONG_KEY, event, receiver, schema_example,
    };

    /// Answers 200 with the de-duplication keys of the events read (`!index` for each bad
    /// one), 401 for refused credentials, 400 for a body that is not a batch.
    async fn start_receiver() -> String {
        let credentials = WebhookCredentials::new(USERNAME, KEY).expect("credentials");
        receiver::start(
            "/webhooks/logitrail",
            move |headers, body| match credentials.verify_request(headers, body) {
                Ok(events) => {
                    let keys: Vec<String> = events
                        .iter()
                        .map(|event| match event {
                            Ok(event) => event.dedup_key().to_owned(),
                            Err(error) => format!("!{}", error.index()),
                        })
                        .collect();
                    (StatusCode::OK, keys.join(","))
                }
                Err(
                    error @ (WebhookError::MissingCredentials
                    | WebhookError::MalformedCredentials
                    | WebhookError::WrongCredentials),
                ) => (StatusCode::UNAUTHORIZED, error.to_string()),
                Err(error) => (StatusCode::BAD_REQUEST, error.to_string()),
            },
        )
        .await
    }

    #[tokio::test]
    async fn a_receiver_reads_batches_with_the_right_credentials_and_refuses_the_rest() {
        let url = start_receiver().await;
        let client = ordergate_runtime::http_client_builder(&ClientConfig::default())
            .build()
            .expect("client");
        let batch = json!([
            event(1, "order.shipped", schema_example("OrderShippedPayload")),
            event(2, "order.shipped", json!({"order": {}})),
            event(3, "product.info.missing", super::product_payload()),
        ])
        .to_string();
        let first = "2016-01-18T08:17:55_000000000000000000000001";
        let third = "2016-01-18T08:17:55_000000000000000000000003";
        for (body, authorization, status, answer) in [
            (
                DOCS_EXAMPLE.to_owned(),
                Some(AUTHORIZATION),
                200,
                "2016-01-18T08:17:55_5499362b1fb35e73548b45af".to_owned(),
            ),
            (
                batch.clone(),
                Some(AUTHORIZATION),
                200,
                format!("{first},!1,{third}"),
            ),
            (
                batch.clone(),
                Some(WRONG_KEY),
                401,
                "do not match".to_owned(),
            ),
            (batch, None, 401, "no single Authorization".to_owned()),
            (
                "[1,".to_owned(),
                Some(AUTHORIZATION),
                400,
                "not an event".to_owned(),
            ),
        ] {
            let mut request = client
                .post(&url)
                .header("content-type", "application/json")
                .body(body);
            if let Some(authorization) = authorization {
                request = request.header("authorization", authorization);
            }
            let response = request.send().await.expect("answered");
            assert_eq!(response.status().as_u16(), status);
            let text = response.text().await.expect("text");
            assert!(text.contains(&answer), "{text}");
            assert!(!text.contains(KEY), "{text}");
        }
    }

    /// reqwest's own Basic encoding (what an HTTP client such as Logitrail's sends) is
    /// accepted too.
    #[tokio::test]
    async fn credentials_set_by_an_http_client_s_basic_auth_are_accepted() {
        let url = start_receiver().await;
        let client = ordergate_runtime::http_client_builder(&ClientConfig::default())
            .build()
            .expect("client");
        let response = client
            .post(&url)
            .basic_auth(USERNAME, Some(KEY))
            .body(DOCS_EXAMPLE)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status().as_u16(), 200);
    }
}
