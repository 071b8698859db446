//! `summary.xlsx`: the HR and finance workbook of a period: Overview,
//! Ranking, Departments, Bonus (months only: bonuses are monthly) and Data
//! Issues. One module per sheet; each takes the [`PeriodView`] and writes
//! numbers exactly as results.csv shows them.

mod bonus;
mod departments;
mod issues;
mod overview;
mod ranking;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, XlsxError};

use super::lang::{self as l};
use super::styles::Styles;
use super::view::PeriodView;

/// Builds the summary workbook in memory.
///
/// # Errors
/// An [`XlsxError`] from the writer (e.g. a value it cannot store).
pub fn summary_xlsx(view: &PeriodView<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::report::styles::workbook();
    let lang = view.lang;
    let title = format!(
        "{} — {} — {}",
        lang.t(l::SUMMARY_TITLE),
        view.plan.name,
        view.result.period
    );
    wb.set_properties(&properties(view, &title, lang.t(l::SUMMARY_TITLE))?);
    let st = Styles::new(view.plan.grades.len());
    overview::sheet(wb.add_worksheet(), view, &st)?;
    ranking::sheet(wb.add_worksheet(), view, &st)?;
    departments::sheet(wb.add_worksheet(), view, &st)?;
    if view.is_month() {
        bonus::sheet(wb.add_worksheet(), view, &st)?;
    }
    issues::sheet(wb.add_worksheet(), view, &st)?;
    wb.save_to_buffer()
}

/// Document properties; the creation date is the period's end, so re-runs
/// give the same bytes.
///
/// # Errors
/// An [`XlsxError`] for an impossible date.
pub fn properties(
    view: &PeriodView<'_>,
    title: &str,
    subject: &str,
) -> Result<DocProperties, XlsxError> {
    let (y, m, d) = view.result.period.end_date();
    Ok(DocProperties::new()
        .set_title(title)
        .set_subject(subject)
        .set_company(view.plan.company.as_str())
        .set_author(view.plan.company.as_str())
        .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?))
}

/// The left part of every page header: plan and sheet.
pub fn page_header(view: &PeriodView<'_>, what: &str) -> String {
    format!("{} · {}", view.plan.name, what)
}
