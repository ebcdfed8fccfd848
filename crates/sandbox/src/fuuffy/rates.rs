//! The sandbox's rates table and `POST /v1/rates/get` (Get Rates page,
//! <https://api-docs.fuuffy.com/api/rates/get>). Create Order quotes from the same table.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_fuuffy::types;

use super::bad_request_reply;
use crate::http::reply;

/// One row of the sandbox's rates table: what a courier charges for a package type, in HKD.
/// A shipment's price is `first_kg` for its first kilogram and `extra_kg` for each further
/// started kilogram of its total actual weight (each parcel's `act_weight` times its
/// `quantity`), at least one kilogram. Sandbox prices, not Fuuffy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateEntry {
    /// `local` or `intl`.
    pub ship_type: &'static str,
    /// The `shipping_provider` code a create request sends.
    pub shipping_provider: &'static str,
    /// The courier's display name (`courier_name`).
    pub courier_name: &'static str,
    /// The package type (`parcel`, `document`, `envelope`, `pallet`).
    pub package_type: &'static str,
    /// Price of the first kilogram, in HKD cents.
    pub first_kg: u64,
    /// Price of each further started kilogram, in HKD cents.
    pub extra_kg: u64,
}

const fn rate(
    ship_type: &'static str,
    shipping_provider: &'static str,
    courier_name: &'static str,
    package_type: &'static str,
    first_kg: u64,
    extra_kg: u64,
) -> RateEntry {
    RateEntry {
        ship_type,
        shipping_provider,
        courier_name,
        package_type,
        first_kg,
        extra_kg,
    }
}

/// The sandbox's rates table. The codes `sf_expresshk_local` and `fedex_ip_export` are the
/// docs' examples; `dhl_express_export` is the sandbox's own.
pub const RATES: &[RateEntry] = &[
    rate(
        "local",
        "sf_expresshk_local",
        "Sf Express",
        "parcel",
        2850,
        800,
    ),
    rate(
        "local",
        "sf_expresshk_local",
        "Sf Express",
        "document",
        2200,
        800,
    ),
    rate(
        "local",
        "sf_expresshk_local",
        "Sf Express",
        "envelope",
        1800,
        800,
    ),
    rate("intl", "fedex_ip_export", "FedEx", "parcel", 16800, 6200),
    rate("intl", "fedex_ip_export", "FedEx", "document", 14800, 6200),
    rate("intl", "fedex_ip_export", "FedEx", "envelope", 12800, 6200),
    rate("intl", "fedex_ip_export", "FedEx", "pallet", 180_000, 4500),
    rate(
        "intl",
        "dhl_express_export",
        "DHL Express",
        "parcel",
        18200,
        5800,
    ),
    rate(
        "intl",
        "dhl_express_export",
        "DHL Express",
        "document",
        15600,
        5800,
    ),
    rate(
        "intl",
        "dhl_express_export",
        "DHL Express",
        "envelope",
        13500,
        5800,
    ),
];

/// The heaviest shipment the sandbox prices, in kg.
const MAX_KG: u64 = 10_000;

/// The rows for a ship type and package type (`parcel`, ...: a create's or a rates request's).
pub(super) fn rates_for<'a>(
    ship_type: &'a types::ShipType,
    package_type: &'a str,
) -> impl Iterator<Item = &'static RateEntry> + 'a {
    RATES
        .iter()
        .filter(move |row| row.ship_type == ship_type.as_str() && row.package_type == package_type)
}

/// The courier display name of a provider code.
pub(super) fn courier_name(shipping_provider: &str) -> Option<&'static str> {
    RATES
        .iter()
        .find(|row| row.shipping_provider == shipping_provider)
        .map(|row| row.courier_name)
}

/// The price of `kg` started kilograms, as a decimal string (`"28.50"`).
pub(super) fn price(row: &RateEntry, kg: u64) -> String {
    let cents = row.first_kg + row.extra_kg * kg.saturating_sub(1);
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A parcel's actual weight in kg, checked: a decimal number, at least 0.01.
pub(super) fn weight(text: &str) -> Result<f64, &'static str> {
    match text.trim().parse::<f64>() {
        Ok(kg) if kg.is_finite() && (0.01..=MAX_KG as f64).contains(&kg) => Ok(kg),
        _ => Err("act_weight must be a decimal number of kg from 0.01 to 10000"),
    }
}

/// Total weight in kg to the chargeable whole kilograms: rounded up, at least 1.
pub(super) fn chargeable_kg(total: f64) -> Result<u64, &'static str> {
    if total > MAX_KG as f64 {
        return Err("the shipment weighs more than 10000 kg");
    }
    // Bounded above: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let kg = total.ceil().max(1.0) as u64;
    Ok(kg)
}

/// `POST /v1/rates/get`.
pub(super) async fn get_rates(body: Result<Bytes, BytesRejection>) -> Response {
    let body = body.unwrap_or_default();
    let request: types::RatesRequest = match super::orders::decode(&body) {
        Ok(request) => request,
        Err((field, why)) => return bad_request_reply(&field, &why),
    };
    let ship_type = request.ship_type.unwrap_or(types::ShipType::Local);
    if ship_type.is_unknown() {
        return bad_request_reply("ship_type", "ship_type must be local or intl");
    }
    let detail = &request.shipment_detail;
    if detail.package_type.is_unknown() {
        return bad_request_reply(
            "shipment_detail.package_type",
            "package_type must be parcel, document or pallet",
        );
    }
    if detail
        .currency
        .as_ref()
        .is_some_and(types::Currency::is_unknown)
    {
        return bad_request_reply(
            "shipment_detail.currency",
            "currency must be one of the ISO 4217 codes the Get Rates page lists",
        );
    }
    if detail.parcel_list.is_empty() {
        return bad_request_reply(
            "shipment_detail.parcel_list",
            "parcel_list needs at least one parcel",
        );
    }
    let mut total = 0.0;
    for (index, parcel) in detail.parcel_list.iter().enumerate() {
        let field = format!("shipment_detail.parcel_list[{index}]");
        let kg = match weight(parcel.act_weight.as_str()) {
            Ok(kg) => kg,
            Err(why) => return bad_request_reply(&format!("{field}.act_weight"), why),
        };
        let quantity = match parcel.quantity.as_deref().map(str::trim) {
            None | Some("") => 1,
            Some(text) => match text.parse::<u16>() {
                Ok(quantity @ 1..=999) => quantity,
                _ => {
                    return bad_request_reply(
                        &format!("{field}.quantity"),
                        "quantity must be a whole number from 1 to 999",
                    );
                }
            },
        };
        total += kg * f64::from(quantity);
    }
    let kg = match chargeable_kg(total) {
        Ok(kg) => kg,
        Err(why) => return bad_request_reply("shipment_detail.parcel_list", why),
    };
    let rate_list = rates_for(&ship_type, detail.package_type.as_str())
        .map(|row| types::Rate {
            shipping_provider: Some(row.shipping_provider.to_owned()),
            courier_name: Some(row.courier_name.to_owned()),
            quote_price: Some(price(row, kg)),
            currency: Some("HKD".to_owned()),
            extra: serde_json::Map::new(),
        })
        .collect();
    let body = types::RatesResponse {
        data: types::RatesData {
            rate_list: Some(rate_list),
            message: Some("OK".to_owned()),
            extra: serde_json::Map::new(),
        },
    };
    reply(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_by_started_kilogram() {
        let sf = &RATES[0];
        assert_eq!(price(sf, chargeable_kg(0.5).expect("kg")), "28.50");
        assert_eq!(price(sf, chargeable_kg(1.0).expect("kg")), "28.50");
        assert_eq!(price(sf, chargeable_kg(1.2).expect("kg")), "36.50");
        assert!(weight("0").is_err() && weight("abc").is_err() && weight("NaN").is_err());
        assert!(chargeable_kg(20_000.0).is_err());
        assert_eq!(courier_name("fedex_ip_export"), Some("FedEx"));
    }
}
