//! One period's reports rendered to in-memory files, for a front end that
//! serves or compares them instead of writing a folder. The bytes are the
//! ones [`super::write_reports`] writes (without the manifest and PDFs, and
//! without what the output folder's history adds: changes, corrections, a
//! closed month's paid payroll; see [`super::history`]).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{ReportError, ReportSet, Split, csv, period_view, review, summary};

/// A rendered file: its path inside the output folder, and its bytes.
pub type RenderedFile = (PathBuf, Vec<u8>);

/// Every file of period `ix` (an index into `set.periods`): results.csv,
/// bonus.csv and development.csv for a month, summary.xlsx and the review workbooks of the
/// split. `scratch` is where a streamed summary sheet keeps its temporary
/// file.
///
/// # Errors
/// [`ReportError`] when a file cannot be built.
pub fn render_period(
    set: &ReportSet<'_>,
    ix: usize,
    scratch: &Path,
) -> Result<Vec<RenderedFile>, ReportError> {
    let view = period_view(set, ix);
    let folder = PathBuf::from(view.result.period.folder());
    let format_error = |file: &Path| {
        let file = file.display().to_string();
        move |e: rust_xlsxwriter::XlsxError| ReportError::Format {
            file,
            reason: e.to_string(),
        }
    };
    let mut files = Vec::new();
    let rel = folder.join("results.csv");
    files.push((rel, csv::results_csv(set.plan, set.people, view.result)?));
    if view.is_month() {
        let rel = folder.join("bonus.csv");
        files.push((rel, csv::bonus_csv(set.people, view.result)?.0));
        let rel = folder.join("development.csv");
        files.push((rel, super::development::csv(&view)?));
        let rel = folder.join(super::snapshot::INPUTS);
        files.push((
            rel,
            super::snapshot::to_csv(&super::snapshot::of_month(set, ix))?,
        ));
    }
    let rel = folder.join("summary.xlsx");
    let bytes = summary::summary_xlsx(&view, scratch).map_err(format_error(&rel))?;
    files.push((rel, bytes));
    if view.is_month() && set.split != Split::None {
        let books = review::books(&view, set.split);
        let reviews: Result<Vec<RenderedFile>, ReportError> = books
            .par_iter()
            .map(|book| {
                let rel = folder
                    .join(set.split.folder())
                    .join(format!("{}.xlsx", book.stem));
                let bytes = review::review_xlsx(&view, book).map_err(format_error(&rel))?;
                Ok((rel, bytes))
            })
            .collect();
        files.extend(reviews?);
    }
    Ok(files)
}
