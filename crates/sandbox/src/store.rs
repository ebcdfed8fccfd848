//! The record store every fake keeps, generic over the kind of record (orders today; products
//! or inbound shipments the same way): records by id, in creation order, bounded by count and
//! by bytes. What differs between kinds (whether a record is finished, what it weighs) comes
//! from the kind's [`RecordKind`]; what differs between providers' orders (the order type, the
//! id format, the statuses, which orders a confirm accepts) from the provider's [`OrderRules`].
//!
//! Every operation costs O(log n) at most: a create takes the next number from a counter
//! ([`Records::next_number`]), a list walks an index ([`Records::by_id`],
//! [`Records::in_creation_order`]) and clones only the page, and eviction takes the oldest
//! finished record (else the oldest) from an index, never scanning.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use crate::SandboxError;
use crate::http::known;

/// How much one kind of record of one fake may hold: [`SandboxOptions::max_records`] and
/// [`SandboxOptions::max_stored_bytes`](crate::SandboxOptions::max_stored_bytes).
///
/// [`SandboxOptions::max_records`]: crate::SandboxOptions::max_records
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreLimits {
    pub(crate) max_records: usize,
    pub(crate) max_bytes: usize,
}

/// How much one kind of record of one fake holds now, as
/// [`Sandbox::stored_orders`](crate::Sandbox::stored_orders) returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreUsage {
    /// How many records are kept (at most [`SandboxOptions::max_records`]).
    ///
    /// [`SandboxOptions::max_records`]: crate::SandboxOptions::max_records
    pub records: usize,
    /// About how many bytes they hold (at most
    /// [`SandboxOptions::max_stored_bytes`](crate::SandboxOptions::max_stored_bytes)).
    pub bytes: usize,
}

/// One kind of record a fake keeps (orders, products, inbound shipments).
pub(crate) trait RecordKind {
    /// The kind, for errors (`order`).
    const KIND: &'static str;
    /// A record, as the fake keeps it.
    type Record: Clone + fmt::Debug + Send;

    /// Whether `record` is finished (delivered, cancelled, ...): finished records are evicted
    /// before the others.
    fn finished(record: &Self::Record) -> bool;

    /// About how many bytes `record` holds (what the byte bound counts).
    fn stored_bytes(record: &Self::Record) -> usize;
}

/// A record id as the store orders it: shorter ids first, then bytewise, so numeric ids sort
/// as numbers (`99` before `100`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Id(String);

impl Ord for Id {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0.len(), &self.0).cmp(&(other.0.len(), &other.0))
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug)]
struct Entry<T> {
    /// When it was stored: the position in creation order.
    sequence: u64,
    bytes: usize,
    finished: bool,
    record: T,
}

/// A record that does not fit the store even alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub(crate) bytes: usize,
    pub(crate) max_bytes: usize,
}

/// One kind of record of one fake, by id and in creation order.
#[derive(Debug)]
pub(crate) struct Records<K: RecordKind> {
    limits: StoreLimits,
    by_id: BTreeMap<Id, Entry<K::Record>>,
    by_creation: BTreeMap<u64, Id>,
    finished: BTreeSet<u64>,
    next_sequence: u64,
    /// Above every numeric id ever stored.
    next_number: u64,
    bytes: usize,
}

impl<K: RecordKind> Records<K> {
    /// An empty store bounded by `limits`.
    pub(crate) fn new(limits: StoreLimits) -> Self {
        Self {
            limits,
            by_id: BTreeMap::new(),
            by_creation: BTreeMap::new(),
            finished: BTreeSet::new(),
            next_sequence: 0,
            next_number: 0,
            bytes: 0,
        }
    }

    /// How many records are kept.
    pub(crate) fn len(&self) -> usize {
        self.by_id.len()
    }

    /// About how many bytes the records hold.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// A number above every numeric id ever stored (evicted ones included): the next id of a
    /// provider whose ids are numbers, without a scan.
    pub(crate) fn next_number(&self) -> u64 {
        self.next_number
    }

    /// Record `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&K::Record> {
        self.by_id
            .get(&Id(id.to_owned()))
            .map(|entry| &entry.record)
    }

    /// Stores `record` under `id` as the newest record (replacing one with the same id), then
    /// evicts the oldest finished records (else the oldest) beyond the bounds.
    ///
    /// # Errors
    /// When the record alone weighs more than the byte bound; nothing is stored then.
    pub(crate) fn insert(&mut self, id: String, record: K::Record) -> Result<(), TooLarge> {
        let bytes = K::stored_bytes(&record);
        if bytes > self.limits.max_bytes {
            return Err(TooLarge {
                bytes,
                max_bytes: self.limits.max_bytes,
            });
        }
        self.remove(&id);
        if let Ok(number) = id.parse::<u64>() {
            self.next_number = self.next_number.max(number.saturating_add(1));
        }
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let finished = K::finished(&record);
        if finished {
            self.finished.insert(sequence);
        }
        self.by_creation.insert(sequence, Id(id.clone()));
        self.bytes = self.bytes.saturating_add(bytes);
        self.by_id.insert(
            Id(id),
            Entry {
                sequence,
                bytes,
                finished,
                record,
            },
        );
        self.evict(sequence);
        Ok(())
    }

    /// Changes record `id` with `change`; what `change` returned, or `None` without such a
    /// record. The record keeps its place in creation order.
    pub(crate) fn update<T>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut K::Record) -> T,
    ) -> Option<T> {
        let entry = self.by_id.get_mut(&Id(id.to_owned()))?;
        let result = change(&mut entry.record);
        let sequence = entry.sequence;
        self.reweigh(sequence);
        self.evict(sequence);
        Some(result)
    }

    /// Changes every record with `change`, in creation order; the ids `change` returned
    /// `Some` for, with what it returned.
    pub(crate) fn update_all<T>(
        &mut self,
        mut change: impl FnMut(&str, &mut K::Record) -> Option<T>,
    ) -> Vec<(String, T)> {
        let mut changed = Vec::new();
        for entry in self.by_id.iter_mut() {
            if let Some(result) = change(&entry.0.0, &mut entry.1.record) {
                changed.push((entry.0.0.clone(), entry.1.sequence, result));
            }
        }
        let changed = changed
            .into_iter()
            .map(|(id, sequence, result)| {
                self.reweigh(sequence);
                (id, result)
            })
            .collect();
        self.evict(u64::MAX);
        changed
    }

    /// Every record by id (numeric ids as numbers): walk it either way, skip and take a page.
    pub(crate) fn by_id(&self) -> impl DoubleEndedIterator<Item = (&str, &K::Record)> {
        self.by_id
            .iter()
            .map(|(id, entry)| (id.0.as_str(), &entry.record))
    }

    /// Every record, oldest first: walk it either way, skip and take a page.
    pub(crate) fn in_creation_order(&self) -> impl DoubleEndedIterator<Item = (&str, &K::Record)> {
        self.by_creation.values().filter_map(|id| {
            self.by_id
                .get(id)
                .map(|entry| (id.0.as_str(), &entry.record))
        })
    }

    /// Re-reads the weight and the finished flag of the record stored at `sequence`.
    fn reweigh(&mut self, sequence: u64) {
        let Some(id) = self.by_creation.get(&sequence) else {
            return;
        };
        let Some(entry) = self.by_id.get_mut(id) else {
            return;
        };
        let bytes = K::stored_bytes(&entry.record);
        self.bytes = self.bytes.saturating_sub(entry.bytes).saturating_add(bytes);
        entry.bytes = bytes;
        entry.finished = K::finished(&entry.record);
        if entry.finished {
            self.finished.insert(sequence);
        } else {
            self.finished.remove(&sequence);
        }
    }

    fn remove(&mut self, id: &str) -> Option<K::Record> {
        let entry = self.by_id.remove(&Id(id.to_owned()))?;
        self.by_creation.remove(&entry.sequence);
        self.finished.remove(&entry.sequence);
        self.bytes = self.bytes.saturating_sub(entry.bytes);
        Some(entry.record)
    }

    /// Evicts the oldest finished records, then the oldest, until the store is within its
    /// bounds; never the record stored at `keep`.
    fn evict(&mut self, keep: u64) {
        while self.by_id.len() > self.limits.max_records || self.bytes > self.limits.max_bytes {
            let oldest_finished = self.finished.iter().copied().find(|seq| *seq != keep);
            let victim = oldest_finished.or_else(|| {
                self.by_creation
                    .keys()
                    .copied()
                    .find(|sequence| *sequence != keep)
            });
            let Some(id) = victim.and_then(|seq| self.by_creation.get(&seq)).cloned() else {
                return;
            };
            self.remove(&id.0);
        }
    }
}

/// A provider's order status: the values it documents, each spelled as the provider does.
pub(crate) trait Status: Clone + PartialEq + 'static {
    /// Every status the provider documents (what seeding accepts).
    const KNOWN: &'static [Self];

    /// The status exactly as the provider spells it.
    fn as_str(&self) -> &str;
}

/// A provider's generated status enum, which carries its documented values as `KNOWN`, as a
/// [`Status`]: `generated_status!(types::OrderStatus);` in the provider's fake.
macro_rules! generated_status {
    ($($status:ty),*) => {$(
        impl $crate::store::Status for $status {
            const KNOWN: &'static [Self] = <$status>::KNOWN;

            fn as_str(&self) -> &str {
                <$status>::as_str(self)
            }
        }
    )*};
}

pub(crate) use generated_status;

/// What the store needs to know about one provider's orders.
pub(crate) trait OrderRules: 'static {
    /// The provider's name (`fuuffy`).
    const NAME: &'static str;
    /// The seeded orders: id and status.
    const SEED: &'static [(&'static str, Self::Status)];

    /// An order's status.
    type Status: Status;
    /// An order, as the fake keeps it.
    type Order: Clone + fmt::Debug + Send;

    /// The store's key for order id `id`, or what the provider's ids look like when `id` is
    /// not one.
    fn parse_id(id: &str) -> Result<String, &'static str>;
    /// A new order with id `id` in `status`.
    fn order(id: &str, status: Self::Status) -> Self::Order;
    /// The status of `order`.
    fn status(order: &Self::Order) -> &Self::Status;
    /// Whether a confirm accepts an order in `status`.
    fn confirmable(status: &Self::Status) -> bool;
    /// Whether an order in `status` is finished (evicted first); none by default.
    fn finished(_status: &Self::Status) -> bool {
        false
    }
    /// About how many bytes `order` holds; its inline size by default (right for orders
    /// without text the client chose).
    fn stored_bytes(_order: &Self::Order) -> usize {
        std::mem::size_of::<Self::Order>()
    }
}

/// Orders as a [`RecordKind`].
#[derive(Debug)]
pub(crate) struct OrderRecords<R>(PhantomData<R>);

impl<R: OrderRules> RecordKind for OrderRecords<R> {
    const KIND: &'static str = "order";
    type Record = R::Order;

    fn finished(order: &R::Order) -> bool {
        R::finished(R::status(order))
    }

    fn stored_bytes(order: &R::Order) -> usize {
        R::stored_bytes(order)
    }
}

/// One provider's orders.
pub(crate) type Orders<R> = Records<OrderRecords<R>>;

impl<R: OrderRules> Records<OrderRecords<R>> {
    /// The seeded orders (see the crate README), bounded by `limits`.
    pub(crate) fn seeded(limits: StoreLimits) -> Self {
        let mut orders = Self::new(limits);
        for (id, status) in R::SEED {
            // The seeded orders are small: within any bound but a zero one.
            let _ = orders.insert((*id).to_owned(), R::order(id, status.clone()));
        }
        orders
    }

    /// Adds or replaces order `id` with raw status `status`.
    pub(crate) fn seed(&mut self, id: &str, status: &str) -> Result<(), SandboxError> {
        let key = R::parse_id(id).map_err(|reason| SandboxError::InvalidOrderId {
            provider: R::NAME,
            id: id.to_owned(),
            reason,
        })?;
        let parsed = R::Status::KNOWN
            .iter()
            .find(|candidate| candidate.as_str() == status)
            .ok_or_else(|| SandboxError::InvalidStatus {
                provider: R::NAME,
                status: status.to_owned(),
                expected: known(R::Status::KNOWN.iter().map(Status::as_str)),
            })?;
        let order = R::order(&key, parsed.clone());
        self.insert(key, order)
            .map_err(|too_large| SandboxError::StoreFull {
                provider: R::NAME,
                kind: OrderRecords::<R>::KIND,
                bytes: too_large.bytes,
                max_bytes: too_large.max_bytes,
            })
    }

    /// The raw status of order `id`.
    pub(crate) fn status(&self, id: &str) -> Option<String> {
        self.get(id)
            .map(|order| R::status(order).as_str().to_owned())
    }

    /// The ids of the orders a confirm would accept now, sorted.
    pub(crate) fn confirmable(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .by_id()
            .filter(|(_, order)| R::confirmable(R::status(order)))
            .map(|(id, _)| id.to_owned())
            .collect();
        ids.sort();
        ids
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A second kind of record, as a fake that keeps products would declare it.
    #[derive(Debug)]
    struct Products;

    #[derive(Debug, Clone)]
    struct Product {
        name: String,
        discontinued: bool,
    }

    impl RecordKind for Products {
        const KIND: &'static str = "product";
        type Record = Product;

        fn finished(product: &Product) -> bool {
            product.discontinued
        }

        fn stored_bytes(product: &Product) -> usize {
            product.name.len()
        }
    }

    fn product(name: &str, discontinued: bool) -> Product {
        Product {
            name: name.to_owned(),
            discontinued,
        }
    }

    fn ids<K: RecordKind>(records: &Records<K>) -> Vec<String> {
        records
            .in_creation_order()
            .map(|(id, _)| id.to_owned())
            .collect()
    }

    #[test]
    fn the_oldest_finished_record_goes_first_then_the_oldest() {
        let limits = StoreLimits {
            max_records: 3,
            max_bytes: 1000,
        };
        let mut products = Records::<Products>::new(limits);
        products
            .insert("a".into(), product("aa", false))
            .expect("stored");
        products
            .insert("b".into(), product("bb", true))
            .expect("stored");
        products
            .insert("c".into(), product("cc", false))
            .expect("stored");
        products
            .insert("d".into(), product("dd", false))
            .expect("stored");
        assert_eq!(ids(&products), ["a", "c", "d"], "b was finished");
        products
            .insert("e".into(), product("ee", false))
            .expect("stored");
        assert_eq!(ids(&products), ["c", "d", "e"], "then the oldest");
        // An update that finishes a record makes it the next to go.
        products
            .update("e", |p| p.discontinued = true)
            .expect("stored");
        products
            .insert("f".into(), product("ff", false))
            .expect("stored");
        assert_eq!(ids(&products), ["c", "d", "f"]);
        assert_eq!((products.len(), products.bytes()), (3, 6));
    }

    #[test]
    fn the_byte_bound_evicts_and_refuses_a_record_too_large_alone() {
        let limits = StoreLimits {
            max_records: 100,
            max_bytes: 10,
        };
        let mut products = Records::<Products>::new(limits);
        products
            .insert("1".into(), product("xxxx", false))
            .expect("stored");
        products
            .insert("2".into(), product("yyyy", false))
            .expect("stored");
        products
            .insert("3".into(), product("zzzz", false))
            .expect("stored");
        assert_eq!(ids(&products), ["2", "3"]);
        assert_eq!(products.bytes(), 8);
        let refused = products.insert("4".into(), product(&"w".repeat(11), false));
        assert_eq!(
            refused,
            Err(TooLarge {
                bytes: 11,
                max_bytes: 10
            })
        );
        assert_eq!(ids(&products), ["2", "3"]);
        // Growing a record past the bound evicts the others, never the record itself.
        products
            .update("3", |p| p.name = "z".repeat(9))
            .expect("stored");
        assert_eq!(ids(&products), ["3"]);
    }

    #[test]
    fn numeric_ids_sort_as_numbers_and_the_counter_never_goes_back() {
        let limits = StoreLimits {
            max_records: 2,
            max_bytes: 1000,
        };
        let mut products = Records::<Products>::new(limits);
        for id in ["100", "99", "1000"] {
            products
                .insert(id.into(), product("p", false))
                .expect("stored");
        }
        let by_id: Vec<&str> = products.by_id().map(|(id, _)| id).collect();
        assert_eq!(by_id, ["99", "1000"], "100 was evicted");
        assert_eq!(products.next_number(), 1001);
        let newest_first: Vec<&str> = products
            .in_creation_order()
            .rev()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(newest_first, ["1000", "99"]);
        // Replacing keeps one record under the id, as the newest.
        products
            .insert("99".into(), product("q", false))
            .expect("stored");
        assert_eq!(ids(&products), ["1000", "99"]);
        assert_eq!(products.get("99").map(|p| p.name.as_str()), Some("q"));
    }

    /// Every status `R` documents has a seeded order, and every seed made it into the store.
    pub(crate) fn assert_every_status_is_seeded<R: OrderRules>() {
        let orders = Orders::<R>::seeded(crate::limits::default_store_limits());
        for status in R::Status::KNOWN {
            assert!(
                orders.by_id().any(|(_, o)| R::status(o) == status),
                "{} {}",
                R::NAME,
                status.as_str()
            );
        }
        assert_eq!(orders.len(), R::SEED.len(), "{}", R::NAME);
    }

    /// Seeds each case in turn: `None` expects a refusal (and no order), `Some(confirmable)`
    /// expects the order in that status, confirmable or not.
    pub(crate) fn assert_seeding<R: OrderRules>(cases: &[(&str, &str, Option<bool>)]) {
        let mut orders = Orders::<R>::seeded(crate::limits::default_store_limits());
        for &(id, status, expected) in cases {
            let seeded = orders.seed(id, status);
            let case = format!("{} {id:?} {status:?}", R::NAME);
            match expected {
                None => {
                    assert!(seeded.is_err(), "{case}");
                    assert_eq!(orders.status(id), None, "{case}");
                }
                Some(confirmable) => {
                    assert!(seeded.is_ok(), "{case}");
                    assert_eq!(orders.status(id).as_deref(), Some(status), "{case}");
                    assert_eq!(
                        orders.confirmable().contains(&id.to_owned()),
                        confirmable,
                        "{case}"
                    );
                }
            }
        }
    }

    /// A provider's two store tests, in its fake's test module: every documented status is
    /// seeded, and seeding refuses bad input (cases as for [`assert_seeding`]).
    macro_rules! store_tests {
        ($rules:ty => $cases:expr) => {
            #[test]
            fn every_documented_status_is_seeded() {
                $crate::store::tests::assert_every_status_is_seeded::<$rules>();
            }

            #[test]
            fn seeding_refuses_bad_input() {
                $crate::store::tests::assert_seeding::<$rules>($cases);
            }
        };
    }
    pub(crate) use store_tests;
}
