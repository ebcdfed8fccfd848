//! The bounds that keep a misbehaving client from holding the sandbox's memory or connections:
//! the options a sandbox starts with (request, recorder and store bounds, and each provider's
//! own options), the server loop (hyper HTTP/1 with a header-read
//! timeout and graceful shutdown), and the middleware that reads every request body within a
//! size and a time bound before any fake sees it.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::Shared;
use crate::fuuffy::FuuffyOptions;
use crate::http::reply;
use crate::logitrail::LogitrailOptions;
use crate::onemg::OnemgOptions;
use crate::store::StoreLimits;

/// How long a client may take to send a request's line and headers (and how long a connection
/// may sit idle between requests) before the sandbox closes the connection.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a client may take to send a request's body, counted from when the fake starts
/// reading it; a slower body is answered HTTP 408 and the connection is closed.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request body the sandbox accepts (1 MiB; the providers' requests are a few
/// hundred bytes). A larger body, declared by `Content-Length` or streamed chunked, is
/// answered HTTP 413 `{"message": ...}` on every route.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How many responses [`Sandbox::responses`](crate::Sandbox::responses) keeps by default:
/// the most recent 1,024 (older ones are forgotten).
pub const RECORDED_RESPONSES: usize = 1024;

/// The largest response body the recorder keeps (16 KiB; the fakes send at most a few
/// kilobytes). A larger body is sent unchanged but recorded as a string saying it was not kept.
pub const RECORDED_BODY_BYTES: usize = 16 * 1024;

/// The largest request line plus headers the server reads (a larger one is answered HTTP 431).
/// It also bounds the method and path each recorded response keeps.
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// After a body turned out too large, the sandbox keeps reading (and discarding) up to this
/// many bytes of it before answering, so that the client, still sending, is not reset before
/// it reads the 413. A body declared larger than this is answered at once.
const DRAIN_BYTES: u64 = 64 * 1024 * 1024;

/// How many records of one kind (orders, ...) each fake keeps by default: 10,000. Beyond
/// that the oldest finished records (delivered, cancelled, ...) are forgotten first, then the
/// oldest.
pub const MAX_RECORDS: usize = 10_000;

/// How many bytes the records of one kind each fake keeps may hold by default (32 MiB, about
/// what 10,000 Fuuffy orders with a few hundred bytes of text each hold); beyond that the
/// oldest finished records are forgotten first, then the oldest.
pub const MAX_STORED_BYTES: usize = 32 * 1024 * 1024;

/// The store bounds of the default options.
pub(crate) fn default_store_limits() -> StoreLimits {
    StoreLimits {
        max_records: MAX_RECORDS,
        max_bytes: MAX_STORED_BYTES,
    }
}

/// How a sandbox is started: the port, the bounds on requests, on the recorder and on the
/// fakes' stores, and each provider's own options (keyed by provider: [`SandboxOptions::fuuffy`],
/// [`SandboxOptions::logitrail`], [`SandboxOptions::onemg`]).
/// [`SandboxOptions::default`] is what [`start`](crate::start) uses; change a bound for a test
/// with the setters and start with [`start_with`](crate::start_with):
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use std::time::Duration;
/// use ordergate_sandbox::SandboxOptions;
/// use ordergate_sandbox::fuuffy::FuuffyOptions;
///
/// let options = SandboxOptions::default()
///     .header_read_timeout(Duration::from_secs(1))
///     .recorded_responses(16)
///     .max_records(1_000)
///     .fuuffy(FuuffyOptions::default().token_lifetime(Duration::from_secs(2)));
/// let sandbox = ordergate_sandbox::start_with(options).await?;
/// # sandbox.shutdown().await }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxOptions {
    pub(crate) port: u16,
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) recorded_responses: usize,
    pub(crate) store: StoreLimits,
    pub(crate) fuuffy: FuuffyOptions,
    pub(crate) logitrail: LogitrailOptions,
    pub(crate) onemg: OnemgOptions,
}

impl Default for SandboxOptions {
    /// A free port, [`HEADER_READ_TIMEOUT`], [`BODY_READ_TIMEOUT`], [`MAX_BODY_BYTES`],
    /// [`RECORDED_RESPONSES`], [`MAX_RECORDS`], [`MAX_STORED_BYTES`] and each provider's
    /// default options.
    fn default() -> Self {
        Self {
            port: 0,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
            recorded_responses: RECORDED_RESPONSES,
            store: default_store_limits(),
            fuuffy: FuuffyOptions::default(),
            logitrail: LogitrailOptions::default(),
            onemg: OnemgOptions::default(),
        }
    }
}

impl SandboxOptions {
    /// Listen on `127.0.0.1:port` (`0`, the default, picks a free port).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How long a client may take to send a request's line and headers, and how long a
    /// connection may sit idle between requests; then the connection is closed. Default
    /// [`HEADER_READ_TIMEOUT`].
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's body; then it is answered HTTP 408.
    /// Default [`BODY_READ_TIMEOUT`].
    #[must_use]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// The largest request body accepted; a larger one is answered HTTP 413. Default
    /// [`MAX_BODY_BYTES`].
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// How many of the most recent responses [`Sandbox::responses`](crate::Sandbox::responses)
    /// keeps; `0` records nothing. Default [`RECORDED_RESPONSES`].
    #[must_use]
    pub fn recorded_responses(mut self, count: usize) -> Self {
        self.recorded_responses = count;
        self
    }

    /// How many records of one kind each fake keeps (seeded ones included); beyond that the
    /// oldest finished ones are forgotten first, then the oldest. Default [`MAX_RECORDS`].
    #[must_use]
    pub fn max_records(mut self, count: usize) -> Self {
        self.store.max_records = count;
        self
    }

    /// How many bytes the records of one kind each fake keeps may hold; beyond that the
    /// oldest finished ones are forgotten first, then the oldest, and a record heavier than
    /// the bound alone is refused. Default [`MAX_STORED_BYTES`].
    #[must_use]
    pub fn max_stored_bytes(mut self, bytes: usize) -> Self {
        self.store.max_bytes = bytes;
        self
    }

    /// The Fuuffy fake's own options: the lifetime of the tokens it issues, where it sends
    /// webhooks. Default [`FuuffyOptions::default`].
    #[must_use]
    pub fn fuuffy(mut self, options: FuuffyOptions) -> Self {
        self.fuuffy = options;
        self
    }

    /// The Logitrail fake's own options: where it sends webhooks, with which Basic
    /// credentials. Default [`LogitrailOptions::default`] (no webhooks).
    #[must_use]
    pub fn logitrail(mut self, options: LogitrailOptions) -> Self {
        self.logitrail = options;
        self
    }

    /// Every fake that sends webhooks sends them to `base_url/<provider>`
    /// (`http://127.0.0.1:8080/fuuffy`, `.../logitrail`, `.../onemg`; the FastPOD fake sends
    /// none), each as its provider does and with the sandbox's webhook credentials, which
    /// [`Sandbox::webhook_env`](crate::Sandbox::webhook_env) gives: Fuuffy's signed with the
    /// secret `FUUFFY_WEBHOOK_SECRET`, Logitrail's with HTTP Basic
    /// `LOGITRAIL_WEBHOOK_USERNAME` : `LOGITRAIL_WEBHOOK_PASSWORD`, 1mg's with
    /// `ONEMG_WEBHOOK_TOKEN` in `X-Auth-Token`. `ordergate listen`, given those variables,
    /// verifies them all. It replaces each provider's own webhook option; the other options
    /// are kept.
    #[must_use]
    pub fn webhook_url(mut self, base_url: &str) -> Self {
        use crate::credentials as c;
        let base = base_url.trim_end_matches('/');
        self.fuuffy = self
            .fuuffy
            .webhook(format!("{base}/fuuffy"), c::FUUFFY_WEBHOOK_SECRET);
        self.logitrail = self.logitrail.webhook(
            format!("{base}/logitrail"),
            c::LOGITRAIL_WEBHOOK_USERNAME,
            c::LOGITRAIL_WEBHOOK_PASSWORD,
        );
        self.onemg = self.onemg.webhook(
            format!("{base}/onemg"),
            c::ONEMG_WEBHOOK_HEADER,
            c::ONEMG_WEBHOOK_TOKEN,
        );
        self
    }
}

/// The request bounds the body middleware applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    pub(crate) max_bytes: usize,
    pub(crate) read_timeout: Duration,
}

impl From<&SandboxOptions> for BodyLimits {
    fn from(options: &SandboxOptions) -> Self {
        Self {
            max_bytes: options.max_body_bytes,
            read_timeout: options.body_read_timeout,
        }
    }
}

/// Serves `router` on `listener` over HTTP/1 until `stop` fires (or its sender is dropped),
/// then stops accepting and waits for the open connections to finish their requests.
/// Dropping (aborting) the returned future closes every connection at once.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    mut stop: oneshot::Receiver<()>,
) -> io::Result<()> {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .max_header_size(MAX_HEADER_BYTES);
    let service = TowerToHyperService::new(router);
    let graceful = GracefulShutdown::new();
    // Owned here so that aborting the server task aborts every connection too.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // A send or a dropped sender both mean: stop.
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    let connection = builder.serve_connection(TokioIo::new(stream), service.clone());
                    let connection = graceful.watch(connection);
                    connections.spawn(async move {
                        // A connection error (a client gone, a header timeout) concerns only
                        // that connection.
                        let _ = connection.await;
                    });
                }
                Err(error) if is_connection_error(&error) => {}
                // Out of file descriptors and the like: wait instead of spinning, as
                // `axum::serve` does.
                Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            },
            Some(_finished) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// An accept error that concerns only the connection being accepted.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// The provider-neutral error body of a request refused before any fake saw it.
#[derive(Serialize)]
struct Refused {
    message: String,
}

fn refuse(status: StatusCode, message: String) -> Response {
    reply(status, &Refused { message })
}

fn too_large(limits: BodyLimits) -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the request body is larger than the sandbox's limit of {} bytes",
            limits.max_bytes
        ),
    )
}

fn too_slow(limits: BodyLimits) -> Response {
    refuse(
        StatusCode::REQUEST_TIMEOUT,
        format!(
            "the request body was not received within {} ms",
            limits.read_timeout.as_millis()
        ),
    )
}

/// Whether the client waits for `100 Continue` before sending the body.
fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(header::EXPECT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().eq_ignore_ascii_case("100-continue"))
}

/// Middleware: reads the whole request body, at most [`SandboxOptions::max_body_bytes`] within
/// [`SandboxOptions::body_read_timeout`], before any fake sees the request. A larger body gets
/// HTTP 413, a slower one HTTP 408, an unreadable one HTTP 400, each `{"message": ...}`; the
/// fakes then read a body that is already in memory.
pub(crate) async fn limit_body(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let limits = shared.body_limits;
    let max = u64::try_from(limits.max_bytes).unwrap_or(u64::MAX);
    let (parts, mut body) = request.into_parts();
    // With `Content-Length`, the lower bound is the declared length.
    let declared = HttpBody::size_hint(&body).lower();
    if declared > max && (declared > DRAIN_BYTES || expects_continue(&parts.headers)) {
        // Nothing sent yet, or too much to be worth reading: answer at once.
        return too_large(limits);
    }
    let deadline = tokio::time::Instant::now() + limits.read_timeout;
    let mut received: u64 = 0;
    let mut kept = Vec::new();
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(None) => break,
            Ok(Some(Ok(frame))) => frame,
            Ok(Some(Err(_))) | Err(_) if received > max => return too_large(limits),
            Err(_elapsed) => return too_slow(limits),
            Ok(Some(Err(error))) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    format!("the request body could not be read: {error}"),
                );
            }
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        received = received.saturating_add(data.len() as u64);
        if received <= max {
            kept.extend_from_slice(&data);
        } else if received > DRAIN_BYTES {
            return too_large(limits);
        } else {
            // Too large: keep reading, discarding, so the client gets to read the 413.
            kept = Vec::new();
        }
    }
    if received > max || declared > max {
        return too_large(limits);
    }
    next.run(Request::from_parts(parts, Body::from(kept))).await
}
