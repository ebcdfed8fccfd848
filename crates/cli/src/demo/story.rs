//! How the demo tells its story: lines for people, or one JSON object per step.

use ordergate::{OrderEvent, OrderStatus, ProviderName};
use serde::Serialize;

use crate::output::{Failure, bounded_event};
use crate::printable::{cut_owned, json_safe, shown};

/// The steps of an order's life the demo walks through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Step {
    /// Create the order from a `NewOrder`.
    Create,
    /// Confirm it.
    Confirm,
    /// Ask for its tracking.
    Track,
    /// Move the sandbox's clock on; the fakes post webhooks to the in-process listener.
    Webhooks,
    /// Where the order ended.
    Delivered,
}

impl Step {
    fn number(self) -> usize {
        self as usize + 1
    }

    fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Confirm => "confirm",
            Self::Track => "track",
            Self::Webhooks => "webhooks",
            Self::Delivered => "delivered",
        }
    }
}

/// How a step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// It happened.
    Done,
    /// The provider does not offer it through ordergate (or it is not configured): skipped.
    Skipped,
    /// The step ran but the order did not get there (the fake's flow stops earlier).
    NotReached,
    /// The provider or the transport said no: `error` says why.
    Failed,
}

/// One step of one provider's story: what `ordergate --json demo` prints, one per line.
#[derive(Debug, Serialize)]
pub(crate) struct StepReport {
    pub(crate) provider: ProviderName,
    pub(crate) step: Step,
    pub(crate) outcome: Outcome,
    /// The order the step is about, when there is one yet.
    pub(crate) order_id: Option<String>,
    /// The order's normalized status after the step, when known.
    pub(crate) status: Option<OrderStatus>,
    /// The provider's own status after the step, when known.
    pub(crate) provider_status: Option<String>,
    pub(crate) tracking_number: Option<String>,
    /// The webhook events the listener verified for this order (`webhooks` step).
    pub(crate) events: Vec<OrderEvent>,
    /// The step in words.
    pub(crate) message: String,
    /// Why the step failed (`failed` only).
    pub(crate) error: Option<Failure>,
}

impl StepReport {
    /// A step with only its outcome and message; the rest is filled in by the caller.
    pub(crate) fn new(
        provider: ProviderName,
        step: Step,
        outcome: Outcome,
        message: String,
    ) -> Self {
        Self {
            provider,
            step,
            outcome,
            order_id: None,
            status: None,
            provider_status: None,
            tracking_number: None,
            events: Vec::new(),
            message,
            error: None,
        }
    }
}

/// Prints the story as it goes, and remembers whether a step failed.
pub(crate) struct Story {
    json: bool,
    pub(crate) failed: usize,
}

impl Story {
    pub(crate) fn new(json: bool) -> Self {
        Self { json, failed: 0 }
    }

    /// Lines for people only (`--json` prints steps only).
    pub(crate) fn say(&self, text: &str) {
        if !self.json {
            out!("{text}");
        }
    }

    /// One step: a numbered line for people, one JSON object with `--json`.
    pub(crate) fn step(&mut self, report: StepReport) {
        if report.outcome == Outcome::Failed {
            self.failed += 1;
        }
        if self.json {
            let mut report = report;
            report.order_id = report.order_id.map(|id| cut_owned(id, "order id"));
            report.provider_status = report
                .provider_status
                .map(|text| cut_owned(text, "provider status"));
            report.tracking_number = report
                .tracking_number
                .map(|text| cut_owned(text, "tracking number"));
            report.events = report.events.into_iter().map(bounded_event).collect();
            report.message = cut_owned(report.message, "message");
            out!(
                "{}",
                json_safe(serde_json::to_string(&report).unwrap_or_default())
            );
            return;
        }
        let label = match report.outcome {
            Outcome::Skipped => "skipped: ",
            Outcome::Failed => "FAILED: ",
            Outcome::Done | Outcome::NotReached => "",
        };
        out!(
            "  {}. {:<10} {label}{}",
            report.step.number(),
            report.step.name(),
            shown(&report.message, "message")
        );
        for event in &report.events {
            out!("       {}", crate::output::describe_event(event));
        }
    }
}
