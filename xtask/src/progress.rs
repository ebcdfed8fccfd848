//! What the xtask is doing, as it does it: each step announced with the command it runs, its
//! verdict and elapsed time, and a table of every step's time at the end.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// The steps of one task (`ci`, `conformance`), timed.
pub(crate) struct Progress {
    task: &'static str,
    started: Instant,
    /// (step, verdict, elapsed), in the order they ran.
    done: Vec<(String, &'static str, Duration)>,
}

impl Progress {
    pub(crate) fn new(task: &'static str) -> Self {
        Self {
            task,
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Prints that step `name` starts, with what it runs (a command line, or a few words).
    pub(crate) fn start(&self, name: &str, what: &str) -> Instant {
        println!("==> {}: {name}: {what}", self.task);
        Instant::now()
    }

    /// Prints and records the end of step `name`, started at `started`.
    pub(crate) fn finish(&mut self, name: &str, started: Instant, ok: bool) {
        let elapsed = started.elapsed();
        let verdict = if ok { "ok" } else { "FAILED" };
        println!(
            "==> {}: {name}: {verdict} in {}",
            self.task,
            seconds(elapsed)
        );
        self.done.push((name.to_owned(), verdict, elapsed));
    }

    /// Runs `command` (inheriting stdout and stderr) as step `name`; true if it succeeded.
    pub(crate) fn run(&mut self, name: &str, command: &mut Command) -> Result<bool> {
        let line = command_line(command);
        let started = self.start(name, &line);
        let status = command
            .status()
            .with_context(|| format!("running {line}"))?;
        self.finish(name, started, status.success());
        Ok(status.success())
    }

    /// The table of every step run so far and the total time.
    pub(crate) fn summary(&self) -> String {
        let width = self
            .done
            .iter()
            .map(|(name, _, _)| name.len())
            .max()
            .unwrap_or_default();
        let mut table = format!("==> {} timings:\n", self.task);
        for (name, verdict, elapsed) in &self.done {
            let _ = writeln!(
                table,
                "  {name:<width$}  {verdict:<6}  {:>8}",
                seconds(*elapsed)
            );
        }
        let _ = write!(
            table,
            "  {:<width$}  {:<6}  {:>8}",
            "total",
            "",
            seconds(self.started.elapsed())
        );
        table
    }
}

/// `12.3s`.
pub(crate) fn seconds(elapsed: Duration) -> String {
    format!("{:.1}s", elapsed.as_secs_f64())
}

/// `RUSTDOCFLAGS=... cargo args...`, as a shell would show it (the program by its file name).
/// Of the environment set for the command only the Rust flags are shown: the rest may hold
/// credentials (the sandbox's, handed to the Prism tests).
pub(crate) fn command_line(command: &Command) -> String {
    let program = std::path::Path::new(command.get_program())
        .file_name()
        .unwrap_or_else(|| command.get_program());
    let mut words: Vec<String> = command
        .get_envs()
        .filter(|(name, _)| name.to_string_lossy().starts_with("RUST"))
        .filter_map(|(name, value)| {
            Some(format!(
                "{}={}",
                name.to_string_lossy(),
                value?.to_string_lossy()
            ))
        })
        .collect();
    words.push(program.to_string_lossy().into_owned());
    words.extend(command.get_args().map(OsStr::to_string_lossy).map(|arg| {
        if arg.contains(' ') {
            format!("'{arg}'")
        } else {
            arg.into_owned()
        }
    }));
    words.join(" ")
}
