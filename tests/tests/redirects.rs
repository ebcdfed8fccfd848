//! No client of ours follows a redirect: a `3xx` is an error of its own that keeps the status
//! and `Location`, the request reaches the configured server exactly once, and nothing (no
//! body, no credential) reaches the place the redirect names. Servers count requests.

use ordergate::{ClientConfig, ErrorKind, Operation, OrderProvider, ProviderName};
use ordergate_runtime::{Auth, Transport};
use ordergate_tests::adapters;
use ordergate_tests::flaky::{Behavior, FlakyServer};
use proptest::prelude::*;

/// Where a redirect points.
#[derive(Debug, Clone)]
enum Target {
    /// Another path on the server that answered.
    SameHost,
    /// The other server, by address.
    OtherHost,
    /// The other server, by another name, with credentials in the URL.
    OtherHostWithUserinfo,
    /// A port nothing listens on.
    DeadPort,
    /// A relative reference (resolves to the server that answered).
    Relative,
    /// Not a URL at all.
    Garbage,
    /// No `Location` header.
    Missing,
}

fn any_target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::SameHost),
        Just(Target::OtherHost),
        Just(Target::OtherHostWithUserinfo),
        Just(Target::DeadPort),
        Just(Target::Relative),
        Just(Target::Garbage),
        Just(Target::Missing),
    ]
}

async fn dead_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    listener.local_addr().expect("address").port()
}

fn config() -> ClientConfig {
    adapters::quick_retries()
}

async fn location(target: &Target, origin: &FlakyServer, other: &FlakyServer) -> Option<String> {
    let other_port = other.url.rsplit(':').next().unwrap_or_default().to_owned();
    match target {
        Target::SameHost => Some(format!("{}/v1/order/confirm", origin.url)),
        Target::OtherHost => Some(format!("{}/v1/order/confirm", other.url)),
        Target::OtherHostWithUserinfo => Some(format!(
            "http://user:SECRETPW@localhost:{other_port}/orders"
        )),
        Target::DeadPort => Some(format!("http://127.0.0.1:{}/x", dead_port().await)),
        Target::Relative => Some("/elsewhere?x=1".to_owned()),
        Target::Garbage => Some(":::: not a url".to_owned()),
        Target::Missing => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_redirect_is_never_followed_and_a_confirm_is_sent_exactly_once(
        status in 300u16..400,
        target in any_target(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let other = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
            let origin = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
            let location = location(&target, &origin, &other).await;
            let mut answer = Behavior::json(status, "{}");
            if let Some(location) = &location {
                answer = answer.with_header("location", location);
            }
            origin.set_script(vec![answer]);
            for provider in adapters::all(&origin.url, &config()) {
                let name = provider.provider();
                let before = origin.requests().len();
                let error = provider
                    .confirm_order(&adapters::confirm_request(name))
                    .await
                    .expect_err("a redirect is not a confirmation");
                assert_eq!(origin.requests().len(), before + 1, "{name} {status}: sent exactly once");
                assert_eq!(error.kind, ErrorKind::Redirected, "{name} {status}: {error}");
                assert_eq!(error.http_status, Some(status));
                let shown = format!("{error} {error:?}");
                assert!(!shown.contains("SECRETPW"), "{shown}");
                match (&location, &error.location) {
                    (Some(sent), Some(kept)) => {
                        assert_eq!(kept, &ordergate_runtime::without_userinfo(sent));
                    }
                    (None, None) => {}
                    (sent, kept) => panic!("{name} {status}: Location {sent:?} kept as {kept:?}"),
                }
                if provider.capabilities().contains(Operation::GetOrder) {
                    let before = origin.requests().len();
                    let error = provider.get_order("3550875").await.expect_err("redirect");
                    assert_eq!(error.kind, ErrorKind::Redirected, "{name} get {status}");
                    assert_eq!(origin.requests().len(), before + 1, "{name} get: not retried");
                }
            }
            assert!(other.requests().is_empty(), "the redirect target got {:?}", other.requests());
            // Only the requests above reached the origin: the relative and same-host targets
            // were not requested either.
            assert!(
                origin.requests().iter().all(|line| !line.contains("/elsewhere")),
                "{:?}",
                origin.requests()
            );
        });
    }
}

/// The provider crates alone (no facade) do not follow redirects either, whichever
/// constructor built the client: a `3xx` comes back as the response it is.
#[tokio::test]
async fn generated_clients_return_redirects_as_responses() {
    let other = FlakyServer::start(vec![Behavior::json(200, "{}")]).await;
    let origin = FlakyServer::start(vec![
        Behavior::json(307, "{}")
            .with_header("location", &format!("{}/v1/order/confirm", other.url)),
    ])
    .await;
    let connected = ordergate_fuuffy::Client::connect(
        &origin.url,
        ordergate_fuuffy::Credentials::access_token("t"),
        &config(),
    )
    .expect("builds");
    let transport =
        Transport::build(&origin.url, Auth::bearer("t"), &config()).expect("transport builds");
    // progenitor's own constructor, which the house generator points at the transport's client.
    let constructed = ordergate_fuuffy::Client::new(&origin.url, transport);
    for client in [connected, constructed] {
        let result = client
            .confirm_order()
            .body(ordergate_fuuffy::types::ConfirmOrderRequest::builder().order_id("3550609"))
            .send()
            .await;
        let Err(ordergate_fuuffy::Error::UnexpectedResponse(response)) = result else {
            panic!("expected the 307 itself, got {result:?}");
        };
        assert_eq!(response.status(), 307);
        assert!(response.headers().contains_key("location"));
    }
    assert_eq!(origin.requests().len(), 2);
    assert!(other.requests().is_empty());
}

/// What the issue saw: a 303 turned a POST confirm into a bodiless GET whose 200 was reported
/// as a confirmed order. Now the confirm is an error and nothing else is requested.
#[tokio::test]
async fn a_303_after_a_confirm_is_not_a_confirmation() {
    let origin = FlakyServer::start(vec![
        Behavior::json(303, "{}").with_header("location", "/v1/order?id=3550609"),
        Behavior::json(
            200,
            r#"{"data":{"order_id":"3550609","status":"READY_TO_SHIP"}}"#,
        ),
    ])
    .await;
    let provider = adapters::one(ProviderName::Fuuffy, &origin.url, &config());
    let error = provider
        .confirm_order(&adapters::confirm_request(ProviderName::Fuuffy))
        .await
        .expect_err("303");
    assert_eq!(error.kind, ErrorKind::Redirected);
    assert_eq!(error.location.as_deref(), Some("/v1/order?id=3550609"));
    assert_eq!(origin.requests().len(), 1, "{:?}", origin.requests());
    assert!(!error.nothing_was_sent());
}
