//! Step 1: Redocly lints every spec (`redocly.yaml`: `recommended-strict`, every example
//! validated against its schema).

use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

use super::Ctx;
use super::report::{StepReport, Units};
use super::tools::{NODE_ENV, Tools};

pub(super) fn run(ctx: &Ctx, tools: &Tools) -> Result<StepReport> {
    let output = Command::new(&tools.redocly)
        .args(["lint", "--format=json", "--config"])
        .arg(ctx.root.join("redocly.yaml"))
        .args(ctx.specs.iter().map(|s| &s.path))
        .envs(NODE_ENV)
        .current_dir(&ctx.root)
        .output()
        .context("running redocly lint")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut report = StepReport::default();
    let mut documents = 0;
    // One JSON document per spec, one after the other.
    for document in serde_json::Deserializer::from_str(&stdout).into_iter::<Value>() {
        let document = document.context("reading redocly's JSON output")?;
        documents += 1;
        for problem in document
            .get("problems")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            report.violations += 1;
            report.failures.push(describe_problem(problem));
        }
    }
    if !output.status.success() && report.failures.is_empty() {
        report.failures.push(format!(
            "redocly lint failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    } else if documents != ctx.specs.len() {
        report.failures.push(format!(
            "redocly lint reported on {documents} of {} specs",
            ctx.specs.len()
        ));
    }
    if report.failures.is_empty() {
        for spec in &ctx.specs {
            report.covered.extend(spec.covered());
        }
    }
    report.units = Units {
        calls: "",
        violations: "problems",
    };
    report.detail = format!(
        "{} specs linted (recommended-strict, examples validated)",
        ctx.specs.len()
    );
    Ok(report)
}

/// `specs/x.yaml:12:5 rule-id (severity): message at pointer`.
fn describe_problem(problem: &Value) -> String {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or("?").to_owned();
    let location = problem
        .get("location")
        .and_then(Value::as_array)
        .and_then(|l| l.first());
    let file = text(location.and_then(|l| l.pointer("/source/ref")));
    let line = location
        .and_then(|l| l.pointer("/start/line"))
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let column = location
        .and_then(|l| l.pointer("/start/col"))
        .and_then(Value::as_u64)
        .unwrap_or_default();
    format!(
        "{file}:{line}:{column} {} ({}): {} at {}",
        text(problem.get("ruleId")),
        text(problem.get("severity")),
        text(problem.get("message")),
        text(location.and_then(|l| l.get("pointer"))),
    )
}
