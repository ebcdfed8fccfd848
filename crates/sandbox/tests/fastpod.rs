//! The FastPOD fake through the generated `ordergate_fastpod::Client` over loopback: the order
//! lifecycle on the sandbox clock, cancel and update rules in every status, label orders,
//! test orders, estimates against the totals of the orders created from them, and List
//! Orders with every filter and its paging bounds. Raw HTTP only to follow the paginator's
//! URLs and for what the typed client cannot send. Every test ends by validating every
//! response the sandbox sent against the spec.

mod common;
use common::{http, send};

use ordergate_fastpod::{Client, ClientConfig, Credentials, Error, ResponseValue, codes, types};
use ordergate_sandbox::Sandbox;
use ordergate_sandbox::fastpod::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, TOKEN};
use serde_json::{Value, json};

type Status = types::OrderStatus;
type Answer<T> = Result<ResponseValue<T>, Error<types::ErrorResponse>>;

const DRAFT: &str = "F237-120723-000001";
const ON_HOLD: &str = "F237-120723-000003";
const NEW_ORDER: &str = "F237-120723-000005";
const IN_PRODUCTION: &str = "F237-120723-000006";
const SHIPPED: &str = "F237-120723-000007";
const CANCELLED: &str = "F237-120723-000008";
const REJECTED: &str = "F237-120723-000009";

fn client(sandbox: &Sandbox) -> Client {
    Client::connect(
        sandbox.base_url("fastpod").as_str(),
        Credentials::api_token(TOKEN),
        &ClientConfig::default(),
    )
    .expect("a loopback base URL is accepted")
}

/// The status and body of an error the typed client got.
fn api_error<T: std::fmt::Debug>(result: Answer<T>) -> (u16, types::ErrorResponse) {
    match result {
        Err(Error::ErrorResponse(error)) => (error.status().as_u16(), error.into_inner()),
        other => panic!("expected an error response, got {other:?}"),
    }
}

/// The fields an error's `errors` map names.
fn refused_fields(error: &types::ErrorResponse) -> Vec<String> {
    let mut fields: Vec<String> = error
        .errors
        .as_ref()
        .map(|errors| errors.keys().cloned().collect())
        .unwrap_or_default();
    fields.sort();
    fields
}

/// The Create Order page's request example, with reference `reference`.
fn docs_order(reference: &str) -> types::OrderRequest {
    let value = common::request_example("fastpod", "create_order", "docs_create_request");
    let mut request: types::OrderRequest =
        serde_json::from_value(value).expect("the example decodes");
    reference.clone_into(&mut request.reference_id);
    request
}

/// The Update Order page's request example, with reference `reference`.
fn docs_update(reference: &str) -> types::UpdateOrderRequest {
    let value = common::request_example("fastpod", "update_order", "docs_update_request");
    let mut request: types::UpdateOrderRequest =
        serde_json::from_value(value).expect("the example decodes");
    reference.clone_into(&mut request.reference_id);
    request
}

/// The Estimate Order Price page's request example.
fn docs_estimate() -> types::EstimateRequest {
    let value = common::request_example("fastpod", "estimate_order_price", "docs_estimate_request");
    serde_json::from_value(value).expect("the example decodes")
}

async fn create(api: &Client, request: types::OrderRequest) -> types::Order {
    let created = api
        .create_order()
        .body(request)
        .send()
        .await
        .expect("created");
    assert_eq!(created.status().as_u16(), 200);
    let created = created.into_inner();
    assert!(created.status);
    assert_eq!(
        created.message.as_deref(),
        Some("Order created successfully.")
    );
    created.data
}

async fn get(api: &Client, id: &str) -> types::Order {
    api.get_order()
        .id(id)
        .send()
        .await
        .expect("the order")
        .into_inner()
}

async fn submit(api: &Client, id: &str) -> Answer<types::OrderResponse> {
    api.update_order_status()
        .id(id)
        .body(types::UpdateOrderStatusRequest {
            order_status: Status::NewOrder,
        })
        .send()
        .await
}

async fn cancel(api: &Client, id: &str) -> Answer<types::OrderResponse> {
    api.cancel_order().id(id).send().await
}

/// The ids of the orders an advance moved at FastPOD, with their new status.
fn moved(sandbox: &Sandbox, steps: u64) -> Vec<(String, String)> {
    sandbox
        .advance(steps)
        .expect("within the clock's limit")
        .into_iter()
        .filter(|order| order.provider == "fastpod")
        .map(|order| (order.order_id, order.order_status))
        .collect()
}

#[tokio::test]
async fn an_order_is_created_submitted_produced_and_shipped_on_the_clock() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let order = create(&api, docs_order("lifecycle-1")).await;
    assert!(order.id.starts_with("F900-"), "{}", order.id);
    assert_eq!(order.order_status, Status::Draft);
    assert_eq!(order.reference_id.as_deref(), Some("lifecycle-1"));
    assert_eq!(order.payment_status.as_deref(), Some("unpaid"));
    assert_eq!(order.point_earned, Some(0));
    assert_eq!(order.test_order, Some(false));
    assert_eq!(order.shipping_method.as_deref(), Some("1"));
    assert_eq!(order.quantity_total, Some(3));
    // UTNGDT1W00L: 12.00 a unit, two print areas included; Standard: 4.99 + 2 × 2.00.
    assert_eq!(order.item_total, Some(36.0));
    assert_eq!(order.shipping_total, Some(8.99));
    assert_eq!(order.order_total, Some(44.99));
    let line = &order.line_items()[0];
    assert_eq!(line.item_id.as_deref(), Some("1"));
    assert_eq!((line.unit_price, line.price), (Some(12.0), Some(36.0)));
    assert_eq!(line.point_earned, Some(3600));
    assert!(sandbox.confirmable_orders("fastpod").contains(&order.id));
    assert_eq!(get(&api, &order.id).await, order);

    // The clock leaves a draft alone.
    assert!(!moved(&sandbox, 1).iter().any(|(id, _)| *id == order.id));

    let submitted = submit(&api, &order.id)
        .await
        .expect("submitted")
        .into_inner();
    assert_eq!(submitted.data.order_status, Status::NewOrder);
    assert_eq!(submitted.data.payment_status.as_deref(), Some("paid"));
    assert_eq!(submitted.data.payment_method.as_deref(), Some("cash"));
    assert_eq!(submitted.data.point_earned, Some(3600));
    assert_eq!(submitted.data.point_used, Some(0));
    assert!(!sandbox.confirmable_orders("fastpod").contains(&order.id));

    let first = moved(&sandbox, 1);
    assert!(
        first.contains(&(order.id.clone(), "in_production".to_owned())),
        "{first:?}"
    );
    let (status, error) = api_error(cancel(&api, &order.id).await);
    assert_eq!(status, 422);
    assert_eq!(error.status, Some(false));
    let second = moved(&sandbox, 1);
    assert!(
        second.contains(&(order.id.clone(), "shipped".to_owned())),
        "{second:?}"
    );
    assert!(
        moved(&sandbox, 5).iter().all(|(id, _)| *id != order.id),
        "shipped is the end"
    );

    let shipped = get(&api, &order.id).await;
    assert_eq!(shipped.order_status, Status::Shipped);
    assert_eq!(shipped.shipments().len(), 1);
    let shipment = &shipped.shipments()[0];
    assert_eq!(shipment["carrier"], "USPS");
    assert_eq!(shipment["service"], "Standard");
    assert_eq!(shipment["status"], "shipped");
    let tracking = shipment["tracking_id"].as_str().expect("a tracking id");
    assert!(
        tracking.starts_with("9400") && tracking.len() == 22,
        "{tracking}"
    );
    assert!(
        shipment["tracking_url"]
            .as_str()
            .is_some_and(|url| url.ends_with(tracking))
    );
    assert_eq!(shipment["shipped_at"], json!(shipped.updated_at));
    assert_ne!(shipped.updated_at, shipped.created_at);

    // Created as new_order: charged at once; Express ships with UPS; seeded orders move too.
    let mut express = docs_order("lifecycle-2");
    express.order_status = Some(types::NewOrderStatus::NewOrder);
    express.shipping_method = std::num::NonZeroU64::new(3).expect("not zero");
    let express = create(&api, express).await;
    assert_eq!(express.order_status, Status::NewOrder);
    assert_eq!(express.payment_status.as_deref(), Some("paid"));
    let moves = moved(&sandbox, 2);
    assert!(
        moves.contains(&(express.id.clone(), "shipped".to_owned())),
        "{moves:?}"
    );
    let express = get(&api, &express.id).await;
    assert_eq!(express.shipments()[0]["carrier"], "UPS");
    assert_eq!(
        sandbox.order_status("fastpod", NEW_ORDER).as_deref(),
        Some("shipped")
    );
    assert_eq!(get(&api, IN_PRODUCTION).await.shipments().len(), 1);
    assert!(common::validate_every_response(&sandbox, false) >= 8);
}

#[tokio::test]
async fn cancel_is_allowed_in_draft_new_order_and_on_hold_only() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    for id in [DRAFT, ON_HOLD, NEW_ORDER] {
        let before = get(&api, id).await;
        let cancelled = cancel(&api, id).await.expect("cancelled").into_inner();
        assert_eq!(
            cancelled.message.as_deref(),
            Some("Order cancelled successfully.")
        );
        let order = cancelled.data;
        assert_eq!(order.order_status, Status::Cancelled, "{id}");
        assert!(order.cancelled_at.is_some(), "{id}");
        assert_eq!(order.cancelled_at, order.updated_at);
        // A charged order is refunded.
        assert_eq!(order.payment_status.as_deref(), Some("unpaid"), "{id}");
        assert_eq!(order.point_earned, Some(0), "{id}");
        assert_eq!(order.order_total, before.order_total, "{id}");
        assert_eq!(get(&api, id).await, order);
    }
    for (id, status) in [
        (IN_PRODUCTION, "in_production"),
        (SHIPPED, "shipped"),
        (CANCELLED, "cancelled"),
        (REJECTED, "rejected"),
        (DRAFT, "cancelled"),
    ] {
        let (code, error) = api_error(cancel(&api, id).await);
        assert_eq!(code, 422, "{id}");
        assert_eq!(
            error.message.as_deref(),
            Some("Only orders in draft, new_order or on_hold can be cancelled."),
            "{id}"
        );
        assert_eq!(sandbox.order_status("fastpod", id).as_deref(), Some(status));
    }
    let (code, error) = api_error(cancel(&api, "F000-000000-000000").await);
    assert_eq!(code, 404);
    assert_eq!(error.message.as_deref(), Some(codes::ORDER_NOT_FOUND));
    // A cancelled order cannot be submitted or changed either.
    assert_eq!(api_error(submit(&api, ON_HOLD).await).0, 422);
    let update = api
        .update_order()
        .id(ON_HOLD)
        .body(docs_update("cancelled-update"))
        .send()
        .await;
    assert_eq!(api_error(update).0, 422);
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn orders_are_updated_in_draft_new_order_and_on_hold_only_with_a_unique_reference() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let update = |id: &'static str, body: types::UpdateOrderRequest| {
        let api = &api;
        async move { api.update_order().id(id).body(body).send().await }
    };

    let updated = update(DRAFT, docs_update("updated-draft"))
        .await
        .expect("updated")
        .into_inner();
    assert_eq!(
        updated.message.as_deref(),
        Some("Order updated successfully.")
    );
    let order = updated.data;
    assert_eq!(order.id, DRAFT);
    assert_eq!(order.order_status, Status::Draft);
    assert_eq!(order.reference_id.as_deref(), Some("updated-draft"));
    assert_eq!(order.item_total, Some(36.0), "priced again");
    assert_eq!(
        order.line_items()[0].print_areas.as_ref().map(|a| a.len()),
        Some(2)
    );
    assert_eq!(
        order.created_at.as_deref(),
        Some("2023-12-07T07:54:35.000000Z")
    );
    assert_ne!(order.updated_at, order.created_at);
    assert_eq!(get(&api, DRAFT).await, order);

    // Its own reference again is fine; another order's is taken.
    update(DRAFT, docs_update("updated-draft"))
        .await
        .expect("the same reference");
    let (code, error) = api_error(update(ON_HOLD, docs_update("updated-draft")).await);
    assert_eq!(code, 422);
    assert_eq!(refused_fields(&error), ["reference_id"]);
    let created = create(&api, docs_order("taken-at-create")).await;
    let (code, error) = api_error(
        api.create_order()
            .body(docs_order("taken-at-create"))
            .send()
            .await,
    );
    assert_eq!(
        (code, refused_fields(&error)),
        (422, vec!["reference_id".to_owned()])
    );
    assert_eq!(
        error.message.as_deref(),
        Some("The reference id has already been taken.")
    );

    // A new_order may change its details but not go back to draft (the example sends draft).
    let (code, error) = api_error(update(NEW_ORDER, docs_update("back-to-draft")).await);
    assert_eq!(code, 422);
    assert_eq!(error.message.as_deref(), Some(codes::TRANSITION_REFUSED));
    let mut keep = docs_update("new-order-changed");
    keep.order_status = types::NewOrderStatus::NewOrder;
    keep.shipping_method = std::num::NonZeroU64::new(2).expect("not zero");
    let changed = update(NEW_ORDER, keep)
        .await
        .expect("updated")
        .into_inner()
        .data;
    assert_eq!(changed.order_status, Status::NewOrder);
    assert_eq!(changed.shipping_method.as_deref(), Some("2"));
    assert_eq!(
        changed.shipping_total,
        Some(14.99),
        "Priority: 8.99 + 2 × 3.00"
    );
    assert_eq!(
        changed.payment_status.as_deref(),
        Some("paid"),
        "still paid"
    );
    assert_eq!(changed.point_earned, Some(3600));

    // on_hold → new_order through Update Order submits and charges it.
    let mut submit_it = docs_update("on-hold-submitted");
    submit_it.order_status = types::NewOrderStatus::NewOrder;
    let submitted = update(ON_HOLD, submit_it)
        .await
        .expect("updated")
        .into_inner()
        .data;
    assert_eq!(submitted.order_status, Status::NewOrder);
    assert_eq!(submitted.payment_status.as_deref(), Some("paid"));

    for (id, status) in [
        (IN_PRODUCTION, "in_production"),
        (SHIPPED, "shipped"),
        (CANCELLED, "cancelled"),
        (REJECTED, "rejected"),
    ] {
        let (code, error) = api_error(update(id, docs_update("too-late")).await);
        assert_eq!(code, 422, "{id}");
        assert_eq!(
            error.message.as_deref(),
            Some(
                "You can only modify order details while the order status is in draft, new_order or on_hold."
            ),
        );
        assert_eq!(sandbox.order_status("fastpod", id).as_deref(), Some(status));
    }
    let (code, _) = api_error(update("F000-000000-000000", docs_update("nobody")).await);
    assert_eq!(code, 404);
    assert_eq!(
        get(&api, &created.id).await.reference_id.as_deref(),
        Some("taken-at-create")
    );
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn label_orders_need_a_label_url_and_ship_on_it() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let mut label = docs_order("label-1");
    label.order_type = Some(types::OrderType::V2);
    let (code, error) = api_error(api.create_order().body(label.clone()).send().await);
    assert_eq!(code, 422);
    assert_eq!(error.status, Some(false));
    assert_eq!(refused_fields(&error), ["label_url"]);
    assert_eq!(
        error
            .errors
            .as_ref()
            .map(|errors| errors["label_url"].clone()),
        Some(json!([
            "The label url field is required when order type is 2."
        ]))
    );
    label.label_url = Some("  ".to_owned());
    assert_eq!(
        api_error(api.create_order().body(label.clone()).send().await).0,
        422
    );
    let listed = api
        .list_orders()
        .order_type(2u64)
        .send()
        .await
        .expect("listed");
    assert_eq!(listed.total, Some(0), "nothing was stored");

    label.label_url = Some("https://example.com/labels/label-1.pdf".to_owned());
    label.order_status = Some(types::NewOrderStatus::NewOrder);
    let order = create(&api, label).await;
    assert_eq!(order.order_type.as_deref(), Some("2"));
    assert_eq!(
        order.label_url.as_deref(),
        Some("https://example.com/labels/label-1.pdf")
    );
    assert_eq!(order.labeling_fee, Some(1.5));
    assert_eq!(order.order_total, Some(36.0 + 8.99 + 1.5));
    // A regular order keeps no label URL even if one is sent.
    let mut regular = docs_order("regular-with-url");
    regular.label_url = Some("https://example.com/ignored.pdf".to_owned());
    let regular = create(&api, regular).await;
    assert_eq!(
        (regular.order_type.as_deref(), regular.label_url),
        (Some("1"), None)
    );
    assert_eq!(regular.labeling_fee, None);

    moved(&sandbox, 2);
    let shipped = get(&api, &order.id).await;
    assert_eq!(shipped.order_status, Status::Shipped);
    let shipment = &shipped.shipments()[0];
    assert_eq!(shipment["carrier"], "label");
    assert_eq!(
        shipment["tracking_url"],
        "https://example.com/labels/label-1.pdf"
    );
    assert!(
        shipment["tracking_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("LBL"))
    );

    let listed = api
        .list_orders()
        .order_type(2u64)
        .page(1u64)
        .send()
        .await
        .expect("listed")
        .into_inner();
    let ids: Vec<&str> = listed.data.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, [order.id.as_str()]);
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn test_orders_are_never_charged_nor_produced() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let mut request = docs_order("test-1");
    request.test_order = Some(true);
    request.order_status = Some(types::NewOrderStatus::NewOrder);
    let order = create(&api, request).await;
    assert_eq!(order.test_order, Some(true));
    assert_eq!(order.order_status, Status::NewOrder);
    assert_eq!(order.payment_status.as_deref(), Some("unpaid"));
    assert_eq!((order.point_earned, order.point_used), (Some(0), Some(0)));
    assert_eq!(order.order_total, Some(44.99), "priced like any order");

    let mut draft = docs_order("test-2");
    draft.test_order = Some(true);
    let draft = create(&api, draft).await;
    let submitted = submit(&api, &draft.id)
        .await
        .expect("submitted")
        .into_inner()
        .data;
    assert_eq!(submitted.order_status, Status::NewOrder);
    assert_eq!(submitted.payment_status.as_deref(), Some("unpaid"));
    // Updating it does not charge it, nor does Update Order's test_order: false.
    let mut update = docs_update("test-2");
    update.order_status = types::NewOrderStatus::NewOrder;
    update.test_order = Some(false);
    let updated = api
        .update_order()
        .id(draft.id.as_str())
        .body(update)
        .send()
        .await
        .expect("updated")
        .into_inner()
        .data;
    assert_eq!(updated.test_order, Some(true));
    assert_eq!(updated.payment_status.as_deref(), Some("unpaid"));

    let moves = moved(&sandbox, 3);
    assert!(
        moves
            .iter()
            .all(|(id, _)| *id != order.id && *id != draft.id),
        "{moves:?}"
    );
    assert_eq!(get(&api, &order.id).await.order_status, Status::NewOrder);
    let unpaid = api
        .list_orders()
        .payment_status(types::PaymentStatus::Unpaid)
        .status(Status::NewOrder)
        .send()
        .await
        .expect("listed")
        .into_inner();
    let mut ids: Vec<&str> = unpaid.data.iter().map(|o| o.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, [order.id.as_str(), draft.id.as_str()]);
    let cancelled = cancel(&api, &order.id)
        .await
        .expect("cancelled")
        .into_inner()
        .data;
    assert_eq!(cancelled.order_status, Status::Cancelled);
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn estimates_follow_the_price_table_and_the_created_order_costs_the_same() {
    let sandbox = common::start().await;
    let api = client(&sandbox);

    // The docs' example: one UAGHTBRRYEXL, Standard, coupon code1 (0.40 off).
    let estimate = api
        .estimate_order_price()
        .body(docs_estimate())
        .send()
        .await
        .expect("estimated")
        .into_inner();
    assert_eq!(estimate.item_total, Some(14.8));
    assert_eq!(estimate.shipping_total, Some(4.99));
    assert_eq!(estimate.surcharge_total, Some(0.0));
    assert_eq!(estimate.discount, Some(0.4));
    assert_eq!(estimate.order_total, Some(19.39));
    assert_eq!(estimate.point_used, Some(1939));
    assert_eq!(estimate.shipping_method.as_deref(), Some("1"));
    assert_eq!(
        estimate.address.as_ref().map(|a| a.country.as_str()),
        Some("US")
    );
    let line = &estimate.line_items()[0];
    assert_eq!(
        (line.unit_price, line.price, line.shipping_price),
        (Some(14.8), Some(14.8), Some(4.99))
    );
    assert_eq!(line.point_earned, Some(1480));
    assert_eq!(estimate.point_earned, Some(1480));

    // The item estimate of the docs: the same line.
    let item_example = common::request_example(
        "fastpod",
        "estimate_line_item_price",
        "docs_line_item_request",
    );
    let item = api
        .estimate_line_item_price()
        .body(
            serde_json::from_value::<types::LineItemEstimateRequest>(item_example)
                .expect("decodes"),
        )
        .send()
        .await
        .expect("estimated")
        .into_inner();
    assert_eq!(&item, line);

    // Every order priced as its estimate: rush, coupons, extra print areas, methods, labels.
    let cases: [(&str, u64, bool, Option<&str>, bool); 4] = [
        ("UTNGDT1W00L", 3, false, None, false),
        ("UHOODBLK0M", 1, true, Some("SANDBOX10"), false),
        ("UABSTAQUBXL3", 2, false, Some("code1"), true),
        ("UAGHTBRRYEXL", 1, true, None, true),
    ];
    for (index, (sku, quantity, rush, coupon, label)) in cases.into_iter().enumerate() {
        let method = index as u64 + 1;
        let areas = json!({"front": "https://example.com/f.png", "back": "https://example.com/b.png", "pocket": "https://example.com/p.png"});
        let order_type = if label { "2" } else { "1" };
        let estimate: types::EstimateRequest = serde_json::from_value(json!({
            "rush_production": rush, "shipping_method": method.to_string(), "order_type": order_type,
            "line_items": [{"sku": sku, "quantity": quantity, "print_areas": areas}],
            "address": {"country": "US"}, "coupon_code": coupon,
        }))
        .expect("an estimate request");
        let estimate = api
            .estimate_order_price()
            .body(estimate)
            .send()
            .await
            .expect("estimated")
            .into_inner();
        let mut request = docs_order(&format!("priced-{index}"));
        request.line_items[0].sku = sku.to_owned();
        request.line_items[0].quantity = quantity;
        request.line_items[0].print_areas =
            serde_json::from_value(areas.clone()).expect("print areas");
        request.rush_production = Some(rush);
        request.boost_production = None;
        request.coupon_code = coupon.map(str::to_owned);
        request.shipping_method = std::num::NonZeroU64::new(method).expect("not zero");
        if label {
            request.order_type = Some(types::OrderType::V2);
            request.label_url = Some("https://example.com/label.pdf".to_owned());
        }
        let order = create(&api, request).await;
        let case = format!("{sku} ×{quantity} method {method}");
        assert_eq!(order.item_total, estimate.item_total, "{case}");
        assert_eq!(order.shipping_total, estimate.shipping_total, "{case}");
        assert_eq!(order.surcharge_total, estimate.surcharge_total, "{case}");
        assert_eq!(order.discount_total, estimate.discount, "{case}");
        assert_eq!(order.order_total, estimate.order_total, "{case}");
        assert_eq!(order.rush_production, Some(rush), "{case}");
        assert_eq!(order.boost_production, Some(rush), "{case}");
        assert_eq!(
            order.rush_production_price, estimate.surcharge_total,
            "{case}"
        );
        assert_eq!(
            order.line_items()[0].unit_price,
            estimate.line_items()[0].unit_price,
            "{case}"
        );
        assert_eq!(order.coupon_code.as_deref(), coupon, "{case}");
        if rush {
            assert_eq!(order.surcharge_total, Some(5.0), "{case}");
        }
    }
    // boost_production, the examples' name, asks for rush production too.
    let mut boosted = docs_estimate();
    boosted.boost_production = Some(true);
    let boosted = api
        .estimate_order_price()
        .body(boosted)
        .send()
        .await
        .expect("estimated");
    assert_eq!(boosted.surcharge_total, Some(5.0));
    assert_eq!(boosted.rush_production, Some(true));

    // What the table cannot price is refused, by field.
    let refused = |body: Value| {
        let api = &api;
        async move {
            let request: types::EstimateRequest = serde_json::from_value(body).expect("a request");
            let (code, error) = api_error(api.estimate_order_price().body(request).send().await);
            assert_eq!(code, 422);
            refused_fields(&error)
        }
    };
    let line = |sku: &str, quantity: u64| json!({"sku": sku, "quantity": quantity, "print_areas": {"front": "u"}});
    assert_eq!(
        refused(json!({"shipping_method": "1", "line_items": [line("NOPE", 1), line("UTNGDT1W00L", 0)], "address": {"country": "US"}, "coupon_code": "nope"})).await,
        ["coupon_code", "line_items.0.sku", "line_items.1.quantity"]
    );
    assert_eq!(
        refused(json!({"shipping_method": "1", "rush_production": true, "line_items": [line("UTNGDT1W00L", 2)], "address": {"country": "US"}})).await,
        ["rush_production"]
    );
    assert_eq!(
        refused(json!({"shipping_method": "9", "line_items": [line("UTNGDT1W00L", 1)], "address": {"country": "US"}})).await,
        ["shipping_method"]
    );
    assert_eq!(
        refused(json!({"shipping_method": "1", "line_items": [{"sku": "UTNGDT1W00L", "quantity": 1, "print_areas": {}}], "address": {"country": "US"}})).await,
        ["line_items.0.print_areas"]
    );
    let item: types::LineItemEstimateRequest = serde_json::from_value(
        json!({"sku": "NOPE", "quantity": 1, "print_areas": {"front": "u"}}),
    )
    .expect("an item");
    let (code, error) = api_error(api.estimate_line_item_price().body(item).send().await);
    assert_eq!(
        (code, refused_fields(&error)),
        (422, vec!["sku".to_owned()])
    );

    // Bodies that do not decode name the field.
    let http = http();
    let base = sandbox.base_url("fastpod");
    let authed = |request: reqwest::RequestBuilder| {
        request
            .header("accept", "application/json")
            .bearer_auth(TOKEN)
    };
    let mut without_reference =
        common::request_example("fastpod", "create_order", "docs_create_request");
    let mut without_items = without_reference.clone();
    without_items["reference_id"] = json!("no-items");
    without_items["line_items"] = json!([]);
    without_reference
        .as_object_mut()
        .map(|body| body.remove("reference_id"));
    for (path, body, field) in [
        ("/v1/orders", without_reference, "reference_id"),
        ("/v1/orders", without_items, "line_items"),
        (
            "/v1/orders/estimate-price",
            json!({"shipping_method": "1", "line_items": [], "address": {"country": "US"}}),
            "line_items",
        ),
        ("/v1/orders", json!([1]), "body"),
        (
            "/v1/orders/estimate-price",
            json!({"shipping_method": "1", "line_items": [{"sku": "UTNGDT1W00L", "quantity": -1, "print_areas": {}}], "address": {"country": "US"}}),
            "line_items.0.quantity",
        ),
        (
            "/v1/orders/estimate-price/line-item",
            json!({"quantity": 1, "print_areas": {}}),
            "sku",
        ),
    ] {
        let (status, got) = send(authed(http.post(format!("{base}{path}"))).json(&body)).await;
        assert_eq!(status, 422, "{path} {body}: {got}");
        assert!(got["errors"][field].is_array(), "{path} {body}: {got}");
    }
    let (status, _) =
        send(authed(http.post(format!("{base}/v1/orders"))).body("{\"reference_id\": ")).await;
    assert_eq!(status, 422);
    // Update Order requires `order_status` (its page's table; Create Order does not).
    let mut without_status =
        common::request_example("fastpod", "update_order", "docs_update_request");
    without_status
        .as_object_mut()
        .map(|body| body.remove("order_status"));
    let (status, got) =
        send(authed(http.put(format!("{base}/v1/orders/{DRAFT}"))).json(&without_status)).await;
    assert_eq!(status, 422, "{got}");
    assert!(got["errors"]["order_status"].is_array(), "{got}");
    common::validate_every_response(&sandbox, false);
}

/// The ids of a page.
fn ids(page: &types::OrderPage) -> Vec<String> {
    page.data.iter().map(|order| order.id.clone()).collect()
}

#[tokio::test]
async fn orders_are_listed_with_every_filter() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    let all = api.list_orders().send().await.expect("listed").into_inner();
    assert_eq!(all.total, Some(9));
    assert_eq!(all.per_page, Some(DEFAULT_PAGE_SIZE as i64));
    assert_eq!(ids(&all)[0], REJECTED, "newest first");

    let mut express = docs_order("REF-Express-77");
    express.shipping_method = std::num::NonZeroU64::new(3).expect("not zero");
    express.order_status = Some(types::NewOrderStatus::NewOrder);
    let express = create(&api, express).await;
    let mut label = docs_order("ref-label-78");
    label.order_type = Some(types::OrderType::V2);
    label.label_url = Some("https://example.com/l.pdf".to_owned());
    let label = create(&api, label).await;

    let list = |build: fn(
        ordergate_fastpod::builder::ListOrders<'_>,
    ) -> ordergate_fastpod::builder::ListOrders<'_>| {
        let api = &api;
        async move {
            let page = build(api.list_orders())
                .send()
                .await
                .expect("listed")
                .into_inner();
            assert_eq!(page.total, Some(page.data.len() as i64));
            let mut ids = ids(&page);
            ids.sort();
            ids
        }
    };
    assert_eq!(
        list(|l| l.status(Status::OnHold)).await,
        [ON_HOLD, "F237-120723-000004"]
    );
    assert_eq!(list(|l| l.status(Status::Shipped)).await, [SHIPPED]);
    assert_eq!(
        list(|l| l.search("express-7")).await,
        [express.id.as_str()],
        "by reference, any case"
    );
    assert_eq!(
        list(|l| l.search("120723-000008")).await,
        [CANCELLED],
        "by id"
    );
    assert_eq!(
        list(|l| l.search("nothing-like-it")).await,
        Vec::<String>::new()
    );
    let seeded: Vec<String> = (1..=9).map(|n| format!("F237-120723-00000{n}")).collect();
    assert_eq!(
        list(|l| l.start_date("2023-12-07").end_date("2023-12-07")).await,
        seeded
    );
    assert_eq!(
        list(|l| l.end_date("2023-12-06")).await,
        Vec::<String>::new()
    );
    let mut created = vec![express.id.clone(), label.id.clone()];
    created.sort();
    assert_eq!(list(|l| l.start_date("2023-12-08")).await, created);
    // Seeds ship Express; the created label order Standard.
    assert_eq!(list(|l| l.shipping_method(1u64)).await, [label.id.as_str()]);
    assert_eq!(list(|l| l.shipping_method(3u64)).await.len(), 10);
    assert_eq!(
        list(|l| l.shipping_method(4u64)).await,
        Vec::<String>::new()
    );
    assert_eq!(list(|l| l.order_type(2u64)).await, [label.id.as_str()]);
    assert_eq!(list(|l| l.order_type(1u64)).await.len(), 10);
    assert_eq!(
        list(|l| l.payment_method(types::PaymentMethod::Point)).await,
        [SHIPPED]
    );
    assert_eq!(
        list(|l| l.payment_method(types::PaymentMethod::Cash))
            .await
            .len(),
        10
    );
    let mut paid = vec![
        express.id.clone(),
        NEW_ORDER.to_owned(),
        IN_PRODUCTION.to_owned(),
        SHIPPED.to_owned(),
    ];
    paid.sort();
    assert_eq!(
        list(|l| l.payment_status(types::PaymentStatus::Paid)).await,
        paid
    );
    assert_eq!(
        list(|l| l
            .status(Status::NewOrder)
            .payment_status(types::PaymentStatus::Paid)
            .shipping_method(3u64)
            .search("F900"))
        .await,
        [express.id.as_str()]
    );

    // Values the docs do not allow are refused, by field.
    let http = http();
    let base = sandbox.base_url("fastpod");
    for (query, field) in [
        ("status=archived", "status"),
        ("start_date=2023-13-01", "start_date"),
        ("end_date=yesterday", "end_date"),
        ("start_date=2023-12-08&end_date=2023-12-07", "end_date"),
        ("shipping_method=5", "shipping_method"),
        ("order_type=3", "order_type"),
        ("payment_method=card", "payment_method"),
        ("payment_status=refunded", "payment_status"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("page=-1", "page"),
        ("page=1.5", "page"),
    ] {
        let request = http
            .get(format!("{base}/v1/orders?{query}"))
            .header("accept", "application/json")
            .bearer_auth(TOKEN);
        let (status, body) = send(request).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body["errors"][field].is_array(), "{query}: {body}");
    }
    // Without Accept or the token, List Orders is refused like every operation.
    let (status, _) = send(http.get(format!("{base}/v1/orders")).bearer_auth(TOKEN)).await;
    assert_eq!(status, 406);
    let (status, body) = send(
        http.get(format!("{base}/v1/orders"))
            .header("accept", "application/json"),
    )
    .await;
    assert_eq!(
        (status, body),
        (401, json!({"message": "Unauthenticated."}))
    );
    common::validate_every_response(&sandbox, false);
}

/// `GET url` with the token; the answer, validated against the spec here (the recorder keeps
/// no body over 16 KiB, and a page of 50 orders is larger), decoded.
async fn list_raw(url: &str) -> types::OrderPage {
    let request = http()
        .get(url)
        .header("accept", "application/json")
        .bearer_auth(TOKEN);
    let (status, body) = send(request).await;
    assert_eq!(status, 200, "{url}: {body}");
    let spec = common::spec("fastpod");
    let validator = ordergate_codegen::examples::SchemaValidator::new(&spec);
    validator
        .validate_response(&spec, "list_orders", status, &body)
        .unwrap_or_else(|error| panic!("{url}: {error}"));
    serde_json::from_value(body).expect("a page")
}

#[tokio::test]
async fn orders_are_paged_like_laravel_within_bounds() {
    let sandbox = common::start().await;
    let api = client(&sandbox);
    for n in 0..112 {
        create(&api, docs_order(&format!("paged-{n:03}"))).await;
    }
    let total = 121;
    let base = sandbox.base_url("fastpod");

    // Following next_page_url, as Laravel writes it, walks every order once, newest first.
    let mut url = Some(format!(
        "{base}/v1/orders?limit=50&status=draft&search=paged"
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(next) = url {
        let page = list_raw(&next).await;
        pages += 1;
        assert_eq!(page.current_page, Some(pages));
        assert_eq!(
            (page.total, page.last_page, page.per_page),
            (Some(112), Some(3), Some(50))
        );
        let from = (pages - 1) * 50 + 1;
        assert_eq!(page.from, Some(from));
        assert_eq!(page.to, Some(from + page.data.len() as i64 - 1));
        assert!(
            page.first_page_url
                .as_deref()
                .is_some_and(|u| u.contains("page=1") && u.contains("status=draft"))
        );
        assert!(
            page.last_page_url
                .as_deref()
                .is_some_and(|u| u.contains("page=3"))
        );
        assert_eq!(page.prev_page_url.is_some(), pages > 1);
        assert_eq!(page.path, Some(format!("{base}/v1/orders")));
        seen.extend(
            page.data
                .iter()
                .map(|o| o.reference_id.clone().unwrap_or_default()),
        );
        url = page.next_page_url;
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..112).rev().map(|n| format!("paged-{n:03}")).collect();
    assert_eq!(seen, expected);

    // The largest limit is accepted.
    let page = list_raw(&format!("{base}/v1/orders?limit={MAX_PAGE_SIZE}")).await;
    assert_eq!(page.data.len() as u64, MAX_PAGE_SIZE);
    assert_eq!((page.total, page.last_page), (Some(total), Some(2)));
    assert!(
        page.next_page_url
            .as_deref()
            .is_some_and(|u| u.contains("limit=100") && u.contains("page=2"))
    );
    // Page 0 is page 1; the last page is short.
    let zero = list_raw(&format!("{base}/v1/orders?page=0&limit=50")).await;
    let one = list_raw(&format!("{base}/v1/orders?page=1&limit=50")).await;
    assert_eq!(zero.current_page, Some(1));
    assert_eq!(ids(&zero), ids(&one));
    let last = list_raw(&format!("{base}/v1/orders?page=3&limit=50")).await;
    assert_eq!(
        (last.data.len(), last.from, last.to),
        (21, Some(101), Some(121))
    );
    assert_eq!(last.next_page_url, None);
    assert_eq!(
        ids(&last).last().map(String::as_str),
        Some(DRAFT),
        "the oldest last"
    );

    // The largest page number there is: an empty page, not an overflow.
    let far = list_raw(&format!("{base}/v1/orders?page={}", u64::MAX)).await;
    assert!(far.data.is_empty());
    assert_eq!((far.from, far.next_page_url), (None, None));
    assert_eq!(far.current_page, Some(i64::MAX));

    // The rest, small enough for the recorder, through the typed client.
    sandbox.clear_responses();
    for limit in [MAX_PAGE_SIZE + 1, 0] {
        let (code, error) = api_error(api.list_orders().limit(limit).send().await);
        assert_eq!(
            (code, refused_fields(&error)),
            (422, vec!["limit".to_owned()]),
            "{limit}"
        );
    }
    let past = api
        .list_orders()
        .page(4u64)
        .limit(50u64)
        .send()
        .await
        .expect("listed")
        .into_inner();
    assert!(past.data.is_empty());
    assert_eq!((past.from, past.to, past.next_page_url), (None, None, None));
    assert_eq!(
        (past.current_page, past.last_page, past.total),
        (Some(4), Some(3), Some(total))
    );
    assert!(
        past.prev_page_url
            .as_deref()
            .is_some_and(|u| u.contains("page=3"))
    );
    let empty = api
        .list_orders()
        .search("no such order")
        .send()
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(
        (
            empty.total,
            empty.last_page,
            empty.from,
            empty.next_page_url
        ),
        (Some(0), Some(1), None, None)
    );
    assert_eq!(common::validate_every_response(&sandbox, false), 4);
}

#[tokio::test]
async fn a_null_is_refused_where_the_spec_allows_none() {
    let sandbox = common::start().await;
    let post = |path: &str, body: Value| {
        http()
            .post(format!("{}{path}", sandbox.base_url("fastpod")))
            .header("accept", "application/json")
            .bearer_auth(TOKEN)
            .json(&body)
    };
    let order = common::request_example("fastpod", "create_order", "docs_create_request");
    // Nullable in the spec (the docs' example itself sends `"street2": null`): accepted.
    let mut allowed = order.clone();
    allowed["reference_id"] = json!("nulls-allowed");
    allowed["label_url"] = Value::Null;
    allowed["address"]["company"] = Value::Null;
    let (status, body) = send(post("/v1/orders", allowed)).await;
    assert_eq!(status, 200, "{body}");
    // Not nullable: 422 naming each such field, nothing created.
    let mut refused = order;
    refused["reference_id"] = json!("nulls-refused");
    refused["order_type"] = Value::Null;
    refused["line_items"][0]["name"] = Value::Null;
    let (status, body) = send(post("/v1/orders", refused)).await;
    assert_eq!(status, 422, "{body}");
    let mut fields: Vec<&str> = body["errors"]
        .as_object()
        .map(|errors| errors.keys().map(String::as_str).collect())
        .unwrap_or_default();
    fields.sort_unstable();
    assert_eq!(fields, ["line_items.0.name", "order_type"]);
    let estimate = common::request_example(
        "fastpod",
        "estimate_line_item_price",
        "docs_line_item_request",
    );
    let mut refused = estimate;
    refused["print_areas"]["left_sleeve"] = Value::Null;
    let (status, body) = send(post("/v1/orders/estimate-price/line-item", refused)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"]["print_areas.left_sleeve"].is_array(),
        "{body}"
    );
    common::validate_every_response(&sandbox, false);
}
