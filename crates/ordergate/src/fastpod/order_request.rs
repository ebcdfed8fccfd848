//! [`NewOrder`] → FastPOD's Create Order body, `OrderRequest`
//! (<https://fastpodapi.apidog.io/api-4681582>).
//!
//! - `reference_id` ← [`NewOrder::reference`];
//! - `address` ← the recipient: `name` ← first and last name, `company`, `email`, `phone`,
//!   `street1` ← `address1`, `street2` ← `address2`, `city`, `state`, `country`,
//!   `zip` ← `postal_code` (FastPOD requires every one but `company` and `street2`);
//! - `line_items[n]` ← `items[n]`: `item_id` `<reference>-<n+1>` (FastPOD requires one and
//!   leaves it to the merchant), `sku`, `name`, `quantity`, and `print_areas` (required) and
//!   `preview_areas` from the options, by SKU;
//! - the rest from [`FastpodOptions`]; `order_status` is always sent, `draft` unless the
//!   options say `new_order`.
//!
//! Item prices and the currency are not sent: FastPOD prices from its catalog.

use std::collections::BTreeMap;
use std::num::NonZeroU64;

use ordergate_fastpod::types;

use super::PROVIDER;
use crate::error::Call;
use crate::options::FastpodOptions;
use crate::{Error, ErrorKind, NewOrder, Operation};

/// The Create Order body for `order`.
///
/// # Errors
/// `invalid_input`, nothing sent, naming the field, when something FastPOD requires is
/// missing or blank: the reference; the recipient's name, email, phone, address line, city,
/// state, postal code or country; any item, an item's SKU, a quantity of at least 1, an item
/// SKU's print areas; `options.fastpod.shipping_method`; a label order's `label_url` (and a
/// `label_url` on any other order).
pub(super) fn order_request(order: &NewOrder) -> Result<types::OrderRequest, Error> {
    let no_options = FastpodOptions::default();
    let options = order.options.fastpod.as_ref().unwrap_or(&no_options);
    let reference = required("reference", "reference_id", Some(&order.reference))?;
    let recipient = &order.recipient;
    let name = recipient.full_name();
    let address = types::NewAddress {
        name: required(
            "recipient.first_name",
            "address.name",
            Some(&name).filter(|n| !n.is_empty()),
        )?,
        company: optional(recipient.company.as_deref()),
        email: required("recipient.email", "address.email", recipient.email.as_ref())?,
        phone: required("recipient.phone", "address.phone", recipient.phone.as_ref())?,
        street1: required(
            "recipient.address1",
            "address.street1",
            Some(&recipient.address1),
        )?,
        street2: optional(recipient.address2.as_deref()),
        city: required("recipient.city", "address.city", Some(&recipient.city))?,
        state: required("recipient.state", "address.state", recipient.state.as_ref())?,
        country: required(
            "recipient.country",
            "address.country",
            Some(&recipient.country),
        )?,
        zip: required(
            "recipient.postal_code",
            "address.zip",
            Some(&recipient.postal_code),
        )?,
    };
    let shipping_method = options.shipping_method.ok_or_else(|| {
        refused(
            "options.fastpod.shipping_method",
            "FastPOD requires one (standard, priority, express or prime)",
        )
    })?;
    if order.items.is_empty() {
        return Err(refused("items", "FastPOD needs at least one line item"));
    }
    let line_items = order
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let field = |name: &str| format!("items[{index}].{name}");
            let sku = required(&field("sku"), "line_items[].sku", Some(&item.sku))?;
            if item.quantity == 0 {
                return Err(refused(&field("quantity"), "FastPOD needs at least 1"));
            }
            let print_areas = options
                .print_areas
                .get(&sku)
                .filter(|areas| !areas.is_empty())
                .ok_or_else(|| {
                    refused(
                        &format!("options.fastpod.print_areas.{sku}"),
                        &format!(
                            "FastPOD needs the print areas of every item ({} has none)",
                            field("sku")
                        ),
                    )
                })?;
            Ok(types::NewLineItem {
                item_id: format!("{reference}-{}", index + 1),
                name: optional(item.name.as_deref()),
                preview_areas: options.preview_areas.get(&sku).map(areas_of),
                print_areas: areas_of(print_areas),
                quantity: u64::from(item.quantity),
                sku,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let label_order = options.is_label_order();
    let label_url = optional(options.label_url.as_deref());
    match (label_order, &label_url) {
        (true, None) => {
            return Err(refused(
                "options.fastpod.label_url",
                "a label order needs the URL of its shipping label",
            ));
        }
        (false, Some(_)) => {
            return Err(refused(
                "options.fastpod.label_url",
                "only a label order (order_type \"label\") takes a label URL",
            ));
        }
        _ => {}
    }
    Ok(types::OrderRequest {
        address,
        boost_production: options.rush_production,
        coupon_code: optional(options.coupon_code.as_deref()),
        gift_message: optional(options.gift_message.as_deref()),
        label_url,
        line_items,
        order_status: Some(if options.creates_new_order() {
            types::NewOrderStatus::NewOrder
        } else {
            types::NewOrderStatus::Draft
        }),
        order_type: options.order_type.map(|_| {
            if label_order {
                types::OrderType::V2
            } else {
                types::OrderType::V1
            }
        }),
        reference_id: reference,
        rush_production: options.rush_production,
        // `code()` is 1 to 4.
        shipping_method: NonZeroU64::MIN
            .saturating_add(u64::from(shipping_method.code()).saturating_sub(1)),
        tax_id: optional(options.tax_id.as_deref()),
        tax_id_type: optional(options.tax_id_type.as_deref()),
        test_order: options.test_order,
    })
}

/// `value`, trimmed, when it is not blank; otherwise `invalid_input` naming `field` (FastPOD's
/// `wire` requires it).
fn required(field: &str, wire: &str, value: Option<&String>) -> Result<String, Error> {
    match value.map(|v| v.trim()) {
        Some(text) if !text.is_empty() => Ok(text.to_owned()),
        _ => Err(refused(field, &format!("FastPOD requires it (its {wire})"))),
    }
}

/// `value`, trimmed, unless it is absent or blank.
fn optional(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// `invalid_input` about `field`: nothing was sent.
fn refused(field: &str, why: &str) -> Error {
    Call::new(PROVIDER, Operation::CreateOrder).error(
        ErrorKind::InvalidInput,
        format!("{field}: {why}; nothing was sent"),
    )
}

/// FastPOD's print areas from area → URL pairs (its six named areas, and any other name as
/// given).
fn areas_of(areas: &BTreeMap<String, String>) -> types::PrintAreas {
    let mut out = types::PrintAreas {
        back: None,
        front: None,
        left_sleeve: None,
        neck_label: None,
        pocket: None,
        right_sleeve: None,
        extra: BTreeMap::new(),
    };
    for (area, url) in areas {
        let slot = match area.as_str() {
            "front" => &mut out.front,
            "back" => &mut out.back,
            "pocket" => &mut out.pocket,
            "neck_label" => &mut out.neck_label,
            "right_sleeve" => &mut out.right_sleeve,
            "left_sleeve" => &mut out.left_sleeve,
            _ => {
                out.extra.insert(area.clone(), url.clone());
                continue;
            }
        };
        *slot = Some(url.clone());
    }
    out
}
