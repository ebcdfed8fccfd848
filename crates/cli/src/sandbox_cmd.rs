//! `ordergate sandbox` and `ordergate demo`: the local fakes of every provider, served for
//! another shell or exercised in-process through the facade.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ordergate::{ConfirmRequest, Operation, OrderProvider, OrderStatus, Provider, ProviderName};
use ordergate_sandbox::{Sandbox, SandboxError};
use serde::Serialize;

use crate::output::{Failure, Output};
use crate::printable::{cut_owned, json_safe, shown};

/// Serves every provider's fake on `port` (0: any free port), prints the `export` lines a user
/// pastes into another shell (Fuuffy's client id and secret, so the CLI fetches and renews its
/// tokens; a static token only as a `# curl:` comment) and the confirmable order ids, and runs
/// until interrupted. With `json`, it prints one JSON object on one line instead
/// ([`SandboxJson`]).
pub(crate) async fn serve(port: u16, json: bool) -> Output {
    let sandbox = match ordergate_sandbox::start_on(port).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            return Output::Failure(Failure::internal(format!(
                "cannot start the sandbox on port {port}: {error}"
            )));
        }
    };
    let text = if json {
        json_line(&SandboxJson::of(&sandbox))
    } else {
        exports(&sandbox)
    };
    println!("{text}");
    if let Err(error) = tokio::signal::ctrl_c().await {
        return Output::Failure(Failure::internal(format!(
            "cannot wait for Ctrl-C: {error}"
        )));
    }
    let _ = sandbox.shutdown().await;
    Output::Text(String::new())
}

/// The sandbox's settings for people: `export` lines, `# curl:` comments, order ids.
fn exports(sandbox: &Sandbox) -> String {
    let mut text = format!(
        "# ordergate sandbox at {} (sandbox credentials, not real ones); paste into another shell:\n",
        sandbox.url()
    );
    for (name, value) in environment(sandbox, Sandbox::settings) {
        let _ = writeln!(text, "export {name}={value}");
    }
    for (name, value) in environment(sandbox, Sandbox::static_settings) {
        let _ = writeln!(
            text,
            "# curl: export {name}={value}  (never expires; the CLI renews its own tokens)"
        );
    }
    for provider in Provider::compiled_in() {
        let orders = sandbox.confirmable_orders(provider);
        let _ = writeln!(text, "# {provider} orders: {}", orders.join(" "));
    }
    text.push_str("# Ctrl-C stops the sandbox.");
    text
}

/// What `ordergate --json sandbox` prints: one object, on one line, once the sandbox serves.
#[derive(Debug, Serialize)]
struct SandboxJson {
    /// The listener's root, `http://127.0.0.1:<port>`.
    url: String,
    /// The environment variables for the CLI (what the text form exports).
    env: BTreeMap<&'static str, String>,
    /// Variables for clients that do not renew credentials (curl): `FUUFFY_TOKEN`.
    static_env: BTreeMap<&'static str, String>,
    /// The confirmable order ids, by provider.
    orders: BTreeMap<String, Vec<String>>,
}

impl SandboxJson {
    fn of(sandbox: &Sandbox) -> Self {
        Self {
            url: sandbox.url(),
            env: environment(sandbox, Sandbox::settings)
                .into_iter()
                .collect(),
            static_env: environment(sandbox, Sandbox::static_settings)
                .into_iter()
                .collect(),
            orders: Provider::compiled_in()
                .iter()
                .map(|provider| (provider.to_string(), sandbox.confirmable_orders(provider)))
                .collect(),
        }
    }
}

/// One demo row: what `ordergate --json demo` prints, one object per line, one line per
/// provider.
#[derive(Debug, Serialize)]
struct DemoRow {
    provider: ProviderName,
    order_id: String,
    /// The status before the confirm; null for a provider without lookup.
    status_before: Option<OrderStatus>,
    /// The provider's own status before the confirm.
    provider_status_before: Option<String>,
    status_after: OrderStatus,
    provider_status_after: Option<String>,
    /// The tracking number, else the tracking URL.
    tracking: Option<String>,
}

impl DemoRow {
    /// The row for people: provider, order id, status before -> after, tracking.
    fn cells(&self) -> [String; 4] {
        let before = match self.status_before {
            Some(status) => describe(status, self.provider_status_before.as_deref()),
            None => format!(
                "{} (no lookup)",
                self.provider_status_before.as_deref().unwrap_or("?")
            ),
        };
        [
            self.provider.to_string(),
            self.order_id.clone(),
            format!(
                "{before} -> {}",
                describe(self.status_after, self.provider_status_after.as_deref())
            ),
            self.tracking.clone().unwrap_or_else(|| "-".to_owned()),
        ]
    }
}

/// `value` as one line of JSON, with the CLI's escaping of what terminals interpret.
fn json_line(value: &impl Serialize) -> String {
    json_safe(serde_json::to_string(value).unwrap_or_default())
}

/// Starts the sandbox in-process, then confirms and gets one order per provider through the
/// facade, and prints a table: provider, order id, status before -> after, tracking. With
/// `json`, one [`DemoRow`] object per line instead.
pub(crate) async fn demo(json: bool) -> Output {
    let sandbox = match ordergate_sandbox::start().await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            return Output::Failure(Failure::internal(format!(
                "cannot start the sandbox: {error}"
            )));
        }
    };
    let mut rows = Vec::new();
    for name in Provider::compiled_in() {
        match demo_row(&sandbox, name).await {
            Ok(row) => rows.push(row),
            Err(output) => return output,
        }
    }
    let _ = sandbox.shutdown().await;
    if json {
        let lines: Vec<String> = rows.iter().map(json_line).collect();
        return Output::Text(lines.join("\n"));
    }
    let mut table = vec![[
        "provider".to_owned(),
        "order id".to_owned(),
        "status before -> after".to_owned(),
        "tracking".to_owned(),
    ]];
    table.extend(rows.iter().map(DemoRow::cells));
    Output::Text(render(&table))
}

/// Confirms one of `name`'s sandbox orders through the facade, looking it up before and after
/// where the provider can.
async fn demo_row(sandbox: &Sandbox, name: ProviderName) -> Result<DemoRow, Output> {
    let Some(id) = sandbox.confirmable_orders(name).into_iter().next() else {
        return Err(Output::Failure(Failure::internal(format!(
            "the {name} sandbox has no confirmable order"
        ))));
    };
    let provider = provider_at(sandbox, name)?;
    let lookup = provider.capabilities().contains(Operation::GetOrder);
    let (status_before, provider_status_before) = if lookup {
        let order = provider.get_order(&id).await.map_err(Output::from)?;
        (Some(order.status), order.provider_status)
    } else {
        (None, sandbox.order_status(name, &id))
    };
    let confirmed = provider
        .confirm_order(&confirm_request(sandbox, name, &id))
        .await
        .map_err(Output::from)?;
    let after = if lookup {
        provider.get_order(&id).await.map_err(Output::from)?
    } else {
        confirmed
    };
    let bounded = |text: Option<String>, what| text.map(|text| cut_owned(text, what));
    Ok(DemoRow {
        provider: name,
        order_id: cut_owned(after.order_id, "order id"),
        status_before,
        provider_status_before: bounded(provider_status_before, "provider status"),
        status_after: after.status,
        provider_status_after: bounded(after.provider_status, "provider status"),
        tracking: bounded(after.tracking_number.or(after.tracking_url), "tracking"),
    })
}

/// The facade's adapter for `name`, built from the sandbox's settings for it.
fn provider_at(sandbox: &Sandbox, name: ProviderName) -> Result<Provider, Output> {
    let settings = sandbox
        .settings(name)
        .map_err(|error| Output::Failure(Failure::internal(error.to_string())))?;
    Provider::from_options(name, settings).map_err(Output::from)
}

/// The confirm of `provider`'s sandbox order `id`, with the merchant order id the sandbox
/// expects where the provider needs one.
fn confirm_request(sandbox: &Sandbox, provider: ProviderName, id: &str) -> ConfirmRequest {
    let mut request = ConfirmRequest::new(id);
    request.merchant_order_id = sandbox.merchant_order_id(provider, id);
    request
}

/// Which of the sandbox's settings for a provider: [`Sandbox::settings`] or
/// [`Sandbox::static_settings`].
type SettingsOf = fn(&Sandbox, ProviderName) -> Result<Vec<(&'static str, String)>, SandboxError>;

/// Environment variables that point the CLI (or curl) at `sandbox`: each setting `which` gives
/// under the name of the facade's configuration key it sets (`FUUFFY_CLIENT_ID`), for every
/// provider compiled in.
fn environment(sandbox: &Sandbox, which: SettingsOf) -> Vec<(&'static str, String)> {
    let mut variables = Vec::new();
    for name in Provider::compiled_in() {
        let keys = Provider::settings(name).unwrap_or_default();
        for (key, value) in which(sandbox, name).unwrap_or_default() {
            if let Some(setting) = keys.iter().find(|setting| setting.is_named(key)) {
                variables.push((setting.env, value));
            }
        }
    }
    variables
}

fn describe(status: OrderStatus, raw: Option<&str>) -> String {
    match raw {
        Some(raw) => format!("{status} ({raw})"),
        None => status.to_string(),
    }
}

/// Columns padded to their widest cell. Cells hold what the fakes answered over HTTP, so they
/// are escaped and bounded like any provider text.
fn render(rows: &[[String; 4]]) -> String {
    let rows: Vec<[String; 4]> = rows
        .iter()
        .map(|row| row.clone().map(|cell| shown(&cell, "cell").into_owned()))
        .collect();
    let mut widths = [0usize; 4];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::from("ordergate demo: the facade against the in-process sandbox\n\n");
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out.trim_end().to_owned()
}
