//! `ordergate schema`, `schema new-order` and `schema event`: JSON Schemas that accept what
//! the CLI reads and prints, and refuse what it refuses.

use assert_cmd::Command;
use serde_json::{Value, json};

fn schema(args: &[&str]) -> Value {
    let output = Command::cargo_bin("ordergate")
        .expect("built")
        .env_clear()
        .arg("schema")
        .args(args)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("a JSON Schema")
}

#[test]
fn schema_new_order_validates_a_sample_order_and_refuses_a_broken_one() {
    let validator = jsonschema::validator_for(&schema(&["new-order"])).expect("valid");
    let order = json!({
        "reference": "R-1001",
        "recipient": {
            "first_name": "Aino", "last_name": "Virtanen", "company": "Oy Demo Ab",
            "email": "aino@example.com", "phone": "+358401234567",
            "address1": "Mannerheimintie 1", "address2": "B 12", "city": "Helsinki",
            "state": "Uusimaa", "postal_code": "00100", "country": "FI"
        },
        "items": [{"sku": "TSHIRT-M", "name": "T-shirt", "quantity": 2, "unit_price": "19.90"}],
        "currency": "EUR",
        "options": {}
    });
    assert!(
        validator.is_valid(&order),
        "{:?}",
        validator
            .iter_errors(&order)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    let mut no_recipient = order.clone();
    no_recipient
        .as_object_mut()
        .expect("object")
        .remove("recipient");
    assert!(!validator.is_valid(&no_recipient));
    let mut negative = order.clone();
    negative["items"][0]["quantity"] = json!(-1);
    assert!(!validator.is_valid(&negative));
    let mut unknown = order;
    unknown["options"]["nobody"] = json!({});
    assert!(!validator.is_valid(&unknown));
}

#[test]
fn schema_event_describes_one_order_event() {
    let event_schema = schema(&["event"]);
    let validator = jsonschema::validator_for(&event_schema).expect("valid");
    let event = json!({
        "provider": "fuuffy", "event_id": "xxh3:00:0", "event_type": "order.in_transit",
        "order_id": "order_1a2b3c4d5e6f", "status": "shipped", "provider_status": "in_transit",
        "tracking_number": "FUF123456789", "occurred_at": "2024-01-16T08:15:00Z"
    });
    assert!(validator.is_valid(&event));
    let mut bad = event;
    bad["status"] = json!("teleported");
    assert!(!validator.is_valid(&bad));
}

/// The `--json` output schema covers the new outputs: a Tracking, `{"events": [...]}` and one
/// OrderEvent line.
#[test]
fn the_output_schema_covers_tracking_and_events() {
    let validator = jsonschema::validator_for(&schema(&[])).expect("valid");
    let event = json!({
        "provider": "fuuffy", "event_id": "e1", "event_type": "order.delivered",
        "order_id": "3550609", "status": "delivered", "provider_status": "delivered",
        "tracking_number": null, "occurred_at": null
    });
    let tracking = json!({
        "provider": "fuuffy", "order_id": "3550609", "tracking_number": "SF1",
        "status": "shipped", "provider_status": "IN_TRANSIT",
        "events": [{"at": "2026-03-01T10:00:00Z", "status": "shipped",
                    "provider_status": "IN_TRANSIT", "location": "Hong Kong",
                    "message": "In transit"}]
    });
    let listening = json!({"listening": "http://127.0.0.1:8080", "providers": ["fuuffy", "onemg"]});
    for value in [
        event.clone(),
        json!({"events": [event]}),
        tracking,
        listening,
    ] {
        assert!(validator.is_valid(&value), "{value}");
    }
    assert!(!validator.is_valid(&json!({"events": [{"provider": "fuuffy"}]})));
}
