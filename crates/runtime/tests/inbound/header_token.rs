use ordergate_runtime::inbound::{HeaderToken, InboundError, MAX_HEADER_BYTES, VerifySource};

use super::{assert_hides, headers};

const HEADER: &str = "X-Access-Key";
const TOKEN: &str = "1mg-shared-token-5f2c";
const BODY: &[u8] = br#"{"order_id":"PO29523371880004"}"#;

fn scheme() -> HeaderToken {
    HeaderToken::new(HEADER, TOKEN).expect("token")
}

#[test]
fn the_token_verifies_with_surrounding_whitespace_only() {
    let scheme = scheme();
    for value in [TOKEN.to_owned(), format!(" {TOKEN} ")] {
        let verified = scheme
            .verify(&headers(HEADER, &[&value]), BODY)
            .expect("verifies");
        assert_eq!(verified.body(), BODY);
    }
    for wrong in [
        &TOKEN[..TOKEN.len() - 1],
        &format!("{TOKEN}c"),
        &TOKEN.to_uppercase(),
        "",
        &format!("Bearer {TOKEN}"),
    ] {
        let error = scheme
            .verify(&headers(HEADER, &[wrong]), BODY)
            .expect_err("refused");
        assert!(
            matches!(error, InboundError::Mismatch { header: HEADER }),
            "{wrong:?}: {error:?}"
        );
        assert_hides(&error, TOKEN);
    }
}

#[test]
fn a_missing_duplicate_or_oversized_header_or_body_is_refused() {
    let scheme = scheme();
    assert!(matches!(
        scheme.verify(&headers(HEADER, &[]), BODY),
        Err(InboundError::MissingHeader { header: HEADER })
    ));
    assert!(matches!(
        scheme.verify(&headers(HEADER, &[TOKEN, TOKEN]), BODY),
        Err(InboundError::DuplicateHeader { header: HEADER })
    ));
    let oversized = "t".repeat(MAX_HEADER_BYTES + 1);
    assert!(matches!(
        scheme.verify_token(Some(&oversized), BODY),
        Err(InboundError::HeaderTooLarge { header: HEADER, .. })
    ));
    assert!(matches!(
        scheme
            .with_max_body_bytes(0)
            .verify(&headers(HEADER, &[TOKEN]), BODY),
        Err(InboundError::BodyTooLarge { .. })
    ));
}

#[test]
fn setup_refuses_an_empty_token_and_debug_hides_it() {
    assert!(matches!(
        HeaderToken::new(HEADER, ""),
        Err(InboundError::EmptySecret)
    ));
    let scheme = scheme();
    assert_eq!(scheme.header(), HEADER);
    let printed = format!("{scheme:?}");
    assert!(!printed.contains(TOKEN), "{printed}");
}

#[test]
fn the_headers_alone_accept_a_caller_whose_body_is_then_bounded() {
    let scheme = scheme().with_max_body_bytes(BODY.len());
    let caller = scheme
        .verify_headers(&headers(HEADER, &[TOKEN]))
        .expect("the token alone is accepted");
    assert_eq!(caller.max_body_bytes(), BODY.len());
    assert_eq!(caller.body(BODY).expect("within the limit").body(), BODY);
    let longer = [BODY, b" "].concat();
    assert!(matches!(
        caller.body(&longer),
        Err(InboundError::BodyTooLarge { size, limit }) if size == BODY.len() + 1 && limit == BODY.len()
    ));
    for refused in [
        headers(HEADER, &[]),
        headers(HEADER, &["wrong"]),
        headers(HEADER, &[TOKEN, TOKEN]),
    ] {
        let error = scheme.verify_headers(&refused).expect_err("refused");
        assert_hides(&error, TOKEN);
    }
}
