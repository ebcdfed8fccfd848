//! `cargo xtask conformance`: the specs, the generated clients, the facade and the sandbox,
//! checked by tools that others wrote, so that they cannot share our mistakes.
//!
//! 1. **Redocly lint** of every spec (`redocly.yaml`: `recommended-strict`, every example
//!    validated against its schema): [`lint`].
//! 2. **Prism mock, dynamic mode**, one process per spec: `tests/tests/prism.rs` calls every
//!    operation through the generated client and through the facade; Prism checks each
//!    request: [`prism_mock`].
//! 3. **Prism as a validating proxy** (`--errors`) in front of the sandbox (`ordergate
//!    sandbox`): the facade's calls through it, request and response checked: [`prism_proxy`].
//! 4. **schemathesis** against the sandbox, every operation of every spec: [`schemathesis`],
//!    authenticated as each spec's security schemes say ([`auth`]).
//!
//! The tools it runs (cargo-nextest, Node.js with npm, Python) are checked first
//! ([`crate::tools`]). The tools install themselves, pinned, on first use (and again when a pin
//! changes): `npm ci` of the committed `package.json` / `package-lock.json` into
//! `node_modules/`, and the `xtask/requirements.txt` pins (schemathesis) with pip into
//! `target/conformance/venv` ([`tools`]). At run time nothing leaves loopback: Redocly's telemetry and update check are
//! off, and Prism, the sandbox and schemathesis talk only to `127.0.0.1`. Every process
//! started here is killed when its step ends, also on failure ([`process`]). The numbers of
//! every step are summed up at the end ([`report`]).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use ordergate_codegen::Spec;
use serde_json::Value;

use crate::progress::Progress;
use crate::{cargo, spec_paths, workspace_root};

mod auth;
mod lint;
mod prism;
mod prism_mock;
mod prism_proxy;
mod process;
mod report;
mod sandbox;
mod schemathesis;
mod tools;

use tools::Tools;

pub(crate) fn run() -> Result<()> {
    let started = Instant::now();
    crate::tools::check(&workspace_root(), "conformance")?;
    let ctx = Ctx::new()?;
    let mut progress = Progress::new("conformance");
    let install = progress.start("tools", "installing the pinned tools where needed");
    let tools = Tools::install(&ctx);
    progress.finish("tools", install, tools.is_ok());
    let tools = tools?;
    let specs = ctx.specs.len();
    let steps = [
        report::step(
            &mut progress,
            "redocly lint",
            &format!("{specs} specs, redocly.yaml"),
            || lint::run(&ctx, &tools),
        ),
        report::step(
            &mut progress,
            "prism mock",
            &format!("{specs} Prism mocks, the Prism mock tests against them"),
            || prism_mock::run(&ctx, &tools),
        ),
        report::step(
            &mut progress,
            "prism proxy",
            &format!("the sandbox, {specs} Prism proxies, the Prism proxy tests through them"),
            || prism_proxy::run(&ctx, &tools),
        ),
        report::step(
            &mut progress,
            "schemathesis",
            &format!("the sandbox, {specs} schemathesis runs side by side"),
            || schemathesis::run(&ctx, &tools),
        ),
    ];
    report::print_summary(&ctx, &steps, started.elapsed());
    println!("{}", progress.summary());
    report::fail_on_failures(&steps)
}

/// One spec: its name (`fuuffy`), path, document and operations with their documented
/// statuses.
struct SpecInfo {
    name: String,
    path: PathBuf,
    /// The spec as JSON (for its security schemes and media types).
    raw: Value,
    /// operationId -> documented response keys (`200`, `400`, `4XX`, ...).
    operations: BTreeMap<String, Vec<String>>,
}

impl SpecInfo {
    fn load(path: PathBuf) -> Result<Self> {
        let spec = Spec::load(&path)?;
        let operations = spec
            .operations()
            .into_iter()
            .map(|(_, _, operation)| {
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let statuses = operation
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|r| r.keys().cloned().collect())
                    .unwrap_or_default();
                (id, statuses)
            })
            .collect();
        Ok(Self {
            name: spec.name(),
            path,
            raw: spec.raw,
            operations,
        })
    }

    /// `FUUFFY` for `fuuffy`: the prefix of the provider's environment variables.
    fn env_prefix(&self) -> String {
        self.name.to_uppercase()
    }

    /// `spec operation` for each of its operations: what a step covers.
    fn covered(&self) -> impl Iterator<Item = String> + '_ {
        self.operations
            .keys()
            .map(|op| format!("{} {op}", self.name))
    }
}

/// What every step needs: where things are and the specs.
struct Ctx {
    root: PathBuf,
    /// `target/conformance`: logs, reports, the virtual environment.
    work: PathBuf,
    cargo: String,
    specs: Vec<SpecInfo>,
}

impl Ctx {
    fn new() -> Result<Self> {
        let root = workspace_root();
        let work = root.join("target").join("conformance");
        for dir in ["logs", "reports"] {
            let dir = work.join(dir);
            // Reports of an earlier run must not count for this one.
            if dir.exists() {
                fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
            }
            fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let specs = spec_paths(&root)?
            .into_iter()
            .map(SpecInfo::load)
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            root,
            work,
            cargo: cargo(),
            specs,
        })
    }

    fn operation_count(&self) -> usize {
        self.specs.iter().map(|s| s.operations.len()).sum()
    }

    fn log(&self, name: &str) -> PathBuf {
        self.work.join("logs").join(format!("{name}.log"))
    }

    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}
