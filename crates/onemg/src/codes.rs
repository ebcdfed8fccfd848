//! The error messages Tata 1mg uses as codes (its error envelope has no code field), one
//! constant each, for matching an [`ErrorResponse`](crate::types::ErrorResponse)'s
//! `error.message` (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/confirm-order-api>).

/// The order does not exist (arrives with HTTP 500).
pub const ORDER_NOT_FOUND: &str = "Order not found";
/// The order cannot be confirmed in its state (arrives with HTTP 500).
pub const MAP_PAYMENT_FAILED: &str = "Map payment to order operation failed";
/// The order's status does not allow the operation.
pub const INVALID_ORDER_STATUS: &str = "Invalid order status for this operation";
