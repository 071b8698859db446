//! The run's error: one variant per stage, each with its exit code.

use crate::input::InputError;
use crate::plan::PlanError;
use crate::report::ReportError;
use crate::sample::SampleError;

/// Why a command did not finish; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The plan file is unusable.
    #[error("the plan {origin} is not valid:\n{error}")]
    Plan { origin: String, error: PlanError },
    /// The plan file cannot be read.
    #[error("cannot read the plan {path}: {source}")]
    PlanFile {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Sample(#[from] SampleError),
    #[error(transparent)]
    Init(#[from] crate::workflow::init::InitError),
    #[error(transparent)]
    Watch(#[from] crate::workflow::watch::WatchError),
    /// Writing to stdout failed (e.g. the man page).
    #[error("cannot write the output: {0}")]
    Output(String),
    /// `--strict` refuses to write reports while data issues remain.
    #[error("{0} data issue(s) found; with --strict nothing is written. Fix them and run again")]
    Strict(usize),
}

impl Error {
    /// Exit code 1: nothing written (bad plan, unreadable input, --strict
    /// with data issues, I/O failure).
    pub fn code(&self) -> u8 {
        1
    }
}
