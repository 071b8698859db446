//! `summary.xlsx`: the HR and finance workbook of a period: Overview,
//! Ranking, Departments, Bonus (months only: bonuses are monthly) and Data
//! Issues. One module per sheet; each takes the [`PeriodView`] and writes
//! numbers exactly as results.csv shows them.

mod adjustments;
mod bonus;
mod calibration;
mod changes;
mod departments;
mod issues;
mod overview;
mod payroll;
mod ranking;

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use super::lang::{self as l};
use super::styles::Styles;
use super::view::PeriodView;

/// Above this many people, the Ranking and Bonus sheets are written in
/// constant-memory mode: each row goes to a temporary file as soon as the
/// next one starts, so a 100,000-person sheet does not sit in memory as
/// cells. Below it, a sheet held in memory is faster to write.
pub const CONSTANT_MEMORY_PEOPLE: usize = 5_000;

/// Builds the summary workbook; the file's bytes. Big sheets stream through
/// temporary files in `scratch` (see [`CONSTANT_MEMORY_PEOPLE`]).
///
/// # Errors
/// An [`XlsxError`] from the writer (e.g. a value it cannot store, or a
/// temporary file it cannot create).
pub fn summary_xlsx(view: &PeriodView<'_>, scratch: &Path) -> Result<Vec<u8>, XlsxError> {
    summary_xlsx_with(view, scratch, &Extras::default())
}

/// What the output folder's history adds to a summary: a month's Changes
/// sheet, a year's Payroll sheet (see [`crate::report::history`]).
#[derive(Default)]
pub struct Extras<'a> {
    pub changes: Option<&'a crate::report::changes::PeriodChanges>,
    pub year: Option<&'a crate::report::history::YearExtra>,
}

/// [`summary_xlsx`] with the sheets the output folder's history adds.
///
/// # Errors
/// As [`summary_xlsx`].
pub fn summary_xlsx_with(
    view: &PeriodView<'_>,
    scratch: &Path,
    extras: &Extras<'_>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::report::styles::workbook();
    let streamed = view.result.people.len() > CONSTANT_MEMORY_PEOPLE;
    if streamed {
        wb.set_tempdir(scratch)?;
    }
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
    ranking::sheet(sheet(&mut wb, streamed)?, view, &st)?;
    departments::sheet(wb.add_worksheet(), view, &st)?;
    if view.is_month() {
        bonus::sheet(sheet(&mut wb, streamed)?, view, &st)?;
        let list: Vec<_> = view.result.development.iter().collect();
        let name = view.lang.t(crate::report::development::SHEET);
        crate::report::development::sheet(wb.add_worksheet(), view, &list, name, &st)?;
        if adjustments::any(view) {
            adjustments::sheet(wb.add_worksheet(), view, &st)?;
        }
        if let Some(ch) = extras.changes {
            changes::sheet(wb.add_worksheet(), view, ch, &st)?;
        }
    } else if let Some(year) = extras.year {
        payroll::sheet(wb.add_worksheet(), view, year, &st)?;
    }
    calibration::sheet(wb.add_worksheet(), view, &st)?;
    issues::sheet(wb.add_worksheet(), view, &st)?;
    wb.save_to_buffer()
}

/// A new worksheet, streamed (constant memory) or held in memory.
fn sheet(wb: &mut Workbook, streamed: bool) -> Result<&mut Worksheet, XlsxError> {
    if streamed {
        wb.add_worksheet_with_constant_memory()
    } else {
        Ok(wb.add_worksheet())
    }
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
    use crate::report::text::xml_safe;
    let (y, m, d) = view.result.period.end_date();
    let company = xml_safe(&view.plan.company);
    Ok(DocProperties::new()
        .set_title(xml_safe(title).as_ref())
        .set_subject(xml_safe(subject).as_ref())
        .set_company(company.as_ref())
        .set_author(company.as_ref())
        .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?))
}

/// The left part of every page header: plan and sheet.
pub fn page_header(view: &PeriodView<'_>, what: &str) -> String {
    format!("{} · {}", view.plan.name, what)
}
