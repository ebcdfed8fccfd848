//! Per-call costs that must not depend on the machine's load: sequential calls on a
//! current-thread runtime, the loopback server on the same thread, so that two runs differing
//! only in the number of calls do the same work besides those calls.
//!
//! - [`allocations_per_call`]: heap allocations counted by the bench's global allocator.
//! - [`calls_mode`]: `ordergate-bench calls <variant> <n>` makes `n` calls and exits, for
//!   `valgrind --tool=callgrind` (run by `cargo xtask bench` at 2,000 and 4,000 calls).

use bytes::Bytes;

use crate::alloc_count::Counting;
use crate::server::BenchServer;
use crate::{Clients, Failure, Variant, from_env};

/// Calls made by every variant before anything is counted (connections, pools, lazy
/// statics), in both runs alike.
const WARM_UP: usize = 200;

/// A current-thread runtime for sequential measurements.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// A server answering `body` and a warmed client of each variant.
async fn warmed(body: Bytes) -> Result<(BenchServer, Clients), Failure> {
    let server = BenchServer::start(body).await?;
    let clients = Clients::new(&server.url)?;
    clients.warm_up(WARM_UP).await?;
    Ok((server, clients))
}

/// Heap allocations per call of each variant (raw, provider, facade): the allocations of
/// `2n` sequential calls minus those of `n`, divided by `n` (`n` is 2,000, or
/// `ORDERGATE_BENCH_ALLOC_CALLS`).
pub fn allocations_per_call(body: Bytes) -> Result<[f64; 3], Failure> {
    let n = from_env("ORDERGATE_BENCH_ALLOC_CALLS", 2_000);
    runtime()?.block_on(async {
        let (_server, clients) = warmed(body).await?;
        let mut per_call = [0.0; 3];
        for variant in Variant::ALL {
            let count = async |calls: usize| -> Result<u64, Failure> {
                let counting = Counting::start();
                for _ in 0..calls {
                    clients.call(variant).await?;
                }
                Ok(counting.allocations())
            };
            let (once, twice) = (count(n).await?, count(2 * n).await?);
            per_call[variant as usize] = twice.saturating_sub(once) as f64 / n as f64;
        }
        Ok(per_call)
    })
}

/// `ordergate-bench calls <variant> <n>`: warms every variant up, then makes `n` sequential
/// calls of `variant`, for a profiler counting the whole process.
pub fn calls_mode(variant: &str, n: &str) -> Result<(), Failure> {
    let variant = Variant::named(variant)?;
    let n: usize = n
        .parse()
        .map_err(|_| format!("calls: {n:?} is not a number of calls"))?;
    let body = crate::confirm_body()?;
    runtime()?.block_on(async {
        let (_server, clients) = warmed(body).await?;
        for _ in 0..n {
            clients.call(variant).await?;
        }
        Ok(())
    })
}
