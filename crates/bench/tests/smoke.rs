//! The benchmark binary runs end to end on a small workload and prints the lines that
//! `cargo xtask bench` and scripts read (the figures themselves need a release build and
//! `cargo xtask bench`).

use std::collections::BTreeMap;
use std::process::Command;

/// The standard output of `binary` run on a small workload, which must succeed.
fn run(binary: &str) -> String {
    let output = Command::new(binary)
        .env("ORDERGATE_BENCH_CALLS", "64")
        .env("ORDERGATE_BENCH_DECODES", "50")
        .env("ORDERGATE_BENCH_ALLOC_CALLS", "20")
        .output()
        .expect("the bench runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn prints_every_figure_scripts_read() {
    let stdout = run(env!("CARGO_BIN_EXE_ordergate-bench"))
        + &run(env!("CARGO_BIN_EXE_ordergate-bench-counts"));
    let figures: BTreeMap<&str, &str> = stdout
        .lines()
        .filter_map(|line| line.split_once('='))
        .collect();
    for key in [
        "throughput_ratio_provider_raw",
        "throughput_ratio_facade_raw",
        "decode_ratio_fastpod_order",
        "decode_ratio_list_page",
        "allocations_ratio_provider_raw",
        "allocations_ratio_facade_raw",
        "webhook_parse_ratio",
        "list_stream_heap_ratio",
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
    // Counts that do not depend on the build or the machine.
    assert_eq!(
        figures.get("list_stream_orders"),
        Some(&"10000"),
        "{stdout}"
    );
    assert_eq!(
        figures.get("list_stream_peak_pages"),
        Some(&"1"),
        "{stdout}"
    );
    assert_eq!(
        figures.get("token_requests_per_1000_calls"),
        Some(&"1"),
        "{stdout}"
    );
    assert_eq!(
        figures.get("jwt_signs_per_1000_calls"),
        Some(&"1"),
        "{stdout}"
    );
    let raw_allocations: f64 = figures
        .get("allocations_per_call_raw")
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    assert!(raw_allocations >= 10.0, "a call allocates: {stdout}");
    let trials = figures
        .get("connections_for_1000_calls_multi_thread")
        .unwrap_or_else(|| panic!("no multi-thread counts in:\n{stdout}"));
    assert_eq!(trials.split(',').count(), 5, "{trials}");
}

/// `calls <variant> <n>` (what callgrind runs) makes the calls and exits; a wrong variant or
/// count is refused.
#[test]
fn the_calls_mode_runs_one_variant_and_refuses_what_it_does_not_know() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ordergate-bench"))
            .args(args)
            .output()
            .expect("the bench runs")
    };
    for variant in ["raw", "provider", "facade"] {
        let output = run(&["calls", variant, "5"]);
        assert!(
            output.status.success(),
            "{variant}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for args in [
        &["calls", "nope", "5"][..],
        &["calls", "raw", "many"],
        &["extra"],
    ] {
        let output = run(args);
        assert!(!output.status.success(), "{args:?} was accepted");
    }
}
