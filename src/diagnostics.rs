//! Data issues: what is wrong with the input, where, and what to do.
//!
//! Reading and validation never stop at the first problem: they collect
//! [`Diagnostic`]s, each naming file, sheet and cell, and the run's exit code
//! and every report reflect them. An error attached to a person makes that
//! person `incomplete` for the period (or every period, when it has none).
//!
//! Messages are bilingual: each diagnostic carries its English message and,
//! beside it, the Chinese one, both written where the issue is found. That
//! keeps the two sentences of a message next to each other in the source
//! (so they are reviewed and changed together), keeps a diagnostic a plain
//! value that serialises as it is, and lets the stage that finds an issue
//! word it with the context it has, without a shared message catalogue.
//! A diagnostic without a translation falls back to English.

use std::fmt;

use crate::lang::Lang;
use crate::period::Period;

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Wrong data: the person it touches is not scored.
    Error,
    /// Suspicious data that was still read.
    Warning,
    /// A note: something skipped on purpose (an extra column, a totals row).
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A stable code per kind of issue, for filtering and for the FAQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    MissingValue,
    NotANumber,
    OutOfRange,
    CellError,
    DuplicateRow,
    UnknownStaff,
    UnknownRole,
    MissingTargets,
    MissingResults,
    MissingColumn,
    UnknownColumn,
    NoPeriod,
    BadPeriod,
    NoTable,
    SkippedFile,
    TotalsRow,
    NoKpiApplies,
    /// A file that cannot be opened (`check` lists it and goes on).
    UnreadableFile,
    /// A password-protected or obfuscated workbook.
    EncryptedFile,
    /// A file or sheet over a size limit.
    TooLarge,
    /// A formula cell with no saved value (a file written by a script).
    FormulaWithoutValue,
    /// A column whose values contradict the scale the plan scores it on.
    WrongScale,
    /// Numbers multiplied by a unit (`万元` in a header, `12.5万` in a cell).
    UnitScaled,
    /// Values converted from the scale the plan says they arrive on.
    ScaleConverted,
    /// Hidden or filtered rows that were read as data.
    HiddenRows,
    /// A merged cell over data: filled down in a text column (info), an
    /// error over a number or an id.
    MergedCells,
    /// A manager given by name, resolved to an id through the roster.
    ManagerName,
    /// A manager id not in the roster (warning), or a manager name that
    /// names nobody (error).
    UnknownManager,
    /// A manager name that several roster people share.
    AmbiguousManager,
    /// An id equal to a roster id but for leading zeros, case, width or
    /// spaces: the column's format differs between files.
    IdFormat,
    /// Two files (or sheets) holding the same rows.
    DuplicateFile,
    /// A roster person not evaluated in a period (left, not yet hired, or
    /// a role the plan does not score) who has no data there.
    NotScored,
    /// An employment status or a hire/leave date that cannot be read.
    BadRosterValue,
    /// A file read by its content, which differs from its name.
    FileKind,
    /// A table's period taken from the workbook's year and the sheet's
    /// month, or from `--period` (info).
    PeriodSource,
    /// About the output folder: a file kept, a file changed outside
    /// kpi-report, a manifest ignored.
    OutputFolder,
    /// Characters XML cannot hold, replaced in the written workbooks.
    ReplacedText,
    /// A row of the adjustments table that cannot be applied.
    Adjustment,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MissingValue => "missing-value",
            Code::NotANumber => "not-a-number",
            Code::OutOfRange => "out-of-range",
            Code::CellError => "cell-error",
            Code::DuplicateRow => "duplicate-row",
            Code::UnknownStaff => "unknown-staff",
            Code::UnknownRole => "unknown-role",
            Code::MissingTargets => "missing-targets",
            Code::MissingResults => "missing-results",
            Code::MissingColumn => "missing-column",
            Code::UnknownColumn => "unknown-column",
            Code::NoPeriod => "no-period",
            Code::BadPeriod => "bad-period",
            Code::NoTable => "no-table",
            Code::SkippedFile => "skipped-file",
            Code::TotalsRow => "totals-row",
            Code::NoKpiApplies => "no-kpi-applies",
            Code::UnreadableFile => "unreadable-file",
            Code::EncryptedFile => "encrypted-file",
            Code::TooLarge => "too-large",
            Code::FormulaWithoutValue => "formula-without-value",
            Code::WrongScale => "wrong-scale",
            Code::UnitScaled => "unit-scaled",
            Code::ScaleConverted => "scale-converted",
            Code::HiddenRows => "hidden-rows",
            Code::MergedCells => "merged-cells",
            Code::ManagerName => "manager-name",
            Code::UnknownManager => "unknown-manager",
            Code::AmbiguousManager => "ambiguous-manager",
            Code::IdFormat => "id-format",
            Code::DuplicateFile => "duplicate-file",
            Code::NotScored => "not-scored",
            Code::BadRosterValue => "bad-roster-value",
            Code::FileKind => "file-kind",
            Code::PeriodSource => "period-source",
            Code::OutputFolder => "output-folder",
            Code::ReplacedText => "replaced-text",
            Code::Adjustment => "adjustment",
        }
    }
}

/// Where an issue is: file, and where known sheet and cell (A1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

/// One data issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub location: Location,
    /// The value found, as text, where there is one.
    pub value: Option<String>,
    /// What was expected and how to fix it.
    pub message: String,
    /// The same in Chinese, where written.
    pub message_zh: Option<String>,
    /// The period it concerns; None for the roster and whole files.
    pub period: Option<Period>,
    /// The person it makes incomplete, if any.
    pub staff_id: Option<String>,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: Code,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            location,
            value: None,
            message: message.into(),
            message_zh: None,
            period: None,
            staff_id: None,
        }
    }

    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, location, message)
    }

    pub fn info(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Info, code, location, message)
    }

    /// The Chinese message.
    pub fn zh(mut self, message: impl Into<String>) -> Self {
        self.message_zh = Some(message.into());
        self
    }

    /// The message in `lang` (English where no translation was written).
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// `file › sheet › cell: message [code]` in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}: {} [{}]",
            self.location,
            self.message_in(lang),
            self.code.as_str()
        )
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn for_person(mut self, staff_id: &str, period: Option<Period>) -> Self {
        self.staff_id = Some(staff_id.to_owned());
        self.period = period;
        self
    }

    /// Whether this issue concerns `period` (issues without a period concern
    /// every period).
    pub fn concerns(&self, period: Period) -> bool {
        match (self.period, period) {
            (None, _) => true,
            (Some(p), Period::YearToDate { year }) => p.year() == year,
            (Some(p), q) => p == q,
        }
    }

    /// Issues are listed in a stable order: by file, sheet, cell position.
    pub fn sort_key(&self) -> impl Ord + '_ {
        let (col, row) = self
            .location
            .cell
            .as_deref()
            .map(split_a1)
            .unwrap_or_default();
        (
            &self.location.file,
            &self.location.sheet,
            row,
            col,
            self.code,
            &self.message,
        )
    }
}

/// `B12` -> (column number, row number) so that B9 sorts before B12.
fn split_a1(cell: &str) -> (u32, u32) {
    let mut col = 0u32;
    let mut row = 0u32;
    for c in cell.chars() {
        if c.is_ascii_alphabetic() {
            col = col
                .saturating_mul(26)
                .saturating_add(c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
        } else if let Some(d) = c.to_digit(10) {
            row = row.saturating_mul(10).saturating_add(d);
        }
    }
    (col, row)
}

/// The A1 name of a zero-based (row, column).
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " › {sheet}")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " › {cell}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 1), "B12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(split_a1("AA10"), (27, 10));
    }

    #[test]
    fn rendering_names_file_sheet_and_cell() {
        let d = Diagnostic::error(
            Code::NotANumber,
            Location {
                file: "2026-10.xlsx".into(),
                sheet: Some("Results".into()),
                cell: Some("C7".into()),
            },
            "expected a number in 'Sales', found 'n/a'",
        );
        assert_eq!(
            d.to_string(),
            "2026-10.xlsx › Results › C7: expected a number in 'Sales', found 'n/a' [not-a-number]"
        );
        assert_eq!(d.render(Lang::Zh), d.to_string(), "no translation: English");
        let d = d.zh("“Sales”应为数字，实际为“n/a”");
        assert_eq!(
            d.render(Lang::Zh),
            "2026-10.xlsx › Results › C7: “Sales”应为数字，实际为“n/a” [not-a-number]"
        );
        assert_eq!(
            d.message_in(Lang::En),
            "expected a number in 'Sales', found 'n/a'"
        );
    }
}
