//! What a table read gives: its kinds and source, and one record per row
//! with its fields (value, column, and how a converted value was read).
//! Shared by the table reader and the scale and unit conversions.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::diagnostics::{Location, a1};
use crate::period::Period;
use crate::plan::ColumnIx;

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

/// A table recognised in a sheet, for the `check` summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    pub file: String,
    pub sheet: String,
    pub kinds: TableKinds,
    /// One-based row number of the header row.
    pub header_row: u32,
    /// Data rows read (blank and totals rows not counted).
    pub rows: usize,
}

impl TableKinds {
    /// `staff`, `targets`, `results` or `targets+results`.
    pub fn name(self) -> String {
        let mut parts = Vec::new();
        if self.staff {
            parts.push("staff");
        }
        if self.targets {
            parts.push("targets");
        }
        if self.results {
            parts.push("results");
        }
        parts.join("+")
    }
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
    /// The row's cell per plan column the table has (index by plan
    /// column: None where the table has no such column).
    pub fields: Fields,
    /// How values were converted from what their cells hold (a unit, a
    /// declared scale), by plan column, for the calculation trail. Rare:
    /// one pointer per record when there are none.
    pub notes: Option<Box<Notes>>,
}

/// Conversion notes of a record's fields: (plan column, note).
pub type Notes = Vec<(u32, Box<str>)>;

/// A record's fields by plan column, holding only the columns its table
/// has: a million-row table of four columns must not cost a slot for every
/// column of the plan.
#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(u32, Option<Field>)>);

static NO_FIELD: Option<Field> = None;

impl Fields {
    /// Sets a column's field (columns are set in increasing order).
    pub fn set(&mut self, column: ColumnIx, field: Field) {
        let key = u32::try_from(column).unwrap_or(u32::MAX);
        match self.0.binary_search_by_key(&key, |(c, _)| *c) {
            Ok(i) => self.0[i].1 = Some(field),
            Err(i) => self.0.insert(i, (key, Some(field))),
        }
    }

    /// The fields present, with their plan column.
    pub fn columns(&self) -> impl Iterator<Item = (ColumnIx, &Field)> {
        self.0
            .iter()
            .filter_map(|(c, f)| f.as_ref().map(|f| (*c as ColumnIx, f)))
    }

    /// The fields present.
    pub fn iter(&self) -> impl Iterator<Item = &Option<Field>> {
        self.0.iter().map(|(_, f)| f)
    }
}

impl std::ops::Index<ColumnIx> for Fields {
    type Output = Option<Field>;

    fn index(&self, column: ColumnIx) -> &Option<Field> {
        u32::try_from(column)
            .ok()
            .and_then(|key| self.0.binary_search_by_key(&key, |(c, _)| *c).ok())
            .map_or(&NO_FIELD, |i| &self.0[i].1)
    }
}

/// Where a record's cells are — file, sheet, row and each field's column —
/// in a `Debug` form for fingerprints: a report that names source cells
/// must be rebuilt when a number moves, even if its value did not change.
pub struct Place<'a>(pub &'a Record);

impl std::fmt::Debug for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.0;
        write!(
            f,
            "{:?}/{:?}/{}/{}",
            &*r.source.file, &*r.source.sheet, r.row, r.staff_col
        )?;
        for (column, field) in r.fields.columns() {
            write!(f, ",{column}:{}", field.col)?;
        }
        Ok(())
    }
}

impl Record {
    /// How a column's value was converted from its cell, if it was.
    pub fn note(&self, column: ColumnIx) -> Option<&str> {
        let key = u32::try_from(column).ok()?;
        self.notes
            .as_ref()?
            .iter()
            .find(|(c, _)| *c == key)
            .map(|(_, n)| &**n)
    }

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
