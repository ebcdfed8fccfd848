//! The small JSON answers both routers give.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `status` with the body `{"<field>": "<value>"}`.
pub(crate) fn json_field(status: StatusCode, field: &'static str, value: &'static str) -> Response {
    (status, Json(json!({ field: value }))).into_response()
}
