//! The third-party tools, pinned and installed on first use: Redocly and Prism with `npm ci`
//! of the committed `package.json` / `package-lock.json`, schemathesis with pip from
//! `xtask/requirements.txt` into `target/conformance/venv`. Each installation is stamped with
//! what it installed from and redone only when that changes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::Ctx;
use crate::progress::{command_line, seconds};

/// The pinned Python requirements (schemathesis and everything it pulls in), relative to the
/// workspace root.
const PYTHON_REQUIREMENTS: &str = "xtask/requirements.txt";

/// The environment of every Node tool: no telemetry, no update check, no colours in logs.
pub(super) const NODE_ENV: [(&str, &str); 6] = [
    ("REDOCLY_TELEMETRY", "off"),
    ("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
    ("SCARF_ANALYTICS", "false"),
    ("NO_COLOR", "1"),
    ("FORCE_COLOR", "0"),
    ("npm_config_update_notifier", "false"),
];

/// The installed tools.
pub(super) struct Tools {
    pub(super) redocly: PathBuf,
    pub(super) prism: PathBuf,
    pub(super) schemathesis: PathBuf,
}

impl Tools {
    pub(super) fn install(ctx: &Ctx) -> Result<Self> {
        let started = Instant::now();
        let bin = ctx.root.join("node_modules").join(".bin");
        let stamp = ctx.root.join("node_modules").join(".ordergate-installed");
        // What `npm ci` installs from: both files, as the stamp of the installation.
        let mut lock = String::new();
        for file in ["package.json", "package-lock.json"] {
            lock += &fs::read_to_string(ctx.root.join(file))
                .with_context(|| format!("reading {file}"))?;
        }
        let installed = fs::read_to_string(&stamp).ok();
        let tools = Self {
            redocly: bin.join("redocly"),
            prism: bin.join("prism"),
            schemathesis: ctx.work.join("venv").join("bin").join("schemathesis"),
        };
        if installed.as_deref() != Some(lock.as_str())
            || !tools.redocly.exists()
            || !tools.prism.exists()
        {
            // `--ignore-scripts`: no package needs an install script, none may run one.
            let mut command = Command::new("npm");
            command
                .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                .envs(NODE_ENV)
                .current_dir(&ctx.root);
            println!(
                "==> conformance: {} (package-lock.json: @redocly/cli, @stoplight/prism-cli)",
                command_line(&command)
            );
            let status = command
                .status()
                .context("running npm ci (is Node.js with npm installed?)")?;
            if !status.success() {
                bail!("npm ci failed ({status})");
            }
            fs::write(&stamp, &lock).with_context(|| format!("writing {}", stamp.display()))?;
        }
        install_python_requirements(ctx)?;
        println!(
            "==> conformance: tools ready in {} ({}, {}, {})",
            seconds(started.elapsed()),
            version(Command::new(&tools.redocly).arg("--version"))?,
            version(Command::new(&tools.prism).arg("--version"))?,
            version(Command::new(&tools.schemathesis).arg("--version"))?,
        );
        Ok(tools)
    }
}

/// Creates `target/conformance/venv` and installs [`PYTHON_REQUIREMENTS`] into it, unless
/// exactly those are installed already, in this place.
fn install_python_requirements(ctx: &Ctx) -> Result<()> {
    let requirements = ctx.root.join(PYTHON_REQUIREMENTS);
    let pins = fs::read_to_string(&requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    let venv = ctx.work.join("venv");
    let stamp = venv.join(".ordergate-requirements");
    // A venv's scripts name its interpreter by absolute path, so one moved or copied from
    // another checkout does not run: the stamp records where it was made, too.
    let made = format!(
        "# made in {}\n{pins}",
        std::path::absolute(&venv)
            .unwrap_or_else(|_| venv.clone())
            .display()
    );
    if fs::read_to_string(&stamp).ok().as_deref() == Some(made.as_str()) {
        return Ok(());
    }
    if venv.exists() {
        fs::remove_dir_all(&venv).with_context(|| format!("removing {}", venv.display()))?;
    }
    let python = crate::tools::python();
    let mut command = Command::new(&python);
    command.args(["-m", "venv"]).arg(ctx.relative(&venv));
    command.current_dir(&ctx.root);
    println!("==> conformance: {}", command_line(&command));
    let status = command
        .status()
        .with_context(|| format!("running {python} -m venv (Python 3.9+ is needed)"))?;
    if !status.success() {
        bail!("{python} -m venv failed ({status})");
    }
    let mut command = Command::new(Path::new(&venv).join("bin").join("python"));
    command
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "-r",
            PYTHON_REQUIREMENTS,
        ])
        .current_dir(&ctx.root);
    println!(
        "==> conformance: {} (into {})",
        command_line(&command),
        ctx.relative(&venv).display()
    );
    let status = command.status().context("running pip install")?;
    if !status.success() {
        bail!("pip install -r {PYTHON_REQUIREMENTS} failed ({status})");
    }
    fs::write(&stamp, &made).with_context(|| format!("writing {}", stamp.display()))
}

/// `<tool> <version>`, from the first line the tool prints for `--version` (its last word).
fn version(command: &mut Command) -> Result<String> {
    let program = Path::new(command.get_program())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let output = command
        .envs(NODE_ENV)
        .output()
        .with_context(|| format!("running {program} --version"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let number = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().last())
        .unwrap_or("?");
    Ok(format!("{program} {number}"))
}
