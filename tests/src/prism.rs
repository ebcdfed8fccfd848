//! The plan and the report of the Prism conformance tests (`tests/tests/prism.rs`): what each
//! operation asks of a `prism mock` (the `Prefer` headers and how many calls each), what a call
//! showed, and the counts each test prints, writes for `cargo xtask conformance` and fails on.

use std::collections::BTreeMap;

use ordergate_codegen::examples::{ExampleKind, examples};
use serde_json::{Value, json};

use crate::spec;

/// Calls per operation and path (generated client, facade) answered with Prism's random
/// success body.
pub const RANDOM_SUCCESS_CALLS: usize = 50;
/// Calls per operation, path and documented error status, answered with a random error body.
pub const RANDOM_ERROR_CALLS: usize = 5;
/// The statuses asked for when a spec documents a range (`4XX`, `5XX`).
const RANGE_STATUSES: [(&str, &[u16]); 2] = [
    ("4XX", &[400, 401, 403, 404, 409, 422, 429]),
    ("5XX", &[500, 502, 503]),
];
/// How many distinct failures or violations a failing test lists.
const LISTED: usize = 20;

/// The `Prefer` header of a call: Prism's default (the success response, random body), a
/// status (random body) or a named example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prefer {
    /// No `Prefer` header: a documented success, random body.
    Success,
    /// `code=<status>`: that documented status, random body.
    Status(u16),
    /// `code=<status>, example=<name>`: that named response example.
    Example(u16, String),
}

impl Prefer {
    /// The `Prefer` header's value (`None`: send none).
    pub fn header(&self) -> Option<String> {
        match self {
            Self::Success => None,
            Self::Status(status) => Some(format!("code={status}")),
            Self::Example(status, name) => Some(format!("code={status}, example={name}")),
        }
    }

    /// The status Prism must answer with when the request is valid (`None`: any 2xx).
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Success => None,
            Self::Status(status) | Self::Example(status, _) => Some(*status),
        }
    }

    /// How a call is named in messages: the header, or `random success`.
    pub fn label(&self) -> String {
        self.header().unwrap_or_else(|| "random success".to_owned())
    }
}

/// Every `Prefer` to send for `operation_id` of `provider`'s spec, with how many calls each:
/// random successes, random bodies of every documented error status (each status of a
/// `4XX`/`5XX` range), and every named response example once.
pub fn plan(provider: &str, operation_id: &str) -> Vec<(Prefer, usize)> {
    let spec = spec(provider);
    let (_, _, operation) = spec
        .operations()
        .into_iter()
        .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
        .unwrap_or_else(|| panic!("{provider}: no operation {operation_id}"));
    let mut plan = vec![(Prefer::Success, RANDOM_SUCCESS_CALLS)];
    let responses = operation.get("responses").and_then(Value::as_object);
    for key in responses.into_iter().flat_map(|r| r.keys()) {
        let statuses: Vec<u16> = match RANGE_STATUSES.iter().find(|(range, _)| range == key) {
            Some((_, statuses)) => statuses.to_vec(),
            None => key.parse().into_iter().collect(),
        };
        plan.extend(
            statuses
                .into_iter()
                .filter(|status| *status >= 300)
                .map(|status| (Prefer::Status(status), RANDOM_ERROR_CALLS)),
        );
    }
    for example in examples(&spec) {
        if example.operation_id != operation_id {
            continue;
        }
        if let (ExampleKind::Response(_), Some(status)) = (&example.kind, example.status()) {
            plan.push((Prefer::Example(status, example.name), 1));
        }
    }
    plan
}

/// The outcome of one call that did not break a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Decoded into the typed success (the facade: an `Order`).
    Success,
    /// A typed error: the generated client's `Error::ErrorResponse`, or an `ordergate::Error`
    /// whose kind is not `decode`.
    TypedError,
}

/// What one call showed: its outcome or the rule it broke, and any violation Prism reported.
#[derive(Debug)]
pub struct Checked {
    /// The outcome, or the rule the call broke.
    pub outcome: Result<Outcome, String>,
    /// The violation Prism reported for the call, if any.
    pub violation: Option<String>,
}

impl Checked {
    /// A call that broke a rule (and reported no violation).
    pub fn failure(message: String) -> Self {
        Self {
            outcome: Err(message),
            violation: None,
        }
    }
}

/// The counts of one operation through one path.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    calls: usize,
    successes: usize,
    typed_errors: usize,
}

/// The counts of one Prism test: calls, outcomes, broken rules and violations.
#[derive(Debug, Default)]
pub struct Report {
    /// (operation, "client" | "facade") -> counts.
    counts: BTreeMap<(String, &'static str), Counts>,
    /// Each distinct broken rule, with how many calls broke it.
    failures: BTreeMap<String, usize>,
    /// Each distinct violation Prism reported, with how many calls it was reported for.
    violations: BTreeMap<String, usize>,
}

impl Report {
    /// Counts one call of `operation_id` through `path` (`client` or `facade`); `label` names
    /// it in messages.
    pub fn record(
        &mut self,
        operation_id: &str,
        path: &'static str,
        label: &str,
        checked: Checked,
    ) {
        let counts = self
            .counts
            .entry((operation_id.to_owned(), path))
            .or_default();
        counts.calls += 1;
        match checked.outcome {
            Ok(Outcome::Success) => counts.successes += 1,
            Ok(Outcome::TypedError) => counts.typed_errors += 1,
            Err(failure) => {
                *self
                    .failures
                    .entry(format!("{label} ({path}): {failure}"))
                    .or_default() += 1;
            }
        }
        if let Some(violation) = checked.violation {
            *self
                .violations
                .entry(format!("{label} ({path}): {violation}"))
                .or_default() += 1;
        }
    }

    /// Calls recorded for `operation_id` through `path`.
    pub fn calls_of(&self, operation_id: &str, path: &'static str) -> usize {
        self.counts
            .get(&(operation_id.to_owned(), path))
            .map_or(0, |c| c.calls)
    }

    /// Every call recorded.
    pub fn calls(&self) -> usize {
        self.counts.values().map(|c| c.calls).sum()
    }

    /// Writes the report of test `kind` (`mock`, `proxy`) for `provider` to
    /// `$ORDERGATE_PRISM_REPORT_DIR/<kind>-<provider>.json` (when set) for the xtask, prints
    /// it, and fails on any broken rule or violation.
    pub fn finish(self, kind: &str, provider: &str) {
        let operations: Vec<Value> = self
            .counts
            .iter()
            .map(|((operation, path), c)| {
                json!({
                    "operation": operation,
                    "path": path,
                    "calls": c.calls,
                    "successes": c.successes,
                    "typed_errors": c.typed_errors,
                })
            })
            .collect();
        let summary = json!({
            "provider": provider,
            "calls": self.calls(),
            "operations": operations,
            "failures": self.failures,
            "violations": self.violations,
        });
        if let Ok(dir) = std::env::var("ORDERGATE_PRISM_REPORT_DIR") {
            let path = std::path::Path::new(&dir).join(format!("{kind}-{provider}.json"));
            std::fs::write(&path, summary.to_string())
                .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        }
        for ((operation, path), c) in &self.counts {
            println!(
                "prism {kind} {provider} {operation} via {path}: {} calls, {} typed successes, {} typed errors",
                c.calls, c.successes, c.typed_errors
            );
        }
        // The first few distinct messages, each cut short: a broken schema breaks every call.
        let listed = |found: &BTreeMap<String, usize>| {
            let mut lines: Vec<String> = found
                .iter()
                .take(LISTED)
                .map(|(message, calls)| {
                    let cut: String = message.chars().take(600).collect();
                    format!("  {calls} x {cut}")
                })
                .collect();
            if found.len() > LISTED {
                lines.push(format!("  ... and {} more", found.len() - LISTED));
            }
            lines.join("\n")
        };
        assert!(
            self.violations.is_empty() && self.failures.is_empty(),
            "prism {kind} {provider}: {} violation(s) reported by Prism:\n{}\n{} call(s) broke the contract:\n{}",
            self.violations.values().sum::<usize>(),
            listed(&self.violations),
            self.failures.values().sum::<usize>(),
            listed(&self.failures),
        );
    }
}
