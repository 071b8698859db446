//! A period's files: which files a period has ([`period_jobs`]) and how each
//! is built ([`render_job`]). Both a run ([`super::write_reports`]) and the
//! in-memory rendering ([`super::render::render_period`]) take their list
//! from here, so they cannot disagree on a period's files.

use std::path::{Path, PathBuf};

use super::review::{self, ReviewBook};
use super::view::PeriodView;
use super::{ReportError, ReportSet, Split, csv, development, summary};
use crate::period::Period;

/// One file of a period.
pub enum Job {
    Results,
    Bonus,
    Summary,
    Development,
    Review(ReviewBook),
    /// Bytes made beforehand: a closed month's paid payroll, the files of
    /// [`super::history::Books`].
    Fixed(Vec<u8>),
}

/// The view of period `ix`: its inputs, the months before it, its issues.
pub fn period_view<'a>(set: &ReportSet<'a>, ix: usize) -> PeriodView<'a> {
    let result = &set.periods[ix];
    let period = result.period;
    let in_period = |p: Period| match period {
        Period::Month { .. } => p == period,
        Period::YearToDate { year } => matches!(p, Period::Month { .. }) && p.year() == year,
    };
    let inputs = set
        .periods
        .iter()
        .filter(|r| in_period(r.period))
        .filter_map(|r| {
            set.cases
                .iter()
                .find(|(p, _)| *p == r.period)
                .map(|(_, c)| (r, c.as_slice()))
        })
        .collect();
    let history = set
        .periods
        .iter()
        .filter(|r| match (r.period, period) {
            (Period::Month { .. }, Period::Month { .. }) => r.period <= period,
            (Period::Month { .. }, Period::YearToDate { year }) => r.period.year() == year,
            _ => false,
        })
        .collect();
    PeriodView {
        plan: set.plan,
        people: set.people,
        result,
        inputs,
        history,
        issues: set
            .diagnostics
            .iter()
            .filter(|d| d.concerns(period))
            .collect(),
        lang: set.lang,
        company: std::sync::OnceLock::new(),
        sources: set.sources(),
        period_ix: ix,
    }
}

/// Every file of a period, each with its path inside the output folder, in
/// a fixed order: results.csv; bonus.csv and development.csv for a month;
/// summary.xlsx; and for a month, the review workbooks of the split (the
/// year to date is summarised, and every month's review sheet carries the
/// trend of the year so far).
pub fn period_jobs(set: &ReportSet<'_>, view: &PeriodView<'_>) -> Vec<(PathBuf, Job)> {
    let folder = PathBuf::from(view.result.period.folder());
    let mut jobs = vec![(folder.join("results.csv"), Job::Results)];
    if view.is_month() {
        jobs.push((folder.join("bonus.csv"), Job::Bonus));
        jobs.push((folder.join("development.csv"), Job::Development));
    }
    jobs.push((folder.join("summary.xlsx"), Job::Summary));
    if view.is_month() && set.split != Split::None {
        for book in review::books(view, set.split) {
            let rel = folder
                .join(set.split.folder())
                .join(format!("{}.xlsx", book.stem));
            jobs.push((rel, Job::Review(book)));
        }
    }
    jobs
}

/// The bytes of one file of `view`'s period; `rel` names it in messages.
/// `scratch` is where a streamed summary sheet keeps its temporary file.
///
/// # Errors
/// [`ReportError`] when the file cannot be built.
pub fn render_job(
    set: &ReportSet<'_>,
    view: &PeriodView<'_>,
    rel: &Path,
    job: &Job,
    scratch: &Path,
    history: &summary::Extras<'_>,
) -> Result<Vec<u8>, ReportError> {
    let format_error = |e: rust_xlsxwriter::XlsxError| ReportError::Format {
        file: rel.display().to_string(),
        reason: e.to_string(),
    };
    Ok(match job {
        Job::Results => csv::results_csv(set.plan, set.people, view.result)?,
        Job::Bonus => csv::bonus_csv(set.people, view.result)?.0,
        Job::Summary => summary::summary_xlsx_with(view, scratch, history).map_err(format_error)?,
        Job::Development => development::csv(view)?,
        Job::Review(book) => review::review_xlsx(view, book).map_err(format_error)?,
        Job::Fixed(bytes) => bytes.clone(),
    })
}
