//! Every facade adapter pointed at one base URL, for tests that run the same hostile server
//! against all providers.

use std::time::Duration;

use ordergate::{
    ClientConfig, ConfirmRequest, FastpodAdapter, FuuffyAdapter, LogitrailAdapter, OnemgAdapter,
    Provider, ProviderName, RetryPolicy,
};

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

/// `provider`'s adapter, with test credentials, sending to `url` with `config`.
///
/// # Panics
/// When the adapter cannot be built (a test setup error).
pub fn one(provider: ProviderName, url: &str, config: &ClientConfig) -> Provider {
    let config = config.clone();
    let built = match provider {
        ProviderName::Fuuffy => FuuffyAdapter::builder()
            .token("t")
            .base_url(url)
            .client_config(config)
            .build()
            .map(Provider::Fuuffy),
        ProviderName::Logitrail => LogitrailAdapter::builder()
            .merchant_id("m")
            .secret("s")
            .base_url(url)
            .client_config(config)
            .build()
            .map(Provider::Logitrail),
        ProviderName::Onemg => OnemgAdapter::builder()
            .token("t")
            .access_key("k")
            .merchant_id("m")
            .base_url(url)
            .client_config(config)
            .build()
            .map(Provider::Onemg),
        ProviderName::Fastpod => FastpodAdapter::builder()
            .token("t")
            .base_url(url)
            .client_config(config)
            .build()
            .map(Provider::Fastpod),
        other => panic!("no test adapter for {other}"),
    };
    built.unwrap_or_else(|e| panic!("{provider}: {e}"))
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
