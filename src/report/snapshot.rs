//! `inputs.csv`: the input cells a month was computed from, one row per
//! person and input (`staff_id, input, place, value`), so the next run can
//! say which cells changed (file › sheet › cell, old → new) and a payroll
//! correction can say why a paid bonus moved.
//!
//! A value is written as the run used it: numbers exactly, after units and
//! declared scales (`10` in a `销售目标（万元）` column is `100000`), a blank
//! cell empty; the roster's text fields as the reports show them; each
//! applied adjustment as `adjustment:<item>` with its value, reason and
//! approver. Everything here is also in the period's fingerprint, so a
//! reused `inputs.csv` is always the one the period's numbers came from.

use std::collections::BTreeMap;

use super::ReportError;
use super::text::csv_safe;
use crate::input::{Case, Person, Record};
use crate::plan::{ColumnKind, Plan};
use crate::score::PeriodResult;

/// The file's name in the period folder.
pub const INPUTS: &str = "inputs.csv";

/// One input of one person: where it was read and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// `file › sheet › cell`, or empty when the value has no cell (a blank
    /// column the table does not have).
    pub place: String,
    pub value: String,
}

/// A snapshot: (staff id, input) → cell, in a fixed order.
pub type Snapshot = BTreeMap<(String, String), Cell>;

/// The snapshot of one month.
pub fn take(
    plan: &Plan,
    people: &[Person],
    records: &[Record],
    result: &PeriodResult,
    cases: &[Case],
) -> Snapshot {
    // Collected, then built in one go (sorted bulk build).
    let mut snap: Vec<((String, String), Cell)> = Vec::new();
    for case in cases {
        let Some(p) = people.get(case.person) else {
            continue;
        };
        let sources: Vec<&Record> = [case.targets, case.results, Some(p.record)]
            .into_iter()
            .flatten()
            .filter_map(|r| records.get(r))
            .collect();
        // `file › sheet › cell`, as a Location displays it.
        let place = |c: usize| {
            sources
                .iter()
                .find_map(|r| {
                    r.fields[c].as_ref().map(|f| {
                        format!(
                            "{} › {} › {}",
                            r.source.file,
                            r.source.sheet,
                            crate::diagnostics::a1(r.row, f.col)
                        )
                    })
                })
                .unwrap_or_default()
        };
        for (c, col) in plan.columns.iter().enumerate() {
            let value = match (col.kind, col.id.as_str()) {
                (ColumnKind::Number, _) => case
                    .values
                    .get(c)
                    .copied()
                    .flatten()
                    .map(|v| v.normalize().to_string())
                    .unwrap_or_default(),
                (_, "name") => p.name.clone(),
                (_, "department") => p.department.clone(),
                (_, "role") => p.role_name.clone(),
                (_, "manager_id") => p.manager_id.clone(),
                (_, "hire_date") => date(p.hire),
                (_, "leave_date") => date(p.leave),
                _ => continue,
            };
            let place = place(c);
            if value.is_empty() && place.is_empty() {
                continue; // a column no table of the person has
            }
            snap.push(((p.staff_id.clone(), col.id.clone()), Cell { place, value }));
        }
        // Results are in roster order, as the cases are.
        let card = result
            .people
            .get(case.person)
            .filter(|r| r.person == case.person)
            .or_else(|| result.people.iter().find(|r| r.person == case.person))
            .and_then(|r| r.card.as_ref());
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for a in card.map(|c| c.adjustments.as_slice()).unwrap_or_default() {
            let n = seen.entry(a.item.as_str()).or_default();
            *n += 1;
            let key = if *n == 1 {
                format!("adjustment:{}", a.item)
            } else {
                format!("adjustment:{}#{n}", a.item)
            };
            snap.push((
                (p.staff_id.clone(), key),
                Cell {
                    place: a.at.to_string(),
                    value: format!("{} — {} — {}", a.to, a.reason, a.approved_by),
                },
            ));
        }
    }
    snap.into_iter().collect()
}

fn date(d: Option<(u16, u8, u8)>) -> String {
    d.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        .unwrap_or_default()
}

/// The snapshot of month `ix` of a report set.
pub fn of_month(set: &super::ReportSet<'_>, ix: usize) -> Snapshot {
    let result = &set.periods[ix];
    let cases = set
        .cases
        .iter()
        .find(|(p, _)| *p == result.period)
        .map(|(_, c)| c.as_slice())
        .unwrap_or_default();
    take(set.plan, set.people, set.records, result, cases)
}

/// The snapshot as `inputs.csv`.
///
/// # Errors
/// Only if the CSV writer fails, which writing to memory does not.
pub fn to_csv(snap: &Snapshot) -> Result<Vec<u8>, ReportError> {
    let err = |e: csv::Error| ReportError::Format {
        file: INPUTS.into(),
        reason: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(["staff_id", "input", "place", "value"])
        .map_err(err)?;
    for ((id, input), cell) in snap {
        w.write_record([
            csv_safe(id).as_ref(),
            input.as_str(),
            csv_safe(&cell.place).as_ref(),
            csv_safe(&cell.value).as_ref(),
        ])
        .map_err(err)?;
    }
    w.into_inner().map_err(|e| ReportError::Format {
        file: INPUTS.into(),
        reason: e.to_string(),
    })
}

/// Reads an `inputs.csv` kpi-report wrote (its hash already checked).
/// None when it is not one.
pub fn from_csv(bytes: &[u8]) -> Option<Snapshot> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = r.headers().ok()?;
    if header.iter().collect::<Vec<_>>() != ["staff_id", "input", "place", "value"] {
        return None;
    }
    let mut snap = Vec::new();
    let mut row = csv::StringRecord::new();
    while r.read_record(&mut row).ok()? {
        let field = |i: usize| unescape(row.get(i).unwrap_or_default());
        snap.push((
            (field(0), row.get(1).unwrap_or_default().to_owned()),
            Cell {
                place: field(2),
                value: field(3),
            },
        ));
    }
    Some(snap.into_iter().collect())
}

/// Undoes [`csv_safe`]: kpi-report adds a `'` before a text that starts
/// with `=`, `+`, `-`, `@`, tab or carriage return, and only then.
pub fn unescape(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_round_trips_through_its_csv() {
        let mut snap = Snapshot::new();
        snap.insert(
            ("S001".into(), "sales".into()),
            Cell {
                place: "results.xlsx › Sheet1 › C2".into(),
                value: "-1200.5".into(),
            },
        );
        snap.insert(
            ("=S002".into(), "adjustment:grade".into()),
            Cell {
                place: "adj.csv › adj › D2".into(),
                value: "B — calibration, 10-28 — Li Hua".into(),
            },
        );
        let bytes = to_csv(&snap).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("'-1200.5"), "{text}");
        assert!(text.contains("'=S002"), "{text}");
        assert_eq!(from_csv(&bytes), Some(snap));
        assert_eq!(from_csv(b"staff_id,name\nS1,x\n"), None);
    }

    #[test]
    fn only_an_added_quote_is_removed() {
        assert_eq!(unescape("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape("'quoted"), "'quoted");
        assert_eq!(unescape("plain"), "plain");
    }
}
