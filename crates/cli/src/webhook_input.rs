//! `ordergate webhook verify`: a webhook delivery given on the command line (its headers) and
//! on stdin (its raw body), verified and read through the provider's `parse_webhook`.

use std::io::Read as _;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use ordergate::{OrderProvider, Provider};

use crate::output::{Failure, Output};

/// The largest webhook body read, from stdin or by `listen` (1 MiB, the inbound layer's own
/// bound: a provider's webhook is a few kilobytes, a Logitrail batch of 100 events well under
/// this).
pub(crate) const MAX_WEBHOOK_BYTES: usize = 1024 * 1024;

/// The most `--header` options read.
const MAX_HEADERS: usize = 64;

/// `--header "Name: value"` options as a header map; a malformed one is a usage error.
pub(crate) fn headers(given: &[String]) -> Result<HeaderMap, Output> {
    let usage = |message: String| Output::Failure(Failure::usage(&message));
    if given.len() > MAX_HEADERS {
        return Err(usage(format!("more than {MAX_HEADERS} --header options")));
    }
    let mut map = HeaderMap::new();
    for header in given {
        let Some((name, value)) = header.split_once(':') else {
            return Err(usage(format!(
                "--header {:?} is not \"Name: value\"",
                header.chars().take(64).collect::<String>()
            )));
        };
        let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
            usage(format!(
                "--header: {:?} is not a header name",
                name.chars().take(64).collect::<String>()
            ))
        })?;
        // The value is not quoted back: it may be a secret (a Basic credential, a token).
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| usage(format!("--header {name}: the value is not a header value")))?;
        map.append(name, value);
    }
    Ok(map)
}

/// Everything on stdin, at most [`MAX_WEBHOOK_BYTES`]; more is a usage error.
fn body_from_stdin() -> Result<Vec<u8>, Output> {
    let mut body = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_WEBHOOK_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|error| Output::Failure(Failure::usage(&format!("cannot read stdin: {error}"))))?;
    if body.len() > MAX_WEBHOOK_BYTES {
        return Err(Output::Failure(Failure::usage(&format!(
            "the webhook body on stdin is larger than {MAX_WEBHOOK_BYTES} bytes"
        ))));
    }
    Ok(body)
}

/// Verifies the delivery (`header_args` and stdin) with `provider`'s webhook credentials, and
/// prints its events. Refused signature or credential: `unauthorized`, exit 1; credentials
/// not configured: `invalid_input`, exit 2.
pub(crate) fn verify(provider: &Provider, header_args: &[String]) -> Output {
    let headers = match headers(header_args) {
        Ok(headers) => headers,
        Err(output) => return output,
    };
    let body = match body_from_stdin() {
        Ok(body) => body,
        Err(output) => return output,
    };
    match provider.parse_webhook(&headers, &body) {
        Ok(events) => Output::Events(events),
        Err(error) => Output::from(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_and_bad_ones_refused() {
        let map = headers(&[
            "X-Fuuffy-Signature: abc ".to_owned(),
            "X-Other:1".to_owned(),
        ])
        .unwrap_or_else(|_| panic!("valid headers"));
        assert_eq!(map["x-fuuffy-signature"], "abc");
        assert_eq!(map["x-other"], "1");
        for bad in ["no colon", "bad name: v", "X-A: line\nbreak"] {
            assert!(headers(&[bad.to_owned()]).is_err(), "{bad}");
        }
    }
}
