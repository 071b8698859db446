//! Sheets -> tables: find the header row, map headers to plan columns, read
//! each data row into a [`Record`] of typed fields, reporting every cell that
//! cannot be read.

use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;

use super::cell::{self, NumberError};
use super::workbook::SheetData;
use crate::diagnostics::{Code, Diagnostic, Location, Severity, a1};
use crate::period::{Period, find_period};
use crate::plan::{ColumnIx, ColumnKind, Plan, TableKind, normalize_header};

/// How far down a sheet the header row may sit.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Values at or beyond this size are refused: no sales workbook holds them,
/// and refusing them keeps every later sum far from decimal overflow.
const ABSURD: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0); // 10^15

/// What a table holds; a sheet with both target and result columns is both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableKinds {
    pub staff: bool,
    pub targets: bool,
    pub results: bool,
}

/// A cell's value once read for its column.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Blank,
    Number(Decimal),
    Text(String),
    /// Unreadable; a diagnostic already says why.
    Invalid,
}

/// One cell of a record, with its column position for messages.
#[derive(Debug, Clone)]
pub struct Field {
    pub value: FieldValue,
    pub col: u32,
}

/// Where a table came from.
#[derive(Debug)]
pub struct TableSource {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
}

impl TableSource {
    pub fn at(&self, row: u32, col: u32) -> Location {
        Location {
            file: self.file.to_string(),
            sheet: Some(self.sheet.to_string()),
            cell: Some(a1(row, col)),
        }
    }
}

/// A data row.
#[derive(Debug)]
pub struct Record {
    pub source: Arc<TableSource>,
    pub kinds: TableKinds,
    pub row: u32,
    pub staff_id: String,
    pub staff_col: u32,
    pub period: Option<Period>,
    /// One slot per plan column; None where the table has no such column.
    pub fields: Vec<Option<Field>>,
}

impl Record {
    pub fn location(&self) -> Location {
        self.source.at(self.row, self.staff_col)
    }

    /// Location of a column's cell in this row (the row's id cell if the
    /// table has no such column).
    pub fn cell(&self, column: ColumnIx) -> Location {
        let col = self.fields[column]
            .as_ref()
            .map_or(self.staff_col, |f| f.col);
        self.source.at(self.row, col)
    }
}

/// Reads the table in a sheet, if it has one.
pub fn read_table(
    plan: &Plan,
    sheet: &SheetData,
    out: &mut Vec<Record>,
    diags: &mut Vec<Diagnostic>,
) {
    let range = &sheet.range;
    let Some((row0, col0)) = range.start() else {
        return; // empty sheet
    };
    let source = Arc::new(TableSource {
        file: Arc::clone(&sheet.file),
        sheet: Arc::clone(&sheet.sheet),
    });
    let rows: Vec<&[Data]> = range.rows().collect();

    let Some((header_ix, columns)) = find_header(plan, &rows) else {
        if rows
            .iter()
            .any(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
        {
            diags.push(Diagnostic::info(
                Code::NoTable,
                Location {
                    file: sheet.file.to_string(),
                    sheet: Some(sheet.sheet.to_string()),
                    cell: None,
                },
                format!(
                    "no header row with a Staff ID column and other known columns in the first {HEADER_SEARCH_ROWS} rows; sheet skipped"
                ),
            ));
        }
        return;
    };
    let header_row = row0 + header_ix as u32;
    let mut slot: Vec<Option<u32>> = vec![None; plan.columns.len()];
    let mut unknown = Vec::new();
    for (i, cell) in rows[header_ix].iter().enumerate() {
        let col = col0 + i as u32;
        let text = cell_text(cell);
        if text.is_empty() {
            continue;
        }
        match columns[i] {
            Some(ix) if slot[ix].is_none() => slot[ix] = Some(col),
            Some(ix) => diags.push(Diagnostic::error(
                Code::DuplicateRow,
                source.at(header_row, col),
                format!(
                    "column '{}' appears twice in the header row (first at {}); delete one of them",
                    plan.columns[ix].display,
                    a1(header_row, slot[ix].unwrap_or(col))
                ),
            ).with_value(text)),
            None => unknown.push((col, text)),
        }
    }

    let mut kinds = TableKinds::default();
    for (ix, c) in plan.columns.iter().enumerate() {
        if slot[ix].is_some() {
            match c.table {
                TableKind::Targets => kinds.targets = true,
                TableKind::Results => kinds.results = true,
                TableKind::Staff if ix != plan.key.name && ix != plan.key.department => {
                    kinds.staff = true
                }
                _ => {}
            }
        }
    }
    if kinds.targets || kinds.results {
        kinds.staff = false;
    }
    if !(kinds.staff || kinds.targets || kinds.results) {
        diags.push(Diagnostic::info(
            Code::NoTable,
            source.at(header_row, col0),
            "the header row names a Staff ID but no roster, target or result columns; sheet skipped",
        ));
        return;
    }

    // Columns the table's kind needs but does not have.
    let mut missing = Vec::new();
    for (ix, c) in plan.columns.iter().enumerate() {
        let needed = c.required
            && match c.table {
                TableKind::Staff => kinds.staff,
                TableKind::Targets => kinds.targets,
                TableKind::Results => kinds.results,
                TableKind::Key => false,
            };
        if needed && slot[ix].is_none() {
            missing.push(ix);
            let mut msg = format!(
                "no '{}' column in the header row (row {}); add it",
                plan.columns[ix].display,
                header_row + 1
            );
            if let Some((_, near)) = unknown.iter().find(|(_, t)| close_to(plan, ix, t)) {
                msg = format!(
                    "{msg}, or rename '{near}': did you mean '{}'?",
                    plan.columns[ix].display
                );
            }
            diags.push(Diagnostic::error(
                Code::MissingColumn,
                source.at(header_row, col0),
                msg,
            ));
        }
    }
    for (col, text) in &unknown {
        let near =
            (0..plan.columns.len()).find(|&ix| slot[ix].is_none() && close_to(plan, ix, text));
        let msg = match near {
            Some(ix) => format!(
                "column '{text}' is not used; did you mean '{}'?",
                plan.columns[ix].display
            ),
            None => format!("column '{text}' is not used by the plan; ignored"),
        };
        let sev = if near.is_some() && missing.contains(&near.unwrap_or(usize::MAX)) {
            Severity::Warning
        } else {
            Severity::Info
        };
        diags.push(
            Diagnostic::new(sev, Code::UnknownColumn, source.at(header_row, *col), msg)
                .with_value(text.clone()),
        );
    }

    // The table's period, when rows have no period column.
    let table_period = if slot[plan.key.period].is_none() && !kinds.staff {
        let p = find_period(&sheet.file).or_else(|| find_period(&sheet.sheet));
        if p.is_none() {
            diags.push(Diagnostic::error(
                Code::NoPeriod,
                source.at(header_row, col0),
                "no Period column and no month in the file or sheet name; add a Period column or name the file like '2026-10.xlsx'",
            ));
            return;
        }
        p
    } else {
        None
    };

    let Some(id_col) = slot[plan.key.staff_id] else {
        return;
    };
    for (i, row) in rows.iter().enumerate().skip(header_ix + 1) {
        let r = row0 + i as u32;
        if row
            .iter()
            .all(|c| matches!(c, Data::Empty) || cell_text(c).is_empty())
        {
            continue;
        }
        let id_cell = row.get((id_col - col0) as usize).unwrap_or(&Data::Empty);
        let staff_id = id_text(id_cell);
        if staff_id.is_empty() || is_totals_label(&staff_id) {
            if row.iter().any(|c| is_totals_label(&cell_text(c))) {
                diags.push(Diagnostic::info(
                    Code::TotalsRow,
                    source.at(r, id_col),
                    format!("row {} is a totals row; skipped", r + 1),
                ));
            } else {
                diags.push(Diagnostic::error(
                    Code::MissingValue,
                    source.at(r, id_col),
                    format!(
                        "row {} has values but no Staff ID; fill it in or delete the row",
                        r + 1
                    ),
                ));
            }
            continue;
        }
        let mut record = Record {
            source: Arc::clone(&source),
            kinds,
            row: r,
            staff_id,
            staff_col: id_col,
            period: table_period,
            fields: vec![None; plan.columns.len()],
        };
        if let Some(pcol) = slot[plan.key.period] {
            let cell = row.get((pcol - col0) as usize).unwrap_or(&Data::Empty);
            match period_of(cell) {
                Ok(p) => record.period = Some(p),
                Err(found) if !kinds.staff => {
                    let msg = if found.is_empty() {
                        "the Period is blank; enter a month such as 2026-10".to_owned()
                    } else {
                        format!(
                            "'{found}' is not a month; write it as 2026-10, 2026/10, 202610 or 2026年10月"
                        )
                    };
                    diags.push(
                        Diagnostic::error(Code::BadPeriod, source.at(r, pcol), msg)
                            .with_value(found),
                    );
                    continue;
                }
                Err(_) => {}
            }
        }
        for (ix, col) in slot.iter().enumerate() {
            let Some(col) = *col else { continue };
            if ix == plan.key.period || ix == plan.key.staff_id {
                continue;
            }
            let cell = row.get((col - col0) as usize).unwrap_or(&Data::Empty);
            let value = read_field(plan, ix, cell, &record, col, diags);
            record.fields[ix] = Some(Field { value, col });
        }
        out.push(record);
    }
}

/// The header row: the first of the top rows that names the staff id and
/// at least one other plan column. Returns the row index and, per cell, the
/// column it names.
fn find_header(plan: &Plan, rows: &[&[Data]]) -> Option<(usize, Vec<Option<ColumnIx>>)> {
    for (i, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let columns: Vec<Option<ColumnIx>> = row
            .iter()
            .map(|c| match c {
                Data::String(s) => plan.column_for_header(s),
                _ => None,
            })
            .collect();
        let has_id = columns.contains(&Some(plan.key.staff_id));
        let known = columns.iter().flatten().count();
        if has_id && known >= 2 {
            return Some((i, columns));
        }
    }
    None
}

/// A header that nearly names a plan column: a typo or a plural.
fn close_to(plan: &Plan, ix: ColumnIx, text: &str) -> bool {
    let norm = normalize_header(text);
    plan.known_headers()
        .filter(|(_, c)| *c == ix)
        .any(|(known, _)| {
            let d = strsim::levenshtein(known, &norm);
            d > 0 && d <= 2.max(known.chars().count() / 6)
        })
}

fn read_field(
    plan: &Plan,
    ix: ColumnIx,
    cell: &Data,
    record: &Record,
    col: u32,
    diags: &mut Vec<Diagnostic>,
) -> FieldValue {
    let column = &plan.columns[ix];
    let loc = || record.source.at(record.row, col);
    let person = |d: Diagnostic| d.for_person(&record.staff_id, record.period);
    match column.kind {
        ColumnKind::Text | ColumnKind::Period => match cell_text(cell) {
            t if t.is_empty() => FieldValue::Blank,
            t => FieldValue::Text(t),
        },
        ColumnKind::Id => match id_text(cell) {
            t if t.is_empty() => FieldValue::Blank,
            t => FieldValue::Text(t),
        },
        ColumnKind::Number => {
            let parsed = match cell {
                Data::Empty => return FieldValue::Blank,
                Data::String(s) if s.trim().is_empty() => return FieldValue::Blank,
                Data::Int(i) => Ok(Decimal::from(*i)),
                Data::Float(f) => cell::decimal_from_f64(*f),
                Data::String(s) => cell::parse_number(s, column.percent),
                Data::Error(e) => {
                    diags.push(person(
                        Diagnostic::error(
                            Code::CellError,
                            loc(),
                            format!(
                                "'{}' holds the error {e}; fix the formula or type the value",
                                column.display
                            ),
                        )
                        .with_value(e.to_string()),
                    ));
                    return FieldValue::Invalid;
                }
                _ => Err(NumberError::NotANumber),
            };
            let found = cell_text(cell);
            match parsed {
                Ok(v) => {
                    let below = column.min.is_some_and(|m| v < m);
                    let above = column.max.is_some_and(|m| v > m);
                    if below || above || v.abs() >= ABSURD {
                        let range = match (column.min, column.max) {
                            (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
                            (Some(lo), None) => format!("at least {lo}"),
                            (None, Some(hi)) => format!("at most {hi}"),
                            (None, None) => "a plausible amount".to_owned(),
                        };
                        diags.push(person(
                            Diagnostic::error(
                                Code::OutOfRange,
                                loc(),
                                format!("'{}' must be {range}, found {found}", column.display),
                            )
                            .with_value(found),
                        ));
                        FieldValue::Invalid
                    } else {
                        FieldValue::Number(v)
                    }
                }
                Err(err) => {
                    let (code, msg) = match err {
                        NumberError::PercentNotAllowed => (
                            Code::NotANumber,
                            format!(
                                "'{}' does not take a percentage, found '{found}'; type the plain number",
                                column.display
                            ),
                        ),
                        NumberError::TooLarge => (
                            Code::OutOfRange,
                            format!(
                                "'{}' is far too large ({found}); check the cell",
                                column.display
                            ),
                        ),
                        NumberError::NotANumber => (
                            Code::NotANumber,
                            format!("'{}' must be a number, found '{found}'", column.display),
                        ),
                    };
                    diags.push(person(
                        Diagnostic::error(code, loc(), msg).with_value(found),
                    ));
                    FieldValue::Invalid
                }
            }
        }
    }
}

/// A month from a period cell: text in any accepted form, a date, or a
/// number like 202610. The Err carries the cell as text.
fn period_of(cell: &Data) -> Result<Period, String> {
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

/// A cell as trimmed text (numbers in their shortest form).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => cell::clean_text(s),
        Data::Float(f) => cell::decimal_from_f64(*f)
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|_| f.to_string()),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::Error(e) => e.to_string(),
    }
}

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

fn is_totals_label(text: &str) -> bool {
    matches!(
        normalize_header(text).as_str(),
        "合计" | "总计" | "小计" | "total" | "totals" | "grand total" | "subtotal" | "sum"
    )
}
