//! 1mg's numeric order statuses: the spec's `x-ordergate-codes` table, as generated.

use ordergate_onemg::types::{GroupedOrderStatus, OrderStatusId};

#[test]
fn the_documented_codes_are_known_with_their_meaning() {
    // The "Merchant Order Updates" guide's table (19 codes), the FAQ's PLACED 15, and the
    // 17 "Payment Confirmation Awaited" that Track Order's example shows.
    assert_eq!(OrderStatusId::KNOWN.len(), 21);
    let codes: Vec<i64> = OrderStatusId::KNOWN
        .iter()
        .map(|(code, _, _)| *code)
        .collect();
    assert_eq!(
        codes,
        [
            15, 17, 20, 25, 30, 40, 45, 95, 99, 100, 110, 120, 130, 131, 132, 140, 141, 142, 160,
            170, 180
        ]
    );
    assert_eq!(OrderStatusId::DELIVERED, OrderStatusId(40));
    assert_eq!(OrderStatusId(99).meaning(), Some("Cancelled"));
    assert_eq!(OrderStatusId(130).name(), Some("packaging"));
    assert_eq!(
        OrderStatusId::WAITING_FOR_ONLINE_PAYMENT.meaning(),
        Some("Waiting for Online Payment - Occurs when in a COD")
    );
}

#[test]
fn an_undocumented_code_still_decodes_and_has_no_meaning() {
    let status: GroupedOrderStatus =
        serde_json::from_str(r#"{"status_id": 16, "title": "New", "subtitle": null}"#)
            .expect("a code the docs do not list decodes");
    let id = status.status_id.expect("present");
    assert_eq!(id, OrderStatusId(16));
    assert_eq!(id.known(), None);
    assert_eq!(id.meaning(), None);
    assert_eq!(serde_json::to_string(&id).expect("encodes"), "16");
}
