//! `ordergate sandbox`: the local fakes of every provider, served for other shells (the
//! demo, which drives them in-process, is `crate::demo`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ordergate::{Provider, ProviderName};
use ordergate_sandbox::{Sandbox, SandboxError, SandboxOptions};
use serde::Serialize;

use crate::output::{Failure, Output};
use crate::printable::json_safe;

/// Serves every provider's fake on `port` (0: any free port), prints the `export` lines a user
/// pastes into another shell (Fuuffy's client id and secret, so the CLI fetches and renews its
/// tokens; a static token only as a `# curl:` comment) and the confirmable order ids, and runs
/// until interrupted. With `webhook_url`, the fakes post their native, signed webhooks to
/// `webhook_url/<provider>` on every state change, and the exports include the webhook
/// credentials (`FUUFFY_WEBHOOK_SECRET`, ...), so `ordergate listen` run with them verifies
/// those webhooks. With `json`, it prints one JSON object on one line instead
/// ([`SandboxJson`]).
pub(crate) async fn serve(port: u16, webhook_url: Option<&str>, json: bool) -> Output {
    let mut options = SandboxOptions::default().port(port);
    if let Some(url) = webhook_url {
        match reqwest::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
                options = options.webhook_url(url);
            }
            _ => {
                return Output::Failure(Failure::usage("--webhook-url: not an http or https URL"));
            }
        }
    }
    let sandbox = match ordergate_sandbox::start_with(options).await {
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
    out!("{text}");
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
    for (name, value) in sandbox.webhook_env() {
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
    /// The environment variables for the CLI (what the text form exports), the webhook
    /// credentials included.
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
                .chain(sandbox.webhook_env())
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

/// `value` as one line of JSON, with the CLI's escaping of what terminals interpret.
fn json_line(value: &impl Serialize) -> String {
    json_safe(serde_json::to_string(value).unwrap_or_default())
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
