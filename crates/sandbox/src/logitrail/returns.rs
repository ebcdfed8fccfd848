//! Order returns (<https://logitrail-integration.readthedocs.io/en/latest/orders/returns.html>).
//!
//! Logitrail creates a return when a parcel comes back to its warehouse; nothing in the API
//! does. The sandbox creates one only through its control
//! `POST /logitrail/2015-01-01/_sandbox/orders/{id}/return`, optional body
//! `{"type": "customer_return" | "agent_return", "status": "<return status>"}` (defaults
//! `customer_return`, `pending`), for a `processed` order (else 400 `{"message"}`); it answers
//! the return. Returns stay as created: the sandbox clock does not move them.
//!
//! `GET /orders/returns` answers a JSON array of returns, oldest first: with `status`, those
//! in that status; without it, only active ones (not `processed`); `created_at_min` and
//! `created_at_max` (a date or a time, compared with `created` as text, so `2016-01-31` takes
//! the whole day); paged by `offset` and `limit` (default 250, at most
//! [`MAX_RETURNS_PAGE`]). Each return carries its order abridged to `{id, merchants_order,
//! status}`, as the spec's example does.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use ordergate_logitrail::types;
use serde::Deserialize;

use super::{Fake, IdKind, bad_request, timestamp};
use crate::controls::{object, refused};
use crate::http::{is_blank, lock, query_pairs, query_value, reply};
use crate::store::RecordKind;

/// The most returns one page holds: 250, the returns page's default `limit`.
pub const MAX_RETURNS_PAGE: u64 = 250;

/// Returns as a kind of record.
#[derive(Debug)]
pub(crate) struct ReturnRecords;

impl RecordKind for ReturnRecords {
    const KIND: &'static str = "return";
    type Record = types::OrderReturn;

    fn finished(record: &types::OrderReturn) -> bool {
        matches!(
            record.status,
            types::ReturnStatus::Processed | types::ReturnStatus::Deleted
        )
    }

    fn stored_bytes(record: &types::OrderReturn) -> usize {
        serde_json::to_vec(record).map_or(0, |json| json.len())
    }
}

/// The control's optional body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewReturn {
    #[serde(rename = "type")]
    kind: Option<types::ReturnType>,
    status: Option<types::ReturnStatus>,
}

/// `POST /logitrail/2015-01-01/_sandbox/orders/{id}/return`.
pub(super) async fn create_return_control(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let Ok(Path(id)) = id else {
        return refused("the path must name an order".to_owned());
    };
    let asked = if is_blank(&body) {
        NewReturn::default()
    } else {
        match object::<NewReturn>(&body) {
            Ok(asked) => asked,
            Err(message) => return refused(message),
        }
    };
    let kind = asked.kind.unwrap_or(types::ReturnType::CustomerReturn);
    let status = asked.status.unwrap_or(types::ReturnStatus::Pending);
    if kind.is_unknown() || status.is_unknown() {
        return refused("type or status is not one the returns page documents".to_owned());
    }
    let order = {
        let orders = lock(&fake.orders);
        match orders.get(&id) {
            Some(order) if order.info.status == types::OrderStatus::Processed => order.info.clone(),
            Some(order) => {
                return refused(format!(
                    "only a processed order can come back; order {id} is {}",
                    order.info.status
                ));
            }
            None => return refused(format!("there is no order {id}")),
        }
    };
    let abridged = serde_json::to_value(&order)
        .ok()
        .and_then(|value| value.as_object().cloned())
        .map(|mut members| {
            members.retain(|name, _| matches!(name.as_str(), "id" | "merchants_order" | "status"));
            members
        });
    let created = types::OrderReturn {
        created: Some(timestamp(fake.clock.now())),
        id: fake.extra.new_id(IdKind::Return),
        inbound_shipment: None,
        order: abridged,
        status,
        type_: kind,
    };
    let stored = lock(&fake.extra.warehouse)
        .returns
        .insert(created.id.clone(), created.clone());
    match stored {
        Ok(()) => reply(StatusCode::OK, &created),
        Err(_) => refused("the return does not fit the sandbox's store".to_owned()),
    }
}

/// `GET /orders/returns`.
pub(super) async fn list_returns(State(fake): State<Arc<Fake>>, uri: Uri) -> Response {
    let pairs = query_pairs(&uri);
    let number = |name: &str, default: u64| -> Result<u64, Response> {
        query_value(&pairs, name).map_or(Ok(default), |text| {
            text.trim()
                .parse::<u64>()
                .map_err(|_| bad_request(format!("{name} must be a whole number")))
        })
    };
    let (offset, limit) = match (number("offset", 0), number("limit", MAX_RETURNS_PAGE)) {
        (Ok(offset), Ok(limit)) => (offset, limit.min(MAX_RETURNS_PAGE)),
        (Err(refusal), _) | (_, Err(refusal)) => return refusal,
    };
    let status = query_value(&pairs, "status");
    let min = query_value(&pairs, "created_at_min");
    let max = query_value(&pairs, "created_at_max");
    let matches = |record: &types::OrderReturn| {
        let status_ok = match status {
            Some(status) => record.status.as_str() == status,
            None => !ReturnRecords::finished(record),
        };
        let created = record.created.as_deref().unwrap_or_default();
        let after_min = min.is_none_or(|min| created >= min);
        let before_max =
            max.is_none_or(|max| created.get(..max.len()).is_some_and(|prefix| prefix <= max));
        status_ok && after_min && before_max
    };
    let page: Vec<types::OrderReturn> = lock(&fake.extra.warehouse)
        .returns
        .in_creation_order()
        .map(|(_, record)| record)
        .filter(|record| matches(record))
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .cloned()
        .collect();
    reply(StatusCode::OK, &types::ReturnList(page))
}
