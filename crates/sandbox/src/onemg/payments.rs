//! The payment check of Confirm Order: 1mg asks the merchant's transaction status API about
//! the order's transaction (its merchant order id) and confirms only on `SUCCESS`
//! ("Merchant Payment Solution" guide, <https://onedoc.1mg.com/public_docs/>).
//!
//! The call is bounded: one deadline for connecting, sending and reading the whole answer
//! ([`OnemgOptions::transaction_timeout`](super::OnemgOptions::transaction_timeout)), and at
//! most [`MAX_TRANSACTION_BYTES`] read. Whatever the merchant does (no answer, a slow one, a
//! huge one, HTML, an error status), the confirm gets an answer and the order stays at 17.

use std::time::Duration;

use axum::body::Bytes;
use ordergate_onemg::types;
use ordergate_runtime::{BodyTooLarge, ClientConfig, cap_body, http_client_builder};

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
        let client = self.client.as_ref().map_err(|error| {
            PaymentRefusal::NotPaid(format!("the sandbox has no HTTP client: {error}"))
        })?;
        let url = transaction_url(&self.endpoint.url, &order.merchant_order_id);
        let call = fetch(client, &url, &self.endpoint, self.timeout);
        let body = match tokio::time::timeout(self.timeout, call).await {
            Ok(answered) => answered?,
            Err(_elapsed) => return Err(no_answer(self.timeout)),
        };
        let Ok(status) = serde_json::from_slice::<types::TransactionStatus>(&body) else {
            return Err(PaymentRefusal::NotPaid(
                "the merchant's transaction status API did not answer a TransactionStatus"
                    .to_owned(),
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
) -> Result<Bytes, PaymentRefusal> {
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
    let response = client
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
    // The runtime's cap: refused at once when `Content-Length` says more, else as soon as
    // more arrives.
    let limit = MAX_TRANSACTION_BYTES as u64;
    match cap_body(response, limit).bytes().await {
        Ok(body) => Ok(body),
        Err(error) if BodyTooLarge::find(&error).is_some() => {
            Err(PaymentRefusal::NotPaid(format!(
                "the merchant's transaction status API answered more than {MAX_TRANSACTION_BYTES} bytes"
            )))
        }
        Err(error) => Err(unreachable(error)),
    }
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
