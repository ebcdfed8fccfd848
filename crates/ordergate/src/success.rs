//! Failures inside a success status: some providers answer HTTP 200 with a failure flag
//! (Logitrail's `success: false`, Tata 1mg's `is_success: false`, FastPOD's `status: false`).
//! Each success type the facade reads says once, through [`SuccessBody`], whether and how its
//! body reports a failure; [`Call::receive`] checks every response with it.

use std::any::Any;
use std::fmt;
use std::future::Future;

use futures_util::FutureExt;

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
    /// Sends a generated request ([`Call::send`]) and refuses a success body that reports a
    /// failure ([`SuccessBody::failure`]): the provider's code table decides its kind
    /// (`bad_request` otherwise), and the body is kept as
    /// [`Error::provider_error`]. The HTTP status recorded is the operation's documented
    /// success status, 200.
    pub(crate) fn receive<T: ErrorTable, R: SuccessBody, F>(
        self,
        request: F,
    ) -> impl Future<Output = Result<R, Error>> + use<'a, T, R, F>
    where
        F: Future<
            Output = Result<progenitor_client::ResponseValue<R>, progenitor_client::Error<T::Body>>,
        >,
    {
        self.send::<T, R, F>(request).map(move |result| {
            let body = result?;
            match body.failure() {
                None => Ok(body),
                Some((failure, flag)) => {
                    let fallback =
                        format!("{} answered HTTP 200 with {flag}", self.provider.title());
                    Err(self.failure_in_success::<T>(200, failure, &fallback, body))
                }
            }
        })
    }
}
