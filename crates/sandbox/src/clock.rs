//! The sandbox clock, shared by every fake: the wall clock plus the steps advanced
//! ([`Sandbox::advance`](crate::Sandbox::advance), `POST /_sandbox/advance`), never past
//! [`CLOCK_LIMIT`].

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::SandboxError;

/// How far one advance step moves the sandbox clock: six hours.
pub const ADVANCE_STEP: Duration = Duration::from_secs(6 * 3600);

/// The latest time the sandbox clock reaches, RFC 3339: a day before the end of year 9999,
/// so that every timestamp a fake writes, in any offset, keeps a four-digit year. An advance
/// that would pass it is refused (HTTP 400 over HTTP, [`SandboxError::ClockLimit`] from
/// Rust) and moves nothing; the wall clock alone never takes the sandbox clock past it.
pub const CLOCK_LIMIT: &str = "9999-12-30T23:59:59Z";

/// [`CLOCK_LIMIT`] in seconds since the Unix epoch.
const LIMIT_SECONDS: i64 = 253_402_214_399;

/// [`ADVANCE_STEP`] in seconds.
const STEP_SECONDS: i64 = 6 * 3600;

/// The sandbox clock.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    advanced_seconds: AtomicI64,
}

/// [`CLOCK_LIMIT`] as a time.
fn limit() -> DateTime<Utc> {
    DateTime::from_timestamp(LIMIT_SECONDS, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `time` moved on by `steps` steps, if that stays within [`CLOCK_LIMIT`].
pub(crate) fn after_steps(time: DateTime<Utc>, steps: u64) -> Option<DateTime<Utc>> {
    let seconds = i64::try_from(steps).ok()?.checked_mul(STEP_SECONDS)?;
    let moved = time.timestamp().checked_add(seconds)?;
    (moved <= LIMIT_SECONDS)
        .then(|| DateTime::from_timestamp(moved, time.timestamp_subsec_nanos()))
        .flatten()
}

impl Clock {
    /// Now on the sandbox clock (UTC; each fake writes it in its provider's offset).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let advanced = self.advanced_seconds.load(Ordering::Relaxed);
        Self::at(Utc::now(), advanced)
    }

    fn at(wall: DateTime<Utc>, advanced: i64) -> DateTime<Utc> {
        let seconds = wall.timestamp().saturating_add(advanced);
        if seconds >= LIMIT_SECONDS {
            return limit();
        }
        DateTime::from_timestamp(seconds, wall.timestamp_subsec_nanos()).unwrap_or_else(limit)
    }

    /// Moves the clock `steps` steps on; the time before the move. Refused, moving nothing,
    /// when the clock would pass [`CLOCK_LIMIT`].
    pub(crate) fn advance(&self, steps: u64) -> Result<DateTime<Utc>, SandboxError> {
        let refused = || SandboxError::ClockLimit {
            steps,
            limit: CLOCK_LIMIT.to_owned(),
        };
        let wall = Utc::now();
        let mut before = wall;
        self.advanced_seconds
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |advanced| {
                before = Self::at(wall, advanced);
                after_steps(before, steps)?;
                let seconds = i64::try_from(steps).ok()?.checked_mul(STEP_SECONDS)?;
                advanced.checked_add(seconds)
            })
            .map_err(|_| refused())?;
        Ok(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_what_the_docs_say() {
        assert_eq!(
            limit().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            CLOCK_LIMIT
        );
        assert_eq!(
            i64::try_from(ADVANCE_STEP.as_secs()).ok(),
            Some(STEP_SECONDS)
        );
        // In the furthest offset a timestamp can carry, still year 9999.
        let east = chrono::FixedOffset::east_opt(23 * 3600 + 59 * 60).expect("an offset");
        assert!(
            limit()
                .with_timezone(&east)
                .to_rfc3339()
                .starts_with("9999-12-31")
        );
    }

    #[test]
    fn advances_stop_at_the_limit_without_overflow() {
        let clock = Clock::default();
        // Far more than 3.7 million advances of 100 steps, in large steps: the ones that
        // would pass the limit are refused and move nothing.
        let mut refused = 0;
        for _ in 0..40 {
            match clock.advance(10_000_000) {
                Ok(before) => assert!(clock.now() > before),
                Err(SandboxError::ClockLimit { .. }) => refused += 1,
                Err(other) => panic!("{other}"),
            }
        }
        assert!(refused > 0);
        let now = clock.now();
        assert!(now <= limit());
        for steps in [u64::MAX, u64::MAX / 2, i64::MAX as u64, 4_000_000_000] {
            assert!(clock.advance(steps).is_err(), "{steps}");
        }
        assert_eq!(clock.now().timestamp() / 60, now.timestamp() / 60);
        // Up to the limit exactly, then not one step more.
        let left = (LIMIT_SECONDS - clock.now().timestamp()) / STEP_SECONDS;
        clock
            .advance(u64::try_from(left).expect("positive"))
            .expect("within the limit");
        assert!(clock.advance(1).is_err());
        assert_eq!(Clock::at(Utc::now(), i64::MAX), limit());
    }
}
