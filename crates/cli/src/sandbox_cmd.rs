//! `ordergate sandbox` and `ordergate demo`: the local fakes of every provider, served for
//! another shell or exercised in-process through the facade.

use std::fmt::Write as _;

use ordergate::{ConfirmRequest, Operation, OrderProvider, OrderStatus, Provider, ProviderName};
use ordergate_sandbox::Sandbox;

use crate::output::{Failure, Output};
use crate::printable::shown;

/// Serves every provider's fake on `port` (0: any free port), prints the `export` lines a user
/// pastes into another shell and the confirmable order ids, and runs until interrupted.
pub(crate) async fn serve(port: u16) -> Output {
    let sandbox = match ordergate_sandbox::start_on(port).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            return Output::Failure(Failure::internal(format!(
                "cannot start the sandbox on port {port}: {error}"
            )));
        }
    };
    let mut text = format!(
        "# ordergate sandbox at {} (sandbox credentials, not real ones); paste into another shell:\n",
        sandbox.url()
    );
    for (name, value) in environment(&sandbox) {
        let _ = writeln!(text, "export {name}={value}");
    }
    for provider in Provider::compiled_in() {
        let orders = sandbox.confirmable_orders(provider);
        let _ = writeln!(text, "# {provider} orders: {}", orders.join(" "));
    }
    text.push_str("# Ctrl-C stops the sandbox.");
    println!("{text}");
    if let Err(error) = tokio::signal::ctrl_c().await {
        return Output::Failure(Failure::internal(format!(
            "cannot wait for Ctrl-C: {error}"
        )));
    }
    let _ = sandbox.shutdown().await;
    Output::Text(String::new())
}

/// Starts the sandbox in-process, then confirms and gets one order per provider through the
/// facade, and prints a table: provider, order id, status before -> after, tracking.
pub(crate) async fn demo() -> Output {
    let sandbox = match ordergate_sandbox::start().await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            return Output::Failure(Failure::internal(format!(
                "cannot start the sandbox: {error}"
            )));
        }
    };
    let mut table = vec![[
        "provider".to_owned(),
        "order id".to_owned(),
        "status before -> after".to_owned(),
        "tracking".to_owned(),
    ]];
    for name in Provider::compiled_in() {
        let Some(id) = sandbox.confirmable_orders(name).into_iter().next() else {
            return Output::Failure(Failure::internal(format!(
                "the {name} sandbox has no confirmable order"
            )));
        };
        let provider = match provider_at(&sandbox, name) {
            Ok(provider) => provider,
            Err(output) => return output,
        };
        let lookup = provider.capabilities().contains(Operation::GetOrder);
        let before = if lookup {
            match provider.get_order(&id).await {
                Ok(order) => describe(order.status, order.provider_status.as_deref()),
                Err(error) => return Output::from(error),
            }
        } else {
            let raw = sandbox.order_status(name, &id);
            format!("{} (no lookup)", raw.as_deref().unwrap_or("?"))
        };
        let confirmed = match provider
            .confirm_order(&confirm_request(&sandbox, name, &id))
            .await
        {
            Ok(order) => order,
            Err(error) => return Output::from(error),
        };
        let after = if lookup {
            match provider.get_order(&id).await {
                Ok(order) => order,
                Err(error) => return Output::from(error),
            }
        } else {
            confirmed
        };
        let tracking = after
            .tracking_number
            .clone()
            .or_else(|| after.tracking_url.clone())
            .unwrap_or_else(|| "-".to_owned());
        table.push([
            name.to_string(),
            after.order_id.clone(),
            format!(
                "{before} -> {}",
                describe(after.status, after.provider_status.as_deref())
            ),
            tracking,
        ]);
    }
    let _ = sandbox.shutdown().await;
    Output::Text(render(&table))
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

/// The environment variables that point the CLI at `sandbox`: each sandbox setting under the
/// name of the facade's configuration key it sets (`FUUFFY_TOKEN`), for every provider
/// compiled in.
fn environment(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    let mut variables = Vec::new();
    for name in Provider::compiled_in() {
        let keys = Provider::settings(name).unwrap_or_default();
        for (key, value) in sandbox.settings(name).unwrap_or_default() {
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
