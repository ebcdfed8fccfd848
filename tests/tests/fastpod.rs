//! ordergate-fastpod against httpmock: every example of specs/fastpod.yaml, both directions.

use httpmock::MockServer;
use ordergate_fastpod::mock::MockServerExt;
use ordergate_fastpod::{Client, Credentials, Error, types};
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::{assert_decoded_losslessly, request_example, response_examples};

const ORDER_ID: &str = "F237-120723-000001";

fn client(server: &MockServer) -> Client {
    Client::with_credentials(&server.base_url(), Credentials::api_token(TOKEN))
        .expect("loopback is accepted")
}

/// The docs' order F237-120723-000001, in `status` (new_order on Update Status, cancelled on
/// Get Order).
fn assert_docs_order(order: &types::Order, status: types::OrderStatus) {
    assert_eq!(order.id, ORDER_ID);
    assert_eq!(order.order_status, status);
    assert_eq!(order.order_total, Some(38.4));
    assert_eq!(order.point_used, Some(3840));
    assert_eq!(order.boost_production, Some(true));
    assert_eq!(order.gift_message, None);
    let address = order.address.as_ref().expect("address");
    assert_eq!(address.zip.as_deref(), Some("53202"));
    let items = order.line_items();
    assert_eq!(items[0].sku.as_deref(), Some("UABSTAQUBXL3"));
}

#[tokio::test]
async fn update_order_status_decodes_every_example_and_sends_the_docs_request() {
    let value = request_example(
        "fastpod",
        "update_order_status",
        "docs_update_status_request",
    );
    let request: types::UpdateOrderStatusRequest =
        serde_json::from_value(value).expect("the documented request decodes");
    assert_eq!(request.order_status, types::OrderStatus::NewOrder);
    let examples = response_examples("fastpod", "update_order_status");
    assert_eq!(examples.len(), 2);
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = server.update_order_status(|when, then| {
            when.id(ORDER_ID)
                .body(&request)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json")
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let result = client(&server)
            .update_order_status()
            .id(ORDER_ID)
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                assert!(response.status);
                assert_eq!(
                    response.message.as_deref(),
                    Some("Order updated successfully.")
                );
                assert_docs_order(&response.data, types::OrderStatus::NewOrder);
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status, "{}", example.label);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                assert_eq!(error.status, Some(false));
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn get_order_decodes_every_example() {
    let examples: Vec<_> = response_examples("fastpod", "get_order")
        .into_iter()
        .filter(|example| example.status == 200)
        .collect();
    assert_eq!(examples.len(), 1);
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = server.get_order(|when, then| {
            when.id(ORDER_ID)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept", "application/json");
            example.serve(then.into_inner());
        });
        let order = client(&server)
            .get_order()
            .id(ORDER_ID)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", example.label));
        mock.assert_async().await;
        assert_decoded_losslessly(&example.label, &*order, &example.body);
        assert_docs_order(&order, types::OrderStatus::Cancelled);
        assert_eq!(
            order.cancelled_at.as_deref(),
            Some("2023-12-07T08:29:50.000000Z")
        );
    }
}
