//! Create an order at Logitrail and confirm it: the first program of this crate's README. It
//! reads the variables `ordergate sandbox` prints:
//!
//! ```sh
//! cargo run -p ordergate-cli -- sandbox      # paste its `export` lines into this shell
//! cargo run -p ordergate-logitrail --example logitrail_create_confirm
//! ```

use ordergate_logitrail::{Client, Credentials, PRODUCTION_BASE_URL, env, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The sandbox's values, or your own: an unset variable is an error that names it.
    let base_url = env::var("LOGITRAIL_BASE_URL", PRODUCTION_BASE_URL)?;
    // HTTP Basic with username `M-<merchant id>` (the prefix is added for you) and the secret.
    let credentials = Credentials::new(
        env::var("LOGITRAIL_MERCHANT_ID", "your Logitrail merchant id")?,
        env::var("LOGITRAIL_SECRET", "the shared secret Logitrail issued you")?,
    );
    let client = Client::with_credentials(&base_url, credentials)?;

    // A new order starts `passive`: nothing is shipped until it is confirmed.
    let order = types::OrderUpdate {
        merchants_order: Some(types::MerchantsOrder::String("example-10001".to_owned())),
        customer: Some(
            types::Customer::builder()
                .first_name("Maija")
                .last_name("Meikäläinen")
                .address("Mannerheimintie 1")
                .postal_code("00100")
                .city("Helsinki")
                .try_into()?,
        ),
        products: Some(vec![
            types::Product::builder()
                .merchants_id("MUG-1")
                .name("Muki".to_owned())
                .qty(2)
                .try_into()?,
        ]),
        ..Default::default()
    };
    let created = client.create_order().body(order).send().await?;
    println!("created order {}", created.order_id);

    // The id must be Logitrail's 24-digit hex order id; anything else is refused unsent.
    let id: types::ObjectId = created.order_id.parse()?;
    let confirmed = client
        .confirm_order()
        .id(id)
        .body(types::OrderUpdate::default())
        .send()
        .await?;
    println!(
        "confirmed {}, tracking {:?} at {:?}",
        confirmed.order_id, confirmed.tracking_code, confirmed.tracking_url
    );
    Ok(())
}
