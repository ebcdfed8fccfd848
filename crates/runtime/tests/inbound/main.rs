//! The inbound verification schemes against vectors computed outside the code under test
//! (`vectors.rs` gives each one's command): HMAC-SHA256 hex, HTTP Basic, a header token,
//! RS256 tokens, and the batch parser.

mod vectors;

mod basic;
mod batch;
mod header_token;
mod hmac;
mod rs256;

use http::{HeaderMap, HeaderValue};
use ordergate_runtime::inbound::InboundError;

/// Headers holding `name: value` once per value.
fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for value in values {
        headers.append(name, HeaderValue::from_str(value).expect("header value"));
    }
    headers
}

/// Asserts that neither the message nor the `Debug` of `error` shows `secret`.
fn assert_hides(error: &InboundError, secret: &str) {
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

/// Arbitrary header values and bodies (a fixed pseudo-random sequence) are refused by every
/// scheme, and none panics.
#[test]
fn arbitrary_input_is_refused_without_panicking() {
    use ordergate_runtime::inbound::{
        BasicAuth, HeaderToken, HmacSha256Hex, Rs256Verifier, VerifySource,
    };

    let schemes: Vec<(&'static str, Box<dyn VerifySource>)> = vec![
        (
            "X-Sig",
            Box::new(HmacSha256Hex::new("X-Sig", vectors::HMAC_SECRET).expect("scheme")),
        ),
        (
            "Authorization",
            Box::new(BasicAuth::new(vectors::BASIC_USER, vectors::BASIC_PASSWORD).expect("scheme")),
        ),
        (
            "X-Token",
            Box::new(HeaderToken::new("X-Token", "shared-token").expect("scheme")),
        ),
        (
            "Authorization",
            Box::new(
                Rs256Verifier::from_public_key_pem(vectors::SIGNER_PUBLIC_SPKI).expect("scheme"),
            ),
        ),
    ];
    let alphabet = b"0123456789abcdefABCDEF .:=-_+/BasicBearer\t\xff{}\"";
    let mut random = fastrand::Rng::with_seed(18);
    for _ in 0..2_000 {
        let length = random.usize(0..200);
        let value: Vec<u8> = (0..length)
            .map(|_| alphabet[random.usize(..alphabet.len())])
            .collect();
        let body: Vec<u8> = (0..random.usize(0..64)).map(|_| random.u8(..)).collect();
        for (header, scheme) in &schemes {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                headers.insert(*header, value);
            }
            assert!(scheme.verify(&headers, &body).is_err(), "{value:?}");
        }
    }
}
