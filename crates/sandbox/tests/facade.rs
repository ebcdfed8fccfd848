//! Every provider's fake through the `ordergate` facade (built from `sandbox.settings(..)`): confirm a
//! seeded order, see the new state, confirm again, wrong credentials, unknown orders; then
//! every recorded response is validated against its spec.

mod common;

use common::SandboxExt;
use ordergate::{
    ConfirmRequest, Error, ErrorKind, Order, OrderProvider, OrderStatus, Provider, ProviderName,
};
use ordergate_sandbox::{Sandbox, onemg};

fn first_confirmable(sandbox: &Sandbox, provider: ProviderName) -> String {
    sandbox
        .confirmable_orders(provider)
        .into_iter()
        .next()
        .expect("a confirmable seeded order")
}

/// `provider`'s adapter with the sandbox settings `changes` made.
fn provider_with(sandbox: &Sandbox, provider: ProviderName, changes: &[(&str, &str)]) -> Provider {
    sandbox.provider_with(provider, changes).expect("adapter")
}

/// Confirms `id` (with [`SandboxExt::confirm_request`]) and checks the answer and the sandbox:
/// the order, confirmed, now in raw status `raw` and no longer confirmable.
async fn confirm(sandbox: &Sandbox, provider: &Provider, id: &str, raw: &str) -> Order {
    let name = provider.provider();
    let order = provider
        .confirm_order(&sandbox.confirm_request(name, id))
        .await
        .expect("a confirmable order confirms");
    assert_eq!(order.order_id, id);
    assert_eq!(order.status, OrderStatus::Confirmed);
    assert_eq!(sandbox.order_status(name, id).as_deref(), Some(raw));
    assert!(!sandbox.confirmable_orders(name).contains(&id.to_owned()));
    order
}

/// What a refused facade call must look like: the normalized kind and, where a test pins
/// them, the provider's HTTP status, code and message.
struct Refusal {
    kind: ErrorKind,
    http_status: Option<u16>,
    code: Option<&'static str>,
    message: Option<&'static str>,
}

fn refusal(kind: ErrorKind) -> Refusal {
    Refusal {
        kind,
        http_status: None,
        code: None,
        message: None,
    }
}

impl Refusal {
    fn http(self, status: u16) -> Self {
        Self {
            http_status: Some(status),
            ..self
        }
    }

    fn code(self, code: &'static str) -> Self {
        Self {
            code: Some(code),
            ..self
        }
    }

    fn message(self, message: &'static str) -> Self {
        Self {
            message: Some(message),
            ..self
        }
    }

    #[track_caller]
    fn check(&self, result: Result<Order, Error>) {
        let error = result.expect_err("refused");
        assert_eq!(error.kind, self.kind, "{error}");
        if let Some(status) = self.http_status {
            assert_eq!(error.http_status, Some(status), "{error}");
        }
        if let Some(code) = self.code {
            assert_eq!(error.code.as_deref(), Some(code), "{error}");
        }
        if let Some(message) = self.message {
            assert_eq!(error.message, message, "{error}");
        }
    }
}

#[tokio::test]
async fn fuuffy_confirm_get_conflict_unauthorized() {
    let sandbox = common::start().await;
    let name = ProviderName::Fuuffy;
    let fuuffy = sandbox.provider(name).expect("adapter");
    let id = first_confirmable(&sandbox, name);
    assert_eq!(id, "3550609");

    let order = confirm(&sandbox, &fuuffy, &id, "READY_TO_SHIP").await;
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

    let got = fuuffy.get_order(&id).await.expect("get");
    assert_eq!(got.status, OrderStatus::Confirmed);
    assert_eq!(got.provider_status.as_deref(), Some("READY_TO_SHIP"));
    assert_eq!(got.tracking_number.as_deref(), Some(tracking.as_str()));

    // Confirm again: Fuuffy answers NO_ORDERS_FOUND; the adapter's lookup finds the order in
    // another state and reports a conflict.
    let conflict = || refusal(ErrorKind::Conflict);
    conflict()
        .http(400)
        .code("400211")
        .check(fuuffy.confirm_order(&ConfirmRequest::new(&id)).await);
    // Another state than PENDING_CONFIRM (3550876 is DRAFT): conflict too.
    conflict().check(fuuffy.confirm_order(&ConfirmRequest::new("3550876")).await);

    // Unknown order: not found, for confirm and get.
    let not_found = || refusal(ErrorKind::NotFound);
    not_found().check(fuuffy.confirm_order(&ConfirmRequest::new("9999999")).await);
    not_found()
        .http(400)
        .code("400201")
        .check(fuuffy.get_order("9999999").await);

    // Wrong token: unauthorized, and nothing changes.
    let intruder = provider_with(&sandbox, name, &[("token", "sk-not-the-sandbox-token")]);
    let other = first_confirmable(&sandbox, name);
    refusal(ErrorKind::Unauthorized)
        .http(401)
        .check(intruder.confirm_order(&ConfirmRequest::new(&other)).await);
    assert_eq!(
        sandbox.order_status(name, &other).as_deref(),
        Some("PENDING_CONFIRM")
    );
    refusal(ErrorKind::Unauthorized).check(intruder.get_order(&id).await);

    assert!(common::validate_every_response(&sandbox, false) >= 10);
}

#[tokio::test]
async fn logitrail_confirm_conflict_forbidden() {
    let sandbox = common::start().await;
    let name = ProviderName::Logitrail;
    let logitrail = sandbox.provider(name).expect("adapter");
    let id = first_confirmable(&sandbox, name);

    let order = confirm(&sandbox, &logitrail, &id, "confirmed").await;
    let code = order.tracking_number.clone().expect("a tracking code");
    assert!(code.starts_with("LT"), "{code}");
    assert_eq!(
        order.tracking_url.as_deref(),
        Some(format!("https://example.com/tracking/{code}").as_str())
    );

    // Logitrail documents no lookup: nothing is sent.
    let before = sandbox.responses().len();
    refusal(ErrorKind::Unsupported).check(logitrail.get_order(&id).await);
    assert_eq!(sandbox.responses().len(), before);

    refusal(ErrorKind::Conflict)
        .http(409)
        .code("order_not_passive")
        .check(logitrail.confirm_order(&ConfirmRequest::new(&id)).await);

    for (other, status) in [
        ("5c8a1d5b0000000000000006", "waiting_products"),
        ("5c8a1d5b0000000000000009", "deleted"),
    ] {
        refusal(ErrorKind::Conflict)
            .check(logitrail.confirm_order(&ConfirmRequest::new(other)).await);
        assert_eq!(sandbox.order_status(name, other).as_deref(), Some(status));
    }

    refusal(ErrorKind::NotFound)
        .http(404)
        .code("unknown")
        .check(
            logitrail
                .confirm_order(&ConfirmRequest::new("ffffffffffffffffffffffff"))
                .await,
        );

    // Wrong secret, then wrong merchant: forbidden, and nothing changes.
    let other = first_confirmable(&sandbox, name);
    let wrong_secret = provider_with(&sandbox, name, &[("secret", "not-the-secret")]);
    refusal(ErrorKind::Forbidden)
        .http(403)
        .code("access_denied")
        .check(
            wrong_secret
                .confirm_order(&ConfirmRequest::new(&other))
                .await,
        );
    let wrong_merchant = provider_with(
        &sandbox,
        name,
        &[("merchant_id", "someone-else.example.com")],
    );
    refusal(ErrorKind::Forbidden).check(
        wrong_merchant
            .confirm_order(&ConfirmRequest::new(&other))
            .await,
    );
    assert_eq!(
        sandbox.order_status(name, &other).as_deref(),
        Some("passive")
    );

    assert!(common::validate_every_response(&sandbox, false) >= 7);
}

#[tokio::test]
async fn onemg_confirm_conflict_not_found_unauthorized() {
    let sandbox = common::start().await;
    let name = ProviderName::Onemg;
    let onemg_provider = sandbox.provider(name).expect("adapter");
    let id = first_confirmable(&sandbox, name);
    assert_eq!(id, "PO29523371880004");
    let merchant_order_id = onemg::merchant_order_id(&id).expect("a PO id");
    assert_eq!(merchant_order_id, "MO29523371880004");

    let request = ConfirmRequest::new(&id).with_merchant_order_id(&merchant_order_id);
    assert_eq!(request, sandbox.confirm_request(name, &id));
    // 1mg's numeric statuses: 17 Payment Confirmation Awaited, then 15 Placed.
    confirm(&sandbox, &onemg_provider, &id, "15").await;

    refusal(ErrorKind::Conflict)
        .http(400)
        .message("Invalid order status for this operation")
        .check(onemg_provider.confirm_order(&request).await);

    refusal(ErrorKind::Conflict)
        .http(500)
        .message("Map payment to order operation failed")
        .check(
            onemg_provider
                .confirm_order(&sandbox.confirm_request(name, "PO29523371880009"))
                .await,
        );

    // Unknown order: 1mg's "Order not found" with HTTP 500, normalized to not_found.
    refusal(ErrorKind::NotFound)
        .http(500)
        .message("Order not found")
        .check(
            onemg_provider
                .confirm_order(&sandbox.confirm_request(name, "PO11111111111111"))
                .await,
        );

    // A merchant order id that does not match the order: the same answer.
    let other = first_confirmable(&sandbox, name);
    refusal(ErrorKind::NotFound).http(500).check(
        onemg_provider
            .confirm_order(&ConfirmRequest::new(&other).with_merchant_order_id("MO0"))
            .await,
    );

    // Another merchant id in the path: the same answer.
    let elsewhere = provider_with(&sandbox, name, &[("merchant_id", "another-merchant")]);
    refusal(ErrorKind::NotFound).check(
        elsewhere
            .confirm_order(&sandbox.confirm_request(name, &other))
            .await,
    );

    // A wrong token or a wrong access key: unauthorized, and nothing changes.
    let wrong: [&[(&str, &str)]; 2] =
        [&[("token", "eyJ.not.it")], &[("access_key", "not-the-key")]];
    for change in wrong {
        refusal(ErrorKind::Unauthorized).http(401).check(
            provider_with(&sandbox, name, change)
                .confirm_order(&sandbox.confirm_request(name, &other))
                .await,
        );
    }
    assert_eq!(sandbox.order_status(name, &other).as_deref(), Some("17"));

    refusal(ErrorKind::Unsupported).check(onemg_provider.get_order(&id).await);

    assert!(common::validate_every_response(&sandbox, false) >= 8);
}

#[tokio::test]
async fn fastpod_confirm_get_conflict_unauthorized() {
    let sandbox = common::start().await;
    let name = ProviderName::Fastpod;
    let fastpod = sandbox.provider(name).expect("adapter");
    let draft = first_confirmable(&sandbox, name);
    assert_eq!(sandbox.order_status(name, &draft).as_deref(), Some("draft"));
    let on_hold = sandbox
        .confirmable_orders(name)
        .into_iter()
        .find(|id| sandbox.order_status(name, id).as_deref() == Some("on_hold"))
        .expect("a seeded on_hold order");

    for id in [&draft, &on_hold] {
        let order = confirm(&sandbox, &fastpod, id, "new_order").await;
        assert_eq!(order.provider_status.as_deref(), Some("new_order"));

        let got = fastpod.get_order(id).await.expect("get");
        assert_eq!(got.status, OrderStatus::Confirmed);
        assert_eq!(got.provider_status.as_deref(), Some("new_order"));

        refusal(ErrorKind::Conflict).http(422).check(
            fastpod
                .confirm_order(&ConfirmRequest::new(id.as_str()))
                .await,
        );
    }

    let shipped = "F237-120723-000007";
    refusal(ErrorKind::Conflict).check(fastpod.confirm_order(&ConfirmRequest::new(shipped)).await);
    let got = fastpod.get_order(shipped).await.expect("get");
    assert_eq!(got.status, OrderStatus::Shipped);

    let unknown = "F000-000000-000000";
    refusal(ErrorKind::NotFound)
        .http(404)
        .check(fastpod.confirm_order(&ConfirmRequest::new(unknown)).await);
    refusal(ErrorKind::NotFound).check(fastpod.get_order(unknown).await);

    // Wrong token: unauthorized, and nothing changes.
    let intruder = provider_with(&sandbox, name, &[("token", "not-the-token")]);
    let other = first_confirmable(&sandbox, name);
    refusal(ErrorKind::Unauthorized)
        .http(401)
        .check(intruder.confirm_order(&ConfirmRequest::new(&other)).await);
    refusal(ErrorKind::Unauthorized).check(intruder.get_order(&other).await);
    assert_eq!(sandbox.order_status(name, &other).as_deref(), Some("draft"));

    assert!(common::validate_every_response(&sandbox, false) >= 12);
}

/// Two providers' flows on one sandbox, then every response of every provider validated.
#[tokio::test]
async fn every_recorded_response_of_every_provider_validates() {
    let sandbox = common::start().await;
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
        .collect();
    assert_eq!(providers.len(), ProviderName::ALL.len());
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
        let spec = common::spec(provider.as_str());
        let validator = SchemaValidator::new(&spec);
        assert!(
            validator
                .validate_response(&spec, operation, status, &body)
                .is_err(),
            "{provider} {operation} {status} accepted {body}"
        );
    }
}
