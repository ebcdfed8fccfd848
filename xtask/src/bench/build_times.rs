//! Build-time figures: the rebuild after touching one spec, and clean debug builds of the
//! workspace and of a baseline crate with the same third-party dependencies and no code of ours.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Rebuild after touching one spec, and clean debug builds of the workspace and of a baseline
/// crate with the same third-party run-time dependencies and no generated code.
pub(crate) fn measure(root: &Path, cargo: &str) -> Result<BTreeMap<String, String>> {
    let mut figures = BTreeMap::new();
    let timed = |args: &[&str], target: Option<&Path>| -> Result<(f64, String)> {
        let mut command = Command::new(cargo);
        command.args(args).current_dir(root);
        if let Some(target) = target {
            command.env("CARGO_TARGET_DIR", target);
        }
        let started = Instant::now();
        let output = command
            .output()
            .with_context(|| format!("cargo {}", args.join(" ")))?;
        if !output.status.success() {
            bail!(
                "cargo {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok((
            started.elapsed().as_secs_f64(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    };

    eprintln!("build: warming the debug build");
    timed(&["build", "--workspace", "--locked"], None)?;
    let spec = root.join("specs/logitrail.yaml");
    let text = std::fs::read(&spec)?;
    std::fs::write(&spec, text).context("touching specs/logitrail.yaml")?;
    eprintln!("build: rebuilding after touching specs/logitrail.yaml");
    let (seconds, log) = timed(&["build", "--workspace", "--locked", "-v"], None)?;
    let rebuilt: Vec<&str> = log
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Compiling "))
        .map(|rest| rest.split(' ').next().unwrap_or(rest))
        .collect();
    figures.insert(
        "rebuild_after_touch_seconds".into(),
        format!("{seconds:.1}"),
    );
    figures.insert("rebuild_after_touch_crates".into(), rebuilt.join(" "));

    let clean_workspace = root.join("target/bench/clean-workspace");
    let clean_baseline = root.join("target/bench/clean-baseline");
    for dir in [&clean_workspace, &clean_baseline] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    eprintln!("build: clean debug build of the workspace");
    let (workspace, _) = timed(
        &["build", "--workspace", "--locked"],
        Some(&clean_workspace),
    )?;
    eprintln!("build: clean debug build of the baseline crate");
    // The workspace's lock file, so that both builds compile the same versions (cargo drops
    // the entries the baseline does not use).
    std::fs::copy(
        root.join("Cargo.lock"),
        root.join("xtask/bench-baseline/Cargo.lock"),
    )
    .context("copying Cargo.lock to the baseline")?;
    let manifest = root.join("xtask/bench-baseline/Cargo.toml");
    let manifest = manifest.to_string_lossy().into_owned();
    let (baseline, _) = timed(
        &["build", "--manifest-path", &manifest],
        Some(&clean_baseline),
    )?;
    figures.insert(
        "clean_build_workspace_seconds".into(),
        format!("{workspace:.1}"),
    );
    figures.insert(
        "clean_build_baseline_seconds".into(),
        format!("{baseline:.1}"),
    );
    figures.insert(
        "clean_build_ratio".into(),
        format!("{:.2}", workspace / baseline),
    );
    Ok(figures)
}
