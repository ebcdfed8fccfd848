//! `ordergate listen --forward URL`: each normalized event POSTed as JSON to another service,
//! in the background, so the provider's answer never waits for it.

use std::sync::Arc;
use std::time::Duration;

use ordergate::{ClientConfig, OrderEvent};
use tokio::sync::Semaphore;

use crate::output::{Failure, Output, bounded_event};
use crate::printable::shown;

/// How long one forward may take (connecting, sending, reading the status) before it is
/// reported as failed.
pub(crate) const FORWARD_TIMEOUT: Duration = Duration::from_secs(10);

/// How many forwards may be in flight at once; an event beyond that is not forwarded (and
/// says so on stderr), so a slow receiver cannot pile up work.
const IN_FLIGHT: usize = 64;

/// Where events go, and the client that takes them there (no redirects followed).
#[derive(Clone)]
pub(crate) struct Forwarder {
    client: reqwest::Client,
    url: reqwest::Url,
    /// The URL as printed: without its user name and password, if it has them.
    shown_url: Arc<str>,
    slots: Arc<Semaphore>,
}

impl Forwarder {
    /// A forwarder to `url` (`http` or `https`); another URL is a usage error.
    pub(crate) fn new(url: &str) -> Result<Self, Output> {
        let usage = |message: String| Output::Failure(Failure::usage(&message));
        let parsed = reqwest::Url::parse(url)
            .map_err(|error| usage(format!("--forward: not a URL: {error}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(usage("--forward: not an http or https URL".to_owned()));
        }
        let config = ClientConfig::default().with_timeout(FORWARD_TIMEOUT);
        let client = ordergate_runtime::http_client_builder(&config)
            .build()
            .map_err(|error| {
                Output::Failure(Failure::internal(format!(
                    "cannot build the forwarding client: {error}"
                )))
            })?;
        let mut printable = parsed.clone();
        let _ = printable.set_username("");
        let _ = printable.set_password(None);
        Ok(Self {
            client,
            shown_url: Arc::from(printable.as_str()),
            url: parsed,
            slots: Arc::new(Semaphore::new(IN_FLIGHT)),
        })
    }

    /// POSTs `event` as JSON in the background; a failure (no answer within
    /// [`FORWARD_TIMEOUT`], a refused connection, a status other than 2xx) is one line on
    /// stderr.
    pub(crate) fn send(&self, event: &OrderEvent) {
        let Ok(slot) = Arc::clone(&self.slots).try_acquire_owned() else {
            err!(
                "forward: {IN_FLIGHT} forwards already in flight; event {} not forwarded",
                shown(&event.event_id, "event id")
            );
            return;
        };
        let request = self
            .client
            .post(self.url.clone())
            .json(&bounded_event(event.clone()));
        let url = Arc::clone(&self.shown_url);
        tokio::spawn(async move {
            let _slot = slot;
            match request.send().await {
                Ok(response) if response.status().is_success() => {}
                Ok(response) => err!(
                    "forward: {url} answered HTTP {}",
                    response.status().as_u16()
                ),
                // The URL is shown already: the chain without it, down to the cause.
                Err(error) => err!(
                    "forward: cannot POST to {url}: {}",
                    shown(
                        &ordergate_runtime::error_chain(&error.without_url()),
                        "error"
                    )
                ),
            }
        });
    }
}
