//! Create an online-paid order at Tata 1mg and confirm it: the first program of this crate's
//! README. It reads the variables `ordergate sandbox` prints:
//!
//! ```sh
//! cargo run -p ordergate-cli -- sandbox      # paste its `export` lines into this shell
//! cargo run -p ordergate-onemg --example onemg_create_confirm
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use ordergate_onemg::jwt::JwtSigner;
use ordergate_onemg::{Client, Credentials, PRODUCTION_BASE_URL, env, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The sandbox's values, or your own: an unset variable is an error that names it.
    let base_url = env::var("ONEMG_BASE_URL", PRODUCTION_BASE_URL)?;
    let merchant_id = env::var("ONEMG_MERCHANT_ID", "the merchant id 1mg issued you")?;
    // The client signs its own RS256 JWTs with the key 1mg issued, and renews them.
    let key_file = env::var(
        "ONEMG_PRIVATE_KEY_FILE",
        "the path of the private key (PEM) 1mg issued you",
    )?;
    let credentials = Credentials::with_signer(
        JwtSigner::from_private_key_file(key_file)?,
        env::var("ONEMG_ACCESS_KEY", "the X-Access-Key value 1mg issued you")?,
    );
    let client = Client::with_credentials(&base_url, credentials)?;

    // Your own order id: 1mg needs it again to confirm.
    let merchant_order_id = format!(
        "example-{}",
        SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis()
    );
    let order = types::CreateOrderRequest {
        merchant_order_id: merchant_order_id.clone(),
        payable_amount: "219.00".to_owned(),
        payment_method: types::PaymentMethod::Online,
        skus: [
            ("117004".to_owned(), 1.try_into()?),
            ("139559".to_owned(), 2.try_into()?),
        ]
        .into(),
        user: types::User::builder()
            .first_name("Asha".to_owned())
            .last_name("Rao".to_owned())
            .mobile("9876543210".to_owned())
            .try_into()?,
        address: types::DeliveryAddress::builder()
            .name("Asha Rao".to_owned())
            .contact_number("9876543210".to_owned())
            .street1("12 Outer Ring Road".to_owned())
            .pincode("560103".to_owned())
            .try_into()?,
        coupon_code: None,
        prescriptions: None,
    };
    let created = client
        .create_order()
        .merchant_id(merchant_id.as_str())
        .body(order)
        .send()
        .await?;
    let id = created
        .data
        .as_ref()
        .and_then(|data| data.order_id.clone())
        .ok_or("1mg answered no order id")?;
    println!("created order {id} ({merchant_order_id})");

    // Only an `ONLINE` order is confirmed, with both ids; 1mg asks your transaction status
    // API whether it is paid first.
    let confirmed = client
        .confirm_order()
        .merchant_id(merchant_id.as_str())
        .merchant_confirm_1mg_id(id.as_str())
        .body(types::ConfirmOrderRequest {
            merchant_order_id,
            order_id: id.clone(),
        })
        .send()
        .await?;
    println!("confirmed {id}: {}", confirmed.is_success);
    Ok(())
}
