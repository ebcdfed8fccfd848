//! [`NewOrder`]: one shape for creating an order at any provider.
//!
//! A small common core (the merchant's reference, the recipient, the items, the currency) and
//! a typed options block per provider for what only that provider has, as karrio's shipment
//! request and hyperswitch's connector metadata do. An adapter refuses a `NewOrder` that lacks
//! what its provider requires (`invalid_input`, nothing sent) rather than guess.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::options::{FastpodOptions, FuuffyOptions, LogitrailOptions, OnemgOptions};

/// An order to create, in one shape for every provider (`ordergate schema new-order` prints
/// its JSON Schema; `ordergate create --file ORDER.json` reads one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NewOrder {
    /// The merchant's own id for the order (FastPOD's `reference_id`, Logitrail's
    /// `merchants_order.id`, Tata 1mg's `merchant_order_id`).
    pub reference: String,
    /// Who receives it.
    pub recipient: Recipient,
    /// What is ordered, at least one item.
    pub items: Vec<Item>,
    /// ISO 4217 currency of the items' prices, when they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// What only one provider has, per provider; a provider reads its own block and ignores
    /// the others.
    #[serde(default)]
    pub options: ProviderOptions,
}

impl NewOrder {
    /// An order with the merchant's `reference`, shipped to `recipient`, holding `items`.
    pub fn new(reference: impl Into<String>, recipient: Recipient, items: Vec<Item>) -> Self {
        Self {
            reference: reference.into(),
            recipient,
            items,
            currency: None,
            options: ProviderOptions::default(),
        }
    }

    /// With the items' currency (ISO 4217).
    #[must_use]
    pub fn with_currency(mut self, currency: impl Into<String>) -> Self {
        self.currency = Some(currency.into());
        self
    }

    /// With `options` for the providers.
    #[must_use]
    pub fn with_options(mut self, options: ProviderOptions) -> Self {
        self.options = options;
        self
    }
}

/// Who receives an order, and where.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Recipient {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Company, when the order goes to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number, as the recipient gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// First address line.
    pub address1: String,
    /// Second address line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// City.
    pub city: String,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code (`FI`, `HK`, `IN`, `US`).
    pub country: String,
}

impl Recipient {
    /// A recipient with the required fields; set the optional ones on the value.
    pub fn new(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        address1: impl Into<String>,
        city: impl Into<String>,
        postal_code: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            address1: address1.into(),
            city: city.into(),
            postal_code: postal_code.into(),
            country: country.into(),
            ..Self::default()
        }
    }

    /// `first_name last_name`, for providers that take one name.
    pub fn full_name(&self) -> String {
        match (self.first_name.trim(), self.last_name.trim()) {
            ("", last) => last.to_owned(),
            (first, "") => first.to_owned(),
            (first, last) => format!("{first} {last}"),
        }
    }
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Item {
    /// The merchant's SKU (Logitrail's `merchants_id`).
    pub sku: String,
    /// The product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How many, at least 1.
    pub quantity: u32,
    /// Price of one, as a decimal string (`"12.50"`), in [`NewOrder::currency`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
}

impl Item {
    /// `quantity` of `sku`.
    pub fn new(sku: impl Into<String>, quantity: u32) -> Self {
        Self {
            sku: sku.into(),
            quantity,
            ..Self::default()
        }
    }
}

/// What only one provider has, per provider (each block typed: see its type).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ProviderOptions {
    /// Fuuffy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuuffy: Option<FuuffyOptions>,
    /// Logitrail's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logitrail: Option<LogitrailOptions>,
    /// Tata 1mg's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onemg: Option<OnemgOptions>,
    /// FastPOD's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fastpod: Option<FastpodOptions>,
}
