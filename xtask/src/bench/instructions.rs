//! Instructions per call under callgrind: `ordergate-bench calls <variant> <n>` at 2,000 and
//! 4,000 calls, the difference divided by 2,000 (start-up and warm-up cancel out). Sequential
//! calls on a current-thread runtime, the loopback server in the same process: the counts are
//! the whole process's and repeat to within a few instructions per call.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The variants, as the bench binary names them.
const VARIANTS: [&str; 3] = ["raw", "provider", "facade"];
/// The two run lengths.
const CALLS: (u64, u64) = (2_000, 4_000);

/// `instructions_per_call_<variant>` and the two ratios, from the bench binary at `binary`.
pub(crate) fn measure(binary: &Path) -> Result<BTreeMap<String, String>> {
    let mut per_call = BTreeMap::new();
    for variant in VARIANTS {
        eprintln!("bench: callgrind, {variant}");
        let fewer = collected(binary, variant, CALLS.0)?;
        let more = collected(binary, variant, CALLS.1)?;
        let Some(extra) = more.checked_sub(fewer) else {
            bail!("callgrind: {variant} counted fewer instructions for more calls");
        };
        per_call.insert(variant, extra as f64 / (CALLS.1 - CALLS.0) as f64);
    }
    let mut figures = BTreeMap::new();
    for (variant, value) in &per_call {
        figures.insert(
            format!("instructions_per_call_{variant}"),
            format!("{value:.0}"),
        );
    }
    let raw = per_call["raw"];
    figures.insert(
        "instructions_ratio_provider_raw".into(),
        format!("{:.3}", per_call["provider"] / raw),
    );
    figures.insert(
        "instructions_ratio_facade_raw".into(),
        format!("{:.3}", per_call["facade"] / raw),
    );
    Ok(figures)
}

/// The instructions callgrind collected over a whole run of `calls` calls of `variant`.
fn collected(binary: &Path, variant: &str, calls: u64) -> Result<u64> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(binary)
        .args(["calls", variant, &calls.to_string()])
        .output()
        .context("running valgrind (install it: apt-get install valgrind)")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!(
            "valgrind --tool=callgrind {} calls {variant} {calls} failed:\n{stderr}",
            binary.display()
        );
    }
    // `==1234== Collected : 123456789`
    stderr
        .lines()
        .find_map(|line| line.split_once("Collected :").map(|(_, n)| n.trim()))
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("callgrind reported no instruction count:\n{stderr}"))
}
