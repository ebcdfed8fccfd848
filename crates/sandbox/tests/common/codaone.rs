//! What the existing Logitrail clients send: the Codaone Magento 2 and WooCommerce modules
//! (<https://github.com/Codaone/magento2_logitrail_module>,
//! <https://github.com/Codaone/woocommerce_logitrail_module>), byte for byte, for the
//! sandbox to accept as the real API does.
//!
//! Both modules share one `ApiClient` (Magento: `Lib/ApiClient.php`, WooCommerce:
//! `includes/ApiClient.php`, the same code) whose private `doPost($url, $data)` makes every
//! API call with PHP's curl:
//! - method `POST` (`CURLOPT_CUSTOMREQUEST`), redirects followed (`CURLOPT_FOLLOWLOCATION`);
//! - `Authorization: Basic base64("M-<merchant id>:<secret>")` (`CURLOPT_HTTPAUTH` Basic with
//!   `CURLOPT_USERPWD`), sent with the first request;
//! - with a body: `Content-Type: application/json` and `Content-Length: strlen($postData)`
//!   (bytes), the body being `json_encode($data)` with no flags: compact, keys in insertion
//!   order, `/` escaped as `\/`, every non-ASCII character as a lowercase `\uXXXX`, floats
//!   with no fraction written as integers (`250.0` is `250`), others in shortest round-trip
//!   form (`1.0150 kg * 1000` is `1014.9999999999999`), PHP `null`/`false`/`""` as they are;
//! - without a body (confirm): no `Content-Type`, no `Content-Length`, no body at all;
//! - curl's own `Accept: */*`; no `User-Agent` (PHP's curl sets none).
//!
//! The values' types are what the shops hand the client: Magento (the PHP 7 versions the
//! module targets) loads ids and EAV attributes from MySQL as strings, WooCommerce passes
//! its order id as an integer and multiplies its string dimensions into numbers.

#![allow(dead_code)] // each test binary uses part of this module

/// The merchant id of these requests (Logitrail's Basic username is `M-shop.example`).
pub const MERCHANT_ID: &str = "shop.example";
/// The merchant's API secret in these requests (test data).
pub const SECRET: &str = "s3cret";
/// `Authorization` of every API request: `Basic base64("M-shop.example:s3cret")`
/// (`python3 -c 'import base64; print(base64.b64encode(b"M-shop.example:s3cret").decode())'`).
pub const AUTHORIZATION: &str = "Basic TS1zaG9wLmV4YW1wbGU6czNjcmV0";
/// Logitrail's id of the order the requests update and confirm (24 hex digits), as the shops
/// store it after the checkout.
pub const LOGITRAIL_ORDER_ID: &str = "59bd0f1d8e9d3d0d1c4d2a3b";

/// Which Codaone module makes a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodaoneClient {
    /// `Codaone/magento2_logitrail_module`.
    Magento2,
    /// `Codaone/woocommerce_logitrail_module`.
    WooCommerce,
}

/// One Logitrail API request as a Codaone client sends it.
#[derive(Clone, Copy, Debug)]
pub struct ClientRequest {
    /// The module sending it.
    pub client: CodaoneClient,
    /// The `ApiClient` function that sends it, and from which shop code.
    pub source: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path relative to the base URL, which ends with `/2015-01-01/`.
    pub path: &'static str,
    /// Every header but `Host` and `Content-Length`, in curl's order and spelling.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body, exactly; `None` when the request has none (no `Content-Length` either).
    pub body: Option<&'static str>,
}

impl ClientRequest {
    /// The `Content-Length` the client sends: the body's length in bytes, or none.
    pub fn content_length(&self) -> Option<usize> {
        self.body.map(str::len)
    }
}

const JSON_HEADERS: &[(&str, &str)] = &[
    ("Authorization", AUTHORIZATION),
    ("Accept", "*/*"),
    ("Content-Type", "application/json"),
];

const NO_BODY_HEADERS: &[(&str, &str)] = &[("Authorization", AUTHORIZATION), ("Accept", "*/*")];

/// Magento's order update, sent before every confirm (`ApiClient::updateOrder`, called by
/// `Model/Logitrail.php` `confirmOrder` and `updateOrder`,
/// <https://github.com/Codaone/magento2_logitrail_module/blob/master/Lib/ApiClient.php>):
/// `merchants_order` is Magento's entity id as a string, the street lines joined with a
/// space, an empty company `null`. No products (the client does not update them).
pub const MAGENTO_UPDATE_ORDER: ClientRequest = ClientRequest {
    client: CodaoneClient::Magento2,
    source: "ApiClient::updateOrder from Model/Logitrail.php confirmOrder",
    method: "POST",
    path: "orders/59bd0f1d8e9d3d0d1c4d2a3b",
    headers: JSON_HEADERS,
    body: Some(
        r#"{"merchants_order":"42","customer":{"firstName":"Maija","lastName":"Meik\u00e4l\u00e4inen","email":"maija@example.com","phoneNumber":"+358401234567","address":"Mannerheimintie 1 A 2","city":"Helsinki","postalCode":"00100","organizationName":null,"countryCode":"FI"}}"#,
    ),
};

/// Magento's confirm, right after [`MAGENTO_UPDATE_ORDER`] (`ApiClient::confirmOrder`: a
/// `POST` with no body at all,
/// <https://github.com/Codaone/magento2_logitrail_module/blob/master/Lib/ApiClient.php>).
/// The module reads `tracking_code` and `tracking_url` from the answer.
pub const MAGENTO_CONFIRM_ORDER: ClientRequest = ClientRequest {
    client: CodaoneClient::Magento2,
    source: "ApiClient::confirmOrder from Model/Logitrail.php confirmOrder",
    method: "POST",
    path: "orders/59bd0f1d8e9d3d0d1c4d2a3b/_confirm",
    headers: NO_BODY_HEADERS,
    body: None,
};

/// Magento's product upsert, one request per product (`ApiClient::createProducts` from
/// `Model/Logitrail.php` `addProducts`,
/// <https://github.com/Codaone/magento2_logitrail_module/blob/master/Lib/ApiClient.php>):
/// the id and the module's `width`/`height`/`length` attributes (integers in millimetres,
/// loaded as strings) are strings; the weight is Magento's kilograms times 1000, a float
/// (`"1.0150" * 1000`).
pub const MAGENTO_UPSERT_PRODUCT: ClientRequest = ClientRequest {
    client: CodaoneClient::Magento2,
    source: "ApiClient::createProducts from Model/Logitrail.php addProducts",
    method: "POST",
    path: "products/",
    headers: JSON_HEADERS,
    body: Some(
        r#"{"merchants_id":"17","name":"T-paita S\/M","gtin":"6410000000001","weight":1014.9999999999999,"dimensions":["300","200","20"]}"#,
    ),
};

/// Magento's product upsert of a product without the module's attributes filled in: `gtin`
/// `null` and `dimensions` three `null`s (same source as [`MAGENTO_UPSERT_PRODUCT`]).
pub const MAGENTO_UPSERT_BARE_PRODUCT: ClientRequest = ClientRequest {
    client: CodaoneClient::Magento2,
    source: "ApiClient::createProducts from Model/Logitrail.php addProducts",
    method: "POST",
    path: "products/",
    headers: JSON_HEADERS,
    body: Some(
        r#"{"merchants_id":"18","name":"Kahvimuki","gtin":null,"weight":250,"dimensions":[null,null,null]}"#,
    ),
};

/// WooCommerce's order update before its confirm (`ApiClient::updateOrder` from
/// `logitrail-woocommerce.php` `logitrail_payment_complete`,
/// <https://github.com/Codaone/woocommerce_logitrail_module/blob/master/includes/ApiClient.php>):
/// `merchants_order` is the WooCommerce order id as a number, the address is
/// `address_1 . ' ' . address_2` (a trailing space when the second line is empty), an empty
/// company `""`.
pub const WOOCOMMERCE_UPDATE_ORDER: ClientRequest = ClientRequest {
    client: CodaoneClient::WooCommerce,
    source: "ApiClient::updateOrder from logitrail-woocommerce.php logitrail_payment_complete",
    method: "POST",
    path: "orders/59bd0f1d8e9d3d0d1c4d2a3b",
    headers: JSON_HEADERS,
    body: Some(
        r#"{"merchants_order":1234,"customer":{"firstName":"Maija","lastName":"Meik\u00e4l\u00e4inen","email":"maija@example.com","phoneNumber":"0401234567","address":"Mannerheimintie 1 ","city":"Helsinki","postalCode":"00100","organizationName":"","countryCode":"FI"}}"#,
    ),
};

/// WooCommerce's confirm (`ApiClient::confirmOrder`, no body; the module reads
/// `tracking_url` from the answer).
pub const WOOCOMMERCE_CONFIRM_ORDER: ClientRequest = ClientRequest {
    client: CodaoneClient::WooCommerce,
    source: "ApiClient::confirmOrder from logitrail-woocommerce.php logitrail_payment_complete",
    method: "POST",
    path: "orders/59bd0f1d8e9d3d0d1c4d2a3b/_confirm",
    headers: NO_BODY_HEADERS,
    body: None,
};

/// WooCommerce's product upsert (`ApiClient::createProducts` from `logitrail-woocommerce.php`):
/// the SKU as `merchants_id`, the `barcode` post meta (`""` when unset), the weight in
/// kilograms times 1000 and the dimensions in centimetres times 10, numbers.
pub const WOOCOMMERCE_UPSERT_PRODUCT: ClientRequest = ClientRequest {
    client: CodaoneClient::WooCommerce,
    source: "ApiClient::createProducts from logitrail-woocommerce.php",
    method: "POST",
    path: "products/",
    headers: JSON_HEADERS,
    body: Some(
        r#"{"merchants_id":"MUG-1","name":"Kahvimuki \u00d88 cm","gtin":"","weight":250,"dimensions":[90,100,90]}"#,
    ),
};

/// Every request above, in the order a shop sends them (update, confirm, products).
pub const ALL: &[ClientRequest] = &[
    MAGENTO_UPDATE_ORDER,
    MAGENTO_CONFIRM_ORDER,
    MAGENTO_UPSERT_PRODUCT,
    MAGENTO_UPSERT_BARE_PRODUCT,
    WOOCOMMERCE_UPDATE_ORDER,
    WOOCOMMERCE_CONFIRM_ORDER,
    WOOCOMMERCE_UPSERT_PRODUCT,
];

/// What the Codaone modules accept on their webhook URL, for a sandbox that calls them.
///
/// - Magento: `POST <shop>/logitrail/webhook/update` (`Controller/Webhook/Update.php`,
///   <https://github.com/Codaone/magento2_logitrail_module/blob/master/Controller/Webhook/Update.php>).
///   `Authorization` must be exactly `Basic` + one space + base64(`<name>:<key>`) as configured
///   in the shop (the key defaults to 32 hex digits); the decoded pair is split at every `:`.
///   Answers `200` with the text `success` (or `Handling for event type ... not implemented`),
///   `400` `fail` when the credentials do not match or handling fails.
/// - WooCommerce: `POST <shop>/wp-json/logitrail/update/` (`logitrail_update_info` in
///   `logitrail-woocommerce.php`). Reads `getallheaders()['Authorization']`, a case-sensitive
///   key: under Apache the header's name must be sent as `Authorization`, not lower case.
///   Always answers `200` (the REST callback returns nothing), even for wrong credentials.
/// - Body: one event object, not an array. Both parse it with `processWebhookData`
///   (`event_id`, `webhook_id`, `event_type`, `ts` through `strtotime`, `retry_count` as an
///   integer, `payload`); a batch (`[...]`) decodes with every field missing, which Magento
///   acknowledges with `200` without handling anything. Logitrail sends single events to a
///   webhook not configured for batches
///   (<https://logitrail-integration.readthedocs.io/en/latest/webhooks/request_format.html>).
/// - Handled: `order.shipped` (`payload.order.merchants_order.id`, and Magento also
///   `payload.order.tracking_code` and `.tracking_url`) and `product.inventory.change`
///   (WooCommerce: `payload.product.merchants_id` as the SKU and `payload.inventory.available`;
///   Magento reads `payload.product.merchant_id`, sic). Other types are acknowledged.
pub mod webhook {
    /// Magento's webhook path on the shop's host.
    pub const MAGENTO_PATH: &str = "/logitrail/webhook/update";
    /// WooCommerce's webhook path on the shop's host.
    pub const WOOCOMMERCE_PATH: &str = "/wp-json/logitrail/update/";
    /// The webhook user name these examples configure in the shop.
    pub const USERNAME: &str = "logitrail";
    /// The webhook key these examples configure in the shop (Magento's default is
    /// `md5(base64_encode(random_bytes(32)))`, 32 hex digits).
    pub const PASSWORD: &str = "0c5a8f3e6b2d4f1a9e7c3b5d8a1f2e4c";
    /// `Authorization` for [`USERNAME`] and [`PASSWORD`]
    /// (`python3 -c 'import base64; print(base64.b64encode(b"logitrail:0c5a8f3e6b2d4f1a9e7c3b5d8a1f2e4c").decode())'`).
    pub const AUTHORIZATION: &str =
        "Basic bG9naXRyYWlsOjBjNWE4ZjNlNmIyZDRmMWE5ZTdjM2I1ZDhhMWYyZTRj";

    /// An `order.shipped` event as the modules read it: one object, `merchants_order` as
    /// `{id, time}` (the modules read `.id`), the status the docs give a shipped order
    /// (`processed`). Tracking values are made up: the docs show none.
    pub const ORDER_SHIPPED: &str = r#"{"event_id":"2016-01-18T08:17:55_5499362b1fb35e73548b45af","webhook_id":"shop.example_5499362b1fb35e73118b45ad","event_type":"order.shipped","ts":"2016-01-18T08:17:55+00:00","retry_count":0,"payload":{"order":{"id":"59bd0f1d8e9d3d0d1c4d2a3b","merchants_order":{"id":"42","time":"2016-01-18T08:10:00+00:00"},"status":"processed","tracking_code":"LT123456789FI","tracking_url":"https://tracking.example/LT123456789FI"},"shipment":{"id":"5499362b1fb35e73548b45b0","carrier_tracking_code":"JJFI64123450000123456"}}}"#;

    /// A `product.inventory.change` event as the WooCommerce module reads it: the product
    /// under `payload.product`, its quantities under `payload.inventory`.
    pub const PRODUCT_INVENTORY_CHANGE: &str = r#"{"event_id":"2016-01-18T08:20:00_5499362b1fb35e73548b45c1","webhook_id":"shop.example_5499362b1fb35e73118b45ad","event_type":"product.inventory.change","ts":"2016-01-18T08:20:00+00:00","retry_count":0,"payload":{"product":{"id":"5499362b1fb35e73548b45aa","merchants_id":"MUG-1","name":"Kahvimuki Ø8 cm","gtin":""},"inventory":{"inbound":0,"in_stock":8,"available":5,"reserved":3,"on_hold":0}}}"#;
}
