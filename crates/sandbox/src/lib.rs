#![doc = include_str!("../README.md")]

mod credentials;
mod error;
mod fastpod;
mod fuuffy;
mod http;
mod limits;
mod logitrail;
pub mod onemg;
mod store;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use ordergate::{
    ConfirmRequest, FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter, Provider,
    ProviderName,
};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use credentials::{
    Credentials, FASTPOD_TOKEN, FUUFFY_CLIENT_ID, FUUFFY_CLIENT_SECRET, FUUFFY_TOKEN,
    FastpodCredentials, FuuffyCredentials, LOGITRAIL_MERCHANT_ID, LOGITRAIL_SECRET,
    LogitrailCredentials, ONEMG_ACCESS_KEY, ONEMG_MERCHANT_ID, ONEMG_TOKEN, OnemgCredentials,
};
pub use error::SandboxError;
pub use http::RecordedResponse;
pub use limits::{
    BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, MAX_BODY_BYTES, RECORDED_BODY_BYTES,
    RECORDED_RESPONSES, SandboxOptions,
};

/// How long [`Sandbox::shutdown`] waits for requests in flight before stopping the server.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The path prefix each provider's fake is served under, relative to the listener's root.
/// Append it to `http://127.0.0.1:<port>` to get the base URL a provider client needs.
pub fn path_prefix(provider: ProviderName) -> Option<&'static str> {
    match provider {
        ProviderName::Fuuffy => Some("/fuuffy"),
        ProviderName::Logitrail => Some("/logitrail/2015-01-01"),
        ProviderName::Onemg => Some("/onemg"),
        ProviderName::Fastpod => Some("/fastpod"),
        _ => None,
    }
}

/// The state of every fake.
#[derive(Debug)]
struct World {
    fuuffy: fuuffy::Orders,
    logitrail: logitrail::Orders,
    onemg: onemg::Orders,
    fastpod: fastpod::Orders,
}

impl World {
    fn seeded() -> Self {
        Self {
            fuuffy: fuuffy::Orders::seeded(),
            logitrail: logitrail::Orders::seeded(),
            onemg: onemg::Orders::seeded(),
            fastpod: fastpod::Orders::seeded(),
        }
    }
}

/// What the handlers share: the orders, the recorder, the accepted credentials and the bounds
/// on request bodies.
struct Shared {
    world: Mutex<World>,
    responses: Mutex<http::Recorder>,
    credentials: Credentials,
    body_limits: limits::BodyLimits,
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

/// Like [`start`], with `options`: the port, and the bounds on requests (header and body read
/// timeouts, body size) and on the response recorder.
///
/// # Errors
/// When the port cannot be bound (for example because it is in use).
pub async fn start_with(options: SandboxOptions) -> io::Result<Sandbox> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        world: Mutex::new(World::seeded()),
        responses: Mutex::new(http::Recorder::new(options.recorded_responses)),
        credentials: Credentials::sandbox(),
        body_limits: limits::BodyLimits::from(&options),
    });
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

/// Every fake, each nested under its prefix, with the body bounds around all of them and the
/// recorder around that (so a refused request's 413 or 408 is recorded too).
fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new();
    for provider in ProviderName::ALL {
        let fake = match provider {
            ProviderName::Fuuffy => fuuffy::router(),
            ProviderName::Logitrail => logitrail::router(),
            ProviderName::Onemg => onemg::router(),
            ProviderName::Fastpod => fastpod::router(),
            _ => continue,
        };
        if let Some(prefix) = path_prefix(provider) {
            router = router.nest(prefix, fake);
        }
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

/// A running sandbox: stateful fakes of Fuuffy, Logitrail, Tata 1mg and FastPOD on one
/// loopback listener. Start one with [`start`] or [`start_on`].
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
            .field("credentials", &self.shared.credentials)
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

    /// The base URL of `provider`'s fake, as the provider crate's client expects it (the
    /// client appends the spec's paths): `http://127.0.0.1:<port>/fuuffy`,
    /// `.../logitrail/2015-01-01`, `.../onemg`, `.../fastpod`.
    pub fn base_url(&self, provider: ProviderName) -> String {
        let prefix = path_prefix(provider).map_or_else(|| format!("/{provider}"), str::to_owned);
        format!("{}{prefix}", self.url())
    }

    /// The credentials every fake accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// Exactly the environment variables the `ordergate` CLI reads, pointing at this sandbox:
    /// `FUUFFY_BASE_URL`, `FUUFFY_TOKEN`, `LOGITRAIL_BASE_URL`, `LOGITRAIL_MERCHANT_ID`,
    /// `LOGITRAIL_SECRET`, `ONEMG_BASE_URL`, `ONEMG_TOKEN`, `ONEMG_ACCESS_KEY`,
    /// `ONEMG_MERCHANT_ID`, `FASTPOD_BASE_URL`, `FASTPOD_TOKEN`. The values include secrets:
    /// hand them to a child process, do not print them.
    pub fn env(&self) -> Vec<(String, String)> {
        let c = &self.shared.credentials;
        [
            ("FUUFFY_BASE_URL", self.base_url(ProviderName::Fuuffy)),
            ("FUUFFY_TOKEN", c.fuuffy.token.clone()),
            ("LOGITRAIL_BASE_URL", self.base_url(ProviderName::Logitrail)),
            ("LOGITRAIL_MERCHANT_ID", c.logitrail.merchant_id.clone()),
            ("LOGITRAIL_SECRET", c.logitrail.secret.clone()),
            ("ONEMG_BASE_URL", self.base_url(ProviderName::Onemg)),
            ("ONEMG_TOKEN", c.onemg.token.clone()),
            ("ONEMG_ACCESS_KEY", c.onemg.access_key.clone()),
            ("ONEMG_MERCHANT_ID", c.onemg.merchant_id.clone()),
            ("FASTPOD_BASE_URL", self.base_url(ProviderName::Fastpod)),
            ("FASTPOD_TOKEN", c.fastpod.token.clone()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
    }

    /// The ids of `provider`'s orders that a confirm would accept now, sorted: Fuuffy
    /// `PENDING_CONFIRM`, Logitrail `passive`, Tata 1mg `created`, FastPOD `draft` and
    /// `on_hold`.
    pub fn confirmable_orders(&self, provider: ProviderName) -> Vec<String> {
        let world = http::lock(&self.shared.world);
        match provider {
            ProviderName::Fuuffy => world.fuuffy.confirmable(),
            ProviderName::Logitrail => world.logitrail.confirmable(),
            ProviderName::Onemg => world.onemg.confirmable(),
            ProviderName::Fastpod => world.fastpod.confirmable(),
            _ => Vec::new(),
        }
    }

    /// Adds order `id` to `provider`'s fake in raw status `status` (the provider's own
    /// spelling: `PENDING_CONFIRM`, `passive`, `created`, `draft`, ...), replacing an order
    /// with the same id. A Tata 1mg id must start with `PO`; its merchant order id follows
    /// [`onemg::merchant_order_id`].
    ///
    /// # Errors
    /// When the id does not have the provider's format, the status is not one the provider
    /// documents, or the provider has no fake.
    pub fn seed_order(
        &self,
        provider: ProviderName,
        id: &str,
        status: &str,
    ) -> Result<(), SandboxError> {
        let mut world = http::lock(&self.shared.world);
        match provider {
            ProviderName::Fuuffy => world.fuuffy.seed(id, status),
            ProviderName::Logitrail => world.logitrail.seed(id, status),
            ProviderName::Onemg => world.onemg.seed(id, status),
            ProviderName::Fastpod => world.fastpod.seed(id, status),
            other => Err(SandboxError::UnknownProvider(other)),
        }
    }

    /// The current raw status of `provider`'s order `id`, or `None` if there is no such order.
    pub fn order_status(&self, provider: ProviderName, id: &str) -> Option<String> {
        let world = http::lock(&self.shared.world);
        match provider {
            ProviderName::Fuuffy => world.fuuffy.status(id),
            ProviderName::Logitrail => world.logitrail.status(id),
            ProviderName::Onemg => world.onemg.status(id),
            ProviderName::Fastpod => world.fastpod.status(id),
            _ => None,
        }
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

    /// The confirm request for `provider`'s order `id`: for Tata 1mg it carries the merchant
    /// order id ([`onemg::merchant_order_id`]), for the others only the id.
    pub fn confirm_request(&self, provider: ProviderName, id: &str) -> ConfirmRequest {
        let request = ConfirmRequest::new(id);
        match (provider, onemg::merchant_order_id(id)) {
            (ProviderName::Onemg, Some(merchant_order_id)) => {
                request.with_merchant_order_id(merchant_order_id)
            }
            _ => request,
        }
    }

    /// A facade adapter for `provider`, built with the adapter's builder, this sandbox's
    /// base URL and the sandbox credentials.
    ///
    /// # Errors
    /// Only for a provider the sandbox has no fake of (never for the four it has).
    pub fn provider(&self, provider: ProviderName) -> Result<Provider, SandboxError> {
        self.provider_with(provider, &self.shared.credentials)
    }

    /// Like [`Sandbox::provider`], with `credentials` instead of the sandbox's (for example
    /// wrong ones, to see the provider refuse them).
    ///
    /// # Errors
    /// As [`Sandbox::provider`].
    pub fn provider_with(
        &self,
        provider: ProviderName,
        credentials: &Credentials,
    ) -> Result<Provider, SandboxError> {
        let base_url = self.base_url(provider);
        let built = match provider {
            ProviderName::Fuuffy => FuuffyAdapter::builder()
                .base_url(base_url)
                .token(credentials.fuuffy.token.clone())
                .build()
                .map(Provider::Fuuffy),
            ProviderName::Logitrail => LogitrailAdapter::builder()
                .base_url(base_url)
                .merchant_id(credentials.logitrail.merchant_id.clone())
                .secret(credentials.logitrail.secret.clone())
                .build()
                .map(Provider::Logitrail),
            ProviderName::Onemg => OnemgAdapter::builder()
                .base_url(base_url)
                .token(credentials.onemg.token.clone())
                .access_key(credentials.onemg.access_key.clone())
                .merchant_id(credentials.onemg.merchant_id.clone())
                .build()
                .map(Provider::Onemg),
            ProviderName::Fastpod => FastpodAdapter::builder()
                .base_url(base_url)
                .token(credentials.fastpod.token.clone())
                .build()
                .map(Provider::Fastpod),
            other => return Err(SandboxError::UnknownProvider(other)),
        };
        built.map_err(|source| SandboxError::Configure {
            provider,
            source: Box::new(source),
        })
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
