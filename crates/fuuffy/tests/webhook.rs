//! Webhook verification against signatures computed independently of the code under test:
//! RFC 4231's HMAC-SHA256 test case 2, and signatures computed with Python's `hmac` module
//! (`hmac.new(secret, body, hashlib.sha256).hexdigest()`), pasted here as constants.

use ordergate_fuuffy::types::{WebhookEvent, WebhookEventName};
use ordergate_fuuffy::webhook::{SIGNATURE_HEADER, WebhookError, WebhookSecret};

const SECRET: &str = "fuuffy-webhook-secret";

/// The Tracking Webhooks page's example payload (https://api-docs.fuuffy.com/api/tracking/webhook),
/// compact.
const DOCS_BODY: &str = r#"{"event":"order.in_transit","timestamp":"2024-01-16T08:15:00Z","data":{"order_id":"order_1a2b3c4d5e6f","tracking_number":"FUF123456789","status":"in_transit","location":{"city":"Chicago","state":"IL","country":"US"},"description":"Package in transit to destination","estimated_delivery":"2024-01-18T17:00:00Z"}}"#;
/// Python: HMAC-SHA256 of `DOCS_BODY` keyed with `SECRET`.
const DOCS_SIGNATURE: &str = "aed6f032c70ae7d0ee63d113d2c4d307dce00450bc96e724f9f13532493f17e9";

/// A body with non-ASCII text and spaces: the signature covers the raw UTF-8 bytes.
const UTF8_BODY: &str = r#"{"event": "order.picked_up", "data": {"order_id": "3550875", "location": {"city": "深圳市"}}}"#;
/// Python: HMAC-SHA256 of `UTF8_BODY` (UTF-8) keyed with `SECRET`.
const UTF8_SIGNATURE: &str = "9c7a630640b19276a143fabc306fe614f96b57cfcd15ce6be746a92cd72f4d0a";

fn secret() -> WebhookSecret {
    WebhookSecret::new(SECRET).expect("non-empty secret")
}

#[test]
fn rfc_4231_test_case_2_signs_as_published() {
    let secret = WebhookSecret::new("Jefe").expect("non-empty");
    assert_eq!(
        secret.sign(b"what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn the_docs_payload_verifies_and_decodes_losslessly() {
    let secret = secret();
    assert_eq!(secret.sign(DOCS_BODY.as_bytes()), DOCS_SIGNATURE);
    let event = secret
        .verify(Some(DOCS_SIGNATURE), DOCS_BODY.as_bytes())
        .expect("verifies");
    assert_eq!(event.event, WebhookEventName::OrderInTransit);
    let data = event.data.as_ref().expect("data");
    assert_eq!(data.order_id.as_deref(), Some("order_1a2b3c4d5e6f"));
    assert_eq!(
        data.location.as_ref().and_then(|l| l.city.as_deref()),
        Some("Chicago")
    );
    let value: serde_json::Value = serde_json::from_str(DOCS_BODY).expect("json");
    assert_eq!(serde_json::to_value(&event).expect("encodes"), value);
}

#[test]
fn upper_case_hex_and_surrounding_whitespace_are_accepted() {
    let secret = secret();
    let upper = format!(" {} ", UTF8_SIGNATURE.to_uppercase());
    let event = secret
        .verify(Some(&upper), UTF8_BODY.as_bytes())
        .expect("verifies");
    assert_eq!(event.event, WebhookEventName::OrderPickedUp);
}

#[test]
fn a_missing_malformed_or_wrong_signature_is_refused() {
    let secret = secret();
    let body = DOCS_BODY.as_bytes();
    assert!(matches!(
        secret.verify(None, body),
        Err(WebhookError::MissingSignature)
    ));
    for malformed in [
        "",
        "sha256=aed6",
        &DOCS_SIGNATURE[..63],
        &format!("{DOCS_SIGNATURE}0"),
        &DOCS_SIGNATURE.replace('a', "g"),
    ] {
        assert!(
            matches!(
                secret.verify(Some(malformed), body),
                Err(WebhookError::MalformedSignature)
            ),
            "{malformed:?}"
        );
    }
    // Another body's signature, the right signature with one digit changed, another secret,
    // and the body with one byte changed (re-serialized JSON is not the raw body).
    let mut flipped = DOCS_SIGNATURE.to_owned();
    flipped.replace_range(0..1, "b");
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(DOCS_BODY).expect("json"),
    )
    .expect("pretty");
    let other_secret = WebhookSecret::new("another-secret").expect("non-empty");
    for (signer, signature, body) in [
        (&secret, UTF8_SIGNATURE, body),
        (&secret, flipped.as_str(), body),
        (&other_secret, DOCS_SIGNATURE, body),
        (&secret, DOCS_SIGNATURE, pretty.as_bytes()),
    ] {
        assert!(matches!(
            signer.verify(Some(signature), body),
            Err(WebhookError::WrongSignature)
        ));
    }
}

/// A body that is not JSON at all, with a wrong signature, reports the signature: the body was
/// never parsed. With the right signature it reports the payload.
#[test]
fn the_body_is_parsed_only_after_the_signature_checks_out() {
    let secret = secret();
    let garbage = b"\xff not json";
    assert!(matches!(
        secret.verify(Some(DOCS_SIGNATURE), garbage),
        Err(WebhookError::WrongSignature)
    ));
    let signature = secret.sign(garbage);
    assert!(matches!(
        secret.verify(Some(&signature), garbage),
        Err(WebhookError::InvalidPayload(_))
    ));
}

#[test]
fn the_header_is_read_from_the_request_once() {
    let secret = secret();
    let body = UTF8_BODY.as_bytes();
    let mut headers = http::HeaderMap::new();
    assert!(matches!(
        secret.verify_request(&headers, body),
        Err(WebhookError::MissingSignature)
    ));
    headers.insert(
        SIGNATURE_HEADER,
        UTF8_SIGNATURE.parse().expect("header value"),
    );
    let event: WebhookEvent = secret.verify_request(&headers, body).expect("verifies");
    assert_eq!(event.event, WebhookEventName::OrderPickedUp);
    headers.append(
        SIGNATURE_HEADER,
        UTF8_SIGNATURE.parse().expect("header value"),
    );
    assert!(matches!(
        secret.verify_request(&headers, body),
        Err(WebhookError::MissingSignature)
    ));
}

#[test]
fn an_unknown_event_name_is_kept_and_the_secret_never_prints() {
    let secret = secret();
    let body = br#"{"event":"order.teleported"}"#;
    let event = secret
        .verify(Some(&secret.sign(body)), body)
        .expect("verifies");
    assert_eq!(
        event.event,
        WebhookEventName::Unknown("order.teleported".to_owned())
    );
    assert!(matches!(
        WebhookSecret::new(""),
        Err(WebhookError::EmptySecret)
    ));
    let printed = format!("{secret:?}");
    assert!(!printed.contains(SECRET), "{printed}");
}

#[test]
fn a_body_over_the_limit_or_an_oversized_header_is_refused_unread() {
    let secret = secret();
    let large = vec![b' '; ordergate_runtime::inbound::DEFAULT_MAX_BODY_BYTES + 1];
    let error = secret
        .verify(Some(&secret.sign(&large)), &large)
        .expect_err("too large");
    assert!(
        matches!(
            error,
            WebhookError::Refused(ordergate_runtime::inbound::InboundError::BodyTooLarge { .. })
        ),
        "{error:?}"
    );
    let oversized = "0".repeat(ordergate_runtime::inbound::MAX_HEADER_BYTES + 1);
    assert!(matches!(
        secret.verify(Some(&oversized), DOCS_BODY.as_bytes()),
        Err(WebhookError::MalformedSignature)
    ));
}

/// The scheme behind the secret serves code that verifies several providers' webhooks alike.
#[test]
fn the_scheme_is_the_runtime_s_with_fuuffy_s_header() {
    use ordergate_runtime::inbound::VerifySource;

    let secret = secret();
    assert_eq!(secret.scheme().header(), SIGNATURE_HEADER);
    let scheme: &dyn VerifySource = secret.scheme();
    let mut headers = http::HeaderMap::new();
    headers.insert(SIGNATURE_HEADER, DOCS_SIGNATURE.parse().expect("value"));
    let verified = scheme
        .verify(&headers, DOCS_BODY.as_bytes())
        .expect("verifies");
    let event: WebhookEvent = verified.parse().expect("an event");
    assert_eq!(event.event, WebhookEventName::OrderInTransit);
}

#[path = "../../../tests/support/webhook_receiver.rs"]
mod receiver;

/// A webhook receiver on loopback (hyper, as an application would run it): the raw bytes on
/// the wire are what is verified, whatever their layout.
mod over_http {
    use hyper::StatusCode;
    use ordergate_fuuffy::webhook::{SIGNATURE_HEADER, WebhookSecret};
    use ordergate_runtime::ClientConfig;

    use super::{DOCS_BODY, DOCS_SIGNATURE, SECRET, receiver};

    /// Answers 200 with the event's name for a verified delivery, 401 with the reason else.
    async fn start_receiver() -> String {
        let secret = WebhookSecret::new(SECRET).expect("secret");
        receiver::start("/webhooks/fuuffy", move |headers, body| {
            match secret.verify_request(headers, body) {
                Ok(event) => (StatusCode::OK, event.event.to_string()),
                Err(error) => (StatusCode::UNAUTHORIZED, error.to_string()),
            }
        })
        .await
    }

    #[tokio::test]
    async fn a_receiver_accepts_signed_deliveries_and_refuses_the_rest() {
        let url = start_receiver().await;
        let client = ordergate_runtime::http_client_builder(&ClientConfig::default())
            .build()
            .expect("client");
        let secret = WebhookSecret::new(SECRET).expect("secret");
        let pretty = serde_json::to_vec_pretty(
            &serde_json::from_str::<serde_json::Value>(DOCS_BODY).expect("json"),
        )
        .expect("pretty");
        let pretty_signature = secret.sign(&pretty);
        let tampered = DOCS_BODY.replace("Chicago", "Chicag0");
        for (body, signature, status, answer) in [
            (
                DOCS_BODY.as_bytes().to_vec(),
                Some(DOCS_SIGNATURE),
                200,
                "order.in_transit",
            ),
            (
                pretty.clone(),
                Some(pretty_signature.as_str()),
                200,
                "order.in_transit",
            ),
            (pretty, Some(DOCS_SIGNATURE), 401, "does not match"),
            (
                tampered.into_bytes(),
                Some(DOCS_SIGNATURE),
                401,
                "does not match",
            ),
            (
                DOCS_BODY.as_bytes().to_vec(),
                None,
                401,
                "no single X-Fuuffy-Signature",
            ),
        ] {
            let mut request = client.post(&url).body(body);
            if let Some(signature) = signature {
                request = request.header(SIGNATURE_HEADER, signature);
            }
            let response = request.send().await.expect("answered");
            assert_eq!(response.status().as_u16(), status);
            let text = response.text().await.expect("text");
            assert!(text.contains(answer), "{text}");
            assert!(!text.contains(SECRET), "{text}");
        }
    }
}
