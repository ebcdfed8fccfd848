//! Shipping methods, delivery fees and pickup points, from a small embedded table
//! (<https://logitrail-integration.readthedocs.io/en/latest/shipping_methods/query.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/orders/shipping_options.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/pickup_points/lookup.html>).
//!
//! The sandbox's table (the docs publish no prices, weight limits or coverage; these are the
//! sandbox's choices):
//! - Only Finland (`country`, default `FI`) is served; for another country every method is
//!   unavailable with reason `country_not_supported`.
//! - `letter`: shipments over 0 g and up to [`LETTER_MAX_GRAMS`], 4.90 EUR; otherwise
//!   reason `item_does_not_allow` (the docs' reason; a shipment of unknown weight is not
//!   a letter).
//! - `home`: up to [`PARCEL_MAX_GRAMS`], 12.90 EUR up to 5 kg, 19.90 EUR above; heavier:
//!   `item_does_not_allow`.
//! - `pickup`: up to [`PARCEL_MAX_GRAMS`], at the pickup points near the postal code, each
//!   9.77 EUR (the docs' example). The points are the ten of the docs' example, verbatim,
//!   all in the Turku region: a postal code starting `207` (20700–20799) has them, the
//!   exact postal code's first; any other has none (`pickup` unavailable, reason
//!   `no_pickup_points`).
//! - Prices are gross, EUR, VAT 24 %. `facts` follow the docs' example.
//!
//! `GET /shipping_options?postalcode&country&weight` answers for an address and a weight in
//! grams; `GET /orders/{id}/shipping_options` for an order (its customer's postal code and
//! country, its lines' weights), with its `order_id`; `GET /pickup_points/?postalcode&country`
//! answers the pickup points, without prices, as a JSON array (400 `unknown` without a postal
//! code).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use ordergate_logitrail::types;
use serde_json::{Value, json};

use super::orders::LogitrailOrder;
use super::{Fake, Warehouse, bad_request, not_found, path_id};
use crate::http::{lock, query_pairs, query_value, reply};

/// The heaviest shipment sent as a letter, in grams: 2 kg.
pub const LETTER_MAX_GRAMS: f64 = 2_000.0;
/// The heaviest parcel, home or to a pickup point, in grams: 35 kg.
pub const PARCEL_MAX_GRAMS: f64 = 35_000.0;

/// The pickup points of the shipping methods page's example, verbatim (without their
/// `price`, which the table adds).
const PICKUP_POINTS_JSON: &str = include_str!("pickup_points.json");

/// The table's pickup points.
fn pickup_points() -> &'static [types::PickupPoint] {
    static POINTS: OnceLock<Vec<types::PickupPoint>> = OnceLock::new();
    POINTS.get_or_init(|| serde_json::from_str(PICKUP_POINTS_JSON).unwrap_or_default())
}

/// The pickup point with `id`.
pub(crate) fn pickup_point(id: &str) -> Option<&'static types::PickupPoint> {
    pickup_points().iter().find(|point| point.id == id)
}

/// The pickup points near `postalcode`: the exact postal code's first.
fn near(postalcode: &str) -> Vec<&'static types::PickupPoint> {
    let region = |code: &str| code.get(..3).map(str::to_owned);
    let Some(wanted) = region(postalcode.trim()) else {
        return Vec::new();
    };
    let mut points: Vec<&types::PickupPoint> = pickup_points()
        .iter()
        .filter(|point| point.postalcode.as_deref().and_then(region).as_deref() == Some(&wanted))
        .collect();
    points.sort_by_key(|point| point.postalcode.as_deref() != Some(postalcode.trim()));
    points
}

fn price(gross: f64) -> types::Price {
    types::Price {
        gross,
        currency: "EUR".to_owned(),
        tax: 24.0,
    }
}

fn unavailable(reason: &str) -> types::ShippingOption {
    types::ShippingOption {
        available: false,
        pickup_points: None,
        price: None,
        reason: Some(reason.to_owned()),
    }
}

/// What the table needs to know of a shipment.
pub(crate) struct Shipment<'a> {
    pub(crate) country: &'a str,
    pub(crate) postalcode: &'a str,
    pub(crate) weight: Option<f64>,
}

/// The shipping methods for `shipment`.
fn methods(shipment: &Shipment<'_>) -> types::ShippingMethods {
    if !shipment.country.eq_ignore_ascii_case("FI") {
        let none = || Some(unavailable("country_not_supported"));
        return types::ShippingMethods {
            home: none(),
            letter: none(),
            pickup: none(),
            extra: BTreeMap::new(),
        };
    }
    let grams = shipment.weight.unwrap_or(0.0);
    let letter = if grams > 0.0 && grams <= LETTER_MAX_GRAMS {
        types::ShippingOption {
            available: true,
            pickup_points: None,
            price: Some(price(4.9)),
            reason: None,
        }
    } else {
        unavailable("item_does_not_allow")
    };
    let parcel = grams <= PARCEL_MAX_GRAMS;
    let home = if parcel {
        types::ShippingOption {
            available: true,
            pickup_points: None,
            price: Some(price(if grams <= 5_000.0 { 12.9 } else { 19.9 })),
            reason: None,
        }
    } else {
        unavailable("item_does_not_allow")
    };
    let points = near(shipment.postalcode);
    let pickup = if !parcel {
        unavailable("item_does_not_allow")
    } else if points.is_empty() {
        unavailable("no_pickup_points")
    } else {
        let priced = points
            .into_iter()
            .map(|point| {
                let mut point = point.clone();
                point.price = Some(price(9.77));
                (point.id.clone(), point)
            })
            .collect();
        types::ShippingOption {
            available: true,
            pickup_points: Some(priced),
            price: None,
            reason: None,
        }
    };
    types::ShippingMethods {
        home: Some(home),
        letter: Some(letter),
        pickup: Some(pickup),
        extra: BTreeMap::new(),
    }
}

/// Logitrail's `facts` for a shipment (the docs' example's names), and for `order` when
/// the shipment is an order's.
pub(crate) fn facts(shipment: &Shipment<'_>, order: Option<&LogitrailOrder>) -> types::Facts {
    let details = order.map(|order| &order.details);
    let lines = details.map(|d| d.products()).unwrap_or_default();
    let destination = details.and_then(|d| d.destination.as_deref());
    let point = destination.and_then(pickup_point);
    let shipping_type = match destination {
        None => Value::Null,
        Some("home") => json!("prc_home"),
        Some("letter") => json!("letter"),
        Some(_) => json!("prc_pickup"),
    };
    // A fold from +0: `f64`'s `sum` starts at -0, which would answer `-0.0` for no lines.
    let total_eur = lines
        .iter()
        .map(|line| line.unit_price.unwrap_or(0.0) * line.qty as f64)
        .fold(0.0, |total, price| total + price);
    let grams = shipment.weight.unwrap_or(0.0);
    let facts = json!({
        "pup.branch": point.and_then(|p| p.branch.clone()),
        "customer.country": shipment.country.to_ascii_uppercase(),
        "order.shipping_type": shipping_type,
        "order.tags": details.map(|d| d.tags().to_vec()).unwrap_or_default(),
        "order.total_eur": total_eur,
        "order.letter_possible": grams > 0.0 && grams <= LETTER_MAX_GRAMS,
        "order.total_weight": grams,
        "order.total_volume": 0,
        "customer.postalcode": shipment.postalcode,
        "customer.address": details.and_then(|d| d.customer.as_ref()).map(|c| c.address.clone()),
        "order.item_count": lines.iter().map(|line| line.qty).sum::<i64>(),
        "order.item_article_count": lines.len(),
    });
    match facts {
        Value::Object(members) => types::Facts(members),
        _ => types::Facts(serde_json::Map::new()),
    }
}

/// The shipment of `order`: its customer's country (default `FI`) and postal code, and its
/// weight.
pub(crate) fn order_shipment<'a>(order: &'a LogitrailOrder, warehouse: &Warehouse) -> Shipment<'a> {
    let customer = order.details.customer.as_ref();
    Shipment {
        country: customer
            .and_then(|c| c.country_code.as_deref())
            .unwrap_or("FI"),
        postalcode: customer.map_or("", |c| c.postal_code.as_str()),
        weight: Some(order.weight_grams(warehouse)),
    }
}

/// `GET /shipping_options?postalcode&country&weight`.
pub(super) async fn shipping_options(uri: Uri) -> Response {
    let pairs = query_pairs(&uri);
    // A whole number of grams, as the spec's `weight` (an integer) says.
    let weight = match query_value(&pairs, "weight").map(|w| w.trim().parse::<u64>()) {
        None => None,
        #[allow(clippy::cast_precision_loss)] // grams far below 2^52
        Some(Ok(grams)) => Some(grams as f64),
        Some(Err(_)) => return bad_request("weight must be a whole number of grams"),
    };
    let shipment = Shipment {
        country: query_value(&pairs, "country").unwrap_or("FI"),
        postalcode: query_value(&pairs, "postalcode").unwrap_or(""),
        weight,
    };
    let body = types::ShippingOptions {
        facts: Some(facts(&shipment, None)),
        options: methods(&shipment),
        order_id: None,
    };
    reply(StatusCode::OK, &body)
}

/// `GET /orders/{id}/shipping_options`.
pub(super) async fn order_shipping_options(
    State(fake): State<Arc<Fake>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id(id, "order") {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let orders = lock(&fake.orders);
    let Some(order) = orders.get(&id) else {
        return not_found("order");
    };
    let warehouse = lock(&fake.extra.warehouse);
    let shipment = order_shipment(order, &warehouse);
    let body = types::ShippingOptions {
        facts: Some(facts(&shipment, Some(order))),
        options: methods(&shipment),
        order_id: Some(id),
    };
    reply(StatusCode::OK, &body)
}

/// `GET /pickup_points/?postalcode&country`.
pub(super) async fn list_pickup_points(uri: Uri) -> Response {
    let pairs = query_pairs(&uri);
    let Some(postalcode) = query_value(&pairs, "postalcode").filter(|p| !p.trim().is_empty())
    else {
        return bad_request("postalcode is required");
    };
    let finland = query_value(&pairs, "country").is_none_or(|c| c.eq_ignore_ascii_case("FI"));
    let points: Vec<types::PickupPoint> = if finland {
        near(postalcode).into_iter().cloned().collect()
    } else {
        Vec::new()
    };
    reply(StatusCode::OK, &types::PickupPointList(points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_pickup_points_are_embedded_verbatim() {
        assert_eq!(pickup_points().len(), 10);
        let first = pickup_point("5692616b01250d3a458b4567").expect("the first point");
        assert_eq!(first.name, "Posti, K-supermarket Katariina");
        assert_eq!(
            first.coordinates.as_deref(),
            Some(&[60.4068057, 22.3631381][..])
        );
        let nearest = near("20750");
        assert_eq!(nearest.len(), 10);
        assert_eq!(nearest[0].postalcode.as_deref(), Some("20750"));
        assert!(near("00100").is_empty());
    }

    #[test]
    fn letters_are_light_parcels_heavy_and_abroad_is_unserved() {
        let at = |country, weight| {
            methods(&Shipment {
                country,
                postalcode: "20780",
                weight,
            })
        };
        let light = at("FI", Some(500.0));
        assert!(light.letter.as_ref().is_some_and(|m| m.available));
        assert_eq!(
            light.home.and_then(|m| m.price).map(|p| p.gross),
            Some(12.9)
        );
        let unknown = at("FI", None);
        assert_eq!(
            unknown.letter.and_then(|m| m.reason).as_deref(),
            Some("item_does_not_allow")
        );
        let heavy = at("fi", Some(40_000.0));
        assert!(heavy.home.is_some_and(|m| !m.available));
        assert!(heavy.pickup.is_some_and(|m| !m.available));
        let abroad = at("SE", Some(500.0));
        assert_eq!(
            abroad.home.and_then(|m| m.reason).as_deref(),
            Some("country_not_supported")
        );
    }
}
