use ordergate_runtime::inbound::{HmacSha256Hex, InboundError};

use super::vectors::*;

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Event {
    event_id: String,
    retry_count: u32,
}

fn scheme() -> HmacSha256Hex {
    HmacSha256Hex::new("X-Test-Signature", HMAC_SECRET).expect("secret")
}

#[test]
fn one_bad_event_loses_no_other() {
    let scheme = scheme();
    let body = br#"[{"event_id":"e1","retry_count":0},{"event_id":"e2","retry_count":"x"},7,{"event_id":"e4","retry_count":2}]"#;
    let events = scheme
        .verify_signature(Some(&scheme.sign(body)), body)
        .expect("verifies")
        .parse_batch::<Event>()
        .expect("an array");
    assert_eq!(events.len(), 4);
    assert_eq!(
        events[0].as_ref().expect("good"),
        &Event {
            event_id: "e1".to_owned(),
            retry_count: 0
        }
    );
    assert_eq!(events[1].as_ref().expect_err("bad").index, 1);
    assert_eq!(events[2].as_ref().expect_err("bad").index, 2);
    assert_eq!(events[3].as_ref().expect("good").event_id, "e4");
    let message = events[1].as_ref().expect_err("bad").to_string();
    assert!(message.starts_with("event 1 of the batch"), "{message}");
}

#[test]
fn a_single_event_is_a_batch_of_one_and_other_json_is_refused_whole() {
    let scheme = scheme();
    let one = br#"{"event_id":"e1","retry_count":1}"#;
    let events = scheme
        .verify_signature(Some(&scheme.sign(one)), one)
        .expect("verifies")
        .parse_batch::<Event>()
        .expect("one event");
    assert_eq!(events.len(), 1);
    assert!(events[0].is_ok());
    for body in [&b"[]"[..], b"3", b"\"e1\"", b"[{", b""] {
        let verified = scheme
            .verify_signature(Some(&scheme.sign(body)), body)
            .expect("verifies");
        match verified.parse_batch::<Event>() {
            Ok(events) => assert!(events.is_empty() && body == b"[]"),
            Err(error) => assert!(matches!(error, InboundError::InvalidPayload(_))),
        }
    }
    let deep = "[".repeat(10_000);
    let verified = scheme
        .verify_signature(Some(&scheme.sign(deep.as_bytes())), deep.as_bytes())
        .expect("verifies");
    assert!(matches!(
        verified.parse_batch::<Event>(),
        Err(InboundError::InvalidPayload(_))
    ));
}

#[test]
fn random_tokens_are_hex_and_differ() {
    let first = ordergate_runtime::inbound::random_token(16).expect("random");
    let second = ordergate_runtime::inbound::random_token(16).expect("random");
    assert_eq!(first.len(), 32);
    assert!(
        first
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_ne!(first, second);
    assert_eq!(
        ordergate_runtime::inbound::random_token(0).expect("empty"),
        ""
    );
}

#[test]
fn a_bounded_batch_over_its_limit_is_refused_whole() {
    let scheme = scheme();
    let event = r#"{"event_id":"e","retry_count":0}"#;
    let batch = |count: usize| format!("[{}]", vec![event; count].join(","));
    for (count, limit) in [(3, 3), (1, 1), (0, 0)] {
        let body = batch(count);
        let events = scheme
            .verify_signature(Some(&scheme.sign(body.as_bytes())), body.as_bytes())
            .expect("verifies")
            .parse_batch_at_most::<Event>(limit)
            .expect("within the limit");
        assert_eq!(events.len(), count);
        assert!(events.iter().all(Result::is_ok));
    }
    // One object is a batch of one, so a limit of 0 refuses it too.
    for (body, count, limit) in [(batch(4), 4, 3), (event.to_owned(), 1, 0)] {
        let verified = scheme
            .verify_signature(Some(&scheme.sign(body.as_bytes())), body.as_bytes())
            .expect("verifies");
        let error = verified
            .parse_batch_at_most::<Event>(limit)
            .expect_err("over the limit");
        assert!(
            matches!(error, InboundError::TooManyEvents { count: c, limit: l } if c == count && l == limit),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("the body holds {count} events, more than the limit of {limit}")
        );
        // The unbounded parse still reads them all.
        assert_eq!(
            verified.parse_batch::<Event>().expect("a batch").len(),
            count
        );
    }
    let verified = scheme
        .verify_signature(Some(&scheme.sign(b"3")), b"3")
        .expect("verifies");
    assert!(matches!(
        verified.parse_batch_at_most::<Event>(100),
        Err(InboundError::InvalidPayload(_))
    ));
}
