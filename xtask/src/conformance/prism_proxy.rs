//! Step 3: Prism as a validating proxy (`--errors`) in front of the sandbox, one per spec:
//! `tests/tests/prism.rs` drives the facade through it (look up, confirm, confirm again, an
//! unknown order, refused credentials); Prism checks every request and response.

use anyhow::Result;
use serde_json::Value;

use super::Ctx;
use super::prism::{
    PrismMode, collect_prism_logs, operation_calls, run_tests, start_prism, test_report,
};
use super::report::StepReport;
use super::sandbox::Sandbox;
use super::tools::Tools;

/// The Prism proxy tests (package `ordergate-tests`, test binary `prism`), as a nextest filterset.
const PRISM_PROXY_TESTS: &str = "binary_id(ordergate-tests::prism) & test(/_through_prism_proxy$/)";

pub(super) fn run(ctx: &Ctx, tools: &Tools) -> Result<StepReport> {
    let sandbox = Sandbox::start(ctx)?;
    let mut prisms = Vec::new();
    let mut env: Vec<(String, String)> = sandbox
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for spec in &ctx.specs {
        let upstream = sandbox.base_url(spec)?;
        let (prism, url) = start_prism(ctx, tools, spec, PrismMode::Proxy(upstream))?;
        let prefix = spec.env_prefix();
        env.push((format!("ORDERGATE_PRISM_PROXY_{prefix}_URL"), url));
        if let Some(ids) = sandbox.orders.get(&spec.name) {
            env.push((
                format!("ORDERGATE_PRISM_PROXY_{prefix}_ORDERS"),
                ids.clone(),
            ));
        }
        prisms.push((spec.name.clone(), prism));
    }
    let passed = run_tests(ctx, PRISM_PROXY_TESTS, &env)?;
    let mut report = StepReport::default();
    collect_prism_logs(&mut report, prisms);
    drop(sandbox);
    if !passed {
        report
            .failures
            .push("the Prism proxy tests failed (see above)".to_owned());
    }
    for spec in &ctx.specs {
        let Some(found) = test_report(ctx, &format!("proxy-{}", spec.name)) else {
            report.failures.push(format!(
                "{}: no report from tests/tests/prism.rs (does it test this provider?)",
                spec.name
            ));
            continue;
        };
        report.calls += found
            .get("calls")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        for ((operation, _), calls) in operation_calls(&found) {
            if calls > 0 {
                report.covered.insert(format!("{} {operation}", spec.name));
            }
        }
    }
    report.detail = "the facade's operations, request and response validated".to_owned();
    Ok(report)
}
