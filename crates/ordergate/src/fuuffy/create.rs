//! Creating a Fuuffy order from a [`NewOrder`]: `POST /v1/order/create`, a local order
//! (<https://api-docs.fuuffy.com/api/orders/createlocal>) or an international one
//! (<https://api-docs.fuuffy.com/api/orders/createinternational>) as
//! [`FuuffyOptions::ship_type`] says.
//!
//! The mapping:
//!
//! | Fuuffy | from |
//! |---|---|
//! | `ship_type`, `shipping_provider` | `options.fuuffy.ship_type`, `.shipping_provider` |
//! | `sender` | `options.fuuffy.sender` |
//! | `recipient.name` | `recipient.first_name` and `last_name` |
//! | `recipient.mobile`, `mobile_prefix` | `recipient.phone` (a leading `+<prefix>` removed), `options.fuuffy.recipient_mobile_prefix` |
//! | `recipient.email` | `recipient.email` (required for `intl`) |
//! | `recipient.address` (local; the recipient's `country` must be `HK`, and its `company` has no field) | `recipient.address1`, `address2`, `city`, `state`, joined with `, ` |
//! | `recipient.address`, `address_line_2`, `city`, `state`, `post_code`, `country`, `company_name` (intl) | `recipient.address1`, `address2`, `city`, `state`, `postal_code`, `country`, `company` |
//! | `shipment_detail.package_type`, `consignment_declaration` | `options.fuuffy.package_type`, `.consignment_declaration` |
//! | `shipment_detail.parcel_list` | `options.fuuffy.parcels`; with one parcel, its `parcel_items` are `items` (`name` or `sku`, `quantity`, `unit_price` in HKD) |
//! | `client_remarks` | `reference` |
//!
//! Every value is checked against the limits Fuuffy documents (an international address line
//! holds 5 to 29 characters, a declaration at most 35) before anything is sent: a value
//! outside them, or a required one missing, is `invalid_input`, naming the field.

use std::fmt;

use ordergate_fuuffy::types;

use super::{PROVIDER, normalize_status, price};
use crate::error::Call;
use crate::options::FuuffyOptions;
use crate::{Error, ErrorKind, NewOrder, Order, OrderStatus};

/// Fuuffy's create request for `order`, or why it cannot be made (a message naming the
/// field, by its JSON path in the [`NewOrder`]).
pub(super) fn request<'a>(order: &'a NewOrder) -> Result<types::CreateOrderRequest, String> {
    let options = required(
        order.options.fuuffy.as_ref(),
        "options.fuuffy",
        "Fuuffy's options: ship_type, shipping_provider, sender, recipient_mobile_prefix, package_type, consignment_declaration and parcels",
    )?;
    let ship_type = required(
        options.ship_type,
        "options.fuuffy.ship_type",
        "`local` or `intl`",
    )?;
    let sender = required(
        options.sender.as_ref(),
        "options.fuuffy.sender",
        "the sender contact",
    )?;
    let recipient_prefix = required(
        options.recipient_mobile_prefix.as_deref(),
        "options.fuuffy.recipient_mobile_prefix",
        "the calling code of the recipient's phone",
    )?;
    let phone = required(
        order.recipient.phone.as_deref(),
        "recipient.phone",
        "Fuuffy's recipient contact needs a mobile number",
    )?;
    let shipping_provider = required(
        options.shipping_provider.as_deref(),
        "options.fuuffy.shipping_provider",
        "the courier service code, from Fuuffy's Get Rates",
    )?;
    let shipment_detail = shipment_detail(order, options)?;
    let client_remarks = Some(order.reference.clone());
    let recipient = &order.recipient;
    let mobile = national_number(phone, recipient_prefix);
    // The block's types are named by no path outside the options module: the sender is read
    // where its type is inferred.
    let path = |name: &str| format!("options.fuuffy.sender.{name}");
    Ok(match types::ShipType::from(ship_type.as_str()) {
        types::ShipType::Local if !recipient.country.trim().eq_ignore_ascii_case("HK") => {
            return Err(format!(
                "recipient.country is {:?}, but a local Fuuffy order ships within Hong Kong (HK): use ship_type \"intl\"",
                recipient.country
            ));
        }
        types::ShipType::Local => types::LocalOrderRequest {
            ship_type: types::LocalOrderRequestShipType::Local,
            shipping_provider: field("options.fuuffy.shipping_provider", shipping_provider)?,
            sender: types::LocalContact {
                name: field(&path("name"), &sender.name)?,
                mobile: field(&path("mobile"), &sender.mobile)?,
                mobile_prefix: field(&path("mobile_prefix"), local_prefix(&sender.mobile_prefix))?,
                email: optional(&path("email"), sender.email.as_deref())?,
                address: field(&path("address"), &sender.address)?,
            },
            recipient: types::LocalContact {
                name: field("recipient.first_name", &recipient.full_name())?,
                mobile: field("recipient.phone", mobile)?,
                mobile_prefix: field(
                    "options.fuuffy.recipient_mobile_prefix",
                    local_prefix(recipient_prefix),
                )?,
                email: optional("recipient.email", recipient.email.as_deref())?,
                address: field("recipient.address1", &local_address(recipient))?,
            },
            shipment_detail,
            client_remarks,
        }
        .into(),
        _ => {
            let needed = |value: Option<&'a str>, name: &str| {
                required(value, &path(name), "an international Fuuffy order needs it")
            };
            types::InternationalOrderRequest {
                ship_type: types::InternationalOrderRequestShipType::Intl,
                shipping_provider: field("options.fuuffy.shipping_provider", shipping_provider)?,
                sender: types::InternationalContact {
                    name: field(&path("name"), &sender.name)?,
                    company_name: optional(&path("company_name"), sender.company_name.as_deref())?,
                    mobile: field(&path("mobile"), &sender.mobile)?,
                    mobile_prefix: field(
                        &path("mobile_prefix"),
                        &international_prefix(&sender.mobile_prefix),
                    )?,
                    email: field(&path("email"), needed(sender.email.as_deref(), "email")?)?,
                    address: field(&path("address"), &sender.address)?,
                    address_line_2: optional(
                        &path("address_line_2"),
                        sender.address_line_2.as_deref(),
                    )?,
                    address_line_3: optional(
                        &path("address_line_3"),
                        sender.address_line_3.as_deref(),
                    )?,
                    city: sender.city.clone(),
                    state: sender.state.clone(),
                    post_code: sender.post_code.clone(),
                    country: field(&path("country"), needed(sender.country.as_deref(), "country")?)?,
                },
                recipient: types::InternationalContact {
                    name: field("recipient.first_name", &recipient.full_name())?,
                    company_name: optional("recipient.company", recipient.company.as_deref())?,
                    mobile: field("recipient.phone", mobile)?,
                    mobile_prefix: field(
                        "options.fuuffy.recipient_mobile_prefix",
                        &international_prefix(recipient_prefix),
                    )?,
                    email: field(
                        "recipient.email",
                        required(
                            recipient.email.as_deref(),
                            "recipient.email",
                            "an international Fuuffy order needs the recipient's email",
                        )?,
                    )?,
                    address: field("recipient.address1", &recipient.address1)?,
                    address_line_2: optional(
                        "recipient.address2",
                        recipient.address2.as_deref(),
                    )?,
                    address_line_3: None,
                    city: Some(recipient.city.clone()),
                    state: recipient.state.clone(),
                    post_code: Some(recipient.postal_code.clone())
                        .filter(|code| !code.is_empty()),
                    country: field("recipient.country", &recipient.country)?,
                },
                shipment_detail,
                client_remarks,
            }
            .into()
        }
    })
}

/// The [`Order`] Fuuffy's create answer describes. Its shape is not documented (see the
/// spec's `CreatedOrder`): an answer without the new order's id leaves the outcome unknown
/// (the order was probably created), and a status it does not give is `unknown`.
pub(super) fn created(call: Call<'_>, response: types::CreateOrderResponse) -> Result<Order, Error> {
    let data = &response.data;
    let Some(order_id) = data.order_id.as_deref() else {
        let mut error = call.error(
            ErrorKind::OutcomeUnknown,
            "Fuuffy answered HTTP 200 without the new order's id: the order was probably created; list the orders (its client_remarks is the reference) before creating it again",
        );
        error.set_http_status(200);
        return Err(error);
    };
    let status = data
        .order_status
        .as_ref()
        .map_or(OrderStatus::Unknown, normalize_status);
    let mut order = Order::new(PROVIDER, order_id, status);
    order.provider_status = data.order_status.as_ref().map(|s| s.as_str().to_owned());
    order.tracking_number = data.tracking_number.clone();
    order.price = price(data.quote_price.as_ref());
    order.created_at = data.create_time.clone();
    Ok(order.with_response(response))
}

fn shipment_detail(
    order: &NewOrder,
    options: &FuuffyOptions,
) -> Result<types::NewShipmentDetail, String> {
    let package_type = types::CreatePackageType::from(
        required(
            options.package_type,
            "options.fuuffy.package_type",
            "`parcel`, `document` or `envelope`",
        )?
        .as_str(),
    );
    let declaration = required(
        options.consignment_declaration.as_deref(),
        "options.fuuffy.consignment_declaration",
        "what the shipment holds",
    )?;
    if options.parcels.is_empty() {
        return Err(
            "options.fuuffy.parcels is required: at least one parcel, with its act_weight"
                .to_owned(),
        );
    }
    let items = match options.parcels.len() {
        1 => parcel_items(order)?,
        _ => None,
    };
    let parcel_list = options
        .parcels
        .iter()
        .enumerate()
        .map(|(i, parcel)| {
            Ok(types::NewParcel {
                act_weight: field(
                    &format!("options.fuuffy.parcels[{i}].act_weight"),
                    &parcel.act_weight,
                )?,
                length: parcel.length.clone(),
                width: parcel.width.clone(),
                height: parcel.height.clone(),
                parcel_items: items.clone(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(types::NewShipmentDetail {
        package_type,
        consignment_declaration: field("options.fuuffy.consignment_declaration", declaration)?,
        parcel_list,
    })
}

/// The order's items as Fuuffy's parcel items (`None` for none). Fuuffy declares item values
/// in HKD (`single_value`, <https://api-docs.fuuffy.com/api/orders/get>; HKD is also its
/// default currency, <https://api-docs.fuuffy.com/api/rates/get>): unit prices of an order
/// in another currency are refused rather than declared wrongly.
fn parcel_items(order: &NewOrder) -> Result<Option<Vec<types::ParcelItem>>, String> {
    if order.items.is_empty() {
        return Ok(None);
    }
    let currency = order.currency.as_deref().map(str::trim);
    if let Some(currency) = currency.filter(|c| !c.eq_ignore_ascii_case("HKD"))
        && let Some(i) = order.items.iter().position(|item| item.unit_price.is_some())
    {
        return Err(format!(
            "items[{i}].unit_price is in {currency:?}, but Fuuffy declares item values in HKD: give HKD prices (currency \"HKD\") or none"
        ));
    }
    Ok(Some(
        order
            .items
            .iter()
            .map(|item| types::ParcelItem {
                name: Some(item.name.clone().unwrap_or_else(|| item.sku.clone())),
                qty: Some(item.quantity.to_string()),
                single_value: item.unit_price.clone(),
            })
            .collect(),
    ))
}

/// A local contact's one address: the recipient's lines, city and state, joined. Hong Kong
/// has no postal codes, and a local contact has no field for one.
fn local_address(recipient: &crate::Recipient) -> String {
    [
        Some(recipient.address1.as_str()),
        recipient.address2.as_deref(),
        Some(recipient.city.as_str()),
        recipient.state.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// The calling code as a local order writes it: no plus sign (`852`).
fn local_prefix(prefix: &str) -> &str {
    prefix.trim().trim_start_matches('+')
}

/// The calling code as an international order writes it: with a plus sign (`+852`).
fn international_prefix(prefix: &str) -> String {
    format!("+{}", local_prefix(prefix))
}

/// `phone` without a leading `+<prefix>` (Fuuffy takes the number and the calling code apart).
fn national_number<'a>(phone: &'a str, prefix: &str) -> &'a str {
    let phone = phone.trim();
    let code = local_prefix(prefix);
    match phone.strip_prefix('+').and_then(|rest| rest.strip_prefix(code)) {
        Some(rest) if !code.is_empty() => rest.trim_start(),
        _ => phone,
    }
}

/// `value`, or the message naming the missing field `path` and what it is.
fn required<T>(value: Option<T>, path: &str, what: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("{path} is required: {what}"))
}

/// `value` as the generated type of the field at `path`, or the message naming the field and
/// the documented limit it breaks.
fn field<'v, T>(path: &str, value: &'v str) -> Result<T, String>
where
    T: TryFrom<&'v str>,
    T::Error: fmt::Display,
{
    T::try_from(value).map_err(|why| format!("{path} is refused: {why}"))
}

/// [`field`] for an optional value.
fn optional<'v, T>(path: &str, value: Option<&'v str>) -> Result<Option<T>, String>
where
    T: TryFrom<&'v str>,
    T::Error: fmt::Display,
{
    value.map(|value| field(path, value)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_loses_only_its_own_calling_code() {
        assert_eq!(national_number("+852 6410 5317", "852"), "6410 5317");
        assert_eq!(national_number("+85264105317", "+852"), "64105317");
        assert_eq!(national_number("64105317", "852"), "64105317");
        assert_eq!(national_number("+49 98765432", "852"), "+49 98765432");
        assert_eq!(national_number("+4998765432", ""), "+4998765432");
    }

    #[test]
    fn calling_codes_are_written_as_each_kind_documents() {
        assert_eq!(local_prefix("+852"), "852");
        assert_eq!(local_prefix(" 852 "), "852");
        assert_eq!(international_prefix("49"), "+49");
        assert_eq!(international_prefix("+49"), "+49");
    }
}
