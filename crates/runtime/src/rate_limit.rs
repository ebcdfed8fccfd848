//! How long a provider asks us to wait.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// The wait a response asks for: `Retry-After` (seconds or an HTTP date) or, failing that,
/// `X-RateLimit-Reset` (a Unix timestamp, as Fuuffy documents it). `None` when neither is
/// present or readable; a moment already past gives zero.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let now = SystemTime::now();
    if let Some(value) = headers.get("retry-after").and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(date) = httpdate::parse_http_date(value) {
            return Some(date.duration_since(now).unwrap_or_default());
        }
    }
    let reset = headers
        .get("x-ratelimit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())?;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset.saturating_sub(now)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn seconds_dates_and_reset_timestamps() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("120"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));

        let in_a_minute = SystemTime::now() + Duration::from_secs(61);
        let date = httpdate::fmt_http_date(in_a_minute);
        headers.insert("retry-after", HeaderValue::from_str(&date).expect("header"));
        let wait = retry_after(&headers).expect("a date parses").as_secs();
        assert!((59..=61).contains(&wait), "{wait}");

        let mut fuuffy = HeaderMap::new();
        let reset = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs()
            + 30;
        fuuffy.insert("x-ratelimit-reset", HeaderValue::from(reset));
        let wait = retry_after(&fuuffy).expect("reset parses").as_secs();
        assert!((29..=30).contains(&wait), "{wait}");

        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }
}
