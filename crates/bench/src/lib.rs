//! Run-time benchmarks of ordergate against hand-written reqwest + serde, measured against
//! in-process loopback servers answering with the spec's examples: the library the two bench
//! binaries share.
//!
//! - `ordergate-bench` (the system allocator, as an application has it): throughput,
//!   connection reuse, decoding and webhook figures; `calls <variant> <n>` for callgrind.
//! - `ordergate-bench-counts` (a counting global allocator): allocations per call, the list
//!   stream's pages and heap, token requests and JWT signatures.
//!
//! Run by `cargo xtask bench` (release build), which adds the instruction counts and the
//! build-time figures and writes `BENCHMARKS.md`. The machine is noisy, so every timed figure
//! is a median over alternating rounds and every comparison is a ratio against a baseline
//! measured in the same run; counts are exact.

pub mod alloc_count;
pub mod baseline;
pub mod decode;
pub mod listing;
pub mod reuse;
pub mod sequential;
pub mod server;
pub mod tokens;
pub mod webhook;

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use ordergate::{ConfirmRequest, FuuffyAdapter, OrderProvider};
use ordergate_fuuffy::types::ConfirmOrderRequest;
use serde_json::Value;

/// Calls per round (`ORDERGATE_BENCH_CALLS` overrides it, e.g. for a profiler).
pub fn calls() -> usize {
    from_env("ORDERGATE_BENCH_CALLS", 20_000)
}

/// Decodes per timing (`ORDERGATE_BENCH_DECODES` overrides it, e.g. for the smoke test).
pub fn decode_iterations() -> usize {
    from_env("ORDERGATE_BENCH_DECODES", 20_000)
}

/// The positive number in environment variable `name`, or `default`.
pub fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// Callers at once in a throughput round.
pub const CONCURRENCY: usize = 32;
/// Rounds of every timed figure.
pub const ROUNDS: usize = 9;
/// The access token every Fuuffy client of the bench sends.
pub const TOKEN: &str = "bench-token";
/// The order every confirm call confirms.
pub const ORDER_ID: &str = "3550609";

/// Any failure of the bench.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A response example from `specs/<provider>.yaml`, by JSON pointer.
pub fn spec_example(provider: &str, pointer: &str) -> Result<Value, Failure> {
    let path = format!("{}/../../specs/{provider}.yaml", env!("CARGO_MANIFEST_DIR"));
    let yaml: Value = serde_yaml::from_str(&std::fs::read_to_string(&path)?)?;
    yaml.pointer(pointer)
        .cloned()
        .ok_or_else(|| format!("{path}: no example at {pointer}").into())
}

/// Fuuffy's documented confirm answer.
pub fn confirm_example() -> Result<Value, Failure> {
    spec_example(
        "fuuffy",
        "/paths/~1v1~1order~1confirm/post/responses/200/content/application~1json/examples/docs_success/value",
    )
}

/// Fuuffy's documented confirm answer as the body every confirm call gets.
pub fn confirm_body() -> Result<Bytes, Failure> {
    json_bytes(&confirm_example()?)
}

/// `value` as a JSON body.
pub fn json_bytes(value: &Value) -> Result<Bytes, Failure> {
    Ok(Bytes::from(serde_json::to_vec(value)?))
}

/// The three ways of calling Fuuffy's confirm that the throughput rounds compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Hand-written reqwest + serde (the baseline).
    Raw,
    /// The generated `ordergate-fuuffy` client.
    Provider,
    /// The `ordergate` facade.
    Facade,
}

impl Variant {
    /// Every variant, in report order.
    pub const ALL: [Self; 3] = [Self::Raw, Self::Provider, Self::Facade];

    /// The variant's name, as the modes take it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Provider => "provider",
            Self::Facade => "facade",
        }
    }

    /// The variant called `name` (`raw`, `provider` or `facade`).
    pub fn named(name: &str) -> Result<Self, Failure> {
        Self::ALL
            .into_iter()
            .find(|v| v.name() == name)
            .ok_or_else(|| format!("{name}: not raw, provider or facade").into())
    }
}

/// One client of each variant, all talking to the same server.
pub struct Clients {
    raw: Arc<baseline::RawClient>,
    provider: Arc<ordergate_fuuffy::Client>,
    facade: Arc<FuuffyAdapter>,
}

impl Clients {
    /// One client of each variant for the server at `url`.
    pub fn new(url: &str) -> Result<Self, Failure> {
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

    /// `rounds` calls of every variant (connections, allocator, caches, lazy statics).
    pub async fn warm_up(&self, rounds: usize) -> Result<(), Failure> {
        for _ in 0..rounds {
            for variant in Variant::ALL {
                self.call(variant).await?;
            }
        }
        Ok(())
    }

    /// One confirm call through `variant`.
    pub async fn call(&self, variant: Variant) -> Result<(), Failure> {
        match variant {
            Variant::Raw => confirm_raw(&self.raw).await,
            Variant::Provider => confirm_with_provider(&self.provider).await,
            Variant::Facade => confirm_with_facade(&self.facade).await,
        }
    }

    /// Requests per second of one round of `variant`. Each arm has its own call closure, so a
    /// variant's per-call future is exactly its own (no shared, larger future for the baseline).
    pub async fn throughput(&self, variant: Variant) -> Result<f64, Failure> {
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

/// One confirm call through the hand-written client.
pub async fn confirm_raw(raw: &baseline::RawClient) -> Result<(), Failure> {
    raw.confirm(ORDER_ID).await.map(|_| ())
}

/// One confirm call through the facade.
pub async fn confirm_with_facade(facade: &FuuffyAdapter) -> Result<(), Failure> {
    facade
        .confirm_order(&ConfirmRequest::new(ORDER_ID))
        .await
        .map(|_| ())
        .map_err(Failure::from)
}

/// One confirm call through the generated client, checking a tracking number came back.
pub async fn confirm_with_provider(client: &ordergate_fuuffy::Client) -> Result<(), Failure> {
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
pub async fn throughput<F, Fut>(call: F) -> Result<f64, Failure>
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

/// The median of `values` (0 for none).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// `values`, comma-separated.
pub fn join<T: std::fmt::Display>(values: impl IntoIterator<Item = T>) -> String {
    values
        .into_iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
