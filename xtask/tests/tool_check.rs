//! The tool check of `cargo xtask ci`: run as a user without cargo-nextest would run it, the
//! xtask stops before its first step, says which tool is missing and prints the command that
//! installs the pinned version.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pinned version, read from where the xtask reads it (`nextest-version = "x.y.z"`).
fn nextest_pin(root: &Path) -> String {
    let config = std::fs::read_to_string(root.join(".config/nextest.toml"))
        .expect("reading .config/nextest.toml");
    config
        .lines()
        .find_map(|line| {
            let value = line.trim().strip_prefix("nextest-version")?;
            let value = value.trim_start().strip_prefix('=')?.trim();
            Some(value.trim_matches('"').to_owned())
        })
        .expect(".config/nextest.toml pins nextest-version")
}

/// A directory of its own for this test, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn ci_without_nextest_stops_before_any_step_and_prints_the_install_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let pin = nextest_pin(root);
    let scratch =
        Scratch(std::env::temp_dir().join(format!("ordergate-tool-check-{}", std::process::id())));
    // PATH: a directory with only cargo in it, then the system's directories. cargo also
    // looks for `cargo-nextest` in $CARGO_HOME/bin: an empty one here.
    let bin = scratch.0.join("bin");
    let cargo_home = scratch.0.join("cargo-home");
    std::fs::create_dir_all(&bin).expect("creating the PATH directory");
    std::fs::create_dir_all(&cargo_home).expect("creating CARGO_HOME");
    let cargo = bin.join("cargo");
    std::os::unix::fs::symlink(env!("CARGO"), &cargo).expect("linking cargo");
    let system = ["/usr/bin", "/bin"];
    for dir in system {
        assert!(
            !Path::new(dir).join("cargo-nextest").exists(),
            "{dir} has cargo-nextest: this test cannot make a PATH without it"
        );
    }
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(system.into_iter().map(PathBuf::from)),
    )
    .expect("a PATH");

    let started = Instant::now();
    // The whole `ci`, not only its check. Should the check let the run go on, every cargo step
    // fails at once offline with an empty CARGO_HOME, and the output shows the steps.
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("ci")
        .env("PATH", &path)
        .env("CARGO", &cargo)
        .env("CARGO_HOME", &cargo_home)
        .env("CARGO_NET_OFFLINE", "true")
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("running the xtask");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let shown = format!("stdout:\n{stdout}\nstderr:\n{stderr}");

    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(
        stderr.contains(&format!(
            "cargo-nextest {pin} or newer (pinned in .config/nextest.toml): not found"
        )),
        "{shown}"
    );
    assert!(
        stderr.contains(&format!(
            "\n      cargo install --locked cargo-nextest --version {pin}\n"
        )),
        "{shown}"
    );
    assert!(stderr.contains("ran no step"), "{shown}");
    // No step was announced, nor the list of steps.
    assert!(!stdout.contains("==> ci:"), "{shown}");
    assert!(!stdout.contains("steps:"), "{shown}");
    assert!(
        elapsed < Duration::from_secs(20),
        "the check took {elapsed:?}: it should stop at once\n{shown}"
    );
}
