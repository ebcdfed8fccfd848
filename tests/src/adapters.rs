//! Every facade adapter pointed at one base URL, for tests that run the same hostile server
//! against all providers.

use std::time::Duration;

use ordergate::{ClientConfig, ConfirmRequest, Overrides, Provider, ProviderName, RetryPolicy};

/// The default retry policy (a hostile answer must not be retried either) with millisecond
/// backoffs, and a 5 s deadline.
pub fn quick_retries() -> ClientConfig {
    ClientConfig::default()
        .with_timeout(Duration::from_secs(5))
        .with_retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(10)),
        )
}

/// Every provider's adapter, with test credentials, sending to `url` with `config`.
pub fn all(url: &str, config: &ClientConfig) -> Vec<Provider> {
    let build = |provider| one(provider, url, config);
    ProviderName::ALL.into_iter().map(build).collect()
}

/// `provider`'s adapter, with test credentials (every required setting of its configuration
/// keys, set to `test-<name>`), sending to `url` with `config`.
///
/// # Panics
/// When the adapter cannot be built (a test setup error).
pub fn one(provider: ProviderName, url: &str, config: &ClientConfig) -> Provider {
    let overrides = Overrides::new(Some(url.to_owned()), None).with_client_config(config.clone());
    Provider::from_options_with(provider, test_settings(provider), &overrides)
        .unwrap_or_else(|e| panic!("{provider}: {e}"))
}

/// A value for every setting `provider` requires: `test-<name>`.
pub fn test_settings(provider: ProviderName) -> Vec<(&'static str, String)> {
    Provider::settings(provider)
        .unwrap_or_default()
        .iter()
        .filter(|setting| setting.required)
        .map(|setting| (setting.name, format!("test-{}", setting.name)))
        .collect()
}

/// A confirm request every provider accepts as input (1mg needs the merchant order id).
pub fn confirm_request(provider: ProviderName) -> ConfirmRequest {
    let order_id = match provider {
        ProviderName::Fuuffy => "3550609",
        ProviderName::Logitrail => "5c8a1d5b0000000000000001",
        _ => "F1",
    };
    ConfirmRequest::new(order_id).with_merchant_order_id("MO1")
}
