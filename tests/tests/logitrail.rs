//! ordergate-logitrail against httpmock: every example of specs/logitrail.yaml, both directions.

use httpmock::MockServer;
use ordergate_logitrail::mock::MockServerExt;
use ordergate_logitrail::{Client, Credentials, Error, types};
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET};
use ordergate_tests::{
    assert_decoded_losslessly, parameter_example, request_example, request_examples,
    response_examples,
};

/// `Basic base64("M-shop.example:logitrail-secret-91c2")`, computed independently of the
/// crate (RFC 7617) so a wrong prefix or encoding fails here.
const EXPECTED_AUTHORIZATION: &str = "Basic TS1zaG9wLmV4YW1wbGU6bG9naXRyYWlsLXNlY3JldC05MWMy";

fn client(server: &MockServer) -> Client {
    let credentials = Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET);
    Client::with_credentials(&server.base_url(), credentials).expect("loopback is accepted")
}

fn order_id() -> types::ObjectId {
    let id = parameter_example("logitrail", "confirm_order", "id");
    id.as_str()
        .expect("the id example is a string")
        .parse()
        .expect("the id example matches its pattern")
}

#[tokio::test]
async fn confirm_order_decodes_every_response_example() {
    let body: types::OrderUpdate = serde_json::from_value(request_example(
        "logitrail",
        "confirm_order",
        "empty_update",
    ))
    .expect("decodes");
    let examples = response_examples("logitrail", "confirm_order");
    assert_eq!(examples.len(), 7);
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = server.confirm_order(|when, then| {
            when.id(&order_id())
                .body(&body)
                .into_inner()
                .header("authorization", EXPECTED_AUTHORIZATION)
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let result = client(&server)
            .confirm_order()
            .id(order_id())
            .body(body.clone())
            .send()
            .await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                assert!(response.success);
                assert_eq!(response.order_id, "5c8a1d5b0000000000000001");
                assert_eq!(
                    response.tracking_code.as_deref(),
                    Some("EXAMPLETRACKINGCODE")
                );
                assert!(
                    response
                        .tracking_url
                        .as_deref()
                        .is_some_and(|u| u.starts_with("https://"))
                );
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status, "{}", example.label);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                let expected = match status {
                    400 => example.body["code"].as_str().unwrap_or_default(),
                    403 => "access_denied",
                    405 => "method_not_allowed",
                    409 => "order_not_passive",
                    500 => "unknown",
                    other => panic!("{}: no expectation for {other}", example.label),
                };
                assert_eq!(error.code, expected);
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn every_request_example_is_sent_as_documented() {
    let examples = request_examples("logitrail", "confirm_order");
    assert_eq!(examples.len(), 3);
    let success = ordergate_tests::response_example("logitrail", "confirm_order", 200);
    for (name, value) in examples {
        let body: types::OrderUpdate =
            serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_decoded_losslessly(&name, &body, &value);
        let server = MockServer::start_async().await;
        let mock = server.confirm_order(|when, then| {
            when.id(&order_id())
                .into_inner()
                .header("authorization", EXPECTED_AUTHORIZATION)
                .json_body(value.clone());
            success.serve(then.into_inner());
        });
        client(&server)
            .confirm_order()
            .id(order_id())
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn a_malformed_order_id_is_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(200);
    });
    for bad in [
        "5c8a1d5b",
        "5c8a1d5b000000000000000z",
        "../../products/1234567890",
    ] {
        let result = client(&server)
            .confirm_order()
            .id(bad)
            .body(types::OrderUpdate::default())
            .send()
            .await;
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{bad}: {result:?}"
        );
    }
    assert_eq!(anything.calls_async().await, 0);
}
