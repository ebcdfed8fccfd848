//! The `tracing` span of each call, named after OpenTelemetry's semantic conventions for HTTP
//! client spans (<https://opentelemetry.io/docs/specs/semconv/http/http-spans/>).
//!
//! One span per call of a generated operation, retries and a token replay included, at level
//! `INFO`, target `ordergate::http`. Its name for OpenTelemetry (`otel.name`, read by
//! `tracing-opentelemetry`) is `{method} {url.template}`, e.g. `PUT /v1/orders/{id}/status`,
//! and its kind `client`. Fields:
//!
//! | field | value |
//! |---|---|
//! | `http.request.method` | `GET`, `POST`, ... |
//! | `url.template` | the spec's path template (never the filled-in path: ids stay out) |
//! | `server.address`, `server.port` | the provider's host and port |
//! | `ordergate.provider`, `ordergate.operation` | the provider (`Fuuffy`, `Tata 1mg`) and the spec's `operationId` |
//! | `http.request.resend_count` | how many times the request was sent again (retries, a replay after a 401); absent when sent once |
//! | `http.response.status_code` | the last response's status |
//! | `error.type` | the status code of an error response (400 and up), or `timeout` / `connect` / `transport` when no response came |
//! | `ordergate.duration_ms` | the whole call, in milliseconds |
//!
//! No field holds a header, a body, a query or a filled-in path, so no secret or personal
//! data can appear. With no subscriber interested, the span costs one check of the global
//! level filter.

use std::future::Future;
use std::time::Instant;

use futures_util::future::Either;
use reqwest::{Request, Response};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::Operation;

/// The span of `operation`'s call of `request`, or `None` when no subscriber wants it.
pub(crate) fn call_span(operation: &'static Operation, request: &Request) -> Option<tracing::Span> {
    if !tracing::level_enabled!(tracing::Level::INFO) {
        return None;
    }
    let span = tracing::info_span!(
        target: "ordergate::http",
        "http_client_call",
        otel.name = %format_args!("{} {}", operation.method, operation.path),
        otel.kind = "client",
        http.request.method = operation.method,
        url.template = operation.path,
        server.address = request.url().host_str(),
        server.port = request.url().port_or_known_default(),
        ordergate.provider = operation.conventions.provider,
        ordergate.operation = operation.id,
        http.request.resend_count = Empty,
        http.response.status_code = Empty,
        error.type = Empty,
        ordergate.duration_ms = Empty,
    );
    (!span.is_disabled()).then_some(span)
}

/// `call`, inside `span` when there is one, which then records the outcome and duration.
pub(crate) fn traced<F>(
    span: Option<tracing::Span>,
    call: F,
) -> impl Future<Output = reqwest::Result<Response>>
where
    F: Future<Output = reqwest::Result<Response>>,
{
    let Some(span) = span else {
        return Either::Left(call);
    };
    Either::Right(async move {
        let started = Instant::now();
        let result = call.instrument(span.clone()).await;
        match &result {
            Ok(response) => {
                let status = response.status().as_u16();
                span.record("http.response.status_code", status);
                if status >= 400 {
                    span.record("error.type", status);
                }
            }
            Err(error) => {
                let kind = if error.is_timeout() {
                    "timeout"
                } else if error.is_connect() {
                    "connect"
                } else {
                    "transport"
                };
                span.record("error.type", kind);
            }
        }
        let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("ordergate.duration_ms", elapsed);
        result
    })
}

/// Records on the current call's span that the request is being sent again (`resend` times
/// so far). Called on retries and replays only.
pub(crate) fn record_resend(resend: u32) {
    if tracing::level_enabled!(tracing::Level::INFO) {
        tracing::Span::current().record("http.request.resend_count", resend);
    }
}
