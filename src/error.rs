//! The engine's error: one variant per stage. What it means for an exit
//! code is the front end's business.

use crate::input::InputError;
use crate::plan::PlanError;
use crate::report::ReportError;
use crate::report::explain::ExplainError;
use crate::sample::SampleError;

/// Why a command did not finish; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The plan file is unusable.
    #[error("the plan {origin} is not valid ({}):\n{}", error.count(), error.render(origin))]
    Plan { origin: String, error: PlanError },
    /// The plan file cannot be read.
    #[error("cannot read the plan {path}: {source}")]
    PlanFile {
        path: String,
        source: std::io::Error,
    },
    /// A plan file is a few kilobytes of TOML; a huge one is a wrong file.
    #[error(
        "{path} is {bytes} bytes; a plan is a few kilobytes of TOML (limit 1 MiB) — is this the right file?"
    )]
    PlanTooLarge { path: String, bytes: u64 },
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Sample(#[from] SampleError),
    #[error(transparent)]
    Explain(#[from] ExplainError),
    /// Writing to stdout failed (e.g. the man page).
    #[error("cannot write the output: {0}")]
    Output(String),
    /// `--strict` refuses to write reports while data issues remain.
    #[error("{0} data issue(s) found; with --strict nothing is written. Fix them and run again")]
    Strict(usize),
}

impl Error {
    /// The error as text in `lang`: the input's "nothing to score" and what
    /// was found file by file are in the language (see
    /// [`InputError::render`]); other errors are written in English.
    pub fn render(&self, lang: crate::lang::Lang) -> String {
        match self {
            Error::Input(e) => e.render(lang),
            other => other.to_string(),
        }
    }
}
