//! `ordergate sandbox` (the CLI, as CI's test build builds it) on a free port, for the steps
//! that test against it, with the `export` lines and order ids it printed.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::process::{Background, START_TIMEOUT, log_tail};
use super::{Ctx, SpecInfo};
use crate::progress::command_line;

/// `ordergate sandbox` running on a free port, with what it printed.
pub(super) struct Sandbox {
    _process: Background,
    /// The `export NAME=value` lines (base URLs and credentials) and the `# curl: export
    /// NAME=value` ones (static credentials for clients that do not renew, as schemathesis).
    pub(super) env: BTreeMap<String, String>,
    /// Provider -> confirmable order ids (`# fuuffy orders: ...`).
    pub(super) orders: BTreeMap<String, String>,
}

impl Sandbox {
    pub(super) fn start(ctx: &Ctx) -> Result<Self> {
        let cli = build_cli(ctx)?;
        let log = ctx.log("sandbox");
        let mut command = Command::new(&cli);
        command
            .args(["sandbox", "--port", "0"])
            .current_dir(&ctx.root);
        command.stdout(Stdio::piped());
        let file = fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut child = command
            .stdin(Stdio::null())
            .stderr(file.try_clone()?)
            .spawn()
            .with_context(|| format!("starting {} sandbox", cli.display()))?;
        let stdout = child.stdout.take();
        let process = Background {
            name: "ordergate sandbox".to_owned(),
            child,
            log: log.clone(),
        };
        // The sandbox prints its settings, then serves until killed; its lines are copied to
        // the log and handed over here until the last one of the header.
        let (lines, received) = mpsc::channel();
        if let Some(stdout) = stdout {
            let mut file = file;
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let _ = writeln!(file, "{line}");
                    let _ = lines.send(line);
                }
            });
        }
        let mut env = BTreeMap::new();
        let mut orders = BTreeMap::new();
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let line = match received.recv_timeout(wait) {
                Ok(line) => line,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    bail!("the sandbox exited before serving:\n{}", log_tail(&log))
                }
                Err(mpsc::RecvTimeoutError::Timeout) => bail!(
                    "the sandbox printed no settings within {}s:\n{}",
                    START_TIMEOUT.as_secs(),
                    log_tail(&log)
                ),
            };
            if let Some((name, value)) = line
                .strip_prefix("export ")
                .and_then(|rest| rest.split_once('='))
            {
                env.insert(name.to_owned(), value.to_owned());
            } else if let Some((name, rest)) = line
                .strip_prefix("# curl: export ")
                .and_then(|rest| rest.split_once('='))
            {
                // A static credential for clients that do not renew (Fuuffy's token):
                // schemathesis sends it as it is.
                let value = rest.split_whitespace().next().unwrap_or_default();
                env.insert(name.to_owned(), value.to_owned());
            } else if let Some((provider, ids)) = line
                .strip_prefix("# ")
                .and_then(|rest| rest.split_once(" orders: "))
            {
                orders.insert(provider.to_owned(), ids.trim().to_owned());
            }
            // The header ends with the Ctrl-C hint, after the order ids of every provider.
            if line.starts_with("# Ctrl-C") || orders.len() == ctx.specs.len() {
                break;
            }
        }
        println!(
            "    ordergate sandbox serving {} providers (log: {})",
            orders.len(),
            ctx.relative(&log).display()
        );
        Ok(Self {
            _process: process,
            env,
            orders,
        })
    }

    /// The sandbox's base URL for `spec`'s provider (`FUUFFY_BASE_URL`).
    pub(super) fn base_url(&self, spec: &SpecInfo) -> Result<&str> {
        let name = format!("{}_BASE_URL", spec.env_prefix());
        self.env.get(&name).map(String::as_str).with_context(|| {
            format!(
                "the sandbox printed no {name}: does it serve {}?",
                spec.name
            )
        })
    }
}

/// Builds the `ordergate` CLI and returns the executable. It is built as CI's test build
/// builds it (for the CLI's integration tests: `--workspace --all-features --tests`), so that
/// build is reused and nothing recompiles.
fn build_cli(ctx: &Ctx) -> Result<PathBuf> {
    let mut command = Command::new(&ctx.cargo);
    command
        .args([
            "build",
            "--workspace",
            "--all-features",
            "--locked",
            "--tests",
        ])
        .args(["--message-format=json-render-diagnostics"])
        .current_dir(&ctx.root)
        .stderr(Stdio::inherit());
    println!("==> conformance: {}", command_line(&command));
    let output = command.output().context("building the ordergate CLI")?;
    if !output.status.success() {
        bail!(
            "cargo build of the ordergate CLI failed ({})",
            output.status
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        // The binary itself, not its unit-test harness (`--tests` builds both).
        .filter(|message| {
            message.pointer("/target/name").and_then(Value::as_str) == Some("ordergate")
                && message.pointer("/profile/test").and_then(Value::as_bool) == Some(false)
                && message
                    .pointer("/target/kind")
                    .and_then(Value::as_array)
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"))
        })
        .find_map(|message| message.get("executable")?.as_str().map(PathBuf::from))
        .context("cargo build produced no `ordergate` executable")
}
