//! What every fake shares: reading credentials from headers, building JSON replies from typed
//! values, and the recorder that keeps the most recent responses the sandbox sent.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use crate::Shared;
use crate::credentials::secret_matches;
use crate::fake::Fake;
use crate::limits::RECORDED_BODY_BYTES;

/// Locks `mutex`, recovering the data of a poisoned lock (a panicking request must not take the
/// sandbox down with it; every mutation is a single assignment, so the data stays consistent).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The spec operation a response answers, attached to the response for the recorder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation(pub &'static str);

/// One response the sandbox sent, as [`Sandbox::responses`](crate::Sandbox::responses) returns it.
/// `Debug` redacts the body fields the answering fake declares as credentials (Fuuffy's token
/// response carries `access_token`).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedResponse {
    /// The provider whose fake answered; `None` for a path outside every provider prefix.
    pub provider: Option<&'static str>,
    /// The spec `operationId` the response answers (`confirm_order`, ...); `None` when the
    /// request matched no operation (unknown path, or a method the spec does not document).
    pub operation_id: Option<&'static str>,
    /// The request method.
    pub method: String,
    /// The request path (without the query string).
    pub path: String,
    /// The HTTP status sent.
    pub status: u16,
    /// The JSON body sent (every fake answers JSON; anything else would be kept as a string).
    pub body: Value,
    /// The body fields `Debug` redacts: the answering fake's declaration.
    secret_fields: &'static [&'static str],
}

impl fmt::Debug for RecordedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedResponse")
            .field("provider", &self.provider)
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("status", &self.status)
            .field("body", &redacted(&self.body, self.secret_fields))
            .finish()
    }
}

/// `value` with every field named in `secret_fields` replaced by `[redacted]`.
fn redacted(value: &Value, secret_fields: &[&str]) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, field)| {
                    let field = if secret_fields.contains(&name.as_str()) {
                        Value::String("[redacted]".to_owned())
                    } else {
                        redacted(field, secret_fields)
                    };
                    (name.clone(), field)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| redacted(item, secret_fields))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A JSON reply serialized from a typed value (a provider crate's generated type).
pub(crate) fn reply<T: Serialize>(status: StatusCode, body: &T) -> Response {
    // The generated types serialize infallibly (string-keyed maps only); `Null` is unreachable.
    let value = serde_json::to_value(body).unwrap_or(Value::Null);
    reply_value(status, value)
}

/// A JSON reply from a value already serialized from a typed value.
pub(crate) fn reply_value(status: StatusCode, value: Value) -> Response {
    (status, axum::Json(value)).into_response()
}

/// `response`, recorded as answering spec operation `operation_id` (unless it already says
/// which operation it answers).
pub(crate) fn tagged(mut response: Response, operation_id: &'static str) -> Response {
    if response.extensions().get::<Operation>().is_none() {
        response.extensions_mut().insert(Operation(operation_id));
    }
    response
}

/// The token of `Authorization: Bearer <token>`, if the header is present and readable.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Whether `Authorization: Bearer <token>` carries `expected`.
pub(crate) fn bearer_matches(headers: &HeaderMap, expected: &str) -> bool {
    bearer(headers).is_some_and(|token| secret_matches(token, expected))
}

/// The username and password of `Authorization: Basic <base64>`, if present and well formed.
pub(crate) fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (username, password) = decoded.split_once(':')?;
    Some((username.to_owned(), password.to_owned()))
}

/// A header's value as text, if present and readable.
pub(crate) fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}

/// The query string's pairs, in order (an unreadable query reads as empty).
pub(crate) fn query_pairs(uri: &axum::http::Uri) -> Vec<(String, String)> {
    serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default()
}

/// The first value of query parameter `name`.
pub(crate) fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Whether a request body is empty or only whitespace.
pub(crate) fn is_blank(body: &Bytes) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The fake served under `path`'s first segment.
fn fake_of<'a>(shared: &'a Shared, path: &str) -> Option<&'a dyn Fake> {
    let first = path.trim_start_matches('/').split('/').next()?;
    shared
        .fakes
        .iter()
        .find(|fake| fake.name() == first)
        .map(|fake| &**fake)
}

/// A response as the recorder keeps it: the body as sent (at most [`RECORDED_BODY_BYTES`]),
/// parsed only when [`Sandbox::responses`](crate::Sandbox::responses) asks.
#[derive(Debug, Clone)]
struct Recorded {
    provider: Option<&'static str>,
    secret_fields: &'static [&'static str],
    operation_id: Option<&'static str>,
    method: String,
    path: String,
    status: u16,
    body: RecordedBody,
}

#[derive(Debug, Clone)]
enum RecordedBody {
    /// The body as sent.
    Kept(Bytes),
    /// A body larger than [`RECORDED_BODY_BYTES`] (or of unknown size), sent but not kept.
    Omitted,
}

impl Recorded {
    fn to_response(&self) -> RecordedResponse {
        let body = match &self.body {
            RecordedBody::Kept(bytes) => serde_json::from_slice(bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
            RecordedBody::Omitted => Value::String(format!(
                "[not recorded: a body larger than {RECORDED_BODY_BYTES} bytes]"
            )),
        };
        RecordedResponse {
            provider: self.provider,
            operation_id: self.operation_id,
            method: self.method.clone(),
            path: self.path.clone(),
            status: self.status,
            body,
            secret_fields: self.secret_fields,
        }
    }
}

/// The most recent responses, oldest first, at most `capacity` of them.
#[derive(Debug)]
pub(crate) struct Recorder {
    capacity: usize,
    recorded: VecDeque<Recorded>,
}

impl Recorder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            // Grows as responses come, up to the capacity.
            recorded: VecDeque::new(),
        }
    }

    fn push(&mut self, response: Recorded) {
        if self.capacity == 0 {
            return;
        }
        while self.recorded.len() >= self.capacity {
            self.recorded.pop_front();
        }
        self.recorded.push_back(response);
    }

    pub(crate) fn responses(&self) -> Vec<RecordedResponse> {
        self.recorded.iter().map(Recorded::to_response).collect()
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(crate) fn clear(&mut self) {
        self.recorded = VecDeque::new();
    }
}

/// Middleware: records each response (status and JSON body) before it is sent, keeping the
/// most recent [`SandboxOptions::recorded_responses`](crate::SandboxOptions::recorded_responses).
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    // Both bounded by the server's limit on the request head.
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let operation_id = response.extensions().get::<Operation>().map(|op| op.0);
    let (parts, body) = response.into_parts();
    let small = body
        .size_hint()
        .upper()
        .is_some_and(|upper| upper <= RECORDED_BODY_BYTES as u64);
    let (recorded, body) = if small {
        // The fakes' bodies are complete in memory: reading them back cannot fail or wait.
        let bytes = axum::body::to_bytes(body, RECORDED_BODY_BYTES)
            .await
            .unwrap_or_default();
        (RecordedBody::Kept(bytes.clone()), Body::from(bytes))
    } else {
        (RecordedBody::Omitted, body)
    };
    let fake = fake_of(&shared, &path);
    lock(&shared.responses).push(Recorded {
        provider: fake.map(Fake::name),
        secret_fields: fake.map(Fake::secret_fields).unwrap_or_default(),
        operation_id,
        method,
        path,
        status: parts.status.as_u16(),
        body: recorded,
    });
    Response::from_parts(parts, body)
}

/// Outside every provider prefix: there is no provider to imitate.
#[derive(Serialize)]
struct NoSuchProvider {
    message: String,
    providers: Vec<&'static str>,
}

/// The fallback for paths outside every provider prefix.
pub(crate) async fn no_such_provider(State(shared): State<Arc<Shared>>) -> Response {
    let prefixes: Vec<&str> = shared.fakes.iter().map(|fake| fake.path_prefix()).collect();
    let body = NoSuchProvider {
        message: format!(
            "no sandbox provider at this path; use {}",
            prefixes.join(", ")
        ),
        providers: shared.fakes.iter().map(|fake| fake.name()).collect(),
    };
    reply(StatusCode::NOT_FOUND, &body)
}

/// The values a seeding error lists: `a, b, c`.
pub(crate) fn known<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values.collect::<Vec<_>>().join(", ")
}

/// A cheap, stable 64-bit hash (FNV-1a) for deterministic tracking numbers.
pub(crate) fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_bearer_and_basic_and_refuses_garbage() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(bearer(&headers), Some("abc"));
        assert_eq!(basic(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic TS1zaG9wOnNlY3JldA=="),
        );
        assert_eq!(
            basic(&headers),
            Some(("M-shop".to_owned(), "secret".to_owned()))
        );
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic %%%"));
        assert_eq!(basic(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
        assert_eq!(bearer(&headers), None);
        let latin1 = HeaderValue::from_bytes(b"Bearer \xe9").expect("a header value");
        headers.insert(header::AUTHORIZATION, latin1);
        assert_eq!(bearer(&headers), None);
    }

    fn shared() -> Arc<Shared> {
        crate::Shared::new(&crate::SandboxOptions::default().recorded_responses(4))
    }

    #[test]
    fn finds_the_provider_by_prefix() {
        let shared = shared();
        for fake in &shared.fakes {
            let path = format!("{}/anything", fake.path_prefix());
            assert_eq!(fake_of(&shared, &path).map(Fake::name), Some(fake.name()));
        }
        assert!(fake_of(&shared, "/elsewhere").is_none());
        assert!(fake_of(&shared, "/").is_none());
    }

    #[test]
    fn debug_redacts_the_fields_the_fake_declares() {
        let mut response = RecordedResponse {
            provider: Some("fuuffy"),
            operation_id: Some("create_access_token"),
            method: "POST".to_owned(),
            path: "/fuuffy/v1/auth/token".to_owned(),
            status: 200,
            body: serde_json::json!({"data": {"access_token": "sk-secret", "expires_in": 3600}}),
            secret_fields: &["access_token"],
        };
        let printed = format!("{response:?}");
        assert!(!printed.contains("sk-secret"), "{printed}");
        assert!(printed.contains("3600"), "{printed}");
        assert_eq!(response.body["data"]["access_token"], "sk-secret");
        // Another fake's declaration: its own fields, not Fuuffy's.
        response.body = serde_json::json!([{"api_key": "k-secret", "access_token": "shown"}]);
        response.secret_fields = &["api_key"];
        let printed = format!("{response:?}");
        assert!(
            !printed.contains("k-secret") && printed.contains("shown"),
            "{printed}"
        );
    }

    fn recorded(path: &str) -> Recorded {
        Recorded {
            provider: None,
            secret_fields: &[],
            operation_id: None,
            method: "GET".to_owned(),
            path: path.to_owned(),
            status: 404,
            body: RecordedBody::Kept(Bytes::from_static(b"{\"message\":\"no\"}")),
        }
    }

    #[test]
    fn the_recorder_keeps_the_most_recent_up_to_its_capacity() {
        let mut recorder = Recorder::new(2);
        for path in ["/a", "/b", "/c"] {
            recorder.push(recorded(path));
        }
        let paths: Vec<String> = recorder.responses().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/b", "/c"]);
        assert_eq!(recorder.responses()[0].body["message"], "no");
        recorder.clear();
        assert!(recorder.responses().is_empty());

        let mut off = Recorder::new(0);
        off.push(recorded("/a"));
        assert!(off.responses().is_empty());
    }

    #[tokio::test]
    async fn a_large_response_is_sent_whole_but_not_kept() {
        use hyper::service::Service as _;

        let shared = shared();
        let large = "x".repeat(RECORDED_BODY_BYTES + 1);
        let sent = large.clone();
        let router = axum::Router::new()
            .route(
                "/large",
                axum::routing::get(move || async move { sent.clone() }),
            )
            .route("/small", axum::routing::get(|| async { "{\"ok\":true}" }))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&shared),
                record,
            ))
            .with_state(Arc::clone(&shared));
        let service = hyper_util::service::TowerToHyperService::new(router);
        for path in ["/large", "/small"] {
            let request = Request::get(path).body(Body::empty()).expect("a request");
            let response = service.call(request).await.expect("infallible");
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a body");
            let expected = if path == "/large" {
                large.as_str()
            } else {
                "{\"ok\":true}"
            };
            assert_eq!(body, expected.as_bytes());
        }
        let recorded = lock(&shared.responses).responses();
        assert_eq!(recorded.len(), 2);
        let omitted = recorded[0].body.as_str().expect("a note");
        assert!(omitted.starts_with("[not recorded"), "{omitted}");
        assert_eq!(recorded[1].body, serde_json::json!({"ok": true}));
    }

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("3550609"), stable_hash("3550609"));
        assert_ne!(stable_hash("3550609"), stable_hash("3550610"));
    }
}
