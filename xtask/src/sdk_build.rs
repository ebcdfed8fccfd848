//! What the build-time generator costs an application: a clean debug build of an application
//! that depends on `ordergate-fuuffy` alone, divided by the same build of an application that
//! depends only on the SDK's third-party run-time dependencies (same versions, same features).
//!
//! Both applications are generated under `target/bench/sdk-build/`, outside the workspace (each
//! has its own `[workspace]` table, its own target directory and a copy of the workspace's
//! `Cargo.lock`), and build with an application's default dev profile: the workspace's
//! `CARGO_PROFILE_DEV_DEBUG=line-tables-only` is removed from their environment. The SDK side
//! pays for the SDK's build dependencies (ordergate-codegen, progenitor, typify, the spec
//! parser, prettyplease), the build script's run and the generated code; that is the price
//! being measured.
//!
//! The baseline's dependencies are the non-ordergate crates in the normal-dependency closure of
//! `ordergate-fuuffy` through our own crates, each with the features `cargo tree` resolves for
//! it when `ordergate-fuuffy` builds alone (default features).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The SDK crate the figure is about.
const SDK: &str = "ordergate-fuuffy";

/// How many times each clean build runs (the median is reported); `ORDERGATE_SDK_BUILD_RUNS`
/// overrides it.
const DEFAULT_RUNS: usize = 1;

/// A third-party crate the SDK uses at run time, as the baseline declares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Dependency {
    name: String,
    version: String,
    features: Vec<String>,
}

pub(crate) fn measure(root: &Path, cargo: &str) -> Result<BTreeMap<String, String>> {
    let dependencies = runtime_dependencies(root, cargo)?;
    let bench = root.join("target/bench/sdk-build");
    let sdk_dir = bench.join("sdk");
    let baseline_dir = bench.join("baseline");
    let sdk_path = root.join("crates/fuuffy");
    write_app(
        root,
        &sdk_dir,
        &format!(
            "ordergate-fuuffy = {{ path = {} }}\n",
            toml_string(&sdk_path.to_string_lossy())
        ),
        "use ordergate_fuuffy as _;\n\nfn main() {}\n",
    )?;
    let mut baseline_deps = String::new();
    for dependency in &dependencies {
        baseline_deps.push_str(&format!(
            "{} = {{ package = {}, version = \"={}\", default-features = false, features = [{}] }}\n",
            dependency_key(dependency),
            toml_string(&dependency.name),
            dependency.version,
            dependency
                .features
                .iter()
                .map(|f| toml_string(f))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    write_app(root, &baseline_dir, &baseline_deps, "fn main() {}\n")?;

    let runs = std::env::var("ORDERGATE_SDK_BUILD_RUNS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_RUNS);
    let mut sdk_times = Vec::new();
    let mut baseline_times = Vec::new();
    for run in 1..=runs {
        eprintln!("sdk-build: clean debug build of an application using {SDK} ({run}/{runs})");
        sdk_times.push(clean_build(cargo, &sdk_dir)?);
        eprintln!(
            "sdk-build: clean debug build of the baseline ({} crates) ({run}/{runs})",
            dependencies.len()
        );
        baseline_times.push(clean_build(cargo, &baseline_dir)?);
    }
    let sdk = median(&mut sdk_times);
    let baseline = median(&mut baseline_times);
    let mut figures = BTreeMap::new();
    figures.insert("sdk_build_seconds".to_owned(), format!("{sdk:.1}"));
    figures.insert(
        "sdk_build_baseline_seconds".to_owned(),
        format!("{baseline:.1}"),
    );
    figures.insert(
        "sdk_build_ratio".to_owned(),
        format!("{:.2}", sdk / baseline),
    );
    figures.insert("sdk_build_runs".to_owned(), runs.to_string());
    figures.insert(
        "sdk_build_baseline_crates".to_owned(),
        dependencies
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    Ok(figures)
}

/// The third-party crates our crates in `ordergate-fuuffy`'s normal-dependency closure depend
/// on directly, with their resolved features (`cargo tree -e normal` resolves them exactly as
/// for a build of `ordergate-fuuffy` alone, with the v2 feature resolver).
fn runtime_dependencies(root: &Path, cargo: &str) -> Result<Vec<Dependency>> {
    let text = crate::stdout_of(
        Command::new(cargo)
            .args([
                "tree",
                "--locked",
                "-p",
                SDK,
                "-e",
                "normal",
                "--prefix",
                "depth",
                "--no-dedupe",
                "-f",
                "{p}|{f}",
            ])
            .current_dir(root),
        "cargo tree",
    )?;
    parse_tree(&text)
}

/// Reads `cargo tree --prefix depth -f '{p}|{f}'` lines: a package is one of ours when it has a
/// path source (`name vX (/path)`); a third-party package whose parent is one of ours is a
/// dependency the baseline declares.
fn parse_tree(text: &str) -> Result<Vec<Dependency>> {
    let mut ours_at_depth: Vec<bool> = Vec::new();
    let mut found = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let depth: usize = line[..digits]
            .parse()
            .with_context(|| format!("cargo tree line without a depth: {line}"))?;
        let (package, features) = line[digits..]
            .split_once('|')
            .unwrap_or((&line[digits..], ""));
        let mut words = package.split_whitespace();
        let name = words.next().unwrap_or_default().to_owned();
        let version = words
            .next()
            .unwrap_or_default()
            .trim_start_matches('v')
            .to_owned();
        let ours = package.contains(" (/") || package.contains(" (\\") || package.contains(":\\");
        ours_at_depth.truncate(depth);
        let parent_is_ours = depth > 0 && ours_at_depth.get(depth - 1).copied().unwrap_or(false);
        if !ours && parent_is_ours {
            let mut features: Vec<String> = features
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect();
            features.sort();
            found.insert(Dependency {
                name,
                version,
                features,
            });
        }
        ours_at_depth.push(ours);
    }
    if found.is_empty() {
        bail!("cargo tree listed no third-party dependency of {SDK}");
    }
    Ok(found.into_iter().collect())
}

/// A dependency key unique per name and version (`package` names the crate).
fn dependency_key(dependency: &Dependency) -> String {
    let version: String = dependency
        .version
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{}_{version}", dependency.name.replace('-', "_"))
}

fn toml_string(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

/// Writes an application outside the workspace: its own `[workspace]`, the workspace's lock file.
fn write_app(root: &Path, dir: &Path, dependencies: &str, main: &str) -> Result<()> {
    std::fs::create_dir_all(dir.join("src"))
        .with_context(|| format!("creating {}", dir.display()))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".to_owned());
    let manifest = format!(
        "[package]\nname = \"bench-{name}-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{dependencies}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), main)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .with_context(|| format!("copying Cargo.lock to {}", dir.display()))?;
    Ok(())
}

/// A clean debug build of the application in `dir` (its own `target/`), in seconds. The lock
/// file is settled first (offline, untimed), so only compilation is timed.
fn clean_build(cargo: &str, dir: &Path) -> Result<f64> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("removing {}", target.display()))?;
    }
    let command = |args: &[&str]| {
        let mut command = Command::new(cargo);
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            // An application's own dev profile, not the workspace's CI settings.
            .env_remove("CARGO_PROFILE_DEV_DEBUG")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            // A published SDK is a registry dependency, which cargo never builds
            // incrementally; the path dependency standing in for it must not be either.
            .env("CARGO_INCREMENTAL", "0");
        command
    };
    let status = command(&["fetch", "--quiet"])
        .status()
        .with_context(|| format!("cargo fetch in {}", dir.display()))?;
    if !status.success() {
        bail!("cargo fetch failed in {}", dir.display());
    }
    let started = Instant::now();
    crate::stdout_of(
        &mut command(&["build"]),
        &format!("cargo build in {}", dir.display()),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("sdk-build: {} built in {seconds:.1}s", dir.display());
    Ok(seconds)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_direct_third_party_dependencies_of_our_crates() {
        let tree = "0ordergate-fuuffy v0.1.0 (/w/crates/fuuffy)|\n\
                    1ordergate-runtime v0.1.0 (/w/crates/runtime)|\n\
                    2tokio v1.0.0|macros,rt\n\
                    3mio v1.0.0|net\n\
                    1serde v1.0.0|default,derive,std\n\
                    2serde_core v1.0.0|std\n";
        let deps = parse_tree(tree).expect("parsed");
        let names: Vec<_> = deps.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["serde", "tokio"]);
        assert_eq!(deps[1].features, ["macros", "rt"]);
        assert_eq!(dependency_key(&deps[0]), "serde_1_0_0");
    }
}
