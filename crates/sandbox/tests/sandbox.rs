//! The sandbox itself: seeding, concurrent confirms, the environment it hands to the CLI,
//! start and shutdown, and raw HTTP requests the facade never sends (bad bodies, missing
//! headers, unknown paths), each answered with the provider's documented error body.

mod common;
use common::{http, send};

use common::SandboxExt;

use std::time::Duration;

use ordergate::{ErrorKind, OrderProvider, OrderStatus, ProviderName};
use ordergate_sandbox::SandboxError;
use serde_json::{Value, json};

#[tokio::test]
async fn seeding_adds_orders_and_refuses_bad_input() {
    let sandbox = common::start().await;
    let cases = [
        (ProviderName::Fuuffy, "4000001", "PENDING_CONFIRM", true),
        (
            ProviderName::Logitrail,
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "passive",
            true,
        ),
        (ProviderName::Onemg, "PO4000001", "17", true),
        (ProviderName::Fastpod, "F999-000000-000001", "on_hold", true),
        (ProviderName::Fuuffy, "4000002", "CANCELLED", false),
        (
            ProviderName::Logitrail,
            "bbbbbbbbbbbbbbbbbbbbbbbb",
            "processed",
            false,
        ),
        (ProviderName::Onemg, "PO4000002", "99", false),
        (
            ProviderName::Fastpod,
            "F999-000000-000002",
            "shipped",
            false,
        ),
    ];
    for (provider, id, status, confirmable) in cases {
        sandbox
            .seed_order(provider, id, status)
            .expect("valid seed input");
        assert_eq!(sandbox.order_status(provider, id).as_deref(), Some(status));
        assert_eq!(
            sandbox
                .confirmable_orders(provider)
                .contains(&id.to_owned()),
            confirmable,
            "{provider} {id}"
        );
    }

    // A seeded order behaves like the built-in ones, through the facade (one confirmable
    // seed per provider).
    for (provider, id, _, _) in cases.into_iter().filter(|case| case.3) {
        let order = sandbox
            .provider(provider)
            .expect("adapter")
            .confirm_order(&sandbox.confirm_request(provider, id))
            .await
            .expect("a seeded order confirms");
        assert_eq!(order.status, OrderStatus::Confirmed);
    }

    // Re-seeding resets an order.
    sandbox
        .seed_order(ProviderName::Fuuffy, "4000001", "PENDING_CONFIRM")
        .expect("re-seed");
    assert!(
        sandbox
            .confirmable_orders(ProviderName::Fuuffy)
            .contains(&"4000001".to_owned())
    );

    let bad = [
        (ProviderName::Fuuffy, "12ab", "PENDING_CONFIRM"),
        (ProviderName::Fuuffy, "123", "pending_confirm"),
        (ProviderName::Logitrail, "123", "passive"),
        (ProviderName::Logitrail, "aaaaaaaaaaaaaaaaaaaaaaaa", "new"),
        (ProviderName::Onemg, "MO123", "17"),
        (ProviderName::Onemg, "PO123", "CREATED"),
        (ProviderName::Fastpod, "", "draft"),
        (ProviderName::Fastpod, "F/1", "draft"),
        (ProviderName::Fastpod, "F1", "pending"),
    ];
    for (provider, id, status) in bad {
        let error = sandbox
            .seed_order(provider, id, status)
            .expect_err("refused");
        assert!(
            matches!(
                error,
                SandboxError::InvalidOrderId { .. } | SandboxError::InvalidStatus { .. }
            ),
            "{error}"
        );
        assert!(!error.to_string().is_empty());
    }
    assert_eq!(sandbox.order_status(ProviderName::Fuuffy, "123"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_confirms_of_one_order_exactly_one_succeeds() {
    let sandbox = common::start().await;
    for name in ProviderName::ALL {
        let id = sandbox.confirmable_orders(name)[0].clone();
        let request = sandbox.confirm_request(name, &id);
        let provider = sandbox.provider(name).expect("adapter");
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let provider = provider.clone();
                let request = request.clone();
                tokio::spawn(async move { provider.confirm_order(&request).await })
            })
            .collect();
        let mut succeeded = 0;
        for task in tasks {
            match task.await.expect("the task ran") {
                Ok(order) => {
                    assert_eq!(order.status, OrderStatus::Confirmed);
                    succeeded += 1;
                }
                Err(error) => assert_eq!(error.kind, ErrorKind::Conflict, "{name}: {error}"),
            }
        }
        assert_eq!(succeeded, 1, "{name}");
        assert!(!sandbox.confirmable_orders(name).contains(&id));
    }
    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn env_and_credentials() {
    let sandbox = common::start().await;
    let env = sandbox.env();
    let names: Vec<&str> = env.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "FUUFFY_BASE_URL",
            "FUUFFY_CLIENT_ID",
            "FUUFFY_CLIENT_SECRET",
            "LOGITRAIL_BASE_URL",
            "LOGITRAIL_MERCHANT_ID",
            "LOGITRAIL_SECRET",
            "ONEMG_BASE_URL",
            "ONEMG_TOKEN",
            "ONEMG_ACCESS_KEY",
            "ONEMG_MERCHANT_ID",
            "ONEMG_PRIVATE_KEY_FILE",
            "FASTPOD_BASE_URL",
            "FASTPOD_TOKEN",
        ]
    );
    let value = |name: &str| {
        env.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .expect("set")
    };
    let port = sandbox.addr().port();
    assert_eq!(
        value("FUUFFY_BASE_URL"),
        format!("http://127.0.0.1:{port}/fuuffy")
    );
    assert_eq!(
        value("LOGITRAIL_BASE_URL"),
        format!("http://127.0.0.1:{port}/logitrail/2015-01-01")
    );
    assert_eq!(
        value("ONEMG_BASE_URL"),
        format!("http://127.0.0.1:{port}/onemg")
    );
    assert_eq!(
        value("FASTPOD_BASE_URL"),
        format!("http://127.0.0.1:{port}/fastpod")
    );
    for provider in ProviderName::ALL {
        assert_eq!(
            value(&format!("{}_BASE_URL", provider.env_prefix())),
            sandbox.base_url(provider)
        );
    }
    use ordergate_sandbox::{fastpod, fuuffy, logitrail, onemg};
    // Fuuffy's client credentials, so that a client renews its tokens; the never-expiring
    // token is a static setting, for curl.
    assert_eq!(value("FUUFFY_CLIENT_ID"), fuuffy::CLIENT_ID);
    assert_eq!(value("FUUFFY_CLIENT_SECRET"), fuuffy::CLIENT_SECRET);
    assert_eq!(
        sandbox
            .static_settings(ProviderName::Fuuffy)
            .expect("played"),
        [("token", fuuffy::TOKEN.to_owned())]
    );
    for provider in [
        ProviderName::Logitrail,
        ProviderName::Onemg,
        ProviderName::Fastpod,
    ] {
        assert!(
            sandbox
                .static_settings(provider)
                .expect("played")
                .is_empty()
        );
    }
    assert!(sandbox.static_settings("nowhere").is_err());
    assert_eq!(value("LOGITRAIL_SECRET"), logitrail::SECRET);
    assert_eq!(value("ONEMG_ACCESS_KEY"), onemg::ACCESS_KEY);
    assert_eq!(value("FASTPOD_TOKEN"), fastpod::TOKEN);

    // Secrets never print.
    let printed = format!("{sandbox:?}");
    for secret in [
        fuuffy::TOKEN,
        fuuffy::CLIENT_SECRET,
        logitrail::SECRET,
        onemg::TOKEN,
        onemg::ACCESS_KEY,
        fastpod::TOKEN,
    ] {
        assert!(!printed.contains(secret), "{printed}");
    }
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let first = common::start().await;
    let url = format!("{}/fastpod/v1/orders/x", first.url());
    let client = http();
    assert!(client.get(&url).send().await.is_ok());
    first.shutdown().await.expect("a clean shutdown");
    assert!(http().get(&url).send().await.is_err(), "still serving");

    let sandbox = common::start().await;
    let port = sandbox.addr().port();
    let url = format!("{}/fastpod/v1/orders/x", sandbox.url());
    drop(sandbox);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(http().get(&url).send().await.is_err(), "still serving");

    // The port is free again.
    let again = ordergate_sandbox::start_on(port).await.expect("rebinds");
    assert_eq!(again.addr().port(), port);
    again.shutdown().await.expect("a clean shutdown");
}

#[tokio::test]
async fn fuuffy_raw_requests() {
    let sandbox = common::start().await;
    let base = sandbox.base_url(ProviderName::Fuuffy);
    let token = ordergate_sandbox::fuuffy::TOKEN.to_owned();
    let client = http();
    let bad_request = json!({"error": {"code": "400000", "code_reason": "BAD_REQUEST", "message": "Bad Request", "error_trace": {"order_id": "order_id is required and must be a valid numeric string"}}});
    let confirm_url = format!("{base}/v1/order/confirm");
    for body in [
        &b"{\"order_id\":\"12ab\"}"[..],
        b"{}",
        b"",
        b"not json",
        b"{\"order_id\":3550609}",
    ] {
        let request = client
            .post(&confirm_url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.to_vec());
        assert_eq!(send(request).await, (400, bad_request.clone()));
    }
    let confirm = || {
        client
            .post(&confirm_url)
            .json(&json!({"order_id": "3550609"}))
    };
    let unauthorized = json!({"error": {"code": "401000", "code_reason": "UNAUTHORIZED", "message": "Unauthorized"}});
    assert_eq!(send(confirm()).await, (401, unauthorized));
    assert_eq!(
        sandbox
            .order_status(ProviderName::Fuuffy, "3550609")
            .as_deref(),
        Some("PENDING_CONFIRM")
    );

    // Confirm, then confirm again: the documented NO_ORDERS_FOUND.
    let (status, body) = send(confirm().bearer_auth(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["confirmed_orders"][0]["order_status"],
        "READY_TO_SHIP"
    );
    assert_eq!(body["data"]["message"], "OK");
    let no_orders = json!({"error": {"code": "400211", "code_reason": "NO_ORDERS_FOUND", "message": "No orders found"}});
    assert_eq!(send(confirm().bearer_auth(&token)).await, (400, no_orders));

    // Get: the new state; unknown id; missing or bad id.
    let get = |query: &str| {
        client
            .get(format!("{base}/v1/order{query}"))
            .bearer_auth(&token)
    };
    let (status, body) = send(get("?id=3550609")).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["status"], "READY_TO_SHIP");
    assert_eq!(body["data"]["confirm_shipment"], "Y");
    assert!(
        body["data"]["tracking_number"]
            .as_str()
            .is_some_and(|t| t.starts_with("SF"))
    );
    let not_found = json!({"error": {"code": "400201", "code_reason": "ORDER_NOT_FOUND", "message": "Order not found", "error_code": "ORDER_NOT_FOUND"}});
    assert_eq!(send(get("?id=1")).await, (400, not_found));
    for query in ["", "?id=", "?id=abc", "?id=%FF"] {
        let (status, body) = send(get(query)).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["code"], "400000", "{query}");
    }

    // The token endpoint: the sandbox client gets a fresh token; a wrong secret, another
    // grant type or a missing field is refused.
    use ordergate_sandbox::fuuffy::{CLIENT_ID, CLIENT_SECRET, TOKEN};
    let token_request = |grant_type: &str, client_secret: Option<&str>| {
        let mut form = vec![("grant_type", grant_type.to_owned())];
        if let Some(client_secret) = client_secret {
            form.push(("client_id", CLIENT_ID.to_owned()));
            form.push(("client_secret", client_secret.to_owned()));
        }
        client.post(format!("{base}/v1/auth/token")).form(&form)
    };
    let secret = Some(CLIENT_SECRET);
    let (status, body) = send(token_request("client_credentials", secret)).await;
    assert_eq!(status, 200);
    // A fresh token per request (`sk-` and 32 hex digits), not the fixed one.
    let issued_token = body["data"]["access_token"].as_str().expect("a token");
    assert!(issued_token.starts_with("sk-") && issued_token.len() == 35);
    assert_ne!(issued_token, TOKEN);
    assert_eq!(body["data"]["token_type"], "Bearer");
    assert_eq!(body["data"]["expires_in"], 3600);
    for (grant_type, client_secret, expected_status, expected_code) in [
        ("client_credentials", Some("wrong"), 401, "invalid_client"),
        ("password", secret, 400, "unsupported_grant_type"),
        ("client_credentials", None, 400, "invalid_request"),
    ] {
        let (status, body) = send(token_request(grant_type, client_secret)).await;
        assert_eq!(status, expected_status, "{expected_code}");
        assert_eq!(body["error"]["code"], expected_code);
    }

    // The typed client's token call, then the token it got, through the facade.
    let typed = ordergate_fuuffy::Client::connect(
        base.as_str(),
        ordergate_fuuffy::Credentials::access_token("unused"),
        &ordergate_fuuffy::ClientConfig::default(),
    )
    .expect("a client");
    let issued = typed
        .create_access_token()
        .body(
            ordergate_fuuffy::types::TokenRequest::builder()
                .grant_type(ordergate_fuuffy::types::GrantType::ClientCredentials)
                .client_id(CLIENT_ID.to_owned())
                .client_secret(CLIENT_SECRET),
        )
        .send()
        .await
        .expect("a token")
        .into_inner();
    let adapter = ordergate::FuuffyAdapter::builder()
        .base_url(base.as_str())
        .token(issued.data.access_token.expose())
        .build()
        .expect("adapter");
    assert!(adapter.get_order("3550875").await.is_ok());

    // The recorder keeps the token response, but never prints the token.
    let printed = format!("{:?}", sandbox.responses());
    assert!(printed.contains("create_access_token"));
    assert!(!printed.contains(token.as_str()), "{printed}");

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn logitrail_raw_requests() {
    let sandbox = common::start().await;
    let base = sandbox.base_url(ProviderName::Logitrail);
    use ordergate_sandbox::logitrail::{MERCHANT_ID, SECRET};
    let username = format!("M-{}", MERCHANT_ID);
    let client = http();
    let url = |id: &str| format!("{base}/orders/{id}/_confirm");
    let id = "5c8a1d5b0000000000000001";
    let authed = |request: reqwest::RequestBuilder| request.basic_auth(&username, Some(SECRET));

    let (status, body) = send(client.post(url(id))).await;
    assert_eq!((status, &body["code"]), (403, &json!("access_denied")));
    let (status, _) = send(client.post(url(id)).basic_auth(MERCHANT_ID, Some(SECRET))).await;
    assert_eq!(status, 403, "the username needs the M- prefix");
    let (status, body) = send(
        authed(client.post(url(id)))
            .header("content-type", "application/json")
            .body("[1, 2]"),
    )
    .await;
    assert_eq!((status, &body["code"]), (400, &json!("unknown")));
    let (status, body) = send(authed(client.post(url("not-hex")))).await;
    assert_eq!((status, &body["code"]), (404, &json!("unknown")));
    assert_eq!(
        sandbox.order_status(ProviderName::Logitrail, id).as_deref(),
        Some("passive")
    );

    // No body at all (as the Codaone clients send it) confirms.
    let (status, body) = send(authed(client.post(url(id)))).await;
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert_eq!(body["order_id"], id);
    let (status, body) = send(
        authed(client.post(url(id))).json(&json!({"merchants_order": "10001", "language": "fi"})),
    )
    .await;
    assert_eq!((status, &body["code"]), (409, &json!("order_not_passive")));
    assert!(body["message"].is_string());

    let (status, body) = send(authed(client.get(url(id)))).await;
    assert_eq!((status, &body["code"]), (405, &json!("method_not_allowed")));

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn onemg_raw_requests() {
    let sandbox = common::start().await;
    let base = sandbox.base_url(ProviderName::Onemg);
    use ordergate_sandbox::onemg::{ACCESS_KEY, MERCHANT_ID, TOKEN};
    let client = http();
    let id = "PO29523371880004";
    let url = format!(
        "{base}/api/v4/merchants/{}/orders/{id}/confirm",
        MERCHANT_ID
    );
    let body = json!({"merchant_order_id": "MO29523371880004", "order_id": id});
    let unauthorized = json!({"is_success": false, "status_code": 401, "error": {"message": "Unauthorized", "errors": null}});
    for request in [
        client.put(&url).json(&body),
        client.put(&url).bearer_auth(TOKEN).json(&body),
        client
            .put(&url)
            .header("x-access-key", ACCESS_KEY)
            .json(&body),
    ] {
        assert_eq!(send(request).await, (401, unauthorized.clone()));
    }
    let authed = |request: reqwest::RequestBuilder| {
        request
            .bearer_auth(TOKEN)
            .header("x-access-key", ACCESS_KEY)
    };
    for bad in [
        json!({"order_id": id}),
        json!([]),
        json!({"merchant_order_id": 1, "order_id": id}),
    ] {
        let (status, body) = send(authed(client.put(&url)).json(&bad)).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["message"], "Invalid request");
    }
    let not_found = json!({"is_success": false, "status_code": 500, "error": {"message": "Order not found", "errors": [{"message": "Order not found"}]}});
    let other_id = json!({"merchant_order_id": "MO29523371880005", "order_id": "PO29523371880005"});
    let (status, got) = send(authed(client.put(&url)).json(&other_id)).await;
    assert_eq!((status, got), (500, not_found));

    let (status, got) = send(authed(client.put(&url)).json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(
        got,
        json!({"data": {"merchant_order_id": "MO29523371880004", "order_id": id}, "partial_complete": false, "is_success": true, "status_code": 200})
    );
    let invalid_status = json!({"is_success": false, "status_code": 400, "error": {"message": "Invalid order status for this operation", "errors": null}});
    let (status, got) = send(authed(client.put(&url)).json(&body)).await;
    assert_eq!((status, got), (400, invalid_status));

    let cancelled_url = format!(
        "{base}/api/v4/merchants/{}/orders/PO29523371880009/confirm",
        MERCHANT_ID
    );
    let cancelled_body =
        json!({"merchant_order_id": "MO29523371880009", "order_id": "PO29523371880009"});
    let map_failed = json!({"is_success": false, "status_code": 500, "error": {"message": "Map payment to order operation failed", "errors": [{"message": "Map payment to order operation failed"}]}});
    let (status, got) = send(authed(client.put(&cancelled_url)).json(&cancelled_body)).await;
    assert_eq!((status, got), (500, map_failed));

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn fastpod_raw_requests() {
    let sandbox = common::start().await;
    let base = sandbox.base_url(ProviderName::Fastpod);
    let token = ordergate_sandbox::fastpod::TOKEN.to_owned();
    let client = http();
    let id = "F237-120723-000001";
    let status_url = format!("{base}/v1/orders/{id}/status");
    let new_order = json!({"order_status": "new_order"});

    // Without Accept: application/json.
    let (status, body) = send(client.put(&status_url).bearer_auth(&token).json(&new_order)).await;
    assert_eq!(status, 406);
    assert_eq!(body["status"], false);
    let accept = |request: reqwest::RequestBuilder| request.header("accept", "application/json");

    let (status, body) = send(accept(client.put(&status_url)).json(&new_order)).await;
    assert_eq!(
        (status, body),
        (401, json!({"message": "Unauthenticated."}))
    );

    let authed = |request: reqwest::RequestBuilder| accept(request).bearer_auth(&token);
    let (status, body) =
        send(authed(client.put(format!("{base}/v1/orders/F0/status"))).json(&new_order)).await;
    assert_eq!(
        (status, body),
        (404, json!({"status": false, "message": "Order not found."}))
    );

    for bad in [json!({}), json!({"order_status": 3}), json!("new_order")] {
        let (status, body) = send(authed(client.put(&status_url)).json(&bad)).await;
        assert_eq!(status, 422, "{bad}");
        assert!(body["errors"]["order_status"].is_array(), "{body}");
    }
    let rule = json!({"status": false, "message": "Only allowed to change the order status from draft or on_hold to new_order."});
    for target in ["draft", "on_hold", "shipped", "archived"] {
        let (status, body) =
            send(authed(client.put(&status_url)).json(&json!({ "order_status": target }))).await;
        assert_eq!((status, body), (422, rule.clone()), "{target}");
    }
    assert_eq!(
        sandbox.order_status(ProviderName::Fastpod, id).as_deref(),
        Some("draft")
    );

    let (status, body) = send(authed(client.put(&status_url)).json(&new_order)).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], true);
    assert_eq!(body["message"], "Order updated successfully.");
    assert_eq!(body["data"]["order_status"], "new_order");
    let (status, body) = send(authed(client.put(&status_url)).json(&new_order)).await;
    assert_eq!((status, body), (422, rule));
    let (status, body) = send(authed(client.get(format!("{base}/v1/orders/{id}")))).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], id);
    assert_eq!(body["order_status"], "new_order");
    assert!(body.get("data").is_none(), "Get Order answers a bare Order");

    common::validate_every_response(&sandbox, false);
}

#[tokio::test]
async fn unknown_paths_and_hostile_requests_get_json_errors() {
    let sandbox = common::start().await;
    let client = http();
    let root = sandbox.url();
    let requests = [
        client.get(format!("{root}/")),
        client.get(format!("{root}/nowhere")),
        client.get(format!("{root}/fuuffy/v2/order")),
        client.delete(format!("{root}/fuuffy/v1/order")),
        client.get(format!("{root}/logitrail/2015-01-01/orders")),
        client.get(format!("{root}/logitrail/2014-01-01/orders/x/_confirm")),
        client.get(format!("{root}/onemg/api/v4/merchants/m/orders/o/confirm")),
        client.get(format!("{root}/onemg/api/v3")),
        client.post(format!("{root}/fastpod/v1/orders/x")),
        client.get(format!("{root}/fastpod/v1/orders")),
        client
            .put(format!("{root}/fastpod/v1/orders/%FF%FE/status"))
            .header("accept", "application/json")
            .bearer_auth(ordergate_sandbox::fastpod::TOKEN),
        client
            .put(format!(
                "{root}/onemg/api/v4/merchants/%FF/orders/%FE/confirm"
            ))
            .bearer_auth(ordergate_sandbox::onemg::TOKEN)
            .header("x-access-key", ordergate_sandbox::onemg::ACCESS_KEY)
            .json(&json!({"merchant_order_id": "x", "order_id": "y"})),
        client
            .post(format!("{root}/fuuffy/v1/order/confirm"))
            .header("authorization", "Bearer")
            .body(vec![0xff; 64]),
        client
            .post(format!(
                "{root}/logitrail/2015-01-01/orders/5c8a1d5b0000000000000001/_confirm"
            ))
            .header("authorization", "Basic !!!!")
            .body(vec![0xff; 64]),
        client
            .post(format!("{root}/fuuffy/v1/order/confirm"))
            .bearer_auth(ordergate_sandbox::fuuffy::TOKEN)
            .body(vec![b'{'; 3 * 1024 * 1024]),
    ];
    for request in requests {
        let response = request.send().await.expect("sent");
        let status = response.status().as_u16();
        assert!((400..600).contains(&status), "{status}");
        let body = response.json::<Value>().await.expect("a JSON body");
        assert!(body.is_object(), "{body}");
    }
    let recorded = sandbox.responses();
    assert_eq!(recorded.len(), 15);
    assert!(
        recorded
            .iter()
            .any(|r| r.provider.is_none() && r.status == 404)
    );
    assert!(
        recorded
            .iter()
            .any(|r| r.provider == Some("fuuffy") && r.operation_id.is_none())
    );
    // The sandbox is still serving and still consistent.
    assert_eq!(sandbox.confirmable_orders(ProviderName::Logitrail).len(), 4);
    common::validate_every_response(&sandbox, true);
}

#[tokio::test]
async fn the_recorder_can_be_cleared() {
    let sandbox = common::start().await;
    let provider = sandbox.provider(ProviderName::Fastpod).expect("adapter");
    provider.get_order("F237-120723-000001").await.expect("get");
    let recorded = sandbox.responses();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].provider, Some("fastpod"));
    assert_eq!(recorded[0].operation_id, Some("get_order"));
    assert_eq!(recorded[0].method, "GET");
    assert_eq!(recorded[0].path, "/fastpod/v1/orders/F237-120723-000001");
    assert_eq!(recorded[0].status, 200);
    sandbox.clear_responses();
    assert!(sandbox.responses().is_empty());
}
