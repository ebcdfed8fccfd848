//! Fixtures for the cross-crate tests: the examples inside `specs/*.yaml`, read at test time,
//! so a spec change and its test data cannot drift apart.

/// The root README's Rust snippets, compiled as doc tests (the root README belongs to no crate).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RootReadme;

pub mod adapters;
pub mod flaky;
pub mod prism;
pub mod scenarios;
pub mod sent;
pub mod trace_capture;

use std::path::PathBuf;

use ordergate_codegen::Spec;
use ordergate_codegen::examples::{Example, ExampleKind, examples};
use serde_json::Value;

/// The token, secrets and ids the tests authenticate with.
pub mod credentials {
    /// Bearer token used against mocks.
    pub const TOKEN: &str = "test-token-7f3a";
    /// Logitrail merchant id (Basic-auth username `M-shop.example`).
    pub const LOGITRAIL_MERCHANT: &str = "shop.example";
    /// Logitrail shared secret.
    pub const LOGITRAIL_SECRET: &str = "logitrail-secret-91c2";
    /// 1mg access key (`X-Access-Key`).
    pub const ONEMG_ACCESS_KEY: &str = "1mg_client_access_key";
}

/// `specs/<provider>.yaml`, loaded.
pub fn spec(provider: &str) -> Spec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("specs")
        .join(format!("{provider}.yaml"));
    Spec::load(&path).unwrap_or_else(|e| panic!("loading {}: {e}", path.display()))
}

/// Every example of `operation_id` in `provider`'s spec.
fn operation_examples(provider: &str, operation_id: &str) -> Vec<Example> {
    examples(&spec(provider))
        .into_iter()
        .filter(|e| e.operation_id == operation_id)
        .collect()
}

/// The request-body examples of an operation, by name.
pub fn request_examples(provider: &str, operation_id: &str) -> Vec<(String, Value)> {
    operation_examples(provider, operation_id)
        .into_iter()
        .filter(|e| e.kind == ExampleKind::Request)
        .map(|e| (e.name, e.value))
        .collect()
}

/// The one request-body example of an operation named `name`.
pub fn request_example(provider: &str, operation_id: &str, name: &str) -> Value {
    request_examples(provider, operation_id)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("{provider} {operation_id}: no request example {name}"))
}

/// The value of parameter example `name` of an operation.
pub fn parameter_example(provider: &str, operation_id: &str, parameter: &str) -> Value {
    operation_examples(provider, operation_id)
        .into_iter()
        .find(|e| e.kind == ExampleKind::Parameter(parameter.to_owned()))
        .map(|e| e.value)
        .unwrap_or_else(|| {
            panic!("{provider} {operation_id}: no example for parameter {parameter}")
        })
}

/// A response example: the HTTP status to answer with and the body.
#[derive(Debug, Clone)]
pub struct ResponseExample {
    /// `confirm_order 400 docs_bad_request`.
    pub label: String,
    /// The status the mock answers with (`4XX` examples answer 400, `5XX` 500).
    pub status: u16,
    /// The example body, verbatim from the spec.
    pub body: Value,
}

/// Every response example of an operation (success and error).
pub fn response_examples(provider: &str, operation_id: &str) -> Vec<ResponseExample> {
    let found: Vec<ResponseExample> = operation_examples(provider, operation_id)
        .into_iter()
        .filter_map(|e| {
            Some(ResponseExample {
                status: e.status()?,
                label: format!("{provider} {}", e.label()),
                body: e.value,
            })
        })
        .collect();
    assert!(
        !found.is_empty(),
        "{provider} {operation_id} has no response examples"
    );
    found
}

/// The first response example of an operation answered with `status`.
pub fn response_example(provider: &str, operation_id: &str, status: u16) -> ResponseExample {
    response_examples(provider, operation_id)
        .into_iter()
        .find(|e| e.status == status)
        .unwrap_or_else(|| panic!("{provider} {operation_id} has no {status} example"))
}

/// `value` as the comparison sees it: `null`, `[]` and `{}` members dropped (generated types
/// skip absent optional values when serializing) and numbers as `f64` (`24` == `24.0`).
pub fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalized(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        other => other.clone(),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Asserts that `decoded` (a generated type) carries every value of the example `body`: it
/// re-serializes to the same JSON (up to [`normalized`]), so no field was lost or misread.
pub fn assert_decoded_losslessly<T: serde::Serialize>(label: &str, decoded: &T, body: &Value) {
    let again = serde_json::to_value(decoded).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(
        normalized(&again),
        normalized(body),
        "{label}: the decoded value differs from the spec example"
    );
}

impl ResponseExample {
    /// Makes an httpmock response answer with this example: its status, a JSON content type
    /// and the example body.
    pub fn serve(&self, then: httpmock::Then) -> httpmock::Then {
        then.status(self.status)
            .header("content-type", "application/json")
            .body(self.body.to_string())
    }
}
