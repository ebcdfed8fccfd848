//! The error codes Fuuffy documents, one constant each, for matching an
//! [`ErrorResponse`](crate::types::ErrorResponse)'s `code` and `code_reason`
//! (<https://api-docs.fuuffy.com/api/orders/confirm>,
//! <https://api-docs.fuuffy.com/api/orders/get>,
//! <https://api-docs.fuuffy.com/authentication>).

/// `code` of a request Fuuffy refused as malformed (with reason [`BAD_REQUEST`]).
pub const BAD_REQUEST_CODE: &str = "400000";
/// `code_reason` of a request Fuuffy refused as malformed.
pub const BAD_REQUEST: &str = "BAD_REQUEST";
/// `code` of a lookup of an unknown order (with reason [`ORDER_NOT_FOUND`]).
pub const ORDER_NOT_FOUND_CODE: &str = "400201";
/// `code_reason` of a lookup of an unknown order.
pub const ORDER_NOT_FOUND: &str = "ORDER_NOT_FOUND";
/// `code` of a confirm that found no pending order with that id (with reason
/// [`NO_ORDERS_FOUND`]).
pub const NO_ORDERS_FOUND_CODE: &str = "400211";
/// `code_reason` of a confirm that found no pending order with that id: the order is unknown
/// or no longer pending.
pub const NO_ORDERS_FOUND: &str = "NO_ORDERS_FOUND";
/// `code` of a request without a valid access token (with reason [`UNAUTHORIZED`]).
pub const UNAUTHORIZED_CODE: &str = "401000";
/// `code_reason` of a request without a valid access token.
pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
/// `code` of an expired or revoked access token.
pub const INVALID_TOKEN: &str = "invalid_token";
/// `code` of the token endpoint refusing the client id or secret.
pub const INVALID_CLIENT: &str = "invalid_client";
/// `code` of a throttled request (HTTP 429; `X-RateLimit-Reset` says when to retry).
pub const RATE_LIMIT_EXCEEDED: &str = "rate_limit_exceeded";
