//! `ordergate demo`: one order's life at each provider, as far as each supports it, told for
//! someone who has never seen the project: create → confirm → track → webhook events received
//! by an in-process listener → delivered, against the in-process sandbox. A step a provider
//! does not offer through ordergate is skipped with a line saying so.

mod sample_orders;
mod story;

use std::time::{Duration, Instant};

use ordergate::{
    ConfirmRequest, Error, Operation, Order, OrderEvent, OrderProvider, OrderStatus, Overrides,
    Provider, ProviderName,
};
use ordergate_sandbox::{Sandbox, SandboxOptions};
use tokio::sync::mpsc;

use crate::listener::{self, Received};
use crate::output::{Failure, Output};
use story::{Outcome, Step, StepReport, Story};

/// The most clock steps the demo moves one order through (the longest flow, Tata 1mg's
/// 15 → 120 → 130 → 25 → 30 → 40, takes five).
const MAX_CLOCK_STEPS: u64 = 8;

/// After how many clock steps in a row without a move the demo stops moving an order (a step
/// may pass without one: Logitrail picks, then ships).
const STILL_STEPS: u64 = 2;

/// How long the demo waits for the fakes' webhook deliveries to be answered.
const DELIVERY_WAIT: Duration = Duration::from_secs(5);

/// How long no new delivery must be recorded for a provider's deliveries to count as settled.
const QUIET: Duration = Duration::from_millis(300);

/// What `demo` tells: which providers, and the deadline of each call.
pub(crate) struct DemoOptions {
    /// The providers whose story is told: `--provider`'s one, else every one compiled in.
    pub(crate) providers: Vec<ProviderName>,
    /// `--timeout`: the deadline of each call to the sandbox.
    pub(crate) timeout: Option<Duration>,
    /// `--json`: one object per step.
    pub(crate) json: bool,
}

/// Runs the demo; exit 0 when no step failed, 1 otherwise (the story still goes on).
pub(crate) async fn demo(options: DemoOptions) -> Output {
    let DemoOptions {
        providers: names,
        timeout,
        json,
    } = options;
    let (tcp, addr) = match listener::bind(0).await {
        Ok(bound) => bound,
        Err(output) => return output,
    };
    let listener_url = format!("http://{addr}");
    let options = SandboxOptions::default().webhook_url(&listener_url);
    let sandbox = match ordergate_sandbox::start_with(options).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            return Output::Failure(Failure::internal(format!(
                "cannot start the sandbox: {error}"
            )));
        }
    };
    let mut providers = Vec::new();
    for &name in &names {
        match provider_at(&sandbox, name, timeout) {
            Ok(provider) => providers.push(provider),
            Err(output) => return output,
        }
    }
    let receivers: Vec<Provider> = providers
        .iter()
        .filter(|provider| provider.capabilities().contains(Operation::ParseWebhook))
        .filter_map(|provider| listener::ready_for_webhooks(provider.clone()).ok())
        .collect();
    let receiving: Vec<ProviderName> = receivers.iter().map(OrderProvider::provider).collect();
    let (results, inbox) = mpsc::unbounded_channel();
    let server =
        tokio::spawn(async move { axum::serve(tcp, listener::router(receivers, results)).await });

    let mut story = Story::new(json);
    introduce(&story, &sandbox, &listener_url, &names, &receiving);
    let mut inbox = Inbox {
        receiver: inbox,
        events: Vec::new(),
    };
    for provider in &providers {
        let receives = receiving.contains(&provider.provider());
        lifecycle(&sandbox, provider, receives, &mut inbox, &mut story).await;
    }
    what_to_try_next(&story, &sandbox);
    server.abort();
    let _ = sandbox.shutdown().await;
    if story.failed > 0 {
        if !json {
            err!("{} demo step(s) failed (see above)", story.failed);
        }
        return Output::Exit(1);
    }
    Output::Text(String::new())
}

/// The sandbox's facade adapter for `name`: its settings and its webhook credentials (those
/// the adapter reads; a build whose adapter has no webhook settings leaves them out).
fn provider_at(
    sandbox: &Sandbox,
    name: ProviderName,
    timeout: Option<Duration>,
) -> Result<Provider, Output> {
    let mut settings = sandbox
        .settings(name)
        .map_err(|error| Output::Failure(Failure::internal(error.to_string())))?;
    let known = Provider::settings(name).unwrap_or_default();
    settings.extend(
        sandbox
            .webhook_settings(name)
            .unwrap_or_default()
            .into_iter()
            .filter(|(key, _)| known.iter().any(|setting| setting.is_named(key))),
    );
    Provider::from_options_with(name, settings, &Overrides::new(None, timeout))
        .map_err(Output::from)
}

/// The events the listener verified, as they arrive.
struct Inbox {
    receiver: mpsc::UnboundedReceiver<Received>,
    events: Vec<OrderEvent>,
}

impl Inbox {
    /// Takes what arrived so far; the events about `provider`'s order `order_id`, oldest first.
    fn about(&mut self, provider: ProviderName, order_id: &str) -> Vec<OrderEvent> {
        while let Ok(received) = self.receiver.try_recv() {
            if let Received::Events(events) = received {
                self.events.extend(events);
            }
        }
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut self.events)
            .into_iter()
            .partition(|event| {
                event.provider == provider && event.order_id.as_deref() == Some(order_id)
            });
        self.events = others;
        mine
    }
}

fn introduce(
    story: &Story,
    sandbox: &Sandbox,
    listener_url: &str,
    providers: &[ProviderName],
    receiving: &[ProviderName],
) {
    let titles: Vec<&str> = providers.iter().map(|p| p.title()).collect();
    let receiving = if receiving.is_empty() {
        "none of them (no adapter here reads webhooks through ordergate yet)".to_owned()
    } else {
        receiving
            .iter()
            .map(|p| p.title())
            .collect::<Vec<_>>()
            .join(", ")
    };
    story.say(&format!(
        "ordergate demo: one order's life at each provider, through one interface\n\
         \n\
         ordergate lets an application create, confirm, track and follow orders at several\n\
         fulfilment providers with the same calls. Here every provider is played by a local\n\
         fake (the sandbox, at {}): {}.\n\
         A webhook listener, like `ordergate listen`, waits at {listener_url}/<provider>;\n\
         the fakes post their own signed webhooks there. It verifies those of: {receiving}.\n\
         For each provider, the order goes: 1 create, 2 confirm, 3 track, 4 webhooks as the\n\
         sandbox's clock moves on, 5 delivered. A step the provider does not offer through\n\
         ordergate is skipped, and says so.",
        sandbox.url(),
        titles.join(", ")
    ));
}

/// One provider's story, step by step.
async fn lifecycle(
    sandbox: &Sandbox,
    provider: &Provider,
    receives_webhooks: bool,
    inbox: &mut Inbox,
    story: &mut Story,
) {
    let name = provider.provider();
    let capabilities = provider.capabilities();
    story.say(&format!(
        "\n{} ({}) offers: {}",
        name.title(),
        name,
        if capabilities.is_empty() {
            "nothing".to_owned()
        } else {
            capabilities.to_string()
        }
    ));
    let Some((order_id, created)) = create(sandbox, provider, story).await else {
        return;
    };
    let confirmed = match created {
        // Created already past confirmation (a cash-on-delivery order, for one).
        Some(status)
            if !matches!(
                status,
                OrderStatus::Draft | OrderStatus::PendingConfirmation | OrderStatus::Unknown
            ) =>
        {
            let message = format!("order {order_id} is already {status}: nothing to confirm");
            let mut report = StepReport::new(name, Step::Confirm, Outcome::Skipped, message);
            report.order_id = Some(order_id.clone());
            report.status = Some(status);
            story.step(report);
            true
        }
        _ => confirm(sandbox, provider, &order_id, story).await,
    };
    track(provider, &order_id, story).await;
    let events = webhooks(
        sandbox,
        provider,
        &order_id,
        receives_webhooks,
        inbox,
        story,
    )
    .await;
    delivered(sandbox, provider, &order_id, confirmed, &events, story).await;
}

/// Step 1: the order created from the demo's sample, or else the sandbox's seeded one.
async fn create(
    sandbox: &Sandbox,
    provider: &Provider,
    story: &mut Story,
) -> Option<(String, Option<OrderStatus>)> {
    let name = provider.provider();
    let seeded = sandbox.confirmable_orders(name).into_iter().next();
    // A seeded order awaits confirmation; its status is the fake's own, not normalized.
    let go_on = seeded.clone().map(|id| (id, None));
    let fallback = |why: String| match &seeded {
        Some(id) => format!(
            "{why}; the story goes on with order {id}, which the sandbox seeded ({})",
            sandbox.order_status(name, id).unwrap_or_default()
        ),
        None => format!("{why}; the sandbox has no seeded order to go on with"),
    };
    if !provider.capabilities().contains(Operation::CreateOrder) {
        let why = format!(
            "{} does not offer create_order through ordergate yet",
            name.title()
        );
        let mut report = StepReport::new(name, Step::Create, Outcome::Skipped, fallback(why));
        report.order_id.clone_from(&seeded);
        story.step(report);
        return go_on;
    }
    let order = match sample_orders::sample_order(name) {
        Ok(order) => order,
        Err(why) => {
            let mut report = StepReport::new(name, Step::Create, Outcome::Failed, fallback(why));
            report.order_id.clone_from(&seeded);
            story.step(report);
            return go_on;
        }
    };
    stock_warehouse(sandbox, name, &order, story).await;
    match provider.create_order(&order).await {
        Ok(created) => {
            let message = format!(
                "created order {} for {} (reference {}): {}",
                created.order_id,
                order.recipient.full_name(),
                order.reference,
                status_words(&created)
            );
            let id = (created.order_id.clone(), Some(created.status));
            story.step(order_report(
                name,
                Step::Create,
                Outcome::Done,
                message,
                &created,
            ));
            Some(id)
        }
        Err(error) => {
            let why = format!("the sample order was refused: {}", error.message);
            story.step(failed(
                name,
                Step::Create,
                fallback(why),
                seeded.clone(),
                error,
            ));
            go_on
        }
    }
}

/// A 3PL ships only what its warehouse holds: the Logitrail fake starts with empty shelves,
/// so the demo stocks the sample order's products there (the sandbox's own control, `POST
/// .../_sandbox/products/{sku}/stock`), as a merchant's inbound shipment would. Nothing for
/// the other providers.
async fn stock_warehouse(
    sandbox: &Sandbox,
    name: ProviderName,
    order: &ordergate::NewOrder,
    story: &Story,
) {
    if name != ProviderName::Logitrail {
        return;
    }
    let Ok(client) =
        ordergate_runtime::http_client_builder(&ordergate::ClientConfig::default()).build()
    else {
        return;
    };
    let base = sandbox.base_url(name);
    for item in &order.items {
        let url = format!("{base}/_sandbox/products/{}/stock", item.sku);
        let stocked = client
            .post(url)
            .json(&serde_json::json!({"in_stock": 100}))
            .send()
            .await
            .is_ok_and(|answer| answer.status().is_success());
        if stocked {
            story.say(&format!(
                "  (the sandbox puts 100 × {} on the shelves of Logitrail's warehouse)",
                item.sku
            ));
        }
    }
}

/// Step 2: the confirm (with the merchant order id where the provider needs one). Whether it
/// went through.
async fn confirm(
    sandbox: &Sandbox,
    provider: &Provider,
    order_id: &str,
    story: &mut Story,
) -> bool {
    let name = provider.provider();
    if !provider.capabilities().contains(Operation::ConfirmOrder) {
        let message = format!(
            "{} does not offer confirm_order through ordergate",
            name.title()
        );
        story.step(StepReport::new(
            name,
            Step::Confirm,
            Outcome::Skipped,
            message,
        ));
        return false;
    }
    let mut request = ConfirmRequest::new(order_id);
    request.merchant_order_id = sandbox.merchant_order_id(name, order_id);
    match provider.confirm_order(&request).await {
        Ok(order) => {
            let message = format!(
                "order {} is confirmed: {}",
                order.order_id,
                status_words(&order)
            );
            story.step(order_report(
                name,
                Step::Confirm,
                Outcome::Done,
                message,
                &order,
            ));
            true
        }
        Err(error) => {
            let message = format!("the confirm was refused: {}", error.message);
            story.step(failed(
                name,
                Step::Confirm,
                message,
                Some(order_id.to_owned()),
                error,
            ));
            false
        }
    }
}

/// Step 3: the order's tracking.
async fn track(provider: &Provider, order_id: &str, story: &mut Story) {
    let name = provider.provider();
    if !provider.capabilities().contains(Operation::TrackOrder) {
        let message = format!(
            "{} does not offer track_order through ordergate yet",
            name.title()
        );
        let mut report = StepReport::new(name, Step::Track, Outcome::Skipped, message);
        report.order_id = Some(order_id.to_owned());
        story.step(report);
        return;
    }
    match provider.track_order(order_id).await {
        Ok(tracking) => {
            let status = match &tracking.provider_status {
                Some(raw) => format!("{} ({raw})", tracking.status),
                None => tracking.status.to_string(),
            };
            let message = format!(
                "order {} is {status}, tracking number {}, {} tracking event(s) so far",
                tracking.order_id,
                tracking
                    .tracking_number
                    .as_deref()
                    .unwrap_or("not given yet"),
                tracking.events.len()
            );
            let mut report = StepReport::new(name, Step::Track, Outcome::Done, message);
            report.order_id = Some(tracking.order_id);
            report.status = Some(tracking.status);
            report.provider_status = tracking.provider_status;
            report.tracking_number = tracking.tracking_number;
            story.step(report);
        }
        Err(error) => {
            let message = format!("the tracking lookup was refused: {}", error.message);
            story.step(failed(
                name,
                Step::Track,
                message,
                Some(order_id.to_owned()),
                error,
            ));
        }
    }
}

/// Step 4: the clock moves on, one step at a time until the order stops moving; the fakes post their
/// webhooks to the listener, which verifies them. The events about this order.
async fn webhooks(
    sandbox: &Sandbox,
    provider: &Provider,
    order_id: &str,
    receives: bool,
    inbox: &mut Inbox,
    story: &mut Story,
) -> Vec<OrderEvent> {
    let name = provider.provider();
    let mut path = Vec::new();
    let mut steps = 0;
    let mut still = 0;
    while steps < MAX_CLOCK_STEPS && still < STILL_STEPS {
        steps += 1;
        let moved = match sandbox.advance(1) {
            Ok(moved) => moved,
            Err(error) => {
                let message = format!("the sandbox's clock cannot move on: {error}");
                let mut report = StepReport::new(name, Step::Webhooks, Outcome::Failed, message);
                report.error = Some(Failure::internal(error.to_string()));
                story.step(report);
                return Vec::new();
            }
        };
        match moved
            .into_iter()
            .find(|m| m.provider == name.as_str() && m.order_id == order_id)
        {
            Some(now) => {
                still = 0;
                path.push(now.order_status);
            }
            None => still += 1,
        }
    }
    let sent = settled_deliveries(sandbox, name, order_id).await;
    let moves = if path.is_empty() {
        format!("the sandbox's clock moved on; order {order_id} did not move")
    } else {
        format!(
            "the sandbox's clock moved {steps} step(s): order {order_id} went {}",
            path.join(" → ")
        )
    };
    let events = inbox.about(name, order_id);
    let (outcome, message) = if receives {
        (
            Outcome::Done,
            if events.is_empty() {
                format!("{moves}; the listener verified no webhook event about it")
            } else {
                format!(
                    "{moves}; the listener verified {} webhook event(s) about it:",
                    events.len()
                )
            },
        )
    } else if provider.capabilities().contains(Operation::ParseWebhook) {
        (
            Outcome::Skipped,
            format!(
                "{moves}; the listener has no webhook credentials for {}",
                name.title()
            ),
        )
    } else {
        (
            Outcome::Skipped,
            format!(
                "{moves}; {} webhooks are not read through ordergate yet ({})",
                name.title(),
                match sent {
                    0 => "the sandbox's fake posted none about it".to_owned(),
                    sent =>
                        format!("the fake posted {sent} about it, which the listener turned away"),
                }
            ),
        )
    };
    let mut report = StepReport::new(name, Step::Webhooks, outcome, message);
    report.order_id = Some(order_id.to_owned());
    report.provider_status = path.last().cloned();
    if let Some(last) = events.last() {
        report.status = Some(last.status);
        report.provider_status.clone_from(&last.provider_status);
    }
    report.events.clone_from(&events);
    story.step(report);
    events
}

/// How many webhooks about `order_id` `name`'s fake posted, once its deliveries have settled: every one
/// recorded answered or failed, and no new one for [`QUIET`] (at most [`DELIVERY_WAIT`]; the
/// fakes post in the background and record a delivery once it is answered).
async fn settled_deliveries(sandbox: &Sandbox, name: ProviderName, order_id: &str) -> usize {
    let started = Instant::now();
    let mut last = (usize::MAX, Instant::now());
    loop {
        let deliveries: Vec<_> = sandbox
            .webhook_deliveries()
            .into_iter()
            .filter(|delivery| delivery.provider == name.as_str())
            .collect();
        let settled = deliveries
            .iter()
            .all(|delivery| delivery.status.is_some() || delivery.error.is_some());
        if deliveries.len() != last.0 {
            last = (deliveries.len(), Instant::now());
        }
        if (settled && last.1.elapsed() >= QUIET) || started.elapsed() > DELIVERY_WAIT {
            return deliveries
                .iter()
                .filter(|delivery| delivery.order_id.as_deref() == Some(order_id))
                .count();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Step 5: where the order ended: looked up where the provider can, else from its last
/// webhook event, else the fake's own status.
async fn delivered(
    sandbox: &Sandbox,
    provider: &Provider,
    order_id: &str,
    confirmed: bool,
    events: &[OrderEvent],
    story: &mut Story,
) {
    let name = provider.provider();
    let (status, raw, how) = if provider.capabilities().contains(Operation::GetOrder) {
        match provider.get_order(order_id).await {
            Ok(order) => (Some(order.status), order.provider_status, "looked up"),
            Err(error) => {
                let message = format!("the lookup was refused: {}", error.message);
                story.step(failed(
                    name,
                    Step::Delivered,
                    message,
                    Some(order_id.to_owned()),
                    error,
                ));
                return;
            }
        }
    } else if let Some(last) = events.last() {
        (
            Some(last.status),
            last.provider_status.clone(),
            "from its last webhook",
        )
    } else {
        (
            None,
            sandbox.order_status(name, order_id),
            "the fake's own status",
        )
    };
    let reached = matches!(
        status,
        Some(OrderStatus::Delivered | OrderStatus::Completed)
    );
    let described = match (status, &raw) {
        (Some(status), Some(raw)) => format!("{status} ({raw})"),
        (Some(status), None) => status.to_string(),
        (None, Some(raw)) => format!(
            "{raw} (no normalized status: {} offers no lookup)",
            name.title()
        ),
        (None, None) => "unknown".to_owned(),
    };
    let message = if reached {
        format!("order {order_id} is {described}, {how}")
    } else if !confirmed {
        format!("order {order_id} is {described}, {how}: it was not confirmed, so it did not move")
    } else {
        format!(
            "order {order_id} is {described}, {how}: the sandbox's {} flow stops here",
            name.title()
        )
    };
    let outcome = if reached {
        Outcome::Done
    } else {
        Outcome::NotReached
    };
    let mut report = StepReport::new(name, Step::Delivered, outcome, message);
    report.order_id = Some(order_id.to_owned());
    report.status = status;
    report.provider_status = raw;
    story.step(report);
}

/// A step about `order`: its id, statuses and tracking number.
fn order_report(
    name: ProviderName,
    step: Step,
    outcome: Outcome,
    message: String,
    order: &Order,
) -> StepReport {
    let mut report = StepReport::new(name, step, outcome, message);
    report.order_id = Some(order.order_id.clone());
    report.status = Some(order.status);
    report.provider_status.clone_from(&order.provider_status);
    report.tracking_number.clone_from(&order.tracking_number);
    report
}

/// A failed step, with the facade's error.
fn failed(
    name: ProviderName,
    step: Step,
    message: String,
    order_id: Option<String>,
    error: Error,
) -> StepReport {
    let mut report = StepReport::new(name, step, Outcome::Failed, message);
    report.order_id = order_id;
    if let Output::Failure(failure) = Output::from(error) {
        report.error = Some(failure);
    }
    report
}

/// `status (PROVIDER_STATUS)` and the tracking number, if any.
fn status_words(order: &Order) -> String {
    let mut words = match &order.provider_status {
        Some(raw) => format!("{} ({raw})", order.status),
        None => order.status.to_string(),
    };
    if let Some(number) = &order.tracking_number {
        words.push_str(&format!(", tracking number {number}"));
    }
    words
}

fn what_to_try_next(story: &Story, sandbox: &Sandbox) {
    let example = sandbox
        .confirmable_orders(ProviderName::Fuuffy)
        .into_iter()
        .next()
        .unwrap_or_else(|| "<ORDER_ID>".to_owned());
    story.say(&format!(
        "\nWhat to try next\n\
         \x20 ordergate providers                     what each provider offers, operation by operation\n\
         \x20 ordergate sandbox --webhook-url http://127.0.0.1:8080\n\
         \x20                                         the same fakes, serving; paste the exports it prints into other shells\n\
         \x20 ordergate listen --port 8080            (with those exports) prints each webhook the fakes post\n\
         \x20 ordergate --provider fuuffy confirm {example}\n\
         \x20 ordergate --provider fuuffy get {example}\n\
         \x20 ordergate schema new-order              the order `ordergate create --file ORDER.json` reads\n\
         \x20 ordergate --help                        every command, and the environment variables each provider reads"
    ));
}
