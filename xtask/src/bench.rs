//! `cargo xtask bench [--no-build]`: run-time figures from the `ordergate-bench` binary
//! (release), build-time figures measured here, all written to `BENCHMARKS.md`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::workspace_root;

/// The lines scripts read, printed exactly in this form.
const REQUIRED: [&str; 4] = [
    "throughput_ratio_provider_raw",
    "throughput_ratio_facade_raw",
    "connections_for_1000_calls",
    "decode_ratio_fastpod_order",
];

pub(crate) fn run(build_figures: bool) -> Result<()> {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--locked", "-p", "ordergate-bench"])
        .current_dir(&root)
        .status()
        .context("building ordergate-bench")?;
    if !status.success() {
        bail!("building ordergate-bench failed");
    }
    let output = Command::new(root.join("target/release/ordergate-bench"))
        .current_dir(&root)
        .output()
        .context("running ordergate-bench")?;
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        bail!("ordergate-bench failed");
    }
    let mut figures: BTreeMap<String, String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    for key in REQUIRED {
        let value = figures
            .get(key)
            .with_context(|| format!("ordergate-bench printed no {key}"))?;
        println!("{key}={value}");
    }
    if build_figures {
        figures.extend(build_times(&root, &cargo)?);
    }
    let report = report(&figures)?;
    std::fs::write(root.join("BENCHMARKS.md"), report).context("writing BENCHMARKS.md")?;
    println!("wrote BENCHMARKS.md");
    Ok(())
}

/// Rebuild after touching one spec, and clean debug builds of the workspace and of a baseline
/// crate with the same third-party run-time dependencies and no generated code.
fn build_times(root: &Path, cargo: &str) -> Result<BTreeMap<String, String>> {
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
    let clean_sdk = root.join("target/bench/clean-sdk");
    for dir in [&clean_workspace, &clean_baseline, &clean_sdk] {
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
    eprintln!("build: clean debug build of one SDK crate (ordergate-fuuffy)");
    let (sdk, _) = timed(
        &[
            "build",
            "-p",
            "ordergate-fuuffy",
            "--locked",
            // An application's default dev profile: full debug info for dependencies too.
            "--config",
            "profile.dev.package.\"*\".debug=true",
        ],
        Some(&clean_sdk),
    )?;
    figures.insert("clean_build_sdk_seconds".into(), format!("{sdk:.1}"));
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

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores, {cpu}; {rustc}")
}

fn report(figures: &BTreeMap<String, String>) -> Result<String> {
    let get = |key: &str| {
        figures
            .get(key)
            .cloned()
            .unwrap_or_else(|| "not measured".to_owned())
    };
    let ratio = |key: &str| figures.get(key).and_then(|v| v.parse::<f64>().ok());
    let verdict = |key: &str, goal: &dyn Fn(f64) -> bool| match ratio(key) {
        Some(value) if goal(value) => "met",
        Some(_) => "missed",
        None => "not measured",
    };
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let rows = [
        (
            "throughput, hand-written reqwest (median req/s)",
            get("raw_rps_median"),
            "baseline",
            "",
        ),
        (
            "throughput, ordergate-fuuffy client (median req/s)",
            get("provider_rps_median"),
            "",
            "",
        ),
        (
            "throughput, ordergate facade (median req/s)",
            get("facade_rps_median"),
            "",
            "",
        ),
        (
            "`throughput_ratio_provider_raw`",
            get("throughput_ratio_provider_raw"),
            ">= 0.95",
            verdict("throughput_ratio_provider_raw", &|v| v >= 0.95),
        ),
        (
            "`throughput_ratio_facade_raw`",
            get("throughput_ratio_facade_raw"),
            ">= 0.90",
            verdict("throughput_ratio_facade_raw", &|v| v >= 0.90),
        ),
        (
            "`connections_for_1000_calls` (1,000 sequential facade calls, current-thread runtime)",
            get("connections_for_1000_calls"),
            "1",
            verdict("connections_for_1000_calls", &|v| v == 1.0),
        ),
        (
            "connections for 1,000 sequential hand-written calls, current-thread runtime (control)",
            get("connections_for_1000_calls_raw"),
            "",
            "",
        ),
        (
            "connections for 1,000 sequential facade calls, multi-thread runtime (one count per trial)",
            get("connections_for_1000_calls_multi_thread"),
            "",
            "",
        ),
        (
            "connections for 1,000 sequential hand-written calls, multi-thread runtime (control, one count per trial)",
            get("connections_for_1000_calls_multi_thread_raw"),
            "",
            "",
        ),
        (
            "decode, generated FastPOD Order (ns/op)",
            get("decode_ns_generated"),
            "",
            "",
        ),
        (
            "decode, hand-written serde mirror (ns/op)",
            get("decode_ns_handwritten"),
            "baseline",
            "",
        ),
        (
            "decode, hand-written 3-field struct (ns/op)",
            get("decode_ns_three_fields"),
            "",
            "",
        ),
        (
            "`decode_ratio_fastpod_order` (generated / hand-written mirror)",
            get("decode_ratio_fastpod_order"),
            "<= 1.2",
            verdict("decode_ratio_fastpod_order", &|v| v <= 1.2),
        ),
        (
            "decode ratio, generated / 3-field struct",
            get("decode_ratio_fastpod_order_vs_three_fields"),
            "",
            "",
        ),
        (
            "rebuild after `touch specs/logitrail.yaml` (s)",
            get("rebuild_after_touch_seconds"),
            "",
            "",
        ),
        (
            "crates rebuilt after that touch",
            get("rebuild_after_touch_crates"),
            "ordergate-logitrail and dependents",
            "",
        ),
        (
            "clean debug build, workspace (s)",
            get("clean_build_workspace_seconds"),
            "",
            "",
        ),
        (
            "clean debug build, baseline crate (s)",
            get("clean_build_baseline_seconds"),
            "baseline",
            "",
        ),
        (
            "clean build ratio, workspace / baseline",
            get("clean_build_ratio"),
            "",
            "",
        ),
        (
            "clean debug build, `ordergate-fuuffy` alone (what an application depending on one SDK compiles) (s)",
            get("clean_build_sdk_seconds"),
            "",
            "",
        ),
    ];
    let mut out = format!(
        "# Benchmarks\n\nMeasured by `cargo xtask bench` on {date}; machine: {}.\n\n\
         Throughput: {} confirm calls per round at concurrency {}, {} rounds, each running the three \
         variants in turn in a rotating order, against an in-process hyper server answering \
         Fuuffy's documented confirm example; the figure is the median round. Every ratio compares with \
         a baseline measured in the same run (the machine is shared and noisy).\n\n| figure | value | goal | |\n|---|---|---|---|\n",
        machine(),
        get("calls_per_round"),
        get("concurrency"),
        get("rounds"),
    );
    for (name, value, goal, verdict) in rows {
        out.push_str(&format!("| {name} | {value} | {goal} | {verdict} |\n"));
    }
    out.push_str(&format!(
        "\nRounds (req/s): raw {}; provider {}; facade {}.\n\n\
         Connection reuse: each count is a fresh server and a fresh client making 1,000 sequential \
         confirm calls. On a current-thread runtime the connection is always back in the pool \
         before the next call, so the count is what the client does. On the multi-thread runtime \
         hyper-util's legacy client (under reqwest) puts an HTTP/1 connection back in its pool \
         from a spawned task after the response is read; when another worker runs the caller's \
         next request first, it races a new connect against that return and a second connection \
         is opened. It is hyper-util's design (hyperium/hyper#4134, no option to turn it off) and \
         the hand-written reqwest control shows the same.\n\n\
         The hand-written baseline decodes the same fields the spec documents (a plain serde mirror); \
         the decode ratio is also shown against a struct of only the three fields the facade reads.\n\n\
         The baseline crate for build time (`xtask/bench-baseline`) depends on every third-party crate \
         the workspace build compiles as a direct dependency of a member, with the same features and \
         the workspace's Cargo.lock (reqwest, rustls + ring, serde, schemars, tokio, progenitor, syn, \
         axum, httpmock, jsonschema, clap, ...) and contains no code of ours; the difference is our \
         crates: running codegen, the generated clients, runtime, facade, CLI, sandbox, bench, xtask \
         and the test support crate. Both use the workspace's dev profile, in which dependencies \
         keep line tables only (see the workspace's Cargo.toml); the `ordergate-fuuffy` build uses \
         an application's default profile (full debug info everywhere). TLS is rustls with `ring` (`rustls-no-provider`), so aws-lc-sys is never built; reqwest is built \
         without HTTP/2 (no provider needs it; an application enabling reqwest's `http2` feature \
         gets it), schemars without chrono/uuid, and the SDK crates without `regress`.\n\n\
         To profile one variant: `ORDERGATE_BENCH_PROFILE=raw|provider|facade \
         ORDERGATE_BENCH_CALLS=2000 valgrind --tool=callgrind target/release/ordergate-bench` \
         (build with `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only`); comparing runs of 2,000 and \
         4,000 calls gives the cost per call without start-up.\n",
        get("raw_rps_rounds"),
        get("provider_rps_rounds"),
        get("facade_rps_rounds"),
    ));
    Ok(out)
}
