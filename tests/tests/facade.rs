//! The `ordergate` facade against httpmock: every response example of every spec, through the
//! unified interface, with the request each provider received checked.

use httpmock::MockServer;
use ordergate::sdk::{fastpod, fuuffy};
use ordergate::{
    ConfirmRequest, ErrorKind, FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter,
    Operation, Order, OrderProvider, OrderStatus, Provider, ProviderName,
};
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET, ONEMG_ACCESS_KEY, TOKEN};
use ordergate_tests::scenarios::{Expected, FacadeCall, ONEMG_MERCHANT_ID, Scenario, scenarios};

fn provider(name: ProviderName, base_url: &str) -> Provider {
    let built = match name {
        ProviderName::Fuuffy => FuuffyAdapter::builder()
            .token(TOKEN)
            .base_url(base_url)
            .build()
            .map(Provider::Fuuffy),
        ProviderName::Logitrail => LogitrailAdapter::builder()
            .merchant_id(LOGITRAIL_MERCHANT)
            .secret(LOGITRAIL_SECRET)
            .base_url(base_url)
            .build()
            .map(Provider::Logitrail),
        ProviderName::Onemg => OnemgAdapter::builder()
            .token(TOKEN)
            .access_key(ONEMG_ACCESS_KEY)
            .merchant_id(ONEMG_MERCHANT_ID)
            .base_url(base_url)
            .build()
            .map(Provider::Onemg),
        ProviderName::Fastpod => FastpodAdapter::builder()
            .token(TOKEN)
            .base_url(base_url)
            .build()
            .map(Provider::Fastpod),
        other => panic!("no builder for {other}"),
    };
    built.expect("a loopback base URL with credentials builds")
}

async fn call(scenario: &Scenario, provider: &Provider) -> Result<Order, ordergate::Error> {
    match scenario.call {
        FacadeCall::Confirm => {
            let mut request = ConfirmRequest::new(scenario.order_id);
            request.merchant_order_id = scenario.merchant_order_id.map(str::to_owned);
            provider.confirm_order(&request).await
        }
        FacadeCall::Get => provider.get_order(scenario.order_id).await,
    }
}

#[tokio::test]
async fn every_spec_example_through_the_facade() {
    let mut checked = 0;
    for scenario in scenarios() {
        let cases = scenario.cases();
        assert!(
            !cases.is_empty(),
            "{} {}: no response example",
            scenario.provider,
            scenario.operation_id
        );
        for (example, expected) in cases {
            let server = MockServer::start_async().await;
            let mock = scenario.mock(&server, &example);
            let provider = provider(scenario.provider, &server.base_url());
            assert_eq!(provider.provider(), scenario.provider);
            let result = call(&scenario, &provider).await;
            mock.assert_async().await;
            let label = &example.label;
            match (expected, result) {
                (
                    Expected::Order {
                        order_id,
                        status,
                        provider_status,
                        tracking_number,
                        tracking_url,
                    },
                    Ok(order),
                ) => {
                    assert_eq!(order.provider, scenario.provider, "{label}");
                    assert_eq!(order.order_id, order_id, "{label}");
                    assert_eq!(order.status, status, "{label}");
                    assert_eq!(order.provider_status.as_deref(), provider_status, "{label}");
                    assert_eq!(order.tracking_number.as_deref(), tracking_number, "{label}");
                    assert_eq!(order.tracking_url.as_deref(), tracking_url, "{label}");
                }
                (
                    Expected::Error {
                        kind,
                        code,
                        message,
                    },
                    Err(error),
                ) => {
                    assert_eq!(error.kind, kind, "{label}: {error}");
                    assert_eq!(error.provider, scenario.provider, "{label}");
                    assert_eq!(error.http_status, Some(example.status), "{label}");
                    assert_eq!(error.code.as_deref(), code, "{label}");
                    assert_eq!(error.message, message, "{label}");
                    assert_eq!(
                        error.order_id.as_deref(),
                        Some(scenario.order_id),
                        "{label}"
                    );
                }
                (expected, result) => panic!("{label}: expected {expected:?}, got {result:?}"),
            }
            checked += 1;
        }
    }
    // Every facade operation of every provider has a scenario, so every example was run.
    let covered: std::collections::HashSet<_> = scenarios()
        .iter()
        .map(|s| (s.provider, s.call == FacadeCall::Confirm))
        .collect();
    for name in ProviderName::ALL {
        assert!(
            covered.contains(&(name, true)),
            "{name}: no confirm scenario"
        );
        let lookup =
            Provider::capabilities_of(name).is_some_and(|c| c.contains(Operation::GetOrder));
        assert_eq!(
            covered.contains(&(name, false)),
            lookup,
            "{name}: get scenario"
        );
    }
    assert!(checked > 0);
}

#[tokio::test]
async fn the_full_typed_response_stays_reachable() {
    let scenario = &scenarios()[1]; // Fuuffy get_order
    let (example, _) = scenario
        .cases()
        .into_iter()
        .find(|(e, _)| e.status == 200)
        .expect("a success example");
    let server = MockServer::start_async().await;
    let _mock = scenario.mock(&server, &example);
    let order = call(
        scenario,
        &provider(ProviderName::Fuuffy, &server.base_url()),
    )
    .await
    .expect("ok");
    let typed = order
        .provider_response::<fuuffy::types::GetOrderResponse>()
        .expect("the typed Fuuffy response");
    assert_eq!(
        typed.data.shipping_provider.as_deref(),
        Some("sf_expresshk_local")
    );
    assert!(order.provider_response::<fastpod::types::Order>().is_none());
    let json = serde_json::to_value(&order).expect("serializes");
    assert_eq!(json["status"], "confirmed");
    assert_eq!(json["tracking_url"], serde_json::Value::Null);
    assert_eq!(json["price"]["amount"], "28.50");
}

#[tokio::test]
async fn unsupported_and_invalid_input_send_nothing() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(500);
    });
    let url = server.base_url();

    // Every operation a provider does not offer, through `Provider`'s dispatch: unsupported,
    // nothing sent, the order id kept.
    let mut unsupported = 0;
    for name in ProviderName::ALL {
        let provider = provider(name, &url);
        let capabilities = provider.capabilities();
        assert_eq!(Provider::capabilities_of(name), Some(capabilities));
        let id = "5c8a1d5b0000000000000001";
        for operation in [
            Operation::GetOrder,
            Operation::CancelOrder,
            Operation::TrackOrder,
        ] {
            if capabilities.contains(operation) {
                continue;
            }
            let result = match operation {
                Operation::GetOrder => provider.get_order(id).await.map(drop),
                Operation::CancelOrder => provider.cancel_order(id).await.map(drop),
                _ => provider.track_order(id).await.map(drop),
            };
            let error = result.expect_err("unsupported");
            assert_eq!(
                error.kind,
                ErrorKind::Unsupported,
                "{name} {operation}: {error}"
            );
            assert_eq!(error.operation, operation);
            assert_eq!(error.provider, name);
            assert_eq!(error.order_id.as_deref(), Some(id));
            assert!(error.nothing_was_sent());
            unsupported += 1;
        }
    }
    // Each provider's exact capabilities are checked in the registry's unit test; here, that
    // some operation was refused (Logitrail and 1mg have no lookup, Fuuffy no cancel).
    assert!(unsupported >= 3, "{unsupported}");

    let no_merchant_order = provider(ProviderName::Onemg, &url)
        .confirm_order(&ConfirmRequest::new("PO29523371880004"))
        .await
        .expect_err("1mg needs the merchant order id");
    assert_eq!(no_merchant_order.kind, ErrorKind::InvalidInput);

    let bad_ids = [
        (ProviderName::Fuuffy, "35506O9"),
        (ProviderName::Fuuffy, "1/../2"),
        (ProviderName::Logitrail, "not-hex-and-too-short"),
    ];
    for (name, id) in bad_ids {
        let error = provider(name, &url)
            .confirm_order(&ConfirmRequest::new(id))
            .await
            .expect_err("refused");
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{name} {id}: {error}");
        assert!(error.nothing_was_sent());
    }
    assert_eq!(
        anything.calls_async().await,
        0,
        "nothing may reach the provider"
    );
}

#[tokio::test]
async fn a_gateway_html_page_keeps_its_status_and_an_excerpt() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v1/order/confirm");
        then.status(502)
            .header("content-type", "text/html")
            .body("<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>");
    });
    let error = provider(ProviderName::Fuuffy, &server.base_url())
        .confirm_order(&ConfirmRequest::new("3550609"))
        .await
        .expect_err("a gateway error");
    assert_eq!(error.kind, ErrorKind::Server, "{error}");
    assert_eq!(error.http_status, Some(502));
    assert!(
        error.message.contains("502 Bad Gateway"),
        "{}",
        error.message
    );
    assert!(error.message.len() < 300);
}

#[tokio::test]
async fn rate_limits_report_retry_after() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/v1/order");
        then.status(429)
            .header("content-type", "application/json")
            .header("retry-after", "42")
            .body(r#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests"}}"#);
    });
    let error = provider(ProviderName::Fuuffy, &server.base_url())
        .get_order("3550875")
        .await
        .expect_err("throttled");
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(std::time::Duration::from_secs(42)));
    assert_eq!(error.code.as_deref(), Some("rate_limit_exceeded"));
}

#[test]
fn configuration_errors_name_the_missing_setting_not_its_value() {
    let error = FuuffyAdapter::builder().build().expect_err("no token");
    assert_eq!(error.kind, ErrorKind::InvalidInput);
    assert_eq!(error.operation, Operation::Configure);
    assert!(error.message.contains("FUUFFY_TOKEN"));

    let insecure = FastpodAdapter::builder()
        .token("secret-token-value")
        .base_url("http://api.example.com")
        .build()
        .expect_err("plain http to a remote host");
    assert_eq!(insecure.kind, ErrorKind::InvalidInput);
    let shown = format!("{insecure} {insecure:?}");
    assert!(!shown.contains("secret-token-value"), "{shown}");
}

#[test]
fn statuses_and_kinds_serialize_snake_case() {
    assert_eq!(
        serde_json::to_string(&OrderStatus::PendingConfirmation).expect("json"),
        "\"pending_confirmation\""
    );
    assert_eq!(
        serde_json::to_string(&ErrorKind::OutcomeUnknown).expect("json"),
        "\"outcome_unknown\""
    );
}
