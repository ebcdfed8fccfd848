//! Step 2: Prism mock, dynamic mode, one process per spec. `tests/tests/prism.rs` calls every
//! operation through the generated client (and through the facade where it uses the
//! operation) with Prism's random bodies, every documented error status and every named
//! example; Prism validates each request.

use anyhow::Result;

use super::Ctx;
use super::prism::{PrismMode, operation_calls, run_and_collect, start_prism, test_reports};
use super::report::StepReport;
use super::tools::Tools;

/// The Prism mock tests (package `ordergate-tests`, test binary `prism`), as a nextest filterset.
const PRISM_MOCK_TESTS: &str = "binary_id(ordergate-tests::prism) & test(/_against_prism_mock$/)";

/// Calls per operation and path the Prism mock test must make (`RANDOM_SUCCESS_CALLS` there).
const MIN_MOCK_CALLS: u64 = 50;

pub(super) fn run(ctx: &Ctx, tools: &Tools) -> Result<StepReport> {
    let mut prisms = Vec::new();
    let mut env = Vec::new();
    for spec in &ctx.specs {
        let (prism, url) = start_prism(ctx, tools, spec, PrismMode::Mock)?;
        env.push((format!("ORDERGATE_PRISM_{}_URL", spec.env_prefix()), url));
        prisms.push((spec.name.clone(), prism));
    }
    let mut report = run_and_collect(ctx, PRISM_MOCK_TESTS, &env, prisms, "mock")?;
    let mut facade = 0;
    for (spec, found) in test_reports(ctx, "mock", &mut report) {
        let calls = operation_calls(&found);
        for operation in spec.operations.keys() {
            let client = calls.get(&(operation.clone(), "client".to_owned()));
            if client.copied().unwrap_or_default() >= MIN_MOCK_CALLS {
                report.covered.insert(format!("{} {operation}", spec.name));
            } else {
                report.failures.push(format!(
                    "{} {operation}: {} calls through the generated client, fewer than {MIN_MOCK_CALLS}",
                    spec.name,
                    client.copied().unwrap_or_default()
                ));
            }
            if calls
                .get(&(operation.clone(), "facade".to_owned()))
                .is_some_and(|n| *n >= MIN_MOCK_CALLS)
            {
                facade += 1;
            }
        }
    }
    report.detail = format!("{facade} operations also through the facade");
    Ok(report)
}
