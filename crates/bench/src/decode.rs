//! Decoding FastPOD answers through the generated types against hand-written serde mirrors of
//! the same fields: one order (the Get Order example), and a List Orders page of 100 orders.

use std::hint::black_box;
use std::time::Instant;

use serde_json::{Value, json};

use crate::{Failure, ROUNDS, baseline, decode_iterations, median, spec_example};

/// Nanoseconds per decode, median round.
pub struct DecodeFigures {
    /// One order, generated types.
    pub generated_ns: f64,
    /// One order, hand-written mirror.
    pub handwritten_ns: f64,
    /// One order, a struct of the three fields the facade reads.
    pub three_fields_ns: f64,
    /// A 100-order page, generated types.
    pub page_generated_ns: f64,
    /// A 100-order page, hand-written mirror.
    pub page_handwritten_ns: f64,
}

/// Orders on the list page.
const PAGE_ORDERS: usize = 100;

/// Times every decode, alternating the variants over [`ROUNDS`] rounds.
pub fn measure() -> Result<DecodeFigures, Failure> {
    let order = spec_example(
        "fastpod",
        "/paths/~1v1~1orders~1{id}/get/responses/200/content/application~1json/examples/docs_order/value",
    )?;
    let order_bytes = serde_json::to_vec(&order)?;
    let page_bytes = serde_json::to_vec(&page(&order)?)?;
    // Every variant must decode its input before it is timed.
    serde_json::from_slice::<ordergate_fastpod::types::Order>(&order_bytes)?;
    serde_json::from_slice::<baseline::Order>(&order_bytes)?;
    serde_json::from_slice::<baseline::ThreeFields>(&order_bytes)?;
    let decoded = serde_json::from_slice::<ordergate_fastpod::types::OrderPage>(&page_bytes)?;
    if decoded.data.len() != PAGE_ORDERS {
        return Err("the generated page decoded the wrong number of orders".into());
    }
    serde_json::from_slice::<baseline::OrderPage>(&page_bytes)?;

    let iterations = decode_iterations();
    let time = |bytes: &[u8], iterations: usize, decode: &dyn Fn(&[u8]) -> bool| {
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(decode(black_box(bytes)));
        }
        started.elapsed().as_nanos() as f64 / iterations as f64
    };
    // A page is 100 orders: a hundredth of the iterations takes as long as one order's.
    let page_iterations = (iterations / PAGE_ORDERS).max(1);
    let mut times: [Vec<f64>; 5] = Default::default();
    for _ in 0..ROUNDS {
        times[0].push(time(&order_bytes, iterations, &|b| {
            serde_json::from_slice::<ordergate_fastpod::types::Order>(b).is_ok()
        }));
        times[1].push(time(&order_bytes, iterations, &|b| {
            serde_json::from_slice::<baseline::Order>(b).is_ok()
        }));
        times[2].push(time(&order_bytes, iterations, &|b| {
            serde_json::from_slice::<baseline::ThreeFields>(b).is_ok()
        }));
        times[3].push(time(&page_bytes, page_iterations, &|b| {
            serde_json::from_slice::<ordergate_fastpod::types::OrderPage>(b).is_ok()
        }));
        times[4].push(time(&page_bytes, page_iterations, &|b| {
            serde_json::from_slice::<baseline::OrderPage>(b).is_ok()
        }));
    }
    Ok(DecodeFigures {
        generated_ns: median(&times[0]),
        handwritten_ns: median(&times[1]),
        three_fields_ns: median(&times[2]),
        page_generated_ns: median(&times[3]),
        page_handwritten_ns: median(&times[4]),
    })
}

/// The List Orders example's paginator around 100 copies of the Get Order example (the list
/// example's own order is cut off in the docs), ids numbered, one page of 100.
fn page(order: &Value) -> Result<Value, Failure> {
    let mut page = spec_example(
        "fastpod",
        "/paths/~1v1~1orders/get/responses/200/content/application~1json/examples/docs_first_page/value",
    )?;
    let orders: Vec<Value> = (0..PAGE_ORDERS)
        .map(|i| {
            let mut order = order.clone();
            order["id"] = json!(format!("FAS105-111423-{i:06}"));
            order
        })
        .collect();
    page["data"] = Value::Array(orders);
    page["per_page"] = json!(PAGE_ORDERS);
    page["to"] = json!(PAGE_ORDERS);
    page["total"] = json!(PAGE_ORDERS);
    Ok(page)
}
