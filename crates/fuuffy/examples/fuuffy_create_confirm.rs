//! Create a local Hong Kong order at Fuuffy, confirm it and look it up: the first program of
//! this crate's README. It reads the variables `ordergate sandbox` prints:
//!
//! ```sh
//! cargo run -p ordergate-cli -- sandbox      # paste its `export` lines into this shell
//! cargo run -p ordergate-fuuffy --example fuuffy_create_confirm
//! ```

use ordergate_fuuffy::{Client, ClientConfig, PRODUCTION_BASE_URL, env, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The sandbox's values, or your own: an unset variable is an error that names it.
    let client = Client::with_client_credentials(
        &env::var("FUUFFY_BASE_URL", PRODUCTION_BASE_URL)?,
        env::var("FUUFFY_CLIENT_ID", "the client id Fuuffy issued you")?,
        env::var(
            "FUUFFY_CLIENT_SECRET",
            "the client secret Fuuffy issued you",
        )?,
        &ClientConfig::default(),
    )?;

    // A local parcel: the contact and shipment types check Fuuffy's required fields and
    // length limits, so a request that breaks them cannot be built.
    let contact = |name: &str| {
        types::LocalContact::builder()
            .name(name)
            .mobile("64105317")
            .mobile_prefix("852")
            .address("Rm2211, 9 Chong Yip Street, Ngau Tau Kok, Hong Kong")
    };
    let order = types::LocalOrderRequest {
        ship_type: types::LocalOrderRequestShipType::Local,
        shipping_provider: "sf_expresshk_local".parse()?,
        sender: contact("John Doe").try_into()?,
        recipient: contact("Chan Tai Man").try_into()?,
        shipment_detail: types::NewShipmentDetail::builder()
            .package_type(types::CreatePackageType::Parcel)
            .consignment_declaration("Toys")
            .parcel_list(vec![
                types::NewParcel::builder().act_weight("0.5").try_into()?,
            ])
            .try_into()?,
        client_remarks: Some("ordergate example".to_owned()),
    };
    let created = client
        .create_order()
        .body(types::CreateOrderRequest::from(order))
        .send()
        .await?;
    let id = created
        .data
        .order_id
        .clone()
        .ok_or("Fuuffy answered no order id")?;
    println!("created order {id}");

    // Confirming books the shipment and charges the member balance: it is never resent once
    // Fuuffy may have received it.
    let confirmed = client
        .confirm_order()
        .body(types::ConfirmOrderRequest::builder().order_id(id.clone()))
        .send()
        .await?;
    // An optional list reads as a slice, empty when Fuuffy sent none.
    for order in confirmed.data.confirmed_orders() {
        println!(
            "confirmed {} ({}), tracking {:?}",
            order.order_id, order.order_status, order.tracking_number
        );
    }

    let order = client.get_order().id(id.as_str()).send().await?;
    // A status this version does not know yet still decodes, as `OrderStatus::Unknown(raw)`.
    println!("order {} is {}", order.data.order_id, order.data.status);
    Ok(())
}
