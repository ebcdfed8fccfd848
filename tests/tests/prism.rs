//! Conformance against [Prism](https://github.com/stoplightio/prism), an OpenAPI mock server
//! written by others, so that our specs, generated clients and facade are checked by code that
//! does not share our mistakes. The tests are `#[ignore]`d, so a plain test run reports them as
//! skipped rather than passed: `cargo xtask conformance` starts Prism and runs them with
//! `cargo nextest run --run-ignored only`; run without Prism's URLs they fail. What each
//! operation asks of Prism and the report each test writes are in [`ordergate_tests::prism`].
//!
//! - **mock** (`ORDERGATE_PRISM_<PROVIDER>_URL`, a `prism mock --dynamic` of the provider's
//!   spec): every operation is called through the generated client and through the facade
//!   (when the facade uses the operation) at least [`RANDOM_SUCCESS_CALLS`] times with Prism's
//!   random schema-valid success bodies, then with random bodies for every documented error
//!   status (`Prefer: code=...`) and with every named response example (`Prefer: example=...`).
//!   Each answer must decode into the typed success or become a typed error (for the facade an
//!   [`ordergate::Error`] whose kind is not `decode`); never a decode failure or a panic. Prism
//!   validates every request we send: a violation comes back in its `sl-violations` header
//!   (checked on every generated-client call) and with an error status instead of the one asked
//!   for (checked on every call); the xtask also counts the violations in Prism's log.
//! - **proxy** (`ORDERGATE_PRISM_PROXY_<PROVIDER>_URL`, a `prism proxy --errors` in front of
//!   `ordergate sandbox`; `ORDERGATE_PRISM_PROXY_<PROVIDER>_ORDERS`, the confirmable order ids
//!   it printed; the credentials in the provider's usual environment variables, as its `export`
//!   lines set them): the facade looks up, confirms and re-confirms every order, and meets an
//!   unknown order and refused credentials, through Prism; no request or response violates
//!   the spec.
//!
//! With `ORDERGATE_PRISM_REPORT_DIR` set, each test writes its counts there as JSON
//! (`mock-<provider>.json`, `proxy-<provider>.json`) for the xtask's closing numbers.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use ordergate::sdk::{fastpod, fuuffy, logitrail, onemg};
use ordergate::{
    ConfirmRequest, ErrorKind, FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter,
    Order, OrderProvider, Overrides, Provider, ProviderName,
};
use ordergate_runtime::{Auth, ClientConfig, RetryPolicy, Transport, observe};
use ordergate_tests::credentials::{LOGITRAIL_MERCHANT, LOGITRAIL_SECRET, ONEMG_ACCESS_KEY, TOKEN};
use ordergate_tests::prism::{Checked, Outcome, Prefer, RANDOM_SUCCESS_CALLS, Report, plan};
use ordergate_tests::scenarios::{FacadeCall, ONEMG_MERCHANT_ID, Scenario, scenarios};
use ordergate_tests::{parameter_example, request_examples, spec};
use serde_json::Value;

/// The header in which Prism lists the violations of a request (and, as a proxy, a response).
const VIOLATIONS_HEADER: &str = "sl-violations";

/// Why the tests here are ignored in a plain test run.
const NEEDS_PRISM: &str = "needs Prism: run by cargo xtask conformance";

/// The URL of the Prism `kind` (`""` mock, `PROXY_` proxy) for `provider`, as
/// `cargo xtask conformance` sets it; a test run without it fails (the tests are `#[ignore]`d
/// so that a plain test run does not count them as passed).
fn env_url(kind: &str, provider: ProviderName) -> String {
    let name = format!("ORDERGATE_PRISM_{kind}{}_URL", provider.env_prefix());
    std::env::var(&name)
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| panic!("{name} is not set: this test {NEEDS_PRISM}"))
}

// ---------------------------------------------------------------------------------------------
// What came back.

/// Runs `call`, turning a panic into a failure.
async fn unwinding<F: Future<Output = Checked>>(call: F) -> Checked {
    match AssertUnwindSafe(call).catch_unwind().await {
        Ok(checked) => checked,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Checked::failure(format!("panicked: {message}"))
        }
    }
}

/// Checks one generated-client call: the typed success or a typed error response with the
/// status asked for; the `sl-violations` header of the response is reported. (Every provider
/// crate re-exports the same `progenitor_client` `ResponseValue` and `Error`.)
async fn client_call<T: Debug, E: Debug>(
    prefer: &Prefer,
    call: impl Future<Output = Result<fuuffy::ResponseValue<T>, fuuffy::Error<E>>>,
) -> Checked {
    let (result, meta) = observe(call).await;
    let violation = meta.as_ref().and_then(|meta| {
        meta.headers
            .get(VIOLATIONS_HEADER)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    });
    let outcome = match (result, prefer.status()) {
        (Ok(response), None) if response.status().is_success() => Ok(Outcome::Success),
        (Ok(response), Some(wanted)) if response.status().as_u16() == wanted => {
            Ok(Outcome::Success)
        }
        (Err(fuuffy::Error::ErrorResponse(response)), Some(wanted))
            if response.status().as_u16() == wanted =>
        {
            Ok(Outcome::TypedError)
        }
        (Ok(response), _) => Err(format!("unexpected success status {}", response.status())),
        (Err(fuuffy::Error::ErrorResponse(response)), _) => Err(format!(
            "error status {} instead of the one asked for (a request violation?): {:?}",
            response.status(),
            response.into_inner()
        )),
        (Err(fuuffy::Error::InvalidResponsePayload(body, error)), _) => Err(format!(
            "decode failure ({error}); body: {}",
            String::from_utf8_lossy(&body)
        )),
        (Err(error), _) => Err(format!("not a typed outcome: {error}")),
    };
    Checked { outcome, violation }
}

/// Checks one facade call: an `Order`, or an error whose kind is not `decode`, carrying the
/// status asked for.
fn facade_outcome(prefer: &Prefer, result: Result<Order, ordergate::Error>) -> Checked {
    let outcome = match result {
        Ok(_) => Ok(Outcome::Success),
        Err(error) if error.kind == ErrorKind::Decode => Err(format!("decode failure: {error}")),
        Err(error) => match (error.http_status, prefer.status()) {
            // A failure flag inside a success body (1mg `is_success: false`, ...).
            (Some(status), None) if (200..300).contains(&status) => Ok(Outcome::TypedError),
            (Some(status), Some(wanted)) if status == wanted => Ok(Outcome::TypedError),
            (status, _) => Err(format!(
                "typed error with HTTP status {status:?} where {} was asked for (a request violation?): {error}",
                prefer.label()
            )),
        },
    };
    Checked {
        outcome,
        violation: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Clients pointed at Prism.

fn config() -> ClientConfig {
    // No retries: every call is exactly one request, and a random 429 or 503 is an answer.
    ClientConfig::default().with_retry(RetryPolicy::none())
}

/// The HTTP client and transport of a generated client that sends `prefer` to Prism.
fn http(base_url: &str, auth: Auth, prefer: &Prefer) -> (reqwest::Client, Transport) {
    let transport =
        Transport::build(base_url, auth, &config()).expect("a loopback URL builds a transport");
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(value) = prefer.header() {
        headers.insert(
            "prefer",
            value.parse().expect("a Prefer header is a valid value"),
        );
    }
    // The house policy (no redirects, connect timeout, user agent) plus the Prefer header.
    let client = ordergate_runtime::http_client_builder(&config())
        .default_headers(headers)
        .build()
        .expect("an HTTP client builds");
    (client, transport)
}

fn fuuffy_client(base_url: &str, prefer: &Prefer) -> fuuffy::Client {
    let (http, transport) = http(base_url, Auth::bearer(TOKEN), prefer);
    fuuffy::Client::new_with_client(base_url, http, transport)
}

fn logitrail_client(base_url: &str, prefer: &Prefer) -> logitrail::Client {
    let auth: Auth = logitrail::Credentials::new(LOGITRAIL_MERCHANT, LOGITRAIL_SECRET).into();
    let (http, transport) = http(base_url, auth, prefer);
    logitrail::Client::new_with_client(base_url, http, transport)
}

fn onemg_client(base_url: &str, prefer: &Prefer) -> onemg::Client {
    let auth: Auth = onemg::Credentials::new(TOKEN, ONEMG_ACCESS_KEY).into();
    let (http, transport) = http(base_url, auth, prefer);
    onemg::Client::new_with_client(base_url, http, transport)
}

fn fastpod_client(base_url: &str, prefer: &Prefer) -> fastpod::Client {
    let (http, transport) = http(base_url, Auth::bearer(TOKEN), prefer);
    fastpod::Client::new_with_client(base_url, http, transport)
}

/// The facade over the generated client of `provider`, pointed at Prism.
fn facade(provider: ProviderName, base_url: &str, prefer: &Prefer) -> Provider {
    match provider {
        ProviderName::Fuuffy => {
            Provider::Fuuffy(FuuffyAdapter::from_client(fuuffy_client(base_url, prefer)))
        }
        ProviderName::Logitrail => Provider::Logitrail(LogitrailAdapter::from_client(
            logitrail_client(base_url, prefer),
        )),
        ProviderName::Onemg => Provider::Onemg(OnemgAdapter::from_client(
            onemg_client(base_url, prefer),
            ONEMG_MERCHANT_ID,
        )),
        ProviderName::Fastpod => Provider::Fastpod(FastpodAdapter::from_client(fastpod_client(
            base_url, prefer,
        ))),
        other => panic!("no facade adapter for {other}"),
    }
}

/// The request inputs of every operation of a provider, read from its spec's examples once.
struct Inputs {
    provider: ProviderName,
    /// (operation, example name) -> request body example.
    bodies: BTreeMap<(String, String), Value>,
    /// (operation, parameter) -> parameter example.
    parameters: BTreeMap<(String, String), Value>,
    /// FastPOD's order id parameter has no example: the id of the facade scenario.
    fastpod_order_id: String,
}

impl Inputs {
    fn load(provider: ProviderName) -> Self {
        let name = provider.as_str();
        let mut bodies = BTreeMap::new();
        let mut parameters = BTreeMap::new();
        let spec = spec(name);
        for (_, _, operation) in spec.operations() {
            let operation_id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default();
            for (example, value) in request_examples(name, operation_id) {
                bodies.insert((operation_id.to_owned(), example), value);
            }
            let declared = operation.get("parameters").and_then(Value::as_array);
            for parameter in declared.into_iter().flatten() {
                let parameter = spec.resolve(parameter);
                let has_example =
                    parameter.get("examples").is_some() || parameter.get("example").is_some();
                if let (true, Some(parameter)) =
                    (has_example, parameter.get("name").and_then(Value::as_str))
                {
                    let value = parameter_example(name, operation_id, parameter);
                    parameters.insert((operation_id.to_owned(), parameter.to_owned()), value);
                }
            }
        }
        let fastpod_order_id = scenarios()
            .into_iter()
            .find(|s| s.provider == ProviderName::Fastpod)
            .map(|s| s.order_id.to_owned())
            .unwrap_or_default();
        Self {
            provider,
            bodies,
            parameters,
            fastpod_order_id,
        }
    }

    /// Request body example `name` of `operation_id`, as the generated type.
    fn body<T: serde::de::DeserializeOwned>(&self, operation_id: &str, name: &str) -> T {
        let key = (operation_id.to_owned(), name.to_owned());
        let value = self.bodies.get(&key).cloned().unwrap_or_else(|| {
            panic!(
                "{} {operation_id}: no request example {name}",
                self.provider
            )
        });
        serde_json::from_value(value)
            .unwrap_or_else(|e| panic!("{} {operation_id} example {name}: {e}", self.provider))
    }

    /// The names of the request body examples of `operation_id`.
    fn body_names(&self, operation_id: &str) -> Vec<&str> {
        self.bodies
            .keys()
            .filter(|(op, _)| op == operation_id)
            .map(|(_, name)| name.as_str())
            .collect()
    }

    /// The example of string parameter `parameter` of `operation_id`.
    fn parameter(&self, operation_id: &str, parameter: &str) -> String {
        let key = (operation_id.to_owned(), parameter.to_owned());
        self.parameters
            .get(&key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                panic!(
                    "{} {operation_id}: no example for parameter {parameter}",
                    self.provider
                )
            })
    }
}

/// Calls `operation_id` of the generated client inside `facade` once; the `call`-th call of a series (it picks
/// which request example to send when there are several).
async fn generated_call(
    inputs: &Inputs,
    facade: &Provider,
    prefer: &Prefer,
    operation_id: &str,
    call: usize,
) -> Checked {
    match (facade, operation_id) {
        (Provider::Fuuffy(adapter), "create_access_token") => {
            let client = adapter.client();
            let request: fuuffy::types::TokenRequest =
                inputs.body(operation_id, "authentication_page_curl");
            client_call(prefer, client.create_access_token().body(request).send()).await
        }
        (Provider::Fuuffy(adapter), "confirm_order") => {
            let client = adapter.client();
            let request: fuuffy::types::ConfirmOrderRequest =
                inputs.body(operation_id, "docs_request");
            client_call(prefer, client.confirm_order().body(request).send()).await
        }
        (Provider::Fuuffy(adapter), "get_order") => {
            let client = adapter.client();
            let id = inputs.parameter(operation_id, "id");
            client_call(prefer, client.get_order().id(id).send()).await
        }
        (Provider::Fuuffy(adapter), "get_rates") => {
            let client = adapter.client();
            let request: fuuffy::types::RatesRequest = inputs.body(operation_id, "docs_request");
            client_call(prefer, client.get_rates().body(request).send()).await
        }
        (Provider::Fuuffy(adapter), "create_order") => {
            let client = adapter.client();
            // The local and the international example in turn.
            let names = inputs.body_names(operation_id);
            let name = names[call % names.len()];
            let request: fuuffy::types::CreateOrderRequest = inputs.body(operation_id, name);
            client_call(prefer, client.create_order().body(request).send()).await
        }
        (Provider::Fuuffy(adapter), "list_orders") => {
            let client = adapter.client();
            let number = |parameter: &str| {
                inputs.parameters[&(operation_id.to_owned(), parameter.to_owned())]
                    .as_u64()
                    .unwrap_or_default()
            };
            let send = client
                .list_orders()
                .order_status(inputs.parameter(operation_id, "order_status"))
                .start_date(inputs.parameter(operation_id, "start_date"))
                .end_date(inputs.parameter(operation_id, "end_date"))
                .sort_key(inputs.parameter(operation_id, "sort_key"))
                .sort_dir(inputs.parameter(operation_id, "sort_dir"))
                .page(u32::try_from(number("page")).unwrap_or_default())
                .limit(u8::try_from(number("limit")).unwrap_or_default())
                .send();
            client_call(prefer, send).await
        }
        (Provider::Fuuffy(adapter), "get_tracking") => {
            let client = adapter.client();
            let id = inputs.parameter(operation_id, "order_id");
            client_call(prefer, client.get_tracking().order_id(id).send()).await
        }
        (Provider::Fuuffy(adapter), "get_tracking_by_number") => {
            let client = adapter.client();
            let number = inputs.parameter(operation_id, "tracking_number");
            let send = client
                .get_tracking_by_number()
                .tracking_number(number)
                .send();
            client_call(prefer, send).await
        }
        (Provider::Fuuffy(adapter), "list_states_and_cities") => {
            let client = adapter.client();
            let country = inputs.parameter(operation_id, "country");
            let send = client.list_states_and_cities().country(country).send();
            client_call(prefer, send).await
        }
        (Provider::Logitrail(adapter), "confirm_order") => {
            let client = adapter.client();
            let request = client
                .confirm_order()
                .id(inputs.parameter(operation_id, "id"));
            // Every request example in turn, and every so often no body at all.
            let names = inputs.body_names(operation_id);
            match names.get(call % (names.len() + 1)) {
                Some(name) => {
                    let update: logitrail::types::OrderUpdate = inputs.body(operation_id, name);
                    client_call(prefer, request.body(update).send()).await
                }
                None => client_call(prefer, request.send()).await,
            }
        }
        (Provider::Logitrail(adapter), operation_id) if operation_id != "confirm_order" => {
            logitrail_call(inputs, adapter.client(), prefer, operation_id, call).await
        }
        (Provider::Onemg(adapter), operation_id) => {
            onemg_call(inputs, adapter.client(), prefer, operation_id).await
        }
        (Provider::Fastpod(adapter), operation_id) => {
            fastpod_call(inputs, adapter.client(), prefer, operation_id, call).await
        }
        (facade, operation_id) => Checked::failure(format!(
            "{} {operation_id}: an operation this test does not call; add it",
            facade.provider()
        )),
    }
}

/// Calls Tata 1mg's `operation_id` once, with its request example.
async fn onemg_call(
    inputs: &Inputs,
    client: &onemg::Client,
    prefer: &Prefer,
    operation_id: &str,
) -> Checked {
    use onemg::types;
    match operation_id {
        "create_order" => {
            let request: types::CreateOrderRequest =
                inputs.body(operation_id, "constructed_cod_order");
            let send = client
                .create_order()
                .merchant_id(ONEMG_MERCHANT_ID)
                .body(request)
                .send();
            client_call(prefer, send).await
        }
        "confirm_order" => {
            let request: types::ConfirmOrderRequest = inputs.body(operation_id, "confirm_order");
            let send = client
                .confirm_order()
                .merchant_id(ONEMG_MERCHANT_ID)
                .merchant_confirm_1mg_id(request.order_id.clone())
                .body(request)
                .send();
            client_call(prefer, send).await
        }
        "cancel_order" => {
            let request: types::CancelOrderRequest =
                inputs.body(operation_id, "docs_cancel_request");
            let send = client
                .cancel_order()
                .merchant_id(ONEMG_MERCHANT_ID)
                .body(request)
                .send();
            client_call(prefer, send).await
        }
        other => Checked::failure(format!(
            "onemg {other}: an operation this test does not call; add it"
        )),
    }
}

/// Calls FastPOD's `operation_id` once; the `call`-th call picks the filters of a listing.
async fn fastpod_call(
    inputs: &Inputs,
    client: &fastpod::Client,
    prefer: &Prefer,
    operation_id: &str,
    call: usize,
) -> Checked {
    use fastpod::types;
    let id = || inputs.fastpod_order_id.clone();
    match operation_id {
        "list_orders" => {
            // The first page with no filter, then every filter at once.
            let request = client.list_orders().page(1_u64).limit(25_u64);
            let send = if call.is_multiple_of(2) {
                request.send()
            } else {
                request
                    .status(types::OrderStatus::Draft)
                    .search("FAS105-111423-000006")
                    .start_date("2023-01-01")
                    .end_date("2023-12-31")
                    .shipping_method(1_u64)
                    .order_type(1_u64)
                    .payment_method(types::PaymentMethod::Cash)
                    .payment_status(types::PaymentStatus::Unpaid)
                    .send()
            };
            client_call(prefer, send).await
        }
        "get_order" => client_call(prefer, client.get_order().id(id()).send()).await,
        "create_order" => {
            let request: types::OrderRequest = inputs.body(operation_id, "docs_create_request");
            client_call(prefer, client.create_order().body(request).send()).await
        }
        "update_order" => {
            let request: types::UpdateOrderRequest =
                inputs.body(operation_id, "docs_update_request");
            let send = client.update_order().id(id()).body(request).send();
            client_call(prefer, send).await
        }
        "update_order_status" => {
            let request: types::UpdateOrderStatusRequest =
                inputs.body(operation_id, "docs_update_status_request");
            let send = client.update_order_status().id(id()).body(request).send();
            client_call(prefer, send).await
        }
        "cancel_order" => client_call(prefer, client.cancel_order().id(id()).send()).await,
        "estimate_order_price" => {
            let request: types::EstimateRequest =
                inputs.body(operation_id, "docs_estimate_request");
            client_call(prefer, client.estimate_order_price().body(request).send()).await
        }
        "estimate_line_item_price" => {
            let request: types::LineItemEstimateRequest =
                inputs.body(operation_id, "docs_line_item_request");
            let send = client.estimate_line_item_price().body(request).send();
            client_call(prefer, send).await
        }
        other => Checked::failure(format!(
            "fastpod {other}: an operation this test does not call; add it"
        )),
    }
}

/// Calls Logitrail's `operation_id` (any but confirm) once; the `call`-th call picks the
/// request example.
async fn logitrail_call(
    inputs: &Inputs,
    client: &logitrail::Client,
    prefer: &Prefer,
    operation_id: &str,
    call: usize,
) -> Checked {
    use logitrail::types;
    // Every request example in turn.
    let body = |operation_id: &str| {
        let names = inputs.body_names(operation_id);
        names
            .get(call % names.len().max(1))
            .map(|name| name.to_string())
            .unwrap_or_else(|| panic!("logitrail {operation_id}: no request example"))
    };
    let order_id = || inputs.parameter(operation_id, "id");
    let text = |parameter: &str| inputs.parameter(operation_id, parameter);
    let number = |parameter: &str| {
        inputs.parameters[&(operation_id.to_owned(), parameter.to_owned())]
            .as_u64()
            .unwrap_or_default()
    };
    match operation_id {
        "create_order" => {
            let order: types::OrderUpdate = inputs.body(operation_id, &body(operation_id));
            client_call(prefer, client.create_order().body(order).send()).await
        }
        "update_order" => {
            let order: types::OrderUpdate = inputs.body(operation_id, &body(operation_id));
            let send = client.update_order().id(order_id()).body(order).send();
            client_call(prefer, send).await
        }
        "delete_order" => client_call(prefer, client.delete_order().id(order_id()).send()).await,
        "delete_order_by_post" => {
            client_call(prefer, client.delete_order_by_post().id(order_id()).send()).await
        }
        "get_order_shipping_options" => {
            let send = client.get_order_shipping_options().id(order_id()).send();
            client_call(prefer, send).await
        }
        "list_returns" => {
            let send = client
                .list_returns()
                .status(text("status"))
                .created_at_min(text("created_at_min"))
                .created_at_max(text("created_at_max"))
                .offset(number("offset"))
                .limit(number("limit"))
                .send();
            client_call(prefer, send).await
        }
        "get_shipping_options" => {
            let send = client
                .get_shipping_options()
                .postalcode(text("postalcode"))
                .country(text("country"))
                .weight(number("weight"))
                .send();
            client_call(prefer, send).await
        }
        "list_pickup_points" => {
            let send = client
                .list_pickup_points()
                .postalcode(text("postalcode"))
                .country(text("country"))
                .send();
            client_call(prefer, send).await
        }
        "upsert_product" => {
            let product: types::ProductDocument = inputs.body(operation_id, &body(operation_id));
            client_call(prefer, client.upsert_product().body(product).send()).await
        }
        "get_inventory" => {
            let ids: Vec<String> = serde_json::from_value(
                inputs.parameters[&(operation_id.to_owned(), "merchants_id_list[]".to_owned())]
                    .clone(),
            )
            .expect("a list of ids");
            // One product, then several, then a page of recent movements.
            let send = match call % 3 {
                0 => client.get_inventory().merchants_id(text("merchants_id")),
                1 => client.get_inventory().merchants_id_list(ids),
                _ => client
                    .get_inventory()
                    .after(text("after"))
                    .offset(number("offset"))
                    .limit(number("limit")),
            }
            .send();
            client_call(prefer, send).await
        }
        "query_inventory" => {
            let query: types::InventoryQuery = inputs.body(operation_id, &body(operation_id));
            client_call(prefer, client.query_inventory().body(query).send()).await
        }
        "create_inbound_shipment" => {
            let shipment: types::InboundShipmentRequest =
                inputs.body(operation_id, &body(operation_id));
            client_call(
                prefer,
                client.create_inbound_shipment().body(shipment).send(),
            )
            .await
        }
        "update_inbound_shipment" => {
            let shipment: types::InboundShipmentRequest =
                inputs.body(operation_id, &body(operation_id));
            let send = client
                .update_inbound_shipment()
                .id(order_id())
                .body(shipment)
                .send();
            client_call(prefer, send).await
        }
        "get_inbound_shipment" => {
            client_call(prefer, client.get_inbound_shipment().id(order_id()).send()).await
        }
        "confirm_inbound_shipment" => {
            let request = client.confirm_inbound_shipment().id(order_id());
            // The example body, and every other call none (it is optional).
            if call.is_multiple_of(2) {
                let shipment: types::InboundShipmentRequest =
                    inputs.body(operation_id, &body(operation_id));
                client_call(prefer, request.body(shipment).send()).await
            } else {
                client_call(prefer, request.send()).await
            }
        }
        "delete_inbound_shipment" => {
            client_call(
                prefer,
                client.delete_inbound_shipment().id(order_id()).send(),
            )
            .await
        }
        "delete_inbound_shipment_by_post" => {
            let send = client
                .delete_inbound_shipment_by_post()
                .id(order_id())
                .send();
            client_call(prefer, send).await
        }
        "estimate_costs" => {
            let request: types::CostsRequest = inputs.body(operation_id, &body(operation_id));
            client_call(prefer, client.estimate_costs().body(request).send()).await
        }
        other => Checked::failure(format!(
            "logitrail {other}: an operation this test does not call; add it"
        )),
    }
}

/// Calls the facade operation of `scenario` once.
async fn facade_call(scenario: &Scenario, provider: &Provider) -> Result<Order, ordergate::Error> {
    match scenario.call {
        FacadeCall::Confirm => {
            let mut request = ConfirmRequest::new(scenario.order_id);
            request.merchant_order_id = scenario.merchant_order_id.map(str::to_owned);
            provider.confirm_order(&request).await
        }
        FacadeCall::Get => provider.get_order(scenario.order_id).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Prism mock, dynamic mode.

async fn against_prism_mock(provider: ProviderName) {
    let base_url = env_url("", provider);
    let name = provider.as_str();
    let inputs = Inputs::load(provider);
    let all_scenarios = scenarios();
    let mut report = Report::default();
    for (_, _, operation) in spec(name).operations() {
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let scenario = all_scenarios
            .iter()
            .find(|s| s.provider == provider && s.operation_id == operation_id);
        for (prefer, calls) in plan(name, operation_id) {
            let label = format!("{name} {operation_id} [{}]", prefer.label());
            // One client per `Prefer`: the facade's adapter holds the generated client.
            let facade = facade(provider, &base_url, &prefer);
            for call in 0..calls {
                let checked = unwinding(generated_call(
                    &inputs,
                    &facade,
                    &prefer,
                    operation_id,
                    call,
                ))
                .await;
                report.record(operation_id, "client", &label, checked);
                if let Some(scenario) = scenario {
                    let checked = unwinding(async {
                        facade_outcome(&prefer, facade_call(scenario, &facade).await)
                    })
                    .await;
                    report.record(operation_id, "facade", &label, checked);
                }
            }
        }
        // Every operation through the generated client; through the facade when it uses it.
        for path in ["client", "facade"] {
            let calls = report.calls_of(operation_id, path);
            if path == "client" || scenario.is_some() {
                assert!(
                    calls >= RANDOM_SUCCESS_CALLS,
                    "{name} {operation_id} via {path}: {calls} calls"
                );
            }
        }
    }
    report.finish("mock", provider.as_str());
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn fuuffy_against_prism_mock() {
    against_prism_mock(ProviderName::Fuuffy).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn logitrail_against_prism_mock() {
    against_prism_mock(ProviderName::Logitrail).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn onemg_against_prism_mock() {
    against_prism_mock(ProviderName::Onemg).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn fastpod_against_prism_mock() {
    against_prism_mock(ProviderName::Fastpod).await;
}

// ---------------------------------------------------------------------------------------------
// Prism as a validating proxy in front of the sandbox.

/// Well-formed order ids the sandbox does not know, for the documented "not found" answers.
fn unknown_order(provider: ProviderName) -> &'static str {
    match provider {
        ProviderName::Fuuffy => "9999999",
        ProviderName::Logitrail => "ffffffffffffffffffffffff",
        ProviderName::Onemg => "PO99999999999999",
        _ => "F999-999999-999999",
    }
}

/// The provider's own environment variable `name`, as the sandbox printed it.
fn sandbox_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (the sandbox prints it)"))
}

/// The facade for `provider` through the proxy, with credentials the sandbox refuses.
fn refused_credentials(provider: ProviderName, proxy_url: &str) -> Provider {
    let wrong = "not-the-sandbox-credential";
    let built = match provider {
        ProviderName::Fuuffy => FuuffyAdapter::builder()
            .token(wrong)
            .base_url(proxy_url)
            .build()
            .map(Provider::Fuuffy),
        ProviderName::Logitrail => LogitrailAdapter::builder()
            .merchant_id(sandbox_var("LOGITRAIL_MERCHANT_ID"))
            .secret(wrong)
            .base_url(proxy_url)
            .build()
            .map(Provider::Logitrail),
        ProviderName::Onemg => OnemgAdapter::builder()
            .token(wrong)
            .access_key(sandbox_var("ONEMG_ACCESS_KEY"))
            .merchant_id(sandbox_var("ONEMG_MERCHANT_ID"))
            .base_url(proxy_url)
            .build()
            .map(Provider::Onemg),
        _ => FastpodAdapter::builder()
            .token(wrong)
            .base_url(proxy_url)
            .build()
            .map(Provider::Fastpod),
    };
    built.expect("a loopback proxy URL builds")
}

/// A facade call through the proxy: `must_succeed` calls must return an `Order`; every call
/// must end as an `Order` or a typed error that is not Prism's own error response (which
/// `--errors` sends instead of a request or response that violates the spec).
fn proxied(result: Result<Order, ordergate::Error>, must_succeed: bool) -> Checked {
    const PRISM_ERROR: &str = "stoplight.io/prism/errors";
    let (outcome, violation) = match result {
        Ok(_) => (Ok(Outcome::Success), None),
        Err(error) if error.message.contains(PRISM_ERROR) => (
            Err(format!("Prism refused the exchange: {error}")),
            Some(error.message.clone()),
        ),
        Err(error) if error.kind == ErrorKind::Decode => {
            (Err(format!("decode failure: {error}")), None)
        }
        Err(error) if must_succeed => (Err(format!("expected an order, got: {error}")), None),
        Err(_) => (Ok(Outcome::TypedError), None),
    };
    Checked { outcome, violation }
}

async fn through_prism_proxy(provider: ProviderName) {
    let test = format!("prism proxy {provider}");
    let proxy_url = env_url("PROXY_", provider);
    let orders_var = format!("ORDERGATE_PRISM_PROXY_{}_ORDERS", provider.env_prefix());
    let orders: Vec<String> = std::env::var(&orders_var)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert!(
        !orders.is_empty(),
        "{orders_var} lists no confirmable order"
    );
    // The facade exactly as an application configures it (credentials from the environment),
    // aimed at Prism instead of the sandbox.
    let overrides = Overrides::new(Some(proxy_url.clone()), None);
    let facade = Provider::from_env_with(provider, &overrides)
        .unwrap_or_else(|e| panic!("{test}: the sandbox's settings build the facade: {e}"));
    let refused = refused_credentials(provider, &proxy_url);
    let all_scenarios = scenarios();
    let operation = |call: FacadeCall| {
        all_scenarios
            .iter()
            .find(|s| s.provider == provider && s.call == call)
            .map_or("", |s| s.operation_id)
    };
    let (confirm_op, get_op) = (operation(FacadeCall::Confirm), operation(FacadeCall::Get));
    let lookup = facade
        .capabilities()
        .contains(ordergate::Operation::GetOrder);
    let confirm = |id: &str| {
        let request = ConfirmRequest::new(id);
        match ordergate_sandbox::onemg::merchant_order_id(id) {
            Some(merchant_order_id) if provider == ProviderName::Onemg => {
                request.with_merchant_order_id(merchant_order_id)
            }
            _ => request,
        }
    };
    let mut report = Report::default();
    for id in &orders {
        let label = format!("{provider} order {id}");
        if lookup {
            let checked = proxied(facade.get_order(id).await, true);
            report.record(get_op, "facade", &format!("{label} before"), checked);
        }
        let checked = proxied(facade.confirm_order(&confirm(id)).await, true);
        report.record(confirm_op, "facade", &format!("{label} confirm"), checked);
        if lookup {
            let checked = proxied(facade.get_order(id).await, true);
            report.record(get_op, "facade", &format!("{label} after"), checked);
        }
        // Confirmed already: the provider's documented refusal.
        let checked = proxied(facade.confirm_order(&confirm(id)).await, false);
        report.record(confirm_op, "facade", &format!("{label} again"), checked);
    }
    let unknown = unknown_order(provider);
    let checked = proxied(facade.confirm_order(&confirm(unknown)).await, false);
    report.record(
        confirm_op,
        "facade",
        &format!("{provider} unknown order"),
        checked,
    );
    if lookup {
        let checked = proxied(facade.get_order(unknown).await, false);
        report.record(
            get_op,
            "facade",
            &format!("{provider} unknown order"),
            checked,
        );
    }
    let id = orders.first().map_or(unknown, String::as_str);
    let checked = proxied(refused.confirm_order(&confirm(id)).await, false);
    report.record(
        confirm_op,
        "facade",
        &format!("{provider} refused credentials"),
        checked,
    );
    report.finish("proxy", provider.as_str());
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn fuuffy_through_prism_proxy() {
    through_prism_proxy(ProviderName::Fuuffy).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn logitrail_through_prism_proxy() {
    through_prism_proxy(ProviderName::Logitrail).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn onemg_through_prism_proxy() {
    through_prism_proxy(ProviderName::Onemg).await;
}

#[tokio::test]
#[ignore = "needs Prism: run by cargo xtask conformance"]
async fn fastpod_through_prism_proxy() {
    through_prism_proxy(ProviderName::Fastpod).await;
}
