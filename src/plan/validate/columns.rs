//! `[[columns]]`: each column's headers, bounds and arrival scale, the
//! columns the engine needs, and the lookup of a number column by id that
//! the KPIs and the bonus use.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Problems, suggest, table_name};
use crate::plan::file::{ArrivesFile, ColumnFile, ColumnKind, TableKind};
use crate::plan::parse::Broken;
use crate::plan::{Arrival, Column, KeyColumns, normalize_header};

/// The columns the engine needs, with the table each must live in.
const ENGINE_COLUMNS: [(&str, TableKind); 6] = [
    ("staff_id", TableKind::Key),
    ("period", TableKind::Key),
    ("name", TableKind::Staff),
    ("department", TableKind::Staff),
    ("role", TableKind::Staff),
    ("manager_id", TableKind::Staff),
];

/// The resolved columns, and how to find one.
pub(super) struct Columns<'a> {
    pub columns: Vec<Column>,
    /// Normalised header text → column.
    pub header_index: HashMap<String, usize>,
    pub key: KeyColumns,
    /// Column id → column.
    ids: HashMap<&'a str, usize>,
    broken: &'a Broken,
}

/// Resolves every column, then the engine's own columns.
pub(super) fn resolve<'a>(
    raw: &'a [ColumnFile],
    broken: &'a Broken,
    p: &mut Problems,
) -> Columns<'a> {
    let mut columns = Vec::with_capacity(raw.len());
    let mut header_index: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, c) in raw.iter().enumerate() {
        let key = format!("columns[{i}]");
        if let Some(first) = ids.insert(c.id.as_str(), i) {
            p.add(
                format!("{key}.id"),
                format!(
                    "column '{}' is declared twice (also columns[{first}])",
                    c.id
                ),
            );
        }
        if let (Some(lo), Some(hi)) = (c.min, c.max)
            && lo > hi
        {
            p.add(format!("{key}.min"), format!("min {lo} is above max {hi}"));
        }
        index_headers(raw, i, &key, &mut header_index, p);
        let arrives = match &c.arrives {
            None => None,
            Some(a) => arrival(a, c.kind, c.min, c.max, &key, p),
        };
        columns.push(Column {
            id: c.id.clone(),
            table: c.table,
            kind: c.kind,
            required: c.required.unwrap_or(true),
            min: c.min,
            max: c.max,
            percent: c.percent,
            arrives,
            display: c.aliases.first().cloned().unwrap_or_else(|| c.id.clone()),
            display_zh: c
                .aliases
                .iter()
                .find(|a| !a.is_ascii())
                .cloned()
                .unwrap_or_else(|| c.id.clone()),
        });
    }
    let key = key_columns(&columns, &ids, broken, p);
    Columns {
        columns,
        header_index,
        key,
        ids,
        broken,
    }
}

/// Indexes column `i`'s id and aliases as headers; a header naming two
/// columns is a problem.
fn index_headers(
    raw: &[ColumnFile],
    i: usize,
    key: &str,
    header_index: &mut HashMap<String, usize>,
    p: &mut Problems,
) {
    let c = &raw[i];
    for text in std::iter::once(&c.id).chain(&c.aliases) {
        let norm = normalize_header(text);
        if norm.is_empty() {
            p.add(format!("{key}.aliases"), "an alias is empty");
            continue;
        }
        if let Some(&other) = header_index.get(&norm) {
            if other != i {
                p.add(
                    format!("{key}.aliases"),
                    format!("header '{text}' already names column '{}'", raw[other].id),
                );
            }
        } else {
            header_index.insert(norm, i);
        }
    }
}

/// The columns the engine needs, each in its table.
fn key_columns(
    columns: &[Column],
    ids: &HashMap<&str, usize>,
    broken: &Broken,
    p: &mut Problems,
) -> KeyColumns {
    let mut engine = [0usize; 6];
    for (slot, (id, table)) in engine.iter_mut().zip(ENGINE_COLUMNS) {
        match ids.get(id) {
            Some(&ix) if columns[ix].table == table => *slot = ix,
            Some(&ix) => p.add(
                format!("columns[{ix}].table"),
                format!("column '{id}' must be in table '{}'", table_name(table)),
            ),
            None if broken.column(id) => {}
            None => p.add(
                "columns",
                format!("column '{id}' is missing; the engine needs it"),
            ),
        }
    }
    KeyColumns {
        staff_id: engine[0],
        period: engine[1],
        name: engine[2],
        department: engine[3],
        role: engine[4],
        manager_id: engine[5],
    }
}

impl Columns<'_> {
    /// A number column by id, in one of `tables`, or a problem at `at`.
    pub fn number(
        &self,
        at: String,
        id: &str,
        tables: &[TableKind],
        p: &mut Problems,
    ) -> Option<usize> {
        match self.ids.get(id) {
            Some(&ix) if !matches!(self.columns[ix].kind, ColumnKind::Number) => {
                p.add(at, format!("column '{id}' is not a number column"));
                None
            }
            Some(&ix) if !tables.contains(&self.columns[ix].table) => {
                let names: Vec<&str> = tables.iter().map(|t| table_name(*t)).collect();
                p.add(
                    at,
                    format!(
                        "column '{id}' is in table '{}'; it must be in {}",
                        table_name(self.columns[ix].table),
                        names.join(" or ")
                    ),
                );
                None
            }
            Some(&ix) => Some(ix),
            None if self.broken.column(id) => None,
            None => {
                p.add(
                    at,
                    format!(
                        "no column '{id}' is declared under [[columns]]{}",
                        suggest(id, self.ids.keys().copied())
                    ),
                );
                None
            }
        }
    }
}

/// Checks a column's `arrives` and resolves its exact factor.
fn arrival(
    a: &ArrivesFile,
    kind: ColumnKind,
    min: Option<Decimal>,
    max: Option<Decimal>,
    key: &str,
    p: &mut Problems,
) -> Option<Arrival> {
    let at = format!("{key}.arrives");
    let Some((from, to)) = a.ends() else {
        p.add(
            at,
            "unknown arrival scale; write \"fraction\", \"percent\", \"out_of_5\" (any number) or { from = 1, to = 5 }",
        );
        return None;
    };
    if kind != ColumnKind::Number {
        p.add(at, "only a number column can declare how its values arrive");
        return None;
    }
    let (Some(lo), Some(hi)) = (min, max) else {
        p.add(
            at,
            "the column needs both min and max (the scale it is scored on) to convert onto",
        );
        return None;
    };
    if from >= to {
        p.add(
            at,
            format!("the arrival scale {from}..{to} must run upwards"),
        );
        return None;
    }
    let span = to - from;
    let factor = (hi - lo).checked_div(span)?;
    // A non-terminating quotient fills all 28 digits (and its product can
    // round back to the span): an exact factor is short.
    if factor.normalize().scale() > 12 || factor.checked_mul(span) != Some(hi - lo) {
        p.add(
            at,
            format!(
                "{from}..{to} onto {lo}..{hi} is not an exact conversion (factor {} has no end); choose scales whose ratio is a finite decimal",
                factor.round_dp(6)
            ),
        );
        return None;
    }
    Some(Arrival {
        from,
        to,
        factor: factor.normalize(),
    })
}
