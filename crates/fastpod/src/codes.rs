//! Error messages for matching an [`ErrorResponse`](crate::types::ErrorResponse)'s `message`
//! (its body has no code field), one constant each. FastPOD documents no error body and no
//! error message: [`TRANSITION_REFUSED`] is the rule the Update Status page states for
//! `order_status` (<https://fastpodapi.apidog.io/api-4681586>); the others are inferred, not
//! seen (Laravel's own messages for an unauthenticated request and a missing record).

/// A status change other than `draft`/`on_hold` to `new_order` (HTTP 4xx): the Update Status
/// page's rule for `order_status`; that FastPOD answers a refused change with this text is
/// inferred.
pub const TRANSITION_REFUSED: &str =
    "Only allowed to change the order status from draft or on_hold to new_order.";
/// The part of [`TRANSITION_REFUSED`] that identifies it whatever follows.
pub const TRANSITION_RULE: &str = "Only allowed to change the order status";
/// A missing or wrong API token. Inferred, not seen: no FastPOD page shows the message.
pub const UNAUTHENTICATED: &str = "Unauthenticated.";
/// An unknown order id. Inferred, not seen: no FastPOD page shows the message.
pub const ORDER_NOT_FOUND: &str = "Order not found.";
/// What the message of a refused cancel contains (HTTP 4xx). FastPOD documents no message for
/// it (<https://fastpodapi.apidog.io/api-4681584> shows only the success), so the word is
/// matched rather than a sentence: inferred, not seen.
pub const CANCEL_RULE: &str = "cancel";
