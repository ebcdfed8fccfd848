//! The 1mg fake on the sandbox clock: each step moves every order one status along
//! 15 → 120 → 130 → 25 → 30 → 40 (see [`Status::next`]); 17, 40 and 99 stay.

use chrono::{DateTime, Utc};

use super::status::{LONGEST_PATH, Status};
use super::{Fake, webhooks};
use crate::clock::after_steps;
use crate::http::lock;
use crate::store::Status as _;

/// Moves the orders `steps` steps on from `from`; each move, in order, with its new status.
pub(super) fn advance(fake: &Fake, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
    let mut moved = Vec::new();
    let mut updates = Vec::new();
    {
        let mut orders = lock(&fake.orders);
        // Past the longest path nothing moves: at most that many passes, however many steps.
        for step in 1..=steps.min(LONGEST_PATH) {
            let at = after_steps(from, step).unwrap_or(from).timestamp();
            let changed = orders.update_all(|_, order| {
                let next: Status = order.status.next()?;
                order.status = next;
                order.updated = at;
                Some(order.clone())
            });
            for (id, order) in changed {
                moved.push((id.clone(), order.status.as_str().to_owned()));
                updates.push((id, order));
            }
        }
    }
    webhooks::notify(&fake.extra, updates);
    moved
}
