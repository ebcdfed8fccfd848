//! Create an order at Fuuffy through the facade and confirm it: the first program of this
//! crate's README. It reads the variables `ordergate sandbox` prints:
//!
//! ```sh
//! cargo run -p ordergate-cli -- sandbox      # paste its `export` lines into this shell
//! cargo run -p ordergate --example create_and_confirm
//! ```

use ordergate::{ConfirmRequest, ErrorKind, NewOrder, OrderProvider, Provider, ProviderName};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // FUUFFY_CLIENT_ID and FUUFFY_CLIENT_SECRET (or FUUFFY_TOKEN), and FUUFFY_BASE_URL for
    // the sandbox: see "Configuration" below. `ProviderName::from_env()` reads
    // ORDERGATE_PROVIDER instead, to switch providers by configuration.
    let provider = Provider::from_env(ProviderName::Fuuffy)?;

    // One order shape for every provider (`ordergate schema new-order` prints its schema),
    // with a block for what only Fuuffy has.
    let order: NewOrder = serde_json::from_value(serde_json::json!({
        "reference": "MY-SHOP-1001",
        "recipient": {
            "first_name": "Wing", "last_name": "Chan", "phone": "91234567",
            "address1": "Flat 12A, 88 Nathan Road", "city": "Kowloon", "postal_code": "000000",
            "country": "HK"
        },
        "items": [{"sku": "MUG-BLUE", "name": "Blue mug", "quantity": 2}],
        "options": {"fuuffy": {
            "ship_type": "local", "shipping_provider": "sf_expresshk_local",
            "package_type": "parcel", "consignment_declaration": "Ceramic mugs",
            "recipient_mobile_prefix": "852",
            "sender": {"name": "My Shop", "mobile": "61234567", "mobile_prefix": "852",
                       "address": "1 Queen's Road Central", "city": "Hong Kong", "country": "HK"},
            "parcels": [{"act_weight": "1.2"}]
        }}
    }))?;
    let created = provider.create_order(&order).await?;
    println!("created {} ({})", created.order_id, created.status);

    match provider
        .confirm_order(&ConfirmRequest::new(&created.order_id))
        .await
    {
        Ok(order) => println!(
            "{} {} is {} (provider says {:?}), tracking {:?}",
            order.provider,
            order.order_id,
            order.status,
            order.provider_status,
            order.tracking_number
        ),
        Err(error) if error.kind == ErrorKind::Conflict => println!("already confirmed"),
        Err(error) if error.kind == ErrorKind::OutcomeUnknown => {
            // The confirm may have charged: look the order up, never just resend.
            let order = provider.get_order(&created.order_id).await?;
            println!("after the timeout the order is {}", order.status);
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
