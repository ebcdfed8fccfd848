//! `cargo xtask ci`: every check CI makes, one step after the other, each printed with the
//! command it runs and timed. A failing step does not stop the run: the steps check different
//! things, and one run reports every failure (then fails).

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::progress::Progress;
use crate::{cargo, workspace_root};

/// One CI step: a cargo command.
struct Step {
    name: String,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
}

impl Step {
    fn new(name: &str, args: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
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
            let why = "see its output above";
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
