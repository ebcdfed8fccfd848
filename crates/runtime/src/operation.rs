//! What the spec says about each operation and each provider, as the generated code hands it
//! to the transport: one [`Operation`] constant per operation, and one [`Conventions`]
//! constant per provider. The runtime never guesses these from the HTTP method or from another
//! provider's habits.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// The static description of one operation, generated from its spec (`ordergate-codegen`
/// emits one constant per operation, e.g. `ordergate_fuuffy::operations::CONFIRM_ORDER`, and
/// a slice of them all, `operations::ALL`). The transport receives it on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId` (`confirm_order`), which is also the generated method's name.
    pub id: &'static str,
    /// The HTTP method, upper case (`POST`).
    pub method: &'static str,
    /// The path template as the spec writes it, relative to the base URL
    /// (`/orders/{id}/_confirm`).
    pub path: &'static str,
    /// Whether sending the request twice has the effect of sending it once. `GET` operations
    /// are; any other states it in the spec (`x-ordergate-idempotent`). Only an idempotent
    /// operation is retried after it may have reached the provider; a non-idempotent one (a
    /// confirm, which charges money) is sent again only when it provably never arrived (the
    /// connection could not be made) or the provider refused its token (HTTP 401 with a token
    /// source: one replay with a renewed token).
    pub idempotent: bool,
    /// How a list operation pages (`x-ordergate-pagination`); `None` for the others.
    pub pagination: Option<Pagination>,
    /// Whether the spec marks the operation's response as inferred (`x-ordergate-inferred`)
    /// rather than seen in the provider's documentation.
    pub inferred: bool,
    /// The request bounds the spec states that the generated types do not check themselves
    /// (integer `minimum`/`maximum`, array `minItems`/`maxItems`); checked before anything is
    /// sent ([`Operation::check_bounds`]).
    pub bounds: &'static [Bound],
    /// The provider's conventions (rate-limit headers, retryable statuses, rejected tokens).
    pub conventions: &'static Conventions,
}

impl Operation {
    /// The description of an operation with the provider's default conventions: not
    /// idempotent unless it is a `GET`, no pagination, documented, no bounds.
    pub const fn new(
        id: &'static str,
        method: &'static str,
        path: &'static str,
        conventions: &'static Conventions,
    ) -> Self {
        Self {
            id,
            method,
            path,
            idempotent: is_get(method),
            pagination: None,
            inferred: false,
            bounds: &[],
            conventions,
        }
    }

    /// Sets [`idempotent`](Self::idempotent).
    pub const fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Sets [`pagination`](Self::pagination).
    pub const fn paginated(mut self, pagination: Pagination) -> Self {
        self.pagination = Some(pagination);
        self
    }

    /// Marks the operation's response shape as inferred.
    pub const fn inferred(mut self) -> Self {
        self.inferred = true;
        self
    }

    /// Sets [`bounds`](Self::bounds).
    pub const fn bounded(mut self, bounds: &'static [Bound]) -> Self {
        self.bounds = bounds;
        self
    }

    /// How this operation pages, for a provider crate's page stream, in a `const`: a spec
    /// that states no `x-ordergate-pagination` for it fails the crate's build there, not a
    /// call at run time.
    ///
    /// # Panics
    /// In const evaluation only (a build error), when the operation is not paged.
    pub const fn paging(&self) -> Pagination {
        match self.pagination {
            Some(pagination) => pagination,
            None => panic!("this operation states no x-ordergate-pagination in its spec"),
        }
    }

    /// Whether the operation changes state at the provider: the opposite of
    /// [`idempotent`](Self::idempotent), so a caller deciding "may this have taken effect?"
    /// reads the same fact as the retry policy.
    pub const fn changes_state(&self) -> bool {
        !self.idempotent
    }

    /// Checks the request's bounds ([`bounds`](Self::bounds)) against its query string and JSON
    /// body. `Err` names the parameter or field, the bound and the value; nothing has been
    /// sent when it is returned.
    pub fn check_bounds(&self, request: &reqwest::Request) -> Result<(), String> {
        if self.bounds.is_empty() {
            return Ok(());
        }
        crate::bounds::check(self, request)
    }
}

const fn is_get(method: &str) -> bool {
    let bytes = method.as_bytes();
    bytes.len() == 3 && bytes[0] == b'G' && bytes[1] == b'E' && bytes[2] == b'T'
}

/// How a list operation pages, from its spec's `x-ordergate-pagination`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pagination {
    /// A page number and a page size in the query. The last page is the one whose number is
    /// the answer's page count, when the provider sends one, or else the first page with
    /// fewer items than the page size.
    PageNumber {
        /// The query parameter holding the page number (1-based).
        page: &'static str,
        /// The query parameter holding the page size.
        limit: &'static str,
        /// A JSON pointer to the number of pages in the answer (`/data/total_pages`); `None`
        /// when the provider sends none.
        total_pages: Option<&'static str>,
        /// A JSON pointer to the page's items in the answer (`/data/orders`).
        items: &'static str,
    },
    /// An offset and a count in the query; the answer says how many items there are in all.
    Offset {
        /// The query parameter holding the offset (0-based).
        offset: &'static str,
        /// The query parameter holding the page size.
        count: &'static str,
        /// A JSON pointer to the total number of items (`/total_count`); `None` when the
        /// provider sends none (then a page shorter than the page size is the last).
        total: Option<&'static str>,
        /// A JSON pointer to the page's items.
        items: &'static str,
    },
    /// A Laravel paginator: `page` in the query, and the answer's `next_page_url` (or
    /// `links.next`) is `null` on the last page.
    Laravel {
        /// The query parameter holding the page number (1-based).
        page: &'static str,
        /// A JSON pointer to the next page's URL, `null` on the last page.
        next: &'static str,
        /// A JSON pointer to the page's items.
        items: &'static str,
    },
}

/// A request bound the spec states: where the value is and what it must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// Where the value is.
    pub at: BoundAt,
    /// What it must satisfy.
    pub rule: BoundRule,
}

/// Where a bounded value is in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BoundAt {
    /// A query parameter, by name.
    Query(&'static str),
    /// A field of the JSON body: a JSON pointer in which `*` stands for every item of an
    /// array (`/parcels/*/items`). A field that is absent is not checked.
    Body(&'static str),
}

/// What a bounded value must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BoundRule {
    /// A number at least this (`minimum`).
    Minimum(i64),
    /// A number at most this (`maximum`).
    Maximum(i64),
    /// An array with at least this many items (`minItems`).
    MinItems(usize),
    /// An array with at most this many items (`maxItems`).
    MaxItems(usize),
}

/// How a provider says "wait", which answers are worth retrying, and how it rejects a token:
/// stated by the provider's spec (`info.x-ordergate-conventions`), one constant per provider
/// crate (`CONVENTIONS`). The runtime applies no provider's habit to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conventions {
    /// The provider's name, for messages (`Fuuffy`).
    pub provider: &'static str,
    /// The statuses after which an idempotent request is retried. Default: 429, 502, 503, 504.
    pub retryable_statuses: &'static [u16],
    /// The header that says when a rate limit resets, and how to read it; `None` when the
    /// provider sends only the standard `Retry-After`.
    pub rate_limit_reset: Option<RateLimitReset>,
    /// The statuses that mean "your token was rejected" (renew it and replay once). Default:
    /// 401.
    pub token_rejected: &'static [u16],
}

impl Conventions {
    /// The conventions of a provider that documents none: retry on 429, 502, 503 and 504,
    /// read only `Retry-After`, a rejected token is HTTP 401.
    pub const fn standard(provider: &'static str) -> Self {
        Self {
            provider,
            retryable_statuses: &[429, 502, 503, 504],
            rate_limit_reset: None,
            token_rejected: &[401],
        }
    }

    /// Sets [`retryable_statuses`](Self::retryable_statuses).
    pub const fn retrying_on(mut self, statuses: &'static [u16]) -> Self {
        self.retryable_statuses = statuses;
        self
    }

    /// Sets [`rate_limit_reset`](Self::rate_limit_reset).
    pub const fn rate_limit_reset(mut self, reset: RateLimitReset) -> Self {
        self.rate_limit_reset = Some(reset);
        self
    }

    /// Sets [`token_rejected`](Self::token_rejected).
    pub const fn token_rejected_by(mut self, statuses: &'static [u16]) -> Self {
        self.token_rejected = statuses;
        self
    }

    /// Whether an idempotent request answered `status` is retried.
    pub fn is_retryable(&self, status: u16) -> bool {
        self.retryable_statuses.contains(&status)
    }

    /// Whether `status` means the token was rejected.
    pub fn rejects_token(&self, status: u16) -> bool {
        self.token_rejected.contains(&status)
    }

    /// The wait a response asks for: `Retry-After` (seconds or an HTTP date) or, failing that,
    /// the provider's rate-limit reset header read as the provider documents it. `None` when
    /// neither is present or readable; a moment already past gives zero.
    pub fn retry_after(&self, headers: &HeaderMap) -> Option<Duration> {
        if let Some(wait) = crate::retry_after(headers) {
            return Some(wait);
        }
        let reset = self.rate_limit_reset?;
        let value = headers
            .get(reset.header)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())?;
        match reset.reads_as {
            ResetReadsAs::UnixTime => {
                let now = SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .ok()?
                    .as_secs();
                Some(Duration::from_secs(value.saturating_sub(now)))
            }
            ResetReadsAs::SecondsToWait => Some(Duration::from_secs(value)),
        }
    }
}

/// A provider's rate-limit reset header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitReset {
    /// The header's name, lower case (`x-ratelimit-reset`).
    pub header: &'static str,
    /// How its value reads.
    pub reads_as: ResetReadsAs,
}

/// How a rate-limit reset header's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResetReadsAs {
    /// A Unix time in seconds: wait until then.
    UnixTime,
    /// A number of seconds to wait.
    SecondsToWait,
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const FUUFFY: Conventions = Conventions::standard("Fuuffy").rate_limit_reset(RateLimitReset {
        header: "x-ratelimit-reset",
        reads_as: ResetReadsAs::UnixTime,
    });
    const SECONDS: Conventions = Conventions::standard("Other").rate_limit_reset(RateLimitReset {
        header: "x-ratelimit-reset",
        reads_as: ResetReadsAs::SecondsToWait,
    });
    const PLAIN: Conventions = Conventions::standard("Plain");

    #[test]
    fn a_reset_header_reads_as_its_provider_states() {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let mut unix = HeaderMap::new();
        unix.insert("x-ratelimit-reset", HeaderValue::from(now + 30));
        let wait = FUUFFY.retry_after(&unix).expect("reads").as_secs();
        assert!((29..=30).contains(&wait), "{wait}");

        let mut seconds = HeaderMap::new();
        seconds.insert("x-ratelimit-reset", HeaderValue::from_static("30"));
        assert_eq!(SECONDS.retry_after(&seconds), Some(Duration::from_secs(30)));
        // Fuuffy's rule read on a seconds-to-wait header: a time long past, so no wait; the
        // reason the rule is the provider's, not the runtime's.
        assert_eq!(FUUFFY.retry_after(&seconds), Some(Duration::ZERO));
        // A provider that states no reset header: only Retry-After counts.
        assert_eq!(PLAIN.retry_after(&seconds), None);
        seconds.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(PLAIN.retry_after(&seconds), Some(Duration::from_secs(7)));
    }

    #[test]
    fn idempotency_defaults_to_the_method_and_is_overridden_by_the_spec() {
        assert!(Operation::new("get_order", "GET", "/v1/order", &PLAIN).idempotent);
        let confirm = Operation::new("confirm_order", "POST", "/v1/order/confirm", &PLAIN);
        assert!(!confirm.idempotent && confirm.changes_state());
        let rates = Operation::new("get_rates", "POST", "/v1/rates/get", &PLAIN).idempotent(true);
        assert!(rates.idempotent && !rates.changes_state());
        let status = Operation::new(
            "update_order_status",
            "PUT",
            "/v1/orders/{id}/status",
            &PLAIN,
        )
        .idempotent(false);
        assert!(status.changes_state());
    }

    #[test]
    fn statuses_are_the_providers() {
        assert!(PLAIN.is_retryable(503) && !PLAIN.is_retryable(500));
        let custom = Conventions::standard("X")
            .retrying_on(&[503])
            .token_rejected_by(&[401, 403]);
        assert!(!custom.is_retryable(429) && custom.is_retryable(503));
        assert!(custom.rejects_token(403) && !PLAIN.rejects_token(403));
    }
}
