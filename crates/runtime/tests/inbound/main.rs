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
