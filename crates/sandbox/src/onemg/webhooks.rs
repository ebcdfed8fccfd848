//! 1mg's order-update webhook ("Merchant Order Updates" guide,
//! <https://onedoc.1mg.com/public_docs/>): each time an order takes a status, an HTTP POST of
//! an `OrderUpdate`, `{"grouped_orders": [order]}` (one order per request, its
//! `order_status` `{status_id, title, subtitle}`), with the header token configured in
//! [`OnemgOptions::webhook`](super::OnemgOptions::webhook), through the sandbox's shared
//! sender.

use ordergate_onemg::types;

use super::Extra;
use super::options::MerchantEndpoint;
use super::orders::OnemgOrder;
use crate::WebhookDelivery;
use crate::store::Status as _;
use crate::webhook::{Outgoing, WebhookSender};

/// The 1mg fake's webhooks: the sender and the header that carries the token.
#[derive(Debug)]
pub(crate) struct Webhooks {
    sender: WebhookSender,
    header: &'static str,
    token: String,
}

impl Webhooks {
    pub(super) fn new(target: &MerchantEndpoint) -> Self {
        Self {
            sender: WebhookSender::new("onemg", target.url.clone()),
            header: target.header,
            token: target.token.clone(),
        }
    }

    pub(super) fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.sender.deliveries()
    }

    /// Sends one update per order of `orders`, in the background.
    fn send(&self, orders: Vec<(String, OnemgOrder)>) {
        let outgoing = orders
            .into_iter()
            .map(|(id, order)| {
                let body = types::OrderUpdate {
                    grouped_orders: vec![order.grouped(&id)],
                    extra: serde_json::Map::new(),
                };
                Outgoing {
                    // The status code, as the event: "15", "99", ...
                    event: order.status.as_str().to_owned(),
                    order_id: Some(id),
                    // A generated type with string keys only: serializing cannot fail.
                    body: serde_json::to_vec(&body).unwrap_or_default(),
                    headers: vec![(self.header, self.token.clone())],
                }
            })
            .collect();
        self.sender.send_all(outgoing);
    }
}

/// Sends the updates of `orders`, which just took their status, when the fake has webhooks
/// configured.
pub(super) fn notify(extra: &Extra, orders: Vec<(String, OnemgOrder)>) {
    if let Some(webhooks) = &extra.webhooks
        && !orders.is_empty()
    {
        webhooks.send(orders);
    }
}
