//! Progress of long phases (files read, people scored, workbooks written).
//!
//! The engine only counts: it asks its [`Progress`] for a [`Bar`] per phase
//! and advances it. Whether and how anything is shown is up to the front
//! end, which hands in a [`ProgressSink`] (the command line draws bars on a
//! terminal); [`Progress::hidden`] shows nothing and is the default.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where progress goes: one [`BarSink`] per phase.
pub trait ProgressSink: Send + Sync {
    /// A display for a phase of `total` steps.
    fn phase(&self, label: &'static str, total: u64) -> Box<dyn BarSink>;
}

/// One phase's display; called from many threads.
pub trait BarSink: Send + Sync {
    fn set_length(&self, total: u64);
    fn set_position(&self, done: u64);
    fn finish(&self);
}

/// Whether and where to show progress.
#[derive(Clone, Copy, Default)]
pub struct Progress {
    sink: Option<&'static dyn ProgressSink>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("shown", &self.sink.is_some())
            .finish()
    }
}

impl Progress {
    /// Progress shown by `sink`.
    pub fn to(sink: &'static dyn ProgressSink) -> Progress {
        Progress { sink: Some(sink) }
    }

    /// No progress at all (tests, `watch`, library callers).
    pub fn hidden() -> Progress {
        Progress { sink: None }
    }

    /// A bar for a phase of `total` steps; a hidden bar when progress is off.
    /// The bar is cheap to clone and safe to advance from many threads.
    pub fn bar(self, label: &'static str, total: u64) -> Bar {
        Bar {
            done: Arc::new(AtomicU64::new(0)),
            sink: self.sink.map(|s| Arc::from(s.phase(label, total))),
        }
    }
}

/// A phase's counter.
#[derive(Clone)]
pub struct Bar {
    done: Arc<AtomicU64>,
    sink: Option<Arc<dyn BarSink>>,
}

impl Bar {
    /// Advances by `n` steps.
    pub fn inc(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(s) = &self.sink {
            s.set_position(done);
        }
    }

    /// Changes the number of steps.
    pub fn set_length(&self, total: u64) {
        if let Some(s) = &self.sink {
            s.set_length(total);
        }
    }

    /// Ends the phase (a shown bar is cleared).
    pub fn finish_and_clear(&self) {
        if let Some(s) = &self.sink {
            s.finish();
        }
    }

    /// Steps done so far.
    pub fn position(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Whether nothing is shown.
    pub fn is_hidden(&self) -> bool {
        self.sink.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_progress_draws_nothing_but_counts() {
        let bar = Progress::hidden().bar("files read", 3);
        bar.inc(2);
        assert!(bar.is_hidden());
        assert_eq!(bar.position(), 2);
    }
}
