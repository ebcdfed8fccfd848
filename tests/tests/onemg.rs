//! ordergate-onemg against httpmock: every example of specs/onemg.yaml, both directions.

use httpmock::MockServer;
use ordergate_onemg::mock::MockServerExt;
use ordergate_onemg::{Client, Credentials, Error, types};
use ordergate_tests::credentials::{ONEMG_ACCESS_KEY, TOKEN};
use ordergate_tests::{assert_decoded_losslessly, request_example, response_examples};

const MERCHANT_ID: &str = "merchant-42";

#[tokio::test]
async fn confirm_order_decodes_every_example_and_sends_both_credentials() {
    let value = request_example("onemg", "confirm_order", "confirm_order");
    let request: types::ConfirmOrderRequest =
        serde_json::from_value(value).expect("the documented request decodes");
    // The page's 200 and its two 500s: the page documents no 4xx, so its 4XX has no example.
    let examples = response_examples("onemg", "confirm_order");
    assert_eq!(examples.len(), 3);
    for example in examples {
        let server = MockServer::start_async().await;
        let mock = server.confirm_order(|when, then| {
            when.merchant_id(MERCHANT_ID)
                .merchant_confirm_1mg_id(&request.order_id)
                .body(&request)
                .into_inner()
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("x-access-key", ONEMG_ACCESS_KEY)
                .header_missing("api-version");
            example.serve(then.into_inner());
        });
        let client = Client::with_credentials(
            &server.base_url(),
            Credentials::new(TOKEN, ONEMG_ACCESS_KEY),
        )
        .expect("loopback is accepted");
        let result = client
            .confirm_order()
            .merchant_id(MERCHANT_ID)
            .merchant_confirm_1mg_id(request.order_id.clone())
            .body(request.clone())
            .send()
            .await;
        mock.assert_async().await;
        match (example.status, result) {
            (200, Ok(response)) => {
                assert_decoded_losslessly(&example.label, &*response, &example.body);
                assert!(response.is_success);
                let data = response.data.as_ref().expect("data");
                assert_eq!(data.order_id.as_deref(), Some("PO29523371880004"));
                assert_eq!(data.merchant_order_id.as_deref(), Some("2333asa3s25224"));
            }
            (status, Err(Error::ErrorResponse(error))) => {
                assert_eq!(error.status().as_u16(), status, "{}", example.label);
                assert_decoded_losslessly(&example.label, &*error, &example.body);
                assert!(!error.is_success);
                let message = error.error.as_ref().and_then(|e| e.message.clone());
                let expected = example.body["error"]["message"].as_str();
                assert_eq!(message.as_deref(), expected, "{}", example.label);
                if status == 500 {
                    assert!(matches!(
                        expected,
                        Some("Order not found" | "Map payment to order operation failed")
                    ));
                }
            }
            (_, other) => panic!("{}: unexpected result {other:?}", example.label),
        }
    }
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start_async().await;
    let value = request_example("onemg", "confirm_order", "confirm_order");
    let request: types::ConfirmOrderRequest = serde_json::from_value(value).expect("decodes");
    let mock = server.mock(|when, then| {
        when.path("/api/v4/merchants/a%2Fb%3Fc/orders/..%2Fx%23y/confirm");
        then.status(500)
            .header("content-type", "application/json")
            .body(r#"{"is_success": false, "status_code": 500, "error": {"message": "Order not found", "errors": null}}"#);
    });
    let client =
        Client::with_credentials(&server.base_url(), Credentials::new(TOKEN, "k")).expect("client");
    let result = client
        .confirm_order()
        .merchant_id("a/b?c")
        .merchant_confirm_1mg_id("../x#y")
        .body(request)
        .send()
        .await;
    mock.assert_async().await;
    assert!(matches!(result, Err(Error::ErrorResponse(_))), "{result:?}");
}

/// The runtime's RS256 test keys (throwaway keys; the `openssl` commands are in the file).
#[path = "../../crates/runtime/tests/inbound/vectors.rs"]
mod vectors;

mod signed_jwt {
    //! The facade signs 1mg's JWT itself from `ONEMG_PRIVATE_KEY` or `ONEMG_PRIVATE_KEY_FILE`
    //! (RS256, `iat` and `exp` 15 minutes apart), checked with the public key.

    use std::time::SystemTime;

    use httpmock::MockServer;
    use ordergate::{ConfirmRequest, ErrorKind, OnemgAdapter, OrderProvider, OrderStatus};
    use ordergate_runtime::inbound::Rs256Verifier;
    use ordergate_tests::credentials::{ONEMG_ACCESS_KEY, TOKEN};

    use super::vectors::{SIGNER_PRIVATE_PKCS8, SIGNER_PUBLIC_SPKI};
    use super::{MERCHANT_ID, request_example, response_examples};
    use ordergate_tests::response_example;

    /// The settings besides the JWT's.
    fn common(base_url: &str) -> Vec<(&'static str, String)> {
        vec![
            ("ONEMG_ACCESS_KEY", ONEMG_ACCESS_KEY.to_owned()),
            ("ONEMG_MERCHANT_ID", MERCHANT_ID.to_owned()),
            ("ONEMG_BASE_URL", base_url.to_owned()),
        ]
    }

    /// A file holding `contents` under a directory of this test's own.
    fn key_file(test: &str, contents: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "ordergate-tests-onemg-{test}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let path = dir.join("key.pem");
        std::fs::write(&path, contents).expect("written");
        path
    }

    /// Serves the documented 200 to a confirm whose bearer JWT the public key verifies, with
    /// exactly `iat` and `exp` 900 s apart, and the access key.
    fn serve_signed_confirm(server: &MockServer) -> httpmock::Mock<'_> {
        let example = response_examples("onemg", "confirm_order")
            .into_iter()
            .find(|example| example.status == 200)
            .expect("a 200 example");
        server.mock(|when, then| {
            when.header("x-access-key", ONEMG_ACCESS_KEY)
                .is_true(|request| {
                    let verifier =
                        Rs256Verifier::from_public_key_pem(SIGNER_PUBLIC_SPKI).expect("key");
                    verifier
                        .verify_bearer_at(&request.headers(), SystemTime::now())
                        .is_ok_and(|claims| {
                            let iat = claims["iat"].as_u64();
                            let exp = claims["exp"].as_u64();
                            claims.as_object().map(|o| o.len()) == Some(2)
                                && iat.zip(exp).is_some_and(|(iat, exp)| exp - iat == 900)
                        })
                });
            example.serve(then);
        })
    }

    fn confirm_request() -> ConfirmRequest {
        let body = request_example("onemg", "confirm_order", "confirm_order");
        let order_id = body["order_id"].as_str().expect("order_id");
        let merchant_order_id = body["merchant_order_id"]
            .as_str()
            .expect("merchant_order_id");
        ConfirmRequest::new(order_id).with_merchant_order_id(merchant_order_id)
    }

    #[tokio::test]
    async fn onemg_facade_signs_its_jwt_from_the_private_key_or_its_file() {
        let path = key_file("signs", SIGNER_PRIVATE_PKCS8);
        for (key, value) in [
            ("ONEMG_PRIVATE_KEY", SIGNER_PRIVATE_PKCS8.to_owned()),
            // A one-line environment file writes the line breaks as `\n`.
            ("private_key", SIGNER_PRIVATE_PKCS8.replace('\n', "\\n")),
            ("ONEMG_PRIVATE_KEY_FILE", path.display().to_string()),
        ] {
            let server = MockServer::start_async().await;
            let mock = serve_signed_confirm(&server);
            let mut options = common(&server.base_url());
            options.push((key, value));
            let adapter = OnemgAdapter::from_options(options).expect("builds");
            let order = adapter
                .confirm_order(&confirm_request())
                .await
                .unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(order.status, OrderStatus::Confirmed);
            mock.assert_async().await;
        }
        std::fs::remove_file(&path).expect("cleaned up");
    }

    #[tokio::test]
    async fn onemg_facade_refuses_a_key_that_cannot_sign_with_nothing_sent() {
        let server = MockServer::start_async().await;
        let any = server.mock(|_, then| {
            then.status(200);
        });
        let public = key_file("refuses", SIGNER_PUBLIC_SPKI);
        let missing = public.with_file_name("missing.pem");
        for (key, value, named) in [
            (
                "ONEMG_PRIVATE_KEY",
                "not a key".to_owned(),
                "ONEMG_PRIVATE_KEY",
            ),
            (
                "private_key",
                SIGNER_PUBLIC_SPKI.to_owned(),
                "ONEMG_PRIVATE_KEY",
            ),
            (
                "private_key_file",
                public.display().to_string(),
                "ONEMG_PRIVATE_KEY_FILE",
            ),
            (
                "ONEMG_PRIVATE_KEY_FILE",
                missing.display().to_string(),
                "missing.pem",
            ),
        ] {
            let mut options = common(&server.base_url());
            options.push((key, value));
            let error = OnemgAdapter::from_options(options).expect_err(key);
            assert_eq!(error.kind, ErrorKind::InvalidInput, "{key}: {error}");
            assert!(error.nothing_was_sent());
            assert!(error.message.contains(named), "{key}: {}", error.message);
            let shown = format!("{error} {error:?}");
            for line in SIGNER_PUBLIC_SPKI.lines().filter(|l| !l.starts_with("---")) {
                assert!(!shown.contains(line), "{shown}");
            }
        }
        std::fs::remove_file(&public).expect("cleaned up");
        any.assert_calls_async(0).await;
    }

    #[tokio::test]
    async fn onemg_facade_uses_a_set_token_before_a_key_and_refuses_two_keys() {
        let path = key_file("several", SIGNER_PRIVATE_PKCS8);
        let token = ("ONEMG_TOKEN", TOKEN.to_owned());
        let pem = ("ONEMG_PRIVATE_KEY", SIGNER_PRIVATE_PKCS8.to_owned());
        let file = ("ONEMG_PRIVATE_KEY_FILE", path.display().to_string());
        // A token beside a key (the sandbox hands out both): the token is sent as it is.
        for with_key in [
            vec![token.clone(), pem.clone()],
            vec![token.clone(), file.clone()],
            vec![token.clone(), pem.clone(), file.clone()],
        ] {
            let server = MockServer::start_async().await;
            let example = response_example("onemg", "confirm_order", 200);
            let mock = server.mock(|when, then| {
                when.header("authorization", format!("Bearer {TOKEN}"));
                example.serve(then);
            });
            let mut options = common(&server.base_url());
            options.extend(with_key.iter().cloned());
            let adapter = OnemgAdapter::from_options(options).expect("builds");
            adapter
                .confirm_order(&confirm_request())
                .await
                .unwrap_or_else(|e| panic!("{with_key:?}: {e}"));
            mock.assert_async().await;
        }
        // Both forms of the key, and no token: refused, naming both, with nothing sent.
        let server = MockServer::start_async().await;
        let any = server.mock(|_, then| {
            then.status(200);
        });
        let mut options = common(&server.base_url());
        options.extend([pem, file]);
        let error = OnemgAdapter::from_options(options).expect_err("two keys");
        assert_eq!(error.kind, ErrorKind::InvalidInput);
        assert!(error.nothing_was_sent());
        for name in ["ONEMG_PRIVATE_KEY ", "ONEMG_PRIVATE_KEY_FILE"] {
            assert!(error.message.contains(name), "{}", error.message);
        }
        assert!(!error.message.contains("MII"), "{}", error.message);
        // None of the three: the error names all three.
        let error = OnemgAdapter::from_options(common(&server.base_url())).expect_err("none");
        assert_eq!(error.kind, ErrorKind::InvalidInput);
        for name in ["ONEMG_TOKEN", "ONEMG_PRIVATE_KEY", "ONEMG_PRIVATE_KEY_FILE"] {
            assert!(error.message.contains(name), "{}", error.message);
        }
        std::fs::remove_file(&path).expect("cleaned up");
        any.assert_calls_async(0).await;
    }
}
