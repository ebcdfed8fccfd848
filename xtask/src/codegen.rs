//! `cargo xtask codegen [--check]`: every spec checked and generated as the build scripts
//! generate it, every example validated, and the committed files made from the specs written
//! (or, with `--check`, compared): each provider's `API.md` and `openapi.json` (the copy of its
//! spec that its build script reads), and the facade README's tables.
//!
//! A file made from a spec is an [`Output`]: to commit another one, push it in [`outputs`];
//! writing and checking are the same for all of them. The facade README's tables (settings,
//! statuses, error rules) are made from the adapters' own `const` tables: [`facade_readme`].

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use ordergate_codegen::{Generated, Spec, api_summary, examples, generate};

use crate::{spec_paths, workspace_root};

/// Write the outputs, or only check that the committed ones are current.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Check,
}

/// A committed file made from a spec.
struct Output {
    /// Where it is committed, relative to the workspace root.
    path: PathBuf,
    contents: String,
}

/// Every committed file made from `spec` (whose YAML text is `yaml`): `crates/<provider>/API.md`
/// and `crates/<provider>/openapi.json`, the copy its build script reads (no YAML parser in
/// an application's build; it records the YAML's hash, which the build script checks).
fn outputs(spec: &Spec, generated: &Generated, yaml: &[u8]) -> Result<Vec<Output>> {
    let name = spec.name();
    Ok(vec![
        Output {
            path: Path::new("crates").join(&name).join("API.md"),
            contents: api_summary(spec, generated)?,
        },
        Output {
            path: Path::new("crates").join(&name).join("openapi.json"),
            contents: spec.json_copy(&format!("../../specs/{name}.yaml"), yaml)?,
        },
    ])
}

pub(crate) fn run(mode: Mode) -> Result<()> {
    let root = workspace_root();
    let mut problems = Vec::new();
    let mut example_count = 0;
    let mut output_count = 0;
    let specs = spec_paths(&root)?;
    for path in &specs {
        let started = Instant::now();
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
        let examples = match examples::validate_examples(&spec) {
            Ok(count) => count,
            Err(failures) => {
                problems.extend(failures.iter().map(ToString::to_string));
                0
            }
        };
        example_count += examples;
        let yaml = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        for output in outputs(&spec, &generated, &yaml)? {
            output_count += 1;
            if let Some(problem) = apply(&root, mode, &output)? {
                problems.push(problem);
            }
        }
        println!(
            "codegen: {} generated, {examples} examples valid, {} facts marked inferred ({:.1}s)",
            relative.display(),
            spec.inferred_count(),
            started.elapsed().as_secs_f64()
        );
    }
    match facade_readme(&root) {
        Ok(output) => {
            output_count += 1;
            if let Some(problem) = apply(&root, mode, &output)? {
                problems.push(problem);
            }
        }
        Err(error) => problems.push(format!("{error:#}")),
    }
    if !problems.is_empty() {
        bail!(
            "codegen found {} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    println!(
        "codegen: {} specs generated, {example_count} examples valid, {output_count} generated files {}",
        specs.len(),
        match mode {
            Mode::Check => "up to date",
            Mode::Write => "written",
        }
    );
    Ok(())
}

/// The facade README with the part between its table markers made from the adapters' tables
/// ([`ordergate::readme_tables`]).
fn facade_readme(root: &Path) -> Result<Output> {
    let path = Path::new("crates/ordergate/README.md");
    let current = std::fs::read_to_string(root.join(path))
        .with_context(|| format!("reading {}", path.display()))?;
    let (Some(begin), Some(end)) = (
        current.find(ordergate::README_BEGIN),
        current.find(ordergate::README_END),
    ) else {
        bail!(
            "{} has lost its table markers ({} ... {})",
            path.display(),
            ordergate::README_BEGIN,
            ordergate::README_END
        );
    };
    if end < begin {
        bail!("{}: the table markers are out of order", path.display());
    }
    let contents = format!(
        "{}{}\n{}{}",
        &current[..begin],
        ordergate::README_BEGIN,
        ordergate::readme_tables(),
        &current[end..]
    );
    Ok(Output {
        path: path.to_owned(),
        contents,
    })
}

/// Writes `output` if it changed (`Write`), or returns the problem of a stale file (`Check`).
fn apply(root: &Path, mode: Mode, output: &Output) -> Result<Option<String>> {
    let target = root.join(&output.path);
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if current == output.contents {
        return Ok(None);
    }
    match mode {
        Mode::Write => {
            std::fs::write(&target, &output.contents)
                .with_context(|| format!("writing {}", target.display()))?;
            println!("wrote {}", output.path.display());
            Ok(None)
        }
        Mode::Check => Ok(Some(format!(
            "{} is stale; run `cargo xtask codegen` and commit the result:\n{}",
            output.path.display(),
            diff(&current, &output.contents)
        ))),
    }
}

fn diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header("checked in", "generated")
        .to_string()
}
