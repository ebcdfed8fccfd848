//! Orders: create (local or international), confirm, get and list (the Create Order (Local),
//! Create Order (International), Confirm Order, Get Order and List Orders pages,
//! <https://api-docs.fuuffy.com/api/orders/createlocal>,
//! <https://api-docs.fuuffy.com/api/orders/createinternational>,
//! <https://api-docs.fuuffy.com/api/orders/confirm>, <https://api-docs.fuuffy.com/api/orders/get>,
//! <https://api-docs.fuuffy.com/api/orders/list>).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use ordergate_fuuffy::{codes, types};
use serde::de::DeserializeOwned;

use super::tracking::hong_kong;
use super::{
    Fake, Fuuffy, FuuffyOrder, Orders, Place, bad_request_reply, countries, error, order_not_found,
    query_pairs, query_value, rates, tracking_number,
};
use crate::http::{lock, reply};
use crate::store::OrderRules;

/// The first id the fake gives a created order (above every seeded one).
const FIRST_CREATED_ID: u64 = 3_560_001;

/// Decodes a JSON body into a generated type; on failure, the offending field (`recipient.email`,
/// `shipment_detail.parcel_list[0].act_weight`, or `body`) and why. No property of a Fuuffy
/// request is nullable, so an explicit `null` is refused (the generated types would read it
/// as absent).
pub(super) fn decode<T: DeserializeOwned>(body: &Bytes) -> Result<T, (String, String)> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        (
            "body".to_owned(),
            "the body must be a JSON object".to_owned(),
        )
    })?;
    if let Some(field) = first_null(&value, "") {
        return Err((field, "null is not a value this field takes".to_owned()));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        // `missing field `x`` is reported at the object that lacks it.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'));
        let field = match (path.as_str(), missing) {
            (".", Some(name)) => name.to_owned(),
            (".", None) => "body".to_owned(),
            (path, Some(name)) => format!("{path}.{name}"),
            (path, None) => path.to_owned(),
        };
        let why = match missing {
            Some(name) => format!("{name} is required"),
            None => message,
        };
        (field, why)
    })
}

/// The path of the first `null` inside `value` (`shipment_detail.currency`,
/// `parcel_list[0].length`), if any.
fn first_null(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::Null => Some(if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }),
        serde_json::Value::Object(members) => members.iter().find_map(|(name, member)| {
            let path = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            first_null(member, &path)
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| first_null(item, &format!("{path}[{index}]"))),
        _ => None,
    }
}

fn contact(name: &str, email: &str) -> types::Contact {
    types::Contact {
        name: Some(name.to_owned()),
        mobile: Some("64105317".to_owned()),
        mobile_prefix: Some("852".to_owned()),
        email: Some(email.to_owned()),
        address: Some("HONG KONG".to_owned()),
    }
}

/// Whether an order in `status` has been handed to a courier flow (and so has a tracking
/// number).
fn has_tracking(status: &types::OrderStatus) -> bool {
    use types::OrderStatus as S;
    matches!(
        status,
        S::ReadyToShip
            | S::PendingPickup
            | S::PickupCompleted
            | S::InTransit
            | S::Delivered
            | S::Completed
    )
}

/// A seeded order shaped like the Get Order page's sample, with id `id` in `status`.
pub(super) fn seeded_order(id: &str, status: types::OrderStatus) -> FuuffyOrder {
    let tracked = has_tracking(&status);
    let order = types::Order {
        order_id: id.to_owned(),
        ship_type: Some(types::ShipType::Local),
        quote_price: Some("28.50".to_owned()),
        confirm_shipment: Some(if tracked {
            types::ConfirmShipment::Y
        } else {
            types::ConfirmShipment::N
        }),
        tracking_number: tracked.then(|| tracking_number(id)),
        client_remarks: Some(format!("#sandbox-{id}")),
        sender: Some(contact("Fuuffy Chai", "cs@fuuffy.com")),
        recipient: Some(contact("Sandbox Recipient", "recipient@example.com")),
        shipment_detail: Some(types::ShipmentDetail {
            package_type: Some(types::PackageType::Parcel),
            consignment_declaration: Some("Toys".to_owned()),
            parcel_list: Some(vec![types::Parcel {
                act_weight: Some("0.5".to_owned()),
                height: Some("10".to_owned()),
                width: Some("14".to_owned()),
                length: Some("23".to_owned()),
                insurance_fee: Some("0".to_owned()),
                parcel_items: Some(vec![types::ParcelItem {
                    name: Some("Toy".to_owned()),
                    qty: Some("1".to_owned()),
                    single_value: Some("200".to_owned()),
                }]),
            }]),
        }),
        shipping_provider: Some("sf_expresshk_local".to_owned()),
        create_time: Some("2025-12-09T17:01:30+08:00".to_owned()),
        status,
        message: Some("OK".to_owned()),
    };
    FuuffyOrder {
        order,
        tracking: Vec::new(),
        export: Place::hong_kong(),
        destination: Place::hong_kong(),
    }
}

/// A create request, whichever its kind, as the fake stores it.
struct NewOrder {
    ship_type: types::ShipType,
    shipping_provider: String,
    sender: types::Contact,
    recipient: types::Contact,
    detail: types::NewShipmentDetail,
    client_remarks: Option<String>,
    export: Place,
    destination: Place,
}

fn local_contact(contact: types::LocalContact) -> types::Contact {
    types::Contact {
        name: Some(contact.name.to_string()),
        mobile: Some(contact.mobile.to_string()),
        mobile_prefix: Some(contact.mobile_prefix.to_string()),
        email: contact.email.map(|email| email.to_string()),
        address: Some(contact.address.to_string()),
    }
}

fn international_contact(contact: &types::InternationalContact) -> types::Contact {
    let lines = [
        Some(contact.address.to_string()),
        contact.address_line_2.clone().map(String::from),
        contact.address_line_3.clone().map(String::from),
        contact.city.clone(),
        contact.state.clone(),
        contact.post_code.clone(),
        Some(contact.country.to_string()),
    ];
    let address: Vec<String> = lines
        .into_iter()
        .flatten()
        .filter(|line| !line.trim().is_empty())
        .collect();
    types::Contact {
        name: Some(contact.name.to_string()),
        mobile: Some(contact.mobile.to_string()),
        mobile_prefix: Some(contact.mobile_prefix.to_string()),
        email: Some(contact.email.to_string()),
        address: Some(address.join(", ")),
    }
}

/// Decodes a create body: `ship_type` picks the `oneOf` variant, then the variant's generated
/// type checks the fields (required ones, and the length limits of the constrained strings).
fn decode_create(body: &Bytes) -> Result<NewOrder, (String, String)> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        (
            "body".to_owned(),
            "the body must be a JSON object".to_owned(),
        )
    })?;
    let ship_type = value.get("ship_type").and_then(serde_json::Value::as_str);
    let body_bytes = || Bytes::from(value.to_string());
    let request = match ship_type {
        Some("local") => types::CreateOrderRequest::LocalOrderRequest(decode(&body_bytes())?),
        Some("intl") => {
            types::CreateOrderRequest::InternationalOrderRequest(decode(&body_bytes())?)
        }
        _ => {
            return Err((
                "ship_type".to_owned(),
                "ship_type is required and must be local or intl".to_owned(),
            ));
        }
    };
    Ok(match request {
        types::CreateOrderRequest::LocalOrderRequest(local) => NewOrder {
            ship_type: types::ShipType::Local,
            shipping_provider: local.shipping_provider.to_string(),
            sender: local_contact(local.sender),
            recipient: local_contact(local.recipient),
            detail: local.shipment_detail,
            client_remarks: local.client_remarks,
            export: Place::hong_kong(),
            destination: Place::hong_kong(),
        },
        types::CreateOrderRequest::InternationalOrderRequest(intl) => NewOrder {
            ship_type: types::ShipType::Intl,
            shipping_provider: intl.shipping_provider.to_string(),
            sender: international_contact(&intl.sender),
            recipient: international_contact(&intl.recipient),
            export: countries::place(intl.sender.country.as_str()),
            destination: countries::place(intl.recipient.country.as_str()),
            detail: intl.shipment_detail,
            client_remarks: intl.client_remarks,
        },
    })
}

/// The quote for a new order from the rates table, or the offending field and why.
fn quote(new: &NewOrder) -> Result<String, (String, String)> {
    let detail = &new.detail;
    if detail.package_type.is_unknown() {
        return Err((
            "shipment_detail.package_type".to_owned(),
            "package_type must be parcel, document or envelope".to_owned(),
        ));
    }
    if detail.parcel_list.is_empty() {
        return Err((
            "shipment_detail.parcel_list".to_owned(),
            "parcel_list needs at least one parcel".to_owned(),
        ));
    }
    let mut total = 0.0;
    for (index, parcel) in detail.parcel_list.iter().enumerate() {
        total += rates::weight(parcel.act_weight.as_str()).map_err(|why| {
            (
                format!("shipment_detail.parcel_list[{index}].act_weight"),
                why.to_owned(),
            )
        })?;
    }
    let kg = rates::chargeable_kg(total)
        .map_err(|why| ("shipment_detail.parcel_list".to_owned(), why.to_owned()))?;
    let row = rates::rates_for(&new.ship_type, detail.package_type.as_str())
        .find(|row| row.shipping_provider == new.shipping_provider);
    let Some(row) = row else {
        let known: Vec<&str> = rates::rates_for(&new.ship_type, detail.package_type.as_str())
            .map(|row| row.shipping_provider)
            .collect();
        return Err((
            "shipping_provider".to_owned(),
            format!(
                "shipping_provider must be a {} code from Get Rates for this package type: {}",
                new.ship_type.as_str(),
                known.join(", ")
            ),
        ));
    };
    Ok(rates::price(row, kg))
}

/// The longest `client_remarks` a create accepts, in bytes as JSON (escapes included):
/// 64 KiB. The sandbox's own bound, so that a page of 100 orders stays well within what a
/// client accepts (the SDKs' `ClientConfig::max_response_bytes`, 10 MiB by default); a longer
/// one is answered 400 `BAD_REQUEST` naming `client_remarks`.
pub const MAX_CLIENT_REMARKS_BYTES: usize = 64 * 1024;

impl Orders {
    /// The id for the next created order: above every order's, from the store's counter.
    fn next_id(&self) -> String {
        self.next_number().max(FIRST_CREATED_ID).to_string()
    }

    /// Confirms order `id` if it is `PENDING_CONFIRM`.
    fn confirm(&mut self, id: &str) -> Option<types::ConfirmedOrder> {
        self.update(id, |stored| confirm(id, stored)).flatten()
    }
}

/// Confirms `stored` (order `id`) if it is `PENDING_CONFIRM`.
fn confirm(id: &str, stored: &mut FuuffyOrder) -> Option<types::ConfirmedOrder> {
    let order = &mut stored.order;
    if !Fuuffy::confirmable(&order.status) {
        return None;
    }
    order.status = types::OrderStatus::ReadyToShip;
    order.confirm_shipment = Some(types::ConfirmShipment::Y);
    order.tracking_number = Some(tracking_number(id));
    Some(types::ConfirmedOrder {
        order_id: order.order_id.clone(),
        ship_type: order.ship_type.clone(),
        order_status: order.status.clone(),
        quote_price: order.quote_price.clone(),
        confirm_shipment: order.confirm_shipment.clone(),
        tracking_number: order.tracking_number.clone(),
        client_remarks: order.client_remarks.clone(),
        create_time: order.create_time.clone(),
    })
}

/// `POST /v1/order/create` with a `LocalOrderRequest` or an `InternationalOrderRequest`.
pub(super) async fn create_order(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let new = match decode_create(&body) {
        Ok(new) => new,
        Err((field, why)) => return bad_request_reply(&field, &why),
    };
    let quote_price = match quote(&new) {
        Ok(price) => price,
        Err((field, why)) => return bad_request_reply(&field, &why),
    };
    let remarks_bytes = new
        .client_remarks
        .as_ref()
        .and_then(|remarks| serde_json::to_vec(remarks).ok())
        .map_or(0, |json| json.len());
    if remarks_bytes > MAX_CLIENT_REMARKS_BYTES {
        return bad_request_reply(
            "client_remarks",
            &format!(
                "client_remarks must be at most {MAX_CLIENT_REMARKS_BYTES} bytes (the sandbox's bound)"
            ),
        );
    }
    let now = fake.clock.now().with_timezone(&hong_kong());
    // Whole seconds with the offset, as the docs' samples show (`2025-12-09T17:01:30+08:00`).
    let create_time = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let order = types::Order {
        order_id: String::new(),
        ship_type: Some(new.ship_type.clone()),
        status: types::OrderStatus::PendingConfirm,
        quote_price: Some(quote_price),
        confirm_shipment: Some(types::ConfirmShipment::N),
        tracking_number: None,
        client_remarks: new.client_remarks,
        sender: Some(new.sender),
        recipient: Some(new.recipient),
        shipment_detail: Some(types::ShipmentDetail {
            package_type: Some(types::PackageType::from(new.detail.package_type.as_str())),
            consignment_declaration: Some(new.detail.consignment_declaration.to_string()),
            parcel_list: Some(
                new.detail
                    .parcel_list
                    .iter()
                    .map(|parcel| types::Parcel {
                        act_weight: Some(parcel.act_weight.to_string()),
                        length: parcel.length.clone(),
                        width: parcel.width.clone(),
                        height: parcel.height.clone(),
                        insurance_fee: Some("0".to_owned()),
                        parcel_items: parcel.parcel_items.clone(),
                    })
                    .collect(),
            ),
        }),
        shipping_provider: Some(new.shipping_provider),
        create_time: Some(create_time),
        message: Some("OK".to_owned()),
    };
    let created = {
        let mut orders = lock(&fake.orders);
        let id = orders.next_id();
        let mut order = order;
        order.order_id.clone_from(&id);
        let stored = FuuffyOrder {
            order,
            tracking: Vec::new(),
            export: new.export,
            destination: new.destination,
        };
        orders.insert(id, stored.clone()).map(|()| stored)
    };
    let Ok(created) = created else {
        return bad_request_reply("body", "the order is larger than the sandbox's store bound");
    };
    if let Some(webhooks) = &fake.extra.webhooks {
        webhooks.event_at(types::WebhookEventName::OrderCreated, &created, now);
    }
    let order = created.order;
    let body = types::CreateOrderResponse {
        data: types::CreatedOrder {
            order_id: Some(order.order_id),
            ship_type: order.ship_type,
            order_status: Some(order.status),
            quote_price: order.quote_price,
            tracking_number: None,
            client_remarks: order.client_remarks,
            create_time: order.create_time,
            message: Some("OK".to_owned()),
            extra: serde_json::Map::new(),
        },
    };
    reply(StatusCode::OK, &body)
}

/// `POST /v1/order/confirm` with `{"order_id": "..."}`.
pub(super) async fn confirm_order(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_json::from_slice::<types::ConfirmOrderRequest>(&body) else {
        return bad_request_reply(
            "order_id",
            "order_id is required and must be a valid numeric string",
        );
    };
    let confirmed = lock(&fake.orders).confirm(&request.order_id);
    match confirmed {
        Some(confirmed) => {
            let body = types::ConfirmOrderResponse {
                data: types::ConfirmOrderData {
                    confirmed_orders: Some(vec![confirmed]),
                    message: Some("OK".to_owned()),
                },
            };
            reply(StatusCode::OK, &body)
        }
        None => reply(
            StatusCode::BAD_REQUEST,
            &error(
                codes::NO_ORDERS_FOUND_CODE,
                codes::NO_ORDERS_FOUND,
                "No orders found",
            ),
        ),
    }
}

/// `GET /v1/order?id=...`.
pub(super) async fn get_order(State(fake): State<Arc<Fake>>, uri: Uri) -> Response {
    let pairs = query_pairs(&uri);
    let id = query_value(&pairs, "id").and_then(|id| types::GetOrderId::try_from(id).ok());
    let Some(id) = id else {
        return bad_request_reply("id", "id is required and must be a valid numeric string");
    };
    let order = lock(&fake.orders)
        .get(id.as_str())
        .map(|stored| stored.order.clone());
    match order {
        Some(order) => reply(StatusCode::OK, &types::GetOrderResponse { data: order }),
        None => order_not_found(),
    }
}

/// List Orders' query, checked.
struct ListQuery {
    status: types::OrderStatusFilter,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    key: types::SortKey,
    dir: types::SortDir,
    page: u32,
    limit: u32,
}

fn date(pairs: &[(String, String)], name: &str) -> Result<Option<NaiveDate>, (String, String)> {
    let Some(text) = query_value(pairs, name) else {
        return Ok(None);
    };
    let parsed = (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten();
    parsed.map(Some).ok_or_else(|| {
        (
            name.to_owned(),
            format!("{name} must be a date, YYYY-MM-DD"),
        )
    })
}

fn number(
    pairs: &[(String, String)],
    name: &str,
    default: u32,
    max: u32,
) -> Result<u32, (String, String)> {
    let Some(text) = query_value(pairs, name) else {
        return Ok(default);
    };
    match text.parse::<u32>() {
        Ok(value) if (1..=max).contains(&value) => Ok(value),
        _ => Err((
            name.to_owned(),
            format!("{name} must be a whole number from 1 to {max}"),
        )),
    }
}

/// Query parameter `name` as the open enum `T` (`default` when absent); a value the enum does
/// not know is refused with `expected`.
fn known<T: From<String>>(
    pairs: &[(String, String)],
    name: &str,
    default: T,
    is_unknown: fn(&T) -> bool,
    expected: &str,
) -> Result<T, (String, String)> {
    let value = query_value(pairs, name).map_or(default, |text| T::from(text.to_owned()));
    if is_unknown(&value) {
        return Err((name.to_owned(), format!("{name} must be {expected}")));
    }
    Ok(value)
}

fn list_query(pairs: &[(String, String)]) -> Result<ListQuery, (String, String)> {
    let status = known(
        pairs,
        "order_status",
        types::OrderStatusFilter::All,
        types::OrderStatusFilter::is_unknown,
        "all or an order status code",
    )?;
    let key = known(
        pairs,
        "sort_key",
        types::SortKey::CreateTime,
        types::SortKey::is_unknown,
        "order_id or create_time",
    )?;
    let dir = known(
        pairs,
        "sort_dir",
        types::SortDir::Desc,
        types::SortDir::is_unknown,
        "ASC or DESC",
    )?;
    Ok(ListQuery {
        status,
        start: date(pairs, "start_date")?,
        end: date(pairs, "end_date")?,
        key,
        dir,
        page: number(pairs, "page", 1, u32::MAX)?,
        limit: number(pairs, "limit", 20, 100)?,
    })
}

impl ListQuery {
    /// Whether `order` passes the status and date filters.
    fn matches(&self, order: &types::Order) -> bool {
        let status_ok = self.status == types::OrderStatusFilter::All
            || self.status.as_str() == order.status.as_str();
        let day = created_on(order);
        status_ok
            && self
                .start
                .is_none_or(|start| day.is_some_and(|d| d >= start))
            && self.end.is_none_or(|end| day.is_some_and(|d| d <= end))
    }
}

/// The date an order was created on, in the offset of its `create_time`.
fn created_on(order: &types::Order) -> Option<NaiveDate> {
    let time = order.create_time.as_deref()?;
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .map(|time| time.date_naive())
}

fn summary(order: &types::Order) -> types::OrderSummary {
    types::OrderSummary {
        order_id: order.order_id.clone(),
        ship_type: order.ship_type.clone(),
        order_status: Some(order.status.clone()),
        quote_price: order.quote_price.clone(),
        confirm_shipment: order.confirm_shipment.clone(),
        tracking_number: order.tracking_number.clone(),
        client_remarks: order.client_remarks.clone(),
        create_time: order.create_time.clone(),
        extra: serde_json::Map::new(),
    }
}

/// `GET /v1/order/list`.
pub(super) async fn list_orders(State(fake): State<Arc<Fake>>, uri: Uri) -> Response {
    let query = match list_query(&query_pairs(&uri)) {
        Ok(query) => query,
        Err((field, why)) => return bad_request_reply(&field, &why),
    };
    let page_start =
        usize::try_from(u64::from(query.page - 1) * u64::from(query.limit)).unwrap_or(usize::MAX);
    let order_list = {
        let orders = lock(&fake.orders);
        // Walk the index of the sort key, either way; clone only the page.
        let walk: Box<dyn Iterator<Item = (&str, &FuuffyOrder)>> = match (&query.key, &query.dir) {
            (types::SortKey::OrderId, types::SortDir::Asc) => Box::new(orders.by_id()),
            (types::SortKey::OrderId, _) => Box::new(orders.by_id().rev()),
            (_, types::SortDir::Asc) => Box::new(orders.in_creation_order()),
            _ => Box::new(orders.in_creation_order().rev()),
        };
        walk.map(|(_, stored)| &stored.order)
            .filter(|order| query.matches(order))
            .skip(page_start)
            .take(query.limit as usize)
            .map(summary)
            .collect()
    };
    let body = types::OrderListResponse {
        data: types::OrderListData {
            order_list: Some(order_list),
            message: Some("OK".to_owned()),
        },
    };
    reply(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_null_is_refused_with_its_path() {
        let body = Bytes::from_static(
            br#"{"ship_type":"intl","sender":{"country":"HK"},"recipient":{"country":"SG"},"shipment_detail":{"package_type":"parcel","currency":null,"parcel_list":[{"act_weight":"1"}]}}"#,
        );
        let refused = decode::<types::RatesRequest>(&body).expect_err("null refused");
        assert_eq!(refused.0, "shipment_detail.currency");
        let body = Bytes::from_static(
            br#"{"sender":{"country":"HK"},"recipient":{"country":"SG"},"shipment_detail":{"package_type":"parcel","parcel_list":[{"act_weight":"1","length":null}]}}"#,
        );
        let refused = decode::<types::RatesRequest>(&body).expect_err("null refused");
        assert_eq!(refused.0, "shipment_detail.parcel_list[0].length");
        let body = Bytes::from_static(
            br#"{"sender":{"country":"HK"},"recipient":{"country":"SG"},"shipment_detail":{"package_type":"parcel","parcel_list":[{"act_weight":"1"}]}}"#,
        );
        assert!(decode::<types::RatesRequest>(&body).is_ok());
    }
}
