//! One period's reports rendered to in-memory files, for a front end that
//! serves or compares them instead of writing a folder. The bytes are the
//! ones [`super::write_reports`] writes (without the manifest and PDFs).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::jobs::{period_jobs, period_view, render_job};
use super::{ReportError, ReportSet};

/// A rendered file: its path inside the output folder, and its bytes.
pub type RenderedFile = (PathBuf, Vec<u8>);

/// Every file of period `ix` (an index into `set.periods`), in the order of
/// [`period_jobs`]: results.csv, bonus.csv and development.csv for a month,
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
    period_jobs(set, &view)
        .into_par_iter()
        .map(|(rel, job)| {
            let bytes = render_job(set, &view, &rel, &job, scratch)?;
            Ok((rel, bytes))
        })
        .collect()
}
