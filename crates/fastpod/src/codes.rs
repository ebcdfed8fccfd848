//! The error messages FastPOD documents (its error body has no code field), one constant
//! each, for matching an [`ErrorResponse`](crate::types::ErrorResponse)'s `message`
//! (<https://fastpodapi.apidog.io/api-4681586>).

/// A status change other than `draft`/`on_hold` to `new_order` (HTTP 4xx).
pub const TRANSITION_REFUSED: &str =
    "Only allowed to change the order status from draft or on_hold to new_order.";
/// The part of [`TRANSITION_REFUSED`] that identifies it whatever follows.
pub const TRANSITION_RULE: &str = "Only allowed to change the order status";
/// A missing or wrong API token.
pub const UNAUTHENTICATED: &str = "Unauthenticated.";
/// An unknown order id.
pub const ORDER_NOT_FOUND: &str = "Order not found.";
/// What the message of a refused cancel contains (HTTP 4xx). FastPOD documents no message for
/// it (<https://fastpodapi.apidog.io/api-4681586> shows only the success), so the word is
/// matched rather than a sentence: inferred, not seen.
pub const CANCEL_RULE: &str = "cancel";
