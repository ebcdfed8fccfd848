//! ordergate-onemg against httpmock: every example of specs/onemg.yaml, both directions.

use httpmock::MockServer;
use ordergate_onemg::mock::MockServerExt;
use ordergate_onemg::{Client, Credentials, Error, types};
use ordergate_tests::credentials::{ONEMG_ACCESS_KEY, TOKEN};
use ordergate_tests::{assert_decoded_losslessly, request_example, response_examples};

const MERCHANT_ID: &str = "merchant-42";

#[tokio::test]
async fn confirm_order_decodes_every_example_and_sends_both_credentials() {
    let value = request_example("onemg", "confirm_order", "confirm_order");
    let request: types::ConfirmOrderRequest =
        serde_json::from_value(value).expect("the documented request decodes");
    let examples = response_examples("onemg", "confirm_order");
    assert_eq!(examples.len(), 5);
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = server.confirm_order(|when, then| {
            when.merchant_id(MERCHANT_ID)
                .merchant_confirm_1mg_id(&request.order_id)
                .body(&request)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("x-access-key", ONEMG_ACCESS_KEY)
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let client = Client::with_credentials(
            &server.base_url(),
            Credentials::new(TOKEN, ONEMG_ACCESS_KEY),
        )
        .expect("loopback is accepted");
        let result = client
            .confirm_order()
            .merchant_id(MERCHANT_ID)
            .merchant_confirm_1mg_id(request.order_id.clone())
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                assert!(response.is_success);
                let data = response.data.as_ref().expect("data");
                assert_eq!(data.order_id.as_deref(), Some("PO29523371880004"));
                assert_eq!(data.merchant_order_id.as_deref(), Some("2333asa3s25224"));
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status, "{}", example.label);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                assert!(!error.is_success);
                let message = error.error.as_ref().and_then(|e| e.message.clone());
                let expected = example.body["error"]["message"].as_str();
                assert_eq!(message.as_deref(), expected, "{}", example.label);
                if status == 500 {
                    assert!(matches!(
                        expected,
                        Some("Order not found" | "Map payment to order operation failed")
                    ));
                }
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start_async().await;
    let value = request_example("onemg", "confirm_order", "confirm_order");
    let request: types::ConfirmOrderRequest = serde_json::from_value(value).expect("decodes");
    let mock = server.mock(|when, then| {
        when.path("/api/v4/merchants/a%2Fb%3Fc/orders/..%2Fx%23y/confirm");
        then.status(500)
            .header("content-type", "application/json")
            .body(r#"{"is_success": false, "status_code": 500, "error": {"message": "Order not found", "errors": null}}"#);
    });
    let client =
        Client::with_credentials(&server.base_url(), Credentials::new(TOKEN, "k")).expect("client");
    let result = client
        .confirm_order()
        .merchant_id("a/b?c")
        .merchant_confirm_1mg_id("../x#y")
        .body(request)
        .send()
        .await;
    mock.assert_async().await;
    assert!(matches!(result, Err(Error::ErrorResponse(_))), "{result:?}");
}
