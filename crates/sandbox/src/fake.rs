//! What every fake is to the sandbox: a [`Fake`] serves one provider's routes under its prefix
//! and keeps its orders. The sandbox holds them in a list (`lib.rs`, one line per provider)
//! and knows nothing else of any provider.

use std::sync::{Arc, Mutex};

use axum::Router;

use crate::http::lock;
use crate::store::{OrderRules, Orders};
use crate::{SandboxError, SandboxOptions, WebhookDelivery};

/// One provider's fake, as the sandbox drives it.
pub(crate) trait Fake: Send + Sync + 'static {
    /// The provider's name (`fuuffy`): the first segment of [`Fake::path_prefix`], and how
    /// [`Sandbox`](crate::Sandbox)'s methods name it.
    fn name(&self) -> &'static str;
    /// The path the fake is served under (`/logitrail/2015-01-01`).
    fn path_prefix(&self) -> &'static str;
    /// The fake's routes, with their state.
    fn router(self: Arc<Self>) -> Router;
    /// The settings a client of this fake needs besides the base URL, by the short names the
    /// facade's `from_options` reads: credentials and merchant ids.
    fn settings(&self) -> &'static [(&'static str, &'static str)];
    /// The ids of the orders a confirm would accept now, sorted.
    fn confirmable(&self) -> Vec<String>;
    /// Adds or replaces order `id` in raw status `status`.
    fn seed(&self, id: &str, status: &str) -> Result<(), SandboxError>;
    /// The raw status of order `id`.
    fn status(&self, id: &str) -> Option<String>;
    /// The merchant's own order id that a confirm of order `id` must carry, for providers
    /// whose confirm needs one.
    fn merchant_order_id(&self, id: &str) -> Option<String>;
    /// Moves the fake's clock `steps` steps on; the ids of the orders that changed, sorted.
    /// Nothing moves for a provider without a clock.
    fn advance(&self, steps: u32) -> Vec<String>;
    /// The webhook deliveries the fake attempted, oldest first (none for a provider that
    /// sends no webhooks).
    fn webhook_deliveries(&self) -> Vec<WebhookDelivery>;
}

/// What a provider's fake adds to its [`OrderRules`]: where it is served, its routes and the
/// settings its clients need.
pub(crate) trait Served: OrderRules + Sized + Send + Sync + 'static {
    /// See [`Fake::path_prefix`].
    const PATH_PREFIX: &'static str;
    /// See [`Fake::settings`].
    const SETTINGS: &'static [(&'static str, &'static str)];

    /// What the fake keeps besides its orders (`()` for most).
    type Extra: Send + Sync + 'static;

    /// The fake's extra state, from the options the sandbox starts with.
    fn extra(options: &SandboxOptions) -> Self::Extra;

    /// The fake's routes, over its state.
    fn routes() -> Router<Arc<FakeState<Self>>>;

    /// See [`Fake::merchant_order_id`].
    fn merchant_order_id(_id: &str) -> Option<String> {
        None
    }

    /// See [`Fake::advance`]; nothing moves by default.
    fn advance(_state: &FakeState<Self>, _steps: u32) -> Vec<String> {
        Vec::new()
    }

    /// See [`Fake::webhook_deliveries`]; none by default.
    fn webhook_deliveries(_state: &FakeState<Self>) -> Vec<WebhookDelivery> {
        Vec::new()
    }
}

/// A fake's state: its orders, and whatever else the provider's fake keeps.
pub(crate) struct FakeState<R: Served> {
    pub(crate) orders: Mutex<Orders<R>>,
    pub(crate) extra: R::Extra,
}

impl<R: Served> FakeState<R> {
    /// The seeded orders, as a fake for the sandbox's list.
    pub(crate) fn seeded(options: &SandboxOptions) -> Arc<Self> {
        Arc::new(Self {
            orders: Mutex::new(Orders::seeded()),
            extra: R::extra(options),
        })
    }
}

impl<R: Served> Fake for FakeState<R> {
    fn name(&self) -> &'static str {
        R::NAME
    }

    fn path_prefix(&self) -> &'static str {
        R::PATH_PREFIX
    }

    fn router(self: Arc<Self>) -> Router {
        R::routes().with_state(self)
    }

    fn settings(&self) -> &'static [(&'static str, &'static str)] {
        R::SETTINGS
    }

    fn confirmable(&self) -> Vec<String> {
        lock(&self.orders).confirmable()
    }

    fn seed(&self, id: &str, status: &str) -> Result<(), SandboxError> {
        lock(&self.orders).seed(id, status)
    }

    fn status(&self, id: &str) -> Option<String> {
        lock(&self.orders).status(id)
    }

    fn merchant_order_id(&self, id: &str) -> Option<String> {
        R::merchant_order_id(id)
    }

    fn advance(&self, steps: u32) -> Vec<String> {
        R::advance(self, steps)
    }

    fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        R::webhook_deliveries(self)
    }
}
