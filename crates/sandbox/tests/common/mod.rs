//! Shared by the sandbox tests: starting a sandbox, and validating every recorded response
//! against its spec.

#![allow(dead_code)] // each test binary uses part of this module

use std::path::Path;

use ordergate::ProviderName;
use ordergate_codegen::Spec;
use ordergate_codegen::examples::SchemaValidator;
use ordergate_sandbox::Sandbox;

/// A sandbox on a free port, with the seeded orders.
pub async fn start() -> Sandbox {
    ordergate_sandbox::start()
        .await
        .expect("the sandbox starts")
}

/// The spec of `provider`, from the workspace's `specs/`.
pub fn spec(provider: ProviderName) -> Spec {
    let path = match provider {
        ProviderName::Fuuffy => concat!(env!("CARGO_MANIFEST_DIR"), "/../../specs/fuuffy.yaml"),
        ProviderName::Logitrail => {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../specs/logitrail.yaml")
        }
        ProviderName::Onemg => concat!(env!("CARGO_MANIFEST_DIR"), "/../../specs/onemg.yaml"),
        ProviderName::Fastpod => concat!(env!("CARGO_MANIFEST_DIR"), "/../../specs/fastpod.yaml"),
        other => panic!("no spec for {other}"),
    };
    Spec::load(Path::new(path)).expect("the spec loads")
}

/// Validates every response `sandbox` recorded that answers a spec operation against the
/// spec's schema for that operation and status; returns how many were validated. Fails on
/// any invalid body, and on any response without an operation unless `allow_unmatched`.
pub fn validate_every_response(sandbox: &Sandbox, allow_unmatched: bool) -> usize {
    let specs: Vec<(ProviderName, Spec, SchemaValidator)> = ProviderName::ALL
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
