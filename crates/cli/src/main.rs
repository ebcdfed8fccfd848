//! `ordergate`: create, confirm, look up, cancel, list and track orders at any supported
//! provider, and receive its webhooks as normalized events.
//!
//! ```text
//! ordergate [--provider P] [--base-url URL] [--timeout SECONDS] [--json]
//!           [--allow-insecure-http] <command>
//!   create --file ORDER.json           (a NewOrder: `ordergate schema new-order`)
//!   confirm <ORDER_ID> [--merchant-order-id ID]
//!   get <ORDER_ID>
//!   cancel <ORDER_ID>
//!   list [--status S] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--limit N]
//!                                      (--json: one Order object per line)
//!   track <ORDER_ID>
//!   webhook verify [--header "Name: value"]... < BODY
//!                                      (--json: {"events": [OrderEvent...]})
//!   listen [--port N] [--forward URL]  (--json: one OrderEvent object per line)
//!   providers                          (capabilities, provider by operation)
//!   schema [new-order | event]
//!   sandbox [--port N] [--webhook-url URL]
//!   demo                               (--json: one object per step)
//! ```
//!
//! A command refuses (exit 2) a global option it has no use for (`global_options`): `sandbox
//! --base-url URL` is an error, never silently ignored. `demo` and `listen` cover the
//! provider `--provider` names, else all.
//!
//! Exit codes: 0 success, 1 provider, transport or unauthorized error, 2 usage, invalid input
//! or an operation the provider does not offer (nothing sent).
//!
//! This file parses the command line and dispatches; each command lives in the module named
//! for what it holds (`listing`, `webhook_input`, `listener`, `forwarding`, `demo`,
//! `sandbox_cmd`, `new_order_file`), and `global_options` says which global options each
//! command uses, and `output` prints every result. No request ever
//! follows a redirect; provider text printed for people has its control characters escaped
//! and is cut to a bound.

// `Output` carries the facade's full error (see `ordergate`'s note on `result_large_err`).
#![allow(clippy::result_large_err)]

/// `println!` that never panics: a closed stdout (`ordergate list | head`) is ignored.
macro_rules! out {
    ($($arg:tt)*) => {{ let _ = $crate::output::write_line(false, format_args!($($arg)*)); }};
}

/// `eprintln!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => {{ let _ = $crate::output::write_line(true, format_args!($($arg)*)); }};
}

mod demo;
mod forwarding;
mod global_options;
mod listener;
mod listing;
mod new_order_file;
mod output;
mod printable;
mod sandbox_cmd;
mod webhook_input;

use std::process::ExitCode;
use std::time::Duration;

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ordergate::{ConfirmRequest, OrderProvider, Overrides, Provider, ProviderName};

use crate::listing::ListArgs;
use crate::output::{Failure, Output, SchemaOf};

/// Create, confirm, look up, cancel, list and track orders at any supported provider, and
/// receive its webhooks as normalized events.
///
/// Settings come from the environment (listed below); --base-url overrides the provider's
/// base URL setting. A command refuses (exit 2) an option it has no use for. Exit codes: 0
/// success, 1 provider, transport or unauthorized error, 2 usage, invalid input or an
/// operation the provider does not offer (nothing sent).
#[derive(Debug, Parser)]
#[command(name = "ordergate", version)]
struct Cli {
    /// The provider (its help lists the names: see `provider_help`).
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

    /// Send credentials over plain http:// to a host that is not loopback (they travel in
    /// clear text; refused by default).
    #[arg(
        long,
        global = true,
        env = "ORDERGATE_ALLOW_INSECURE_HTTP",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    allow_insecure_http: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create an order from a NewOrder JSON file (`ordergate schema new-order`); prints the
    /// order. Never resent once it may have reached the provider.
    Create {
        /// The order, as JSON.
        #[arg(long, value_name = "ORDER.json")]
        file: PathBuf,
    },
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
    /// Cancel an order; prints it, with status `cancelled`. Never resent once it may have
    /// reached the provider.
    Cancel {
        /// The provider's order id.
        order_id: String,
    },
    /// List orders, newest or oldest first as the provider lists them; with --json one Order
    /// object per line.
    ///
    /// Pages are fetched only as the orders are printed, so --limit stops the requests once
    /// reached. An error part-way is printed after the orders already printed (exit 1).
    List(ListArgs),
    /// An order's tracking: its tracking number, status and events, oldest first.
    Track {
        /// The provider's order id.
        order_id: String,
    },
    /// Webhooks the provider delivers.
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
    /// Receive webhooks: an HTTP server on 127.0.0.1 with `POST /<provider>` for every
    /// provider that has webhooks through ordergate and is configured in the environment.
    ///
    /// Each delivery is verified with the provider's webhook credentials and answered as the
    /// provider expects (401 for a refused signature or credential, 400 for a body that is not
    /// an event, 413 beyond 1 MiB); each event is printed on one line (--json: one OrderEvent
    /// object). A provider that cannot be configured is left out, with one line on stderr
    /// saying why. The first line printed is the address listened on. Runs until Ctrl-C.
    Listen {
        /// The loopback port (default: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Also POST each event, as JSON, to this URL (in the background, 10 s timeout;
        /// failures on stderr).
        #[arg(long, value_name = "URL")]
        forward: Option<String>,
    },
    /// Show what each provider offers, operation by operation.
    Providers,
    /// Print a JSON Schema: of what --json prints (default), of the order `create` reads
    /// (`new-order`), or of one webhook event (`event`).
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        of: Option<SchemaOf>,
    },
    /// Serve local fakes of every provider and print the `export` lines for another shell.
    ///
    /// Fuuffy gets FUUFFY_CLIENT_ID and FUUFFY_CLIENT_SECRET, so the CLI fetches and renews
    /// its tokens; a never-expiring token is printed only as a `# curl: export ...` comment.
    /// The exports include the webhook credentials the fakes send with
    /// (FUUFFY_WEBHOOK_SECRET, LOGITRAIL_WEBHOOK_USERNAME and LOGITRAIL_WEBHOOK_PASSWORD,
    /// ONEMG_WEBHOOK_TOKEN). With --json: one object on one line, {"url", "env",
    /// "static_env", "orders"}, then the sandbox serves until Ctrl-C.
    Sandbox {
        /// The loopback port (default: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// On every state change, the fakes post their native, signed webhooks to
        /// URL/<provider> (for example to `ordergate listen` run with the printed exports).
        #[arg(long, value_name = "URL")]
        webhook_url: Option<String>,
    },
    /// Tell one order's life at each provider against an in-process sandbox: create,
    /// confirm, track, webhook events received by an in-process listener, delivered; a step
    /// a provider does not offer is skipped with a line saying so.
    ///
    /// With --json: one object per step, {"provider", "step", "outcome", "order_id",
    /// "status", "provider_status", "tracking_number", "events", "message", "error"}.
    Demo,
}

#[derive(Debug, Subcommand)]
enum WebhookAction {
    /// Verify a delivery (its raw body on stdin, its headers as options) and print its
    /// events: with --json {"events": [...]}. A missing or wrong signature or credential is
    /// `unauthorized` (exit 1); webhook credentials not configured are `invalid_input` (exit
    /// 2).
    Verify {
        /// A header of the delivery, `Name: value` (repeat for several).
        #[arg(long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
    },
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

/// The help of `--provider`: the names, and what it means for the commands that serve
/// several providers.
fn provider_help() -> String {
    let names: Vec<&str> = Provider::compiled_in()
        .iter()
        .map(|name| name.as_str())
        .collect();
    format!(
        "The provider: {}. For `demo` and `listen`, the only provider shown or served (there, only --provider counts, not ORDERGATE_PROVIDER)",
        names.join(", ")
    )
}

/// The provider named `name`, or a usage error listing the names.
pub(crate) fn parse_provider(name: &str) -> Result<ProviderName, Output> {
    name.parse().map_err(|error: ordergate::UnknownProvider| {
        Output::Failure(Failure::usage(&error.to_string()))
    })
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

/// The command line's definition: the derived one, with the help texts made at run time (the
/// provider names, and the variables each provider reads after the help of every command
/// that configures one).
fn command() -> clap::Command {
    let settings = settings_help();
    let with_settings = |command: clap::Command| command.after_help(settings.clone());
    let mut command = Cli::command()
        .mut_arg("provider", |arg| arg.help(provider_help()))
        .after_help(settings.clone());
    for name in [
        "create", "confirm", "get", "cancel", "list", "track", "listen",
    ] {
        command = command.mut_subcommand(name, with_settings);
    }
    command.mut_subcommand("webhook", |webhook| {
        with_settings(webhook).mut_subcommand("verify", with_settings)
    })
}

fn main() -> ExitCode {
    let json_requested = std::env::args().any(|arg| arg == "--json");
    let parsed = command()
        .try_get_matches()
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(error) if error.use_stderr() && json_requested => {
            let message = error.render().to_string();
            return Output::Failure(Failure::usage(message.trim())).print(true);
        }
        Err(error) => error.exit(),
    };
    let json = cli.json;
    if let Err(output) = global_options::refuse_unused(&matches, &cli.command) {
        return output.print(json);
    }
    // Only for `demo` and `listen`, which otherwise cover every provider.
    let selected = match &cli.command {
        Command::Demo | Command::Listen { .. } => {
            match global_options::selected(&matches, cli.provider.as_deref()) {
                Ok(names) => names,
                Err(output) => return output.print(json),
            }
        }
        _ => Vec::new(),
    };
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
    runtime.block_on(run(cli, selected)).print(json)
}

/// Runs the command; `selected` holds the providers `demo` and `listen` cover.
async fn run(cli: Cli, selected: Vec<ProviderName>) -> Output {
    let Cli {
        provider,
        base_url,
        timeout,
        json,
        allow_insecure_http,
        command,
    } = cli;
    let overrides = Overrides::new(base_url, timeout).with_insecure_http(allow_insecure_http);
    // The provider of a command that needs one.
    macro_rules! provider {
        () => {
            match configure(provider.as_deref(), overrides.clone()) {
                Ok(provider) => provider,
                Err(output) => return output,
            }
        };
    }
    let result = match command {
        Command::Providers => return Output::providers(),
        Command::Schema { of } => return Output::schema(of),
        Command::Sandbox { port, webhook_url } => {
            return sandbox_cmd::serve(port, webhook_url.as_deref(), json).await;
        }
        Command::Demo => {
            let options = demo::DemoOptions {
                providers: selected,
                timeout,
                json,
            };
            return demo::demo(options).await;
        }
        Command::Listen { port, forward } => {
            return listener::listen(port, forward.as_deref(), &selected, overrides, json).await;
        }
        Command::Webhook {
            action: WebhookAction::Verify { headers },
        } => return webhook_input::verify(&provider!(), &headers),
        Command::List(args) => return listing::run(&provider!(), &args, json).await,
        Command::Track { order_id } => {
            return match provider!().track_order(&order_id).await {
                Ok(tracking) => Output::Tracking(tracking),
                Err(error) => Output::from(error),
            };
        }
        Command::Create { file } => {
            // The file is read before the provider is configured: a bad file is a usage
            // error whatever the configuration.
            let order = match new_order_file::read(&file) {
                Ok(order) => order,
                Err(output) => return output,
            };
            provider!().create_order(&order).await
        }
        Command::Confirm {
            order_id,
            merchant_order_id,
        } => {
            let mut request = ConfirmRequest::new(order_id);
            request.merchant_order_id = merchant_order_id;
            provider!().confirm_order(&request).await
        }
        Command::Get { order_id } => provider!().get_order(&order_id).await,
        Command::Cancel { order_id } => provider!().cancel_order(&order_id).await,
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
    Provider::from_env_with(parse_provider(name)?, &overrides).map_err(Output::from)
}
