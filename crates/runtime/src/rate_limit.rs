//! How long a response asks us to wait, by the standard header. A provider's own rate-limit
//! headers are read by its [`Conventions`](crate::Conventions).

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// The wait a response's `Retry-After` asks for (seconds or an HTTP date). `None` when it is
/// absent or unreadable; a moment already past gives zero. A provider's own reset header
/// (Fuuffy's `X-RateLimit-Reset`) is read by
/// [`Conventions::retry_after`](crate::Conventions::retry_after), as that provider documents
/// it.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn seconds_and_dates_but_no_provider_header() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("120"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));

        let in_a_minute = SystemTime::now() + Duration::from_secs(61);
        let date = httpdate::fmt_http_date(in_a_minute);
        headers.insert("retry-after", HeaderValue::from_str(&date).expect("header"));
        let wait = retry_after(&headers).expect("a date parses").as_secs();
        assert!((59..=61).contains(&wait), "{wait}");

        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);

        // A reset header is a provider's convention, not the runtime's.
        let mut reset = HeaderMap::new();
        reset.insert("x-ratelimit-reset", HeaderValue::from_static("30"));
        assert_eq!(retry_after(&reset), None);
    }
}
