//! ordergate-fuuffy against httpmock: every example of specs/fuuffy.yaml, both directions.

use httpmock::MockServer;
use ordergate_fuuffy::mock::MockServerExt;
use ordergate_fuuffy::{Client, Credentials, Error, types};
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::{
    assert_decoded_losslessly, parameter_example, request_example, response_examples,
};

fn client(server: &MockServer) -> Client {
    Client::with_credentials(&server.base_url(), Credentials::access_token(TOKEN))
        .expect("a loopback base URL is accepted")
}

#[tokio::test]
async fn confirm_order_decodes_every_example_and_sends_the_docs_request() {
    let request_body = request_example("fuuffy", "confirm_order", "docs_request");
    let request: types::ConfirmOrderRequest =
        serde_json::from_value(request_body).expect("the documented request decodes");
    let examples = response_examples("fuuffy", "confirm_order");
    assert_eq!(examples.len(), 5);
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = server.confirm_order(|when, then| {
            when.body(&request)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let result = client(&server)
            .confirm_order()
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                let orders = response.data.confirmed_orders();
                let order = &orders[0];
                assert_eq!(order.order_id, "3550912");
                assert_eq!(order.order_status, types::OrderStatus::ReadyToShip);
                assert_eq!(order.tracking_number.as_deref(), Some("SF7444700509270"));
                assert_eq!(order.quote_price.as_deref(), Some("28.50"));
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status, "{}", example.label);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                let expected = example.body["error"]["code"].as_str().expect("code");
                assert_eq!(error.error.code, expected, "{}", example.label);
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn get_order_decodes_every_example_and_sends_id_as_query() {
    let id = parameter_example("fuuffy", "get_order", "id");
    let id = id.as_str().expect("the id example is a string");
    assert_eq!(id, "3550875");
    let examples = response_examples("fuuffy", "get_order");
    assert_eq!(examples.len(), 5);
    for example in examples {
        let server = MockServer::start_async().await;
        let typed_id: types::GetOrderId = id.parse().expect("numeric id");
        let mock = server.get_order(|when, then| {
            when.id(&typed_id)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let result = client(&server).get_order().id(id).send().await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                let order = &response.data;
                assert_eq!(order.order_id, "3550875");
                assert_eq!(order.status, types::OrderStatus::ReadyToShip);
                assert_eq!(order.tracking_number.as_deref(), Some("SF7444700508450"));
                let recipient = order.recipient.as_ref().expect("recipient");
                assert_eq!(recipient.name.as_deref(), Some("小編姐姐"));
                let detail = order.shipment_detail.as_ref().expect("shipment detail");
                assert_eq!(detail.package_type, Some(types::PackageType::Parcel));
                let parcels = detail.parcel_list();
                let items = parcels[0].parcel_items();
                let item = &items[0];
                assert_eq!(item.single_value.as_deref(), Some("200"));
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status, "{}", example.label);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                if status == 400 {
                    assert_eq!(error.error.code, "400201");
                    assert_eq!(error.error.code_reason.as_deref(), Some("ORDER_NOT_FOUND"));
                }
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn create_access_token_posts_the_form_and_decodes_every_example() {
    let request: types::TokenRequest = serde_json::from_value(request_example(
        "fuuffy",
        "create_access_token",
        "authentication_page_curl",
    ))
    .expect("the token request example decodes");
    for example in response_examples("fuuffy", "create_access_token") {
        let server = MockServer::start_async().await;
        // progenitor 0.15's mock helper matches form bodies as JSON, so the form fields are
        // matched one by one here.
        let mock = server.create_access_token(|when, then| {
            when.into_inner()
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", request.client_id.clone())
                .form_urlencoded_tuple("client_secret", request.client_secret.expose())
                .header_missing("authorization")
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let unauthenticated = Client::connect(
            &server.base_url(),
            ordergate_runtime::Auth::none(),
            &ordergate_runtime::ClientConfig::default(),
        )
        .expect("client");
        let result = unauthenticated
            .create_access_token()
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                assert!(response.data.access_token.expose().starts_with("sk-"));
                assert_eq!(response.data.expires_in, Some(3600));
                // The token never shows in Debug output of the decoded response.
                let shown = format!("{:?}", *response);
                assert!(
                    !shown.contains(response.data.access_token.expose()),
                    "{shown}"
                );
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                assert_eq!(
                    Some(error.error.code.as_str()),
                    example.body["error"]["code"].as_str(),
                    "{}",
                    example.label
                );
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn a_non_numeric_id_is_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(200);
    });
    let client = client(&server);

    let get = client.get_order().id("35a/../1").send().await;
    assert!(matches!(get, Err(Error::InvalidRequest(_))), "{get:?}");

    let confirm = client
        .confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id("3550609 OR 1=1"))
        .send()
        .await;
    assert!(
        matches!(confirm, Err(Error::InvalidRequest(_))),
        "{confirm:?}"
    );
    assert_eq!(
        anything.calls_async().await,
        0,
        "nothing may reach the server"
    );
}

#[tokio::test]
async fn typed_mock_helpers_serve_typed_values() {
    // What a downstream user of the `mock` feature writes: typed request matching and typed
    // responses, no JSON by hand.
    let server = MockServer::start_async().await;
    let order_id: types::GetOrderId = "3550875".parse().expect("numeric");
    let body: types::GetOrderResponse =
        serde_json::from_value(ordergate_tests::response_example("fuuffy", "get_order", 200).body)
            .expect("decodes");
    let mock = server.get_order(|when, then| {
        when.id(&order_id);
        then.ok(&body);
    });
    let response = client(&server)
        .get_order()
        .id(order_id.clone())
        .send()
        .await
        .expect("ok");
    mock.assert_async().await;
    assert_eq!(response.into_inner(), body);
}
