//! The payment check of Confirm Order: 1mg asks the merchant's transaction status API about
//! the order's transaction (its merchant order id) and confirms only on `SUCCESS`
//! ("Merchant Payment Solution" guide, <https://onedoc.1mg.com/public_docs/>).
//!
//! The call is bounded: one deadline for connecting, sending and reading the whole answer
//! ([`OnemgOptions::transaction_timeout`](super::OnemgOptions::transaction_timeout)), and at
//! most [`MAX_TRANSACTION_BYTES`] read. Whatever the merchant does (no answer, a slow one, a
//! huge one, HTML, an error status), the confirm gets an answer and the order stays at 17.

use std::time::Duration;

use ordergate_onemg::types;
use ordergate_runtime::{ClientConfig, http_client_builder};

use super::options::{MAX_TRANSACTION_BYTES, MerchantEndpoint, TRANSACTION_ID};
use super::orders::OnemgOrder;

/// Why the payment is not confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PaymentRefusal {
    /// The merchant answered `FAILED`.
    Failed,
    /// Anything else: `PENDING`, an unknown state, or no usable answer; the reason, which
    /// names no secret.
    NotPaid(String),
}

/// `text` percent-encoded as one path segment (RFC 3986 unreserved characters kept).
fn path_segment(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The transaction status URL of `merchant_order_id`.
fn transaction_url(template: &str, merchant_order_id: &str) -> String {
    template.replace(TRANSACTION_ID, &path_segment(merchant_order_id))
}

/// The merchant's transaction status API, as the fake calls it.
#[derive(Debug)]
pub(crate) struct TransactionApi {
    endpoint: MerchantEndpoint,
    timeout: Duration,
    /// The SDKs' client policy (rustls with ring, no redirects), straight to the merchant (no
    /// proxy from the environment); or why it could not be built.
    client: Result<reqwest::Client, String>,
}

impl TransactionApi {
    pub(crate) fn new(endpoint: MerchantEndpoint, timeout: Duration) -> Self {
        let client = http_client_builder(&ClientConfig::default().with_timeout(timeout))
            .no_proxy()
            .build()
            .map_err(|error| error.to_string());
        Self {
            endpoint,
            timeout,
            client,
        }
    }

    /// Asks the merchant about `order`'s transaction; `Ok` when it is `SUCCESS`.
    pub(crate) async fn check(
        &self,
        order_id: &str,
        order: &OnemgOrder,
    ) -> Result<(), PaymentRefusal> {
        check(&self.client, &self.endpoint, self.timeout, order_id, order).await
    }
}

/// Asks the merchant about `order`'s transaction; `Ok` when it is `SUCCESS`.
async fn check(
    client: &Result<reqwest::Client, String>,
    endpoint: &MerchantEndpoint,
    timeout: Duration,
    order_id: &str,
    order: &OnemgOrder,
) -> Result<(), PaymentRefusal> {
    let client = client.as_ref().map_err(|error| {
        PaymentRefusal::NotPaid(format!("the sandbox has no HTTP client: {error}"))
    })?;
    let url = transaction_url(&endpoint.url, &order.merchant_order_id);
    let call = fetch(client, &url, endpoint, timeout);
    let body = match tokio::time::timeout(timeout, call).await {
        Ok(answered) => answered?,
        Err(_elapsed) => return Err(no_answer(timeout)),
    };
    let Ok(status) = serde_json::from_slice::<types::TransactionStatus>(&body) else {
        return Err(PaymentRefusal::NotPaid(
            "the merchant's transaction status API did not answer a TransactionStatus".to_owned(),
        ));
    };
    if status.transaction_id != order.merchant_order_id {
        return Err(PaymentRefusal::NotPaid(format!(
            "the merchant's transaction status API answered about another transaction than \
             {order_id}'s"
        )));
    }
    match status.status {
        types::TransactionState::Success => Ok(()),
        types::TransactionState::Failed => Err(PaymentRefusal::Failed),
        other => Err(PaymentRefusal::NotPaid(format!(
            "the transaction is {}, not SUCCESS",
            other.as_str().chars().take(32).collect::<String>()
        ))),
    }
}

fn no_answer(timeout: Duration) -> PaymentRefusal {
    PaymentRefusal::NotPaid(format!(
        "the merchant's transaction status API did not answer within {} ms",
        timeout.as_millis()
    ))
}

/// `GET url` with the merchant's header token; the body of a 2xx answer, at most
/// [`MAX_TRANSACTION_BYTES`].
async fn fetch(
    client: &reqwest::Client,
    url: &str,
    endpoint: &MerchantEndpoint,
    timeout: Duration,
) -> Result<Vec<u8>, PaymentRefusal> {
    let unreachable = |error: reqwest::Error| {
        if error.is_timeout() {
            no_answer(timeout)
        } else {
            PaymentRefusal::NotPaid(format!(
                "the merchant's transaction status API could not be reached: {}",
                error.without_url()
            ))
        }
    };
    let mut response = client
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(endpoint.header, &endpoint.token)
        .timeout(timeout)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    if !status.is_success() {
        return Err(PaymentRefusal::NotPaid(format!(
            "the merchant's transaction status API answered HTTP {}",
            status.as_u16()
        )));
    }
    let too_large = || {
        PaymentRefusal::NotPaid(format!(
            "the merchant's transaction status API answered more than {MAX_TRANSACTION_BYTES} bytes"
        ))
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_TRANSACTION_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if body.len() + chunk.len() > MAX_TRANSACTION_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merchant_order_id_goes_into_the_template_as_one_segment() {
        assert_eq!(
            transaction_url("http://127.0.0.1:9/transactions/{transaction_id}", "MO1"),
            "http://127.0.0.1:9/transactions/MO1"
        );
        assert_eq!(
            transaction_url("http://h/t/{transaction_id}?x=1", "a/b c?#"),
            "http://h/t/a%2Fb%20c%3F%23?x=1"
        );
    }
}
