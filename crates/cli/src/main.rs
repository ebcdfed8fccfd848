//! `ordergate`: confirm and look up orders at any supported provider.
//!
//! ```text
//! ordergate [--provider P] [--base-url URL] [--timeout SECONDS] [--json] <command>
//!   confirm <ORDER_ID> [--merchant-order-id ID]
//!   get <ORDER_ID>
//!   providers
//!   schema
//!   sandbox [--port N]     (--json: one object on one line)
//!   demo                   (--json: one object per line, one per provider)
//! ```
//!
//! Exit codes: 0 success, 1 provider or transport error, 2 usage or invalid input (nothing sent).
//!
//! No request ever follows a redirect; provider text printed for people has its control
//! characters escaped and is cut to a bound.

// `Output` carries the facade's full error (see `ordergate`'s note on `result_large_err`).
#![allow(clippy::result_large_err)]

mod output;
mod printable;
mod sandbox_cmd;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ordergate::{ConfirmRequest, OrderProvider, Overrides, Provider, ProviderName};

use crate::output::{Failure, Output};

/// Confirm and look up orders at any supported provider.
///
/// Settings come from the environment (listed below); --base-url overrides the provider's
/// base URL setting.
#[derive(Debug, Parser)]
#[command(name = "ordergate", version)]
struct Cli {
    /// The provider (the names are listed below).
    #[arg(long, env = "ORDERGATE_PROVIDER", global = true, value_name = "P")]
    provider: Option<String>,

    /// Send requests to this base URL instead of the provider's.
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,

    /// Timeout of the whole call in seconds, retries and waits included (default 30).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Option<Duration>,

    /// Print one JSON object on stdout (errors too) instead of lines for people (`demo`: one
    /// object per line, one per provider).
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Confirm an order (this may charge money; never resent once the provider may have
    /// processed it).
    ///
    /// A confirm is sent again in one case only: once, after an HTTP 401, with a renewed token
    /// (client credentials; a 401 means the provider did not process it). It is tried again
    /// when the connection could not be made at all (nothing was sent). After a timeout or a
    /// connection lost once it was sent, it is never resent: look the order up with `get`.
    Confirm {
        /// The provider's order id.
        order_id: String,
        /// The merchant's own order id (required where `ordergate providers` says so).
        #[arg(long, value_name = "ID")]
        merchant_order_id: Option<String>,
    },
    /// Look an order up.
    Get {
        /// The provider's order id.
        order_id: String,
    },
    /// List the providers and what each supports.
    Providers,
    /// Print the JSON Schema of what `--json` prints.
    Schema,
    /// Serve local fakes of every provider and print the `export` lines for another shell.
    ///
    /// Fuuffy gets FUUFFY_CLIENT_ID and FUUFFY_CLIENT_SECRET, so the CLI fetches and renews
    /// its tokens; a never-expiring token is printed only as a `# curl: export ...` comment.
    /// With --json: one object on one line, {"url", "env", "static_env", "orders"}, then the
    /// sandbox serves until Ctrl-C.
    Sandbox {
        /// The loopback port (default: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Start the sandbox in-process, then confirm and get one order per provider.
    ///
    /// With --json: one object per line, one line per provider, {"provider", "order_id",
    /// "status_before", "provider_status_before", "status_after", "provider_status_after",
    /// "tracking"}; a failure prints the usual {"error": ...} object instead.
    Demo,
}

/// The providers and the environment variables each reads, from the adapters' configuration
/// keys.
fn settings_help() -> String {
    let mut text = String::from("Providers and their environment variables (* required):\n");
    for name in Provider::compiled_in() {
        let settings = Provider::settings(name).unwrap_or_default();
        let variables: Vec<String> = settings
            .iter()
            .map(|setting| {
                let mut instead = Vec::new();
                let all = setting.instead_envs(settings);
                if !all.is_empty() {
                    instead.push(all.join("+"));
                }
                instead.extend(
                    setting
                        .instead_any_envs(settings)
                        .into_iter()
                        .map(str::to_owned),
                );
                match (setting.required, instead.is_empty()) {
                    (false, _) => setting.env.to_owned(),
                    (true, true) => format!("{}*", setting.env),
                    (true, false) => format!("{}* (or {})", setting.env, instead.join(" or ")),
                }
            })
            .collect();
        text.push_str(&format!(
            "  {:<10} {}\n",
            name.as_str(),
            variables.join(" ")
        ));
    }
    text.push_str("ORDERGATE_PROVIDER names the provider when --provider is not given.");
    text
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(format!("{text:?} is not between 0 and 86400 seconds"))
    }
}

fn main() -> ExitCode {
    let json_requested = std::env::args().any(|arg| arg == "--json");
    let parsed = Cli::command()
        .after_help(settings_help())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() && json_requested => {
            let message = error.render().to_string();
            return Output::Failure(Failure::usage(message.trim())).print(true);
        }
        Err(error) => error.exit(),
    };
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return Output::Failure(Failure::internal(format!(
                "cannot start the runtime: {error}"
            )))
            .print(json);
        }
    };
    runtime.block_on(run(cli)).print(json)
}

async fn run(cli: Cli) -> Output {
    let Cli {
        provider,
        base_url,
        timeout,
        json,
        command,
    } = cli;
    let configure = || {
        configure(
            provider.as_deref(),
            Overrides::new(base_url.clone(), timeout),
        )
    };
    let result = match command {
        Command::Providers => return Output::providers(),
        Command::Schema => return Output::schema(),
        Command::Sandbox { port } => return sandbox_cmd::serve(port, json).await,
        Command::Demo => return sandbox_cmd::demo(json).await,
        Command::Confirm {
            order_id,
            merchant_order_id,
        } => {
            let provider = match configure() {
                Ok(provider) => provider,
                Err(output) => return output,
            };
            let mut request = ConfirmRequest::new(order_id);
            request.merchant_order_id = merchant_order_id;
            provider.confirm_order(&request).await
        }
        Command::Get { order_id } => {
            let provider = match configure() {
                Ok(provider) => provider,
                Err(output) => return output,
            };
            provider.get_order(&order_id).await
        }
    };
    match result {
        Ok(order) => Output::Order(order),
        Err(error) => Output::from(error),
    }
}

/// The provider named on the command line or by `ORDERGATE_PROVIDER`, configured from the
/// environment with `overrides` winning.
fn configure(name: Option<&str>, overrides: Overrides) -> Result<Provider, Output> {
    let Some(name) = name else {
        return Err(Output::Failure(Failure::usage(&format!(
            "no provider: pass --provider or set ORDERGATE_PROVIDER ({})",
            Provider::compiled_in()
                .iter()
                .map(|name| name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))));
    };
    let name: ProviderName = name.parse().map_err(|error: ordergate::UnknownProvider| {
        Output::Failure(Failure::usage(&error.to_string()))
    })?;
    Provider::from_env_with(name, &overrides).map_err(Output::from)
}
