//! Products and their inventory
//! (<https://logitrail-integration.readthedocs.io/en/latest/products.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/products/create_or_modify.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/products/subproducts.html>,
//! <https://logitrail-integration.readthedocs.io/en/latest/product_inventory.html>).
//!
//! - `POST /products/` creates the product (HTTP 201 `{success, created: true}`) or, when its
//!   `merchants_id` exists, updates it with the members given (HTTP 200 `{success}`). A
//!   bundle's subproducts must exist and not be bundles themselves, else 400 `unknown`. A
//!   product document over [`MAX_PRODUCT_BYTES`] is refused with 400 `unknown`.
//! - Orders and inbound shipments add the products they name that Logitrail does not know
//!   ("Logitrail adds products to the product database automatically").
//! - Inventory: `in_stock` (items in the warehouse), `reserved` (of those, reserved for
//!   confirmed orders), `available` = `in_stock` − `reserved` (never below 0), `inbound`
//!   (items of confirmed inbound shipments not yet processed), `on_hold` (always 0 here). A
//!   bundle reports only `available`: how many whole bundles its subproducts make.
//! - `GET /products/inventory` (query string) and `POST /products/inventory` (the same as a
//!   JSON body): `merchants_id` or `id` answers that product's document (404 `unknown` when
//!   there is none); `merchants_id_list` (`merchants_id_list[]` in a query string, repeated)
//!   answers the products found, in the order asked; anything else answers every product, or
//!   those with a movement at or after `after`, oldest first. Lists are
//!   `{total_count, offset, count, products}`, paged by `offset` and `limit` (default and
//!   maximum [`MAX_INVENTORY_PAGE`]; a larger limit is refused with 400, as the spec's bound
//!   says).
//! - The sandbox control `POST /logitrail/2015-01-01/_sandbox/products/{merchants_id}/stock`
//!   `{"in_stock": n}` sets a product's stock (creating the product when unknown).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::DateTime;
use ordergate_logitrail::types;
use serde::Deserialize;
use serde_json::Value;

use super::webhooks::{Event, notify};
use super::{Fake, Warehouse, bad_request, not_found, request, timestamp};
use crate::controls::{object, refused};
use crate::http::{lock, query_pairs, query_value, reply, stable_hash};
use crate::store::RecordKind;

/// The largest product document a create or update keeps, as JSON: 16 KiB, so that a page
/// of [`MAX_INVENTORY_PAGE`] inventory documents stays well within what a client accepts
/// (the SDKs' `ClientConfig::max_response_bytes`, 10 MiB by default).
pub const MAX_PRODUCT_BYTES: usize = 16 * 1024;

/// The most inventory documents one list answer holds: 500, the inventory page's "default
/// and maximum".
pub const MAX_INVENTORY_PAGE: u64 = 500;

/// A product's quantities as the fake counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stock {
    pub(crate) in_stock: i64,
    pub(crate) reserved: i64,
    /// Of `reserved`, the items of orders being picked (what a new pick cannot take).
    pub(crate) picked: i64,
    pub(crate) inbound: i64,
}

impl Stock {
    fn available(self) -> i64 {
        (self.in_stock - self.reserved).max(0)
    }
}

/// A product as the fake keeps it: Logitrail's id, the document, the stock and when it last
/// moved.
#[derive(Debug, Clone)]
pub(crate) struct StoredProduct {
    pub(crate) id: String,
    pub(crate) document: types::ProductDocument,
    pub(crate) stock: Stock,
    pub(crate) last_movement: Option<String>,
}

impl StoredProduct {
    fn is_bundle(&self) -> bool {
        !self.document.subproducts().is_empty()
    }

    pub(crate) fn summary(&self) -> types::ProductSummary {
        types::ProductSummary {
            id: Some(self.id.clone()),
            merchants_id: Some(self.document.merchants_id.clone()),
            name: self.document.name.clone(),
            gtin: self.document.gtin.clone(),
            extra: serde_json::Map::new(),
        }
    }
}

/// Products as a kind of record, keyed by Logitrail's product id ([`product_id`]).
#[derive(Debug)]
pub(crate) struct ProductRecords;

impl RecordKind for ProductRecords {
    const KIND: &'static str = "product";
    type Record = StoredProduct;

    fn finished(product: &StoredProduct) -> bool {
        product.document.status == Some(types::ProductStatus::Deleted)
    }

    fn stored_bytes(product: &StoredProduct) -> usize {
        serde_json::to_vec(&product.document).map_or(0, |json| json.len()) + 128
    }
}

/// Logitrail's id of the product with `merchants_id`: 24 hexadecimal digits derived from
/// it, so that either finds the product at once.
pub(crate) fn product_id(merchants_id: &str) -> String {
    format!("5499362b{:016x}", stable_hash(merchants_id))
}

/// A product line as it moves stock: the merchant's product id and a quantity.
pub(crate) type StockLine = (String, i64);

impl Warehouse {
    /// The product with `merchants_id`.
    pub(crate) fn product(&self, merchants_id: &str) -> Option<&StoredProduct> {
        self.products
            .get(&product_id(merchants_id))
            .filter(|product| product.document.merchants_id == merchants_id)
    }

    /// Adds the product `document` describes unless it exists (orders and inbound
    /// shipments name products Logitrail then knows).
    pub(crate) fn learn(&mut self, document: types::ProductDocument) {
        if self.product(&document.merchants_id).is_some() || document.merchants_id.is_empty() {
            return;
        }
        let id = product_id(&document.merchants_id);
        let product = StoredProduct {
            id: id.clone(),
            document,
            stock: Stock::default(),
            last_movement: None,
        };
        // A product over the store's byte bound alone is not kept; the line still counts.
        let _ = self.products.insert(id, product);
    }

    /// The stock lines of `lines`: a bundle's line becomes its subproducts' lines.
    pub(crate) fn stock_lines(&self, lines: impl Iterator<Item = StockLine>) -> Vec<StockLine> {
        let mut stock_lines = Vec::new();
        for (merchants_id, qty) in lines {
            match self.product(&merchants_id).filter(|p| p.is_bundle()) {
                Some(bundle) => {
                    stock_lines.extend(bundle.document.subproducts().iter().map(|sub| {
                        (
                            sub.merchants_id.clone(),
                            qty.saturating_mul(i64::from(sub.amount)),
                        )
                    }))
                }
                None => stock_lines.push((merchants_id, qty)),
            }
        }
        stock_lines
    }

    /// Whether every line's product has `qty` items in stock that no pick holds.
    pub(crate) fn can_pick(&self, lines: &[StockLine]) -> bool {
        lines.iter().all(|(merchants_id, qty)| {
            self.product(merchants_id)
                .is_some_and(|p| p.stock.in_stock - p.stock.picked >= *qty)
        })
    }

    /// Holds (`held` true) or frees the items of `lines` for a pick: no quantity a client
    /// sees changes, so no movement is dated and no event sent.
    pub(crate) fn hold(&mut self, lines: &[StockLine], held: bool) {
        for (merchants_id, qty) in lines {
            self.products.update(&product_id(merchants_id), |product| {
                let picked = &mut product.stock.picked;
                *picked = if held {
                    picked.saturating_add(*qty)
                } else {
                    picked.saturating_sub(*qty)
                };
            });
        }
    }

    /// Changes the stock of every line's product with `change` (given the line's quantity),
    /// dated `now`; the `product.inventory.change` events.
    pub(crate) fn move_stock(
        &mut self,
        lines: &[StockLine],
        now: &str,
        change: impl Fn(&mut Stock, i64),
    ) -> Vec<Event> {
        let mut events = Vec::new();
        for (merchants_id, qty) in lines {
            let id = product_id(merchants_id);
            let moved = self.products.update(&id, |product| {
                change(&mut product.stock, *qty);
                product.last_movement = Some(now.to_owned());
            });
            if moved.is_some()
                && let Some(product) = self.products.get(&id)
            {
                events.push(Event::InventoryChanged(
                    product.summary(),
                    self.inventory(product),
                ));
            }
        }
        events
    }

    /// `product`'s quantities; a bundle's, from its subproducts'.
    fn inventory(&self, product: &StoredProduct) -> types::Inventory {
        if product.is_bundle() {
            let available = product
                .document
                .subproducts()
                .iter()
                .map(|sub| {
                    let each = i64::from(sub.amount.max(1));
                    self.product(&sub.merchants_id)
                        .map_or(0, |p| p.stock.available() / each)
                })
                .min()
                .unwrap_or(0);
            return types::Inventory {
                available: Some(available),
                ..types::Inventory::default()
            };
        }
        let stock = product.stock;
        types::Inventory {
            inbound: Some(stock.inbound),
            in_stock: Some(stock.in_stock),
            available: Some(stock.available()),
            reserved: Some(stock.reserved),
            on_hold: Some(0),
            last_movement: product.last_movement.clone(),
            best_before: None,
            availability_by: None,
        }
    }

    /// `product`'s inventory document.
    fn inventory_document(&self, product: &StoredProduct) -> types::ProductInventory {
        types::ProductInventory {
            id: Some(product.id.clone()),
            merchants_id: product.document.merchants_id.clone(),
            name: product.document.name.clone(),
            gtin: product.document.gtin.clone(),
            ean: None,
            inventory: self.inventory(product),
        }
    }
}

/// `old` with the members `new` gives replacing its own.
fn merged(old: &types::ProductDocument, new: &types::ProductDocument) -> types::ProductDocument {
    let (Ok(Value::Object(mut members)), Ok(Value::Object(changes))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return new.clone();
    };
    members.extend(changes);
    serde_json::from_value(Value::Object(members)).unwrap_or_else(|_| new.clone())
}

/// Why an upsert is refused, if it is.
fn refusal(warehouse: &Warehouse, document: &types::ProductDocument) -> Option<String> {
    if document.merchants_id.trim().is_empty() {
        return Some("merchants_id is required".to_owned());
    }
    let bytes = serde_json::to_vec(document).map_or(0, |json| json.len());
    if bytes > MAX_PRODUCT_BYTES {
        return Some(format!(
            "The product document is {bytes} bytes, more than the sandbox's bound of {MAX_PRODUCT_BYTES}"
        ));
    }
    for sub in document.subproducts() {
        match warehouse.product(&sub.merchants_id) {
            None => {
                return Some(format!(
                    "The subproduct {:?} does not exist: create it first",
                    sub.merchants_id
                ));
            }
            Some(product) if product.is_bundle() => {
                return Some(format!(
                    "The subproduct {:?} is a bundle, which cannot be a subproduct",
                    sub.merchants_id
                ));
            }
            Some(_) if sub.amount == 0 => {
                return Some(format!(
                    "The subproduct {:?} needs an amount",
                    sub.merchants_id
                ));
            }
            Some(_) => {}
        }
    }
    None
}

/// `POST /products/` with a `ProductDocument`.
pub(super) async fn upsert_product(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let document: types::ProductDocument = match request::decode(&body.unwrap_or_default(), false) {
        Ok(document) => document,
        Err(refusal) => return refusal,
    };
    let now = fake.clock.now();
    let (created, events) = {
        let mut warehouse = lock(&fake.extra.warehouse);
        if let Some(why) = refusal(&warehouse, &document) {
            return bad_request(why);
        }
        let id = product_id(&document.merchants_id);
        let existing = warehouse.product(&document.merchants_id).cloned();
        let created = existing.is_none();
        let product = match existing {
            Some(mut product) => {
                product.document = merged(&product.document, &document);
                product
            }
            None => StoredProduct {
                id: id.clone(),
                document,
                stock: Stock::default(),
                last_movement: None,
            },
        };
        let summary = product.summary();
        if warehouse.products.insert(id, product).is_err() {
            return bad_request("The product is larger than the sandbox's store bound");
        }
        (created, vec![Event::ProductChanged(summary)])
    };
    notify(fake.extra.webhooks.as_ref(), events, now);
    let (status, created) = if created {
        (StatusCode::CREATED, Some(true))
    } else {
        (StatusCode::OK, None)
    };
    reply(
        status,
        &types::UpsertProductResponse {
            success: true,
            created,
        },
    )
}

/// An inventory query from a query string: the same members as the JSON body's, with
/// `merchants_id_list[]` (or `merchants_id_list`) repeated.
fn query_from(uri: &Uri) -> Result<types::InventoryQuery, Response> {
    let pairs = query_pairs(uri);
    let number = |name: &str| -> Result<Option<u64>, Response> {
        query_value(&pairs, name)
            .map(|text| {
                text.trim()
                    .parse::<u64>()
                    .map_err(|_| bad_request(format!("{name} must be a whole number")))
            })
            .transpose()
    };
    let list: Vec<String> = pairs
        .iter()
        .filter(|(name, _)| name == "merchants_id_list[]" || name == "merchants_id_list")
        .map(|(_, value)| value.clone())
        .collect();
    Ok(types::InventoryQuery {
        after: query_value(&pairs, "after").map(str::to_owned),
        id: query_value(&pairs, "id").map(str::to_owned),
        limit: number("limit")?,
        merchants_id: query_value(&pairs, "merchants_id").map(str::to_owned),
        merchants_id_list: (!list.is_empty()).then_some(list),
        offset: number("offset")?,
    })
}

/// `GET /products/inventory`.
pub(super) async fn get_inventory(State(fake): State<Arc<Fake>>, uri: Uri) -> Response {
    match query_from(&uri) {
        Ok(query) => inventory(&fake, &query),
        Err(refusal) => refusal,
    }
}

/// `POST /products/inventory` with an `InventoryQuery` (an empty body asks for every
/// product).
pub(super) async fn query_inventory(
    State(fake): State<Arc<Fake>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match request::decode::<types::InventoryQuery>(&body.unwrap_or_default(), true) {
        Ok(query) => inventory(&fake, &query),
        Err(refusal) => refusal,
    }
}

/// The inventory answer to `query` (see the module docs).
fn inventory(fake: &Fake, query: &types::InventoryQuery) -> Response {
    let warehouse = lock(&fake.extra.warehouse);
    if let Some(merchants_id) = &query.merchants_id {
        return match warehouse.product(merchants_id) {
            Some(product) => reply(StatusCode::OK, &warehouse.inventory_document(product)),
            None => not_found("product"),
        };
    }
    if let Some(id) = &query.id {
        return match warehouse.products.get(id) {
            Some(product) => reply(StatusCode::OK, &warehouse.inventory_document(product)),
            None => not_found("product"),
        };
    }
    let offset = query.offset.unwrap_or(0);
    let limit = query.limit.unwrap_or(MAX_INVENTORY_PAGE);
    if limit > MAX_INVENTORY_PAGE {
        return bad_request(format!(
            "limit must be at most {MAX_INVENTORY_PAGE} (the inventory page's maximum)"
        ));
    }
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let (total_count, products) = if let Some(list) = &query.merchants_id_list {
        let found: Vec<&StoredProduct> = list
            .iter()
            .filter_map(|merchants_id| warehouse.product(merchants_id))
            .collect();
        let page = found.iter().skip(skip).take(take);
        (
            found.len(),
            page.map(|p| warehouse.inventory_document(p)).collect(),
        )
    } else {
        let after = match &query.after {
            Some(text) => match DateTime::parse_from_rfc3339(text.trim()) {
                Ok(after) => Some(after),
                Err(_) => return bad_request("after must be an ISO 8601 time"),
            },
            None => None,
        };
        let moved_since = |product: &StoredProduct| match after {
            None => true,
            Some(after) => product
                .last_movement
                .as_deref()
                .and_then(|moved| DateTime::parse_from_rfc3339(moved).ok())
                .is_some_and(|moved| moved >= after),
        };
        let matching = || {
            warehouse
                .products
                .in_creation_order()
                .map(|(_, product)| product)
                .filter(|product| moved_since(product))
        };
        let page = matching()
            .skip(skip)
            .take(take)
            .map(|p| warehouse.inventory_document(p))
            .collect();
        (matching().count(), page)
    };
    let products: Vec<types::ProductInventory> = products;
    let body = types::InventoryList {
        total_count: total_count as u64,
        offset: Some(offset),
        count: Some(products.len() as u64),
        products,
    };
    reply(StatusCode::OK, &body)
}

/// The body of the stock control.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetStock {
    in_stock: u32,
}

/// `POST /logitrail/2015-01-01/_sandbox/products/{merchants_id}/stock` with `{"in_stock": n}`: sets the
/// product's stock (creating it when unknown) and answers its inventory document.
pub(super) async fn set_stock_control(
    State(fake): State<Arc<Fake>>,
    merchants_id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let Ok(Path(merchants_id)) = merchants_id else {
        return refused("the path must name a product's merchants_id".to_owned());
    };
    let set = match object::<SetStock>(&body) {
        Ok(set) => set,
        Err(message) => return refused(message),
    };
    let now = fake.clock.now();
    let (document, events) = {
        let mut warehouse = lock(&fake.extra.warehouse);
        warehouse.learn(types::ProductDocument {
            name: Some(merchants_id.clone()),
            ..empty_document(&merchants_id)
        });
        let lines = [(merchants_id.clone(), i64::from(set.in_stock))];
        let events = warehouse.move_stock(&lines, &timestamp(now), |stock, qty| {
            stock.in_stock = qty;
        });
        let Some(product) = warehouse.product(&merchants_id) else {
            return refused("the product does not fit the sandbox's store".to_owned());
        };
        (warehouse.inventory_document(product), events)
    };
    notify(fake.extra.webhooks.as_ref(), events, now);
    reply(StatusCode::OK, &document)
}

/// A product document with only `merchants_id`.
pub(crate) fn empty_document(merchants_id: &str) -> types::ProductDocument {
    types::ProductDocument {
        dimensions: None,
        fulfillment_by: None,
        gtin: None,
        manufacturing_country: None,
        merchants_id: merchants_id.to_owned(),
        name: None,
        status: None,
        subproducts: None,
        taric_code: None,
        weight: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::default_store_limits;

    fn stocked(warehouse: &mut Warehouse, merchants_id: &str, in_stock: i64) {
        warehouse.learn(empty_document(merchants_id));
        warehouse.move_stock(&[(merchants_id.to_owned(), in_stock)], "t", |s, q| {
            s.in_stock = q;
        });
    }

    #[test]
    fn bundles_move_their_subproducts_and_report_whole_bundles() {
        let mut warehouse = Warehouse::new(default_store_limits());
        stocked(&mut warehouse, "MAG", 3);
        stocked(&mut warehouse, "BAR", 5);
        let mut bundle = empty_document("BUNDLE");
        bundle.subproducts = Some(vec![
            types::Subproduct {
                merchants_id: "MAG".to_owned(),
                amount: 1,
                extra: serde_json::Map::new(),
            },
            types::Subproduct {
                merchants_id: "BAR".to_owned(),
                amount: 2,
                extra: serde_json::Map::new(),
            },
        ]);
        assert_eq!(refusal(&warehouse, &bundle), None);
        warehouse.learn(bundle);
        let lines = warehouse.stock_lines([("BUNDLE".to_owned(), 2)].into_iter());
        assert_eq!(lines, [("MAG".to_owned(), 2), ("BAR".to_owned(), 4)]);
        let bundle = warehouse.product("BUNDLE").expect("kept").clone();
        assert_eq!(warehouse.inventory(&bundle).available, Some(2));
        assert!(warehouse.can_pick(&lines));
        assert!(!warehouse.can_pick(&[("BAR".to_owned(), 6)]));
        let mut nested = empty_document("NESTED");
        nested.subproducts = Some(vec![types::Subproduct {
            merchants_id: "BUNDLE".to_owned(),
            amount: 1,
            extra: serde_json::Map::new(),
        }]);
        assert!(refusal(&warehouse, &nested).is_some());
    }

    #[test]
    fn an_update_keeps_what_it_does_not_name() {
        let mut old = empty_document("A");
        old.name = Some("Old".to_owned());
        old.gtin = Some("123".to_owned());
        let mut new = empty_document("A");
        new.name = Some("New".to_owned());
        let merged = merged(&old, &new);
        assert_eq!(merged.name.as_deref(), Some("New"));
        assert_eq!(merged.gtin.as_deref(), Some("123"));
    }
}
