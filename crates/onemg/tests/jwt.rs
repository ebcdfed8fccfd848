//! Tata 1mg's self-signed JWT (JWT Token Generation Guide,
//! <https://onedoc.1mg.com/public_docs/content/Merchant%20Integration%20Documentation/Phamacy%20API%20Integration/jwt-token-generation-guide>):
//! tokens checked with the public key, never with the signer; the renewal time; a real request
//! over loopback; refused keys; redaction.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use httpmock::MockServer;
use ordergate_onemg::jwt::{DEFAULT_LIFETIME, JwtError, JwtSigner, RENEWAL_MARGIN};
use ordergate_onemg::{Auth, Client, ClientConfig, Credentials, types};
use ordergate_runtime::inbound::Rs256Verifier;
use ordergate_runtime::{ExposeSecret as _, TokenCache, TokenFuture, TokenSource};
use serde_json::{Value, json};

/// The runtime's RS256 test keys (throwaway keys made with `openssl genpkey`; the commands are
/// in the file), shared rather than copied.
#[path = "../../runtime/tests/inbound/vectors.rs"]
mod vectors;

use vectors::{SIGNER_PRIVATE_PKCS8, SIGNER_PUBLIC_PKCS1, SIGNER_PUBLIC_SPKI};

/// `SIGNER_PRIVATE_PKCS8` as PKCS#1: `openssl rsa -in signer.pem -traditional` (OpenSSL 3.0.19).
const SIGNER_PRIVATE_PKCS1: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEoQIBAAKCAQEAwMgFN8t5hzeDsTsjxWy+wc74jCnD52BrGyCOlFvKODNO0Vs9
9BZa+VbZcnBmNUq5kHUL6+y+frB69Sr4ycsDLggng7qdIaUAB2Qx8F1FVdeeXNZ2
NLe6pkVAAKXnBeawH99rrDx0krKefaTOOoDHNqsVcxqel7rkhySeOl71nRDNAkb2
iAc6yuk2rlVI0f3+Rim9s2IMoMH5KrxzLhLDDHaga4p2X0B6/2IBNuylxxNhOiUR
MYibqTQ2oVgQrMHlBlOp/Fa/eUEFta1fLZO8tsjAmSchU9kWKxk34Je6JfYxSgjX
oCQNJwL4WZhv/DmU1HemqVExaErauv954a0ukwIDAQABAoH/Cg9SUKQswHIEWZCb
qSfiv04HDMYamlrQKFIHUzNPolbw0xzIZw6cM/2wIBq23sjZg6MoZSDBBJM3lbr9
qZc2pvU1kNGVLQTlXfOHOAPNX16fbskxyvDsT84FGWYFCqxAuRpLdvmjhK7hLV6G
hUvxaB1rIfJvnGenkl88jTGvklSf8FNDEY77nNh6KeWWqAl4tcteG9AVN2+n8X/A
OtpGmXLPiNi7RKvXgDQArlO74JcRnyrqdKGX9qpPFpwPUZqahlf/5TmfVBzFvsZq
4URotuE13D/kZzxurvOHX0S6TEQEeCQzOJFOwZRJXi48ZvuiPzausAW19q8jFuP4
IqFhAoGBAOWTLxwNq+xk+xvLV7dSBn27pM3FcNA5iXqFv8FN1dt4QqKL5wH2j+jt
U6XEQGL4q00Oj3lgdhV6hJXTolgeaUWmv/+ghOljM++1TPntL3Gz1BBvNsl1gSaa
+yseR7oAVNHkRX7bLQiQYoVFgtLz50Hd5AGclO4yLdxIMTquse9RAoGBANb4pm6x
Y6f8Im67ZJcdAlFNaGwi/cfg9aeGf9n1GiejUH5xwMBVq4N4312rP5TgxANVu3HU
1p4puaOPZMFMjy1eIPTikd0qXbMEoBpL1qXGY7Qpej6VIRrfPtXqjvJYXeinBKVb
Wfh8yWVZv9ieajOIfOw5tCMNIfGXISUnfW6jAoGARHkI1Qoy3BgmWVzl9bSOYRQF
jKY2BrUSjyuzTNmFTqdo4Ihvx0MeGzAmAcwuFBbtKNeN7Xra3X8kaner9TJk3bRl
kb3zxpSjGfzuT6DxxK0JNDmnkqDse3JANdUbOZv9sHiwTazbmrFN4UghRAAhWqDu
75gfR4hJ62jQ3hra0XECgYA6fQaTYXIy11fq9tNkhgEGa+A4Y8DWrC9KOD7650QJ
etbAwGRoMCbtK2riimBPOmQ6YA4S54zJFaMrjC0mppTiDBU9a5OyL/+0YFLLNM0e
535jG1HmSx7pt8nZ2+qupzpNvXt3Hga5pAILsEKRRnCwurb6cqy/SKhumebru/XV
rwKBgQC9+8TL2bPsshLyuVkZW2yvAotQRtS0Cu1p93PIT62X6PJAjCfQcHc3LMBe
KV4zNfGQtu0BKJbm3jIEL2D4UgwUJvExxbaFhqZHaqCVT99ygAeD60DFUd5UMI9L
9ly13BNU9ojDEUNWdnZrmCyCv2wsNLExCYMDWt4k3SalmObqaA==
-----END RSA PRIVATE KEY-----
";

/// A P-256 key in PKCS#8, the same PEM label as an RSA one:
/// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` (OpenSSL 3.0.19).
const EC_PRIVATE_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglBRf0JmheaOl9o1H
b6pRP1GSOgfclhW6xkRUJ544KxOhRANCAATGQMmZjtQf/h/LQfS1x//4OlUF2DxZ
GEqgbhFlVNLrF+vblP1ozA8QxRExCyWLIqdDha86AuWm16lIvrk7Mr59
-----END PRIVATE KEY-----
";

const ACCESS_KEY: &str = "1mg-access-key-example";
const MERCHANT_ID: &str = "merchant-42";

/// The confirm-order-api page's 200 example
/// (<https://onedoc.1mg.com/public_docs/docs/merchant/1.0.0/confirm-order-api>).
const CONFIRMED: &str = r#"{"data": {"merchant_order_id": "2333asa3s25224", "order_id": "PO29523371880004"}, "partial_complete": false, "is_success": true, "status_code": 200}"#;

fn verifier() -> Rs256Verifier {
    Rs256Verifier::from_public_key_pem(SIGNER_PUBLIC_SPKI).expect("the test public key")
}

fn signer() -> JwtSigner {
    JwtSigner::from_private_key_pem(SIGNER_PRIVATE_PKCS8).expect("the test private key")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The JOSE header of `token`, decoded (not verified).
fn header_of(token: &str) -> Value {
    let header = token.split('.').next().expect("a header part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("base64url")).expect("JSON")
}

/// The claims, verified with the public key at `now`: exactly `iat` and `exp`, integers.
fn claims_of(token: &str, now: SystemTime) -> (u64, u64) {
    let claims = verifier()
        .verify_token_at(token, now)
        .expect("the public key verifies the token");
    let object = claims.as_object().expect("an object");
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["exp", "iat"], "{claims}");
    let second = |name: &str| claims[name].as_u64().expect("whole seconds");
    (second("iat"), second("exp"))
}

/// Every base64 line of a PEM: none may appear in anything printed.
fn key_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}

fn assert_shows_no_key(text: &str) {
    for pem in [SIGNER_PRIVATE_PKCS8, SIGNER_PRIVATE_PKCS1] {
        for line in key_lines(pem) {
            // Any 16 characters of a line would do; the whole line is the strict check.
            assert!(!text.contains(&line[..16]), "key material shown: {text}");
        }
    }
}

#[test]
fn a_token_is_rs256_with_exactly_iat_and_exp_fifteen_minutes_apart() {
    let before = unix_now();
    let token = signer().sign().expect("signs");
    let after = unix_now();
    let token = token.expose_secret();
    assert_eq!(header_of(token), json!({"alg": "RS256", "typ": "JWT"}));
    let (iat, exp) = claims_of(token, SystemTime::now());
    assert!(
        (before..=after).contains(&iat),
        "{before} <= {iat} <= {after}"
    );
    assert_eq!(exp - iat, 900);
    assert_eq!(DEFAULT_LIFETIME, Duration::from_secs(900));
    // The PKCS#1 form of the public key verifies it too.
    let pkcs1 = Rs256Verifier::from_public_key_pem(SIGNER_PUBLIC_PKCS1).expect("key");
    pkcs1.verify_token(token).expect("verifies");
}

#[test]
fn sign_at_writes_the_given_time_in_whole_seconds() {
    let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_750);
    let token = signer().sign_at(at).expect("signs");
    let (iat, exp) = claims_of(token.expose_secret(), at);
    assert_eq!((iat, exp), (1_700_000_000, 1_700_000_900));
    // Expired for 1mg once 15 minutes and the verifier's leeway have passed.
    let later = at + Duration::from_secs(900 + 61);
    assert!(
        verifier()
            .verify_token_at(token.expose_secret(), later)
            .is_err()
    );
    let before_1970 = UNIX_EPOCH - Duration::from_secs(1);
    assert_eq!(
        signer()
            .sign_at(before_1970)
            .expect_err("no iat before 1970"),
        JwtError::ClockBeforeEpoch
    );
}

#[test]
fn a_custom_lifetime_sets_exp_in_whole_seconds_and_at_least_one() {
    for (lifetime, seconds) in [
        (Duration::from_secs(600), 600),
        (Duration::from_millis(300_900), 300),
        (Duration::from_secs(3600), 3600),
        (Duration::ZERO, 1),
        (Duration::from_millis(10), 1),
    ] {
        let signer = signer().with_lifetime(lifetime);
        assert_eq!(signer.lifetime(), Duration::from_secs(seconds));
        let token = signer.sign().expect("signs");
        let (iat, exp) = claims_of(token.expose_secret(), SystemTime::now());
        assert_eq!(exp - iat, seconds, "{lifetime:?}");
    }
}

#[test]
fn pkcs1_and_pkcs8_keys_sign_tokens_the_public_key_verifies() {
    let one_line = SIGNER_PRIVATE_PKCS1.replace('\n', "\\n");
    for pem in [SIGNER_PRIVATE_PKCS8, SIGNER_PRIVATE_PKCS1, &one_line] {
        let signer = JwtSigner::from_private_key_pem(pem).expect("an RSA private key");
        let token = signer.sign().expect("signs");
        let (iat, exp) = claims_of(token.expose_secret(), SystemTime::now());
        assert_eq!(exp - iat, 900);
    }
}

#[test]
fn keys_that_cannot_sign_are_refused_without_being_quoted() {
    let truncated = &SIGNER_PRIVATE_PKCS8[..SIGNER_PRIVATE_PKCS8.len() / 2];
    let corrupted = SIGNER_PRIVATE_PKCS8.replacen("MII", "MIJ", 1);
    for (what, pem) in [
        ("empty", ""),
        ("garbage", "this is not a PEM"),
        ("a public key (SPKI)", SIGNER_PUBLIC_SPKI),
        ("a public key (PKCS#1)", SIGNER_PUBLIC_PKCS1),
        ("a P-256 key", EC_PRIVATE_PKCS8),
        ("half a key", truncated),
        ("a corrupted key", &corrupted),
    ] {
        let error = JwtSigner::from_private_key_pem(pem).expect_err(what);
        assert!(
            matches!(error, JwtError::InvalidKey { .. }),
            "{what}: {error:?}"
        );
        let shown = format!("{error} {error:?}");
        assert_shows_no_key(&shown);
        for line in key_lines(EC_PRIVATE_PKCS8) {
            assert!(!shown.contains(line), "{what}: {shown}");
        }
        let error = Credentials::signed(pem, ACCESS_KEY).expect_err(what);
        assert!(matches!(error, JwtError::InvalidKey { .. }), "{what}");
    }
}

#[test]
fn a_key_file_is_read_and_an_unreadable_one_is_refused_by_path() {
    let dir = std::env::temp_dir().join(format!("ordergate-onemg-jwt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let key = dir.join("key.pem");
    std::fs::write(&key, SIGNER_PRIVATE_PKCS1).expect("written");
    let signer = JwtSigner::from_private_key_file(&key).expect("reads the key");
    claims_of(
        signer.sign().expect("signs").expose_secret(),
        SystemTime::now(),
    );

    let missing = dir.join("missing.pem");
    let error = JwtSigner::from_private_key_file(&missing).expect_err("no such file");
    assert!(
        matches!(error, JwtError::UnreadableKeyFile { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("missing.pem"), "{error}");

    let public = dir.join("public.pem");
    std::fs::write(&public, SIGNER_PUBLIC_SPKI).expect("written");
    let error = JwtSigner::from_private_key_file(&public).expect_err("a public key");
    assert!(matches!(error, JwtError::InvalidKey { .. }), "{error:?}");

    let huge = dir.join("huge.pem");
    std::fs::write(&huge, "A".repeat(65 * 1024)).expect("written");
    let error = JwtSigner::from_private_key_file(&huge).expect_err("too large");
    assert!(error.to_string().contains("64 KiB"), "{error}");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn debug_never_shows_the_key() {
    let signer = JwtSigner::from_private_key_pem(SIGNER_PRIVATE_PKCS1).expect("key");
    let credentials = Credentials::with_signer(signer.clone(), ACCESS_KEY);
    let auth = Auth::from(credentials.clone());
    for shown in [
        format!("{signer:?}"),
        format!("{credentials:?}"),
        format!("{auth:?}"),
        format!("{:?}", signer.clone().into_cache()),
    ] {
        assert_shows_no_key(&shown);
        assert!(!shown.contains(ACCESS_KEY), "{shown}");
    }
    assert_eq!(
        format!("{signer:?}"),
        r#"JwtSigner { private_key: "[redacted]", lifetime: 900s }"#
    );
}

/// The margin for 1mg's 15-minute token is 60 s: the cache states what it was given.
#[test]
fn the_default_cache_renews_sixty_seconds_before_a_fifteen_minute_token_expires() {
    assert_eq!(RENEWAL_MARGIN, Duration::from_secs(60));
    let shown = format!("{:?}", signer().into_cache());
    assert!(shown.contains("default_lifetime: 900s"), "{shown}");
    assert!(shown.contains("margin: 60s"), "{shown}");
}

/// With a 4-second lifetime (3 to 4 s left until `exp`, which is in whole seconds) the margin
/// is bounded to half of it and up to half of that is given back at random: a token is reused
/// for at least 1.5 s and replaced by 3 s.
#[tokio::test]
async fn a_cached_token_is_reused_while_fresh_and_signed_anew_before_it_expires() {
    let cache = signer().with_lifetime(Duration::from_secs(4)).into_cache();
    let started = Instant::now();
    let first = cache.token().await.expect("signed");
    let again = cache.token().await.expect("cached");
    assert_eq!(first.header_value(), again.header_value());

    tokio::time::sleep(Duration::from_secs(1)).await;
    let reused = cache.cached();
    if started.elapsed() < Duration::from_millis(1500) {
        let reused = reused.expect("still fresh after 1 s of 4");
        assert_eq!(reused.header_value(), first.header_value());
    }

    tokio::time::sleep_until((started + Duration::from_millis(3100)).into()).await;
    assert!(cache.cached().is_none(), "renewed by 3 s of 4");
    let second = cache.token().await.expect("signed anew");
    let bearer = |token: &ordergate_runtime::Token| {
        let value = token.header_value().to_str().expect("ASCII").to_owned();
        value.strip_prefix("Bearer ").expect("a bearer").to_owned()
    };
    let (first_iat, first_exp) = claims_of(&bearer(&first), SystemTime::now());
    let (second_iat, second_exp) = claims_of(&bearer(&second), SystemTime::now());
    assert_eq!(first_exp - first_iat, 4);
    assert_eq!(second_exp - second_iat, 4);
    assert!(second_iat >= first_iat + 3, "{first_iat} then {second_iat}");
}

/// Counts the signatures of a [`JwtSigner`].
struct Counting {
    signer: JwtSigner,
    mints: Arc<AtomicUsize>,
}

impl TokenSource for Counting {
    fn fetch(&self) -> TokenFuture<'_> {
        self.mints.fetch_add(1, Ordering::SeqCst);
        self.signer.fetch()
    }
}

fn confirm_body() -> types::ConfirmOrderRequest {
    types::ConfirmOrderRequest {
        merchant_order_id: "2333asa3s25224".to_owned(),
        order_id: "PO29523371880004".to_owned(),
    }
}

/// Serves the confirm-order example to requests whose bearer JWT the public key verifies and
/// whose claims are exactly `iat` and `exp`, with the access key; records each token.
fn serve_confirm(server: &MockServer, tokens: Arc<Mutex<Vec<String>>>) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(httpmock::Method::PUT)
            .path(format!(
                "/api/v4/merchants/{MERCHANT_ID}/orders/PO29523371880004/confirm"
            ))
            .header("x-access-key", ACCESS_KEY)
            .is_true(move |request| {
                let headers = request.headers();
                let verified = verifier().verify_bearer_at(&headers, SystemTime::now());
                let Some(token) = headers
                    .get("authorization")
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.strip_prefix("Bearer "))
                else {
                    return false;
                };
                let only_iat_exp = verified.is_ok_and(|claims| {
                    claims.as_object().is_some_and(|object| {
                        object.len() == 2
                            && object["exp"]
                                .as_u64()
                                .zip(object["iat"].as_u64())
                                .is_some_and(|(exp, iat)| exp - iat == 900)
                    })
                });
                if only_iat_exp {
                    tokens
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(token.to_owned());
                }
                only_iat_exp
            });
        then.status(200)
            .header("content-type", "application/json")
            .body(CONFIRMED);
    })
}

#[tokio::test]
async fn a_request_carries_a_verifiable_bearer_jwt_and_the_access_key() {
    let server = MockServer::start_async().await;
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let mock = serve_confirm(&server, Arc::clone(&tokens));
    let credentials = Credentials::signed(SIGNER_PRIVATE_PKCS8, ACCESS_KEY).expect("key");
    let client = Client::with_credentials(&server.base_url(), credentials).expect("loopback");
    for _ in 0..2 {
        let response = client
            .confirm_order()
            .merchant_id(MERCHANT_ID)
            .merchant_confirm_1mg_id("PO29523371880004")
            .body(confirm_body())
            .send()
            .await
            .expect("the server accepts the signed JWT");
        assert!(response.is_success);
    }
    mock.assert_calls_async(2).await;
    // Both verified by the public key inside the matcher (how many signatures made them is
    // counted in `ten_concurrent_callers_share_one_signature`).
    assert_eq!(tokens.lock().expect("not poisoned").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_callers_share_one_signature() {
    let server = MockServer::start_async().await;
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let mock = serve_confirm(&server, Arc::clone(&tokens));
    let mints = Arc::new(AtomicUsize::new(0));
    let counting = Counting {
        signer: signer(),
        mints: Arc::clone(&mints),
    };
    let cache = TokenCache::with_margin(counting, DEFAULT_LIFETIME, RENEWAL_MARGIN);
    let auth = Auth::token_source(cache).with_secret_header(
        reqwest::header::HeaderName::from_static("x-access-key"),
        ACCESS_KEY,
    );
    let client =
        Client::connect(&server.base_url(), auth, &ClientConfig::default()).expect("loopback");
    let calls = (0..10).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .confirm_order()
                .merchant_id(MERCHANT_ID)
                .merchant_confirm_1mg_id("PO29523371880004")
                .body(confirm_body())
                .send()
                .await
                .map(|response| response.is_success)
        })
    });
    for call in futures_util::future::join_all(calls).await {
        assert!(call.expect("joined").expect("accepted"));
    }
    mock.assert_calls_async(10).await;
    assert_eq!(
        mints.load(Ordering::SeqCst),
        1,
        "one signature for ten callers"
    );
    let tokens = tokens.lock().expect("not poisoned");
    assert_eq!(tokens.len(), 10);
    assert!(tokens.iter().all(|token| *token == tokens[0]));
}
