//! `ordergate-bench-counts`: the figures that are counts, under a counting global allocator
//! (`stats_alloc`): allocations per call, the list stream's pages held and heap, token
//! requests and JWT signatures per 1,000 calls, printed as `key=value` lines. A binary of its
//! own, so that the counting allocator's atomic additions never weigh on the timed figures.

use std::alloc::System;

use ordergate_bench::{Failure, confirm_body, listing, sequential, tokens};
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() -> Result<(), Failure> {
    let counts = Counts::measure()?;
    counts.print();
    Ok(())
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
