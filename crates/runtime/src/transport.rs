//! The state a generated client carries, and what its hooks do with each request.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use std::time::Duration;

use reqwest::{Method, Request, Response, Url};

use crate::{Auth, ClientConfig, ConfigError};

/// The transport of one generated client: its credentials (as sensitive header values) and
/// its settings. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<TransportInner>,
}

struct TransportInner {
    credentials: Vec<(HeaderName, HeaderValue)>,
    config: ClientConfig,
    base: Option<ParsedBase>,
}

/// The base URL the transport was built with, parsed once (see [`Transport::request`]).
struct ParsedBase {
    /// The base URL exactly as given.
    text: String,
    url: Url,
    /// What `text` contributes to every path: its path, or nothing when it has none.
    prefix: String,
}

impl ParsedBase {
    /// Only a base already in canonical form (its serialization, possibly without the root
    /// `/`) with no query or fragment: then `base.url` with the path `prefix + path` is
    /// exactly what parsing `text + path` gives.
    fn new(text: &str, url: &Url) -> Option<Self> {
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return None;
        }
        let prefix = if url.as_str() == text {
            url.path().to_owned()
        } else if url.path() == "/" && url.as_str().strip_suffix('/') == Some(text) {
            String::new()
        } else {
            return None;
        };
        Some(Self {
            text: text.to_owned(),
            url: url.clone(),
            prefix,
        })
    }
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
                base: ParsedBase::new(base_url, &url),
            }),
        };
        Ok((http, transport))
    }

    /// The settings this transport was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Called by every generated operation: a request builder for `path` (percent-encoded by
    /// the generated code, starting with `/`) under `base_url`.
    ///
    /// The URL is the one `Url::parse(&format!("{base_url}{path}"))` gives, except that a `\`
    /// is percent-encoded (the URL parser would read it as `/`, so an id containing one could
    /// change the path). When `base_url` is the one this transport was built with, the base
    /// parsed then is reused and only the path is parsed: parsing the whole URL (host, IDNA)
    /// was the costliest single step of a call in the benchmark profile.
    pub fn request(
        &self,
        client: &reqwest::Client,
        method: Method,
        base_url: &str,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let escaped;
        let path = if path.contains('\\') {
            escaped = path.replace('\\', "%5C");
            escaped.as_str()
        } else {
            path
        };
        match &self.inner.base {
            Some(base) if base.text == base_url => {
                let mut url = base.url.clone();
                if base.prefix.is_empty() {
                    url.set_path(path);
                } else {
                    url.set_path(&format!("{}{path}", base.prefix));
                }
                client.request(method, url)
            }
            _ => client.request(method, format!("{base_url}{path}")),
        }
    }

    /// Called by the generated pre-request hook: sets the credential headers (sensitive).
    pub fn prepare(&self, request: &mut Request) {
        let headers = request.headers_mut();
        for (name, value) in &self.inner.credentials {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Called by the generated execution hook: sends `request` under the retry policy (see
    /// [`RetryPolicy`](crate::RetryPolicy)), caps the response body, and traces each attempt
    /// (method, path, status, duration; never headers or bodies).
    ///
    /// The future is kept small (every generated call holds one): `request` is its only copy
    /// of the request besides the spare for a retry, nothing else is held across the wait
    /// before a retry, and that wait is boxed (it is rare).
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        let policy = &self.inner.config.retry;
        let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
        // What the trace lines need is copied only when they are on (it shows in the profile).
        let traced = tracing::enabled!(tracing::Level::DEBUG)
            .then(|| (request.method().clone(), request.url().path().to_owned()));
        let mut attempt = 1;
        loop {
            let spare = (attempt < policy.max_attempts)
                .then(|| spare_copy(&request))
                .flatten();
            let started = traced.as_ref().map(|_| std::time::Instant::now());
            let result = client.execute(request).await;
            if let (Some((method, path)), Some(started)) = (&traced, started) {
                let elapsed_ms = started.elapsed().as_millis();
                match &result {
                    Ok(response) => {
                        tracing::debug!(operation = operation_id, %method, path, attempt, status = response.status().as_u16(), elapsed_ms, "provider request");
                    }
                    Err(error) => {
                        tracing::debug!(operation = operation_id, %method, path, attempt, elapsed_ms, error = %error, "provider request failed");
                    }
                }
            }
            let wait = match &result {
                Ok(response) => {
                    crate::observe::record(response);
                    self.retry_response(is_read, response, attempt)
                }
                Err(error) => self.retry_error(is_read, error, attempt),
            };
            match (wait, spare) {
                (Some(wait), Some(next)) => {
                    drop(result);
                    tracing::debug!(
                        operation = operation_id,
                        attempt,
                        wait_ms = wait.as_millis(),
                        "retrying"
                    );
                    Box::pin(tokio::time::sleep(wait)).await;
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

/// A copy of `request` to send if this attempt fails in a retryable way; `None` for a
/// streaming body (not replayable).
///
/// Cheaper than `Request::try_clone`, which always allocates the request's extension map (for
/// its timeout) even when it is empty: two of the allocations the benchmark profile counted
/// per call. Generated requests carry no extensions but a possible timeout, which is copied.
fn spare_copy(request: &Request) -> Option<Request> {
    let body = match request.body() {
        Some(body) => Some(reqwest::Body::from(body.as_bytes()?.to_vec())),
        None => None,
    };
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    *copy.body_mut() = body;
    Some(copy)
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
    fn request_urls_are_the_ones_parsing_base_plus_path_gives() {
        let bases = [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://api.example.com/2015-01-01",
            "https://api.example.com/a/",
            "https://api.example.com/a/b/..",
            "https://API.Example.com/X",
            "https://api.example.com?x=1",
            "https://user:pw@api.example.com:8443/base",
            "http://[::1]:9/v",
        ];
        let paths = [
            "/v1/order/confirm",
            "/orders/abc%2Fdef/_confirm",
            "/v1/orders/%252e%252e",
            "/v1/orders/%2e%2e",
            "/x/./y/../z",
            "/v1/orders/%C3%A9",
            "/v1/orders/caf\u{e9}",
            "/",
        ];
        for base in bases {
            let (http, transport) =
                Transport::build(base, Auth::none(), &ClientConfig::default()).expect("builds");
            for path in paths {
                let built = transport
                    .request(&http, Method::GET, base, path)
                    .build()
                    .expect("builds");
                // What reqwest makes of the whole URL as a string (it also moves user:password
                // into an Authorization header).
                let whole = http
                    .request(Method::GET, format!("{base}{path}"))
                    .build()
                    .expect("builds");
                assert_eq!(built.url(), whole.url(), "{base} + {path}");
                assert_eq!(built.headers(), whole.headers(), "{base} + {path}");
            }
            // Another base than the transport's: parsed as a whole.
            let other = transport
                .request(&http, Method::GET, "https://other.example.com", "/v1")
                .build()
                .expect("builds");
            assert_eq!(other.url().as_str(), "https://other.example.com/v1");
        }
        let (_, canonical) = Transport::build(
            "https://api.example.com",
            Auth::none(),
            &ClientConfig::default(),
        )
        .expect("builds");
        assert!(
            canonical.inner.base.is_some(),
            "the common case takes the fast path"
        );
    }

    #[test]
    fn a_backslash_never_becomes_a_path_separator() {
        let (http, transport) = Transport::build(
            "https://api.example.com",
            Auth::none(),
            &ClientConfig::default(),
        )
        .expect("builds");
        for base in ["https://api.example.com", "https://other.example.com"] {
            let request = transport
                .request(&http, Method::GET, base, r"/v1/orders/a\..\b")
                .build()
                .expect("builds");
            assert_eq!(request.url().path(), "/v1/orders/a%5C..%5Cb");
        }
    }

    #[test]
    fn prepare_sets_sensitive_credentials() {
        let (_, transport) = Transport::build(
            "https://x.test",
            Auth::bearer("tok"),
            &ClientConfig::default(),
        )
        .expect("builds");
        let url = Url::parse("https://x.test/v1/order").expect("url");
        let mut request = Request::new(reqwest::Method::GET, url);
        transport.prepare(&mut request);
        let auth = &request.headers()["authorization"];
        assert_eq!(auth, "Bearer tok");
        assert!(auth.is_sensitive());
        assert!(!format!("{transport:?}").contains("tok\""));
    }
}
