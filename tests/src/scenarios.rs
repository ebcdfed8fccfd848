//! One scenario per facade operation and provider: the request the provider must receive and
//! what the facade must make of every response example in the spec. Shared by the facade tests
//! (`tests/tests/facade.rs`) and the CLI tests (`crates/cli/tests/cli.rs`).

use httpmock::{Mock, MockServer};
use ordergate::{ErrorKind, OrderStatus, ProviderName};
use serde_json::Value;

use crate::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET, ONEMG_ACCESS_KEY, TOKEN};
use crate::{ResponseExample, request_example, response_examples};

/// The 1mg merchant id used in the path.
pub const ONEMG_MERCHANT_ID: &str = "merchant-42";

/// `Basic base64("M-shop.example:logitrail-secret-91c2")` (RFC 7617, computed independently).
pub const LOGITRAIL_AUTHORIZATION: &str = "Basic TS1zaG9wLmV4YW1wbGU6bG9naXRyYWlsLXNlY3JldC05MWMy";

/// The facade operation a scenario exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacadeCall {
    /// `confirm_order`.
    Confirm,
    /// `get_order`.
    Get,
}

/// A facade operation at one provider, and the request the provider must receive.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The provider.
    pub provider: ProviderName,
    /// Which facade operation.
    pub call: FacadeCall,
    /// The spec operation it maps to.
    pub operation_id: &'static str,
    /// The order id passed to the facade.
    pub order_id: &'static str,
    /// The merchant order id passed to the facade (1mg).
    pub merchant_order_id: Option<&'static str>,
    /// HTTP method the provider must receive.
    pub method: &'static str,
    /// Path the provider must receive.
    pub path: String,
    /// Query parameter the provider must receive.
    pub query: Option<(&'static str, &'static str)>,
    /// The JSON body the provider must receive (a request example of the spec).
    pub body: Option<Value>,
    /// Headers the provider must receive (credentials included).
    pub headers: Vec<(&'static str, String)>,
}

/// Every scenario.
pub fn scenarios() -> Vec<Scenario> {
    let bearer = format!("Bearer {TOKEN}");
    vec![
        Scenario {
            provider: ProviderName::Fuuffy,
            call: FacadeCall::Confirm,
            operation_id: "confirm_order",
            order_id: "3550609",
            merchant_order_id: None,
            method: "POST",
            path: "/v1/order/confirm".into(),
            query: None,
            body: Some(request_example("fuuffy", "confirm_order", "docs_request")),
            headers: vec![("authorization", bearer.clone())],
        },
        Scenario {
            provider: ProviderName::Fuuffy,
            call: FacadeCall::Get,
            operation_id: "get_order",
            order_id: "3550875",
            merchant_order_id: None,
            method: "GET",
            path: "/v1/order".into(),
            query: Some(("id", "3550875")),
            body: None,
            headers: vec![("authorization", bearer.clone())],
        },
        Scenario {
            provider: ProviderName::Logitrail,
            call: FacadeCall::Confirm,
            operation_id: "confirm_order",
            order_id: "5c8a1d5b0000000000000001",
            merchant_order_id: None,
            method: "POST",
            path: "/orders/5c8a1d5b0000000000000001/_confirm".into(),
            query: None,
            body: Some(request_example(
                "logitrail",
                "confirm_order",
                "empty_update",
            )),
            headers: vec![("authorization", LOGITRAIL_AUTHORIZATION.to_owned())],
        },
        Scenario {
            provider: ProviderName::Onemg,
            call: FacadeCall::Confirm,
            operation_id: "confirm_order",
            order_id: "PO29523371880004",
            merchant_order_id: Some("2333asa3s25224"),
            method: "PUT",
            path: format!("/api/v4/merchants/{ONEMG_MERCHANT_ID}/orders/PO29523371880004/confirm"),
            query: None,
            body: Some(request_example("onemg", "confirm_order", "confirm_order")),
            headers: vec![
                ("authorization", bearer.clone()),
                ("x-access-key", ONEMG_ACCESS_KEY.to_owned()),
            ],
        },
        Scenario {
            provider: ProviderName::Fastpod,
            call: FacadeCall::Confirm,
            operation_id: "update_order_status",
            order_id: "F237-120723-000001",
            merchant_order_id: None,
            method: "PUT",
            path: "/v1/orders/F237-120723-000001/status".into(),
            query: None,
            body: Some(request_example(
                "fastpod",
                "update_order_status",
                "docs_update_status_request",
            )),
            headers: vec![
                ("authorization", bearer.clone()),
                ("accept", "application/json".into()),
            ],
        },
        Scenario {
            provider: ProviderName::Fastpod,
            call: FacadeCall::Get,
            operation_id: "get_order",
            order_id: "F237-120723-000001",
            merchant_order_id: None,
            method: "GET",
            path: "/v1/orders/F237-120723-000001".into(),
            query: None,
            body: None,
            headers: vec![
                ("authorization", bearer),
                ("accept", "application/json".into()),
            ],
        },
    ]
}

/// What the facade must return for one response example.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A unified order.
    Order {
        /// `order_id` as the provider reports it.
        order_id: &'static str,
        /// The normalized status.
        status: OrderStatus,
        /// The raw provider status.
        provider_status: Option<&'static str>,
        /// The tracking number.
        tracking_number: Option<&'static str>,
        /// The tracking URL.
        tracking_url: Option<&'static str>,
    },
    /// A normalized error; `code` is the provider's own code. `message` is the provider's
    /// message, or `HTTP <status> <reason>` when it sent none.
    Error {
        /// The kind.
        kind: ErrorKind,
        /// The provider's code, verbatim.
        code: Option<&'static str>,
        /// The provider's message, verbatim.
        message: &'static str,
    },
}

/// The expected facade result for every response example, by (provider, operation, example).
pub fn expected(provider: ProviderName, operation_id: &str, example: &str) -> Expected {
    use ErrorKind as K;
    let error = |kind, code, message| Expected::Error {
        kind,
        code,
        message,
    };
    match (provider, operation_id, example) {
        (ProviderName::Fuuffy, "confirm_order", "docs_success") => Expected::Order {
            order_id: "3550912",
            status: OrderStatus::Confirmed,
            provider_status: Some("READY_TO_SHIP"),
            tracking_number: Some("SF7444700509270"),
            tracking_url: None,
        },
        (ProviderName::Fuuffy, "get_order", "docs_success") => Expected::Order {
            order_id: "3550875",
            status: OrderStatus::Confirmed,
            provider_status: Some("READY_TO_SHIP"),
            tracking_number: Some("SF7444700508450"),
            tracking_url: None,
        },
        (ProviderName::Fuuffy, _, "docs_bad_request") => {
            error(K::BadRequest, Some("400000"), "Bad Request")
        }
        (ProviderName::Fuuffy, _, "docs_order_not_found") => {
            error(K::NotFound, Some("400201"), "Order not found")
        }
        (ProviderName::Fuuffy, _, "docs_unauthorized") => {
            error(K::Unauthorized, Some("401000"), "Unauthorized")
        }
        (ProviderName::Fuuffy, _, "token_expired") => error(
            K::Unauthorized,
            Some("invalid_token"),
            "The access token expired",
        ),
        (ProviderName::Fuuffy, _, "docs_api_error") => error(
            K::Server,
            Some("500999"),
            "Api Error, please contact customer service",
        ),
        (ProviderName::Logitrail, _, "confirmed") => Expected::Order {
            order_id: "5c8a1d5b0000000000000001",
            status: OrderStatus::Confirmed,
            provider_status: None,
            tracking_number: Some("EXAMPLETRACKINGCODE"),
            tracking_url: Some("https://example.com/tracking/EXAMPLETRACKINGCODE"),
        },
        (ProviderName::Logitrail, _, "merchants_id_required") => error(
            K::BadRequest,
            Some("product.merchants_id.required"),
            "HTTP 400 Bad Request",
        ),
        (ProviderName::Logitrail, _, "item_source_id_missing") => error(
            K::BadRequest,
            Some("item_source_id_missing"),
            "HTTP 400 Bad Request",
        ),
        (ProviderName::Logitrail, _, "access_denied") => {
            error(K::Forbidden, Some("access_denied"), "HTTP 403 Forbidden")
        }
        (ProviderName::Logitrail, _, "method_not_allowed") => error(
            K::BadRequest,
            Some("method_not_allowed"),
            "HTTP 405 Method Not Allowed",
        ),
        (ProviderName::Logitrail, _, "order_not_passive") => {
            error(K::Conflict, Some("order_not_passive"), "HTTP 409 Conflict")
        }
        (ProviderName::Logitrail, _, "unknown") => {
            error(K::Server, Some("unknown"), "HTTP 500 Internal Server Error")
        }
        (ProviderName::Onemg, _, "confirmed") => Expected::Order {
            order_id: "PO29523371880004",
            status: OrderStatus::Confirmed,
            provider_status: None,
            tracking_number: None,
            tracking_url: None,
        },
        (ProviderName::Onemg, _, "order_not_found") => error(K::NotFound, None, "Order not found"),
        (ProviderName::Onemg, _, "order_cancelled_before_confirmation") => {
            error(K::Conflict, None, "Map payment to order operation failed")
        }
        (ProviderName::Fastpod, _, "docs_update_status_success") => Expected::Order {
            order_id: "F237-120723-000001",
            status: OrderStatus::Confirmed,
            provider_status: Some("new_order"),
            tracking_number: None,
            tracking_url: None,
        },
        // The Get Order page's example shows the same order, cancelled.
        (ProviderName::Fastpod, _, "docs_order") => Expected::Order {
            order_id: "F237-120723-000001",
            status: OrderStatus::Cancelled,
            provider_status: Some("cancelled"),
            tracking_number: None,
            tracking_url: None,
        },
        (ProviderName::Fastpod, _, "constructed_status_change_refused") => error(
            K::Conflict,
            None,
            "Only allowed to change the order status from draft or on_hold to new_order.",
        ),
        other => panic!("no expectation for {other:?}: add a row to tests/src/scenarios.rs"),
    }
}

impl Scenario {
    /// Every response example of this scenario's spec operation, each with its expectation.
    pub fn cases(&self) -> Vec<(ResponseExample, Expected)> {
        response_examples(self.provider.as_str(), self.operation_id)
            .into_iter()
            .map(|example| {
                let name = example
                    .label
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let expected = expected(self.provider, self.operation_id, &name);
                (example, expected)
            })
            .collect()
    }

    /// A mock that answers `example` only to exactly the documented request: method, path,
    /// query, credentials, body, and no `api-version` header.
    pub fn mock<'a>(&self, server: &'a MockServer, example: &ResponseExample) -> Mock<'a> {
        server.mock(|when, then| {
            let mut when = when
                .method(self.method)
                .path(self.path.clone())
                .header_missing("api-version");
            if let Some((name, value)) = self.query {
                when = when.query_param(name, value);
            }
            if let Some(body) = &self.body {
                when = when.json_body(body.clone());
            }
            for (name, value) in &self.headers {
                when = when.header(*name, value.clone());
            }
            example.serve(then);
        })
    }

    /// The environment the CLI (and `Provider::from_env`) reads for this provider.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        match self.provider {
            ProviderName::Fuuffy => vec![("FUUFFY_TOKEN", TOKEN.into())],
            ProviderName::Logitrail => vec![
                ("LOGITRAIL_MERCHANT_ID", LOGITRAIL_MERCHANT.into()),
                ("LOGITRAIL_SECRET", LOGITRAIL_SECRET.into()),
            ],
            ProviderName::Onemg => vec![
                ("ONEMG_TOKEN", TOKEN.into()),
                ("ONEMG_ACCESS_KEY", ONEMG_ACCESS_KEY.into()),
                ("ONEMG_MERCHANT_ID", ONEMG_MERCHANT_ID.into()),
            ],
            ProviderName::Fastpod => vec![("FASTPOD_TOKEN", TOKEN.into())],
            other => panic!("no environment for {other}"),
        }
    }
}
