//! Step 4: schemathesis against the sandbox, every operation of every spec, all its checks,
//! with the statuses each spec documents counted as conforming.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

use super::process::Background;
use super::report::{StepReport, Units};
use super::sandbox::Sandbox;
use super::tools::Tools;
use super::{Ctx, SpecInfo, auth};

/// schemathesis test cases per operation and phase: enough to find a mismatch, short enough
/// for every CI run.
const MAX_EXAMPLES: &str = "25";

pub(super) fn run(ctx: &Ctx, tools: &Tools) -> Result<StepReport> {
    let sandbox = Sandbox::start(ctx)?;
    let dir = ctx.work.join("schemathesis");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut runs = Vec::new();
    // The four runs are independent (one provider each) and run side by side.
    for spec in &ctx.specs {
        let config = dir.join(format!("{}.toml", spec.name));
        fs::write(&config, schemathesis_config(spec))
            .with_context(|| format!("writing {}", config.display()))?;
        let json = ctx
            .work
            .join("reports")
            .join(format!("schemathesis-{}.json", spec.name));
        let mut command = Command::new(&tools.schemathesis);
        command
            .arg("--config-file")
            .arg(&config)
            .args(["run", "--no-color", "--max-examples", MAX_EXAMPLES])
            .args(["--generation-database", "none", "--request-timeout", "10"])
            .args(["--report", "json", "--report-json-path"])
            .arg(&json)
            .args(["--url", sandbox.base_url(spec)?])
            .args(auth::schemathesis_options(spec, &sandbox.env)?)
            .arg(&spec.path)
            .current_dir(&dir);
        let log = ctx.log(&format!("schemathesis-{}", spec.name));
        let process = Background::spawn(format!("schemathesis {}", spec.name), command, log)?;
        runs.push((spec, process, json));
    }
    let mut report = StepReport::default();
    let mut cases = 0;
    for (spec, mut process, json) in runs {
        let status = process.child.wait().context("waiting for schemathesis")?;
        let found = fs::read_to_string(&json)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
        let number = |pointer: &str| {
            found
                .as_ref()
                .and_then(|f| f.pointer(pointer))
                .and_then(Value::as_u64)
                .unwrap_or_default()
        };
        let tested = number("/operations/tested");
        cases += number("/test_cases/generated");
        let failures = number("/test_cases/unique_failures") + number("/test_cases/errored");
        report.violations += failures;
        println!(
            "    schemathesis {}: {tested} operations, {} test cases, {failures} failures ({status}; log: {})",
            spec.name,
            number("/test_cases/generated"),
            ctx.relative(&process.log).display()
        );
        if tested as usize == spec.operations.len() {
            report.covered.extend(
                spec.operations
                    .keys()
                    .map(|op| format!("{} {op}", spec.name)),
            );
        } else {
            report.failures.push(format!(
                "{}: schemathesis tested {tested} of {} operations",
                spec.name,
                spec.operations.len()
            ));
        }
        if !status.success() || failures > 0 || found.is_none() {
            report.failures.push(format!(
                "{}: schemathesis failed ({status}, {failures} failures); its output ({}):\n{}",
                spec.name,
                ctx.relative(&process.log).display(),
                fs::read_to_string(&process.log).unwrap_or_default().trim()
            ));
        }
    }
    report.calls = cases;
    report.units = Units {
        calls: "schemathesis test cases",
        violations: "failures",
    };
    report.detail = format!("against the sandbox, every check, --max-examples {MAX_EXAMPLES}");
    drop(sandbox);
    Ok(report)
}

/// schemathesis's defaults for the checks that judge statuses, extended per operation with the
/// responses its spec documents: the sandbox answers as the provider documents, so a
/// documented error is conforming (Fuuffy answers an unknown or not-pending order with HTTP
/// 400, Tata 1mg reports "Order not found" with HTTP 500). The body of such an answer is still
/// checked against the documented schema (`response_schema_conformance`,
/// `content_type_conformance`).
fn schemathesis_config(spec: &SpecInfo) -> String {
    const POSITIVE: [&str; 8] = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"];
    const NOT_A_SERVER_ERROR: [&str; 3] = ["2xx", "3xx", "4xx"];
    // Every check schemathesis has, set here rather than with `--checks all`, which would
    // override the per-operation settings below.
    let mut toml = format!(
        "# Written by `cargo xtask conformance` from {}; see schemathesis_config there.\n\n\
         [checks]\nenabled = true\n",
        spec.path.display()
    );
    for (operation, statuses) in &spec.operations {
        let documented: Vec<String> = statuses.iter().map(|s| s.to_lowercase()).collect();
        let positive = status_list(&POSITIVE, &documented);
        let server_errors: Vec<String> = documented
            .iter()
            .filter(|s| s.starts_with('5'))
            .cloned()
            .collect();
        let server = status_list(&NOT_A_SERVER_ERROR, &server_errors);
        let _ = writeln!(
            toml,
            "\n[[operations]]\ninclude-operation-id = \"{operation}\"\n\
             checks.positive_data_acceptance.expected-statuses = [{positive}]\n\
             checks.not_a_server_error.expected-statuses = [{server}]"
        );
        // schemathesis insists on 401 for a missing `Authorization` header (not
        // configurable). An operation that documents no 401 cannot answer it: Logitrail
        // refuses credentials with 403 `access_denied` (errors.rst). `ignored_auth` still
        // checks that a request without valid credentials is refused.
        if !statuses.iter().any(|s| s == "401" || s == "4XX") {
            toml.push_str("checks.missing_required_header.enabled = false\n");
        }
        for (provider, check, _why) in CHECKS_OFF {
            if *provider == spec.name {
                let _ = writeln!(toml, "checks.{check}.enabled = false");
            }
        }
    }
    toml
}

/// Checks turned off for every operation of one provider, and why.
const CHECKS_OFF: &[(&str, &str, &str)] = &[(
    "logitrail",
    "negative_data_rejection",
    // The check requires refusing any request outside the spec. Logitrail's only other
    // clients (Codaone's PHP modules, in production use) send what PHP's json_encode makes of
    // their data: `null` members, numbers where the spec has strings and numeric strings where
    // it has numbers, `[null, null, null]` dimensions; Logitrail accepts them, so the sandbox
    // does too (`crates/sandbox/tests/codaone_clients.rs` replays them byte for byte). The
    // sandbox's own tests check what it refuses (limits, bounds, the documented codes).
    // schemathesis also counts a request whose `Authorization` it removed as invalid even
    // when its `--auth` option puts the credentials back.
    "tolerant of what real clients send",
)];

/// `"2xx", "401", ...`: `defaults`, then every status of `extra` not already listed.
fn status_list(defaults: &[&str], extra: &[String]) -> String {
    let mut all: Vec<String> = defaults.iter().map(|s| (*s).to_owned()).collect();
    for status in extra {
        // `200` is already in `2xx`.
        let class = format!("{}xx", status.get(..1).unwrap_or_default());
        if !all.contains(status) && !all.contains(&class) {
            all.push(status.clone());
        }
    }
    all.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
