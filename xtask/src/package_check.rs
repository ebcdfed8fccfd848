//! Does every publishable crate package? `cargo package --locked` (with verification: each
//! `.crate` is unpacked and built on its own) over the workspace's publishable members together,
//! so that their dependencies on each other resolve to the packages being made (cargo's
//! temporary local registry), as `cargo publish --workspace` will.
//!
//! Cargo stops at the first crate that fails; that crate is recorded and the rest are packaged
//! again without it, until all that remain pass (a crate whose dependency failed then fails
//! too, as it would at publication). Verification builds in `target/bench/package/`.
//!
//! Cargo unpacks each package it verifies from its temporary local registry into
//! `$CARGO_HOME/registry/src/-<hash>/<name>-<version>/` and, when that directory exists from an
//! earlier run, reuses it without comparing contents: a second run would verify the first run's
//! sources. Those directories of our crates are removed before each run.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

pub(crate) fn measure(root: &Path, cargo: &str) -> Result<BTreeMap<String, String>> {
    let crates = publishable_crates(root)?;
    remove_unpacked_sources(&crates)?;
    let publishable: Vec<String> = crates.into_iter().map(|(name, _)| name).collect();
    let target = root.join("target/bench/package");
    let started = Instant::now();
    let mut remaining = publishable.clone();
    let mut failures: Vec<(String, String)> = Vec::new();
    while !remaining.is_empty() {
        eprintln!("package-check: cargo package {}", remaining.join(" "));
        let mut command = Command::new(cargo);
        command
            .arg("package")
            .arg("--locked")
            // What is packaged is what is in the work tree; uncommitted edits are not a failure.
            .arg("--allow-dirty")
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target);
        for name in &remaining {
            command.args(["-p", name]);
        }
        let output = command.output().context("cargo package")?;
        if output.status.success() {
            break;
        }
        let log = String::from_utf8_lossy(&output.stderr).into_owned();
        let failed = failed_crate(&log, &remaining);
        match failed {
            Some(name) => {
                eprintln!("package-check: {name} fails");
                remaining.retain(|n| *n != name);
                failures.push((name, error_lines(&log)));
            }
            None => {
                // Not attributable to one crate: all that remain count as failed.
                let reason = error_lines(&log);
                failures.extend(remaining.drain(..).map(|n| (n, reason.clone())));
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    for (name, reason) in &failures {
        eprintln!("package-check: {name}:\n{reason}");
    }
    let mut figures = BTreeMap::new();
    figures.insert(
        "publishable_crates_unpackaged".to_owned(),
        failures.len().to_string(),
    );
    figures.insert("publishable_crates".to_owned(), publishable.join(" "));
    figures.insert(
        "publishable_crates_failed".to_owned(),
        failures
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    figures.insert("package_check_seconds".to_owned(), format!("{seconds:.1}"));
    Ok(figures)
}

/// Removes what earlier runs unpacked of `crates` (name, version) from cargo's local-registry
/// source directories (`$CARGO_HOME/registry/src/-<hash>/`: a local registry has no host name).
fn remove_unpacked_sources(crates: &[(String, String)]) -> Result<()> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(home) = home else {
        return Ok(());
    };
    let Ok(entries) = std::fs::read_dir(home.join("registry/src")) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for (name, version) in crates {
            let unpacked = entry.path().join(format!("{name}-{version}"));
            if unpacked.exists() {
                std::fs::remove_dir_all(&unpacked)
                    .with_context(|| format!("removing {}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

/// Workspace members without `publish = false` (name, version), sorted by name.
fn publishable_crates(root: &Path) -> Result<Vec<(String, String)>> {
    let mut names = Vec::new();
    for package in crate::ci::workspace_packages(root)? {
        // `publish = false` is `[]`; no `publish` key is `null` (any registry).
        let unpublishable = package["publish"].as_array().is_some_and(Vec::is_empty);
        if !unpublishable
            && let (Some(name), Some(version)) =
                (package["name"].as_str(), package["version"].as_str())
        {
            names.push((name.to_owned(), version.to_owned()));
        }
    }
    names.sort();
    Ok(names)
}

/// The crate cargo was packaging or verifying when it failed: the last `Packaging`,
/// `Verifying` or `Compiling <crate> v... (…/target/package/…)` line naming one of `candidates`.
fn failed_crate(log: &str, candidates: &[String]) -> Option<String> {
    log.lines().rev().find_map(|line| {
        let line = line.trim();
        let rest = ["Packaging ", "Verifying ", "Compiling ", "Archiving "]
            .iter()
            .find_map(|verb| line.strip_prefix(verb))
            .or_else(|| {
                line.strip_prefix("error: failed to prepare local package for uploading")
                    .map(|_| "")
            })?;
        let name = rest.split_whitespace().next()?;
        candidates.iter().find(|c| *c == name).cloned()
    })
}

/// The `error` lines of cargo's log and what follows them (at most 12 lines).
fn error_lines(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("error"))
        .unwrap_or(0);
    lines[first..]
        .iter()
        .take(12)
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failing_crate_is_the_last_one_named() {
        let log = "   Packaging ordergate-runtime v0.1.0 (/w/crates/runtime)\n\
                   Verifying ordergate-runtime v0.1.0 (/w/crates/runtime)\n\
                   Compiling serde v1.0.0\n\
                   Verifying ordergate-fuuffy v0.1.0 (/w/crates/fuuffy)\n\
                   Compiling ordergate-fuuffy v0.1.0 (/w/target/package/ordergate-fuuffy-0.1.0)\n\
                   error: failed to run custom build command for `ordergate-fuuffy`\n";
        let candidates = vec![
            "ordergate-runtime".to_owned(),
            "ordergate-fuuffy".to_owned(),
        ];
        assert_eq!(
            failed_crate(log, &candidates).as_deref(),
            Some("ordergate-fuuffy")
        );
    }
}
