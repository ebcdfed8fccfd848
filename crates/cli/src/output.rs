//! What the CLI prints, for people and (with `--json`) for scripts, and its exit codes.

use std::io::Write as _;
use std::process::ExitCode;

use ordergate::{
    Capabilities, Error, ErrorKind, Fix, Operation, Order, OrderEvent, OrderStatus, Phase,
    Provider, ProviderName, Tracking,
};
use schemars::JsonSchema;
use serde::Serialize;

use crate::printable::{cut_owned, shown};

/// One command's result.
pub(crate) enum Output {
    /// A created, confirmed, cancelled or looked-up order.
    Order(Order),
    /// An order's tracking (`track`).
    Tracking(Tracking),
    /// The events of a verified webhook (`webhook verify`).
    Events(Vec<OrderEvent>),
    /// The provider list.
    Providers(Vec<ProviderInfo>),
    /// The JSON Schema of `--json` output.
    Schema(serde_json::Value),
    /// Text for people (the demo table, the sandbox's exports), printed as it is.
    Text(String),
    /// Anything that went wrong.
    Failure(Failure),
    /// Everything was printed already; exit with this code.
    Exit(u8),
}

/// Which JSON Schema `ordergate schema` prints (none: what `--json` prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SchemaOf {
    /// The order `create --file` reads.
    NewOrder,
    /// One normalized webhook event, as `listen --json` prints each.
    Event,
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

/// What `ordergate --json webhook verify` prints: the verified webhook's events.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct WebhookEvents {
    events: Vec<OrderEvent>,
}

/// Everything `ordergate --json` prints: each line is exactly one of these objects (`list`
/// prints one `Order` per line, `listen` one `OrderEvent` per line; `sandbox` and `demo`
/// print their own objects, described in `ordergate help sandbox` and `help demo`).
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
enum JsonOutput {
    /// `create`, `confirm`, `get`, `cancel`, and each line of `list`.
    Order(Order),
    /// `track`.
    Tracking(Tracking),
    /// `webhook verify`.
    WebhookEvents(WebhookEvents),
    /// The first line of `listen`: where it listens.
    Listening(crate::listener::Listening),
    /// Each later line of `listen`.
    Event(OrderEvent),
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
    pub(crate) fn exit_code(&self) -> u8 {
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
            message: cut_owned(cli_message(&error), "message"),
            code: error.code,
            reason: error.reason,
            retry_after: error.retry_after.map(|wait| wait.as_secs()),
            order_id: error.order_id.map(|id| cut_owned(id, "order id")),
            location: error.location,
        })
    }
}

/// The error's message with the advice in the CLI's terms: when the error is about a field
/// or a setting the CLI sets with a flag ([`Error::fix`]), the library's advice
/// (`ConfirmRequest::merchant_order_id`) gives way to the flag (`--merchant-order-id`).
pub(crate) fn cli_message(error: &Error) -> String {
    let advice = match error.fix() {
        Some(Fix::MerchantOrderId) => "pass --merchant-order-id ID",
        Some(Fix::AllowInsecureHttp) => {
            "use https://, or allow plain HTTP with --allow-insecure-http (or ORDERGATE_ALLOW_INSECURE_HTTP=1)"
        }
        // A setting is named by its environment variable, which is the CLI's too.
        _ => return error.message.clone(),
    };
    format!("{}; {advice}", error.problem())
}

/// `text`, when set, bounded (see [`crate::printable::cut`]).
fn bound(text: &mut Option<String>, what: &str) {
    if let Some(value) = text.take() {
        *text = Some(cut_owned(value, what));
    }
}

/// `order` with every provider string bounded (see [`crate::printable::cut`]), for `--json`.
pub(crate) fn bounded(mut order: Order) -> Order {
    order.order_id = cut_owned(std::mem::take(&mut order.order_id), "order id");
    bound(&mut order.provider_status, "provider status");
    bound(&mut order.tracking_number, "tracking number");
    bound(&mut order.tracking_url, "tracking url");
    if let Some(price) = &mut order.price {
        price.amount = cut_owned(std::mem::take(&mut price.amount), "price");
        bound(&mut price.currency, "currency");
    }
    bound(&mut order.created_at, "created at");
    order
}

/// `tracking` with every provider string bounded, for `--json`.
fn bounded_tracking(mut tracking: Tracking) -> Tracking {
    tracking.order_id = cut_owned(std::mem::take(&mut tracking.order_id), "order id");
    bound(&mut tracking.tracking_number, "tracking number");
    bound(&mut tracking.provider_status, "provider status");
    for event in &mut tracking.events {
        bound(&mut event.at, "time");
        bound(&mut event.provider_status, "provider status");
        bound(&mut event.location, "location");
        bound(&mut event.message, "message");
    }
    tracking
}

/// `event` with every provider string bounded, for `--json`.
pub(crate) fn bounded_event(mut event: OrderEvent) -> OrderEvent {
    event.event_id = cut_owned(std::mem::take(&mut event.event_id), "event id");
    event.event_type = cut_owned(std::mem::take(&mut event.event_type), "event type");
    bound(&mut event.order_id, "order id");
    bound(&mut event.provider_status, "provider status");
    bound(&mut event.tracking_number, "tracking number");
    bound(&mut event.occurred_at, "time");
    event
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

    /// The JSON Schema of `which`.
    pub(crate) fn schema(which: Option<SchemaOf>) -> Self {
        let schema = match which {
            None => schemars::schema_for!(JsonOutput),
            Some(SchemaOf::NewOrder) => schemars::schema_for!(ordergate::NewOrder),
            Some(SchemaOf::Event) => schemars::schema_for!(OrderEvent),
        };
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
            Output::Exit(code) => (String::new(), String::new(), code),
            Output::Order(order) if json => (to_json(&bounded(order)), String::new(), 0),
            Output::Order(order) => (describe_order(&order), String::new(), 0),
            Output::Tracking(tracking) if json => {
                (to_json(&bounded_tracking(tracking)), String::new(), 0)
            }
            Output::Tracking(tracking) => (describe_tracking(&tracking), String::new(), 0),
            Output::Events(events) if json => {
                let events = events.into_iter().map(bounded_event).collect();
                (to_json(&WebhookEvents { events }), String::new(), 0)
            }
            Output::Events(events) => (describe_events(&events), String::new(), 0),
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

/// Writes one line on stdout (`stderr`: on stderr) and flushes it; whether it was written (a
/// closed pipe is not an error worth a panic, and the caller may stop there).
pub(crate) fn write_line(stderr: bool, line: std::fmt::Arguments<'_>) -> bool {
    let written = if stderr {
        let mut err = std::io::stderr().lock();
        writeln!(err, "{line}").and_then(|()| err.flush())
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").and_then(|()| out.flush())
    };
    written.is_ok()
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
    if let Some(created) = &order.created_at {
        lines.push(format!("created at:      {}", shown(created, "created at")));
    }
    if order.status == OrderStatus::Unknown {
        lines.push("note: the provider reported a status ordergate does not know yet".to_owned());
    }
    lines.join("\n")
}

/// A table, provider by operation: `yes` where the provider offers the operation, `-` where
/// it answers `unsupported`; then the notes (1mg's confirm needs `--merchant-order-id`).
fn describe_providers(list: &[ProviderInfo]) -> String {
    let mut rows = vec![
        std::iter::once("provider".to_owned())
            .chain(Operation::PROVIDED.iter().map(|op| op.as_str().to_owned()))
            .collect::<Vec<_>>(),
    ];
    let mut notes = Vec::new();
    for info in list {
        let mut row = vec![info.provider.as_str().to_owned()];
        match info.capabilities {
            Some(capabilities) => row.extend(Operation::PROVIDED.iter().map(|op| {
                if capabilities.contains(*op) {
                    "yes"
                } else {
                    "-"
                }
                .to_owned()
            })),
            None => row.push("(not compiled in)".to_owned()),
        }
        if info.confirm_needs_merchant_order_id == Some(true) {
            notes.push(format!(
                "{}: confirm_order needs --merchant-order-id",
                info.provider
            ));
        }
        rows.push(row);
    }
    let mut text = table(&rows);
    text.push_str("\n\nyes: offered; -: answers unsupported (exit 2), nothing sent.");
    for note in notes {
        text.push('\n');
        text.push_str(&note);
    }
    text
}

/// Columns padded to their widest cell, two spaces apart (cells are ours or already shown).
pub(crate) fn table(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (index, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(index) {
                Some(known) => *known = (*known).max(width),
                None => widths.push(width),
            }
        }
    }
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `status`, with the provider's own value when there is one: `shipped (IN_TRANSIT)`.
fn status_text(status: OrderStatus, raw: Option<&str>) -> String {
    match raw {
        Some(raw) => format!("{status} ({})", shown(raw, "provider status")),
        None => status.to_string(),
    }
}

/// The tracking for people: the order, its status and number, then one line per event.
fn describe_tracking(tracking: &Tracking) -> String {
    let mut lines = vec![
        format!("provider:        {}", tracking.provider),
        format!("order id:        {}", shown(&tracking.order_id, "order id")),
        format!(
            "status:          {}",
            status_text(tracking.status, tracking.provider_status.as_deref())
        ),
    ];
    if let Some(number) = &tracking.tracking_number {
        lines.push(format!(
            "tracking number: {}",
            shown(number, "tracking number")
        ));
    }
    if tracking.events.is_empty() {
        lines.push("events:          none yet".to_owned());
    } else {
        lines.push("events (oldest first):".to_owned());
    }
    for event in &tracking.events {
        let mut line = format!(
            "  {}  {}",
            shown(event.at.as_deref().unwrap_or("-"), "time"),
            status_text(event.status, event.provider_status.as_deref())
        );
        if let Some(location) = &event.location {
            line.push_str(&format!("  at {}", shown(location, "location")));
        }
        if let Some(message) = &event.message {
            line.push_str(&format!("  {}", shown(message, "message")));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// One order on one line, for people (`list`): id, status, creation time, tracking number.
pub(crate) fn order_line(order: &Order) -> String {
    let mut line = format!(
        "{}  {}",
        shown(&order.order_id, "order id"),
        status_text(order.status, order.provider_status.as_deref())
    );
    if let Some(created) = &order.created_at {
        line.push_str(&format!("  created {}", shown(created, "created at")));
    }
    if let Some(number) = &order.tracking_number {
        line.push_str(&format!("  tracking {}", shown(number, "tracking number")));
    }
    line
}

/// One event on one line, for people: provider, type, order, status, tracking, time.
pub(crate) fn describe_event(event: &OrderEvent) -> String {
    let mut line = format!(
        "{} {}",
        event.provider,
        shown(&event.event_type, "event type")
    );
    if let Some(order_id) = &event.order_id {
        line.push_str(&format!(" order {}", shown(order_id, "order id")));
    }
    line.push_str(&format!(
        ": {}",
        status_text(event.status, event.provider_status.as_deref())
    ));
    if let Some(number) = &event.tracking_number {
        line.push_str(&format!(", tracking {}", shown(number, "tracking number")));
    }
    if let Some(at) = &event.occurred_at {
        line.push_str(&format!(", at {}", shown(at, "time")));
    }
    line.push_str(&format!(" [{}]", shown(&event.event_id, "event id")));
    line
}

fn describe_events(events: &[OrderEvent]) -> String {
    if events.is_empty() {
        return "verified; the webhook carries no event".to_owned();
    }
    let mut lines = vec![format!("verified; {} event(s):", events.len())];
    lines.extend(events.iter().map(describe_event));
    lines.join("\n")
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
