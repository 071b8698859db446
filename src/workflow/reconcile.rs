//! `reconcile`: our results against the old process's results sheet.
//! Writes only `reconcile-PERIOD.xlsx`, never the payroll reports.

use std::path::{Path, PathBuf};

use crate::input::legacy::read_legacy;
use crate::lang::Lang;
use crate::plan::Plan;
use crate::report::reconcile::{MARK, reconcile_xlsx, summary_line};
use crate::score::evaluate;
use crate::score::reconcile::{Ours, Reconciliation, reconcile};
use crate::workflow::side::{SideError, pick_period, write_beside};

/// A finished reconciliation.
#[derive(Debug)]
pub struct ReconcileOutcome {
    pub reconciliation: Reconciliation,
    /// The summary sentence (as the workbook's top line).
    pub summary: String,
    pub file: PathBuf,
}

/// Scores `input` under `plan`, reads the old results `against` and
/// writes `out/reconcile-PERIOD.xlsx`.
///
/// # Errors
/// [`SideError`]: unreadable input or old sheet, unknown period, a folder
/// or file that is not kpi-report's to write.
pub fn run(
    input: &Path,
    plan: &Plan,
    against: &Path,
    period: Option<&str>,
    out: &Path,
    lang: Lang,
) -> Result<ReconcileOutcome, SideError> {
    let eval = evaluate(input, plan).map_err(crate::error::Error::from)?;
    let period = pick_period(period, &eval.periods)?;
    let old = read_legacy(against, plan, period).map_err(SideError::Legacy)?;
    let result = eval
        .periods
        .iter()
        .find(|p| p.period == period)
        .ok_or_else(|| SideError::UnknownPeriod {
            wanted: period.folder(),
            known: String::new(),
        })?;
    let cases = eval
        .input
        .dataset
        .periods
        .iter()
        .find(|(p, _)| *p == period)
        .map(|(_, c)| c.as_slice())
        .unwrap_or_default();
    let ours = Ours {
        plan,
        people: &eval.input.dataset.people,
        result,
        cases,
        records: &eval.input.dataset.records,
    };
    let reconciliation = reconcile(&ours, &old);
    let name = format!("reconcile-{}.xlsx", period.folder());
    let bytes = reconcile_xlsx(plan, &reconciliation, lang).map_err(|e| {
        crate::error::Error::from(crate::report::ReportError::Format {
            file: name.clone(),
            reason: e.to_string(),
        })
    })?;
    let file = write_beside(out, &name, &bytes, MARK, "reconcile")?;
    Ok(ReconcileOutcome {
        summary: summary_line(plan, &reconciliation, lang),
        reconciliation,
        file,
    })
}
