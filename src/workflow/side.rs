//! What `compare` and `reconcile` share: choosing the period, and writing
//! their one workbook beside (never into) the payroll reports.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::period::{Period, parse_period};
use crate::report::output::{MARKER, write_file};
use crate::score::PeriodResult;

/// Why `compare` or `reconcile` did not finish; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SideError {
    #[error(transparent)]
    Run(#[from] Error),
    /// The period asked for is not in the input.
    #[error("period '{wanted}' is not in the input; periods found: {known}")]
    UnknownPeriod { wanted: String, known: String },
    /// The output folder holds payroll reports.
    #[error(
        "{path} is a kpi-report output folder (payroll reports); {what} never writes into it — give another folder with --out"
    )]
    PayrollFolder { path: String, what: &'static str },
    /// A file of the name exists and kpi-report did not write it.
    #[error(
        "{path} exists and was not written by kpi-report {what}; it is left as it is — move it away or give another folder with --out"
    )]
    NotOurs { path: String, what: &'static str },
    /// The old results sheet cannot be used.
    #[error("{0}")]
    Legacy(String),
    /// The command line asks for something the command cannot do.
    #[error("{0}")]
    Usage(String),
}

/// The period `wanted` (a month such as 2026-10, or ytd-2026), or the latest
/// month scored.
///
/// # Errors
/// [`SideError::UnknownPeriod`] when it is not among `periods`.
pub fn pick_period(wanted: Option<&str>, periods: &[PeriodResult]) -> Result<Period, SideError> {
    let known = || {
        periods
            .iter()
            .map(|p| p.period.folder())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found = match wanted {
        Some(text) => parse_period(text).filter(|p| periods.iter().any(|r| r.period == *p)),
        None => periods
            .iter()
            .rev()
            .map(|p| p.period)
            .find(|p| matches!(p, Period::Month { .. })),
    };
    found.ok_or_else(|| SideError::UnknownPeriod {
        wanted: wanted.unwrap_or("(latest month)").to_owned(),
        known: known(),
    })
}

/// Writes `bytes` as `out/name`: refuses a payroll output folder, and
/// replaces an existing file only when its first sheet's first cell is
/// `mark` (a workbook kpi-report wrote). The file appears whole or not at
/// all (written beside, then renamed).
///
/// # Errors
/// [`SideError`] naming the folder or file.
pub fn write_beside(
    out: &Path,
    name: &str,
    bytes: &[u8],
    mark: &str,
    what: &'static str,
) -> Result<PathBuf, SideError> {
    if out.join(MARKER).exists() {
        return Err(SideError::PayrollFolder {
            path: out.display().to_string(),
            what,
        });
    }
    let path = out.join(name);
    if path.exists() && !first_cell_is(&path, mark) {
        return Err(SideError::NotOurs {
            path: path.display().to_string(),
            what,
        });
    }
    let tmp = out.join(format!(".{name}.partial"));
    write_file(&tmp, bytes).map_err(Error::from)?;
    std::fs::rename(&tmp, &path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::from(crate::report::ReportError::Io {
            path: path.display().to_string(),
            source,
        })
    })?;
    Ok(path)
}

/// Whether the workbook's first sheet starts with `mark` in A1.
fn first_cell_is(path: &Path, mark: &str) -> bool {
    use calamine::{Data, Reader, open_workbook_auto};
    let Ok(mut wb) = open_workbook_auto(path) else {
        return false;
    };
    let Some(Ok(range)) = wb.worksheet_range_at(0) else {
        return false;
    };
    matches!(range.get_value((0, 0)), Some(Data::String(s)) if s == mark)
        && range.start() == Some((0, 0))
}
