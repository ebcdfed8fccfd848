//! Heap allocations and live heap bytes, counted by `stats_alloc`'s instrumented system
//! allocator, which `ordergate-bench-counts` installs as its global allocator (two atomic
//! additions per call into the allocator, in every variant alike). In a binary that does not
//! install it, every count is 0.
//!
//! The counts are the whole process's (every thread: client, loopback server and runtime
//! alike), as DHAT counts them; a measurement takes the difference between two runs that
//! differ only in the number of calls, which cancels what does not grow with the calls.

use std::alloc::System;
use std::cell::Cell;

use stats_alloc::{INSTRUMENTED_SYSTEM, Region};

/// Counting from [`Counting::start`].
pub struct Counting {
    region: Region<'static, System>,
    peak: Cell<i64>,
}

impl Counting {
    /// Starts counting.
    pub fn start() -> Self {
        Self {
            region: Region::new(&INSTRUMENTED_SYSTEM),
            peak: Cell::new(0),
        }
    }

    /// Allocations and reallocations since [`start`](Self::start) (DHAT counts both).
    pub fn allocations(&self) -> u64 {
        let change = self.region.change();
        (change.allocations + change.reallocations) as u64
    }

    /// Heap bytes live now above those live at [`start`](Self::start) (negative when more was
    /// freed than allocated since).
    pub fn live_growth(&self) -> i64 {
        let change = self.region.change();
        let allocated = i64::try_from(change.bytes_allocated).unwrap_or(i64::MAX);
        let freed = i64::try_from(change.bytes_deallocated).unwrap_or(i64::MAX);
        // A reallocation's growth is already in `bytes_allocated` and its shrinking in
        // `bytes_deallocated` (`bytes_reallocated` repeats them).
        allocated - freed
    }

    /// Records the live growth now as a candidate for [`peak_growth`](Self::peak_growth).
    pub fn sample(&self) {
        self.peak.set(self.peak.get().max(self.live_growth()));
    }

    /// The most live growth [`sample`](Self::sample) saw.
    pub fn peak_growth(&self) -> u64 {
        u64::try_from(self.peak.get()).unwrap_or(0)
    }
}
