//! Property test: a spec pattern that `ordergate-codegen` checks without a regex engine
//! (`ordergate_runtime::CharClassPattern`) accepts exactly what the `regress` engine, which
//! typify would otherwise use, accepts. The patterns are read from the specs.

use std::str::FromStr;
use std::sync::LazyLock;

use ordergate_tests::spec;
use proptest::prelude::*;
use serde_json::Value;

/// Every `pattern` in `provider`'s spec, by JSON pointer.
fn patterns(provider: &str) -> Vec<(String, String)> {
    fn walk(value: &Value, pointer: String, found: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if let ("pattern", Value::String(pattern)) = (key.as_str(), child) {
                        found.push((pointer.clone(), pattern.clone()));
                    }
                    walk(child, format!("{pointer}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{pointer}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&spec(provider).raw, String::new(), &mut found);
    found
}

fn the_pattern(provider: &str, needle: &str) -> regress::Regex {
    let all = patterns(provider);
    let (_, pattern) = all
        .iter()
        .find(|(pointer, _)| pointer.contains(needle))
        .unwrap_or_else(|| panic!("{provider}: no pattern under {needle}: {all:?}"));
    regress::Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

/// Strings near the patterns' edges: digits, hex letters on both sides of `f`, signs,
/// whitespace, non-ASCII digits, lengths around 24.
fn candidates() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(vec![
        '0', '1', '5', '9', 'a', 'f', 'g', 'A', 'F', 'G', 'z', '-', '+', ' ', '\n', '/',
        '\u{0661}', '\u{FF15}', 'é',
    ]);
    prop::collection::vec(alphabet, 0..30).prop_map(|chars| chars.into_iter().collect())
}

/// The spec patterns, loaded once (not per case).
static FUUFFY_CONFIRM: LazyLock<regress::Regex> =
    LazyLock::new(|| the_pattern("fuuffy", "ConfirmOrderRequest/properties/order_id"));
static FUUFFY_GET: LazyLock<regress::Regex> =
    LazyLock::new(|| the_pattern("fuuffy", "/paths//v1/order/get"));
static FUUFFY_TRACKING: LazyLock<regress::Regex> =
    LazyLock::new(|| the_pattern("fuuffy", "/paths//v1/tracking/get/{order_id}"));
static LOGITRAIL_CONFIRM: LazyLock<regress::Regex> =
    LazyLock::new(|| the_pattern("logitrail", "/schemas/ObjectId"));

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn fuuffy_ids_match_like_the_regex(value in candidates()) {
        prop_assert_eq!(
            ordergate_fuuffy::types::ConfirmOrderRequestOrderId::from_str(&value).is_ok(),
            FUUFFY_CONFIRM.find(&value).is_some(),
            "{:?}", value
        );
        prop_assert_eq!(
            ordergate_fuuffy::types::GetOrderId::from_str(&value).is_ok(),
            FUUFFY_GET.find(&value).is_some(),
            "{:?}", value
        );
        prop_assert_eq!(
            ordergate_fuuffy::types::GetTrackingOrderId::from_str(&value).is_ok(),
            FUUFFY_TRACKING.find(&value).is_some(),
            "{:?}", value
        );
    }

    #[test]
    fn logitrail_ids_match_like_the_regex(
        value in prop_oneof![candidates(), "[0-9a-fA-F]{22,26}", "[0-9a-gA-G]{24}"]
    ) {
        prop_assert_eq!(
            ordergate_logitrail::types::ObjectId::from_str(&value).is_ok(),
            LOGITRAIL_CONFIRM.find(&value).is_some(),
            "{:?}", value
        );
    }
}

#[test]
fn every_spec_pattern_is_covered_here() {
    // A new pattern needs a property above, or this count tells.
    let counts: Vec<usize> = ["fuuffy", "logitrail", "onemg", "fastpod"]
        .iter()
        .map(|provider| patterns(provider).len())
        .collect();
    assert_eq!(counts, [3, 1, 0, 0]);
}
