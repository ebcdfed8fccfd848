//! Webhooks a fake sends: a background sender per fake that POSTs its events in turn to the
//! configured URL, never delaying or failing the API call that caused it, and a record of
//! every delivery for tests to read. A sender posts each event alone (Fuuffy), or, made with
//! [`WebhookSender::batching`], the events queued together as one JSON array of at most a
//! given number of events (Logitrail).

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
    /// The event (`order.created`, `order.delivered`, ...); the first one of a batch.
    pub event: String,
    /// Every event the body carries, in order: one for a provider that sends events alone,
    /// up to the batch size for one that sends them in batches (Logitrail, 100).
    pub events: Vec<String>,
    /// The order the (first) event is about, if it is about one.
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

/// An event ready to send: its (signed) body and the headers that go with it. `Debug` never
/// shows the header values, which may carry credentials.
pub(crate) struct Outgoing {
    pub(crate) event: String,
    pub(crate) order_id: Option<String>,
    pub(crate) body: Vec<u8>,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Outgoing")
            .field("event", &self.event)
            .field("order_id", &self.order_id)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("headers", &headers)
            .finish()
    }
}

/// Events sent in one request: their bodies joined into one (a JSON array in batch mode).
#[derive(Debug)]
struct Request {
    events: Vec<String>,
    order_id: Option<String>,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

impl Request {
    /// One event alone, its body as it is.
    fn single(outgoing: Outgoing) -> Self {
        Self {
            events: vec![outgoing.event],
            order_id: outgoing.order_id,
            body: outgoing.body,
            headers: outgoing.headers,
        }
    }

    /// Several events as one JSON array of their bodies; the first event's headers.
    fn batch(outgoing: Vec<Outgoing>) -> Self {
        let mut body = b"[".to_vec();
        let mut events = Vec::with_capacity(outgoing.len());
        let mut order_id = None;
        let mut headers = Vec::new();
        for (index, event) in outgoing.into_iter().enumerate() {
            if index > 0 {
                body.push(b',');
            } else {
                headers = event.headers;
            }
            body.extend_from_slice(&event.body);
            events.push(event.event);
            order_id = order_id.or(event.order_id);
        }
        body.push(b']');
        Self {
            events,
            order_id,
            body,
            headers,
        }
    }
}

/// A fake's webhook sender: one background task per fake, started with the first event,
/// sending events in the order they happened. It stops once the fake is dropped and the
/// events queued are sent.
#[derive(Debug)]
pub(crate) struct WebhookSender {
    provider: &'static str,
    url: String,
    /// `None`: each event is POSTed alone, its body as it is. `Some(n)`: the events queued
    /// together are POSTed as one JSON array of at most `n`.
    batch: Option<usize>,
    queue: OnceLock<mpsc::Sender<Vec<Outgoing>>>,
    deliveries: Arc<Mutex<VecDeque<WebhookDelivery>>>,
}

impl WebhookSender {
    /// A sender that POSTs each event alone.
    pub(crate) fn new(provider: &'static str, url: String) -> Self {
        Self {
            provider,
            url,
            batch: None,
            queue: OnceLock::new(),
            deliveries: Arc::default(),
        }
    }

    /// A sender that POSTs the events queued together (by one [`WebhookSender::send_all`],
    /// or waiting while an earlier request was under way) as one JSON array of at most
    /// `max_events` events.
    pub(crate) fn batching(provider: &'static str, url: String, max_events: usize) -> Self {
        Self {
            batch: Some(max_events.max(1)),
            ..Self::new(provider, url)
        }
    }

    /// Queues `outgoing` for delivery; returns at once.
    pub(crate) fn send(&self, outgoing: Outgoing) {
        self.send_all(vec![outgoing]);
    }

    /// Queues `outgoing`, events that happened together, for delivery (in one request when
    /// the sender batches); returns at once.
    pub(crate) fn send_all(&self, outgoing: Vec<Outgoing>) {
        if outgoing.is_empty() {
            return;
        }
        let queue = self.queue.get_or_init(|| self.start());
        if let Err(error) = queue.try_send(outgoing) {
            let (reason, outgoing) = match error {
                mpsc::error::TrySendError::Full(outgoing) => ("too many webhooks queued", outgoing),
                mpsc::error::TrySendError::Closed(outgoing) => ("the sender stopped", outgoing),
            };
            for outgoing in outgoing {
                self.fail(outgoing, reason);
            }
        }
    }

    /// Records `outgoing` as not sent, for `reason`.
    pub(crate) fn fail(&self, outgoing: Outgoing, reason: &str) {
        let delivery = self.delivery(Request::single(outgoing), None, Some(reason.to_owned()));
        record(&self.deliveries, delivery);
    }

    /// The deliveries attempted, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<WebhookDelivery> {
        lock(&self.deliveries).iter().cloned().collect()
    }

    fn delivery(
        &self,
        request: Request,
        status: Option<u16>,
        error: Option<String>,
    ) -> WebhookDelivery {
        WebhookDelivery {
            provider: self.provider,
            event: request.events.first().cloned().unwrap_or_default(),
            events: request.events,
            order_id: request.order_id,
            url: self.url.clone(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            status,
            error,
        }
    }

    /// The requests `queued` (events queued together, oldest first) makes: one per event
    /// without batching, else arrays of at most the batch size.
    fn requests(&self, queued: Vec<Outgoing>) -> Vec<Request> {
        match self.batch {
            None => queued.into_iter().map(Request::single).collect(),
            Some(size) => {
                let mut requests = Vec::new();
                let mut events = queued.into_iter().peekable();
                while events.peek().is_some() {
                    requests.push(Request::batch(events.by_ref().take(size).collect()));
                }
                requests
            }
        }
    }

    /// Starts the background task (on the current tokio runtime; every fake handler runs on
    /// one). Without a runtime, the queue is closed and each event is recorded as failed.
    fn start(&self) -> mpsc::Sender<Vec<Outgoing>> {
        let (queue, mut queued) = mpsc::channel::<Vec<Outgoing>>(QUEUE);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return queue;
        };
        let worker = Self {
            provider: self.provider,
            url: self.url.clone(),
            batch: self.batch,
            queue: OnceLock::new(),
            deliveries: Arc::clone(&self.deliveries),
        };
        runtime.spawn(async move {
            // The SDKs' client policy (rustls with ring, no redirects), one deadline of
            // WEBHOOK_TIMEOUT, and straight to the receiver: no proxy from the environment.
            let config = ClientConfig::default().with_timeout(WEBHOOK_TIMEOUT);
            let client = http_client_builder(&config).no_proxy().build();
            while let Some(mut events) = queued.recv().await {
                // In batch mode, what else waited joins the first batch, up to its size.
                while let Some(size) = worker.batch {
                    if events.len() >= size {
                        break;
                    }
                    match queued.try_recv() {
                        Ok(more) => events.extend(more),
                        Err(_) => break,
                    }
                }
                for request in worker.requests(events) {
                    let delivery = match &client {
                        Ok(client) => worker.deliver(client, request).await,
                        Err(error) => worker.delivery(request, None, Some(error.to_string())),
                    };
                    record(&worker.deliveries, delivery);
                }
            }
        });
        queue
    }

    async fn deliver(&self, client: &reqwest::Client, request: Request) -> WebhookDelivery {
        let mut post = client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(request.body.clone());
        for (name, value) in &request.headers {
            post = post.header(*name, value);
        }
        match post.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                self.delivery(request, Some(status), None)
            }
            Err(error) => {
                let reason = if error.is_timeout() {
                    format!("no answer within {} ms", WEBHOOK_TIMEOUT.as_millis())
                } else {
                    error.to_string()
                };
                self.delivery(request, None, Some(reason))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(event: &str, order_id: Option<&str>) -> Outgoing {
        Outgoing {
            event: event.to_owned(),
            order_id: order_id.map(str::to_owned),
            body: format!("{{\"e\":\"{event}\"}}").into_bytes(),
            headers: vec![("authorization", "Basic c2VjcmV0".to_owned())],
        }
    }

    #[test]
    fn batches_are_json_arrays_of_at_most_the_batch_size() {
        let sender = WebhookSender::batching("logitrail", "http://127.0.0.1:9".to_owned(), 2);
        let events = vec![
            outgoing("a", None),
            outgoing("b", Some("o-1")),
            outgoing("c", Some("o-2")),
        ];
        let requests = sender.requests(events);
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].body, br#"[{"e":"a"},{"e":"b"}]"#);
        assert_eq!(requests[0].events, ["a", "b"]);
        assert_eq!(requests[0].order_id.as_deref(), Some("o-1"));
        assert_eq!(requests[1].body, br#"[{"e":"c"}]"#);
        let single = WebhookSender::new("fuuffy", "http://127.0.0.1:9".to_owned());
        let requests = single.requests(vec![outgoing("a", None), outgoing("b", None)]);
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].body, br#"{"e":"b"}"#);
    }

    #[test]
    fn debug_never_shows_header_values() {
        let printed = format!("{:?}", outgoing("a", None));
        assert!(!printed.contains("c2VjcmV0"), "{printed}");
        assert!(printed.contains("authorization"), "{printed}");
    }
}
