//! Listing Fuuffy orders: List Orders (`GET /v1/order/list`,
//! <https://api-docs.fuuffy.com/api/orders/list>), page by page as the stream is polled.
//!
//! How each [`ListQuery`] filter is applied:
//!
//! - **status**: a normalized status that one Fuuffy status maps to goes to Fuuffy as
//!   `order_status` (`draft` ← `DRAFT`, `pending_confirmation` ← `PENDING_CONFIRM`,
//!   `processing` ← `PROCESSING`, `on_hold` ← `PENDING_PROCESSING`, `delivered` ←
//!   `DELIVERED`, `completed` ← `COMPLETED`, `cancelled` ← `CANCELLED`). One that several map
//!   to (`confirmed` ← `READY_TO_SHIP`, `PENDING_PICKUP`; `shipped` ← `PICKUP_COMPLETED`,
//!   `IN_TRANSIT`) and `unknown` are filtered locally, over every order. One that no Fuuffy
//!   status maps to (`rejected`) matches nothing: the stream is empty and nothing is sent.
//!   Which is which is read from the status table ([`STATUSES`]).
//! - **since** and **until** go to Fuuffy as `start_date` and `end_date` (`YYYY-MM-DD`), and
//!   are checked again on each order's `create_time`.
//! - **limit**: pages are as small as they can be for the fewest requests (`limit` orders
//!   over as few pages of at most 100 as hold them, evenly), and no page is requested once
//!   `limit` orders were yielded.

use std::num::NonZeroU8;

use ordergate_fuuffy::{Client, types};

use super::{FuuffyErrors, PROVIDER, STATUSES, normalize_status, price};
use crate::list::{StatusFilter, page_size, provider_pages, status_filter};
use crate::{ListQuery, Order, OrderStatus, OrderStream};

/// The largest page Fuuffy serves (`limit`, "max: 100").
const LARGEST_PAGE: u64 = 100;

/// The orders `query` selects, fetched lazily (see the module's documentation).
pub(super) fn orders<'a>(client: &'a Client, query: &ListQuery) -> OrderStream<'a> {
    let mut request = client.list_orders();
    match query.status.map(|status| status_filter(STATUSES, status)) {
        Some(StatusFilter::Nothing) => return Box::pin(futures_util::stream::empty()),
        Some(StatusFilter::Provider(status)) => {
            request = request.order_status(types::OrderStatusFilter::from(status));
        }
        Some(StatusFilter::Local) | None => {}
    }
    if let Some(since) = query.since {
        request = request.start_date(since.to_string());
    }
    if let Some(until) = query.until {
        request = request.end_date(until.to_string());
    }
    let size = u8::try_from(page_size(query.limit, LARGEST_PAGE))
        .ok()
        .and_then(NonZeroU8::new)
        .unwrap_or(NonZeroU8::MIN);
    let pages = provider_pages::<FuuffyErrors, _, _, _>(PROVIDER, request.pages(size), |page| {
        page.into_inner()
            .data
            .order_list
            .unwrap_or_default()
            .into_iter()
            .map(order_of)
            .collect()
    });
    crate::list::orders_of(query, pages)
}

/// One listed order.
fn order_of(summary: types::OrderSummary) -> Order {
    let status = summary
        .order_status
        .as_ref()
        .map_or(OrderStatus::Unknown, normalize_status);
    let mut order = Order::new(PROVIDER, summary.order_id.as_str(), status);
    order.provider_status = summary.order_status.as_ref().map(|s| s.as_str().to_owned());
    order.tracking_number = summary.tracking_number.clone();
    order.price = price(summary.quote_price.as_ref());
    order.created_at = summary.create_time.clone();
    order.with_response(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_one_fuuffy_status_maps_to_go_to_fuuffy_others_are_local() {
        let expected = [
            (OrderStatus::Draft, StatusFilter::Provider("DRAFT")),
            (
                OrderStatus::PendingConfirmation,
                StatusFilter::Provider("PENDING_CONFIRM"),
            ),
            (OrderStatus::Confirmed, StatusFilter::Local),
            (OrderStatus::Processing, StatusFilter::Provider("PROCESSING")),
            (
                OrderStatus::OnHold,
                StatusFilter::Provider("PENDING_PROCESSING"),
            ),
            (OrderStatus::Shipped, StatusFilter::Local),
            (OrderStatus::Delivered, StatusFilter::Provider("DELIVERED")),
            (OrderStatus::Completed, StatusFilter::Provider("COMPLETED")),
            (OrderStatus::Cancelled, StatusFilter::Provider("CANCELLED")),
            (OrderStatus::Rejected, StatusFilter::Nothing),
            (OrderStatus::Unknown, StatusFilter::Local),
        ];
        assert_eq!(expected.len(), OrderStatus::ALL.len());
        for (status, filter) in expected {
            assert_eq!(status_filter(STATUSES, status), filter, "{status}");
        }
    }
}
