//! The order store every fake keeps: orders by id, seeded at start, re-seedable through
//! [`Sandbox::seed_order`](crate::Sandbox::seed_order). What differs between providers (the
//! order type, the id format, the statuses, which orders a confirm accepts) comes from the
//! provider's [`OrderRules`].

use std::collections::BTreeMap;
use std::fmt;

use crate::SandboxError;
use crate::http::known;

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
pub(crate) trait OrderRules {
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
}

/// One provider's orders by id.
#[derive(Debug)]
pub(crate) struct Orders<R: OrderRules> {
    orders: BTreeMap<String, R::Order>,
}

impl<R: OrderRules> Orders<R> {
    /// The seeded orders (see the crate README).
    pub(crate) fn seeded() -> Self {
        let orders = R::SEED
            .iter()
            .map(|(id, status)| ((*id).to_owned(), R::order(id, status.clone())))
            .collect();
        Self { orders }
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
        self.orders.insert(key, order);
        Ok(())
    }

    /// The raw status of order `id`.
    pub(crate) fn status(&self, id: &str) -> Option<String> {
        self.orders
            .get(id)
            .map(|order| R::status(order).as_str().to_owned())
    }

    /// The ids of the orders a confirm would accept now, sorted.
    pub(crate) fn confirmable(&self) -> Vec<String> {
        self.orders
            .iter()
            .filter(|(_, order)| R::confirmable(R::status(order)))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Order `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&R::Order> {
        self.orders.get(id)
    }

    /// Order `id`, to change it.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut R::Order> {
        self.orders.get_mut(id)
    }

    /// Adds order `order` under key `id` (replacing one with the same key).
    pub(crate) fn insert(&mut self, id: String, order: R::Order) {
        self.orders.insert(id, order);
    }

    /// Every order, by key.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &R::Order)> {
        self.orders.iter()
    }

    /// Every order, by key, to change them.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut R::Order)> {
        self.orders.iter_mut()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every status `R` documents has a seeded order, and every seed made it into the store.
    pub(crate) fn assert_every_status_is_seeded<R: OrderRules>() {
        let orders = Orders::<R>::seeded();
        for status in R::Status::KNOWN {
            assert!(
                orders.orders.values().any(|o| R::status(o) == status),
                "{} {}",
                R::NAME,
                status.as_str()
            );
        }
        assert_eq!(orders.orders.len(), R::SEED.len(), "{}", R::NAME);
    }

    /// Seeds each case in turn: `None` expects a refusal (and no order), `Some(confirmable)`
    /// expects the order in that status, confirmable or not.
    pub(crate) fn assert_seeding<R: OrderRules>(cases: &[(&str, &str, Option<bool>)]) {
        let mut orders = Orders::<R>::seeded();
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
