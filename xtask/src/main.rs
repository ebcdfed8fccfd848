//! Maintainer tasks for the ordergate workspace.
//!
//! ```text
//! cargo xtask codegen [--check]   check every spec, validate every example, write API.md files
//! cargo xtask ci [--check-tools]  everything CI checks (fmt, clippy with every feature set and
//!                                 -F missing-docs, tests, docs, codegen --check, conformance),
//!                                 after checking the tools it needs (--check-tools: only that)
//! cargo xtask conformance         Redocly, Prism and schemathesis check specs, clients, sandbox
//! cargo xtask bench [--no-build]  run-time, callgrind and build-time benchmarks -> BENCHMARKS.md
//! cargo xtask sdk-build           clean build of an app using ordergate-fuuffy / its run-time deps
//! cargo xtask package-check       cargo package (verified) of every publishable crate
//! ```

use std::path::{Path, PathBuf};

mod bench;
mod ci;
mod codegen;
mod conformance;
mod package_check;
mod progress;
mod sdk_build;
mod tools;

use anyhow::{Context, Result, bail};

use crate::codegen::Mode;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] | cargo xtask ci [--check-tools] | cargo xtask conformance | cargo xtask bench [--no-build]
       | cargo xtask sdk-build | cargo xtask package-check
codegen: check every spec in specs/, validate every example, rewrite the generated files (crates/<provider>/API.md)
codegen --check: change nothing; fail if a spec or example is invalid or a generated file is stale
ci: cargo fmt --check, clippy -D warnings -F missing-docs (all features), clippy -D warnings (the facade and
    the CLI with each feature set), tests (every suite; the Prism tests run in conformance), doc tests, doc -D warnings,
    codegen --check, conformance; first, a check of the tools it needs (cargo-nextest, Node.js, npm, Python)
ci --check-tools: only that check: every missing tool listed with the command that installs it
conformance: Redocly lint, Prism mock and proxy, schemathesis (installs them pinned)
sdk-build: clean debug builds of an application using ordergate-fuuffy and of one using only its
    third-party run-time dependencies (target/bench/sdk-build/; ORDERGATE_SDK_BUILD_RUNS=n for a median)
package-check: cargo package --locked (verified) of every publishable crate (target/bench/package/)";

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen::run(Mode::Write),
        ["codegen", "--check"] => codegen::run(Mode::Check),
        ["ci"] => ci::run(false),
        ["ci", "--check-tools"] => ci::run(true),
        ["conformance"] => conformance::run(),
        ["bench"] => bench::run(true),
        ["bench", "--no-build"] => bench::run(false),
        ["sdk-build"] => print_figures(sdk_build::measure(&workspace_root(), &cargo())?),
        ["package-check"] => print_figures(package_check::measure(&workspace_root(), &cargo())?),
        _ => bail!("{USAGE}"),
    }
}

/// The standard output of `command` (`what` names it in errors), which must succeed.
fn stdout_of(command: &mut std::process::Command, what: &str) -> Result<String> {
    let output = command.output().with_context(|| what.to_owned())?;
    if !output.status.success() {
        bail!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Prints `name=value` lines, the form scripts read.
fn print_figures(figures: std::collections::BTreeMap<String, String>) -> Result<()> {
    for (name, value) in figures {
        println!("{name}={value}");
    }
    Ok(())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo that runs this xtask (`$CARGO`), for the cargo commands it runs.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The specs, sorted by name: `specs/<provider>.yaml`.
fn spec_paths(root: &Path) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .context("reading specs/")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    Ok(paths)
}
