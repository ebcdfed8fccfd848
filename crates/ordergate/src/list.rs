//! Listing orders: [`ListQuery`] (the filters), [`OrderStream`] (the orders, fetched lazily
//! page by page) and [`Date`].
//!
//! As with aws-sdk-rust's paginators and async-stripe's `paginate`, the consumer drives the
//! fetching: a page is requested only when the stream is polled past the previous one, at most
//! one page is held at a time, dropping the stream stops the requests, and an error is an item
//! (what was yielded stays yielded), after which the stream ends.

// Until every adapter uses them (issue 21 lands in parts). TEMP: removed at the merge.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::str::FromStr;

use futures_util::Stream;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Order, OrderStatus};

/// The orders of [`list_orders`](crate::OrderProvider::list_orders), fetched page by page as
/// the stream is polled. An error ends it.
pub type OrderStream<'a> = Pin<Box<dyn Stream<Item = Result<Order, Error>> + Send + 'a>>;

/// Which orders to list. Every filter is optional; with none, every order, newest or oldest
/// first as the provider lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListQuery {
    /// Only orders with this normalized status. Each adapter says how it filters: by the
    /// provider's own status in the query where the status maps to one provider status, and
    /// locally (on [`Order::status`]) otherwise.
    pub status: Option<OrderStatus>,
    /// Only orders created on or after this day.
    pub since: Option<Date>,
    /// Only orders created on or before this day.
    pub until: Option<Date>,
    /// At most this many orders: no page past the one that reaches it is requested.
    pub limit: Option<u64>,
}

impl ListQuery {
    /// Every order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only orders with `status`.
    #[must_use]
    pub fn status(mut self, status: OrderStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only orders created on or after `day`.
    #[must_use]
    pub fn since(mut self, day: Date) -> Self {
        self.since = Some(day);
        self
    }

    /// Only orders created on or before `day`.
    #[must_use]
    pub fn until(mut self, day: Date) -> Self {
        self.until = Some(day);
        self
    }

    /// At most `limit` orders.
    #[must_use]
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Whether `order` passes the filters, checked locally: its normalized status, and its
    /// creation day when the provider stated one ([`Order::created_at`] starting
    /// `YYYY-MM-DD`; an order without one passes, the provider having filtered by date).
    pub fn matches(&self, order: &Order) -> bool {
        if self.status.is_some_and(|status| status != order.status) {
            return false;
        }
        let Some(day) = order.created_at.as_deref().and_then(Date::prefix_of) else {
            return true;
        };
        self.since.is_none_or(|since| day >= since) && self.until.is_none_or(|until| day <= until)
    }
}

/// A calendar day, `YYYY-MM-DD` (the date filters of [`ListQuery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The day `year-month-day`, or `None` when there is no such day (the year 1 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Self {
            year,
            month,
            day,
        })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The day a timestamp starts with (`2026-03-01T10:00:00Z`, `2026-03-01 10:00:00`).
    pub(crate) fn prefix_of(timestamp: &str) -> Option<Self> {
        timestamp.get(..10)?.parse().ok()
    }
}

/// A text that is not a `YYYY-MM-DD` day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a day written YYYY-MM-DD")]
pub struct InvalidDate(String);

impl FromStr for Date {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidDate(text.chars().take(32).collect());
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(invalid());
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10))
        else {
            return Err(invalid());
        };
        Self::new(year, month as u8, day as u8).ok_or_else(invalid)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> String {
        "Date".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date".to_owned()),
            ..Default::default()
        }
        .into()
    }
}

/// The orders of `pages` (a provider SDK's lazy page stream, each page already mapped to
/// [`Order`]s), keeping those `query` [matches](ListQuery::matches): the next page is polled
/// only once the previous page's orders are all yielded, and none once `query.limit` orders
/// were. The first error is yielded and ends the stream.
pub(crate) fn orders_of<'a, P>(query: &ListQuery, pages: P) -> OrderStream<'a>
where
    P: Stream<Item = Result<Vec<Order>, Error>> + Send + 'a,
{
    struct State<P> {
        pages: Pin<Box<P>>,
        query: ListQuery,
        held: VecDeque<Order>,
        yielded: u64,
        ended: bool,
    }
    let state = State {
        pages: Box::pin(pages),
        query: query.clone(),
        held: VecDeque::new(),
        yielded: 0,
        ended: false,
    };
    Box::pin(futures_util::stream::unfold(
        state,
        |mut state| async move {
            loop {
                if state.ended
                    || state
                        .query
                        .limit
                        .is_some_and(|limit| state.yielded >= limit)
                {
                    return None;
                }
                if let Some(order) = state.held.pop_front() {
                    if state.query.matches(&order) {
                        state.yielded += 1;
                        return Some((Ok(order), state));
                    }
                    continue;
                }
                match futures_util::StreamExt::next(&mut state.pages).await? {
                    Ok(orders) => state.held = orders.into(),
                    Err(error) => {
                        state.ended = true;
                        return Some((Err(error), state));
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_and_refused_exactly() {
        let day: Date = "2024-02-29".parse().expect("a leap day");
        assert_eq!((day.year(), day.month(), day.day()), (2024, 2, 29));
        assert_eq!(day.to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "24-01-01",
            "2024-01-01T",
            "２０２４-01-01",
            "0000-01-01",
            "2024/01/01",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            Date::prefix_of("2026-03-01T10:00:00Z"),
            Date::new(2026, 3, 1)
        );
        assert_eq!(Date::prefix_of("2026-03"), None);
        assert_eq!(Date::prefix_of("2026-03-01é"), Date::new(2026, 3, 1));
        assert_eq!(Date::prefix_of("2026-03-é1"), None);
    }
}
