use ordergate_runtime::inbound::{BasicAuth, InboundError, MAX_HEADER_BYTES, VerifySource};

use super::vectors::*;
use super::{assert_hides, headers};

const BODY: &[u8] = br#"[{"event_id":"e1"}]"#;

fn scheme() -> BasicAuth {
    BasicAuth::new(BASIC_USER, BASIC_PASSWORD).expect("credentials")
}

#[test]
fn the_right_credentials_verify_whatever_the_scheme_case() {
    let scheme = scheme();
    for value in [
        format!("Basic {BASIC_GOOD}"),
        format!("basic {BASIC_GOOD}"),
        format!("BASIC  {BASIC_GOOD} "),
    ] {
        let verified = scheme
            .verify(&headers("Authorization", &[&value]), BODY)
            .expect("verifies");
        assert_eq!(verified.body(), BODY);
    }
    let colon = BasicAuth::new(BASIC_USER, "pa:ss").expect("credentials");
    assert!(
        colon
            .verify_authorization(Some(&format!("Basic {BASIC_COLON_PASSWORD}")), BODY)
            .is_ok()
    );
}

#[test]
fn wrong_credentials_are_a_mismatch_that_names_no_secret() {
    let scheme = scheme();
    let other_user = BasicAuth::new("M-other.example", BASIC_PASSWORD).expect("credentials");
    for (scheme, value) in [
        (&scheme, BASIC_WRONG_PASSWORD),
        (&other_user, BASIC_GOOD),
        (&scheme, BASIC_COLON_PASSWORD),
    ] {
        let error = scheme
            .verify_authorization(Some(&format!("Basic {value}")), BODY)
            .expect_err("refused");
        assert!(
            matches!(
                error,
                InboundError::Mismatch {
                    header: "Authorization"
                }
            ),
            "{error:?}"
        );
        assert_hides(&error, BASIC_PASSWORD);
        assert_hides(&error, BASIC_GOOD);
    }
}

#[test]
fn a_missing_duplicate_oversized_or_malformed_authorization_is_refused() {
    let scheme = scheme();
    let good = format!("Basic {BASIC_GOOD}");
    assert!(matches!(
        scheme.verify(&headers("Authorization", &[]), BODY),
        Err(InboundError::MissingHeader {
            header: "Authorization"
        })
    ));
    assert!(matches!(
        scheme.verify(&headers("Authorization", &[&good, &good]), BODY),
        Err(InboundError::DuplicateHeader {
            header: "Authorization"
        })
    ));
    let oversized = format!("Basic {}", "A".repeat(MAX_HEADER_BYTES));
    assert!(matches!(
        scheme.verify(&headers("Authorization", &[&oversized]), BODY),
        Err(InboundError::HeaderTooLarge { .. })
    ));
    for malformed in [
        "",
        "Basic",
        BASIC_GOOD,
        &format!("Bearer {BASIC_GOOD}"),
        &format!("Basic {}", &BASIC_GOOD[..BASIC_GOOD.len() - 1]),
        &format!("Basic {BASIC_GOOD}!"),
        &format!("Basic {BASIC_NO_COLON}"),
    ] {
        assert!(
            matches!(
                scheme.verify_authorization(Some(malformed), BODY),
                Err(InboundError::Malformed {
                    header: "Authorization",
                    ..
                })
            ),
            "{malformed:?}"
        );
    }
    assert!(matches!(
        scheme
            .with_max_body_bytes(BODY.len() - 1)
            .verify_authorization(Some(&good), BODY),
        Err(InboundError::BodyTooLarge { .. })
    ));
}

#[test]
fn setup_refuses_an_empty_password_or_a_colon_in_the_user_and_debug_hides_both() {
    assert!(matches!(
        BasicAuth::new(BASIC_USER, ""),
        Err(InboundError::EmptySecret)
    ));
    assert!(matches!(
        BasicAuth::new("M-a:b", BASIC_PASSWORD),
        Err(InboundError::InvalidKey { .. })
    ));
    let printed = format!("{:?}", scheme());
    assert!(!printed.contains(BASIC_PASSWORD), "{printed}");
    assert!(!printed.contains(BASIC_USER), "{printed}");
}
