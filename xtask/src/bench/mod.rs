//! `cargo xtask bench [--no-build]`: run-time figures from the `ordergate-bench` and
//! `ordergate-bench-counts` binaries (release), instruction counts from callgrind, build-time figures measured here, all written
//! to `BENCHMARKS.md` with their goals ([`lines::LINES`]).

mod build_times;
mod instructions;
mod lines;

use std::collections::BTreeMap;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace_root;
use lines::LINES;

pub(crate) fn run(build_figures: bool) -> Result<()> {
    let root = workspace_root();
    let cargo = crate::cargo();
    let status = Command::new(&cargo)
        .args(["build", "--release", "--locked", "-p", "ordergate-bench"])
        // Line tables, so that a profile of this very binary names functions and lines.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
        .current_dir(&root)
        .status()
        .context("building ordergate-bench")?;
    if !status.success() {
        bail!("building ordergate-bench failed");
    }
    let release = root.join("target/release");
    let binary = release.join("ordergate-bench");
    let mut figures = BTreeMap::new();
    // The counts first (their own binary, with the counting allocator), then the timed run.
    for name in ["ordergate-bench-counts", "ordergate-bench"] {
        let output = Command::new(release.join(name))
            .current_dir(&root)
            .output()
            .with_context(|| format!("running {name}"))?;
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        if !output.status.success() {
            bail!("{name} failed");
        }
        figures.extend(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| line.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
    }
    figures.extend(instructions::measure(&binary)?);
    if build_figures {
        figures.extend(build_times::measure(&root, &cargo)?);
        figures.extend(crate::sdk_build::measure(&root, &cargo)?);
        figures.extend(crate::package_check::measure(&root, &cargo)?);
    }
    for line in LINES.iter().filter(|l| l.goal.is_goal()) {
        if line.build && !build_figures {
            continue;
        }
        let value = figures
            .get(line.key)
            .with_context(|| format!("no figure for {}", line.key))?;
        println!("{}={value}", line.key);
    }
    let report = report(&figures, build_figures);
    std::fs::write(root.join("BENCHMARKS.md"), report).context("writing BENCHMARKS.md")?;
    println!("wrote BENCHMARKS.md");
    Ok(())
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

fn report(figures: &BTreeMap<String, String>, build_figures: bool) -> String {
    let get = |key: &str| {
        figures
            .get(key)
            .cloned()
            .unwrap_or_else(|| "not measured".to_owned())
    };
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut out = format!(
        "# Benchmarks\n\nMeasured by `cargo xtask bench{}` on {date}; machine: {}.\n\n\
         Every ratio compares with a baseline measured in the same run (the machine is shared \
         and noisy); counts (instructions, allocations, requests, signatures, pages) are exact \
         and decide where a timed figure and a count disagree.\n\n\
         | line | what | value | goal | |\n|---|---|---|---|---|\n",
        if build_figures { "" } else { " --no-build" },
        machine(),
    );
    for line in LINES {
        let value = figures.get(line.key).map(String::as_str);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            line.key,
            line.what,
            value.unwrap_or("not measured"),
            line.goal.text(),
            line.goal.verdict(value),
        ));
    }
    out.push_str(&format!(
        "\n## How each figure is measured\n\n\
         **Throughput.** {} confirm calls per round at concurrency {}, {} rounds, each running \
         the three variants (hand-written reqwest + serde, the `ordergate-fuuffy` client, the \
         facade) in turn in a rotating order, against an in-process hyper server answering \
         Fuuffy's documented confirm example. A round's ratio compares figures taken back to back \
         under the same load; the goal judges the median of the rounds' ratios (the ratio of the \
         median rounds is shown too). Rounds (req/s): \
         raw {}; provider {}; facade {}.\n\n\
         **Instructions and allocations per call.** Sequential confirm calls on a \
         current-thread runtime with the loopback server in the same process, after 200 \
         warm-up calls of every variant; the figure is (count for 4,000 calls − count for \
         2,000 calls) / 2,000, so start-up and warm-up cancel out. Instructions: `valgrind \
         --tool=callgrind target/release/ordergate-bench calls <raw|provider|facade> <n>`. \
         Allocations: `ordergate-bench-counts`, a binary of its own with a counting global \
         allocator (`stats_alloc`; the timed figures run without it), allocations and \
         reallocations, as DHAT counts them. Both are the whole process's \
         (client, server, runtime): the server's share is the same in every variant.\n\n\
         **Connection reuse.** Each count is a fresh server and a fresh client making 1,000 \
         sequential confirm calls. On a current-thread runtime the connection is always back \
         in the pool before the next call, so the count is what the client does. On the \
         multi-thread runtime hyper-util's legacy client (under reqwest) puts an HTTP/1 \
         connection back in its pool from a spawned task after the response is read; when \
         another worker runs the caller's next request first, it races a new connect against \
         that return and a second connection is opened. It is hyper-util's design \
         (hyperium/hyper#4134, no option to turn it off) and the hand-written reqwest control \
         shows the same.\n\n\
         **Decoding.** The hand-written baselines decode the same fields the spec documents (a \
         plain serde mirror). The list page is the List Orders example's paginator around 100 \
         copies of the Get Order example.\n\n\
         **Listing.** 10,000 Fuuffy orders in 100 pages of 100 from a loopback server counting \
         the pages it served: when the consumer receives order *i*, the pages held are those \
         served minus the *i* / 100 consumed whole. The heap ratio watches for a stream that \
         keeps what it yielded: the most live heap (sampled at each order, after a first page \
         has opened the connection) streaming 100 pages, over the same for one page.\n\n\
         **Tokens and signatures.** 1,000 calls by 10 callers at once: Fuuffy with client \
         credentials against a token endpoint answering its documented example (valid 3,600 \
         s), counting token requests; Tata 1mg signing its own RS256 JWTs, counting the \
         distinct bearer tokens the server received.\n\n\
         **Webhooks.** Fuuffy's documented webhook event, signed; the facade's \
         `parse_webhook` (verify the `X-Fuuffy-Signature` HMAC-SHA256, parse, normalize) against \
         a hand-written `ring` HMAC check and serde parse of the same body, alternating over \
         9 rounds; medians.\n\n\
         **Build.** The rebuild touches `specs/logitrail.yaml` in a warm workspace. The SDK \
         build ratio compares two applications outside the workspace (each its own \
         `[workspace]`, target directory and a copy of the workspace's Cargo.lock, an \
         application's default dev profile): one depending on `ordergate-fuuffy` with default \
         features, one depending only on that crate's third-party run-time dependencies with \
         the same features; the difference is the price of generating at build time \
         (progenitor, typify, syn and the spec parser as build dependencies, and the generated \
         code). The workspace build ratio compares a clean build of the workspace with \
         `xtask/bench-baseline`, a crate depending on every third-party crate the workspace \
         compiles as a direct dependency of a member, with the same features and lock file, \
         and no code of ours. TLS is rustls with `ring` (`rustls-no-provider`), so aws-lc-sys \
         is never built; reqwest is built without HTTP/2.\n\n\
         To profile one variant: build as `cargo xtask bench` does \
         (`CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -p \
         ordergate-bench`), then `valgrind --tool=callgrind target/release/ordergate-bench \
         calls provider 2000` and `callgrind_annotate`.\n",
        get("calls_per_round"),
        get("concurrency"),
        get("rounds"),
        get("raw_rps_rounds"),
        get("provider_rps_rounds"),
        get("facade_rps_rounds"),
    ));
    out
}
