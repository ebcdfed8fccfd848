//! Prism, for the two Prism steps: a process per spec (`mock --dynamic`, or `proxy --errors`
//! in front of an upstream), what its log says, and the tests of `tests/tests/prism.rs` that
//! run against it (`#[ignore]`d in a plain test run, so run here with `--run-ignored only`)
//! with the reports they write.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

use super::process::{Background, free_port};
use super::report::StepReport;
use super::tools::{NODE_ENV, Tools};
use super::{Ctx, SpecInfo};
use crate::progress::command_line;

/// Starts Prism (`mock --dynamic` or `proxy --errors <upstream>`) for `spec` on a free port.
pub(super) fn start_prism(
    ctx: &Ctx,
    tools: &Tools,
    spec: &SpecInfo,
    mode: PrismMode<'_>,
) -> Result<(Background, String)> {
    let port = free_port()?;
    let mut command = Command::new(&tools.prism);
    let kind = match mode {
        PrismMode::Mock => {
            command.args(["mock", "--dynamic"]);
            "mock"
        }
        PrismMode::Proxy(_) => {
            command.args(["proxy", "--errors"]);
            "proxy"
        }
    };
    command
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(&spec.path);
    if let PrismMode::Proxy(upstream) = mode {
        command.arg(upstream);
    }
    command.envs(NODE_ENV).current_dir(&ctx.root);
    let name = format!("prism {kind} {}", spec.name);
    let log = ctx.log(&format!("prism-{kind}-{}", spec.name));
    let mut prism = Background::spawn(name, command, log)?;
    prism.wait_listening(port)?;
    let url = format!("http://127.0.0.1:{port}");
    println!(
        "    {} listening on {url} (log: {})",
        prism.name,
        ctx.relative(&prism.log).display()
    );
    Ok((prism, url))
}

#[derive(Clone, Copy)]
pub(super) enum PrismMode<'a> {
    Mock,
    /// In front of this upstream base URL.
    Proxy(&'a str),
}

/// What Prism's log says: requests served and every violation or Prism-made error.
struct PrismLog {
    requests: u64,
    problems: Vec<String>,
}

fn read_prism_log(path: &Path) -> PrismLog {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut log = PrismLog {
        requests: 0,
        problems: Vec::new(),
    };
    for line in text.lines() {
        if line.contains("Request received") {
            log.requests += 1;
        }
        // Mock mode logs each violation of a request; proxy mode with `--errors` logs the
        // error response it sends instead of a violating request or response.
        if line.contains("Violation:") || line.contains("Request terminated with error") {
            log.problems.push(line.trim().to_owned());
        }
    }
    log
}

/// Stops `prisms` and adds their logs' counts to `report`: Prism is the validator, so its log
/// is the count of violations (the tests also fail on each one they see).
pub(super) fn collect_prism_logs(report: &mut StepReport, prisms: Vec<(String, Background)>) {
    let mut served = 0;
    for (spec, prism) in prisms {
        let log = prism.log.clone();
        drop(prism);
        let found = read_prism_log(&log);
        served += found.requests;
        report.violations += found.problems.len() as u64;
        for problem in found.problems {
            report.failures.push(format!("Prism ({spec}): {problem}"));
        }
    }
    report.tool_calls = Some(served);
}

/// Runs the Prism tests (`tests/tests/prism.rs`, `#[ignore]`d outside this step) matching
/// `filter` with `env`, with the workspace's CI feature set (so CI's test build is reused,
/// nothing recompiles); true if they passed.
pub(super) fn run_tests(ctx: &Ctx, filter: &str, env: &[(String, String)]) -> Result<bool> {
    let mut command = Command::new(&ctx.cargo);
    command
        .args([
            "nextest",
            "run",
            "--workspace",
            "--all-features",
            "--locked",
        ])
        .args(["--run-ignored", "only", "--no-fail-fast", "--no-tests=fail"])
        .args(["-E", filter])
        .env("ORDERGATE_PRISM_REPORT_DIR", ctx.work.join("reports"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(&ctx.root);
    println!("==> conformance: {}", command_line(&command));
    let status = command.status().context("running cargo nextest")?;
    Ok(status.success())
}

/// Runs the Prism tests matching `filter` with `env` ([`run_tests`]), then collects the logs
/// of `prisms`; the step's report, with a failure if the `what` tests failed.
pub(super) fn run_and_collect(
    ctx: &Ctx,
    filter: &str,
    env: &[(String, String)],
    prisms: Vec<(String, Background)>,
    what: &str,
) -> Result<StepReport> {
    let passed = run_tests(ctx, filter, env)?;
    let mut report = StepReport::default();
    collect_prism_logs(&mut report, prisms);
    if !passed {
        report
            .failures
            .push(format!("the Prism {what} tests failed (see above)"));
    }
    Ok(report)
}

/// The JSON report the `kind` Prism test wrote for each spec (`mock-fuuffy.json`), with its
/// calls added to `report`; a spec without one is a failure in `report`.
pub(super) fn test_reports<'a>(
    ctx: &'a Ctx,
    kind: &str,
    report: &mut StepReport,
) -> Vec<(&'a SpecInfo, Value)> {
    let mut found = Vec::new();
    for spec in &ctx.specs {
        let path = ctx
            .work
            .join("reports")
            .join(format!("{kind}-{}.json", spec.name));
        let parsed = fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
        let Some(parsed) = parsed else {
            report.failures.push(format!(
                "{}: no report from tests/tests/prism.rs (does it test this provider?)",
                spec.name
            ));
            continue;
        };
        report.calls += parsed
            .get("calls")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        found.push((spec, parsed));
    }
    found
}

/// (operation, path) -> calls, from a Prism test report.
pub(super) fn operation_calls(report: &Value) -> BTreeMap<(String, String), u64> {
    report
        .get("operations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let operation = entry.get("operation")?.as_str()?.to_owned();
            let path = entry.get("path")?.as_str()?.to_owned();
            Some(((operation, path), entry.get("calls")?.as_u64()?))
        })
        .collect()
}
