//! 1mg's order-update webhook ("Merchant Order Updates" guide,
//! <https://onedoc.1mg.com/public_docs/>) → [`OrderEvent`]s: one per order of
//! `grouped_orders`, after the shared token was checked.

use ordergate_onemg::types::{GroupedOrder, OrderUpdate};
use ordergate_runtime::inbound::{HeaderToken, VerifySource as _};
use serde::Deserialize as _;
use serde_json::Value;

use super::PROVIDER;
use super::statuses::normalize_status;
use crate::webhook::{content_id, inbound_refused, not_configured, undecodable};
use crate::{Error, OrderEvent, OrderStatus};

/// The [`OrderEvent::event_type`] of every 1mg order update: 1mg names no event types; each
/// update reports an order's new status (`order_status.status_id`).
pub const ORDER_STATUS_UPDATED: &str = "order.status_updated";

/// Verifies the token (before anything of the body is read), then reads the update.
pub(super) fn order_events(
    auth: Option<&HeaderToken>,
    setting: &str,
    headers: &http::HeaderMap,
    raw_body: &[u8],
) -> Result<Vec<OrderEvent>, Error> {
    let auth = auth.ok_or_else(|| not_configured(PROVIDER, setting))?;
    let verified = auth
        .verify(headers, raw_body)
        .map_err(|e| inbound_refused(PROVIDER, &e))?;
    // Read once as JSON, so that each event keeps its order exactly as 1mg sent it (nulls and
    // unknown members included), then as the typed update.
    let value: Value = verified
        .parse()
        .map_err(|e| undecodable(PROVIDER, &e).with_source(e))?;
    let update =
        OrderUpdate::deserialize(&value).map_err(|e| undecodable(PROVIDER, &e).with_source(e))?;
    let raw_orders = value.get("grouped_orders").and_then(Value::as_array);
    Ok(update
        .grouped_orders
        .into_iter()
        .enumerate()
        .map(|(index, order)| {
            let raw = raw_orders
                .and_then(|orders| orders.get(index))
                .cloned()
                .unwrap_or_default();
            order_event(content_id(raw_body, index), &order).with_raw(raw)
        })
        .collect())
}

/// One order of an update: its id, its status code (kept as `provider_status`) normalized,
/// and `updated` (seconds since the Unix epoch, as 1mg sends it) as `occurred_at`, in RFC 3339
/// (UTC).
fn order_event(event_id: String, order: &GroupedOrder) -> OrderEvent {
    let code = order
        .order_status
        .as_ref()
        .and_then(|status| status.status_id.clone());
    let status = code.as_ref().map_or(OrderStatus::Unknown, normalize_status);
    let mut event = OrderEvent::new(PROVIDER, event_id, ORDER_STATUS_UPDATED, status);
    event.order_id = Some(order.order_id.clone());
    event.provider_status = code.map(|code| code.to_string());
    event.occurred_at = order.updated.and_then(crate::timestamp::rfc3339_utc);
    event
}
