//! The courier flow the shared sandbox clock drives, and tracking (Get Tracking Info page,
//! <https://api-docs.fuuffy.com/api/tracking/get>).
//!
//! Each step of the clock ([`ADVANCE_STEP`](crate::ADVANCE_STEP)) moves every order of the
//! flow `READY_TO_SHIP` → `PENDING_PICKUP` → `PICKUP_COMPLETED` → `IN_TRANSIT` → `DELIVERED`
//! one status on and adds a tracking message dated on the clock, in Hong Kong time.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, FixedOffset, Offset as _, Utc};
use ordergate_fuuffy::types;

use super::{
    Fake, FuuffyOrder, bad_request_reply, order_not_found, query_pairs, query_value, rates,
};
use crate::clock;
use crate::http::{lock, reply};

/// Hong Kong time, the offset Fuuffy's timestamps carry (`+08:00`).
pub(super) fn hong_kong() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// A step of the courier flow: the next status, and the tracking message and webhook event
/// that go with it.
struct Step {
    to: types::OrderStatus,
    code: &'static str,
    message: &'static str,
    event: Option<types::WebhookEventName>,
}

fn next(status: &types::OrderStatus) -> Option<Step> {
    use types::OrderStatus as S;
    use types::WebhookEventName as E;
    let (to, code, message, event) = match status {
        S::ReadyToShip => (S::PendingPickup, "10", "Awaiting courier pickup", None),
        S::PendingPickup => (
            S::PickupCompleted,
            "50",
            "Picked up by the courier",
            Some(E::OrderPickedUp),
        ),
        S::PickupCompleted => (
            S::InTransit,
            "30",
            "In transit to the destination",
            Some(E::OrderInTransit),
        ),
        S::InTransit => (S::Delivered, "80", "Delivered", Some(E::OrderDelivered)),
        _ => return None,
    };
    Some(Step {
        to,
        code,
        message,
        event,
    })
}

/// The status as display text, as Get Tracking Info shows it (free text, here in English).
fn display(status: &types::OrderStatus) -> String {
    use types::OrderStatus as S;
    match status {
        S::PendingConfirm => "Pending confirmation".to_owned(),
        S::ReadyToShip => "Ready to ship".to_owned(),
        S::PendingPickup => "Awaiting pickup".to_owned(),
        S::PickupCompleted => "Picked up".to_owned(),
        S::InTransit => "In transit".to_owned(),
        S::Delivered => "Delivered".to_owned(),
        other => other.as_str().to_owned(),
    }
}

/// `YYYY-MM-DD HH:MM:SS`, as tracking messages date themselves.
fn tracking_date(time: &DateTime<FixedOffset>) -> String {
    time.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Moves the flow `steps` steps on from `from` (the shared clock has moved already): each
/// step moves every order of the flow one status on, with a tracking message dated at the
/// step. Once a step moves nothing, later ones would not either, so a large advance costs
/// at most one pass over the orders per status of the flow. Each (order id, new status) in
/// the order the moves happened; webhooks go out for the moves that have an event.
pub(super) fn advance(fake: &Fake, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
    let mut moved = Vec::new();
    let mut events = Vec::new();
    {
        let mut orders = lock(&fake.orders);
        for step_number in 1..=steps {
            // The clock accepted the whole advance: every step's time is within its limit.
            let Some(now) = clock::after_steps(from, step_number) else {
                break;
            };
            let now = now.with_timezone(&hong_kong());
            let moves = orders.update_all(|_, stored| {
                let step = next(&stored.order.status)?;
                let location = if step.to == types::OrderStatus::Delivered {
                    stored.destination.name.clone()
                } else {
                    stored.export.name.clone()
                };
                stored.order.status = step.to.clone();
                stored.tracking.push(types::TrackingMessage {
                    code: Some(step.code.to_owned()),
                    location: Some(location),
                    date: Some(tracking_date(&now)),
                    message: Some(step.message.to_owned()),
                });
                let event = step.event.map(|event| (event, stored.clone(), now));
                Some((step.to, event))
            });
            if moves.is_empty() {
                break;
            }
            for (id, (status, event)) in moves {
                moved.push((id, status.as_str().to_owned()));
                events.extend(event);
            }
        }
    }
    if let Some(webhooks) = &fake.extra.webhooks {
        for (event, order, time) in events {
            webhooks.event_at(event, &order, time);
        }
    }
    moved
}

fn tracking(stored: &FuuffyOrder) -> types::TrackingResponse {
    let order = &stored.order;
    let courier = order
        .shipping_provider
        .as_deref()
        .and_then(rates::courier_name)
        .map(str::to_owned);
    types::TrackingResponse {
        data: types::Tracking {
            tracking_number: order.tracking_number.clone(),
            order_id: Some(order.order_id.clone()),
            order_status: Some(display(&order.status)),
            export_country: Some(stored.export.name.to_uppercase()),
            destination_country: Some(stored.destination.name.clone()),
            shipping_provider: courier.clone(),
            courier_name: courier,
            tracking_msg_list: Some(stored.tracking.clone()),
            message: Some("OK".to_owned()),
        },
    }
}

/// `GET /v1/tracking/get/{order_id}`.
pub(super) async fn get_tracking(
    State(fake): State<Arc<Fake>>,
    Path(order_id): Path<String>,
) -> Response {
    if types::GetTrackingOrderId::try_from(order_id.as_str()).is_err() {
        return bad_request_reply(
            "order_id",
            "order_id is required and must be a valid numeric string",
        );
    }
    let found = lock(&fake.orders).get(&order_id).map(tracking);
    match found {
        Some(body) => reply(StatusCode::OK, &body),
        None => order_not_found(),
    }
}

/// `GET /v1/tracking/get?tracking_number=...`.
pub(super) async fn get_tracking_by_number(State(fake): State<Arc<Fake>>, uri: Uri) -> Response {
    let pairs = query_pairs(&uri);
    let Some(number) = query_value(&pairs, "tracking_number").filter(|n| !n.trim().is_empty())
    else {
        return bad_request_reply("tracking_number", "tracking_number is required");
    };
    let found = lock(&fake.orders)
        .by_id()
        .find(|(_, stored)| stored.order.tracking_number.as_deref() == Some(number))
        .map(|(_, stored)| tracking(stored));
    match found {
        Some(body) => reply(StatusCode::OK, &body),
        None => order_not_found(),
    }
}
