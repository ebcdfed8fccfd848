//! `cargo xtask ci`: every check CI makes, one step after the other, each printed with the
//! command it runs and timed. A failing step does not stop the run: the steps check different
//! things, and one run reports every failure (then fails).
//!
//! Besides the `--all-features` build, the facade (and any other package in
//! [`FEATURE_PACKAGES`] that has features) is checked with clippy `-D warnings` with no
//! feature and with each feature alone, so that an application enabling one provider builds.
//! The feature lists come from `cargo metadata`: a new provider feature is checked without an
//! edit here.
//!
//! The workspace clippy step also forbids (`-F`) `missing_docs` in every member, the generated
//! provider crates included: every public item has a doc, and no `allow(missing_docs)` can hide
//! one. It costs nothing more: the same check build (a separate `cargo rustc -F missing-docs`
//! per provider crate resolved features its own way and re-checked part of the dependency
//! graph, 90–270 s). Each provider crate's `lib.rs` also says `#![forbid(missing_docs)]`, so
//! every build of it enforces the same.
//!
//! Before any step, the tools the run needs besides cargo are checked ([`crate::tools`]): one
//! that is missing stops the run at once, with the command that installs it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::progress::{Progress, command_line};
use crate::{cargo, tools, workspace_root};

/// The packages whose feature combinations are checked one by one (when they have features).
const FEATURE_PACKAGES: [&str; 2] = ["ordergate", "ordergate-cli"];

/// One CI step: a cargo command, or this xtask's own (`codegen --check`, `conformance`).
struct Step {
    name: String,
    /// `None`: cargo.
    program: Option<PathBuf>,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    /// What its failure means.
    failure: Failure,
}

/// How a failed step is explained.
enum Failure {
    /// By its own output.
    Output,
    /// A feature-set step (the package and its feature arguments): a build error or warnings?
    Features(String, Vec<String>),
}

impl Step {
    fn new(name: &str, args: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            program: None,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            failure: Failure::Output,
        }
    }

    /// A step that runs this xtask with `args` (the binary running now: nothing is rebuilt).
    fn xtask(name: &str, args: &[&str]) -> Result<Self> {
        let exe = std::env::current_exe().context("finding the xtask's own executable")?;
        Ok(Self {
            program: Some(exe),
            ..Self::new(name, args)
        })
    }

    fn env(mut self, name: &'static str, value: &'static str) -> Self {
        self.env.push((name, value));
        self
    }

    fn command(&self, root: &Path) -> Command {
        let mut command = match &self.program {
            Some(program) => Command::new(program),
            None => Command::new(cargo()),
        };
        command
            .args(&self.args)
            .envs(self.env.iter().copied())
            .current_dir(root);
        command
    }
}

/// `cargo xtask ci`; with `tools_only`, only its check of the tools (`--check-tools`).
pub(crate) fn run(tools_only: bool) -> Result<()> {
    let root = workspace_root();
    tools::check(&root, "ci")?;
    if tools_only {
        println!("ci: every tool is there");
        return Ok(());
    }
    let packages = workspace_packages(&root)?;
    let mut steps = vec![
        Step::new("format", &["fmt", "--all", "--check"]),
        Step::new(
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
                "-F",
                "missing-docs",
            ],
        ),
    ];
    steps.extend(feature_steps(&packages)?);
    steps.extend([
        // The Prism tests are `#[ignore]`d here (they need Prism); conformance runs them.
        Step::new(
            "tests",
            &[
                "nextest",
                "run",
                "--workspace",
                "--all-features",
                "--locked",
                "--no-fail-fast",
            ],
        ),
        Step::new(
            "doc tests",
            &["test", "--workspace", "--all-features", "--locked", "--doc"],
        ),
        Step::new(
            "docs",
            &[
                "doc",
                "--workspace",
                "--no-deps",
                "--all-features",
                "--locked",
            ],
        )
        .env("RUSTDOCFLAGS", "-Dwarnings"),
        Step::xtask("codegen --check", &["codegen", "--check"])?,
        Step::xtask("conformance", &["conformance"])?,
    ]);
    println!(
        "==> ci: {} steps: {}",
        steps.len(),
        steps
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut progress = Progress::new("ci");
    let mut failures = Vec::new();
    for step in &steps {
        if !progress.run(&step.name, &mut step.command(&root))? {
            let why = match &step.failure {
                Failure::Features(package, features) => {
                    diagnose_features(&root, package, features)?
                }
                Failure::Output => "see its output above".to_owned(),
            };
            println!("==> ci: {}: {why}", step.name);
            failures.push(format!("`{}`: {why}", step.name));
        }
    }
    println!("{}", progress.summary());
    if !failures.is_empty() {
        bail!(
            "{} of {} ci steps failed:\n  {}",
            failures.len(),
            steps.len(),
            failures.join("\n  ")
        );
    }
    println!("ci: all {} steps passed", steps.len());
    Ok(())
}

/// A clippy step per feature set of each package in [`FEATURE_PACKAGES`]: no feature, then
/// each feature alone (all features together: the workspace step).
fn feature_steps(packages: &[Value]) -> Result<Vec<Step>> {
    let features = package_features(packages);
    let mut steps = Vec::new();
    for package in FEATURE_PACKAGES {
        let Some(names) = features.get(package) else {
            bail!("cargo metadata lists no package {package}");
        };
        if names.is_empty() {
            println!("==> ci: {package} has no features; the --all-features steps cover it");
            continue;
        }
        let mut sets = vec![vec!["--no-default-features".to_owned()]];
        sets.extend(names.iter().map(|name| {
            vec![
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                name.clone(),
            ]
        }));
        for set in sets {
            let label = match set.last() {
                Some(feature) if set.len() > 1 => format!("--features {feature}"),
                _ => "no features".to_owned(),
            };
            let mut args = vec!["clippy".to_owned(), "-p".to_owned(), package.to_owned()];
            args.extend(set.iter().cloned());
            args.extend(["--all-targets", "--locked", "--", "-D", "warnings"].map(str::to_owned));
            steps.push(Step {
                name: format!("clippy {package} {label}"),
                program: None,
                args,
                env: Vec::new(),
                failure: Failure::Features(package.to_owned(), set),
            });
        }
    }
    Ok(steps)
}

/// The workspace members, as `cargo metadata` describes them.
pub(crate) fn workspace_packages(root: &Path) -> Result<Vec<Value>> {
    let mut command = Command::new(cargo());
    command
        .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
        .current_dir(root)
        .stderr(Stdio::inherit());
    let output = command
        .output()
        .with_context(|| format!("running {}", command_line(&command)))?;
    if !output.status.success() {
        bail!("{} failed ({})", command_line(&command), output.status);
    }
    let mut metadata: Value =
        serde_json::from_slice(&output.stdout).context("reading cargo metadata's output")?;
    match metadata.get_mut("packages").map(Value::take) {
        Some(Value::Array(packages)) => Ok(packages),
        _ => bail!("cargo metadata lists no packages"),
    }
}

/// Package -> its features other than `default` and the internal ones (named `_...`, turned
/// on by the others), sorted.
fn package_features(packages: &[Value]) -> BTreeMap<String, Vec<String>> {
    packages
        .iter()
        .filter_map(|package| {
            let name = package.get("name")?.as_str()?.to_owned();
            let mut features: Vec<String> = package
                .get("features")?
                .as_object()?
                .keys()
                .filter(|feature| *feature != "default" && !feature.starts_with('_'))
                .cloned()
                .collect();
            features.sort();
            Some((name, features))
        })
        .collect()
}

/// Why a feature-set clippy step failed: `cargo check` of the same set (no `-D warnings`)
/// tells code that does not compile from code that compiles with warnings.
fn diagnose_features(root: &Path, package: &str, features: &[String]) -> Result<String> {
    let mut command = Command::new(cargo());
    command
        .args(["check", "-p", package, "--all-targets", "--locked"])
        .args(features)
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    println!(
        "==> ci: telling errors from warnings: {}",
        command_line(&command)
    );
    let status = command
        .status()
        .with_context(|| format!("running {}", command_line(&command)))?;
    let set = features.join(" ");
    Ok(if status.success() {
        format!(
            "{package} with `{set}` compiles, but rustc or clippy warn (denied by -D warnings; \
             see above): code that only some feature sets use needs a `#[cfg(feature = ...)]`"
        )
    } else {
        format!("{package} with `{set}` does not compile (see above)")
    })
}
