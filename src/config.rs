//! Validated settings of a run, checked before any work starts. Front ends
//! build them (the command line in [`crate::cli::settings`]); the engine
//! only reads them.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::input::Limits;
use crate::lang::Lang;
use crate::plan::Plan;
use crate::report::Split;
use crate::report::pdf::Converter;

/// Everything a run needs, checked.
#[derive(Debug)]
pub struct RunConfig {
    pub input: PathBuf,
    pub out: PathBuf,
    pub plan: Plan,
    pub lang: Lang,
    pub split: Split,
    pub strict: bool,
    /// Wait for another run writing the same output folder instead of failing.
    pub wait: bool,
    /// Rebuild every period, ignoring the manifest.
    pub force: bool,
    pub limits: Limits,
    /// `--pdf`: LibreOffice, found before any work starts.
    pub pdf: Option<Converter>,
    /// Worker threads for this run; None: rayon's global pool (all cores).
    pub jobs: Option<usize>,
    /// Keep the reports of months whose inputs are gone (`watch`); a `run`
    /// writes exactly what its inputs hold.
    pub keep_vanished: bool,
    /// `--reopen`: replace a closed month's paid payroll, with the reason.
    pub reopen: Option<crate::report::history::Reopen>,
}

/// LibreOffice when `--pdf` asks for it.
///
/// # Errors
/// [`crate::report::ReportError::NoLibreOffice`] when it is not installed.
pub fn pdf_converter(pdf: bool) -> Result<Option<Converter>, Error> {
    Ok(if pdf { Some(Converter::find()?) } else { None })
}

/// The plan from a file, or the built-in standard plan.
///
/// # Errors
/// [`Error::PlanFile`] when the file cannot be read, [`Error::Plan`] with
/// every problem when it is invalid.
pub fn load_plan(path: Option<&Path>) -> Result<Plan, Error> {
    match path {
        None => Plan::standard().map_err(|error| Error::Plan {
            origin: "(built-in standard plan)".into(),
            error,
        }),
        Some(p) => {
            let unreadable = |source| Error::PlanFile {
                path: p.display().to_string(),
                source,
            };
            let size = std::fs::metadata(p).map_err(unreadable)?.len();
            if size > MAX_PLAN_BYTES {
                return Err(Error::PlanTooLarge {
                    path: p.display().to_string(),
                    bytes: size,
                });
            }
            let text = std::fs::read_to_string(p).map_err(unreadable)?;
            Plan::parse(&text).map_err(|error| Error::Plan {
                origin: p.display().to_string(),
                error,
            })
        }
    }
}

/// A plan is a few kilobytes; anything past this is not a plan.
pub const MAX_PLAN_BYTES: u64 = 1024 * 1024;

/// Runs `f` on a thread pool of `jobs` threads made for it, or on rayon's
/// global pool when `jobs` is None or 0. The pool is local, so a library
/// caller's other work and other runs keep their own thread counts.
///
/// # Errors
/// [`Error::Output`] when the threads cannot be started.
pub fn in_pool<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T, Error> {
    match jobs.filter(|n| *n > 0) {
        None => Ok(f()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Output(format!("cannot start {n} worker threads: {e}")))?;
            Ok(pool.install(f))
        }
    }
}
