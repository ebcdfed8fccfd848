//! Fuuffy's block of [`NewOrder::options`](crate::NewOrder::options).
//!
//! Fuuffy creates local orders (within Hong Kong,
//! <https://api-docs.fuuffy.com/api/orders/createlocal>) and international ones
//! (<https://api-docs.fuuffy.com/api/orders/createinternational>) at one path, told apart by
//! `ship_type`. The [`NewOrder`](crate::NewOrder)'s recipient becomes Fuuffy's recipient
//! contact and its reference Fuuffy's `client_remarks`; everything else a create request
//! needs comes from this block.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What only Fuuffy has, for [`create_order`](crate::OrderProvider::create_order).
///
/// The fields marked *required* are checked when the order is created: one that is missing
/// is `invalid_input`, with nothing sent, and the error names it (`options.fuuffy.sender`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FuuffyOptions {
    /// Required. `local` for a shipment within Hong Kong, `intl` for one abroad
    /// (<https://api-docs.fuuffy.com/api/orders/createlocal>,
    /// <https://api-docs.fuuffy.com/api/orders/createinternational>).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_type: Option<FuuffyShipType>,
    /// Required. The courier service code, one of Get Rates' answers
    /// (<https://api-docs.fuuffy.com/api/rates/get>): `sf_expresshk_local` for a local
    /// order, `fedex_ip_export` for an international one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_provider: Option<String>,
    /// Required. Who sends the shipment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<FuuffyContact>,
    /// Required. The country calling code of the recipient's phone
    /// ([`Recipient::phone`](crate::Recipient::phone), which Fuuffy takes without it):
    /// `852`, `+49`. Given with or without the plus sign; sent as each kind of order
    /// documents it (a local order without, an international one with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_mobile_prefix: Option<String>,
    /// Required. What kind of package it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<FuuffyPackageType>,
    /// Required. What the shipment holds, at most 35 characters (`Toys`;
    /// <https://api-docs.fuuffy.com/api/orders/createlocal>).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consignment_declaration: Option<String>,
    /// Required, at least one. The parcels. When there is exactly one, the order's
    /// [`items`](crate::NewOrder::items) are declared as its `parcel_items` (name, quantity
    /// and, in HKD, unit value); Fuuffy's items belong to a parcel, so with several parcels
    /// they are not sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parcels: Vec<FuuffyParcel>,
}

/// Fuuffy's two kinds of order (`ship_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub enum FuuffyShipType {
    /// Within Hong Kong (<https://api-docs.fuuffy.com/api/orders/createlocal>): contacts with
    /// one free-form address and a calling code without a plus sign.
    #[serde(rename = "local")]
    Local,
    /// Abroad (<https://api-docs.fuuffy.com/api/orders/createinternational>): contacts with an
    /// email, a country, and address lines of 5 to 29 characters.
    #[serde(rename = "intl")]
    Intl,
}

impl FuuffyShipType {
    /// The value as Fuuffy writes it: `local` or `intl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Intl => "intl",
        }
    }
}

/// The kind of package (`shipment_detail.package_type`,
/// <https://api-docs.fuuffy.com/api/orders/createlocal>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FuuffyPackageType {
    /// A parcel.
    Parcel,
    /// A document.
    Document,
    /// An envelope.
    Envelope,
}

impl FuuffyPackageType {
    /// The value as Fuuffy writes it: `parcel`, `document` or `envelope`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parcel => "parcel",
            Self::Document => "document",
            Self::Envelope => "envelope",
        }
    }
}

/// A Fuuffy contact, the sender of an order (its fields as Fuuffy names them:
/// <https://api-docs.fuuffy.com/api/orders/createlocal>,
/// <https://api-docs.fuuffy.com/api/orders/createinternational>). A local order reads `name`,
/// `mobile`, `mobile_prefix`, `email` and `address`; an international one all of them, and
/// requires `email` and `country`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FuuffyContact {
    /// Contact name (at most 35 characters for an international order).
    pub name: String,
    /// Company name, at most 35 characters (international orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Phone number without the calling code (`64105317`).
    pub mobile: String,
    /// Calling code (`852`, `+852`): given with or without the plus sign; sent as each kind of
    /// order documents it (a local order without, an international one with).
    pub mobile_prefix: String,
    /// Email address, at most 50 characters; required for an international order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The full address (local, at least 5 characters), or address line 1 (international, 5
    /// to 29 characters).
    pub address: String,
    /// Address line 2, at most 29 characters (international orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_2: Option<String>,
    /// Address line 3, at most 29 characters (international orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_3: Option<String>,
    /// City, one of Get States & Cities' values (<https://api-docs.fuuffy.com/api/country/list>;
    /// international orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province code, one of Get States & Cities' values (international orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal code (international orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code; required for an international order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl FuuffyContact {
    /// A contact with the fields every order needs; set the others on the value.
    pub fn new(
        name: impl Into<String>,
        mobile: impl Into<String>,
        mobile_prefix: impl Into<String>,
        address: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            mobile: mobile.into(),
            mobile_prefix: mobile_prefix.into(),
            address: address.into(),
            ..Self::default()
        }
    }
}

/// One parcel (`shipment_detail.parcel_list[]`,
/// <https://api-docs.fuuffy.com/api/orders/createlocal>): decimal strings, as Fuuffy takes
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FuuffyParcel {
    /// Actual weight in kg, at least 0.01 (`"0.5"`).
    pub act_weight: String,
    /// Length in cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<String>,
    /// Width in cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<String>,
    /// Height in cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<String>,
}

impl FuuffyParcel {
    /// A parcel weighing `act_weight` kg (a decimal string); set the sizes on the value.
    pub fn new(act_weight: impl Into<String>) -> Self {
        Self {
            act_weight: act_weight.into(),
            ..Self::default()
        }
    }
}
