//! Progress bars on long runs: one per phase (files read, people scored,
//! workbooks written) with rate and ETA, on stderr, only when stderr is a
//! terminal and `--quiet` is not given.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::progress::{BarSink, Progress, ProgressSink};

/// Bars drawn on stderr.
struct Terminal;

static TERMINAL: Terminal = Terminal;

impl ProgressSink for Terminal {
    fn phase(&self, label: &'static str, total: u64) -> Box<dyn BarSink> {
        let style =
            ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        Box::new(Drawn(
            ProgressBar::new(total).with_style(style).with_prefix(label),
        ))
    }
}

struct Drawn(ProgressBar);

impl BarSink for Drawn {
    fn set_length(&self, total: u64) {
        self.0.set_length(total);
    }
    fn set_position(&self, done: u64) {
        self.0.set_position(done);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Progress on a terminal unless `quiet`.
pub fn for_stderr(quiet: bool) -> Progress {
    if !quiet && std::io::stderr().is_terminal() {
        Progress::to(&TERMINAL)
    } else {
        Progress::hidden()
    }
}
