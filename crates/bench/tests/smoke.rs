//! The benchmark binary runs end to end on a small workload and prints the lines that
//! `cargo xtask bench` and scripts read (the figures themselves need a release build and
//! `cargo xtask bench`).

use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn prints_every_figure_scripts_read() {
    let output = Command::new(env!("CARGO_BIN_EXE_ordergate-bench"))
        .env("ORDERGATE_BENCH_CALLS", "64")
        .env("ORDERGATE_BENCH_DECODES", "50")
        .output()
        .expect("the bench runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: BTreeMap<&str, &str> = stdout
        .lines()
        .filter_map(|line| line.split_once('='))
        .collect();
    for key in [
        "throughput_ratio_provider_raw",
        "throughput_ratio_facade_raw",
        "decode_ratio_fastpod_order",
    ] {
        let value: f64 = figures
            .get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no number for {key} in:\n{stdout}"));
        assert!(value.is_finite() && value > 0.0, "{key}={value}");
    }
    assert_eq!(figures.get("calls_per_round"), Some(&"64"));
    // A current-thread runtime: the facade must keep one connection for 1,000 calls.
    assert_eq!(
        figures.get("connections_for_1000_calls"),
        Some(&"1"),
        "{stdout}"
    );
    assert_eq!(
        figures.get("connections_for_1000_calls_raw"),
        Some(&"1"),
        "{stdout}"
    );
    let trials = figures
        .get("connections_for_1000_calls_multi_thread")
        .unwrap_or_else(|| panic!("no multi-thread counts in:\n{stdout}"));
    assert_eq!(trials.split(',').count(), 5, "{trials}");
}
