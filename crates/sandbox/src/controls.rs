//! The sandbox's own routes, not part of any provider's API: `POST /_sandbox/advance` moves
//! the shared clock and every fake with it; `POST /<provider>/_sandbox/orders` seeds one
//! provider's order. No credentials needed; errors are `{"message": ...}` with HTTP 400.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::fake::{Fake, FakeState, Served};
use crate::http::{is_blank, reply};
use crate::{SandboxError, Shared};

/// The sandbox's own error body.
#[derive(Serialize)]
struct ControlError {
    message: String,
}

/// The sandbox's own 400 `{"message": ...}`: what every control answers to input it refuses.
pub(crate) fn refused(message: String) -> Response {
    reply(StatusCode::BAD_REQUEST, &ControlError { message })
}

/// `body` as a JSON object of type `T` (an array or a scalar is refused, even one serde would
/// read as a struct's fields in order, such as `[1]`).
pub(crate) fn object<T: DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the body must be a JSON object".to_owned())?;
    if !value.is_object() {
        return Err("the body must be a JSON object".to_owned());
    }
    serde_json::from_value(value).map_err(|error| format!("the body is not valid: {error}"))
}

/// The optional body of `POST /_sandbox/advance`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceRequest {
    #[serde(default = "one")]
    steps: u64,
}

fn one() -> u64 {
    1
}

/// What `POST /_sandbox/advance` answers.
#[derive(Debug, Serialize)]
struct AdvanceResponse {
    /// The sandbox clock after the advance, RFC 3339 in UTC.
    clock: String,
    steps: u64,
    moved: Vec<MovedOrder>,
}

/// An order an advance moved, as [`Sandbox::advance`](crate::Sandbox::advance) returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MovedOrder {
    /// The provider whose fake moved it (`fuuffy`).
    pub provider: &'static str,
    /// The order.
    pub order_id: String,
    /// Its new raw status, the provider's spelling (`PENDING_PICKUP`).
    pub order_status: String,
}

/// Moves the shared clock `steps` steps on, and every fake with it; the orders that moved,
/// by provider (in the sandbox's order) then as each fake moved them. Zero steps move nothing.
pub(crate) fn advance(shared: &Shared, steps: u64) -> Result<Vec<MovedOrder>, SandboxError> {
    if steps == 0 {
        return Ok(Vec::new());
    }
    let from = shared.clock.advance(steps)?;
    Ok(shared
        .fakes
        .iter()
        .flat_map(|fake| {
            let provider = fake.name();
            fake.advance(from, steps)
                .into_iter()
                .map(move |(order_id, order_status)| MovedOrder {
                    provider,
                    order_id,
                    order_status,
                })
        })
        .collect())
}

/// `POST /_sandbox/advance` with an optional `{"steps": n}` (default 1; any number that keeps
/// the clock within [`CLOCK_LIMIT`](crate::CLOCK_LIMIT)).
pub(crate) async fn advance_route(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let steps = if is_blank(&body) {
        1
    } else {
        match object::<AdvanceRequest>(&body) {
            Ok(request) if request.steps >= 1 => request.steps,
            Ok(_) => return refused("steps must be a whole number from 1".to_owned()),
            Err(message) => return refused(message),
        }
    };
    match advance(&shared, steps) {
        Ok(moved) => reply(
            StatusCode::OK,
            &AdvanceResponse {
                clock: shared
                    .clock
                    .now()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                steps,
                moved,
            },
        ),
        Err(error) => refused(error.to_string()),
    }
}

/// The body of `POST /<provider>/_sandbox/orders`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct SeedRequest {
    order_id: String,
    status: String,
}

/// The controls of one fake, nested under `/<provider>/_sandbox`: seeding an order, and the
/// fake's own ([`Served::controls`]).
pub(crate) fn provider_controls<R: Served>() -> Router<Arc<FakeState<R>>> {
    Router::new()
        .route("/orders", post(seed_route::<R>))
        .merge(R::controls())
}

/// `POST /<provider>/_sandbox/orders` with `{"order_id": ..., "status": ...}`: what
/// [`Sandbox::seed_order`](crate::Sandbox::seed_order) does; answers the body back.
async fn seed_route<R: Served>(State(fake): State<Arc<FakeState<R>>>, body: Bytes) -> Response {
    let request = match object::<SeedRequest>(&body) {
        Ok(request) => request,
        Err(message) => return refused(message),
    };
    match fake.seed(&request.order_id, &request.status) {
        Ok(()) => reply(StatusCode::OK, &request),
        Err(error) => refused(error.to_string()),
    }
}
