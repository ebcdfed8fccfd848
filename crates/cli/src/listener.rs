//! `ordergate listen`: an HTTP server on loopback that receives providers' webhooks at
//! `POST /<provider>`, verifies each through the provider's `parse_webhook`, answers as the
//! provider expects, and hands the normalized events on (printed, forwarded, or to the demo).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use ordergate::{
    Error, ErrorKind, Operation, OrderEvent, OrderProvider, Overrides, Provider, ProviderName,
    WebhookAck,
};
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::forwarding::Forwarder;
use crate::output::{Failure, Output, bounded_event, describe_event};
use crate::printable::{json_safe, shown};
use crate::webhook_input::MAX_WEBHOOK_BYTES;

/// How long a delivery's body may take to arrive once its headers have.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What one delivery came to: its events, or why it was refused.
#[derive(Debug)]
pub(crate) enum Received {
    /// A verified delivery's events (a Logitrail batch holds several).
    Events(Vec<OrderEvent>),
    /// A refused delivery: the facade's error (unauthorized, decode, ...).
    Refused(Box<Error>),
}

/// One provider's route: its adapter (with its webhook credentials) and where results go.
struct Route {
    provider: Provider,
    results: mpsc::UnboundedSender<Received>,
}

/// The providers `listen` serves: each of `names` whose capabilities include
/// `parse_webhook`, configured from the environment with `overrides`. A provider whose
/// configuration fails, or whose webhook credentials are not set, is left out with one line
/// in the returned notes saying why.
pub(crate) fn receivers_from_env(
    names: &[ProviderName],
    overrides: &Overrides,
) -> (Vec<Provider>, Vec<String>) {
    let mut receivers = Vec::new();
    let mut notes = Vec::new();
    for &name in names {
        let offers = Provider::capabilities_of(name)
            .is_some_and(|capabilities| capabilities.contains(Operation::ParseWebhook));
        if !offers {
            notes.push(format!(
                "listen: no /{name}: {} webhooks are not supported through ordergate yet",
                name.title()
            ));
            continue;
        }
        match Provider::from_env_with(name, overrides).and_then(ready_for_webhooks) {
            Ok(provider) => receivers.push(provider),
            Err(error) => notes.push(format!(
                "listen: no /{name}: {}",
                shown(&crate::output::cli_message(&error), "message")
            )),
        }
    }
    (receivers, notes)
}

/// `provider`, if its webhook credentials are configured. The adapter answers an empty
/// delivery `invalid_input` only when they are not (with them, it is `unauthorized`: the
/// source is verified before anything else), so one empty delivery tells, sending nothing.
pub(crate) fn ready_for_webhooks(provider: Provider) -> Result<Provider, Error> {
    match provider.parse_webhook(&HeaderMap::new(), b"") {
        Err(error) if error.kind == ErrorKind::InvalidInput => Err(error),
        _ => Ok(provider),
    }
}

/// The routes, `POST /<provider>` for each of `receivers`, each body bounded to
/// [`MAX_WEBHOOK_BYTES`] (HTTP 413 beyond); every delivery's result goes to `results`.
pub(crate) fn router(receivers: Vec<Provider>, results: mpsc::UnboundedSender<Received>) -> Router {
    let mut router = Router::new();
    for provider in receivers {
        let path = format!("/{}", provider.provider());
        let route = Arc::new(Route {
            provider,
            results: results.clone(),
        });
        router = router.route(&path, axum::routing::post(receive).with_state(route));
    }
    router.layer(DefaultBodyLimit::max(MAX_WEBHOOK_BYTES))
}

/// One delivery: verified and read by the provider's adapter; answered with the provider's
/// expected acknowledgement, 401 for a refused signature or credential, 400 for a verified
/// body that is not an event, 500 otherwise. The answer never waits for printing or
/// forwarding.
async fn receive(State(route): State<Arc<Route>>, headers: HeaderMap, body: Body) -> Response {
    // A body that stalls is given up on: one slow sender never holds a connection for long.
    let body =
        match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_WEBHOOK_BYTES))
            .await
        {
            Ok(Ok(body)) => body,
            Ok(Err(_)) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            Err(_) => return StatusCode::REQUEST_TIMEOUT.into_response(),
        };
    let name = route.provider.provider();
    match route.provider.parse_webhook(&headers, &body) {
        Ok(events) => {
            let _ = route.results.send(Received::Events(events));
            acknowledge(Provider::webhook_ack(name).unwrap_or(WebhookAck::OK))
        }
        Err(error) => {
            let status = match error.kind {
                ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
                ErrorKind::Decode => StatusCode::BAD_REQUEST,
                ErrorKind::InvalidInput => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let kind = error.kind;
            let _ = route.results.send(Received::Refused(Box::new(error)));
            #[derive(Serialize)]
            struct Refusal {
                error: ErrorKind,
            }
            (status, axum::Json(Refusal { error: kind })).into_response()
        }
    }
}

/// The provider's expected answer: its status, and its body as JSON when it has one.
fn acknowledge(ack: WebhookAck) -> Response {
    let status = StatusCode::from_u16(ack.status).unwrap_or(StatusCode::OK);
    if ack.body.is_empty() {
        status.into_response()
    } else {
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            ack.body,
        )
            .into_response()
    }
}

/// A loopback listener on `port` (0: any free port).
pub(crate) async fn bind(port: u16) -> Result<(TcpListener, SocketAddr), Output> {
    let failed = |error: std::io::Error| {
        Output::Failure(Failure::internal(format!(
            "cannot listen on 127.0.0.1:{port}: {error}"
        )))
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(failed)?;
    let addr = listener.local_addr().map_err(failed)?;
    Ok((listener, addr))
}

/// What `ordergate --json listen` prints first, on one line.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Listening {
    /// The listener's root, `http://127.0.0.1:<port>`; each provider's webhooks go to
    /// `<listening>/<provider>`.
    listening: String,
    /// The providers served.
    providers: Vec<ProviderName>,
}

/// `ordergate listen`: serves each of `names` ready for webhooks (see
/// [`receivers_from_env`]; the others are named on stderr), prints the address, then one
/// line per event (one `OrderEvent` JSON object per line with `json`) and one stderr line per
/// refused delivery, forwarding each event to `forward` if given, until Ctrl-C.
pub(crate) async fn listen(
    port: u16,
    forward: Option<&str>,
    names: &[ProviderName],
    overrides: Overrides,
    json: bool,
) -> Output {
    let forwarder = match forward.map(Forwarder::new).transpose() {
        Ok(forwarder) => forwarder,
        Err(output) => return output,
    };
    let (receivers, notes) = receivers_from_env(names, &overrides);
    for note in &notes {
        err!("{note}");
    }
    if receivers.is_empty() {
        return Output::Failure(Failure::usage(
            "no provider can receive webhooks: configure one (see `ordergate --help` for the \
             variables, and `ordergate providers` for which providers have webhooks)",
        ));
    }
    let (listener, addr) = match bind(port).await {
        Ok(bound) => bound,
        Err(output) => return output,
    };
    let providers: Vec<ProviderName> = receivers.iter().map(OrderProvider::provider).collect();
    let url = format!("http://{addr}");
    if json {
        let start = Listening {
            listening: url.clone(),
            providers: providers.clone(),
        };
        out!(
            "{}",
            json_safe(serde_json::to_string(&start).unwrap_or_default())
        );
    } else {
        out!("listening on {url}");
        for provider in &providers {
            out!("  POST {url}/{provider}");
        }
        out!("Ctrl-C stops.");
    }
    let (results, mut received) = mpsc::unbounded_channel();
    let server = axum::serve(listener, router(receivers, results));
    let printing = async {
        while let Some(result) = received.recv().await {
            print_received(result, json, forwarder.as_ref());
        }
    };
    tokio::select! {
        served = server.into_future() => {
            if let Err(error) = served {
                return Output::Failure(Failure::internal(format!("the listener failed: {error}")));
            }
        }
        () = printing => {}
        stopped = tokio::signal::ctrl_c() => {
            if let Err(error) = stopped {
                return Output::Failure(Failure::internal(format!("cannot wait for Ctrl-C: {error}")));
            }
        }
    }
    Output::Text(String::new())
}

/// One delivery's result: its events on stdout (and forwarded), a refusal on stderr.
fn print_received(result: Received, json: bool, forwarder: Option<&Forwarder>) {
    match result {
        Received::Events(events) => {
            for event in events {
                if let Some(forwarder) = forwarder {
                    forwarder.send(&event);
                }
                if json {
                    let event = bounded_event(event);
                    out!(
                        "{}",
                        json_safe(serde_json::to_string(&event).unwrap_or_default())
                    );
                } else {
                    out!("{}", describe_event(&event));
                }
            }
        }
        Received::Refused(error) => err!(
            "refused a {} webhook: {}: {}",
            error.provider,
            error.kind.as_str(),
            shown(&error.message, "message")
        ),
    }
}
