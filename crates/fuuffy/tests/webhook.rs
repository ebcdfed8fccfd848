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
