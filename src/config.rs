//! Validated settings, built from the command line before any work starts.

use std::path::{Path, PathBuf};

use crate::cli::{LangArg, RunArgs, SplitArg};
use crate::error::Error;
use crate::plan::Plan;
use crate::report::{Lang, Split};

/// Everything a run needs, checked.
#[derive(Debug)]
pub struct RunConfig {
    pub input: PathBuf,
    pub out: PathBuf,
    pub plan: Plan,
    pub lang: Lang,
    pub split: Split,
    pub strict: bool,
    pub quiet: bool,
    /// Wait for another run writing the same output folder instead of failing.
    pub wait: bool,
    /// Print the phase table on stderr.
    pub timings: bool,
}

impl RunConfig {
    /// # Errors
    /// [`Error::PlanFile`] / [`Error::Plan`] for an unreadable or invalid plan.
    pub fn from_args(args: &RunArgs) -> Result<RunConfig, Error> {
        Ok(RunConfig {
            input: args.input_dir.clone(),
            out: args.out.clone(),
            plan: load_plan(args.plan.as_deref())?,
            lang: lang(args.lang),
            split: match args.split {
                SplitArg::Manager => Split::Manager,
                SplitArg::Staff => Split::Staff,
                SplitArg::Department => Split::Department,
                SplitArg::None => Split::None,
            },
            strict: args.strict,
            quiet: args.quiet,
            wait: args.wait,
            timings: args.timings,
        })
    }
}

pub fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    }
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
            let text = std::fs::read_to_string(p).map_err(|source| Error::PlanFile {
                path: p.display().to_string(),
                source,
            })?;
            Plan::parse(&text).map_err(|error| Error::Plan {
                origin: p.display().to_string(),
                error,
            })
        }
    }
}

/// Bounds rayon's threads; called once, before any parallel work.
pub fn set_jobs(jobs: Option<usize>) {
    if let Some(n) = jobs.filter(|n| *n > 0) {
        // Fails only if the pool already exists, which it cannot yet.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
}
