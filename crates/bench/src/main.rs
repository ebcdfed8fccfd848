//! Run-time benchmarks: what ordergate costs against hand-written reqwest + serde, measured in
//! one run against an in-process loopback server answering with the spec's examples.
//!
//! Run by `cargo xtask bench` (release build), which adds the build-time figures and writes
//! `BENCHMARKS.md`. The machine is noisy, so every figure is a median over alternating rounds
//! and every comparison is a ratio against a baseline measured in the same run.
//!
//! Prints `key=value` lines; the four the issue fixes are printed exactly as
//! `throughput_ratio_provider_raw=`, `throughput_ratio_facade_raw=`,
//! `connections_for_1000_calls=` and `decode_ratio_fastpod_order=`.

mod baseline;
mod reuse;
mod server;

use std::future::Future;
use std::hint::black_box;
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

/// A response example from `specs/<provider>.yaml`, by JSON pointer.
fn spec_example(provider: &str, pointer: &str) -> Result<Value, Failure> {
    let path = format!("{}/../../specs/{provider}.yaml", env!("CARGO_MANIFEST_DIR"));
    let yaml: Value = serde_yaml::from_str(&std::fs::read_to_string(&path)?)?;
    yaml.pointer(pointer)
        .cloned()
        .ok_or_else(|| format!("{path}: no example at {pointer}").into())
}

async fn run() -> Result<(), Failure> {
    let confirm = spec_example(
        "fuuffy",
        "/paths/~1v1~1order~1confirm/post/responses/200/content/application~1json/examples/docs_success/value",
    )?;
    let server = BenchServer::start(Bytes::from(serde_json::to_vec(&confirm)?)).await?;

    let clients = Clients::new(&server.url)?;

    // Warm-up: connections, allocator, caches.
    for _ in 0..calls().min(200) {
        for variant in Variant::ALL {
            clients.call(variant).await?;
        }
    }

    // `ORDERGATE_BENCH_PROFILE=raw|provider|facade` runs only that variant, for a profiler.
    if let Ok(name) = std::env::var("ORDERGATE_BENCH_PROFILE") {
        let variant = Variant::ALL
            .into_iter()
            .find(|v| v.name() == name)
            .ok_or_else(|| {
                format!("ORDERGATE_BENCH_PROFILE={name}: not raw, provider or facade")
            })?;
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

    let reuse = reuse::measure(Bytes::from(serde_json::to_vec(&confirm)?)).await?;
    let decode = decode_ratios()?;

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

struct DecodeFigures {
    generated_ns: f64,
    handwritten_ns: f64,
    three_fields_ns: f64,
}

/// Nanoseconds per decode of the FastPOD order example: generated types, a hand-written plain
/// serde mirror of the same fields, and a struct of the three fields the facade reads.
fn decode_ratios() -> Result<DecodeFigures, Failure> {
    let order = spec_example(
        "fastpod",
        "/paths/~1v1~1orders~1{id}/get/responses/200/content/application~1json/examples/docs_order/value",
    )?;
    let bytes = serde_json::to_vec(&order)?;
    // Every variant must decode the example before it is timed.
    serde_json::from_slice::<ordergate_fastpod::types::Order>(&bytes)?;
    serde_json::from_slice::<baseline::Order>(&bytes)?;
    serde_json::from_slice::<baseline::ThreeFields>(&bytes)?;

    let iterations = decode_iterations();
    let time = |decode: &dyn Fn(&[u8]) -> bool| {
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(decode(black_box(&bytes)));
        }
        started.elapsed().as_nanos() as f64 / iterations as f64
    };
    let (mut generated, mut handwritten, mut three) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        generated.push(time(&|b| {
            serde_json::from_slice::<ordergate_fastpod::types::Order>(b).is_ok()
        }));
        handwritten.push(time(&|b| {
            serde_json::from_slice::<baseline::Order>(b).is_ok()
        }));
        three.push(time(&|b| {
            serde_json::from_slice::<baseline::ThreeFields>(b).is_ok()
        }));
    }
    Ok(DecodeFigures {
        generated_ns: median(&generated),
        handwritten_ns: median(&handwritten),
        three_fields_ns: median(&three),
    })
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
