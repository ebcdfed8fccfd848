use ordergate_runtime::inbound::{HmacSha256Hex, InboundError, MAX_HEADER_BYTES, VerifySource};

use super::vectors::*;
use super::{assert_hides, headers};

const HEADER: &str = "X-Test-Signature";

fn scheme() -> HmacSha256Hex {
    HmacSha256Hex::new(HEADER, HMAC_SECRET).expect("non-empty secret")
}

#[test]
fn signs_as_python_does() {
    let scheme = scheme();
    assert_eq!(scheme.sign(HMAC_BODY.as_bytes()), HMAC_SIGNATURE);
    assert_eq!(scheme.sign(b""), HMAC_EMPTY_BODY_SIGNATURE);
    // RFC 4231, test case 2.
    let jefe = HmacSha256Hex::new(HEADER, "Jefe").expect("non-empty");
    assert_eq!(
        jefe.sign(b"what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn the_right_signature_verifies_in_either_case_of_hex() {
    let scheme = scheme();
    let body = HMAC_BODY.as_bytes();
    for signature in [
        HMAC_SIGNATURE.to_owned(),
        HMAC_SIGNATURE.to_uppercase(),
        format!(" {HMAC_SIGNATURE}\t"),
    ] {
        let verified = scheme
            .verify(&headers(HEADER, &[&signature]), body)
            .expect("verifies");
        assert_eq!(verified.body(), body);
        assert_eq!(format!("{verified:?}"), "Verified { body_bytes: 57 }");
        let event: serde_json::Value = verified.parse().expect("json");
        assert_eq!(event["data"]["order_id"], "3550875");
    }
    // The header name is matched in any case, as HTTP says.
    assert!(
        scheme
            .verify(&headers("x-test-signature", &[HMAC_SIGNATURE]), body)
            .is_ok()
    );
    assert!(
        scheme
            .verify_signature(Some(HMAC_EMPTY_BODY_SIGNATURE), b"")
            .is_ok()
    );
}

#[test]
fn a_tampered_body_or_another_secret_is_a_mismatch() {
    let scheme = scheme();
    let tampered = HMAC_BODY.replace("3550875", "3550876");
    let other = HmacSha256Hex::new(HEADER, "another-secret").expect("non-empty");
    let mut flipped = HMAC_SIGNATURE.to_owned();
    flipped.replace_range(63..64, "6");
    for (scheme, signature, body) in [
        (&scheme, HMAC_SIGNATURE, tampered.as_bytes()),
        (&scheme, HMAC_SIGNATURE, &HMAC_BODY.as_bytes()[1..]),
        (&scheme, HMAC_OTHER_SECRET_SIGNATURE, HMAC_BODY.as_bytes()),
        (&other, HMAC_SIGNATURE, HMAC_BODY.as_bytes()),
        (&scheme, flipped.as_str(), HMAC_BODY.as_bytes()),
    ] {
        let error = scheme
            .verify(&headers(HEADER, &[signature]), body)
            .expect_err("refused");
        assert!(
            matches!(error, InboundError::Mismatch { header: HEADER }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the X-Test-Signature header does not match"
        );
        assert_hides(&error, HMAC_SECRET);
    }
    // What the other secret signs is what Python computed for it.
    assert_eq!(
        other.sign(HMAC_BODY.as_bytes()),
        HMAC_OTHER_SECRET_SIGNATURE
    );
}

#[test]
fn a_missing_duplicate_oversized_or_malformed_header_is_refused_before_the_body() {
    let scheme = scheme();
    let body = HMAC_BODY.as_bytes();
    assert!(matches!(
        scheme.verify(&headers(HEADER, &[]), body),
        Err(InboundError::MissingHeader { header: HEADER })
    ));
    assert!(matches!(
        scheme.verify_signature(None, body),
        Err(InboundError::MissingHeader { header: HEADER })
    ));
    assert!(matches!(
        scheme.verify(&headers(HEADER, &[HMAC_SIGNATURE, HMAC_SIGNATURE]), body),
        Err(InboundError::DuplicateHeader { header: HEADER })
    ));
    let oversized = "0".repeat(MAX_HEADER_BYTES + 1);
    assert!(matches!(
        scheme.verify(&headers(HEADER, &[&oversized]), body),
        Err(InboundError::HeaderTooLarge {
            header: HEADER,
            limit: MAX_HEADER_BYTES
        })
    ));
    let mut binary = http::HeaderMap::new();
    binary.insert(
        HEADER,
        http::HeaderValue::from_bytes(b"\xff\xfe").expect("opaque value"),
    );
    assert!(matches!(
        scheme.verify(&binary, body),
        Err(InboundError::Malformed { header: HEADER, .. })
    ));
    for malformed in [
        "",
        &HMAC_SIGNATURE[..63],
        &HMAC_SIGNATURE[..32],
        &format!("{HMAC_SIGNATURE}0"),
        &format!("sha256={HMAC_SIGNATURE}"),
        &HMAC_SIGNATURE.replace('e', "g"),
        &format!("é{}", &HMAC_SIGNATURE[..62]),
    ] {
        assert!(
            matches!(
                scheme.verify_signature(Some(malformed), body),
                Err(InboundError::Malformed { header: HEADER, .. })
            ),
            "{malformed:?}"
        );
    }
}

#[test]
fn a_body_over_the_limit_is_refused_before_it_is_hashed() {
    let scheme = scheme().with_max_body_bytes(HMAC_BODY.len() - 1);
    assert!(matches!(
        scheme.verify_signature(Some(HMAC_SIGNATURE), HMAC_BODY.as_bytes()),
        Err(InboundError::BodyTooLarge { size, limit }) if size == HMAC_BODY.len() && limit == size - 1
    ));
    let scheme = scheme.with_max_body_bytes(HMAC_BODY.len());
    assert!(
        scheme
            .verify_signature(Some(HMAC_SIGNATURE), HMAC_BODY.as_bytes())
            .is_ok()
    );
}

#[test]
fn the_body_is_parsed_only_after_it_verifies() {
    let scheme = scheme();
    let garbage = b"\xff not json";
    assert!(matches!(
        scheme.verify_signature(Some(HMAC_SIGNATURE), garbage),
        Err(InboundError::Mismatch { .. })
    ));
    let verified = scheme
        .verify_signature(Some(&scheme.sign(garbage)), garbage)
        .expect("signed garbage verifies");
    assert!(matches!(
        verified.parse::<serde_json::Value>(),
        Err(InboundError::InvalidPayload(_))
    ));
}

#[test]
fn setup_refuses_an_empty_secret_or_a_bad_header_name_and_debug_hides_the_secret() {
    assert!(matches!(
        HmacSha256Hex::new(HEADER, ""),
        Err(InboundError::EmptySecret)
    ));
    assert!(matches!(
        HmacSha256Hex::new("X Bad Header", HMAC_SECRET),
        Err(InboundError::InvalidHeaderName { .. })
    ));
    let printed = format!("{:?}", scheme());
    assert!(!printed.contains(HMAC_SECRET), "{printed}");
    assert!(printed.contains(HEADER), "{printed}");
}
