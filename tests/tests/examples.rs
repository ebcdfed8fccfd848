//! Every example in every spec validates against its schema, and the generated enums stay
//! open to values the specs do not list.

use ordergate_codegen::examples::{examples, validate_examples};
use ordergate_tests::spec;

#[test]
fn every_example_in_every_spec_validates() {
    let mut total = 0;
    for provider in ["fuuffy", "logitrail", "onemg", "fastpod"] {
        let spec = spec(provider);
        let count = validate_examples(&spec).unwrap_or_else(|failures| {
            panic!(
                "{provider}: {}",
                failures
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert_eq!(count, examples(&spec).len());
        assert!(count >= 4, "{provider} has only {count} examples");
        total += count;
    }
    assert!(total >= 35, "{total}");
}

#[test]
fn logitrail_webhook_order_example_decodes() {
    let spec = spec("logitrail");
    let example = examples(&spec)
        .into_iter()
        .find(|e| e.label() == "schema OrderInfo example")
        .expect("OrderInfo has an example");
    let order: ordergate_logitrail::types::OrderInfo =
        serde_json::from_value(example.value.clone()).expect("decodes");
    ordergate_tests::assert_decoded_losslessly("OrderInfo", &order, &example.value);
    assert!(!order.status.is_unknown());
}

#[test]
fn unknown_enum_values_decode_and_round_trip() {
    use ordergate_fuuffy::types::OrderStatus;
    let status: OrderStatus = serde_json::from_str(r#""ON_THE_MOON""#).expect("open enum");
    assert_eq!(status, OrderStatus::Unknown("ON_THE_MOON".to_owned()));
    assert!(status.is_unknown());
    assert_eq!(
        serde_json::to_string(&status).expect("serializes"),
        r#""ON_THE_MOON""#
    );
    for known in OrderStatus::KNOWN {
        let again: OrderStatus = known.as_str().parse().expect("infallible");
        assert_eq!(&again, known);
        assert!(!again.is_unknown());
    }
    assert_eq!(OrderStatus::KNOWN.len(), 11);
}
