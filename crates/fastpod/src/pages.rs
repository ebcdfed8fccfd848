//! Lazy paging of List Orders (`GET /v1/orders`), a Laravel paginator
//! (<https://fastpodapi.apidog.io/api-4681580>), over the runtime's page stream: `page` in the
//! query, and `next_page_url` null on the last page.

use std::num::NonZeroU16;

use futures_util::Stream;
use ordergate_runtime::{PageInfo, PageRequest, Pagination};

use crate::{Error, ResponseValue, builder, operations, types};

/// A List Orders page says whether another follows (`next_page_url`), and how many orders and
/// pages there are in all (`total`, `last_page`).
impl PageInfo for types::OrderPage {
    fn item_count(&self) -> usize {
        self.data.len()
    }

    fn total_pages(&self) -> Option<u64> {
        self.last_page.and_then(|last| u64::try_from(last).ok())
    }

    fn total_items(&self) -> Option<u64> {
        self.total.and_then(|total| u64::try_from(total).ok())
    }

    /// `next_page_url`, unless the page's own numbers say it is the last (`current_page` at
    /// or past `last_page`): a paginator that contradicts itself is not followed further.
    fn has_next(&self) -> Option<bool> {
        let at_last = match (self.current_page, self.last_page) {
            (Some(current), Some(last)) => current >= last,
            _ => false,
        };
        Some(self.next_page_url.is_some() && !at_last)
    }
}

/// How List Orders pages, as its spec states.
const LIST_ORDERS: Pagination = operations::LIST_ORDERS.paging();

/// The page number of `request` (every request of a Laravel stream is one).
fn page_number(request: PageRequest) -> u64 {
    match request {
        PageRequest::Number { number, .. } => number,
        _ => 1,
    }
}

impl<'a> builder::ListOrders<'a> {
    /// Every page of orders, fetched lazily, `page_size` orders a page (`limit`): the filters
    /// set on this builder apply to every page, and its `page` and `limit` are replaced.
    ///
    /// A page is requested only when the stream is polled for it (none is fetched ahead);
    /// dropping the stream stops the requests. The stream ends after the page whose
    /// `next_page_url` is null (or whose `current_page` reaches `last_page`), after an empty
    /// page, or after yielding the first error (pages already yielded stay valid); it never
    /// fetches more than [`ordergate_runtime::MAX_PAGES`] pages. Each page is its own call,
    /// with its own deadline ([`ClientConfig::timeout`](crate::ClientConfig::timeout)) and
    /// retries.
    ///
    /// ```no_run
    /// # async fn run(client: &ordergate_fastpod::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::num::NonZeroU16;
    /// use futures_util::StreamExt as _;
    /// use ordergate_fastpod::types::OrderStatus;
    ///
    /// let pages = client
    ///     .list_orders()
    ///     .status(OrderStatus::Shipped)
    ///     .pages(NonZeroU16::new(50).ok_or("size")?);
    /// futures_util::pin_mut!(pages);
    /// while let Some(page) = pages.next().await {
    ///     for order in &page?.data {
    ///         println!("{} {}", order.id, order.order_status);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(
        self,
        page_size: NonZeroU16,
    ) -> impl Stream<Item = Result<ResponseValue<types::OrderPage>, Error<types::ErrorResponse>>> + 'a
    {
        let size = u64::from(page_size.get());
        ordergate_runtime::pages(LIST_ORDERS, size, move |request| {
            self.clone().page(page_number(request)).limit(size).send()
        })
    }
}
