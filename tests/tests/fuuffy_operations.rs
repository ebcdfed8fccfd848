//! The Fuuffy operations beyond confirm and get (rates, create, list, tracking, states and
//! cities) against httpmock: every request example sent as documented, every response example
//! decoded losslessly, the query parameters on the wire, and the inferred shapes tolerant.

use std::fmt::Debug;

use httpmock::MockServer;
use ordergate_fuuffy::mock::MockServerExt;
use ordergate_fuuffy::{Client, Credentials, Error, ResponseValue, types};
use ordergate_tests::credentials::TOKEN;
use ordergate_tests::{
    ResponseExample, assert_decoded_losslessly, parameter_example, request_example,
    response_examples,
};
use serde_json::{Value, json};

fn client(server: &MockServer) -> Client {
    Client::with_credentials(&server.base_url(), Credentials::access_token(TOKEN))
        .expect("a loopback base URL is accepted")
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// Checks `result` against the example it was served: a success decodes losslessly into
/// `T` (returned), an error into `ErrorResponse` with the example's status and code.
fn check<T: serde::Serialize + Debug>(
    example: &ResponseExample,
    result: Result<ResponseValue<T>, Error<types::ErrorResponse>>,
) -> Option<T> {
    match (example.status, result) {
        (200, Ok(response)) => {
            assert_decoded_losslessly(&example.label, &*response, &example.body);
            Some(response.into_inner())
        }
        (status, Err(Error::ErrorResponse(error))) => {
            assert_eq!(error.status().as_u16(), status, "{}", example.label);
            assert_decoded_losslessly(&example.label, &*error, &example.body);
            let code = example.body["error"]["code"].as_str().expect("code");
            assert_eq!(error.error.code, code, "{}", example.label);
            None
        }
        (_, other) => panic!("{}: unexpected result {other:?}", example.label),
    }
}

/// Serves each response example of `operation_id` (there must be `count`) from a fresh
/// httpmock server whose mock `expect` sets up (the request it must receive, matched on top of
/// the bearer token), makes the call with `call`, checks the mock was hit and the result
/// decoded ([`check`]); returns the decoded successes.
async fn each_example<T: serde::Serialize + Debug>(
    operation_id: &str,
    count: usize,
    expect: impl for<'s> Fn(&'s MockServer, &ResponseExample) -> httpmock::Mock<'s>,
    call: impl AsyncFn(Client) -> Result<ResponseValue<T>, Error<types::ErrorResponse>>,
) -> Vec<T> {
    let examples = response_examples("fuuffy", operation_id);
    assert_eq!(examples.len(), count, "{operation_id}");
    let mut decoded = Vec::new();
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = expect(&server, &example);
        let result = call(client(&server)).await;
        mock.assert_async().await;
        decoded.extend(check(&example, result));
    }
    decoded
}

/// Answers with `example` when `when` (the typed matcher, as `httpmock::When`) also carries
/// the bearer token.
fn serve(when: httpmock::When, then: httpmock::Then, example: &ResponseExample) {
    when.header("authorization", bearer());
    example.serve(then);
}

fn string_parameter(operation_id: &str, parameter: &str) -> String {
    parameter_example("fuuffy", operation_id, parameter)
        .as_str()
        .unwrap_or_else(|| panic!("{operation_id} {parameter}: a string example"))
        .to_owned()
}

#[tokio::test]
async fn get_rates_sends_the_docs_request_and_decodes_every_example() {
    let request: types::RatesRequest =
        serde_json::from_value(request_example("fuuffy", "get_rates", "docs_request"))
            .expect("the documented request decodes");
    each_example(
        "get_rates",
        5,
        |server, example| {
            server.get_rates(|when, then| {
                let when = when.body(&request).into_inner();
                serve(
                    when.header("content-type", "application/json"),
                    then.into_inner(),
                    example,
                );
            })
        },
        async |client| client.get_rates().body(request.clone()).send().await,
    )
    .await;
}

#[test]
fn every_request_example_decodes_losslessly() {
    for (operation_id, name) in [
        ("get_rates", "docs_request"),
        ("create_order", "local_field_examples"),
        ("create_order", "international_field_examples"),
    ] {
        let body = request_example("fuuffy", operation_id, name);
        let label = format!("{operation_id} {name}");
        match operation_id {
            "get_rates" => {
                let request: types::RatesRequest =
                    serde_json::from_value(body.clone()).expect("decodes");
                assert_decoded_losslessly(&label, &request, &body);
            }
            _ => {
                let request: types::CreateOrderRequest =
                    serde_json::from_value(body.clone()).expect("decodes");
                assert_decoded_losslessly(&label, &request, &body);
            }
        }
    }
}

/// The `ship_type` tag picks the variant; each variant keeps its own rules.
#[test]
fn create_requests_decode_to_the_variant_their_ship_type_names() {
    let local: types::CreateOrderRequest = serde_json::from_value(request_example(
        "fuuffy",
        "create_order",
        "local_field_examples",
    ))
    .expect("decodes");
    assert!(matches!(
        local,
        types::CreateOrderRequest::LocalOrderRequest(_)
    ));
    let international: types::CreateOrderRequest = serde_json::from_value(request_example(
        "fuuffy",
        "create_order",
        "international_field_examples",
    ))
    .expect("decodes");
    let types::CreateOrderRequest::InternationalOrderRequest(international) = international else {
        panic!("the intl example decodes as local: {international:?}");
    };
    assert_eq!(international.recipient.country.as_str(), "DE");

    // The tag decides: the same contacts under `ship_type: local` are a local order (whose
    // contacts ignore the international fields), and an international body without the email
    // an international contact needs decodes as neither.
    let mut body = request_example("fuuffy", "create_order", "international_field_examples");
    body["ship_type"] = json!("local");
    assert!(matches!(
        serde_json::from_value::<types::CreateOrderRequest>(body),
        Ok(types::CreateOrderRequest::LocalOrderRequest(_))
    ));
    let mut body = request_example("fuuffy", "create_order", "international_field_examples");
    body["ship_type"] = json!("express");
    assert!(serde_json::from_value::<types::CreateOrderRequest>(body).is_err());
    let mut body = request_example("fuuffy", "create_order", "international_field_examples");
    body["recipient"]
        .as_object_mut()
        .expect("recipient")
        .remove("email");
    assert!(serde_json::from_value::<types::CreateOrderRequest>(body).is_err());
}

#[tokio::test]
async fn create_order_sends_both_kinds_and_decodes_every_example() {
    for name in ["local_field_examples", "international_field_examples"] {
        let request: types::CreateOrderRequest =
            serde_json::from_value(request_example("fuuffy", "create_order", name))
                .expect("decodes");
        each_example(
            "create_order",
            5,
            |server, example| {
                server.create_order(|when, then| {
                    let when = when.body(&request).into_inner();
                    serve(
                        when.header("content-type", "application/json"),
                        then.into_inner(),
                        example,
                    );
                })
            },
            async |client| client.create_order().body(request.clone()).send().await,
        )
        .await;
    }
}

/// Length limits and required fields are part of the types: a request that breaks them cannot
/// be built, so it can never be sent.
#[test]
fn an_international_contact_outside_the_documented_limits_cannot_be_built() {
    let thirty = "123 Hauptstrasse, Hinterhaus 4";
    assert_eq!(thirty.len(), 30);
    let contact = || {
        types::InternationalContact::builder()
            .name("David Lee")
            .mobile("98765432")
            .mobile_prefix("+49")
            .email("david.lee@example.com")
            .country("DE")
    };
    let built: Result<types::InternationalContact, _> =
        contact().address("123 Hauptstrasse").try_into();
    assert!(built.is_ok(), "{built:?}");
    for refused in [
        contact().address(thirty),
        contact().address("Rm 1"),
        contact()
            .address("123 Hauptstrasse")
            .mobile_prefix("+49123"),
        contact().address("123 Hauptstrasse").name("N".repeat(36)),
    ] {
        let built: Result<types::InternationalContact, _> = refused.try_into();
        assert!(built.is_err(), "{built:?}");
    }
    let without_email = types::InternationalContact::builder()
        .name("David Lee")
        .mobile("98765432")
        .mobile_prefix("+49")
        .address("123 Hauptstrasse")
        .country("DE");
    let built: Result<types::InternationalContact, _> = without_email.try_into();
    assert!(
        built.is_err(),
        "an international contact needs an email: {built:?}"
    );

    let mut body = request_example("fuuffy", "create_order", "international_field_examples");
    body["recipient"]["address"] = json!(thirty);
    assert!(serde_json::from_value::<types::CreateOrderRequest>(body).is_err());
    let mut body = request_example("fuuffy", "create_order", "local_field_examples");
    body["shipment_detail"]["consignment_declaration"] = json!("D".repeat(36));
    assert!(serde_json::from_value::<types::CreateOrderRequest>(body).is_err());
}

#[tokio::test]
async fn list_orders_sends_every_documented_query_parameter() {
    let order_status: types::OrderStatusFilter = string_parameter("list_orders", "order_status")
        .parse()
        .expect("infallible");
    let sort_key: types::SortKey = string_parameter("list_orders", "sort_key")
        .parse()
        .expect("infallible");
    let sort_dir: types::SortDir = string_parameter("list_orders", "sort_dir")
        .parse()
        .expect("infallible");
    let start_date = string_parameter("list_orders", "start_date");
    let end_date = string_parameter("list_orders", "end_date");
    let integer = |name: &str| {
        parameter_example("fuuffy", "list_orders", name)
            .as_u64()
            .unwrap_or_else(|| panic!("{name}: an integer example"))
    };
    let page =
        std::num::NonZeroU32::new(u32::try_from(integer("page")).expect("small")).expect("page 1");
    let limit =
        std::num::NonZeroU8::new(u8::try_from(integer("limit")).expect("small")).expect("limit 20");

    each_example(
        "list_orders",
        5,
        |server, example| {
            server.list_orders(|when, then| {
                let when = when
                    .order_status(&order_status)
                    .start_date(start_date.as_str())
                    .end_date(end_date.as_str())
                    .sort_key(&sort_key)
                    .sort_dir(&sort_dir)
                    .page(page)
                    .limit(limit);
                serve(when.into_inner(), then.into_inner(), example);
            })
        },
        async |client| {
            client
                .list_orders()
                .order_status(order_status.clone())
                .start_date(start_date.clone())
                .end_date(end_date.clone())
                .sort_key(sort_key.clone())
                .sort_dir(sort_dir.clone())
                .page(page)
                .limit(limit)
                .send()
                .await
        },
    )
    .await;
}

/// The curl example's query string, exactly, and nothing sent for parameters left unset
/// (Fuuffy applies its documented defaults).
#[tokio::test]
async fn list_orders_query_string_is_the_documented_one() {
    let server = MockServer::start_async().await;
    let page = json!({"data": {"order_list": [{"order_id": "3550875", "ship_type": "local", "order_status": "READY_TO_SHIP", "courier": "sf"}], "message": "OK"}});
    const DOCUMENTED: &str = "end_date=2025-12-31&limit=20&order_status=PENDING_CONFIRM&page=1&sort_dir=DESC&sort_key=create_time&start_date=2025-01-01";
    let full = server.mock(|when, then| {
        when.path("/v1/order/list")
            .is_true(|request| request.uri().query() == Some(DOCUMENTED));
        then.status(200)
            .header("content-type", "application/json")
            .body(page.to_string());
    });
    let bare = server.mock(|when, then| {
        when.path("/v1/order/list")
            .is_true(|request| request.uri().query().is_none_or(str::is_empty));
        then.status(200)
            .header("content-type", "application/json")
            .body(page.to_string());
    });
    let client = client(&server);
    let listed = client
        .list_orders()
        .order_status(types::OrderStatusFilter::PendingConfirm)
        .start_date("2025-01-01")
        .end_date("2025-12-31")
        .page(std::num::NonZeroU32::MIN)
        .limit(std::num::NonZeroU8::new(20).expect("non-zero"))
        .sort_key(types::SortKey::CreateTime)
        .sort_dir(types::SortDir::Desc)
        .send()
        .await
        .expect("ok");
    full.assert_async().await;
    let orders = listed.data.order_list();
    assert_eq!(
        orders[0].order_status,
        Some(types::OrderStatus::ReadyToShip)
    );
    // An order field this description does not model is kept.
    assert_eq!(orders[0].extra.get("courier"), Some(&json!("sf")));
    client.list_orders().send().await.expect("ok");
    bare.assert_async().await;
}

#[tokio::test]
async fn tracking_by_order_id_and_by_number_decode_every_example() {
    let order_id: types::GetTrackingOrderId = string_parameter("get_tracking", "order_id")
        .parse()
        .expect("numeric");
    assert_eq!(order_id.as_str(), "3550806");
    let number = string_parameter("get_tracking_by_number", "tracking_number");
    let by_id = each_example(
        "get_tracking",
        6,
        |server, example| {
            server.get_tracking(|when, then| {
                serve(
                    when.order_id(&order_id).into_inner(),
                    then.into_inner(),
                    example,
                );
            })
        },
        async |client| {
            client
                .get_tracking()
                .order_id(order_id.clone())
                .send()
                .await
        },
    )
    .await;
    let by_number = each_example(
        "get_tracking_by_number",
        6,
        |server, example| {
            server.get_tracking_by_number(|when, then| {
                let when = when.into_inner().path("/v1/tracking/get");
                serve(
                    when.query_param("tracking_number", number.as_str()),
                    then.into_inner(),
                    example,
                );
            })
        },
        async |client| {
            client
                .get_tracking_by_number()
                .tracking_number(number.clone())
                .send()
                .await
        },
    )
    .await;
    assert_eq!(by_id, by_number, "the same documented answer");
    let tracking = &by_id[0].data;
    assert_eq!(
        tracking.tracking_msg_list()[0].location.as_deref(),
        Some("深圳市")
    );
    assert_eq!(tracking.order_status.as_deref(), Some("列印及安排取件"));
    assert_eq!(tracking.tracking_number.as_deref(), Some("SF7444700508450"));
}

#[tokio::test]
async fn states_and_cities_decode_every_example() {
    let country = string_parameter("list_states_and_cities", "country");
    let typed: types::ListStatesAndCitiesCountry = country.parse().expect("non-empty");
    let decoded = each_example(
        "list_states_and_cities",
        5,
        |server, example| {
            server.list_states_and_cities(|when, then| {
                serve(
                    when.country(&typed).into_inner(),
                    then.into_inner(),
                    example,
                );
            })
        },
        async |client| {
            client
                .list_states_and_cities()
                .country(country.clone())
                .send()
                .await
        },
    )
    .await;
    let countries = decoded[0].data.countries();
    assert_eq!(countries[0].code.as_deref(), Some("HK"));
    let cities: Vec<_> = countries[0].states()[1]
        .cities()
        .iter()
        .filter_map(|c| c.name.as_deref())
        .collect();
    assert_eq!(cities, ["North Point", "Quarry Bay"]);
    let missing = ordergate_tests::response_example("fuuffy", "list_states_and_cities", 400);
    assert_eq!(
        missing.body["error"]["message"],
        json!("country parameter is required")
    );
}

/// The create and rates answers were never seen: whatever Fuuffy adds is kept in `extra`,
/// and an answer with nothing but the envelope still decodes.
#[test]
fn the_inferred_answers_are_tolerant() {
    let created: types::CreateOrderResponse = serde_json::from_value(json!({"data": {
        "order_id": "3551000", "order_status": "PENDING_CONFIRM", "quote_price": "28.50",
        "label_url": "https://example.test/label.pdf"
    }}))
    .expect("decodes");
    assert_eq!(created.data.order_id.as_deref(), Some("3551000"));
    assert_eq!(
        created.data.order_status,
        Some(types::OrderStatus::PendingConfirm)
    );
    assert_eq!(
        created.data.extra.get("label_url"),
        Some(&Value::from("https://example.test/label.pdf"))
    );
    let rates: types::RatesResponse = serde_json::from_value(json!({"data": {
        "rate_list": [{"shipping_provider": "sf_expresshk_local", "quote_price": "28.50", "eta_days": 1}],
        "currency": "HKD"
    }}))
    .expect("decodes");
    let rate = &rates.data.rate_list()[0];
    assert_eq!(
        rate.shipping_provider.as_deref(),
        Some("sf_expresshk_local")
    );
    assert_eq!(rate.extra.get("eta_days"), Some(&json!(1)));
    assert_eq!(rates.data.extra.get("currency"), Some(&json!("HKD")));
    for body in [json!({"data": {}}), json!({"data": {"rate_list": null}})] {
        serde_json::from_value::<types::RatesResponse>(body.clone())
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        serde_json::from_value::<types::CreateOrderResponse>(body.clone())
            .unwrap_or_else(|e| panic!("{body}: {e}"));
    }
}
