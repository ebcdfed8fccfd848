//! Lazy paging of List Orders (`GET /v1/order/list`), over the runtime's page stream.

use std::num::{NonZeroU8, NonZeroU32};

use futures_util::Stream;
use ordergate_runtime::{PageInfo, PageRequest, Pagination};

use crate::{Error, ResponseValue, builder, operations, types};

/// Fuuffy's list answer shows no paging metadata: the page count is its items, and a page
/// with fewer orders than the page size is the last
/// (<https://api-docs.fuuffy.com/api/orders/list>).
impl PageInfo for types::OrderListResponse {
    fn item_count(&self) -> usize {
        self.data.order_list().len()
    }
}

/// How List Orders pages, as its spec states (`x-ordergate-pagination`); a spec without it
/// fails the build here, not at run time.
const PAGINATION: Pagination = operations::LIST_ORDERS.paging();

impl<'a> builder::ListOrders<'a> {
    /// Every page of this list, fetched lazily, `page_size` orders a page (Fuuffy accepts 1
    /// to 100): the filters and sort set on this builder apply to every page, and its `page`
    /// and `limit` are replaced.
    ///
    /// A page is requested only when the stream is polled for it (none is fetched ahead);
    /// dropping the stream stops the requests. The stream ends after the first page shorter
    /// than `page_size`, or after yielding the first error (pages already yielded stay
    /// valid). Each page is its own call, with its own deadline
    /// ([`ClientConfig::timeout`](crate::ClientConfig::timeout)) and retries.
    ///
    /// ```no_run
    /// # async fn run(client: &ordergate_fuuffy::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::num::NonZeroU8;
    /// use futures_util::StreamExt as _;
    ///
    /// let pages = client.list_orders().sort_dir("DESC").pages(NonZeroU8::new(50).ok_or("size")?);
    /// futures_util::pin_mut!(pages);
    /// while let Some(page) = pages.next().await {
    ///     for order in page?.data.order_list() {
    ///         println!("{} {:?}", order.order_id, order.order_status);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(
        self,
        page_size: NonZeroU8,
    ) -> impl Stream<
        Item = Result<ResponseValue<types::OrderListResponse>, Error<types::ErrorResponse>>,
    > + 'a {
        ordergate_runtime::pages(PAGINATION, u64::from(page_size.get()), move |request| {
            let number = match request {
                PageRequest::Number { number, .. } => number,
                _ => 1,
            };
            // At most `MAX_PAGES` pages are fetched, far below `u32::MAX`.
            let page = u32::try_from(number)
                .ok()
                .and_then(NonZeroU32::new)
                .unwrap_or(NonZeroU32::MAX);
            self.clone().page(page).limit(page_size).send()
        })
    }
}
