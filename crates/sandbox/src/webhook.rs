//! Webhooks a fake sends: a background sender per fake that POSTs each event in turn to the
//! configured URL, never delaying or failing the API call that caused it, and a record of
//! every delivery for tests to read.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use ordergate_runtime::{ClientConfig, http_client_builder};
use tokio::sync::mpsc;

use crate::RECORDED_RESPONSES;
use crate::http::lock;

/// How long the sandbox waits for a webhook receiver to answer one delivery (connecting,
/// sending and reading the status) before recording it as failed.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(3);

/// Where a fake sends its webhooks: the URL and the secret it signs them with. `Debug` never
/// shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct WebhookTarget {
    pub(crate) url: String,
    pub(crate) secret: String,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &self.url)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// How many events may wait to be sent; beyond that an event is recorded as dropped.
const QUEUE: usize = 256;

/// One webhook delivery a fake attempted, as
/// [`Sandbox::webhook_deliveries`](crate::Sandbox::webhook_deliveries) returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The provider whose fake sent it (`fuuffy`).
    pub provider: &'static str,
    /// The event (`order.created`, `order.delivered`, ...).
    pub event: String,
    /// The order the event is about.
    pub order_id: Option<String>,
    /// Where it was sent.
    pub url: String,
    /// The raw JSON body sent (and signed).
    pub body: String,
    /// The HTTP status the receiver answered; `None` when the delivery failed.
    pub status: Option<u16>,
    /// Why the delivery failed (no answer within [`WEBHOOK_TIMEOUT`], connection refused,
    /// ...); `None` when the receiver answered, whatever the status.
    pub error: Option<String>,
}

/// An event ready to send: its signed body and the headers that go with it.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub(crate) event: String,
    pub(crate) order_id: Option<String>,
    pub(crate) body: Vec<u8>,
    pub(crate) headers: Vec<(&'static str, String)>,
}

/// A fake's webhook sender: one background task per fake, started with the first event,
/// sending events in the order they happened. It stops once the fake is dropped and the
/// events queued are sent.
#[derive(Debug)]
pub(crate) struct WebhookSender {
    provider: &'static str,
    url: String,
    queue: OnceLock<mpsc::Sender<Outgoing>>,
    deliveries: Arc<Mutex<VecDeque<WebhookDelivery>>>,
}

impl WebhookSender {
    pub(crate) fn new(provider: &'static str, url: String) -> Self {
        Self {
            provider,
            url,
            queue: OnceLock::new(),
            deliveries: Arc::default(),
        }
    }

    /// Queues `outgoing` for delivery; returns at once.
    pub(crate) fn send(&self, outgoing: Outgoing) {
        let queue = self.queue.get_or_init(|| self.start());
        if let Err(error) = queue.try_send(outgoing) {
            let (reason, outgoing) = match error {
                mpsc::error::TrySendError::Full(outgoing) => ("too many webhooks queued", outgoing),
                mpsc::error::TrySendError::Closed(outgoing) => ("the sender stopped", outgoing),
            };
            self.fail(outgoing, reason);
        }
    }

    /// Records `outgoing` as not sent, for `reason`.
    pub(crate) fn fail(&self, outgoing: Outgoing, reason: &str) {
        let delivery = self.delivery(outgoing, None, Some(reason.to_owned()));
        record(&self.deliveries, delivery);
    }

    /// The deliveries attempted, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<WebhookDelivery> {
        lock(&self.deliveries).iter().cloned().collect()
    }

    fn delivery(
        &self,
        outgoing: Outgoing,
        status: Option<u16>,
        error: Option<String>,
    ) -> WebhookDelivery {
        WebhookDelivery {
            provider: self.provider,
            event: outgoing.event,
            order_id: outgoing.order_id,
            url: self.url.clone(),
            body: String::from_utf8_lossy(&outgoing.body).into_owned(),
            status,
            error,
        }
    }

    /// Starts the background task (on the current tokio runtime; every fake handler runs on
    /// one). Without a runtime, the queue is closed and each event is recorded as failed.
    fn start(&self) -> mpsc::Sender<Outgoing> {
        let (queue, mut queued) = mpsc::channel::<Outgoing>(QUEUE);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return queue;
        };
        let worker = Self {
            provider: self.provider,
            url: self.url.clone(),
            queue: OnceLock::new(),
            deliveries: Arc::clone(&self.deliveries),
        };
        runtime.spawn(async move {
            // The SDKs' client policy (rustls with ring, no redirects), one deadline of
            // WEBHOOK_TIMEOUT, and straight to the receiver: no proxy from the environment.
            let config = ClientConfig::default().with_timeout(WEBHOOK_TIMEOUT);
            let client = http_client_builder(&config).no_proxy().build();
            while let Some(outgoing) = queued.recv().await {
                let delivery = match &client {
                    Ok(client) => worker.deliver(client, outgoing).await,
                    Err(error) => worker.delivery(outgoing, None, Some(error.to_string())),
                };
                record(&worker.deliveries, delivery);
            }
        });
        queue
    }

    async fn deliver(&self, client: &reqwest::Client, outgoing: Outgoing) -> WebhookDelivery {
        let mut request = client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(outgoing.body.clone());
        for (name, value) in &outgoing.headers {
            request = request.header(*name, value);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                self.delivery(outgoing, Some(status), None)
            }
            Err(error) => {
                let reason = if error.is_timeout() {
                    format!("no answer within {} ms", WEBHOOK_TIMEOUT.as_millis())
                } else {
                    error.to_string()
                };
                self.delivery(outgoing, None, Some(reason))
            }
        }
    }
}

fn record(deliveries: &Mutex<VecDeque<WebhookDelivery>>, delivery: WebhookDelivery) {
    let mut deliveries = lock(deliveries);
    while deliveries.len() >= RECORDED_RESPONSES {
        deliveries.pop_front();
    }
    deliveries.push_back(delivery);
}
