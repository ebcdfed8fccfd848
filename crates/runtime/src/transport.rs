//! The state a generated client carries, and what its hooks do with each request.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use std::time::Duration;

use reqwest::{Method, Request, Response, Url};

use crate::{Auth, ClientConfig, ConfigError};

/// progenitor adds this header (meant for Dropshot-versioned APIs) to every request.
const PROGENITOR_VERSION_HEADER: &str = "api-version";

/// The transport of one generated client: its credentials (as sensitive header values) and
/// its settings. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<TransportInner>,
}

struct TransportInner {
    credentials: Vec<(HeaderName, HeaderValue)>,
    config: ClientConfig,
}

impl Transport {
    /// Validates `base_url` against `config`, turns `auth` into sensitive header values and
    /// builds the HTTP client (rustls with the `ring` provider).
    ///
    /// # Errors
    /// See [`ConfigError`]; nothing is sent when building fails.
    pub fn build(
        base_url: &str,
        auth: Auth,
        config: &ClientConfig,
    ) -> Result<(reqwest::Client, Self), ConfigError> {
        let url = Url::parse(base_url).map_err(|e| ConfigError::InvalidBaseUrl {
            url: base_url.to_owned(),
            reason: e.to_string(),
        })?;
        match url.scheme() {
            "https" => {}
            "http" => {
                let host = url.host_str().unwrap_or_default();
                if !auth.is_empty() && !config.allow_insecure_http && !is_loopback(host) {
                    return Err(ConfigError::InsecureTransport {
                        host: host.to_owned(),
                    });
                }
            }
            other => {
                return Err(ConfigError::InvalidBaseUrl {
                    url: base_url.to_owned(),
                    reason: format!("scheme {other:?} is not http or https"),
                });
            }
        }
        let credentials = auth.header_values()?;
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(ConfigError::Http)?;
        let transport = Self {
            inner: Arc::new(TransportInner {
                credentials,
                config: config.clone(),
            }),
        };
        Ok((http, transport))
    }

    /// The settings this transport was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Called by the generated pre-request hook: sets the credential headers (sensitive) and
    /// removes progenitor's `api-version` header.
    pub fn prepare(&self, request: &mut Request) {
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_VERSION_HEADER);
        for (name, value) in &self.inner.credentials {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Called by the generated execution hook: sends `request` under the retry policy (see
    /// [`RetryPolicy`](crate::RetryPolicy)), caps the response body, and traces each attempt
    /// (method, path, status, duration; never headers or bodies).
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        let policy = &self.inner.config.retry;
        let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
        let method = request.method().clone();
        let path = request.url().path().to_owned();
        let mut request = request;
        let mut attempt = 1;
        loop {
            let spare = (attempt < policy.max_attempts)
                .then(|| request.try_clone())
                .flatten();
            let started = std::time::Instant::now();
            let result = client.execute(request).await;
            let elapsed_ms = started.elapsed().as_millis();
            let wait = match &result {
                Ok(response) => {
                    crate::observe::record(response);
                    tracing::debug!(operation = operation_id, %method, path, attempt, status = response.status().as_u16(), elapsed_ms, "provider request");
                    self.retry_response(is_read, response, attempt)
                }
                Err(error) => {
                    tracing::debug!(operation = operation_id, %method, path, attempt, elapsed_ms, error = %error, "provider request failed");
                    self.retry_error(is_read, error, attempt)
                }
            };
            match (wait, spare) {
                (Some(wait), Some(next)) => {
                    tracing::debug!(
                        operation = operation_id,
                        attempt,
                        wait_ms = wait.as_millis(),
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                _ => {
                    let limit = self.inner.config.max_response_bytes;
                    return result.map(|response| crate::body_limit::cap(response, limit));
                }
            }
        }
    }

    /// The wait before retrying after `response`, or `None` to return it. Only reads are
    /// retried on a response (the request reached the server).
    fn retry_response(&self, is_read: bool, response: &Response, attempt: u32) -> Option<Duration> {
        let retryable = matches!(response.status().as_u16(), 429 | 502 | 503 | 504);
        if !is_read || !retryable {
            return None;
        }
        let policy = &self.inner.config.retry;
        match crate::retry_after(response.headers()) {
            // A long wait is reported to the caller, not slept through.
            Some(wait) if wait > policy.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(policy.backoff(attempt)),
        }
    }

    /// The wait before retrying after a failed attempt, or `None` to give up. A request that
    /// changes state is retried only when it never reached the server.
    fn retry_error(&self, is_read: bool, error: &reqwest::Error, attempt: u32) -> Option<Duration> {
        let never_sent = error.is_connect();
        let transient = error.is_timeout() || error.is_request() || error.is_body();
        (never_sent || (is_read && transient)).then(|| self.inner.config.retry.backoff(attempt))
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .inner
            .credentials
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("Transport")
            .field("credential_headers", &names)
            .field("config", &self.inner.config)
            .finish()
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// reqwest is built without a default rustls provider (so no C toolchain for aws-lc is
/// needed); install `ring` unless the application already installed one.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_go_to_remote_plain_http() {
        let config = ClientConfig::default();
        let refused = Transport::build("http://api.example.com/v1", Auth::bearer("t"), &config);
        assert!(
            matches!(refused, Err(ConfigError::InsecureTransport { host }) if host == "api.example.com")
        );
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(
                Transport::build(local, Auth::bearer("t"), &config).is_ok(),
                "{local}"
            );
        }
        let allowed = config.with_insecure_http(true);
        assert!(Transport::build("http://api.example.com", Auth::bearer("t"), &allowed).is_ok());
        assert!(matches!(
            Transport::build("ftp://x", Auth::none(), &ClientConfig::default()),
            Err(ConfigError::InvalidBaseUrl { .. })
        ));
    }

    #[test]
    fn prepare_sets_sensitive_credentials_and_drops_api_version() {
        let (_, transport) = Transport::build(
            "https://x.test",
            Auth::bearer("tok"),
            &ClientConfig::default(),
        )
        .expect("builds");
        let url = Url::parse("https://x.test/v1/order").expect("url");
        let mut request = Request::new(reqwest::Method::GET, url);
        request
            .headers_mut()
            .insert(PROGENITOR_VERSION_HEADER, HeaderValue::from_static("1.0.0"));
        transport.prepare(&mut request);
        assert!(request.headers().get(PROGENITOR_VERSION_HEADER).is_none());
        let auth = &request.headers()["authorization"];
        assert_eq!(auth, "Bearer tok");
        assert!(auth.is_sensitive());
        assert!(!format!("{transport:?}").contains("tok\""));
    }
}
