//! The order statuses the 1mg fake uses: eight of 1mg's numeric order statuses (the spec's
//! `OrderStatusId`, from the "Merchant Order Updates" guide's table,
//! <https://onedoc.1mg.com/public_docs/>), spelled as 1mg sends them, as the number.
//!
//! The path an order takes on the sandbox clock, one status per [`ADVANCE_STEP`](crate::ADVANCE_STEP):
//!
//! ```text
//! 17 Payment Confirmation Awaited --confirm (payment SUCCESS)--> 15 Placed
//! 15 Placed --> 120 Vendor Stock Allocation --> 130 Packaging --> 25 To Be Delivered
//!    --> 30 Out for Delivery --> 40 Delivered
//! 17, 15, 120 --cancel--> 99 Cancelled        (130 and later: cancel refused)
//! ```
//!
//! A COD order starts at 15 (1mg places it at once); an ONLINE order at 17 until it is
//! confirmed. The clock does not move an order at 17, 40 or 99.

use ordergate_onemg::types;

use crate::store;

/// One of the fake's order statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// 17: an ONLINE order waiting for Confirm Order.
    PaymentConfirmationAwaited,
    /// 15: placed (a COD order at once, an ONLINE one once confirmed).
    Placed,
    /// 120.
    VendorStockAllocation,
    /// 130: packing; from here on an order cannot be cancelled.
    Packaging,
    /// 25.
    ToBeDelivered,
    /// 30.
    OutForDelivery,
    /// 40: finished.
    Delivered,
    /// 99: finished.
    Cancelled,
}

impl Status {
    /// 1mg's numeric code.
    pub(crate) fn code(self) -> i64 {
        match self {
            Self::PaymentConfirmationAwaited => 17,
            Self::Placed => 15,
            Self::VendorStockAllocation => 120,
            Self::Packaging => 130,
            Self::ToBeDelivered => 25,
            Self::OutForDelivery => 30,
            Self::Delivered => 40,
            Self::Cancelled => 99,
        }
    }

    /// The status's meaning, as the spec's `x-ordergate-codes` (the guide's table) gives it:
    /// the webhook's `order_status.title`.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Self::PaymentConfirmationAwaited => "Payment Confirmation Awaited",
            Self::Placed => "Placed",
            Self::VendorStockAllocation => "Vendor Stock Allocation",
            Self::Packaging => "Packaging",
            Self::ToBeDelivered => "To Be Delivered",
            Self::OutForDelivery => "Out for Delivery",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Order Cancelled",
        }
    }

    /// The webhook's `order_status.subtitle`: Track Merchant Order's example has "As per Your
    /// Request" for a cancelled order; the fake sends none for the others.
    pub(crate) fn subtitle(self) -> Option<&'static str> {
        (self == Self::Cancelled).then_some("As per Your Request")
    }

    /// The status the sandbox clock moves an order in this status to, if any.
    pub(crate) fn next(self) -> Option<Self> {
        match self {
            Self::Placed => Some(Self::VendorStockAllocation),
            Self::VendorStockAllocation => Some(Self::Packaging),
            Self::Packaging => Some(Self::ToBeDelivered),
            Self::ToBeDelivered => Some(Self::OutForDelivery),
            Self::OutForDelivery => Some(Self::Delivered),
            Self::PaymentConfirmationAwaited | Self::Delivered | Self::Cancelled => None,
        }
    }

    /// Whether Cancel Order accepts an order in this status: before packing (cancel-order
    /// page: "before it moves to the packing stage").
    pub(crate) fn cancellable(self) -> bool {
        matches!(
            self,
            Self::PaymentConfirmationAwaited | Self::Placed | Self::VendorStockAllocation
        )
    }

    /// Whether the order is finished (evicted first from a full store).
    pub(crate) fn finished(self) -> bool {
        matches!(self, Self::Delivered | Self::Cancelled)
    }

    /// The webhook's `order_status`.
    pub(crate) fn order_status(self) -> types::GroupedOrderStatus {
        types::GroupedOrderStatus {
            status_id: Some(types::OrderStatusId(self.code())),
            title: Some(self.title().to_owned()),
            subtitle: self.subtitle().map(str::to_owned),
        }
    }
}

/// The most moves [`Status::next`] makes in a row (15 to 40): more steps move nothing more.
pub(crate) const LONGEST_PATH: u64 = 5;

impl store::Status for Status {
    const KNOWN: &'static [Self] = &[
        Self::PaymentConfirmationAwaited,
        Self::Placed,
        Self::VendorStockAllocation,
        Self::Packaging,
        Self::ToBeDelivered,
        Self::OutForDelivery,
        Self::Delivered,
        Self::Cancelled,
    ];

    fn as_str(&self) -> &str {
        match self {
            Self::PaymentConfirmationAwaited => "17",
            Self::Placed => "15",
            Self::VendorStockAllocation => "120",
            Self::Packaging => "130",
            Self::ToBeDelivered => "25",
            Self::OutForDelivery => "30",
            Self::Delivered => "40",
            Self::Cancelled => "99",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Status as _;

    #[test]
    fn spelled_as_the_code_and_on_one_path() {
        for status in Status::KNOWN {
            assert_eq!(status.as_str(), status.code().to_string());
        }
        let mut status = Status::Placed;
        let mut path = vec![status.code()];
        while let Some(next) = status.next() {
            status = next;
            path.push(status.code());
        }
        assert_eq!(path, [15, 120, 130, 25, 30, 40]);
        assert_eq!(path.len() as u64, LONGEST_PATH + 1);
        let cancellable: Vec<i64> = Status::KNOWN
            .iter()
            .filter(|s| s.cancellable())
            .map(|s| s.code())
            .collect();
        assert_eq!(cancellable, [17, 15, 120]);
    }
}
