//! What every fake is to the sandbox: a [`Fake`] serves one provider's routes under its prefix
//! and keeps its records. The sandbox holds them in a list (`lib.rs`, one line per provider)
//! and knows nothing else of any provider.
//!
//! A provider's fake is a [`Served`] type: its operations (one handler and one route each,
//! [`operation`]), the one request check they all pass first ([`Served::refusal`]), and
//! its one error constructor ([`Served::error`]), which also answers an unknown path and a
//! wrong method. [`FakeState::router`] puts them together the same way for every fake.

use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::MethodRouter;
use axum::{Extension, Router};
use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::http::{lock, tagged};
use crate::store::{OrderRules, Orders};
use crate::{SandboxError, SandboxOptions, StoreUsage, WebhookDelivery};

/// One provider's fake, as the sandbox drives it.
pub(crate) trait Fake: Send + Sync + 'static {
    /// The provider's name (`fuuffy`): the first segment of [`Fake::path_prefix`], and how
    /// [`Sandbox`](crate::Sandbox)'s methods name it.
    fn name(&self) -> &'static str;
    /// The path the fake is served under (`/logitrail/2015-01-01`).
    fn path_prefix(&self) -> &'static str;
    /// The fake's routes, with their state.
    fn router(self: Arc<Self>) -> Router;
    /// See [`Served::SETTINGS`].
    fn settings(&self) -> &'static [(&'static str, &'static str)];
    /// See [`Served::STATIC_SETTINGS`].
    fn static_settings(&self) -> &'static [(&'static str, &'static str)];
    /// See [`Served::SECRET_FIELDS`].
    fn secret_fields(&self) -> &'static [&'static str];
    /// How many orders the fake keeps, and about how many bytes they hold.
    fn stored_orders(&self) -> StoreUsage;
    /// The ids of the orders a confirm would accept now, sorted.
    fn confirmable(&self) -> Vec<String>;
    /// Adds or replaces order `id` in raw status `status`.
    fn seed(&self, id: &str, status: &str) -> Result<(), SandboxError>;
    /// The raw status of order `id`.
    fn status(&self, id: &str) -> Option<String>;
    /// The merchant's own order id that a confirm of order `id` must carry, for providers
    /// whose confirm needs one.
    fn merchant_order_id(&self, id: &str) -> Option<String>;
    /// See [`Served::env_settings`].
    fn env_settings(&self) -> Vec<(&'static str, String)>;
    /// The shared clock moved `steps` steps on from `from`: the fake moves its orders with
    /// it; the ids of the orders that changed, with their new raw status.
    fn advance(&self, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)>;
    /// The webhook deliveries the fake attempted, oldest first (none for a provider that
    /// sends no webhooks).
    fn webhook_deliveries(&self) -> Vec<WebhookDelivery>;
}

/// What a provider's fake adds to its [`OrderRules`]: where it is served, its operations, its
/// request check and its error shape, and the settings its clients need.
pub(crate) trait Served: OrderRules + Sized + Send + Sync + 'static {
    /// See [`Fake::path_prefix`].
    const PATH_PREFIX: &'static str;
    /// The settings a client of this fake needs besides the base URL, by the short names the
    /// facade's `from_options` reads: credentials and merchant ids.
    const SETTINGS: &'static [(&'static str, &'static str)];
    /// Settings the fake also accepts, for a client that does not renew credentials (curl):
    /// Fuuffy's never-expiring token. None by default.
    const STATIC_SETTINGS: &'static [(&'static str, &'static str)] = &[];
    /// The JSON fields of the fake's response bodies that carry a credential: the recorder's
    /// `Debug` redacts them. None by default.
    const SECRET_FIELDS: &'static [&'static str] = &[];

    /// What the fake keeps besides its orders and the clock (`()` for most).
    type Extra: Send + Sync + 'static;

    /// The fake's extra state, from the options the sandbox starts with.
    fn extra(options: &SandboxOptions) -> Self::Extra;

    /// The fake's operations: one route each, `.route(path, operation(ID, post(handler)))`.
    fn routes() -> Router<Arc<FakeState<Self>>>;

    /// The check every [`operation`] passes before its handler runs (credentials; FastPOD's
    /// `Accept` header too): the provider's refusal, or `None` to let the request through.
    fn refusal(state: &FakeState<Self>, headers: &HeaderMap) -> Option<Response>;

    /// The provider's error body for `status` with `message`: what the fallbacks answer (an
    /// unknown path, 404; a method the path does not take, 405) and what the handlers build
    /// their errors from.
    fn error(status: StatusCode, message: &str) -> Response;

    /// The fake's own controls besides seeding orders, nested under `/<provider>/_sandbox`
    /// with it (see [`crate::controls::provider_controls`]); none by default.
    fn controls() -> Router<Arc<FakeState<Self>>> {
        Router::new()
    }

    /// See [`Fake::merchant_order_id`].
    fn merchant_order_id(_state: &FakeState<Self>, _id: &str) -> Option<String> {
        None
    }

    /// Settings for tools rather than for the facade's clients, by short name, that
    /// [`Sandbox::env`](crate::Sandbox::env) adds to the fake's settings (1mg's private key
    /// file); none by default.
    fn env_settings(_state: &FakeState<Self>) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// See [`Fake::advance`]; nothing moves by default.
    fn advance(
        _state: &FakeState<Self>,
        _from: DateTime<Utc>,
        _steps: u64,
    ) -> Vec<(String, String)> {
        Vec::new()
    }

    /// See [`Fake::webhook_deliveries`]; none by default.
    fn webhook_deliveries(_state: &FakeState<Self>) -> Vec<WebhookDelivery> {
        Vec::new()
    }
}

/// One operation of fake `R`: its spec `operationId` and its handler (`post(handler)`). The
/// fake's [`Served::refusal`] runs first, and every answer (a refusal too) is recorded as
/// answering the operation. A request with another method gets the fake's 405.
pub(crate) fn operation<R: Served>(
    operation_id: &'static str,
    route: MethodRouter<Arc<FakeState<R>>>,
) -> MethodRouter<Arc<FakeState<R>>> {
    unauthenticated_operation(
        operation_id,
        route.route_layer(axum::middleware::from_fn(authorize::<R>)),
    )
}

/// Like [`operation`], without the request check: what the client calls to get its
/// credentials (Fuuffy's token endpoint).
pub(crate) fn unauthenticated_operation<S: Clone + Send + Sync + 'static>(
    operation_id: &'static str,
    route: MethodRouter<S>,
) -> MethodRouter<S> {
    route.route_layer(axum::middleware::map_response(
        move |response: Response| async move { tagged(response, operation_id) },
    ))
}

/// Middleware: [`Served::refusal`] over the fake's state (which [`FakeState::router`] puts
/// in the request's extensions).
async fn authorize<R: Served>(request: Request, next: Next) -> Response {
    let Some(state) = request.extensions().get::<Arc<FakeState<R>>>().cloned() else {
        return R::error(StatusCode::INTERNAL_SERVER_ERROR, "the fake has no state");
    };
    match R::refusal(&state, request.headers()) {
        None => next.run(request).await,
        Some(refusal) => refusal,
    }
}

/// A fake's state: its orders, the shared clock, and whatever else the provider's fake keeps.
pub(crate) struct FakeState<R: Served> {
    pub(crate) orders: Mutex<Orders<R>>,
    pub(crate) clock: Arc<Clock>,
    pub(crate) extra: R::Extra,
}

impl<R: Served> FakeState<R> {
    /// The seeded orders, as a fake for the sandbox's list.
    pub(crate) fn seeded(options: &SandboxOptions, clock: &Arc<Clock>) -> Arc<Self> {
        Arc::new(Self {
            orders: Mutex::new(Orders::seeded(options.store)),
            clock: Arc::clone(clock),
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

    /// The fake's operations, its own controls under `/_sandbox` (see
    /// [`crate::controls::provider_controls`]), and the fallbacks, in the provider's error
    /// shape.
    fn router(self: Arc<Self>) -> Router {
        R::routes()
            .nest("/_sandbox", crate::controls::provider_controls::<R>())
            .fallback(|| async { R::error(StatusCode::NOT_FOUND, "Not found") })
            .method_not_allowed_fallback(|| async {
                R::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
            })
            .layer(Extension(Arc::clone(&self)))
            .with_state(self)
    }

    fn settings(&self) -> &'static [(&'static str, &'static str)] {
        R::SETTINGS
    }

    fn static_settings(&self) -> &'static [(&'static str, &'static str)] {
        R::STATIC_SETTINGS
    }

    fn secret_fields(&self) -> &'static [&'static str] {
        R::SECRET_FIELDS
    }

    fn stored_orders(&self) -> StoreUsage {
        let orders = lock(&self.orders);
        StoreUsage {
            records: orders.len(),
            bytes: orders.bytes(),
        }
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
        R::merchant_order_id(self, id)
    }

    fn env_settings(&self) -> Vec<(&'static str, String)> {
        R::env_settings(self)
    }

    fn advance(&self, from: DateTime<Utc>, steps: u64) -> Vec<(String, String)> {
        R::advance(self, from, steps)
    }

    fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        R::webhook_deliveries(self)
    }
}
