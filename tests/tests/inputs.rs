//! Inputs are checked before anything is sent: base URLs, credentials. No error echoes a
//! password.

use std::time::Duration;

use ordergate::{
    ClientConfig, ErrorKind, FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter,
    OrderProvider, ProviderName,
};
use ordergate_tests::adapters;
use ordergate_tests::flaky::{Behavior, FlakyServer};

#[tokio::test]
async fn base_urls_with_a_query_fragment_or_userinfo_are_refused_without_echoing_them() {
    let server = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
    let port = server.url.rsplit(':').next().unwrap_or_default();
    for base in [
        format!("{}?x=1", server.url),
        format!("{}/prefix#frag", server.url),
        format!("http://user:PASSWORD@127.0.0.1:{port}"),
        format!("ftp://user:PASSWORD@127.0.0.1:{port}"),
        format!("http://user:PASSWORD@127.0.0.1:{port}:bad"),
    ] {
        for name in ProviderName::ALL {
            let result =
                std::panic::catch_unwind(|| adapters::one(name, &base, &ClientConfig::default()));
            assert!(result.is_err(), "{name}: {base} was accepted");
        }
        let error = FuuffyAdapter::builder()
            .token("t")
            .base_url(base.clone())
            .build()
            .expect_err("refused");
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{base}: {error}");
        assert!(error.nothing_was_sent());
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("PASSWORD"), "{shown}");
    }
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn a_base_url_with_a_prefix_and_a_trailing_slash_works() {
    let server = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"success": true, "order_id": "5c8a1d5b0000000000000001"}"#,
    )])
    .await;
    let base = format!("{}/logitrail/2015-01-01/", server.url);
    let provider = adapters::one(ProviderName::Logitrail, &base, &ClientConfig::default());
    provider
        .confirm_order(&adapters::confirm_request(ProviderName::Logitrail))
        .await
        .expect("confirmed");
    assert_eq!(
        server.requests(),
        ["POST /logitrail/2015-01-01/orders/5c8a1d5b0000000000000001/_confirm HTTP/1.1"]
    );
}

#[tokio::test]
async fn credentials_that_a_header_cannot_carry_faithfully_are_refused_before_sending() {
    let server = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
    let url = server.url.clone();
    let timeout = Duration::from_secs(2);
    for bad in [
        "SECRET\u{e9}",
        "\u{201c}SECRET\u{201d}",
        "SEC RET",
        "SECRET\u{7f}",
    ] {
        let results = [
            FuuffyAdapter::builder()
                .token(bad)
                .base_url(&url)
                .timeout(timeout)
                .build()
                .err(),
            FastpodAdapter::builder()
                .token(bad)
                .base_url(&url)
                .build()
                .err(),
            OnemgAdapter::builder()
                .token(bad)
                .access_key("k")
                .merchant_id("m")
                .base_url(&url)
                .build()
                .err(),
            OnemgAdapter::builder()
                .token("t")
                .access_key(bad)
                .merchant_id("m")
                .base_url(&url)
                .build()
                .err(),
            LogitrailAdapter::builder()
                .merchant_id("m")
                .secret(bad)
                .base_url(&url)
                .build()
                .err(),
        ];
        for (index, error) in results.into_iter().enumerate() {
            // A Basic password may contain spaces (it is Base64-encoded).
            if index == 4 && bad == "SEC RET" {
                assert!(error.is_none());
                continue;
            }
            let error = error.unwrap_or_else(|| panic!("case {index} accepted {bad:?}"));
            assert_eq!(error.kind, ErrorKind::InvalidInput, "{error}");
            assert!(!format!("{error} {error:?}").contains("SEC"), "{error}");
        }
    }
    // RFC 7617: a user-id cannot contain `:`.
    let error = LogitrailAdapter::builder()
        .merchant_id("shop:1")
        .secret("s")
        .base_url(&url)
        .build()
        .expect_err("a colon in the merchant id");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert!(error.message.contains("RFC 7617"), "{}", error.message);
    assert_eq!(server.connections(), 0);

    // Surrounding whitespace (a newline from a file) is trimmed, not refused.
    let ok = FlakyServer::start(vec![Behavior::json(
        200,
        r#"{"data":{"order_id":"3550875","status":"READY_TO_SHIP"}}"#,
    )])
    .await;
    FuuffyAdapter::builder()
        .token(" t\n")
        .base_url(&ok.url)
        .build()
        .expect("trimmed")
        .get_order("3550875")
        .await
        .expect("sent with the trimmed token");
}
