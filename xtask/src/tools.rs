//! The tools `cargo xtask ci` and `cargo xtask conformance` run besides cargo, checked before
//! anything else: `cargo-nextest` (the version pinned in `.config/nextest.toml`), Node.js with
//! npm (for the pinned Redocly and Prism) and Python (for the pinned schemathesis; the one in
//! `ORDERGATE_PYTHON`, else `python3`). A missing or too old tool stops the task at once, with
//! every such tool listed beside the one command that installs it: a run that would fail
//! half-way, with misleading messages (`no such command: nextest`, then no report from the
//! Prism tests), is not started.
//!
//! The check installs nothing: every machine of this project (CI's included) has these tools,
//! and an install of cargo-nextest compiles for minutes and writes to `~/.cargo/bin`, which is
//! the user's choice to make.

use std::fmt;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cargo;

/// Where the cargo-nextest pin is written: nextest's own config, so that `cargo nextest run`
/// refuses an older nextest too (`nextest-version`).
const NEXTEST_CONFIG: &str = ".config/nextest.toml";

/// The Node.js versions the pinned tools support (`@redocly/cli` 2.x: `>=20.19 <21 || >=22.12`).
pub(crate) const NODE_SUPPORTED: &str = ">=20.19.0 <21 or >=22.12.0";

/// The oldest Python schemathesis (the pinned version) supports.
const PYTHON_MIN: Version = Version(3, 9, 0);

/// The Python the conformance run makes its virtual environment with.
pub(crate) fn python() -> String {
    std::env::var("ORDERGATE_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// `major.minor.patch`, compared as numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version(u32, u32, u32);

impl Version {
    /// The first `x.y[.z]` in `text` (`cargo-nextest 0.9.143 (60fa45f63 2026-08-04)`,
    /// `v20.20.2`, `Python 3.11.7`).
    pub(crate) fn find(text: &str) -> Option<Self> {
        text.split(|c: char| c.is_whitespace() || c == '"')
            .map(|word| word.trim_start_matches('v'))
            .find_map(|word| {
                let numbers: Vec<u32> = word
                    .split('.')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .ok()?;
                match numbers.as_slice() {
                    [major, minor] => Some(Self(*major, *minor, 0)),
                    [major, minor, patch] => Some(Self(*major, *minor, *patch)),
                    _ => None,
                }
            })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Whether the pinned Redocly and Prism run on Node.js `version` ([`NODE_SUPPORTED`]).
pub(crate) fn node_supported(version: Version) -> bool {
    match version {
        Version(20, minor, _) => minor >= 19,
        Version(22, minor, _) => minor >= 12,
        Version(major, _, _) => major > 22,
    }
}

/// The cargo-nextest version pinned in [`NEXTEST_CONFIG`] (`nextest-version = "0.9.143"`).
pub(crate) fn nextest_pin(root: &Path) -> Result<Version> {
    let path = root.join(NEXTEST_CONFIG);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("nextest-version"))
        .find_map(|rest| Version::find(rest.trim_start().strip_prefix('=')?))
        .with_context(|| format!("{NEXTEST_CONFIG} pins no `nextest-version = \"x.y.z\"`"))
}

/// One tool that is missing or too old: what is needed, what was found, how to install it.
struct Missing {
    needed: String,
    found: String,
    install: String,
}

/// Checks every tool; prints their versions when all are there, else fails (before anything
/// runs) with every missing one and the command that installs it. `task` names the caller in
/// the messages (`ci`, `conformance`).
pub(crate) fn check(root: &Path, task: &str) -> Result<()> {
    let pin = nextest_pin(root)?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut record = |result: Result<String, Missing>| match result {
        Ok(version) => found.push(version),
        Err(tool) => missing.push(tool),
    };
    record(cargo_nextest(pin));
    record(node());
    record(npm());
    record(python_venv());
    if missing.is_empty() {
        println!("==> {task}: tools: {}", found.join(", "));
        return Ok(());
    }
    let list: Vec<String> = missing
        .iter()
        .map(|tool| format!("  {}: {}\n      {}", tool.needed, tool.found, tool.install))
        .collect();
    let (count, verb) = match missing.len() {
        1 => ("1 tool it needs is".to_owned(), "it"),
        n => (format!("{n} tools it needs are"), "them"),
    };
    bail!(
        "`cargo xtask {task}` ran no step: {count} missing or too old. Install {verb}, then run \
         it again:\n{}",
        list.join("\n")
    )
}

/// The first line `program args` prints on success, or why it could not be run.
fn first_line(program: &str, args: &[&str]) -> Result<String, String> {
    match Command::new(program).args(args).output() {
        Ok(output) if output.status.success() => Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()),
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let said = stderr
                .lines()
                .find(|line| !line.trim().is_empty())
                .unwrap_or_default()
                .trim();
            Err(format!("`{program} {}` failed: {said}", args.join(" ")))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("no `{program}` on PATH"))
        }
        Err(error) => Err(format!("`{program}` could not be run: {error}")),
    }
}

fn cargo_nextest(pin: Version) -> Result<String, Missing> {
    let missing = |found: String| Missing {
        needed: format!("cargo-nextest {pin} or newer (pinned in {NEXTEST_CONFIG})"),
        found,
        install: format!("cargo install --locked cargo-nextest --version {pin}"),
    };
    let line = first_line(&cargo(), &["nextest", "--version"])
        .map_err(|_| missing("not found (`cargo nextest` is no cargo command)".to_owned()))?;
    match Version::find(&line) {
        Some(version) if version >= pin => Ok(format!("cargo-nextest {version}")),
        _ => Err(missing(format!("{line} is too old"))),
    }
}

fn node() -> Result<String, Missing> {
    let missing = |found: String| Missing {
        needed: format!("Node.js {NODE_SUPPORTED}"),
        found,
        install: "install Node.js 22 LTS from https://nodejs.org/en/download (with nvm: \
                  `nvm install 22`)"
            .to_owned(),
    };
    let line = first_line("node", &["--version"]).map_err(missing)?;
    match Version::find(&line) {
        Some(version) if node_supported(version) => Ok(format!("node {version}")),
        _ => Err(missing(format!("node {line} is not supported"))),
    }
}

fn npm() -> Result<String, Missing> {
    first_line("npm", &["--version"])
        .map(|line| format!("npm {line}"))
        .map_err(|found| Missing {
            needed: "npm (comes with Node.js)".to_owned(),
            found,
            install: "install Node.js 22 LTS from https://nodejs.org/en/download, which \
                      includes npm (Debian: `apt-get install npm`)"
                .to_owned(),
        })
}

/// Python with the `venv` module (Debian ships it apart, as `python3-venv`).
fn python_venv() -> Result<String, Missing> {
    let python = python();
    let missing = |found: String| Missing {
        needed: format!("Python {PYTHON_MIN} or newer with venv (ORDERGATE_PYTHON, else python3)"),
        found,
        install: "apt-get install python3 python3-venv (or set ORDERGATE_PYTHON to such a \
                  Python)"
            .to_owned(),
    };
    let line = first_line(
        &python,
        &[
            "-c",
            "import sys, venv; print('Python %d.%d.%d' % sys.version_info[:3])",
        ],
    )
    .map_err(missing)?;
    match Version::find(&line) {
        Some(version) if version >= PYTHON_MIN => Ok(line),
        _ => Err(missing(format!("{python}: {line} is too old"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_found_in_what_the_tools_print() {
        assert_eq!(
            Version::find("cargo-nextest 0.9.143 (60fa45f63 2026-08-04)"),
            Some(Version(0, 9, 143))
        );
        assert_eq!(Version::find("v20.20.2"), Some(Version(20, 20, 2)));
        assert_eq!(Version::find("Python 3.11.7"), Some(Version(3, 11, 7)));
        assert_eq!(Version::find(" \"0.9.143\""), Some(Version(0, 9, 143)));
        assert_eq!(Version::find("no version here"), None);
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(Version(0, 9, 143) > Version(0, 9, 99));
        assert!(Version(3, 10, 0) > Version(3, 9, 0));
        assert!(Version(0, 9, 142) < Version(0, 9, 143));
    }

    #[test]
    fn node_versions_of_the_pinned_tools() {
        assert!(!node_supported(Version(18, 19, 0)));
        assert!(!node_supported(Version(20, 18, 1)));
        assert!(node_supported(Version(20, 19, 0)));
        assert!(!node_supported(Version(21, 7, 0)));
        assert!(!node_supported(Version(22, 11, 0)));
        assert!(node_supported(Version(22, 12, 0)));
        assert!(node_supported(Version(24, 0, 0)));
    }

    #[test]
    fn the_nextest_pin_is_read_from_the_nextest_config() {
        let pin = nextest_pin(&crate::workspace_root()).expect("the pin");
        assert!(pin >= Version(0, 9, 0), "{pin}");
    }
}
