//! Reads a request body up to a limit, and no further.

use axum::body::Body;
use axum::http::{HeaderMap, header};
use futures_util::StreamExt;

/// Why a body was not read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// It is (or says it is, in `Content-Length`) longer than the limit.
    TooLarge,
    /// The connection failed while the body was read.
    Interrupted,
}

/// Whether the request's `Content-Length` already announces more than `limit` bytes.
pub(crate) fn announced_too_large(headers: &HeaderMap, limit: usize) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX))
}

/// The body's bytes; stops reading, without buffering more, as soon as they pass `limit`.
pub(crate) async fn read_at_most(body: Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut chunks = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| BodyError::Interrupted)?;
        if chunk.len() > limit.saturating_sub(bytes.len()) {
            return Err(BodyError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
