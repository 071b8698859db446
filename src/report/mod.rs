//! Reports: typed results -> files. Nothing here computes a score; every
//! number comes from the scoring stage and is only formatted.
//!
//! [`write_reports`] builds every period's files in memory, in parallel,
//! writes them into a staging folder and swaps it into place ([`output`]),
//! so a run leaves either the complete new set or the previous one.

pub mod csv;
pub mod lang;
pub mod manifest;
pub mod output;
pub mod summary;
pub mod text;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::input::Person;
use crate::period::Period;
use crate::plan::Plan;
use crate::score::PeriodResult;
pub use lang::Lang;
use output::{OutputLock, write_file};

/// A failure while writing reports; nothing is left half-written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Every file write names its path.
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The workbook or CSV writer refused the content.
    #[error("cannot build {file}: {reason}")]
    Format { file: String, reason: String },
    /// Two runs must not write the same output folder at once.
    #[error("another kpi-report run is writing to {path}; wait for it to finish and run again")]
    Locked { path: String },
    /// A run replaces only folders it wrote itself.
    #[error(
        "{path} exists and was not written by kpi-report; choose another --out folder or empty it"
    )]
    NotOurs { path: String },
}

/// What the reports are built from.
pub struct ReportSet<'a> {
    pub plan: &'a Plan,
    pub people: &'a [Person],
    pub periods: &'a [PeriodResult],
    pub diagnostics: &'a [Diagnostic],
    pub lang: Lang,
}

/// Files written, relative to the output folder, in order.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
}

/// Writes every period's reports into `out`, all or nothing. With `wait`, a
/// run that finds the output folder locked waits for the other run.
///
/// # Errors
/// A [`ReportError`]; the previous reports are then untouched.
pub fn write_reports(out: &Path, set: &ReportSet<'_>, wait: bool) -> Result<Written, ReportError> {
    let lock = OutputLock::acquire(out, wait)?;
    let staging = lock.begin()?;
    let result = build_all(&staging, set);
    match result {
        Ok(files) => {
            lock.commit()?;
            Ok(Written { files })
        }
        Err(e) => {
            lock.abandon();
            Err(e)
        }
    }
}

fn build_all(staging: &Path, set: &ReportSet<'_>) -> Result<Vec<PathBuf>, ReportError> {
    let per_period: Vec<Result<Vec<PathBuf>, ReportError>> = set
        .periods
        .par_iter()
        .map(|result| {
            let folder = PathBuf::from(result.period.folder());
            let mut files = Vec::new();
            let mut put = |name: &str, bytes: Vec<u8>| -> Result<(), ReportError> {
                let rel = folder.join(name);
                write_file(&staging.join(&rel), &bytes)?;
                files.push(rel);
                Ok(())
            };
            put(
                "results.csv",
                csv::results_csv(set.plan, set.people, result)?,
            )?;
            if matches!(result.period, Period::Month { .. }) {
                put("bonus.csv", csv::bonus_csv(set.people, result)?.0)?;
            }
            let issues: Vec<&Diagnostic> = set
                .diagnostics
                .iter()
                .filter(|d| d.concerns(result.period))
                .collect();
            let summary = summary::summary_xlsx(&summary::SummaryInput {
                plan: set.plan,
                people: set.people,
                result,
                issues: &issues,
                lang: set.lang,
            })
            .map_err(|e| ReportError::Format {
                file: folder.join("summary.xlsx").display().to_string(),
                reason: e.to_string(),
            })?;
            put("summary.xlsx", summary)?;
            Ok(files)
        })
        .collect();
    let mut files = Vec::new();
    for r in per_period {
        files.extend(r?);
    }
    Ok(files)
}
