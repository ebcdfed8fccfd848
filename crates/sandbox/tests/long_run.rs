//! The sandbox under a long run: two equal rounds of Fuuffy creates through the typed client
//! over loopback take about the same time, and the process's memory does not grow with the
//! number of orders created (the store is bounded by count and bytes); a list page costs the
//! same with 34 orders stored as with 10,000. `SANDBOX_LONG_RUN_CREATES` sets the
//! creates per round (default 20,000).

mod common;

use std::time::{Duration, Instant};

use ordergate_fuuffy::{Client, ClientConfig, Credentials, types};
use ordergate_sandbox::fuuffy::TOKEN;
use ordergate_sandbox::{MAX_RECORDS, MAX_STORED_BYTES};

/// The resident set of this process, in KiB, from `/proc/self/status` (`None` off Linux).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn create_body() -> types::CreateOrderRequest {
    let value = common::request_example("fuuffy", "create_order", "local_field_examples");
    serde_json::from_value(value).expect("a valid create request")
}

async fn round(api: &Client, body: &types::CreateOrderRequest, creates: usize) -> Duration {
    let started = Instant::now();
    for _ in 0..creates {
        api.create_order()
            .body(body.clone())
            .send()
            .await
            .expect("created");
    }
    started.elapsed()
}

/// How long `calls` list pages of 20 orders (the default: newest first) take.
async fn list_pages(api: &Client, calls: usize) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        let page = api.list_orders().send().await.expect("a page").into_inner();
        assert_eq!(page.data.order_list().len(), 20);
    }
    started.elapsed()
}

#[tokio::test]
async fn two_equal_rounds_of_creates_take_the_same_time_and_memory_stays_bounded() {
    let creates: usize = std::env::var("SANDBOX_LONG_RUN_CREATES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(20_000);
    let sandbox = common::start().await;
    let api = Client::connect(
        sandbox.base_url("fuuffy").as_str(),
        Credentials::access_token(TOKEN.to_owned()),
        &ClientConfig::default(),
    )
    .expect("a loopback base URL");
    let body = create_body();
    // Enough orders for a full page, then the cost of a page with few orders stored.
    round(&api, &body, 20).await;
    let few = list_pages(&api, 200).await;
    let start_rss = rss_kib();
    let first = round(&api, &body, creates).await;
    let first_rss = rss_kib();
    let second = round(&api, &body, creates).await;
    let second_rss = rss_kib();
    let many = list_pages(&api, 200).await;
    let ratio = second.as_secs_f64() / first.as_secs_f64();
    let list_ratio = many.as_secs_f64() / few.as_secs_f64();
    println!(
        "{creates} creates per round: round 1 {:.2} s, round 2 {:.2} s (ratio {ratio:.2}); \
         RSS KiB start {start_rss:?}, after round 1 {first_rss:?}, after round 2 {second_rss:?}",
        first.as_secs_f64(),
        second.as_secs_f64(),
    );
    println!(
        "200 list pages: {:.3} s with 34 orders stored, {:.3} s with {} (ratio {list_ratio:.2})",
        few.as_secs_f64(),
        many.as_secs_f64(),
        sandbox.stored_orders("fuuffy").expect("played").records,
    );
    // A page costs its page, not the store: a walk of an index, only the page cloned.
    assert!(
        list_ratio <= 3.0,
        "a page took {list_ratio:.2} times as long"
    );
    assert!(ratio <= 1.5, "round 2 took {ratio:.2} times round 1");
    let stored = sandbox.stored_orders("fuuffy").expect("played");
    assert!(stored.records <= MAX_RECORDS, "{stored:?}");
    assert!(stored.bytes <= MAX_STORED_BYTES, "{stored:?}");
    if let (Some(first_rss), Some(second_rss)) = (first_rss, second_rss) {
        // The store was full after round 1: round 2 replaces orders, it does not add them.
        let growth = second_rss.saturating_sub(first_rss);
        assert!(growth < 16 * 1024, "RSS grew {growth} KiB in round 2");
    }
}
