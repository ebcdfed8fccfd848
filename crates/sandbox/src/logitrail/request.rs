//! Reading what clients send, tolerantly: the docs give most fields no type, and the only
//! other clients, Codaone's PHP modules
//! (<https://github.com/Codaone/magento2_logitrail_module>,
//! <https://github.com/Codaone/woocommerce_logitrail_module>), send what PHP's `json_encode`
//! makes of their data. So, before a body is decoded into the spec's types:
//!
//! - an empty body reads as `{}` where the docs allow no body (confirm);
//! - a member that is `null` reads as absent, and so do `dimensions` with a `null` among
//!   them (Magento's `[null, null, null]` for a product without size attributes);
//! - a number where the spec has a string (`merchants_id: 13248`, `postalCode: 20780`) reads
//!   as its text, and a numeric string where the spec has a number (`qty: "2"`,
//!   `unit_price: "19.90"`, `dimensions: ["60", "110", "60"]`) as the number;
//! - `\/` and other JSON escapes are JSON, so they decode as such; unknown members are ignored.
//!
//! What still does not decode is answered 400 `unknown`, naming the field
//! (<https://logitrail-integration.readthedocs.io/en/latest/errors.html>).

use axum::body::Bytes;
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use super::bad_request;
use crate::http::is_blank;

/// Members whose spec type is a number or an integer.
const NUMBER_MEMBERS: &[&str] = &[
    "qty",
    "unit_price",
    "tax_percent",
    "weight",
    "amount",
    "purchasePrice",
    "offset",
    "limit",
];

/// Members whose spec type is a string that PHP may send as a number.
const STRING_MEMBERS: &[&str] = &[
    "merchants_id",
    "merchants_order",
    "id",
    "gtin",
    "name",
    "postalCode",
    "phoneNumber",
    "source_id",
    "taric_code",
    "merchants_ref",
    "sender_name",
    "order_id",
    "destination",
    "pricelist",
    "additional_info",
    "time",
    "best_before",
    "not_before",
    "not_after",
    "expected_at_wh",
];

/// Decodes `body` into `T` tolerantly (see the module docs); an empty body reads as `{}` when
/// `empty_allowed`. Else 400 `unknown`, naming the field.
pub(super) fn decode<T: DeserializeOwned>(
    body: &Bytes,
    empty_allowed: bool,
) -> Result<T, Response> {
    object(body, empty_allowed).and_then(typed)
}

/// `body` as a tolerant JSON object (see [`decode`]), not yet typed: for checks the docs
/// give their own error codes before the types' (a product line without `merchants_id`).
pub(super) fn object(body: &Bytes, empty_allowed: bool) -> Result<Value, Response> {
    if empty_allowed && is_blank(body) {
        return Ok(Value::Object(Map::new()));
    }
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|_| bad_request("The request body must be a JSON object"))?;
    if !value.is_object() {
        return Err(bad_request("The request body must be a JSON object"));
    }
    tolerate(&mut value);
    Ok(value)
}

/// A tolerant JSON value as `T`; else 400 `unknown`, naming the field.
pub(super) fn typed<T: DeserializeOwned>(value: Value) -> Result<T, Response> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        if path == "." {
            bad_request(format!("The request body is not valid: {message}"))
        } else {
            bad_request(format!(
                "The request body is not valid at {path}: {message}"
            ))
        }
    })
}

/// Rewrites `value` in place as the module docs say.
fn tolerate(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            // Magento sends `[null, null, null]` for a product whose size attributes are unset:
            // no dimensions.
            let unset = |member: &Value| {
                member
                    .as_array()
                    .is_some_and(|items| items.iter().any(Value::is_null))
            };
            if members.get("dimensions").is_some_and(unset) {
                members.remove("dimensions");
            }
            for (name, member) in members.iter_mut() {
                if NUMBER_MEMBERS.contains(&name.as_str()) {
                    numeric(member);
                } else if STRING_MEMBERS.contains(&name.as_str()) {
                    textual(member);
                } else if name == "dimensions"
                    && let Value::Array(items) = member
                {
                    items.iter_mut().for_each(numeric);
                }
                tolerate(member);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tolerate),
        _ => {}
    }
}

/// A numeric string as the number it spells (an integer when it is one); anything else as is.
fn numeric(value: &mut Value) {
    let Value::String(text) = value else {
        return;
    };
    let text = text.trim();
    let number = text
        .parse::<i64>()
        .ok()
        .map(Number::from)
        .or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64));
    if let Some(number) = number {
        *value = Value::Number(number);
    }
}

/// A number as its text; anything else as is.
fn textual(value: &mut Value) {
    if let Value::Number(number) = value {
        *value = Value::String(number.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordergate_logitrail::types;

    #[test]
    fn php_shapes_decode() {
        let body = Bytes::from_static(
            br#"{"merchants_order": 10001, "customer": {"firstName": "Matti", "lastName": "V", "address": "Hovirinnantie 5", "postalCode": 20780, "city": "Kaarina", "email": null}, "products": [{"merchants_id": 13248, "qty": "2", "unit_price": "19.90", "dimensions": ["60", "110", "60"], "name": "Caps \/ 60"}], "destination": "home"}"#,
        );
        let update: types::OrderUpdate = decode(&body, false).expect("tolerated");
        assert_eq!(
            update.merchants_order,
            Some(types::MerchantsOrder::String("10001".to_owned()))
        );
        let customer = update.customer.expect("a customer");
        assert_eq!(customer.postal_code, "20780");
        assert_eq!(customer.email, None);
        let line = &update.products.expect("products")[0];
        assert_eq!((line.merchants_id.as_str(), line.qty), ("13248", 2));
        assert_eq!(line.unit_price, Some(19.9));
        assert_eq!(line.name.as_deref(), Some("Caps / 60"));
        assert_eq!(
            line.dimensions,
            Some(types::Dimensions::Array([60.0, 110.0, 60.0]))
        );
    }

    #[test]
    fn empty_bodies_and_what_does_not_decode() {
        let empty: types::OrderUpdate = decode(&Bytes::new(), true).expect("empty is {}");
        assert_eq!(empty, types::OrderUpdate::default());
        assert!(decode::<types::OrderUpdate>(&Bytes::new(), false).is_err());
        assert!(decode::<types::OrderUpdate>(&Bytes::from_static(b"[1]"), true).is_err());
        let bad = Bytes::from_static(br#"{"products": [{"merchants_id": "1", "qty": "two"}]}"#);
        assert!(decode::<types::OrderUpdate>(&bad, false).is_err());
    }
}
