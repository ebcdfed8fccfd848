use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ordergate_runtime::inbound::{
    DEFAULT_LEEWAY, InboundError, Rs256Signer, Rs256Verifier, VerifySource,
};

use super::headers;
use super::vectors::*;

/// `iat` of the vectors' claims.
const ISSUED: u64 = 1_700_000_000;
/// `exp` of the vectors' claims.
const EXPIRES: u64 = 1_700_000_900;
/// `nbf` of `NBF_TOKEN`, and `iat` of `IAT_AHEAD_TOKEN`.
const LATER: u64 = 1_700_000_600;

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn verifier() -> Rs256Verifier {
    Rs256Verifier::from_public_key_pem(SIGNER_PUBLIC_SPKI).expect("an RSA public key")
}

/// `GOOD_TOKEN` with its claims part replaced.
fn with_claims(claims_part: &str) -> String {
    let parts: Vec<&str> = GOOD_TOKEN.split('.').collect();
    format!("{}.{claims_part}.{}", parts[0], parts[2])
}

#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
struct Claims {
    iss: String,
    iat: u64,
    exp: u64,
}

#[test]
fn an_openssl_signed_token_verifies_with_the_spki_or_pkcs1_key() {
    let expected: serde_json::Value = serde_json::from_str(GOOD_CLAIMS).expect("json");
    for verifier in [
        verifier(),
        Rs256Verifier::from_public_key_pem(SIGNER_PUBLIC_PKCS1).expect("PKCS#1 key"),
    ] {
        let claims = verifier
            .verify_token_at(GOOD_TOKEN, at(ISSUED + 100))
            .expect("verifies");
        assert_eq!(claims, expected);
    }
    let typed: Claims = verifier()
        .verify_token_as(GOOD_TOKEN, at(ISSUED))
        .expect("verifies");
    assert_eq!(typed.iss, "merchant-42");
}

#[test]
fn the_signer_makes_the_token_openssl_made() {
    // RSASSA-PKCS1-v1_5 is deterministic: the same key and input give the same signature.
    let signer = Rs256Signer::from_private_key_pem(SIGNER_PRIVATE_PKCS8).expect("PKCS#8 key");
    let claims = Claims {
        iss: "merchant-42".to_owned(),
        iat: ISSUED,
        exp: EXPIRES,
    };
    assert_eq!(signer.sign(&claims).expect("signs"), GOOD_TOKEN);
    let token = signer
        .sign(&serde_json::json!({"sub": "order-7", "exp": EXPIRES}))
        .expect("signs");
    let claims = signer
        .verifier()
        .verify_token_at(&token, at(ISSUED))
        .expect("its own verifier accepts it");
    assert_eq!(claims["sub"], "order-7");
    let printed = format!("{signer:?}");
    assert!(!printed.contains("MII"), "{printed}");
}

#[test]
fn exp_is_checked_with_the_leeway() {
    let verifier = verifier();
    let leeway = DEFAULT_LEEWAY.as_secs();
    assert!(
        verifier
            .verify_token_at(GOOD_TOKEN, at(EXPIRES + leeway - 1))
            .is_ok()
    );
    for now in [EXPIRES + leeway, EXPIRES + 86_400] {
        assert!(matches!(
            verifier.verify_token_at(GOOD_TOKEN, at(now)),
            Err(InboundError::Expired)
        ));
    }
    let strict = verifier.with_leeway(Duration::ZERO);
    assert!(matches!(
        strict.verify_token_at(GOOD_TOKEN, at(EXPIRES)),
        Err(InboundError::Expired)
    ));
    // Today is long past the vectors' expiry.
    assert!(matches!(
        strict.verify_token(GOOD_TOKEN),
        Err(InboundError::Expired)
    ));
}

#[test]
fn nbf_and_iat_ahead_of_the_clock_are_not_yet_valid() {
    let verifier = verifier();
    let leeway = DEFAULT_LEEWAY.as_secs();
    for token in [NBF_TOKEN, IAT_AHEAD_TOKEN] {
        assert!(matches!(
            verifier.verify_token_at(token, at(ISSUED + 100)),
            Err(InboundError::NotYetValid)
        ));
        assert!(matches!(
            verifier.verify_token_at(token, at(LATER - leeway - 1)),
            Err(InboundError::NotYetValid)
        ));
        assert!(verifier.verify_token_at(token, at(LATER - leeway)).is_ok());
    }
}

#[test]
fn exp_must_be_present_and_a_number() {
    let verifier = verifier();
    assert!(matches!(
        verifier.verify_token_at(NO_EXP_TOKEN, at(ISSUED)),
        Err(InboundError::MissingClaim { claim: "exp" })
    ));
    assert!(matches!(
        verifier.verify_token_at(STRING_EXP_TOKEN, at(ISSUED)),
        Err(InboundError::MalformedClaim { claim: "exp" })
    ));
    assert!(matches!(
        verifier.verify_token_at(ARRAY_CLAIMS_TOKEN, at(ISSUED)),
        Err(InboundError::InvalidPayload(_))
    ));
}

#[test]
fn none_hs256_and_crit_are_refused_as_the_wrong_algorithm() {
    let verifier = verifier();
    let claims_part = GOOD_TOKEN.split('.').nth(1).expect("claims");
    let signature_part = GOOD_TOKEN.split('.').nth(2).expect("signature");
    for token in [
        format!("{NONE_HEADER_PART}.{claims_part}."),
        format!("{NONE_HEADER_PART}.{claims_part}.{signature_part}"),
        HS256_CONFUSION_TOKEN.to_owned(),
        CRIT_TOKEN.to_owned(),
    ] {
        assert!(
            matches!(
                verifier.verify_token_at(&token, at(ISSUED)),
                Err(InboundError::WrongAlgorithm)
            ),
            "{token}"
        );
    }
}

#[test]
fn a_tampered_token_or_another_key_is_a_bad_signature() {
    let verifier = verifier();
    let other = Rs256Verifier::from_public_key_pem(OTHER_PUBLIC_SPKI).expect("key");
    for (verifier, token) in [
        (&verifier, with_claims(TAMPERED_CLAIMS_PART)),
        (&verifier, OTHER_KEY_TOKEN.to_owned()),
        (&other, GOOD_TOKEN.to_owned()),
    ] {
        assert!(
            matches!(
                verifier.verify_token_at(&token, at(ISSUED)),
                Err(InboundError::BadSignature)
            ),
            "{token}"
        );
    }
    assert!(other.verify_token_at(OTHER_KEY_TOKEN, at(ISSUED)).is_ok());
}

/// Every truncation of the token, and every one-character change of it, is refused, and
/// none panics.
#[test]
fn every_truncation_and_one_character_change_is_refused() {
    let verifier = verifier();
    let now = at(ISSUED);
    for end in 0..GOOD_TOKEN.len() {
        assert!(
            verifier.verify_token_at(&GOOD_TOKEN[..end], now).is_err(),
            "{end}"
        );
    }
    let mut refused = 0;
    for index in 0..GOOD_TOKEN.len() {
        for replacement in ["A", "_", ".", "="] {
            if &GOOD_TOKEN[index..=index] == replacement {
                continue;
            }
            let mut token = GOOD_TOKEN.to_owned();
            token.replace_range(index..=index, replacement);
            assert!(verifier.verify_token_at(&token, now).is_err(), "{token}");
            refused += 1;
        }
    }
    assert!(refused > 3 * GOOD_TOKEN.len(), "{refused}");
}

#[test]
fn malformed_tokens_are_refused() {
    let verifier = verifier();
    let now = at(ISSUED);
    for token in [
        "",
        "a.b",
        "a.b.c.d",
        &format!("{GOOD_TOKEN}.x"),
        "!!!.e30.AA",
        "e30.e30.AA",
        &"A".repeat(9000),
    ] {
        assert!(
            matches!(
                verifier.verify_token_at(token, now),
                Err(InboundError::MalformedToken { .. } | InboundError::HeaderTooLarge { .. })
            ),
            "{token:.40}"
        );
    }
}

#[test]
fn the_bearer_header_is_read_once() {
    let verifier = verifier();
    let now = at(ISSUED);
    let bearer = format!("Bearer {GOOD_TOKEN}");
    assert!(
        verifier
            .verify_bearer_at(&headers("Authorization", &[&bearer]), now)
            .is_ok()
    );
    assert!(matches!(
        verifier.verify_bearer_at(&headers("Authorization", &[]), now),
        Err(InboundError::MissingHeader {
            header: "Authorization"
        })
    ));
    assert!(matches!(
        verifier.verify_bearer_at(&headers("Authorization", &[&bearer, &bearer]), now),
        Err(InboundError::DuplicateHeader { .. })
    ));
    assert!(matches!(
        verifier.verify_bearer_at(
            &headers("Authorization", &[&format!("Basic {GOOD_TOKEN}")]),
            now
        ),
        Err(InboundError::Malformed {
            header: "Authorization",
            ..
        })
    ));
    // Through the trait the clock is now: the vectors have long expired.
    assert!(matches!(
        verifier.verify(&headers("Authorization", &[&bearer]), b"{}"),
        Err(InboundError::Expired)
    ));
}

#[test]
fn keys_that_are_not_rsa_public_keys_are_refused() {
    let truncated = &SIGNER_PUBLIC_SPKI[..SIGNER_PUBLIC_SPKI.len() / 2];
    for pem in [
        "",
        truncated,
        SIGNER_PRIVATE_PKCS8,
        RSA_1024_PUBLIC_SPKI,
        EC_PUBLIC_SPKI,
        "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----\n",
    ] {
        assert!(
            matches!(
                Rs256Verifier::from_public_key_pem(pem),
                Err(InboundError::InvalidKey { .. })
            ),
            "{pem:.40}"
        );
    }
    for pem in ["", SIGNER_PUBLIC_SPKI, truncated] {
        assert!(matches!(
            Rs256Signer::from_private_key_pem(pem),
            Err(InboundError::InvalidKey { .. })
        ));
    }
}
