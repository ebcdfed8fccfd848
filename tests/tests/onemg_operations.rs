//! Tata 1mg's create and cancel (`onemg.rs` covers confirm) against httpmock, every example
//! both ways: each request example decodes into its generated type losslessly and is sent
//! exactly (method, path with the merchant id, both credentials, the JSON body), each response
//! example is served and decoded losslessly (errors with their status and message); and the
//! schema examples of the merchant-hosted payloads decode losslessly. Each operation asserts
//! how many examples it has, so that a new one cannot be skipped silently.

use std::fmt::Debug;

use httpmock::MockServer;
use ordergate_onemg::mock::MockServerExt;
use ordergate_onemg::{Client, Credentials, Error, ResponseValue, types};
use ordergate_tests::credentials::{ONEMG_ACCESS_KEY, TOKEN};
use ordergate_tests::{
    ResponseExample, assert_decoded_losslessly, request_example, response_examples, spec,
};
use serde::Serialize;
use serde_json::Value;

const MERCHANT_ID: &str = "merchant-42";

type Answer<T> = Result<ResponseValue<T>, Error<types::ErrorResponse>>;

fn client(server: &MockServer) -> Client {
    Client::with_credentials(
        &server.base_url(),
        Credentials::new(TOKEN, ONEMG_ACCESS_KEY),
    )
    .expect("loopback is accepted")
}

/// The request example `name` of `operation_id`, decoded losslessly into `B`.
fn body<B: serde::de::DeserializeOwned + Serialize>(operation_id: &str, name: &str) -> B {
    let value = request_example("onemg", operation_id, name);
    let body: B = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{operation_id} {name}: {e}"));
    assert_decoded_losslessly(&format!("{operation_id} {name}"), &body, &value);
    body
}

/// Checks one answer against the example it was served: a 200 decodes losslessly into the
/// success type, an error into the envelope with the example's status and message.
fn check<T: Serialize + Debug>(example: &ResponseExample, answer: Answer<T>) -> Option<T> {
    match (example.status, answer) {
        (200, Ok(response)) => {
            let value = response.into_inner();
            assert_decoded_losslessly(&example.label, &value, &example.body);
            Some(value)
        }
        (status, Err(Error::ErrorResponse(error))) => {
            assert_eq!(error.status().as_u16(), status, "{}", example.label);
            assert_decoded_losslessly(&example.label, &*error, &example.body);
            assert!(!error.is_success, "{}", example.label);
            let message = error.error.as_ref().and_then(|e| e.message.as_deref());
            assert_eq!(message, example.body["error"]["message"].as_str());
            None
        }
        (_, other) => panic!("{}: unexpected answer {other:?}", example.label),
    }
}

#[tokio::test]
async fn create_order_sends_the_cart_and_decodes_every_example() {
    let request: types::CreateOrderRequest = body("create_order", "constructed_cod_order");
    assert_eq!(request.payment_method, types::PaymentMethod::Cod);
    assert_eq!(request.skus.get("139559").map(|q| q.get()), Some(2));
    let examples = response_examples("onemg", "create_order");
    assert_eq!(
        examples.len(),
        2,
        "COD and pay via link (the page's 400 examples are cut off)"
    );
    let mut links = 0;
    for example in &examples {
        let server = MockServer::start_async().await;
        let mock = server.create_order(|when, then| {
            when.merchant_id(MERCHANT_ID)
                .body(&request)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("x-access-key", ONEMG_ACCESS_KEY);
            example.serve(then.into_inner());
        });
        let answer = client(&server)
            .create_order()
            .merchant_id(MERCHANT_ID)
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        if let Some(created) = check(example, answer) {
            let data = created.data.expect("data");
            assert!(
                data.order_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with("PO"))
            );
            links += usize::from(data.payment_link.is_some());
        }
    }
    assert_eq!(links, 1, "the pay-via-link answer carries its link");
}

#[tokio::test]
async fn cancel_order_sends_the_docs_body_and_decodes_every_example() {
    let request: types::CancelOrderRequest = body("cancel_order", "docs_cancel_request");
    let examples = response_examples("onemg", "cancel_order");
    assert_eq!(
        examples.len(),
        3,
        "the constructed success and the page's two 400s"
    );
    for example in &examples {
        let server = MockServer::start_async().await;
        let mock = server.cancel_order(|when, then| {
            when.merchant_id(MERCHANT_ID)
                .body(&request)
                .into_inner()
                .path(format!("/api/v4/{MERCHANT_ID}/order/cancel"))
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("x-access-key", ONEMG_ACCESS_KEY);
            example.serve(then.into_inner());
        });
        let answer = client(&server)
            .cancel_order()
            .merchant_id(MERCHANT_ID)
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        if let Some(cancelled) = check(example, answer) {
            assert!(cancelled.is_success);
        }
    }
}

#[tokio::test]
async fn a_cancel_answer_of_any_shape_decodes() {
    // The success body is not documented: whatever `data` holds, and unknown members, decode.
    for body in [
        r#"{"is_success": true}"#,
        r#"{"is_success": true, "data": null, "status_code": 200}"#,
        r#"{"is_success": true, "data": "cancelled", "message": "ok"}"#,
        r#"{"is_success": true, "data": {"order_id": "PO1", "status": 99}, "partial_complete": false}"#,
    ] {
        let decoded: types::CancelOrderResponse =
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_decoded_losslessly(body, &decoded, &serde_json::from_str(body).expect("json"));
    }
}

/// The `example` of component schema `name` in the 1mg spec.
fn schema_example(name: &str) -> Value {
    let spec = spec("onemg");
    spec.raw
        .pointer(&format!("/components/schemas/{name}/example"))
        .cloned()
        .unwrap_or_else(|| panic!("{name} has an example"))
}

#[test]
fn the_merchant_hosted_payloads_decode_losslessly() {
    let value = schema_example("TransactionStatus");
    let status: types::TransactionStatus = serde_json::from_value(value.clone()).expect("decodes");
    assert_decoded_losslessly("TransactionStatus", &status, &value);
    assert_eq!(status.status, types::TransactionState::Success);
    assert!((status.amount - 1221.11).abs() < f64::EPSILON);

    let value = schema_example("OrderUpdate");
    let update: types::OrderUpdate = serde_json::from_value(value.clone()).expect("decodes");
    assert_decoded_losslessly("OrderUpdate", &update, &value);
    let order = &update.grouped_orders[0];
    let status = order
        .order_status
        .as_ref()
        .and_then(|s| s.status_id.clone());
    assert_eq!(status, Some(types::OrderStatusId::CANCELLED));
}
