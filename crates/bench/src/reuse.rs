//! Connection reuse: sequential calls through one client against a fresh server, which counts
//! the TCP connections it accepted.
//!
//! Measured twice. On a current-thread runtime a sequential caller always finds its connection
//! back in the pool, so the count shows what the client itself does (one pooled connection, or
//! one per call). On a multi-thread runtime hyper-util's legacy client returns an HTTP/1
//! connection to its pool from a spawned task once the response is read
//! (`hyper-util/src/client/legacy/client.rs`, `on_idle`); when another worker runs the caller's
//! next request first, the pool races a new connect against the pool return and the server
//! sees a second connection (hyperium/hyper#4134: by design, no option to turn it off). The
//! hand-written reqwest control shows the same, so those counts are reported beside it.

use bytes::Bytes;

use crate::server::BenchServer;
use crate::{Clients, Failure, Variant};

/// Sequential calls per count.
pub const CALLS: usize = 1_000;
/// Counts taken on the multi-thread runtime per variant.
pub const MULTI_THREAD_TRIALS: usize = 5;

/// The connections a server accepted for [`CALLS`] sequential calls, per runtime and variant.
pub struct Reuse {
    /// Facade, current-thread runtime.
    pub facade: usize,
    /// Hand-written reqwest, current-thread runtime (the control).
    pub raw: usize,
    /// Facade, multi-thread runtime, one count per trial.
    pub facade_multi_thread: Vec<usize>,
    /// Hand-written reqwest, multi-thread runtime, one count per trial.
    pub raw_multi_thread: Vec<usize>,
}

/// Counts on a current-thread runtime (on a blocking thread of its own) and on the caller's
/// multi-thread runtime.
pub async fn measure(body: Bytes) -> Result<Reuse, Failure> {
    let single = body.clone();
    let (facade, raw) = tokio::task::spawn_blocking(move || {
        crate::sequential::runtime()?.block_on(async {
            Ok::<_, Failure>((
                connections(single.clone(), Variant::Facade).await?,
                connections(single, Variant::Raw).await?,
            ))
        })
    })
    .await??;
    let (mut facade_multi_thread, mut raw_multi_thread) = (Vec::new(), Vec::new());
    for _ in 0..MULTI_THREAD_TRIALS {
        facade_multi_thread.push(connections(body.clone(), Variant::Facade).await?);
        raw_multi_thread.push(connections(body.clone(), Variant::Raw).await?);
    }
    Ok(Reuse {
        facade,
        raw,
        facade_multi_thread,
        raw_multi_thread,
    })
}

/// The connections a fresh server accepted for [`CALLS`] sequential calls through one new
/// client of `variant`.
async fn connections(body: Bytes, variant: Variant) -> Result<usize, Failure> {
    let server = BenchServer::start(body).await?;
    let clients = Clients::new(&server.url)?;
    for _ in 0..CALLS {
        clients.call(variant).await?;
    }
    Ok(server.connections())
}
