//! An optional list reads as a slice through its accessor, whatever the provider sent, while
//! the field keeps what it sent.

use ordergate_fuuffy::types::{ConfirmOrderData, ShipmentDetail};

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).expect("the body decodes")
}

#[test]
fn missing_null_and_empty_lists_read_as_an_empty_slice() {
    let missing: ConfirmOrderData = decode(r#"{"message": "OK"}"#);
    let null: ConfirmOrderData = decode(r#"{"confirmed_orders": null}"#);
    let empty: ConfirmOrderData = decode(r#"{"confirmed_orders": []}"#);
    for data in [&missing, &null, &empty] {
        assert!(data.confirmed_orders().is_empty(), "{data:?}");
    }
    // The field still says what the provider sent: no list (absent or `null`) or an empty one.
    assert_eq!(missing.confirmed_orders, None);
    assert_eq!(null.confirmed_orders, None);
    assert_eq!(empty.confirmed_orders, Some(Vec::new()));
}

#[test]
fn a_list_with_items_reads_as_those_items() {
    let data: ConfirmOrderData = decode(
        r#"{"confirmed_orders": [
            {"order_id": "3550609", "order_status": "READY_TO_SHIP"},
            {"order_id": "3550610", "order_status": "BRAND_NEW_STATUS"}
        ]}"#,
    );
    let ids: Vec<&str> = data
        .confirmed_orders()
        .iter()
        .map(|order| order.order_id.as_str())
        .collect();
    assert_eq!(ids, ["3550609", "3550610"]);

    let detail: ShipmentDetail = decode(r#"{"parcel_list": [{"parcel_items": null}]}"#);
    assert_eq!(detail.parcel_list().len(), 1);
    assert!(detail.parcel_list()[0].parcel_items().is_empty());
}
