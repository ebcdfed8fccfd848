//! Streaming a long list through the facade's `list_orders`: 10,000 Fuuffy orders, 100 pages
//! of 100 (Fuuffy's largest page), from a loopback server that counts the pages it served.
//!
//! The pages held at once are counted from both ends: when the consumer receives its `i`-th
//! order (from 0), the pages before `i / 100` have been consumed whole, so the server's count
//! of pages served minus `i / 100` is what the stream holds (the page being read, plus any it
//! fetched ahead). A stream keeping the pages it already yielded would not show there, so the
//! heap is watched too: the most live heap (sampled at each order received, above what was
//! live before the stream) while streaming the 100 pages, against the same for one page.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use futures_util::StreamExt as _;
use hyper::StatusCode;
use ordergate::{FuuffyAdapter, ListQuery, OrderProvider as _};
use serde_json::{Value, json};

use crate::alloc_count::Counting;
use crate::server::BenchServer;
use crate::{Failure, TOKEN};

/// Orders a page.
const PAGE: usize = 100;
/// Pages in the list.
const PAGES: usize = 100;

/// What streaming the list showed.
pub struct ListFigures {
    /// The most pages served but not yet consumed whole at any order received.
    pub peak_pages: usize,
    /// Orders received (must be 10,000).
    pub orders: usize,
    /// Peak live-heap growth streaming 100 pages ÷ streaming 1 page.
    pub heap_ratio: f64,
}

/// Streams the list of 100 pages, then one page, and measures both (see the module).
pub fn measure() -> Result<ListFigures, Failure> {
    let pages = pages()?;
    crate::sequential::runtime()?.block_on(async {
        let served = Arc::new(AtomicUsize::new(0));
        let counter = served.clone();
        let server = BenchServer::with_handler(Arc::new(move |parts| {
            let page = page_number(parts.uri.query().unwrap_or(""));
            match page.and_then(|p| pages.get(p.wrapping_sub(1))) {
                Some(body) => {
                    counter.fetch_add(1, Ordering::SeqCst);
                    (StatusCode::OK, body.clone())
                }
                None => (StatusCode::BAD_REQUEST, Bytes::from_static(b"{}")),
            }
        }))
        .await?;
        let adapter = FuuffyAdapter::builder()
            .token(TOKEN)
            .base_url(server.url.clone())
            .build()?;

        // A first page opens the pooled connection, which then stays (not a page's cost).
        stream(&adapter, &served, PAGE).await?;
        let (_, _, one_heap) = stream(&adapter, &served, PAGE).await?;
        let (orders, peak_pages, all_heap) = stream(&adapter, &served, PAGE * PAGES).await?;
        Ok(ListFigures {
            peak_pages,
            orders,
            heap_ratio: all_heap as f64 / one_heap.max(1) as f64,
        })
    })
}

/// Streams `limit` orders: the orders received, the peak pages held, the peak heap growth.
async fn stream(
    adapter: &FuuffyAdapter,
    served: &AtomicUsize,
    limit: usize,
) -> Result<(usize, usize, u64), Failure> {
    served.store(0, Ordering::SeqCst);
    let counting = Counting::start();
    let query = ListQuery::new().limit(limit as u64);
    let mut orders = adapter.list_orders(&query);
    let (mut received, mut peak) = (0, 0);
    while let Some(order) = orders.next().await {
        let order = order?;
        std::hint::black_box(&order);
        counting.sample();
        drop(order);
        let held = served
            .load(Ordering::SeqCst)
            .saturating_sub(received / PAGE);
        peak = peak.max(held);
        received += 1;
    }
    drop(orders);
    Ok((received, peak, counting.peak_growth()))
}

/// `page=N` in a query string.
fn page_number(query: &str) -> Option<usize> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
}

/// The 100 pages: Confirm Order's documented order (List Orders documents no complete
/// order; the spec reads a listed order as Confirm Order's fields) with its id numbered.
fn pages() -> Result<Vec<Bytes>, Failure> {
    let confirm = crate::confirm_example()?;
    let order = confirm
        .pointer("/data/confirmed_orders/0")
        .cloned()
        .ok_or("the confirm example has no order")?;
    (0..PAGES)
        .map(|page| {
            let orders: Vec<Value> = (0..PAGE)
                .map(|i| {
                    let mut order = order.clone();
                    order["order_id"] = json!((3_000_000 + page * PAGE + i).to_string());
                    order
                })
                .collect();
            let body = json!({"data": {"order_list": orders, "message": "OK"}});
            crate::json_bytes(&body)
        })
        .collect()
}
