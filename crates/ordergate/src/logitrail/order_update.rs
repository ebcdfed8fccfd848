//! [`NewOrder`](crate::NewOrder) as Logitrail's "Order JSON Object" (`OrderUpdate`), the body
//! of `POST /orders/_create`; the mapping is in the adapter module's docs.

use ordergate_logitrail::types;

use crate::error::Call;
use crate::options::LogitrailOptions;
use crate::{Error, ErrorKind, NewOrder};

/// The body of `create_order` for `order`.
///
/// # Errors
/// `invalid_input`, nothing sent, when something Logitrail requires is missing or empty (the
/// reference, the options block or its `destination`, a required recipient field, the items
/// or an item's SKU), a quantity is 0, a `unit_price` is not a decimal, or the language is
/// not one Logitrail documents.
pub(super) fn order_update(call: &Call<'_>, order: &NewOrder) -> Result<types::OrderUpdate, Error> {
    let refuse = |field: &str, why: &str| {
        call.error(
            ErrorKind::InvalidInput,
            format!("Logitrail needs {field}: {why}; nothing was sent"),
        )
    };
    let options = order
        .options
        .logitrail
        .as_ref()
        .ok_or_else(|| refuse("options.logitrail", "its destination is required"))?;
    let destination = filled(options.destination.as_deref())
        .ok_or_else(|| refuse("options.logitrail.destination", "`home`, `letter` or a pickup point id"))?;
    let language = options
        .language
        .as_deref()
        .map(|code| {
            let language = types::Language::from(code);
            if language.is_unknown() {
                Err(refuse("options.logitrail.language", "one of `fi`, `en`, `sv`"))
            } else {
                Ok(language)
            }
        })
        .transpose()?;
    let reference = filled(Some(&order.reference))
        .ok_or_else(|| refuse("reference", "the merchant's order id is empty"))?;
    let customer = customer(order, &refuse)?;
    if order.items.is_empty() {
        return Err(refuse("items", "at least one item"));
    }
    let products = order
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let field = |name: &str| format!("items[{index}].{name}");
            let merchants_id = filled(Some(&item.sku))
                .ok_or_else(|| refuse(&field("sku"), "the SKU is empty"))?;
            if item.quantity == 0 {
                return Err(refuse(&field("quantity"), "at least 1"));
            }
            let unit_price = item
                .unit_price
                .as_deref()
                .map(|price| {
                    decimal(price).ok_or_else(|| {
                        refuse(&field("unit_price"), "a decimal such as \"12.50\"")
                    })
                })
                .transpose()?;
            Ok(types::Product {
                merchants_id: merchants_id.to_owned(),
                qty: i64::from(item.quantity),
                name: item.name.clone(),
                unit_price,
                additional_info: None,
                best_before: None,
                dimensions: None,
                fulfillment_by: None,
                gtin: None,
                manufacturing_country: None,
                source_id: None,
                taric_code: None,
                tax_percent: None,
                weight: None,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(types::OrderUpdate {
        merchants_order: Some(merchants_order(reference, options)),
        customer: Some(customer),
        products: Some(products),
        currency: order.currency.clone(),
        destination: Some(destination.to_owned()),
        language,
        tags: (!options.tags.is_empty()).then(|| options.tags.clone()),
        not_before: options.not_before.clone(),
        not_after: options.not_after.clone(),
        pricelist: options.pricelist.clone(),
        products_all: None,
        tags_all: None,
    })
}

/// `merchants_order`: the reference alone, or `{id, time}` with the order's time.
fn merchants_order(reference: &str, options: &LogitrailOptions) -> types::MerchantsOrder {
    match &options.order_time {
        Some(time) => types::MerchantsOrder::MerchantsOrderWithTime(types::MerchantsOrderWithTime {
            id: reference.to_owned(),
            time: Some(time.clone()),
        }),
        None => types::MerchantsOrder::String(reference.to_owned()),
    }
}

/// Logitrail's customer from the recipient; its required fields must not be empty.
fn customer(
    order: &NewOrder,
    refuse: &impl Fn(&str, &str) -> Error,
) -> Result<types::Customer, Error> {
    let recipient = &order.recipient;
    let required = |value: &str, field: &str| {
        filled(Some(value))
            .map(str::to_owned)
            .ok_or_else(|| refuse(field, "Logitrail requires it and it is empty"))
    };
    let first_name = required(&recipient.first_name, "recipient.first_name")?;
    let last_name = required(&recipient.last_name, "recipient.last_name")?;
    let address1 = required(&recipient.address1, "recipient.address1")?;
    let postal_code = required(&recipient.postal_code, "recipient.postal_code")?;
    let city = required(&recipient.city, "recipient.city")?;
    let address = match filled(recipient.address2.as_deref()) {
        Some(address2) => format!("{address1}, {address2}"),
        None => address1,
    };
    Ok(types::Customer {
        first_name,
        last_name,
        organization_name: recipient.company.clone(),
        address,
        postal_code,
        city,
        country_code: Some(recipient.country.clone()),
        email: recipient.email.clone(),
        phone_number: recipient.phone.clone(),
        eori: None,
        vat_id: None,
    })
}

/// `text` when it is not blank.
fn filled(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.trim().is_empty())
}

/// A decimal string (`12`, `12.50`: digits, optionally a point and more digits; no sign,
/// exponent or separator) as the JSON number Logitrail's `unit_price` is; `None` otherwise.
fn decimal(text: &str) -> Option<f64> {
    if text.trim() != text {
        return None;
    }
    crate::amount::Amount::parse(text).ok().map(crate::amount::Amount::to_f64)
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn only_plain_decimals_are_prices() {
        assert_eq!(decimal("12.50"), Some(12.5));
        assert_eq!(decimal("0"), Some(0.0));
        assert_eq!(decimal("19.9"), Some(19.9));
        for text in [
            "", ".5", "5.", "-1", "+1", "1e3", "1,50", " 1", "1 ", "NaN", "inf", "1.2.3", "€1",
        ] {
            assert_eq!(decimal(text), None, "{text:?}");
        }
    }
}
