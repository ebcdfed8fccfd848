//! Lazy page streams, driven by an operation's [`Pagination`].
//!
//! A provider crate offers a `pages()` stream for each list operation: [`pages`] turns "fetch
//! page *n*" into a `Stream` of pages that fetches a page only when the consumer asks for the
//! next one (it holds no page ahead), stops when the consumer drops it, and ends after the
//! last page or after the first error (pages already yielded stay valid). Each page is a call
//! of its own, with its own deadline ([`ClientConfig::timeout`](crate::ClientConfig::timeout)).

use std::future::Future;

use futures_util::Stream;

use crate::Pagination;

/// Which page to fetch: what the provider crate puts in the request's query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageRequest {
    /// Page `number` (1-based) of `size` items ([`Pagination::PageNumber`]); Laravel's
    /// paginator uses the number only ([`Pagination::Laravel`]).
    Number {
        /// The page number, from 1.
        number: u64,
        /// The page size.
        size: u64,
    },
    /// `count` items from `offset` (0-based) ([`Pagination::Offset`]).
    Offset {
        /// The first item's offset, from 0.
        offset: u64,
        /// The page size.
        count: u64,
    },
}

/// What the stream needs to know of a page to tell whether another follows. Implemented by a
/// provider crate for its list answer.
pub trait PageInfo {
    /// How many items this page holds.
    fn item_count(&self) -> usize;
    /// The number of pages in all, when the answer says ([`Pagination::PageNumber`]).
    fn total_pages(&self) -> Option<u64> {
        None
    }
    /// The number of items in all, when the answer says ([`Pagination::Offset`]).
    fn total_items(&self) -> Option<u64> {
        None
    }
    /// Whether another page follows, when the answer says so directly (Laravel's
    /// `next_page_url`).
    fn has_next(&self) -> Option<bool> {
        None
    }
}

/// A page as a generated call returns it (with its status and headers) is a page too.
impl<T: PageInfo> PageInfo for progenitor_client::ResponseValue<T> {
    fn item_count(&self) -> usize {
        self.as_ref().item_count()
    }
    fn total_pages(&self) -> Option<u64> {
        self.as_ref().total_pages()
    }
    fn total_items(&self) -> Option<u64> {
        self.as_ref().total_items()
    }
    fn has_next(&self) -> Option<bool> {
        self.as_ref().has_next()
    }
}

/// A lazy stream of the pages of a list operation that pages as `pagination` says, `size`
/// items a page, each fetched by `fetch` (which builds and sends the request for one page).
///
/// The stream ends after the last page: the page count or item count the answer gives, a
/// `has_next` of `false`, an empty page, or (when the answer says nothing) a page shorter
/// than `size`. It ends after yielding the first error. At most 100,000 pages are fetched,
/// so a provider that always answers "more" cannot make it endless.
pub fn pages<T, E, F, Fut>(
    pagination: Pagination,
    size: u64,
    fetch: F,
) -> impl Stream<Item = Result<T, E>>
where
    T: PageInfo,
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let size = size.max(1);
    let first = match pagination {
        Pagination::Offset { .. } => PageRequest::Offset {
            offset: 0,
            count: size,
        },
        _ => PageRequest::Number { number: 1, size },
    };
    futures_util::stream::unfold(
        (Some(first), fetch, 0u64),
        move |(next, mut fetch, fetched)| async move {
            let request = next?;
            if fetched >= MAX_PAGES {
                return None;
            }
            match fetch(request).await {
                Err(error) => Some((Err(error), (None, fetch, fetched + 1))),
                Ok(page) => {
                    let following = following(request, &page);
                    Some((Ok(page), (following, fetch, fetched + 1)))
                }
            }
        },
    )
}

/// The most pages one stream fetches.
pub const MAX_PAGES: u64 = 100_000;

/// The request for the page after `page` (fetched with `request`), or `None` after the last.
fn following(request: PageRequest, page: &impl PageInfo) -> Option<PageRequest> {
    let count = page.item_count() as u64;
    if count == 0 || page.has_next() == Some(false) {
        return None;
    }
    match request {
        PageRequest::Number { number, size } => {
            let last = match (page.has_next(), page.total_pages()) {
                (Some(true), _) => false,
                (_, Some(total)) => number >= total,
                _ => count < size,
            };
            (!last).then_some(PageRequest::Number {
                number: number + 1,
                size,
            })
        }
        PageRequest::Offset {
            offset,
            count: asked,
        } => {
            let next = offset.saturating_add(count);
            let last = match page.total_items() {
                Some(total) => next >= total,
                None => count < asked,
            };
            (!last).then_some(PageRequest::Offset {
                offset: next,
                count: asked,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::StreamExt as _;

    use super::*;

    #[derive(Debug)]
    struct Page {
        items: usize,
        total_pages: Option<u64>,
        total_items: Option<u64>,
        has_next: Option<bool>,
    }

    impl PageInfo for Page {
        fn item_count(&self) -> usize {
            self.items
        }
        fn total_pages(&self) -> Option<u64> {
            self.total_pages
        }
        fn total_items(&self) -> Option<u64> {
            self.total_items
        }
        fn has_next(&self) -> Option<bool> {
            self.has_next
        }
    }

    const NUMBERED: Pagination = Pagination::PageNumber {
        page: "page",
        limit: "limit",
        total_pages: None,
        items: "/data",
    };
    const OFFSET: Pagination = Pagination::Offset {
        offset: "offset",
        count: "count",
        total: Some("/total_count"),
        items: "/products",
    };

    /// A provider holding `total` items, answering as `shape` says.
    fn provider(
        total: u64,
        fetched: Arc<AtomicUsize>,
        shape: fn(u64, u64) -> Page,
    ) -> impl FnMut(PageRequest) -> std::future::Ready<Result<Page, String>> {
        move |request| {
            fetched.fetch_add(1, Ordering::SeqCst);
            let (start, size) = match request {
                PageRequest::Number { number, size } => ((number - 1) * size, size),
                PageRequest::Offset { offset, count } => (offset, count),
            };
            let items = total.saturating_sub(start).min(size);
            std::future::ready(Ok(shape(items, total)))
        }
    }

    #[tokio::test]
    async fn a_short_page_ends_a_stream_without_totals() {
        let fetched = Arc::new(AtomicUsize::new(0));
        let shape = |items, _| Page {
            items: items as usize,
            total_pages: None,
            total_items: None,
            has_next: None,
        };
        let stream = pages(NUMBERED, 10, provider(25, fetched.clone(), shape));
        let counts: Vec<usize> = stream.map(|page| page.expect("page").items).collect().await;
        assert_eq!(counts, [10, 10, 5]);
        assert_eq!(fetched.load(Ordering::SeqCst), 3);
        // An exact multiple needs one empty page to know it ended.
        let fetched = Arc::new(AtomicUsize::new(0));
        let stream = pages(NUMBERED, 10, provider(20, fetched.clone(), shape));
        assert_eq!(stream.count().await, 3);
    }

    #[tokio::test]
    async fn totals_end_the_stream_without_an_extra_request() {
        let fetched = Arc::new(AtomicUsize::new(0));
        let shape = |items, total: u64| Page {
            items: items as usize,
            total_pages: Some(total.div_ceil(10)),
            total_items: Some(total),
            has_next: None,
        };
        assert_eq!(
            pages(NUMBERED, 10, provider(20, fetched.clone(), shape))
                .count()
                .await,
            2
        );
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
        let fetched = Arc::new(AtomicUsize::new(0));
        assert_eq!(
            pages(OFFSET, 10, provider(20, fetched.clone(), shape))
                .count()
                .await,
            2
        );
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn nothing_is_fetched_ahead_and_stopping_stops_the_requests() {
        let fetched = Arc::new(AtomicUsize::new(0));
        let shape = |items, _| Page {
            items: items as usize,
            total_pages: None,
            total_items: None,
            has_next: Some(true),
        };
        let stream = pages(NUMBERED, 10, provider(1_000, fetched.clone(), shape));
        let mut stream = Box::pin(stream);
        assert_eq!(
            fetched.load(Ordering::SeqCst),
            0,
            "nothing before the first poll"
        );
        stream.next().await.expect("a page").expect("ok");
        stream.next().await.expect("a page").expect("ok");
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
        drop(stream);
        tokio::task::yield_now().await;
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_and_what_was_yielded_stays() {
        let mut calls = 0;
        let stream = pages(NUMBERED, 2, move |_| {
            calls += 1;
            std::future::ready(if calls == 2 {
                Err("HTTP 500".to_owned())
            } else {
                Ok(Page {
                    items: 2,
                    total_pages: None,
                    total_items: None,
                    has_next: None,
                })
            })
        });
        let items: Vec<Result<usize, String>> = stream.map(|p| p.map(|p| p.items)).collect().await;
        assert_eq!(items, [Ok(2), Err("HTTP 500".to_owned())]);
    }

    #[tokio::test]
    async fn a_provider_that_always_says_more_is_bounded() {
        let stream = pages(NUMBERED, 1, |_| {
            std::future::ready(Ok::<_, ()>(Page {
                items: 1,
                total_pages: None,
                total_items: None,
                has_next: Some(true),
            }))
        });
        // Counting 100,000 ready pages takes well under a second.
        assert_eq!(stream.count().await as u64, MAX_PAGES);
    }
}
