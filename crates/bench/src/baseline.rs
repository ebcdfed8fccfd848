//! The baseline: what a user writes by hand with reqwest and serde instead of using ordergate.

use serde::{Deserialize, Serialize};

/// Fuuffy's confirm, by hand: one reqwest client, bearer auth, serde structs.
pub struct RawClient {
    http: reqwest::Client,
    url: String,
    token: String,
}

#[derive(Serialize)]
struct ConfirmBody<'a> {
    order_id: &'a str,
}

/// Fuuffy's confirm response, written by hand with the same fields the spec documents (so both
/// sides decode the same data).
#[derive(Deserialize)]
pub struct ConfirmResponse {
    data: ConfirmData,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ConfirmData {
    confirmed_orders: Vec<ConfirmedOrder>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ConfirmedOrder {
    order_id: String,
    ship_type: Option<String>,
    order_status: String,
    quote_price: Option<String>,
    confirm_shipment: Option<String>,
    tracking_number: Option<String>,
    client_remarks: Option<String>,
    create_time: Option<String>,
}

impl RawClient {
    /// A client with the same timeouts as ordergate's defaults.
    pub fn new(base_url: &str, token: &str) -> Result<Self, reqwest::Error> {
        // reqwest is built without a default TLS crypto provider in this workspace.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            url: format!("{base_url}/v1/order/confirm"),
            token: token.to_owned(),
        })
    }

    /// Confirms `order_id` and checks a tracking number came back.
    pub async fn confirm(&self, order_id: &str) -> Result<ConfirmResponse, crate::Failure> {
        let response: ConfirmResponse = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&ConfirmBody { order_id })
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        if response
            .data
            .confirmed_orders
            .first()
            .and_then(|o| o.tracking_number.as_deref())
            .is_none()
        {
            return Err("the hand-written client decoded no tracking number".into());
        }
        Ok(response)
    }
}

/// A plain serde mirror of FastPOD's Order (the same fields as the generated type, no extras).
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Order {
    id: String,
    order_type: Option<String>,
    reference_id: Option<String>,
    order_status: String,
    test_order: Option<bool>,
    item_total: Option<f64>,
    shipping_total: Option<f64>,
    surcharge_total: Option<f64>,
    labeling_fee: Option<f64>,
    peak_season_surchage: Option<f64>,
    order_total: Option<f64>,
    payment_method: Option<String>,
    payment_status: Option<String>,
    point_earned: Option<i64>,
    point_used: Option<i64>,
    quantity_total: Option<i64>,
    shipping_method: Option<String>,
    rush_production: Option<bool>,
    boost_production: Option<bool>,
    gift_message: Option<String>,
    tax_id: Option<String>,
    tax_id_type: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    rejected_at: Option<String>,
    rejected_status: Option<serde_json::Value>,
    cancelled_at: Option<String>,
    address: Option<Address>,
    line_items: Option<Vec<LineItem>>,
    shipments: Option<Vec<serde_json::Value>>,
    label_url: Option<String>,
    coupon_code: Option<String>,
    discount_total: Option<f64>,
    discount_labeling_fee: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Address {
    name: Option<String>,
    company: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    street1: Option<String>,
    street2: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
    zip: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct LineItem {
    id: Option<i64>,
    item_id: Option<String>,
    name: Option<String>,
    sku: Option<String>,
    style: Option<String>,
    color: Option<String>,
    size: Option<String>,
    unit_price: Option<f64>,
    quantity: Option<i64>,
    point_earned: Option<i64>,
    price: Option<f64>,
    print_areas: Option<std::collections::BTreeMap<String, String>>,
    preview_areas: Option<std::collections::BTreeMap<String, String>>,
    shipping_price: Option<f64>,
}

/// Only what the facade reads from an order.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct ThreeFields {
    id: String,
    order_status: String,
    order_total: Option<f64>,
}

/// A plain serde mirror of FastPOD's list page (Laravel's paginator around the orders).
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct OrderPage {
    current_page: Option<i64>,
    data: Vec<Order>,
    first_page_url: Option<String>,
    from: Option<i64>,
    last_page: Option<i64>,
    last_page_url: Option<String>,
    next_page_url: Option<String>,
    path: Option<String>,
    per_page: Option<i64>,
    prev_page_url: Option<String>,
    to: Option<i64>,
    total: Option<i64>,
}

/// A plain serde mirror of Fuuffy's webhook event (the same fields as the generated type).
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct WebhookEvent {
    event: String,
    timestamp: Option<String>,
    data: Option<WebhookData>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WebhookData {
    order_id: Option<String>,
    tracking_number: Option<String>,
    status: Option<String>,
    location: Option<WebhookLocation>,
    description: Option<String>,
    estimated_delivery: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WebhookLocation {
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
}

/// Fuuffy's webhook, by hand: the hex HMAC-SHA256 in `X-Fuuffy-Signature` checked with
/// `ring`, then the body parsed.
pub fn read_webhook(
    key: &ring::hmac::Key,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, crate::Failure> {
    let signature = headers
        .get("x-fuuffy-signature")
        .ok_or("no signature")?
        .as_bytes();
    let mut tag = [0u8; 32];
    if signature.len() != 64 {
        return Err("a signature of the wrong length".into());
    }
    for (byte, pair) in tag.iter_mut().zip(signature.chunks_exact(2)) {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            _ => Err("not hex"),
        };
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    ring::hmac::verify(key, body, &tag).map_err(|_| "a wrong signature")?;
    Ok(serde_json::from_slice(body)?)
}
