//! Sheets -> tables: find the header row, map headers to plan columns, read
//! each data row into a [`Record`] of typed fields, reporting every cell that
//! cannot be read. In three steps: [`header`] finds the header and what the
//! table is, [`rows`] walks the data rows, [`records`] reads one row's cells.

mod header;
mod records;
mod rows;

use std::sync::Arc;

use calamine::Data;

use super::cell;
use super::workbook::SheetData;
use crate::diagnostics::{Code, Diagnostic};
use crate::period::{Period, find_period};
use crate::plan::{Plan, normalize_header};

/// How far down a sheet the header row may sit.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Problems one table may have before it is left out whole.
pub const MAX_TABLE_ISSUES: usize = 10_000;
/// Of those, how many are kept to say what is wrong.
pub const LISTED_TABLE_ISSUES: usize = 1_000;
/// The most characters a text field may hold: what an Excel cell holds.
pub const MAX_TEXT: usize = 32_767;

pub use super::cell::cell_text;
pub use super::record::{
    Field, FieldValue, Fields, Notes, Place, Record, TableInfo, TableKinds, TableSource,
};

/// A table left out; a diagnostic says why.
struct Skipped;

/// Reads the table in a sheet, if it has one, and says what it was.
pub fn read_table(
    plan: &Plan,
    sheet: &SheetData,
    out: &mut Vec<Record>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TableInfo> {
    read_table_for(plan, sheet, None, out, diags)
}

/// [`read_table`], with the period to give a table that names none
/// (`--period`).
pub fn read_table_for(
    plan: &Plan,
    sheet: &SheetData,
    given: Option<Period>,
    out: &mut Vec<Record>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TableInfo> {
    let first_note = diags.len();
    let (row0, col0) = sheet.range.start()?; // None: an empty sheet
    let source = Arc::new(TableSource {
        file: Arc::clone(&sheet.file),
        sheet: Arc::clone(&sheet.sheet),
    });
    let rows: Vec<&[Data]> = sheet.range.rows().collect();
    let header = header::read(plan, sheet, &rows, (row0, col0), &source, diags)?;
    let at = source.at(header.row, col0);
    let period =
        header::table_period(plan, sheet, &rows[..header.ix], &header, given, at, diags).ok()?;
    // Header notes of a one-month table (an extra column, say) belong to
    // that month's reports, not to every period's.
    if let Some(p) = period {
        for d in diags[first_note..]
            .iter_mut()
            .filter(|d| d.period.is_none())
        {
            d.period = Some(p);
        }
    }
    let table = Table {
        plan,
        sheet,
        source: &source,
        header: &header,
        row0,
        col0,
        id_col: header.slot[plan.key.staff_id]?,
        period,
    };
    rows::read(&table, rows, out, diags)
}

/// A table being read: where it is, its header and what it is.
struct Table<'a> {
    pub plan: &'a Plan,
    pub sheet: &'a SheetData,
    pub source: &'a Arc<TableSource>,
    pub header: &'a header::Header,
    /// The first row and column of the sheet's range.
    pub row0: u32,
    pub col0: u32,
    /// The Staff ID column.
    pub id_col: u32,
    /// The period of every row, when the rows have no period column.
    pub period: Option<Period>,
}

/// The merge covering a cell that no one reading can be given to.
fn refused(merged: &super::shape::MergeEffects, at: (u32, u32)) -> Option<&String> {
    if merged.refused.is_empty() {
        None
    } else {
        merged.refused.get(&at)
    }
}

/// The formula of an empty cell that has one but no saved value.
fn unsaved_formula<'a>(sheet: &'a SheetData, cell: &Data, row: u32, col: u32) -> Option<&'a str> {
    if !matches!(cell, Data::Empty) || sheet.meta.unsaved_formulas.is_empty() {
        return None;
    }
    sheet.meta.unsaved_formula((row, col))
}

/// A formula cell with no saved value: never blank, never "does not apply".
fn no_saved_value(
    source: &TableSource,
    row: u32,
    col: u32,
    name: &str,
    name_zh: &str,
    formula: &str,
) -> Diagnostic {
    let shown = if formula.is_empty() {
        "a formula".to_owned()
    } else if formula.starts_with('=') {
        formula.to_owned()
    } else {
        format!("={formula}")
    };
    Diagnostic::error(
        Code::FormulaWithoutValue,
        source.at(row, col),
        format!(
            "'{name}' holds the formula {shown} with no saved value (the file was written by a program that does not calculate); open and save the file in Excel, WPS or LibreOffice so the value is stored"
        ),
    )
    .zh(format!(
        "“{name_zh}”是公式 {shown}，但没有保存计算结果（文件由不计算公式的程序生成）；请用 Excel、WPS 或 LibreOffice 打开并保存该文件，使数值得以保存"
    ))
    .with_value(shown)
}

/// A month from a period cell: text in any accepted form, a date, or a
/// number like 202610. The Err carries the cell as text.
pub fn period_of(cell: &Data) -> Result<Period, String> {
    match cell {
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, ..) = dt.to_ymd_hms_milli();
            Period::month(i64::from(y), i64::from(m)).ok_or_else(|| cell_text(cell))
        }
        Data::DateTimeIso(s) | Data::String(s) => find_period(s).ok_or_else(|| cell_text(cell)),
        Data::Int(i) => find_period(&i.to_string()).ok_or_else(|| i.to_string()),
        Data::Float(f) if f.fract() == 0.0 => {
            find_period(&format!("{f:.0}")).ok_or_else(|| cell_text(cell))
        }
        // 2026.1 could be January or October: refuse to guess.
        _ => Err(cell_text(cell)),
    }
}

/// A cell as a Staff ID: a number as its digits, text trimmed and in
/// half-width characters.
fn id_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) => cell::id_from_f64(*f).unwrap_or_default(),
        Data::String(s) => s
            .chars()
            .map(cell::halfwidth)
            .collect::<String>()
            .trim()
            .to_owned(),
        other => cell_text(other),
    }
}

/// A totals or subtotals label in any common form: "合计", "总计", "小计",
/// "汇总", "共计" anywhere in the text ("华东小计", "合计：3人"), or the
/// English words total(s), subtotal, sum as a whole word ("Grand Total",
/// "East Total", "Total East", "Subtotal:"). No staff id or name holds
/// these words.
pub fn is_totals_label(text: &str) -> bool {
    // Fast path for the common case, an id of letters and digits only.
    if text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let lower = text.to_ascii_lowercase();
        return matches!(
            lower.as_str(),
            "total" | "totals" | "subtotal" | "subtotals" | "grandtotal" | "sum"
        );
    }
    let norm: String = normalize_header(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if [
        "合计", "总计", "小计", "汇总", "共计", "總計", "合計", "小計", "匯總",
    ]
    .iter()
    .any(|w| norm.contains(w))
    {
        return true;
    }
    let lower = cell::clean_text(text).to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "total" | "totals" | "subtotal" | "subtotals" | "grandtotal" | "sum"
        )
    })
}

#[cfg(test)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    fn month(y: i64, m: i64) -> Result<Period, String> {
        Period::month(y, m).ok_or_else(String::new)
    }

    #[test]
    fn period_cells_in_every_form() {
        // 46296 is 2026-10-01 in the 1900 system; the 1904 system counts
        // from 1904-01-01, 1462 days later, so 44834 is the same day.
        let date = |v, is_1904| {
            Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904))
        };
        assert_eq!(period_of(&date(46296.0, false)), month(2026, 10));
        assert_eq!(period_of(&date(44834.0, true)), month(2026, 10));
        assert_eq!(period_of(&Data::Float(202610.0)), month(2026, 10));
        assert_eq!(period_of(&Data::Int(202611)), month(2026, 11));
        assert_eq!(
            period_of(&Data::String(" 2026年10月 ".into())),
            month(2026, 10)
        );
        assert_eq!(
            period_of(&Data::DateTimeIso("2026-10-01".into())),
            month(2026, 10)
        );
        // 2026.1 could be January or October: refused, with the text found.
        assert_eq!(period_of(&Data::Float(2026.1)), Err("2026.1".to_owned()));
        assert_eq!(period_of(&Data::Empty), Err(String::new()));
    }

    #[test]
    fn totals_labels_as_typed_by_hand() {
        for label in [
            "合计",
            "合 计",
            "总计：",
            "小计",
            "Total",
            "TOTAL:",
            "Grand Total",
            "Subtotal",
        ] {
            assert!(is_totals_label(label), "{label}");
        }
        for label in [
            "华东小计",
            "华东区 合计",
            "汇总",
            "East Total",
            "Total East",
            "Sub-total",
            "合计：3人",
        ] {
            assert!(is_totals_label(label), "{label}");
        }
        for label in ["S001", "Totally New", "计划", "Summary", "Totalizer"] {
            assert!(!is_totals_label(label), "{label}");
        }
    }

    #[test]
    fn ids_from_numbers_and_padded_text_match() {
        assert_eq!(id_text(&Data::Float(1001.0)), "1001");
        assert_eq!(id_text(&Data::Int(1001)), "1001");
        assert_eq!(id_text(&Data::String(" 1001\u{3000}".into())), "1001");
        assert_eq!(id_text(&Data::String("Ｓ００１".into())), "S001");
    }
}
