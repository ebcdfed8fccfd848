//! Every provider's fake through the `ordergate` facade (`sandbox.provider(..)`): confirm a
//! seeded order, see the new state, confirm again, wrong credentials, unknown orders; then
//! every recorded response is validated against its spec.

mod common;

use ordergate::{ConfirmRequest, ErrorKind, OrderProvider, OrderStatus, ProviderName};
use ordergate_sandbox::{Sandbox, onemg};

async fn sandbox() -> Sandbox {
    ordergate_sandbox::start()
        .await
        .expect("the sandbox starts")
}

fn first_confirmable(sandbox: &Sandbox, provider: ProviderName) -> String {
    sandbox
        .confirmable_orders(provider)
        .into_iter()
        .next()
        .expect("a confirmable seeded order")
}

#[tokio::test]
async fn fuuffy_confirm_get_conflict_unauthorized() {
    let sandbox = sandbox().await;
    let name = ProviderName::Fuuffy;
    let fuuffy = sandbox.provider(name).expect("adapter");
    let id = first_confirmable(&sandbox, name);
    assert_eq!(id, "3550609");

    let order = fuuffy
        .confirm_order(&sandbox.confirm_request(name, &id))
        .await
        .expect("a PENDING_CONFIRM order confirms");
    assert_eq!(order.order_id, id);
    assert_eq!(order.status, OrderStatus::Confirmed);
    assert_eq!(order.provider_status.as_deref(), Some("READY_TO_SHIP"));
    let tracking = order.tracking_number.clone().expect("a tracking number");
    assert!(
        tracking.starts_with("SF") && tracking.len() == 15,
        "{tracking}"
    );
    assert_eq!(
        order.price.as_ref().map(|p| p.amount.as_str()),
        Some("28.50")
    );
    assert_eq!(
        sandbox.order_status(name, &id).as_deref(),
        Some("READY_TO_SHIP")
    );
    assert!(!sandbox.confirmable_orders(name).contains(&id));

    let got = fuuffy.get_order(&id).await.expect("get");
    assert_eq!(got.status, OrderStatus::Confirmed);
    assert_eq!(got.provider_status.as_deref(), Some("READY_TO_SHIP"));
    assert_eq!(got.tracking_number.as_deref(), Some(tracking.as_str()));

    // Confirm again: Fuuffy answers NO_ORDERS_FOUND; the adapter's lookup finds the order in
    // another state and reports a conflict.
    let again = fuuffy
        .confirm_order(&ConfirmRequest::new(&id))
        .await
        .expect_err("a second confirm is refused");
    assert_eq!(again.kind, ErrorKind::Conflict, "{again}");
    assert_eq!(again.http_status, Some(400));
    assert_eq!(again.code.as_deref(), Some("400211"));

    // Another state than PENDING_CONFIRM: conflict too.
    let draft = fuuffy
        .confirm_order(&ConfirmRequest::new("3550876"))
        .await
        .expect_err("a DRAFT order is not confirmable");
    assert_eq!(draft.kind, ErrorKind::Conflict, "{draft}");

    // Unknown order: not found, for confirm and get.
    let unknown = fuuffy
        .confirm_order(&ConfirmRequest::new("9999999"))
        .await
        .expect_err("unknown");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown}");
    let unknown = fuuffy.get_order("9999999").await.expect_err("unknown");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown}");
    assert_eq!(unknown.http_status, Some(400));
    assert_eq!(unknown.code.as_deref(), Some("400201"));

    // Wrong token: unauthorized, and nothing changes.
    let mut wrong = sandbox.credentials().clone();
    wrong.fuuffy.token = "sk-not-the-sandbox-token".to_owned();
    let intruder = sandbox.provider_with(name, &wrong).expect("adapter");
    let other = sandbox.confirmable_orders(name)[0].clone();
    let refused = intruder
        .confirm_order(&ConfirmRequest::new(&other))
        .await
        .expect_err("wrong token");
    assert_eq!(refused.kind, ErrorKind::Unauthorized, "{refused}");
    assert_eq!(refused.http_status, Some(401));
    assert_eq!(
        sandbox.order_status(name, &other).as_deref(),
        Some("PENDING_CONFIRM")
    );
    let refused = intruder.get_order(&id).await.expect_err("wrong token");
    assert_eq!(refused.kind, ErrorKind::Unauthorized, "{refused}");

    assert!(common::validate_every_response(&sandbox, false) >= 10);
}

#[tokio::test]
async fn logitrail_confirm_conflict_forbidden() {
    let sandbox = sandbox().await;
    let name = ProviderName::Logitrail;
    let logitrail = sandbox.provider(name).expect("adapter");
    let id = first_confirmable(&sandbox, name);

    let order = logitrail
        .confirm_order(&sandbox.confirm_request(name, &id))
        .await
        .expect("a passive order confirms");
    assert_eq!(order.order_id, id);
    assert_eq!(order.status, OrderStatus::Confirmed);
    let code = order.tracking_number.clone().expect("a tracking code");
    assert!(code.starts_with("LT"), "{code}");
    assert_eq!(
        order.tracking_url.as_deref(),
        Some(format!("https://example.com/tracking/{code}").as_str())
    );
    assert_eq!(
        sandbox.order_status(name, &id).as_deref(),
        Some("confirmed")
    );

    // Logitrail documents no lookup: nothing is sent.
    let before = sandbox.responses().len();
    let get = logitrail.get_order(&id).await.expect_err("no lookup");
    assert_eq!(get.kind, ErrorKind::Unsupported);
    assert_eq!(sandbox.responses().len(), before);

    let again = logitrail
        .confirm_order(&ConfirmRequest::new(&id))
        .await
        .expect_err("a second confirm is refused");
    assert_eq!(again.kind, ErrorKind::Conflict, "{again}");
    assert_eq!(again.http_status, Some(409));
    assert_eq!(again.code.as_deref(), Some("order_not_passive"));

    for (other, status) in [
        ("5c8a1d5b0000000000000006", "waiting_products"),
        ("5c8a1d5b0000000000000009", "deleted"),
    ] {
        let refused = logitrail
            .confirm_order(&ConfirmRequest::new(other))
            .await
            .expect_err("not passive");
        assert_eq!(refused.kind, ErrorKind::Conflict, "{status}: {refused}");
        assert_eq!(sandbox.order_status(name, other).as_deref(), Some(status));
    }

    let unknown = logitrail
        .confirm_order(&ConfirmRequest::new("ffffffffffffffffffffffff"))
        .await
        .expect_err("unknown");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown}");
    assert_eq!(unknown.http_status, Some(404));
    assert_eq!(unknown.code.as_deref(), Some("unknown"));

    let mut wrong = sandbox.credentials().clone();
    wrong.logitrail.secret = "not-the-secret".to_owned();
    let intruder = sandbox.provider_with(name, &wrong).expect("adapter");
    let other = sandbox.confirmable_orders(name)[0].clone();
    let refused = intruder
        .confirm_order(&ConfirmRequest::new(&other))
        .await
        .expect_err("wrong secret");
    assert_eq!(refused.kind, ErrorKind::Forbidden, "{refused}");
    assert_eq!(refused.http_status, Some(403));
    assert_eq!(refused.code.as_deref(), Some("access_denied"));
    let mut wrong = sandbox.credentials().clone();
    wrong.logitrail.merchant_id = "someone-else.example.com".to_owned();
    let intruder = sandbox.provider_with(name, &wrong).expect("adapter");
    let refused = intruder
        .confirm_order(&ConfirmRequest::new(&other))
        .await
        .expect_err("wrong merchant");
    assert_eq!(refused.kind, ErrorKind::Forbidden, "{refused}");
    assert_eq!(
        sandbox.order_status(name, &other).as_deref(),
        Some("passive")
    );

    assert!(common::validate_every_response(&sandbox, false) >= 7);
}

#[tokio::test]
async fn onemg_confirm_conflict_not_found_unauthorized() {
    let sandbox = sandbox().await;
    let name = ProviderName::Onemg;
    let onemg_provider = sandbox.provider(name).expect("adapter");
    let id = first_confirmable(&sandbox, name);
    assert_eq!(id, "PO29523371880004");
    let merchant_order_id = onemg::merchant_order_id(&id).expect("a PO id");
    assert_eq!(merchant_order_id, "MO29523371880004");

    let request = ConfirmRequest::new(&id).with_merchant_order_id(&merchant_order_id);
    assert_eq!(request, sandbox.confirm_request(name, &id));
    let order = onemg_provider
        .confirm_order(&request)
        .await
        .expect("a created order confirms");
    assert_eq!(order.order_id, id);
    assert_eq!(order.status, OrderStatus::Confirmed);
    assert_eq!(
        sandbox.order_status(name, &id).as_deref(),
        Some("confirmed")
    );

    let again = onemg_provider
        .confirm_order(&request)
        .await
        .expect_err("a second confirm is refused");
    assert_eq!(again.kind, ErrorKind::Conflict, "{again}");
    assert_eq!(again.http_status, Some(400));
    assert_eq!(
        again.message, "Invalid order status for this operation",
        "{again}"
    );

    let cancelled = onemg_provider
        .confirm_order(&sandbox.confirm_request(name, "PO29523371880009"))
        .await
        .expect_err("a cancelled order");
    assert_eq!(cancelled.kind, ErrorKind::Conflict, "{cancelled}");
    assert_eq!(cancelled.http_status, Some(500));
    assert_eq!(cancelled.message, "Map payment to order operation failed");

    // Unknown order: 1mg's "Order not found" with HTTP 500, normalized to not_found.
    let unknown = onemg_provider
        .confirm_order(&sandbox.confirm_request(name, "PO11111111111111"))
        .await
        .expect_err("unknown");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown}");
    assert_eq!(unknown.http_status, Some(500));
    assert_eq!(unknown.message, "Order not found");

    // A merchant order id that does not match the order: the same answer.
    let other = sandbox.confirmable_orders(name)[0].clone();
    let mismatch = onemg_provider
        .confirm_order(&ConfirmRequest::new(&other).with_merchant_order_id("MO0"))
        .await
        .expect_err("wrong merchant order id");
    assert_eq!(mismatch.kind, ErrorKind::NotFound, "{mismatch}");
    assert_eq!(mismatch.http_status, Some(500));

    // Another merchant id in the path: the same answer.
    let mut elsewhere = sandbox.credentials().clone();
    elsewhere.onemg.merchant_id = "another-merchant".to_owned();
    let refused = sandbox
        .provider_with(name, &elsewhere)
        .expect("adapter")
        .confirm_order(&sandbox.confirm_request(name, &other))
        .await
        .expect_err("another merchant");
    assert_eq!(refused.kind, ErrorKind::NotFound, "{refused}");

    for wrong in [
        {
            let mut c = sandbox.credentials().clone();
            c.onemg.token = "eyJ.not.it".to_owned();
            c
        },
        {
            let mut c = sandbox.credentials().clone();
            c.onemg.access_key = "not-the-key".to_owned();
            c
        },
    ] {
        let refused = sandbox
            .provider_with(name, &wrong)
            .expect("adapter")
            .confirm_order(&sandbox.confirm_request(name, &other))
            .await
            .expect_err("wrong credentials");
        assert_eq!(refused.kind, ErrorKind::Unauthorized, "{refused}");
        assert_eq!(refused.http_status, Some(401));
    }
    assert_eq!(
        sandbox.order_status(name, &other).as_deref(),
        Some("created")
    );

    let get = onemg_provider.get_order(&id).await.expect_err("no lookup");
    assert_eq!(get.kind, ErrorKind::Unsupported);

    assert!(common::validate_every_response(&sandbox, false) >= 8);
}

#[tokio::test]
async fn fastpod_confirm_get_conflict_unauthorized() {
    let sandbox = sandbox().await;
    let name = ProviderName::Fastpod;
    let fastpod = sandbox.provider(name).expect("adapter");
    let confirmable = sandbox.confirmable_orders(name);
    let draft = confirmable[0].clone();
    assert_eq!(sandbox.order_status(name, &draft).as_deref(), Some("draft"));
    let on_hold = confirmable
        .iter()
        .find(|id| sandbox.order_status(name, id).as_deref() == Some("on_hold"))
        .expect("a seeded on_hold order")
        .clone();

    for id in [&draft, &on_hold] {
        let order = fastpod
            .confirm_order(&sandbox.confirm_request(name, id))
            .await
            .expect("draft and on_hold orders confirm");
        assert_eq!(&order.order_id, id);
        assert_eq!(order.status, OrderStatus::Confirmed);
        assert_eq!(order.provider_status.as_deref(), Some("new_order"));
        assert_eq!(sandbox.order_status(name, id).as_deref(), Some("new_order"));

        let got = fastpod.get_order(id).await.expect("get");
        assert_eq!(got.status, OrderStatus::Confirmed);
        assert_eq!(got.provider_status.as_deref(), Some("new_order"));

        let again = fastpod
            .confirm_order(&ConfirmRequest::new(id.as_str()))
            .await
            .expect_err("a second confirm is refused");
        assert_eq!(again.kind, ErrorKind::Conflict, "{again}");
        assert_eq!(again.http_status, Some(422));
    }

    let shipped = fastpod
        .confirm_order(&ConfirmRequest::new("F237-120723-000007"))
        .await
        .expect_err("a shipped order");
    assert_eq!(shipped.kind, ErrorKind::Conflict, "{shipped}");
    let got = fastpod.get_order("F237-120723-000007").await.expect("get");
    assert_eq!(got.status, OrderStatus::Shipped);

    let unknown = fastpod
        .confirm_order(&ConfirmRequest::new("F000-000000-000000"))
        .await
        .expect_err("unknown");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown}");
    assert_eq!(unknown.http_status, Some(404));
    let unknown = fastpod
        .get_order("F000-000000-000000")
        .await
        .expect_err("unknown");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown}");

    let mut wrong = sandbox.credentials().clone();
    wrong.fastpod.token = "not-the-token".to_owned();
    let intruder = sandbox.provider_with(name, &wrong).expect("adapter");
    let other = sandbox.confirmable_orders(name)[0].clone();
    let refused = intruder
        .confirm_order(&ConfirmRequest::new(&other))
        .await
        .expect_err("wrong token");
    assert_eq!(refused.kind, ErrorKind::Unauthorized, "{refused}");
    assert_eq!(refused.http_status, Some(401));
    let refused = intruder.get_order(&other).await.expect_err("wrong token");
    assert_eq!(refused.kind, ErrorKind::Unauthorized, "{refused}");
    assert_ne!(
        sandbox.order_status(name, &other).as_deref(),
        Some("new_order")
    );

    assert!(common::validate_every_response(&sandbox, false) >= 12);
}

/// Two providers' flows on one sandbox, then every response of every provider validated.
#[tokio::test]
async fn every_recorded_response_of_every_provider_validates() {
    let sandbox = sandbox().await;
    for name in ProviderName::ALL {
        let provider = sandbox.provider(name).expect("adapter");
        for id in sandbox.confirmable_orders(name) {
            let request = sandbox.confirm_request(name, &id);
            provider.confirm_order(&request).await.expect("confirms");
            let again = provider.confirm_order(&request).await.expect_err("again");
            assert_eq!(again.kind, ErrorKind::Conflict, "{name} {id}: {again}");
        }
        assert!(sandbox.confirmable_orders(name).is_empty());
    }
    let validated = common::validate_every_response(&sandbox, false);
    assert!(validated >= 2 * (4 + 4 + 4 + 4), "{validated}");
    let providers: std::collections::BTreeSet<_> = sandbox
        .responses()
        .iter()
        .filter_map(|r| r.provider)
        .map(|p| p.as_str())
        .collect();
    assert_eq!(providers.len(), 4);
}

/// The validation above is not vacuous: a body that breaks its schema is refused.
#[test]
fn the_schema_validation_refuses_a_wrong_body() {
    use ordergate_codegen::examples::SchemaValidator;
    let cases = [
        (
            ProviderName::Fuuffy,
            "confirm_order",
            200,
            serde_json::json!({"data": {"confirmed_orders": [{"order_id": "1"}]}}),
        ),
        (
            ProviderName::Fuuffy,
            "get_order",
            400,
            serde_json::json!({"error": {"message": "no code"}}),
        ),
        (
            ProviderName::Logitrail,
            "confirm_order",
            409,
            serde_json::json!({"message": "no code"}),
        ),
        (
            ProviderName::Onemg,
            "confirm_order",
            500,
            serde_json::json!({"status_code": 500}),
        ),
        (
            ProviderName::Fastpod,
            "update_order_status",
            200,
            serde_json::json!({"status": true}),
        ),
    ];
    for (provider, operation, status, body) in cases {
        let spec = common::spec(provider);
        let validator = SchemaValidator::new(&spec);
        assert!(
            validator
                .validate_response(&spec, operation, status, &body)
                .is_err(),
            "{provider} {operation} {status} accepted {body}"
        );
    }
}
