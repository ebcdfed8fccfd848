//! What each step found, and the closing summary of all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Duration;

use anyhow::{Result, bail};

use super::Ctx;
use crate::progress::{Progress, seconds};

/// What one step found.
#[derive(Default)]
pub(super) struct StepReport {
    pub(super) name: &'static str,
    /// `spec operation` pairs the step exercised.
    pub(super) covered: BTreeSet<String>,
    /// Requests made (schemathesis: test cases).
    pub(super) calls: u64,
    /// Requests the tool under test counted itself (Prism's log), when it does.
    pub(super) tool_calls: Option<u64>,
    /// Violations or failed checks the tools reported.
    pub(super) violations: u64,
    /// What `calls` and `violations` count.
    pub(super) units: Units,
    /// One line of extra detail for the summary.
    pub(super) detail: String,
    pub(super) failures: Vec<String>,
}

/// What a step's numbers count.
#[derive(Clone, Copy)]
pub(super) struct Units {
    /// `calls`, `schemathesis test cases`, or empty when the step makes no requests.
    pub(super) calls: &'static str,
    /// `violations`, `problems`, `failed checks`.
    pub(super) violations: &'static str,
}

impl Default for Units {
    fn default() -> Self {
        Self {
            calls: "calls",
            violations: "violations",
        }
    }
}

/// Runs a step (`what` it does, in a few words), printing its start and end; an error
/// becomes a failure of the step.
pub(super) fn step(
    progress: &mut Progress,
    name: &'static str,
    what: &str,
    run: impl FnOnce() -> Result<StepReport>,
) -> StepReport {
    let started = progress.start(name, what);
    let mut report = run().unwrap_or_else(|error| StepReport {
        failures: vec![format!("{error:#}")],
        ..StepReport::default()
    });
    report.name = name;
    progress.finish(name, started, report.failures.is_empty());
    report
}

pub(super) fn print_summary(ctx: &Ctx, steps: &[StepReport], elapsed: Duration) {
    let total = ctx.operation_count();
    println!(
        "==> conformance summary: {} specs, {total} operations",
        ctx.specs.len()
    );
    for step in steps {
        let mut line = format!(
            "  {:<13} {}/{total} operations",
            step.name,
            step.covered.len()
        );
        if !step.units.calls.is_empty() {
            let _ = write!(line, ", {} {}", step.calls, step.units.calls);
        }
        if let Some(served) = step.tool_calls {
            let _ = write!(line, " (Prism served {served})");
        }
        let _ = write!(line, ", {} {}", step.violations, step.units.violations);
        if !step.detail.is_empty() {
            let _ = write!(line, "; {}", step.detail);
        }
        println!("{line}");
    }
    let covered: BTreeSet<&String> = steps.iter().flat_map(|s| &s.covered).collect();
    let mut calls: BTreeMap<&str, u64> = BTreeMap::new();
    for step in steps.iter().filter(|s| !s.units.calls.is_empty()) {
        *calls.entry(step.units.calls).or_default() += step.calls;
    }
    let calls: Vec<String> = calls
        .iter()
        .map(|(unit, n)| format!("{n} {unit}"))
        .collect();
    println!(
        "  {:<13} {}/{total} operations covered, {}, {} violations, in {}",
        "total",
        covered.len(),
        calls.join(" + "),
        steps.iter().map(|s| s.violations).sum::<u64>(),
        seconds(elapsed)
    );
}

/// Fails with every failure of every step, grouped by step.
pub(super) fn fail_on_failures(steps: &[StepReport]) -> Result<()> {
    let failed: Vec<&StepReport> = steps.iter().filter(|s| !s.failures.is_empty()).collect();
    if failed.is_empty() {
        return Ok(());
    }
    let mut message = String::new();
    for step in failed {
        let _ = writeln!(message, "{}:", step.name);
        for failure in &step.failures {
            let _ = writeln!(message, "  {}", failure.replace('\n', "\n  "));
        }
    }
    bail!("conformance failed\n{}", message.trim_end());
}
