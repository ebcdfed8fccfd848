//! A size cap on response bodies, enforced while the body streams in.

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use reqwest::Response;

/// A response body was larger than [`crate::ClientConfig::max_response_bytes`]. Reading the
/// body fails with a `reqwest::Error` whose source chain contains this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the response body exceeds the limit of {limit} bytes")]
pub struct BodyTooLarge {
    /// The limit that was exceeded.
    pub limit: u64,
}

impl BodyTooLarge {
    /// Finds a [`BodyTooLarge`] in `error`'s source chain.
    pub fn find(error: &(dyn std::error::Error + 'static)) -> Option<Self> {
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(found) = error.downcast_ref::<Self>() {
                return Some(*found);
            }
            current = error.source();
        }
        None
    }
}

/// `response` with a body that fails once more than `limit` bytes arrive (its error's source
/// chain holds a [`BodyTooLarge`]). A body whose `Content-Length` already exceeds the limit
/// fails at once, without reading any of it; one whose `Content-Length` is within the limit
/// is returned as it is. The transport caps every response with it
/// ([`ClientConfig::max_response_bytes`](crate::ClientConfig::max_response_bytes)); a caller
/// of its own `reqwest` client (the sandbox calling a merchant) caps its responses the same way.
pub fn cap_body(response: Response, limit: u64) -> Response {
    // The header, not `Response::content_length()`: reqwest's timeout wrapper hides the body's
    // size hint, so that method answers `None` for every response here.
    let announced = response
        .headers()
        .get(reqwest::header::CONTENT_LENGTH)
        .and_then(|v| parse_length(v.as_bytes()));
    let too_large = match announced {
        // The HTTP layer already stops at the announced length: nothing to wrap. (Re-wrapping
        // makes reqwest parse a placeholder URL per response, the costliest item in the
        // benchmark profile.)
        Some(length) if length <= limit => return response,
        Some(_) => true,
        None => false,
    };
    let mut builder = http::Response::builder()
        .status(response.status())
        .version(response.version());
    if let Some(headers) = builder.headers_mut() {
        *headers = response.headers().clone();
    }
    let body = if too_large {
        drop(response);
        reqwest::Body::wrap_stream(stream::once(async move {
            Err::<Bytes, BodyTooLarge>(BodyTooLarge { limit })
        }))
    } else {
        let mut received = 0u64;
        let mut failed = false;
        let chunks = response.bytes_stream().map(move |chunk| {
            let chunk =
                chunk.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            received = received.saturating_add(chunk.len() as u64);
            if failed || received > limit {
                failed = true;
                return Err(
                    Box::new(BodyTooLarge { limit }) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(chunk)
        });
        reqwest::Body::wrap_stream(chunks)
    };
    match builder.body(body) {
        Ok(capped) => Response::from(capped),
        // Unreachable in practice (status and headers came from a valid response); an empty
        // body that fails to decode is the safe answer.
        Err(_) => Response::from(http::Response::new(reqwest::Body::from(Vec::<u8>::new()))),
    }
}

/// A `Content-Length` value: ASCII digits only (hyper has already refused any other form).
fn parse_length(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |length, &byte| {
        let digit = byte.checked_sub(b'0').filter(|d| *d < 10)?;
        length.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::parse_length;

    #[test]
    fn content_length_values() {
        assert_eq!(parse_length(b"0"), Some(0));
        assert_eq!(parse_length(b"10485760"), Some(10_485_760));
        assert_eq!(parse_length(b"18446744073709551615"), Some(u64::MAX));
        for bad in [
            &b""[..],
            b"18446744073709551616",
            b"12a",
            b"-1",
            b" 1",
            b"+1",
        ] {
            assert_eq!(parse_length(bad), None, "{bad:?}");
        }
    }
}
