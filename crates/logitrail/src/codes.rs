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
/// A product line of an order has no `merchants_id`, or an empty one (HTTP 400;
/// <https://logitrail-integration.readthedocs.io/en/latest/orders/create_or_modify.html>).
pub const PRODUCT_MERCHANTS_ID_REQUIRED: &str = "product.merchants_id.required";
/// Some product lines of an order have a `source_id` and others not (HTTP 400; same page).
pub const ITEM_SOURCE_ID_MISSING: &str = "item_source_id_missing";
/// The HTTP method is not allowed on this resource (HTTP 405;
/// <https://logitrail-integration.readthedocs.io/en/latest/errors.html>).
pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
/// An unknown or unclassified error, most likely a server error; `message` may say more
/// (any HTTP status; same page).
pub const UNKNOWN: &str = "unknown";
