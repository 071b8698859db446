//! `compare`: the same inputs scored under two plans. Writes only
//! `compare-PERIOD.xlsx`, never the payroll reports.

use std::path::{Path, PathBuf};

use crate::lang::Lang;
use crate::plan::Plan;
use crate::report::compare::{MARK, compare_xlsx};
use crate::score::compare::{Comparison, compare};
use crate::score::{Evaluation, evaluate};
use crate::workflow::side::{SideError, pick_period, write_beside};

/// A finished comparison.
#[derive(Debug)]
pub struct CompareOutcome {
    pub comparison: Comparison,
    /// The workbook written.
    pub file: PathBuf,
    /// Data issues (errors and warnings) under plan A and plan B.
    pub issues: (usize, usize),
}

/// Scores `input` under `a` and `b`, compares `period` (default: the latest
/// month) and writes `out/compare-PERIOD.xlsx`.
///
/// # Errors
/// [`SideError`]: unreadable input, unknown period, a folder or file that
/// is not kpi-report's to write.
pub fn run(
    input: &Path,
    (a, b): (&Plan, &Plan),
    period: Option<&str>,
    out: &Path,
    lang: Lang,
) -> Result<CompareOutcome, SideError> {
    let ea: Evaluation = evaluate(input, a).map_err(crate::error::Error::from)?;
    let eb: Evaluation = evaluate(input, b).map_err(crate::error::Error::from)?;
    let period = pick_period(period, &ea.periods)?;
    let comparison = compare(
        (a, &ea.input.dataset.people, &ea.periods),
        (b, &eb.input.dataset.people, &eb.periods),
        period,
    )
    .ok_or_else(|| SideError::UnknownPeriod {
        wanted: period.folder(),
        known: eb
            .periods
            .iter()
            .map(|p| p.period.folder())
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let name = format!("compare-{}.xlsx", period.folder());
    let bytes = compare_xlsx(a, &comparison, lang).map_err(|e| {
        crate::error::Error::from(crate::report::ReportError::Format {
            file: name.clone(),
            reason: e.to_string(),
        })
    })?;
    let file = write_beside(out, &name, &bytes, MARK, "compare")?;
    Ok(CompareOutcome {
        comparison,
        file,
        issues: (ea.issue_count(), eb.issue_count()),
    })
}
