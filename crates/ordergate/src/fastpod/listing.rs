//! [`ListQuery`] → FastPOD's List Orders (`GET /v1/orders`, a Laravel paginator,
//! <https://fastpodapi.apidog.io/api-4681580>), walked lazily with the SDK's page stream.

use std::num::NonZeroU16;

use ordergate_fastpod::{Client, types};

use super::{FastpodErrors, PROVIDER, STATUSES, order_from};
use crate::list::{StatusFilter, orders_of, page_size, provider_pages, status_filter};
use crate::{ListQuery, OrderStream};

/// Orders a page at most (the List Orders page's own example asks for 25; FastPOD documents
/// no maximum).
pub const PAGE_SIZE: u16 = 25;

/// The orders `query` selects, page by page as the stream is polled (see
/// [`FastpodAdapter::list_orders`](super::FastpodAdapter)): a status that exactly one FastPOD
/// status maps to is sent as `status`; `unknown` is filtered locally; one no FastPOD status
/// maps to (`delivered`, `completed`, `pending_confirmation`) sends nothing.
pub(super) fn orders<'a>(client: &'a Client, query: &ListQuery) -> OrderStream<'a> {
    let mut request = client.list_orders();
    match query.status.map(|status| status_filter(STATUSES, status)) {
        Some(StatusFilter::Nothing) => return Box::pin(futures_util::stream::empty()),
        Some(StatusFilter::Provider(raw)) => {
            request = request.status(types::OrderStatus::from(raw));
        }
        Some(StatusFilter::Local) | None => {}
    }
    if let Some(since) = query.since {
        request = request.start_date(since.to_string());
    }
    if let Some(until) = query.until {
        request = request.end_date(until.to_string());
    }
    let size = u16::try_from(page_size(query.limit, u64::from(PAGE_SIZE)))
        .ok()
        .and_then(NonZeroU16::new)
        .unwrap_or(NonZeroU16::MIN);
    let pages = provider_pages::<FastpodErrors, _, _, _>(PROVIDER, request.pages(size), |page| {
        page.into_inner()
            .data
            .into_iter()
            .map(|order| order_from(&order).with_response(order))
            .collect()
    });
    orders_of(query, pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OrderStatus;

    #[test]
    fn a_status_with_one_fastpod_status_is_sent_and_others_are_not() {
        let filter = |status| status_filter(STATUSES, status);
        assert_eq!(filter(OrderStatus::Confirmed), StatusFilter::Provider("new_order"));
        assert_eq!(filter(OrderStatus::Shipped), StatusFilter::Provider("shipped"));
        assert_eq!(filter(OrderStatus::Unknown), StatusFilter::Local);
        assert_eq!(filter(OrderStatus::Delivered), StatusFilter::Nothing);
    }
}
