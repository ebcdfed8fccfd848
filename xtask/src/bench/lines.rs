//! The figures `cargo xtask bench` reports: each line's key (printed as `key=value`), what it
//! measures, and its goal.

/// What a figure must be.
#[derive(Clone, Copy)]
pub(crate) enum Goal {
    /// No goal: a supporting figure.
    None,
    /// The baseline other figures are divided by.
    Baseline,
    /// At least this.
    AtLeast(f64),
    /// At most this.
    AtMost(f64),
    /// Exactly this.
    Equals(f64),
}

impl Goal {
    /// The goal as the report shows it.
    pub(crate) fn text(self) -> String {
        match self {
            Self::None => String::new(),
            Self::Baseline => "baseline".to_owned(),
            Self::AtLeast(v) => format!(">= {v}"),
            Self::AtMost(v) => format!("<= {v}"),
            Self::Equals(v) => format!("{v}"),
        }
    }

    /// `met`, `missed`, `not measured`, or nothing for a figure without a goal.
    pub(crate) fn verdict(self, value: Option<&str>) -> &'static str {
        let check = |ok: fn(f64, f64) -> bool, goal: f64| match value.and_then(|v| v.parse().ok()) {
            Some(v) if ok(v, goal) => "met",
            Some(_) => "missed",
            None => "not measured",
        };
        match self {
            Self::None | Self::Baseline => "",
            Self::AtLeast(goal) => check(|v, g| v >= g, goal),
            Self::AtMost(goal) => check(|v, g| v <= g, goal),
            Self::Equals(goal) => check(|v, g| v == g, goal),
        }
    }

    /// Whether the line is one that scripts read (it has a goal).
    pub(crate) fn is_goal(self) -> bool {
        !matches!(self, Self::None | Self::Baseline)
    }
}

/// One line of the report.
pub(crate) struct Line {
    /// The key, as printed.
    pub(crate) key: &'static str,
    /// What it measures.
    pub(crate) what: &'static str,
    /// Its goal.
    pub(crate) goal: Goal,
    /// Measured by the build-time part (skipped by `--no-build`).
    pub(crate) build: bool,
}

const fn run(key: &'static str, what: &'static str, goal: Goal) -> Line {
    Line {
        key,
        what,
        goal,
        build: false,
    }
}

const fn build(key: &'static str, what: &'static str, goal: Goal) -> Line {
    Line {
        key,
        what,
        goal,
        build: true,
    }
}

/// Every line, in report order.
pub(crate) const LINES: &[Line] = &[
    run(
        "raw_rps_median",
        "throughput, hand-written reqwest (median req/s)",
        Goal::Baseline,
    ),
    run(
        "provider_rps_median",
        "throughput, ordergate-fuuffy client (median req/s)",
        Goal::None,
    ),
    run(
        "facade_rps_median",
        "throughput, ordergate facade (median req/s)",
        Goal::None,
    ),
    run(
        "throughput_ratio_provider_raw",
        "throughput, provider client / hand-written (median of the rounds' ratios)",
        Goal::AtLeast(0.97),
    ),
    run(
        "throughput_ratio_facade_raw",
        "throughput, facade / hand-written (median of the rounds' ratios)",
        Goal::AtLeast(0.95),
    ),
    run(
        "throughput_ratio_provider_raw_of_medians",
        "throughput, provider client / hand-written (ratio of the medians)",
        Goal::None,
    ),
    run(
        "throughput_ratio_facade_raw_of_medians",
        "throughput, facade / hand-written (ratio of the medians)",
        Goal::None,
    ),
    run(
        "instructions_per_call_raw",
        "instructions per call (callgrind, (4,000 − 2,000 calls) / 2,000), hand-written",
        Goal::Baseline,
    ),
    run(
        "instructions_per_call_provider",
        "instructions per call, provider client",
        Goal::None,
    ),
    run(
        "instructions_per_call_facade",
        "instructions per call, facade",
        Goal::None,
    ),
    run(
        "instructions_ratio_provider_raw",
        "instructions per call, provider client / hand-written",
        Goal::AtMost(1.01),
    ),
    run(
        "instructions_ratio_facade_raw",
        "instructions per call, facade / hand-written",
        Goal::AtMost(1.03),
    ),
    run(
        "allocations_per_call_raw",
        "heap allocations per call (counting allocator, (4,000 − 2,000 calls) / 2,000), hand-written",
        Goal::Baseline,
    ),
    run(
        "allocations_per_call_provider",
        "heap allocations per call, provider client",
        Goal::None,
    ),
    run(
        "allocations_per_call_facade",
        "heap allocations per call, facade",
        Goal::None,
    ),
    run(
        "allocations_ratio_provider_raw",
        "allocations per call, provider client / hand-written",
        Goal::AtMost(1.03),
    ),
    run(
        "allocations_ratio_facade_raw",
        "allocations per call, facade / hand-written",
        Goal::AtMost(1.08),
    ),
    run(
        "connections_for_1000_calls",
        "TCP connections for 1,000 sequential facade calls, current-thread runtime",
        Goal::Equals(1.0),
    ),
    run(
        "connections_for_1000_calls_raw",
        "the same, hand-written (control)",
        Goal::None,
    ),
    run(
        "connections_for_1000_calls_multi_thread",
        "TCP connections for 1,000 sequential facade calls, multi-thread runtime (one count per trial)",
        Goal::None,
    ),
    run(
        "connections_for_1000_calls_multi_thread_raw",
        "the same, hand-written (control)",
        Goal::None,
    ),
    run(
        "decode_ns_generated",
        "decode, generated FastPOD Order (ns/op)",
        Goal::None,
    ),
    run(
        "decode_ns_handwritten",
        "decode, hand-written serde mirror (ns/op)",
        Goal::Baseline,
    ),
    run(
        "decode_ns_three_fields",
        "decode, hand-written 3-field struct (ns/op)",
        Goal::None,
    ),
    run(
        "decode_ratio_fastpod_order",
        "decode, generated FastPOD Order / hand-written mirror",
        Goal::AtMost(1.1),
    ),
    run(
        "decode_ratio_fastpod_order_vs_three_fields",
        "decode, generated / 3-field struct",
        Goal::None,
    ),
    run(
        "decode_ns_list_page_generated",
        "decode, generated FastPOD list page of 100 orders (ns/op)",
        Goal::None,
    ),
    run(
        "decode_ns_list_page_handwritten",
        "decode, hand-written mirror of that page (ns/op)",
        Goal::Baseline,
    ),
    run(
        "decode_ratio_list_page",
        "decode, 100-order list page, generated / hand-written mirror",
        Goal::AtMost(1.1),
    ),
    run(
        "list_stream_orders",
        "orders received streaming 10,000 Fuuffy orders (100 pages) through the facade's `list_orders`",
        Goal::Equals(10_000.0),
    ),
    run(
        "list_stream_peak_pages",
        "the most pages held at once during that stream (served − consumed)",
        Goal::AtMost(2.0),
    ),
    run(
        "list_stream_heap_ratio",
        "peak live heap streaming 100 pages / streaming 1 page (a stream keeping yielded pages would show ~100)",
        Goal::AtMost(2.0),
    ),
    run(
        "token_requests_per_1000_calls",
        "token requests during 1,000 Fuuffy calls (10 callers at once) with client credentials, token valid throughout",
        Goal::AtMost(1.0),
    ),
    run(
        "jwt_signs_per_1000_calls",
        "RS256 signatures (distinct JWTs received) during 1,000 Tata 1mg calls (10 callers at once) within one token lifetime",
        Goal::AtMost(1.0),
    ),
    run(
        "webhook_parses_per_second_facade",
        "webhook, the facade's `parse_webhook` on Fuuffy's event (verify, parse, normalize), per second",
        Goal::None,
    ),
    run(
        "webhook_parses_per_second_handwritten",
        "webhook, hand-written HMAC check (ring) + serde parse of the same body, per second",
        Goal::Baseline,
    ),
    run(
        "webhook_parse_ratio",
        "webhook, facade / hand-written throughput",
        Goal::AtLeast(0.8),
    ),
    build(
        "rebuild_after_touch_seconds",
        "rebuild after `touch specs/logitrail.yaml` (s)",
        Goal::None,
    ),
    build(
        "rebuild_after_touch_crates",
        "crates rebuilt after that touch (goal: ordergate-logitrail and its dependents)",
        Goal::None,
    ),
    build(
        "sdk_build_seconds",
        "clean debug build of an application depending on `ordergate-fuuffy` alone (s)",
        Goal::None,
    ),
    build(
        "sdk_build_baseline_seconds",
        "the same application depending only on the SDK's third-party run-time dependencies (s)",
        Goal::Baseline,
    ),
    build(
        "sdk_build_ratio",
        "clean build, SDK application / baseline application",
        Goal::AtMost(1.5),
    ),
    build(
        "publishable_crates",
        "publishable crates (`cargo package --workspace`, with verification)",
        Goal::None,
    ),
    build(
        "publishable_crates_unpackaged",
        "publishable crates that fail to package",
        Goal::Equals(0.0),
    ),
    build(
        "clean_build_workspace_seconds",
        "clean debug build, workspace (s)",
        Goal::None,
    ),
    build(
        "clean_build_baseline_seconds",
        "clean debug build, baseline crate (s)",
        Goal::Baseline,
    ),
    build(
        "clean_build_ratio",
        "clean build ratio, workspace / baseline",
        Goal::None,
    ),
];
