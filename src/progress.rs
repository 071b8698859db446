//! Progress bars on long runs: one per phase (files read, people scored,
//! workbooks written) with rate and ETA, on stderr, only when stderr is a
//! terminal and `--quiet` is not given.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Whether and how to show progress.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

impl Default for Progress {
    fn default() -> Self {
        Progress::hidden()
    }
}

impl Progress {
    /// Progress on a terminal unless `quiet`.
    pub fn for_stderr(quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// No progress at all (tests, `watch`, library callers).
    pub fn hidden() -> Progress {
        Progress { enabled: false }
    }

    /// A bar for a phase of `total` steps; a hidden bar when progress is off.
    /// The bar is cheap to clone and safe to advance from many threads.
    pub fn bar(self, label: &'static str, total: u64) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let style =
            ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        ProgressBar::new(total).with_style(style).with_prefix(label)
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
