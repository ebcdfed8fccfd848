#![doc = include_str!("../README.md")]

mod clock;
mod controls;
mod credentials;
mod error;
mod fake;
pub mod fastpod;
pub mod fuuffy;
mod http;
mod limits;
pub mod logitrail;
pub mod onemg;
mod store;
mod webhook;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::{ADVANCE_STEP, CLOCK_LIMIT};
pub use controls::MovedOrder;
pub use error::SandboxError;
pub use http::RecordedResponse;
pub use limits::{
    BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, MAX_BODY_BYTES, MAX_RECORDS, MAX_STORED_BYTES,
    RECORDED_BODY_BYTES, RECORDED_RESPONSES, SandboxOptions,
};
pub use store::StoreUsage;
pub use webhook::{WEBHOOK_TIMEOUT, WebhookDelivery};

use crate::clock::Clock;
use crate::fake::{Fake, FakeState};

/// Every fake, freshly seeded, on the one shared clock: the one list of the providers the
/// sandbox plays.
fn fakes(options: &SandboxOptions, clock: &Arc<Clock>) -> Vec<Arc<dyn Fake>> {
    vec![
        FakeState::<fuuffy::Fuuffy>::seeded(options, clock),
        FakeState::<logitrail::Logitrail>::seeded(options, clock),
        FakeState::<onemg::Onemg>::seeded(options, clock),
        FakeState::<fastpod::Fastpod>::seeded(options, clock),
    ]
}

/// Owned copies of a fake's declared settings.
fn owned(settings: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    settings
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .collect()
}

/// How long [`Sandbox::shutdown`] waits for requests in flight before stopping the server.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What the sandbox's own layers share: the fakes (each keeps its orders), the clock they
/// share, the recorder and the bounds on request bodies.
struct Shared {
    fakes: Vec<Arc<dyn Fake>>,
    clock: Arc<Clock>,
    responses: Mutex<http::Recorder>,
    body_limits: limits::BodyLimits,
}

impl Shared {
    fn new(options: &SandboxOptions) -> Arc<Self> {
        let clock = Arc::new(Clock::default());
        Arc::new(Self {
            fakes: fakes(options, &clock),
            clock,
            responses: Mutex::new(http::Recorder::new(options.recorded_responses)),
            body_limits: limits::BodyLimits::from(options),
        })
    }

    /// The fake of provider `name`.
    fn fake(&self, name: &str) -> Result<&dyn Fake, SandboxError> {
        self.fakes
            .iter()
            .find(|fake| fake.name() == name)
            .map(|fake| &**fake)
            .ok_or_else(|| SandboxError::UnknownProvider(name.chars().take(64).collect()))
    }
}

/// Starts a sandbox on `127.0.0.1` on a free port, with the seeded orders and the default
/// [`SandboxOptions`].
///
/// The server runs on a task spawned on the current tokio runtime; it stops on
/// [`Sandbox::shutdown`], when the [`Sandbox`] is dropped, or with the runtime.
///
/// # Errors
/// When the loopback listener cannot be bound.
pub async fn start() -> io::Result<Sandbox> {
    start_with(SandboxOptions::default()).await
}

/// Like [`start`], on `127.0.0.1:port` (`0` picks a free port).
///
/// # Errors
/// When the port cannot be bound (for example because it is in use).
pub async fn start_on(port: u16) -> io::Result<Sandbox> {
    start_with(SandboxOptions::default().port(port)).await
}

/// Like [`start`], with `options`: the port, the bounds on requests (header and body read
/// timeouts, body size), on the response recorder and on the fakes' stores, and each
/// provider's own options ([`SandboxOptions::fuuffy`]).
///
/// # Errors
/// When the port cannot be bound (for example because it is in use).
pub async fn start_with(options: SandboxOptions) -> io::Result<Sandbox> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).await?;
    let addr = listener.local_addr()?;
    let shared = Shared::new(&options);
    let router = router(Arc::clone(&shared));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(limits::serve(
        listener,
        router,
        options.header_read_timeout,
        stopped,
    ));
    Ok(Sandbox {
        addr,
        shared,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Every fake, each nested under its prefix, and the sandbox's own `POST /_sandbox/advance`,
/// with the body bounds around all of them and the recorder around that (so a refused
/// request's 413 or 408 is recorded too).
fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new().route(
        "/_sandbox/advance",
        axum::routing::post(controls::advance_route),
    );
    for fake in &shared.fakes {
        router = router.nest_service(fake.path_prefix(), Arc::clone(fake).router());
    }
    router
        .fallback(http::no_such_provider)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            limits::limit_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            http::record,
        ))
        .with_state(shared)
}

/// A running sandbox: a stateful fake of every provider on one loopback listener. Start one
/// with [`start`] or [`start_on`]. Its methods name a provider as the facade's
/// `ProviderName::as_str` does (`fuuffy`); anything that is `AsRef<str>` will do.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("providers", &self.providers())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// The loopback address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listener's root, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The providers the sandbox plays, by name (`fuuffy`, ...).
    pub fn providers(&self) -> Vec<&'static str> {
        self.shared.fakes.iter().map(|fake| fake.name()).collect()
    }

    /// The base URL of `provider`'s fake, as the provider crate's client expects it (the
    /// client appends the spec's paths): the listener's root and the fake's prefix,
    /// `http://127.0.0.1:<port>/fuuffy`, `.../logitrail/2015-01-01`. A provider the sandbox
    /// does not play gets `/<provider>`, which answers 404.
    pub fn base_url(&self, provider: impl AsRef<str>) -> String {
        let provider = provider.as_ref();
        match self.shared.fake(provider) {
            Ok(fake) => format!("{}{}", self.url(), fake.path_prefix()),
            Err(_) => format!("{}/{provider}", self.url()),
        }
    }

    /// Everything a client of `provider`'s fake needs, as key/value pairs by the short names
    /// the facade's `Provider::from_options` reads: `base_url` and the credentials the fake
    /// accepts (Fuuffy's `client_id` and `client_secret`, so that a client fetches and renews
    /// its tokens; `merchant_id`, `token`, ... for the others; 1mg's `private_key_file` too). The values include secrets:
    /// hand them to a client, do not print them.
    ///
    /// # Errors
    /// When the sandbox does not play `provider`.
    pub fn settings(
        &self,
        provider: impl AsRef<str>,
    ) -> Result<Vec<(&'static str, String)>, SandboxError> {
        let provider = provider.as_ref();
        let fake = self.shared.fake(provider)?;
        let mut settings = vec![("base_url", self.base_url(provider))];
        settings.extend(owned(fake.settings()));
        settings.extend(fake.env_settings());
        Ok(settings)
    }

    /// Settings `provider`'s fake also accepts, for a client that does not renew credentials
    /// (curl): Fuuffy's `token`, [`fuuffy::TOKEN`], which never expires. Empty for a provider
    /// whose [`Sandbox::settings`] are static already. Given to the facade together with
    /// [`Sandbox::settings`], the token wins and nothing is renewed.
    ///
    /// # Errors
    /// When the sandbox does not play `provider`.
    pub fn static_settings(
        &self,
        provider: impl AsRef<str>,
    ) -> Result<Vec<(&'static str, String)>, SandboxError> {
        Ok(owned(
            self.shared.fake(provider.as_ref())?.static_settings(),
        ))
    }

    /// Every provider's [`Sandbox::settings`] as environment variables, named
    /// `<PROVIDER>_<SETTING>` (`FUUFFY_BASE_URL`, `FUUFFY_CLIENT_ID`, `LOGITRAIL_MERCHANT_ID`,
    /// ...): what the `ordergate` CLI reads. 1mg's include both `ONEMG_TOKEN`
    /// ([`onemg::TOKEN`], valid until 2100, for curl and schemathesis; the facade uses it when
    /// it is set) and `ONEMG_PRIVATE_KEY_FILE`, the sandbox's 1mg private key
    /// ([`onemg::SANDBOX_PRIVATE_KEY_PEM`]) in a file the sandbox removes when it is dropped,
    /// for a client that signs its own tokens (unset `ONEMG_TOKEN` to try it). The values
    /// include secrets: hand them to a child process, do not print them.
    pub fn env(&self) -> Vec<(String, String)> {
        self.providers()
            .into_iter()
            .flat_map(|provider| {
                let settings = self.settings(provider).unwrap_or_default();
                settings.into_iter().map(move |(name, value)| {
                    let variable = format!("{provider}_{name}").to_ascii_uppercase();
                    (variable, value)
                })
            })
            .collect()
    }

    /// The credentials `provider`'s fake sends its webhooks with, as the environment
    /// variables the facade's adapters read (`FUUFFY_WEBHOOK_SECRET`,
    /// `LOGITRAIL_WEBHOOK_USERNAME` and `LOGITRAIL_WEBHOOK_PASSWORD`, `ONEMG_WEBHOOK_TOKEN`);
    /// empty for a provider whose fake sends none (FastPOD). The fakes send webhooks only when
    /// the sandbox was started with [`SandboxOptions::webhook_url`]. The values are secrets:
    /// hand them to a receiver, do not print them.
    ///
    /// # Errors
    /// When the sandbox does not play `provider`.
    pub fn webhook_settings(
        &self,
        provider: impl AsRef<str>,
    ) -> Result<Vec<(&'static str, String)>, SandboxError> {
        let fake = self.shared.fake(provider.as_ref())?;
        Ok(credentials::webhook_env(fake.name()))
    }

    /// Every provider's [`Sandbox::webhook_settings`], in the sandbox's order of providers:
    /// what `ordergate listen` reads to verify the fakes' webhooks.
    pub fn webhook_env(&self) -> Vec<(&'static str, String)> {
        self.providers()
            .into_iter()
            .flat_map(credentials::webhook_env)
            .collect()
    }

    /// The ids of `provider`'s orders that a confirm would accept now, sorted (Fuuffy
    /// `PENDING_CONFIRM`, Logitrail `passive`, ...); empty for a provider the sandbox does not
    /// play.
    pub fn confirmable_orders(&self, provider: impl AsRef<str>) -> Vec<String> {
        self.shared
            .fake(provider.as_ref())
            .map(Fake::confirmable)
            .unwrap_or_default()
    }

    /// How many orders `provider`'s fake keeps now, and about how many bytes they hold: within
    /// [`SandboxOptions::max_records`] and [`SandboxOptions::max_stored_bytes`] however long
    /// the sandbox runs.
    ///
    /// # Errors
    /// When the sandbox does not play `provider`.
    pub fn stored_orders(&self, provider: impl AsRef<str>) -> Result<StoreUsage, SandboxError> {
        Ok(self.shared.fake(provider.as_ref())?.stored_orders())
    }

    /// Adds order `id` to `provider`'s fake in raw status `status` (the provider's own
    /// spelling: `PENDING_CONFIRM`, `passive`, `17`, `draft`, ...), replacing an order
    /// with the same id. A Tata 1mg id must start with `PO`; its status is 1mg's numeric code
    /// (`17` awaits confirmation), its merchant order id follows
    /// [`onemg::merchant_order_id`].
    ///
    /// # Errors
    /// When the id does not have the provider's format, the status is not one the provider
    /// documents, or the sandbox does not play the provider.
    pub fn seed_order(
        &self,
        provider: impl AsRef<str>,
        id: &str,
        status: &str,
    ) -> Result<(), SandboxError> {
        self.shared.fake(provider.as_ref())?.seed(id, status)
    }

    /// The current raw status of `provider`'s order `id`, or `None` if there is no such order.
    pub fn order_status(&self, provider: impl AsRef<str>, id: &str) -> Option<String> {
        self.shared.fake(provider.as_ref()).ok()?.status(id)
    }

    /// The merchant's own order id a confirm of `provider`'s order `id` must carry, for a
    /// provider whose confirm needs one (Tata 1mg: the one the order was created with, or
    /// [`onemg::merchant_order_id`] for a seeded order); `None` otherwise.
    pub fn merchant_order_id(&self, provider: impl AsRef<str>, id: &str) -> Option<String> {
        self.shared
            .fake(provider.as_ref())
            .ok()?
            .merchant_order_id(id)
    }

    /// Moves the sandbox clock, which every fake shares, `steps` steps of [`ADVANCE_STEP`] on,
    /// and every fake's orders with it; the orders that moved. The Fuuffy fake moves each
    /// confirmed order one status along `READY_TO_SHIP` → `PENDING_PICKUP` →
    /// `PICKUP_COMPLETED` → `IN_TRANSIT` → `DELIVERED` per step, adding a tracking message
    /// (and sending a webhook, when configured) at each; the Logitrail fake moves inbound
    /// shipments on and picks, then ships, confirmed orders whose stock suffices (see the
    /// crate README); the Tata 1mg fake moves placed orders along 1mg's numeric statuses
    /// 15 → 120 → 130 → 25 → 30 → 40 (see [`onemg`]); the FastPOD fake moves charged orders
    /// `new_order` → `in_production` → `shipped` (with a shipment and its tracking id; see
    /// [`fastpod`]). Zero steps move nothing. Over HTTP:
    /// `POST /_sandbox/advance`.
    ///
    /// # Errors
    /// [`SandboxError::ClockLimit`] when the clock would pass [`CLOCK_LIMIT`]; nothing moves.
    pub fn advance(&self, steps: u64) -> Result<Vec<MovedOrder>, SandboxError> {
        controls::advance(&self.shared, steps)
    }

    /// Every webhook delivery the fakes attempted, oldest first (at most the most recent
    /// [`RECORDED_RESPONSES`] per provider): the event (every event, for a Logitrail batch),
    /// the URL, and the HTTP status the
    /// receiver answered or why the delivery failed. Deliveries run in the background: wait
    /// for the one you expect (see [`fuuffy::FuuffyOptions::webhook`]).
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.shared
            .fakes
            .iter()
            .flat_map(|fake| fake.webhook_deliveries())
            .collect()
    }

    /// The most recent responses the sandbox sent, oldest first: at most
    /// [`RECORDED_RESPONSES`] (1,024) of them unless the sandbox was started with another
    /// [`SandboxOptions::recorded_responses`] ([`Sandbox::response_capacity`]); older ones are
    /// forgotten, so a long-running sandbox does not grow. Each body is kept as sent up to
    /// [`RECORDED_BODY_BYTES`]; a larger one is recorded as a string saying it was not kept.
    /// Responses the sandbox sent before the fakes saw the request (413 for a body over
    /// [`MAX_BODY_BYTES`], 408 for a body slower than [`BODY_READ_TIMEOUT`]) are recorded
    /// with `operation_id: None` and a `{"message": ...}` body.
    pub fn responses(&self) -> Vec<RecordedResponse> {
        http::lock(&self.shared.responses).responses()
    }

    /// How many responses [`Sandbox::responses`] keeps at most.
    pub fn response_capacity(&self) -> usize {
        http::lock(&self.shared.responses).capacity()
    }

    /// Forgets the recorded responses.
    pub fn clear_responses(&self) {
        http::lock(&self.shared.responses).clear();
    }

    /// Stops the server gracefully: no new connections, requests in flight finish (for at
    /// most [`SHUTDOWN_GRACE`], after which the server is stopped anyway).
    ///
    /// # Errors
    /// When the server task failed.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(served)) => served,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_elapsed) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for Sandbox {
    /// Stops the server at once (use [`Sandbox::shutdown`] to let requests finish).
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
