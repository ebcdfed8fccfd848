//! `ordergate-bench`: the timed run-time figures (throughput, connection reuse, decoding,
//! webhooks) with the system allocator, as an application has it, printed as `key=value`
//! lines; `ordergate-bench calls <raw|provider|facade> <n>` makes `n` calls for callgrind and
//! `ordergate-bench webhook <facade|handwritten> <n>` reads the webhook `n` times for a
//! profiler. See the library's documentation.

use ordergate_bench::{
    CONCURRENCY, Clients, Failure, ROUNDS, Variant, calls, confirm_body, decode, join, median,
    reuse, sequential, server::BenchServer, webhook,
};

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["calls", variant, n] => return sequential::calls_mode(variant, n),
        ["webhook", variant, n] => return webhook::parses_mode(variant, n),
        [] => {}
        _ => {
            return Err(
                "usage: ordergate-bench [calls raw|provider|facade N | webhook facade|handwritten N]"
                    .into(),
            );
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<(), Failure> {
    let body = confirm_body()?;
    let server = BenchServer::start(body.clone()).await?;

    let clients = Clients::new(&server.url)?;
    clients.warm_up(calls().min(200)).await?;

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

    let reuse = reuse::measure(body).await?;
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
    // Each round runs the three variants back to back, so a round's ratio compares figures
    // taken under the same load; the median of those ratios is what the goals judge (the
    // ratio of the medians, which pairs figures from different rounds, is shown beside it).
    let paired = |variant: &[f64]| {
        let ratios: Vec<f64> = variant.iter().zip(&raw_rps).map(|(v, r)| v / r).collect();
        median(&ratios)
    };
    println!("throughput_ratio_provider_raw={:.3}", paired(&provider_rps));
    println!("throughput_ratio_facade_raw={:.3}", paired(&facade_rps));
    println!(
        "throughput_ratio_provider_raw_of_medians={:.3}",
        provider_median / raw_median
    );
    println!(
        "throughput_ratio_facade_raw_of_medians={:.3}",
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
    Ok(())
}
