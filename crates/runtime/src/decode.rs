//! Decoding a response into progenitor's `ResponseValue`, without copying its headers.

use progenitor_client::{Error, ResponseValue};
use std::future::Future;

use futures_util::FutureExt;
use serde::de::DeserializeOwned;

/// What progenitor's `ResponseValue::from_response` does, but the headers are moved out of the
/// response instead of cloned (a header map copy per call in the benchmark profile).
/// `ordergate-codegen` makes every generated operation call this.
///
/// # Errors
/// `Error::ResponseBodyError` when the body cannot be read (including
/// [`BodyTooLarge`](crate::BodyTooLarge)); `Error::InvalidResponsePayload` with the body when
/// it is not the documented JSON.
// The error type is progenitor's, as the generated code expects it.
#[allow(clippy::result_large_err)]
pub fn response_value<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    decoded(response, |_, _| {})
}

/// [`response_value`], with `inspect` shown the status and the raw body of an answer that
/// decoded (the drift check, `crate::drift`).
#[allow(clippy::result_large_err)]
pub(crate) fn decoded<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
    inspect: impl FnOnce(u16, &[u8]),
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    // Not an `async fn`: that would hold `response` twice (argument and inside `bytes()`).
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    response.bytes().map(move |body| {
        let body = body.map_err(Error::ResponseBodyError)?;
        let inner = serde_json::from_slice(&body)
            .map_err(|e| Error::InvalidResponsePayload(body.clone(), e))?;
        inspect(status.as_u16(), &body);
        Ok(ResponseValue::new(inner, status, headers))
    })
}
