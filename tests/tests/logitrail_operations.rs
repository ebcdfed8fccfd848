//! Every Logitrail operation but confirm (`logitrail.rs` covers it) against httpmock: every
//! request example sent as documented (method, path with the id, Basic credentials, the JSON
//! body equal to the example, the query string and nothing else), every response example
//! decoded losslessly (errors by status and `code`), the union shapes both ways, the bounds
//! checked before sending, and the inferred shapes tolerant. Each operation asserts how many
//! examples it has, so that a new example cannot be skipped silently.

use std::fmt::Debug;

use httpmock::MockServer;
use ordergate_logitrail::mock::MockServerExt;
use ordergate_logitrail::{Client, Credentials, Error, ResponseValue, types};
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET};
use ordergate_tests::scenarios::LOGITRAIL_AUTHORIZATION;
use ordergate_tests::sent::Sent;
use ordergate_tests::{
    ResponseExample, assert_decoded_losslessly, parameter_example, request_examples,
    response_examples,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const PROVIDER: &str = "logitrail";

type Answer<T> = Result<ResponseValue<T>, Error<types::ErrorResponse>>;

fn client(server: &MockServer) -> Client {
    let credentials = Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET);
    Client::with_credentials(&server.base_url(), credentials).expect("loopback is accepted")
}

/// The example of the path parameter `id` of `operation_id`.
fn id(operation_id: &str) -> types::ObjectId {
    parameter_example(PROVIDER, operation_id, "id")
        .as_str()
        .expect("the id example is a string")
        .parse()
        .expect("the id example matches its pattern")
}

/// A query parameter's example, as text.
fn text(operation_id: &str, parameter: &str) -> String {
    let example = parameter_example(PROVIDER, operation_id, parameter);
    example
        .as_str()
        .map_or_else(|| example.to_string(), str::to_owned)
}

/// A query parameter's example, as a number.
fn number(operation_id: &str, parameter: &str) -> u64 {
    parameter_example(PROVIDER, operation_id, parameter)
        .as_u64()
        .unwrap_or_else(|| panic!("{operation_id} {parameter}: an integer example"))
}

/// The request-body examples of `operation_id` (there must be `count`), each decoded into
/// `B` losslessly: `(name, example, decoded)`.
fn bodies<B: DeserializeOwned + Serialize>(
    operation_id: &str,
    count: usize,
) -> Vec<(String, Value, B)> {
    let examples = request_examples(PROVIDER, operation_id);
    assert_eq!(examples.len(), count, "{operation_id} request examples");
    examples
        .into_iter()
        .map(|(name, value)| {
            let label = format!("{operation_id} {name}");
            let body: B =
                serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_decoded_losslessly(&label, &body, &value);
            (name, value, body)
        })
        .collect()
}

/// Makes `when` match only the request `sent` describes, authenticated with the Basic
/// credentials, and answers it with `example`.
fn answer(when: httpmock::When, then: httpmock::Then, sent: &Sent, example: &ResponseExample) {
    sent.matched(when.header("authorization", LOGITRAIL_AUTHORIZATION));
    example.serve(then);
}

/// Checks `result` against the example it was served: a success (200 or 201) decodes
/// losslessly into `T` with the example's status, an error into `ErrorResponse` with the
/// example's status and `code`.
fn check<T: Serialize + Debug>(example: &ResponseExample, result: Answer<T>) -> Option<T> {
    match (example.status, result) {
        (200 | 201, Ok(response)) => {
            assert_eq!(
                response.status().as_u16(),
                example.status,
                "{}",
                example.label
            );
            assert_decoded_losslessly(&example.label, &*response, &example.body);
            Some(response.into_inner())
        }
        (status, Err(Error::ErrorResponse(error))) => {
            assert_eq!(error.status().as_u16(), status, "{}", example.label);
            assert_decoded_losslessly(&example.label, &*error, &example.body);
            let code = example.body["code"]
                .as_str()
                .expect("every error has a code");
            assert_eq!(error.code, code, "{}", example.label);
            None
        }
        (_, other) => panic!("{}: unexpected result {other:?}", example.label),
    }
}

/// Serves each response example of `operation_id` (there must be `count`) from a fresh
/// httpmock server whose mock `expect` sets up, makes the call with `call`, checks the mock
/// was hit once and the result decoded ([`check`]); returns the decoded successes, in the
/// examples' order.
async fn each_example<T: Serialize + Debug>(
    operation_id: &str,
    count: usize,
    expect: impl for<'s> Fn(&'s MockServer, &ResponseExample) -> httpmock::Mock<'s>,
    call: impl AsyncFn(Client) -> Answer<T>,
) -> Vec<T> {
    let examples = response_examples(PROVIDER, operation_id);
    assert_eq!(examples.len(), count, "{operation_id} response examples");
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

// --- orders -------------------------------------------------------------------------------

#[tokio::test]
async fn create_order_sends_both_examples_and_decodes_every_answer() {
    for (name, value, body) in bodies::<types::OrderUpdate>("create_order", 2) {
        let sent = Sent::to("/orders/_create").json(&value);
        let created = each_example(
            "create_order",
            7,
            |server, example| {
                server.create_order(|when, then| {
                    answer(when.into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| client.create_order().body(body.clone()).send().await,
        )
        .await;
        assert_eq!(created.len(), 1, "{name}");
        assert!(created[0].success);
        assert_eq!(created[0].order_id, "5c8a1d5b0000000000000001");
    }
}

#[tokio::test]
async fn update_order_sends_every_example_and_decodes_every_answer() {
    let id = id("update_order");
    let sent_to = Sent::to(format!("/orders/{}", id.as_str()));
    for (_, value, body) in bodies::<types::OrderUpdate>("update_order", 4) {
        let sent = sent_to.clone().json(&value);
        each_example(
            "update_order",
            7,
            |server, example| {
                server.update_order(|when, then| {
                    answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| {
                client
                    .update_order()
                    .id(id.clone())
                    .body(body.clone())
                    .send()
                    .await
            },
        )
        .await;
    }
}

/// DELETE and POST `_delete` are the same operation: the same answers, no body sent.
#[tokio::test]
async fn delete_order_both_ways_decodes_every_answer() {
    let id = id("delete_order");
    assert_eq!(id, self::id("delete_order_by_post"));
    let by_delete = each_example(
        "delete_order",
        7,
        |server, example| {
            let sent = Sent::to(format!("/orders/{}", id.as_str()));
            server.delete_order(|when, then| {
                answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| client.delete_order().id(id.clone()).send().await,
    )
    .await;
    let by_post = each_example(
        "delete_order_by_post",
        7,
        |server, example| {
            let sent = Sent::to(format!("/orders/{}/_delete", id.as_str()));
            server.delete_order_by_post(|when, then| {
                answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| client.delete_order_by_post().id(id.clone()).send().await,
    )
    .await;
    assert_eq!(by_delete, by_post);
    assert!(by_delete.iter().all(|deleted| deleted.success));
    let codes: std::collections::BTreeSet<String> = response_examples(PROVIDER, "delete_order")
        .into_iter()
        .filter(|e| e.status == 400)
        .filter_map(|e| e.body["code"].as_str().map(str::to_owned))
        .collect();
    let documented = [
        "order_already_cancelled",
        "order_already_processed",
        "order_already_processing",
    ];
    assert_eq!(codes, documented.into_iter().map(str::to_owned).collect());
}

#[tokio::test]
async fn order_shipping_options_decode_every_answer() {
    let id = id("get_order_shipping_options");
    let sent = Sent::to(format!("/orders/{}/shipping_options", id.as_str()));
    let options = each_example(
        "get_order_shipping_options",
        4,
        |server, example| {
            server.get_order_shipping_options(|when, then| {
                answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| {
            client
                .get_order_shipping_options()
                .id(id.clone())
                .send()
                .await
        },
    )
    .await;
    assert_eq!(options[0].order_id.as_deref(), Some(id.as_str()));
    let home = options[0].options.home.as_ref().expect("home");
    assert!(home.available);
    assert_eq!(home.price.as_ref().map(|p| p.gross), Some(9.77));
}

#[tokio::test]
async fn list_returns_sends_every_query_parameter_and_decodes_every_answer() {
    let op = "list_returns";
    let sent = Sent::to("/orders/returns").query([
        ("status", text(op, "status")),
        ("created_at_min", text(op, "created_at_min")),
        ("created_at_max", text(op, "created_at_max")),
        ("offset", text(op, "offset")),
        ("limit", text(op, "limit")),
    ]);
    let returns = each_example(
        op,
        5,
        |server, example| {
            server.list_returns(|when, then| {
                answer(when.into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| {
            client
                .list_returns()
                .status(text(op, "status"))
                .created_at_min(text(op, "created_at_min"))
                .created_at_max(text(op, "created_at_max"))
                .offset(number(op, "offset"))
                .limit(number(op, "limit"))
                .send()
                .await
        },
    )
    .await;
    let first = &returns[0].0[0];
    assert_eq!(first.type_, types::ReturnType::CustomerReturn);
    assert_eq!(first.status, types::ReturnStatus::RestockingPending);
    assert_eq!(
        first.order.as_ref().and_then(|o| o.get("status")),
        Some(&json!("processed"))
    );
}

// --- shipping -----------------------------------------------------------------------------

#[tokio::test]
async fn shipping_options_send_the_documented_query_and_decode_every_answer() {
    let op = "get_shipping_options";
    let sent = Sent::to("/shipping_options").query([
        ("postalcode", text(op, "postalcode")),
        ("country", text(op, "country")),
        ("weight", text(op, "weight")),
    ]);
    let options = each_example(
        op,
        5,
        |server, example| {
            server.get_shipping_options(|when, then| {
                answer(when.into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| {
            client
                .get_shipping_options()
                .postalcode(text(op, "postalcode"))
                .country(text(op, "country"))
                .weight(number(op, "weight"))
                .send()
                .await
        },
    )
    .await;
    let pickup = options[0].options.pickup.as_ref().expect("pickup");
    let points = pickup.pickup_points.as_ref().expect("pickup points");
    assert_eq!(points.len(), 10);
    assert_eq!(points["571c9fcc3e250d43528b4568"].name, "R-kioski Kaarina");
    let facts = options[0].facts.as_ref().expect("facts");
    assert_eq!(facts.get("pup.branch"), Some(&Value::Null));
}

#[tokio::test]
async fn pickup_points_send_the_documented_query_and_decode_every_answer() {
    let op = "list_pickup_points";
    let sent = Sent::to("/pickup_points/").query([
        ("postalcode", text(op, "postalcode")),
        ("country", text(op, "country")),
    ]);
    let points = each_example(
        op,
        5,
        |server, example| {
            server.list_pickup_points(|when, then| {
                answer(when.into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| {
            client
                .list_pickup_points()
                .postalcode(text(op, "postalcode"))
                .country(text(op, "country"))
                .send()
                .await
        },
    )
    .await;
    assert_eq!(points[0].0[0].id, "5692616b01250d3a458b4567");
}

// --- products -----------------------------------------------------------------------------

/// Create or update: 200 (updated) and 201 (created) both succeed with the same body type.
#[tokio::test]
async fn upsert_product_sends_both_examples_and_accepts_200_or_201() {
    for (_, value, body) in bodies::<types::ProductDocument>("upsert_product", 2) {
        let sent = Sent::to("/products/").json(&value);
        let answers = each_example(
            "upsert_product",
            6,
            |server, example| {
                server.upsert_product(|when, then| {
                    answer(when.into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| client.upsert_product().body(body.clone()).send().await,
        )
        .await;
        assert_eq!(answers.len(), 2);
        assert_eq!((answers[0].success, answers[0].created), (true, None));
        assert_eq!((answers[1].success, answers[1].created), (true, Some(true)));
    }
}

/// The three ways to ask by query string; the list of ids is the repeated `merchants_id_list[]`.
#[tokio::test]
async fn get_inventory_sends_each_query_and_decodes_every_answer() {
    let op = "get_inventory";
    let list = parameter_example(PROVIDER, op, "merchants_id_list[]");
    let ids: Vec<String> = serde_json::from_value(list).expect("a list of ids");
    assert_eq!(ids, ["VAREKSEN_TURKU", "PUIKULA_JALKIUUNI"]);
    let paging = || [("offset", text(op, "offset")), ("limit", text(op, "limit"))];
    let by_list: Vec<(&str, String)> = ids
        .iter()
        .map(|id| ("merchants_id_list[]", id.clone()))
        .chain(paging())
        .collect();
    let queries = [
        Sent::to("/products/inventory").query([("merchants_id", text(op, "merchants_id"))]),
        Sent::to("/products/inventory").query([("id", text(op, "id"))]),
        Sent::to("/products/inventory").query(by_list),
        Sent::to("/products/inventory")
            .query([("after", text(op, "after"))].into_iter().chain(paging())),
    ];
    for (mode, sent) in queries.iter().enumerate() {
        let answers = each_example(
            op,
            6,
            |server, example| {
                server.get_inventory(|when, then| {
                    answer(when.into_inner(), then.into_inner(), sent, example);
                })
            },
            async |client| {
                let request = client.get_inventory();
                let request = match mode {
                    0 => request.merchants_id(text(op, "merchants_id")),
                    1 => request.id(text(op, "id")),
                    2 => request
                        .merchants_id_list(ids.clone())
                        .offset(number(op, "offset"))
                        .limit(number(op, "limit")),
                    _ => request
                        .after(text(op, "after"))
                        .offset(number(op, "offset"))
                        .limit(number(op, "limit")),
                };
                request.send().await
            },
        )
        .await;
        assert_inventory_answers(&answers);
    }
}

/// The one-product answer decodes as one product, the list answer as a list; both encode
/// back to what was received (checked by [`check`]).
fn assert_inventory_answers(answers: &[types::InventoryAnswer]) {
    let [single, list] = answers else {
        panic!("two successes: {answers:?}");
    };
    let types::InventoryAnswer::ProductInventory(single) = single else {
        panic!("one product decodes as a list: {single:?}");
    };
    assert_eq!(single.merchants_id, "PUIKULA_JALKIUUNI");
    assert_eq!(single.ean.as_deref(), Some("6413466124007"));
    assert_eq!(single.gtin, None);
    assert_eq!(single.inventory.available, Some(5));
    let types::InventoryAnswer::InventoryList(list) = list else {
        panic!("a list decodes as one product: {list:?}");
    };
    assert_eq!((list.total_count, list.products.len()), (1, 1));
    assert_eq!(&list.products[0], single);
}

#[tokio::test]
async fn query_inventory_sends_every_body_and_decodes_every_answer() {
    for (_, value, body) in bodies::<types::InventoryQuery>("query_inventory", 3) {
        let sent = Sent::to("/products/inventory").json(&value);
        let answers = each_example(
            "query_inventory",
            6,
            |server, example| {
                server.query_inventory(|when, then| {
                    answer(when.into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| client.query_inventory().body(body.clone()).send().await,
        )
        .await;
        assert_inventory_answers(&answers);
    }
}

/// `limit` is at most 500, in the query string and in the body: 501 is refused before
/// anything is sent, 500 is sent.
#[tokio::test]
async fn an_inventory_limit_over_500_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"total_count": 0, "products": []}"#);
    });
    let client = client(&server);
    let by_query = client.get_inventory().limit(501u64).send().await;
    assert!(
        matches!(by_query, Err(Error::InvalidRequest(_))),
        "{by_query:?}"
    );
    let body = types::InventoryQuery {
        limit: Some(501),
        ..Default::default()
    };
    let by_body = client.query_inventory().body(body).send().await;
    assert!(
        matches!(by_body, Err(Error::InvalidRequest(_))),
        "{by_body:?}"
    );
    assert_eq!(anything.calls_async().await, 0);
    client
        .get_inventory()
        .limit(500u64)
        .send()
        .await
        .expect("500 is allowed");
    let body = types::InventoryQuery {
        limit: Some(500),
        ..Default::default()
    };
    client
        .query_inventory()
        .body(body)
        .send()
        .await
        .expect("500 is allowed");
    assert_eq!(anything.calls_async().await, 2);
}

// --- inbound shipments --------------------------------------------------------------------

#[tokio::test]
async fn create_inbound_shipment_sends_the_docs_example_and_decodes_every_answer() {
    for (_, value, body) in bodies::<types::InboundShipmentRequest>("create_inbound_shipment", 1) {
        let sent = Sent::to("/inbound_shipments/_create").json(&value);
        let created = each_example(
            "create_inbound_shipment",
            5,
            |server, example| {
                server.create_inbound_shipment(|when, then| {
                    answer(when.into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| {
                client
                    .create_inbound_shipment()
                    .body(body.clone())
                    .send()
                    .await
            },
        )
        .await;
        assert_eq!(created[0].shipment_id, "56987b391fb35ebd798b4573");
    }
}

#[tokio::test]
async fn get_inbound_shipment_decodes_every_answer() {
    let id = id("get_inbound_shipment");
    let sent = Sent::to(format!("/inbound_shipments/{}", id.as_str()));
    let shipments = each_example(
        "get_inbound_shipment",
        4,
        |server, example| {
            server.get_inbound_shipment(|when, then| {
                answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| client.get_inbound_shipment().id(id.clone()).send().await,
    )
    .await;
    let shipment = &shipments[0];
    assert_eq!(shipment.id.as_deref(), Some(id.as_str()));
    assert_eq!(shipment.status, Some(types::InboundShipmentStatus::Initial));
    let products = shipment.products.as_deref().unwrap_or_default();
    assert_eq!(products.len(), 5);
    // The docs' empty GTIN is kept as given.
    assert_eq!(
        products[2].product.as_ref().and_then(|p| p.gtin.as_deref()),
        Some("")
    );
}

#[tokio::test]
async fn update_inbound_shipment_sends_both_examples_and_decodes_every_answer() {
    let id = id("update_inbound_shipment");
    for (_, value, body) in bodies::<types::InboundShipmentRequest>("update_inbound_shipment", 2) {
        let sent = Sent::to(format!("/inbound_shipments/{}", id.as_str())).json(&value);
        each_example(
            "update_inbound_shipment",
            5,
            |server, example| {
                server.update_inbound_shipment(|when, then| {
                    answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| {
                client
                    .update_inbound_shipment()
                    .id(id.clone())
                    .body(body.clone())
                    .send()
                    .await
            },
        )
        .await;
    }
}

#[tokio::test]
async fn confirm_inbound_shipment_sends_its_example_and_decodes_every_answer() {
    let id = id("confirm_inbound_shipment");
    for (_, value, body) in bodies::<types::InboundShipmentRequest>("confirm_inbound_shipment", 1) {
        let sent = Sent::to(format!("/inbound_shipments/{}/_confirm", id.as_str())).json(&value);
        let confirmed = each_example(
            "confirm_inbound_shipment",
            5,
            |server, example| {
                server.confirm_inbound_shipment(|when, then| {
                    answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| {
                client
                    .confirm_inbound_shipment()
                    .id(id.clone())
                    .body(body.clone())
                    .send()
                    .await
            },
        )
        .await;
        assert_eq!(confirmed[0].success, Some(true));
    }
}

#[tokio::test]
async fn delete_inbound_shipment_both_ways_decodes_every_answer() {
    let id = id("delete_inbound_shipment");
    assert_eq!(id, self::id("delete_inbound_shipment_by_post"));
    let by_delete = each_example(
        "delete_inbound_shipment",
        4,
        |server, example| {
            let sent = Sent::to(format!("/inbound_shipments/{}", id.as_str()));
            server.delete_inbound_shipment(|when, then| {
                answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| client.delete_inbound_shipment().id(id.clone()).send().await,
    )
    .await;
    let by_post = each_example(
        "delete_inbound_shipment_by_post",
        4,
        |server, example| {
            let sent = Sent::to(format!("/inbound_shipments/{}/_delete", id.as_str()));
            server.delete_inbound_shipment_by_post(|when, then| {
                answer(when.id(&id).into_inner(), then.into_inner(), &sent, example);
            })
        },
        async |client| {
            client
                .delete_inbound_shipment_by_post()
                .id(id.clone())
                .send()
                .await
        },
    )
    .await;
    assert_eq!(by_delete, by_post);
    assert!(by_delete[0].success);
}

// --- costs --------------------------------------------------------------------------------

#[tokio::test]
async fn estimate_costs_sends_the_docs_request_and_decodes_every_answer() {
    for (_, value, body) in bodies::<types::CostsRequest>("estimate_costs", 1) {
        let sent = Sent::to("/logitrail_costs").json(&value);
        let costs = each_example(
            "estimate_costs",
            5,
            |server, example| {
                server.estimate_costs(|when, then| {
                    answer(when.into_inner(), then.into_inner(), &sent, example);
                })
            },
            async |client| client.estimate_costs().body(body.clone()).send().await,
        )
        .await;
        let total = costs[0].total_cost.as_ref().expect("total");
        assert_eq!((total.gross, total.net), (9.61, Some(7.75)));
        let components = costs[0].cost_components.as_ref().expect("components");
        assert_eq!(components.picking.as_ref().map(|c| c.gross), Some(3.72));
        // The costs example's facts differ in type from the shipping example's: kept as JSON.
        let facts = costs[0].facts.as_ref().expect("facts");
        assert_eq!(facts.get("order.item_count"), Some(&json!(true)));
    }
}

// --- shapes -------------------------------------------------------------------------------

/// `merchants_order` is a string or `{id, time}`; `dimensions` is `"W x H x D"` or
/// `[w, h, d]`: each example decodes to the shape it has and encodes back to it.
#[test]
fn the_union_shapes_decode_and_encode_both_ways() {
    let new_order = request_examples(PROVIDER, "create_order")
        .into_iter()
        .find(|(name, _)| name == "new_order")
        .map(|(_, value)| value)
        .expect("new_order");
    let order: types::OrderUpdate = serde_json::from_value(new_order.clone()).expect("decodes");
    let Some(types::MerchantsOrder::MerchantsOrderWithTime(with_time)) = &order.merchants_order
    else {
        panic!("{:?}", order.merchants_order);
    };
    assert_eq!(with_time.id, "10001");
    assert_eq!(with_time.time.as_deref(), Some("2016-01-18T08:17:55+00:00"));
    let products = order.products.as_deref().unwrap_or_default();
    assert_eq!(
        products[0].dimensions,
        Some(types::Dimensions::String("60 x 110 x 60".to_owned()))
    );
    assert_eq!(
        products[1].dimensions,
        Some(types::Dimensions::Array([60.0, 110.0, 60.0]))
    );

    for (shape, json) in [
        (
            types::MerchantsOrder::String("10002".to_owned()),
            json!("10002"),
        ),
        (
            types::MerchantsOrder::MerchantsOrderWithTime(types::MerchantsOrderWithTime {
                id: "10001".to_owned(),
                time: Some("2016-01-18T08:17:55+00:00".to_owned()),
            }),
            json!({"id": "10001", "time": "2016-01-18T08:17:55+00:00"}),
        ),
    ] {
        assert_eq!(serde_json::to_value(&shape).expect("encodes"), json);
        assert_eq!(
            serde_json::from_value::<types::MerchantsOrder>(json).expect("decodes"),
            shape
        );
    }
    for (shape, json) in [
        (
            types::Dimensions::String("60 x 110 x 60".to_owned()),
            json!("60 x 110 x 60"),
        ),
        (
            types::Dimensions::Array([60.0, 110.0, 60.5]),
            json!([60.0, 110.0, 60.5]),
        ),
    ] {
        assert_eq!(serde_json::to_value(&shape).expect("encodes"), json);
        assert_eq!(
            serde_json::from_value::<types::Dimensions>(json).expect("decodes"),
            shape
        );
    }
    // Neither shape: two numbers, or an object, is refused.
    for bad in [json!([60, 110]), json!({"w": 60})] {
        assert!(serde_json::from_value::<types::Dimensions>(bad).is_err());
    }
    assert!(serde_json::from_value::<types::MerchantsOrder>(json!(10001)).is_err());
}

/// `products` (add) and `products_all` (replace), `tags` and `tags_all`, are sent as given:
/// neither is turned into the other, and an absent one is not sent.
#[test]
fn products_and_products_all_are_serialized_as_given() {
    let line = types::Product {
        merchants_id: "13248".to_owned(),
        qty: 3,
        ..serde_json::from_value(json!({"merchants_id": "13248", "qty": 3})).expect("a line")
    };
    let adding = types::OrderUpdate {
        products: Some(vec![line.clone()]),
        tags: Some(vec!["gift".to_owned()]),
        ..Default::default()
    };
    let replacing = types::OrderUpdate {
        products_all: Some(vec![line]),
        tags_all: Some(vec!["gift".to_owned()]),
        ..Default::default()
    };
    let line = json!([{"merchants_id": "13248", "qty": 3}]);
    assert_eq!(
        serde_json::to_value(adding).expect("encodes"),
        json!({"products": line, "tags": ["gift"]})
    );
    assert_eq!(
        serde_json::to_value(replacing).expect("encodes"),
        json!({"products_all": line, "tags_all": ["gift"]})
    );
    let shipment = types::InboundShipmentRequest {
        products_all: Some(Vec::new()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(shipment).expect("encodes"),
        json!({"products_all": []})
    );
}

/// The answers the docs do not show are tolerant: the confirm answer keeps unknown fields and
/// decodes from `{}`; a return keeps its order as JSON and ignores unknown fields; an empty
/// page of returns decodes.
#[test]
fn the_inferred_answers_are_tolerant() {
    let confirmed: types::ConfirmInboundShipmentResponse = serde_json::from_value(json!({
        "success": true, "shipment_id": "56987b391fb35ebd798b4573", "status": "confirmed"
    }))
    .expect("decodes");
    assert_eq!(confirmed.extra.get("status"), Some(&json!("confirmed")));
    let empty: types::ConfirmInboundShipmentResponse =
        serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(empty.success, None);

    let returns: types::ReturnList = serde_json::from_value(json!([{
        "id": "56987b391fb35ebd798b4580", "status": "processing", "type": "agent_return",
        "order": {"id": "5c8a1d5b0000000000000001", "customer": {"city": "Kaarina"}},
        "resend_count": 1
    }]))
    .expect("decodes");
    assert_eq!(
        returns.0[0]
            .order
            .as_ref()
            .map(|o| o["customer"]["city"].clone()),
        Some(json!("Kaarina"))
    );
    assert!(
        serde_json::from_value::<types::ReturnList>(json!([]))
            .expect("decodes")
            .0
            .is_empty()
    );
}
