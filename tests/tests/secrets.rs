//! Secrets never appear in Debug, Display, errors, or tracing output at any level (TRACE
//! included, with `log` records from reqwest and hyper forwarded).

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ordergate::{
    ClientConfig, ConfirmRequest, FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter,
    OrderProvider, Provider,
};
use ordergate_tests::flaky::{Behavior, FlakyServer};

const TOKEN: &str = "tok-SEKRET-7a1f";
const SECRET: &str = "logitrail-SEKRET-92b3";
const ACCESS_KEY: &str = "key-SEKRET-4c5d";
/// base64("M-shop.example:logitrail-SEKRET-92b3"), the Basic credential on the wire.
const BASIC: &str = "TS1zaG9wLmV4YW1wbGU6bG9naXRyYWlsLVNFS1JFVC05MmIz";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(label: &str, text: &str) {
    for secret in [TOKEN, SECRET, ACCESS_KEY, BASIC, "SEKRET"] {
        assert!(!text.contains(secret), "{label} leaks {secret}: {text}");
    }
}

#[tokio::test]
async fn no_secret_in_debug_display_errors_or_trace_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .init();

    // A server that logs nothing itself (httpmock traces the requests it receives, headers
    // included, which would be the test's own noise, not ordergate's).
    let server = FlakyServer::start(vec![Behavior::json(
        401,
        r#"{"error":{"code":"401000","code_reason":"UNAUTHORIZED","message":"Unauthorized"}}"#,
    )])
    .await;
    let url = server.url.clone();
    let config = ClientConfig::default().with_timeout(Duration::from_secs(2));
    let providers = vec![
        Provider::Fuuffy(
            FuuffyAdapter::builder()
                .token(TOKEN)
                .base_url(&url)
                .client_config(config.clone())
                .build()
                .expect("fuuffy"),
        ),
        Provider::Logitrail(
            LogitrailAdapter::builder()
                .merchant_id("shop.example")
                .secret(SECRET)
                .base_url(&url)
                .client_config(config.clone())
                .build()
                .expect("logitrail"),
        ),
        Provider::Onemg(
            OnemgAdapter::builder()
                .token(TOKEN)
                .access_key(ACCESS_KEY)
                .merchant_id("m")
                .base_url(&url)
                .client_config(config.clone())
                .build()
                .expect("onemg"),
        ),
        Provider::Fastpod(
            FastpodAdapter::builder()
                .token(TOKEN)
                .base_url(&url)
                .client_config(config)
                .build()
                .expect("fastpod"),
        ),
    ];
    for provider in &providers {
        assert_clean(
            "Debug of the provider",
            &format!("{provider:?} {provider:#?}"),
        );
        let request = ConfirmRequest::new("5c8a1d5b0000000000000001").with_merchant_order_id("MO1");
        let error = provider.confirm_order(&request).await.expect_err("401");
        assert_clean(
            "error Display/Debug",
            &format!("{error} {error:?} {error:#?}"),
        );
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_clean("error source", &format!("{source:?}"));
        let _ = provider.get_order("5c8a1d5b0000000000000001").await;
    }
    // A configuration error names the setting, never the value.
    let refused = FuuffyAdapter::builder()
        .token(TOKEN)
        .base_url("http://remote.example")
        .build()
        .expect_err("insecure");
    assert_clean("configuration error", &format!("{refused} {refused:?}"));
    let builder = OnemgAdapter::builder().token(TOKEN).access_key(ACCESS_KEY);
    assert_clean("Debug of a builder", &format!("{builder:?}"));

    let logged = String::from_utf8_lossy(&capture.0.lock().unwrap_or_else(PoisonError::into_inner))
        .into_owned();
    assert!(
        logged.contains("provider request"),
        "TRACE capture is live: {logged}"
    );
    assert_clean("tracing output", &logged);
}
