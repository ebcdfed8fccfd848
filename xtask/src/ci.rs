//! `cargo xtask ci`: every check CI makes, one step after the other, each printed with the
//! command it runs and timed. A failing step does not stop the run: the steps check different
//! things, and one run reports every failure (then fails).
//!
//! Besides the `--all-features` build, the facade (and any other package in
//! [`FEATURE_PACKAGES`] that has features) is checked with clippy `-D warnings` with no
//! feature and with each feature alone, so that an application enabling one provider builds.
//! The feature lists come from `cargo metadata`: a new provider feature is checked without an
//! edit here.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::progress::{Progress, command_line};
use crate::{cargo, workspace_root};

/// The packages whose feature combinations are checked one by one (when they have features).
const FEATURE_PACKAGES: [&str; 2] = ["ordergate", "ordergate-cli"];

/// One CI step: a cargo command.
struct Step {
    name: String,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    /// For a feature-set step: the package and its feature arguments, to tell a build error
    /// from warnings when it fails.
    features: Option<(String, Vec<String>)>,
}

impl Step {
    fn new(name: &str, args: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            features: None,
        }
    }

    fn env(mut self, name: &'static str, value: &'static str) -> Self {
        self.env.push((name, value));
        self
    }

    fn command(&self, root: &Path) -> Command {
        let mut command = Command::new(cargo());
        command
            .args(&self.args)
            .envs(self.env.iter().copied())
            .current_dir(root);
        command
    }
}

pub(crate) fn run() -> Result<()> {
    let root = workspace_root();
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
            ],
        ),
    ];
    steps.extend(feature_steps(&root)?);
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
        Step::new("codegen --check", &["xtask", "codegen", "--check"]),
        Step::new("conformance", &["xtask", "conformance"]),
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
            let why = match &step.features {
                Some((package, features)) => diagnose_features(&root, package, features)?,
                None => "see its output above".to_owned(),
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
fn feature_steps(root: &Path) -> Result<Vec<Step>> {
    let features = package_features(root)?;
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
                args,
                env: Vec::new(),
                features: Some((package.to_owned(), set)),
            });
        }
    }
    Ok(steps)
}

/// Package -> its features other than `default` and the internal ones (named `_...`, turned
/// on by the others), sorted, from `cargo metadata`.
fn package_features(root: &Path) -> Result<BTreeMap<String, Vec<String>>> {
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
    let metadata: Value =
        serde_json::from_slice(&output.stdout).context("reading cargo metadata's output")?;
    let packages = metadata
        .get("packages")
        .and_then(Value::as_array)
        .context("cargo metadata lists no packages")?;
    Ok(packages
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
        .collect())
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
