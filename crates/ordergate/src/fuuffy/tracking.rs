//! Tracking a Fuuffy order: Get Tracking Info by order id (`GET /v1/tracking/get/{order_id}`,
//! <https://api-docs.fuuffy.com/api/tracking/get>).
//!
//! Fuuffy gives the order's tracking status as display text in the account's language
//! (`order_status`, the docs' example `列印及安排取件`), and each event of
//! `tracking_msg_list` with the courier's event `code`, `location`, `date`
//! (`YYYY-MM-DD HH:MM:SS`) and `message`. Both are read through tables of the values the page
//! documents ([`TRACKING_STATUSES`], [`EVENT_CODES`]); anything else is `unknown`, its raw
//! value kept.

use ordergate_fuuffy::types;

use super::{PROVIDER, STATUSES};
use crate::tables::normalize;
use crate::{OrderStatus, Tracking, TrackingEvent};

/// The tracking statuses Fuuffy documents (the display text of `order_status`,
/// <https://api-docs.fuuffy.com/api/tracking/get>) and their normalized status.
///
/// `列印及安排取件` ("printing and arranging pickup") is the label being printed and the
/// pickup booked: Fuuffy's `PROCESSING` ("generating/printing shipping label",
/// <https://api-docs.fuuffy.com/api/orders/get>), so `processing`.
pub const TRACKING_STATUSES: &[(&str, OrderStatus)] = &[("列印及安排取件", OrderStatus::Processing)];

/// The tracking event codes Fuuffy documents (`tracking_msg_list[].code`,
/// <https://api-docs.fuuffy.com/api/tracking/get>) and the normalized status after them.
///
/// `50` is the page's example, whose message is `顺丰速运 已收取快件` ("SF Express has
/// collected the parcel"): the courier has it, so `shipped`.
pub const EVENT_CODES: &[(&str, OrderStatus)] = &[("50", OrderStatus::Shipped)];

/// The [`Tracking`] of Fuuffy's answer for `order_id`.
///
/// Its status: the tracking status's row of [`TRACKING_STATUSES`]; otherwise, when Fuuffy
/// gives one of its order status codes there, as the code or in words (`READY_TO_SHIP`,
/// `Ready to ship`: [`status_code_of`]), that code's row of the order status table;
/// otherwise the status after the latest event whose code [`EVENT_CODES`] knows; otherwise
/// `unknown`. Events are oldest first: sorted by `date` when every event has one in
/// Fuuffy's `YYYY-MM-DD HH:MM:SS` form (the sort keeps the order of events at the same
/// second), and otherwise kept in Fuuffy's order.
pub(super) fn tracking(order_id: &str, response: types::TrackingResponse) -> Tracking {
    let data = &response.data;
    let mut events: Vec<TrackingEvent> = data
        .tracking_msg_list
        .iter()
        .flatten()
        .map(event_of)
        .collect();
    if events
        .iter()
        .all(|event| event.at.as_deref().is_some_and(is_fuuffy_time))
    {
        // Fixed-width `YYYY-MM-DD HH:MM:SS` sorts as text; the sort is stable.
        events.sort_by(|a, b| a.at.cmp(&b.at));
    }
    let known = |status: OrderStatus| (status != OrderStatus::Unknown).then_some(status);
    let status = data
        .order_status
        .as_deref()
        .and_then(|text| {
            known(normalize(TRACKING_STATUSES, text))
                .or_else(|| known(normalize(STATUSES, &status_code_of(text))))
        })
        .or_else(|| events.iter().rev().find_map(|event| known(event.status)))
        .unwrap_or(OrderStatus::Unknown);
    let mut tracking = Tracking::new(
        PROVIDER,
        data.order_id.as_deref().unwrap_or(order_id),
        status,
    );
    tracking.tracking_number = data.tracking_number.clone();
    tracking.provider_status = data.order_status.clone();
    tracking.events = events;
    tracking.with_response(response)
}

/// A tracking status in words as the order status code it spells, when it spells one
/// (`Ready to ship` → `READY_TO_SHIP`); the order status table decides whether it does.
fn status_code_of(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_uppercase() })
        .collect()
}

fn event_of(message: &types::TrackingMessage) -> TrackingEvent {
    let status = message
        .code
        .as_deref()
        .map_or(OrderStatus::Unknown, |code| normalize(EVENT_CODES, code));
    let mut event = TrackingEvent::new(status);
    event.at = message.date.clone();
    event.provider_status = message.code.clone();
    event.location = message.location.clone();
    event.message = message.message.clone();
    event
}

/// Whether `text` is a time as Fuuffy writes it: `YYYY-MM-DD HH:MM:SS`.
fn is_fuuffy_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            10 => *byte == b' ',
            13 | 16 => *byte == b':',
            _ => byte.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_documented_tracking_status_has_its_row() {
        let expected = [("列印及安排取件", OrderStatus::Processing)];
        assert_eq!(TRACKING_STATUSES, expected);
        for (raw, status) in expected {
            assert_eq!(normalize(TRACKING_STATUSES, raw), status, "{raw}");
        }
        assert_eq!(
            normalize(TRACKING_STATUSES, "派送中"),
            OrderStatus::Unknown
        );
    }

    #[test]
    fn each_documented_event_code_has_its_row() {
        let expected = [("50", OrderStatus::Shipped)];
        assert_eq!(EVENT_CODES, expected);
        for (raw, status) in expected {
            assert_eq!(normalize(EVENT_CODES, raw), status, "{raw}");
        }
        assert_eq!(normalize(EVENT_CODES, "80"), OrderStatus::Unknown);
    }

    #[test]
    fn an_order_status_in_words_is_its_code() {
        for (code, status) in STATUSES {
            let words = code.to_ascii_lowercase().replace('_', " ");
            assert_eq!(normalize(STATUSES, &status_code_of(&words)), *status, "{words}");
        }
        assert_eq!(status_code_of(" Ready to ship "), "READY_TO_SHIP");
        assert_eq!(normalize(STATUSES, &status_code_of("列印及安排取件")), OrderStatus::Unknown);
    }

    #[test]
    fn fuuffy_times_are_recognized_exactly() {
        assert!(is_fuuffy_time("2025-12-09 17:37:09"));
        for other in [
            "2025-12-09T17:37:09",
            "2025-12-09 17:37",
            "2025-12-09 17:37:09+08:00",
            "２０２５-12-09 17:37:09",
            "",
        ] {
            assert!(!is_fuuffy_time(other), "{other}");
        }
    }
}
