//! [`ListQuery`] → FastPOD's List Orders (`GET /v1/orders`, a Laravel paginator,
//! <https://fastpodapi.apidog.io/api-4681580>), walked lazily with the SDK's page stream.

use std::num::NonZeroU16;

use futures_util::StreamExt as _;
use ordergate_fastpod::{Client, types};

use super::{FastpodErrors, PROVIDER, STATUSES, order_from};
use crate::error::Call;
use crate::list::orders_of;
use crate::{Error, ListQuery, Operation, Order, OrderStatus, OrderStream};

/// Orders a page when the query has no limit (the List Orders page's own example asks for
/// 25; FastPOD documents no maximum).
pub const PAGE_SIZE: u16 = 25;

/// How the status filter of a query is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StatusFilter {
    /// No status asked for, or one that only an undocumented FastPOD status can have
    /// (`unknown`): every page is read, and the orders are checked locally.
    Local,
    /// The one FastPOD status that maps to the status asked for: sent as `status`.
    Query(&'static str),
    /// No FastPOD status maps to the status asked for (`delivered`, `completed`,
    /// `pending_confirmation`): no order can have it, so nothing is sent.
    NoneCanMatch,
}

/// How `status` is filtered: in the query when exactly one row of [`STATUSES`] maps to it.
fn status_filter(status: Option<OrderStatus>) -> StatusFilter {
    let Some(status) = status else {
        return StatusFilter::Local;
    };
    let mut rows = STATUSES.iter().filter(|(_, normalized)| *normalized == status);
    match (rows.next(), rows.next()) {
        (Some((raw, _)), None) => StatusFilter::Query(raw),
        (None, _) if status != OrderStatus::Unknown => StatusFilter::NoneCanMatch,
        _ => StatusFilter::Local,
    }
}

/// Orders a page: [`PAGE_SIZE`], or fewer when the limit needs fewer.
fn page_size(limit: Option<u64>) -> NonZeroU16 {
    let wanted = limit.map_or(PAGE_SIZE, |limit| {
        u16::try_from(limit).unwrap_or(u16::MAX).min(PAGE_SIZE)
    });
    NonZeroU16::new(wanted).unwrap_or(NonZeroU16::MIN)
}

/// The orders `query` selects, page by page as the stream is polled (see
/// [`FastpodAdapter::list_orders`](super::FastpodAdapter)).
pub(super) fn orders<'a>(client: &'a Client, query: &ListQuery) -> OrderStream<'a> {
    let mut request = client.list_orders();
    match status_filter(query.status) {
        StatusFilter::Local => {}
        StatusFilter::Query(raw) => request = request.status(types::OrderStatus::from(raw)),
        StatusFilter::NoneCanMatch => return Box::pin(futures_util::stream::empty()),
    }
    if let Some(since) = query.since {
        request = request.start_date(since.to_string());
    }
    if let Some(until) = query.until {
        request = request.end_date(until.to_string());
    }
    let pages = Box::pin(request.pages(page_size(query.limit)));
    let call = Call::new(PROVIDER, Operation::ListOrders);
    let orders = futures_util::stream::unfold(pages, move |mut pages| async move {
        // Each page is one call: what the runtime records of it classifies its error.
        let (page, record) = ordergate_runtime::observe_call(pages.next()).await;
        let orders: Result<Vec<Order>, Error> = match page? {
            Ok(page) => Ok(page
                .into_inner()
                .data
                .into_iter()
                .map(|order| order_from(&order).with_response(order))
                .collect()),
            Err(error) => Err(call.classify::<FastpodErrors>(error, record).await),
        };
        Some((orders, pages))
    });
    orders_of(query, orders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_with_one_fastpod_status_is_sent_and_others_are_not() {
        assert_eq!(status_filter(None), StatusFilter::Local);
        assert_eq!(
            status_filter(Some(OrderStatus::Confirmed)),
            StatusFilter::Query("new_order")
        );
        assert_eq!(
            status_filter(Some(OrderStatus::Shipped)),
            StatusFilter::Query("shipped")
        );
        assert_eq!(
            status_filter(Some(OrderStatus::Unknown)),
            StatusFilter::Local
        );
        assert_eq!(
            status_filter(Some(OrderStatus::Delivered)),
            StatusFilter::NoneCanMatch
        );
    }

    #[test]
    fn pages_are_no_larger_than_the_limit_needs() {
        assert_eq!(page_size(None).get(), PAGE_SIZE);
        assert_eq!(page_size(Some(3)).get(), 3);
        assert_eq!(page_size(Some(0)).get(), 1);
        assert_eq!(page_size(Some(u64::MAX)).get(), PAGE_SIZE);
    }
}
