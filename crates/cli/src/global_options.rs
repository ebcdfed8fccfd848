//! The global options (`--provider`, `--base-url`, `--timeout`, `--json`,
//! `--allow-insecure-http`) command by command: which each command uses, and the refusal
//! (exit 2, saying why) of one given on the command line to a command that has no use for it.
//! A variable (`ORDERGATE_PROVIDER`, `ORDERGATE_ALLOW_INSECURE_HTTP`) is only a default, never
//! refused.

use clap::ArgMatches;
use clap::parser::ValueSource;
use ordergate::{Provider, ProviderName};

use crate::output::{Failure, Output};
use crate::{Command, parse_provider};

/// A global option, and which commands use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Global {
    Provider,
    BaseUrl,
    Timeout,
    Json,
    AllowInsecureHttp,
}

impl Global {
    const ALL: [Self; 5] = [
        Self::Provider,
        Self::BaseUrl,
        Self::Timeout,
        Self::Json,
        Self::AllowInsecureHttp,
    ];

    /// The clap id of the option.
    fn id(self) -> &'static str {
        match self {
            Self::Provider => "provider",
            Self::BaseUrl => "base_url",
            Self::Timeout => "timeout",
            Self::Json => "json",
            Self::AllowInsecureHttp => "allow_insecure_http",
        }
    }

    /// The option as typed.
    fn flag(self) -> &'static str {
        match self {
            Self::Provider => "--provider",
            Self::BaseUrl => "--base-url",
            Self::Timeout => "--timeout",
            Self::Json => "--json",
            Self::AllowInsecureHttp => "--allow-insecure-http",
        }
    }
}

impl Command {
    /// The command's name, as typed.
    fn name(&self) -> &'static str {
        match self {
            Self::Create { .. } => "create",
            Self::Confirm { .. } => "confirm",
            Self::Get { .. } => "get",
            Self::Cancel { .. } => "cancel",
            Self::List(_) => "list",
            Self::Track { .. } => "track",
            Self::Webhook { .. } => "webhook verify",
            Self::Listen { .. } => "listen",
            Self::Providers => "providers",
            Self::Schema { .. } => "schema",
            Self::Sandbox { .. } => "sandbox",
            Self::Demo => "demo",
        }
    }

    /// The global options the command uses, and why it has no use for the others.
    fn uses(&self) -> (&'static [Global], &'static str) {
        const RECEIVE: &[Global] = &[Global::Provider, Global::Json, Global::AllowInsecureHttp];
        match self {
            Self::Create { .. }
            | Self::Confirm { .. }
            | Self::Get { .. }
            | Self::Cancel { .. }
            | Self::List(_)
            | Self::Track { .. } => (&Global::ALL, ""),
            Self::Webhook { .. } => (
                RECEIVE,
                "it reads a delivery from stdin and sends no request",
            ),
            Self::Listen { .. } => (
                RECEIVE,
                "it receives webhooks and sends no request to a provider",
            ),
            Self::Providers => (
                &[Global::Json],
                "it shows every provider and sends no request",
            ),
            Self::Schema { .. } => (&[Global::Json], "it prints a JSON Schema, as JSON"),
            Self::Sandbox { .. } => (
                &[Global::Json],
                "it serves every provider's fake on loopback and sends no request",
            ),
            Self::Demo => (
                &[Global::Provider, Global::Timeout, Global::Json],
                "it runs against its own sandbox on loopback",
            ),
        }
    }
}

/// Refuses the global options given on the command line that `command` has no use for
/// (a variable such as ORDERGATE_PROVIDER is a default, never refused).
pub(crate) fn refuse_unused(matches: &ArgMatches, command: &Command) -> Result<(), Output> {
    let (used, why) = command.uses();
    let unused: Vec<&str> = Global::ALL
        .into_iter()
        .filter(|global| !used.contains(global))
        .filter(|global| matches.value_source(global.id()) == Some(ValueSource::CommandLine))
        .map(Global::flag)
        .collect();
    if unused.is_empty() {
        return Ok(());
    }
    Err(Output::Failure(Failure::usage(&format!(
        "`{}` does not use {} ({why}): remove {}",
        command.name(),
        unused.join(" or "),
        if unused.len() == 1 { "it" } else { "them" },
    ))))
}

/// The providers `demo` and `listen` cover: the one `--provider` names on the command line,
/// else every provider compiled in.
pub(crate) fn selected(
    matches: &ArgMatches,
    provider: Option<&str>,
) -> Result<Vec<ProviderName>, Output> {
    let given = matches.value_source(Global::Provider.id()) == Some(ValueSource::CommandLine);
    match provider {
        Some(name) if given => Ok(vec![parse_provider(name)?]),
        _ => Ok(Provider::compiled_in()),
    }
}
