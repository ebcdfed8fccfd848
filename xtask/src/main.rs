//! Maintainer tasks for the ordergate workspace.
//!
//! ```text
//! cargo xtask codegen [--check]   check every spec, validate every example, write API.md files
//! cargo xtask ci                  everything CI checks (fmt, clippy, tests, docs, codegen --check,
//!                                 conformance)
//! cargo xtask conformance         Redocly, Prism and schemathesis check specs, clients, sandbox
//! cargo xtask bench [--no-build]  run-time and build-time benchmarks -> BENCHMARKS.md
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

mod bench;
mod conformance;

use anyhow::{Context, Result, bail};
use ordergate_codegen::{Spec, api_summary, examples, generate};

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
        ["codegen"] => codegen(Mode::Write),
        ["codegen", "--check"] => codegen(Mode::Check),
        ["ci"] => ci(),
        ["conformance"] => conformance::run(),
        ["bench"] => bench::run(true),
        ["bench", "--no-build"] => bench::run(false),
        _ => bail!(
            "usage: cargo xtask codegen [--check] | cargo xtask ci | cargo xtask conformance | cargo xtask bench [--no-build]\n\
             codegen: check every spec in specs/, validate every example, rewrite crates/<provider>/API.md\n\
             codegen --check: change nothing; fail if a spec or example is invalid or an API.md is stale\n\
             ci: cargo fmt --check, clippy -D warnings, tests, doc -D warnings, codegen --check, conformance\n\
             conformance: Redocly lint, Prism mock and proxy, schemathesis (installs them pinned)"
        ),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
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

fn codegen(mode: Mode) -> Result<()> {
    let root = workspace_root();
    let mut problems = Vec::new();
    let mut example_count = 0;
    let specs = spec_paths(&root)?;
    for path in &specs {
        let relative = path.strip_prefix(&root).unwrap_or(path);
        let spec = match Spec::load(relative).or_else(|_| Spec::load(path)) {
            Ok(spec) => spec,
            Err(error) => {
                problems.push(error.to_string());
                continue;
            }
        };
        let generated = match generate(&spec) {
            Ok(generated) => generated,
            Err(error) => {
                problems.push(error.to_string());
                continue;
            }
        };
        match examples::validate_examples(&spec) {
            Ok(count) => example_count += count,
            Err(failures) => problems.extend(failures.iter().map(ToString::to_string)),
        }
        let summary = api_summary(&spec, &generated)?;
        let target = root.join("crates").join(spec.name()).join("API.md");
        let current = std::fs::read_to_string(&target).unwrap_or_default();
        if current != summary {
            match mode {
                Mode::Write => {
                    std::fs::write(&target, &summary)
                        .with_context(|| format!("writing {}", target.display()))?;
                    println!(
                        "wrote {}",
                        target.strip_prefix(&root).unwrap_or(&target).display()
                    );
                }
                Mode::Check => problems.push(format!(
                    "{} is stale; run `cargo xtask codegen` and commit the result:\n{}",
                    target.strip_prefix(&root).unwrap_or(&target).display(),
                    diff(&current, &summary)
                )),
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "codegen found {} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    println!(
        "codegen: {} specs generated, {example_count} examples valid, API summaries {}",
        specs.len(),
        if mode == Mode::Check {
            "up to date"
        } else {
            "written"
        }
    );
    Ok(())
}

fn diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header("checked in", "generated")
        .to_string()
}

/// One CI step: its name, the cargo arguments and extra environment variables.
type Step<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);

fn ci() -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let steps: [Step; 7] = [
        ("format", &["fmt", "--all", "--check"], &[]),
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        ),
        (
            "tests",
            &[
                "nextest",
                "run",
                "--workspace",
                "--all-features",
                "--locked",
                "--no-fail-fast",
            ],
            &[],
        ),
        (
            "doc tests",
            &["test", "--workspace", "--all-features", "--locked", "--doc"],
            &[],
        ),
        (
            "docs",
            &[
                "doc",
                "--workspace",
                "--no-deps",
                "--all-features",
                "--locked",
            ],
            &[("RUSTDOCFLAGS", "-Dwarnings")],
        ),
        ("codegen --check", &["xtask", "codegen", "--check"], &[]),
        ("conformance", &["xtask", "conformance"], &[]),
    ];
    for (name, args, env) in steps {
        println!("==> {name}: cargo {}", args.join(" "));
        let started = std::time::Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .envs(env.iter().copied())
            .current_dir(workspace_root())
            .status()
            .with_context(|| format!("running cargo {}", args.join(" ")))?;
        if !status.success() {
            bail!("step `{name}` failed ({status})");
        }
        println!("==> {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    }
    println!("ci: all steps passed");
    Ok(())
}
