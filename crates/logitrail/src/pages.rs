//! Lazy paging of the two Logitrail lists paged by `offset` and `limit`: order returns
//! (`GET /orders/returns`) and inventory by last movement (`GET /products/inventory`), over the
//! runtime's page stream.

use std::num::NonZeroU16;

use futures_util::Stream;
use ordergate_runtime::{PageInfo, PageRequest, Pagination};

use crate::{Error, ResponseValue, builder, operations, types};

/// The returns page shows no total: a page shorter than `limit` is the last
/// (<https://logitrail-integration.readthedocs.io/en/latest/orders/returns.html>).
impl PageInfo for types::ReturnList {
    fn item_count(&self) -> usize {
        self.len()
    }
}

/// A list answer says how many products match in all (`total_count`); a single product's
/// document is one item, the whole answer
/// (<https://logitrail-integration.readthedocs.io/en/latest/product_inventory.html>).
impl PageInfo for types::InventoryAnswer {
    fn item_count(&self) -> usize {
        match self {
            Self::InventoryList(list) => list.products.len(),
            Self::ProductInventory(_) => 1,
        }
    }

    fn total_items(&self) -> Option<u64> {
        match self {
            Self::InventoryList(list) => Some(list.total_count),
            Self::ProductInventory(_) => Some(1),
        }
    }
}

/// How List Order Returns pages, as its spec states.
const RETURNS: Pagination = operations::LIST_RETURNS.paging();
/// How the inventory list pages, as its spec states.
const INVENTORY: Pagination = operations::GET_INVENTORY.paging();

/// The offset of `request` (every request of an offset stream is one).
fn offset(request: PageRequest) -> u64 {
    match request {
        PageRequest::Offset { offset, .. } => offset,
        _ => 0,
    }
}

impl<'a> builder::ListReturns<'a> {
    /// Every page of returns, fetched lazily, `page_size` returns a page: the filters set on
    /// this builder apply to every page, and its `offset` and `limit` are replaced.
    ///
    /// A page is requested only when the stream is polled for it (none is fetched ahead);
    /// dropping the stream stops the requests. The stream ends after the first page shorter
    /// than `page_size` (the answer has no total), or after yielding the first error (pages
    /// already yielded stay valid). Each page is its own call, with its own deadline
    /// ([`ClientConfig::timeout`](crate::ClientConfig::timeout)) and retries.
    ///
    /// ```no_run
    /// # async fn run(client: &ordergate_logitrail::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::num::NonZeroU16;
    /// use futures_util::StreamExt as _;
    ///
    /// let pages = client.list_returns().status("pending").pages(NonZeroU16::new(100).ok_or("size")?);
    /// futures_util::pin_mut!(pages);
    /// while let Some(page) = pages.next().await {
    ///     for item in page?.iter() {
    ///         println!("{} {:?} {:?}", item.id, item.type_, item.status);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(
        self,
        page_size: NonZeroU16,
    ) -> impl Stream<Item = Result<ResponseValue<types::ReturnList>, Error<types::ErrorResponse>>> + 'a
    {
        let size = u64::from(page_size.get());
        ordergate_runtime::pages(RETURNS, size, move |request| {
            self.clone().offset(offset(request)).limit(size).send()
        })
    }
}

impl<'a> builder::GetInventory<'a> {
    /// Every page of the inventory of the products moved at or after a time (set `after` on
    /// this builder), fetched lazily, `page_size` products a page (Logitrail allows at most
    /// 500: a larger size is refused before anything is sent). Its `offset` and `limit` are
    /// replaced.
    ///
    /// Lazy as [`ListReturns::pages`](builder::ListReturns::pages): none is fetched ahead,
    /// and the stream ends when `total_count` products were listed, after an empty page, or
    /// after the first error. A query for one product answers its document: a stream of one
    /// page.
    ///
    /// ```no_run
    /// # async fn run(client: &ordergate_logitrail::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::num::NonZeroU16;
    /// use futures_util::StreamExt as _;
    /// use ordergate_logitrail::types::InventoryAnswer;
    ///
    /// let pages = client
    ///     .get_inventory()
    ///     .after("2017-06-26T15:09:04+00:00")
    ///     .pages(NonZeroU16::new(500).ok_or("size")?);
    /// futures_util::pin_mut!(pages);
    /// while let Some(page) = pages.next().await {
    ///     if let InventoryAnswer::InventoryList(list) = page?.into_inner() {
    ///         for product in list.products {
    ///             println!("{} {:?}", product.merchants_id, product.inventory.available);
    ///         }
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(
        self,
        page_size: NonZeroU16,
    ) -> impl Stream<
        Item = Result<ResponseValue<types::InventoryAnswer>, Error<types::ErrorResponse>>,
    > + 'a {
        let size = u64::from(page_size.get());
        ordergate_runtime::pages(INVENTORY, size, move |request| {
            self.clone().offset(offset(request)).limit(size).send()
        })
    }
}
