//! The error codes Logitrail documents, one constant each, for matching an
//! [`ErrorResponse`](crate::types::ErrorResponse)'s `code`
//! (<https://logitrail-integration.readthedocs.io/en/latest/orders/confirm.html> and the
//! docs' error list, <https://logitrail-integration.readthedocs.io/en/latest/>).

/// The order is already confirmed or in another status that cannot be confirmed.
pub const ORDER_NOT_PASSIVE: &str = "order_not_passive";
/// The order is already cancelled.
pub const ORDER_ALREADY_CANCELLED: &str = "order_already_cancelled";
/// The order is already being processed.
pub const ORDER_ALREADY_PROCESSING: &str = "order_already_processing";
/// The order is already processed.
pub const ORDER_ALREADY_PROCESSED: &str = "order_already_processed";
/// Not allowed to access the resource or operation (HTTP 403).
pub const ACCESS_DENIED: &str = "access_denied";
