//! The order the demo creates at each provider: `sample_orders.json`, one [`NewOrder`] per
//! provider with that provider's options block.

use ordergate::{NewOrder, ProviderName};
use serde_json::Value;

/// The demo's orders, by provider name.
const SAMPLE_ORDERS: &str = include_str!("sample_orders.json");

/// The demo's order for `provider`. A build whose options block for the provider has other
/// fields than the sample's reads the sample without its options (the adapter then says what
/// it misses, if anything); `Err` says why there is none.
pub(crate) fn sample_order(provider: ProviderName) -> Result<NewOrder, String> {
    let all: Value = serde_json::from_str(SAMPLE_ORDERS)
        .map_err(|error| format!("the demo's sample orders are not JSON: {error}"))?;
    let mut sample = all
        .get(provider.as_str())
        .cloned()
        .ok_or_else(|| format!("the demo has no sample order for {}", provider.title()))?;
    match serde_json::from_value::<NewOrder>(sample.clone()) {
        Ok(order) => Ok(order),
        Err(with_options) => {
            if let Some(object) = sample.as_object_mut() {
                object.remove("options");
            }
            serde_json::from_value(sample).map_err(|_| {
                format!("the demo's sample order does not read as a NewOrder: {with_options}")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_has_a_sample_order() {
        for provider in ProviderName::ALL {
            let order = sample_order(provider).unwrap_or_else(|e| panic!("{provider}: {e}"));
            assert!(order.reference.starts_with("DEMO-"), "{provider}");
            assert!(!order.items.is_empty(), "{provider}");
        }
    }
}
