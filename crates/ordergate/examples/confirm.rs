//! Confirm an order at the provider chosen by configuration, then show where it stands.
//!
//! ```sh
//! cargo run -p ordergate-cli -- sandbox      # paste its `export` lines into this shell
//! ORDERGATE_PROVIDER=fuuffy cargo run -p ordergate --example confirm -- 3550610
//! ```
//! (Tata 1mg also needs the merchant order id as a second argument.)

use ordergate::{ConfirmRequest, ErrorKind, Operation, OrderProvider, Provider, ProviderName};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let order_id = args
        .next()
        .ok_or("usage: confirm <ORDER_ID> [MERCHANT_ORDER_ID]")?;
    let mut request = ConfirmRequest::new(order_id);
    if let Some(merchant_order_id) = args.next() {
        request = request.with_merchant_order_id(merchant_order_id);
    }

    // Which provider, its credentials and its base URL all come from the environment.
    let provider = Provider::from_env(ProviderName::from_env()?)?;
    println!("confirming {} at {}", request.order_id, provider.provider());

    match provider.confirm_order(&request).await {
        Ok(order) => {
            println!("{} is {}", order.order_id, order.status);
            if let Some(tracking) = &order.tracking_number {
                println!("tracking number {tracking}");
            }
        }
        // Already confirmed, cancelled, ...: the provider's answer says which.
        Err(error) if error.kind == ErrorKind::Conflict => {
            println!(
                "{} cannot be confirmed now: {}",
                request.order_id, error.message
            );
        }
        Err(error) if error.kind == ErrorKind::OutcomeUnknown => {
            eprintln!("{error}");
            if provider.capabilities().contains(Operation::GetOrder) {
                let order = provider.get_order(&request.order_id).await?;
                println!(
                    "the order is now {} ({:?})",
                    order.status, order.provider_status
                );
            }
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
