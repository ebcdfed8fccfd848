//! Reading a webhook: the facade's `parse_webhook` on Fuuffy's documented event (verify the
//! `X-Fuuffy-Signature` HMAC-SHA256 over the raw body, parse, normalize) against what a user
//! writes by hand: `ring`'s HMAC check of the hex signature, then serde into a mirror of the
//! event's fields.

use std::hint::black_box;
use std::time::Instant;

use http::{HeaderMap, HeaderValue};
use ordergate::{FuuffyAdapter, OrderProvider as _};
use ordergate_fuuffy::webhook::{SIGNATURE_HEADER, WebhookSecret};

use crate::{Failure, ROUNDS, TOKEN, baseline, decode_iterations, median, spec_example};

const SECRET: &str = "bench-webhook-secret";

/// Throughputs (parses per second, median round) of the facade and of the hand-written check.
pub struct WebhookFigures {
    /// `parse_webhook` through the facade.
    pub facade_per_second: f64,
    /// The hand-written HMAC check and serde parse.
    pub handwritten_per_second: f64,
}

/// The signed event, the facade and the hand-written key, each checked to read the event.
struct Setup {
    body: Vec<u8>,
    headers: HeaderMap,
    adapter: FuuffyAdapter,
    key: ring::hmac::Key,
}

impl Setup {
    fn new() -> Result<Self, Failure> {
        let event = spec_example("fuuffy", "/components/schemas/WebhookEvent/example")?;
        let body = serde_json::to_vec(&event)?;
        let signature = WebhookSecret::new(SECRET)?.sign(&body);
        let mut headers = HeaderMap::new();
        headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(&signature)?);
        let adapter = FuuffyAdapter::builder()
            .token(TOKEN)
            .webhook_secret(SECRET)
            .build()?;
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET.as_bytes());
        let setup = Self {
            body,
            headers,
            adapter,
            key,
        };
        // Both must read the event before they are timed.
        if setup.facade()?.len() != 1 {
            return Err("the facade read no single event".into());
        }
        setup.handwritten()?;
        Ok(setup)
    }

    /// The facade's reading of the event.
    fn facade(&self) -> Result<Vec<ordergate::OrderEvent>, Failure> {
        self.adapter
            .parse_webhook(black_box(&self.headers), black_box(&self.body))
            .map_err(Failure::from)
    }

    /// The hand-written reading of the event.
    fn handwritten(&self) -> Result<baseline::WebhookEvent, Failure> {
        baseline::read_webhook(&self.key, black_box(&self.headers), black_box(&self.body))
    }
}

/// `ordergate-bench webhook <facade|handwritten> <n>`: `n` readings of the event, for a
/// profiler.
pub fn parses_mode(variant: &str, n: &str) -> Result<(), Failure> {
    let n: usize = n
        .parse()
        .map_err(|_| format!("webhook: {n:?} is not a number of parses"))?;
    let read: fn(&Setup) -> Result<(), Failure> = match variant {
        "facade" => |setup| setup.facade().map(|events| drop(black_box(events))),
        "handwritten" => |setup| setup.handwritten().map(|event| drop(black_box(event))),
        _ => return Err(format!("webhook: {variant}: not facade or handwritten").into()),
    };
    let setup = Setup::new()?;
    for _ in 0..n {
        read(&setup)?;
    }
    Ok(())
}

/// Times both readings of the signed event, alternating over [`ROUNDS`] rounds.
pub fn measure() -> Result<WebhookFigures, Failure> {
    let setup = Setup::new()?;

    let iterations = decode_iterations();
    let time = |read: &dyn Fn() -> bool| {
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(read());
        }
        iterations as f64 / started.elapsed().as_secs_f64()
    };
    let (mut facade, mut handwritten) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let mut facade_round = || {
            facade.push(time(&|| setup.facade().is_ok()));
        };
        let mut handwritten_round = || {
            handwritten.push(time(&|| setup.handwritten().is_ok()));
        };
        // Alternate which goes first.
        if round % 2 == 0 {
            facade_round();
            handwritten_round();
        } else {
            handwritten_round();
            facade_round();
        }
    }
    Ok(WebhookFigures {
        facade_per_second: median(&facade),
        handwritten_per_second: median(&handwritten),
    })
}
