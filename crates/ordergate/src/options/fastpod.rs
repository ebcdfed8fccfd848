//! FastPOD's block of [`NewOrder::options`](crate::NewOrder::options).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What only FastPOD has, for [`create_order`](crate::OrderProvider::create_order): the fields
/// of FastPOD's Create Order (<https://fastpodapi.apidog.io/api-4681582>) that the common core
/// of [`NewOrder`](crate::NewOrder) does not carry.
///
/// In an order file:
///
/// ```json
/// {"fastpod": {
///   "shipping_method": "standard",
///   "print_areas": {"UTNGDT1W00L": {"front": "https://example.com/front.png"}}
/// }}
/// ```
///
/// Required: [`shipping_method`](Self::shipping_method), [`print_areas`](Self::print_areas)
/// for every item's SKU, and [`label_url`](Self::label_url) for a label order; a missing one
/// is `invalid_input` with nothing sent. Everything else is sent only when set.
///
/// Not here, because the common core or the adapter provides it: the line items' `item_id`
/// (FastPOD's "value that you supply to track line items", required: the adapter sends
/// `<reference>-<n>`, `n` counting the items from 1, so it is the same each time the same
/// order is created); the item prices and the currency (FastPOD prices from its catalog and
/// takes none).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FastpodOptions {
    /// How the order ships (FastPOD's `shipping_method`, required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<FastpodShippingMethod>,
    /// The print file of each print area, per SKU: `{"SKU": {"front": "https://..."}}`
    /// (FastPOD's `line_items[].print_areas`, required for every item). The areas FastPOD
    /// names are `front`, `back`, `pocket`, `neck_label`, `right_sleeve` and `left_sleeve`;
    /// other names are sent as given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub print_areas: BTreeMap<String, BTreeMap<String, String>>,
    /// A preview image per print area, per SKU, in the same shape (FastPOD's
    /// `line_items[].preview_areas`); optional.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub preview_areas: BTreeMap<String, BTreeMap<String, String>>,
    /// A regular order (the default) or a label order, shipped on your own label
    /// (FastPOD's `order_type`, `"1"` or `"2"`; sent only when set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_type: Option<FastpodOrderType>,
    /// The URL of your shipping label (FastPOD's `label_url`): required for a label order,
    /// refused for any other (FastPOD reads it for label orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_url: Option<String>,
    /// The status the order is created in (FastPOD's `order_status`); default
    /// `draft`: created, editable, not charged, so that
    /// [`confirm_order`](crate::OrderProvider::confirm_order) is the step that charges, as
    /// with every provider. `new_order` charges at once and
    /// starts production.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_status: Option<FastpodCreateStatus>,
    /// A test order, "not meant for fulfillment or billing" (FastPOD's `test_order`; FastPOD
    /// has no sandbox host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_order: Option<bool>,
    /// Rush production (only some products, single-item orders). FastPOD's field tables call
    /// it `rush_production` and every one of its request examples `boost_production`, so both
    /// are sent, with this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rush_production: Option<bool>,
    /// A gift message, printed on FastPOD's template (`gift_message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_message: Option<String>,
    /// A coupon for a discount on production or labeling (`coupon_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// A tax identification number, shown on the shipping label (`tax_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    /// What [`tax_id`](Self::tax_id) is: `VAT`, `EORI`, `IOSS`, ... (`tax_id_type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id_type: Option<String>,
}

impl FastpodOptions {
    /// Options shipping by `shipping_method`; add the print areas of each SKU with
    /// [`with_print_areas`](Self::with_print_areas).
    pub fn new(shipping_method: FastpodShippingMethod) -> Self {
        Self {
            shipping_method: Some(shipping_method),
            ..Self::default()
        }
    }

    /// With the print file of each print area of `sku` (`[("front", "https://...")]`).
    #[must_use]
    pub fn with_print_areas<A, U>(
        mut self,
        sku: impl Into<String>,
        areas: impl IntoIterator<Item = (A, U)>,
    ) -> Self
    where
        A: Into<String>,
        U: Into<String>,
    {
        let areas = areas
            .into_iter()
            .map(|(area, url)| (area.into(), url.into()));
        self.print_areas
            .entry(sku.into())
            .or_default()
            .extend(areas);
        self
    }

    /// Whether this is a label order.
    #[cfg_attr(not(feature = "fastpod"), allow(dead_code))]
    pub(crate) fn is_label_order(&self) -> bool {
        self.order_type == Some(FastpodOrderType::Label)
    }

    /// Whether the order is created as `new_order` (charged and produced at once) rather
    /// than `draft`.
    #[cfg_attr(not(feature = "fastpod"), allow(dead_code))]
    pub(crate) fn creates_new_order(&self) -> bool {
        self.order_status == Some(FastpodCreateStatus::NewOrder)
    }
}

/// FastPOD's shipping methods (`shipping_method` 1 to 4,
/// <https://fastpodapi.apidog.io/api-4681582>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FastpodShippingMethod {
    /// Standard (1).
    Standard,
    /// Priority (2).
    Priority,
    /// Express (3).
    Express,
    /// Prime (4).
    Prime,
}

impl FastpodShippingMethod {
    /// FastPOD's code for it (1 to 4).
    pub fn code(self) -> u8 {
        match self {
            Self::Standard => 1,
            Self::Priority => 2,
            Self::Express => 3,
            Self::Prime => 4,
        }
    }
}

/// FastPOD's order types (`order_type`, <https://fastpodapi.apidog.io/api-4681582>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FastpodOrderType {
    /// A regular order, shipped by FastPOD (`"1"`).
    Regular,
    /// A label order, shipped on your own label ([`FastpodOptions::label_url`]) (`"2"`).
    Label,
}

/// The status FastPOD creates an order in (`order_status`,
/// <https://fastpodapi.apidog.io/api-4681582>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FastpodCreateStatus {
    /// Editable, not charged, not produced (`draft`).
    Draft,
    /// Charged automatically and sent to production (`new_order`).
    NewOrder,
}
