//! List Orders (`GET /v1/orders`, <https://fastpodapi.apidog.io/api-4681580>): every filter
//! of the docs' query, newest order first, a page at a time in Laravel's paginator.
//!
//! - `page`: from 1; a missing page or page 0 is page 1 (Laravel's paginator reads any page
//!   below 1 as 1); what is not a whole number is 422 naming `page` (the spec's `page` is an
//!   integer from 0); a page past the last answers no orders (`data: []`, `from` and `to`
//!   null, `next_page_url` null).
//! - `limit`: orders per page, [`DEFAULT_PAGE_SIZE`] (25, the docs' curl) when absent, from 1
//!   to [`MAX_PAGE_SIZE`] (100, the sandbox's bound: FastPOD documents none); outside, or not
//!   a number, 422 naming `limit`.
//! - Filters, all optional, each 422 naming the field when its value is not one the docs
//!   allow: `status` (an order status), `search` (part of the order id or of the reference
//!   id, case-insensitive), `start_date`/`end_date` (`YYYY-MM-DD`, inclusive, on the day
//!   the order was created, UTC), `shipping_method` (1–4), `order_type` (1–2),
//!   `payment_method` (`cash`, `point`), `payment_status` (`paid`, `unpaid`).
//! - The answer: `current_page`, `data`, `first_page_url`, `from`, `last_page` (at least 1),
//!   `last_page_url`, `next_page_url`, `path`, `per_page`, `prev_page_url`, `to`, `total`.
//!   The URLs are absolute, on the host the request named, and keep the request's query
//!   (filters and `limit`) with their own `page`, so following `next_page_url` lists the
//!   same orders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use chrono::NaiveDate;
use ordergate_fastpod::types;

use super::{Fake, Fastpod, invalid};
use crate::fake::Served;
use crate::http::{lock, query_pairs, reply};

/// Orders per page when the request gives no `limit` (the docs' curl sends `limit=25`).
pub const DEFAULT_PAGE_SIZE: u64 = 25;
/// The largest `limit` the fake accepts (its own bound; FastPOD documents none).
pub const MAX_PAGE_SIZE: u64 = 100;

/// The filters of one request.
#[derive(Debug, Default)]
struct Filters {
    status: Option<types::OrderStatus>,
    search: Option<String>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    shipping_method: Option<String>,
    order_type: Option<String>,
    payment_method: Option<String>,
    payment_status: Option<String>,
}

impl Filters {
    fn keeps(&self, order: &types::Order) -> bool {
        let same = |wanted: &Option<String>, value: &Option<String>| {
            wanted.is_none() || wanted.as_deref() == value.as_deref()
        };
        let day = order
            .created_at
            .as_deref()
            .and_then(|at| at.get(..10))
            .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
        let after_start = self
            .start
            .is_none_or(|start| day.is_some_and(|d| d >= start));
        let before_end = self.end.is_none_or(|end| day.is_some_and(|d| d <= end));
        let found = self.search.as_deref().is_none_or(|search| {
            let contains = |text: &str| text.to_lowercase().contains(search);
            contains(&order.id) || order.reference_id.as_deref().is_some_and(contains)
        });
        self.status
            .as_ref()
            .is_none_or(|status| *status == order.order_status)
            && found
            && after_start
            && before_end
            && same(&self.shipping_method, &order.shipping_method)
            && same(
                &self.order_type,
                &Some(order.order_type.clone().unwrap_or_else(|| "1".to_owned())),
            )
            && same(&self.payment_method, &order.payment_method)
            && same(&self.payment_status, &order.payment_status)
    }
}

/// What the query asks: the page, its size, the filters; or every refused field.
fn read_query(pairs: &[(String, String)]) -> Result<(u64, u64, Filters), Vec<(String, String)>> {
    let mut refused = Vec::new();
    let mut refuse = |field: &str, message: String| refused.push((field.to_owned(), message));
    let mut page = 1;
    let mut limit = DEFAULT_PAGE_SIZE;
    let mut filters = Filters::default();
    for (key, value) in pairs {
        let value = value.trim();
        match key.as_str() {
            // Laravel reads page 0 as page 1; what is not a whole number is refused, as the
            // spec's `page` is an integer from 0.
            "page" => match value.parse::<u64>() {
                Ok(number) => page = number.max(1),
                Err(_) => refuse("page", "The page must be an integer.".to_owned()),
            },
            "limit" => match value.parse::<u64>() {
                Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => limit = size,
                _ => refuse(
                    "limit",
                    format!("The limit must be an integer between 1 and {MAX_PAGE_SIZE}."),
                ),
            },
            "status" => {
                let status = types::OrderStatus::from(value);
                if status.is_unknown() {
                    refuse("status", "The selected status is invalid.".to_owned());
                } else {
                    filters.status = Some(status);
                }
            }
            "search" if !value.is_empty() => filters.search = Some(value.to_lowercase()),
            "start_date" | "end_date" => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(day) if key == "start_date" => filters.start = Some(day),
                Ok(day) => filters.end = Some(day),
                Err(_) => refuse(
                    key,
                    format!(
                        "The {} is not a valid date (YYYY-MM-DD).",
                        key.replace('_', " ")
                    ),
                ),
            },
            "shipping_method" => match value {
                "1" | "2" | "3" | "4" => filters.shipping_method = Some(value.to_owned()),
                _ => refuse(
                    "shipping_method",
                    "The selected shipping method is invalid.".to_owned(),
                ),
            },
            "order_type" => match value {
                "1" | "2" => filters.order_type = Some(value.to_owned()),
                _ => refuse(
                    "order_type",
                    "The selected order type is invalid.".to_owned(),
                ),
            },
            "payment_method" => match value {
                "cash" | "point" => filters.payment_method = Some(value.to_owned()),
                _ => refuse(
                    "payment_method",
                    "The selected payment method is invalid.".to_owned(),
                ),
            },
            "payment_status" => match value {
                "paid" | "unpaid" => filters.payment_status = Some(value.to_owned()),
                _ => refuse(
                    "payment_status",
                    "The selected payment status is invalid.".to_owned(),
                ),
            },
            _ => {}
        }
    }
    if let (Some(start), Some(end)) = (filters.start, filters.end)
        && end < start
    {
        refuse(
            "end_date",
            "The end date must be a date after or equal to start date.".to_owned(),
        );
    }
    if refused.is_empty() {
        Ok((page, limit, filters))
    } else {
        Err(refused)
    }
}

/// The list's absolute URL on the host the request named.
fn list_path(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| {
            host.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}{}/v1/orders", Fastpod::PATH_PREFIX)
}

/// The URL of page `page`: `path` with the request's query but its `page`.
fn page_url(path: &str, pairs: &[(String, String)], page: u64) -> String {
    let mut kept: Vec<(&str, String)> = pairs
        .iter()
        .filter(|(key, _)| key != "page")
        .map(|(key, value)| (key.as_str(), value.clone()))
        .collect();
    kept.push(("page", page.to_string()));
    let query = serde_urlencoded::to_string(&kept).unwrap_or_else(|_| format!("page={page}"));
    format!("{path}?{query}")
}

/// `GET /v1/orders`.
pub(super) async fn list_orders(
    State(fake): State<Arc<Fake>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pairs = query_pairs(&uri);
    let (page, limit, filters) = match read_query(&pairs) {
        Ok(query) => query,
        Err(refused) => return invalid(refused),
    };
    let (total, data) = {
        let orders = lock(&fake.orders);
        let skip = (page - 1).saturating_mul(limit);
        let mut total = 0u64;
        let mut data = Vec::new();
        for (_, order) in orders.in_creation_order().rev() {
            if !filters.keeps(order) {
                continue;
            }
            if total >= skip && (data.len() as u64) < limit {
                data.push(order.clone());
            }
            total += 1;
        }
        (total, data)
    };
    let last_page = total.div_ceil(limit).max(1);
    let path = list_path(&headers);
    let count = data.len() as u64;
    let first = (page - 1).saturating_mul(limit).saturating_add(1);
    let int = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let body = types::OrderPage {
        current_page: Some(int(page)),
        data,
        first_page_url: Some(page_url(&path, &pairs, 1)),
        from: (count > 0).then(|| int(first)),
        last_page: Some(int(last_page)),
        last_page_url: Some(page_url(&path, &pairs, last_page)),
        next_page_url: (page < last_page).then(|| page_url(&path, &pairs, page + 1)),
        per_page: Some(int(limit)),
        prev_page_url: (page > 1).then(|| page_url(&path, &pairs, page - 1)),
        to: (count > 0).then(|| int(first.saturating_add(count - 1))),
        total: Some(int(total)),
        path: Some(path),
        extra: serde_json::Map::new(),
    };
    reply(StatusCode::OK, &body)
}
