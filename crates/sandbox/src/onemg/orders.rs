//! 1mg's orders as the fake keeps them, and the three operations on them: Create Order,
//! Confirm Order and Cancel Order.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ordergate_onemg::{codes, types};
use serde_json::json;

use super::payments::PaymentRefusal;
use super::status::Status;
use super::webhooks;
use super::{Fake, MERCHANT_ID, error_reply, error_with_details, merchant_order_id, not_found};
use crate::http::{lock, reply};

/// The first number of the ids Create Order makes (`PO29600000000001`, ...), above every
/// seeded id (`PO2952337188000x`).
const FIRST_CREATED: u64 = 29_600_000_000_000;

/// When the seeded orders were created: Track Merchant Order's example `created`.
const SEEDED_AT: i64 = 1_713_421_959;

/// How an order is paid (the spec's `PaymentMethod`, without the unknown values the fake
/// refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payment {
    /// Cash on delivery: placed at once, never confirmed.
    Cod,
    /// Paid online: waits for Confirm Order, which checks the payment.
    Online,
}

/// One 1mg order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OnemgOrder {
    pub(crate) status: Status,
    pub(crate) merchant_order_id: String,
    pub(crate) payment: Payment,
    pub(crate) payable_amount: String,
    /// SKU id and quantity.
    pub(crate) skus: Vec<(String, u64)>,
    /// Seconds since the Unix epoch, on the sandbox clock.
    pub(crate) created: i64,
    pub(crate) updated: i64,
}

impl OnemgOrder {
    /// A seeded order: ONLINE, its merchant order id by [`merchant_order_id`], the cart of
    /// the spec's Create Order example.
    pub(crate) fn seeded(id: &str, status: Status) -> Self {
        Self {
            status,
            merchant_order_id: merchant_order_id(id).unwrap_or_default(),
            payment: Payment::Online,
            payable_amount: "219.00".to_owned(),
            skus: vec![("117004".to_owned(), 1), ("139559".to_owned(), 2)],
            created: SEEDED_AT,
            updated: SEEDED_AT,
        }
    }

    /// About how many bytes the order holds.
    pub(crate) fn stored_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.merchant_order_id.len()
            + self.payable_amount.len()
            + self
                .skus
                .iter()
                .map(|(sku, _)| sku.len() + std::mem::size_of::<(String, u64)>())
                .sum::<usize>()
    }

    /// The order as a webhook's `grouped_orders[]` entry.
    pub(crate) fn grouped(&self, id: &str) -> types::GroupedOrder {
        types::GroupedOrder {
            order_id: id.to_owned(),
            order_status: Some(self.status.order_status()),
            status_changed: Some(true),
            eta: Some(types::Eta {
                eta_from: Some(0),
                eta_to: Some(0),
            }),
            created: Some(self.created),
            updated: Some(self.updated),
            shipment_detail: Some(types::ShipmentDetail {
                delivery_partner_name: None,
            }),
            is_cashless_order: Some(self.payment == Payment::Online),
            skus: Some(
                self.skus
                    .iter()
                    .map(|(sku, quantity)| types::OrderSku {
                        sku_id: Some(sku.clone()),
                        normalized_quantity: i64::try_from(*quantity).ok(),
                        mrp: None,
                        name: None,
                        offered_price: None,
                        pack_size_label: None,
                        prescription_required: None,
                        prescription_status: None,
                        prescription_verified: None,
                        sku_type: None,
                    })
                    .collect(),
            ),
            extra: serde_json::Map::new(),
        }
    }
}

/// Why Confirm Order refuses before the payment is checked.
enum Refusal {
    NotFound,
    InvalidStatus,
    Cancelled,
}

impl Refusal {
    /// The documented answers: "Order not found" (500), "Invalid order status for this
    /// operation" (400, errors null), "Map payment to order operation failed" (500).
    fn response(self) -> Response {
        match self {
            Self::NotFound => not_found(),
            Self::InvalidStatus => {
                error_reply(StatusCode::BAD_REQUEST, codes::INVALID_ORDER_STATUS, false)
            }
            Self::Cancelled => error_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                codes::MAP_PAYMENT_FAILED,
                true,
            ),
        }
    }
}

/// Whether Confirm Order accepts `order` with `requested` as its merchant order id: an
/// ONLINE order at 17 with that merchant order id.
fn confirmable(order: Option<&OnemgOrder>, requested: &str) -> Result<(), Refusal> {
    let Some(order) = order else {
        return Err(Refusal::NotFound);
    };
    if order.merchant_order_id != requested {
        return Err(Refusal::NotFound);
    }
    match (order.status, order.payment) {
        (Status::Cancelled, _) => Err(Refusal::Cancelled),
        (Status::PaymentConfirmationAwaited, Payment::Online) => Ok(()),
        // A COD order is placed at once; 1mg's docs say never to confirm one.
        _ => Err(Refusal::InvalidStatus),
    }
}

/// 400 "Invalid request" with `errors` repeating it: a body the fake cannot read or accept.
fn invalid_request() -> Response {
    error_reply(StatusCode::BAD_REQUEST, "Invalid request", true)
}

/// Whether `amount` is a decimal amount as the docs write it ("219.00"): digits, then at
/// most two decimals.
fn is_amount(amount: &str) -> bool {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && whole.len() <= 12
        && digits(whole)
        && digits(fraction)
        && fraction.len() <= 2
        && !(amount.ends_with('.'))
}

/// `POST /api/v4/merchants/{merchant_id}/orders`: a COD order is placed at once (15), an
/// ONLINE one waits for Confirm Order (17). Another merchant id, a body that is not a
/// `CreateOrderRequest`, an unknown payment method, an empty cart or an amount that is not
/// a decimal: 400 "Invalid request".
pub(super) async fn create_order(
    State(fake): State<Arc<Fake>>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_json::from_slice::<types::CreateOrderRequest>(&body) else {
        return invalid_request();
    };
    let Ok(Path(merchant_id)) = path else {
        return invalid_request();
    };
    let payment = match request.payment_method {
        types::PaymentMethod::Cod => Payment::Cod,
        types::PaymentMethod::Online => Payment::Online,
        _ => return invalid_request(),
    };
    if merchant_id != MERCHANT_ID
        || request.skus.is_empty()
        || request.merchant_order_id.trim().is_empty()
        || !is_amount(&request.payable_amount)
    {
        return invalid_request();
    }
    let now = fake.clock.now().timestamp();
    let order = OnemgOrder {
        status: match payment {
            Payment::Cod => Status::Placed,
            Payment::Online => Status::PaymentConfirmationAwaited,
        },
        merchant_order_id: request.merchant_order_id,
        payment,
        payable_amount: request.payable_amount,
        skus: request
            .skus
            .into_iter()
            .map(|(sku, quantity)| (sku, quantity.get()))
            .collect(),
        created: now,
        updated: now,
    };
    let number = fake.extra.created.fetch_add(1, Ordering::Relaxed) + 1;
    let id = format!("PO{}", FIRST_CREATED.saturating_add(number));
    if lock(&fake.orders)
        .insert(id.clone(), order.clone())
        .is_err()
    {
        return invalid_request();
    }
    webhooks::notify(&fake.extra, vec![(id.clone(), order.clone())]);
    let body = types::CreateOrderResponse {
        data: Some(types::CreateOrderData {
            order_id: Some(id),
            merchant_order_id: Some(order.merchant_order_id),
            payment_link: None,
        }),
        partial_complete: Some(false),
        is_success: true,
        status_code: Some(200),
        error: None,
    };
    reply(StatusCode::OK, &body)
}

/// `PUT /api/v4/merchants/{merchant_id}/orders/{id}/confirm`: an ONLINE order at 17 whose
/// payment checks out moves to 15.
pub(super) async fn confirm_order(
    State(fake): State<Arc<Fake>>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_json::from_slice::<types::ConfirmOrderRequest>(&body) else {
        return invalid_request();
    };
    let Ok(Path((merchant_id, id))) = path else {
        return not_found();
    };
    if merchant_id != MERCHANT_ID || request.order_id != id {
        return not_found();
    }
    let requested = request.merchant_order_id;
    // Checked once before the payment (never holding the lock across the merchant's call),
    // and again when the order moves, in case a cancel or another confirm came in between.
    let order = {
        let orders = lock(&fake.orders);
        match confirmable(orders.get(&id), &requested) {
            Ok(()) => orders.get(&id).cloned(),
            Err(refusal) => return refusal.response(),
        }
    };
    let Some(order) = order else {
        return not_found();
    };
    if let Some(transactions) = &fake.extra.transactions
        && let Err(refusal) = transactions.check(&id, &order).await
    {
        return payment_refused(&refusal);
    }
    let now = fake.clock.now().timestamp();
    let confirmed = {
        let mut orders = lock(&fake.orders);
        match confirmable(orders.get(&id), &requested) {
            Ok(()) => orders.update(&id, |order| {
                order.status = Status::Placed;
                order.updated = now;
                order.clone()
            }),
            Err(refusal) => return refusal.response(),
        }
    };
    let Some(confirmed) = confirmed else {
        return not_found();
    };
    webhooks::notify(&fake.extra, vec![(id.clone(), confirmed)]);
    let body = types::ConfirmOrderResponse {
        data: Some(types::ConfirmOrderData {
            merchant_order_id: Some(requested),
            order_id: Some(id),
        }),
        partial_complete: Some(false),
        is_success: true,
        status_code: Some(200),
        error: None,
    };
    reply(StatusCode::OK, &body)
}

/// HTTP 500 "Map payment to order operation failed": verbatim as the confirm-order-api page's
/// example when the transaction `FAILED`; otherwise with the reason in `errors[].message`.
fn payment_refused(refusal: &PaymentRefusal) -> Response {
    match refusal {
        PaymentRefusal::Failed => error_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::MAP_PAYMENT_FAILED,
            true,
        ),
        PaymentRefusal::NotPaid(reason) => error_with_details(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::MAP_PAYMENT_FAILED,
            reason,
        ),
    }
}

/// `POST /api/v4/{merchant_id}/order/cancel` with `{order_id, reason, agent_id, merchant}`:
/// an order before packing (17, 15, 120) moves to 99; a later one (130 and on, 99 included)
/// is refused with 400 "Invalid order status for this operation" and `errors: null` (the
/// cancel-order page's example). An unknown order, or another merchant id: 500 "Order not
/// found", the answer the confirm-order-api page documents for an unknown order. A body that
/// is not a `CancelOrderRequest`: 400 "Invalid request".
pub(super) async fn cancel_order(
    State(fake): State<Arc<Fake>>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = body.unwrap_or_default();
    let Ok(request) = serde_json::from_slice::<types::CancelOrderRequest>(&body) else {
        return invalid_request();
    };
    let Ok(Path(merchant_id)) = path else {
        return not_found();
    };
    if merchant_id != MERCHANT_ID {
        return not_found();
    }
    let id = request.order_id;
    let now = fake.clock.now().timestamp();
    let cancelled = lock(&fake.orders).update(&id, |order| {
        if !order.status.cancellable() {
            return None;
        }
        order.status = Status::Cancelled;
        order.updated = now;
        Some(order.clone())
    });
    match cancelled {
        None => not_found(),
        Some(None) => error_reply(StatusCode::BAD_REQUEST, codes::INVALID_ORDER_STATUS, false),
        Some(Some(order)) => {
            webhooks::notify(&fake.extra, vec![(id.clone(), order)]);
            let body = types::CancelOrderResponse {
                data: Some(json!({ "order_id": id })),
                partial_complete: Some(false),
                is_success: true,
                status_code: Some(200),
                error: None,
                extra: serde_json::Map::new(),
            };
            reply(StatusCode::OK, &body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_decimals_of_at_most_two_places() {
        for good in ["219.00", "0", "12.5", "1221.11"] {
            assert!(is_amount(good), "{good}");
        }
        for bad in [
            "",
            ".5",
            "1.",
            "1.234",
            "-1",
            "1e3",
            "12,00",
            "9999999999999",
        ] {
            assert!(!is_amount(bad), "{bad}");
        }
    }

    #[test]
    fn only_an_online_order_awaiting_payment_confirms() {
        let order = OnemgOrder::seeded("PO1", Status::PaymentConfirmationAwaited);
        assert!(confirmable(Some(&order), "MO1").is_ok());
        assert!(matches!(
            confirmable(Some(&order), "MO2"),
            Err(Refusal::NotFound)
        ));
        assert!(matches!(confirmable(None, "MO1"), Err(Refusal::NotFound)));
        let cod = OnemgOrder {
            payment: Payment::Cod,
            ..order.clone()
        };
        assert!(matches!(
            confirmable(Some(&cod), "MO1"),
            Err(Refusal::InvalidStatus)
        ));
        let cancelled = OnemgOrder {
            status: Status::Cancelled,
            ..order
        };
        assert!(matches!(
            confirmable(Some(&cancelled), "MO1"),
            Err(Refusal::Cancelled)
        ));
    }
}
