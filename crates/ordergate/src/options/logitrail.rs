//! Logitrail's block of [`NewOrder::options`](crate::NewOrder::options).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What only Logitrail has, for [`create_order`](crate::OrderProvider::create_order): the
/// fields of Logitrail's "Order JSON Object" that the common core of
/// [`NewOrder`](crate::NewOrder) does not carry
/// (<https://logitrail-integration.readthedocs.io/en/latest/orders/create_or_modify.html>).
///
/// `destination` is required: it is how Logitrail ships the order, and the choice (a parcel,
/// a letter or a pickup point) changes its price and delivery, so ordergate does not make it
/// for the merchant. An order without this block, or without `destination`, is refused
/// (`invalid_input`) before anything is sent.
///
/// ```json
/// {"destination": "home", "language": "fi", "tags": ["vip_customer"]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LogitrailOptions {
    /// Where Logitrail ships the order (required): `home` (to the recipient's address as a
    /// parcel or courier delivery), `letter` (to the recipient's address as a letter) or the
    /// 24-hex-digit id of a pickup point (see Logitrail's pickup point lookup,
    /// <https://logitrail-integration.readthedocs.io/en/latest/pickup_points/lookup.html>).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// The order's language, for Logitrail's messages to the recipient: `fi`, `en` or `sv`
    /// (another value is refused, `invalid_input`, before anything is sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = "^(fi|en|sv)$"))]
    pub language: Option<String>,
    /// When the merchant's order was placed (ISO 8601, `2016-01-18T08:17:55+00:00`): sent
    /// with the reference as `merchants_order {id, time}`; without it, `merchants_order` is
    /// the reference alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_time: Option<String>,
    /// Tags to set on the order (`tags`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Earliest date the shipment should reach the recipient (`not_before`, `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// Latest date the shipment should reach the recipient (`not_after`, `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// The key of a price list to apply to the order (`pricelist`; see
    /// <https://logitrail-integration.readthedocs.io/en/latest/shipping_methods/rules.html>).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricelist: Option<String>,
}

impl LogitrailOptions {
    /// Options shipping to `destination` (`home`, `letter` or a pickup point id).
    pub fn new(destination: impl Into<String>) -> Self {
        Self {
            destination: Some(destination.into()),
            ..Self::default()
        }
    }

    /// With the order's language (`fi`, `en` or `sv`).
    #[must_use]
    pub fn with_language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// With the time the merchant's order was placed (ISO 8601).
    #[must_use]
    pub fn with_order_time(mut self, time: impl Into<String>) -> Self {
        self.order_time = Some(time.into());
        self
    }

    /// With these tags.
    #[must_use]
    pub fn with_tags(mut self, tags: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// With the window the shipment should reach the recipient in (`YYYY-MM-DD`, either end
    /// optional).
    #[must_use]
    pub fn with_delivery_window(
        mut self,
        not_before: Option<String>,
        not_after: Option<String>,
    ) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// With the key of a price list.
    #[must_use]
    pub fn with_pricelist(mut self, pricelist: impl Into<String>) -> Self {
        self.pricelist = Some(pricelist.into());
        self
    }
}
