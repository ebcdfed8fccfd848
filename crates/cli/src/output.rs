//! What the CLI prints, for people and (with `--json`) for scripts, and its exit codes.

use std::io::Write as _;
use std::process::ExitCode;

use ordergate::{
    Capabilities, Error, ErrorKind, Operation, Order, OrderStatus, Phase, Provider, ProviderName,
};
use schemars::JsonSchema;
use serde::Serialize;

use crate::printable::{cut_owned, shown};

/// One command's result.
pub(crate) enum Output {
    /// A confirmed or looked-up order.
    Order(Order),
    /// The provider list.
    Providers(Vec<ProviderInfo>),
    /// The JSON Schema of `--json` output.
    Schema(serde_json::Value),
    /// Text for people (the demo table, the sandbox's exports), printed as it is.
    Text(String),
    /// Anything that went wrong.
    Failure(Failure),
}

/// A provider and what it supports (`ordergate providers`).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ProviderInfo {
    provider: ProviderName,
    compiled_in: bool,
    /// The operations it offers, by method name (`confirm_order`); null when not compiled in.
    capabilities: Option<Capabilities>,
    /// Whether `confirm` needs `--merchant-order-id`; null when not compiled in.
    confirm_needs_merchant_order_id: Option<bool>,
}

/// The `--json` error object: `{"error": {...}}`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ErrorEnvelope {
    error: Failure,
}

/// An error as the CLI reports it. `provider` is null for usage errors.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Failure {
    kind: ErrorKind,
    /// How far the call got; null for a failure of the CLI itself.
    phase: Option<Phase>,
    provider: Option<ProviderName>,
    operation: Option<Operation>,
    http_status: Option<u16>,
    code: Option<String>,
    reason: Option<String>,
    message: String,
    /// Seconds to wait before retrying.
    retry_after: Option<u64>,
    order_id: Option<String>,
    /// Where a redirect pointed (`redirected`); never followed.
    location: Option<String>,
}

/// Everything `ordergate --json` can print: exactly one of these objects.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
enum JsonOutput {
    /// `confirm` and `get`.
    Order(Order),
    /// `providers`.
    Providers(Vec<ProviderInfo>),
    /// Any failure.
    Error(ErrorEnvelope),
}

impl Failure {
    /// A usage error: nothing was sent.
    pub(crate) fn usage(message: &str) -> Self {
        Self::bare(
            ErrorKind::InvalidInput,
            Some(Phase::NotSent),
            message.to_owned(),
        )
    }

    /// A failure of the CLI itself.
    pub(crate) fn internal(message: String) -> Self {
        Self::bare(ErrorKind::Transport, None, message)
    }

    fn bare(kind: ErrorKind, phase: Option<Phase>, message: String) -> Self {
        Self {
            kind,
            phase,
            provider: None,
            operation: None,
            http_status: None,
            code: None,
            reason: None,
            // It may quote the user's input or a lower layer's error: bounded like the rest.
            message: cut_owned(message, "message"),
            retry_after: None,
            order_id: None,
            location: None,
        }
    }

    /// 2 when nothing was sent because of the input, 1 for everything else.
    fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::InvalidInput | ErrorKind::Unsupported => 2,
            _ => 1,
        }
    }
}

/// The library already bounds what the provider sent (`message`, `code`, `reason`,
/// `location`: see `ordergate::Error::MESSAGE_LIMIT`); the order id, which the user gave, is
/// bounded here (see [`crate::printable::cut`]). `describe_failure` escapes and bounds every
/// string again for people (see [`shown`]).
impl From<Error> for Output {
    fn from(error: Error) -> Self {
        Output::Failure(Failure {
            kind: error.kind,
            phase: Some(error.phase),
            provider: Some(error.provider),
            operation: Some(error.operation),
            http_status: error.http_status,
            code: error.code,
            reason: error.reason,
            message: error.message,
            retry_after: error.retry_after.map(|wait| wait.as_secs()),
            order_id: error.order_id.map(|id| cut_owned(id, "order id")),
            location: error.location,
        })
    }
}

/// `order` with every provider string bounded (see [`crate::printable::cut`]), for `--json`.
fn bounded(mut order: Order) -> Order {
    let bound = |text: &mut Option<String>, what| {
        if let Some(value) = text.take() {
            *text = Some(cut_owned(value, what));
        }
    };
    order.order_id = cut_owned(std::mem::take(&mut order.order_id), "order id");
    bound(&mut order.provider_status, "provider status");
    bound(&mut order.tracking_number, "tracking number");
    bound(&mut order.tracking_url, "tracking url");
    if let Some(price) = &mut order.price {
        price.amount = cut_owned(std::mem::take(&mut price.amount), "price");
        bound(&mut price.currency, "currency");
    }
    order
}

impl Output {
    pub(crate) fn providers() -> Self {
        let compiled = Provider::compiled_in();
        Output::Providers(
            ProviderName::ALL
                .into_iter()
                .map(|provider| ProviderInfo {
                    provider,
                    compiled_in: compiled.contains(&provider),
                    capabilities: Provider::capabilities_of(provider),
                    confirm_needs_merchant_order_id: Provider::confirm_needs_merchant_order_id(
                        provider,
                    ),
                })
                .collect(),
        )
    }

    pub(crate) fn schema() -> Self {
        let schema = schemars::schema_for!(JsonOutput);
        Output::Schema(serde_json::to_value(schema).unwrap_or_default())
    }

    /// Prints the result (stdout for results and `--json` errors, stderr for human errors)
    /// and returns the exit code.
    pub(crate) fn print(self, json: bool) -> ExitCode {
        let (stdout, stderr, code) = self.render(json);
        if !stdout.is_empty() {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{stdout}");
        }
        if !stderr.is_empty() {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{stderr}");
        }
        ExitCode::from(code)
    }

    /// (stdout, stderr, exit code).
    fn render(self, json: bool) -> (String, String, u8) {
        let to_json = |value: &dyn erased::Json| value.to_json();
        match self {
            Output::Schema(schema) => (pretty(&schema), String::new(), 0),
            Output::Text(text) => (text, String::new(), 0),
            Output::Order(order) if json => (to_json(&bounded(order)), String::new(), 0),
            Output::Order(order) => (describe_order(&order), String::new(), 0),
            Output::Providers(list) if json => (to_json(&list), String::new(), 0),
            Output::Providers(list) => (describe_providers(&list), String::new(), 0),
            Output::Failure(failure) => {
                let code = failure.exit_code();
                if json {
                    (
                        to_json(&ErrorEnvelope { error: failure }),
                        String::new(),
                        code,
                    )
                } else {
                    (String::new(), describe_failure(&failure), code)
                }
            }
        }
    }
}

/// Serializing without naming the type at each call.
mod erased {
    pub(crate) trait Json {
        fn to_json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            let json = serde_json::to_string(self).unwrap_or_else(|e| {
                format!(
                    r#"{{"error":{{"kind":"decode","message":"cannot serialize output: {e}"}}}}"#
                )
            });
            crate::printable::json_safe(json)
        }
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The order for people. Every string from the provider goes through [`shown`]: escaped and
/// bounded.
fn describe_order(order: &Order) -> String {
    let status = match (&order.provider_status, order.status) {
        (Some(raw), status) => format!(
            "{status} (provider status {})",
            shown(raw, "provider status")
        ),
        (None, status) => status.to_string(),
    };
    let mut lines = vec![
        format!("provider:        {}", order.provider),
        format!("order id:        {}", shown(&order.order_id, "order id")),
        format!("status:          {status}"),
    ];
    if let Some(tracking) = &order.tracking_number {
        lines.push(format!(
            "tracking number: {}",
            shown(tracking, "tracking number")
        ));
    }
    if let Some(url) = &order.tracking_url {
        lines.push(format!("tracking url:    {}", shown(url, "tracking url")));
    }
    if let Some(price) = &order.price {
        let currency = price.currency.as_deref().unwrap_or("");
        lines.push(
            format!(
                "price:           {} {}",
                shown(&price.amount, "price"),
                shown(currency, "currency")
            )
            .trim_end()
            .to_owned(),
        );
    }
    if order.status == OrderStatus::Unknown {
        lines.push("note: the provider reported a status ordergate does not know yet".to_owned());
    }
    lines.join("\n")
}

fn describe_providers(list: &[ProviderInfo]) -> String {
    list.iter()
        .map(|info| {
            let what = match info.capabilities {
                Some(capabilities) => {
                    let extra = if info.confirm_needs_merchant_order_id == Some(true) {
                        " (confirm_order needs --merchant-order-id)"
                    } else {
                        ""
                    };
                    format!("{capabilities}{extra}")
                }
                None => "not compiled in".to_owned(),
            };
            format!("{:<10} {what}", info.provider.as_str())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The failure for people. Every string that may come from the provider (code, message) goes
/// through [`shown`]: escaped and bounded.
fn describe_failure(failure: &Failure) -> String {
    let mut line = String::from("error: ");
    if let Some(provider) = failure.provider {
        line.push_str(provider.as_str());
        line.push_str(": ");
    }
    line.push_str(failure.kind.as_str());
    if let Some(status) = failure.http_status {
        line.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(code) = &failure.code {
        line.push_str(&format!(" [{}]", shown(code, "code")));
    }
    line.push_str(": ");
    line.push_str(&shown(&failure.message, "message"));
    if let Some(location) = &failure.location {
        line.push_str(&format!(
            "\nredirect location (not followed): {}",
            shown(location, "location")
        ));
    }
    if let Some(seconds) = failure.retry_after {
        line.push_str(&format!("\nretry after {seconds} s"));
    }
    line
}
