//! The Logitrail fake through the generated `ordergate_logitrail::Client` over loopback: the
//! order flow on the sandbox clock, the delete rules, products and inventory, inbound
//! shipments, shipping options and pickup points, costs, returns, webhooks received by a
//! loopback receiver, authentication and fallbacks, and requests as other clients send them.
//! Raw HTTP only for the sandbox's controls and what the typed client cannot send.

mod common;
use common::{http, send};

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use ordergate_logitrail::{Client, ClientConfig, Credentials, Error, codes, types};
use ordergate_sandbox::logitrail::{LogitrailOptions, MERCHANT_ID, SECRET};
use ordergate_sandbox::{Sandbox, SandboxOptions};
use serde_json::{Value, json};

fn client_with(sandbox: &Sandbox, secret: &str) -> Client {
    Client::connect(
        sandbox.base_url("logitrail").as_str(),
        Credentials::new(MERCHANT_ID, secret.to_owned()),
        &ClientConfig::default(),
    )
    .expect("a loopback base URL is accepted")
}

fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, SECRET)
}

/// The status and typed body of an error the typed client got.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error<types::ErrorResponse>>) -> (u16, String) {
    match result {
        Err(Error::ErrorResponse(error)) => (error.status().as_u16(), error.into_inner().code),
        other => panic!("expected an error response, got {other:?}"),
    }
}

/// The request example `name` of `operation_id` in `specs/logitrail.yaml`, typed.
fn example<T: serde::de::DeserializeOwned>(operation_id: &str, name: &str) -> T {
    serde_json::from_value(common::request_example("logitrail", operation_id, name))
        .expect("the example decodes")
}

fn order(value: Value) -> types::OrderUpdate {
    serde_json::from_value(value).expect("an Order JSON object")
}

/// A raw request with the sandbox's Basic credentials.
fn authed(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    request.basic_auth(format!("M-{MERCHANT_ID}"), Some(SECRET))
}

/// Sets product `merchants_id`'s stock with the sandbox control.
async fn set_stock(sandbox: &Sandbox, merchants_id: &str, in_stock: u32) -> Value {
    let url = format!(
        "{}/_sandbox/products/{merchants_id}/stock",
        sandbox.base_url("logitrail")
    );
    let (status, body) = send(http().post(url).json(&json!({"in_stock": in_stock}))).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn create(api: &Client, body: types::OrderUpdate) -> String {
    let created = api.create_order().body(body).send().await.expect("created");
    assert_eq!(created.status().as_u16(), 201);
    let created = created.into_inner();
    assert!(created.success);
    created.order_id
}

async fn inventory(api: &Client, merchants_id: &str) -> types::Inventory {
    match api
        .get_inventory()
        .merchants_id(merchants_id)
        .send()
        .await
        .expect("inventory")
        .into_inner()
    {
        types::InventoryAnswer::ProductInventory(product) => {
            assert_eq!(product.merchants_id, merchants_id);
            product.inventory
        }
        other => panic!("expected one product's document, got {other:?}"),
    }
}

/// (in_stock, reserved, available, inbound) of `inventory`.
fn quantities(inventory: &types::Inventory) -> (i64, i64, i64, i64) {
    let get = |value: Option<i64>| value.expect("a quantity");
    (
        get(inventory.in_stock),
        get(inventory.reserved),
        get(inventory.available),
        get(inventory.inbound),
    )
}

#[tokio::test]
async fn an_order_is_created_updated_confirmed_and_shipped_on_the_clock() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    set_stock(&sandbox, "13248", 10).await;
    let id = create(&api, example("create_order", "minimal_order")).await;
    assert!(types::ObjectId::try_from(id.as_str()).is_ok(), "{id}");
    assert_eq!(
        sandbox.order_status("logitrail", &id).as_deref(),
        Some("passive")
    );
    assert!(sandbox.confirmable_orders("logitrail").contains(&id));

    let updated = api
        .update_order()
        .id(id.as_str())
        .body(order(json!({"products_all": [{"merchants_id": "13248", "qty": 3}], "tags": ["gift"], "destination": "home"})))
        .send()
        .await
        .expect("updated");
    assert_eq!(updated.status().as_u16(), 200);
    assert_eq!(updated.into_inner().order_id, id);

    let confirmed = api
        .confirm_order()
        .id(id.as_str())
        .body(types::OrderUpdate::default())
        .send()
        .await
        .expect("confirmed")
        .into_inner();
    assert_eq!(confirmed.order_id, id);
    let code = confirmed.tracking_code.expect("a tracking code");
    assert_eq!(
        confirmed.tracking_url.as_deref(),
        Some(format!("https://example.com/tracking/{code}").as_str())
    );
    assert_eq!(
        sandbox.order_status("logitrail", &id).as_deref(),
        Some("confirmed")
    );
    let again = api.confirm_order().id(id.as_str()).send().await;
    assert_eq!(api_error(again), (409, codes::ORDER_NOT_PASSIVE.to_owned()));
    let late_update = api
        .update_order()
        .id(id.as_str())
        .body(order(json!({"destination": "letter"})))
        .send()
        .await;
    assert_eq!(
        api_error(late_update),
        (409, codes::ORDER_NOT_PASSIVE.to_owned())
    );
    assert_eq!(quantities(&inventory(&api, "13248").await), (10, 3, 7, 0));

    // Step 1: picked (the status stays), so a delete is refused.
    let moved = sandbox.advance(1).expect("advanced");
    assert!(!moved.iter().any(|m| m.order_id == id), "{moved:?}");
    assert_eq!(
        sandbox.order_status("logitrail", &id).as_deref(),
        Some("confirmed")
    );
    let deleting = api.delete_order().id(id.as_str()).send().await;
    assert_eq!(
        api_error(deleting),
        (400, codes::ORDER_ALREADY_PROCESSING.to_owned())
    );

    // Step 2: shipped.
    let moved = sandbox.advance(1).expect("advanced");
    assert!(
        moved.iter().any(|m| m.provider == "logitrail"
            && m.order_id == id
            && m.order_status == "processed"),
        "{moved:?}"
    );
    assert_eq!(quantities(&inventory(&api, "13248").await), (7, 0, 7, 0));
    let deleting = api.delete_order_by_post().id(id.as_str()).send().await;
    assert_eq!(
        api_error(deleting),
        (400, codes::ORDER_ALREADY_PROCESSED.to_owned())
    );

    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn each_delete_rule() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    // passive → deleted; then already cancelled, and no longer confirmable.
    let passive = "5c8a1d5b0000000000000001";
    let deleted = api
        .delete_order()
        .id(passive)
        .send()
        .await
        .expect("deleted");
    assert_eq!(deleted.status().as_u16(), 200);
    assert!(deleted.into_inner().success);
    assert_eq!(
        sandbox.order_status("logitrail", passive).as_deref(),
        Some("deleted")
    );
    let again = api.delete_order_by_post().id(passive).send().await;
    assert_eq!(
        api_error(again),
        (400, codes::ORDER_ALREADY_CANCELLED.to_owned())
    );
    let confirm = api.confirm_order().id(passive).send().await;
    assert_eq!(
        api_error(confirm),
        (409, codes::ORDER_NOT_PASSIVE.to_owned())
    );

    // A confirmed order short of stock waits, and its delete cancels it and frees the items.
    let id = create(
        &api,
        order(json!({"products": [{"merchants_id": "SCARCE", "qty": 4, "name": "Scarce"}]})),
    )
    .await;
    api.confirm_order()
        .id(id.as_str())
        .send()
        .await
        .expect("confirmed");
    assert_eq!(quantities(&inventory(&api, "SCARCE").await), (0, 4, 0, 0));
    sandbox.advance(1).expect("advanced");
    assert_eq!(
        sandbox.order_status("logitrail", &id).as_deref(),
        Some("waiting_products")
    );
    api.delete_order_by_post()
        .id(id.as_str())
        .send()
        .await
        .expect("cancelled");
    assert_eq!(
        sandbox.order_status("logitrail", &id).as_deref(),
        Some("cancelled")
    );
    assert_eq!(quantities(&inventory(&api, "SCARCE").await), (0, 0, 0, 0));
    let again = api.delete_order().id(id.as_str()).send().await;
    assert_eq!(
        api_error(again),
        (400, codes::ORDER_ALREADY_CANCELLED.to_owned())
    );

    // The seeded ones: processed and cancelled refuse; unknown and malformed ids are 404.
    let processed = api
        .delete_order()
        .id("5c8a1d5b0000000000000007")
        .send()
        .await;
    assert_eq!(
        api_error(processed),
        (400, codes::ORDER_ALREADY_PROCESSED.to_owned())
    );
    let cancelled = api
        .delete_order()
        .id("5c8a1d5b0000000000000008")
        .send()
        .await;
    assert_eq!(
        api_error(cancelled),
        (400, codes::ORDER_ALREADY_CANCELLED.to_owned())
    );
    let unknown = api
        .delete_order()
        .id("5c8a1d5b00000000000000ff")
        .send()
        .await;
    assert_eq!(api_error(unknown), (404, "unknown".to_owned()));
    let raw = http();
    let base = sandbox.base_url("logitrail");
    for request in [
        raw.delete(format!("{base}/orders/not-an-id")),
        raw.post(format!("{base}/orders/5c8a/_delete")),
    ] {
        let (status, body) = send(authed(request)).await;
        assert_eq!((status, &body["code"]), (404, &json!("unknown")));
    }

    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn order_lines_are_checked_as_the_create_page_says() {
    let sandbox = common::start().await;
    let base = sandbox.base_url("logitrail");
    let raw = http();
    let cases = [
        (
            json!({"products": [{"qty": 1}]}),
            "product.merchants_id.required",
        ),
        (
            json!({"products_all": [{"merchants_id": "", "qty": 1}]}),
            "product.merchants_id.required",
        ),
        (
            json!({"products": [{"merchants_id": "A", "qty": 1, "source_id": "1"}, {"merchants_id": "B", "qty": 1}]}),
            "item_source_id_missing",
        ),
        (json!({"destination": "the moon"}), "unknown"),
        (json!({"products": [{"merchants_id": "A"}]}), "unknown"),
    ];
    for (body, code) in cases {
        for url in [
            format!("{base}/orders/_create"),
            format!("{base}/orders/5c8a1d5b0000000000000002"),
            format!("{base}/orders/5c8a1d5b0000000000000002/_confirm"),
        ] {
            let (status, answer) = send(authed(raw.post(&url)).json(&body)).await;
            assert_eq!(
                (status, &answer["code"]),
                (400, &json!(code)),
                "{url} {body}"
            );
        }
    }
    assert_eq!(
        sandbox
            .order_status("logitrail", "5c8a1d5b0000000000000002")
            .as_deref(),
        Some("passive")
    );
    let big = json!({"products": [{"merchants_id": "A", "qty": 1, "additional_info": "x".repeat(70 * 1024)}]});
    let (status, answer) =
        send(authed(raw.post(format!("{base}/orders/_create"))).json(&big)).await;
    assert_eq!((status, &answer["code"]), (400, &json!("unknown")));
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn products_upsert_and_inventory_single_list_and_paged() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let product: types::ProductDocument = example("upsert_product", "product");
    let created = api
        .upsert_product()
        .body(product.clone())
        .send()
        .await
        .expect("created");
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.into_inner().created, Some(true));
    let updated = api
        .upsert_product()
        .body(product)
        .send()
        .await
        .expect("updated");
    assert_eq!(updated.status().as_u16(), 200);
    let updated = updated.into_inner();
    assert!(updated.success);
    assert_eq!(updated.created, None);

    // The bundle example names subproducts that do not exist yet.
    let bundle: types::ProductDocument = example("upsert_product", "bundle");
    let refused = api.upsert_product().body(bundle.clone()).send().await;
    assert_eq!(api_error(refused), (400, "unknown".to_owned()));
    set_stock(&sandbox, "FINANCIAL_TIMES", 3).await;
    set_stock(&sandbox, "FAZER_BLUE_CHOCOLATE_BAR", 5).await;
    let created = api
        .upsert_product()
        .body(bundle)
        .send()
        .await
        .expect("created");
    assert_eq!(created.status().as_u16(), 201);
    let bundle = inventory(&api, "READ_AND_EAT_CHOCOLATE").await;
    assert_eq!((bundle.available, bundle.in_stock), (Some(2), None));

    // By Logitrail's id too.
    let single = api
        .get_inventory()
        .merchants_id("13248")
        .send()
        .await
        .expect("one")
        .into_inner();
    let types::InventoryAnswer::ProductInventory(single) = single else {
        panic!("one product's document");
    };
    let id = single.id.clone().expect("an id");
    let by_id = api
        .get_inventory()
        .id(id.as_str())
        .send()
        .await
        .expect("by id")
        .into_inner();
    assert_eq!(by_id, types::InventoryAnswer::ProductInventory(single));
    let unknown = api.get_inventory().merchants_id("NOPE").send().await;
    assert_eq!(api_error(unknown), (404, "unknown".to_owned()));

    // Several: query string (merchants_id_list[]) and JSON body alike, in the order asked.
    let wanted = vec![
        "FINANCIAL_TIMES".to_owned(),
        "NOPE".to_owned(),
        "13248".to_owned(),
    ];
    let by_query = api
        .get_inventory()
        .merchants_id_list(wanted.clone())
        .send()
        .await
        .expect("a list")
        .into_inner();
    let by_body = api
        .query_inventory()
        .body(types::InventoryQuery {
            merchants_id_list: Some(wanted),
            ..types::InventoryQuery::default()
        })
        .send()
        .await
        .expect("a list")
        .into_inner();
    assert_eq!(by_query, by_body);
    let types::InventoryAnswer::InventoryList(list) = by_query else {
        panic!("a list");
    };
    let ids: Vec<&str> = list
        .products
        .iter()
        .map(|p| p.merchants_id.as_str())
        .collect();
    assert_eq!(ids, ["FINANCIAL_TIMES", "13248"]);
    assert_eq!(
        (list.total_count, list.count, list.offset),
        (2, Some(2), Some(0))
    );

    // Every product that moved since a time, paged.
    let page = |offset: u64, limit: u64| {
        api.get_inventory()
            .after("2000-01-01T00:00:00+00:00")
            .offset(offset)
            .limit(limit)
            .send()
    };
    let types::InventoryAnswer::InventoryList(first) =
        page(0, 1).await.expect("a page").into_inner()
    else {
        panic!("a list");
    };
    assert_eq!((first.total_count, first.count), (2, Some(1)));
    assert_eq!(first.products[0].merchants_id, "FINANCIAL_TIMES");
    let types::InventoryAnswer::InventoryList(second) =
        page(1, 500).await.expect("a page").into_inner()
    else {
        panic!("a list");
    };
    assert_eq!(second.products[0].merchants_id, "FAZER_BLUE_CHOCOLATE_BAR");
    assert_eq!((second.offset, second.count), (Some(1), Some(1)));
    // A limit over 500, which the typed client refuses to send, is refused
    // (`query_bounds_are_refused_as_the_spec_states`); 500 lists everything here.
    let url = format!(
        "{}/products/inventory?limit=500&offset=0",
        sandbox.base_url("logitrail")
    );
    let (status, body) = send(authed(http().get(url))).await;
    assert_eq!(
        (status, &body["total_count"], &body["count"]),
        (200, &json!(4), &json!(4))
    );
    let types::InventoryAnswer::InventoryList(all) = api
        .query_inventory()
        .body(types::InventoryQuery::default())
        .send()
        .await
        .expect("every product")
        .into_inner()
    else {
        panic!("a list");
    };
    assert_eq!(all.total_count, 4, "{all:?}");

    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn inventory_changes_on_confirm_and_an_inbound_shipment_moves_on_the_clock() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    // An order waiting for products that the shipment brings.
    let waiting = create(
        &api,
        order(json!({"products": [{"merchants_id": "18504", "qty": 2}]})),
    )
    .await;
    api.confirm_order()
        .id(waiting.as_str())
        .send()
        .await
        .expect("confirmed");
    assert_eq!(quantities(&inventory(&api, "18504").await), (0, 2, 0, 0));

    let shipment = api
        .create_inbound_shipment()
        .body(example::<types::InboundShipmentRequest>(
            "create_inbound_shipment",
            "docs_example",
        ))
        .send()
        .await
        .expect("created");
    assert_eq!(shipment.status().as_u16(), 201);
    let id = shipment.into_inner().shipment_id;
    let got = api
        .get_inbound_shipment()
        .id(id.as_str())
        .send()
        .await
        .expect("got")
        .into_inner();
    assert_eq!(got.status, Some(types::InboundShipmentStatus::Initial));
    assert_eq!(got.merchants_ref.as_deref(), Some("46057"));
    assert_eq!(got.products.as_ref().map(Vec::len), Some(2));
    let updated = api
        .update_inbound_shipment()
        .id(id.as_str())
        .body(example::<types::InboundShipmentRequest>(
            "update_inbound_shipment",
            "docs_example",
        ))
        .send()
        .await
        .expect("updated")
        .into_inner();
    assert_eq!(updated.shipment_id, id);
    api.update_inbound_shipment()
        .id(id.as_str())
        .body(types::InboundShipmentRequest {
            products: Some(vec![types::InboundProduct {
                merchants_id: Some("18504".to_owned()),
                qty: Some(10),
                ..types::InboundProduct::default()
            }]),
            ..types::InboundShipmentRequest::default()
        })
        .send()
        .await
        .expect("updated");
    let confirmed = api
        .confirm_inbound_shipment()
        .id(id.as_str())
        .send()
        .await
        .expect("confirmed")
        .into_inner();
    assert_eq!(confirmed.shipment_id.as_deref(), Some(id.as_str()));
    let again = api.confirm_inbound_shipment().id(id.as_str()).send().await;
    assert_eq!(api_error(again).0, 409);
    assert_eq!(quantities(&inventory(&api, "18504").await), (0, 2, 0, 10));
    assert_eq!(quantities(&inventory(&api, "13248").await), (0, 0, 0, 6));

    let status = |api: &Client| {
        let api = api.clone();
        let id = id.clone();
        async move {
            api.get_inbound_shipment()
                .id(id.as_str())
                .send()
                .await
                .expect("got")
                .into_inner()
        }
    };
    sandbox.advance(1).expect("advanced");
    assert_eq!(
        status(&api).await.status,
        Some(types::InboundShipmentStatus::EnRoute)
    );
    assert_eq!(
        sandbox.order_status("logitrail", &waiting).as_deref(),
        Some("waiting_products")
    );
    sandbox.advance(1).expect("advanced");
    assert_eq!(
        status(&api).await.status,
        Some(types::InboundShipmentStatus::ArrivedAtWarehouse)
    );
    let deleting = api.delete_inbound_shipment().id(id.as_str()).send().await;
    assert_eq!(api_error(deleting).0, 409);
    let updating = api
        .update_inbound_shipment()
        .id(id.as_str())
        .body(types::InboundShipmentRequest::default())
        .send()
        .await;
    assert_eq!(api_error(updating).0, 409);
    sandbox.advance(1).expect("advanced");
    let processed = status(&api).await;
    assert_eq!(
        processed.status,
        Some(types::InboundShipmentStatus::Processed)
    );
    let line = processed
        .products()
        .iter()
        .find(|item| {
            item.product
                .as_ref()
                .and_then(|p| p.merchants_id.as_deref())
                == Some("18504")
        })
        .expect("the 18504 line");
    assert_eq!((line.qty, line.arrived_qty), (Some(10), Some(10)));
    assert_eq!(line.arrivals().len(), 1);
    assert_eq!(line.arrivals()[0].change, Some(10));
    // The stock arrived, and the waiting order was picked in the same step.
    assert_eq!(quantities(&inventory(&api, "18504").await), (10, 2, 8, 0));
    assert_eq!(quantities(&inventory(&api, "13248").await), (6, 0, 6, 0));
    sandbox.advance(1).expect("advanced");
    assert_eq!(
        sandbox.order_status("logitrail", &waiting).as_deref(),
        Some("processed")
    );
    assert_eq!(quantities(&inventory(&api, "18504").await), (8, 0, 8, 0));

    // Delete: initial → deleted, confirmed → cancelled (no longer inbound), then 409.
    let create_one = || {
        api.create_inbound_shipment()
            .body(types::InboundShipmentRequest {
                products: Some(vec![types::InboundProduct {
                    merchants_id: Some("13248".to_owned()),
                    qty: Some(4),
                    ..types::InboundProduct::default()
                }]),
                ..types::InboundShipmentRequest::default()
            })
            .send()
    };
    let initial = create_one()
        .await
        .expect("created")
        .into_inner()
        .shipment_id;
    api.delete_inbound_shipment()
        .id(initial.as_str())
        .send()
        .await
        .expect("deleted");
    let deleted = api
        .get_inbound_shipment()
        .id(initial.as_str())
        .send()
        .await
        .expect("got");
    assert_eq!(
        deleted.into_inner().status,
        Some(types::InboundShipmentStatus::Deleted)
    );
    let again = api
        .delete_inbound_shipment_by_post()
        .id(initial.as_str())
        .send()
        .await;
    assert_eq!(api_error(again).0, 409);
    let confirmed = create_one()
        .await
        .expect("created")
        .into_inner()
        .shipment_id;
    api.confirm_inbound_shipment()
        .id(confirmed.as_str())
        .send()
        .await
        .expect("confirmed");
    assert_eq!(quantities(&inventory(&api, "13248").await), (6, 0, 6, 4));
    api.delete_inbound_shipment_by_post()
        .id(confirmed.as_str())
        .send()
        .await
        .expect("cancelled");
    let cancelled = api
        .get_inbound_shipment()
        .id(confirmed.as_str())
        .send()
        .await
        .expect("got");
    assert_eq!(
        cancelled.into_inner().status,
        Some(types::InboundShipmentStatus::Cancelled)
    );
    assert_eq!(quantities(&inventory(&api, "13248").await), (6, 0, 6, 0));
    let unknown = api
        .get_inbound_shipment()
        .id("56987b3a00000000000000ff")
        .send()
        .await;
    assert_eq!(api_error(unknown), (404, "unknown".to_owned()));

    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn shipping_options_and_pickup_points_come_from_the_table() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let options = api
        .get_shipping_options()
        .postalcode("20780")
        .country("FI")
        .send()
        .await
        .expect("options")
        .into_inner();
    let methods = &options.options;
    let letter = methods.letter.as_ref().expect("letter");
    assert!(!letter.available);
    assert_eq!(letter.reason.as_deref(), Some("item_does_not_allow"));
    let pickup = methods.pickup.as_ref().expect("pickup");
    assert!(pickup.available);
    let points = pickup.pickup_points.as_ref().expect("points");
    assert_eq!(points.len(), 10);
    let katariina = &points["5692616b01250d3a458b4567"];
    assert_eq!(katariina.name, "Posti, K-supermarket Katariina");
    assert_eq!(katariina.price.as_ref().map(|p| p.gross), Some(9.77));
    let facts = options.facts.expect("facts");
    assert_eq!(facts["customer.postalcode"], "20780");

    let light = api
        .get_shipping_options()
        .postalcode("00100")
        .weight(500_u64)
        .send()
        .await
        .expect("options")
        .into_inner()
        .options;
    assert!(light.letter.is_some_and(|m| m.available));
    assert!(light.home.is_some_and(|m| m.available));
    assert_eq!(
        light.pickup.and_then(|m| m.reason).as_deref(),
        Some("no_pickup_points")
    );

    let nearby = api
        .list_pickup_points()
        .postalcode("20750")
        .country("FI")
        .send()
        .await
        .expect("points")
        .into_inner();
    assert_eq!(nearby.len(), 10);
    assert_eq!(nearby[0].postalcode.as_deref(), Some("20750"));
    assert!(nearby.iter().all(|point| point.price.is_none()));
    let none = api
        .list_pickup_points()
        .postalcode("00100")
        .send()
        .await
        .expect("points");
    assert!(none.into_inner().is_empty());
    let missing = api.list_pickup_points().send().await;
    assert_eq!(api_error(missing), (400, "unknown".to_owned()));

    // An order's options: its customer and its lines' weight.
    let id = create(
        &api,
        order(json!({"customer": {"firstName": "Aino", "lastName": "Korhonen", "address": "Puntarikatu 1", "postalCode": "20780", "city": "Kaarina"}, "products": [{"merchants_id": "HEAVY", "qty": 2, "weight": 20000}]})),
    )
    .await;
    let order_options = api
        .get_order_shipping_options()
        .id(id.as_str())
        .send()
        .await
        .expect("options")
        .into_inner();
    assert_eq!(order_options.order_id.as_deref(), Some(id.as_str()));
    assert!(
        order_options.options.home.is_some_and(|m| !m.available),
        "40 kg"
    );
    let unknown = api
        .get_order_shipping_options()
        .id("5c8a1d5b00000000000000ff")
        .send()
        .await;
    assert_eq!(api_error(unknown), (404, "unknown".to_owned()));

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn costs_come_from_the_table() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let id = create(
        &api,
        order(json!({"products": [{"merchants_id": "13248", "qty": 1}], "destination": "5692616b01250d3a458b4568"})),
    )
    .await;
    let costs = api
        .estimate_costs()
        .body(types::CostsRequest {
            order_id: id,
            facts: None,
        })
        .send()
        .await
        .expect("costs")
        .into_inner();
    let total = costs.total_cost.expect("a total");
    assert_eq!(
        (total.gross, total.net),
        (9.61, Some(7.75)),
        "the docs' example"
    );
    let components = costs.cost_components.expect("components");
    assert_eq!(components.shipping.map(|c| c.gross), Some(5.58));
    assert_eq!(components.picking_lines.map(|c| c.gross), Some(0.31));
    let facts = costs.facts.expect("facts");
    assert_eq!(facts["pup.branch"], "fi.k-market");
    assert_eq!(facts["order.shipping_type"], "prc_pickup");
    let unknown = api
        .estimate_costs()
        .body(example::<types::CostsRequest>(
            "estimate_costs",
            "docs_example",
        ))
        .send()
        .await;
    assert_eq!(api_error(unknown), (404, "unknown".to_owned()));
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn returns_made_by_the_control_are_listed_and_paged() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let control = |id: &str| {
        format!(
            "{}/_sandbox/orders/{id}/return",
            sandbox.base_url("logitrail")
        )
    };
    let processed = "5c8a1d5b0000000000000007";
    let (status, first) = send(http().post(control(processed))).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (&first["status"], &first["type"]),
        (&json!("pending"), &json!("customer_return"))
    );
    assert_eq!(first["order"]["id"], processed);
    for body in [
        json!({"type": "agent_return"}),
        json!({"status": "processed"}),
    ] {
        let (status, answer) = send(http().post(control(processed)).json(&body)).await;
        assert_eq!(status, 200, "{answer}");
    }
    let (status, refused) = send(http().post(control("5c8a1d5b0000000000000002"))).await;
    assert_eq!(status, 400, "{refused}");

    let active = api
        .list_returns()
        .send()
        .await
        .expect("returns")
        .into_inner();
    assert_eq!(
        active.len(),
        2,
        "processed returns are left out without a status"
    );
    assert_eq!(active[0].id, first["id"].as_str().expect("an id"));
    let page = api
        .list_returns()
        .offset(1_u64)
        .limit(5_u64)
        .send()
        .await
        .expect("a page");
    assert_eq!(page.into_inner()[0].type_, types::ReturnType::AgentReturn);
    let done = api
        .list_returns()
        .status("processed")
        .send()
        .await
        .expect("returns");
    assert_eq!(done.into_inner().len(), 1);
    let old = api
        .list_returns()
        .created_at_max("2000-01-01")
        .send()
        .await
        .expect("returns");
    assert!(old.into_inner().is_empty());
    common::validate_every_response(&sandbox, true);
}

/// What a webhook receiver got: each request's events, and the requests it refused.
#[derive(Default)]
struct Received {
    batches: Vec<Vec<types::WebhookEvent>>,
    refused: usize,
}

/// A webhook receiver on loopback that checks HTTP Basic `username` : `password` and reads
/// each body as a batch of events.
async fn receiver(username: &str, password: &str) -> (String, Arc<Mutex<Received>>) {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
    );
    let received = Arc::new(Mutex::new(Received::default()));
    let state = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/hooks/logitrail",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let expected = expected.clone();
                let state = Arc::clone(&state);
                async move {
                    let mut state = state.lock().expect("not poisoned");
                    let authorized = headers
                        .get("authorization")
                        .is_some_and(|value| value.as_bytes() == expected.as_bytes());
                    let batch = serde_json::from_slice::<Vec<types::WebhookEvent>>(&body);
                    match (authorized, batch) {
                        (true, Ok(batch)) => {
                            state.batches.push(batch);
                            axum::http::StatusCode::OK
                        }
                        _ => {
                            state.refused += 1;
                            axum::http::StatusCode::UNAUTHORIZED
                        }
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let url = format!(
        "http://{}/hooks/logitrail",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// Waits until `received` holds `count` events (at most 10 s); every event.
async fn events(received: &Mutex<Received>, count: usize) -> Vec<types::WebhookEvent> {
    for _ in 0..200 {
        {
            let received = received.lock().expect("not poisoned");
            let all: Vec<types::WebhookEvent> =
                received.batches.iter().flatten().cloned().collect();
            if all.len() >= count {
                return all;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {count} events");
}

#[tokio::test]
async fn webhooks_arrive_in_batches_with_the_configured_basic_credentials() {
    let (url, received) = receiver("hook-user", "hook-password").await;
    let options = SandboxOptions::default().logitrail(LogitrailOptions::default().webhook(
        url.clone(),
        "hook-user",
        "hook-password",
    ));
    let sandbox = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    let api = client(&sandbox);
    // Take the seeded confirmed orders out of the flow, so only ours moves.
    for seeded in ["5c8a1d5b0000000000000005", "5c8a1d5b0000000000000006"] {
        sandbox
            .seed_order("logitrail", seeded, "processed")
            .expect("re-seeded");
    }
    set_stock(&sandbox, "13248", 5).await;
    let id = create(&api, example("create_order", "minimal_order")).await;
    api.confirm_order()
        .id(id.as_str())
        .send()
        .await
        .expect("confirmed");
    sandbox.advance(2).expect("advanced");
    // set_stock: 1 inventory change; create: 1; confirm: 1 + 1; pick: 0; ship: 2 + 1.
    let all = events(&received, 7).await;
    let types_of: Vec<&str> = all.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types_of,
        [
            "product.inventory.change",
            "order.info.change",
            "order.info.change",
            "product.inventory.change",
            "order.info.change",
            "order.shipped",
            "product.inventory.change",
        ]
    );
    for event in &all {
        assert_eq!(event.retry_count, Some(0));
        assert!(event.ts.is_some() && event.webhook_id.is_some());
    }
    let mut ids: Vec<&str> = all.iter().map(|e| e.event_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "event ids are unique");
    let shipped: types::OrderShippedPayload =
        serde_json::from_value(Value::Object(all[5].payload.clone())).expect("a shipped payload");
    assert_eq!(shipped.order.id, id);
    assert_eq!(shipped.order.status, types::OrderStatus::Processed);
    assert!(shipped.shipment.carrier_tracking_code.is_some());
    let confirmed: types::OrderEventPayload =
        serde_json::from_value(Value::Object(all[2].payload.clone())).expect("an order payload");
    assert_eq!(confirmed.order.status, types::OrderStatus::Confirmed);
    assert!(confirmed.order.tracking_code.is_some());
    let inventory: types::ProductEventPayload =
        serde_json::from_value(Value::Object(all[6].payload.clone())).expect("a product payload");
    assert_eq!(inventory.product.merchants_id.as_deref(), Some("13248"));
    assert_eq!(
        inventory.inventory.as_ref().and_then(|i| i.in_stock),
        Some(4)
    );

    // One change of 120 lines: 121 events, in two requests of at most 100.
    let lines: Vec<Value> = (0..120)
        .map(|n| json!({"merchants_id": format!("LINE-{n}"), "qty": 1}))
        .collect();
    let big = create(&api, order(json!({"products": lines}))).await;
    api.confirm_order()
        .id(big.as_str())
        .send()
        .await
        .expect("confirmed");
    events(&received, 7 + 1 + 121).await;
    {
        let received = received.lock().expect("not poisoned");
        assert_eq!(received.refused, 0);
        assert!(
            received
                .batches
                .iter()
                .all(|batch| !batch.is_empty() && batch.len() <= 100)
        );
        assert!(received.batches.iter().any(|batch| batch.len() == 100));
    }
    let deliveries = sandbox.webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .all(|d| d.provider == "logitrail" && d.status == Some(200) && d.url == url)
    );
    let printed = format!("{deliveries:?}");
    assert!(!printed.contains("hook-password"), "{printed}");

    // Wrong credentials configured: the receiver refuses, the API call still succeeds.
    let (url, refusing) = receiver("hook-user", "another-password").await;
    let options = SandboxOptions::default().logitrail(LogitrailOptions::default().webhook(
        url,
        "hook-user",
        "hook-password",
    ));
    let other = ordergate_sandbox::start_with(options)
        .await
        .expect("starts");
    create(&client(&other), example("create_order", "minimal_order")).await;
    for _ in 0..200 {
        if !other.webhook_deliveries().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(other.webhook_deliveries()[0].status, Some(401));
    assert_eq!(refusing.lock().expect("not poisoned").refused, 1);
}

#[tokio::test]
async fn wrong_credentials_unknown_paths_and_wrong_methods() {
    let sandbox = common::start().await;
    let wrong = client_with(&sandbox, "not-the-secret");
    let refused = wrong
        .create_order()
        .body(example::<types::OrderUpdate>(
            "create_order",
            "minimal_order",
        ))
        .send()
        .await;
    assert_eq!(api_error(refused), (403, codes::ACCESS_DENIED.to_owned()));
    let refused = wrong.get_inventory().merchants_id("13248").send().await;
    assert_eq!(api_error(refused), (403, codes::ACCESS_DENIED.to_owned()));

    let base = sandbox.base_url("logitrail");
    let raw = http();
    let (status, body) = send(raw.get(format!("{base}/products/inventory"))).await;
    assert_eq!((status, &body["code"]), (403, &json!("access_denied")));
    for (request, status, code) in [
        (raw.get(format!("{base}/nowhere")), 404, "unknown"),
        (
            raw.get(format!("{base}/orders/_create")),
            405,
            "method_not_allowed",
        ),
        (
            raw.put(format!("{base}/products/inventory")),
            405,
            "method_not_allowed",
        ),
        (
            raw.get(format!("{base}/logitrail_costs")),
            405,
            "method_not_allowed",
        ),
        (
            raw.patch(format!("{base}/inbound_shipments/56987b3a0000000000000001")),
            405,
            "method_not_allowed",
        ),
    ] {
        let (got, body) = send(authed(request)).await;
        assert_eq!((got, &body["code"]), (status, &json!(code)), "{body}");
        assert!(body["message"].is_string());
    }
    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn requests_as_other_clients_send_them_are_accepted() {
    let sandbox = common::start().await;
    let base = sandbox.base_url("logitrail");
    let raw = http();
    // PHP's json_encode: numbers for ids, strings for numbers, nulls, escaped slashes.
    let body = r#"{"merchants_order":{"id":10001,"time":"2016-01-18T08:17:55+00:00"},"customer":{"firstName":"Matti","lastName":"Virtanen","address":"Hovirinnantie 5","postalCode":20780,"city":"Kaarina","email":null,"phoneNumber":"+358401234567"},"products":[{"merchants_id":13248,"name":"Puhdas+ Caps \/ 60 kaps","qty":"2","unit_price":"19.90","tax_percent":"24","weight":"120","dimensions":["60","110","60"],"gtin":6430050001025}],"destination":"home","language":"fi"}"#;
    let (status, created) = send(
        authed(raw.post(format!("{base}/orders/_create")))
            .header("content-type", "application/json")
            .body(body),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["order_id"].as_str().expect("an id").to_owned();
    // Confirm with no body at all and no content type.
    let (status, confirmed) = send(authed(raw.post(format!("{base}/orders/{id}/_confirm")))).await;
    assert_eq!(status, 200, "{confirmed}");
    let (status, upserted) = send(
        authed(raw.post(format!("{base}/products/")))
            .header("content-type", "application/json")
            .body(r#"{"merchants_id":777,"name":"Tuote \/ 1","weight":"250","gtin":null}"#),
    )
    .await;
    assert_eq!(
        (status, &upserted),
        (201, &json!({"success": true, "created": true}))
    );
    let (status, _) = send(authed(
        raw.post(format!("{base}/products"))
            .json(&json!({"merchants_id": "777"})),
    ))
    .await;
    assert_eq!(status, 200, "the path without its trailing slash");
    let (status, document) = send(authed(
        raw.get(format!("{base}/products/inventory?merchants_id=13248")),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(document["name"], "Puhdas+ Caps / 60 kaps");
    assert_eq!(document["inventory"]["reserved"], 2);
    common::validate_every_response(&sandbox, false);
}

/// The spec's bounds on query parameters hold in the sandbox too (raw HTTP: the typed client
/// refuses these before sending): `limit` at most 500, `weight` a whole number of grams.
#[tokio::test]
async fn query_bounds_are_refused_as_the_spec_states() {
    let sandbox = common::start().await;
    let base = sandbox.base_url("logitrail");
    for (path, accepted) in [
        (
            "/products/inventory?after=2017-01-01T00:00:00%2B00:00&limit=500",
            true,
        ),
        (
            "/products/inventory?after=2017-01-01T00:00:00%2B00:00&limit=501",
            false,
        ),
        ("/shipping_options?postalcode=20780&weight=1200", true),
        ("/shipping_options?postalcode=20780&weight=0.5", false),
        ("/shipping_options?postalcode=20780&weight=-1", false),
    ] {
        let (status, body) = send(authed(http().get(format!("{base}{path}")))).await;
        if accepted {
            assert_eq!(status, 200, "{path}: {body}");
            // No `-0.0` (a float sum of nothing) anywhere in an answer.
            assert!(!body.to_string().contains("-0.0"), "{path}: {body}");
        } else {
            assert_eq!(
                (status, &body["code"]),
                (400, &json!("unknown")),
                "{path}: {body}"
            );
        }
    }
    let (status, body) = send(
        authed(http().post(format!("{base}/products/inventory"))).json(&json!({"limit": 501})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    common::validate_every_response(&sandbox, false);
}

/// Ten callers at once: ten creates get ten distinct orders, and ten confirms of one passive
/// order confirm it exactly once (the others get 409 `order_not_passive`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_callers_at_once_create_ten_orders_and_confirm_one_once() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let mut creates = tokio::task::JoinSet::new();
    for n in 0..10 {
        let api = api.clone();
        creates.spawn(async move {
            create(&api, order(json!({"merchants_order": format!("race-{n}")}))).await
        });
    }
    let mut ids = std::collections::BTreeSet::new();
    while let Some(id) = creates.join_next().await {
        ids.insert(id.expect("task"));
    }
    assert_eq!(ids.len(), 10, "{ids:?}");

    let id = ids.first().cloned().expect("an order");
    let mut confirms = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (api, id) = (api.clone(), id.clone());
        confirms.spawn(async move {
            api.confirm_order()
                .id(id)
                .body(types::OrderUpdate::default())
                .send()
                .await
        });
    }
    let (mut confirmed, mut refused) = (0, 0);
    while let Some(result) = confirms.join_next().await {
        match result.expect("task") {
            Ok(_) => confirmed += 1,
            other => {
                assert_eq!(api_error(other), (409, codes::ORDER_NOT_PASSIVE.to_owned()));
                refused += 1;
            }
        }
    }
    assert_eq!((confirmed, refused), (1, 9));
    common::validate_every_response(&sandbox, false);
}
