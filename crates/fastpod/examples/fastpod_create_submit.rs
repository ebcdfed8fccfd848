//! Create a draft test order at FastPOD, submit it for production and look it up: the first
//! program of this crate's README. It reads the variables `ordergate sandbox` prints:
//!
//! ```sh
//! cargo run -p ordergate-cli -- sandbox      # paste its `export` lines into this shell
//! cargo run -p ordergate-fastpod --example fastpod_create_submit
//! ```

use std::collections::BTreeMap;
use std::num::NonZeroU64;
use std::time::{SystemTime, UNIX_EPOCH};

use ordergate_fastpod::{Client, Credentials, PRODUCTION_BASE_URL, env, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The sandbox's values, or your own: an unset variable is an error that names it.
    let client = Client::with_credentials(
        &env::var("FASTPOD_BASE_URL", PRODUCTION_BASE_URL)?,
        Credentials::api_token(env::var("FASTPOD_TOKEN", "your FastPOD API token")?),
    )?;

    // `test_order: true`: FastPOD neither fulfils nor bills it (it has no sandbox host).
    let order = types::OrderRequest::builder()
        .reference_id(format!(
            "example-{}",
            SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis()
        ))
        .order_status(types::NewOrderStatus::Draft)
        .test_order(true)
        .shipping_method(NonZeroU64::MIN) // 1: Standard
        .line_items(vec![
            types::NewLineItem::builder()
                .item_id("1")
                .sku("UTNGDT1W00L")
                .quantity(1u64)
                // An image URL per print area; `extra` holds areas the docs do not name.
                .print_areas(
                    types::PrintAreas::builder()
                        .front("https://example.com/front.png".to_owned())
                        .extra(BTreeMap::new()),
                )
                .try_into()?,
        ])
        .address(
            types::NewAddress::builder()
                .name("Michael Brown")
                .email("michaelbrown@example.com")
                .phone("(330) 829-0294")
                .street1("3431 Reeves Street")
                .city("Milwaukee")
                .state("WI")
                .country("US")
                .zip("53202"),
        );
    let created = client.create_order().body(order).send().await?;
    let id = created.data.id.clone();
    println!("created order {id}: {}", created.data.order_status);

    // `draft` -> `new_order` charges the order and starts production.
    let submitted = client
        .update_order_status()
        .id(id.as_str())
        .body(types::UpdateOrderStatusRequest {
            order_status: types::OrderStatus::NewOrder,
        })
        .send()
        .await?;
    println!(
        "{} is now {} ({:?} total)",
        submitted.data.id, submitted.data.order_status, submitted.data.order_total
    );

    let order = client.get_order().id(id.as_str()).send().await?;
    // Optional lists read as slices: empty when FastPOD left `line_items` out or sent `null`.
    println!("{} has {} line item(s)", order.id, order.line_items().len());
    Ok(())
}
