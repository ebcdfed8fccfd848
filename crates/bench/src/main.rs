//! Run-time benchmarks: what ordergate costs against hand-written reqwest + serde, measured in
//! one run against in-process loopback servers answering with the spec's examples.
//!
//! Run by `cargo xtask bench` (release build), which adds the instruction counts (callgrind
//! runs `ordergate-bench calls <variant> <n>`) and the build-time figures, and writes
//! `BENCHMARKS.md`. The machine is noisy, so every timed figure is a median over alternating
//! rounds and every comparison is a ratio against a baseline measured in the same run; counts
//! (allocations, requests, signatures, pages) are exact.
//!
//! Prints `key=value` lines; those the issues fix are printed exactly as named there:
//! `throughput_ratio_provider_raw`,
//! `throughput_ratio_facade_raw`, `connections_for_1000_calls`, `decode_ratio_fastpod_order`,
//! `allocations_ratio_provider_raw`, `allocations_ratio_facade_raw`, `decode_ratio_list_page`,
//! `list_stream_peak_pages`, `token_requests_per_1000_calls`, `jwt_signs_per_1000_calls` and
//! `webhook_parse_ratio`.

mod alloc_count;
mod baseline;
mod decode;
mod listing;
mod reuse;
mod sequential;
mod server;
mod tokens;
mod webhook;

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use ordergate::{ConfirmRequest, FuuffyAdapter, OrderProvider};
use ordergate_fuuffy::types::ConfirmOrderRequest;
use serde_json::Value;

use crate::server::BenchServer;

/// Calls per round (`ORDERGATE_BENCH_CALLS` overrides it, e.g. for a profiler).
fn calls() -> usize {
    from_env("ORDERGATE_BENCH_CALLS", 20_000)
}

/// Decodes per timing (`ORDERGATE_BENCH_DECODES` overrides it, e.g. for the smoke test).
fn decode_iterations() -> usize {
    from_env("ORDERGATE_BENCH_DECODES", 20_000)
}

/// The positive number in environment variable `name`, or `default`.
fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

const CONCURRENCY: usize = 32;
const ROUNDS: usize = 9;
const TOKEN: &str = "bench-token";
const ORDER_ID: &str = "3550609";

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, variant, n] = args.as_slice()
        && mode == "calls"
    {
        return sequential::calls_mode(variant, n);
    }
    if let [mode, variant, n] = args.as_slice()
        && mode == "webhook"
    {
        return webhook::parses_mode(variant, n);
    }
    if !args.is_empty() {
        return Err(
            "usage: ordergate-bench [calls raw|provider|facade N | webhook facade|handwritten N]"
                .into(),
        );
    }
    // The counts first, each on a current-thread runtime of its own, before the throughput
    // rounds' runtime exists.
    let counts = Counts::measure()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(counts))
}

/// A response example from `specs/<provider>.yaml`, by JSON pointer.
fn spec_example(provider: &str, pointer: &str) -> Result<Value, Failure> {
    let path = format!("{}/../../specs/{provider}.yaml", env!("CARGO_MANIFEST_DIR"));
    let yaml: Value = serde_yaml::from_str(&std::fs::read_to_string(&path)?)?;
    yaml.pointer(pointer)
        .cloned()
        .ok_or_else(|| format!("{path}: no example at {pointer}").into())
}

/// Fuuffy's documented confirm answer, which every confirm call gets.
fn confirm_body() -> Result<Bytes, Failure> {
    let confirm = spec_example(
        "fuuffy",
        "/paths/~1v1~1order~1confirm/post/responses/200/content/application~1json/examples/docs_success/value",
    )?;
    Ok(Bytes::from(serde_json::to_vec(&confirm)?))
}

/// The exact counts: allocations per call, list paging, token requests, JWT signatures.
struct Counts {
    allocations: [f64; 3],
    list: listing::ListFigures,
    token_requests: usize,
    jwt_signs: usize,
}

impl Counts {
    fn measure() -> Result<Self, Failure> {
        let allocations = sequential::allocations_per_call(confirm_body()?)?;
        eprintln!(
            "allocations per call: raw {:.1}, provider {:.1}, facade {:.1}",
            allocations[0], allocations[1], allocations[2]
        );
        Ok(Self {
            allocations,
            list: listing::measure()?,
            token_requests: tokens::fuuffy_token_requests()?,
            jwt_signs: tokens::onemg_jwt_signs()?,
        })
    }

    fn print(&self) {
        let [raw, provider, facade] = self.allocations;
        println!("allocations_per_call_raw={raw:.1}");
        println!("allocations_per_call_provider={provider:.1}");
        println!("allocations_per_call_facade={facade:.1}");
        println!("allocations_ratio_provider_raw={:.3}", provider / raw);
        println!("allocations_ratio_facade_raw={:.3}", facade / raw);
        println!("list_stream_orders={}", self.list.orders);
        println!("list_stream_peak_pages={}", self.list.peak_pages);
        println!("list_stream_heap_ratio={:.2}", self.list.heap_ratio);
        println!("token_requests_per_1000_calls={}", self.token_requests);
        println!("jwt_signs_per_1000_calls={}", self.jwt_signs);
    }
}

async fn run(counts: Counts) -> Result<(), Failure> {
    let server = BenchServer::start(confirm_body()?).await?;

    let clients = Clients::new(&server.url)?;

    // Warm-up: connections, allocator, caches.
    for _ in 0..calls().min(200) {
        for variant in Variant::ALL {
            clients.call(variant).await?;
        }
    }

    // `ORDERGATE_BENCH_PROFILE=raw|provider|facade` runs only that variant, for a profiler.
    if let Ok(name) = std::env::var("ORDERGATE_BENCH_PROFILE") {
        let variant = Variant::named(&name)?;
        let rps = clients.throughput(variant).await?;
        eprintln!("{name}: {rps:.0} rps");
        return Ok(());
    }

    // Rounds alternate the variants and rotate their order, so that no variant always runs
    // first or last (a drift of the machine then lands on every variant alike).
    let mut rps: [Vec<f64>; 3] = Default::default();
    for round in 0..ROUNDS {
        for offset in 0..Variant::ALL.len() {
            let variant = Variant::ALL[(round + offset) % Variant::ALL.len()];
            rps[variant as usize].push(clients.throughput(variant).await?);
        }
        eprintln!(
            "round {}: raw {:.0} rps, provider {:.0} rps, facade {:.0} rps",
            round + 1,
            rps[0][round],
            rps[1][round],
            rps[2][round]
        );
    }
    let [raw_rps, provider_rps, facade_rps] = rps;
    let (raw_median, provider_median, facade_median) =
        (median(&raw_rps), median(&provider_rps), median(&facade_rps));

    let reuse = reuse::measure(confirm_body()?).await?;
    let decode = decode::measure()?;
    let webhook = webhook::measure()?;

    println!("calls_per_round={}", calls());
    println!("concurrency={CONCURRENCY}");
    println!("rounds={ROUNDS}");
    println!("raw_rps_median={raw_median:.0}");
    println!("provider_rps_median={provider_median:.0}");
    println!("facade_rps_median={facade_median:.0}");
    println!("raw_rps_rounds={}", join(raw_rps.iter().map(|v| v.round())));
    println!(
        "provider_rps_rounds={}",
        join(provider_rps.iter().map(|v| v.round()))
    );
    println!(
        "facade_rps_rounds={}",
        join(facade_rps.iter().map(|v| v.round()))
    );
    println!(
        "throughput_ratio_provider_raw={:.3}",
        provider_median / raw_median
    );
    println!(
        "throughput_ratio_facade_raw={:.3}",
        facade_median / raw_median
    );
    println!("connections_for_1000_calls={}", reuse.facade);
    println!("connections_for_1000_calls_raw={}", reuse.raw);
    println!(
        "connections_for_1000_calls_multi_thread={}",
        join(&reuse.facade_multi_thread)
    );
    println!(
        "connections_for_1000_calls_multi_thread_raw={}",
        join(&reuse.raw_multi_thread)
    );
    println!("decode_ns_generated={:.0}", decode.generated_ns);
    println!("decode_ns_handwritten={:.0}", decode.handwritten_ns);
    println!("decode_ns_three_fields={:.0}", decode.three_fields_ns);
    println!(
        "decode_ratio_fastpod_order={:.3}",
        decode.generated_ns / decode.handwritten_ns
    );
    println!(
        "decode_ratio_fastpod_order_vs_three_fields={:.3}",
        decode.generated_ns / decode.three_fields_ns
    );
    println!(
        "decode_ns_list_page_generated={:.0}",
        decode.page_generated_ns
    );
    println!(
        "decode_ns_list_page_handwritten={:.0}",
        decode.page_handwritten_ns
    );
    println!(
        "decode_ratio_list_page={:.3}",
        decode.page_generated_ns / decode.page_handwritten_ns
    );
    println!(
        "webhook_parses_per_second_facade={:.0}",
        webhook.facade_per_second
    );
    println!(
        "webhook_parses_per_second_handwritten={:.0}",
        webhook.handwritten_per_second
    );
    println!(
        "webhook_parse_ratio={:.3}",
        webhook.facade_per_second / webhook.handwritten_per_second
    );
    counts.print();
    Ok(())
}

/// The three ways of calling Fuuffy's confirm that the throughput rounds compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// Hand-written reqwest + serde (the baseline).
    Raw,
    /// The generated `ordergate-fuuffy` client.
    Provider,
    /// The `ordergate` facade.
    Facade,
}

impl Variant {
    const ALL: [Self; 3] = [Self::Raw, Self::Provider, Self::Facade];

    fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Provider => "provider",
            Self::Facade => "facade",
        }
    }

    /// The variant called `name` (`raw`, `provider` or `facade`).
    fn named(name: &str) -> Result<Self, Failure> {
        Self::ALL
            .into_iter()
            .find(|v| v.name() == name)
            .ok_or_else(|| format!("{name}: not raw, provider or facade").into())
    }
}

/// One client of each variant, all talking to the same server.
struct Clients {
    raw: Arc<baseline::RawClient>,
    provider: Arc<ordergate_fuuffy::Client>,
    facade: Arc<FuuffyAdapter>,
}

impl Clients {
    /// One client of each variant for the server at `url`.
    fn new(url: &str) -> Result<Self, Failure> {
        Ok(Self {
            raw: Arc::new(baseline::RawClient::new(url, TOKEN)?),
            provider: Arc::new(ordergate_fuuffy::Client::with_credentials(
                url,
                ordergate_fuuffy::Credentials::access_token(TOKEN),
            )?),
            facade: Arc::new(
                FuuffyAdapter::builder()
                    .token(TOKEN)
                    .base_url(url.to_owned())
                    .build()?,
            ),
        })
    }

    /// One confirm call through `variant`.
    async fn call(&self, variant: Variant) -> Result<(), Failure> {
        match variant {
            Variant::Raw => confirm_raw(&self.raw).await,
            Variant::Provider => confirm_with_provider(&self.provider).await,
            Variant::Facade => confirm_with_facade(&self.facade).await,
        }
    }

    /// Requests per second of one round of `variant`. Each arm has its own call closure, so a
    /// variant's per-call future is exactly its own (no shared, larger future for the baseline).
    async fn throughput(&self, variant: Variant) -> Result<f64, Failure> {
        match variant {
            Variant::Raw => {
                let raw = self.raw.clone();
                throughput(move || {
                    let raw = raw.clone();
                    async move { confirm_raw(&raw).await }
                })
                .await
            }
            Variant::Provider => {
                let provider = self.provider.clone();
                throughput(move || {
                    let provider = provider.clone();
                    async move { confirm_with_provider(&provider).await }
                })
                .await
            }
            Variant::Facade => {
                let facade = self.facade.clone();
                throughput(move || {
                    let facade = facade.clone();
                    async move { confirm_with_facade(&facade).await }
                })
                .await
            }
        }
    }
}

async fn confirm_raw(raw: &baseline::RawClient) -> Result<(), Failure> {
    raw.confirm(ORDER_ID).await.map(|_| ())
}

async fn confirm_with_facade(facade: &FuuffyAdapter) -> Result<(), Failure> {
    facade
        .confirm_order(&ConfirmRequest::new(ORDER_ID))
        .await
        .map(|_| ())
        .map_err(Failure::from)
}

async fn confirm_with_provider(client: &ordergate_fuuffy::Client) -> Result<(), Failure> {
    let response = client
        .confirm_order()
        .body(ConfirmOrderRequest::builder().order_id(ORDER_ID))
        .send()
        .await?;
    let confirmed = response.data.confirmed_orders();
    if confirmed
        .first()
        .and_then(|o| o.tracking_number.as_deref())
        .is_none()
    {
        return Err("the provider client decoded no tracking number".into());
    }
    Ok(())
}

/// Requests per second for [`calls`] calls by `CONCURRENCY` tasks; any failed call fails the run.
async fn throughput<F, Fut>(call: F) -> Result<f64, Failure>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<(), Failure>> + Send,
{
    let calls = calls();
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|worker| {
            let call = call.clone();
            let share = calls / CONCURRENCY + usize::from(worker < calls % CONCURRENCY);
            tokio::spawn(async move {
                for _ in 0..share {
                    call().await?;
                }
                Ok::<(), Failure>(())
            })
        })
        .collect();
    for worker in workers {
        worker.await??;
    }
    Ok(calls as f64 / started.elapsed().as_secs_f64())
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// `values`, comma-separated.
fn join<T: std::fmt::Display>(values: impl IntoIterator<Item = T>) -> String {
    values
        .into_iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
