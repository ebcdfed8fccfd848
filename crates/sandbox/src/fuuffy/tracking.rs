//! The sandbox clock, the courier flow it drives, and tracking (Get Tracking Info page,
//! <https://api-docs.fuuffy.com/api/tracking/get>).
//!
//! The clock is the wall clock in Hong Kong time (UTC+08:00) plus [`ADVANCE_STEP`] per step
//! advanced. Each step moves every order of the flow `READY_TO_SHIP` → `PENDING_PICKUP` →
//! `PICKUP_COMPLETED` → `IN_TRANSIT` → `DELIVERED` one status on and adds a tracking message
//! dated on the clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, FixedOffset, Utc};
use ordergate_fuuffy::types;
use serde::{Deserialize, Serialize};

use super::tokens::unauthorized;
use super::{
    Fake, FuuffyOrder, bad_request_reply, order_not_found, query_pairs, query_value, rates,
};
use crate::http::{is_blank, lock, reply, reply_value};

const GET_TRACKING: &str = "get_tracking";
const GET_TRACKING_BY_NUMBER: &str = "get_tracking_by_number";

/// How far one advance step moves the sandbox clock: six hours.
pub const ADVANCE_STEP: Duration = Duration::from_secs(6 * 3600);

/// The most steps one advance takes.
const MAX_STEPS: u32 = 100;

/// Hong Kong time, the offset Fuuffy's timestamps carry (`+08:00`).
fn hong_kong() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

use chrono::Offset as _;

/// The sandbox clock: the wall clock plus the steps advanced.
#[derive(Debug, Default)]
pub(super) struct Clock {
    advanced_seconds: AtomicI64,
}

impl Clock {
    /// Now on the sandbox clock, in Hong Kong time.
    pub(super) fn now(&self) -> DateTime<FixedOffset> {
        let advanced = chrono::Duration::seconds(self.advanced_seconds.load(Ordering::Relaxed));
        (Utc::now() + advanced).with_timezone(&hong_kong())
    }

    fn step(&self) {
        let step = i64::try_from(ADVANCE_STEP.as_secs()).unwrap_or(0);
        self.advanced_seconds.fetch_add(step, Ordering::Relaxed);
    }
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

/// Moves the clock and the flow `steps` steps on; each (order id, new status) in the order
/// the moves happened. Webhooks go out for the moves that have an event.
pub(super) fn advance(fake: &Fake, steps: u32) -> Vec<(String, types::OrderStatus)> {
    let mut moved = Vec::new();
    let mut events = Vec::new();
    {
        let mut orders = lock(&fake.orders);
        for _ in 0..steps.min(MAX_STEPS) {
            fake.extra.clock.step();
            let now = fake.extra.clock.now();
            for (id, stored) in orders.iter_mut() {
                let Some(step) = next(&stored.order.status) else {
                    continue;
                };
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
                moved.push((id.clone(), step.to));
                if let Some(event) = step.event {
                    events.push((event, stored.clone(), now));
                }
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

/// The optional body of `POST /fuuffy/_sandbox/advance`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceRequest {
    #[serde(default = "one")]
    steps: u32,
}

fn one() -> u32 {
    1
}

/// What `POST /fuuffy/_sandbox/advance` answers (not part of Fuuffy's API).
#[derive(Debug, Serialize)]
struct AdvanceResponse {
    /// The sandbox clock after the advance, `YYYY-MM-DD HH:MM:SS` Hong Kong time.
    clock: String,
    steps: u32,
    moved: Vec<Moved>,
}

#[derive(Debug, Serialize)]
struct Moved {
    order_id: String,
    order_status: String,
}

/// `POST /fuuffy/_sandbox/advance` with an optional `{"steps": n}` (default 1, at most 100):
/// the sandbox's own route, no token needed.
pub(super) async fn advance_route(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let steps = if is_blank(&body) {
        1
    } else {
        match serde_json::from_slice::<AdvanceRequest>(&body) {
            Ok(request) if (1..=MAX_STEPS).contains(&request.steps) => request.steps,
            _ => {
                let body =
                    super::bad_request("steps", "steps must be a whole number from 1 to 100");
                return reply(None, StatusCode::BAD_REQUEST, &body);
            }
        }
    };
    let moved = advance(&fake, steps)
        .into_iter()
        .map(|(order_id, status)| Moved {
            order_id,
            order_status: status.as_str().to_owned(),
        })
        .collect();
    let body = AdvanceResponse {
        clock: tracking_date(&fake.extra.clock.now()),
        steps,
        moved,
    };
    reply_value(
        None,
        StatusCode::OK,
        serde_json::to_value(body).unwrap_or_default(),
    )
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
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Response {
    if let Some(refused) = unauthorized(&fake, &headers, GET_TRACKING) {
        return refused;
    }
    if types::GetTrackingOrderId::try_from(order_id.as_str()).is_err() {
        return bad_request_reply(
            GET_TRACKING,
            "order_id",
            "order_id is required and must be a valid numeric string",
        );
    }
    let found = lock(&fake.orders).get(&order_id).map(tracking);
    match found {
        Some(body) => reply(Some(GET_TRACKING), StatusCode::OK, &body),
        None => order_not_found(GET_TRACKING),
    }
}

/// `GET /v1/tracking/get?tracking_number=...`.
pub(super) async fn get_tracking_by_number(
    State(fake): State<Arc<Fake>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Some(refused) = unauthorized(&fake, &headers, GET_TRACKING_BY_NUMBER) {
        return refused;
    }
    let pairs = query_pairs(&uri);
    let Some(number) = query_value(&pairs, "tracking_number").filter(|n| !n.trim().is_empty())
    else {
        return bad_request_reply(
            GET_TRACKING_BY_NUMBER,
            "tracking_number",
            "tracking_number is required",
        );
    };
    let found = lock(&fake.orders)
        .iter()
        .find(|(_, stored)| stored.order.tracking_number.as_deref() == Some(number))
        .map(|(_, stored)| tracking(stored));
    match found {
        Some(body) => reply(Some(GET_TRACKING_BY_NUMBER), StatusCode::OK, &body),
        None => order_not_found(GET_TRACKING_BY_NUMBER),
    }
}
