//! Shared by the sandbox tests: starting a sandbox, and validating every recorded response
//! against its spec.

#![allow(dead_code)] // each test binary uses part of this module
#![allow(clippy::result_large_err)] // the facade's error, as the facade returns it

pub mod codaone;

use std::path::Path;
use std::time::Duration;

use ordergate::{ConfirmRequest, Provider, ProviderName};
use ordergate_codegen::Spec;
use ordergate_codegen::examples::SchemaValidator;
use ordergate_sandbox::Sandbox;

/// The facade over the sandbox: what the CLI's demo does, for the tests.
pub trait SandboxExt {
    /// The facade's adapter for `provider`, built from the sandbox's settings.
    fn provider(&self, provider: ProviderName) -> Result<Provider, ordergate::Error>;
    /// Like [`SandboxExt::provider`], with `changes` (key, value) winning over the sandbox's
    /// settings (wrong credentials, to see the provider refuse them).
    fn provider_with(
        &self,
        provider: ProviderName,
        changes: &[(&str, &str)],
    ) -> Result<Provider, ordergate::Error>;
    /// The confirm of `provider`'s order `id`, with the merchant order id the sandbox expects
    /// where the provider needs one.
    fn confirm_request(&self, provider: ProviderName, id: &str) -> ConfirmRequest;
}

impl SandboxExt for Sandbox {
    fn provider(&self, provider: ProviderName) -> Result<Provider, ordergate::Error> {
        self.provider_with(provider, &[])
    }

    fn provider_with(
        &self,
        provider: ProviderName,
        changes: &[(&str, &str)],
    ) -> Result<Provider, ordergate::Error> {
        let settings = self
            .settings(provider)
            .expect("the sandbox plays every provider");
        let changes = changes
            .iter()
            .map(|(key, value)| (*key, (*value).to_owned()));
        Provider::from_options(provider, settings.into_iter().chain(changes))
    }

    fn confirm_request(&self, provider: ProviderName, id: &str) -> ConfirmRequest {
        let mut request = ConfirmRequest::new(id);
        request.merchant_order_id = self.merchant_order_id(provider, id);
        request
    }
}

/// A sandbox on a free port, with the seeded orders.
pub async fn start() -> Sandbox {
    ordergate_sandbox::start()
        .await
        .expect("the sandbox starts")
}

/// The spec of `provider`, from the workspace's `specs/`.
pub fn spec(provider: &str) -> Spec {
    let path = format!("{}/../../specs/{provider}.yaml", env!("CARGO_MANIFEST_DIR"));
    Spec::load(Path::new(&path)).expect("the spec loads")
}

/// The request-body example `name` of `operation_id` in `provider`'s spec.
pub fn request_example(provider: &str, operation_id: &str, name: &str) -> serde_json::Value {
    ordergate_codegen::examples::examples(&spec(provider))
        .into_iter()
        .find(|e| {
            e.operation_id == operation_id
                && e.kind == ordergate_codegen::examples::ExampleKind::Request
                && e.name == name
        })
        .unwrap_or_else(|| panic!("no {operation_id} request example {name} in {provider}"))
        .value
}

/// Validates every response `sandbox` recorded that answers a spec operation against the
/// spec's schema for that operation and status; returns how many were validated. Fails on
/// any invalid body, and on any response without an operation unless `allow_unmatched`.
pub fn validate_every_response(sandbox: &Sandbox, allow_unmatched: bool) -> usize {
    let specs: Vec<(&str, Spec, SchemaValidator)> = sandbox
        .providers()
        .into_iter()
        .map(|provider| {
            let spec = spec(provider);
            let validator = SchemaValidator::new(&spec);
            (provider, spec, validator)
        })
        .collect();
    let mut failures = Vec::new();
    let mut validated = 0;
    for response in sandbox.responses() {
        let (Some(provider), Some(operation_id)) = (response.provider, response.operation_id)
        else {
            if !allow_unmatched {
                failures.push(format!("not an operation: {response:?}"));
            }
            continue;
        };
        let (_, spec, validator) = specs
            .iter()
            .find(|(p, _, _)| *p == provider)
            .expect("every provider has a spec");
        if let Err(error) =
            validator.validate_response(spec, operation_id, response.status, &response.body)
        {
            failures.push(format!(
                "{provider} {operation_id} {} {}: {error}\nbody: {}",
                response.method, response.status, response.body
            ));
        }
        validated += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    validated
}

/// A raw HTTP client for requests the typed clients cannot send, with `timeout` for the whole
/// request. reqwest is built without a default rustls provider (the workspace uses ring); the
/// provider clients install it, but a test may build its raw client first.
pub fn http_with_timeout(timeout: Duration) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .expect("a client")
}

/// [`http_with_timeout`] of 10 seconds.
pub fn http() -> reqwest::Client {
    http_with_timeout(Duration::from_secs(10))
}

/// Sends `request`; the status and JSON body of the answer.
pub async fn send(request: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let body = response.json().await.expect("a JSON body");
    (status, body)
}
