//! The whole 1mg loop over loopback, both sides ordergate: a merchant application built on
//! `ordergate_onemg::merchant` (the transaction status API and the order-update webhook, as
//! 1mg's "Merchant Payment Solution" and "Merchant Order Updates" guides ask,
//! <https://onedoc.1mg.com/public_docs/>) and the sandbox playing 1mg, called by the
//! generated client signing its own RS256 JWTs with the sandbox's key.
//!
//! Create ONLINE orders; confirm asks the merchant's transaction API and confirms only a
//! `SUCCESS` payment; the clock moves the confirmed order to delivered and every status
//! reaches the merchant's webhook handler as an `OrderUpdate`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ordergate_onemg::merchant::{
    self, OrderUpdateHandler, OrderUpdateWebhook, TransactionLookup, TransactionStatusApi,
};
use ordergate_onemg::types::{
    self, OrderStatusId, OrderUpdate, TransactionState, TransactionStatus,
};
use ordergate_onemg::{Client, Credentials, Error};
use ordergate_sandbox::onemg::{ACCESS_KEY, MERCHANT_ID, OnemgOptions, SANDBOX_PRIVATE_KEY_PEM};
use ordergate_sandbox::{Sandbox, SandboxOptions};

/// The token the merchant shares with 1mg for both endpoints.
const CALLBACK_TOKEN: &str = "merchant-callback-token-7c1e";

/// The merchant's records: the state of each payment (by merchant order id, 1mg's
/// transaction id) and every order update received.
#[derive(Default)]
struct Shop {
    payments: Mutex<BTreeMap<String, TransactionState>>,
    asked: Mutex<Vec<String>>,
    updates: Mutex<Vec<OrderUpdate>>,
}

impl Shop {
    fn paid(&self, merchant_order_id: &str, state: TransactionState) {
        self.payments
            .lock()
            .expect("not poisoned")
            .insert(merchant_order_id.to_owned(), state);
    }

    /// Every `(order id, status)` the webhook delivered, in order.
    fn statuses(&self) -> Vec<(String, Option<OrderStatusId>)> {
        self.updates
            .lock()
            .expect("not poisoned")
            .iter()
            .flat_map(|update| &update.grouped_orders)
            .map(|order| {
                let status = order
                    .order_status
                    .as_ref()
                    .and_then(|s| s.status_id.clone());
                (order.order_id.clone(), status)
            })
            .collect()
    }
}

impl TransactionLookup for Shop {
    type Error = std::convert::Infallible;

    async fn transaction_status(
        &self,
        transaction_id: String,
    ) -> Result<Option<TransactionStatus>, Self::Error> {
        self.asked
            .lock()
            .expect("not poisoned")
            .push(transaction_id.clone());
        let state = self
            .payments
            .lock()
            .expect("not poisoned")
            .get(&transaction_id)
            .cloned();
        Ok(state.map(|status| TransactionStatus {
            order_id: String::new(),
            transaction_id,
            amount: 219.0,
            status,
        }))
    }
}

impl OrderUpdateHandler for Shop {
    type Error = std::convert::Infallible;

    async fn order_update(&self, update: OrderUpdate) -> Result<(), Self::Error> {
        self.updates.lock().expect("not poisoned").push(update);
        Ok(())
    }
}

/// Serves the merchant's two endpoints on a free loopback port; its root URL.
async fn serve_merchant(shop: Arc<Shop>) -> String {
    let token = merchant::header_token(CALLBACK_TOKEN).expect("a token");
    let app = axum::Router::new()
        .merge(
            TransactionStatusApi::from_shared(token.clone(), Arc::clone(&shop))
                .into_router()
                .expect("the default path"),
        )
        .merge(
            OrderUpdateWebhook::from_shared(token, shop)
                .into_router()
                .expect("the default path"),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// 1mg, played by the sandbox, calling the merchant at `merchant_url` with `token`.
async fn onemg(merchant_url: &str, token: &str) -> Sandbox {
    let options = OnemgOptions::default()
        .transaction_api(
            format!("{merchant_url}/transactions/{{transaction_id}}"),
            merchant::DEFAULT_TOKEN_HEADER,
            token,
        )
        .webhook(
            format!("{merchant_url}/update-status/"),
            merchant::DEFAULT_TOKEN_HEADER,
            token,
        );
    ordergate_sandbox::start_with(SandboxOptions::default().onemg(options))
        .await
        .expect("the sandbox starts")
}

/// The merchant's client: it signs its own JWTs with the (sandbox's) private key.
fn client(sandbox: &Sandbox) -> Client {
    let credentials =
        Credentials::signed(SANDBOX_PRIVATE_KEY_PEM, ACCESS_KEY).expect("the sandbox key signs");
    Client::with_credentials(&sandbox.base_url("onemg"), credentials).expect("loopback")
}

async fn create_online(client: &Client, merchant_order_id: &str) -> String {
    let order = types::CreateOrderRequest {
        merchant_order_id: merchant_order_id.to_owned(),
        payable_amount: "219.00".to_owned(),
        payment_method: types::PaymentMethod::Online,
        coupon_code: None,
        user: types::User {
            email: Some("asha@example.com".to_owned()),
            mobile: Some("9876543210".to_owned()),
            first_name: Some("Asha".to_owned()),
            last_name: Some("Rao".to_owned()),
        },
        address: types::DeliveryAddress {
            pincode: Some("560103".to_owned()),
            contact_number: Some("9876543210".to_owned()),
            name: Some("Asha Rao".to_owned()),
            street1: Some("12 Outer Ring Road".to_owned()),
            street2: None,
            type_: Some("home".to_owned()),
        },
        prescriptions: None,
        skus: [("117004".to_owned(), std::num::NonZeroU64::MIN)].into(),
    };
    let created = client
        .create_order()
        .merchant_id(MERCHANT_ID)
        .body(order)
        .send()
        .await
        .expect("created")
        .into_inner();
    created.data.and_then(|data| data.order_id).expect("an id")
}

async fn confirm(
    client: &Client,
    id: &str,
    merchant_order_id: &str,
) -> Result<types::ConfirmOrderResponse, Error<types::ErrorResponse>> {
    client
        .confirm_order()
        .merchant_id(MERCHANT_ID)
        .merchant_confirm_1mg_id(id)
        .body(types::ConfirmOrderRequest {
            merchant_order_id: merchant_order_id.to_owned(),
            order_id: id.to_owned(),
        })
        .send()
        .await
        .map(|answer| answer.into_inner())
}

/// The `error.message` of a 1mg error answer.
fn refusal<T: std::fmt::Debug>(result: Result<T, Error<types::ErrorResponse>>) -> (u16, String) {
    match result {
        Err(Error::ErrorResponse(error)) => (
            error.status().as_u16(),
            error
                .error
                .as_ref()
                .and_then(|detail| detail.message.clone())
                .unwrap_or_default(),
        ),
        other => panic!("expected 1mg's error envelope, got {other:?}"),
    }
}

#[tokio::test]
async fn a_paid_order_is_confirmed_delivered_and_every_status_reaches_the_merchant() {
    let shop = Arc::new(Shop::default());
    let merchant_url = serve_merchant(Arc::clone(&shop)).await;
    let sandbox = onemg(&merchant_url, CALLBACK_TOKEN).await;
    let client = client(&sandbox);

    let paid = create_online(&client, "shop-1001").await;
    let declined = create_online(&client, "shop-1002").await;
    let unknown = create_online(&client, "shop-1003").await;
    shop.paid("shop-1001", TransactionState::Success);
    shop.paid("shop-1002", TransactionState::Failed);

    let confirmed = confirm(&client, &paid, "shop-1001").await.expect("paid");
    assert!(confirmed.is_success);
    assert_eq!(
        refusal(confirm(&client, &declined, "shop-1002").await),
        (500, "Map payment to order operation failed".to_owned())
    );
    assert_eq!(
        refusal(confirm(&client, &unknown, "shop-1003").await).1,
        "Map payment to order operation failed",
        "a payment the merchant does not know (404) confirms nothing"
    );
    assert_eq!(
        *shop.asked.lock().expect("not poisoned"),
        ["shop-1001", "shop-1002", "shop-1003"]
    );
    assert_eq!(sandbox.order_status("onemg", &paid).as_deref(), Some("15"));
    assert_eq!(
        sandbox.order_status("onemg", &declined).as_deref(),
        Some("17")
    );

    // Created (awaiting the payment's confirmation), placed, then on the clock: vendor stock
    // allocation, packaging, to be delivered, out for delivery, delivered. Each status is
    // posted to the merchant's webhook.
    sandbox.advance(5).expect("the clock moves");
    let expected: Vec<(String, Option<OrderStatusId>)> = [
        OrderStatusId::PAYMENT_CONFIRMATION_AWAITED,
        OrderStatusId::PLACED,
        OrderStatusId::VENDOR_STOCK_ALLOCATION,
        OrderStatusId::PACKAGING,
        OrderStatusId::TO_BE_DELIVERED,
        OrderStatusId::OUT_FOR_DELIVERY,
        OrderStatusId::DELIVERED,
    ]
    .into_iter()
    .map(|status| (paid.clone(), Some(status)))
    .collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mine: Vec<_> = shop
            .statuses()
            .into_iter()
            .filter(|(id, _)| *id == paid)
            .collect();
        if mine == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the merchant received {mine:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sandbox.order_status("onemg", &paid).as_deref(), Some("40"));
    let delivered = shop.statuses().pop().and_then(|(_, status)| status);
    assert_eq!(delivered.and_then(|s| s.meaning()), Some("Delivered"));
}

#[tokio::test]
async fn a_sandbox_with_the_wrong_merchant_token_is_refused_and_confirms_nothing() {
    let shop = Arc::new(Shop::default());
    let merchant_url = serve_merchant(Arc::clone(&shop)).await;
    let sandbox = onemg(&merchant_url, "not-the-merchant-token").await;
    let client = client(&sandbox);
    let id = create_online(&client, "shop-2001").await;
    shop.paid("shop-2001", TransactionState::Success);
    let (status, message) = refusal(confirm(&client, &id, "shop-2001").await);
    assert_eq!(
        (status, message.as_str()),
        (500, "Map payment to order operation failed")
    );
    assert!(
        shop.asked.lock().expect("not poisoned").is_empty(),
        "the merchant's lookup is never called for a refused caller"
    );
    assert_eq!(sandbox.order_status("onemg", &id).as_deref(), Some("17"));
    // Its webhooks are refused too: the created order's status (17) never reaches the shop.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(shop.statuses().is_empty());
}
