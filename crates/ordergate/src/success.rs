//! Failures inside a success status: some providers answer HTTP 200 with a failure flag
//! (Logitrail's `success: false`, Tata 1mg's `is_success: false`, FastPOD's `status: false`).
//! Each success type the facade reads says once, through [`SuccessBody`], whether and how its
//! body reports a failure; [`Call::receive`] checks every response with it.

use std::any::Any;
use std::fmt;
use std::future::Future;

use ordergate_runtime::Finish;

use crate::Error;
use crate::error::{Call, ErrorTable, ProviderFailure};

/// A provider's success body: whether it reports a failure despite its success status.
pub(crate) trait SuccessBody: fmt::Debug + Any + Send + Sync {
    /// The failure this body reports, with the flag that says so, for the message when the
    /// provider gives none (`success: false`); `None` for a success (the default, for bodies
    /// without a failure flag).
    fn failure(&self) -> Option<(ProviderFailure, &'static str)> {
        None
    }
}

impl<'a> Call<'a> {
    /// Sends a generated request and refuses a success body that reports a failure
    /// ([`SuccessBody::failure`]): the provider's code table decides its kind
    /// (`bad_request` otherwise), and the body is kept as
    /// [`Error::provider_error`]. The HTTP status recorded is the operation's documented
    /// success status, 200. Any other error of the call becomes an ordergate [`Error`]
    /// ([`Call::classify`], boxed: the error path is rare).
    ///
    /// One future around the generated one ([`ordergate_runtime::observe_call_then`]), not a
    /// chain of combinators: each took the generated future (a few KB) by value, and those
    /// copies showed in the benchmark profile as `memcpy`. Not an `async fn` either: one would
    /// hold `request` both as its argument and inside the future it awaits.
    pub(crate) fn receive<T: ErrorTable, R: SuccessBody, F>(
        self,
        request: F,
    ) -> impl Future<Output = Result<R, Error>> + use<'a, T, R, F>
    where
        F: Future<
            Output = Result<progenitor_client::ResponseValue<R>, progenitor_client::Error<T::Body>>,
        >,
        T::Body: Send + 'a,
    {
        ordergate_runtime::observe_call_then(request, move |result, record| match result {
            Ok(response) => Finish::Now(self.success::<T, R>(response.into_inner())),
            Err(error) => Finish::Later(Box::pin(async move {
                Err(self.classify::<T>(error, record).await)
            })),
        })
    }

    /// `body`, unless it reports a failure ([`SuccessBody::failure`]).
    fn success<T: ErrorTable, R: SuccessBody>(self, body: R) -> Result<R, Error> {
        match body.failure() {
            None => Ok(body),
            Some((failure, flag)) => {
                let fallback = format!("{} answered HTTP 200 with {flag}", self.provider.title());
                Err(self.failure_in_success::<T>(200, failure, &fallback, body))
            }
        }
    }
}
