//! The normalized order status every adapter maps its provider's statuses into.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where an order stands, in one vocabulary across providers (serialized `snake_case`).
///
/// Each adapter maps its provider's statuses with one exhaustive table (shown in the crate
/// README and tested row by row). A status the table does not know becomes
/// [`OrderStatus::Unknown`]; the provider's raw value is always kept beside it, in
/// [`Order::provider_status`](crate::Order::provider_status). Nothing is guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderStatus {
    /// Created but not submitted.
    Draft,
    /// Submitted; awaiting confirmation or payment.
    PendingConfirmation,
    /// Confirmed (and paid where the provider charges on confirmation); not yet handed over.
    Confirmed,
    /// Being worked on: label printing, production, picking.
    Processing,
    /// Stopped until someone acts (manual handling, missing stock, payment).
    OnHold,
    /// With the carrier.
    Shipped,
    /// Delivered to the recipient.
    Delivered,
    /// Finished from the provider's point of view.
    Completed,
    /// Cancelled or deleted.
    Cancelled,
    /// Refused by the provider.
    Rejected,
    /// A provider status the adapter's table does not know.
    Unknown,
}

impl OrderStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 11] = [
        Self::Draft,
        Self::PendingConfirmation,
        Self::Confirmed,
        Self::Processing,
        Self::OnHold,
        Self::Shipped,
        Self::Delivered,
        Self::Completed,
        Self::Cancelled,
        Self::Rejected,
        Self::Unknown,
    ];

    /// The serialized name (`pending_confirmation`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::PendingConfirmation => "pending_confirmation",
            Self::Confirmed => "confirmed",
            Self::Processing => "processing",
            Self::OnHold => "on_hold",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Rejected => "rejected",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_names_match_as_str() {
        for status in OrderStatus::ALL {
            let json = serde_json::to_string(&status).expect("serializes");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }
}
