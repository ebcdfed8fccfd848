//! Tata 1mg's numeric order statuses (`status_id`, 15 … 180) → [`OrderStatus`].
//!
//! `status_table!` reads a generated string enum (`as_str`, `KNOWN` of values); 1mg's statuses
//! are integer codes ([`OrderStatusId`], whose `KNOWN` holds `(code, name, meaning)` rows), so
//! the table is written here as the `const` the README machinery reads, with each code as its
//! decimal text.

use std::sync::OnceLock;

use ordergate_onemg::types::OrderStatusId;

use crate::OrderStatus;

/// Tata 1mg's order status codes (`order_status.status_id` of an order update: the "Merchant
/// Order Updates" guide's table, <https://onedoc.1mg.com/public_docs/>, and the FAQ's 15, 100
/// and 110; Track Order's example shows 17). 1mg's status names are
/// [`OrderStatusId::KNOWN`]'s.
///
/// - `15` Placed: accepted by 1mg, not yet worked on → `confirmed` (a COD order needs no
///   confirmation; an ONLINE one is placed once its payment is confirmed).
/// - `17` Payment Confirmation Awaited and `180` Waiting for Online Payment →
///   `pending_confirmation`.
/// - `20` Vendor Stock Allocation Failure, `100` Waiting For Rx (a prescription is needed) and
///   `170` Waiting For Fraud Detection → `on_hold`: stopped until someone acts.
/// - `110` … `160` (digitization of the prescription, stock allocation, packaging,
///   validation) → `processing`.
/// - `25` To Be Delivered, `30` Out for Delivery and `45` Deliver Again → `shipped`; `40` →
///   `delivered`.
/// - `95` Cancellation Initiated and `99` Cancelled → `cancelled` (the order will not be
///   delivered once a cancellation is initiated).
/// - The return: `140` Request for Return and Refund and `141` Out for Return and Refund →
///   `on_hold` (the order is off its way to the customer until the return is settled), `142`
///   Returned and Refunded → `cancelled` (the sale is undone). The normalized vocabulary has
///   no `returned`; the code is always kept as `provider_status`.
pub const STATUSES: &[(&str, OrderStatus)] = &[
    ("15", OrderStatus::Confirmed),
    ("17", OrderStatus::PendingConfirmation),
    ("20", OrderStatus::OnHold),
    ("25", OrderStatus::Shipped),
    ("30", OrderStatus::Shipped),
    ("40", OrderStatus::Delivered),
    ("45", OrderStatus::Shipped),
    ("95", OrderStatus::Cancelled),
    ("99", OrderStatus::Cancelled),
    ("100", OrderStatus::OnHold),
    ("110", OrderStatus::Processing),
    ("120", OrderStatus::Processing),
    ("130", OrderStatus::Processing),
    ("131", OrderStatus::Processing),
    ("132", OrderStatus::Processing),
    ("140", OrderStatus::OnHold),
    ("141", OrderStatus::OnHold),
    ("142", OrderStatus::Cancelled),
    ("160", OrderStatus::Processing),
    ("170", OrderStatus::OnHold),
    ("180", OrderStatus::PendingConfirmation),
];

/// The normalized status of 1mg status code `status` ([`STATUSES`]); `unknown` for a code no
/// row has.
pub fn normalize_status(status: &OrderStatusId) -> OrderStatus {
    crate::tables::normalize(STATUSES, &status.0.to_string())
}

/// The codes 1mg documents ([`OrderStatusId::KNOWN`]), as decimal text.
pub(crate) fn documented_statuses() -> Vec<&'static str> {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES
        .get_or_init(|| {
            OrderStatusId::KNOWN
                .iter()
                .map(|(code, _, _)| code.to_string())
                .collect()
        })
        .iter()
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every documented code, by its generated constant, row by row.
    #[test]
    fn every_code_maps_as_documented() {
        use OrderStatus::*;
        let expected = [
            (OrderStatusId::PLACED, Confirmed),
            (OrderStatusId::PAYMENT_CONFIRMATION_AWAITED, PendingConfirmation),
            (OrderStatusId::VENDOR_STOCK_ALLOCATION_FAILURE, OnHold),
            (OrderStatusId::TO_BE_DELIVERED, Shipped),
            (OrderStatusId::OUT_FOR_DELIVERY, Shipped),
            (OrderStatusId::DELIVERED, Delivered),
            (OrderStatusId::DELIVER_AGAIN, Shipped),
            (OrderStatusId::CANCELLATION_INITIATED, Cancelled),
            (OrderStatusId::CANCELLED, Cancelled),
            (OrderStatusId::WAITING_FOR_RX, OnHold),
            (OrderStatusId::WAITING_FOR_DIGITIZATION, Processing),
            (OrderStatusId::VENDOR_STOCK_ALLOCATION, Processing),
            (OrderStatusId::PACKAGING, Processing),
            (OrderStatusId::STOCK_ARRANGEMENT, Processing),
            (OrderStatusId::VENDOR_PACKAGING, Processing),
            (OrderStatusId::REQUEST_FOR_RETURN_AND_REFUND, OnHold),
            (OrderStatusId::OUT_FOR_RETURN_AND_REFUND, OnHold),
            (OrderStatusId::RETURNED_AND_REFUNDED, Cancelled),
            (OrderStatusId::S1_ACCEPTED_AND_VALIDATION, Processing),
            (OrderStatusId::WAITING_FOR_FRAUD_DETECTION, OnHold),
            (OrderStatusId::WAITING_FOR_ONLINE_PAYMENT, PendingConfirmation),
        ];
        assert_eq!(expected.len(), OrderStatusId::KNOWN.len());
        assert_eq!(STATUSES.len(), OrderStatusId::KNOWN.len());
        for (code, status) in expected {
            assert_eq!(normalize_status(&code), status, "{code} {:?}", code.name());
        }
    }

    #[test]
    fn the_documented_codes_are_the_generated_ones() {
        assert_eq!(
            documented_statuses(),
            [
                "15", "17", "20", "25", "30", "40", "45", "95", "99", "100", "110", "120", "130",
                "131", "132", "140", "141", "142", "160", "170", "180"
            ]
        );
    }

    #[test]
    fn a_code_not_in_the_table_is_unknown() {
        for code in [0, 16, 41, 999, -15, i64::MAX, i64::MIN] {
            assert_eq!(
                normalize_status(&OrderStatusId(code)),
                OrderStatus::Unknown,
                "{code}"
            );
        }
    }
}
