//! Tata 1mg's block of [`NewOrder::options`](crate::NewOrder::options).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What only Tata 1mg has, for [`create_order`](crate::OrderProvider::create_order): the
/// fields of 1mg's Create Order body that the common part of
/// [`NewOrder`](crate::NewOrder) does not hold
/// (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/create-order-api>, "Request
/// Body").
///
/// ```json
/// {"payment_method": "COD", "payable_amount": "219.00", "coupon_code": "FIRST10",
///  "prescriptions": ["rx-1"], "address_type": "home"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OnemgOptions {
    /// How the customer pays (`payment_method`, required): `COD` or `ONLINE`.
    pub payment_method: OnemgPaymentMethod,
    /// What the customer pays (`payable_amount`, a decimal string in rupees, `"219.00"`):
    /// the amount after coupons and fees. When it is not set, the adapter sends the sum of the
    /// items' `unit_price × quantity`, which needs a price on every item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payable_amount: Option<String>,
    /// A 1mg coupon code (`coupon_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// The order's prescriptions (`prescriptions`), as 1mg's docs type them: strings (the
    /// ids or URLs of uploaded prescriptions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prescriptions: Vec<String>,
    /// The kind of delivery address (`address.type`, `"home"` in 1mg's examples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_type: Option<String>,
}

impl OnemgOptions {
    /// Options paid with `payment_method`, nothing else set.
    pub fn new(payment_method: OnemgPaymentMethod) -> Self {
        Self {
            payment_method,
            payable_amount: None,
            coupon_code: None,
            prescriptions: Vec::new(),
            address_type: None,
        }
    }

    /// Options of a cash-on-delivery order (`COD`).
    pub fn cod() -> Self {
        Self::new(OnemgPaymentMethod::Cod)
    }

    /// Options of an order the merchant collects the payment for (`ONLINE`).
    pub fn online() -> Self {
        Self::new(OnemgPaymentMethod::Online)
    }

    /// With the amount the customer pays (a decimal string, `"219.00"`).
    #[must_use]
    pub fn with_payable_amount(mut self, amount: impl Into<String>) -> Self {
        self.payable_amount = Some(amount.into());
        self
    }

    /// With a 1mg coupon code.
    #[must_use]
    pub fn with_coupon_code(mut self, code: impl Into<String>) -> Self {
        self.coupon_code = Some(code.into());
        self
    }

    /// With these prescriptions.
    #[must_use]
    pub fn with_prescriptions(mut self, prescriptions: impl IntoIterator<Item = String>) -> Self {
        self.prescriptions = prescriptions.into_iter().collect();
        self
    }

    /// With the kind of delivery address (`"home"`).
    #[must_use]
    pub fn with_address_type(mut self, address_type: impl Into<String>) -> Self {
        self.address_type = Some(address_type.into());
        self
    }
}

/// How a Tata 1mg customer pays: "There are two possible values for the payment_method param
/// in the request payload, COD or ONLINE"
/// (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/create-order-api>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub enum OnemgPaymentMethod {
    /// `COD`: cash on delivery. The order needs no confirmation.
    #[serde(rename = "COD")]
    Cod,
    /// `ONLINE`: the merchant collects the payment, then confirms the order
    /// ([`confirm_order`](crate::OrderProvider::confirm_order)); 1mg checks the payment with
    /// the merchant's transaction status API before it accepts the confirmation.
    #[serde(rename = "ONLINE")]
    Online,
}

impl OnemgPaymentMethod {
    /// The value as 1mg spells it (`COD`, `ONLINE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cod => "COD",
            Self::Online => "ONLINE",
        }
    }

    /// Whether it is `ONLINE` (the merchant collects the payment and confirms the order).
    pub fn is_online(self) -> bool {
        self == Self::Online
    }
}
