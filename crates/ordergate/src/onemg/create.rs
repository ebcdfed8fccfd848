//! [`NewOrder`] → 1mg's Create Order body
//! (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/create-order-api>); the mapping
//! table is on `create_order` (the adapter's docs).
//!
//! 1mg's address has no city, state or country field (the pincode places it), and 1mg delivers
//! in India only: a recipient outside India (`country` other than `IN`) and a currency other
//! than `INR` are refused rather than dropped. Everything refused is `invalid_input` naming
//! the field, before anything is sent.

use std::collections::BTreeMap;
use std::num::NonZeroU64;

use ordergate_onemg::types;

use crate::amount::Amount;
use crate::error::Call;
use crate::options::OnemgOptions;
use crate::{Error, ErrorKind, NewOrder};

/// The Create Order body for `order`, and the options it was made with.
pub(super) fn create_request<'o>(
    call: &Call<'_>,
    order: &'o NewOrder,
) -> Result<(types::CreateOrderRequest, &'o OnemgOptions), Error> {
    let refuse = |message: String| call.error(ErrorKind::InvalidInput, message);
    let Some(options) = order.options.onemg.as_ref() else {
        return Err(refuse(
            "Tata 1mg needs options.onemg.payment_method (COD or ONLINE) to create an order"
                .to_owned(),
        ));
    };
    let merchant_order_id = order.reference.trim();
    if merchant_order_id.is_empty() {
        return Err(refuse(
            "reference is empty: Tata 1mg needs the merchant's order id (merchant_order_id)"
                .to_owned(),
        ));
    }
    let recipient = &order.recipient;
    if !recipient.country.trim().eq_ignore_ascii_case("IN") {
        return Err(refuse(format!(
            "recipient.country is {:?}: Tata 1mg delivers in India only (IN)",
            bounded_text(&recipient.country)
        )));
    }
    if let Some(currency) = order.currency.as_deref()
        && !currency.trim().eq_ignore_ascii_case("INR")
    {
        return Err(refuse(format!(
            "currency is {:?}: Tata 1mg's amounts are in Indian rupees (INR)",
            bounded_text(currency)
        )));
    }
    let request = types::CreateOrderRequest {
        merchant_order_id: merchant_order_id.to_owned(),
        payable_amount: payable_amount(order, options).map_err(refuse)?,
        payment_method: if options.payment_method.is_online() {
            types::PaymentMethod::Online
        } else {
            types::PaymentMethod::Cod
        },
        coupon_code: present(options.coupon_code.as_deref()),
        prescriptions: (!options.prescriptions.is_empty()).then(|| options.prescriptions.clone()),
        skus: skus(order).map_err(refuse)?,
        user: types::User {
            first_name: present(Some(&recipient.first_name)),
            last_name: present(Some(&recipient.last_name)),
            email: present(recipient.email.as_deref()),
            mobile: present(recipient.phone.as_deref()),
        },
        address: types::DeliveryAddress {
            name: present(Some(&recipient.full_name())),
            street1: present(Some(&recipient.address1)),
            street2: present(recipient.address2.as_deref()),
            pincode: present(Some(&recipient.postal_code)),
            contact_number: present(recipient.phone.as_deref()),
            type_: present(options.address_type.as_deref()),
        },
    };
    Ok((request, options))
}

/// The cart: SKU to quantity, the quantities of items with the same SKU added (1mg's `skus` is
/// a map, so one SKU can appear once).
fn skus(order: &NewOrder) -> Result<BTreeMap<String, NonZeroU64>, String> {
    if order.items.is_empty() {
        return Err("items is empty: a Tata 1mg order needs at least one SKU".to_owned());
    }
    let mut skus: BTreeMap<String, NonZeroU64> = BTreeMap::new();
    for (index, item) in order.items.iter().enumerate() {
        let sku = item.sku.trim();
        if sku.is_empty() {
            return Err(format!("items[{index}].sku is empty"));
        }
        let Some(quantity) = NonZeroU64::new(u64::from(item.quantity)) else {
            return Err(format!("items[{index}].quantity is 0: at least 1"));
        };
        match skus.get_mut(sku) {
            Some(total) => {
                *total = total
                    .checked_add(quantity.get())
                    .ok_or_else(|| format!("items[{index}].quantity: the SKU's total overflows"))?;
            }
            None => {
                skus.insert(sku.to_owned(), quantity);
            }
        }
    }
    Ok(skus)
}

/// `payable_amount`: the options' amount when set (what the customer pays, after coupons and
/// fees), otherwise the sum of the items' `unit_price × quantity`, which needs every item
/// priced.
fn payable_amount(order: &NewOrder, options: &OnemgOptions) -> Result<String, String> {
    if let Some(amount) = options.payable_amount.as_deref() {
        return Amount::parse(amount)
            .map(|_| amount.trim().to_owned())
            .map_err(|e| format!("options.onemg.payable_amount: {e}"));
    }
    let mut total = Amount::ZERO;
    for (index, item) in order.items.iter().enumerate() {
        let Some(price) = item.unit_price.as_deref() else {
            return Err(format!(
                "Tata 1mg needs payable_amount: set options.onemg.payable_amount, or a unit_price on every item (items[{index}] has none)"
            ));
        };
        let price =
            Amount::parse(price).map_err(|e| format!("items[{index}].unit_price: {e}"))?;
        total = price
            .times(item.quantity)
            .and_then(|line| total.plus(line))
            .ok_or_else(|| format!("items[{index}]: the order's total overflows"))?;
    }
    Ok(total.to_string())
}

/// `value`, trimmed, when it holds anything.
fn present(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// At most 64 characters of a user's text, for an error message.
fn bounded_text(text: &str) -> String {
    text.chars().take(64).collect()
}
