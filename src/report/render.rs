//! One period's reports rendered to in-memory files, for a front end that
//! serves or compares them instead of writing a folder. The bytes are the
//! ones [`super::write_reports`] writes (without the manifest and PDFs, and
//! without what the output folder's history adds: changes, corrections, a
//! closed month's paid payroll; see [`super::history`]).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::jobs::{Job, period_jobs, period_view, render_job};
use super::{ReportError, ReportSet, snapshot, summary};

/// A rendered file: its path inside the output folder, and its bytes.
pub type RenderedFile = (PathBuf, Vec<u8>);

/// Every file of period `ix` (an index into `set.periods`), in the order of
/// [`period_jobs`]: results.csv, bonus.csv and development.csv for a month,
/// then a month's inputs.csv (the snapshot a later run compares against),
/// summary.xlsx and the review workbooks of the split. `scratch` is where a
/// streamed summary sheet keeps its temporary file.
///
/// # Errors
/// [`ReportError`] when a file cannot be built.
pub fn render_period(
    set: &ReportSet<'_>,
    ix: usize,
    scratch: &Path,
) -> Result<Vec<RenderedFile>, ReportError> {
    let view = period_view(set, ix);
    let mut jobs = period_jobs(set, &view);
    if view.is_month() {
        let rel = PathBuf::from(view.result.period.folder()).join(snapshot::INPUTS);
        let bytes = snapshot::to_csv(&snapshot::of_month(set, ix))?;
        let at = jobs
            .iter()
            .position(|(_, j)| matches!(j, Job::Summary))
            .unwrap_or(jobs.len());
        jobs.insert(at, (rel, Job::Fixed(bytes)));
    }
    let no_history = summary::Extras {
        changes: None,
        year: None,
    };
    jobs.into_par_iter()
        .map(|(rel, job)| {
            let bytes = render_job(set, &view, &rel, &job, scratch, &no_history)?;
            Ok((rel, bytes))
        })
        .collect()
}
