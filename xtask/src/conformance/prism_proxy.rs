//! Step 3: Prism as a validating proxy (`--errors`) in front of the sandbox, one per spec:
//! `tests/tests/prism.rs` drives the facade through it (look up, confirm, confirm again, an
//! unknown order, refused credentials); Prism checks every request and response.

use anyhow::Result;

use super::Ctx;
use super::prism::{PrismMode, operation_calls, run_and_collect, start_prism, test_reports};
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
    let mut report = run_and_collect(ctx, PRISM_PROXY_TESTS, &env, prisms, "proxy")?;
    drop(sandbox);
    for (spec, found) in test_reports(ctx, "proxy", &mut report) {
        for ((operation, _), calls) in operation_calls(&found) {
            if calls > 0 {
                report.covered.insert(format!("{} {operation}", spec.name));
            }
        }
    }
    report.detail = "the facade's operations, request and response validated".to_owned();
    Ok(report)
}
